"""SubRip (``.srt``) captions.

What it reads::

    1                                  <- cue number (may be missing)
    00:00:01,000 --> 00:00:04,200      <- timing, comma before the milliseconds
    {\\an8}<i>Jo:</i> Welcome, thanks
    for coming.

    2
    00:00:05,000 --> 00:00:07,000
    - Amina: The damp is back.         <- "- Name:" dialogue lines, one speaker each
    - Ben: So is the mould.

    3
    00:00:07,500 --> 00:00:09,000
    >> ANN: Buses every hour.          <- ">> NAME:" (broadcast captions)

- Speakers come from ``Name:``, ``- Name:`` or ``>> NAME:`` at a line start; a bare ``-`` or
  ``>>`` starts a new turn with no speaker.
- ``<i>``, ``<b>``, ``<u>``, ``<s>``, ``<font ...>`` tags and ASS override tags (``{\\an8}``) stay
  outside the spans. There is no escaping: ``&`` is just ``&``.
- Extra blank lines, missing cue numbers and a byte-order mark (removed by the decoder) are
  tolerated. Cues are merged into utterances as described in :mod:`listenlens.ingest._captions`.
- A malformed timing line raises :class:`~listenlens.errors.ParseError` with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ._base import Piece, Reader, Skipped
from ._captions import CaptionFormat, Token, parse_captions
from .encoding import decode_text

__all__ = ["READER", "parse_srt", "srt_tokens"]

_TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^>\n]*>|\{\\[^}\n]*\}", re.IGNORECASE)


def srt_tokens(text: str, start: int, end: int) -> list[Token]:
    """Runs of cue text between formatting tags in one line ``text[start:end]``.

    >>> line = "{\\\\an8}<i>so</i> <font color=red>late</font>"
    >>> [line[s:e] for s, e, _ in srt_tokens(line, 0, len(line))]
    ['so', ' ', 'late']
    """
    out: list[Token] = []
    pos = start
    for m in _TAG.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start(), None))
        pos = m.end()
    if pos < end:
        out.append((pos, end, None))
    return out


_FORMAT = CaptionFormat(name="SubRip", tokens=srt_tokens,
                        example="00:00:01,000 --> 00:00:04,000")


def parse_srt(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """Yield one piece per merged utterance and one skip per empty or non-speech cue.

    >>> src = "1\\n00:00:01,000 --> 00:00:02,000\\nAnn: we need\\n\\n2\\n00:00:02,000 --> 00:00:03,000\\nAnn: buses.\\n"
    >>> [(p.speaker, p.time_start, p.time_end) for p in parse_srt(src, "a.srt", {})]
    [('Ann', 1.0, 3.0)]
    """
    return parse_captions(text, path, _FORMAT)


READER = Reader(
    name="srt",
    extensions=(".srt",),
    parse=parse_srt,
    decode=decode_text,
    description="SubRip captions: Name: / - Name: / >> NAME: speakers, cues merged into "
                "timed utterances",
)
