"""The moderated all-period test (trends/moderated.py): exact against an independent fit,
calibrated on null themes, blind to differences between communities, borrows noise."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from listenlens.trends.moderated import (
    OUTLIER_LEVEL,
    TESTS,
    moderate,
    moderated_test,
    prior_dispersion,
    shifts_test,
    trend_test,
)
from listenlens.trends.ordered import OrderedTest


def test_two_periods_give_the_ordinary_t_test_of_the_period_effect():
    """Two communities, two events each in 2021 and 2022, 10 people each; two themes, so
    nothing is borrowed: t is the period coefficient's t in shares ~ community + period."""
    x = np.array([0, 0, 1, 1, 0, 0, 1, 1])
    s = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    N = np.array([[2, 5], [3, 5], [5, 4], [6, 6], [1, 2], [2, 3], [4, 3], [4, 2]], float)
    T = np.full(8, 10.0)
    r = moderated_test(x, s, N, T, n_sim=200_000, seed=0)
    y = N[:, 0] / 10
    X = np.column_stack([s == 0, s == 1, x == 1]).astype(float)
    beta, rss, *_ = np.linalg.lstsq(X, y, rcond=None)
    d = 8 - 3
    se = np.sqrt(rss[0] / d * np.linalg.inv(X.T @ X)[2, 2])
    assert r.df == d and np.isnan(r.prior_phi)
    assert r.z_trend[0] == pytest.approx(beta[2] / se)
    assert beta[2] == pytest.approx(0.275) and r.z_step[0] == pytest.approx(r.z_trend[0])
    p_t = 2 * stats.t.sf(abs(beta[2] / se), d)
    assert r.p_value[0] == pytest.approx(p_t, abs=0.002)
    assert r.direction[0] == 1


def test_null_themes_are_rejected_at_about_alpha():
    rng = np.random.default_rng(7)
    x = np.repeat(np.arange(5), 5)
    s = np.tile(np.arange(5), 5)
    rejected, total = 0, 0
    for _ in range(10):
        T = rng.integers(5, 16, 25).astype(float)
        base = rng.choice([0.1, 0.3, 0.5], 20)
        logit = (np.log(base / (1 - base))[None, :] + rng.normal(0, 0.5, (5, 20))[s]
                 + rng.normal(0, 0.4, (25, 20)))
        N = rng.binomial(T.astype(int)[:, None], 1 / (1 + np.exp(-logit))).astype(float)
        p = moderated_test(x, s, N, T, n_sim=1999, seed=1).p_value
        rejected += int((p < 0.05).sum())
        total += len(p)
    assert 0.02 <= rejected / total <= 0.08


def test_a_difference_between_communities_is_not_a_change():
    """One community raising a theme more, always, changes neither its slope nor its test (one
    theme: nothing borrowed, so the t statistic is the slope over its own noise)."""
    x = np.repeat(np.arange(4), 3)
    s = np.tile(np.arange(3), 4)
    N = np.array([[2], [3], [1], [3], [2], [2], [4], [3], [2], [5], [4], [3]], float)
    T = np.full(12, 10.0)
    shifted = N.copy()
    shifted[s == 2] += 4  # community 2 raises the theme four people more at every event
    a = moderated_test(x, s, N, T, n_sim=999, seed=0)
    b = moderated_test(x, s, shifted, T, n_sim=999, seed=0)
    assert a.z_trend[0] == pytest.approx(b.z_trend[0]) and a.z_trend[0] > 1
    assert a.z_step[0] == pytest.approx(b.z_step[0]) and a.p_value[0] == b.p_value[0]


def test_borrowing_pulls_each_dispersion_towards_the_common_one():
    rng = np.random.default_rng(3)
    phi = 1.4 * rng.chisquare(12, 3000) / 12
    d0, s0 = prior_dispersion(phi, 12)
    assert d0 > 100 and s0 == pytest.approx(1.4, rel=0.03)
    spread = np.exp(rng.normal(0, 1.0, 300)) * rng.chisquare(12, 300) / 12
    d0_wide, _ = prior_dispersion(spread, 12)
    assert 0 < d0_wide < 10  # dispersions that truly differ: little is borrowed
    assert prior_dispersion(phi[:2], 12) == (0.0, pytest.approx(float("nan"), nan_ok=True))


