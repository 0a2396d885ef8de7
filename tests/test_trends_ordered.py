"""Tests over every period: exact p-values by hand, stratification, steps, gaps, power."""

from __future__ import annotations

import math

import numpy as np
import pytest

from listenlens.trends import track
from listenlens.trends.ordered import n_relabellings, ordered_test, period_relabellings
from listenlens.trends.power import minimum_detectable_change
from listenlens.trends.text import mdc_points
from trend_fakes import event, make

# Two communities (strata) heard once in each of three periods, ten people per event.
X = np.array([0, 1, 2, 0, 1, 2])
STRATA = np.array([0, 0, 0, 1, 1, 1])
T = np.full(6, 10.0)


def test_exact_p_values_on_a_tiny_design_computed_by_hand():
    """Theme 1: A raises it 1, 3, 5 of 10 times, B 2, 4, 6. Residuals (count minus the
    community's own share x 10): A (-2, 0, 2), B (-2, 0, 2). Trend S = sum x r = 4 + 4 = 8;
    exact permutation variance per community sum(x - 1)^2 * sum r^2 / 2 = 2 * 8 / 2 = 8, so
    Z_trend = 8 / 4 = 2. Steps from period 1 and from 2: S = 2 + 2 = 4, variance
    2 x (2/3 x 8 / 2), Z = 4 / sqrt(16/3) = 1.732. Of the 3! x 3! = 36 orders only "both
    ascending" and "both descending" reach max |Z| = 2 (no step order can: its |S| <= 4): p =
    2/36.

    Theme 2: A and B both 1, 1, 4 (residuals -1, -1, 2). Z_trend = 6 / sqrt(12) = 1.732, step
    from period 2: Z = 4 / 2 = 2 (the observed maximum), from period 1: Z = 1. Orders reaching
    |Z| >= 2: the 2 in the last place in both communities (2 x 2 orders) or in the first place
    in both (2 x 2); no trend order can (|S| <= 6 < 2 sqrt(12)): p = 8/36.
    """
    N = np.array([[1, 1], [3, 1], [5, 4], [2, 1], [4, 1], [6, 4]], dtype=float)
    r = ordered_test(X, STRATA, N, T, n_perm=999, rng=np.random.default_rng(0))
    assert r.exact and r.n_relabellings == 36
    assert r.z_trend == pytest.approx([2.0, math.sqrt(3)])
    assert r.z_step == pytest.approx([math.sqrt(3), 2.0])
    assert r.p_value == pytest.approx([2 / 36, 8 / 36])
    assert r.step_at[1] == 2
    # theme 2's step wins by 4 - 3 = 1, less than the penalty 2 ln 2 for choosing among 2 cuts
    assert list(r.form) == ["trend", "trend"]
    assert list(r.direction) == [1.0, 1.0]


def test_relabellings_stay_within_communities_and_enumerate_distinct_orders():
    x = np.array([0, 0, 1, 0, 1, 1])
    s = np.array([0, 0, 0, 1, 1, 1])
    assert n_relabellings(x, s) == 3 * 3
    X_, exact = period_relabellings(x, s, 99, np.random.default_rng(0))
    assert exact and len({tuple(row) for row in X_}) == 9
    for row in X_:  # each community keeps its multiset of periods
        assert sorted(row[:3]) == [0, 0, 1] and sorted(row[3:]) == [0, 1, 1]
    X_, exact = period_relabellings(x, s, 5, np.random.default_rng(0))
    assert not exact and X_.shape == (5, 6)
    assert all(sorted(row[:3]) == [0, 0, 1] for row in X_)


def test_a_difference_between_communities_is_not_a_change():
    """A always raises x at 60%, B at 10%; A is heard early, B late. Pooled, x 'falls'; within
    communities nothing changes."""
    x = np.array([0, 0, 1, 1, 2, 1, 2, 2])
    s = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    N = np.array([[6], [6], [6], [6], [6], [1], [1], [1]], dtype=float)
    r = ordered_test(x, s, N, np.full(8, 10.0), n_perm=999, rng=np.random.default_rng(0))
    assert r.z_trend[0] == 0 and r.p_value[0] == 1.0
    pooled = ordered_test(x, np.zeros(8), N, np.full(8, 10.0), n_perm=999,
                          rng=np.random.default_rng(0))
    assert pooled.z_trend[0] < -1 and pooled.p_value[0] < 1.0


