"""Shift detection: which themes rose or fell, overall and within each group.

Windows: the ordered periods are cut into an *early* window (the first third of the periods,
at least one) and a *late* window (the last third); with four periods they are the two halves,
with two or three the first and the last. The effect size is the late pooled share minus the
early pooled share, in percentage points. Stating the change as pooled thirds rather than as a
slope keeps the claim in the words a reader checks ("from 4% in 2021 to 31% in 2023"); whether
it is a change at all is tested over every period (below). Only periods with events count, so
on the example corpus (events 2023-2025) ``period="year"`` gives 2023 against 2025.

Overall change, within communities: when the groups are events' (``by="community"``, the
default), the overall row compares each community with itself and averages: per community, the
late share minus the early share, weighted by ``Te Tl / (Te + Tl)`` (``Te``, ``Tl`` the people
behind the community's early and late shares; half their harmonic mean, so a community weighs
much only when *both* windows heard many of its people). ``share_early`` / ``share_late`` of
these rows are the matching weighted averages (shares standardised to one community mix; they can
differ from the pooled shares of ``trends.overall``) and the sentence says "comparing each
community with itself". Why: communities differ strongly in what they raise and are rarely heard
equally often in both windows; a pooled comparison then mixes a change in *who* was heard with a
change in *what* they raised, and a permutation that moves events between communities counts the
differences between communities as noise. Only communities heard in both windows inform the
overall row. ``overall="pooled"`` restores the pooled comparison (``method`` says which was used;
with ``by=None`` or groups that split events it is always pooled).

Test: the windows state the change; the p-value uses **every period**. By default
(``test="trend"``, :func:`~listenlens.trends.moderated.trend_test`) it is the two-sided t test
of the within-community slope on the period position, its noise from a community + period fit
whose over-dispersion is shrunk across the analysis's themes (empirical Bayes; an outlier theme
keeps its own). ``test="moderated"`` takes the larger of the slope and every step statistic,
referred to its multivariate t; ``test="permutation"`` (:mod:`~listenlens.trends.ordered`) does
the same by reordering periods within each community (exact when the reorderings can be
enumerated: two communities heard once in each of three years give 36; else 9,999 random ones).
``form`` says which describes the change ("step": the sentence says "rose sharply from 2024",
``step_at`` the period), ``z_trend`` / ``z_step`` the statistics.

Interval of the windows' change: for pooled rows a bootstrap t interval resampling events within
each window; for within-community rows a t interval on (events - communities - 1) degrees of
freedom whose standard error is the larger of the bootstrap's (events resampled within community
x window) and the spread of the windows' permutation distribution, because the bootstrap cannot
see the variation of a community heard at one event in a window (see
:func:`~listenlens.trends.intervals.within_strata_test`).

Families: the overall rows are the *primary* family, the per-group rows the *secondary* one
(``family``); each is adjusted on its own, so the overall claims do not pay for tests no briefing
states: by default (``adjust="storey"``) with the adaptive Benjamini-Hochberg procedure of Storey,
Taylor and Siegmund (2004), whose estimate of the share of unchanged themes is
``(1 + #{p > 0.5}) / (m / 2)``, and never below a row's own p-value; ``adjust="bh"`` gives plain
Benjamini-Hochberg (see ``docs/methods.md``).

Power: ``mdc`` is the minimum detectable change at 80% power on the corpus's own design
(:mod:`~listenlens.trends.power`; overall rows: the whole design, group rows: the group's),
``attrs["power"]`` the details. A "no clear change" (or "may have") sentence whose observed change
is below it says so: "With the events held, changes smaller than about 30 points could not be
told from chance."

Insufficient is a verdict, not a test: a row is ``insufficient`` (``reason``) when a window has
fewer than ``k_min`` people (``"people"``; shares suppressed too), fewer than ``min_events``
events (``"events"``), when fewer than ``min_speakers`` people raised the theme in both windows
together (``"raisers"``), or when no community was heard in both windows or in two periods (``"overlap"``). Such a
row has no p-value, is *not* in a Benjamini-Hochberg family, and its sentence says plainly that
there is too little to tell ("Too few events in Eastgate to tell whether bus routes changed (2
events in 2023, 1 in 2025; ...)").

A theme is *emerging* when the adjusted p-value is below ``alpha``, the test's direction is up and
the windows' share rose, and at least
``min_events`` events and ``min_speakers`` people raised it in the late window (*declining*: fell,
with that evidence in the early window). Anything else that was tested is *steady*: tested, no
clear change. ``strength`` is "clear" for emerging/declining, "weak" when the change is not
established but points one way (unadjusted p below ``2 * alpha``, or significant but short of the
evidence rule: the sentence then says "may have risen/fallen"), and "none" otherwise.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..phrasing import plural
from ..validation import check_choice
from .counting import Evidence
from .intervals import bh_adjust, collapse, difference_test, storey_adjust, within_strata_test
from .moderated import TESTS, shifts_test
from .power import Power, minimum_detectable_change
from .text import mdc_points, pct, period_name, points, span_name

__all__ = ["windows", "find_shifts", "positions", "SHIFT_COLUMNS"]

SHIFT_COLUMNS = [
    "scope", "group", "theme_id", "label", "status", "reason", "direction", "strength", "early", "late",
    "share_early", "share_late", "diff", "ci_low", "ci_high", "p_value", "p_adj",
    "n_events_early", "n_speakers_early", "n_events_late", "n_speakers_late", "events_early",
    "events_late", "people_early", "people_late", "groups_agreeing", "groups_compared", "method",
    "sentence", "uncertainty", "family", "form", "step_at", "z_trend", "z_step", "mdc",
]


def windows(periods: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """Early and late windows: the first and last third of the periods (at least one each).

    >>> windows([f"p{i}" for i in range(12)])
    (['p0', 'p1', 'p2', 'p3'], ['p8', 'p9', 'p10', 'p11'])
    >>> windows(["a", "b", "c", "d"]), windows(["a", "b"])
    ((['a', 'b'], ['c', 'd']), (['a'], ['b']))
    """
    p = list(periods)
    if len(p) < 2:
        return [], []
    w = max(1, min(len(p) // 2, math.ceil(len(p) / 3)))
    return p[:w], p[-w:]


def positions(ev: Evidence) -> np.ndarray:
    """Calendar position of each period of ``ev.periods``: the year, year x 4 + quarter or
    year x 12 + month (so a period without events leaves a gap), or the event's order."""
    out = []
    for i, label in enumerate(ev.periods):
        year, _, part = str(label).partition("-")
        if ev.period == "year" and year.isdigit():
            out.append(int(year))
        elif ev.period == "quarter" and year.isdigit() and part[1:].isdigit():
            out.append(int(year) * 4 + int(part[1:]) - 1)
        elif ev.period == "month" and year.isdigit() and part.isdigit():
            out.append(int(year) * 12 + int(part) - 1)
        else:
            out.append(i)
    return np.array(out, dtype=np.int64)


