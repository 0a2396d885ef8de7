"""Tests of byte decoding (src/listenlens/ingest/encoding.py) as recorded on ``corpus.sources``."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import listenlens as ll
from listenlens.ingest.encoding import decode_text

TEXT = "Amina: The café’s closed — again.\nBen: Ça va…\n"


@pytest.mark.parametrize(("raw", "encoding", "note"), [
    (TEXT.encode("utf-8"), "utf-8", "valid UTF-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", "UTF-8 byte-order mark"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16", "UTF-16 byte-order mark"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16", "UTF-16 byte-order mark"),
    (TEXT.encode("cp1252"), "cp1252", "not valid UTF-8; decoded as Windows-1252"),
])
def test_recorded_on_sources_and_offsets_valid(tmp_path: Path, raw: bytes, encoding: str,
                                               note: str) -> None:
    path = tmp_path / "e.txt"
    path.write_bytes(raw)
    corpus = ll.load(path, community="R", date="2025-01-01")
    row = corpus.sources.iloc[0]
    assert (row["encoding"], row["encoding_note"]) == (encoding, note)
    text = corpus.texts["e.txt"]
    assert text == TEXT  # BOM gone, characters intact
    assert row["n_chars"] == len(TEXT)
    assert [(u.speaker, u.text) for u in corpus.unit_records] == [
        ("Amina", "The café’s closed — again."), ("Ben", "Ça va…")]
    assert corpus.check_spans() == []
    assert text[corpus.unit_records[0].char_start:corpus.unit_records[0].char_end] == (
        "The café’s closed — again.")


def test_crlf_and_lone_cr_normalised_in_every_encoding() -> None:
    for raw in (b"a\r\nb\rc", codecs.BOM_UTF16_LE + "a\r\nb\rc".encode("utf-16-le")):
        assert decode_text(raw).text == "a\nb\nc"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    decoded = decode_text(b"caf\xe9 \x81")
    assert (decoded.encoding, decoded.text) == ("latin-1", "café \x81")


def test_invalid_bytes_after_utf8_bom_replaced_and_noted() -> None:
    decoded = decode_text(codecs.BOM_UTF8 + b"ok \xff")
    assert decoded.encoding == "utf-8-sig" and decoded.text == "ok \ufffd"
    assert "replaced" in decoded.note


def test_odd_length_utf16_replaced_and_noted() -> None:
    decoded = decode_text(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le") + b"\x00")
    assert decoded.encoding == "utf-16" and "replaced" in decoded.note
    assert decoded.text.startswith("hi")


def test_srt_with_bom_through_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "c.srt"
    path.write_bytes(codecs.BOM_UTF8 + b"1\r\n00:00:01,000 --> 00:00:02,000\r\nAnn: caf\xc3\xa9.\r\n")
    corpus = ll.load(path, community="R", date="2025-01-01")
    assert [(u.speaker, u.text) for u in corpus.unit_records] == [("Ann", "café.")]
    assert corpus.sources.iloc[0]["encoding"] == "utf-8-sig"
    assert corpus.check_spans() == []
