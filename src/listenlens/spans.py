"""Exact source spans and the one rule that turns them into unit text.

A unit points into its source's *decoded text* (bytes decoded, newlines normalised to ``\\n``) by
one or more ``(start, end)`` character spans. Its text is always::

    collapse_ws(unescape(source_text[s0:e0], escape) + unescape(source_text[s1:e1], escape) + ...)

where ``collapse_ws`` turns every run of whitespace into one space and trims the ends, and
``escape`` is the source format's escaping (``none``; ``csv`` for doubled quotes in quoted
fields; ``json`` for JSON string escapes; ``html`` for the character references WebVTT uses).
A JSON escape that stands for a control character (``\\u0000``, ``\\b``, ``\\u001b`` ...)
unescapes to a space: control characters never reach unit text (the loader blanks raw ones in
the decoded text, see :func:`listenlens.ingest.encoding.blank_controls`).
Several spans let one unit skip markup between its pieces (timing lines between merged caption
cues, ``<v Name>`` tags); a reader that needs a space between two spans includes the whitespace
that follows the first one in it.

This is the provenance invariant: every quote can be re-derived from its source, character for
character, by :func:`span_text`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence

__all__ = ["ESCAPES", "collapse_ws", "unescape", "span_text", "normalise_newlines", "line_of",
           "text_map", "source_spans", "blank_spans"]

ESCAPES = ("none", "csv", "json", "html")
# the same character-reference shapes html.unescape recognises (HTML5 rules, ';' optional)
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_JSON_ESC = re.compile(r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\"\\/bfnrt])")


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
        return _CONTROL.sub(" ", json.loads('"' + raw + '"'))
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


def _decoded_chars(raw: str, base: int, escape: str) -> list[tuple[str, int, int]]:
    """Each decoded character of one raw span with the raw ``(start, end)`` it came from."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if escape == "csv" and raw.startswith('""', i):
            out.append(('"', base + i, base + i + 2))
            i += 2
            continue
        if escape == "html" and ch == "&":
            m = _ENTITY.match(raw, i)
            if m and html.unescape(m.group(0)) != m.group(0):
                ref = m.group(0)
                decoded = html.unescape(ref)
                # a legacy reference may decode only a prefix ("&ampx" -> "&x"): find it
                k = next(k for k in range(2, len(ref) + 1)
                         if html.unescape(ref[:k]) != ref[:k]
                         and html.unescape(ref[:k]) + ref[k:] == decoded)
                for ch_ in html.unescape(ref[:k]):
                    out.append((ch_, base + i, base + i + k))
                i += k
                continue
        if escape == "json" and ch == "\\" and i + 1 < n:
            m = _JSON_ESC.match(raw, i)
            if m:
                for decoded in _CONTROL.sub(" ", json.loads('"' + m.group(0) + '"')):
                    out.append((decoded, base + i, base + m.end()))
                i = m.end()
                continue
        out.append((ch, base + i, base + i + 1))
        i += 1
    return out


def text_map(source_text: str, spans: Iterable[Sequence[int]],
             escape: str = "none") -> tuple[str, list[tuple[int, int]]]:
    """The unit text of ``spans`` and, for each of its characters, the source range it came from.

    ``text_map(...)[0] == span_text(...)`` always; a collapsed run of whitespace maps to its first
    character. Used to cut a unit into sentences that are still exact source spans.

    >>> text, where = text_map("Ann: we  need\\nbuses", [(5, 19)])
    >>> text, where[2], where[7]
    ('we need buses', (7, 8), (13, 14))
    """
    chars: list[tuple[str, int, int]] = []
    for s, e in spans:
        chars.extend(_decoded_chars(source_text[s:e], s, escape))
    out_chars: list[str] = []
    out_map: list[tuple[int, int]] = []
    pending_space: tuple[int, int] | None = None
    for ch, s, e in chars:
        if ch.isspace():
            if out_chars and pending_space is None:
                pending_space = (s, e)
            continue
        if pending_space is not None:
            out_chars.append(" ")
            out_map.append(pending_space)
            pending_space = None
        out_chars.append(ch)
        out_map.append((s, e))
    return "".join(out_chars), out_map


def source_spans(source_text: str, char_map: Sequence[tuple[int, int]], start: int,
                 end: int) -> tuple[tuple[int, int], ...]:
    """Source spans covering unit-text characters ``start:end`` of a :func:`text_map`.

    Neighbouring ranges are merged when only whitespace lies between them in the source, so a
    sentence inside one paragraph stays one span.

    >>> src = "Ann: we  need\\nbuses"
    >>> text, where = text_map(src, [(5, 19)])
    >>> source_spans(src, where, 3, 13)
    ((9, 19),)
    """
    spans: list[list[int]] = []
    for s, e in char_map[start:end]:
        if spans and (s <= spans[-1][1] or not source_text[spans[-1][1]:s].strip()):
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
    return tuple((s, e) for s, e in spans)


def blank_spans(text: str, spans: Iterable[Sequence[int]],
                keep: Iterable[Sequence[int]] = ()) -> str:
    """``text`` with the characters of ``spans`` replaced by spaces; offsets stay valid.

    Newlines stay (so line numbers do too), and characters inside ``keep`` (spans of units that
    stay) are left alone. Used to make sure withdrawn words are kept nowhere.

    >>> blank_spans("A: hi there\\nB: ok", [(3, 11)])
    'A:         \\nB: ok'
    """
    spans = [(int(s), int(e)) for s, e in spans]
    if not spans:
        return text
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    chars = list(text)
    # only kept characters inside the blanked range matter (keeps large sources cheap)
    kept = {i for s, e in keep if s < hi and e > lo for i in range(max(s, lo), min(e, hi))}
    for s, e in spans:
        for i in range(s, min(e, len(chars))):
            if chars[i] != "\n" and i not in kept:
                chars[i] = " "
    return "".join(chars)
