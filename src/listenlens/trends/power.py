"""Power made visible: the smallest change the corpus's own design could detect.

The *minimum detectable change* (MDC) is the smallest planted change, in share points from the
first period to the last, that the test ``shifts()`` uses
(:func:`~listenlens.trends.moderated.shifts_test`) finds at level ``alpha`` in at least
``power`` (80%) of simulated corpora with exactly this
corpus's design: the same events, in the same communities and periods, with the same number of
people behind each event's share. Simulated themes are drawn like real ones:

- a base share ``base`` (by default the median share of the analysis's themes, kept within
  5-50%), changing linearly in time by ``delta`` from the first period to the last;
- between-community heterogeneity: a normal effect per community on the logit scale (sd
  ``community_sd`` = 0.5: one community raising a theme at 25% while another raises it at 12-40%);
- event-to-event noise: a normal effect per event on the logit scale (sd ``event_sd`` = 0.3);
- each of an event's people raises the theme with the resulting probability.

The test is the one ``shifts()`` uses (``test``: "trend", the default, or "moderated", both
borrowing the noise across the simulated themes, or "permutation").

Every ``delta`` uses the same random numbers (common random numbers), so estimated power rises
with ``delta``; the MDC is found by bisection over a 2-point grid and interpolated linearly
between the last grid point below 80% power and the first at or above it. ``nan`` when even the
largest possible change (up to a share of 95%) is found less often than ``power``. The level is
the test's own ``alpha`` before the adaptive Benjamini-Hochberg adjustment (with several themes
changing at once the adjusted threshold approaches ``alpha``, and never exceeds it; with one
changing theme among m it is about ``alpha / m``, and the MDC is larger).

>>> x = np.repeat(np.arange(5), 5); s = np.tile(np.arange(5), 5); T = np.full(25, 10)
>>> mdc = minimum_detectable_change(x, s, T, base=0.2, n_sim=100, n_perm=199, seed=0)
>>> 0.1 < mdc.mdc < 0.5, mdc.n_events, mdc.n_periods
(True, 25, 5)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .moderated import shifts_test
from .text import mdc_points

__all__ = ["Power", "minimum_detectable_change", "power_at", "power_sentence", "power_evidence",
           "recompute_power", "period_position", "MDC_GRID"]

#: Planted changes tried, in share points (2 to 90 points in steps of 2).
MDC_GRID = np.round(np.arange(0.02, 0.91, 0.02), 2)


@dataclass(frozen=True)
class Power:
    """The MDC of one design and how it was found (everything needed to recompute it)."""

    mdc: float
    base: float
    alpha: float
    power: float
    n_sim: int
    n_perm: int
    seed: int
    n_events: int
    n_periods: int
    n_strata: int
    community_sd: float
    event_sd: float
    curve: tuple[tuple[float, float], ...]
    test: str = "moderated"

    def as_dict(self) -> dict[str, object]:
        """Plain values for ``DataFrame.attrs`` and evidence blocks."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {
            "curve": [list(c) for c in self.curve]}


class _Simulator:
    """Simulated evidence for one design, with common random numbers for every delta."""

    def __init__(self, x: np.ndarray, strata: np.ndarray, T: np.ndarray, *, n_sim: int,
                 seed: int, community_sd: float, event_sd: float):
        rng = np.random.default_rng([seed, 14])
        self.x = x
        self.strata = strata
        self.T = T.astype(np.int64)
        span = float(x.max() - x.min())
        self.t = (x - x.min()) / span if span > 0 else np.zeros(len(x))
        codes = np.unique(strata, return_inverse=True)[1]
        self.noise = (rng.normal(0.0, community_sd, (codes.max() + 1, n_sim))[codes]
                      + rng.normal(0.0, event_sd, (len(x), n_sim)))
        self.u = rng.random((len(x), int(self.T.max()), n_sim))
        self.present = np.arange(int(self.T.max()))[None, :] < self.T[:, None]

    def counts(self, base: float, delta: float) -> np.ndarray:
        p0 = np.clip(base + delta * self.t, 0.005, 0.995)
        logit = np.log(p0 / (1 - p0))[:, None] + self.noise
        p = 1.0 / (1.0 + np.exp(-logit))
        hits = (self.u < p[:, None, :]) & self.present[:, :, None]
        return hits.sum(axis=1).astype(np.float64)


