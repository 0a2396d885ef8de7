"""Charts of trends: plotly for notebooks, matplotlib (PNG/SVG) for briefings, same data.

Four charts: ``area`` (stacked area: each theme's part of all the themes raised, per period),
``groups`` (small multiples: share per period in each group, with shaded intervals),
``heatmap`` (share per group x theme over all periods) and ``shifts`` (small multiples, one
panel per theme, all groups together: the chart for reading changes at a glance). Percent axes
are fitted to the data (:func:`axis_top`) and interval bands are cut at the axis top, so a wide
band from a period of few events cannot hide the lines; years, quarters or months without
events stay on the axis as labelled grey bands (:func:`calendar`). Suppressed cells are never drawn as a
number: they are gaps in the lines and grey, labelled cells in the heatmap, and the alt text
says so. Colours come from :func:`theme_colours` over every theme id of the analysis, so a theme
keeps its colour in every chart and every briefing.

Matplotlib is used through :class:`matplotlib.figure.Figure` (no pyplot, no global backend
change); rendering is Agg.
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .counting import HOUSEKEEPING, UNASSIGNED
from .text import pct, period_name

if TYPE_CHECKING:  # pragma: no cover
    from .core import Trends

__all__ = ["theme_colours", "PALETTE", "OTHER", "OTHER_COLOUR", "alt_texts", "save_charts",
           "plotly_area", "plotly_groups", "plotly_heatmap", "mpl_area", "mpl_groups",
           "mpl_heatmap", "mpl_shifts", "calendar", "axis_top"]

#: Key and colour of the "Other themes" layer.
OTHER = "other"
OTHER_COLOUR = "#b0b0b0"
_FIXED = {UNASSIGNED: "#9e9e9e", HOUSEKEEPING: "#d0d0d0", OTHER: OTHER_COLOUR}


#: Twenty distinguishable colours (no greys: those mark "no theme" and "other").
PALETTE = (
    "#1f5fa8", "#e0701b", "#2e9a4a", "#c8323c", "#7b52ab", "#8c5a3c", "#d45fa8", "#5f6b73",
    "#a8a21f", "#1fa3b8", "#84aee0", "#f2ae6b", "#8fd18a", "#f09a9a", "#b9a3d6", "#c9a48a",
    "#f2b8d8", "#0f4d3f", "#e8d44d", "#4b2a7a",
)


def _digest(theme_id: str) -> bytes:
    return hashlib.sha256(str(theme_id).encode("utf-8")).digest()


def _hashed_colour(theme_id: str) -> str:
    h = _digest(theme_id)
    hue = int.from_bytes(h[4:6], "big") / 65536.0
    light = (0.36, 0.48, 0.60)[h[6] % 3]
    sat = (0.55, 0.78)[h[7] % 2]
    r, g, b = colorsys.hls_to_rgb(hue, light, sat)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def theme_colours(theme_ids: Iterable[str]) -> dict[str, str]:
    """One hex colour per theme id, derived from the id (the same on every machine and run).

    Each id hashes (SHA-256) to a preferred slot in :data:`PALETTE`. Ids are placed in sorted
    order; when two ids of the list want one slot, the later id takes the next free slot, so the
    colours of one list are always distinct (up to 20 themes; beyond that, colours derived from
    the hash directly). Pass *every* theme id of an analysis (``trends.theme_ids``), not a
    subset, and each theme keeps one colour in every chart and briefing. ``t-unassigned``,
    ``t-housekeeping`` and ``other`` are greys.

    >>> c = theme_colours(["t-abc", "t-unassigned"]); c["t-unassigned"], len(c["t-abc"])
    ('#9e9e9e', 7)
    >>> c == theme_colours(["t-unassigned", "t-abc"])
    True
    """
    ids = list(dict.fromkeys(str(t) for t in theme_ids))
    out: dict[str, str] = {t: _FIXED[t] for t in ids if t in _FIXED}
    taken: set[int] = set()
    for t in sorted(t for t in ids if t not in _FIXED):
        if len(taken) == len(PALETTE):
            out[t] = _hashed_colour(t)
            continue
        slot = int.from_bytes(_digest(t)[:4], "big") % len(PALETTE)
        while slot in taken:
            slot = (slot + 1) % len(PALETTE)
        taken.add(slot)
        out[t] = PALETTE[slot]
    return {t: out[t] for t in ids}


# --- chart data (shared by plotly and matplotlib) ------------------------------------------
def _top(trends: Trends, top: int) -> list[str]:
    return list(trends.theme_ids[:top])


def _area_data(trends: Trends, top: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Parts per period (rows) x theme (columns, with OTHER), and periods left blank."""
    ov = trends.overall
    themes = _top(trends, top)
    wide = ov.pivot_table(index="period", columns="theme_id", values="n", aggfunc="sum",
                          sort=False).reindex(index=list(trends.periods), fill_value=0)
    tot = wide.sum(axis=1).replace(0, np.nan)
    parts = wide.div(tot, axis=0)
    out = parts.reindex(columns=themes).fillna(0.0)
    rest = [c for c in parts.columns if c not in themes]
    if rest:
        out[OTHER] = parts[rest].sum(axis=1).fillna(0.0)
    blank = ov.groupby("period", sort=False)["suppressed"].any()
    blank_periods = [p for p in trends.periods if bool(blank.get(p, False))]
    out.loc[blank_periods] = 0.0
    return out, themes, blank_periods


