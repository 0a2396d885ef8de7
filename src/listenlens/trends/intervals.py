"""Uncertainty with events as the sampling unit: clustered bootstrap, permutation tests, BH.

Everything here works on *clusters*: rows of evidence that are resampled or relabelled whole. A
cluster is one event (or one event x group pair when a grouping splits events). Arrays are numpy
throughout so thousands of resamples over hundreds of events take milliseconds.

- :func:`cluster_weights`: the weight of each event in each bootstrap resample (Rao-Wu
  rescaling bootstrap: events resampled with replacement *within strata*, e.g. within each
  period, so every period keeps its weight, and rescaled so small strata are not overconfident).
- :func:`prevalence`: pooled shares per cell with intervals.
- :func:`difference_test`: share in set B minus share in set A, with a stratified bootstrap
  interval and a two-sided permutation p-value (events relabelled between A and B).
- :func:`within_strata_test`: the same comparison made *within* strata (e.g. communities) and
  averaged, with labels permuted within strata only; for designs where strata differ strongly and
  are unevenly spread over A and B.
- :func:`bh_adjust`: Benjamini-Hochberg adjusted p-values.

Intervals (:func:`t_interval`): estimate +/- t x bootstrap standard error, with a Student t
quantile on (events - strata) degrees of freedom, clipped to the possible range. Not the plain
percentile interval: with the few events a quarter or a community usually has, percentiles of
the resampled shares are far too narrow (in the benchmark corpus, cells of two events covered the
true share about half the time), while the t interval keeps its nominal coverage there and
matches the percentile interval once a cell has many events. A cell of one event has no interval.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["cluster_weights", "collapse", "prevalence", "difference_test", "within_strata_test",
           "bh_adjust", "storey_adjust", "t_interval", "t_bounds", "relabellings", "Prevalence", "Difference"]


def cluster_weights(strata: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n_clusters) bootstrap weights: the Rao-Wu rescaling bootstrap within strata.

    In a stratum of m >= 2 clusters, each resample draws m - 1 clusters with replacement and
    weights each draw by m / (m - 1), so the weights of a stratum sum to m and the bootstrap
    variance of a sum is unbiased even when m is small (the naive bootstrap, drawing m, shrinks
    it by (m - 1) / m: by half for two events). A stratum of one cluster keeps weight 1 in every
    resample (no between-event variation to estimate).

    >>> w = cluster_weights(np.array([0, 0, 1]), 4, np.random.default_rng(0))
    >>> w.shape, w[:, :2].sum(axis=1).tolist(), w[:, 2].tolist()
    ((4, 3), [2.0, 2.0, 2.0, 2.0], [1.0, 1.0, 1.0, 1.0])
    >>> sorted(set(w[:, :2].ravel().tolist())) <= [0.0, 2.0]
    True
    """
    strata = np.asarray(strata)
    w = np.zeros((n_boot, len(strata)), dtype=np.float64)
    for s in np.unique(strata):
        idx = np.flatnonzero(strata == s)
        m = len(idx)
        if m == 1:
            w[:, idx] = 1.0
            continue
        draws = rng.multinomial(m - 1, np.full(m, 1.0 / m), size=n_boot)
        w[:, idx] = draws * (m / (m - 1))
    return w


