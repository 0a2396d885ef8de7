"""``track`` and the ``Trends`` result: prevalence tables with intervals, shifts, comparisons.

>>> import pandas as pd
>>> units = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "event_id": ["e1", "e1", "e2"],
...     "community": ["A", "A", "B"], "date": pd.to_datetime(["2024-01-05"] * 2 + ["2024-05-01"]),
...     "speaker_id": ["s1", "s2", "s3"], "role": "participant"})
>>> assignments = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "theme_id": ["t-a", "t-b", "t-a"],
...     "probability": 1.0, "primary": True})
>>> table = pd.DataFrame({"theme_id": ["t-a", "t-b"], "label": ["Buses", "Damp"]})
>>> trends = Trends.from_frames(units, assignments, table, by=None, k_min=1, n_boot=50)
>>> trends.table[["period", "theme_id", "n", "total", "share"]].to_string(index=False)
'  period theme_id  n  total  share\\n2024-Q1      t-a  1      2    0.5\\n2024-Q1      t-b  1      2    0.5\\n2024-Q2      t-a  1      1    1.0\\n2024-Q2      t-b  0      1    0.0'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..phrasing import plural
from ..validation import check_number
from .compare import compare_groups
from .counting import Evidence, ThemesLike, build_evidence
from .intervals import cluster_weights, collapse, prevalence
from .shifts import find_shifts
from .text import pct, period_name

__all__ = ["track", "Trends", "TABLE_COLUMNS"]

#: Columns of ``Trends.table`` (and ``overall`` / ``by_group``).
TABLE_COLUMNS = [
    "period", "period_start", "group", "theme_id", "label", "n", "total", "share", "ci_low",
    "ci_high", "n_events", "n_speakers", "suppressed", "events_total", "total_speakers",
]
ALL = "All"
ALL_PERIODS = "all periods"


@dataclass(frozen=True)
class _Frames:
    """A stand-in themes result built from three DataFrames (for :meth:`Trends.from_frames`)."""

    units: pd.DataFrame
    assignments: pd.DataFrame
    table: pd.DataFrame

    @property
    def corpus(self) -> _Frames:
        return self


def track(themes: ThemesLike, *, period: str = "quarter", by: str | None = "community",
          count: str = "speakers", k_min: int = 5, n_boot: int = 1000, seed: int = 0,
          level: float = 0.95, secondary: bool = False) -> Trends:
    """How often each theme was raised per period (and group), with clustered intervals.

    ``themes`` is any object with ``corpus.units``, ``assignments`` and ``table``
    (:class:`~listenlens.trends.ThemesLike`). ``period``: ``"month"``, ``"quarter"``, ``"year"``
    or ``"event"``. ``by``: ``"community"``, any unit column, event column or event metadata key,
    or ``None``. ``count``: ``"speakers"`` (one per person per event per theme; the default) or
    ``"utterances"``. Cells resting on fewer than ``k_min`` people are suppressed. Intervals are
    ``level`` bootstrap-t intervals from ``n_boot`` resamples of events, seeded by ``seed``.
    ``secondary=True`` also counts secondary theme assignments.

    >>> trends = track(themes, period="quarter", by="community")
    >>> shifts = trends.shifts()
    >>> set(shifts["status"]) <= {"emerging", "declining", "steady", "insufficient"}
    True
    """
    for name in ("assignments", "table"):
        if not hasattr(themes, name):
            raise TypeError(f"track() needs an object with .corpus.units, .assignments and "
                            f".table (a fitted Themes); {type(themes).__name__} has no .{name}")
    corpus = getattr(themes, "corpus", None)
    units = getattr(corpus, "units", None)
    if not isinstance(units, pd.DataFrame):
        raise TypeError("track() needs themes.corpus.units as a DataFrame")
    check_number("level", level, low=0, high=1, low_open=True, high_open=True)
    check_number("n_boot", n_boot, low=1)
    check_number("k_min", k_min, low=0)
    ev = build_evidence(units, themes.assignments, themes.table, corpus=corpus, period=period,
                        by=by, count=count, secondary=secondary)
    params = {"period": period, "by": by, "count": count, "k_min": k_min, "n_boot": n_boot,
              "seed": seed, "level": level, "secondary": secondary}
    return Trends(ev, params)


class Trends:
    """Prevalence of themes over time and between groups; made by :func:`track`.

    Attributes: ``table`` (period x group x theme), ``overall`` (period x theme, all groups
    together), ``by_group`` (group x theme, all periods together), all with
    :data:`TABLE_COLUMNS`; ``periods``, ``groups``, ``theme_ids``, ``labels``, ``params``,
    ``notes``; ``changes`` (the lineage of a project's latest update when
    :meth:`listenlens.Project.trends` made these trends, else ``None``). Methods: :meth:`shifts`, :meth:`compare`, :meth:`unit_ids`, ``plot_*``,
    :meth:`save_charts`, :meth:`chart_alt_text`.
    """

    def __init__(self, evidence: Evidence, params: dict[str, Any]):
        self.evidence = evidence
        self.params = dict(params)
        self.changes: pd.DataFrame | None = None
        self._cache: dict[tuple[Any, ...], pd.DataFrame] = {}

    @classmethod
    def from_frames(cls, units: pd.DataFrame, assignments: pd.DataFrame, table: pd.DataFrame,
                    **options: Any) -> Trends:
        """Track from three DataFrames (corpus units, theme assignments, theme table)."""
        return track(_Frames(units, assignments, table), **options)

    # --- basic facts -----------------------------------------------------------------------
    @property
    def periods(self) -> tuple[str, ...]:
        """Period labels in time order."""
        return self.evidence.periods

    @property
    def groups(self) -> tuple[str, ...]:
        """Group values, sorted (``('All',)`` when ``by=None``)."""
        return self.evidence.groups

    @property
    def theme_ids(self) -> tuple[str, ...]:
        """Real themes, most evidence first."""
        return self.evidence.theme_ids

    @property
    def labels(self) -> dict[str, str]:
        """Theme id -> label."""
        return {t: self.evidence.labels[t] for t in self.theme_ids}

    @property
    def colours(self) -> dict[str, str]:
        """The colour of every theme (and ``'other'``) in this analysis's charts.

        :func:`~listenlens.trends.theme_colours` over all theme ids: use this mapping (not a
        call with a subset of ids) wherever a theme is drawn, so colours match everywhere.
        """
        from .charts import OTHER, theme_colours

        return theme_colours([*self.theme_ids, OTHER])

    @property
    def notes(self) -> tuple[str, ...]:
        """What was left out and why."""
        return self.evidence.notes

    # --- tables ----------------------------------------------------------------------------
    @cached_property
    def _strata(self) -> np.ndarray:
        """Bootstrap stratum of each event: its period (and its group, when groups are events')."""
        ev = self.evidence
        rows = ev.rows
        codes = ev.event_codes
        period_code = pd.Categorical(rows["period"], categories=list(ev.periods)).codes
        strata = np.zeros(int(codes.max()) + 1, dtype=np.int64)
        strata[codes] = period_code
        if ev.by is not None and ev.group_is_event_level:
            gcode = pd.Categorical(rows["group"], categories=list(ev.groups)).codes
            strata[codes] = period_code.astype(np.int64) * len(ev.groups) + gcode
        return strata

    @cached_property
    def _weights(self) -> np.ndarray:
        rng = np.random.default_rng([self.params["seed"], 0])
        return cluster_weights(self._strata, self.params["n_boot"], rng)

    def _cell_weights(self, cell: np.ndarray, event: np.ndarray,
                      n_cells: int) -> tuple[np.ndarray, np.ndarray]:
        """Bootstrap weights of each (cell, event) cluster and each cell's degrees of freedom.

        Events are resampled within their design stratum (period, and group when groups are
        events'). A cell that holds a stratum of one event (e.g. an overall quarter with one
        event from each of two communities) would get no variance from it and no degrees of
        freedom; such a cell's strata are *collapsed*: its events are resampled within the
        cell as one stratum (df = events - 1). This is the usual collapsed-strata variance: a
        little conservative (differences between the collapsed strata count as noise), never
        falsely precise. Only done when every event lies in one cell of the table (always for
        ``overall``, and for every table when groups are events').
        """
        strata = self._strata[event]
        n_events = np.bincount(cell, minlength=n_cells)
        pairs, size = np.unique(np.stack([cell, strata]), axis=1, return_counts=True)
        n_strata = np.bincount(pairs[0], minlength=n_cells)
        one_cell = len(np.unique(event)) == len(event)
        singleton = np.zeros(n_cells, dtype=bool)
        singleton[pairs[0][size == 1]] = True
        collapse_cell = singleton & (n_strata > 1) & one_cell
        if not collapse_cell.any():
            return self._weights[:, event], n_events - n_strata
        new_strata = np.where(collapse_cell[cell], -1 - cell, strata)
        rng = np.random.default_rng([self.params["seed"], 2])
        weights = cluster_weights(new_strata, self.params["n_boot"], rng)
        return weights, n_events - np.where(collapse_cell, 1, n_strata)

    def _prevalence_table(self, keys: list[str]) -> pd.DataFrame:
        ev = self.evidence
        rows = ev.rows.copy()
        if "period" not in keys:
            rows["period"], rows["period_start"] = ALL_PERIODS, rows["date"].min()
        if "group" not in keys:
            rows["group"] = ALL
        cells = rows[["period", "period_start", "group"]].drop_duplicates(["period", "group"])
        cells = cells.reset_index(drop=True)
        cell_code = pd.MultiIndex.from_frame(rows[["period", "group"]]).map(
            {k: i for i, k in enumerate(zip(cells["period"], cells["group"]))}).to_numpy()
        ev_codes = ev.event_codes
        n_ev = int(ev_codes.max()) + 1
        uniq, (N, P, T, S) = collapse(cell_code.astype(np.int64) * n_ev + ev_codes,
                                      ev.N, ev.P, ev.T, ev.S)
        cell, event = uniq // n_ev, uniq % n_ev
        K, J = len(cells), len(ev.theme_ids)
        n_events_total = np.bincount(cell, minlength=K)
        weights, df = self._cell_weights(cell, event, K)
        prev = prevalence(cell, N, T, weights, K, self.params["level"], df)
        raised = np.zeros((K, J))
        np.add.at(raised, cell, (N > 0).astype(float))
        speakers, people = np.zeros((K, J)), np.zeros(K)
        np.add.at(speakers, cell, P)
        np.add.at(people, cell, S)
        share, lo, hi = prev.share.copy(), prev.ci_low.copy(), prev.ci_high.copy()
        suppressed = people < self.params["k_min"]
        share[suppressed] = np.nan
        single = (n_events_total < 2) | suppressed
        lo[single], hi[single] = np.nan, np.nan
        out = pd.DataFrame({
            "period": np.repeat(cells["period"].to_numpy(), J),
            "period_start": np.repeat(cells["period_start"].to_numpy(), J),
            "group": np.repeat(cells["group"].to_numpy(), J),
            "theme_id": np.tile(np.array(ev.theme_ids, dtype=object), K),
            "label": np.tile(np.array([ev.labels[t] for t in ev.theme_ids], dtype=object), K),
            "n": prev.n.ravel().astype(np.int64), "total": np.repeat(prev.total, J).astype(
                np.int64),
            "share": share.ravel(), "ci_low": lo.ravel(), "ci_high": hi.ravel(),
            "n_events": raised.ravel().astype(np.int64),
            "n_speakers": speakers.ravel().astype(np.int64),
            "suppressed": np.repeat(suppressed, J),
            "events_total": np.repeat(n_events_total, J).astype(np.int64),
            "total_speakers": np.repeat(people, J).astype(np.int64),
        })
        order = {p: i for i, p in enumerate(ev.periods)}
        out["_o"] = out["period"].map(order).fillna(-1)
        out = out.sort_values(["_o", "group"], kind="mergesort").drop(columns="_o")
        return out.reset_index(drop=True)[TABLE_COLUMNS]

    @cached_property
    def table(self) -> pd.DataFrame:
        """Tidy prevalence: one row per period x group x theme (see :data:`TABLE_COLUMNS`).

        ``n`` is the evidence count, ``total`` the denominator, ``share = n / total`` pooled
        over the cell's events; ``ci_low``/``ci_high`` a clustered bootstrap t interval
        (see :mod:`listenlens.trends.intervals`; NaN when the cell has one event); ``n_events``/``n_speakers`` how many events
        and people raised the theme; ``total_speakers`` the people behind the denominator.
        ``suppressed`` cells (fewer than ``k_min`` people) have share and interval NaN.
        """
        keys = ["period", "group"] if self.params["by"] is not None else ["period"]
        return self._prevalence_table(keys)

    @cached_property
    def overall(self) -> pd.DataFrame:
        """Prevalence per period with every group together (group ``'All'``)."""
        return self._prevalence_table(["period"])

    @cached_property
    def by_group(self) -> pd.DataFrame:
        """Prevalence per group over all periods (period ``'all periods'``)."""
        return self._prevalence_table(["group"])

    def unit_ids(self, theme_id: str, *, period: str | None = None,
                 group: str | None = None) -> list[str]:
        """The units behind a number: those counted for ``theme_id`` (in a period / group).

        For provenance: ``n`` of the matching table row is the number of distinct (event,
        speaker) pairs among these units (``count="speakers"``) or their number
        (``count="utterances"``).
        """
        links = self.evidence.links
        sel = links["theme_id"] == theme_id
        if period is not None:
            sel &= links["period"] == period
        if group is not None:
            sel &= links["group"] == group
        return sorted(links.loc[sel, "unit_id"].astype(str))

    # --- analyses --------------------------------------------------------------------------
    def shifts(self, *, alpha: float = 0.05, min_events: int = 2, min_speakers: int = 3,
               n_perm: int = 9999, by_group: bool = True,
               overall: str = "within", mdc: bool = True,
               test: str = "trend", adjust: str = "storey") -> pd.DataFrame:
        """Emerging, declining, steady and insufficient themes, overall and per group.

        See :mod:`listenlens.trends.shifts` for windows, tests, the evidence rule and
        ``overall`` (``"within"``: the overall change is measured within each community;
        ``"pooled"``: all events of a window pooled). ``p_value`` is the all-period test of
        :mod:`listenlens.trends.ordered`; ``p_adj`` is Benjamini-Hochberg within the row's
        ``family`` (``"primary"``: the overall rows; ``"secondary"``: the per-group rows),
        adaptive (``adjust="storey"``, the default) or not (``"bh"``).
        ``mdc`` (and ``.attrs["power"]``) is the minimum detectable change at 80% power on
        this corpus's design (:mod:`listenlens.trends.power`); ``mdc=False`` skips it.
        ``test``: ``"trend"`` (the within-community slope, noise borrowed across themes;
        the default), ``"moderated"`` (the larger of the slope and every step, same noise),
        both in :mod:`listenlens.trends.moderated`, or ``"permutation"``
        (:mod:`listenlens.trends.ordered`).
        """
        key = ("shifts", alpha, min_events, min_speakers, n_perm, by_group, overall, mdc, test,
               adjust)
        if key not in self._cache:
            p = self.params
            self._cache[key] = find_shifts(
                self.evidence, k_min=p["k_min"], n_boot=p["n_boot"], n_perm=n_perm,
                level=p["level"], alpha=alpha, min_events=min_events,
                min_speakers=min_speakers, by_group=by_group, seed=p["seed"], overall=overall,
                mdc=mdc, test=test, adjust=adjust)
        return self._cache[key].copy()

    def compare(self, *, alpha: float = 0.05, min_events: int = 2, min_speakers: int = 3,
                n_perm: int = 9999) -> pd.DataFrame:
        """Which themes each group raised more (or less) than the others, with sentences.

        See :mod:`listenlens.trends.compare`.
        """
        key = ("compare", alpha, min_events, min_speakers, n_perm)
        if key not in self._cache:
            p = self.params
            self._cache[key] = compare_groups(
                self.evidence, k_min=p["k_min"], n_boot=p["n_boot"], n_perm=n_perm,
                level=p["level"], alpha=alpha, min_events=min_events,
                min_speakers=min_speakers, seed=p["seed"])
        return self._cache[key].copy()

    # --- charts ----------------------------------------------------------------------------
    def plot_area(self, *, top: int = 8) -> Any:
        """Plotly stacked area: each theme's part of everything raised, per period."""
        from .charts import plotly_area

        return plotly_area(self, top=top)

    def plot_groups(self, *, top: int = 6) -> Any:
        """Plotly small multiples: share per period in each group, with intervals."""
        from .charts import plotly_groups

        return plotly_groups(self, top=top)

    def plot_heatmap(self, *, top: int = 12) -> Any:
        """Plotly heatmap of share, group x theme, over all periods (suppressed cells marked)."""
        from .charts import plotly_heatmap

        return plotly_heatmap(self, top=top)

    def save_charts(self, directory: str | Path, formats: tuple[str, ...] = ("png", "svg"),
                    *, top: int = 8) -> list[Path]:
        """Write the charts as static files (matplotlib) plus ``<name>.alt.txt``; image paths."""
        from .charts import save_charts

        return save_charts(self, Path(directory), formats=formats, top=top)

    def chart_alt_text(self, *, top: int = 8) -> dict[str, str]:
        """Alt text for each chart, keyed by name (``area``, ``groups``, ``heatmap``, ``shifts``)."""
        from .charts import alt_texts

        return alt_texts(self, top=top)

    # --- display ---------------------------------------------------------------------------
    def _summary(self) -> str:
        p = self.params
        span = f"{period_name(self.periods[0])} to {period_name(self.periods[-1])}"
        return (f"{len(self.theme_ids)} themes, {plural(len(self.periods), p['period'])} ({span}), "
                f"{plural(len(self.groups), 'group')} by {p['by']}, counting {p['count']}")

    def __repr__(self) -> str:
        return f"<Trends: {self._summary()}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        try:
            sh = self.shifts(n_perm=999, mdc=False)
            sh = sh[(sh["scope"] == "overall")]
            moved = sh[sh["status"].isin(["emerging", "declining"])].head(5)
            items = "".join(f"<li>{esc(s)}</li>" for s in moved["sentence"])
            shifts = (f"<p><b>Shifts</b> (overall, {esc(sh['early'].iloc[0])} vs "
                      f"{esc(sh['late'].iloc[0])})</p><ul>{items}</ul>" if items else
                      "<p>No clear shift overall.</p>")
        except (IndexError, ValueError):
            shifts = ""
        ov = self.overall
        last = ov[ov["period"] == self.periods[-1]].sort_values("n", ascending=False).head(8)
        rows = "".join(
            f"<tr><td>{esc(str(r.label))}</td><td>{r.n}</td><td>{r.total}</td>"
            f"<td>{'suppressed' if r.suppressed else pct(r.share)}</td>"
            f"<td>{'' if r.ci_low != r.ci_low else pct(r.ci_low) + '–' + pct(r.ci_high)}</td>"
            f"</tr>" for r in last.itertuples())
        return (f"<div><strong>listenlens Trends</strong>: {esc(self._summary())}{shifts}"
                f"<p>Latest period ({esc(period_name(self.periods[-1]))}):</p><table><thead>"
                "<tr><th>theme</th><th>n</th><th>of</th><th>share</th><th>interval</th></tr>"
                f"</thead><tbody>{rows}</tbody></table></div>")
