"""Tabular exports: CSV and JSON Lines (the Polis preset is :mod:`listenlens.ingest.polis`).

One row is one unit (kind ``response``). Columns have roles, named by
reader options (all optional; from ``reader_options`` or the same-named columns of events.csv):

- ``text_column``: the text. When not given, the first header (case-insensitive, ``_`` and spaces
  read as ``-``) among :data:`TEXT_COLUMNS` is used; none found is a
  :class:`~listenlens.errors.ParseError` naming the header line.
- ``speaker_column`` -> ``speaker`` (when not given, the first header among
  :data:`SPEAKER_COLUMNS` is used, so each person is counted once); ``group_column`` -> ``context``; ``id_column`` ->
  ``extra["row_id"]``; ``time_column`` -> ``time_start`` when it reads as seconds or a clock
  time (``01:02:03``), else kept as ``extra["time"]``.
- Every other column is kept in ``extra`` under its header name.

Spans are exact. CSV (``escape="csv"``): a quoted cell's span is what lies inside its quotes
(doubled quotes are undone by the escape); an unquoted cell is split after each ``"`` it contains
so the escape never touches it. JSON Lines (``escape="json"``): the span is the raw content of
the JSON string value, escapes included. ``line`` is the physical line where a row starts.

Accounting: every data row is a unit or a :class:`~listenlens.ingest.Skipped` (``no-text``:
empty or missing text, or a non-string JSON value). Blank lines are not rows. Malformed input
(an unterminated quote, text after a closing quote, a row with more cells than the header, a
JSON line that is not an object) is a ``ParseError`` with file and line.

>>> rows = list(parse_csv('id,comment\\n1,"say ""hi"" now"\\n', "s.csv", {}))
>>> rows[0].spans, rows[0].extra
(((14, 28),), {'id': '1'})
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ParseError
from ..spans import unescape
from ._base import Piece, Reader, Skipped
from .encoding import decode_text
from .txt import parse_clock

__all__ = ["READERS", "CSV_READER", "JSONL_READER", "TEXT_COLUMNS",
           "parse_csv", "parse_jsonl", "tokenize_csv", "Cell", "Row"]

#: Header names tried, in this order, when no ``text_column`` is given.
TEXT_COLUMNS = ("text", "comment", "comments", "response", "answer", "note", "notes", "body",
                "content", "comment-body", "feedback", "sticky")
#: Headers taken as the speaker column when ``speaker_column`` is not given (normalised as for
#: text columns). Give ``speaker_column=""`` to read every row as a different, unnamed person.
SPEAKER_COLUMNS = ("speaker", "speaker-name", "name", "participant", "participant-id",
                   "respondent", "respondent-id", "author", "author-id", "person", "who",
                   "pseudonym")
OPTION_NAMES = ("text_column", "speaker_column", "time_column", "group_column", "id_column")
_CLOCK = re.compile(r"^\d+(?:\.\d+)?$|^\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?$")
_JSON_WS = " \t\n\r"


@dataclass(frozen=True, slots=True)
class Cell:
    """One CSV cell: its raw span in the text (inside the quotes when quoted)."""

    start: int
    end: int
    quoted: bool


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV record: the physical line it starts on and its cells."""

    line: int
    cells: tuple[Cell, ...]


class _Lines:
    """Offset -> 1-based line number, by binary search over newline positions."""

    def __init__(self, text: str) -> None:
        self._nl = [i for i, ch in enumerate(text) if ch == "\n"]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_left(self._nl, offset) + 1


def tokenize_csv(text: str, path: str, delimiter: str = ",") -> Iterator[Row]:
    """RFC 4180 records of ``text`` (newlines already ``\\n``), with exact cell offsets.

    Blank lines yield nothing. An unquoted cell may contain ``"`` (kept literally, as most
    spreadsheet programs do); a quoted cell may contain delimiters, newlines and doubled quotes.

    >>> [[(c.start, c.end, c.quoted) for c in r.cells] for r in tokenize_csv('a,"b\\nc"\\n', "x")]
    [[(0, 1, False), (3, 6, True)]]
    """
    line_of = _Lines(text)
    pos, n = 0, len(text)
    while pos < n:
        start_line = line_of(pos)
        if text[pos] == "\n":  # a blank line is not a record
            pos += 1
            continue
        cells: list[Cell] = []
        while True:
            if pos < n and text[pos] == '"':
                i = pos + 1
                while True:
                    j = text.find('"', i)
                    if j == -1:
                        raise ParseError(f"unterminated quoted cell (opened on line {line_of(pos)})",
                                         file=path, line=start_line)
                    if text.startswith('""', j):
                        i = j + 2
                        continue
                    break
                cells.append(Cell(pos + 1, j, True))
                pos = j + 1
                if pos < n and text[pos] not in (delimiter, "\n"):
                    raise ParseError(f"unexpected {text[pos]!r} after a closing quote on line "
                                     f"{line_of(pos)}; a quote inside a quoted cell must be "
                                     "doubled", file=path, line=start_line)
            else:
                j = pos
                while j < n and text[j] not in (delimiter, "\n"):
                    j += 1
                cells.append(Cell(pos, j, False))
                pos = j
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            break
        pos += 1  # the newline ending the record (or past the end)
        yield Row(start_line, tuple(cells))


