"""Charts for briefings: matplotlib PNGs with alt text that states what they show.

Colours come from :func:`listenlens.trends.theme_colours` (so a theme has one colour
everywhere), darkened where needed to stay legible on white. Every bar is also labelled with its
number and every line has its own marker and dash, so nothing depends on colour alone. The
shifts chart draws the trends result's own figures (``trends.overall``); nothing is recounted.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..phrasing import plural
from ..trends.charts import theme_colours
from ..trends.text import period_name
from .content import Chart, ThemeSummary

if TYPE_CHECKING:
    from ..trends import Trends

__all__ = ["themes_chart", "shifts_chart", "colours_for", "legible"]


#: Lines differ by marker and dash as well as colour, so no reader depends on colour alone.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_LINES = ("-", "--", "-.", ":")


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def legible(hex_colour: str, minimum: float = 3.0) -> str:
    """The colour, darkened just enough for ``minimum`` contrast against white (WCAG asks 3:1
    for chart marks); the hue is kept so it still matches the theme's colour elsewhere.

    >>> legible("#f0e442") != "#f0e442", legible("#0072b2")
    (True, '#0072b2')
    """
    colour = hex_colour.lower()
    if len(colour) != 7 or not colour.startswith("#"):
        return colour
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    for _ in range(40):
        if 1.05 / (_luminance(colour) + 0.05) >= minimum:
            break
        rgb = [round(c * 0.92) for c in rgb]
        colour = "#" + "".join(f"{c:02x}" for c in rgb)
    return colour


def colours_for(theme_ids: Sequence[str]) -> dict[str, str]:
    """One legible colour per theme id: :func:`listenlens.trends.theme_colours`, darkened where
    needed (:func:`legible`)."""
    given = theme_colours(theme_ids)
    return {t: legible(given[t]) for t in theme_ids}


def figure_png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def load_pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def themes_chart(themes: Sequence[ThemeSummary]) -> Chart:
    """A horizontal bar chart of people per top theme."""
    plt = load_pyplot()
    labels = [t.label for t in themes][::-1]
    values = [t.n_people for t in themes][::-1]
    colours = colours_for([t.theme_id for t in themes])
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(themes) + 1.2))
    ax.barh(labels, values, color=[colours[t.theme_id] for t in themes][::-1])
    for y, v in enumerate(values):
        ax.text(v, y, f" {v}", va="center", fontsize=10, color="#1a1a1a")
    ax.set_xlabel("People who raised it")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    alt = ("Bar chart of how many people raised each of the top themes: "
           + "; ".join(f"{t.label}, {plural(t.n_people, 'person', 'people')}" for t in themes)
           + ".")
    return Chart("themes", "People who raised each top theme", alt, figure_png(fig))


def _period_name(period: Any) -> str:
    return period_name(str(period))


def _shares(trends: Trends, theme_ids: Sequence[str]) -> pd.DataFrame:
    """Rows (period, theme_id, share, ci_low, ci_high) of ``trends.overall`` for these themes;
    a suppressed cell (too few people to show) has no share."""
    df = trends.overall[trends.overall["theme_id"].isin(theme_ids)].copy()
    df.loc[df["suppressed"].astype(bool), "share"] = float("nan")
    return df[["period", "theme_id", "share", "ci_low", "ci_high"]]


def shifts_chart(trends: Any, theme_ids: Sequence[str], labels: dict[str, str]) -> Chart | None:
    """Share of people raising each top theme per period, all groups together, with its
    interval shaded (None when there are fewer than two periods to draw). The axis is fitted to
    the data, not to 100%: intervals are cut at its top (see :func:`shifts_axis_top`), so a
    wide band never squeezes the lines."""
    df = _shares(trends, theme_ids)
    if df is None or df["period"].nunique() < 2 or df["share"].notna().sum() == 0:
        return None
    fig, described, shaded = shifts_figure(df, theme_ids, labels)
    alt = ("Line chart of the share of people raising each top theme in each period"
           + (", with the uncertainty range shaded and cut at the top of the axis"
              if shaded else "") + ": " + "; ".join(described) + ".")
    title = "How often each top theme was raised, by period"
    return Chart("shifts", title + (" (shaded: uncertainty range)" if shaded else ""), alt,
                 figure_png(fig))


def shifts_axis_top(shares: Sequence[float]) -> float:
    """Top of the shifts chart's axis, in %: the largest share drawn plus a quarter, rounded up
    to 5 points (at least 10, at most 100).

    >>> shifts_axis_top([0.12, 0.31]), shifts_axis_top([0.9]), shifts_axis_top([0.01])
    (40.0, 100.0, 10.0)
    """
    top = max((float(v) * 100 for v in shares if v == v), default=0.0)
    return float(min(100.0, max(10.0, 5 * math.ceil(top * 1.25 / 5))))


def shifts_figure(df: pd.DataFrame, theme_ids: Sequence[str], labels: dict[str, str]
                  ) -> tuple[Any, list[str], bool]:
    """The shifts chart's figure from rows (period, theme_id, share, ci_low, ci_high), with
    the sentences its alt text is made of and whether any band is shaded."""
    periods = sorted(df["period"].unique(), key=str)
    names = [_period_name(p) for p in periods]
    x = list(range(len(periods)))
    top = shifts_axis_top(df["share"].dropna().tolist())
    plt = load_pyplot()
    colours = colours_for(list(theme_ids))
    fig, ax = plt.subplots(figsize=(7, 3.6))
    described = []
    for i, tid in enumerate(theme_ids):
        rows = df[df["theme_id"] == tid].set_index("period").reindex(periods)
        if rows["share"].notna().sum() == 0:
            continue
        ys = (rows["share"] * 100).tolist()
        ax.plot(x, ys, marker=_MARKERS[i % len(_MARKERS)], linestyle=_LINES[i % len(_LINES)],
                color=colours[tid], label=labels.get(tid, tid), linewidth=2)
        lo = (rows["ci_low"] * 100).clip(lower=0, upper=top).tolist()
        hi = (rows["ci_high"] * 100).clip(lower=0, upper=top).tolist()
        ax.fill_between(x, lo, hi, color=colours[tid], alpha=0.12, linewidth=0)
        shown = [(n, y) for n, y in zip(names, ys) if y == y]
        described.append(f"{labels.get(tid, tid)} from {shown[0][1]:.0f}% in {shown[0][0]} to "
                         f"{shown[-1][1]:.0f}% in {shown[-1][0]}")
    shaded = bool(df[["ci_low", "ci_high"]].notna().all(axis=1).any())
    if len(names) > 6:  # many periods: slanted labels so they never overlap
        ax.set_xticks(x, names, rotation=40, ha="right", fontsize=8)
    else:
        ax.set_xticks(x, names)
    ax.set_ylabel("% of people who spoke")
    ax.set_ylim(0, top)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig, described, shaded
