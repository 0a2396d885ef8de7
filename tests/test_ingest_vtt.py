"""Tests of the WebVTT reader (src/listenlens/ingest/vtt.py, _captions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import listenlens as ll
from listenlens.corpus import Corpus
from listenlens.errors import ParseError
from listenlens.ingest import Piece, Skipped, get_reader, reader_for_path
from listenlens.ingest.vtt import parse_vtt
from listenlens.spans import span_text

FIXTURES = Path(__file__).parent / "fixtures" / "vtt"


def load(name: str) -> Corpus:
    return ll.load(FIXTURES / name, community="Riverside", date="2025-03-01")


def check_provenance(corpus: Corpus) -> None:
    """Every unit's text re-derives from its spans, and the spans lie in order inside the text."""
    assert corpus.check_spans() == []
    escape = {s.path: s.escape for s in corpus.source_records}
    for u in corpus.unit_records:
        text = corpus.texts[u.source]
        assert all(0 <= s < e <= len(text) for s, e in u.spans)
        assert all(a[1] <= b[0] for a, b in zip(u.spans, u.spans[1:]))
        assert span_text(text, u.spans, escape[u.source]) == u.text
        assert (u.char_start, u.char_end) == (u.spans[0][0], u.spans[-1][1])


def parse(src: str) -> list[Piece | Skipped]:
    return list(parse_vtt(src, "t.vtt", {}))


def test_registered_with_html_escape() -> None:
    reader = get_reader("webvtt")
    assert reader.name == "vtt" and reader.escape == "html"
    assert reader_for_path("call.VTT") is reader


def test_zoom_name_prefixes_merge_and_times() -> None:
    corpus = load("zoom.vtt")
    check_provenance(corpus)
    rows = [(u.speaker, u.text, u.time_start, u.time_end, u.extra["n_cues"], u.line)
            for u in corpus.unit_records]
    assert rows == [
        ("Jo Smith", "Welcome everyone, thanks for coming tonight.", 1.0, 4.0, 1, 5),
        ("Amina K", "The damp in the back bedroom is back again.", 4.5, 9.0, 2, 10),
        ("Ben", "Buses & trains never come on time.", 10.0, 12.0, 1, 18),
    ]
    assert {u.kind for u in corpus.unit_records} == {"utterance"}
    # the merged unit skips the timing line and the second "Amina K:" prefix
    amina = corpus.unit_records[1]
    assert len(amina.spans) == 2
    between = corpus.texts[amina.source][amina.spans[0][1]:amina.spans[1][0]]
    assert "-->" in between and "Amina K:" in between


def test_teams_voice_tags_markup_and_blocks() -> None:
    corpus = load("teams.vtt")
    check_provenance(corpus)
    texts = [(u.speaker, u.text) for u in corpus.unit_records]
    assert texts == [
        ("Jo Smith", "Who else has had that problem?"),
        ("Dee", "My energy <bills> have doubled since last winter and I can't keep up."),
        ("Jo Smith", "Thanks Dee."),
        ("Amina", "Same here, 漢 too."),
    ]
    source = corpus.texts["teams.vtt"]
    for u in corpus.unit_records:  # no tag, note, style or region text inside any span
        raw = "".join(source[s:e] for s, e in u.spans)
        for bit in ("<", ">", "NOTE", "::cue", "kan", "00:00:08.500", "id:fred"):
            assert bit not in raw, (bit, raw)
    dee = corpus.unit_records[1]
    assert (dee.time_start, dee.time_end, dee.extra["n_cues"]) == (3.5, 6.0, 2)
    # two voices in one cue: two units with the same times and line
    jo, amina = corpus.unit_records[2:]
    assert (jo.time_start, jo.line) == (amina.time_start, amina.line) == (8.0, 35)


def test_skips_non_speech_and_empty_cues() -> None:
    corpus = load("teams.vtt")
    assert [(s.line, s.reason, s.excerpt) for s in corpus.skip_records] == [
        (29, "non-speech", "[music]"), (31, "empty", "")]


def test_unattributed_cues_merge_by_sentence_and_gap() -> None:
    corpus = load("nospeaker.vtt")
    check_provenance(corpus)
    rows = [(u.text, u.time_start, u.time_end) for u in corpus.unit_records]
    assert rows == [
        ("so the thing about the library is that it closes early.", 1.0, 3.5),  # mid-sentence
        ("Nobody can get there", 3.6, 4.0),          # previous ended a sentence
        ("after work anyway.", 9.0, 10.0),           # gap of 5 s > 2 s
        ("and then the council cut the hours again.", 11.1, 13.0),  # after (laughs), ">>" cut
    ]
    assert all(u.speaker == "" and u.role == "unknown" for u in corpus.unit_records)
    assert [s.reason for s in corpus.skip_records] == ["non-speech"]


