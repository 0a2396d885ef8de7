"""The briefing's vote sections (src/listenlens/briefing/votes.py) and their re-derivation by
``verify`` (src/listenlens/provenance/verify_votes.py), on a generated Polis export with
planted opinion groups, and on Bowling Green when the shared data is there."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from conftest import shared_dir
from listenlens.briefing.votes import AGREED_HEADING, DISAGREED_HEADING
from listenlens.errors import VerificationError
from listenlens.provenance.verify import document_text

TOPICS = {"t-parks": ["park", "trees", "benches", "playground", "paths", "lights"],
          "t-roads": ["road", "buses", "cycle lanes", "parking", "potholes", "speed"]}


def write_export(folder: Path, seed: int = 0, matrix: bool = True) -> None:
    """A Polis export: 12 statements (2 topics), 40 voters in two opinion groups. Statements 0
    and 6 every group agrees with; the others split the groups."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_people, ids = 40, list(range(12))
    group = np.array([0] * 24 + [1] * 16)
    p_agree = np.where(group[:, None] == 0, 0.9, 0.1) * np.ones((n_people, 12))
    p_agree[:, [0, 6]] = 0.9  # the statements everyone agrees with
    values = np.where(rng.random((n_people, 12)) < p_agree, 1, -1)
    lines = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"]
    for cid in ids:
        words = TOPICS["t-parks" if cid < 6 else "t-roads"]
        a, d = int((values[:, cid] == 1).sum()), int((values[:, cid] == -1).sum())
        lines.append(f"1700000000000,Tue,{cid},{cid % 5},{a},{d},1,"
                     f"\"We want better {words[cid % 6]} for statement number {cid}, "
                     "for everyone who lives here.\"")
    (folder / "comments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if matrix:
        rows = ["participant,group-id,n-comments,n-votes,n-agree,n-disagree,"
                + ",".join(map(str, ids))]
        for i in range(n_people):
            rows.append(f"{i},,0,12,0,0," + ",".join(str(v) for v in values[i]))
        (folder / "participants-votes.csv").write_text("\n".join(rows) + "\n",
                                                         encoding="utf-8")


def stand_in_themes(corpus: ll.Corpus, rows: list[dict], ids: list[str],
                    labels: list[str]) -> SimpleNamespace:
    """A themes object of the shape the briefing reads (no representative quotes: every unit
    of a theme is a candidate, most probable first)."""
    assignments = pd.DataFrame(rows).assign(probability=1.0, primary=True)
    return SimpleNamespace(corpus=corpus, assignments=assignments, params={},
                           table=pd.DataFrame({"theme_id": ids, "label": labels}),
                           quotes=lambda tid, n=3: pd.DataFrame(columns=["unit_id"]))


def fake_themes(corpus: ll.Corpus) -> SimpleNamespace:
    """Roads or parks by statement id."""
    rows = [{"unit_id": u.unit_id,
             "theme_id": "t-parks" if u.extra["comment_id"] < 6 else "t-roads"}
            for u in corpus.unit_records]
    return stand_in_themes(corpus, rows, ["t-parks", "t-roads"], ["Parks", "Roads"])


def build(tmp_path: Path, consent: str = "quote", matrix: bool = True):
    write_export(tmp_path / "conv", matrix=matrix)
    corpus = ll.load(tmp_path / "conv" / "comments.csv", reader="polis", community="Riverside",
                     date="2023-11-14", consent=consent)
    return corpus, ll.brief(fake_themes(corpus), title="Votes")


def test_vote_sections_show_planted_consensus_and_verify(tmp_path: Path) -> None:
    corpus, b = build(tmp_path)
    v = b.content.votes
    assert v is not None and v.params["groups"]["k"] == 2
    agreed = {s.unit_id for t in v.themes for s in t.consensus}
    planted = {u.unit_id for u in corpus.unit_records if u.extra["comment_id"] in (0, 6)}
    assert agreed == planted
    assert all(s.quote is not None for t in v.themes for s in (*t.consensus, *t.divisive))
    assert all(t.agreement.method == "participant-bootstrap" for t in v.themes)
    assert any("not a sample" in m for m in b.content.methods)
    for ext in ("md", "html", "docx"):
        path = b.save(tmp_path / f"briefing.{ext}")
        text = document_text(path)
        assert AGREED_HEADING in text and DISAGREED_HEADING in text
        assert v.themes[0].sentence in text
        assert ll.verify(path, corpus).ok


def test_verify_catches_an_edited_vote_count(tmp_path: Path) -> None:
    corpus, b = build(tmp_path)
    path = b.save(tmp_path / "briefing.md")
    s = b.content.votes.themes[0].consensus[0]
    edited = s.counts.replace(f"{s.agrees} agreed", f"{s.agrees + 1} agreed")
    text = path.read_text(encoding="utf-8")
    assert s.counts in text
    path.write_text(text.replace(s.counts, edited), encoding="utf-8")
    with pytest.raises(VerificationError) as err:
        ll.verify(path, corpus)
    assert any("does not appear" in m and "votes statement" in m for m in err.value.mismatches)


def test_verify_catches_a_vote_file_changed_after_the_briefing(tmp_path: Path) -> None:
    corpus, b = build(tmp_path)
    path = b.save(tmp_path / "briefing.html")
    pv = tmp_path / "conv" / "participants-votes.csv"
    with pv.open("a", encoding="utf-8") as fh:  # one more voter, who agrees with everything
        fh.write("999,,0,12,12,0," + ",".join(["1"] * 12) + "\n")
    report = ll.verify(path, corpus, strict=False)
    assert not report.ok and any("vote files" in m for m in report.mismatches)


def test_statements_are_not_quoted_without_consent(tmp_path: Path) -> None:
    corpus, b = build(tmp_path, consent="paraphrase")
    v = b.content.votes
    shown = [s for t in v.themes for s in (*t.consensus, *t.divisive)]
    assert shown and all(s.quote is None for s in shown)
    path = b.save(tmp_path / "briefing.md")
    text = path.read_text(encoding="utf-8")
    assert f"Statement {shown[0].comment_id} (not quoted: consent)" in text
    assert "for everyone who lives here" not in text
    assert ll.verify(path, corpus).ok


def test_counts_only_export_says_so_and_verifies(tmp_path: Path) -> None:
    corpus, b = build(tmp_path, matrix=False)
    v = b.content.votes
    assert {t.agreement.method for t in v.themes} == {"statement-bootstrap"}
    assert v.params["groups"] == {} and v.params["matrix"] == []
    assert any("likely too narrow" in m for m in b.content.limitations)
    assert ll.verify(b.save(tmp_path / "briefing.html"), corpus).ok


def test_no_votes_no_section_and_summary_says_it_plainly(tmp_path: Path) -> None:
    corpus, _ = build(tmp_path)
    summary = ll.community_summaries(fake_themes(corpus))[0]
    assert ("In the online vote, people agreed with some ideas about parks and roads and were "
            "split on others.") in summary.closing
    (tmp_path / "plain.csv").write_text("comment\nMore buses please\nFix the lights\n",
                                        encoding="utf-8")
    plain = ll.load(tmp_path / "plain.csv", community="X", date="2024-01-01", consent="quote")
    themes = stand_in_themes(plain, [{"unit_id": u.unit_id, "theme_id": "t1"}
                                     for u in plain.unit_records], ["t1"], ["Buses"])
    b = ll.brief(themes, title="No votes")
    assert b.content.votes is None and "votes" not in b.content.evidence
    assert AGREED_HEADING not in b.save(tmp_path / "plain.md").read_text(encoding="utf-8")


BOWLING = ((shared_dir() or Path("/nonexistent")) / "corpora" / "polis"
           / "american-assembly.bowling-green" / "comments.csv")


@pytest.mark.skipif(not BOWLING.is_file(), reason="shared Polis corpora not found (set "
                    "LISTENLENS_SHARED to the shared folder)")
def test_bowling_green_briefing_shows_votes_per_theme_and_verifies(tmp_path: Path) -> None:
    corpus = ll.load(BOWLING, reader="polis", community="Bowling Green", date="2018-02-13",
                     consent="quote")
    words = {"t-roads": ("road", "traffic", "lane"), "t-parks": ("park", "trail", "tree")}
    rows = [{"unit_id": u.unit_id,
             "theme_id": next((t for t, ws in words.items()
                               if any(w in u.text.lower() for w in ws)), "t-other")}
            for u in corpus.unit_records]
    themes = stand_in_themes(corpus, rows, ["t-roads", "t-parks", "t-other"],
                             ["Roads", "Parks", "Other"])
    b = ll.brief(themes, title="Bowling Green", n_themes=3)
    v = b.content.votes
    assert {t.theme_id for t in v.themes} == {"t-roads", "t-parks", "t-other"}
    assert sum(len(t.consensus) for t in v.themes) > 0
    assert sum(len(t.divisive) for t in v.themes) > 0
    path = b.save(tmp_path / "briefing.md")
    text = path.read_text(encoding="utf-8")
    s = v.themes[0].consensus[0]
    assert s.counts in text and "agreed" in s.counts
    report = ll.verify(path, corpus)
    assert report.ok
