"""Word documents (``.docx``): notes and transcripts typed in Word.

**Decoded text.** A .docx is a zip of XML, so its text is *extracted* (with python-docx) into a
plain-text layout, and every offset refers to that (``Source.encoding == "docx"``). Each block of
the body, in document order, becomes one line starting with a tag::

    [h0] Riverside listening event          a paragraph styled Title
    [h1] Housing                            styled "Heading 1" (levels 1-9)
    [p] Amina: The damp is back.            any other paragraph ("[p]" alone: a blank one)
    [li1] Buses every hour                  a list paragraph, level 1 (nested: [li2], ...)
    [table]                                 a table starts
    [tr]                                    a row starts
    [th1] Question                          a header cell, column 1 (first row of the table)
    [td2] More buses                        a body cell, column 2

Within a line, the paragraph's text is as python-docx gives it, with line breaks turned into
spaces; a cell's paragraphs are joined by one space. A paragraph is a list item when its style
name starts with ``List`` or it has numbering (``w:numPr``); its level is the numbering level
(``w:ilvl``) + 1, or the number ending the style name (``List Bullet 2``). Merged cells appear
once (where they start). Not extracted: nested tables, text boxes, headers/footers, comments,
footnotes and content controls.

**Units.** One per paragraph (kind ``paragraph``), list item (``note``) or table cell (``cell``).
``Name:`` at the start (as in :func:`listenlens.ingest.txt.match_turn`, optionally after a
``[hh:mm:ss]`` time) gives a speaker, and a paragraph turn continues over the following plain
paragraphs until a blank paragraph, a heading, a list item, a table or the next turn; such a turn
is one unit of kind ``utterance`` (spans: one per paragraph, tags outside). Headings give the
``context``, outer first (``"Housing > Repairs"``; the Title, when there is one, comes first).
The first row of every table is its header row: its cells are not units, and a header cell is
appended to the context of the cells below it (``"Housing > Question"``). With the reader option
``table_header="none"`` the first row holds ordinary cells (the decoded text is the same; only
parsing changes). Empty cells are skipped as ``empty``; a name-only turn with no text too.

A file that is not a valid .docx raises :class:`~listenlens.errors.ParseError` naming it. The
loader checks the zip against the reading limits (unpacked size, members, XML elements; see
:mod:`listenlens.ingest.limits`) before python-docx parses it, so a decompression or parse bomb
fails fast with a :class:`~listenlens.errors.LimitError`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ParseError
from ._base import Decoded, Piece, Reader, Skipped
from .txt import match_turn

__all__ = ["READER", "decode_docx", "parse_docx", "extract_lines"]

_TAG = re.compile(r"^\[(h\d|p|li\d+|table|tr|th\d+|td\d+)\](?: |$)")
_STYLE_LEVEL = re.compile(r"(\d+)\s*$")
_NOTE = ("text extracted with python-docx (listenlens docx layout 1: one tagged line per "
         "paragraph or table cell)")


def _flat(text: str) -> str:
    """One line: line breaks inside a paragraph become spaces."""
    return text.replace("\r", " ").replace("\n", " ")


def _style_name(paragraph: Any) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError, AttributeError):  # a broken style reference
        return ""
    return str(getattr(style, "name", "") or "")


def _paragraph_line(paragraph: Any) -> str:
    """The tagged line of one body paragraph."""
    text = _flat(paragraph.text)
    style = _style_name(paragraph).lower()
    if style == "title":
        return f"[h0] {text}"
    if style.startswith("heading"):
        m = _STYLE_LEVEL.search(style)
        level = min(int(m.group(1)), 9) if m else 1
        return f"[h{level}] {text}"
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    if numpr is not None or style.startswith("list"):
        level = 1
        if numpr is not None and numpr.ilvl is not None and numpr.ilvl.val is not None:
            level = int(numpr.ilvl.val) + 1
        else:
            m = _STYLE_LEVEL.search(style)
            level = int(m.group(1)) if m else 1
        return f"[li{level}] {text}"
    return f"[p] {text}" if text else "[p]"


def _table_lines(table: Any, header: bool) -> list[str]:
    """The tagged lines of one table; every merged cell once, where it starts."""
    out = ["[table]"]
    seen: dict[int, Any] = {}  # id -> element; holding the element keeps its id unique
    for r, row in enumerate(table.rows):
        out.append("[tr]")
        tag = "th" if header and r == 0 else "td"
        for c, cell in enumerate(row.cells, start=1):
            key = id(cell._tc)
            if key in seen:
                continue
            seen[key] = cell._tc
            text = " ".join(_flat(p.text) for p in cell.paragraphs)
            out.append(f"[{tag}{c}] {text}" if text else f"[{tag}{c}]")
    return out


def extract_lines(document: Any) -> list[str]:
    """The tagged lines of a python-docx ``Document`` body, in document order."""
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block, header=True))
        else:
            lines.append(_paragraph_line(block))
    return lines


def decode_docx(raw: bytes, path: str) -> Decoded:
    """Extract a .docx file's text into the tagged layout (see the module docstring)."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise ParseError(f"reading .docx needs python-docx: {exc}", file=path) from None
    try:
        document = docx.Document(io.BytesIO(raw))
        lines = extract_lines(document)
    except Exception as exc:  # untrusted zip/XML: any failure means "not a .docx"
        raise ParseError(f"not a valid .docx file ({type(exc).__name__}: {exc}); save it again "
                         "from Word as .docx", file=path) from None
    return Decoded("\n".join(lines) + ("\n" if lines else ""), "docx", _NOTE)