def test_too_little_to_estimate_noise_falls_back_to_the_permutation_test():
    x = np.array([0, 1, 2])
    s = np.zeros(3, dtype=int)
    N = np.array([[1.0], [4.0], [8.0]])
    T = np.full(3, 10.0)
    r = shifts_test(x, s, N, T, test="moderated", n_perm=99, rng=np.random.default_rng(0))
    assert isinstance(r, OrderedTest) and r.exact and r.n_relabellings == 6
    with pytest.raises(ValueError, match="test must be"):
        shifts_test(x, s, N, T, test="bayes", n_perm=99, rng=np.random.default_rng(0))


def test_one_odd_event_keeps_its_own_noise():
    """Theme 0 is quiet except at one late event where 9 of 10 people raised it: borrowing never
    lowers its noise below its own, so the odd event is not judged against the quiet themes."""
    rng = np.random.default_rng(11)
    x = np.repeat(np.arange(5), 5)
    s = np.tile(np.arange(5), 5)
    T = np.full(25, 10.0)
    N = rng.binomial(10, 0.2, (25, 12)).astype(float)
    N[:, 0] = np.where(np.arange(25) == 22, 9, N[:, 0])
    r = moderated_test(x, s, N, T, n_sim=1999, seed=0)
    assert (r.phi_moderated >= r.phi - 1e-12).all()
    assert r.phi[0] > 2 * np.median(r.phi[1:]) and r.phi_moderated[0] == r.phi[0]
    assert r.p_value[0] > 0.05


def test_trend_test_is_the_t_test_of_the_within_community_slope():
    """Two communities over three years, two themes (nothing borrowed): t is the slope of
    shares ~ community + year over the saturated fit's residual spread, on its d degrees of
    freedom, and the p-value is that t's two-sided tail: computed by hand here."""
    x = np.array([0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2])
    s = np.repeat([0, 1], 6)
    N = np.array([[2, 5], [1, 4], [3, 6], [4, 5], [5, 4], [6, 5],
                  [1, 3], [2, 2], [2, 3], [4, 2], [4, 3], [5, 2]], float)
    T = np.full(12, 10.0)
    r = trend_test(x, s, N, T)
    y = N[:, 0] / 10
    sat = np.column_stack([s == 0, s == 1, x == 1, x == 2]).astype(float)
    rss = float(((y - sat @ np.linalg.lstsq(sat, y, rcond=None)[0]) ** 2).sum())
    d = 12 - 4
    xc = x - np.array([x[s == k].mean() for k in s])
    slope = float(xc @ y / (xc @ xc))
    t = slope / np.sqrt(rss / d / (xc @ xc))
    assert r.df == d and r.n_sim == 0 and r.prior_df == 0.0
    assert slope == pytest.approx(0.175) and r.z_trend[0] == pytest.approx(t)
    assert r.p_value[0] == pytest.approx(2 * stats.t.sf(abs(t), d), rel=1e-9)
    assert r.direction[0] == 1 and r.form[0] == "trend"


def test_trend_test_null_themes_are_rejected_at_about_alpha():
    """Null themes with between-community heterogeneity and event-to-event noise, like the
    benchmark's: about 5% rejected unadjusted (the moderated t is referred to its t)."""
    rng = np.random.default_rng(21)
    x = np.repeat(np.arange(5), 8)
    s = np.tile(np.arange(4), 10)
    rejected, total = 0, 0
    for _ in range(40):
        T = rng.integers(5, 16, 40).astype(float)
        base = rng.choice([0.05, 0.15, 0.3, 0.5], 16)
        logit = (np.log(base / (1 - base))[None, :] + rng.normal(0, 0.5, (4, 16))[s]
                 + rng.normal(0, 0.4, (40, 16)))
        N = rng.binomial(T.astype(int)[:, None], 1 / (1 + np.exp(-logit))).astype(float)
        p = trend_test(x, s, N, T).p_value
        rejected += int((p < 0.05).sum())
        total += len(p)
    assert 0.03 <= rejected / total <= 0.07


