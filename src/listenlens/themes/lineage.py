"""Theme lineage: what happened to each theme, update by update, as small records.

A living analysis (:mod:`listenlens.project`) keeps its themes across updates. Every change to a
theme is one :class:`LineageEvent`:

``born``
    a new theme: a group of new (or long-unassigned) units that matches no existing theme;
``grew``
    an existing theme took new units;
``faded``
    a theme nobody has raised for ``fade_after_days`` (relative to the newest event);
``revived``
    a faded theme raised again;
``retired``
    a theme dissolved by curation (marked as noise) or left with no units (e.g. after a
    withdrawal), or, in a rebuild, one that matches nothing in the new fit;
``merged`` / ``split``
    by curation, or found when a rebuild's themes are matched to the registry's;
``renamed``
    a label changed by curation.

>>> e = LineageEvent(update=2, kind="born", theme_id="t-1a2b3c4d", date="2025-03-12",
...                  n_units=41, detail="New theme 'Food bank' (41 units).")
>>> lineage_frame([e])[["update", "kind", "theme_id", "n_units"]].to_dict("records")
[{'update': 2, 'kind': 'born', 'theme_id': 't-1a2b3c4d', 'n_units': 41}]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from ..validation import check_choice

__all__ = ["LINEAGE_KINDS", "STATUSES", "LineageEvent", "lineage_frame", "event_from_dict"]

LINEAGE_KINDS = ("born", "grew", "faded", "revived", "retired", "merged", "split", "renamed")

#: A theme's status in the registry (``merged``, ``split`` and ``retired`` ones are former themes).
STATUSES = ("active", "faded", "merged", "split", "retired")

LINEAGE_COLUMNS = ["update", "kind", "theme_id", "label", "date", "n_units", "related",
                   "detail"]


@dataclass(frozen=True, slots=True)
class LineageEvent:
    """One change to one theme.

    ``update`` is the project update it happened in (0 = the first build); ``date`` the corpus
    date it refers to (a theme's first unit for ``born``, the newest new unit for ``grew``, the
    last time it was raised for ``faded``); ``n_units`` how many units it concerns (the theme's
    size at birth, the units added); ``related`` the other themes involved (a merge's parents,
    a split's parts); ``detail`` one plain sentence.
    """

    update: int
    kind: str
    theme_id: str
    date: str = ""
    n_units: int = 0
    label: str = ""
    related: tuple[str, ...] = field(default_factory=tuple)
    detail: str = ""

    def __post_init__(self) -> None:
        check_choice("lineage kind", self.kind, LINEAGE_KINDS)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        out = asdict(self)
        out["related"] = list(self.related)
        return out


def event_from_dict(row: Mapping[str, Any]) -> LineageEvent:
    """The inverse of :meth:`LineageEvent.to_dict`."""
    return LineageEvent(update=int(row["update"]), kind=str(row["kind"]),
                        theme_id=str(row["theme_id"]), date=str(row.get("date", "")),
                        n_units=int(row.get("n_units", 0)), label=str(row.get("label", "")),
                        related=tuple(row.get("related", ())), detail=str(row.get("detail", "")))


def lineage_frame(events: Iterable[LineageEvent]) -> pd.DataFrame:
    """Lineage events as a DataFrame (columns: update, kind, theme_id, label, date, n_units,
    related, detail)."""
    rows = [{**e.to_dict(), "related": ", ".join(e.related)} for e in events]
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
