"""Tests that use every period: a monotone trend, a step, and their combination.

Each event (cluster) has a period position ``x`` (an integer on the calendar: the year, or
year x 4 + quarter, so a year without events leaves a gap in the trend score), a stratum (its community, or one stratum for everything) and, per theme, an
evidence count ``N`` out of ``T`` people. Under the null hypothesis that a theme's share does not
change over time, the periods of a community's events are exchangeable: any reordering of *which*
of its events happened in which period (each period keeping its number of events) is as likely as
the one observed. The tests reorder periods within strata only, so differences between
communities, and which community was heard when, can never make a change.

Statistics (all linear in the period labels, so the exact permutation mean is 0 and the exact
permutation variance has a closed form; see :func:`_variance`):

- residuals ``r_e = N_e - T_e * n_s / t_s`` per event (observed minus expected under the
  stratum's own overall share ``n_s / t_s``; they sum to 0 in each stratum);
- **trend**: ``S = sum_e x_e r_e`` (the stratified Cochran-Armitage / Mantel trend score);
- **step at cut k** (k = 1..P-1): ``S_k = sum_e [x_e >= k] r_e`` (more raisers than expected
  from period k on);
- each is standardised by its exact permutation standard deviation, ``Z = S / sd``; the
  **combined** statistic is ``M = max(|Z_trend|, max_k |Z_k|)``, compared with the distribution
  of the same maximum over the relabellings. The combination is fixed before looking at the data
  and calibrated by construction: the p-value of ``M`` is a permutation p-value like any other,
  so taking the best of the two forms costs some power but no false alarms.

The form reported describes the change; it does not change the p-value. It is "step" when the
best step explains clearly more than the trend, ``Z_step^2 - Z_trend^2 > 2 ln(P - 1)`` (the
best of P - 1 cuts always fits a little better by chance, so it must win by a penalty that grows
with the number of cuts it was chosen from; never with two periods, where the two are one test),
and "trend" otherwise; for a step, the first period after the best cut ("rose sharply from
2024"). p-values are exact (every distinct
relabelling enumerated) when there are at most ``n_perm`` of them, else ``(1 + #{M* >= M}) /
(n_perm + 1)`` over ``n_perm`` random relabellings.

>>> x = np.array([0, 1, 2, 0, 1, 2]); s = np.array([0, 0, 0, 1, 1, 1])
>>> N = np.array([[1.], [3.], [5.], [2.], [4.], [6.]]); T = np.full(6, 10.)
>>> r = ordered_test(x, s, N, T, n_perm=999, rng=np.random.default_rng(0))
>>> r.n_relabellings, r.exact, round(float(r.p_value[0]), 4), str(r.form[0])
(36, True, 0.0556, 'trend')
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

__all__ = ["OrderedTest", "ordered_test", "period_relabellings", "n_relabellings"]


@dataclass(frozen=True)
class OrderedTest:
    """Result per theme of :func:`ordered_test` (arrays of length ``themes``).

    ``z_trend`` / ``z_step``: standardised trend statistic and the signed step statistic of the
    best cut; ``step_at``: the position ``x`` of the first period after that cut (-1 when no
    cut can be tested); ``form``: "trend" or "step" (see the module docstring; "" when nothing is
    testable); ``p_value``: two-sided p-value of the combined statistic (NaN when untestable);
    ``exact``: every relabelling was enumerated; ``n_relabellings``: how many there are.
    """

    z_trend: np.ndarray
    z_step: np.ndarray
    step_at: np.ndarray
    form: np.ndarray
    p_value: np.ndarray
    exact: bool
    n_relabellings: int

    @property
    def direction(self) -> np.ndarray:
        """+1 (rise), -1 (fall) or 0, from the sign of the reported form's statistic."""
        z = np.where(self.form == "step", self.z_step, self.z_trend)
        return np.sign(np.nan_to_num(z))


def n_relabellings(x: np.ndarray, strata: np.ndarray) -> int:
    """Distinct reorderings of period labels within strata: the product of multinomials.

    >>> n_relabellings(np.array([0, 1, 2, 0, 0, 1]), np.array([0, 0, 0, 1, 1, 1]))
    18
    """
    total = 1
    for s in np.unique(strata):
        counts = Counter(np.asarray(x)[strata == s].tolist())
        n = sum(counts.values())
        total *= math.factorial(n) // math.prod(math.factorial(c) for c in counts.values())
    return total


def _distinct_orders(labels: list[int]) -> list[tuple[int, ...]]:
    """Every distinct ordering of a multiset of labels (in lexicographic order)."""
    counts = Counter(labels)
    keys = sorted(counts)
    out: list[tuple[int, ...]] = []

    def fill(prefix: list[int], left: int) -> None:
        if left == 0:
            out.append(tuple(prefix))
            return
        for k in keys:
            if counts[k]:
                counts[k] -= 1
                prefix.append(k)
                fill(prefix, left - 1)
                prefix.pop()
                counts[k] += 1

    fill([], len(labels))
    return out


