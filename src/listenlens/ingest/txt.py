"""Plain-text transcripts and notes with speaker turns.

What it reads::

    [00:01:02] Amina: The damp in the back bedroom is back again,
    and the landlord says it's our fault.
    FACILITATOR:
    Thank you. Who else has had that?

    Notes from the table by the window, no speaker given.

- A turn starts with ``Name:`` (optionally after a ``[hh:mm:ss]``, ``hh:mm:ss`` or ``(mm:ss)``
  timestamp). A name is one to five words of letters, digits, ``.'-()&/``; it starts with a
  capital letter and its other words are capitalised, numbers or name particles (``of``, ``bin``,
  ``van`` …), or it is a generic label (``speaker 2``, ``participant 7``, ``Q``). ``http:`` and
  notes labels (``Note:``, ``Action:``, ``Date:`` …) are not names, nor is a sentence that happens
  to contain a colon (``So here's the thing: …``). ``Name:`` alone on a line starts a turn whose
  text is on the following lines.
- A turn runs over following lines until a blank line or the next turn.
- Text with no speaker (a paragraph up to a blank line) is a unit with an empty speaker.
- A line that is only a timestamp sets the time of the next turn; a line that is only a
  bracketed stage direction (``[laughter]``, ``(inaudible)``) is skipped with reason
  ``non-speech``; inside a turn it stays out of the turn's text (the turn gets two spans) and
  the turn goes on after it. A turn with a name and no text is skipped with reason ``empty``.
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
#: Labels that end in a colon in notes but are not speakers.
_NOTE_LABELS = {"note", "notes", "nb", "ps", "time", "date", "location", "venue", "attendees",
                "present", "apologies", "action", "actions", "agenda", "subject", "re",
                "summary", "outcome", "outcomes", "update", "minutes", "key points", "theme",
                "themes", "topic", "next steps", "follow up", "follow-up", "quote", "tip"}
#: Lower-case words allowed inside a name ("Member of the public", "Amina bin Said").
_PARTICLES = {"of", "the", "de", "da", "del", "van", "von", "der", "bin", "binti", "al", "el",
              "la", "le", "du", "dos", "and", "&"}
_LOWER_LABELS = {"speaker", "participant", "interviewer", "facilitator", "moderator", "host",
                 "respondent", "resident", "unknown", "person", "p", "q", "a"}


def _plausible_name(name: str) -> bool:
    """A speaker label, not the start of a sentence: capitalised words (or name particles), or a
    generic label such as ``speaker 2``; not a notes label such as ``Note`` or ``Action``."""
    words = name.split()
    folded = " ".join(words).casefold()
    if words[0].casefold() in _NOT_NAMES or folded in _NOTE_LABELS:
        return False
    if words[0].casefold() in _LOWER_LABELS:
        return True
    if not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.casefold() in _PARTICLES or not w[0].isalpha()
               for w in words[1:])


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
    if not m or not _plausible_name(m.group("name")):
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
        spans = cur["spans"]
        if not spans or not any(text[s:e].strip() for s, e in spans):
            yield Skipped(cur["line"], "empty", f"turn of {cur['speaker']!r} has no text",
                          excerpt=cur["speaker"])
        else:
            yield Piece(spans=tuple((s, e) for s, e in spans), line=cur["line"],
                        speaker=cur["speaker"],
                        kind="utterance" if cur["speaker"] else "paragraph",
                        time_start=cur["time"])
        yield from cur["skips"]  # stage directions inside the turn, after it in source order

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
            skip = Skipped(lineno, "non-speech", "bracketed stage direction", excerpt=line.strip())
            if current is None:
                yield skip
            else:  # the turn goes on after it, but its text leaves the direction out
                current["skips"].append(skip)
                current["gap"] = True
            continue
        turn = match_turn(line)
        if turn is not None:
            yield from close(current)
            time = turn.time if turn.time is not None else pending_time
            pending_time = None
            body_start = base + turn.body_offset
            body = line[turn.body_offset:]
            spans: list[list[int]] = []
            if body.strip():
                lead = len(body) - len(body.lstrip())
                spans.append([body_start + lead, base + len(line.rstrip())])
            current = {"speaker": turn.speaker, "spans": spans, "gap": False, "skips": [],
                       "line": lineno, "time": time}
            continue
        # a continuation line, or the start of an unattributed paragraph
        stripped_start = base + (len(line) - len(line.lstrip()))
        stripped_end = base + len(line.rstrip())
        if current is None:
            current = {"speaker": "", "spans": [[stripped_start, stripped_end]], "gap": False,
                       "skips": [], "line": lineno, "time": pending_time}
            pending_time = None
        elif current["spans"] and current["gap"]:
            # a stage direction lies between: a new span; the newline after the last one keeps
            # the words of the two lines apart
            current["spans"][-1][1] += 1
            current["spans"].append([stripped_start, stripped_end])
        elif current["spans"]:
            current["spans"][-1][1] = stripped_end
        else:
            current["spans"].append([stripped_start, stripped_end])
        current["gap"] = False
    yield from close(current)


READER = Reader(
    name="txt",
    extensions=(".txt", ".text"),
    parse=parse_txt,
    decode=decode_text,
    description="plain text with 'Name:' speaker turns and optional [hh:mm:ss] timestamps",
)
