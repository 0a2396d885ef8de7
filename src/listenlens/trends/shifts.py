"""Shift detection: which themes rose or fell, overall and within each group.

Windows: the ordered periods are cut into an *early* window (the first third of the periods,
at least one) and a *late* window (the last third); with four periods they are the two halves,
with two or three the first and the last. The effect size is the late pooled share minus the
early pooled share, in percentage points. Comparing pooled thirds rather than fitting a slope
keeps the claim in the words a reader checks ("from 4% in 2021 to 31% in 2023"), is not moved
by one odd period in the middle, and uses every event in both windows.

Uncertainty: a percentile interval from a bootstrap that resamples events within each window
(and, for the overall test, within each event-level group, so the community mix stays fixed);
a two-sided permutation p-value that reshuffles which events are early and which late. All
p-values of one call (overall and per group, every theme) are adjusted together with
Benjamini-Hochberg. Only tests that could pass the evidence rule are run (at least
``min_speakers`` people raised the theme across both windows, and neither window is suppressed).

A theme is *emerging* when the adjusted p-value is below ``alpha``, the share rose, and at least
``min_events`` events and ``min_speakers`` people raised it in the late window (*declining*: fell,
with that evidence in the early window). Anything else is *steady* (with ``strength`` "weak" when
the change points one way but falls short) or *insufficient* when a window rests on fewer than
``k_min`` people. ``strength`` is "clear" for emerging/declining, "weak" when the change is not
established but points one way (unadjusted p below ``2 * alpha``, or significant but short of the
evidence rule: the sentence then says "may have risen/fallen"), and "none" otherwise.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .counting import Evidence
from .intervals import bh_adjust, collapse, difference_test
from .text import pct, points, span_name

__all__ = ["windows", "find_shifts", "SHIFT_COLUMNS"]

SHIFT_COLUMNS = [
    "scope", "group", "theme_id", "label", "status", "direction", "strength", "early", "late",
    "share_early", "share_late", "diff", "ci_low", "ci_high", "p_value", "p_adj",
    "n_events_early", "n_speakers_early", "n_events_late", "n_speakers_late", "people_early",
    "people_late", "groups_agreeing", "groups_compared", "sentence", "uncertainty",
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


def _family(ev: Evidence, mask: np.ndarray, keys: np.ndarray, late_rows: np.ndarray,
            strata_rows: np.ndarray | None, *, n_boot: int, n_perm: int, level: float,
            rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One comparison of late against early over the rows in ``mask``, clustered by ``keys``."""
    k = keys[mask]
    cluster_key = k * 2 + late_rows[mask]
    extra = [] if strata_rows is None else [strata_rows[mask].astype(float)]
    uniq, sums = collapse(cluster_key, ev.N[mask], ev.P[mask], ev.T[mask], ev.S[mask],
                          np.ones(int(mask.sum())), *extra)
    N, P, T, S, _ = sums[:5]
    late = (uniq % 2).astype(bool)
    strata = None
    if strata_rows is not None:  # every row of one event has one group: the mean is that group
        strata = (sums[5] / sums[4]).round().astype(np.int64)
    d = difference_test(late, N, T, n_boot=n_boot, n_perm=n_perm, level=level, rng=rng,
                        strata=strata)
    early = ~late
    return {
        "share_early": d.share_a, "share_late": d.share_b, "diff": d.diff,
        "ci_low": d.ci_low, "ci_high": d.ci_high, "p_value": d.p_value,
        "n_events_early": (N[early] > 0).sum(axis=0), "n_events_late": (N[late] > 0).sum(axis=0),
        "n_speakers_early": P[early].sum(axis=0), "n_speakers_late": P[late].sum(axis=0),
        "people_early": np.full(N.shape[1], S[early].sum()),
        "people_late": np.full(N.shape[1], S[late].sum()),
    }


