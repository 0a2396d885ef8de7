"""The primary family's adjustment (trends/intervals.py: storey_adjust): adaptive BH computed
by hand, never below a row's own p-value, equal to BH when nothing suggests true changes, and
keeping false alarms on null families at or below the level."""

from __future__ import annotations

import numpy as np
import pytest

from listenlens.trends.intervals import bh_adjust, storey_adjust


def test_adaptive_bh_by_hand():
    """Eight p-values, two above 0.5: pi0 = (1 + 2) / (8 x 0.5) = 0.75. BH's adjusted values
    (p x 8 / rank, then the running minimum from the top) times 0.75, but never below the
    row's own p-value (the last two rows)."""
    p = np.array([0.001, 0.004, 0.01, 0.02, 0.045, 0.049, 0.6, 0.9])
    bh = [0.008, 0.016, 0.08 / 3, 0.04, 0.392 / 6, 0.392 / 6, 4.8 / 7, 0.9]
    assert bh_adjust(p) == pytest.approx(bh)
    want = [0.006, 0.012, 0.02, 0.03, 0.049, 0.049, 0.6, 0.9]
    assert storey_adjust(p) == pytest.approx(want)
    assert (storey_adjust(p) < 0.05).sum() == 6 and (bh_adjust(p) < 0.05).sum() == 4


def test_nothing_changed_means_plain_bh_and_nan_is_not_a_test():
    p = np.array([0.01, 0.3, 0.55, 0.7, 0.8, np.nan, 0.95])
    out = storey_adjust(p)
    assert np.isnan(out[5]) and out[~np.isnan(p)] == pytest.approx(bh_adjust(p)[~np.isnan(p)])
    assert np.isnan(storey_adjust(np.array([np.nan]))).all()


def test_never_below_the_own_p_value():
    rng = np.random.default_rng(0)
    for _ in range(50):
        p = np.concatenate([rng.uniform(0, 0.01, 10), rng.uniform(0, 1, 3)])
        out = storey_adjust(p)
        assert (out >= p - 1e-15).all() and (out <= bh_adjust(p) + 1e-15).all()


def test_null_families_are_called_no_more_often_than_the_level():
    """Families of 16 uniform p-values: the share of rows called at 0.05 stays at or below 5%
    (it is below: a row is only called when its own p is below 0.05)."""
    rng = np.random.default_rng(1)
    called = sum(int((storey_adjust(rng.uniform(size=16)) < 0.05).sum()) for _ in range(2000))
    assert called / (2000 * 16) <= 0.01
