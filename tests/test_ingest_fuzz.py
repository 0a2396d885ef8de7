"""Property tests: every registered reader survives arbitrary input.

For each reader in :func:`listenlens.ingest.readers` (whatever is registered when the tests run),
feeding it arbitrary text or bytes either gives units whose spans lie inside the decoded text
and re-derive their text (through the real ``build_units``), or raises a
:class:`~listenlens.errors.ListenlensError`; never any other exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listenlens.errors import ListenlensError
from listenlens.ids import sha256_bytes
from listenlens.ingest import Notice, Piece, Reader, Skipped, readers
from listenlens.ingest.build import ConsentBook, build_units
from listenlens.ingest.encoding import decode_text
from listenlens.records import Event, Source
from listenlens.spans import span_text

READERS = readers()
EVENT = Event(event_id="e1", community="Fuzz", date=dt.date(2025, 1, 1), facilitator="Jo")
CONSENT = ConsentBook({("e1", "carl"): "withdrawn"}, {}, "quote")
FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# pieces of syntax of every format, so that random text often looks almost well-formed
FRAGMENTS = [
    "\n", "\n\n", "\r\n", "\r", " ", "\t", "\x0b", "\x1c", "\x85", "\u2028", "\ufeff", "\xa0",
    "WEBVTT", "WEBVTT\n\n", "NOTE ", "STYLE\n", "1\n", "00:00:01.000 --> 00:00:02.000\n",
    "00:01,000 --> 00:02,000 ", "00:00:05.000", "-->", " --> ", "<v Ann>", "<v.x>", "</v>", "<i>",
    "</i>", "<c.y>", "<rt>", "</rt>", "<00:00:01.000>", "<font color=red>", "{\\an8}", "&amp;",
    "&", "&#", "&#x1F600;", "&lt", ";", "Ann: ", "Carl: ", "Jo:", "- ", ">> ", ">>", "[music]",
    "(laughs)", "[00:01:02] ", "(01:02)", "12:34 ", "http://x.org ", "[", "]", "(", ")", "<", ">",
    ":", "-", ".", "?", "!", ",", '"', '""', "'", "\\", "\\u00e9", "\\ud800", "\\n", "{", "}",
    '{"text": "', '"}', '{"text": "hi", "speaker": "Ann"}\n', "id,text,speaker\n",
    "comment-id,comment-body,author-id,moderated,agrees\n", "1,hello,2,-1,3\n",
    "# ", "## ", "* ", "1. ", "> ", "**Ann:** ", "---\n", "```\n", "~~~", "<!-- ", " -->",
    "===\n", "[p] ", "[h1] ", "[li2] ", "[table]\n", "[tr]\n", "[th1] ", "[td2] ", "[p]\n",
    "é", "😀", "\u0301", "\x00",
]
HEADS = ["", "WEBVTT\n", "WEBVTT\n\n", "1\n00:00:01,000 --> 00:00:02,000\n", "text\n"]
STRUCTURED = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40)
WORDS = st.lists(st.one_of(st.sampled_from([f for f in FRAGMENTS if "-->" not in f]),
                           st.text(max_size=8)), max_size=12).map("".join)


def _clock(ms: int, sep: str) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


@st.composite
def captions(draw: st.DrawFn) -> str:
    """Mostly well-formed WebVTT/SubRip: valid timings, text made of awkward fragments."""
    sep = draw(st.sampled_from([".", ","]))
    out = [draw(st.sampled_from(["WEBVTT\n\n", "WEBVTT - x\nKind: captions\n\n", ""]))]
    at = 0
    for i in range(draw(st.integers(0, 6))):
        at += draw(st.integers(0, 4000))
        length = draw(st.integers(0, 3000))
        ident = draw(st.sampled_from(["", f"{i + 1}\n", "NOTE x\n\n", "\n"]))
        body = "\n".join(draw(st.lists(WORDS, max_size=3)))
        out.append(f"{ident}{_clock(at, sep)} --> {_clock(at + length, sep)}\n{body}\n\n")
    return "".join(out)


TAGGED = st.lists(st.tuples(
    st.sampled_from(["[p] ", "[p]", "[h0] ", "[h2] ", "[li1] ", "[li3] ", "[table]", "[tr]",
                     "[th1] ", "[td1] ", "[td2] ", ""]), WORDS), max_size=12,
).map(lambda rows: "".join(tag + text.replace("\n", " ") + "\n" for tag, text in rows))
JSONL = st.lists(st.fixed_dictionaries(
    {"text": WORDS}, optional={"speaker": WORDS, "id": st.integers(), "group": st.text()}),
    max_size=8).map(lambda rows: "".join(json.dumps(r) + "\n" for r in rows))
POLIS = st.lists(st.tuples(st.integers(0, 99), WORDS, st.integers(0, 9), st.sampled_from(
    ["-1", "0", "1", "x"])), max_size=8).map(lambda rows: _csv(
        [["comment-id", "comment-body", "author-id", "moderated"], *rows]))


def _csv(rows: list[list[object]] | list[tuple[object, ...]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


TEXT = st.one_of(
    st.text(max_size=200),
    st.builds(lambda head, parts: head + "".join(parts), st.sampled_from(HEADS), STRUCTURED),
    captions(), TAGGED, JSONL, POLIS,
)
#: Near-valid input for the readers that reject most random text, so that their parsers (not
#: only their first error) are exercised; any other reader gets the general mix only.
NEAR_VALID = {"vtt": captions(), "srt": captions(), "docx": TAGGED, "jsonl": JSONL,
              "polis": POLIS}


def text_for(name: str) -> st.SearchStrategy[str]:
    """The general mix, or for a picky format, mostly near-valid input of that format."""
    if name not in NEAR_VALID:
        return TEXT
    return st.one_of(TEXT, NEAR_VALID[name], NEAR_VALID[name])
BYTES = st.one_of(
    st.binary(max_size=300),
    TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    TEXT.map(lambda t: b"\xff\xfe" + t.encode("utf-16-le", "surrogatepass")),
    TEXT.map(lambda t: t.encode("cp1252", "replace")),
)


def zip_of(document: bytes) -> bytes:
    """A zip that looks like a .docx from outside, holding arbitrary bytes as the document."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document)
    return buf.getvalue()