def period_relabellings(x: np.ndarray, strata: np.ndarray, n_perm: int,
                        rng: np.random.Generator) -> tuple[np.ndarray, bool]:
    """Period labels ``(R, events)`` reordered within strata; exact when ``R`` can be all.

    When the number of distinct relabellings is at most ``n_perm`` all are listed (the observed
    one among them) and the second value is True; otherwise ``n_perm`` random ones are drawn.

    >>> X, exact = period_relabellings(np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1]), 99,
    ...                                np.random.default_rng(0))
    >>> X.shape, exact
    ((4, 4), True)
    """
    x = np.asarray(x, dtype=np.int64)
    strata = np.asarray(strata)
    idx_by = [np.flatnonzero(strata == s) for s in np.unique(strata)]
    if n_relabellings(x, strata) <= n_perm:
        per = [_distinct_orders(sorted(x[idx].tolist())) for idx in idx_by]
        rows = []
        for combo in itertools.product(*per):
            row = np.empty(len(x), dtype=np.int64)
            for idx, order in zip(idx_by, combo):
                row[idx] = order
            rows.append(row)
        return np.array(rows, dtype=np.int64).reshape(len(rows), len(x)), True
    out = np.empty((n_perm, len(x)), dtype=np.int64)
    for idx in idx_by:
        order = np.argsort(rng.random((n_perm, len(idx))), axis=1)
        out[:, idx] = x[idx][order]
    return out, False


def _residuals(N: np.ndarray, T: np.ndarray, strata: np.ndarray) -> np.ndarray:
    """Observed minus expected evidence per event, expected from the stratum's own share."""
    res = np.zeros_like(N, dtype=np.float64)
    for s in np.unique(strata):
        rows = strata == s
        t = T[rows].sum()
        if t > 0:
            res[rows] = N[rows] - np.outer(T[rows], N[rows].sum(axis=0) / t)
    return res


def _variance(score: np.ndarray, res: np.ndarray, strata: np.ndarray) -> np.ndarray:
    """Exact permutation variance of ``sum_e score_e r_e`` with scores permuted within strata.

    For a stratum of n events: ``sum (a - mean a)^2 * sum (r - mean r)^2 / (n - 1)``.
    """
    var = np.zeros(res.shape[1])
    for s in np.unique(strata):
        rows = strata == s
        n = int(rows.sum())
        if n < 2:
            continue
        a = score[rows] - score[rows].mean()
        r = res[rows] - res[rows].mean(axis=0)
        var += (a @ a) * (r * r).sum(axis=0) / (n - 1)
    return var


def _z(stat: np.ndarray, sd: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sd > 1e-12, stat / np.where(sd > 1e-12, sd, 1.0), 0.0)


def _statistics(X: np.ndarray, res: np.ndarray, sd_trend: np.ndarray, sd_steps: list,
                cuts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For label rows ``X`` (R, events): Z of the trend, best signed step Z and its cut."""
    z_trend = _z(X.astype(np.float64) @ res, sd_trend)
    best = np.zeros_like(z_trend)
    cut = np.full(z_trend.shape, -1, dtype=np.int64)
    for k, at in enumerate(cuts):
        zk = _z((at <= X).astype(np.float64) @ res, sd_steps[k])
        better = np.abs(zk) > np.abs(best) + 1e-12
        best = np.where(better, zk, best)
        cut = np.where(better, at, cut)
    return z_trend, best, cut


def ordered_test(x: np.ndarray, strata: np.ndarray, N: np.ndarray, T: np.ndarray, *,
                 n_perm: int, rng: np.random.Generator, chunk: int = 2000) -> OrderedTest:
    """Trend, step and combined tests over every period, stratified (see the module docstring).

    ``x``: period position per event (integers; gaps are kept); ``strata``: stratum per event; ``N``: (events, themes)
    evidence; ``T``: people per event. Events with ``T == 0`` are left out.
    """
    keep = np.asarray(T) > 0
    x = np.asarray(x, dtype=np.int64)[keep]
    strata = np.asarray(strata)[keep]
    N, T = np.asarray(N, dtype=np.float64)[keep], np.asarray(T, dtype=np.float64)[keep]
    J = N.shape[1]
    cuts = np.unique(x)[1:]  # a step can start at any period with events but the first
    P = len(cuts) + 1
    res = _residuals(N, T, strata)
    sd_trend = np.sqrt(_variance(x.astype(np.float64), res, strata))
    sd_steps = [np.sqrt(_variance((x >= at).astype(np.float64), res, strata)) for at in cuts]
    z_t, z_s, cut = _statistics(x[None, :], res, sd_trend, sd_steps, cuts)
    z_t, z_s, cut = z_t[0], z_s[0], cut[0]
    m_obs = np.maximum(np.abs(z_t), np.abs(z_s))
    X, exact = period_relabellings(x, strata, n_perm, rng)
    extreme = np.zeros(J)
    for start in range(0, len(X), chunk):
        pt, ps, _ = _statistics(X[start:start + chunk], res, sd_trend, sd_steps, cuts)
        extreme += (np.maximum(np.abs(pt), np.abs(ps)) >= m_obs - 1e-9).sum(axis=0)
    p = extreme / len(X) if exact else (1.0 + extreme) / (len(X) + 1.0)
    # testable when some stratum was heard in two periods; a theme that never varies gets p = 1
    design_ok = any(len(np.unique(x[strata == v])) > 1 for v in np.unique(strata))
    testable = np.full(J, design_ok)
    p = np.where(testable, p, np.nan)
    margin = 2.0 * math.log(P - 1) if P > 2 else math.inf
    form = np.where(~testable, "", np.where(z_s ** 2 - z_t ** 2 > margin, "step", "trend"))
    step_at = np.where(testable & (cut >= 0), cut, -1)
    return OrderedTest(z_trend=z_t, z_step=z_s, step_at=step_at, form=form.astype(object),
                       p_value=p, exact=exact, n_relabellings=n_relabellings(x, strata))
