"""Tests of the SubRip reader (src/listenlens/ingest/srt.py, _captions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import listenlens as ll
from listenlens.corpus import Corpus
from listenlens.errors import ParseError
from listenlens.ingest import Piece, Skipped, get_reader, reader_for_path
from listenlens.ingest.srt import parse_srt
from listenlens.spans import span_text

FIXTURES = Path(__file__).parent / "fixtures" / "srt"


def load(name: str) -> Corpus:
    return ll.load(FIXTURES / name, community="Northfield", date="2025-03-01")


def check_provenance(corpus: Corpus) -> None:
    """Every unit's text re-derives from its spans, and the spans lie in order inside the text."""
    assert corpus.check_spans() == []
    for u in corpus.unit_records:
        text = corpus.texts[u.source]
        assert all(0 <= s < e <= len(text) for s, e in u.spans)
        assert all(a[1] <= b[0] for a, b in zip(u.spans, u.spans[1:]))
        assert span_text(text, u.spans, "none") == u.text


def parse(src: str) -> list[Piece | Skipped]:
    return list(parse_srt(src, "t.srt", {}))


def test_registered_without_escape() -> None:
    reader = get_reader("srt")
    assert reader.escape == "none" and reader_for_path("x.SRT") is reader


def test_meeting_speakers_styles_and_merging() -> None:
    corpus = load("meeting.srt")  # UTF-8 BOM, CRLF, extra blank lines, a missing cue number
    check_provenance(corpus)
    rows = [(u.speaker, u.text, u.time_start, u.time_end, u.extra["n_cues"])
            for u in corpus.unit_records]
    assert rows == [
        ("Jo", "Welcome, thanks for coming.", 1.0, 3.0, 1),
        ("Amina", "The damp is back.", 3.5, 5.0, 1),
        # "- Ben:" in cue 2, then two "Ben:" cues (one without a number) merge
        ("Ben", "So is the mould. The landlord says it is our fault &amp; not his.", 3.5, 7.0, 3),
        # ">> ANN:" then an unlabelled mid-sentence cue 0.1 s later continues her turn
        ("ANN", "Buses every hour would help a lot.", 7.5, 10.0, 2),
    ]
    assert [u.line for u in corpus.unit_records] == [3, 8, 9, 22]
    source = corpus.sources.iloc[0]
    assert source["encoding"] == "utf-8-sig"
    assert not corpus.texts["meeting.srt"].startswith("\ufeff")


def test_tags_outside_spans() -> None:
    corpus = load("meeting.srt")
    text = corpus.texts["meeting.srt"]
    assert corpus.unit_records
    for u in corpus.unit_records:
        raw = "".join(text[s:e] for s, e in u.spans)
        for bit in ("{\\an8}", "<i>", "</i>", "<font", "</font>", "-->", ">>", "- Ben"):
            assert bit not in raw, (bit, raw)


def test_skips() -> None:
    corpus = load("meeting.srt")
    assert [(s.line, s.reason, s.excerpt) for s in corpus.skip_records] == [
        (30, "non-speech", "[APPLAUSE]"), (33, "empty", ""), (37, "empty", "Carl")]
    assert corpus.n_seen == len(corpus.unit_records) + 3


def test_sloppy_missing_blank_lines_and_blank_inside_text() -> None:
    corpus = load("sloppy.srt")
    check_provenance(corpus)
    assert [(u.text, u.extra["n_cues"]) for u in corpus.unit_records] == [
        ("first line no blank line before this cue.", 2),   # index "2" dropped, not text
        ("A cue with a blank line inside its text.", 1),
    ]


def test_dialogue_dashes_without_names_split_turns() -> None:
    src = "1\n00:00:01,000 --> 00:00:02,000\n- Where do you\n- live\n"
    pieces = [p for p in parse(src) if isinstance(p, Piece)]
    assert [span_text(src, p.spans) for p in pieces] == ["Where do you", "live"]
    assert all(p.speaker == "" for p in pieces)


def test_unattributed_merging_rules() -> None:
    src = ("1\n00:00:01,000 --> 00:00:02,000\nwe need a\n\n"
           "2\n00:00:02,500 --> 00:00:03,000\n<i>bigger</i> hall.\n\n"
           "3\n00:00:03,100 --> 00:00:04,000\nAnd parking\n\n"
           "4\n00:00:06,100 --> 00:00:07,000\nnear it.\n")
    pieces = [p for p in parse(src) if isinstance(p, Piece)]
    assert [(span_text(src, p.spans), p.time_start, p.time_end) for p in pieces] == [
        ("we need a bigger hall.", 1.0, 3.0), ("And parking", 3.1, 4.0), ("near it.", 6.1, 7.0)]


def test_url_is_not_a_speaker() -> None:
    src = "1\n00:00:01,000 --> 00:00:02,000\nhttps://example.org has the form\n"
    (piece,) = parse(src)
    assert isinstance(piece, Piece) and piece.speaker == ""
    assert span_text(src, piece.spans) == "https://example.org has the form"


@pytest.mark.parametrize(("src", "line", "words"), [
    ("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:02,000 --> 00:00:61,000\nbad\n", 6,
     "60 or more"),
    ("1\n00:01 --> banana\nx\n", 2, "malformed cue timing"),
    ("1\n00:00:05,000 --> 00:00:04,000\nx\n", 2, "before it starts"),
    ("1\n00:00:01,000 --> 00:00:02,000\nan --> arrow in text\n", 3, "malformed cue timing"),
])
def test_errors_name_file_and_line(src: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(src)
    assert (info.value.file, info.value.line) == ("t.srt", line)
    assert words in str(info.value)


def test_error_from_file_names_it() -> None:
    with pytest.raises(ParseError, match=r"^bad_timing\.srt:6: "):
        load("bad_timing.srt")


def test_empty_file_gives_nothing() -> None:
    assert parse("") == [] and parse("\n\n\n") == []


def test_bold_and_underline_tags_and_chevrons_without_name() -> None:
    src = ("1\n00:00:01,000 --> 00:00:02,000\n<b>BEN:</b> the <u>hall</u> is cold\n\n"
           "2\n00:00:02,100 --> 00:00:03,000\n>> in winter\n")
    pieces = [p for p in parse(src) if isinstance(p, Piece)]
    # ">>" marks a new speaker even though the sentence had not ended
    assert [(p.speaker, span_text(src, p.spans)) for p in pieces] == [
        ("BEN", "the hall is cold"), ("", "in winter")]
