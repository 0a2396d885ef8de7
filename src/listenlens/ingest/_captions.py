"""Caption files (WebVTT, SubRip): the cue model and cue merging shared by both readers.

A caption file is a list of *cues*: a timing line ``start --> end`` and one or more text lines.
Reading one goes in three steps:

1. **Lines to cues.** Blocks are separated by blank lines. A line holding ``-->`` is a timing line
   (malformed ones raise :class:`~listenlens.errors.ParseError`); the text lines after it, up to
   a blank line, are the cue's text. A line just before a timing line (blank lines allowed
   between) is a cue identifier and is dropped, as is a digits-only line directly above a timing
   line that follows cue text without a blank line (a missing separator). Text after a blank
   line that belongs to no timing line continues the cue before it (some exports put blank lines
   inside cue text); before any cue it is skipped with reason ``no-timing``. Format-specific
   blocks (WebVTT ``NOTE``, ``STYLE``, ``REGION``) are ignored.
2. **Cues to segments.** Each text line is cut into runs of text between markup tags (the tags
   stay outside the spans). A voice tag (``<v Name>``), a ``Name:`` prefix (see
   :func:`listenlens.ingest.txt.match_turn`), ``- Name:`` or ``>> NAME:`` starts a segment with
   that speaker; a bare ``-`` or ``>>`` at a line start starts a segment with no speaker. These
   are *turn markers*. A segment whose text is empty is skipped (``empty``); one whose text is
   only bracketed sound descriptions (``[music]``, ``(laughs)``, ``♪``) is skipped
   (``non-speech``).
3. **Segments to pieces.** Consecutive segments of the same non-empty speaker merge into one
   piece. A segment with no speaker and no turn marker continues the piece before it (whatever
   its speaker) while that piece's text does not end a sentence (``.``, ``?``, ``!``, ``…``,
   closing quotes or brackets allowed after) and the gap between the cues is at most
   :data:`MAX_GAP` seconds (a cue that starts before the piece did never continues it);
   otherwise it starts a new piece. A skipped segment ends the piece
   before it. Each piece keeps the first start and the last end time and
   ``extra["n_cues"]``, the number of cues it was made from.

A piece's spans skip every tag, timing line and identifier between its words; the newline after
each text line is kept inside a span so that words of two lines or cues stay apart.

Cues out of time order (a cue that starts before the cue above it) are kept in file order, the
order every offset follows, and each is reported as a ``cues-out-of-order`` notice in the load
report, so a reader of the times knows they do not increase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..errors import ParseError
from ..ids import normalise_label
from ..spans import span_text
from ._base import Notice, Piece, Skipped
from .txt import match_turn

__all__ = ["MAX_GAP", "CaptionFormat", "Cue", "Token", "parse_captions", "parse_timing",
           "parse_clock", "ends_sentence"]

#: Longest silence (seconds) across which two cues with no speaker still merge.
MAX_GAP = 2.0

#: One item of a tokenised text line: ``(start, end, None)`` for a run of text, or
#: ``(pos, pos, name)`` for a voice tag naming a speaker at ``pos``.
Token = tuple[int, int, "str | None"]

_CLOCK = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^[ \t]*(?P<a>{_CLOCK})[ \t]*-->[ \t]*(?P<b>{_CLOCK})(?:[ \t]+[^\n]*)?$")
_DIGITS = re.compile(r"^[ \t]*\d+[ \t]*$")
_CHEVRONS = re.compile(r"[ \t]*>>+[ \t]*")
_DASH = re.compile(r"[ \t]*[-‐–—][ \t]+")
_NON_SPEECH = re.compile(r"^(?:\[[^\]]*\]|\([^)]*\)|[♪♫#\s])+$")
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]»]*$")


@dataclass(frozen=True, slots=True)
class CaptionFormat:
    """What differs between caption formats.

    ``tokens(text, start, end)`` cuts one text line into runs of text and voice tags (markup
    dropped); ``header`` is a required first word (``WEBVTT``) or ``""``; ``ignored_blocks`` are
    the first words of blocks that are not cues; ``example`` shows a well-formed timing line.
    """

    name: str
    tokens: Callable[[str, int, int], list[Token]]
    example: str
    header: str = ""
    ignored_blocks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed cue: where its timing line is, its times, and its text lines as spans."""

    line: int
    start: float
    end: float
    lines: tuple[tuple[int, int, int], ...]  # (line number, start offset, end offset)


@dataclass(slots=True)
class _Segment:
    """Part of a cue spoken by one speaker (a cue holds several when it has turn markers)."""

    cue: int
    line: int
    speaker: str
    marked: bool
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Open:
    """The piece being merged."""

    line: int
    speaker: str
    start: float
    end: float
    spans: list[tuple[int, int]]
    cues: set[int]
    last_text: str


