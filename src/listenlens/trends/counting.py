"""From units and theme assignments to evidence counts per (event, group) row.

What counts as evidence (the default, ``count="speakers"``): a *voice* is one speaker at one event
(speaker ids are stable within an event only, so the same name at two events is two voices). A
voice raises a theme at an event if any of its units carries the theme; it counts once however
often it returns to the theme. The denominator of a share is the number of voices at those events
who raised any real theme (``t-unassigned`` and ``t-housekeeping`` are not themes, and
facilitators are left out of both counts). A share is therefore "the proportion of people who
raised anything who raised this", and shares of different themes may add up to more than 100%
because one person can raise several themes. Units with no speaker label count as one voice each.

With ``count="utterances"`` every unit counts once: ``n`` is the number of units carrying the
theme and the denominator the number of units carrying any real theme.

The result is an :class:`Evidence`: one row per (event, group) pair with its period, and aligned
arrays ``N`` (evidence per theme), ``P`` (distinct voices per theme), ``T`` (denominator) and
``S`` (distinct voices behind the denominator). Every later table is a sum of these rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..themes.result import HOUSEKEEPING, UNASSIGNED
from ..validation import check_choice

__all__ = [
    "UNASSIGNED",
    "HOUSEKEEPING",
    "SPECIAL_THEMES",
    "PERIODS",
    "ThemesLike",
    "Evidence",
    "build_evidence",
    "period_labels",
]

#: Theme ids that mark units as "no theme"; never counted as themes.
SPECIAL_THEMES = frozenset({UNASSIGNED, HOUSEKEEPING})
#: Accepted values of ``period``.
PERIODS = ("month", "quarter", "year", "event")


@runtime_checkable
class ThemesLike(Protocol):
    """What :func:`listenlens.track` needs from a fitted themes result.

    ``corpus.units``: a DataFrame with unit_id, event_id, community, date (datetime64),
    speaker_id, role and any metadata columns; ``assignments``: unit_id, theme_id, probability,
    primary; ``table``: theme_id, label. :class:`listenlens.Themes` satisfies it, and so does any
    object with these three attributes.
    """

    @property
    def corpus(self) -> Any: ...  # pragma: no cover - protocol

    @property
    def assignments(self) -> pd.DataFrame: ...  # pragma: no cover - protocol

    @property
    def table(self) -> pd.DataFrame: ...  # pragma: no cover - protocol


@dataclass(frozen=True)
class Evidence:
    """Evidence counts per (event, group) row, ready to be summed into any table.

    ``rows`` has columns event_id, group, period, period_start, date; ``N``, ``P`` are
    (rows x themes) arrays, ``T``, ``S`` are per-row vectors (see the module docstring).
    ``links`` has one row per counted (unit, theme): unit_id, theme_id, event_id, group,
    period, voice; the evidence behind every number.
    ``group_is_event_level`` is True when every event belongs to one group (then events can be
    resampled within their group).
    """

    rows: pd.DataFrame
    theme_ids: tuple[str, ...]
    labels: dict[str, str]
    N: np.ndarray
    P: np.ndarray
    T: np.ndarray
    S: np.ndarray
    periods: tuple[str, ...]
    groups: tuple[str, ...]
    group_is_event_level: bool
    count: str
    by: str | None
    period: str
    links: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def event_codes(self) -> np.ndarray:
        """Integer code of each row's event (events sorted by id)."""
        return pd.Categorical(self.rows["event_id"]).codes.astype(np.int64)


def period_labels(dates: pd.Series, period: str, event_ids: pd.Series) -> tuple[pd.Series,
                                                                              pd.Series]:
    """Label and start date of each date's period.

    >>> d = pd.Series(pd.to_datetime(["2024-08-03", "2025-01-31"]))
    >>> period_labels(d, "quarter", pd.Series(["e1", "e2"]))[0].tolist()
    ['2024-Q3', '2025-Q1']
    """
    check_choice("period", period, PERIODS)
    d = pd.to_datetime(dates)
    if period == "event":
        return event_ids.astype(str), d
    freq = {"month": "M", "quarter": "Q", "year": "Y"}[period]
    p = d.dt.to_period(freq)
    start = p.dt.start_time
    if period == "month":
        label = p.dt.strftime("%Y-%m")
    elif period == "quarter":
        label = d.dt.year.astype(str) + "-Q" + d.dt.quarter.astype(str)
    else:
        label = d.dt.year.astype(str)
    return label, start


def _group_values(units: pd.DataFrame, corpus: Any, by: str | None) -> pd.Series:
    """The grouping value of every unit: a units column, an events column or event metadata."""
    if by is None:
        return pd.Series("All", index=units.index, dtype=object)
    if by in units.columns:
        values = units[by]
    else:
        mapping = _event_column(corpus, by)
        if mapping is None:
            cols = sorted(set(units.columns) - {"text", "spans", "extra"})
            raise AnalysisError(f"cannot group by {by!r}: it is neither a unit column nor an "
                                f"event column or metadata key; unit columns are {cols}")
        values = units["event_id"].map(mapping)
    return values.astype(object).where(values.notna(), "(missing)").astype(str)