def collapse(keys: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sum rows sharing a key; returns the unique keys (sorted) and the summed arrays."""
    uniq, inv = np.unique(keys, return_inverse=True)
    out = []
    for a in arrays:
        shape = (len(uniq),) + a.shape[1:]
        acc = np.zeros(shape, dtype=np.float64)
        np.add.at(acc, inv, a)
        out.append(acc)
    return uniq, out


@dataclass(frozen=True)
class Prevalence:
    """Per-cell pooled share and bootstrap-t interval (arrays of shape (cells, themes))."""

    n: np.ndarray
    total: np.ndarray
    share: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray


def t_interval(draws: np.ndarray, estimate: np.ndarray, df: np.ndarray | float, level: float,
               bounds: tuple[float, float] = (0.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """``estimate +/- t(df) x sd(draws)``, clipped to ``bounds``; NaN where ``df < 1``.

    ``draws`` are bootstrap replicates along axis 0 (NaN replicates are ignored).

    >>> lo, hi = t_interval(np.array([[0.2], [0.6]]), np.array([0.4]), 1, 0.95)
    >>> float(lo[0]), float(hi[0])
    (0.0, 1.0)
    >>> lo, hi = t_interval(np.array([[0.4], [0.4]]), np.array([0.4]), 5, 0.95)
    >>> float(lo[0]), float(hi[0])
    (0.4, 0.4)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        se = np.nanstd(draws, axis=0)
    return t_bounds(estimate, se, df, level, bounds)


def t_bounds(estimate: np.ndarray, se: np.ndarray, df: np.ndarray | float, level: float,
             bounds: tuple[float, float] = (0.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """``estimate +/- t(df) x se``, clipped to ``bounds``; NaN where ``df < 1``."""
    from scipy.stats import t as student_t

    df = np.broadcast_to(np.asarray(df, dtype=float), np.shape(estimate))
    with np.errstate(invalid="ignore"):
        q = np.where(df >= 1, student_t.ppf((1.0 + level) / 2.0, np.maximum(df, 1.0)), np.nan)
    lo = np.clip(estimate - q * se, *bounds)
    hi = np.clip(estimate + q * se, *bounds)
    return lo, hi


def prevalence(cell: np.ndarray, N: np.ndarray, T: np.ndarray, weights: np.ndarray,
               n_cells: int, level: float, df: np.ndarray) -> Prevalence:
    """Pooled share ``sum(N) / sum(T)`` per cell, with a clustered bootstrap t interval.

    ``cell`` gives each cluster's cell (0..n_cells-1); ``weights`` (resamples x clusters) are the
    bootstrap weights of each cluster; ``df`` the degrees of freedom per cell (its events minus
    its strata). A resample in which a cell has no denominator is ignored for that cell.
    """
    J = N.shape[1]
    n = np.zeros((n_cells, J))
    total = np.zeros(n_cells)
    np.add.at(n, cell, N)
    np.add.at(total, cell, T)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total[:, None] > 0, n / total[:, None], np.nan)
    lo = np.full((n_cells, J), np.nan)
    hi = np.full((n_cells, J), np.nan)
    order = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[order], np.arange(n_cells + 1))
    for k in range(n_cells):
        idx = order[bounds[k]:bounds[k + 1]]
        if len(idx) == 0:
            continue
        w = weights[:, idx]
        num = w @ N[idx]
        den = w @ T[idx]
        with np.errstate(invalid="ignore", divide="ignore"):
            draws = np.where(den[:, None] > 0, num / den[:, None], np.nan)
        lo[k], hi[k] = t_interval(draws, share[k], df[k], level)
    return Prevalence(n=n, total=total, share=share, ci_low=lo, ci_high=hi)


@dataclass(frozen=True)
class Difference:
    """Share in B minus share in A per theme, with interval and permutation p-value."""

    share_a: np.ndarray
    share_b: np.ndarray
    diff: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value: np.ndarray


def _shares(w: np.ndarray, N: np.ndarray, T: np.ndarray) -> np.ndarray:
    num = w @ N
    den = w @ T
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den[:, None] > 0, num / den[:, None], np.nan)


def relabellings(strata: np.ndarray, in_b: np.ndarray, n_perm: int,
                 rng: np.random.Generator) -> tuple[np.ndarray, bool]:
    """Permuted B memberships ``(R, clusters)`` keeping the number of B clusters per stratum.

    When the number of distinct relabellings (the product over strata of "n choose k") is at
    most ``n_perm``, all of them are listed (an exact test; the observed labelling is one of
    them) and the second value is True; otherwise ``n_perm`` are drawn at random.

    >>> m, exact = relabellings(np.array([0, 0, 1, 1, 1]), np.array([0, 1, 0, 0, 1]), 99,
    ...                         np.random.default_rng(0))
    >>> m.shape, exact, sorted(set(m[:, :2].sum(axis=1).tolist() + m[:, 2:].sum(axis=1).tolist()))
    ((6, 5), True, [1.0])
    """
    strata = np.asarray(strata)
    in_b = np.asarray(in_b, dtype=bool)
    groups = [(np.flatnonzero(strata == s), int(in_b[strata == s].sum()))
              for s in np.unique(strata)]
    n_distinct = math.prod(math.comb(len(idx), k) for idx, k in groups)
    C = len(strata)
    if n_distinct <= n_perm:
        choices = [list(itertools.combinations(idx.tolist(), k)) for idx, k in groups]
        out = np.zeros((n_distinct, C))
        for r, combo in enumerate(itertools.product(*choices)):
            for chosen in combo:
                out[r, list(chosen)] = 1.0
        return out, True
    out = np.zeros((n_perm, C))
    for idx, k in groups:
        if k == 0:
            continue
        order = np.argsort(rng.random((n_perm, len(idx))), axis=1)[:, :k]
        np.put_along_axis(out, idx[order], 1.0, axis=1)
    return out, False


