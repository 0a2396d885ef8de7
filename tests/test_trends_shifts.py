"""Shifts and community comparison: planted shifts found, steady controls left alone, the
evidence rule, honest sentences."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from listenlens.trends import Trends, track, windows
from listenlens.trends.shifts import SHIFT_COLUMNS, _classify
from trend_fakes import event, make, trends_benchmark


def _bench():
    return trends_benchmark("bench_trends")


@pytest.fixture(scope="module")
def planted():
    bench = _bench()
    u, a, table = bench.generate(0)
    trends = Trends.from_frames(u, a, table, seed=0)
    return bench, trends, trends.shifts()


def test_windows_are_thirds():
    assert windows([str(i) for i in range(12)]) == (["0", "1", "2", "3"], ["8", "9", "10", "11"])
    assert windows(["a", "b", "c"]) == (["a"], ["c"])
    assert windows(["a"]) == ([], [])


def test_planted_shifts_found_and_steady_controls_not_flagged(planted):
    bench, _, sh = planted
    found, alarms = bench.score(sh)
    assert found == [True, True, True]  # rise emerging, fall declining, Harbour spike emerging
    assert sum(alarms) == 0
    assert list(sh.columns) == SHIFT_COLUMNS
    overall = sh[sh["scope"] == "overall"].set_index("theme_id")
    for t in bench.STEADY:
        assert overall.loc[t, "status"] == "steady"
    rise = overall.loc["t-rise"]
    assert rise["direction"] == "up" and rise["ci_low"] > 0 and rise["p_adj"] < 0.05
    assert rise["early"] == "2021" and rise["late"] == "2023"


def test_shift_sentences_state_change_interval_and_communities(planted):
    _, _, sh = planted
    rise = sh[(sh.scope == "overall") & (sh.theme_id == "t-rise")].iloc[0]
    s = rise.sentence
    assert s.startswith("Cost of living rose from ")
    assert f"{round(rise.share_early * 100)}% of speakers in 2021" in s
    assert f"to {round(rise.share_late * 100)}% in 2023" in s
    lo, hi = round(rise.ci_low * 100), round(rise.ci_high * 100)
    assert f"(95% interval for the rise: {lo}–{hi} points)" in s
    k = rise.groups_agreeing
    assert s.endswith("it rose in " + ("all 5" if k == 5 else f"{k} of 5") + " communities.")
    fall = sh[(sh.scope == "overall") & (sh.theme_id == "t-fall")].iloc[0]
    assert fall.sentence.startswith("Bus routes fell from ")
    harbour = sh[(sh.group == "Harbour") & (sh.theme_id == "t-spike")].iloc[0]
    # planted as a jump in the last year: a step ("rose sharply from ...") or a trend
    assert harbour.sentence.startswith(("In Harbour, damp and mould rose from ",
                                        "In Harbour, damp and mould rose sharply from "))
    if harbour.form == "step":
        assert harbour.step_at in ("2022-Q4", "2023-Q1", "2023-Q2")
    steady = sh[sh.status == "steady"].sentence
    assert len(steady) > 0
    for sent in steady:
        assert " rose from " not in sent and " fell from " not in sent


def test_uncertain_changes_are_worded_as_uncertain(planted):
    _, _, sh = planted
    weak = sh[sh.strength == "weak"]
    assert len(weak) > 0
    for r in weak.itertuples():
        assert r.status == "steady"
        assert ("may have risen" in r.sentence) == (r.diff > 0)
        assert "the evidence is weak" in r.sentence or "rests on fewer than" in r.sentence
    for r in sh[sh.strength == "none"].itertuples():
        assert "may have" not in r.sentence


def test_one_event_cannot_make_a_shift():
    """t-x never raised early; late, raised by all 6 people at one event only."""
    spec = []
    for i in range(6):
        people = {f"s{j}": ["t-x" if i == 5 else "t-y"] for j in range(6)}
        spec += event(f"e{i}", "A", f"202{1 if i < 3 else 2}-0{1 + i % 3}-10", people)
    trends = track(make(spec), by=None, period="year")
    sh = trends.shifts(n_perm=999, test="permutation")
    x = sh[sh.theme_id == "t-x"].iloc[0]
    assert x.share_early == 0 and x.share_late == pytest.approx(6 / 18)
    # events are the unit: moving the one event between windows gives as large a change
    assert x.p_value == 1.0 and x.status == "steady"
    # the moderated test (the default) sees one odd event as noise too
    x = trends.shifts(n_perm=999).set_index("theme_id").loc["t-x"]
    assert x.p_value > 0.05 and x.status == "steady"


def test_evidence_rule():
    frame = pd.DataFrame({
        "diff": [0.2, 0.2, -0.2, 0.2], "p_value": 0.001, "p_adj": 0.01,
        "n_events_late": [1, 2, 2, 5], "n_speakers_late": [9, 2, 5, 3],
        "n_events_early": [2, 2, 1, 0], "n_speakers_early": [3, 3, 3, 0]})
    _classify(frame, np.zeros(4, dtype=bool), alpha=0.05, min_events=2, min_speakers=3)
    # one event late / two people late / one event early: no shift; the last one passes
    assert frame["status"].tolist() == ["steady", "steady", "steady", "emerging"]
    assert frame["evidence_short"].tolist() == [True, True, True, False]


def test_one_voice_cannot_make_a_shift():
    # late: the same single person per event raises t-x many times; utterance count would soar
    spec = []
    for i in range(8):
        late = i >= 4
        people = {f"s{j}": ["t-y"] for j in range(6)}
        if late and i in (4, 5):
            people["s0"] = ["t-x"] * 20
        spec += event(f"e{i}", "A", f"202{1 if not late else 2}-0{1 + i % 4}-10", people)
    sh = track(make(spec), by=None, period="year").shifts(alpha=1.0, n_perm=99)
    x = sh[sh.theme_id == "t-x"].iloc[0]
    # two people in all: too few to test (not "steady", which means tested)
    assert x.n_speakers_late == 2 and x.status == "insufficient" and x.reason == "raisers"
    assert math.isnan(x.p_value) and math.isnan(x.p_adj)
    assert x.sentence == ("T-X was raised by too few people (2 people in 2021 and 2022 "
                          "together) to say whether it changed.")


def test_insufficient_windows_are_reported_not_computed():
    spec = (event("e1", "A", "2021-02-01", {s: ["t-x"] for s in "abc"})
            + event("e2", "A", "2022-02-01", {s: ["t-x"] for s in "abcdefg"}))
    sh = track(make(spec), by=None, period="year").shifts(n_perm=99)
    x = sh.iloc[0]
    assert x.status == "insufficient" and math.isnan(x.share_early) and math.isnan(x.p_value)
    assert x.reason == "people"
    assert x.sentence == ("Too few people to tell whether T-X changed (3 people in 2021, 7 in "
                          "2022; at least 5 are needed in each), so no share or change is shown.")


def _shares_event(eid: str, community: str, date: str, k: int, n: int = 10) -> list[tuple]:
    """One event of ``n`` people, the first ``k`` raising t-x and the others t-y."""
    return event(eid, community, date, {f"s{j}": ["t-x" if j < k else "t-y"] for j in range(n)})


def test_too_few_events_is_its_own_verdict_and_not_in_the_bh_family():
    # A: 3 events in 2021, 3 in 2023 (testable); B: 1 event in 2021, 2 in 2023
    spec = []
    for i, k in enumerate([2, 3, 2]):
        spec += _shares_event(f"a1{i}", "A", f"2021-0{i + 1}-10", k)
    for i, k in enumerate([7, 8, 7]):
        spec += _shares_event(f"a3{i}", "A", f"2023-0{i + 1}-10", k)
    spec += _shares_event("b1", "B", "2021-05-10", 3)
    spec += _shares_event("b2", "B", "2022-05-10", 3)
    spec += _shares_event("b30", "B", "2023-05-10", 4)
    spec += _shares_event("b31", "B", "2023-06-10", 5)
    sh = track(make(spec, labels={"t-x": "Bus routes", "t-y": "Damp"}),
               period="year").shifts(n_perm=999)
    b = sh[(sh.group == "B") & (sh.theme_id == "t-x")].iloc[0]
    assert b.status == "insufficient" and b.reason == "events"
    assert (b.events_early, b.events_late) == (1, 2)
    assert math.isnan(b.p_value) and math.isnan(b.p_adj) and math.isnan(b.ci_low)
    assert b.share_early == pytest.approx(0.3)  # enough people: the shares are still shown
    assert b.sentence == ("Too few events in B to tell whether bus routes changed (1 event in "
                          "2021, 2 in 2023; at least 2 are needed in each).")
    assert b.uncertainty == "too few events to test"
    # two BH families: the overall rows (primary) and the group rows (secondary), each made
    # of exactly its tested rows
    tested = sh[sh.status != "insufficient"]
    assert tested.p_value.notna().all() and sh[sh.status == "insufficient"].p_adj.isna().all()
    from listenlens.trends.intervals import storey_adjust

    assert set(sh.family) == {"primary", "secondary"}
    assert (sh.family == "primary").tolist() == (sh.scope == "overall").tolist()
    for fam in ("primary", "secondary"):
        rows = tested[tested.family == fam]
        assert len(rows) >= 1
        assert np.allclose(rows.p_adj, storey_adjust(rows.p_value.to_numpy()))
    a = sh[(sh.group == "A") & (sh.theme_id == "t-x")].iloc[0]
    assert a.status in ("steady", "emerging") and not math.isnan(a.p_value)


def test_within_community_permutation_finds_a_shift_that_pooling_hides():
    """x rises 20 points in A and in B, but A (which raises x a lot) is heard mostly early and
    B (which rarely does) mostly late: pooled, x even seems to fall."""
    spec = []
    for i, k in enumerate([6, 6, 7, 6, 6]):
        spec += _shares_event(f"a1{i}", "A", f"2021-{i + 1:02d}-10", k)
    for i, k in enumerate([8, 9]):
        spec += _shares_event(f"a3{i}", "A", f"2023-{i + 1:02d}-10", k)
    for i, k in enumerate([1, 1]):
        spec += _shares_event(f"b1{i}", "B", f"2021-{i + 6:02d}-10", k)
    for i, k in enumerate([3, 3, 4, 3, 2]):
        spec += _shares_event(f"b3{i}", "B", f"2023-{i + 3:02d}-10", k)
    spec += _shares_event("a2", "A", "2022-03-10", 7) + _shares_event("b2", "B", "2022-03-10", 2)
    trends = track(make(spec, labels={"t-x": "Cost of living", "t-y": "Damp"}), period="year")
    pooled = trends.shifts(overall="pooled")
    within = trends.shifts()
    p = pooled[(pooled.scope == "overall") & (pooled.theme_id == "t-x")].iloc[0]
    w = within[(within.scope == "overall") & (within.theme_id == "t-x")].iloc[0]
    assert p.method == "pooled" and p["diff"] < 0 and p.status == "steady"
    assert w.method == "within groups"
    # A: 0.62 -> 0.85 (weight 50*20/70), B: 0.10 -> 0.30 (weight 20*50/70): equal weights
    assert w.share_early == pytest.approx((0.62 + 0.10) / 2)
    assert w.share_late == pytest.approx((0.85 + 0.30) / 2)
    assert w["diff"] == pytest.approx(0.215)
    # all periods: 168 x 168 orders within communities, so 9999 random ones; none as extreme
    perm = trends.shifts(test="permutation").set_index(["scope", "theme_id"])
    assert perm.loc[("overall", "t-x"), "p_value"] == pytest.approx(1 / 10000)
    assert w.p_value < 0.001 and w.form == "trend"
    assert w.status == "emerging" and w.ci_low > 0 and w.groups_agreeing == 2
    assert w.sentence.startswith("Cost of living rose from 36% of speakers in 2021 to ")
    assert " in 2023, comparing each community with itself (95% interval for the rise: " in (
        w.sentence)
    assert w.sentence.endswith("; it rose in all 2 communities.")
    with pytest.raises(ValueError, match="overall must be"):
        trends.shifts(overall="nope")


def test_compare_finds_a_distinctive_community():
    rng = np.random.default_rng(2)
    spec = []
    for i in range(40):
        comm = ["Riverside", "Northside", "Eastfield", "Harbour"][i % 4]
        p_damp = 0.6 if comm == "Riverside" else 0.1
        people = {f"s{j}": ["t-damp" if rng.random() < p_damp else "t-bus"] for j in range(8)}
        spec += event(f"e{i}", comm, f"2024-{1 + i % 12:02d}-05", people)
    cmp = track(make(spec, labels={"t-damp": "Damp and mould", "t-bus": "Bus routes"})).compare(
        n_perm=1999)
    row = cmp[(cmp.group == "Riverside") & (cmp.theme_id == "t-damp")].iloc[0]
    assert row.status == "more" and row.ci_low > 0
    assert row.sentence.startswith("Damp and mould was raised more in Riverside: by ")
    assert "% of speakers against " in row.sentence and "% elsewhere (95% interval" in row.sentence
    others = cmp[(cmp.group != "Riverside") & (cmp.theme_id == "t-damp")]
    assert set(others.status) <= {"less", "similar"}
    assert (cmp.p_adj.dropna() >= cmp.p_value.dropna()).all()


def test_compare_needs_two_groups():
    spec = event("e1", "A", "2024-01-02", {"a": ["t-x"]})
    assert track(make(spec), k_min=1).compare().empty


@pytest.fixture(scope="module")
def example():
    """The bundled example corpus with the true theme of every unit (its key) as the themes."""
    bench = _bench()
    trends = bench.example_trends()
    return bench, trends, trends.shifts()


def test_example_key_every_planted_shift_found_and_nothing_else(example):
    bench, _, sh = example
    missed, extra = bench.score_example(sh)
    assert missed == [] and extra == []
    overall = sh[sh.scope == "overall"]
    assert (overall.family == "primary").all() and len(overall) == 12
    # per community (the secondary family): only planted themes may be flagged
    groups = sh[(sh.scope == "group") & sh.status.isin(["emerging", "declining"])]
    assert len(groups) >= 5
    assert set(groups.theme_id) <= set(bench.EXAMPLE_SHIFTS)
    assert not ((groups.theme_id == "t-digital-exclusion")
                & groups.group.str.startswith("Millbrook")).any()  # steady there (README)
    cost = overall[overall.theme_id == "t-cost-of-living"].iloc[0]
    assert cost.sentence.startswith(f"Cost of living rose from {round(cost.share_early * 100)}% "
                                    "of speakers in 2023 to ")


def test_saltmere_key_every_planted_shift_found_and_nothing_else():
    """The held-out corpus with its key: the four planted shifts, with the step's year; GP access
    (planted 45% -> 35%, a real fall) may be flagged; nothing else is."""
    bench = _bench()
    sh = bench.example_trends(path=bench.SALTMERE).shifts()
    missed, extra = bench.score_example(sh, bench.SALTMERE_SHIFTS, bench.SALTMERE_EITHER)
    assert missed == [] and extra == []
    overall = sh[sh.scope == "overall"].set_index("theme_id")
    housing = overall.loc["t-housing-conditions"]  # planted: a step up from 2023
    assert housing.form == "step" and housing.step_at == "2023"
    assert housing.sentence.startswith("Housing conditions rose sharply from 2023: ")
    flagged = sh[(sh.scope == "group") & sh.status.isin(["emerging", "declining"])]
    assert set(flagged.theme_id) <= set(bench.SALTMERE_SHIFTS) | set(bench.SALTMERE_EITHER)


def test_the_briefing_states_the_mdc(example):
    from listenlens.briefing.build import _power
    from listenlens.trends.power import power_sentence
    from listenlens.trends.text import mdc_points

    _, trends, sh = example
    power = sh.attrs["power"]
    o = power["overall"]
    assert o["n_events"] == 31 and o["n_periods"] == 3 and o["n_strata"] == 4
    assert len(o["design"]) == 31 and {len(r) for r in o["design"]} == {4}
    block = _power(trends)  # what build_content puts in the evidence block
    text = block["sentence"]
    assert text == power_sentence(power) and block["mdc"] == o["mdc"]
    assert block["design"] == o["design"] and block["period"] == "year"
    assert text == (f"With 31 events over 3 years (about 10 a year), changes smaller than about "
                    f"{mdc_points(o['mdc'])} points in the share of people raising a subject "
                    "could not be told from chance.")
    # the MDC recomputes from the recorded design alone (what a verifier would do)
    import numpy as np

    from listenlens.trends.power import minimum_detectable_change

    design = block["design"]
    x = np.array([int(r[2]) for r in design])
    strata = np.unique([r[1] for r in design], return_inverse=True)[1]
    T = np.array([r[3] for r in design])
    again = minimum_detectable_change(x, strata, T, base=o["base"], alpha=o["alpha"],
                                      n_sim=o["n_sim"], n_perm=o["n_perm"], seed=o["seed"])
    assert again.mdc == o["mdc"]


def test_overall_adjustment_does_not_pay_for_community_rows(planted):
    """The primary family is the overall rows alone: adding or dropping the per-community rows
    leaves every overall adjusted p-value unchanged (with one pooled family it would not)."""
    from listenlens.trends.intervals import bh_adjust, storey_adjust

    _, trends, sh = planted
    alone = trends.shifts(by_group=False, mdc=False)
    both = sh[sh.scope == "overall"].set_index("theme_id")
    alone = alone.set_index("theme_id").loc[both.index]
    assert np.allclose(alone.p_value, both.p_value) and np.allclose(alone.p_adj, both.p_adj)
    assert np.allclose(both.p_adj, storey_adjust(both.p_value.to_numpy()))
    plain = trends.shifts(mdc=False, adjust="bh")
    plain = plain[plain.scope == "overall"].set_index("theme_id").loc[both.index]
    assert np.allclose(plain.p_adj, bh_adjust(both.p_value.to_numpy()))
    pooled = bh_adjust(sh.p_value.to_numpy())[(sh.scope == "overall").to_numpy()]
    assert (pooled >= both.p_adj.to_numpy() - 1e-12).all() and (pooled > both.p_adj).any()
