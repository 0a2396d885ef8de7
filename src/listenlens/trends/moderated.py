"""The all-period test with its noise borrowed across themes (empirical Bayes).

The permutation test of :mod:`~listenlens.trends.ordered` judges each theme against the spread
of its own events. On the design most listening programmes have (a few communities, one event
each a year, a handful of years) that spread rests on some twenty events: it is a noisy
estimate, and under a real change it also contains the change itself, so the change is judged
against itself. This test keeps the same statistics and the same combination but estimates the
noise better:

- **model** per theme: an event's share ``y_e = N_e / T_e`` has a mean set by its community
  (stratum) and its period, and variance ``phi * p (1 - p) / T_e`` (``p``: the theme's overall
  share; ``phi``: the theme's over-dispersion, 1 for people raising a theme independently,
  larger when events differ from one another);
- **noise** ``phi_j`` from the residuals of the *saturated* model (community + every period):
  whatever the change over time looks like, it does not leak into the noise;
  ``d = events - communities - (periods - 1)`` degrees of freedom;
- **borrowing**: the themes' ``phi_j`` are shrunk towards their common value with the
  empirical-Bayes rule of moderated t statistics (a scaled inverse chi-square prior whose degrees
  of freedom ``d0`` and scale ``s0`` are estimated from the spread of the ``log phi_j``, by the
  method of moments): ``phi~_j = (d0 s0 + d phi_j) / (d0 + d)`` on ``d0 + d`` degrees of
  freedom. When the themes' dispersions differ more than chance allows, ``d0`` is small and each
  theme keeps (nearly) its own; with fewer than three themes nothing is borrowed. Borrowing only
  ever *raises* a theme's noise (``max(phi~_j, phi_j)``): a theme noisier than the rest (one
  event where everyone raised it) keeps its own noise, so one odd event is not judged against the
  quiet themes' spread;
- **statistics**: the weighted (``T_e``) least-squares slope on the period position and, for
  every cut, the step between the periods before and after it, each within community, as t
  statistics with the moderated noise; the **combined** statistic is the largest ``|t|``, and its
  p-value is ``P(max_k |t_k| >= observed)`` for the multivariate t whose correlation is the
  design's (the contrasts share one noise estimate), by simulation with a fixed seed.

The form ("trend"/"step"), the step's period and the direction are chosen exactly as in
:mod:`~listenlens.trends.ordered`. When the saturated model leaves fewer than two degrees of
freedom (one community heard once a period) there is no noise to estimate; :func:`shifts_test`
then falls back to the permutation test.

**The trend test** (:func:`trend_test`, what ``shifts()`` uses by default) keeps the model and
the noise but makes two choices differently, after a decomposition of where the combined test
lost power (``benchmarks/trends_decompose.py``):

- the p-value is the two-sided t test of the **slope** alone (every monotone change, a step
  included, moves the slope); the steps are still computed, but only to *describe* the change
  (``form``, ``step_at``). Taking the larger of the slope and every step made each test pay
  for ``periods`` looks: on 4 communities x 2 events x 6 years it found 56% of 20-point
  changes after adjustment against 72% for the slope alone;
- the noise is the empirical-Bayes posterior ``phi~_j`` as it is (:func:`moderate`), on
  ``d0 + d`` degrees of freedom, except for a theme whose own dispersion is too large to come
  from the common prior (``phi_j / s0`` beyond the upper 1% of its predictive F(d, d0)
  distribution): that theme keeps its own, on ``d``. The rule "never below the theme's own" is
  thus kept for the themes it was meant for (one event where everyone raised a theme) without
  raising every quiet theme's noise to its own chance high.

>>> x = np.repeat(np.arange(5), 5); s = np.tile(np.arange(5), 5); T = np.full(25, 10.)
>>> rng = np.random.default_rng(1)  # theme 0 rises from 20% to 60%, seven stay at 20%
>>> N = rng.binomial(10, 0.2 + np.outer(x, [0.1] + [0.0] * 7)).astype(float)
>>> r = moderated_test(x, s, N, T, n_sim=999, seed=0)
>>> bool(r.p_value[0] < 0.01), bool((r.p_value[1:] > 0.05).all()), r.df, str(r.form[0])
(True, True, 16, 'trend')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from .ordered import ordered_test

__all__ = ["ModeratedTest", "moderated_test", "trend_test", "moderate", "prior_dispersion",
           "shifts_test", "TESTS", "OUTLIER_LEVEL"]

#: The tests ``shifts()`` can use; the first is the default.
TESTS = ("trend", "moderated", "permutation")
#: A theme whose dispersion lies beyond this upper tail of the common prior keeps its own.
OUTLIER_LEVEL = 0.01


@dataclass(frozen=True)
class ModeratedTest:
    """Result per theme of :func:`moderated_test` (arrays of length ``themes``).

    ``z_trend`` / ``z_step``: t statistics of the slope and of the best signed step;
    ``step_at``, ``form``, ``p_value``, ``direction``: as for
    :class:`~listenlens.trends.ordered.OrderedTest`; ``phi``: the theme's own dispersion and
    ``phi_moderated`` the shrunk one; ``df`` the saturated model's residual degrees of freedom,
    ``prior_df`` / ``prior_phi`` what was borrowed (``inf``: the themes share one dispersion).
    """

    z_trend: np.ndarray
    z_step: np.ndarray
    step_at: np.ndarray
    form: np.ndarray
    p_value: np.ndarray
    phi: np.ndarray
    phi_moderated: np.ndarray
    df: int
    prior_df: float
    prior_phi: float
    n_sim: int

    @property
    def direction(self) -> np.ndarray:
        """+1 (rise), -1 (fall) or 0, from the sign of the reported form's statistic."""
        z = np.where(self.form == "step", self.z_step, self.z_trend)
        return np.sign(np.nan_to_num(z))