def cell_spans(text: str, cell: Cell) -> tuple[tuple[int, int], ...]:
    """Spans of a cell such that ``span_text(..., escape="csv")`` gives its value."""
    if cell.quoted:
        return ((cell.start, cell.end),)
    spans: list[tuple[int, int]] = []
    s = cell.start
    for i in range(cell.start, cell.end):
        if text[i] == '"':
            spans.append((s, i + 1))
            s = i + 1
    spans.append((s, cell.end))
    return tuple(sp for sp in spans if sp[1] > sp[0]) or ((cell.start, cell.end),)


def cell_value(text: str, cell: Cell) -> str:
    raw = text[cell.start:cell.end]
    return unescape(raw, "csv").strip() if cell.quoted else raw.strip()


def normalise_header(name: str) -> str:
    return "-".join(name.strip().lower().replace("_", " ").split())


def _find_column(header: Sequence[str], wanted: str, role: str, path: str, line: int) -> int:
    """Index of the column called ``wanted`` (case- and ``_``/space-insensitive)."""
    norm = [normalise_header(h) for h in header]
    key = normalise_header(wanted)
    if key in norm:
        return norm.index(key)
    raise ParseError(f"{role} {wanted!r} is not a column; columns: {', '.join(header) or '(none)'}",
                     file=path, line=line)


def _text_column(header: Sequence[str], options: Mapping[str, Any], path: str, line: int,
                 where: str = "header") -> int:
    if options.get("text_column"):
        return _find_column(header, str(options["text_column"]), "text_column", path, line)
    norm = [normalise_header(h) for h in header]
    for name in TEXT_COLUMNS:
        if name in norm:
            return norm.index(name)
    raise ParseError(f"no text column found in {where} {', '.join(header) or '(empty)'}; "
                     f"expected one of {', '.join(TEXT_COLUMNS)} or name it with text_column",
                     file=path, line=line)


def _roles(header: Sequence[str], options: Mapping[str, Any], path: str,
           line: int, where: str = "header") -> dict[str, int]:
    """Column index of each role named in ``options`` (``text`` always present)."""
    roles = {"text": _text_column(header, options, path, line, where)}
    for role in ("speaker", "time", "group", "id"):
        name = options.get(f"{role}_column")
        if name:
            roles[role] = _find_column(header, str(name), f"{role}_column", path, line)
    if "speaker" not in roles and options.get("speaker_column") is None:
        # without a speaker every row counts as a different person: find one when it is there
        norm = [normalise_header(h) for h in header]
        for name in SPEAKER_COLUMNS:
            if name in norm and norm.index(name) != roles["text"]:
                roles["speaker"] = norm.index(name)
                break
    return roles


def _time(value: str) -> float | None:
    value = value.strip()
    if _CLOCK.match(value):
        try:
            return parse_clock(value)
        except ValueError:  # pragma: no cover - the pattern admits only numbers
            return None
    return None


def _apply_roles(values: Mapping[str, Any], roles: Mapping[str, str]) -> dict[str, Any]:
    """Piece fields (speaker, context, time, extra) from one row's values by column role."""
    fields: dict[str, Any] = {"speaker": "", "context": "", "time_start": None}
    extra: dict[str, Any] = {}
    used = set(roles.values())
    for name, value in values.items():
        if name not in used:
            extra[name] = value
    if "speaker" in roles:
        fields["speaker"] = _as_label(values.get(roles["speaker"]))
    if "group" in roles:
        fields["context"] = _as_label(values.get(roles["group"]))
    if "id" in roles and roles["id"] in values:
        extra["row_id"] = values[roles["id"]]
    if "time" in roles and roles["time"] in values:
        value = values[roles["time"]]
        seconds = _time(value) if isinstance(value, str) else None
        if seconds is None and isinstance(value, (int, float)) and not isinstance(value, bool):
            seconds = float(value)
        if seconds is None and value not in ("", None):
            extra["time"] = value
        fields["time_start"] = seconds
    fields["extra"] = extra
    return fields


