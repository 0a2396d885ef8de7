"""Tests of the Word reader (src/listenlens/ingest/docx.py). Documents are built at test time."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document

import listenlens as ll
from listenlens.errors import ListenlensError, ParseError
from listenlens.ingest import Piece, Skipped, get_reader, reader_for_path
from listenlens.ingest.docx import decode_docx, parse_docx
from listenlens.spans import span_text


def make_docx(path: Path, build: Callable[[Document], None]) -> Path:
    """Write a .docx built by ``build(document)`` to ``path``."""
    document = docx.Document()
    build(document)
    document.save(str(path))
    return path


def listening_notes(d: Document) -> None:
    """A realistic facilitator write-up: title, headings, turns, bullets and a table."""
    d.add_heading("Riverside listening event", 0)
    d.add_heading("Housing", 1)
    d.add_paragraph("Amina: The damp in the back bedroom is back,")
    d.add_paragraph("and the landlord says it is our fault.")
    d.add_paragraph("")
    d.add_paragraph("Several people nodded.")
    d.add_paragraph("FACILITATOR:")
    d.add_paragraph("Who else has had that?")
    d.add_heading("Repairs", 2)
    d.add_paragraph("Repairs take six weeks", style="List Bullet")
    d.add_paragraph("Dev: and nobody calls back", style="List Bullet 2")
    d.add_paragraph("Ring the council", style="List Number")
    d.add_heading("Transport", 1)
    table = d.add_table(rows=4, cols=2)
    for (r, c), value in {(0, 0): "Question", (0, 1): "Answer",
                          (1, 0): "What matters most?", (1, 1): "Sam: buses every hour",
                          (2, 0): "Anything else?", (3, 0): "merged note"}.items():
        table.cell(r, c).text = value
    table.cell(3, 0).merge(table.cell(3, 1))
    d.add_paragraph("Closing remarks.")


def load(path: Path, **options: str) -> ll.Corpus:
    return ll.load(path, community="Riverside", date="2024-01-01", facilitator="Jo",
                   reader_options=options or None)


def pieces_of(path: Path, **options: str) -> tuple[str, list[Piece | Skipped]]:
    decoded = decode_docx(path.read_bytes(), path.name)
    return decoded.text, list(parse_docx(decoded.text, path.name, options))


def test_registered() -> None:
    assert get_reader("word").name == "docx"
    assert reader_for_path("Notes.DOCX").name == "docx"


def test_decoded_text_layout(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "n.docx", listening_notes)
    decoded = decode_docx(path.read_bytes(), "n.docx")
    assert decoded.encoding == "docx"
    lines = decoded.text.split("\n")
    assert lines[:6] == ["[h0] Riverside listening event", "[h1] Housing",
                         "[p] Amina: The damp in the back bedroom is back,",
                         "[p] and the landlord says it is our fault.", "[p]",
                         "[p] Several people nodded."]
    assert "[li2] Dev: and nobody calls back" in lines
    assert lines[lines.index("[table]"):lines.index("[table]") + 4] == [
        "[table]", "[tr]", "[th1] Question", "[th2] Answer"]
    assert lines.count("[td1] merged note") == 1  # a merged cell appears once
    assert "[td2]" in lines  # the empty cell beside "Anything else?"
    assert decoded.text.endswith("[p] Closing remarks.\n")


def test_end_to_end_units(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "n.docx", listening_notes)
    corpus = load(path)
    _, pieces = pieces_of(path)
    assert corpus.check_spans() == []
    assert len(corpus.unit_records) + len(corpus.skip_records) == len(pieces) == corpus.n_seen
    src = corpus.source_records[0]
    assert (src.encoding, src.escape, src.format) == ("docx", "none", "docx")
    got = [(u.kind, u.speaker, u.role, u.context, u.text) for u in corpus.unit_records]
    top = "Riverside listening event"
    assert got == [
        ("utterance", "Amina", "participant", f"{top} > Housing",
         "The damp in the back bedroom is back, and the landlord says it is our fault."),
        ("paragraph", "", "unknown", f"{top} > Housing", "Several people nodded."),
        ("utterance", "FACILITATOR", "facilitator", f"{top} > Housing",
         "Who else has had that?"),
        ("note", "", "unknown", f"{top} > Housing > Repairs", "Repairs take six weeks"),
        ("note", "Dev", "participant", f"{top} > Housing > Repairs", "and nobody calls back"),
        ("note", "", "unknown", f"{top} > Housing > Repairs", "Ring the council"),
        ("cell", "", "unknown", f"{top} > Transport > Question", "What matters most?"),
        ("cell", "Sam", "participant", f"{top} > Transport > Answer", "buses every hour"),
        ("cell", "", "unknown", f"{top} > Transport > Question", "Anything else?"),
        ("cell", "", "unknown", f"{top} > Transport > Question", "merged note"),
        ("paragraph", "", "unknown", f"{top} > Transport", "Closing remarks."),
    ]
    assert [u.extra.get("depth") for u in corpus.unit_records[3:6]] == [1, 2, 1]
    assert corpus.unit_records[7].extra == {"table": 1, "row": 2, "column": 2}
    assert [(s.reason, s.detail) for s in corpus.skip_records] == [
        ("empty", "empty table cell (table 1, row 3, column 2)")]
    # a turn over two paragraphs is one unit whose spans skip the second paragraph's tag
    amina = corpus.unit_records[0]
    assert len(amina.spans) == 2
    assert all("[p]" not in corpus.texts["n.docx"][s:e] for s, e in amina.spans)


def test_table_header_none_keeps_first_row(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "t.docx", listening_notes)
    corpus = load(path, table_header="none")
    cells = [u for u in corpus.unit_records if u.kind == "cell"]
    assert [u.text for u in cells[:2]] == ["Question", "Answer"]
    assert cells[0].context == "Riverside listening event > Transport"
    assert corpus.check_spans() == []


def test_numbered_list_level_from_numbering(tmp_path: Path) -> None:
    def build(d: Document) -> None:
        p = d.add_paragraph("third level", style="List Number")
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 2

    text, pieces = pieces_of(make_docx(tmp_path / "l.docx", build))
    assert text == "[li3] third level\n"
    assert [p.extra for p in pieces] == [{"depth": 3}]


def test_line_breaks_and_tabs_inside_a_paragraph(tmp_path: Path) -> None:
    def build(d: Document) -> None:
        run = d.add_paragraph().add_run("first")
        run.add_break()
        run.add_text("second\tafter tab")

    text, pieces = pieces_of(make_docx(tmp_path / "b.docx", build))
    assert text == "[p] first second\tafter tab\n"
    assert [span_text(text, p.spans) for p in pieces] == ["first second after tab"]


def test_name_only_turn_then_blank_is_empty(tmp_path: Path) -> None:
    def build(d: Document) -> None:
        d.add_paragraph("Ann:")
        d.add_paragraph("")
        d.add_paragraph("unattributed")

    _, pieces = pieces_of(make_docx(tmp_path / "e.docx", build))
    assert [(type(p).__name__, getattr(p, "reason", p.speaker if isinstance(p, Piece) else ""))
            for p in pieces] == [("Skipped", "empty"), ("Piece", "")]


def test_turn_ends_at_heading_and_bullet(tmp_path: Path) -> None:
    def build(d: Document) -> None:
        d.add_paragraph("Ann: one")
        d.add_heading("Next", 1)
        d.add_paragraph("not Ann's")
        d.add_paragraph("Ben: two")
        d.add_paragraph("a bullet", style="List Bullet")
        d.add_paragraph("not Ben's")

    text, pieces = pieces_of(make_docx(tmp_path / "h.docx", build))
    assert [(p.speaker, span_text(text, p.spans)) for p in pieces] == [
        ("Ann", "one"), ("", "not Ann's"), ("Ben", "two"), ("", "a bullet"), ("", "not Ben's")]


def test_empty_document(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "empty.docx", lambda d: None)
    corpus = load(path)
    assert len(corpus.unit_records) == 0 and corpus.check_spans() == []


@pytest.mark.parametrize("raw", [
    b"", b"not a zip at all", b"PK\x03\x04 truncated",
    b"\xef\xbb\xbfAmina: plain text saved with a .docx name\n",
])
def test_invalid_docx_names_the_file(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(raw)
    with pytest.raises(ParseError, match=r"^broken\.docx: not a valid \.docx file"):
        load(path)


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ParseError) as err:
        decode_docx(buf.getvalue(), "other.docx")
    assert err.value.file == "other.docx"


def test_text_not_in_layout_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as err:
        list(parse_docx("[p] fine\nAmina: untagged\n", "x.docx", {}))
    assert (err.value.file, err.value.line) == ("x.docx", 2)


@pytest.mark.parametrize("text", [
    "", "\n", "[p]", "[p] ", "[h0]", "[h9] x\n[p] y", "[li0] x", "[td1]", "[th99999] x\n[td99999] y",
    "[tr]\n[td1] Ann:", "[table]\n[th1] H\n[td1] x", "[p] Ann:\n[p] \n[p] x", "[x] y", "[p]x",
    "\x00", "[li1] \u2028",
])
def test_odd_input_raises_only_listenlens_errors(text: str) -> None:
    try:
        items = list(parse_docx(text, "odd.docx", {}))
    except ListenlensError:
        return
    for item in items:
        assert isinstance(item, (Piece, Skipped))
        if isinstance(item, Piece):
            assert span_text(text, item.spans)


def test_timestamped_turn_in_a_cell_and_paragraph(tmp_path: Path) -> None:
    def build(d: Document) -> None:
        d.add_paragraph("[00:00:05] Ann: hello")
        d.add_table(rows=1, cols=1).cell(0, 0).text = "00:01:00 Ben: a cell turn"

    text, pieces = pieces_of(make_docx(tmp_path / "t.docx", build), table_header="none")
    assert [(p.speaker, p.time_start, span_text(text, p.spans)) for p in pieces] == [
        ("Ann", 5.0, "hello"), ("Ben", 60.0, "a cell turn")]
