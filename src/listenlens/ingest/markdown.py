"""Facilitator notes in Markdown.

What it reads::

    ---
    title: Riverside drop-in          <- YAML front matter: skipped (not-content)
    ---
    # Housing                         <- ATX heading: context "Housing"
    Repairs                           <- setext heading (a paragraph underlined by === or ---)
    -------
    - **Amina:** the damp is back     <- a bullet: kind "note", speaker "Amina"
      and the landlord blames us.     <- continuation of the bullet above
      - nested bullets are units too  <- kind "note", extra["depth"] == 2
    > Dev: we waited six weeks.       <- blockquote: kind "quote", speaker "Dev"

    A plain paragraph is a unit of kind "paragraph".

- Headings (``#`` .. ``######`` and setext ``===`` / ``---``) are not units; they form the
  ``context`` of the units under them, outer first: ``"Housing > Repairs"``.
- Bullets ``-``, ``*``, ``+`` and ordered ``1.`` / ``1)`` items are units of kind ``note``, each
  nested item its own unit (``extra["depth"]``, 1 for top level, from the indentation). A bullet
  runs over following lines until a blank line or the next block start.
- Paragraphs run until a blank line or a block start. Blockquote lines (``>``, nested ``>>``
  too) form one ``quote`` unit per run of quoted lines; the markers are outside its spans (one
  span per line).
- ``Name:``, ``**Name:**``, ``**Name**:`` or ``__Name:__`` at the start of a unit gives its
  speaker (names and optional ``[hh:mm:ss]`` times as in
  :func:`listenlens.ingest.txt.match_turn`, so ``Note: ...`` is read as a speaker too); the
  prefix and its markup are outside the spans. A speaker applies to that unit only.
- Emphasis markers (``*``, ``_``, backticks) and link syntax *inside* a unit stay in its spans
  and so in its text: unit text is source text, never re-rendered.
- Skipped with reason ``not-content``: YAML front matter at the top of the file, fenced code
  blocks (backticks or tildes, to the closing fence or the end of the file), and HTML comments
  that start a line (to the line holding ``-->``). Thematic breaks (``***``, ``---`` not under a
  paragraph) and blank lines are not pieces. An empty bullet is skipped as ``empty``.
- Not recognised (read as plain text): indented code blocks, tables, HTML blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._base import Piece, Reader, Skipped
from .encoding import decode_text
from .txt import match_turn

__all__ = ["READER", "parse_markdown"]

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BOLD_NAME = re.compile(r"^(\*\*|__)(?P<name>[^*_\n:]{1,60}?)[ \t]*(?::[ \t]*\1|\1[ \t]*:)[ \t]*")
_MARKUP = re.compile(r"[*_`]+")


@dataclass(slots=True)
class _Block:
    """A unit being collected: its kind, first line, spans so far and attributes."""

    kind: str
    line: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    speaker: str = ""
    depth: int = 0
    time: float | None = None


def _speaker(body: str) -> tuple[str, int, float | None]:
    """The speaker a unit body starts with, the prefix length (0 when none) and its time."""
    m = _BOLD_NAME.match(body)
    if m:
        turn = match_turn(m.group("name") + ":")
        if turn is not None:
            return turn.speaker, m.end(), turn.time
        return "", 0, None
    turn = match_turn(body)
    if turn is not None:
        return turn.speaker, turn.body_offset, turn.time
    return "", 0, None


def _heading_text(raw: str) -> str:
    return " ".join(_MARKUP.sub("", raw).split())


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(4))


class _MarkdownParser:
    """What reading one Markdown text keeps between lines: the headings above, the indents of
    the open bullet list, and the block still open."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.offsets: list[int] = []
        pos = 0
        for line in self.lines:
            self.offsets.append(pos)
            pos += len(line) + 1
        self.headings: list[str] = [""] * 6
        self.bullet_indents: list[int] = []
        self.cur: _Block | None = None

    def context(self) -> str:
        return " > ".join(h for h in self.headings if h)

    def close(self) -> Iterator[Piece | Skipped]:
        block, self.cur = self.cur, None
        if block is None:
            return
        if not block.spans or not any(self.text[s:e].strip() for s, e in block.spans):
            what = f"turn of {block.speaker!r}" if block.speaker else f"{block.kind}"
            yield Skipped(block.line, "empty", f"{what} has no text", excerpt=block.speaker)
            return
        extra = {"depth": block.depth} if block.kind == "note" else {}
        yield Piece(spans=tuple(block.spans), line=block.line, speaker=block.speaker,
                    kind=block.kind, time_start=block.time, context=self.context(), extra=extra)

    def start(self, kind: str, lineno: int, begin: int, end: int, **attrs: Any) -> _Block:
        """A new block whose first line's body is ``text[begin:end]``."""
        body = self.text[begin:end]
        lead = len(body) - len(body.lstrip())
        speaker, prefix, time = _speaker(body[lead:])
        block = _Block(kind, lineno, speaker=speaker, time=time, **attrs)
        s = begin + lead + prefix
        if self.text[s:end].strip():
            block.spans.append((s, end))
        return block

    def extend(self, block: _Block, begin: int, end: int, line_start: int) -> None:
        """Add ``text[begin:end]`` (a later line of the block starting at ``line_start``)."""
        if not self.text[begin:end].strip():
            return
        if not block.spans:
            block.spans.append((begin, end))
        elif block.kind == "quote":  # the '>' markers stay outside; keep the newline as a space
            block.spans[-1] = (block.spans[-1][0], line_start)
            block.spans.append((begin, end))
        else:  # only whitespace lies between the lines: one span
            block.spans[-1] = (block.spans[-1][0], end)

    def front_matter(self) -> Iterator[Piece | Skipped]:
        """Skip YAML front matter; returns the index of the first line after it."""
        lines, n = self.lines, len(self.lines)
        if n > 1 and lines[0].rstrip() == "---":
            for j in range(1, n):
                if lines[j].rstrip() in ("---", "..."):
                    yield Skipped(1, "not-content", f"YAML front matter (lines 1-{j + 1})",
                                  excerpt="\n".join(lines[1:j])[:200])
                    return j + 1
        return 0

    def hidden(self, i: int) -> Iterator[Piece | Skipped]:
        """Skip a fenced code block or an HTML comment starting on line ``i``; returns the
        index after it (``None`` when line ``i`` starts neither)."""
        lines, n, lineno = self.lines, len(self.lines), i + 1
        fence = _FENCE.match(lines[i])
        if fence:
            yield from self.close()
            mark = fence.group(1)
            j = i + 1
            while j < n and not (lines[j].strip().startswith(mark[0] * len(mark))
                                 and not lines[j].strip().strip(mark[0])):
                j += 1
            last = min(j, n - 1)
            yield Skipped(lineno, "not-content", f"fenced code block (lines {lineno}-{last + 1})",
                          excerpt="\n".join(lines[i + 1:j])[:200])
            return last + 1
        if lines[i].lstrip().startswith("<!--"):
            yield from self.close()
            j = i
            while j < n and "-->" not in lines[j]:
                j += 1
            last = min(j, n - 1)
            yield Skipped(lineno, "not-content", f"HTML comment (lines {lineno}-{last + 1})",
                          excerpt="\n".join(lines[i:last + 1])[:200])
            return last + 1
        return None

    def line(self, i: int) -> Iterator[Piece | Skipped]:
        """Read line ``i`` (not blank, not hidden): a heading, a break, or part of a block."""
        line, lineno, base = self.lines[i], i + 1, self.offsets[i]
        end = base + len(line.rstrip())
        cur = self.cur
        setext = _SETEXT.match(line)
        if setext and cur is not None and cur.kind == "paragraph":
            level = 1 if setext.group(1)[0] == "=" else 2
            title = " ".join(self.text[s:e] for s, e in cur.spans)
            if cur.speaker:
                title = f"{cur.speaker}: {title}"
            self.cur = None
            self.headings[level - 1:] = [_heading_text(title)] + [""] * (6 - level)
            return
        atx = _ATX.match(line)
        if atx:
            yield from self.close()
            level = len(atx.group(1))
            self.headings[level - 1:] = [_heading_text(atx.group(2) or "")] + [""] * (6 - level)
            self.bullet_indents.clear()
            return
        if _BREAK.match(line):
            yield from self.close()
            return
        quote = _QUOTE.match(line)
        if quote:
            if cur is not None and cur.kind == "quote":
                self.extend(cur, base + quote.end(), end, base)
            else:
                yield from self.close()
                self.cur = self.start("quote", lineno, base + quote.end(), end)
            return
        bullet = _BULLET.match(line)
        if bullet:
            yield from self.close()
            indent = _indent_width(bullet.group("indent"))
            while self.bullet_indents and self.bullet_indents[-1] >= indent:
                self.bullet_indents.pop()
            self.bullet_indents.append(indent)
            self.cur = self.start("note", lineno, base + bullet.end(), end,
                                  depth=len(self.bullet_indents))
            return
        # a plain line: continues the current block, or starts a paragraph
        lead = len(line) - len(line.lstrip())
        if cur is not None:
            self.extend(cur, base + lead, end, base)
        else:
            self.bullet_indents.clear()
            self.cur = self.start("paragraph", lineno, base, end)


def parse_markdown(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """Yield one piece per bullet, paragraph or blockquote (see the module docstring).

    >>> src = "# Buses\\n- Ann: every *hour*\\n"
    >>> [(p.speaker, p.context, src[p.spans[0][0]:p.spans[0][1]])
    ...  for p in parse_markdown(src, "n.md", {})]
    [('Ann', 'Buses', 'every *hour*')]
    """
    parser = _MarkdownParser(text)
    i = yield from parser.front_matter()
    while i < len(parser.lines):
        if not parser.lines[i].strip():
            yield from parser.close()
            i += 1
            continue
        after = yield from parser.hidden(i)
        if after is not None:
            i = after
            continue
        yield from parser.line(i)
        i += 1
    yield from parser.close()


READER = Reader(
    name="md",
    extensions=(".md", ".markdown"),
    parse=parse_markdown,
    decode=decode_text,
    description="Markdown notes: bullets, paragraphs and quotes as units, headings as context",
)
