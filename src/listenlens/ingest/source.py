"""Reading one source file safely: limits, decoding checks, control characters, accounting.

:func:`read_source` is what the folder and single-file loaders call for every transcript. In
order, it

1. refuses a file over its size limit before reading it (:mod:`listenlens.ingest.limits`);
2. decodes it with its reader (a ``.docx`` is checked against the unpacked-size and element
   limits while it is unpacked);
3. skips, with reason ``not-text``, a file whose decoded text is not text (random or binary
   bytes), and warns when the decoding was a guess (UTF-16 without a byte-order mark, mixed
   UTF-8 and Windows-1252 lines);
4. replaces control characters and terminal escape sequences with spaces, so offsets stay
   exact, and records how many on the source's ``encoding_note`` and as a warning;
5. parses, refusing a file that yields more than ``max_units`` pieces;
6. records a file that yields nothing as a skip with reason ``empty-file``, so no file is
   silently counted as zero units (an empty ``.docx`` is not a valid .docx: an error).

Warnings are returned as ``"file[:line]: text"`` strings for the load report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import InputError, ParseError
from ..ids import sha256_bytes
from ..records import Event, Skip, Source, Unit
from ..spans import blank_spans
from ._base import Decoded, Notice, Piece, Reader, Skipped
from .build import ConsentBook, build_units
from .encoding import blank_controls, text_problem
from .limits import Limits, check_docx_package, check_file_size, check_units

__all__ = ["read_source", "SourceResult"]

#: JSON escapes that stand for control characters (unescaped to spaces by the span rule).
_JSON_CONTROL = re.compile(r"\\u00(?:0[0-8bBeEfF]|1[0-9a-fA-F]|[89][0-9a-fA-F])|\\u007[fF]")


@dataclass(slots=True)
class SourceResult:
    """What one file gave: its source record, the decoded text kept, units, skips, warnings."""

    source: Source
    text: str
    units: list[Unit] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _decode(reader: Reader, raw: bytes, rel: str, limits: Limits) -> Decoded:
    if reader.limited:
        check_docx_package(raw, rel, limits)
    try:
        return reader.decode(raw, rel)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise ParseError(f"{reader.name} reader failed: {exc}", file=rel) from exc


def _parse(reader: Reader, text: str, rel: str, options: Mapping[str, Any],
           limits: Limits) -> list[Piece | Skipped | Notice]:
    items: list[Piece | Skipped | Notice] = []
    try:
        for item in reader.parse(text, rel, options):
            items.append(item)
            if len(items) > limits.max_units:
                check_units(len(items), rel, limits)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        # a reader that fails in an unforeseen way must still name the file
        raise ParseError(f"{reader.name} reader failed: {exc}", file=rel) from exc
    return items


def _clean(decoded: Decoded, escape: str, rel: str) -> tuple[Decoded, list[str]]:
    """Blank control characters; note them on the decoding and as warnings."""
    warnings = [f"{rel}: {decoded.warning}"] if decoded.warning else []
    text, n = blank_controls(decoded.text)
    escaped = len(_JSON_CONTROL.findall(text)) if escape == "json" else 0
    notes = []
    if n:
        notes.append(f"{n} control character(s) replaced with spaces")
    if escaped:
        notes.append(f"{escaped} escaped control character(s) read as spaces")
    if notes:
        warnings.append(f"{rel}: " + "; ".join(notes))
        decoded = replace(decoded, text=text, note=decoded.note + "; " + "; ".join(notes))
    return decoded, warnings


def read_source(path: Path, rel: str, event: Event, reader: Reader, options: Mapping[str, Any],
                consent: ConsentBook, limits: Limits) -> SourceResult:
    """Read one transcript file (``path``, shown as ``rel``) of ``event`` (see the module
    docstring for the checks, in order)."""
    bad = set(options) - set(reader.option_names)
    if bad:
        raise InputError(f"reader {reader.name!r} takes no option(s) {', '.join(sorted(bad))}"
                         f"; it takes: {', '.join(reader.option_names) or 'none'}", file=rel)
    check_file_size(path, rel, limits, text=not reader.limited)
    raw = path.read_bytes()
    # an empty text file is a recorded skip; an empty .docx is not a valid .docx (an error)
    empty = not raw and not reader.limited
    decoded = Decoded("", "none", "empty file") if empty else _decode(reader, raw, rel, limits)
    problem = text_problem(decoded.text) if not reader.limited else None

    def source(d: Decoded, n_chars: int) -> Source:
        return Source(path=rel, sha256=sha256_bytes(raw), format=reader.name,
                      encoding=d.encoding, encoding_note=d.note, n_chars=n_chars,
                      event_id=event.event_id, escape=reader.escape)

    if problem is not None:
        skip = Skip(source=rel, line=None, reason="not-text",
                    detail=f"{problem} (decoded as {decoded.encoding}); nothing read from it",
                    event_id=event.event_id)
        return SourceResult(source(decoded, 0), "", skips=[skip],
                            warnings=[f"{rel}: skipped, {problem}"])
    decoded, warnings = _clean(decoded, reader.escape, rel)
    items = [] if empty else _parse(reader, decoded.text, rel, options, limits)
    src = source(decoded, len(decoded.text))
    withdrawn: list[tuple[int, int]] = []
    notices: list[str] = []
    units, skips = build_units(items, event=event, source=src, text=decoded.text,
                               consent=consent, withdrawn_spans=withdrawn, notices=notices)
    warnings.extend(notices)
    if not units and not skips:
        what = "the file is empty (0 bytes)" if not raw else "no text found in the file"
        skips.append(Skip(source=rel, line=None, reason="empty-file", detail=what,
                          event_id=event.event_id))
        warnings.append(f"{rel}: {what}; it adds no units")
    # withdrawn words are kept nowhere, not even in the decoded text the corpus stores
    text = blank_spans(decoded.text, withdrawn, keep=[sp for u in units for sp in u.spans])
    return SourceResult(src, text, units, skips, warnings)
