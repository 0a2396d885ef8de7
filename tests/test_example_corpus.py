"""The bundled example corpus (corpora/examples/riverside) loads, as its README describes."""

from __future__ import annotations

import csv
import re

import pandas as pd
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
    assert 1200 <= len(corpus.units) <= 1700
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


def test_three_events_a_year_at_both_ends(corpus: ll.Corpus) -> None:
    """A within-community comparison of 2023 with 2025 needs several events on each side."""
    years = corpus.events.assign(year=pd.to_datetime(corpus.events.date).dt.year)
    per = pd.crosstab(years.community, years.year)
    assert (per[2023] >= 3).all() and (per[2025] >= 3).all() and (per[2024] >= 1).all()


def _raisers(corpus: ll.Corpus) -> pd.DataFrame:
    """Per event: the share of its participants (by speaker; an unnamed note is its own voice)
    who raise each concern of the key."""
    key = pd.read_csv(EXAMPLE / "_key" / "themes.csv")
    u = corpus.units[corpus.units.role == "participant"]
    u = u.assign(line=u.line.astype(int)).merge(key, on=["source", "line"])
    u = u[u.theme != "housekeeping"]
    voice = u.speaker.fillna("").astype(str)
    u = u.assign(voice=voice.where(voice != "", "unit:" + u.unit_id.astype(str)),
                 year=pd.to_datetime(u.date).dt.year)
    people = u.groupby("event_id").voice.nunique()
    raised = u.drop_duplicates(["event_id", "voice", "theme"]).groupby(
        ["community", "year", "event_id", "theme"]).size().rename("n").reset_index()
    return raised.assign(share=raised.n / raised.event_id.map(people))


def test_planted_shifts_show_in_people_in_every_community(corpus: ll.Corpus) -> None:
    """The README's planted changes, counted in people per event (the trends engine's unit):
    cost of living and food banks up, buses down, in every community, 2023 against 2025."""
    r = _raisers(corpus)
    n_events = r.groupby(["community", "year"]).event_id.nunique()
    total = r.groupby(["community", "year", "theme"]).share.sum().unstack("theme", fill_value=0.0)
    mean = total.div(n_events, axis=0)
    for community in n_events.index.levels[0]:
        early, late = mean.loc[(community, 2023)], mean.loc[(community, 2025)]
        assert late["cost-of-living"] - early["cost-of-living"] >= 0.2, community
        assert late["food-banks"] > early["food-banks"], community
        assert early["buses-transport"] > late["buses-transport"], community
        assert abs(late["gp-access"] - early["gp-access"]) < 0.15, community
    mill = next(c for c in n_events.index.levels[0] if c.startswith("Millbrook"))
    assert mean.loc[(mill, 2025), "youth-mental-health"] >= 0.3
    assert mean.loc[(mill, 2023), "youth-mental-health"] <= 0.15