def parse_clock(value: str, path: str, line: int) -> float:
    """Seconds in ``[hh:]mm:ss[.ttt]`` (``,`` accepted for ``.``); minutes and seconds < 60.

    >>> parse_clock("01:02:03.500", "a.vtt", 3)
    3723.5
    >>> parse_clock("02:03,25", "a.srt", 3)
    123.25
    """
    head, _, frac = value.replace(",", ".").partition(".")
    parts = [int(p) for p in head.split(":")]
    if any(p >= 60 for p in parts[1:]):
        raise ParseError(f"time {value!r} has minutes or seconds of 60 or more", file=path,
                         line=line)
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds + (int(frac) / 10 ** len(frac) if frac else 0.0)


def parse_timing(line: str, path: str, lineno: int, example: str) -> tuple[float, float]:
    """Start and end seconds of a cue timing line; :class:`ParseError` when malformed.

    >>> parse_timing("00:01.000 --> 00:02.500 align:start", "a.vtt", 4, "")
    (1.0, 2.5)
    """
    m = _TIMING.match(line)
    if m is None:
        raise ParseError(f"malformed cue timing {line.strip()!r}; expected e.g. {example!r}",
                         file=path, line=lineno)
    start = parse_clock(m.group("a"), path, lineno)
    end = parse_clock(m.group("b"), path, lineno)
    if end < start:
        raise ParseError(f"cue ends ({m.group('b')}) before it starts ({m.group('a')})",
                         file=path, line=lineno)
    return start, end


def ends_sentence(text: str) -> bool:
    """Whether text ends a sentence (``.?!…``, optionally followed by closing quotes/brackets).

    >>> ends_sentence("we waited."), ends_sentence('he said "no!"'), ends_sentence("and then")
    (True, True, False)
    """
    return bool(_SENTENCE_END.search(text.rstrip()))


def _first_word(line: str) -> str:
    parts = line.split(None, 1)
    return parts[0] if parts else ""


def _read_cues(text: str, path: str, fmt: CaptionFormat) -> list[Cue | Skipped]:
    """Step 1 of the module docstring: the cues (and orphan-text skips) in source order."""
    lines = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    i = 0
    if fmt.header:
        first = lines[0].lstrip("\ufeff")
        if not first.startswith(fmt.header) or first.split(None, 1)[0] != fmt.header:
            raise ParseError(f"not a {fmt.name} file: the first line must start with "
                             f"{fmt.header!r}", file=path, line=1)
        i = 1
        while i < len(lines) and lines[i].strip() and "-->" not in lines[i]:
            i += 1  # header metadata (Kind:, Language:, ...)

    out: list[Cue | Skipped] = []
    state = "between"  # between | cue | ignored | orphan
    cur: tuple[int, float, float, list[tuple[int, int, int]]] | None = None

    def flush() -> None:
        nonlocal cur
        if cur is not None:
            out.append(Cue(cur[0], cur[1], cur[2], tuple(cur[3])))
            cur = None

    def next_nonblank(j: int) -> str:
        while j < len(lines) and not lines[j].strip():
            j += 1
        return lines[j] if j < len(lines) else ""

    while i < len(lines):
        line, lineno, base = lines[i], i + 1, offsets[i]
        i += 1
        if not line.strip():
            state = "between"
            continue
        if state in ("ignored", "orphan"):
            continue
        if state == "between" and _first_word(line) in fmt.ignored_blocks:
            state = "ignored"
            continue
        if "-->" in line:
            start, end = parse_timing(line, path, lineno, fmt.example)
            if cur is not None and cur[3] and _DIGITS.match(lines[cur[3][-1][0] - 1]):
                cur[3].pop()  # an index line above a timing line, with no blank line between
            flush()
            cur = (lineno, start, end, [])
            state = "cue"
            continue
        if state == "between":
            if "-->" in next_nonblank(i):
                continue  # a cue identifier
            if cur is None:
                out.append(Skipped(lineno, "no-timing", "text with no cue timing before it",
                                   excerpt=line.strip()))
                state = "orphan"
                continue
            state = "cue"  # text after a blank line continues the cue before it
        cur[3].append((lineno, base, base + len(line)))  # type: ignore[index]
    flush()
    return out


def _drop_prefix(runs: list[tuple[int, int]], text: str, k: int) -> list[tuple[int, int]]:
    """Runs without their first ``k`` characters and the whitespace after them."""
    out: list[tuple[int, int]] = []
    for s, e in runs:
        take = min(k, e - s)
        k -= take
        s += take
        if k == 0 and not out:
            while s < e and text[s] in " \t":
                s += 1
        if s < e:
            out.append((s, e))
    return out


def _marker(visible: str) -> tuple[bool, str, int] | None:
    """A turn marker at the start of a line's visible text: (marked, speaker, prefix length)."""
    m = _CHEVRONS.match(visible) or _DASH.match(visible)
    k = m.end() if m else 0
    turn = match_turn(visible[k:])
    if turn is not None:
        return True, turn.speaker, k + turn.body_offset
    return (True, "", k) if m is not None else None


