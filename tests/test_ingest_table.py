"""Tests of the CSV, JSON Lines and Polis readers (src/listenlens/ingest/table.py)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

import listenlens as ll
from listenlens.errors import ListenlensError, ParseError
from listenlens.ingest import Piece, Skipped, get_reader, reader_for_path
from listenlens.ingest._base import ParseFn
from listenlens.ingest.encoding import decode_text
from listenlens.ingest.polis import parse_polis
from listenlens.ingest.table import parse_csv, parse_jsonl, tokenize_csv
from listenlens.spans import collapse_ws, span_text

FIXTURES = Path(__file__).parent / "fixtures"
CSV_OPTIONS = {"speaker_column": "Speaker", "group_column": "table", "id_column": "id",
               "time_column": "submitted"}
JSONL_OPTIONS = {"speaker_column": "author", "group_column": "group", "id_column": "id"}


def shared_root() -> Path:
    """The shared folder beside the project root, or ``$LISTENLENS_SHARED``."""
    env = os.environ.get("LISTENLENS_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def polis_files() -> list[Path]:
    return sorted((shared_root() / "corpora" / "polis").glob("*/comments.csv"))


def pieces(text: str, parse: ParseFn, options: dict[str, str] | None = None,
           ) -> list[Piece | Skipped]:
    return list(parse(text, "t.csv", options or {}))


def texts(text: str, items: list[Piece | Skipped], escape: str) -> list[str]:
    return [span_text(text, p.spans, escape) for p in items if isinstance(p, Piece)]


def assert_sound(corpus: ll.Corpus, n_pieces: int) -> None:
    """The provenance invariant and the accounting, for every test corpus."""
    assert corpus.check_spans() == []
    assert len(corpus.unit_records) + len(corpus.skip_records) == n_pieces == corpus.n_seen


# --- registry ---------------------------------------------------------------------------------

def test_readers_are_registered_by_name_and_extension() -> None:
    assert get_reader("csv").escape == "csv"
    assert get_reader("json").name == "jsonl"
    assert get_reader("polis").extensions == ()
    assert reader_for_path("x.ndjson").name == "jsonl"
    assert reader_for_path("x.CSV").name == "csv"


# --- CSV tokenizer ----------------------------------------------------------------------------

def test_tokenizer_offsets_are_exact_inside_quotes() -> None:
    text = 'a,"b,""c""\nd",\n\n"",x\n'
    rows = list(tokenize_csv(text, "t.csv"))
    assert [r.line for r in rows] == [1, 4]
    first = rows[0].cells
    assert [(c.quoted, text[c.start:c.end]) for c in first] == [
        (False, "a"), (True, 'b,""c""\nd'), (False, "")]
    assert [(c.quoted, text[c.start:c.end]) for c in rows[1].cells] == [(True, ""), (False, "x")]


def test_tokenizer_last_line_without_newline() -> None:
    rows = list(tokenize_csv("h\nlast", "t.csv"))
    assert [(r.line, len(r.cells)) for r in rows] == [(1, 1), (2, 1)]


@pytest.mark.parametrize("text, line, words", [
    ('text\n"never closed\nmore\n', 2, "unterminated"),
    ('text\n"closed"x\n', 2, "after a closing quote"),
    ('a,text\n1,"two\nlines",3\n', 2, "3 cells"),
])
def test_malformed_csv_names_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as err:
        pieces(text, parse_csv)
    assert err.value.line == line and err.value.file == "t.csv"
    assert words in str(err.value) and str(err.value).startswith(f"t.csv:{line}:")


# --- CSV reader -------------------------------------------------------------------------------

def test_csv_fixture_end_to_end() -> None:
    path = FIXTURES / "csv" / "survey.csv"
    corpus = ll.load(path, reader="csv", community="Riverside", date="2024-01-01",
                     reader_options=CSV_OPTIONS)
    assert_sound(corpus, 6)  # six data rows; the blank line is not a row
    src = corpus.source_records[0]
    assert (src.encoding, src.escape) == ("utf-8-sig", "csv")
    units = corpus.unit_records
    assert [u.text for u in units] == [
        "The damp is back, and the landlord says it's \"our fault\".",
        "Buses every hour would change everything",
        "Café opening hours \"5\" till late — why not?",
        'a 12" screen in the library',
    ]
    assert [u.line for u in units] == [2, 4, 8, 9]
    assert {u.kind for u in units} == {"response"}
    first = units[0]
    assert (first.speaker, first.context, first.extra["row_id"]) == ("Amina", "Housing", "1")
    assert first.extra["time"] == "2024-01-01" and first.time_start is None
    assert units[1].time_start == 750.0 and "time" not in units[1].extra
    # the span is inside the quotes: doubled quotes are raw in the source text
    raw = corpus.texts[first.source][first.char_start:first.char_end]
    assert raw.startswith("The damp") and '""our fault""' in raw
    assert [(s.line, s.reason) for s in corpus.skip_records] == [(5, "no-text"), (6, "no-text")]


def test_csv_matches_the_standard_library_reader() -> None:
    text = decode_text((FIXTURES / "csv" / "survey.csv").read_bytes()).text
    expected = [collapse_ws(r[3]) for r in csv.reader(io.StringIO(text))
                if len(r) > 3 and r[3].strip()][1:]
    got = pieces(text, parse_csv, CSV_OPTIONS)
    assert texts(text, got, "csv") == expected


def test_csv_auto_detects_text_column_case_and_separator_insensitively() -> None:
    text = "Participant,Comment_Body,extra\nA,hello there,1\n"
    (piece,) = pieces(text, parse_csv)
    assert texts(text, [piece], "csv") == ["hello there"]
    # a speaker column is found the same way, so each person is counted once
    assert piece.speaker == "A" and piece.extra == {"extra": "1"}
    (anonymous,) = pieces(text, parse_csv, {"speaker_column": ""})
    assert anonymous.speaker == "" and anonymous.extra == {"Participant": "A", "extra": "1"}


def test_csv_without_text_column_names_the_header_line() -> None:
    with pytest.raises(ParseError, match=r"t\.csv:1: no text column found in header a, b"):
        pieces("a,b\n1,2\n", parse_csv)
    with pytest.raises(ParseError) as err:
        pieces("\na,b\n1,2\n", parse_csv)
    assert err.value.line == 2


def test_csv_unknown_option_column_is_an_error() -> None:
    with pytest.raises(ParseError, match="speaker_column 'who' is not a column"):
        pieces("text,name\nhi,A\n", parse_csv, {"speaker_column": "who"})


def test_csv_text_column_option_overrides_detection() -> None:
    text = "text,answer\nnot this,this one\n"
    assert texts(text, pieces(text, parse_csv, {"text_column": "ANSWER"}), "csv") == ["this one"]


def test_csv_empty_and_header_only_files_have_no_rows() -> None:
    assert pieces("", parse_csv) == []
    assert pieces("text\n", parse_csv) == []


def test_csv_duplicate_text_makes_distinct_units(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("text\nsame\nsame\n", encoding="utf-8")
    corpus = ll.load(path, community="c", date="2024-01-01")
    assert_sound(corpus, 2)
    assert len({u.unit_id for u in corpus.unit_records}) == 2


# --- JSON Lines -------------------------------------------------------------------------------

def test_jsonl_fixture_end_to_end() -> None:
    path = FIXTURES / "jsonl" / "responses.jsonl"
    corpus = ll.load(path, community="Youth forum", date="2024-01-01",
                     reader_options=JSONL_OPTIONS)
    assert_sound(corpus, 6)  # six object lines; the blank line is not a row
    assert corpus.source_records[0].escape == "json"
    units = corpus.unit_records
    assert [u.text for u in units] == [
        'We need a café that opens "late"',
        "Line one line two tabbed \U0001F68C bus",
        "spaced / slash",
    ]
    assert [u.line for u in units] == [1, 2, 7]
    assert units[0].extra == {"score": 4, "row_id": "r1"}
    assert units[1].extra["meta"] == {"a": [1, 2]}
    assert (units[0].speaker, units[0].context, units[2].speaker) == ("Amina", "Youth", "")
    raw = corpus.texts[units[0].source][units[0].char_start:units[0].char_end]
    assert raw == 'We need a caf\\u00e9 that opens \\"late\\"'
    assert [(s.line, s.reason) for s in corpus.skip_records] == [
        (4, "no-text"), (5, "no-text"), (6, "no-text")]
    assert "int value" in corpus.skip_records[0].detail
    assert "missing" in corpus.skip_records[1].detail


def test_jsonl_text_key_found_case_insensitively_on_later_lines() -> None:
    text = '{"Response": "one"}\n{"response": "two"}\n'
    assert texts(text, pieces(text, parse_jsonl), "json") == ["one", "two"]


@pytest.mark.parametrize("text, line, words", [
    ('{"text": "ok"}\n{"text": "broken"\n', 2, "not valid JSON"),
    ('{"text": "ok"}\n["a", "list"]\n', 2, "found list"),
    ('"just a string"\n', 1, "found str"),
    ('{"text": "tab\there"}\n', 1, "not valid JSON"),
])
def test_jsonl_bad_lines_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as err:
        pieces(text, parse_jsonl)
    assert err.value.line == line and words in str(err.value)


def test_jsonl_without_text_key_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"t\.csv:1: no text column found"):
        pieces('{"a": "b"}\n', parse_jsonl)


def test_jsonl_surrogate_pairs_and_escaped_backslashes_round_trip() -> None:
    line = json.dumps({"text": "path C:\\new \U0001F600 \"q\" \u2028 end"})
    got = pieces(line + "\n", parse_jsonl)
    assert texts(line, got, "json") == [collapse_ws("path C:\\new \U0001F600 \"q\" \u2028 end")]


# --- Polis ------------------------------------------------------------------------------------

POLIS_HEAD = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"


def test_polis_preset_fields_and_hidden_rows() -> None:
    text = (POLIS_HEAD
            + '1518501496471,Tue,895,12,48,8,1,"Widen the road,\nplease"\n'
            + "1518501496000,Tue,896,13,0,5,-1,something rude\n"
            + "1518501496000,Tue,897,14,0,0,0,\n")
    got = pieces(text, parse_polis)
    assert [type(p).__name__ for p in got] == ["Piece", "Skipped", "Skipped"]
    piece, hidden, empty = got
    assert texts(text, [piece], "csv") == ["Widen the road, please"]
    assert (piece.kind, piece.speaker, piece.line) == ("comment", "participant 12", 2)
    assert piece.extra == {"comment_id": 895, "timestamp": "2018-02-13T05:58:16.471Z",
                           "datetime": "Tue", "agrees": 48, "disagrees": 8, "moderated": 1}
    assert (hidden.line, hidden.reason, hidden.excerpt) == (4, "moderated-hidden", "")
    assert (empty.line, empty.reason) == (5, "no-text")


def test_polis_requires_its_columns() -> None:
    with pytest.raises(ParseError, match="not a Polis comments export: no 'comment-body'"):
        pieces("text,author-id\nhi,1\n", parse_polis)


@pytest.mark.skipif(not polis_files(),
                    reason="shared Polis corpora not found (../shared/corpora/polis beside the "
                           "project, or set LISTENLENS_SHARED)")
@pytest.mark.parametrize("path", polis_files(), ids=lambda p: p.parent.name)
def test_polis_real_exports_load_with_exact_accounting(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hidden = sum(1 for r in rows if r["moderated"].strip() == "-1")
    shown = [collapse_ws(r["comment-body"]) for r in rows
             if r["moderated"].strip() != "-1" and r["comment-body"].strip()]
    corpus = ll.load(path, reader="polis", community=path.parent.name, date="2024-01-01")
    assert_sound(corpus, len(rows))
    assert corpus.skip_reasons().get("moderated-hidden", 0) == hidden
    assert [u.text for u in corpus.unit_records] == shown
    assert all(u.kind == "comment" and u.speaker.startswith("participant ")
               for u in corpus.unit_records)


# --- robustness -------------------------------------------------------------------------------

@pytest.mark.parametrize("parse", [parse_csv, parse_jsonl, parse_polis])
@pytest.mark.parametrize("text", [
    "", "\n", '"', '""', 'text\n"', 'text\n"a"b', "text\n\x00", "{", "{}", '{"text": 1}',
    "text\n" + "a," * 50, "[" * 5000, '{"text": "' + "\\" + '"}', "\ufeff", "text\n\u2028\n",
    "comment-body,moderated,author-id,comment-id\nx,-1\n", "comment-body\n,,\n",
])
def test_odd_input_raises_only_listenlens_errors(parse: ParseFn, text: str) -> None:
    try:
        items = list(parse(text, "odd", {}))
    except ListenlensError:
        return
    for item in items:
        assert isinstance(item, (Piece, Skipped))
        if isinstance(item, Piece):
            escape = "json" if parse is parse_jsonl else "csv"
            span_text(text, item.spans, escape)


def test_csv_repeated_and_empty_header_names_stay_distinct() -> None:
    text = "note,,note\n,x,second\n"
    (piece,) = pieces(text, parse_csv)
    assert isinstance(piece, Skipped) and piece.reason == "no-text"
    (piece,) = pieces(text, parse_csv, {"text_column": "note_2"})
    assert texts(text, [piece], "csv") == ["second"]
    assert piece.extra == {"note": "", "column_2": "x"}


def test_folder_corpus_passes_reader_options_from_events_csv(tmp_path: Path) -> None:
    (tmp_path / "survey.csv").write_bytes((FIXTURES / "csv" / "survey.csv").read_bytes())
    (tmp_path / "youth.jsonl").write_bytes((FIXTURES / "jsonl" / "responses.jsonl").read_bytes())
    (tmp_path / "polis.csv").write_text(
        POLIS_HEAD + "1518501496471,Tue,1,7,0,0,1,More buses\n"
        "1518501496471,Tue,2,8,0,0,-1,hidden\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "event_id,community,date,file,reader,speaker_column,group_column\n"
        "e1,Riverside,2024-01-01,survey.csv,,Speaker,Table\n"
        "e2,Youth,2024-02-01,youth.jsonl,,author,group\n"
        "e3,Online,2024-03-01,polis.csv,polis,,\n", encoding="utf-8")
    corpus = ll.load(tmp_path)
    assert_sound(corpus, 6 + 6 + 2)
    by_event = {e: [u for u in corpus.unit_records if u.event_id == e] for e in ("e1", "e2", "e3")}
    assert [u.speaker for u in by_event["e1"]] == ["Amina", "Dev", "Sam", "Li"]
    assert by_event["e2"][0].context == "Youth"
    assert [(u.text, u.speaker) for u in by_event["e3"]] == [("More buses", "participant 7")]
    assert corpus.skip_reasons() == {"no-text": 5, "moderated-hidden": 1}


def test_jsonl_missing_text_key_names_the_first_object() -> None:
    with pytest.raises(ParseError, match="the keys of the first object: a, b"):
        pieces('\n{"a": "x", "b": 1}\n', parse_jsonl)
