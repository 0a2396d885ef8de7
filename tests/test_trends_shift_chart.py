"""The briefing's shifts chart: the axis fits the data and no band rises above it (issue 14)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from listenlens.briefing.charts import shifts_axis_top, shifts_chart, shifts_figure

matplotlib.use("Agg")


def _rows() -> pd.DataFrame:
    """Two themes over four years; intervals as wide as small designs give (up to 95%)."""
    share = {"t-a": [0.10, 0.15, 0.25, 0.30], "t-b": [0.05, 0.04, 0.08, 0.02]}
    rows = []
    for tid, ys in share.items():
        for year, y in zip(range(2021, 2025), ys):
            rows.append({"period": str(year), "theme_id": tid, "share": y,
                         "ci_low": max(0.0, y - 0.2), "ci_high": min(1.0, y + 0.65),
                         "suppressed": False})
    return pd.DataFrame(rows)


def test_axis_top_is_fitted_to_the_data():
    assert shifts_axis_top([0.30, 0.02]) == 40.0
    assert shifts_axis_top([0.05]) == 10.0
    assert shifts_axis_top([0.85]) == 100.0
    assert shifts_axis_top([float("nan"), 0.2]) == 25.0


def test_no_band_runs_above_the_data_range():
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    df = _rows()
    fig, described, shaded = shifts_figure(df, ["t-a", "t-b"], {"t-a": "A", "t-b": "B"})
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    data_max = df["share"].max() * 100
    assert lo == 0 and data_max < hi <= data_max * 1.25 + 5  # not 100%: fitted to the data
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2 and shaded
    for band in bands:
        ys = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
        assert ys.max() <= hi + 1e-9 and ys.min() >= 0
    lines = [line.get_ydata() for line in ax.get_lines()]
    assert max(float(np.nanmax(y)) for y in lines) == pytest.approx(data_max)
    assert described[0] == "A from 10% in 2021 to 30% in 2024"
    plt.close(fig)


def test_shifts_chart_png_and_alt_text():
    class Fake:
        overall = _rows()

    chart = shifts_chart(Fake(), ["t-a", "t-b"], {"t-a": "A", "t-b": "B"})
    assert chart is not None and chart.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "cut at the top of the axis" in chart.alt and "A from 10% in 2021 to 30% in 2024" in (
        chart.alt)
