"""Verify the tables of a run row by row: every cell checked, every count recomputed.

Used by :func:`listenlens.provenance.verify` for CSV exports:

- a table with row evidence (``themes.csv``, see
  :func:`~listenlens.provenance.evidence.table_rows_evidence`): the header and the rows are the
  ones the run wrote (same keys, same order, every cell the same), and from each row's units
  ``n_units``, ``n_speakers``, ``n_events``, ``n_communities``, ``share``, ``first_seen`` and
  ``last_seen`` recompute to the cell's value; ``label`` and ``keywords`` obey the wording rule
  (:mod:`listenlens.provenance.wording`);
- a table of quotes (columns ``unit_id`` and ``shown``): every row's unit is in the corpus and
  quotable, its text is the evidence's, and its ``community``, ``date``, ``event_id``,
  ``source`` and ``consent`` are the corpus's.

Cells are read back through :func:`~listenlens.provenance.cells.restore`, so formula
neutralisation never changes what is compared.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..corpus import Corpus
from ..records import Unit
from .cells import restore
from .evidence import FIGURE_KINDS, TABLE_DERIVED, figure_value
from .wording import UNNAMED, allowed_words, label_words

__all__ = ["read_table", "check_table_rows", "check_quote_rows", "participant_numbers",
           "known_units"]


def read_table(path: str | Path) -> list[list[str]]:
    """A CSV export's rows with every cell restored to the value it stands for."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(text))]


def known_units(ids: list[str], corpus: Corpus) -> tuple[list[Unit], list[str]]:
    """The units of ``ids`` the corpus holds, and the ids it does not (withdrawn, or from other
    inputs)."""
    units, missing = [], []
    for uid in ids:
        try:
            units.append(corpus.unit(uid))
        except KeyError:
            missing.append(uid)
    return units, missing


def _day(value: Any) -> str:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return str(value)
    return "" if pd.isna(stamp) else stamp.strftime("%Y-%m-%d")


def _derived(column: str, cell: str, units: list[Unit], corpus: Corpus,
             denominator: int) -> str | None:
    """A problem with one recomputable cell, or None."""
    community = {e.event_id: e.community for e in corpus.event_records}
    if column in TABLE_DERIVED:
        value = figure_value(FIGURE_KINDS[TABLE_DERIVED[column]], units, community)
        return None if cell.strip() == str(value) else f"{column} is {cell!r}, its units give {value}"
    if column == "share":
        value = len(units) / denominator if denominator else 0.0
        try:
            ok = math.isclose(float(cell), value, rel_tol=1e-9, abs_tol=1e-12)
        except ValueError:
            ok = False
        return None if ok else f"share is {cell!r}, its units give {value:.6g}"
    if column in ("first_seen", "last_seen"):
        dates = [_day(corpus.event(u.event_id).date) for u in units]
        dates = sorted(d for d in dates if d)
        value = (dates[0] if column == "first_seen" else dates[-1]) if dates else ""
        return None if _day(cell) == value else f"{column} is {cell!r}, its units give {value!r}"
    return None


def _wording(column: str, cell: str, units: list[Unit], researcher: bool,
             key: str) -> str | None:
    if column == "keywords":
        words = [w.strip() for w in cell.split(";") if w.strip()]
    elif column == "label" and not researcher and cell not in (key, UNNAMED):
        words = label_words(cell)
    else:
        return None
    bad = [w for w, ok in allowed_words(words, units).items() if not ok]
    if not bad:
        return None
    return (f"{column} shows {', '.join(repr(b) for b in bad)}, which fewer than the required "
            "number of people who agreed to be quoted used in its units")