def _p_value(d_perm: np.ndarray, diff: np.ndarray, exact: bool) -> np.ndarray:
    """Two-sided permutation p-value; ``exact``: ``d_perm`` lists every relabelling."""
    with np.errstate(invalid="ignore"):
        extreme = (np.abs(d_perm) >= np.abs(diff) - 1e-12).sum(axis=0)
    n = d_perm.shape[0]
    return extreme / n if exact else (1.0 + extreme) / (n + 1.0)


def difference_test(in_b: np.ndarray, N: np.ndarray, T: np.ndarray, *, n_boot: int,
                    n_perm: int, level: float, rng: np.random.Generator,
                    strata: np.ndarray | None = None) -> Difference:
    """Compare the pooled share in clusters ``in_b`` against the rest (clusters ``~in_b``).

    Interval: clusters are resampled within A and within B (and within ``strata`` if given),
    t interval of the difference on (clusters - strata) degrees of freedom. p-value: the A/B
    labels are shuffled (the number of clusters in B kept), two-sided: exact over every
    relabelling when there are at most ``n_perm`` of them, else
    ``(1 + #{|d*| >= |d|}) / (n_perm + 1)`` over ``n_perm`` random ones.
    """
    in_b = np.asarray(in_b, dtype=bool)
    keep = T > 0
    in_b, N, T = in_b[keep], N[keep], T[keep]
    C, J = N.shape
    nan = np.full(J, np.nan)
    if C == 0 or in_b.all() or not in_b.any():
        return Difference(nan, nan, nan, nan, nan, nan)
    b, a = in_b.astype(float), (~in_b).astype(float)
    share_a = _shares(a[None, :], N, T)[0]
    share_b = _shares(b[None, :], N, T)[0]
    diff = share_b - share_a
    s = in_b.astype(np.int64) if strata is None else (
        np.asarray(strata)[keep].astype(np.int64) * 2 + in_b)
    w = cluster_weights(s, n_boot, rng)
    d_boot = _shares(w * b, N, T) - _shares(w * a, N, T)
    lo, hi = t_interval(d_boot, diff, len(s) - len(np.unique(s)), level, bounds=(-1.0, 1.0))
    # permutation null: which clusters form B, over all clusters
    mb, exact = relabellings(np.zeros(C, dtype=np.int64), in_b, n_perm, rng)
    d_perm = _shares(mb, N, T) - _shares(1.0 - mb, N, T)
    return Difference(share_a, share_b, diff, lo, hi, _p_value(d_perm, diff, exact))