def _heat_data(trends: Trends, top: int) -> pd.DataFrame:
    bg = trends.by_group
    themes = _top(trends, top)
    bg = bg[bg["theme_id"].isin(themes)]
    return bg.pivot_table(index="group", columns="theme_id", values="share", aggfunc="first",
                          dropna=False).reindex(index=list(trends.groups), columns=themes)


def _series(trends: Trends) -> pd.DataFrame:
    return trends.table if trends.params["by"] is not None else trends.overall


#: Intervals wider than this (as a share) are not shaded in the small multiples: a band
#: covering most of the axis (a cell from very few events) hides every other line. The table
#: keeps them, and the chart's note and alt text say so.
MAX_BAND = 0.5


def _group_lines(trends: Trends, top: int) -> tuple[dict[str, dict[str, tuple[np.ndarray, ...]]],
                                                     int]:
    """Per group, per top theme: (share, low, high) in percent per period; bands too wide to
    draw are NaN. Also the number of bands left out."""
    s = _series(trends)
    themes = _top(trends, top)
    pos = {p: i for i, p in enumerate(trends.periods)}
    out: dict[str, dict[str, tuple[np.ndarray, ...]]] = {}
    dropped = 0
    for g in trends.groups:
        gdf = s[s["group"] == g]
        out[g] = {}
        for t in themes:
            d = gdf[gdf["theme_id"] == t]
            xs = d["period"].map(pos).to_numpy(dtype=int)
            y, lo, hi = (np.full(len(pos), np.nan) for _ in range(3))
            y[xs], lo[xs], hi[xs] = d["share"], d["ci_low"], d["ci_high"]
            wide = (hi - lo) > MAX_BAND
            dropped += int(wide.sum())
            lo[wide], hi[wide] = np.nan, np.nan
            out[g][t] = (y * 100, lo * 100, hi * 100)
    return out, dropped


def _band_note(trends: Trends, dropped: int) -> str:
    if not dropped:
        return ""
    return (f" Intervals wider than {round(MAX_BAND * 100)} points (cells from very few events) "
            "are not shaded.")


def _colours(trends: Trends) -> dict[str, str]:
    """Colours from every theme id of the analysis, so subsets never change a colour."""
    return trends.colours


def _names(trends: Trends) -> dict[str, str]:
    return {**trends.labels, OTHER: "Other themes"}


def _k_note(trends: Trends) -> str:
    return (f"Cells resting on fewer than {trends.params['k_min']} people are not shown.")


