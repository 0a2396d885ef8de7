"""Plain-text transcripts and notes with speaker turns.

What it reads::

    [00:01:02] Amina: The damp in the back bedroom is back again,
    and the landlord says it's our fault.
    FACILITATOR:
    Thank you. Who else has had that?

    Notes from the table by the window, no speaker given.

- A turn starts with ``Name:`` (optionally after a ``[hh:mm:ss]``, ``hh:mm:ss`` or ``(mm:ss)``
  timestamp). A name is one to five words of letters, digits, ``.'-()&/`` and must start with a
  letter; ``http:`` and the like are not names. ``Name:`` alone on a line starts a turn whose
  text is on the following lines.
- A turn runs over following lines until a blank line or the next turn.
- Text with no speaker (a paragraph up to a blank line) is a unit with an empty speaker.
- A line that is only a timestamp sets the time of the next turn; a line that is only a
  bracketed stage direction (``[laughter]``, ``(inaudible)``) is skipped with reason
  ``non-speech``; a turn with a name and no text is skipped with reason ``empty``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ._base import Piece, Reader, Skipped
from .encoding import decode_text

__all__ = ["READER", "parse_txt", "parse_clock", "match_turn", "Turn"]

_TS = r"(?:\[\s*(?P<ts1>\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?)\s*\]|\(\s*(?P<ts2>\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?)\s*\)|(?P<ts3>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?))"
_NAME = r"(?P<name>[^\W\d_][\w.'’&/()\-]*(?:[ \t]+[\w.'’&/()\-]+){0,4})"
_TURN = re.compile(rf"^[ \t]*(?:{_TS}[ \t]*)?{_NAME}[ \t]*:(?P<sep>[ \t]+|$)")
_TS_ONLY = re.compile(rf"^[ \t]*{_TS}[ \t]*$")
_NON_SPEECH = re.compile(r"^[ \t]*(?:\[[^\]\n]{1,60}\]|\([^)\n]{1,60}\))[ \t]*$")
_NOT_NAMES = {"http", "https", "ftp", "mailto", "file", "www"}


@dataclass(frozen=True, slots=True)
class Turn:
    """A ``Name:`` turn start found in a line: speaker, where the body starts, optional time."""

    speaker: str
    body_offset: int
    time: float | None


def match_turn(line: str) -> Turn | None:
    """The turn a line starts, if any (see the module docstring for what counts as a name).

    >>> match_turn("[00:01:02] Amina K: the buses")
    Turn(speaker='Amina K', body_offset=20, time=62.0)
    >>> match_turn("see http://example.org") is None
    True
    """
    m = _TURN.match(line)
    if not m or m.group("name").split()[0].casefold() in _NOT_NAMES:
        return None
    ts = m.group("ts1") or m.group("ts2") or m.group("ts3")
    return Turn(m.group("name").strip(), m.end(), parse_clock(ts) if ts else None)


def parse_clock(value: str) -> float:
    """``'01:02:03.5'`` -> 3723.5 seconds; ``'02:03'`` -> 123.0 (also accepts a comma).

    >>> parse_clock("00:01:02")
    62.0
    """
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def parse_txt(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """Yield one piece per speaker turn or unattributed paragraph (see the module docstring)."""
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    current: dict[str, Any] | None = None
    pending_time: float | None = None

    def close(cur: dict[str, Any] | None) -> Iterator[Piece | Skipped]:
        if cur is None:
            return
        start, end = cur["start"], cur["end"]
        if start is None or not text[start:end].strip():
            yield Skipped(cur["line"], "empty", f"turn of {cur['speaker']!r} has no text",
                          excerpt=cur["speaker"])
            return
        yield Piece(spans=((start, end),), line=cur["line"], speaker=cur["speaker"],
                    kind="utterance" if cur["speaker"] else "paragraph",
                    time_start=cur["time"])

    for i, line in enumerate(lines):
        lineno = i + 1
        base = offsets[i]
        if not line.strip():
            yield from close(current)
            current = None
            continue
        if _TS_ONLY.match(line):
            yield from close(current)
            current = None
            m = _TS_ONLY.match(line)
            pending_time = parse_clock(m.group("ts1") or m.group("ts2") or m.group("ts3"))
            continue
        if _NON_SPEECH.match(line):
            yield Skipped(lineno, "non-speech", "bracketed stage direction", excerpt=line.strip())
            continue
        turn = match_turn(line)
        if turn is not None:
            yield from close(current)
            time = turn.time if turn.time is not None else pending_time
            pending_time = None
            body_start = base + turn.body_offset
            body = line[turn.body_offset:]
            if body.strip():
                lead = len(body) - len(body.lstrip())
                start = body_start + lead
                end = base + len(line.rstrip())
            else:
                start = end = None
            current = {"speaker": turn.speaker, "start": start, "end": end,
                       "line": lineno, "time": time}
            continue
        # a continuation line, or the start of an unattributed paragraph
        stripped_start = base + (len(line) - len(line.lstrip()))
        stripped_end = base + len(line.rstrip())
        if current is None:
            current = {"speaker": "", "start": stripped_start, "end": stripped_end,
                       "line": lineno, "time": pending_time}
            pending_time = None
        else:
            if current["start"] is None:
                current["start"] = stripped_start
                current["line"] = current["line"]
            current["end"] = stripped_end
    yield from close(current)


READER = Reader(
    name="txt",
    extensions=(".txt", ".text"),
    parse=parse_txt,
    decode=decode_text,
    description="plain text with 'Name:' speaker turns and optional [hh:mm:ss] timestamps",
)