def _as_label(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return " ".join(str(value).split())


def _header_names(text: str, row: Row) -> list[str]:
    """Header names as written; an empty one is ``column_<n>``, a repeated one gets ``_<k>``."""
    names: list[str] = []
    for i, cell in enumerate(row.cells):
        name = cell_value(text, cell) or f"column_{i + 1}"
        base, k = name, 2
        while name in names:
            name, k = f"{base}_{k}", k + 1
        names.append(name)
    return names


def csv_rows(text: str, path: str) -> Iterator[tuple[list[str], Row]]:
    """The header names and each data row, padded to the header's width."""
    rows = tokenize_csv(text, path)
    header_row = next(rows, None)
    if header_row is None:
        return
    header = _header_names(text, header_row)
    yield header, header_row
    for row in rows:
        if len(row.cells) > len(header):
            raise ParseError(f"row has {len(row.cells)} cells but the header (line "
                             f"{header_row.line}) has {len(header)}", file=path, line=row.line)
        yield header, row


def parse_csv(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """One ``response`` piece per CSV data row (see the module docstring)."""
    roles: dict[str, str] = {}
    for header, row in csv_rows(text, path):
        if not roles:
            idx = _roles(header, options, path, row.line)
            roles = {role: header[i] for role, i in idx.items()}
            text_idx = idx["text"]
            continue
        yield _csv_piece(text, header, row, roles, text_idx, "response")


def _csv_piece(text: str, header: Sequence[str], row: Row, roles: Mapping[str, str],
               text_idx: int, kind: str) -> Piece | Skipped:
    values = {name: cell_value(text, cell) for name, cell in zip(header, row.cells)}
    for name in header[len(row.cells):]:
        values[name] = ""
    if text_idx >= len(row.cells) or not cell_value(text, row.cells[text_idx]):
        return Skipped(row.line, "no-text", f"empty {roles['text']!r} cell",
                       excerpt=_excerpt(values))
    fields = _apply_roles(values, roles)
    return Piece(spans=cell_spans(text, row.cells[text_idx]), line=row.line, kind=kind, **fields)


def _excerpt(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items() if v not in ("", None))[:200]


def _json_string_spans(line: str) -> dict[str, tuple[int, int] | None]:
    """For each top-level key of a JSON object line: the raw content span of its value when the
    value is a string, else ``None``. The line must already be known to be a valid object."""
    decoder = json.JSONDecoder()
    out: dict[str, tuple[int, int] | None] = {}

    def skip_ws(i: int) -> int:
        while i < len(line) and line[i] in _JSON_WS:
            i += 1
        return i

    i = skip_ws(0) + 1  # past '{'
    while True:
        i = skip_ws(i)
        if line[i] == "}":
            return out
        key, i = decoder.raw_decode(line, i)
        i = skip_ws(i) + 1  # past ':'
        i = skip_ws(i)
        start = i
        _, i = decoder.raw_decode(line, i)
        out[key] = (start + 1, i - 1) if line[start] == '"' else None
        i = skip_ws(i)
        if line[i] == ",":
            i += 1


def parse_jsonl(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """One ``response`` piece per JSON object line (see the module docstring).

    Without ``text_column`` the text key is chosen from the first object's keys.

    >>> [p.extra for p in parse_jsonl('{"text": "caf\\\\u00e9", "n": 2}\\n', "x.jsonl", {})]
    [{'n': 2}]
    """
    roles: dict[str, str] = {}
    base = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        offset, base = base, base + len(line) + 1
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"not valid JSON: {exc}", file=path, line=lineno) from None
        if not isinstance(obj, dict):
            raise ParseError(f"expected one JSON object per line, found {type(obj).__name__}",
                             file=path, line=lineno)
        if not roles:
            keys = [str(k) for k in obj]
            idx = _roles(keys, options, path, lineno, "the keys of the first object:")
            roles = {role: keys[i] for role, i in idx.items()}
        key = roles["text"]
        key = next((k for k in obj if normalise_header(k) == normalise_header(key)), key)
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            what = "missing" if key not in obj else f"{type(value).__name__} value"
            if isinstance(value, str):
                what = "empty"
            yield Skipped(lineno, "no-text", f"{what} {key!r}", excerpt=line.strip()[:200])
            continue
        try:
            span = _json_string_spans(line).get(key)
        except (ValueError, IndexError, RecursionError) as exc:  # pragma: no cover - validated
            raise ParseError(f"cannot locate {key!r} in the line: {exc}", file=path,
                             line=lineno) from None
        if span is None:  # pragma: no cover - the value was checked to be a string
            raise ParseError(f"cannot locate {key!r} in the line", file=path, line=lineno)
        values = {k: v for k, v in obj.items() if k != key}
        fields = _apply_roles({**values, key: value}, {**roles, "text": key})
        yield Piece(spans=((offset + span[0], offset + span[1]),), line=lineno, kind="response",
                    **fields)


CSV_READER = Reader(
    name="csv", extensions=(".csv",), parse=parse_csv, decode=decode_text, escape="csv",
    option_names=OPTION_NAMES,
    description="CSV, one response per row; text column auto-detected or named")
JSONL_READER = Reader(
    name="jsonl", extensions=(".jsonl", ".ndjson"), parse=parse_jsonl, decode=decode_text,
    escape="json", option_names=OPTION_NAMES,
    description="JSON Lines, one response per object; text key auto-detected or named")
READERS = (CSV_READER, JSONL_READER)
