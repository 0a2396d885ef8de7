"""Tests of the synthetic corpus generator (src/listenlens/synthetic.py)."""

from __future__ import annotations

import csv
import hashlib
import time
from pathlib import Path

import pytest

import listenlens as ll
from listenlens.synthetic import (
    DEFAULT_THEMES,
    FORMATS,
    Shift,
    SyntheticTruth,
    make_corpus,
    theme_vocabulary,
)


def digest(root: Path) -> str:
    """One hash over every file's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    make_corpus(tmp_path / "a", n_units=600, seed=7, formats=FORMATS)
    make_corpus(tmp_path / "b", n_units=600, seed=7, formats=FORMATS)
    make_corpus(tmp_path / "c", n_units=600, seed=8, formats=FORMATS)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_counts(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=1234, n_events=20, housekeeping_share=0.05, seed=2)
    assert isinstance(truth, SyntheticTruth)
    assert len(truth.units) == 1234
    assert len(truth.events) == 20 and truth.events.n_units.sum() == 1234
    assert (truth.units.theme == "housekeeping").sum() == round(1234 * 0.05)
    assert set(truth.units.theme) - {"housekeeping"} == set(DEFAULT_THEMES)
    assert truth.units.community.nunique() == 4
    assert truth.units.date.min().year == 2023 and truth.units.date.max().year == 2025
    per_event = truth.units.groupby("event_id").speaker.nunique()
    assert per_event.max() <= 14 + 1  # participants plus the facilitator
    key = list(csv.DictReader((tmp_path / "_key" / "themes.csv").open(encoding="utf-8")))
    assert len(key) == 1234
    assert {(r["source"], int(r["line"]), r["theme"]) for r in key} == set(
        zip(truth.units.source, truth.units.line, truth.units.theme))


@pytest.mark.parametrize("fmt", FORMATS)
def test_loads_with_exact_accounting(tmp_path: Path, fmt: str) -> None:
    truth = make_corpus(tmp_path, n_units=400, formats=(fmt,), seed=5)
    corpus = ll.load(tmp_path, progress=False)
    assert len(corpus.units) == 400
    assert len(corpus.skipped) == 0
    assert corpus.check_spans() == []
    loaded = set(zip(corpus.units.source, corpus.units.line.astype(int)))
    assert loaded == set(zip(truth.units.source, truth.units.line))
    assert set(corpus.units.consent) == {"quote"}
    facilitators = corpus.units[corpus.units.role == "facilitator"]
    assert len(facilitators) == (truth.units.role == "facilitator").sum()


def test_planted_rise_is_visible_in_the_truth(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=4000, seed=11,
                        shifts=(Shift("energy-bills", "rise", at="2024-07-01", factor=4),))
    u = truth.units[truth.units.theme != "housekeeping"]
    before = u[u.date < "2024-07-01"]
    after = u[u.date >= "2024-07-01"]
    share_before = (before.theme == "energy-bills").mean()
    share_after = (after.theme == "energy-bills").mean()
    assert share_after > 2 * share_before
    shifts = list(csv.DictReader((tmp_path / "_key" / "shifts.csv").open(encoding="utf-8")))
    assert shifts == [{"theme": "energy-bills", "kind": "rise", "community": "",
                       "at": "2024-07-01", "until": "", "factor": "4"}]


def test_spike_and_fall_for_one_community(tmp_path: Path) -> None:
    shifts = (Shift("damp-and-repairs", "spike", community="Riverside Tenants",
                    at="2024-01-01", until="2024-07-01", factor=6),
              Shift("buses", "fall", community="Eastgate Older People's Forum",
                    at="2024-01-01", factor=5))
    truth = make_corpus(tmp_path, n_units=6000, n_events=120, seed=3, shifts=shifts)
    w = truth.weights
    rt = w[(w.community == "Riverside Tenants") & (w.theme == "damp-and-repairs")]
    inside = rt[(rt.date >= "2024-01-01") & (rt.date < "2024-07-01")].weight.mean()
    outside = rt[(rt.date < "2024-01-01") | (rt.date >= "2024-07-01")].weight.mean()
    assert inside > 3 * outside
    eg = truth.shares(period="Y", by="community")
    eg = eg[(eg.group == "Eastgate Older People's Forum") & (eg.theme == "buses")]
    by_year = dict(zip(eg.period, eg.share))
    assert by_year["2023"] > 2 * by_year["2025"]
    # another community's buses are untouched
    nf = w[(w.community == "Northfield Women's Group") & (w.theme == "buses")]
    assert nf.weight.max() < 2 * nf.weight.min()


def test_utterances_are_varied(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=3000, seed=1)
    corpus = ll.load(tmp_path, progress=False)
    texts = corpus.units.text
    assert texts.nunique() > 0.6 * len(texts)
    assert all(len(theme_vocabulary(t)["sentences"]) >= 12 for t in DEFAULT_THEMES)
    lengths = texts.str.split().str.len()
    assert lengths.min() >= 2 and lengths.max() <= 60
    assert len(truth.units) == 3000


def test_fast(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    make_corpus(tmp_path, n_units=10_000, seed=0)
    assert time.perf_counter() - t0 < 10


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        make_corpus(tmp_path, themes=("weather",))
    with pytest.raises(ValueError, match="not among the themes"):
        make_corpus(tmp_path, themes=("buses", "loneliness"), shifts=(Shift("energy-bills"),))
    with pytest.raises(ValueError, match="formats"):
        make_corpus(tmp_path, formats=("pdf",))
