"""WebVTT captions (Zoom, Microsoft Teams, Otter and most meeting-recording exports).

What it reads::

    WEBVTT - Riverside drop-in        <- required first line (text after it allowed)
    Kind: captions                    <- header metadata: ignored

    NOTE exported by Zoom             <- NOTE, STYLE and REGION blocks: ignored

    1                                 <- optional cue identifier: dropped
    00:00:01.000 --> 00:00:04.200 align:start     <- timing (hours optional) and cue settings
    <v.chair Jo Smith>Welcome, thanks for coming.</v>
    <v Amina>The damp is <i>back</i> &amp; the landlord
    blames us.

    00:00:05.000 --> 00:00:07.000
    Ben: The 42 bus never comes.      <- a Name: prefix (as in the txt reader)

- Speakers come from voice tags ``<v Name>`` / ``<v.class Name>`` (closed by ``</v>`` or not), or
  from a ``Name:``, ``- Name:`` or ``>> NAME:`` prefix. A cue may hold several voices.
- Markup stays outside the spans: class/italic/bold/underline/language/ruby tags, ruby text
  (``<rt>…</rt>``) and karaoke timestamps (``<00:00:01.000>``). Character references
  (``&amp;``, ``&lt;``, ``&nbsp;``) are undone by the ``html`` escape of the unit text.
- Cues are merged into utterances as described in :mod:`listenlens.ingest._captions`; every
  unit is of kind ``utterance`` with ``time_start``/``time_end`` in seconds and
  ``extra["n_cues"]``.
- A file whose first line is not ``WEBVTT`` and a malformed timing line (``00:01 --> banana``,
  an end before the start) raise :class:`~listenlens.errors.ParseError` with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ._base import Piece, Reader, Skipped
from ._captions import CaptionFormat, Token, parse_captions
from .encoding import decode_text

__all__ = ["READER", "parse_vtt", "vtt_tokens"]

_TAG = re.compile(r"<(?:(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9]*)(?P<rest>[^>\n]*)"
                  r"|\d[\d:.]*)>")
_VOICE = re.compile(r"^(?:\.[^\s>]*)?(?:[ \t]+(?P<who>[^>]*))?$")
_RT_END = re.compile(r"</rt\s*>", re.IGNORECASE)


def vtt_tokens(text: str, start: int, end: int) -> list[Token]:
    """Runs of cue text between tags, and voice tags, in one line ``text[start:end]``.

    >>> line = "<v.loud Ann Lee>fish <i>&amp;</i> chips"
    >>> [(line[s:e], v) for s, e, v in vtt_tokens(line, 0, len(line))]
    [('', 'Ann Lee'), ('fish ', None), ('&amp;', None), (' chips', None)]
    """
    out: list[Token] = []
    pos = start
    while pos < end:
        m = _TAG.search(text, pos, end)
        if m is None:
            out.append((pos, end, None))
            break
        if m.start() > pos:
            out.append((pos, m.start(), None))
        pos = m.end()
        name = (m.group("name") or "").lower()
        if name == "v" and not m.group("close"):
            voice = _VOICE.match(m.group("rest"))
            if voice is not None:
                out.append((m.start(), m.start(), (voice.group("who") or "").strip()))
        elif name == "rt" and not m.group("close"):
            close = _RT_END.search(text, pos, end)
            pos = close.end() if close else end  # ruby text is an annotation, not speech
    return out


_FORMAT = CaptionFormat(name="WebVTT", tokens=vtt_tokens,
                        example="00:00:01.000 --> 00:00:04.000", header="WEBVTT",
                        ignored_blocks=("NOTE", "STYLE", "REGION"))


def parse_vtt(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """Yield one piece per merged utterance and one skip per empty or non-speech cue.

    >>> src = "WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<v Ann>fish &amp;\\n\\n00:02.500 --> 00:04.000\\n<v Ann>chips.\\n"
    >>> [(p.speaker, p.time_start, p.time_end, p.extra) for p in parse_vtt(src, "a.vtt", {})]
    [('Ann', 1.0, 4.0, {'n_cues': 2})]
    """
    return parse_captions(text, path, _FORMAT, escape="html")


READER = Reader(
    name="vtt",
    extensions=(".vtt",),
    parse=parse_vtt,
    decode=decode_text,
    escape="html",
    description="WebVTT captions (Zoom, Teams, Otter): voice tags or Name: prefixes, "
                "cues merged into timed utterances",
)
