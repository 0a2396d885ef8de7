"""The "What's new since ..." section: one update's theme lineage in a briefing.

Themes are fitted for real (the fast deterministic hashing embedder, on the synthetic corpus of
``test_briefing_pipeline``: twelve events, the last three on 12 November 2024); the lineage rows
are written by hand, naming real theme ids and themes that no longer exist. Expected numbers are
counted here from ``themes.units()``, independently of the briefing's own counting.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pandas as pd
import pytest

import listenlens as ll
from briefing_pages import SECTIONS, check_heading_order, parse
from listenlens.briefing import (
    Briefing,
    BriefingContent,
    brief,
    build_content,
    render_html,
    render_markdown,
)
from listenlens.errors import AnalysisError, VerificationError
from listenlens.provenance import verify
from listenlens.provenance.verify import document_text
from planted import synthetic_corpus

pytestmark = pytest.mark.slow  # fits themes (BERTopic with the hashing embedder)

SINCE = "2024-08-20"
HEADING = "What's new since 20 August 2024"
HOSTILE = '<script>alert("x")</script> Bus fares'
COLUMNS = ["update", "kind", "theme_id", "label", "date", "n_units", "related", "detail"]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory):  # (corpus, themes)
    from listenlens.embeddings import HashingEmbedder
    from listenlens.themes import find_themes

    corpus = ll.load(synthetic_corpus(tmp_path_factory.mktemp("ch") / "corpus"), progress=False)
    return corpus, find_themes(corpus, seed=0, embedder=HashingEmbedder())


def participant_units(themes, tid: str, since: str = SINCE) -> pd.DataFrame:
    """A theme's units that count towards people: not a facilitator's, at events after since."""
    df = themes.units(tid)
    return df[(df["role"] != "facilitator") & (df["date"] > pd.Timestamp(since))]


def people(df: pd.DataFrame) -> int:
    """People as the briefing counts them: a speaker at one event is one person."""
    return len({(e, s) for e, s in zip(df["event_id"], df["speaker_id"]) if s})


@pytest.fixture(scope="module")
def roles(fitted) -> dict[str, list[str]]:
    """Real theme ids for each kind of row: three new themes raised after SINCE, the rest."""
    _, themes = fitted
    recent = [t for t in themes.theme_ids if people(participant_units(themes, t))]
    assert len(recent) >= 3, "the synthetic corpus should give themes raised in November"
    new = recent[:3]
    rest = [t for t in themes.theme_ids if t not in new]
    assert len(rest) >= 8
    return {"new": new, "grew": rest[:4], "revived": rest[4:5], "faded": rest[5:6],
            "merged": rest[6:7], "renamed": rest[7:8]}


def lineage(themes, roles: dict[str, list[str]]) -> pd.DataFrame:
    """The latest update's lineage rows, as lineage_frame() writes them."""
    lab = themes.label
    born, part_a, part_b = roles["new"]
    g = roles["grew"]
    merged, renamed = roles["merged"][0], roles["renamed"][0]
    rows = [
        (4, "born", born, lab(born), "2024-11-12", 9, "", f"New theme '{lab(born)}': 9 units."),
        (4, "born", "t-f00dba2c", "Food bank", "2024-11-12", 4, "", "New theme 'Food bank'."),
        (4, "grew", g[0], lab(g[0]), "2024-11-12", 12, "", ""),
        (4, "grew", g[1], lab(g[1]), "2024-11-12", 9, "", ""),
        (4, "grew", g[2], lab(g[2]), "2024-11-12", 4, "", ""),
        (4, "grew", g[3], lab(g[3]), "2024-11-12", 1, "", ""),
        (4, "revived", roles["revived"][0], lab(roles["revived"][0]), "2024-11-12", 3, "", ""),
        (4, "faded", roles["faded"][0], lab(roles["faded"][0]), "2024-05-14", 0, "", ""),
        (4, "split", "t-5b11c0de", "Health services", "", 0, f"{part_a}, {part_b}",
         f"Split 'Health services' into '{lab(part_a)}', '{lab(part_b)}'."),
        (4, "merged", merged, lab(merged), "2024-02-10", 20, "t-aaaa1111, t-bbbb2222",
         f"Merged 'Bus fares' and 'Bus stops' into '{lab(merged)}'."),
        (4, "renamed", renamed, lab(renamed), "", 0, "",
         f"Renamed 'Old name' to '{lab(renamed)}'."),
        (4, "retired", "t-deadbeef", HOSTILE, "", 0, "", "Retired as noise."),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.fixture(scope="module")
def briefing(fitted, roles) -> Briefing:
    _, themes = fitted
    return brief(themes, title="What we heard", changes=lineage(themes, roles), since=SINCE)


def expected_new(themes, tid: str) -> str:
    df = participant_units(themes, tid)
    n, k = people(df), df["event_id"].nunique()
    return (f"New: {themes.label(tid)} — raised by {n} {'person' if n == 1 else 'people'} at "
            f"{k} event{'' if k == 1 else 's'} since 20 August 2024.")


def expected_sentences(themes, roles: dict[str, list[str]]) -> list[str]:
    lab = themes.label
    born, part_a, part_b = roles["new"]
    new = sorted(roles["new"], key=lambda t: (-people(participant_units(themes, t)),
                                              -participant_units(themes, t)["event_id"].nunique(),
                                              lab(t)))
    g = roles["grew"]
    return [
        *(expected_new(themes, t) for t in new),
        "New: Food bank (first raised 12 November 2024).",
        f"Existing themes with the most new contributions: {lab(g[0])} (+12), {lab(g[1])} (+9), "
        f"{lab(g[2])} (+4).",
        f"Raised again: {lab(roles['revived'][0])}.",
        f"No longer raised: {lab(roles['faded'][0])} (last raised 14 May 2024).",
        f"Merged: “Bus fares” and “Bus stops” became “{lab(roles['merged'][0])}”.",
        f"Split: “Health services” became “{lab(part_a)}” and “{lab(part_b)}”.",
        f"Renamed: “Old name” is now called “{lab(roles['renamed'][0])}”.",
        f"Retired: “{HOSTILE}” is no longer reported as a theme.",
    ]


def test_the_section_says_what_changed(briefing: Briefing, fitted, roles) -> None:
    _, themes = fitted
    c = briefing.content
    assert c.changes_since == SINCE and c.changes_heading == HEADING
    assert [ch.sentence for ch in c.changes] == expected_sentences(themes, roles)
    assert [ch.kind for ch in c.changes] == ["new"] * 4 + ["grew", "revived", "faded", "merged",
                                                           "split", "renamed", "retired"]
    gone = {ch.theme_id: ch for ch in c.changes if ch.theme_id in ("t-f00dba2c", "t-deadbeef")}
    assert set(gone) == {"t-f00dba2c", "t-deadbeef"}  # not in the themes: no numbers, no crash
    assert all(ch.n_people is None and not ch.unit_ids for ch in gone.values())


def test_new_theme_counts_match_an_independent_count(briefing: Briefing, fitted,
                                                     roles) -> None:
    corpus, themes = fitted
    c = briefing.content
    counted = [ch for ch in c.changes if ch.n_people is not None]
    assert {ch.theme_id for ch in counted} == set(roles["new"])
    figures = {f.figure_id: f for f in c.figures}
    for ch in counted:
        df = participant_units(themes, ch.theme_id)
        assert ch.n_people == people(df) > 0
        assert ch.n_events == df["event_id"].nunique()
        assert set(ch.unit_ids) == set(df["unit_id"])
        assert all(corpus.unit(u).role != "facilitator" for u in ch.unit_ids)
        for fid, value in ((f"new-theme:{ch.theme_id}", ch.n_people),
                           (f"new-theme-events:{ch.theme_id}", ch.n_events)):
            assert figures[fid].value == value and figures[fid].unit_ids == ch.unit_ids
            assert figures[fid].text in ch.sentence
    # the top themes keep their own figures, counted over all their units
    assert sum(f.figure_id.startswith("theme-count:") for f in c.figures) == len(c.themes)


def test_since_after_every_event_counts_every_unit(fitted, roles) -> None:
    _, themes = fitted
    born = roles["new"][0]
    rows = lineage(themes, roles).head(1)
    content = build_content(themes, title="x", charts=False, changes=rows, since="2025-01-31")
    (ch,) = content.changes
    df = participant_units(themes, born, since="2000-01-01")
    assert ch.n_people == people(df) and ch.n_events == df["event_id"].nunique()
    assert ch.text.endswith(" in all.") and "since" not in ch.text
    assert content.changes_heading == "What's new since 31 January 2025"


def test_html_has_the_section_after_the_scope(briefing: Briefing, fitted, roles) -> None:
    _, themes = fitted
    page = render_html(briefing.content)
    s = parse(page)
    check_heading_order([lvl for lvl, _ in s.headings])
    assert [t.strip() for lvl, t in s.headings if lvl == 2] == [SECTIONS[0], HEADING,
                                                                *SECTIONS[1:]]
    assert '<a href="#changes">' in page and '<section id="changes"' in page
    section = page.split('<section id="changes"')[1].split("</section>")[0]
    assert section.count("<li>") == len(briefing.content.changes)
    assert '<span class="change">New:</span>' in section
    text = " ".join("".join(s.text).split())
    assert "The last update of this analysis covered events up to 20 August 2024." in text
    for sentence in expected_sentences(themes, roles):
        assert sentence in text


def test_markdown_and_docx_have_the_section(briefing: Briefing, fitted, roles,
                                            tmp_path: Path) -> None:
    _, themes = fitted
    sentences = expected_sentences(themes, roles)
    md = render_markdown(briefing.content)
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == [
        SECTIONS[0], HEADING, *SECTIONS[1:]]
    items = md.split(f"## {HEADING}")[1].split("## ")[0]
    assert items.count("\n- **") == len(sentences)
    assert f"- **New:** {sentences[0][5:]}" in md
    assert "- **Existing themes with the most new contributions:** " in md
    doc = docx.Document(str(briefing.save(tmp_path / "b.docx")))
    styled = [(p.style.name, p.text, p) for p in doc.paragraphs]
    h1 = [t for name, t, _ in styled if name == "Heading 1"]
    assert h1 == [SECTIONS[0], HEADING, *SECTIONS[1:]]
    start = next(i for i, (name, t, _) in enumerate(styled) if t == HEADING)
    end = next(i for i, (name, _, _) in enumerate(styled) if name == "Heading 1" and i > start)
    bullets = [(t, p) for name, t, p in styled[start:end] if name == "List Bullet"]
    assert [t for t, _ in bullets] == sentences
    assert all(p.runs[0].bold and p.runs[0].text.endswith(": ") for _, p in bullets)


@pytest.mark.parametrize("fmt", ["html", "md", "docx"])
def test_saved_briefing_verifies(briefing: Briefing, fitted, tmp_path: Path,
                                 fmt: str) -> None:
    corpus, _ = fitted
    report = verify(briefing.save(tmp_path / f"b.{fmt}"), corpus, strict=False)
    assert report.ok, report.mismatches
    assert report.n_figures == len(briefing.content.themes) + 2 * 3


def test_tampered_new_theme_number_fails_verify(briefing: Briefing, fitted,
                                                tmp_path: Path) -> None:
    corpus, _ = fitted
    ch = next(ch for ch in briefing.content.changes if (ch.n_people or 0) > 1)
    said = f"raised by {ch.n_people} people at"
    assert said in ch.text
    path = briefing.save(tmp_path / "b.html")
    page = path.read_text(encoding="utf-8")
    tampered = page.replace(said, f"raised by {ch.n_people + 1} people at", 1)
    assert tampered != page
    path.write_text(tampered, encoding="utf-8")
    with pytest.raises(VerificationError) as err:
        verify(path, corpus)
    assert any(m.startswith(f"figure new-theme:{ch.theme_id}: text")
               and "does not appear in the document" in m for m in err.value.mismatches)
    # number changed in the document and in the evidence alike: the units still say otherwise
    md = briefing.save(tmp_path / "b.md")
    evidence = tmp_path / "b.evidence.json"
    block = json.loads(evidence.read_text(encoding="utf-8"))
    fig = next(f for f in block["figures"] if f["id"] == f"new-theme:{ch.theme_id}")
    fig["value"] += 1
    fig["text"] = fig["text"].replace(f"{ch.n_people} people", f"{ch.n_people + 1} people")
    evidence.write_text(json.dumps(block), encoding="utf-8")
    md.write_text(md.read_text(encoding="utf-8").replace(
        said, f"raised by {ch.n_people + 1} people at", 1), encoding="utf-8")
    with pytest.raises(VerificationError) as err:
        verify(md, corpus)
    assert any(f"states theme_speakers = {ch.n_people + 1}, the corpus gives {ch.n_people}" in m
               for m in err.value.mismatches)


def test_labels_with_markup_are_escaped(fitted, roles, tmp_path: Path) -> None:
    corpus, themes = fitted
    born = roles["new"][0]
    hostile = themes.rename(born, '<script>alert("y")</script> <b>Referral</b>')
    rows = lineage(hostile, roles)
    b = brief(hostile, title="x", changes=rows, since=SINCE, charts=False)
    page = render_html(b.content)
    assert "<script>alert" not in page and "<b>Referral" not in page
    assert "&lt;script&gt;alert(&#34;y&#34;)&lt;/script&gt; &lt;b&gt;Referral&lt;/b&gt; — raised by" \
        in page
    assert "“&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Bus fares”" in page
    assert parse(page).scripts == [{"type": "application/json", "id": "listenlens-evidence"}]
    md = render_markdown(b.content)
    assert "<script>" not in md and "<b>" not in md and "&lt;script>alert" in md
    for fmt in ("html", "md", "docx"):
        path = b.save(tmp_path / f"h.{fmt}")
        if fmt != "md":  # what a reader sees: the characters of the label, as text
            assert '<script>alert("y")</script> <b>Referral</b> — raised by' in \
                document_text(path)
        report = verify(path, corpus, strict=False)
        assert report.ok, (fmt, report.mismatches)


@pytest.fixture(scope="module")
def plain(fitted) -> BriefingContent:
    """The briefing content built with no changes at all (shared: it is the same every time)."""
    return build_content(fitted[1], title="x", charts=False)


@pytest.mark.parametrize("changes", [None, "empty frame", "no columns"])
def test_no_changes_no_section(fitted, plain: BriefingContent, tmp_path: Path,
                               changes: str | None) -> None:
    _, themes = fitted
    frame = {None: None, "empty frame": pd.DataFrame(columns=COLUMNS),
             "no columns": pd.DataFrame()}[changes]
    content = build_content(themes, title="x", charts=False, changes=frame, since=SINCE)
    assert content.changes == () and content.changes_since == ""
    assert content.figures == plain.figures
    page = render_html(content)
    assert page == render_html(plain)
    assert "What's new" not in page and "What&#39;s new" not in page and 'id="changes"' not in page
    assert render_markdown(content) == render_markdown(plain)
    doc = docx.Document(str(Briefing(content).save(tmp_path / "n.docx")))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SECTIONS


def test_bad_rows_fail_clearly(fitted) -> None:
    _, themes = fitted
    with pytest.raises(AnalysisError, match=re.escape("unknown lineage kind(s) ['appeared']")):
        build_content(themes, title="x", charts=False,
                      changes=pd.DataFrame({"kind": ["appeared"], "theme_id": ["t-1"]}))
    with pytest.raises(AnalysisError, match="changes lacks column"):
        build_content(themes, title="x", charts=False, changes=pd.DataFrame({"kind": ["born"]}))
    with pytest.raises(AnalysisError, match="should be a pandas DataFrame"):
        build_content(themes, title="x", charts=False, changes=[{"kind": "born"}])
    with pytest.raises(AnalysisError, match="since should be a date"):
        build_content(themes, title="x", charts=False, since="last March")


def test_rows_written_by_a_rebuild(fitted, roles) -> None:
    """A rebuild writes one split row per part, labelled with the part, and one merged row per
    parent; the names of themes that are gone come from the rows' sentences."""
    _, themes = fitted
    lab = themes.label
    part_a, part_b = roles["new"][1:]
    merged = roles["merged"][0]
    rows = pd.DataFrame([
        (5, "split", "t-01dhea17", lab(part_a), "2024-11-12", 6, part_a,
         f"'{lab(part_a)}' split from 'Old health' (6 units)."),
        (5, "split", "t-01dhea17", lab(part_b), "2024-11-12", 4, part_b,
         f"'{lab(part_b)}' split from 'Old health' (4 units)."),
        (5, "merged", merged, lab(merged), "", 20, "t-aaaa1111",
         f"\"Mum's bus\" merged into '{lab(merged)}' (rebuild)."),
        (5, "merged", merged, lab(merged), "", 20, "t-cccc3333", "Something else."),
    ], columns=COLUMNS)
    content = build_content(themes, title="x", charts=False, changes=rows, since=SINCE)
    lines = [ch.sentence for ch in content.changes]
    assert sorted(lines[:2]) == sorted(expected_new(themes, t) for t in (part_a, part_b))
    assert lines[2:] == [
        f"Merged: “Mum's bus” and another theme became “{lab(merged)}”.",
        f"Split: “Old health” became “{lab(part_a)}” and “{lab(part_b)}”."]
    assert {f.figure_id for f in content.figures} >= {f"new-theme:{part_a}",
                                                      f"new-theme:{part_b}"}
