"""Trends: counting that respects who spoke, periods, groups, intervals, suppression, determinism."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from listenlens.errors import AnalysisError
from listenlens.trends import TABLE_COLUMNS, ThemesLike, Trends, track
from listenlens.trends.counting import period_labels
from listenlens.trends.intervals import bh_adjust, cluster_weights
from listenlens.trends.text import pct, points, span_name
from trend_fakes import FakeCorpus, FakeThemes, event, make


def cell(trends: Trends, theme: str, period: str | None = None, group: str | None = None,
         frame: str = "table") -> pd.Series:
    df = getattr(trends, frame)
    sel = df["theme_id"] == theme
    if period is not None:
        sel &= df["period"] == period
    if group is not None:
        sel &= df["group"] == group
    rows = df[sel]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_fake_themes_satisfy_protocol():
    th = make(event("e1", "A", "2024-01-02", {"a": ["t-x"]}))
    assert isinstance(th, ThemesLike)


def test_one_talkative_person_counts_once_per_event():
    # "a" raises t-x ten times; b..e raise t-y once each. Speakers: x 1/5, y 4/5.
    spec = event("e1", "A", "2024-01-02", {"a": ["t-x"] * 10, "b": ["t-y"], "c": ["t-y"],
                                             "d": ["t-y"], "e": ["t-y"]})
    th = make(spec)
    sp = track(th, by=None, k_min=1, n_boot=20)
    x = cell(sp, "t-x")
    assert (x.n, x.total, x.n_speakers, x.n_events) == (1, 5, 1, 1)
    assert x.share == pytest.approx(0.2)
    assert cell(sp, "t-y").share == pytest.approx(0.8)
    ut = track(th, by=None, k_min=1, n_boot=20, count="utterances")
    assert cell(ut, "t-x").share == pytest.approx(10 / 14)
    assert cell(ut, "t-x").n_speakers == 1  # still one person behind the ten utterances


def test_same_person_at_two_events_counts_at_each_and_facilitators_are_left_out():
    spec = (event("e1", "A", "2024-01-02", {"a": ["t-x", "t-x"], "b": ["t-y"], "f": ["t-x"]})
            + event("e2", "A", "2024-02-02", {"a": ["t-x"], "c": ["t-unassigned"]}))
    th = make(spec, role={"e1-f": "facilitator"})
    tr = track(th, by=None, k_min=1, n_boot=20)
    x = cell(tr, "t-x")
    # voices with a real theme: e1-a, e1-b, e2-a (e2-c raised no theme; e1-f is a facilitator)
    assert (x.n, x.total, x.n_events) == (2, 3, 2)


def test_unassigned_and_housekeeping_are_not_themes():
    spec = event("e1", "A", "2024-01-02", {"a": ["t-x"], "b": ["t-housekeeping"],
                                             "c": ["t-unassigned", "t-x"]})
    tr = track(make(spec), by=None, k_min=1, n_boot=10)
    assert tr.theme_ids == ("t-x",)
    assert cell(tr, "t-x").total == 2


def test_period_labels():
    d = pd.Series(pd.to_datetime(["2024-01-31", "2024-08-03", "2025-12-31"]))
    ids = pd.Series(["e1", "e2", "e3"])
    assert period_labels(d, "quarter", ids)[0].tolist() == ["2024-Q1", "2024-Q3", "2025-Q4"]
    assert period_labels(d, "month", ids)[0].tolist() == ["2024-01", "2024-08", "2025-12"]
    assert period_labels(d, "year", ids)[0].tolist() == ["2024", "2024", "2025"]
    assert period_labels(d, "event", ids)[0].tolist() == ["e1", "e2", "e3"]
    with pytest.raises(ValueError, match="period must be one of"):
        period_labels(d, "week", ids)


def test_table_columns_order_and_groups():
    spec = (event("e1", "A", "2024-01-02", {"a": ["t-x"], "b": ["t-y"]})
            + event("e2", "B", "2024-05-02", {"c": ["t-x"]}))
    tr = track(make(spec), k_min=1, n_boot=10)
    assert list(tr.table.columns) == TABLE_COLUMNS
    assert tr.periods == ("2024-Q1", "2024-Q2") and tr.groups == ("A", "B")
    assert set(tr.table["group"]) == {"A", "B"}
    assert set(tr.overall["group"]) == {"All"}
    assert set(tr.by_group["period"]) == {"all periods"}
    assert cell(tr, "t-x", group="B", frame="by_group").share == 1.0


def test_group_by_event_metadata_and_unknown_column():
    spec = (event("e1", "A", "2024-01-02", {"a": ["t-x"]})
            + event("e2", "B", "2024-05-02", {"c": ["t-y"]}))
    events = pd.DataFrame({"event_id": ["e1", "e2"],
                           "metadata": [{"funder": "council"}, {"funder": "nhs"}]})
    tr = track(make(spec, events=events), by="funder", k_min=1, n_boot=10)
    assert tr.groups == ("council", "nhs")
    with pytest.raises(AnalysisError, match="cannot group by 'colour'"):
        track(make(spec), by="colour")


def test_track_rejects_objects_without_the_protocol():
    with pytest.raises(TypeError, match="needs an object"):
        track(object())  # type: ignore[arg-type]


def test_from_frames_matches_track():
    spec = event("e1", "A", "2024-01-02", {"a": ["t-x"], "b": ["t-y"]})
    th = make(spec)
    a = Trends.from_frames(th.corpus.units, th.assignments, th.table, k_min=1, n_boot=10)
    b = track(th, k_min=1, n_boot=10)
    pd.testing.assert_frame_equal(a.table, b.table)


# --- intervals ---------------------------------------------------------------------------------
def test_rao_wu_weights_enumerate_two_events():
    # two events in one stratum: each resample keeps one of them with weight 2, half the time each
    w = cluster_weights(np.zeros(2, dtype=int), 4000, np.random.default_rng(1))
    assert set(map(tuple, w.tolist())) == {(2.0, 0.0), (0.0, 2.0)}
    assert abs((w[:, 0] == 2).mean() - 0.5) < 0.03


def test_interval_hand_computed_equal_sized_events():
    # four events of 10 people raising t-x 1, 2, 3, 4 times: with equal sizes the pooled share is
    # the mean of event shares, and the Rao-Wu bootstrap SE is the textbook s / sqrt(m), so
    # the interval is the t interval 0.25 +/- t(0.975, 3) * 0.1291 / 2 = [0.0446, 0.4554].
    spec = []
    for i, k in enumerate([1, 2, 3, 4]):
        spec += event(f"e{i}", "A", f"2024-0{i + 1}-05",
                      {f"s{j}": ["t-x" if j < k else "t-y"] for j in range(10)})
    tr = track(make(spec), by=None, period="year", k_min=1, n_boot=4000, seed=3)
    x = cell(tr, "t-x")
    assert x.share == pytest.approx(0.25)
    assert x.ci_low == pytest.approx(0.0446, abs=0.01)
    assert x.ci_high == pytest.approx(0.4554, abs=0.01)


def test_interval_from_two_events_is_honestly_wide():
    # e1: 1 of 5 raised t-x; e2: 3 of 5. Each resample keeps one event (0.2 or 0.6), SE 0.2,
    # and a t on 1 degree of freedom: two events say almost nothing about events in general.
    e1 = event("e1", "A", "2024-01-02", {s: (["t-x"] if s == "a" else ["t-y"])
                                         for s in "abcde"})
    e2 = event("e2", "A", "2024-02-02", {s: (["t-x"] if s in "abc" else ["t-y"])
                                         for s in "abcde"})
    x = cell(track(make(e1 + e2), by=None, k_min=1, n_boot=400), "t-x")
    assert x.share == pytest.approx(0.4)
    assert (x.ci_low, x.ci_high) == (0.0, 1.0)


def test_interval_is_the_point_when_all_resamples_agree_and_nan_for_one_event():
    people = {s: (["t-x"] if s in "ab" else ["t-y"]) for s in "abcde"}
    spec = event("e1", "A", "2024-01-02", people) + event("e2", "A", "2024-02-02", people)
    spec += event("e3", "A", "2024-05-02", people)
    tr = track(make(spec), by=None, k_min=1, n_boot=200)
    q1 = cell(tr, "t-x", period="2024-Q1")
    assert q1.share == pytest.approx(0.4)
    assert q1.ci_low == pytest.approx(0.4) and q1.ci_high == pytest.approx(0.4)
    q2 = cell(tr, "t-x", period="2024-Q2")  # one event: no between-event variation to resample
    assert q2.share == pytest.approx(0.4) and math.isnan(q2.ci_low) and math.isnan(q2.ci_high)


def test_bh_adjust_hand_computed():
    p = np.array([0.01, 0.02, 0.03, 0.5, np.nan])
    # m = 4: 0.01*4/1 = .04, 0.02*4/2 = .04, 0.03*4/3 = .04, 0.5*4/4 = .5
    assert bh_adjust(p)[:4].tolist() == pytest.approx([0.04, 0.04, 0.04, 0.5])
    assert math.isnan(bh_adjust(p)[4])


# --- suppression -------------------------------------------------------------------------------
def test_cells_resting_on_fewer_than_k_people_are_suppressed():
    spec = (event("e1", "A", "2024-01-02", {s: ["t-x"] for s in "abcd"})
            + event("e2", "B", "2024-01-09", {s: ["t-x"] for s in "abcdef"}))
    tr = track(make(spec), k_min=5, n_boot=50)
    small, big = cell(tr, "t-x", group="A"), cell(tr, "t-x", group="B")
    assert small.suppressed and math.isnan(small.share) and math.isnan(small.ci_low)
    assert small.n == 4  # counts stay for accounting; no percentage is shown
    assert not big.suppressed and big.share == 1.0
    assert not cell(track(make(spec), k_min=4, n_boot=50), "t-x", group="A").suppressed


# --- determinism and speed ---------------------------------------------------------------------
def _random_spec(seed: int, n_events: int = 30) -> list[tuple]:
    rng = np.random.default_rng(seed)
    spec = []
    for i in range(n_events):
        date = (pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 700))))
        people = {f"s{j}": [f"t-{rng.integers(0, 4)}"] for j in range(int(rng.integers(4, 12)))}
        spec += event(f"e{i}", "AB"[i % 2], str(date.date()), people)
    return spec


def test_seeded_runs_are_identical_and_seeds_matter():
    th = make(_random_spec(3))
    a, b = track(th, seed=7, n_boot=300), track(th, seed=7, n_boot=300)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.shifts(n_perm=499), b.shifts(n_perm=499))
    c = track(th, seed=8, n_boot=300)
    assert not a.table["ci_low"].fillna(-1).equals(c.table["ci_low"].fillna(-1))
    pd.testing.assert_series_equal(a.table["share"], c.table["share"])


def test_thousand_resamples_over_hundreds_of_events_is_fast():
    th = make(_random_spec(5, n_events=300))
    t0 = time.perf_counter()
    tr = track(th, n_boot=1000)
    _ = tr.table, tr.overall
    assert time.perf_counter() - t0 < 2.0  # typically ~0.1 s


def test_text_rounding():
    assert pct(0.314) == "31%" and pct(0.305) == "31%" and pct(0.004) == "under 1%"
    assert pct(0.996) == "over 99%" and pct(1.0) == "100%" and pct(float("nan")) == "not shown"
    assert points(0.221, 0.394) == "22–39 points"
    assert points(-0.394, -0.221) == "22–39 points"
    assert points(-0.031, 0.114) == "−3 to +11 points"
    assert span_name(["2021-Q1", "2021-Q4"]) == "2021"
    assert span_name(["2021-Q2", "2022-Q1"]) == "Q2 2021–Q1 2022"
    assert span_name(["2021-Q1", "2021-Q3"]) == "Q1–Q3 2021"
    assert span_name(["2021-01", "2021-04"]) == "January–April 2021"
    assert span_name(["e01", "e04"]) == "e01 to e04"
    assert span_name(["2021", "2022"]) == "2021–2022"


def test_repr_and_html():
    tr = track(make(_random_spec(4)), n_boot=100)
    assert repr(tr).startswith("<Trends: 4 themes")
    html = tr._repr_html_()
    assert "<table>" in html and "listenlens Trends" in html


def test_works_on_a_real_corpus_with_event_columns(small_corpus_dir):
    import listenlens as ll

    corpus = ll.load(small_corpus_dir)
    units = corpus.units
    theme = ["t-damp" if ("damp" in t.lower() or "mould" in t.lower()) else
             ("t-housekeeping" if r == "facilitator" else "t-other")
             for t, r in zip(units["text"], units["role"])]
    assignments = pd.DataFrame({"unit_id": units["unit_id"], "theme_id": theme,
                                "probability": 1.0, "primary": True})
    table = pd.DataFrame({"theme_id": ["t-damp", "t-other"], "label": ["Damp", "Other"]})
    th = FakeThemes(corpus, assignments, table)  # type: ignore[arg-type]
    tr = track(th, by="format", period="year", k_min=1, n_boot=50)
    assert tr.groups == ("drop-in", "focus group") and tr.periods == ("2024", "2025")
    damp = cell(tr, "t-damp", period="2024", group="drop-in")
    assert (damp.n, damp.total) == (1, 2)  # Amina (damp) and Dee at e2; Jo facilitates
    assert cell(track(th, by="community", k_min=1, n_boot=50), "t-damp",
                period="2024-Q1").n == 1


def test_grouping_by_a_unit_column_that_splits_events():
    spec = _random_spec(6, n_events=20)
    th = make(spec)
    units = th.corpus.units.copy()
    units["age_band"] = np.where(units["speaker_id"].str[-1].isin(list("0246")), "under 40",
                                 "40 and over")
    th2 = FakeThemes(FakeCorpus(units), th.assignments, th.table)
    tr = track(th2, by="age_band", n_boot=200)
    assert tr.groups == ("40 and over", "under 40")
    both = tr.table.groupby(["period", "theme_id"])["n"].sum()
    overall = tr.overall.set_index(["period", "theme_id"])["n"]
    pd.testing.assert_series_equal(both.sort_index(), overall.sort_index(), check_names=False)
    shown = tr.table[~tr.table.suppressed & (tr.table.events_total > 1)]
    assert (shown.ci_low <= shown.share + 1e-12).all() and (shown.share <= shown.ci_high + 1e-12).all()
    assert len(tr.shifts(n_perm=199)) > 0


def test_unit_ids_give_the_evidence_behind_a_number():
    spec = (event("e1", "A", "2024-01-02", {"a": ["t-x", "t-x"], "b": ["t-y"]})
            + event("e2", "A", "2024-05-02", {"a": ["t-x"]}))
    tr = track(make(spec), by=None, k_min=1, n_boot=10)
    ids = tr.unit_ids("t-x", period="2024-Q1")
    assert ids == ["e1-a-0", "e1-a-1"]
    assert cell(tr, "t-x", period="2024-Q1").n == 1  # two units, one person
    assert tr.unit_ids("t-x") == ["e1-a-0", "e1-a-1", "e2-a-0"]


def test_overall_and_by_group_intervals_present_when_each_community_has_one_event_a_period():
    """Each quarter holds one event of A and one of B: the design strata (quarter x community)
    have one event each, so they are collapsed to the quarter (overall) or to the community
    (by_group) rather than leaving every interval empty."""
    spec = []
    for q, (ka, kb) in enumerate([(2, 5), (3, 6), (2, 7), (4, 5)]):
        for comm, k in (("A", ka), ("B", kb)):
            people = {f"s{j}": ["t-x" if j < k else "t-y"] for j in range(8)}
            spec += event(f"{comm}{q}", comm, f"2024-{3 * q + 1:02d}-10", people)
    trends = track(make(spec), period="quarter", n_boot=400)
    ov = trends.overall
    assert ov["ci_low"].notna().all() and ov["ci_high"].notna().all()
    assert not ov["suppressed"].any()
    x = cell(trends, "t-x", "2024-Q1", frame="overall")
    assert x.share == pytest.approx(7 / 16)
    assert x.ci_low < x.share < x.ci_high
    bg = trends.by_group
    assert bg["ci_low"].notna().all()
    a = cell(trends, "t-x", group="A", frame="by_group")
    assert a.share == pytest.approx(11 / 32) and a.ci_low < a.share < a.ci_high
    # the period x community cells rest on one event: still no interval there
    assert trends.table["ci_low"].isna().all()