def find_shifts(ev: Evidence, *, k_min: int = 5, n_boot: int = 1000, n_perm: int = 9999,
                level: float = 0.95, alpha: float = 0.05, min_events: int = 2,
                min_speakers: int = 3, by_group: bool = True, seed: int = 0) -> pd.DataFrame:
    """The shifts table (columns :data:`SHIFT_COLUMNS`); see the module docstring."""
    early_p, late_p = windows(ev.periods)
    if not early_p:
        return pd.DataFrame(columns=SHIFT_COLUMNS)
    rng = np.random.default_rng([seed, 1])
    period = ev.rows["period"].to_numpy()
    in_early, in_late = np.isin(period, early_p), np.isin(period, late_p)
    in_window = in_early | in_late
    event_codes = ev.event_codes
    group = ev.rows["group"].to_numpy()
    group_codes = pd.Categorical(group, categories=list(ev.groups)).codes.astype(np.int64)
    multi = ev.by is not None and len(ev.groups) > 1
    opts = {"n_boot": n_boot, "n_perm": n_perm, "level": level, "rng": rng}
    frames = []
    fam = _family(ev, in_window, event_codes, in_late.astype(np.int64),
                  group_codes if (multi and ev.group_is_event_level) else None, **opts)
    frames.append(_frame(ev, fam, "overall", "All"))
    if multi and by_group:
        for gi, g in enumerate(ev.groups):
            mask = in_window & (group_codes == gi)
            if not (mask & in_early).any() or not (mask & in_late).any():
                continue
            fam = _family(ev, mask, event_codes, in_late.astype(np.int64), None, **opts)
            frames.append(_frame(ev, fam, "group", g))
    out = pd.concat(frames, ignore_index=True)
    out["early"], out["late"] = span_name(early_p), span_name(late_p)
    insufficient = (out["people_early"] < k_min) | (out["people_late"] < k_min)
    testable = ~insufficient & (out["n_speakers_early"] + out["n_speakers_late"] >= min_speakers)
    out.loc[~testable, "p_value"] = np.nan
    out.loc[insufficient, ["share_early", "share_late", "diff", "ci_low", "ci_high"]] = np.nan
    out["p_adj"] = bh_adjust(out["p_value"].to_numpy(float))
    _classify(out, insufficient.to_numpy(), alpha=alpha, min_events=min_events,
              min_speakers=min_speakers)
    _agreement(out)
    out["sentence"] = [_sentence(r, ev, level, k_min, min_events, min_speakers)
                       for r in out.itertuples()]
    out["uncertainty"] = [_uncertainty(r, level) for r in out.itertuples()]
    return out[SHIFT_COLUMNS]


def _frame(ev: Evidence, fam: dict[str, np.ndarray], scope: str, group: str) -> pd.DataFrame:
    df = pd.DataFrame(fam)
    df.insert(0, "label", [ev.labels[t] for t in ev.theme_ids])
    df.insert(0, "theme_id", list(ev.theme_ids))
    df.insert(0, "group", group)
    df.insert(0, "scope", scope)
    return df


def _classify(out: pd.DataFrame, insufficient: np.ndarray, *, alpha: float, min_events: int,
              min_speakers: int) -> None:
    sig = (out["p_adj"] < alpha).to_numpy()
    up, down = (out["diff"] > 0).to_numpy(), (out["diff"] < 0).to_numpy()
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
    out["evidence_short"] = sig & ~(emerging | declining) & ~insufficient


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
        return (f"Fewer than {k_min} people spoke{place} in {e} or in {lt}, so no share or "
                f"change is shown for {label}.")
    if r.p_value != r.p_value:  # NaN: untested, too little evidence
        n = int(r.n_speakers_early + r.n_speakers_late)
        people = "1 person" if n == 1 else f"{n} people"
        return (f"{lead} was raised by too few people ({people} in {e} and {lt} together) "
                "to say whether it changed.")
    a, b = pct(r.share_early), pct(r.share_late)
    ci = points(r.ci_low, r.ci_high)
    rose = r.diff > 0
    verb, change = ("rose", "rise") if rose else ("fell", "fall")
    tail = ""
    if r.scope == "overall" and r.groups_compared > 1:
        word = "communities" if ev.by == "community" else f"{ev.by} groups"
        k, m = int(r.groups_agreeing), int(r.groups_compared)
        tail = f"; it {verb} in " + (f"all {m} {word}" if k == m else f"{k} of {m} {word}")
    if r.status in ("emerging", "declining"):
        return (f"{lead} {verb} from {a} {noun} in {e} to {b} in {lt} "
                f"({lvl} interval for the {change}: {ci}){tail}.")
    if r.diff == 0 or r.strength == "none":
        return (f"{lead} showed no clear change: {a} {noun} in {e} and {b} in {lt} "
                f"({lvl} interval for the change: {ci}).")
    maybe = "may have risen" if rose else "may have fallen"
    if r.evidence_short:
        side = lt if rose else e
        return (f"{lead} {maybe}, from {a} {noun} in {e} to {b} in {lt}, but in {side} it "
                f"rests on fewer than {min_events} events or {min_speakers} people, so this "
                "is not reported as a shift.")
    return (f"{lead} {maybe}, from {a} {noun} in {e} to {b} in {lt}, but the evidence is weak "
            f"({lvl} interval for the change: {ci}){tail}.")


def _uncertainty(r: Any, level: float) -> str:
    """The uncertainty in a few words, for briefings."""
    if r.status == "insufficient":
        return "too few people to show"
    if r.p_value != r.p_value:
        return "too little evidence to test"
    ci = points(r.ci_low, r.ci_high)
    q = r.p_adj
    return f"{round(level * 100)}% interval {ci}; adjusted p = {q:.3g}"