def prior_dispersion(phi: np.ndarray, d: int) -> tuple[float, float]:
    """Prior degrees of freedom and scale of dispersions ``phi`` each on ``d`` degrees of
    freedom (moments of ``log phi``); ``(0, nan)`` with fewer than three usable values.

    >>> rng = np.random.default_rng(1)
    >>> d0, s0 = prior_dispersion(1.3 * rng.chisquare(10, 400) / 10, 10)
    >>> d0 > 50, round(s0, 1)
    (True, 1.3)
    """
    phi = np.asarray(phi, dtype=np.float64)
    phi = phi[np.isfinite(phi) & (phi > 0)]
    if len(phi) < 3 or d < 1:
        return 0.0, float("nan")
    e = np.log(phi) - special.digamma(d / 2) + math.log(d / 2)
    excess = float(e.var(ddof=1) - special.polygamma(1, d / 2))
    if excess <= float(special.polygamma(1, 5e5)):
        return math.inf, float(np.exp(e.mean()))
    d0 = float(optimize.brentq(lambda v: special.polygamma(1, v / 2) - excess, 1e-6, 1e6))
    s0 = float(np.exp(e.mean() + special.digamma(d0 / 2) - math.log(d0 / 2)))
    return d0, s0


def _within(a: np.ndarray, strata: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``a`` (events, k) minus its weighted mean within each stratum."""
    out = np.array(a, dtype=np.float64, copy=True)
    for s in np.unique(strata):
        rows = strata == s
        out[rows] -= (w[rows, None] * out[rows]).sum(axis=0) / w[rows].sum()
    return out


def _dispersion(x: np.ndarray, strata: np.ndarray, y: np.ndarray, w: np.ndarray,
                v: np.ndarray) -> tuple[np.ndarray, int]:
    """Each theme's dispersion from the community + period model, and its degrees of freedom."""
    design = np.column_stack([strata[:, None] == np.unique(strata)[None, :],
                              x[:, None] == np.unique(x)[1:][None, :]]).astype(np.float64)
    sw = np.sqrt(w)[:, None]
    beta = np.linalg.lstsq(design * sw, y * sw, rcond=None)[0]
    d = len(x) - int(np.linalg.matrix_rank(design))
    rss = (w[:, None] * (y - design @ beta) ** 2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(v > 0, rss / max(d, 1) / np.where(v > 0, v, 1.0), np.nan)
    return phi, d


def _max_abs_t(corr: np.ndarray, df: float, n_sim: int, seed: int) -> np.ndarray:
    """Sorted draws of ``max_k |t_k|`` for a multivariate t with correlation ``corr``."""
    rng = np.random.default_rng([seed, 16])
    k = corr.shape[0]
    chol = np.linalg.cholesky(corr + 1e-9 * np.eye(k))
    z = rng.standard_normal((n_sim, k)) @ chol.T
    if math.isfinite(df):
        z /= np.sqrt(rng.chisquare(df, n_sim) / df)[:, None]
    return np.sort(np.abs(z).max(axis=1))


def _noise(x: np.ndarray, strata: np.ndarray, N: np.ndarray, T: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float, float]:
    """Shares, overall share variance, each theme's dispersion, its residual degrees of freedom
    and the prior (degrees of freedom, scale) borrowed across themes."""
    y = N / T[:, None]
    share = N.sum(axis=0) / T.sum()
    v = share * (1.0 - share)
    phi, d = _dispersion(x, strata, y, T, v)
    d0, s0 = prior_dispersion(phi, d)
    return y, v, phi, d, d0, s0


def _contrasts(x: np.ndarray, strata: np.ndarray, y: np.ndarray, T: np.ndarray, noise: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """t statistics (contrasts, themes) of the slope and every step, with variance ``noise / T``
    per event; the contrasts centred within strata, the cuts and which contrasts exist."""
    cuts = np.unique(x)[1:]
    contrasts = np.column_stack([x.astype(np.float64)]
                                + [(x >= c).astype(np.float64) for c in cuts])
    xc = _within(contrasts, strata, T)
    ss = (T[:, None] * xc ** 2).sum(axis=0)
    ok = ss > 1e-12
    b = (xc * T[:, None]).T @ _within(y, strata, T) / np.where(ok, ss, 1.0)[:, None]
    se = np.sqrt(noise)[None, :] / np.sqrt(np.where(ok, ss, np.inf))[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(se > 0, b / np.where(se > 0, se, 1.0), 0.0)
    t[~ok] = 0.0
    return t, xc, cuts, ok


def _clean(x: np.ndarray, strata: np.ndarray, N: np.ndarray, T: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    keep = np.asarray(T) > 0
    return (np.asarray(x, dtype=np.int64)[keep], np.asarray(strata)[keep],
            np.asarray(N, dtype=np.float64)[keep], np.asarray(T, dtype=np.float64)[keep])


def moderated_test(x: np.ndarray, strata: np.ndarray, N: np.ndarray, T: np.ndarray, *,
                   n_sim: int = 9999, seed: int = 0) -> ModeratedTest:
    """Trend, step and combined tests with the noise borrowed across themes (see the module
    docstring). Arguments as for :func:`~listenlens.trends.ordered.ordered_test`; ``n_sim``
    draws give the combined p-value (at least ``1 / (n_sim + 1)``). Events with ``T == 0``
    are left out."""
    x, strata, N, T = _clean(x, strata, N, T)
    y, v, phi, d, d0, s0 = _noise(x, strata, N, T)
    phi_own = np.nan_to_num(phi, nan=0.0)
    if math.isinf(d0):
        phi_mod, df = np.full(len(v), s0), math.inf
    elif d0 > 0:
        phi_mod, df = (d0 * s0 + d * phi_own) / (d0 + d), d0 + d
    else:
        phi_mod, df = phi_own, float(d)
    phi_mod = np.maximum(phi_mod, phi_own)  # borrowing may raise a theme's noise, never lower it
    t, xc, cuts, ok = _contrasts(x, strata, y, T, phi_mod * v)
    return _combine(t, xc[:, ok], T, cuts, ok, df=df, d=d, n_sim=n_sim, seed=seed,
                    phi=phi, phi_mod=phi_mod, d0=d0, s0=s0)


def _best_step(t: np.ndarray, cuts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The slope's t, the best signed step's t and the period after its cut (-1: none)."""
    J = t.shape[1]
    steps = t[1:]
    best = np.abs(steps).argmax(axis=0) if len(cuts) else np.zeros(J, dtype=np.int64)
    z_step = steps[best, np.arange(J)] if len(cuts) else np.zeros(J)
    cut = cuts[best] if len(cuts) else np.full(J, -1)
    return t[0], z_step, cut


def _form(p: np.ndarray, z_trend: np.ndarray, z_step: np.ndarray, cut: np.ndarray,
          n_cuts: int) -> tuple[np.ndarray, np.ndarray]:
    """"step" when the best step beats the slope by ``2 ln(cuts)``, else "trend" ("" when
    untested), and the step's period."""
    margin = 2.0 * math.log(n_cuts) if n_cuts > 1 else math.inf
    form = np.where(~np.isfinite(p), "",
                    np.where(z_step ** 2 - z_trend ** 2 > margin, "step", "trend"))
    step_at = np.where(np.isfinite(p) & (cut >= 0), cut, -1)
    return form.astype(object), step_at


def _combine(t: np.ndarray, xc: np.ndarray, w: np.ndarray, cuts: np.ndarray, ok: np.ndarray,
             *, df: float, d: int, n_sim: int, seed: int, phi: np.ndarray,
             phi_mod: np.ndarray, d0: float, s0: float) -> ModeratedTest:
    """The combined p-value, the form and the step's period from the contrasts' t (k, J)."""
    z_trend, z_step, cut = _best_step(t, cuts)
    testable = bool(ok.any()) and d >= 1
    p = np.full(t.shape[1], np.nan)
    if testable:
        gram = (xc * w[:, None]).T @ xc
        sd = np.sqrt(np.diag(gram))
        draws = _max_abs_t(gram / np.outer(sd, sd), df, n_sim, seed)
        m = np.abs(t[ok]).max(axis=0)
        above = n_sim - np.searchsorted(draws, m - 1e-12)
        p = (1.0 + above) / (n_sim + 1.0)
        p = np.where(phi_mod > 0, p, 1.0)  # a theme that never varies cannot have changed
    form, step_at = _form(p, z_trend, z_step, cut, len(cuts))
    return ModeratedTest(z_trend=z_trend, z_step=z_step, step_at=step_at, form=form,
                         p_value=p, phi=phi, phi_moderated=phi_mod, df=d, prior_df=d0,
                         prior_phi=s0, n_sim=n_sim)


def moderate(phi: np.ndarray, d: int, d0: float, s0: float, *,
             outlier_level: float = OUTLIER_LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Moderated dispersions, their degrees of freedom and which themes are outliers.

    The empirical-Bayes posterior ``(d0 s0 + d phi) / (d0 + d)`` on ``d0 + d`` degrees of
    freedom, except for a theme whose own dispersion is too large to come from the common prior
    (``phi / s0`` beyond the upper ``outlier_level`` tail of its predictive F(d, d0)
    distribution): it keeps its own on ``d`` degrees of freedom.

    >>> phi_mod, df, out = moderate(np.array([1.0, 1.2, 0.8, 6.0]), 12, 40.0, 1.0)
    >>> phi_mod.round(3).tolist(), df.tolist(), out.tolist()
    ([1.0, 1.046, 0.954, 6.0], [52.0, 52.0, 52.0, 12.0], [False, False, False, True])
    """
    phi = np.nan_to_num(np.asarray(phi, dtype=np.float64), nan=0.0)
    if d0 <= 0 or not math.isfinite(s0) or s0 <= 0:
        return phi, np.full(len(phi), float(d)), np.zeros(len(phi), dtype=bool)
    if math.isinf(d0):
        tail = stats.chi2.sf(phi / s0 * d, d)
        post, df = np.full(len(phi), s0), math.inf
    else:
        tail = stats.f.sf(phi / s0, d, d0)
        post, df = (d0 * s0 + d * phi) / (d0 + d), d0 + d
    out = tail < outlier_level
    return (np.where(out, phi, post), np.where(out, float(d), df), out)


def trend_test(x: np.ndarray, strata: np.ndarray, N: np.ndarray, T: np.ndarray
               ) -> ModeratedTest:
    """The trend contrast as the test, with moderated noise (see the module docstring).

    Each theme's p-value is the two-sided t test of its within-community slope on the period
    position, the noise moderated by :func:`moderate`; the steps are computed to *describe* the
    change (``form``, ``step_at``) and do not enter the p-value. Arguments as for
    :func:`moderated_test`; ``n_sim`` of the result is 0 (nothing is simulated).
    """
    x, strata, N, T = _clean(x, strata, N, T)
    y, v, phi, d, d0, s0 = _noise(x, strata, N, T)
    phi_mod, df, _ = moderate(phi, d, d0, s0)
    t, _, cuts, ok = _contrasts(x, strata, y, T, phi_mod * v)
    z_trend, z_step, cut = _best_step(t, cuts)
    p = np.full(t.shape[1], np.nan)
    if ok[0] and d >= 1:
        p = np.where(phi_mod > 0, 2.0 * stats.t.sf(np.abs(z_trend), df), 1.0)
    form, step_at = _form(p, z_trend, z_step, cut, len(cuts))
    return ModeratedTest(z_trend=z_trend, z_step=z_step, step_at=step_at, form=form,
                         p_value=p, phi=phi, phi_moderated=phi_mod, df=d, prior_df=d0,
                         prior_phi=s0, n_sim=0)


def shifts_test(x: np.ndarray, strata: np.ndarray, N: np.ndarray, T: np.ndarray, *, test: str,
                n_perm: int, rng: np.random.Generator, seed: int = 0
                ) -> ModeratedTest | object:
    """The all-period test ``shifts()`` uses: ``"trend"`` (:func:`trend_test`), ``"moderated"``
    (:func:`moderated_test`; for both, the permutation test when the design leaves fewer than
    two degrees of freedom for the noise) or ``"permutation"``
    (:func:`~listenlens.trends.ordered.ordered_test`)."""
    if test not in TESTS:
        raise ValueError(f"test must be one of {', '.join(map(repr, TESTS))}; got {test!r}")
    x = np.asarray(x, dtype=np.int64)
    strata = np.asarray(strata)
    live = np.asarray(T) > 0
    n_strata = len(np.unique(strata[live]))
    d = int(live.sum()) - n_strata - (len(np.unique(x[live])) - 1)
    if test == "trend" and d >= 2:
        return trend_test(x, strata, N, T)
    if test == "moderated" and d >= 2:
        return moderated_test(x, strata, N, T, n_sim=n_perm, seed=seed)
    return ordered_test(x, strata, N, T, n_perm=n_perm, rng=rng)
