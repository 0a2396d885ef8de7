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

__all__ = ["Piece", "Skipped", "Notice", "Decoded", "Reader", "ParseFn", "DecodeFn"]


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
class Notice:
    """Something a reader read but wants the load report to mention (``code`` is a short
    stable code, e.g. ``cues-out-of-order``); it is neither a unit nor a skip."""

    line: int | None
    code: str
    detail: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """A source's decoded text (newlines normalised) and how it was decoded. ``warning`` is
    set when the decoding was a guess a person should check (no byte-order mark on UTF-16,
    mixed encodings, bytes replaced)."""

    text: str
    encoding: str
    note: str
    warning: str = ""


ParseFn = Callable[[str, str, Mapping[str, Any]], Iterable["Piece | Skipped | Notice"]]
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
    limited: bool = False