def test_trend_test_finds_a_moderate_rise_the_combined_test_misses_less_often():
    """A 20-point linear rise among steady themes, 4 communities x 5 years: the trend test
    (the slope alone) finds it at least as often as the larger-of-slope-and-steps test."""
    rng = np.random.default_rng(5)
    x = np.repeat(np.arange(5), 4)
    s = np.tile(np.arange(4), 5)
    hits = {"trend": 0, "max": 0}
    for _ in range(60):
        T = rng.integers(5, 16, 20).astype(float)
        share = np.full((20, 12), 0.2)
        share[:, 0] = 0.15 + 0.2 * x / 4
        N = rng.binomial(T.astype(int)[:, None], share).astype(float)
        hits["trend"] += int(trend_test(x, s, N, T).p_value[0] < 0.05)
        hits["max"] += int(moderated_test(x, s, N, T, n_sim=999, seed=0).p_value[0] < 0.05)
    assert hits["trend"] > hits["max"]


def test_a_step_is_described_but_the_p_value_is_the_slope_s():
    x = np.repeat(np.arange(5), 5)
    s = np.tile(np.arange(5), 5)
    T = np.full(25, 10.0)
    rng = np.random.default_rng(2)
    N = rng.binomial(10, 0.2, (25, 8)).astype(float)
    N[:, 0] = np.where(x >= 3, 7.0, 1.0) + rng.integers(0, 2, 25)
    r = trend_test(x, s, N, T)
    assert r.form[0] == "step" and r.step_at[0] == 3 and r.z_step[0] > r.z_trend[0] > 0
    df = r.df + r.prior_df if np.isfinite(r.prior_df) else np.inf
    assert r.p_value[0] == pytest.approx(2 * stats.t.sf(abs(r.z_trend[0]), df))


def test_moderation_is_the_posterior_except_for_an_outlier_theme():
    phi = np.array([1.0, 1.2, 0.8, 6.0])
    mod, df, out = moderate(phi, 12, 40.0, 1.0)
    assert mod[:3] == pytest.approx((40 * 1.0 + 12 * phi[:3]) / 52)
    assert out.tolist() == [False, False, False, True] and mod[3] == 6.0 and df[3] == 12
    assert stats.f.sf(6.0, 12, 40) < OUTLIER_LEVEL < stats.f.sf(1.2, 12, 40)
    same, df_inf, _ = moderate(np.array([1.0, 1.1, 0.9]), 12, np.inf, 1.0)
    assert same.tolist() == [1.0, 1.0, 1.0] and np.isinf(df_inf).all()
    own, df_own, _ = moderate(np.array([1.0, 2.0]), 12, 0.0, float("nan"))
    assert own.tolist() == [1.0, 2.0] and df_own.tolist() == [12.0, 12.0]


def test_trend_test_one_odd_event_keeps_its_own_noise():
    """The odd-event theme of the test above under the trend test: its dispersion is an outlier
    of the common prior, so it keeps its own and is not called a change."""
    rng = np.random.default_rng(11)
    x = np.repeat(np.arange(5), 5)
    s = np.tile(np.arange(5), 5)
    T = np.full(25, 10.0)
    N = rng.binomial(10, 0.2, (25, 12)).astype(float)
    N[:, 0] = np.where(np.arange(25) == 22, 9, N[:, 0])
    r = trend_test(x, s, N, T)
    assert r.phi_moderated[0] == r.phi[0] and r.p_value[0] > 0.05


def test_shifts_test_uses_the_trend_test_by_name():
    x = np.repeat(np.arange(4), 3)
    s = np.tile(np.arange(3), 4)
    N = np.array([[2], [3], [1], [3], [2], [2], [4], [3], [2], [5], [4], [3]], float)
    T = np.full(12, 10.0)
    r = shifts_test(x, s, N, T, test="trend", n_perm=99, rng=np.random.default_rng(0))
    assert r.n_sim == 0 and r.p_value[0] == trend_test(x, s, N, T).p_value[0]
    assert TESTS[0] == "trend"
