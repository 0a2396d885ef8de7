"""Selection offsets: characters (the standard) or UTF-16 code units (what some programs count).

QDA-XML positions count characters. A program built on UTF-16 strings counts a character outside
the Basic Multilingual Plane (most emoji, some CJK and historic scripts) as two, so every position
after such a character is off by one per character. Both readings agree on text without such
characters. :func:`detect_unit` decides which reading a source's selections use: a position that
only fits in UTF-16 (past the end in characters, or a reading that splits a surrogate pair)
settles it; otherwise the reading whose selections start and end at word boundaries, on
characters that are not whitespace, more often wins, and a tie means characters (the standard).
This is a heuristic: pass ``offsets=`` to :func:`~listenlens.exchange.load_qdpx` when you know.

>>> text = "🙂 buses are late"
>>> to_utf16(text, 7), from_utf16(text, 8)
(8, 7)
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

__all__ = ["OFFSET_UNITS", "to_utf16", "from_utf16", "utf16_table", "detect_unit",
           "convert_spans"]

OFFSET_UNITS = ("characters", "utf16")


def _wide(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def utf16_table(text: str) -> list[int]:
    """UTF-16 position of every character position ``0..len(text)``."""
    return [0, *accumulate(_wide(c) for c in text)]


def to_utf16(text: str, pos: int) -> int:
    """The UTF-16 code-unit position of character position ``pos``."""
    return pos + sum(1 for c in text[:pos] if ord(c) > 0xFFFF)


def from_utf16(text: str, pos: int, table: Sequence[int] | None = None) -> int:
    """The character position of UTF-16 position ``pos``; ``ValueError`` when ``pos`` falls
    inside a surrogate pair or past the end."""
    table = table if table is not None else utf16_table(text)
    lo, hi = 0, len(table) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if table[mid] == pos:
            return mid
        if table[mid] < pos:
            lo = mid + 1
        else:
            hi = mid - 1
    raise ValueError(f"UTF-16 position {pos} is inside a character or past the end")


def _fit_score(text: str, spans: Sequence[tuple[int, int]]) -> int:
    """How well spans fit the text: a point per edge at a word boundary, and one per edge
    whose first or last character is not whitespace (people select words, not gaps)."""
    def boundary(i: int) -> bool:
        if i <= 0 or i >= len(text):
            return True
        a, b = text[i - 1], text[i]
        return not (a.isalnum() and b.isalnum())

    score = 0
    for s, e in spans:
        score += boundary(s) + boundary(e)
        if e > s:
            score += (not text[s].isspace()) + (not text[e - 1].isspace())
    return score


def detect_unit(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``"characters"`` or ``"utf16"``: which reading of ``spans`` fits ``text``.

    >>> t = "😀😀 the bus never comes"
    >>> detect_unit(t, [(9, 12)]), detect_unit(t, [(7, 10)])
    ('utf16', 'characters')
    """
    table = utf16_table(text)
    if table[-1] == len(text) or not spans:
        return "characters"
    fits_chars = all(0 <= s <= e <= len(text) for s, e in spans)
    try:
        as_chars = [(from_utf16(text, s, table), from_utf16(text, e, table)) for s, e in spans]
    except ValueError:
        return "characters"
    if not fits_chars:
        return "utf16"
    return "utf16" if _fit_score(text, as_chars) > _fit_score(text, spans) else "characters"


def convert_spans(text: str, spans: Sequence[tuple[int, int]], unit: str
                  ) -> list[tuple[int, int]]:
    """``spans`` read in ``unit`` as character spans (``characters`` passes them through)."""
    if unit == "characters":
        return [(int(s), int(e)) for s, e in spans]
    if unit != "utf16":
        raise ValueError(f"unknown offset unit {unit!r}; expected one of {OFFSET_UNITS}")
    table = utf16_table(text)
    return [(from_utf16(text, s, table), from_utf16(text, e, table)) for s, e in spans]