@dataclass(slots=True)
class _Turn:
    """A unit being collected."""

    kind: str
    line: int
    speaker: str
    context: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    time: float | None = None


class _DocxParser:
    """What reading one docx text keeps between lines: the headings above, the current table's
    column headers and position, and the turn still open."""

    def __init__(self, text: str, header_row: bool):
        self.text = text
        self.header_row = header_row
        self.headings: list[str] = [""] * 10
        self.col_headers: dict[int, str] = {}
        self.row_no = self.table_no = 0
        self.cur: _Turn | None = None

    def context(self, column: int | None = None) -> str:
        parts = [h for h in self.headings if h]
        if column is not None and self.col_headers.get(column):
            parts.append(self.col_headers[column])
        return " > ".join(parts)

    def close(self) -> Iterator[Piece | Skipped]:
        unit, self.cur = self.cur, None
        if unit is None:
            return
        if not unit.spans:
            what = f"turn of {unit.speaker!r}" if unit.speaker else unit.kind
            yield Skipped(unit.line, "empty", f"{what} has no text", excerpt=unit.speaker)
            return
        yield Piece(spans=tuple(unit.spans), line=unit.line, speaker=unit.speaker,
                    kind=unit.kind, time_start=unit.time, context=unit.context,
                    extra=unit.extra)

    def begin(self, kind: str, lineno: int, start: int, end: int, ctx: str,
              extra: dict[str, Any] | None = None) -> _Turn:
        text = self.text
        turn = match_turn(text[start:end])
        speaker = turn.speaker if turn is not None else ""
        if turn is not None:
            start += turn.body_offset
        unit = _Turn(kind, lineno, speaker, ctx, extra=extra or {},
                     time=turn.time if turn is not None else None)
        if text[start:end].strip():
            unit.spans.append((start, end))
        return unit

    def paragraph(self, lineno: int, base: int, start: int, end: int
                  ) -> Iterator[Piece | Skipped]:
        """A ``[p]`` line: a new turn, a paragraph, or more of the open turn."""
        if not self.text[start:end].strip():
            yield from self.close()
            return
        turn = match_turn(self.text[start:end])
        cur = self.cur
        if cur is not None and cur.kind == "utterance" and turn is None:
            if cur.spans:  # keep the newline before this line as the separating space
                cur.spans[-1] = (cur.spans[-1][0], base)
            cur.spans.append((start, end))
            return
        yield from self.close()
        self.cur = self.begin("paragraph", lineno, start, end, self.context())
        if self.cur.speaker:
            self.cur.kind = "utterance"
        else:
            yield from self.close()

    def structure(self, tag: str, lineno: int, start: int, end: int
                  ) -> Iterator[Piece | Skipped]:
        """A heading, list item, table, row or cell line (any open turn is closed already)."""
        text = self.text
        if tag[0] == "h":
            level = int(tag[1:])
            self.headings[level:] = [" ".join(text[start:end].split())] + [""] * (9 - level)
            return
        if tag.startswith("li"):
            self.cur = self.begin("note", lineno, start, end, self.context(),
                                  {"depth": int(tag[2:])})
            yield from self.close()
            return
        if tag == "table":
            self.table_no += 1
            self.row_no = 0
            self.col_headers = {}
            return
        if tag == "tr":
            self.row_no += 1
            return
        column = int(tag[2:])
        if tag.startswith("th") and self.header_row:
            self.col_headers[column] = " ".join(text[start:end].split())
            return
        if not text[start:end].strip():
            yield Skipped(lineno, "empty", f"empty table cell (table {self.table_no}, row "
                          f"{self.row_no}, column {column})")
            return
        extra = {"table": self.table_no, "row": self.row_no, "column": column}
        self.cur = self.begin("cell", lineno, start, end, self.context(column), extra)
        yield from self.close()


def parse_docx(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """Yield one piece per paragraph, turn, list item or table cell (see the module docstring).

    >>> src = "[h1] Buses\\n[p] Ann: every hour\\n[p] please\\n[p]\\n[li1] more routes\\n"
    >>> [(p.kind, p.speaker, p.context) for p in parse_docx(src, "n.docx", {})]
    [('utterance', 'Ann', 'Buses'), ('note', '', 'Buses')]
    """
    header_row = str(options.get("table_header", "first")).strip().lower() != "none"
    parser = _DocxParser(text, header_row)
    pos = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        base, pos = pos, pos + len(line) + 1
        if not line:
            continue
        m = _TAG.match(line)
        if m is None:
            raise ParseError("line is not in the listenlens docx layout (expected a tag such as "
                             "'[p] '); docx text must come from the docx reader's decoder",
                             file=path, line=lineno)
        start, end = base + m.end(), base + len(line)
        if m.group(1) == "p":
            yield from parser.paragraph(lineno, base, start, end)
        else:
            yield from parser.close()
            yield from parser.structure(m.group(1), lineno, start, end)
    yield from parser.close()


READER = Reader(
    name="docx",
    extensions=(".docx",),
    parse=parse_docx,
    decode=decode_docx,
    option_names=("table_header",),
    description="Word documents: paragraphs, turns, list items and table cells as units",
    limited=True,
)