def power_at(sim: _Simulator, base: float, delta: float, *, alpha: float, n_perm: int,
             seed: int, test: str = "trend") -> float:
    """Share of simulated themes with a planted ``delta`` that the test finds at ``alpha``."""
    N = sim.counts(base, delta)
    rng = np.random.default_rng([seed, 15])
    test_ = shifts_test(sim.x, sim.strata, N, sim.T.astype(np.float64), test=test,
                        n_perm=n_perm, rng=rng, seed=seed)
    p = np.nan_to_num(test_.p_value, nan=1.0)
    return float(((p < alpha) & (test_.direction > 0)).mean())


def minimum_detectable_change(x: np.ndarray, strata: np.ndarray, T: np.ndarray, *,
                              base: float, alpha: float = 0.05, power: float = 0.8,
                              n_sim: int = 200, n_perm: int = 499, seed: int = 0,
                              community_sd: float = 0.5, event_sd: float = 0.3,
                              test: str = "trend") -> Power:
    """The MDC of the design (period index ``x``, stratum and people ``T`` of every event)."""
    x, strata, T = np.asarray(x), np.asarray(strata), np.asarray(T)
    ok = T > 0
    x, strata, T = x[ok], strata[ok], T[ok]
    base = float(min(max(base, 0.05), 0.5))
    grid = MDC_GRID[0.95 - base + 1e-9 >= MDC_GRID]
    fields = {"base": base, "alpha": alpha, "power": power, "n_sim": n_sim, "n_perm": n_perm,
              "seed": seed, "n_events": int(len(x)), "n_periods": int(len(np.unique(x))),
              "n_strata": int(len(np.unique(strata))), "community_sd": community_sd,
              "event_sd": event_sd, "test": test}
    if len(x) < 2 or len(np.unique(x)) < 2 or len(grid) == 0:
        return Power(mdc=float("nan"), curve=(), **fields)
    sim = _Simulator(x, strata, T, n_sim=n_sim, seed=seed, community_sd=community_sd,
                     event_sd=event_sd)
    seen: dict[int, float] = {}

    def at(i: int) -> float:
        if i not in seen:
            seen[i] = power_at(sim, base, float(grid[i]), alpha=alpha, n_perm=n_perm, seed=seed,
                               test=test)
        return seen[i]

    lo, hi = -1, len(grid) - 1  # power(grid[lo]) < target (lo=-1: zero change), test hi
    if at(hi) < power:
        return Power(mdc=float("nan"), curve=_curve(grid, seen), **fields)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at(mid) >= power:
            hi = mid
        else:
            lo = mid
    d_hi, p_hi = float(grid[hi]), at(hi)
    d_lo, p_lo = (0.0, alpha / 2) if lo < 0 else (float(grid[lo]), at(lo))
    frac = (power - p_lo) / (p_hi - p_lo) if p_hi > p_lo else 1.0
    mdc = d_lo + frac * (d_hi - d_lo)
    return Power(mdc=round(mdc, 4), curve=_curve(grid, seen), **fields)


def _curve(grid: np.ndarray, seen: dict[int, float]) -> tuple[tuple[float, float], ...]:
    return tuple((float(grid[i]), round(seen[i], 4)) for i in sorted(seen))


