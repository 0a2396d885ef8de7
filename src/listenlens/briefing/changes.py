"""What is new since the last update: one update's theme lineage, in plain language.

A living analysis updates its themes as new events come in, and records what happened to each
theme at each update (:mod:`listenlens.themes.lineage`: born, grew, faded, revived, retired,
merged, split, renamed). :func:`changes_section` turns the lineage rows of the latest update into
the :class:`~listenlens.briefing.content.Change` lines of a briefing's "What's new since ..."
section, and a :class:`~listenlens.briefing.content.Figure` for every number it counts from
units, so that :func:`listenlens.provenance.verify` re-derives them.

- A new theme (``born``, or a part of a ``split``) that is among the current themes is counted
  as the rest of the briefing counts (:class:`~listenlens.briefing.tally.Tally`: a person at one
  event counts once, facilitators not at all), from its units at events held after ``since``
  (all its units when none is that recent, or when ``since`` is empty).
- Themes that grew are named by the contributions the lineage says they took (``n_units``);
  those are contributions, not people, and are labelled so.
- Labels are the current themes' where the theme still exists, else the lineage rows' (and, for
  a merge's parents or a renamed theme's old name, the names quoted in the row's ``detail``);
  they lose personal data either way. A row about a theme that no longer exists never fails.

>>> rows = pd.DataFrame({"kind": ["faded", "grew"], "theme_id": ["t-1", "t-2"],
...                      "label": ["Bus fares", "Damp and mould"], "date": ["2024-05-02", ""],
...                      "n_units": [0, 12]})
>>> lines, figures = changes_section(rows, Tally(corpus=None, theme_of={}, labels={}))
>>> [c.sentence for c in lines]
['Existing themes with the most new contributions: Damp and mould (+12).', 'No longer raised: Bus fares (last raised 2 May 2024).']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..errors import AnalysisError
from ..phrasing import plural
from ..trends.text import join_names
from .content import Change, Figure, format_date
from .tally import Tally, columns, label_redactor, people_phrase

__all__ = ["changes_section", "iso_date"]

#: How many of the themes that grew are named.
N_GREW = 3
#: A label quoted in a lineage sentence: ``'Damp'``, or ``"Mum's GP"`` (Python's repr quoting).
_QUOTED = re.compile(r"""(['"])(.*?)\1""")
#: The order the lines are printed in.
_ORDER = ("new", "grew", "revived", "faded", "merged", "split", "renamed", "retired")
_FORMER = "another theme"


def iso_date(value: Any) -> str:
    """A date as ``YYYY-MM-DD`` (empty for a missing one); raises ``ValueError`` for text that is
    not a date.

    >>> iso_date("2025-03-01"), iso_date(dt.date(2025, 3, 1)), iso_date(None)
    ('2025-03-01', '2025-03-01', '')
    """
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    raise ValueError(f"not a date: {value!r}")


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _ids(value: Any) -> list[str]:
    """Theme ids from the ``related`` column: ``'t-1, t-2'`` (as written by ``lineage_frame``)
    or a list."""
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        parts = [str(v) for v in list(value)]
    else:
        parts = []
    return [p.strip() for p in parts if p.strip()]


def _count(value: Any) -> int:
    try:
        return 0 if pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return 0


def _rows(changes: pd.DataFrame, clean: Callable[[str], str]) -> list[dict[str, Any]]:
    """The lineage rows, checked and normalised (labels redacted)."""
    from ..themes.lineage import LINEAGE_KINDS

    df = columns(changes, ["kind", "theme_id"], "changes")
    unknown = sorted(set(df["kind"].astype(str)) - set(LINEAGE_KINDS))
    if unknown:
        raise AnalysisError(f"changes has unknown lineage kind(s) {unknown}; each row's kind is "
                            f"one of {list(LINEAGE_KINDS)} (pass lineage_frame() rows)")
    out = []
    for r in df.to_dict("records"):
        try:
            date = iso_date(r.get("date"))
        except ValueError:
            raise AnalysisError(f"changes: theme {r['theme_id']!r} has date {r.get('date')!r}; "
                                "dates are YYYY-MM-DD or empty") from None
        label = _text(r.get("label"))
        out.append({"kind": str(r["kind"]), "theme_id": _text(r["theme_id"]),
                    "label": clean(label) if label else "", "date": date,
                    "n_units": _count(r.get("n_units")), "related": _ids(r.get("related")),
                    "detail": _text(r.get("detail"))})
    return out


def _detail_labels(row: Mapping[str, Any], clean: Callable[[str], str]) -> dict[str, str]:
    """Labels the row's sentence quotes for themes other than its own (a merge's parents, a
    split's parts): the names of themes that may be nowhere else."""
    detail, rel, tid = row["detail"], row["related"], row["theme_id"]
    quoted = [clean(m.group(2)) for m in _QUOTED.finditer(detail)]
    if row["kind"] == "merged":
        if detail.startswith("Merged ") and len(quoted) > len(rel):
            return dict(zip(rel, quoted))  # "Merged 'A' and 'B' into 'C'."
        if " merged into " in detail and len(rel) == 1 and quoted:
            return {rel[0]: quoted[0]}  # "'A' merged into 'C' (rebuild)."
    if row["kind"] == "split":
        if detail.startswith("Split ") and len(quoted) > len(rel):
            return {tid: quoted[0], **dict(zip(rel, quoted[1:]))}  # "Split 'A' into 'B', 'C'."
        if " split from " in detail and len(rel) == 1 and len(quoted) >= 2:
            return {rel[0]: quoted[0], tid: quoted[1]}  # "'B' split from 'A' (12 units)."
    if row["kind"] == "renamed" and detail.startswith("Renamed ") and len(quoted) >= 2:
        return {f"old:{tid}": quoted[0]}  # "Renamed 'A' to 'B'."
    return {}


class _Names:
    """Theme labels: the current themes', then the lineage rows', then those quoted in the
    rows' sentences."""

    def __init__(self, rows: Sequence[Mapping[str, Any]], current: Mapping[str, str],
                 clean: Callable[[str], str]):
        self.current = dict(current)
        self.rows: dict[str, str] = {}
        self.quoted: dict[str, str] = {}
        for r in rows:
            for tid, label in _detail_labels(r, clean).items():
                self.quoted.setdefault(tid, label)
            if not r["label"]:
                continue
            own = r["theme_id"]
            if r["kind"] == "split":  # a rebuild's split row is labelled with its part
                part = next((p for p in r["related"] if self.current.get(p) == r["label"]), None)
                if part is None and " split from " in r["detail"] and len(r["related"]) == 1:
                    part = r["related"][0]
                own = part or own
            self.rows[own] = r["label"]

    def __call__(self, tid: str) -> str:
        return self.current.get(tid) or self.rows.get(tid) or self.quoted.get(tid) or ""

    def old(self, tid: str, before: Sequence[Mapping[str, Any]], new: str) -> str:
        """The label a renamed theme had: an earlier row's, or the one its sentence quotes."""
        for r in reversed(before):
            if r["theme_id"] == tid and r["kind"] != "split" and r["label"] not in ("", new):
                return str(r["label"])
        return self.quoted.get(f"old:{tid}", "")


def _q(label: str) -> str:
    """A label inside a sentence that names several themes, in quotation marks (labels such
    as "Damp and mould" would otherwise run into each other)."""
    return f"“{label}”"


def _events(n: int) -> str:
    return plural(n, "event")


def _named(names: _Names, tid: str) -> str:
    return _q(names(tid)) if names(tid) else _FORMER


def _grouped(rows: Sequence[Mapping[str, Any]], kind: str) -> dict[str, list[str]]:
    """Rows of one kind by theme id, with the related ids of all of them (in order)."""
    out: dict[str, list[str]] = {}
    for r in rows:
        if r["kind"] == kind:
            rel = out.setdefault(r["theme_id"], [])
            rel += [x for x in r["related"] if x not in rel]
    return out


def _new_themes(rows: Sequence[Mapping[str, Any]], tally: Tally, names: _Names, since: str
                ) -> tuple[list[Change], list[Figure]]:
    """One line per new theme, most people first; numbers and figures for current themes."""
    first: dict[str, str] = {}
    for r in rows:
        if r["kind"] == "born":
            first.setdefault(r["theme_id"], r["date"])
        elif r["kind"] == "split":
            for part in r["related"]:
                first.setdefault(part, r["date"] if len(r["related"]) == 1 else "")
    current = [t for t in first if t in tally.labels]
    by_theme = tally.units_by_theme() if current else {}
    event_date = ({e.event_id: iso_date(e.date) for e in tally.corpus.event_records}
                  if current and since else {})
    counted: list[tuple[Change, str]] = []
    absent: list[Change] = []
    for tid in first:
        label = names(tid)
        units = by_theme.get(tid, [])
        if tid not in tally.labels or not units:
            if label:
                when = f" (first raised {format_date(first[tid])})" if first[tid] else ""
                absent.append(Change("new", "New", f"{label}{when}.", tid, label,
                                     date=first[tid]))
            continue
        recent = [u for u in units if event_date.get(u.event_id, "") > since] if since else []
        use = recent or units
        n_people, n_events = tally.people(use), len({u.event_id for u in use})
        said = f"{label} — raised by {people_phrase(n_people)} at {_events(n_events)}"
        when = f" since {format_date(since)}" if recent else (" in all" if since else "")
        counted.append((Change("new", "New", f"{said}{when}.", tid, label, n_people, n_events,
                               first[tid], unit_ids=tuple(u.unit_id for u in use)), said))
    counted.sort(key=lambda cs: (-(cs[0].n_people or 0), -(cs[0].n_events or 0), cs[0].label))
    figures = []
    for c, said in counted:  # the figures' text names the theme: each is found in one place
        figures.append(Figure(f"new-theme:{c.theme_id}", "theme_speakers", c.n_people or 0,
                              c.unit_ids, theme_id=c.theme_id, text=said))
        figures.append(Figure(f"new-theme-events:{c.theme_id}", "theme_events",
                              c.n_events or 0, c.unit_ids, theme_id=c.theme_id, text=said))
    return [c for c, _ in counted] + absent, figures


def _grew_lines(rows: Sequence[Mapping[str, Any]], names: _Names) -> list[Change]:
    """The :data:`N_GREW` existing themes with the most new contributions, in one line."""
    grew: dict[str, int] = {}
    for r in rows:
        if r["kind"] == "grew" and r["n_units"] > 0 and names(r["theme_id"]):
            grew[r["theme_id"]] = grew.get(r["theme_id"], 0) + r["n_units"]
    top = sorted(grew, key=lambda t: (-grew[t], names(t)))[:N_GREW]
    if not top:
        return []
    return [Change("grew", "Existing themes with the most new contributions",
                   ", ".join(f"{names(t)} (+{grew[t]})" for t in top) + ".", related=tuple(top))]


def _other_lines(rows: Sequence[Mapping[str, Any]], names: _Names) -> list[Change]:
    """Growth, revival, fading and the changes to the list of themes."""
    out = _grew_lines(rows, names)
    done: set[tuple[str, str]] = set()
    for i, r in enumerate(rows):
        kind, tid = r["kind"], r["theme_id"]
        if (kind, tid) in done or kind not in ("revived", "faded", "renamed", "retired"):
            continue
        done.add((kind, tid))
        label = names(tid)
        if kind == "renamed":
            given = [x["label"] for x in rows
                     if x["theme_id"] == tid and x["kind"] == "renamed" and x["label"]]
            new = names.current.get(tid) or (given[-1] if given else "")
            if not new:
                continue
            old = names.old(tid, rows[:i], new)
            text = (f"{_q(old)} is now called {_q(new)}." if old else
                    f"{_q(new)} is the new name of an existing theme.")
            out.append(Change("renamed", "Renamed", text, tid, new))
        elif not label:
            continue
        elif kind == "revived":
            out.append(Change("revived", "Raised again", f"{label}.", tid, label, date=r["date"]))
        elif kind == "faded":
            when = f" (last raised {format_date(r['date'])})" if r["date"] else ""
            out.append(Change("faded", "No longer raised", f"{label}{when}.", tid, label,
                              date=r["date"]))
        else:
            out.append(Change("retired", "Retired",
                              f"{_q(label)} is no longer reported as a theme.", tid, label))
    for tid, parents in _grouped(rows, "merged").items():
        merged = _q(names(tid)) if names(tid) else "one theme"
        text = (f"{join_names([_named(names, p) for p in parents])} became {merged}." if parents
                else f"{merged} was formed from other themes.")
        out.append(Change("merged", "Merged", text, tid, names(tid), related=tuple(parents)))
    for tid, parts in _grouped(rows, "split").items():
        old = _q(names(tid)) if names(tid) else "One theme"
        text = (f"{old} became {join_names([_named(names, p) for p in parts])}." if parts else
                f"{old} was split up.")
        out.append(Change("split", "Split", text, tid, names(tid), related=tuple(parts)))
    return sorted(out, key=lambda c: _ORDER.index(c.kind))


def changes_section(changes: pd.DataFrame, tally: Tally, since: str = ""
                    ) -> tuple[tuple[Change, ...], tuple[Figure, ...]]:
    """The lines of "What's new since ``since``" and the figures behind their numbers.

    ``changes`` holds the lineage rows of one update (columns ``kind`` and ``theme_id``; and
    ``label``, ``date``, ``n_units``, ``related``, ``detail`` as :func:`lineage_frame` writes
    them); ``since`` is the date (``YYYY-MM-DD``) of the newest event analysed before it.
    Raises :class:`~listenlens.errors.AnalysisError` for rows that are not lineage rows.
    """
    if isinstance(changes, pd.DataFrame) and changes.empty:
        return (), ()
    clean = label_redactor()
    rows = _rows(changes, clean)
    if not rows:
        return (), ()
    names = _Names(rows, tally.labels, clean)
    new, figures = _new_themes(rows, tally, names, since)
    return tuple(new + _other_lines(rows, names)), tuple(figures)