def _share_word(trends: Trends) -> str:
    return "speakers" if trends.params["count"] == "speakers" else "comments"


def calendar(trends: Trends) -> tuple[list[str], list[str]]:
    """Every period from the first to the last (years, quarters or months with no events
    included) and the ones with no events, in order. With ``period="event"``: the events."""
    from .shifts import positions

    pos = positions(trends.evidence).tolist()
    per = trends.params["period"]
    if per not in ("year", "quarter", "month") or not pos:
        return list(trends.periods), []
    known = dict(zip(pos, trends.periods))
    name = {"year": str, "quarter": lambda p: f"{p // 4}-Q{p % 4 + 1}",
            "month": lambda p: f"{p // 12}-{p % 12 + 1:02d}"}[per]
    full = [known.get(p, name(p)) for p in range(min(pos), max(pos) + 1)]
    return full, [lab for p, lab in zip(range(min(pos), max(pos) + 1), full) if p not in known]


def axis_top(values: np.ndarray) -> float:
    """Top of a percent axis fitted to the data: 15% above the highest value shown, rounded up
    to ten, between 10 and 100. Interval bands are cut at it, so they cannot swamp the lines.

    >>> axis_top(np.array([12.0, 31.0, np.nan])), axis_top(np.array([np.nan])), axis_top(np.array([95.]))
    (40.0, 10.0, 100.0)
    """
    finite = values[np.isfinite(values)]
    top = float(finite.max()) * 1.15 if len(finite) else 0.0
    return float(min(100.0, max(10.0, 10.0 * np.ceil(top / 10.0))))


