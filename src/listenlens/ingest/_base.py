"""What a reader returns, and the reader record the registry holds.

A reader turns one decoded source text into :class:`Piece` (spans of the text that are one unit
each) and :class:`Skipped` (parts it saw and did not make into units, with a reason). It never
builds ``Unit`` records itself: :mod:`listenlens.ingest.build` does that, computing every unit's
text from its spans so the provenance invariant holds by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Piece", "Skipped", "Decoded", "Reader", "ParseFn", "DecodeFn"]


@dataclass(frozen=True, slots=True)
class Piece:
    """One future unit: spans into the decoded text, plus what the format tells about it."""

    spans: tuple[tuple[int, int], ...]
    line: int
    speaker: str = ""
    kind: str = "utterance"
    time_start: float | None = None
    time_end: float | None = None
    context: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something a reader saw and did not make a unit of (``reason`` is a short stable code)."""

    line: int | None
    reason: str
    detail: str = ""
    excerpt: str = ""


@dataclass(frozen=True, slots=True)
class Decoded:
    """A source's decoded text (newlines normalised) and how it was decoded."""

    text: str
    encoding: str
    note: str


ParseFn = Callable[[str, str, Mapping[str, Any]], Iterable["Piece | Skipped"]]
DecodeFn = Callable[[bytes, str], Decoded]


@dataclass(frozen=True, slots=True)
class Reader:
    """A format: its name, file extensions, escaping, decoder and parser.

    ``parse(text, path, options)`` yields pieces and skips in source order and raises
    :class:`~listenlens.errors.ParseError` (with file and line) for malformed input it cannot
    read past. ``options`` holds reader options (only the names in ``option_names`` are allowed).
    """

    name: str
    extensions: tuple[str, ...]
    parse: ParseFn
    decode: DecodeFn
    escape: str = "none"
    option_names: tuple[str, ...] = ()
    description: str = ""