def check_table_rows(evidence: Mapping[str, Any], rows: list[list[str]],
                     corpus: Corpus) -> list[str]:
    """Problems of a table against its row evidence (see the module docstring)."""
    out: list[str] = []
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    if header != list(evidence.get("columns", [])):
        out.append(f"table header {header} is not the one written {evidence.get('columns')}")
        return out
    expected = list(evidence.get("rows", []))
    if len(body) != len(expected):
        out.append(f"table has {len(body)} rows, the run wrote {len(expected)}")
    denominator, missing = known_units(list(evidence.get("denominator_ids", [])), corpus)
    if missing:
        out.append(f"{len(missing)} unit(s) behind the shares are not in the corpus: "
                   f"{', '.join(missing[:3])}")
    for i, (cells, entry) in enumerate(zip(body, expected), start=2):
        record = dict(zip(header, cells))
        where = f"row {i} ({entry.get('key')})"
        for column, written in dict(entry.get("cells", {})).items():
            if record.get(column) != written:
                out.append(f"{where}: {column} is {record.get(column)!r}, the run wrote "
                           f"{written!r} (edited after export?)")
        units, gone = known_units(list(entry.get("unit_ids", [])), corpus)
        if gone:
            out.append(f"{where}: {len(gone)} unit(s) not in the corpus: {', '.join(gone[:3])}")
        for column, cell in record.items():
            problem = (_derived(column, cell, units, corpus, len(denominator))
                       or _wording(column, cell, units, entry.get("label_by") == "researcher",
                                   str(entry.get("key", ""))))
            if problem:
                out.append(f"{where}: {problem}")
    return out


def participant_numbers(corpus: Corpus) -> dict[tuple[str, str], int]:
    """'Participant N' as briefings number speakers: order of first appearance per event."""
    numbers: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    for u in sorted(corpus.unit_records, key=lambda u: (u.event_id, u.source, u.char_start)):
        if u.speaker_id and u.role != "facilitator" and (u.event_id, u.speaker_id) not in numbers:
            counts[u.event_id] = counts.get(u.event_id, 0) + 1
            numbers[(u.event_id, u.speaker_id)] = counts[u.event_id]
    return numbers


def long_date(value: Any) -> str:
    """``'12 March 2024'`` (how exports print a date), or ``''``."""
    day = _day(value)
    if not day:
        return ""
    stamp = pd.Timestamp(day)
    return f"{stamp.day} {stamp.strftime('%B')} {stamp.year}"


def expected_attribution(unit: Unit, corpus: Corpus,
                         numbers: Mapping[tuple[str, str], int]) -> str:
    """The attribution line of a quote of ``unit``, from the corpus alone."""
    event = corpus.event(unit.event_id)
    n = numbers.get((unit.event_id, unit.speaker_id))
    speaker = f"Participant {n}" if n else "A participant"
    return ", ".join(p for p in (speaker, event.community, long_date(event.date)) if p)


def check_quote_rows(evidence: Mapping[str, Any], rows: list[list[str]],
                     corpus: Corpus) -> list[str]:
    """Problems of a quotes table: each row's facts recomputed from its unit."""
    out: list[str] = []
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    shown = {q.get("unit_id"): q.get("shown") for q in evidence.get("quotes", [])}
    numbers = participant_numbers(corpus)
    for i, cells in enumerate(body, start=2):
        record = dict(zip(header, cells))
        uid = record.get("unit_id", "")
        where = f"row {i} ({uid})"
        try:
            unit = corpus.unit(uid)
        except KeyError:
            out.append(f"{where}: unit is not in the corpus")
            continue
        event = corpus.event(unit.event_id)
        facts = {"shown": shown.get(uid), "community": event.community,
                 "event_id": unit.event_id, "source": unit.source, "consent": unit.consent,
                 "speaker": expected_attribution(unit, corpus, numbers).split(", ")[0]}
        if unit.consent != "quote":
            out.append(f"{where}: consent is {unit.consent!r}; only 'quote' units may be quoted")
        for column, value in facts.items():
            if column in record and record[column] != (value or ""):
                out.append(f"{where}: {column} is {record[column]!r}, the corpus gives {value!r}")
        if "date" in record and _day(record["date"]) != _day(event.date):
            out.append(f"{where}: date is {record['date']!r}, the corpus gives "
                       f"{_day(event.date)!r}")
    return out