def check(reader: Reader, text: str, path: str) -> None:
    """Parse and build; any failure other than a ListenlensError fails the test."""
    try:
        items = list(reader.parse(text, path, {}))
    except ListenlensError:
        return
    notices = [i for i in items if isinstance(i, Notice)]
    for item in items:
        assert isinstance(item, Piece | Skipped | Notice)
        if isinstance(item, Piece):
            assert item.spans, item
            assert all(0 <= s <= e <= len(text) for s, e in item.spans), item.spans
            span_text(text, item.spans, reader.escape)  # must not raise
    source = Source(path=path, sha256=sha256_bytes(text.encode("utf-8", "surrogatepass")),
                    format=reader.name, encoding="utf-8", encoding_note="", n_chars=len(text),
                    event_id="e1", escape=reader.escape)
    units, skips = build_units(items, event=EVENT, source=source, text=text, consent=CONSENT)
    assert len(units) + len(skips) == len(items) - len(notices)
    assert len({u.unit_id for u in units}) == len(units)
    for u in units:
        assert u.text and u.text == span_text(text, u.spans, reader.escape)
        assert u.text == " ".join(u.text.split())
        assert (u.char_start, u.char_end) == (u.spans[0][0], u.spans[-1][1])
        assert u.speaker_id or not u.speaker.strip()


def decode_then_check(reader: Reader, raw: bytes, path: str) -> None:
    try:
        decoded = reader.decode(raw, path)
    except ListenlensError:
        return
    assert isinstance(decoded.text, str)
    if reader.decode is decode_text:
        assert "\r" not in decoded.text
    check(reader, decoded.text, path)


def path_for(reader: Reader) -> str:
    return "fuzz" + (reader.extensions[0] if reader.extensions else ".txt")


def test_every_expected_reader_is_registered() -> None:
    assert {"txt", "vtt", "srt"} <= set(READERS)


@pytest.mark.slow  # 200 Hypothesis examples per reader
@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_arbitrary_text(name: str, data: st.DataObject) -> None:
    reader = READERS[name]
    text = data.draw(text_for(name), label="text")
    if reader.decode is decode_text:  # the real pipeline: text arrives as bytes, then decoded
        decode_then_check(reader, text.encode("utf-8", "surrogatepass"), path_for(reader))
    else:  # e.g. docx: the parser reads the extracted layout; feed it arbitrary layouts
        check(reader, text, path_for(reader))


@pytest.mark.slow  # 200 Hypothesis examples per reader
@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(raw=st.one_of(BYTES, BYTES.map(lambda b: b"PK\x03\x04" + b), BYTES.map(zip_of)))
def test_arbitrary_bytes(name: str, raw: bytes) -> None:
    """Bytes through the reader's own decoder (for docx: random, zip-prefixed and zipped)."""
    decode_then_check(READERS[name], raw, path_for(READERS[name]))
