"""Decoding raw bytes into the text every offset refers to.

Order of decisions (recorded on the source as ``encoding`` and ``encoding_note``):
UTF-8 BOM -> ``utf-8-sig``; UTF-16 BOM (LE or BE) -> ``utf-16``; valid UTF-8 -> ``utf-8``;
otherwise Windows-1252 (the usual encoding of older Word/Excel exports) -> ``cp1252``, and where
even that fails (five byte values are undefined in it), Latin-1, which cannot fail. The BOM is
not part of the text. Newlines are normalised to ``\\n``.
"""

from __future__ import annotations

import codecs

from ..spans import normalise_newlines
from ._base import Decoded

__all__ = ["decode_text"]


def decode_text(raw: bytes, path: str = "") -> Decoded:
    """Decode bytes by the rules above.

    >>> decode_text("café".encode("utf-8")).encoding
    'utf-8'
    >>> decode_text(codecs.BOM_UTF8 + b"hi").text
    'hi'
    >>> d = decode_text("café".encode("cp1252")); (d.text, d.encoding)
    ('café', 'cp1252')
    """
    if raw.startswith(codecs.BOM_UTF8):
        return Decoded(normalise_newlines(raw[3:].decode("utf-8", errors="strict")
                                          if _valid_utf8(raw[3:]) else
                                          raw[3:].decode("utf-8", errors="replace")),
                       "utf-8-sig", "UTF-8 byte-order mark" + (
                           "" if _valid_utf8(raw[3:]) else "; invalid bytes replaced with U+FFFD"))
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            return Decoded(normalise_newlines(raw.decode("utf-16")), "utf-16",
                           "UTF-16 byte-order mark")
        except UnicodeDecodeError:
            return Decoded(normalise_newlines(raw.decode("utf-16", errors="replace")), "utf-16",
                           "UTF-16 byte-order mark; invalid bytes replaced with U+FFFD")
    if _valid_utf8(raw):
        return Decoded(normalise_newlines(raw.decode("utf-8")), "utf-8", "valid UTF-8")
    try:
        return Decoded(normalise_newlines(raw.decode("cp1252")), "cp1252",
                       "not valid UTF-8; decoded as Windows-1252")
    except UnicodeDecodeError:
        return Decoded(normalise_newlines(raw.decode("latin-1")), "latin-1",
                       "not valid UTF-8 nor Windows-1252; decoded as Latin-1")


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
