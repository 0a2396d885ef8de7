"""Exact source spans and the one rule that turns them into unit text.

A unit points into its source's *decoded text* (bytes decoded, newlines normalised to ``\\n``) by
one or more ``(start, end)`` character spans. Its text is always::

    collapse_ws(unescape(source_text[s0:e0], escape) + unescape(source_text[s1:e1], escape) + ...)

where ``collapse_ws`` turns every run of whitespace into one space and trims the ends, and
``escape`` is the source format's escaping (``none``; ``csv`` for doubled quotes in quoted
fields; ``json`` for JSON string escapes; ``html`` for the character references WebVTT uses).
Several spans let one unit skip markup between its pieces (timing lines between merged caption
cues, ``<v Name>`` tags); a reader that needs a space between two spans includes the whitespace
that follows the first one in it.

This is the provenance invariant: every quote can be re-derived from its source, character for
character, by :func:`span_text`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence

__all__ = ["ESCAPES", "collapse_ws", "unescape", "span_text", "normalise_newlines", "line_of"]

ESCAPES = ("none", "csv", "json", "html")


def collapse_ws(text: str) -> str:
    """One space for every run of whitespace, none at the ends.

    >>> collapse_ws("  damp\\n  and   mould ")
    'damp and mould'
    """
    return " ".join(text.split())


def unescape(raw: str, escape: str = "none") -> str:
    """Undo a format's escaping of one raw span.

    >>> unescape('say ""hello""', "csv")
    'say "hello"'
    >>> unescape('caf\\\\u00e9 \\\\"x\\\\"', "json")
    'café "x"'
    >>> unescape("fish &amp; chips", "html")
    'fish & chips'
    """
    if escape == "none":
        return raw
    if escape == "csv":
        return raw.replace('""', '"')
    if escape == "json":
        return json.loads('"' + raw + '"')
    if escape == "html":
        return html.unescape(raw)
    raise ValueError(f"unknown escape {escape!r}; expected one of {ESCAPES}")


def span_text(source_text: str, spans: Iterable[Sequence[int]], escape: str = "none") -> str:
    """The unit text that ``spans`` denote in ``source_text`` (see the module docstring).

    >>> span_text("Ann: we need buses\\n  every hour\\n", [(5, 31)])
    'we need buses every hour'
    """
    return collapse_ws("".join(unescape(source_text[s:e], escape) for s, e in spans))


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``: the decoded text every offset refers to."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset.

    >>> line_of("a\\nb\\nc", 4)
    3
    """
    return text.count("\n", 0, offset) + 1
