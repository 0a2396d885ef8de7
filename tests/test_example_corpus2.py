"""The second labelled corpus (corpora/examples/saltmere) loads, lines up with its key, carries
the planted shifts its README documents, and is rebuilt byte for byte by its build script.

This corpus is for *evaluating* the theme and shift engines; nothing here runs a theme method.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

import listenlens as ll
from labelled_corpora import built_files, read_rows, rebuilt

SALTMERE = Path(__file__).resolve().parents[1] / "corpora" / "examples" / "saltmere"
KINDS = {"turn", "follow", "reaction", "prompt", "summary", "housekeeping"}
VOICED = {"turn", "follow", "reaction"}  # what participants said (not prompts or summaries)

pytestmark = pytest.mark.skipif(not (SALTMERE / "events.csv").is_file(),
                                reason="second example corpus not present")


def _rows(name: str) -> list[dict[str, str]]:
    return read_rows(SALTMERE / "_key" / name)


@pytest.fixture(scope="module")
def corpus() -> ll.Corpus:
    return ll.load(SALTMERE, progress=False)


@pytest.fixture(scope="module")
def key() -> list[dict[str, str]]:
    return _rows("themes.csv")


def test_loads_every_file_with_only_intended_skips(corpus: ll.Corpus) -> None:
    events = corpus.events
    assert len(events) == 25 and events.community.nunique() == 5
    years = pd.to_datetime(events.date).dt.year
    assert (pd.crosstab(events.community, years) == 1).all().all()  # one event a year each
    assert set(corpus.units.source) == {s.path for s in corpus.source_records}
    extensions = Counter(s.path.rsplit(".", 1)[-1] for s in corpus.source_records)
    assert set(extensions) == {"txt", "vtt", "srt", "md", "csv", "docx"}
    assert set(corpus.skipped.reason) == {"non-speech", "consent-withdrawn"}
    assert 800 <= len(corpus.units) <= 1100
    assert corpus.check_spans() == []


def test_key_lines_up_one_to_one_with_the_units(corpus: ll.Corpus,
                                                key: list[dict[str, str]]) -> None:
    pairs = [(r["source"], int(r["line"])) for r in key]
    assert len(pairs) == len(set(pairs))
    loaded = list(zip(corpus.units.source, corpus.units.line.astype(int)))
    assert len(loaded) == len(set(loaded))
    assert set(pairs) == set(loaded)
    concerns = {r["id"] for r in _rows("concerns.csv")}
    assert len(concerns) == 10
    assert {r["theme"] for r in key} == concerns | {"housekeeping"}
    assert {r["theme2"] for r in key} <= concerns | {""}
    assert all(r["theme2"] != r["theme"] for r in key)
    assert {r["kind"] for r in key} == KINDS


def test_key_speakers_and_roles_agree_with_the_loader(corpus: ll.Corpus,
                                                      key: list[dict[str, str]]) -> None:
    units = corpus.units.assign(line=corpus.units.line.astype(int))
    merged = units.merge(pd.DataFrame(key).assign(line=lambda d: d.line.astype(int)),
                         on=["source", "line"], suffixes=("", "_key"))
    named = merged[merged.kind_key.isin(VOICED) & (merged.speaker_key != "")]
    assert len(named) > 600
    assert (named.speaker == named.speaker_key).all()
    assert (named.role == "participant").all()
    assert (merged[merged.kind_key == "prompt"].role == "facilitator").all()


def _measured(key: list[dict[str, str]]) -> dict[tuple[str, int], float]:
    """Mean over a year's events of the share of participant voices raising each concern
    (main or second theme); an unsigned note is a voice of its own."""
    voices: dict[str, set[str]] = defaultdict(set)
    raised: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in key:
        if r["kind"] in VOICED:
            voice = r["speaker"] or f"{r['source']}:{r['line']}"
            voices[r["source"]].add(voice)
            raised[(r["source"], r["theme"])].add(voice)
            if r["theme2"]:
                raised[(r["source"], r["theme2"])].add(voice)
    by_year: dict[tuple[str, int], list[float]] = defaultdict(list)
    concerns = {r["id"] for r in _rows("concerns.csv")}
    for src, vs in voices.items():
        year = int(Path(src).stem.split("-")[1])
        for c in concerns:
            by_year[(c, year)].append(len(raised[(src, c)]) / len(vs))
    return {k: sum(v) / len(v) for k, v in by_year.items()}


def test_planted_shares_are_as_documented(key: list[dict[str, str]]) -> None:
    shifts = _rows("shifts.csv")
    measured = _measured(key)
    assert {r["concern"] for r in shifts} == {"loneliness", "cost-of-living", "transport",
                                              "housing-conditions", "gp-access"}
    for r in shifts:
        got = measured[(r["concern"], int(r["year"]))]
        assert abs(got - float(r["measured"])) < 6e-4, r
        assert abs(got - float(r["planted"])) < 0.07, r

    def window(concern: str, *years: int) -> float:
        return sum(measured[(concern, y)] for y in years) / len(years)

    assert window("loneliness", 2021, 2022) > 0.65 and window("loneliness", 2024, 2025) < 0.2
    assert window("cost-of-living", 2021, 2022) < 0.22
    assert window("cost-of-living", 2024, 2025) > 0.45
    assert window("transport", 2021, 2022) > 0.3 and window("transport", 2024, 2025) < 0.13
    assert window("housing-conditions", 2021, 2022) < 0.15
    assert min(measured[("housing-conditions", y)] for y in (2023, 2024, 2025)) > 0.33
    early, late = window("gp-access", 2021, 2022), window("gp-access", 2024, 2025)
    assert 0.35 < early < 0.5 and 0.3 < late < 0.45 and early - late < 0.15


def test_consent_levels_and_withdrawn_words(corpus: ll.Corpus) -> None:
    rows = read_rows(SALTMERE / "consent.csv")
    levels = Counter(r["consent"] for r in rows if r["speaker"] != "*")
    assert levels["paraphrase"] >= 3 and levels["aggregate"] >= 3 and levels["withdrawn"] >= 2
    assert set(corpus.units.consent) == {"quote", "paraphrase", "aggregate"}
    for r in rows:
        if r["consent"] == "withdrawn":
            at = corpus.units[corpus.units.event_id == r["event_id"]]
            assert len(at) and not (at.speaker == r["speaker"]).any()
    assert (corpus.skipped.reason == "consent-withdrawn").sum() >= 2


def test_talk_is_uneven(key: list[dict[str, str]]) -> None:
    per_event: dict[str, Counter[str]] = defaultdict(Counter)
    for r in key:
        if r["kind"] in VOICED and r["speaker"]:
            per_event[r["source"]][r["speaker"]] += 1
    spoken = {s: c for s, c in per_event.items() if s.endswith((".txt", ".vtt", ".srt"))}
    assert len(spoken) == 15
    for src, counts in spoken.items():
        assert 6 <= len(counts) <= 12, src
        assert max(counts.values()) >= 3 * min(counts.values()), src
    one_thing = sum(1 for c in spoken.values() for n in c.values() if n == 1)
    assert one_thing >= 16


def test_conversation_runs_under_prompts(key: list[dict[str, str]]) -> None:
    """Within a prompt's run most turns are on its concern, but talk drifts; people react;
    some turns raise two concerns."""
    on, off = 0, 0
    for src in {r["source"] for r in key}:
        current = ""
        for r in sorted((r for r in key if r["source"] == src), key=lambda r: int(r["line"])):
            if r["kind"] == "prompt":
                current = r["theme"]
            elif r["kind"] == "turn" and current:
                on += r["theme"] == current
                off += r["theme"] != current
    assert 0.65 < on / (on + off) < 0.95
    kinds = Counter(r["kind"] for r in key)
    assert kinds["reaction"] + kinds["follow"] >= 50 and kinds["prompt"] >= 80
    assert sum(1 for r in key if r["theme2"]) >= 25


def test_no_substantive_text_is_repeated(corpus: ll.Corpus, key: list[dict[str, str]]) -> None:
    turns = {(r["source"], int(r["line"])) for r in key if r["kind"] == "turn"}
    units = corpus.units[[(s, int(line)) in turns for s, line in
                          zip(corpus.units.source, corpus.units.line)]]
    assert len(units) == len(turns)
    assert units.text.is_unique


def test_build_script_reproduces_the_files(tmp_path: Path) -> None:
    copy = rebuilt(SALTMERE, tmp_path)
    made = built_files(copy)
    kept = built_files(SALTMERE, readme=False)
    assert made == kept
    for rel in made:
        assert (copy / rel).read_bytes() == (SALTMERE / rel).read_bytes(), rel
