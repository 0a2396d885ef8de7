"""Tests of the Markdown notes reader (src/listenlens/ingest/markdown.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import listenlens as ll
from listenlens.errors import ListenlensError
from listenlens.ingest import Piece, Skipped, get_reader, reader_for_path
from listenlens.ingest.markdown import parse_markdown
from listenlens.spans import span_text

FIXTURES = Path(__file__).parent / "fixtures"


def parse(text: str) -> list[Piece | Skipped]:
    return list(parse_markdown(text, "n.md", {}))


def units(text: str) -> list[tuple[str, str, str, str]]:
    """(kind, speaker, context, text) of each piece."""
    return [(p.kind, p.speaker, p.context, span_text(text, p.spans))
            for p in parse(text) if isinstance(p, Piece)]


def skips(text: str) -> list[tuple[int | None, str]]:
    return [(s.line, s.reason) for s in parse(text) if isinstance(s, Skipped)]


def test_registered() -> None:
    assert get_reader("markdown").name == "md"
    assert reader_for_path("notes.markdown").name == "md"


def test_fixture_end_to_end() -> None:
    path = FIXTURES / "md" / "notes.md"
    corpus = ll.load(path, community="Riverside", date="2024-01-01", facilitator="Jo")
    assert corpus.check_spans() == []
    n_pieces = len(list(parse_markdown(corpus.texts["notes.md"], "notes.md", {})))
    assert len(corpus.unit_records) + len(corpus.skip_records) == n_pieces == corpus.n_seen == 12
    got = [(u.line, u.kind, u.speaker, u.context, u.text) for u in corpus.unit_records]
    assert got == [
        (12, "note", "Amina", "Housing > Repairs",
         "the damp is back and the landlord *blames* us."),
        (14, "note", "", "Housing > Repairs", "a nested second point"),
        (15, "note", "", "Housing > Repairs", "deeper still"),
        (16, "note", "Dev", "Housing > Repairs", "we waited six weeks"),
        (17, "note", "", "Housing > Repairs", "numbered item"),
        (20, "quote", "Sam", "Housing > Repairs", "I have lived here thirty years."),
        (26, "paragraph", "", "Transport", "A paragraph with __emphasis__ and a "
         "[link](http://example.org) that runs over two lines."),
        (35, "paragraph", "Li", "Transport", "last word on the buses."),
    ]
    assert [u.extra.get("depth") for u in corpus.unit_records[:5]] == [1, 2, 3, 1, 1]
    assert [(s.line, s.reason) for s in corpus.skip_records] == [
        (1, "not-content"), (5, "not-content"), (18, "empty"), (29, "not-content")]
    # the speaker prefix and its bold markup are outside the span
    amina = corpus.unit_records[0]
    assert corpus.texts["notes.md"][amina.char_start:].startswith("the damp")


def test_atx_heading_levels_nest_and_reset() -> None:
    text = "# A\n## B ##\ntext one\n\n### C\ntext two\n\n## D\ntext three\n"
    assert [c for _, _, c, _ in units(text)] == ["A > B", "A > B > C", "A > D"]


def test_setext_headings_underline_the_paragraph() -> None:
    text = "Big *title*\n===\n\nSmall\n---\n- point\n"
    assert units(text) == [("note", "", "Big title > Small", "point")]


def test_dash_line_without_paragraph_is_a_thematic_break() -> None:
    text = "- a\n\n---\n\npara\n"
    assert [t for *_, t in units(text)] == ["a", "para"]
    assert skips(text) == []


def test_speaker_prefix_forms() -> None:
    text = ("**Ann:** one\n\n**Ben**: two\n\n__Cat:__ three\n\nDee: four\n\n"
            "**Not a name here at all because it is far too long:** five\n")
    got = [(s, t) for _, s, _, t in units(text)]
    assert got[:4] == [("Ann", "one"), ("Ben", "two"), ("Cat", "three"), ("Dee", "four")]
    assert got[4][0] == ""


def test_blockquote_spans_skip_the_markers() -> None:
    text = "> first line\n>> nested line\n> last\n\n> separate\n"
    got = parse(text)
    assert [span_text(text, p.spans) for p in got] == [
        "first line nested line last", "separate"]
    assert all(">" not in text[s:e] for p in got for s, e in p.spans)
    assert {p.kind for p in got} == {"quote"}


def test_bullet_markers_and_lazy_continuation() -> None:
    text = "* star\n+ plus\n2) paren\n10. ten\n  wrapped line\n"
    assert [t for *_, t in units(text)] == ["star", "plus", "paren", "ten wrapped line"]


def test_unclosed_fence_and_comment_run_to_the_end() -> None:
    text = "para\n~~~\ncode\n"
    assert skips(text) == [(2, "not-content")]
    assert skips("<!-- never closed\nhidden\n") == [(1, "not-content")]
    assert units("<!-- never closed\nhidden\n") == []


def test_tilde_fence_needs_a_matching_close() -> None:
    text = "~~~~\n```\nstill code\n~~~~\nafter\n"
    assert units(text) == [("paragraph", "", "", "after")]
    assert skips(text) == [(1, "not-content")]


def test_front_matter_only_at_the_top() -> None:
    text = "---\nno closing line\n"
    assert [t for *_, t in units(text)] == ["no closing line"]
    assert skips("---\na: 1\n...\nbody\n") == [(1, "not-content")]


def test_name_only_bullet_is_an_empty_skip() -> None:
    assert skips("- **Ann:**\n") == [(1, "empty")]


def test_crlf_and_bom_file_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "w.md"
    path.write_bytes(b"\xef\xbb\xbf# T\xc3\xaate\r\n\r\n- caf\xc3\xa9 **bold**\r\n")
    corpus = ll.load(path, community="c", date="2024-01-01")
    assert corpus.check_spans() == []
    (unit,) = corpus.unit_records
    assert (unit.text, unit.context, unit.line) == ("café **bold**", "Tête", 3)


@pytest.mark.parametrize("text", [
    "", "\n", "#", "# ", "-", "- \n  -", ">", "> \n>", "```", "<!--", "---", "---\n---",
    "Ann:", "**:**", "**A:**", "\t- x", "===\n---", "a\n===\n", "*\u2028*", "1.", "\x00",
])
def test_odd_input_raises_only_listenlens_errors(text: str) -> None:
    try:
        items = parse(text)
    except ListenlensError:
        return
    for item in items:
        assert isinstance(item, (Piece, Skipped))
        if isinstance(item, Piece):
            assert span_text(text, item.spans)


def test_timestamped_turn_sets_time_and_speaker() -> None:
    text = "- [00:01:02] Ann: the lifts are broken\n- (01:05) Ben: again\n"
    got = [(p.speaker, p.time_start, span_text(text, p.spans)) for p in parse(text)]
    assert got == [("Ann", 62.0, "the lifts are broken"), ("Ben", 65.0, "again")]