def _within(mb: np.ndarray, ma: np.ndarray, N: np.ndarray, T: np.ndarray,
            strata: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Standardised shares of A and B, ``(R, themes)`` each, for weight rows ``ma`` / ``mb``.

    Per stratum s: shares ``a_s``, ``b_s`` and weight ``w_s = Ta_s Tb_s / (Ta_s + Tb_s)`` (half
    the harmonic mean of the two denominators: large only when *both* windows have many
    people); the results are ``sum w_s a_s / sum w_s`` and ``sum w_s b_s / sum w_s``.
    """
    R, J = mb.shape[0], N.shape[1]
    acc_a, acc_b, wsum = np.zeros((R, J)), np.zeros((R, J)), np.zeros(R)
    for s in np.unique(strata):
        cols = strata == s
        tb, ta = mb[:, cols] @ T[cols], ma[:, cols] @ T[cols]
        ok = (ta > 0) & (tb > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            sb = (mb[:, cols] @ N[cols]) / tb[:, None]
            sa = (ma[:, cols] @ N[cols]) / ta[:, None]
            w = np.where(ok, ta * tb / (ta + tb), 0.0)
        acc_a += np.where(ok[:, None], w[:, None] * sa, 0.0)
        acc_b += np.where(ok[:, None], w[:, None] * sb, 0.0)
        wsum += w
    with np.errstate(invalid="ignore", divide="ignore"):
        return acc_a / wsum[:, None], acc_b / wsum[:, None]


def within_strata_test(in_b: np.ndarray, N: np.ndarray, T: np.ndarray, strata: np.ndarray, *,
                       n_boot: int, n_perm: int, level: float,
                       rng: np.random.Generator) -> Difference:
    """B against A *within* strata, averaged over strata (for unbalanced, unlike strata).

    Only strata with clusters in both A and B inform the comparison; the others are left out.
    Shares are standardised to a common stratum mix (weights of :func:`_within`), so a stratum
    that is both talkative about a theme and over-represented in B cannot make a change on its
    own, and the difference is a weighted average of within-stratum differences.

    p-value: A/B labels permuted *within* strata (each stratum keeps its number of B clusters),
    the same statistic recomputed; exact when there are at most ``n_perm`` relabellings.
    Interval: ``diff +/- t x se`` on (clusters - strata - 1) degrees of freedom (the residual
    degrees of freedom of a stratum + window model), where ``se`` is the larger of the
    bootstrap standard error (clusters resampled within stratum x window) and the standard
    deviation of the permutation distribution. The bootstrap alone cannot see the variation of a
    stratum that has one cluster in a window (it keeps it fixed) and would be too narrow in
    the few-event designs this test is for; the permutation spread does move every cluster.

    >>> N = np.array([[9.], [10.], [1.], [2.]]); T = np.full(4, 10.)
    >>> d = within_strata_test(np.array([0, 1, 0, 1]), N, T, np.array([0, 0, 1, 1]),
    ...                        n_boot=10, n_perm=99, level=0.95, rng=np.random.default_rng(0))
    >>> round(float(d.diff[0]), 3), round(float(d.share_a[0]), 3), float(d.p_value[0])
    (0.1, 0.5, 0.5)
    """
    in_b = np.asarray(in_b, dtype=bool)
    strata = np.asarray(strata, dtype=np.int64)
    keep = T > 0
    both = [s for s in np.unique(strata[keep])
            if in_b[keep & (strata == s)].any() and (~in_b[keep & (strata == s)]).any()]
    keep &= np.isin(strata, both)
    in_b, N, T, strata = in_b[keep], N[keep], T[keep], strata[keep]
    C, J = N.shape
    nan = np.full(J, np.nan)
    if not both:
        return Difference(nan, nan, nan, nan, nan, nan)
    b = in_b.astype(float)[None, :]
    share_a, share_b = (x[0] for x in _within(b, 1.0 - b, N, T, strata))
    diff = share_b - share_a
    mb, exact = relabellings(strata, in_b, n_perm, rng)
    pa, pb = _within(mb, 1.0 - mb, N, T, strata)
    d_perm = pb - pa
    w = cluster_weights(strata * 2 + in_b, n_boot, rng)
    ba, bb = _within(w * b, w * (1.0 - b), N, T, strata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        se = np.fmax(np.nanstd(bb - ba, axis=0), np.nanstd(d_perm, axis=0))
    df = C - len(both) - 1
    lo, hi = t_bounds(diff, se, df, level, bounds=(-1.0, 1.0))
    return Difference(share_a, share_b, diff, lo, hi, _p_value(d_perm, diff, exact))


def bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (NaN stays NaN and is not counted as a test).

    >>> bh_adjust(np.array([0.01, 0.04, np.nan, 0.03])).round(3).tolist()
    [0.03, 0.04, nan, 0.04]
    """
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ranked = p[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(ranked[::-1])[::-1]
    out[order] = np.minimum(adj, 1.0)
    return out


def storey_adjust(p: np.ndarray, lam: float = 0.5) -> np.ndarray:
    """Adaptive Benjamini-Hochberg (Storey, Taylor and Siegmund 2004) adjusted p-values.

    BH run as if only ``m * pi0`` of the ``m`` hypotheses were true nulls, with the
    finite-sample estimate ``pi0 = (1 + #{p > lam}) / (m (1 - lam))`` (at most 1), which keeps
    the false discovery rate at the level for independent p-values; a row's adjusted p-value is
    never below its own p-value, so nothing is called at ``alpha`` that its own test did not
    find at ``alpha``. NaN stays NaN and is not counted.

    >>> storey_adjust(np.array([0.001, 0.01, 0.02, 0.03, 0.04, 0.7])).round(4).tolist()
    [0.004, 0.02, 0.0267, 0.03, 0.04, 0.7]
    >>> bool((storey_adjust(np.array([0.01, 0.6, 0.9])) == bh_adjust(np.array([0.01, 0.6,
    ...      0.9]))).all())
    True
    """
    p = np.asarray(p, dtype=float)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return np.full_like(p, np.nan)
    pi0 = min(1.0, (1.0 + float((p[ok] > lam).sum())) / (m * (1.0 - lam)))
    return np.maximum(bh_adjust(p) * pi0, p)
