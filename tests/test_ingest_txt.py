"""Tests of the plain-text reader (src/listenlens/ingest/txt.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import listenlens as ll
from listenlens.ingest import Piece, Skipped, get_reader
from listenlens.ingest.txt import match_turn, parse_clock, parse_txt
from listenlens.spans import span_text

FIXTURES = Path(__file__).parent / "fixtures" / "txt"


def parse(src: str) -> list[Piece | Skipped]:
    return list(parse_txt(src, "t.txt", {}))


def units(src: str) -> list[tuple[str, str]]:
    return [(p.speaker, span_text(src, p.spans)) for p in parse(src) if isinstance(p, Piece)]


@pytest.fixture(scope="module")
def session() -> ll.Corpus:
    return ll.load(FIXTURES / "session.txt", community="Riverside", date="2025-02-01",
                   facilitator="Jo")


def test_session_units(session: ll.Corpus) -> None:
    rows = [(u.line, u.speaker, u.kind, u.time_start, u.text) for u in session.unit_records]
    assert rows == [
        (1, "Amina K", "utterance", 62.0,
         "The damp in the back bedroom is back again, and the landlord says it's our fault."),
        (3, "FACILITATOR", "utterance", None, "Thank you. Who else has had that?"),
        (6, "Ben", "utterance", 130.0, "The 42 bus never comes."),
        (7, "Dee", "utterance", 185.0, "Bills have doubled."),
        (9, "Carl", "utterance", 240.0, "After a timestamp line."),
        (11, "", "paragraph", None,
         "Notes from the table by the window, no speaker given. see http://example.org for "
         "the survey"),
        (15, "Eve", "utterance", None, "I think we should meet monthly."),
    ]
    roles = {u.speaker: u.role for u in session.unit_records}
    assert roles["FACILITATOR"] == "facilitator" and roles["Amina K"] == "participant"
    assert roles[""] == "unknown"


def test_session_skips_and_provenance(session: ll.Corpus) -> None:
    assert [(s.line, s.reason, s.excerpt) for s in session.skip_records] == [
        (14, "non-speech", "(laughter)"), (16, "non-speech", "[inaudible]"), (18, "empty", "Jo")]
    assert session.check_spans() == []
    text = session.texts["session.txt"]
    assert "\r" not in text  # CRLF normalised before any offset is taken
    assert session.unit_records
    for u in session.unit_records:
        assert span_text(text, u.spans) == u.text
        assert "[inaudible]" not in "".join(text[s:e] for s, e in u.spans)


def test_stage_direction_inside_turn_is_left_out() -> None:
    src = "Ann: I think\n[laughter]\nwe should go.\n"
    items = parse(src)
    assert isinstance(items[0], Piece) and len(items[0].spans) == 2
    assert span_text(src, items[0].spans) == "I think we should go."
    assert isinstance(items[1], Skipped) and (items[1].line, items[1].reason) == (2, "non-speech")


def test_name_alone_on_a_line_takes_following_lines() -> None:
    assert units("Amina:\n  The buses\n  are late.\nBen: Yes.\n") == [
        ("Amina", "The buses are late."), ("Ben", "Yes.")]


@pytest.mark.parametrize(("line", "speaker", "time"), [
    ("[00:01:02] Ann: x", "Ann", 62.0),
    ("00:01:02 Ann: x", "Ann", 62.0),
    ("(01:02) Ann: x", "Ann", 62.0),
    ("[1:02:03.5] Dr. O'Neil-Smith: x", "Dr. O'Neil-Smith", 3723.5),
    ("Ann Marie Lee: x", "Ann Marie Lee", None),
])
def test_match_turn_timestamps_and_names(line: str, speaker: str, time: float | None) -> None:
    turn = match_turn(line)
    assert turn is not None and (turn.speaker, turn.time) == (speaker, time)
    assert line[turn.body_offset:] == "x"


@pytest.mark.parametrize("line", [
    "see http://example.org", "https://example.org: the form", "www: a site",
    "2024: a bad year", "no colon here", "one two three four five six: too many words",
    "Ann:no space after the colon",
])
def test_not_turns(line: str) -> None:
    assert match_turn(line) is None


def test_timestamp_line_times_the_next_turn() -> None:
    items = parse("Ann: hi\n[00:00:05]\nBen: later\n")
    assert [(p.speaker, p.time_start) for p in items if isinstance(p, Piece)] == [
        ("Ann", None), ("Ben", 5.0)]


def test_unattributed_paragraphs_split_at_blank_lines() -> None:
    assert units("first note\nstill first\n\nsecond note\n") == [
        ("", "first note still first"), ("", "second note")]


def test_parse_clock() -> None:
    assert parse_clock("01:02") == 62.0 and parse_clock("1:00:00,5") == 3600.5


def test_crlf_bytes_through_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Ann: one\r\ntwo\r\n\r\nBen: three\r\n")
    corpus = ll.load(path, community="R", date="2025-01-01")
    assert [(u.speaker, u.text) for u in corpus.unit_records] == [("Ann", "one two"),
                                                                  ("Ben", "three")]
    assert corpus.check_spans() == []


def test_empty_input() -> None:
    assert parse("") == [] and parse("\n \n\t\n") == []


def test_reader_registered() -> None:
    assert get_reader("text") is get_reader("txt")
