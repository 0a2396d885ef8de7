"""The third labelled corpus (corpora/examples/brackenfold) loads, lines up with its key, keeps
its consent promises, and is rebuilt byte for byte by its build script.

Brackenfold is held out: nothing here runs a theme method or looks at how well concerns can be
told apart; these are load, key-alignment and consent checks only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

import listenlens as ll
from labelled_corpora import built_files, read_rows, rebuilt

BRACKENFOLD = Path(__file__).resolve().parents[1] / "corpora" / "examples" / "brackenfold"
KINDS = {"turn", "follow", "reaction", "prompt", "summary", "housekeeping"}
VOICED = {"turn", "follow", "reaction"}  # what participants said (not prompts or summaries)

pytestmark = pytest.mark.skipif(not (BRACKENFOLD / "events.csv").is_file(),
                                reason="third example corpus not present")


def _rows(name: str) -> list[dict[str, str]]:
    return read_rows(BRACKENFOLD / name)


@pytest.fixture(scope="module")
def corpus() -> ll.Corpus:
    return ll.load(BRACKENFOLD, progress=False)


@pytest.fixture(scope="module")
def key() -> list[dict[str, str]]:
    return _rows("_key/themes.csv")


def test_loads_every_file_with_only_intended_skips(corpus: ll.Corpus) -> None:
    events = corpus.events
    assert 15 <= len(events) <= 20 and events.community.nunique() == 5
    years = pd.to_datetime(events.date).dt.year
    assert set(years) == set(range(2021, 2026))
    assert (pd.crosstab(events.community, years) <= 2).all().all()  # one or two a year at most
    assert set(corpus.units.source) == {s.path for s in corpus.source_records}
    extensions = Counter(s.path.rsplit(".", 1)[-1] for s in corpus.source_records)
    assert set(extensions) == {"txt", "vtt", "srt", "md", "csv", "docx"}
    formats = Counter(e["format"] for e in _rows("events.csv"))
    assert formats["survey"] >= 1 and sum(n for f, n in formats.items() if "fun day" in f
                                          or f == "panel") >= 1
    assert set(corpus.skipped.reason) == {"non-speech", "consent-withdrawn"}
    assert 700 <= len(corpus.units) <= 900
    assert corpus.check_spans() == []


def test_table_events_declare_their_columns() -> None:
    for e in _rows("events.csv"):
        if e["file"].endswith(".csv"):
            assert e["text_column"] and e["speaker_column"], e
            header = (BRACKENFOLD / e["file"]).read_text(encoding="utf-8").splitlines()[0]
            columns = header.split(",")
            assert e["text_column"] in columns and e["speaker_column"] in columns
            assert not e["group_column"] or e["group_column"] in columns
        else:
            assert not (e["text_column"] or e["group_column"] or e["speaker_column"]), e


def test_key_lines_up_one_to_one_with_the_units(corpus: ll.Corpus,
                                                key: list[dict[str, str]]) -> None:
    pairs = [(r["source"], int(r["line"])) for r in key]
    assert len(pairs) == len(set(pairs))
    loaded = list(zip(corpus.units.source, corpus.units.line.astype(int)))
    assert len(loaded) == len(set(loaded))
    assert set(pairs) == set(loaded)
    concerns = {r["id"] for r in _rows("_key/concerns.csv")}
    assert len(concerns) == 10
    assert all(r["description"].strip() for r in _rows("_key/concerns.csv"))
    assert {r["theme"] for r in key} == concerns | {"housekeeping"}
    assert {r["theme2"] for r in key} <= concerns | {""}
    assert all(r["theme2"] != r["theme"] for r in key)
    assert {r["kind"] for r in key} == KINDS


def test_key_speakers_and_roles_agree_with_the_loader(corpus: ll.Corpus,
                                                      key: list[dict[str, str]]) -> None:
    units = corpus.units.assign(line=corpus.units.line.astype(int))
    merged = units.merge(pd.DataFrame(key).assign(line=lambda d: d.line.astype(int)),
                         on=["source", "line"], suffixes=("", "_key"))
    assert len(merged) == len(units)
    named = merged[merged.kind_key.isin(VOICED) & (merged.speaker_key != "")]
    assert len(named) > 450
    assert (named.speaker == named.speaker_key).all()
    assert (named.role == "participant").all()
    assert (merged[merged.kind_key == "prompt"].role == "facilitator").all()


def test_consent_levels_and_withdrawn_words(corpus: ll.Corpus,
                                            key: list[dict[str, str]]) -> None:
    rows = _rows("consent.csv")
    levels = Counter(r["consent"] for r in rows if r["speaker"] != "*")
    assert levels["paraphrase"] >= 3 and levels["aggregate"] >= 3 and levels["withdrawn"] == 1
    assert set(corpus.units.consent) == {"quote", "paraphrase", "aggregate"}
    for r in rows:
        if r["consent"] == "withdrawn":
            at = corpus.units[corpus.units.event_id == r["event_id"]]
            assert len(at) and not (at.speaker == r["speaker"]).any()
            source = at.source.iloc[0]
            text = (BRACKENFOLD / source).read_text(encoding="utf-8")
            assert f"{r['speaker']}:" in text  # the words are in the file ...
            assert not any(k["speaker"] == r["speaker"] and k["source"] == source
                           for k in key)  # ... and not in the key
        elif r["speaker"] != "*":
            at = corpus.units[(corpus.units.event_id == r["event_id"])
                              & (corpus.units.speaker == r["speaker"])]
            assert len(at) and (at.consent == r["consent"]).all(), r
    assert (corpus.skipped.reason == "consent-withdrawn").sum() >= 1


def test_talk_is_uneven_and_runs_under_prompts(key: list[dict[str, str]]) -> None:
    per_event: dict[str, Counter[str]] = defaultdict(Counter)
    for r in key:
        if r["kind"] in VOICED and r["speaker"]:
            per_event[r["source"]][r["speaker"]] += 1
    spoken = {s: c for s, c in per_event.items() if s.endswith((".txt", ".vtt", ".srt"))}
    assert len(spoken) >= 10
    for src, counts in spoken.items():
        assert 6 <= len(counts) <= 13, src
        assert max(counts.values()) >= 3 * min(counts.values()), src
    kinds = Counter(r["kind"] for r in key)
    assert kinds["reaction"] + kinds["follow"] >= 40 and kinds["prompt"] >= 50
    turns = kinds["turn"]
    assert 0.05 * turns <= sum(1 for r in key if r["theme2"]) <= 0.12 * turns


def test_no_substantive_text_is_repeated(corpus: ll.Corpus, key: list[dict[str, str]]) -> None:
    turns = {(r["source"], int(r["line"])) for r in key if r["kind"] == "turn"}
    units = corpus.units[[(s, int(line)) in turns for s, line in
                          zip(corpus.units.source, corpus.units.line)]]
    assert len(units) == len(turns)
    assert units.text.is_unique


def test_shift_table_matches_the_key(key: list[dict[str, str]]) -> None:
    """``_key/shifts.csv`` reports, per planted concern and year, the mean over the year's
    events of the share of participant voices raising it; recount it from the key."""
    voices: dict[str, set[str]] = defaultdict(set)
    raised: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in key:
        if r["kind"] in VOICED:
            voice = r["speaker"] or f"note:{r['line']}"
            voices[r["source"]].add(voice)
            for c in (r["theme"], r["theme2"]):
                if c:
                    raised[(r["source"], c)].add(voice)
    for row in _rows("_key/shifts.csv"):
        shares = [len(raised[(src, row["concern"])]) / len(vs) for src, vs in voices.items()
                  if Path(src).stem.split("-")[1] == row["year"]]
        assert len(shares) == int(row["events"])
        assert abs(sum(shares) / len(shares) - float(row["measured"])) < 6e-4, row


def test_build_script_reproduces_the_files(tmp_path: Path) -> None:
    copy = rebuilt(BRACKENFOLD, tmp_path)
    made = built_files(copy)
    kept = built_files(BRACKENFOLD, readme=False)
    assert made == kept
    for rel in made:
        assert (copy / rel).read_bytes() == (BRACKENFOLD / rel).read_bytes(), rel