def _theme_lines(trends: Trends, themes: list[str], cal: list[str]
                 ) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Overall (share, low, high) in percent per calendar period for each theme; NaN where a
    period had no events or too few people."""
    ov = trends.overall
    pos = {p: i for i, p in enumerate(cal)}
    out = {}
    for t in themes:
        d = ov[ov["theme_id"] == t]
        y, lo, hi = (np.full(len(cal), np.nan) for _ in range(3))
        xs = d["period"].map(pos).to_numpy(dtype=int)
        y[xs], lo[xs], hi[xs] = d["share"], d["ci_low"], d["ci_high"]
        out[t] = (y * 100, lo * 100, hi * 100)
    return out


def _mark_gaps(ax: Any, x: np.ndarray, y: np.ndarray, colour: str, gaps: list[int],
               top: float, word: str) -> None:
    """Grey bands over periods with no evidence, labelled, and a dotted line across them."""
    for i in gaps:
        ax.axvspan(i - 0.45, i + 0.45, color="#eeeeee", lw=0, zorder=0)
        ax.text(i, top * 0.97, word, rotation=90, ha="center", va="top", fontsize=6,
                color="#666666")
    ok = np.flatnonzero(np.isfinite(y))
    for a, b in zip(ok[:-1], ok[1:]):
        if b - a > 1:
            ax.plot([x[a], x[b]], [y[a], y[b]], color=colour, lw=1.0, ls=":")


def mpl_shifts(trends: Trends, *, top: int = 6) -> Any:
    """Small multiples, one panel per theme: the share raising it in each period (all groups
    together) with its interval band cut at an axis fitted to the data (an interval wider than
    :data:`MAX_BAND` is a thin vertical line, not a shade that would cover the panel); periods
    with no events (or too few people) are grey, labelled bands, bridged by a dotted line."""
    themes = _top(trends, top)
    cols, names = _colours(trends), _names(trends)
    cal, missing = calendar(trends)
    lines = _theme_lines(trends, themes, cal)
    ytop = axis_top(np.concatenate([v[0] for v in lines.values()] or [np.array([np.nan])]))
    ncol = min(3, max(1, len(themes)))
    nrow = int(np.ceil(max(1, len(themes)) / ncol))
    fig = _figure(2.9 * ncol + 0.4, 2.2 * nrow + 0.9)
    axes = fig.subplots(nrow, ncol, squeeze=False, sharey=True, sharex=True)
    x = np.arange(len(cal))
    lvl = round(trends.params["level"] * 100)
    for ax, t in zip(axes.flat, themes):
        y, lo, hi = lines[t]
        band_lo, band_hi = np.clip(lo, 0, ytop), np.clip(hi, 0, ytop)
        wide = (hi - lo) > MAX_BAND * 100
        shade_lo, shade_hi = np.where(wide, np.nan, band_lo), np.where(wide, np.nan, band_hi)
        ax.fill_between(x, shade_lo, shade_hi, color=cols[t], alpha=0.18, lw=0)
        ax.vlines(x[wide], band_lo[wide], band_hi[wide], color=cols[t], lw=0.8, alpha=0.6)
        ax.plot(x, y, color=cols[t], marker="o", ms=3, lw=1.8)
        gaps = [i for i, p in enumerate(cal) if p in missing]
        few = [i for i, p in enumerate(cal) if p not in missing and np.isnan(y[i])]
        _mark_gaps(ax, x, y, cols[t], gaps, ytop, "no events")
        _mark_gaps(ax, x, y, cols[t], few, ytop, "too few")
        ax.set_title(_wrap(names[t]), fontsize=8, loc="left")
        ax.set_ylim(0, ytop)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
    for ax in list(axes.flat)[len(themes):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xticks(x, [period_name(p) for p in cal], rotation=45 if len(cal) > 4 else 0,
                      ha="right" if len(cal) > 4 else "center", fontsize=7)
    axes[0, 0].set_ylabel(f"% of {_share_word(trends)}", fontsize=8)
    fig.suptitle(f"Share raising each theme, all groups together (shaded: {lvl}% interval, "
                 f"cut at {ytop:.0f}%; intervals wider than {round(MAX_BAND * 100)} points: "
                 "thin lines)", fontsize=9)
    return fig


def _wrap(text: str, width: int = 34) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)[:2])


# --- alt text --------------------------------------------------------------------------------
def alt_texts(trends: Trends, *, top: int = 8) -> dict[str, str]:
    """Alt text for each chart: what it shows, the main pattern, and what is suppressed."""
    names = _names(trends)
    word = _share_word(trends)
    per = trends.params["period"]
    span = f"{period_name(trends.periods[0])} to {period_name(trends.periods[-1])}"
    parts, _, blank = _area_data(trends, top)
    last = parts.iloc[-1].sort_values(ascending=False)
    largest = ", ".join(f"{names[t]} ({pct(v)})" for t, v in last.head(3).items() if v > 0)
    change = (parts.iloc[-1] - parts.iloc[0]).drop(OTHER, errors="ignore")
    area = (f"Stacked area chart of each theme's part of all the themes raised (each person "
            f"counted once per theme per event), per {per} from {span}, for the {len(_top(trends, top))} "
            f"most raised themes, the rest grouped as Other themes.")
    if largest:
        area += f" In {period_name(trends.periods[-1])} the largest parts were {largest}."
    if len(parts) > 1 and len(change):
        up, down = change.idxmax(), change.idxmin()
        if change[up] > 0:
            area += (f" Since {period_name(trends.periods[0])}, {names[up]} grew most "
                     f"({pct(parts[up].iloc[0])} to {pct(parts[up].iloc[-1])})")
            if change[down] < 0:
                area += (f" and {names[down]} shrank most ({pct(parts[down].iloc[0])} to "
                         f"{pct(parts[down].iloc[-1])})")
            area += "."
    if blank:
        area += (f" {len(blank)} period(s) rest on fewer than {trends.params['k_min']} people "
                 "and are left blank.")
    s = _series(trends)
    themes = _top(trends, min(top, 6))
    sub = s[s["theme_id"].isin(themes)]
    lvl = round(trends.params["level"] * 100)
    panels = "one panel per group" if trends.params["by"] is not None else "one panel"
    highs = []
    for g, gdf in sub.groupby("group", sort=True):
        gdf = gdf.dropna(subset=["share"])
        if len(gdf):
            r = gdf.loc[gdf["share"].idxmax()]
            highs.append(f"{g}: {names[r.theme_id]} {pct(r.share)} in {period_name(r.period)}")
    _, dropped = _group_lines(trends, min(top, 6))
    groups = (f"Line charts, {panels} ({', '.join(trends.groups)}): the share of {word} "
              f"raising each of the {len(themes)} most raised themes per {per}, with shaded "
              f"{lvl}% intervals. Highest points: {'; '.join(highs) or 'none shown'}. "
              + _k_note(trends) + _band_note(trends, dropped))
    heat = _heat_data(trends, top)
    flat = heat.stack().dropna().sort_values(ascending=False)
    best = "; ".join(f"{g}, {names[t]} ({pct(v)})" for (g, t), v in flat.head(3).items())
    n_sup = int(heat.isna().to_numpy().sum())
    hm = (f"Heatmap of {trends.params['by'] or 'all groups'} by theme: the share of {word} in "
          f"each group who raised each theme, over {span}. Highest cells: {best or 'none'}.")
    if n_sup:
        hm += (f" {n_sup} cell(s) rest on fewer than {trends.params['k_min']} people and are "
               "greyed out without a number.")
    return {"area": area, "groups": groups, "heatmap": hm, "shifts": _shifts_alt(trends, top)}


def _shifts_alt(trends: Trends, top: int) -> str:
    """Alt text of :func:`mpl_shifts`: what each panel shows, first and last value, gaps."""
    themes = _top(trends, min(top, 6))
    names = _names(trends)
    cal, missing = calendar(trends)
    lines = _theme_lines(trends, themes, cal)
    ytop = axis_top(np.concatenate([v[0] for v in lines.values()] or [np.array([np.nan])]))
    said = []
    for t in themes:
        y = lines[t][0]
        ok = np.flatnonzero(np.isfinite(y))
        if len(ok):
            said.append(f"{names[t]} {pct(y[ok[0]] / 100)} in {period_name(cal[ok[0]])}, "
                        f"{pct(y[ok[-1]] / 100)} in {period_name(cal[ok[-1]])}")
    text = (f"Small multiples, one panel per theme, of the share of {_share_word(trends)} "
            f"raising it per {trends.params['period']}, all groups together, with shaded "
            f"{round(trends.params['level'] * 100)}% intervals cut at {ytop:.0f}%: "
            f"{'; '.join(said) or 'nothing shown'}.")
    if missing:
        text += f" No events in {', '.join(period_name(p) for p in missing)} (grey bands)."
    return text


# --- matplotlib ------------------------------------------------------------------------------
def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150, layout="constrained")


def mpl_area(trends: Trends, *, top: int = 8) -> Any:
    """Matplotlib stacked area figure."""
    parts, _, blank = _area_data(trends, top)
    cols = _colours(trends)
    names = _names(trends)
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    x = np.arange(len(parts))
    ax.stackplot(x, parts.to_numpy().T * 100, labels=[names[c] for c in parts.columns],
                 colors=[cols[c] for c in parts.columns], alpha=0.9)
    ax.set_xticks(x, [period_name(p) + (" *" if p in blank else "") for p in parts.index],
                  rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_ylabel("part of all themes raised (%)")
    ax.set_title("What people raised, over time")
    handles, labels = ax.get_legend_handles_labels()  # top layer first, as stacked
    ax.legend(handles[::-1], labels[::-1], loc="center left", bbox_to_anchor=(1.0, 0.5),
              fontsize=8, frameon=False)
    if blank:
        fig.text(0.01, 0.01, f"* fewer than {trends.params['k_min']} people: left blank",
                 fontsize=7)
    return fig


def mpl_groups(trends: Trends, *, top: int = 6) -> Any:
    """Matplotlib small multiples with interval bands; suppressed cells are gaps."""
    themes = _top(trends, top)
    cols, names = _colours(trends), _names(trends)
    groups = list(trends.groups)
    ncol = min(3, len(groups))
    nrow = int(np.ceil(len(groups) / ncol))
    fig = _figure(3.2 * ncol + 1.8, 2.6 * nrow + 0.6)
    axes = fig.subplots(nrow, ncol, squeeze=False, sharey=True)
    x = np.arange(len(trends.periods))
    lines, dropped = _group_lines(trends, top)
    ytop = axis_top(np.concatenate([v[0] for g in lines.values() for v in g.values()]
                                   or [np.array([np.nan])]))
    for ax, g in zip(axes.flat, groups):
        for t in themes:
            y, lo, hi = lines[g][t]
            ax.plot(x, y, color=cols[t], marker="o", ms=2.5, lw=1.4, label=names[t])
            ax.fill_between(x, np.clip(lo, 0, ytop), np.clip(hi, 0, ytop), color=cols[t],
                            alpha=0.15, lw=0)
        ax.set_ylim(0, ytop)
        ax.set_title(str(g), fontsize=9)
        ax.set_xticks(x, [period_name(p) for p in trends.periods], rotation=60, ha="right",
                      fontsize=6)
        ax.tick_params(axis="y", labelsize=7)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    axes[0, 0].set_ylabel(f"% of {_share_word(trends)}", fontsize=8)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center", fontsize=7, frameon=False)
    fig.suptitle("Share raising each theme, by group. " + _k_note(trends)
                 + _band_note(trends, dropped), fontsize=8)
    return fig


def mpl_heatmap(trends: Trends, *, top: int = 12) -> Any:
    """Matplotlib heatmap group x theme; suppressed cells grey with a dash."""
    heat = _heat_data(trends, top)
    names = _names(trends)
    fig = _figure(1.0 + 0.75 * heat.shape[1], 1.6 + 0.45 * heat.shape[0])
    ax = fig.add_subplot()
    vals = heat.to_numpy(float) * 100
    masked = np.ma.masked_invalid(vals)
    import matplotlib as mpl

    cmap = mpl.colormaps["Blues"].with_extremes(bad="#dddddd")
    im = ax.imshow(masked, cmap=cmap, vmin=0, vmax=max(1.0, float(np.nanmax(vals))
                                                         if np.isfinite(vals).any() else 1.0),
                   aspect="auto")
    for (i, j), v in np.ndenumerate(vals):
        text = "–" if np.isnan(v) else pct(v / 100)
        ax.text(j, i, text, ha="center", va="center", fontsize=7,
                color="white" if v == v and v > 0.6 * np.nanmax(vals) else "black")
    ax.set_xticks(range(heat.shape[1]), [names[t] for t in heat.columns], rotation=45,
                  ha="right", fontsize=7)
    ax.set_yticks(range(heat.shape[0]), [str(g) for g in heat.index], fontsize=8)
    fig.colorbar(im, ax=ax, label=f"% of {_share_word(trends)}", shrink=0.8)
    ax.set_title(f"Themes by group; – = fewer than {trends.params['k_min']} people", fontsize=9)
    return fig


def save_charts(trends: Trends, directory: Path, *, formats: tuple[str, ...] = ("png", "svg"),
                top: int = 8) -> list[Path]:
    """Write area, groups, heatmap and shifts in each format plus ``<name>.alt.txt``; paths."""
    directory.mkdir(parents=True, exist_ok=True)
    alts = alt_texts(trends, top=top)
    figs = {"area": mpl_area(trends, top=top), "groups": mpl_groups(trends, top=min(top, 6)),
            "heatmap": mpl_heatmap(trends, top=max(top, 12)),
            "shifts": mpl_shifts(trends, top=min(top, 6))}
    paths = []
    for name, fig in figs.items():
        for fmt in formats:
            path = directory / f"trends-{name}.{fmt}"
            fig.savefig(path, format=fmt, metadata=None if fmt != "svg" else {"Date": None})
            paths.append(path)
        (directory / f"trends-{name}.alt.txt").write_text(alts[name] + "\n", encoding="utf-8")
    return paths


# --- plotly ----------------------------------------------------------------------------------
def plotly_area(trends: Trends, *, top: int = 8) -> Any:
    """Plotly stacked area figure (the same data as :func:`mpl_area`)."""
    import plotly.graph_objects as go

    parts, _, _ = _area_data(trends, top)
    cols, names = _colours(trends), _names(trends)
    x = [period_name(p) for p in parts.index]
    fig = go.Figure()
    for c in parts.columns:
        fig.add_trace(go.Scatter(x=x, y=parts[c] * 100, name=names[c], stackgroup="one",
                                 mode="lines", line={"color": cols[c], "width": 0.5},
                                 hovertemplate="%{y:.0f}%<extra>" + names[c] + "</extra>"))
    fig.update_layout(title="What people raised, over time",
                      yaxis={"title": "part of all themes raised (%)", "range": [0, 100]},
                      meta={"alt": alt_texts(trends, top=top)["area"]})
    return fig


def plotly_groups(trends: Trends, *, top: int = 6) -> Any:
    """Plotly small multiples with interval bands (suppressed cells are gaps)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    themes = _top(trends, top)
    cols, names = _colours(trends), _names(trends)
    groups = list(trends.groups)
    ncol = min(3, len(groups))
    nrow = int(np.ceil(len(groups) / ncol))
    fig = make_subplots(rows=nrow, cols=ncol, subplot_titles=[str(g) for g in groups],
                        shared_yaxes=True)
    x = [period_name(p) for p in trends.periods]
    lines, dropped = _group_lines(trends, top)
    ytop = axis_top(np.concatenate([v[0] for gl in lines.values() for v in gl.values()]
                                   or [np.array([np.nan])]))
    for gi, g in enumerate(groups):
        row, col = gi // ncol + 1, gi % ncol + 1
        for t in themes:
            y, lo, hi = lines[g][t]
            lo, hi = np.clip(lo, 0, ytop), np.clip(hi, 0, ytop)
            fig.add_trace(go.Scatter(x=x + x[::-1], y=list(hi) + list(lo[::-1]), fill="toself",
                                     fillcolor=cols[t], opacity=0.15, line={"width": 0},
                                     showlegend=False, hoverinfo="skip", legendgroup=t),
                          row=row, col=col)
            fig.add_trace(go.Scatter(x=x, y=y, name=names[t], mode="lines+markers",
                                     line={"color": cols[t]}, legendgroup=t,
                                     showlegend=gi == 0,
                                     hovertemplate="%{y:.0f}%<extra>" + names[t] + "</extra>"),
                          row=row, col=col)
    fig.update_yaxes(range=[0, ytop])
    fig.update_layout(title="Share raising each theme, by group. " + _k_note(trends)
                      + _band_note(trends, dropped),
                      meta={"alt": alt_texts(trends)["groups"]})
    return fig


def plotly_heatmap(trends: Trends, *, top: int = 12) -> Any:
    """Plotly heatmap group x theme; suppressed cells blank with a dash."""
    import plotly.graph_objects as go

    heat = _heat_data(trends, top)
    names = _names(trends)
    vals = heat.to_numpy(float) * 100
    text = [["–" if np.isnan(v) else pct(v / 100) for v in row] for row in vals]
    fig = go.Figure(go.Heatmap(z=vals, x=[names[t] for t in heat.columns],
                               y=[str(g) for g in heat.index], text=text,
                               texttemplate="%{text}", colorscale="Blues",
                               colorbar={"title": f"% of {_share_word(trends)}"}))
    fig.update_layout(title=f"Themes by group; – = fewer than {trends.params['k_min']} people",
                      meta={"alt": alt_texts(trends, top=top)["heatmap"]})
    return fig