def power_sentence(summary: Mapping[str, Any]) -> str:
    """The MDC in words for a briefing, from ``shifts().attrs["power"]`` ("" when absent).

    >>> power_sentence({"period": "year", "overall": {"mdc": 0.213, "n_events": 25,
    ...                 "n_periods": 5}})
    'With 25 events over 5 years (about 5 a year), changes smaller than about 20 points in the share of people raising a subject could not be told from chance.'
    """
    overall = summary.get("overall") if summary else None
    if not overall:
        return ""
    n, k = int(overall["n_events"]), int(overall["n_periods"])
    per = str(summary.get("period", "period"))
    span = (f"With {n} events" if per == "event" else
            f"With {n} events over {k} {per}s (about {round(n / max(k, 1))} a {per})")
    mdc = float(overall["mdc"])
    if math.isnan(mdc):
        return (f"{span}, even the largest change in the share of people raising a subject "
                "could not be reliably told from chance.")
    return (f"{span}, changes smaller than about {mdc_points(mdc)} points in the share of "
            "people raising a subject could not be told from chance.")


def power_evidence(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The overall MDC for an evidence block: the sentence as printed and everything needed to
    recompute it (design rows ``[event_id, group, period, people]``, seed, simulation
    settings); NaN becomes None so the block stays strict JSON. ``{}`` when absent.

    >>> power_evidence({"period": "year", "overall": {"mdc": float("nan"), "n_events": 2,
    ...                 "n_periods": 2, "design": []}})["mdc"] is None
    True
    """
    overall = summary.get("overall") if summary else None
    if not overall:
        return {}

    def clean(v: Any) -> Any:
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, list | tuple):
            return [clean(x) for x in v]
        return v

    return {"sentence": power_sentence(summary), "period": summary.get("period"),
            **{k: clean(v) for k, v in overall.items()}}


def period_position(label: str, period: str, index: int) -> int:
    """Calendar position of a period label (as :func:`~listenlens.trends.shifts.positions`):
    the year, year x 4 + quarter, year x 12 + month, else ``index``.

    >>> period_position("2023", "year", 0), period_position("2023-Q2", "quarter", 0)
    (2023, 8093)
    """
    year, _, part = str(label).partition("-")
    if period == "year" and year.isdigit():
        return int(year)
    if period == "quarter" and year.isdigit() and part[1:].isdigit():
        return int(year) * 4 + int(part[1:]) - 1
    if period == "month" and year.isdigit() and part.isdigit():
        return int(year) * 12 + int(part) - 1
    return index


def recompute_power(block: Mapping[str, Any]) -> Power:
    """The MDC recomputed from an evidence block's ``power`` (:func:`power_evidence`): its
    design rows ``[event_id, group, period, people]`` and simulation settings. The strata are
    the groups when the block had as many strata as groups, else one.

    >>> block = {"period": "year", "base": 0.2, "alpha": 0.05, "n_sim": 50, "n_perm": 99,
    ...          "seed": 0, "community_sd": 0.5, "event_sd": 0.3, "n_strata": 3,
    ...          "design": [[f"e{c}{y}", f"C{c}", str(2021 + y), 10]
    ...                     for c in range(3) for y in range(4)]}
    >>> p = recompute_power(block); (p.n_events, p.n_periods, p.n_strata)
    (12, 4, 3)
    """
    design = list(block.get("design") or [])
    period = str(block.get("period") or "event")
    labels = sorted({str(r[2]) for r in design})
    order = {lab: i for i, lab in enumerate(labels)}
    x = np.array([period_position(str(r[2]), period, order[str(r[2])]) for r in design],
                 dtype=np.int64)
    groups = [str(r[1]) for r in design]
    one = int(block.get("n_strata") or 1) != len(set(groups))
    strata = np.zeros(len(design), dtype=np.int64) if one else np.unique(
        groups, return_inverse=True)[1]
    T = np.array([float(r[3]) for r in design])
    return minimum_detectable_change(
        x, strata, T, base=float(block["base"]), alpha=float(block["alpha"]),
        power=float(block.get("power", 0.8)), n_sim=int(block["n_sim"]),
        n_perm=int(block["n_perm"]), seed=int(block["seed"]),
        community_sd=float(block["community_sd"]), event_sd=float(block["event_sd"]),
        test=str(block.get("test", "moderated")))
