"""The bundled example corpus (corpora/examples/riverside) loads, as its README describes."""

from __future__ import annotations

import csv
import re

import pytest

import listenlens as ll
from conftest import EXAMPLE

pytestmark = pytest.mark.skipif(not (EXAMPLE / "events.csv").is_file(),
                                reason="example corpus not present")


@pytest.fixture(scope="module")
def corpus() -> ll.Corpus:
    return ll.load(EXAMPLE, progress=False)


def test_loads_with_enough_variety(corpus: ll.Corpus) -> None:
    events = corpus.events
    assert events.community.nunique() >= 4
    assert len(events) >= 12
    assert (events.date.max() - events.date.min()).days >= 2 * 365
    extensions = {s.path.rsplit(".", 1)[-1] for s in corpus.source_records}
    assert extensions == {"txt", "vtt", "srt", "md", "csv", "docx"}
    assert len({s.format for s in corpus.source_records}) >= 5  # the readers used
    assert 600 <= len(corpus.units) <= 1000
    assert set(corpus.skipped.reason) <= {"non-speech", "consent-withdrawn"}


def test_consent_levels(corpus: ll.Corpus) -> None:
    rows = list(csv.DictReader((EXAMPLE / "consent.csv").open(encoding="utf-8")))
    assert {r["consent"] for r in rows} == {"quote", "paraphrase", "aggregate", "withdrawn"}
    assert sum(r["consent"] == "withdrawn" for r in rows) == 1
    assert set(corpus.units.consent) == {"quote", "paraphrase", "aggregate"}


def test_withdrawn_words_appear_in_no_unit(corpus: ll.Corpus) -> None:
    (row,) = [r for r in csv.DictReader((EXAMPLE / "consent.csv").open(encoding="utf-8"))
              if r["consent"] == "withdrawn"]
    (event,) = [e for e in corpus.event_records if e.event_id == row["event_id"]]
    said = []
    for rel in event.files:
        for line in (EXAMPLE / rel).read_text(encoding="utf-8").splitlines():
            m = re.match(rf"^(?:\[[\d:]+\] )?{re.escape(row['speaker'])}: (.+)$", line)
            if m:
                said.append(m.group(1))
    assert len(said) >= 2
    texts = list(corpus.units.text)
    for words in said:
        probe = words[:40]
        assert not any(probe in t for t in texts), probe
        assert not any(probe in t for t in corpus.texts.values()), probe
    assert not (corpus.units.speaker == row["speaker"]).any()
    assert (corpus.skipped.reason == "consent-withdrawn").sum() == len(said)


def test_units_rederive_from_spans(corpus: ll.Corpus) -> None:
    assert corpus.check_spans() == []


def test_key_matches_loaded_units(corpus: ll.Corpus) -> None:
    key = list(csv.DictReader((EXAMPLE / "_key" / "themes.csv").open(encoding="utf-8")))
    pairs = {(r["source"], int(r["line"])) for r in key}
    assert len(pairs) == len(key)
    loaded = set(zip(corpus.units.source, corpus.units.line.astype(int)))
    assert pairs == loaded
    themes = {r["theme"] for r in key}
    assert "housekeeping" in themes and 10 <= len(themes - {"housekeeping"}) <= 12


def test_a_talkative_speaker_and_recurring_speakers(corpus: ll.Corpus) -> None:
    u = corpus.units[corpus.units.role == "participant"]
    counts = u.groupby(["community", "speaker"]).size()
    assert counts.max() >= 3 * counts.median()
    recurring = u.groupby(["community", "speaker"]).event_id.nunique()
    assert (recurring >= 3).sum() >= 8