def test_a_step_is_reported_with_when_it_happened():
    """Three communities, five years, twenty people an event: 10% until 2022, 60% from 2023."""
    spec = []
    for c in "ABC":
        for y in range(2020, 2025):
            k = 12 if y >= 2023 else 2
            spec += event(f"{c}{y}", c, f"{y}-05-01",
                          {f"s{j}": ["t-x" if j < k else "t-y"] for j in range(20)})
    sh = track(make(spec, labels={"t-x": "Cost of living", "t-y": "Damp"}),
               period="year").shifts(n_perm=999, mdc=False)
    row = sh[(sh.scope == "overall") & (sh.theme_id == "t-x")].iloc[0]
    assert row.form == "step" and row.step_at == "2023" and row.status == "emerging"
    assert row.sentence.startswith("Cost of living rose sharply from 2023: from 10% of "
                                   "speakers in 2020–2021 to 60% in 2023–2024")


def test_a_year_without_events_keeps_its_place_in_the_trend():
    spec = []
    for c in "AB":
        for y, k in ((2020, 1), (2021, 2), (2024, 5)):
            spec += event(f"{c}{y}", c, f"{y}-05-01",
                          {f"s{j}": ["t-x" if j < k else "t-y"] for j in range(10)})
    trends = track(make(spec), period="year", k_min=1)
    from listenlens.trends.shifts import positions

    assert positions(trends.evidence).tolist() == [2020, 2021, 2024]
    r = ordered_test(np.array([2020, 2021, 2024] * 2), np.repeat([0, 1], 3),
                     np.array([[1], [2], [5]] * 2, dtype=float), np.full(6, 10.0), n_perm=99,
                     rng=np.random.default_rng(0))
    gapless = ordered_test(np.array([0, 1, 2] * 2), np.repeat([0, 1], 3),
                           np.array([[1], [2], [5]] * 2, dtype=float), np.full(6, 10.0),
                           n_perm=99, rng=np.random.default_rng(0))
    # the real-time score (gap kept) fits this late jump better than evenly spaced periods
    assert r.z_trend[0] > gapless.z_trend[0]


def test_mdc_falls_as_events_are_added():
    """Five communities over five years: one, two, then four events per community a year."""
    rng = np.random.default_rng(0)
    mdcs = []
    for per in (1, 2, 4):
        x = np.repeat(np.arange(2021, 2026), 5 * per)
        s = np.tile(np.arange(5), 5 * per)
        mdcs.append(minimum_detectable_change(x, s, rng.integers(6, 13, len(x)), base=0.2,
                                              n_sim=120, n_perm=199, seed=0).mdc)
    assert mdcs[0] > mdcs[1] > mdcs[2] > 0.05
    assert mdcs[0] < 0.6


def test_mdc_is_nan_when_no_change_can_be_detected():
    # one community, two events: two orders, so no p-value can be below 0.5
    p = minimum_detectable_change(np.array([0, 1]), np.array([0, 0]), np.array([10, 10]),
                                  base=0.2, n_sim=50, n_perm=99)
    assert math.isnan(p.mdc) and p.n_events == 2 and p.curve[-1][1] == 0.0


def test_mdc_in_shifts_metadata_and_the_no_clear_change_sentence():
    spec = []
    for ci, c in enumerate("ABCD"):
        for y in range(2021, 2025):
            k = (2, 3, 4, 3)[(y + ci) % 4]  # every year 12 of 40 people: no change at all
            spec += event(f"{c}{y}", c, f"{y}-04-01",
                          {f"s{j}": ["t-x" if j < k else "t-y"] for j in range(10)})
    sh = track(make(spec, labels={"t-x": "Bus routes", "t-y": "Damp"}),
               period="year").shifts(n_perm=999)
    power = sh.attrs["power"]
    assert power["overall"]["n_events"] == 16 and power["overall"]["n_strata"] == 4
    assert set(power["groups"]) == {"A", "B", "C", "D"}
    overall = sh[sh.scope == "overall"]
    assert (overall["mdc"] == power["overall"]["mdc"]).all()
    row = overall[overall.theme_id == "t-x"].iloc[0]
    assert row.status == "steady" and abs(row["diff"]) < row.mdc
    assert row.sentence.endswith(f"With the events held, changes smaller than about "
                                 f"{mdc_points(row.mdc)} points could not be told from chance.")
    a = sh[(sh.group == "A") & (sh.theme_id == "t-x")].iloc[0]
    assert a.mdc == power["groups"]["A"]["mdc"] or math.isnan(a.mdc)
    assert track(make(spec), period="year").shifts(n_perm=99, mdc=False)["mdc"].isna().all()
