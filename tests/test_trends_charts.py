"""Trend charts: stable colours, plotly figures, static files with alt text, suppression said."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from listenlens.trends import theme_colours, track  # noqa: E402
from listenlens.trends.charts import PALETTE  # noqa: E402
from trend_fakes import event, make  # noqa: E402


@pytest.fixture(scope="module")
def trends():
    rng = np.random.default_rng(0)
    spec = []
    for i in range(16):
        comm = ["Riverside", "Northside"][i % 2]
        n = 3 if (comm == "Northside" and i < 4) else 8  # two small Northside events
        people = {f"s{j}": [f"t-{rng.integers(0, 4)}"] for j in range(n)}
        spec += event(f"e{i}", comm, f"{2022 + i // 8}-{1 + (i % 8) * 1:02d}-05", people)
    labels = {"t-0": "Cost of living", "t-1": "Bus routes", "t-2": "Damp", "t-3": "GP access"}
    return track(make(spec, labels=labels), period="quarter", n_boot=100)


def test_theme_colours_stable_distinct_and_grey_for_specials():
    ids = [f"t-{i:03d}" for i in range(12)]
    a = theme_colours(ids)
    assert a == theme_colours(list(reversed(ids)))  # independent of order and company
    assert len(set(a.values())) == 12  # distinct within one analysis
    assert theme_colours(["t-005"]) == theme_colours(["t-005"])
    assert theme_colours(["t-005"])["t-005"] in PALETTE
    assert all(c.startswith("#") and len(c) == 7 for c in a.values())
    assert theme_colours(["t-unassigned"])["t-unassigned"] == "#9e9e9e"


def test_plotly_figures_use_the_theme_colours(trends):
    colours = trends.colours
    assert {t: colours[t] for t in trends.theme_ids} == theme_colours(trends.theme_ids)
    area = trends.plot_area()
    by_name = {tr.name: tr.line.color for tr in area.data}
    assert by_name["Cost of living"] == colours["t-0"]
    groups = trends.plot_groups()
    assert {tr.line.color for tr in groups.data if tr.mode == "lines+markers"} <= set(
        colours.values())
    heat = trends.plot_heatmap()
    assert list(heat.data[0].y) == ["Northside", "Riverside"]
    assert "fewer than 5 people" in groups.layout.title.text


def test_suppressed_cells_are_not_drawn_as_numbers(trends):
    small = trends.table[trends.table.suppressed]
    assert len(small) > 0 and small.share.isna().all()
    groups = trends.plot_groups()
    # Northside (first panel) in Q1 2022 rests on one event of 3 people: a gap, not a number
    north = [tr for tr in groups.data if tr.mode == "lines+markers" and tr.xaxis == "x"]
    assert len(north) == 4 and all(np.isnan(tr.y[0]) for tr in north)
    assert not all(np.isnan(tr.y[1]) for tr in north)
    alt = trends.chart_alt_text()
    assert set(alt) == {"area", "groups", "heatmap", "shifts"}
    assert "fewer than 5 people are not shown" in alt["groups"]
    assert alt["area"].startswith("Stacked area chart") and "Q1 2022" in alt["area"]


def test_save_charts_writes_png_svg_and_alt_text(trends, tmp_path):
    paths = trends.save_charts(tmp_path, formats=("png", "svg"))
    assert sorted(p.name for p in paths) == sorted(
        f"trends-{n}.{f}" for n in ("area", "groups", "heatmap", "shifts")
        for f in ("png", "svg"))
    for p in paths:
        assert p.stat().st_size > 1000
    assert paths[0].read_bytes()[:4] == b"\x89PNG"
    alt = (tmp_path / "trends-heatmap.alt.txt").read_text(encoding="utf-8")
    assert alt.startswith("Heatmap of community by theme")


@pytest.fixture(scope="module")
def gappy():
    """Yearly, 2019-2024 with no events in 2021; one theme rising to 50% at most, raised in
    Riverside and hardly in Northside, so from two unlike events a year its intervals reach far
    above the data."""
    rng = np.random.default_rng(1)
    spec = []
    for y in (2019, 2020, 2022, 2023, 2024):
        for c in ("Riverside", "Northside"):
            k = 2 * (y - 2019) + 1 if c == "Riverside" else int(rng.integers(0, 2))
            people = {f"s{j}": ["t-0" if j < k else f"t-{1 + j % 3}"] for j in range(12)}
            spec += event(f"{c}{y}", c, f"{y}-06-01", people)
    labels = {"t-0": "Cost of living", "t-1": "Bus routes", "t-2": "Damp", "t-3": "GP access"}
    return track(make(spec, labels=labels), period="year", n_boot=200)


def test_shift_chart_bands_stay_within_the_data_range_and_gaps_are_labelled(gappy, tmp_path):
    from matplotlib.collections import LineCollection, PolyCollection

    from listenlens.trends.charts import axis_top, calendar, mpl_shifts

    cal, missing = calendar(gappy)
    assert cal == ["2019", "2020", "2021", "2022", "2023", "2024"] and missing == ["2021"]
    fig = mpl_shifts(gappy)
    shares = gappy.overall["share"].to_numpy() * 100
    top = axis_top(shares)
    assert top < 100 and top >= np.nanmax(shares)
    # some interval runs above the axis top in the data: the chart must cut it
    assert (gappy.overall["ci_high"] * 100 > top).any()
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 4
    for ax in panels:
        assert ax.get_ylim() == (0.0, top)
        bands = [c for c in ax.collections if isinstance(c, PolyCollection | LineCollection)]
        assert bands
        for band in bands:  # shaded bands and the thin lines of very wide intervals
            for path in band.get_paths():
                assert path.vertices[:, 1].max() <= top + 1e-9
        assert "no events" in [t.get_text() for t in ax.texts]
    png = tmp_path / "shifts.png"
    fig.savefig(png)
    assert png.read_bytes()[:4] == b"\x89PNG"
    alt = gappy.chart_alt_text()["shifts"]
    assert "No events in 2021 (grey bands)." in alt and f"cut at {top:.0f}%" in alt
