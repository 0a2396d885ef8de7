"""The benchmark's fair bound (issue 14): a test that knows every event's variance but not the
shape nor the direction of a change. Its p-values must be calibrated under no change, or the
bound it sets on the grid's designs means nothing."""

from __future__ import annotations

import numpy as np
from scipy import stats

from trend_fakes import trends_benchmark


def _bench():
    return trends_benchmark("bench_trends_bounds")


def _tiny_design(communities: int, years: int) -> tuple[np.ndarray, np.ndarray]:
    c = np.repeat(np.arange(communities), years)
    year = np.tile(np.arange(years), communities)
    return c, year


def _null_shares(rng: np.random.Generator, c: np.ndarray, themes: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Shares with a community level per theme and a known, unequal variance per event."""
    level = rng.uniform(0.1, 0.6, (c.max() + 1, themes))[c]
    var = rng.uniform(0.002, 0.03, (len(c), themes))
    return level + rng.normal(0.0, np.sqrt(var)), var


def test_fair_pvalues_are_calibrated_under_no_change():
    bench = _bench()
    c, year = _tiny_design(3, 3)  # 3 communities x 1 event x 3 years: the grid's smallest
    rng = np.random.default_rng(5)
    p_max, p_slope = [], []
    for r in range(150):
        y, var = _null_shares(rng, c, 16)
        pm, _, z = bench.fair_pvalues(y, var, c, year, n_draw=2000, seed=r)
        p_max.append(pm)
        p_slope.append(2.0 * stats.norm.sf(np.abs(z)))
    p_max, p_slope = np.concatenate(p_max), np.concatenate(p_slope)
    se = np.sqrt(0.05 * 0.95 / len(p_max))  # 2,400 null p-values
    for p in (p_max, p_slope):
        assert abs(float((p <= 0.05).mean()) - 0.05) < 3.5 * se
        assert abs(float((p <= 0.5).mean()) - 0.5) < 0.05
    # the largest of several contrasts, referred to its own null, is no smaller than the slope's
    assert float(np.median(p_max)) > 0.3


def test_fair_pvalue_with_one_contrast_is_the_normal_one():
    """With two years the slope and the only step are one contrast: the simulated null of the
    largest |Z| is then the normal's, so the p-value matches 2 * sf(|z|) up to simulation."""
    bench = _bench()
    c, year = _tiny_design(4, 2)
    y, var = _null_shares(np.random.default_rng(2), c, 16)
    y[year == 1, :4] += 0.35  # a few clear changes, so small p-values are checked too
    p_max, sign, z = bench.fair_pvalues(y, var, c, year, n_draw=20000, seed=0)
    exact = 2.0 * stats.norm.sf(np.abs(z))
    assert np.allclose(p_max, exact, atol=0.012)
    assert (sign[:4] == 1).all() and (p_max[:4] < 0.05).all()


def test_fair_bound_finds_a_large_step_in_its_direction():
    bench = _bench()
    c, year = _tiny_design(5, 5)
    rng = np.random.default_rng(3)
    y, var = _null_shares(rng, c, 4)
    y[:, 0] += np.where(year >= 3, 0.4, 0.0)  # a 40-point rise from year 3
    y[:, 1] -= 0.1 * year                    # a 40-point fall over five years
    p_max, sign, z = bench.fair_pvalues(y, var, c, year, seed=0)
    assert p_max[0] < 0.001 and sign[0] == 1
    assert p_max[1] < 0.001 and sign[1] == -1 and z[1] < 0


def test_fair_bound_is_below_the_loose_oracle():
    """Knowing the shape and the direction can only help: on a small design the fair bound's
    recall is not above the loose oracle's (the same replicates), and it grows with the size."""
    bench = _bench()
    fam = bench.oracle_family_power(bench.Design(4, 1, 4), n_sim=40)
    for size in (0.2, 0.3, 0.4):
        assert fam[("fair", size)] <= fam[("m", size)] + 0.03
        assert fam[("fair_st", size)] <= fam[("m0", size)] + 0.03
    assert fam[("fair", 0.1)] < fam[("fair", 0.4)]
    bound = bench.fair_bound(fam)
    assert set(bound) == {"fair_20", "fair_30", "fair_40"}
    assert bound["fair_30"] == max(fam[(h, 0.3)] for h in ("fair", "fair_st", "slope_st"))