def test_unlabelled_continuation_joins_labelled_speaker() -> None:
    src = ("WEBVTT\n\n00:01.000 --> 00:02.000\nAnn: we waited six\n\n"
           "00:02.100 --> 00:03.000\nweeks for a repair.\n\n"
           "00:03.100 --> 00:04.000\nNobody called back.\n")
    pieces = [p for p in parse(src) if isinstance(p, Piece)]
    assert [(p.speaker, span_text(src, p.spans, "html")) for p in pieces] == [
        ("Ann", "we waited six weeks for a repair."), ("", "Nobody called back.")]


def test_same_speaker_merges_across_sentence_ends_and_gaps() -> None:
    src = ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>One.</v>\n\n"
           "00:30.000 --> 00:31.000\n<v ann>Two.\n\n00:32.000 --> 00:33.000\n<v Bob>Three.\n")
    pieces = [p for p in parse(src) if isinstance(p, Piece)]
    assert [(p.speaker, p.time_start, p.time_end, p.extra["n_cues"]) for p in pieces] == [
        ("Ann", 1.0, 31.0, 2), ("Bob", 32.0, 33.0, 1)]
    assert span_text(src, pieces[0].spans, "html") == "One. Two."


def test_hours_optional_header_text_and_time_going_back() -> None:
    # "hi" does not end a sentence, but the next cue starts an hour earlier: no merge
    src = "WEBVTT Kind: captions\n\n01:02:03.500 --> 01:02:04.000\nhi\n\n00:10.000 --> 00:11.000\nx.\n"
    pieces = [p for p in parse(src) if isinstance(p, Piece)]
    assert [(p.time_start, p.time_end) for p in pieces] == [(3723.5, 3724.0), (10.0, 11.0)]


def test_entities_unescaped_in_unit_text() -> None:
    src = "WEBVTT\n\n00:01.000 --> 00:02.000\nfish &amp; chips &lt;3 &eacute;t&eacute;&nbsp;now\n"
    (piece,) = parse(src)
    assert isinstance(piece, Piece)
    assert span_text(src, piece.spans, "html") == "fish & chips <3 été now"
    assert "&amp;" in src[piece.spans[0][0]:piece.spans[-1][1]]


@pytest.mark.parametrize(("name", "line", "words"), [
    ("bad_timing.vtt", 6, "malformed cue timing"),
    ("end_before_start.vtt", 3, "before it starts"),
    ("no_header.vtt", 1, "WEBVTT"),
])
def test_errors_name_file_and_line(name: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as info:
        load(name)
    assert info.value.file == name and info.value.line == line
    assert words in str(info.value) and f"{name}:{line}:" in str(info.value)


def test_empty_file_has_no_header() -> None:
    with pytest.raises(ParseError, match="first line"):
        parse("")


def test_text_before_any_cue_is_skipped_not_lost() -> None:
    src = "WEBVTT\n\nstray words\nmore\n\n00:01.000 --> 00:02.000\nhello\n"
    items = parse(src)
    assert isinstance(items[0], Skipped) and items[0].reason == "no-timing"
    assert items[0].line == 3 and isinstance(items[1], Piece)


def test_withdrawn_speaker_never_becomes_a_unit(tmp_path: Path) -> None:
    from conftest import write_corpus

    root = write_corpus(tmp_path / "c", [{"event_id": "e1", "community": "R", "date": "2025-01-01",
                                          "file": "call.vtt"}],
                        {"call.vtt": (FIXTURES / "zoom.vtt").read_text(encoding="utf-8")},
                        consent=[{"event_id": "e1", "speaker": "amina k",
                                  "consent": "withdrawn"}])
    corpus = ll.load(root)
    assert [u.speaker for u in corpus.unit_records] == ["Jo Smith", "Ben"]
    assert [s.reason for s in corpus.skip_records] == ["consent-withdrawn"]
    check_provenance(corpus)


def test_lang_underline_and_class_tags_outside_spans() -> None:
    src = ("WEBVTT\n\n00:01.000 --> 00:02.000\n- Ann: the <lang en-GB>colour</lang> is "
           "<u>wrong</u>,<c.a.b> <00:00:01.500>again</c>.\n")
    (piece,) = parse(src)
    assert isinstance(piece, Piece) and piece.speaker == "Ann"
    assert span_text(src, piece.spans, "html") == "the colour is wrong, again."
    assert "<" not in "".join(src[s:e] for s, e in piece.spans)


def test_note_block_with_arrow_is_not_a_timing() -> None:
    src = "WEBVTT\n\nNOTE a --> b\nstill note\n\n00:01.000 --> 00:02.000\nhi\n"
    assert [type(p).__name__ for p in parse(src)] == ["Piece"]