def _event_column(corpus: Any, by: str) -> dict[str, Any] | None:
    events = getattr(corpus, "events", None)
    if not isinstance(events, pd.DataFrame) or "event_id" not in events.columns:
        return None
    if by in events.columns:
        return dict(zip(events["event_id"], events[by]))
    if "metadata" in events.columns:
        found = {e: m[by] for e, m in zip(events["event_id"], events["metadata"])
                 if isinstance(m, dict) and by in m}
        return found or None
    return None


def build_evidence(units: pd.DataFrame, assignments: pd.DataFrame, table: pd.DataFrame, *,
                   corpus: Any = None, period: str = "quarter", by: str | None = "community",
                   count: str = "speakers", secondary: bool = False) -> Evidence:
    """Count evidence per (event, group) row; see the module docstring for what counts.

    ``secondary=True`` also counts secondary assignments (``primary == False``).
    """
    check_choice("count", count, ("speakers", "utterances"))
    needed = {"unit_id", "event_id", "date"}
    missing = needed - set(units.columns)
    if missing:
        raise AnalysisError(f"units lack column(s) {sorted(missing)}")
    notes: list[str] = []
    u = units.copy()
    if "role" in u.columns:
        u = u[u["role"].astype(str) != "facilitator"]
    u["group"] = _group_values(u, corpus, by)
    undated = u["date"].isna()
    if undated.any():
        notes.append(f"{int(undated.sum())} units without an event date were left out")
        u = u[~undated]
    label, start = period_labels(u["date"], period, u["event_id"])
    u["period"], u["period_start"] = label.to_numpy(), start.to_numpy()
    spk = u["speaker_id"].astype(str) if "speaker_id" in u.columns else pd.Series("", index=u.index)
    u["voice"] = np.where(spk.isin(["", "nan", "None"]), "unit:" + u["unit_id"].astype(str), spk)

    a = assignments[["unit_id", "theme_id"] + (["primary"] if "primary" in assignments else [])]
    if not secondary and "primary" in a.columns:
        a = a[a["primary"].astype(bool)]
    a = a[~a["theme_id"].isin(SPECIAL_THEMES)].drop_duplicates(["unit_id", "theme_id"])
    long = a[["unit_id", "theme_id"]].merge(
        u[["unit_id", "event_id", "group", "period", "voice"]], on="unit_id", how="inner")
    if long.empty:
        raise AnalysisError("no unit carries a real theme (after leaving out facilitators and "
                            "undated units); nothing to track")

    labels = {str(t): str(lab) for t, lab in zip(table.get("theme_id", []),
                                                  table.get("label", []))}
    in_table = [t for t in labels if t not in SPECIAL_THEMES]
    seen = long["theme_id"].value_counts()
    theme_ids = sorted(set(in_table) | set(seen.index),
                       key=lambda t: (-int(seen.get(t, 0)), t))
    for t in theme_ids:
        labels.setdefault(t, t)

    ev = u[["event_id", "date", "period", "period_start"]].drop_duplicates("event_id")
    rows = (long[["event_id", "group"]].drop_duplicates()
            .merge(ev, on="event_id", how="left")
            .sort_values(["period_start", "period", "event_id", "group"], kind="mergesort")
            .reset_index(drop=True))
    row_index = pd.MultiIndex.from_frame(rows[["event_id", "group"]])
    theme_index = pd.Index(theme_ids)

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        counts = frame.groupby(["event_id", "group", "theme_id"]).size()
        wide = counts.unstack("theme_id", fill_value=0)
        return wide.reindex(index=row_index, columns=theme_index, fill_value=0).to_numpy(float)

    voices = long.drop_duplicates(["event_id", "group", "voice", "theme_id"])
    P = matrix(voices)
    any_voice = voices.drop_duplicates(["event_id", "group", "voice"])
    S = any_voice.groupby(["event_id", "group"]).size().reindex(row_index).to_numpy(float)
    if count == "speakers":
        N, T = P, S
    else:
        N = matrix(long)
        T = (long.drop_duplicates(["event_id", "group", "unit_id"])
             .groupby(["event_id", "group"]).size().reindex(row_index).to_numpy(float))

    periods = tuple(rows.drop_duplicates("period")["period"])
    groups = tuple(sorted(rows["group"].unique()))
    event_level = bool((rows.groupby("event_id")["group"].nunique() <= 1).all())
    return Evidence(rows=rows, theme_ids=tuple(theme_ids), labels=labels, N=N, P=P, T=T, S=S,
                    periods=periods, groups=groups, group_is_event_level=event_level,
                    count=count, by=by, period=period, links=long.reset_index(drop=True),
                    notes=tuple(notes))
