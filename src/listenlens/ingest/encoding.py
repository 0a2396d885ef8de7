"""Decoding raw bytes into the text every offset refers to, and checking it is text at all.

Order of decisions (recorded on the source as ``encoding`` and ``encoding_note``):

1. UTF-8 BOM -> ``utf-8-sig``; UTF-16 BOM (LE or BE) -> ``utf-16``. The BOM is not part of
   the text.
2. UTF-16 *without* a BOM, told by its pattern of zero bytes (every other byte zero, as plain
   Latin letters are in UTF-16) -> ``utf-16-le`` / ``utf-16-be``, with a warning.
3. Valid UTF-8 -> ``utf-8``.
4. Some lines valid UTF-8 with non-ASCII letters and other lines not: a file pasted together
   from two sources. Each line is decoded on its own (UTF-8 where valid, else Windows-1252) ->
   ``mixed``, with a warning naming the Windows-1252 lines.
5. Otherwise Windows-1252 (the usual encoding of older Word/Excel exports) -> ``cp1252``, and
   where even that fails (five byte values are undefined in it), Latin-1, which cannot fail
   (with a warning).

Newlines are normalised to ``\\n``. :func:`text_problem` then tells a file that is not text at
all (random or binary bytes) so the loader can skip it with a reason, and
:func:`blank_controls` replaces control characters (NUL, BS, VT, FF, ESC and terminal escape
sequences, DEL, C1 controls) by spaces, so offsets stay valid and nothing downstream (Word,
Excel, a terminal) receives them.
"""

from __future__ import annotations

import codecs
import re

from ..spans import normalise_newlines
from ._base import Decoded

__all__ = ["decode_text", "text_problem", "blank_controls", "CONTROL_CHARS"]

#: Control characters blanked at load: C0 but tab and newline, DEL, C1, and the two
#: non-characters XML refuses. (CR never survives newline normalisation.)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
#: Terminal escape sequences (CSI ``ESC [ ... final`` and OSC ``ESC ] ... BEL/ST``): blanked
#: whole, so no ``[31m`` is left in the text.
_ESCAPE_SEQ = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)?")
#: Share of control or replacement characters above which a decoded file is not text.
_NOT_TEXT_SHARE = 0.05


def decode_text(raw: bytes, path: str = "") -> Decoded:
    """Decode bytes by the rules above.

    >>> decode_text("café".encode("utf-8")).encoding
    'utf-8'
    >>> decode_text(codecs.BOM_UTF8 + b"hi").text
    'hi'
    >>> d = decode_text("café".encode("cp1252")); (d.text, d.encoding)
    ('café', 'cp1252')
    >>> decode_text("Ann: hello".encode("utf-16-le")).encoding
    'utf-16-le'
    """
    if raw.startswith(codecs.BOM_UTF8):
        body = raw[3:]
        if _valid_utf8(body):
            return Decoded(normalise_newlines(body.decode("utf-8")), "utf-8-sig",
                           "UTF-8 byte-order mark")
        return Decoded(normalise_newlines(body.decode("utf-8", errors="replace")), "utf-8-sig",
                       "UTF-8 byte-order mark; invalid bytes replaced with U+FFFD",
                       warning="invalid UTF-8 bytes replaced with U+FFFD")
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            return Decoded(normalise_newlines(raw.decode("utf-16")), "utf-16",
                           "UTF-16 byte-order mark")
        except UnicodeDecodeError:
            return Decoded(normalise_newlines(raw.decode("utf-16", errors="replace")), "utf-16",
                           "UTF-16 byte-order mark; invalid bytes replaced with U+FFFD",
                           warning="invalid UTF-16 bytes replaced with U+FFFD")
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16
    if _valid_utf8(raw):
        return Decoded(normalise_newlines(raw.decode("utf-8")), "utf-8", "valid UTF-8")
    mixed = _mixed_lines(raw)
    if mixed is not None:
        return mixed
    try:
        return Decoded(normalise_newlines(raw.decode("cp1252")), "cp1252",
                       "not valid UTF-8; decoded as Windows-1252")
    except UnicodeDecodeError:
        return Decoded(normalise_newlines(raw.decode("latin-1")), "latin-1",
                       "not valid UTF-8 nor Windows-1252; decoded as Latin-1",
                       warning="neither UTF-8 nor Windows-1252; decoded as Latin-1, check the "
                               "text")


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(raw: bytes) -> Decoded | None:
    """UTF-16 told by its zero bytes: most bytes at odd (LE) or even (BE) positions are zero
    and almost none at the other ones."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd >= 0.4 and zeros_even <= 0.05:
        codec = "utf-16-le"
    elif zeros_even >= 0.4 and zeros_odd <= 0.05:
        codec = "utf-16-be"
    else:
        return None
    body = raw[:len(raw) - len(raw) % 2]
    try:
        text, note = body.decode(codec), f"UTF-16 ({codec[-2:].upper()}) without a byte-order mark"
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
        note = (f"UTF-16 ({codec[-2:].upper()}) without a byte-order mark; invalid bytes "
                "replaced with U+FFFD")
    return Decoded(normalise_newlines(text), codec, note,
                   warning=f"no byte-order mark; read as {codec.upper()} from its zero bytes")


def _mixed_lines(raw: bytes) -> Decoded | None:
    """Line by line decoding for a file mixing UTF-8 and Windows-1252 lines, or ``None`` when
    no line is non-ASCII UTF-8 (then the file is simply Windows-1252)."""
    lines = raw.split(b"\n")
    utf8_lines = [i for i, b in enumerate(lines) if not b.isascii() and _valid_utf8(b)]
    if not utf8_lines:
        return None
    parts, legacy = [], []
    for i, b in enumerate(lines):
        if _valid_utf8(b):
            parts.append(b.decode("utf-8"))
            continue
        legacy.append(i + 1)
        try:
            parts.append(b.decode("cp1252"))
        except UnicodeDecodeError:
            parts.append(b.decode("latin-1"))
    shown = ", ".join(map(str, legacy[:10])) + (" ..." if len(legacy) > 10 else "")
    note = (f"mixed encodings: {len(utf8_lines)} line(s) UTF-8, {len(legacy)} Windows-1252 "
            f"(lines {shown}); decoded line by line")
    return Decoded(normalise_newlines("\n".join(parts)), "mixed", note,
                   warning=f"mixes UTF-8 and Windows-1252 lines (Windows-1252: lines {shown}); "
                           "decoded line by line, check those lines")


def text_problem(text: str) -> str | None:
    """Why a decoded file is not text (random or binary bytes), or ``None`` when it is.

    >>> text_problem("Ann: the buses are late\\n") is None
    True
    >>> text_problem("".join(map(chr, range(256))) * 4)
    'not text: 25% of its characters are control or replacement characters'
    """
    if not text:
        return None
    bad = len(CONTROL_CHARS.findall(text)) + text.count("\ufffd")
    share = bad / len(text)
    if bad >= 8 and share > _NOT_TEXT_SHARE:
        return f"not text: {share:.0%} of its characters are control or replacement characters"
    return None


def blank_controls(text: str) -> tuple[str, int]:
    """``text`` with terminal escape sequences and control characters replaced by spaces (so
    every offset stays valid), and how many characters were replaced.

    >>> blank_controls("ok\\x00 \\x1b[31mred\\x1b[0m")
    ('ok       red    ', 10)
    """
    count = 0

    def blank(m: re.Match[str]) -> str:
        nonlocal count
        count += len(m.group(0))
        return " " * len(m.group(0))

    text = _ESCAPE_SEQ.sub(blank, text)
    return CONTROL_CHARS.sub(blank, text), count