def _segments(text: str, cue_no: int, cue: Cue, fmt: CaptionFormat) -> list[_Segment]:
    """Step 2 of the module docstring for one cue."""
    segs: list[_Segment] = []
    for lineno, s, e in cue.lines:
        tokens = fmt.tokens(text, s, e)
        chunks: list[tuple[str | None, list[tuple[int, int]]]] = [(None, [])]
        for ts, te, voice in tokens:
            if voice is not None:
                chunks.append((voice, []))
            elif te > ts:
                chunks[-1][1].append((ts, te))
        for n, (voice, runs) in enumerate(chunks):
            if voice is not None:
                segs.append(_Segment(cue_no, lineno, voice.strip(), True))
            elif n == 0:
                visible = "".join(text[a:b] for a, b in runs)
                found = _marker(visible) if visible.strip() else None
                if found is not None:
                    segs.append(_Segment(cue_no, lineno, found[1], found[0]))
                    runs = _drop_prefix(runs, text, found[2])
                elif not segs:
                    if not visible.strip():
                        continue
                    segs.append(_Segment(cue_no, lineno, "", False))
            if segs:
                segs[-1].spans.extend(runs)
        if segs and e < len(text):
            segs[-1].spans.append((e, e + 1))  # the newline keeps this line's words apart
    return segs


def _tidy(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join touching spans, trim outer whitespace, drop empty ones."""
    joined: list[list[int]] = []
    for s, e in spans:
        if e <= s:
            continue
        if joined and joined[-1][1] == s:
            joined[-1][1] = e
        else:
            joined.append([s, e])
    while joined and not text[joined[0][0]:joined[0][1]].strip():
        joined.pop(0)
    while joined and not text[joined[-1][0]:joined[-1][1]].strip():
        joined.pop()
    if joined:
        s, e = joined[0]
        joined[0][0] = s + len(text[s:e]) - len(text[s:e].lstrip())
        s, e = joined[-1]
        joined[-1][1] = s + len(text[s:e].rstrip())
    return [(s, e) for s, e in joined]


def _order_notices(items: list[Cue | Skipped]) -> Iterator[Notice]:
    """A notice for each cue that starts before the cue above it."""
    prev: Cue | None = None
    for item in items:
        if not isinstance(item, Cue):
            continue
        if prev is not None and item.start < prev.start:
            yield Notice(item.line, "cues-out-of-order",
                         f"cue starts at {item.start:g} s, before the cue on line {prev.line} "
                         f"({prev.start:g} s); kept in file order")
        prev = item


def parse_captions(text: str, path: str, fmt: CaptionFormat,
                   escape: str = "none") -> Iterator[Piece | Skipped | Notice]:
    """Pieces (merged caption utterances) and skips of a caption file, in source order, and a
    notice for each cue out of time order."""
    items = _read_cues(text, path, fmt)
    yield from _order_notices(items)
    cur: _Open | None = None
    cue_no = -1

    def close() -> Iterator[Piece]:
        nonlocal cur
        if cur is not None:
            yield Piece(spans=tuple(_tidy(cur.spans, text)), line=cur.line, speaker=cur.speaker,
                        kind="utterance", time_start=cur.start, time_end=cur.end,
                        extra={"n_cues": len(cur.cues)})
        cur = None

    for item in items:
        if isinstance(item, Skipped):
            yield from close()
            yield item
            continue
        cue_no += 1
        segs = _segments(text, cue_no, item, fmt)
        if not segs:
            yield from close()
            yield Skipped(item.line, "empty", "cue has no text")
            continue
        for seg in segs:
            body = span_text(text, seg.spans, escape)
            if not body or _NON_SPEECH.match(body):
                yield from close()
                reason = "non-speech" if body else "empty"
                yield Skipped(seg.line, reason, "sound description" if body else
                              f"cue of {seg.speaker!r} has no text", excerpt=body or seg.speaker)
                continue
            if cur is not None and _continues(cur, seg, item):
                cur.spans.extend(seg.spans)
                cur.end = max(cur.end, item.end)
                cur.cues.add(cue_no)
                cur.last_text = body
                continue
            yield from close()
            cur = _Open(seg.line, seg.speaker, item.start, item.end, list(seg.spans), {cue_no},
                        body)
    yield from close()


def _continues(cur: _Open, seg: _Segment, cue: Cue) -> bool:
    """Whether a segment merges into the open piece (step 3 of the module docstring)."""
    if seg.speaker:
        return bool(cur.speaker) and normalise_label(seg.speaker) == normalise_label(cur.speaker)
    if seg.marked or ends_sentence(cur.last_text):
        return False
    return cue.start >= cur.start and cue.start - cur.end <= MAX_GAP