def _family(ev: Evidence, mask: np.ndarray, keys: np.ndarray, late_rows: np.ndarray,
            strata_rows: np.ndarray | None, *, n_boot: int, n_perm: int, level: float,
            rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One comparison of late against early over the rows in ``mask``, clustered by ``keys``.

    With ``strata_rows`` (the event-level group of each row) the comparison is made within
    strata (:func:`~listenlens.trends.intervals.within_strata_test`); without, pooled.
    """
    k = keys[mask]
    cluster_key = k * 2 + late_rows[mask]
    extra = [] if strata_rows is None else [strata_rows[mask].astype(float)]
    uniq, sums = collapse(cluster_key, ev.N[mask], ev.P[mask], ev.T[mask], ev.S[mask],
                          np.ones(int(mask.sum())), *extra)
    N, P, T, S, _ = sums[:5]
    late = (uniq % 2).astype(bool)
    opts = {"n_boot": n_boot, "n_perm": n_perm, "level": level, "rng": rng}
    if strata_rows is not None:  # every row of one event has one group: the mean is that group
        strata = (sums[5] / sums[4]).round().astype(np.int64)
        d = within_strata_test(late, N, T, strata, **opts)
    else:
        d = difference_test(late, N, T, **opts)
    early = ~late
    J = N.shape[1]
    return {
        "share_early": d.share_a, "share_late": d.share_b, "diff": d.diff,
        "ci_low": d.ci_low, "ci_high": d.ci_high,
        "n_events_early": (N[early] > 0).sum(axis=0), "n_events_late": (N[late] > 0).sum(axis=0),
        "n_speakers_early": P[early].sum(axis=0), "n_speakers_late": P[late].sum(axis=0),
        "events_early": np.full(J, int((early & (T > 0)).sum())),
        "events_late": np.full(J, int((late & (T > 0)).sum())),
        "people_early": np.full(J, S[early].sum()),
        "people_late": np.full(J, S[late].sum()),
    }


def find_shifts(ev: Evidence, *, k_min: int = 5, n_boot: int = 1000, n_perm: int = 9999,
                level: float = 0.95, alpha: float = 0.05, min_events: int = 2,
                min_speakers: int = 3, by_group: bool = True, seed: int = 0,
                overall: str = "within", mdc: bool = True,
                test: str = "trend", adjust: str = "storey") -> pd.DataFrame:
    """The shifts table (columns :data:`SHIFT_COLUMNS`); see the module docstring.

    ``overall="within"`` (the default) compares early with late within each group for the
    overall rows when groups are events' (see the module docstring); ``"pooled"`` pools all
    events of a window whatever their group. ``mdc=False`` skips the power simulation (the
    ``mdc`` column is then NaN and ``attrs["power"]`` empty). ``test``: "trend" (the default:
    the within-community slope with noise borrowed across themes), "moderated" (the larger of
    the slope and every step, :mod:`~listenlens.trends.moderated`) or "permutation"
    (:mod:`~listenlens.trends.ordered`). ``adjust``: "storey" (the default: adaptive
    Benjamini-Hochberg, never below a row's own p) or "bh" (Benjamini-Hochberg), within each
    family.
    """
    check_choice("test", test, TESTS)
    check_choice("adjust", adjust, ("storey", "bh"))
    check_choice("overall", overall, ("within", "pooled"))
    early_p, late_p = windows(ev.periods)
    if not early_p:
        out = pd.DataFrame(columns=SHIFT_COLUMNS)
        out.attrs["power"] = {}
        return out
    rng = np.random.default_rng([seed, 1])
    period = ev.rows["period"].to_numpy()
    in_early, in_late = np.isin(period, early_p), np.isin(period, late_p)
    in_window = in_early | in_late
    event_codes = ev.event_codes
    group = ev.rows["group"].to_numpy()
    group_codes = pd.Categorical(group, categories=list(ev.groups)).codes.astype(np.int64)
    multi = ev.by is not None and len(ev.groups) > 1
    opts = {"n_boot": n_boot, "n_perm": n_perm, "level": level, "rng": rng}
    within = multi and ev.group_is_event_level and overall == "within"
    everything = np.ones(len(period), dtype=bool)
    power = _PowerPlan(ev, alpha=alpha, seed=seed, enabled=mdc, test=test)
    fam = _family(ev, in_window, event_codes, in_late.astype(np.int64),
                  group_codes if within else None, **opts)
    fam |= _ordered(ev, everything, group_codes if within else None, n_perm=n_perm, rng=rng,
                    power=power, name="overall", test=test, seed=seed)
    frames = [_frame(ev, fam, "overall", "All")]
    if multi and by_group:
        for gi, g in enumerate(ev.groups):
            mask = group_codes == gi
            if not (mask & in_window).any():
                continue
            fam = _family(ev, mask & in_window, event_codes, in_late.astype(np.int64), None,
                          **opts)
            fam |= _ordered(ev, mask, None, n_perm=n_perm, rng=rng, power=power, name=str(g),
                            test=test, seed=seed)
            frames.append(_frame(ev, fam, "group", g))
    out = pd.concat(frames, ignore_index=True)
    out["early"], out["late"] = span_name(early_p), span_name(late_p)
    out["method"] = np.where((out["scope"] == "overall") & within, "within groups", "pooled")
    _verdicts(out, k_min=k_min, min_events=min_events, min_speakers=min_speakers)
    out["family"] = np.where(out["scope"] == "overall", "primary", "secondary")
    out["p_adj"] = np.nan
    adjuster = storey_adjust if adjust == "storey" else bh_adjust
    for fam_name in ("primary", "secondary"):  # two families, each adjusted on its own
        rows = (out["family"] == fam_name).to_numpy()
        out.loc[rows, "p_adj"] = adjuster(out.loc[rows, "p_value"].to_numpy(float))
    insufficient = (out["reason"] != "").to_numpy()
    _classify(out, insufficient, alpha=alpha, min_events=min_events,
              min_speakers=min_speakers)
    _agreement(out)
    label_at = dict(zip(positions(ev).tolist(), ev.periods))
    out["step_at"] = [label_at.get(int(i), "") if f == "step" else ""
                      for i, f in zip(out["step_index"], out["form"])]
    out["sentence"] = [_sentence(r, ev, level, k_min, min_events, min_speakers)
                       for r in out.itertuples()]
    out["uncertainty"] = [_uncertainty(r, level) for r in out.itertuples()]
    out = out[SHIFT_COLUMNS]
    out.attrs["power"] = power.summary()
    return out


def _verdicts(out: pd.DataFrame, *, k_min: int, min_events: int, min_speakers: int) -> None:
    """The ``reason`` column (empty: tested) and NaN for what an insufficient row cannot show."""
    few_people = ((out["people_early"] < k_min) | (out["people_late"] < k_min)).to_numpy()
    few_events = ((out["events_early"] < min_events)
                  | (out["events_late"] < min_events)).to_numpy()
    few_raisers = (out["n_speakers_early"] + out["n_speakers_late"] < min_speakers).to_numpy()
    reason = np.where(few_people, "people", np.where(
        few_events, "events", np.where(few_raisers, "raisers", "")))
    # a test that could not be computed (no group heard in two periods) is no test either
    untested = out["p_value"].isna().to_numpy() | out["diff"].isna().to_numpy()
    reason = np.where((reason == "") & untested, "overlap", reason)
    out["reason"] = reason
    insufficient = reason != ""
    out.loc[insufficient, ["diff", "ci_low", "ci_high", "p_value", "z_trend", "z_step"]] = np.nan
    out.loc[insufficient, "form"] = ""
    out.loc[few_people, ["share_early", "share_late"]] = np.nan


class _PowerPlan:
    """MDC per scope (overall, each group) on the corpus's own design; cached by design."""

    def __init__(self, ev: Evidence, *, alpha: float, seed: int, enabled: bool,
                 test: str = "trend"):
        self.enabled, self.test = enabled, test
        self.alpha, self.seed = alpha, seed
        total = ev.N.sum(axis=0) / max(float(ev.T.sum()), 1.0)
        self.base = float(np.median(total)) if len(total) else 0.2
        self.results: dict[str, Power] = {}
        self.designs: dict[str, list[list[Any]]] = {}
        self.period = ev.period

    def mdc(self, name: str, x: np.ndarray, strata: np.ndarray, T: np.ndarray,
            design: list[list[Any]]) -> float:
        if not self.enabled:
            return float("nan")
        self.results[name] = minimum_detectable_change(
            x, strata, T, base=self.base, alpha=self.alpha, seed=self.seed, test=self.test)
        self.designs[name] = design
        return self.results[name].mdc

    def summary(self) -> dict[str, Any]:
        """``{"period": ..., "overall": {...}, "groups": {name: {...}}}``: each a
        :class:`~.power.Power` as a dict plus ``design``, its events as ``[event_id, group,
        period, people]`` rows (everything needed to recompute the MDC)."""
        if not self.results:
            return {}
        out = {k: v.as_dict() | {"design": self.designs[k]} for k, v in self.results.items()}
        groups = {k: v for k, v in out.items() if k != "overall"}
        return {"period": self.period, "overall": out["overall"], "groups": groups}


def _ordered(ev: Evidence, mask: np.ndarray, strata_rows: np.ndarray | None, *, n_perm: int,
             rng: np.random.Generator, power: _PowerPlan, name: str, test: str = "trend",
             seed: int = 0) -> dict[str, np.ndarray]:
    """The all-period test (:mod:`~listenlens.trends.ordered`) over the events in ``mask``."""
    period_code = positions(ev)[pd.Categorical(ev.rows["period"],
                                               categories=list(ev.periods)).codes]
    keys = ev.event_codes[mask]
    extra = [np.zeros(int(mask.sum()))] if strata_rows is None else [
        strata_rows[mask].astype(float)]
    uniq, sums = collapse(keys, ev.N[mask], ev.T[mask], np.ones(int(mask.sum())),
                          period_code[mask].astype(float), *extra)
    N, T, n_rows, per, strat = sums
    x = (per / n_rows).round().astype(np.int64)  # all rows of one event share its period
    strata = (strat / n_rows).round().astype(np.int64)
    test_ = shifts_test(x, strata, N, T, test=test, n_perm=n_perm, rng=rng, seed=seed)
    J = N.shape[1]
    design = []
    if power.enabled:
        first = ev.rows.groupby(ev.event_codes, sort=True).first()
        for code, t in zip(uniq.tolist(), T.tolist()):
            row = first.loc[code]
            design.append([str(row["event_id"]), str(row["group"]), str(row["period"]),
                           int(t)])
    return {"p_value": test_.p_value, "z_trend": test_.z_trend, "z_step": test_.z_step,
            "form": test_.form, "step_index": test_.step_at,
            "test_direction": test_.direction,
            "mdc": np.full(J, power.mdc(name, x, strata, T, design))}


def _frame(ev: Evidence, fam: dict[str, np.ndarray], scope: str, group: str) -> pd.DataFrame:
    df = pd.DataFrame(fam)
    df.insert(0, "label", [ev.labels[t] for t in ev.theme_ids])
    df.insert(0, "theme_id", list(ev.theme_ids))
    df.insert(0, "group", group)
    df.insert(0, "scope", scope)
    return df


def _classify(out: pd.DataFrame, insufficient: np.ndarray, *, alpha: float, min_events: int,
              min_speakers: int) -> None:
    """Status, strength and direction. The direction is the test's (the sign of the reported
    form's statistic) and must agree with the windows' change that the sentence states."""
    sig = (out["p_adj"] < alpha).to_numpy()
    diff = out["diff"].to_numpy(float)
    tdir = (out["test_direction"].to_numpy(float) if "test_direction" in out.columns
            else np.sign(diff))
    up, down = (tdir > 0) & (diff > 0), (tdir < 0) & (diff < 0)
    ok_late = ((out["n_events_late"] >= min_events)
               & (out["n_speakers_late"] >= min_speakers)).to_numpy()
    ok_early = ((out["n_events_early"] >= min_events)
                & (out["n_speakers_early"] >= min_speakers)).to_numpy()
    emerging, declining = sig & up & ok_late, sig & down & ok_early
    leaning = (out["p_value"] < 2 * alpha).to_numpy() & (up | down)
    status = np.where(emerging, "emerging", np.where(declining, "declining", "steady"))
    status = np.where(insufficient, "insufficient", status)
    strength = np.where(emerging | declining, "clear",
                        np.where(leaning & ~insufficient, "weak", "none"))
    out["status"], out["strength"] = status, strength
    out["direction"] = np.where(emerging, "up", np.where(declining, "down", "steady"))
    out["evidence_short"] = sig & (up | down) & ~(emerging | declining) & ~insufficient


def _agreement(out: pd.DataFrame) -> None:
    """For overall rows: in how many groups the share moved the same way."""
    groups = out[(out["scope"] == "group") & out["diff"].notna()]
    agree, compared = np.zeros(len(out), dtype=np.int64), np.zeros(len(out), dtype=np.int64)
    by_theme = {t: g["diff"].to_numpy() for t, g in groups.groupby("theme_id")}
    for i, r in enumerate(out.itertuples()):
        if r.scope != "overall" or r.theme_id not in by_theme or math.isnan(r.diff):
            continue
        d = by_theme[r.theme_id]
        compared[i] = len(d)
        agree[i] = int((np.sign(d) == np.sign(r.diff)).sum()) if r.diff != 0 else 0
    out["groups_agreeing"], out["groups_compared"] = agree, compared


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lower_first(s: str) -> str:
    """Lower-case the first letter unless the first word looks like an acronym ("GP access")."""
    first = s.split(" ", 1)[0]
    return s if first.isupper() or len(first) == 1 else s[:1].lower() + s[1:]


def _count(n: float, one: str, many: str) -> str:
    return plural(int(n), one, many)


def _sentence(r: Any, ev: Evidence, level: float, k_min: int, min_events: int,
              min_speakers: int) -> str:
    label = str(r.label)
    where = f"In {r.group}, " if r.scope == "group" else ""
    lead = where + (_lower_first(label) if where else _cap(label))
    noun = "of speakers" if ev.count == "speakers" else "of comments"
    e, lt = r.early, r.late
    lvl = f"{round(level * 100)}%"
    if r.status == "insufficient":
        place = f" in {r.group}" if r.scope == "group" else ""
        what = f"to tell whether {_lower_first(label)} changed"
        if r.reason == "people":
            return (f"Too few people{place} {what} ({_count(r.people_early, 'person', 'people')}"
                    f" in {e}, {int(r.people_late)} in {lt}; at least {k_min} are needed in "
                    "each), so no share or change is shown.")
        if r.reason == "events":
            return (f"Too few events{place} {what} ({_count(r.events_early, 'event', 'events')}"
                    f" in {e}, {int(r.events_late)} in {lt}; at least {min_events} are needed "
                    "in each).")
        if r.reason == "overlap":
            return (f"No group was heard in both {e} and {lt}, so there is nothing to compare "
                    f"{what}.")
        n = int(r.n_speakers_early + r.n_speakers_late)
        return (f"{lead} was raised by too few people ({_count(n, 'person', 'people')} in {e} "
                f"and {lt} together) to say whether it changed.")
    a, b = pct(r.share_early), pct(r.share_late)
    ci = points(r.ci_low, r.ci_high)
    rose = r.diff > 0
    verb, change = ("rose", "rise") if rose else ("fell", "fall")
    tail = ""
    word = "communities" if ev.by == "community" else f"{ev.by} groups"
    one = "community" if ev.by == "community" else f"{ev.by} group"
    how = f", comparing each {one} with itself" if r.method == "within groups" else ""
    if r.scope == "overall" and r.groups_compared > 1:
        k, m = int(r.groups_agreeing), int(r.groups_compared)
        tail = f"; it {verb} in " + (f"all {m} {word}" if k == m else f"{k} of {m} {word}")
    if r.status in ("emerging", "declining"):
        if r.form == "step" and r.step_at:
            return (f"{lead} {verb} sharply from {period_name(r.step_at)}: from {a} {noun} in "
                    f"{e} to {b} in {lt}{how} ({lvl} interval for the {change}: {ci}){tail}.")
        return (f"{lead} {verb} from {a} {noun} in {e} to {b} in {lt}{how} "
                f"({lvl} interval for the {change}: {ci}){tail}.")
    below = _below_mdc(r, ev)
    if r.diff == 0 or r.strength == "none":
        return (f"{lead} showed no clear change: {a} {noun} in {e} and {b} in {lt}{how} "
                f"({lvl} interval for the change: {ci}).{below}")
    maybe = "may have risen" if rose else "may have fallen"
    if r.evidence_short:
        side = lt if rose else e
        return (f"{lead} {maybe}, from {a} {noun} in {e} to {b} in {lt}, but in {side} it "
                f"rests on fewer than {min_events} events or {min_speakers} people, so this "
                "is not reported as a shift.")
    return (f"{lead} {maybe}, from {a} {noun} in {e} to {b} in {lt}{how}, but the evidence "
            f"is weak ({lvl} interval for the change: {ci}){tail}.{below}")


def _below_mdc(r: Any, ev: Evidence) -> str:
    """The power sentence for a change not shown, when the observed change is below the MDC."""
    if math.isnan(r.mdc) or math.isnan(r.diff) or abs(r.diff) >= r.mdc:
        return ""
    where = f" in {r.group}" if r.scope == "group" else ""
    return (f" With the events held{where}, changes smaller than about {mdc_points(r.mdc)} "
            "points could not be told from chance.")


def _uncertainty(r: Any, level: float) -> str:
    """The uncertainty in a few words, for briefings."""
    if r.status == "insufficient":
        return {"people": "too few people to show", "events": "too few events to test",
                "overlap": "nothing to compare"}.get(r.reason, "too little evidence to test")
    ci = points(r.ci_low, r.ci_high)
    how = "; compared within each group" if r.method == "within groups" else ""
    return f"{round(level * 100)}% interval {ci}; adjusted p = {r.p_adj:.3g}{how}"
