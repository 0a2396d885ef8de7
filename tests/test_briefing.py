"""Briefing renderers (HTML, DOCX, Markdown) from a hand-made content model, and saving."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefing_pages import (
    SCRIPT_QUOTE,
    SECTIONS,
    check_heading_order,
    hand_made_content,
    parse,
)
from listenlens.briefing import (
    EVIDENCE_SCRIPT_ID,
    Briefing,
    BriefingContent,
    render_html,
    render_markdown,
)
from listenlens.briefing.markdown import md_escape


@pytest.fixture(scope="module")
def content() -> BriefingContent:
    return hand_made_content()


def test_html_escapes_transcript_text(content: BriefingContent) -> None:
    page = render_html(content)
    s = parse(page)
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert" in page
    assert SCRIPT_QUOTE in " ".join("".join(s.text).split()) or SCRIPT_QUOTE in "".join(s.text)
    # the only script element is the inert JSON evidence block
    assert s.scripts == [{"type": "application/json", "id": EVIDENCE_SCRIPT_ID}]


def test_html_evidence_block_is_valid_json(content: BriefingContent) -> None:
    s = parse(render_html(content))
    evidence = json.loads("".join(s.script_text))
    assert evidence == json.loads(json.dumps(content.evidence))
    shown = {q["unit_id"]: q["shown"] for q in evidence["quotes"]}
    assert shown["u-bbb"] == SCRIPT_QUOTE
    assert set(shown) == {"u-aaa", "u-bbb", "u-ccc"}
    assert all(q["consent"] == "quote" for q in evidence["quotes"])
    assert evidence["figures"][0]["value"] == 12


def test_html_structure_and_accessibility(content: BriefingContent) -> None:
    s = parse(render_html(content))
    check_heading_order([lvl for lvl, _ in s.headings])
    assert [t.strip() for lvl, t in s.headings if lvl == 2] == SECTIONS
    assert s.headings[0][1] == content.title
    assert s.images and all((img.get("alt") or "").strip() for img in s.images)
    assert all(th.get("scope") in ("col", "row") for th in s.th) and s.th
    # self-contained: only in-page anchors and data: images, and a CSP forbidding requests
    assert all(u.startswith(("#", "data:image/png;base64,")) for u in s.urls)
    csp = [m["content"] for m in s.metas if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]


def test_html_prints_and_keeps_contrast(content: BriefingContent) -> None:
    page = render_html(content)
    assert "@media print" in page
    # body text and heading colours against white: WCAG AA needs 4.5:1
    for colour in ("#1a1a1a", "#3d3d3d", "#0b4f6c"):
        assert colour in page
        assert _contrast(colour, "#ffffff") >= 4.5


def _contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        rgb = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_markdown_escapes_and_orders_sections(content: BriefingContent) -> None:
    md = render_markdown(content, evidence_name="b.evidence.json")
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script>alert" in md and "&lt;b>bold&lt;/b>" in md
    h2 = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert h2 == SECTIONS
    assert md.splitlines()[0] == "# " + md_escape(content.title)
    assert "b.evidence.json" in md


def test_md_escape_neutralises_markup() -> None:
    assert md_escape("**x** [a](http://e.org) <img src=x>") == (
        "\\*\\*x\\*\\* \\[a\\](http://e.org) &lt;img src=x>")
    assert md_escape("fish & chips, &amp; <3") == "fish & chips, &amp;amp; <3"
    assert md_escape("1. not a list") == "1\\. not a list"


def test_save_by_extension(tmp_path: Path, content: BriefingContent) -> None:
    b = Briefing(content)
    html_path = b.save(tmp_path / "out" / "briefing.html")
    md_path = b.save(tmp_path / "out" / "briefing.md")
    docx_path = b.save(tmp_path / "out" / "briefing.docx")
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert md_path.read_text(encoding="utf-8").startswith("# ")
    sibling = tmp_path / "out" / "briefing.evidence.json"
    assert json.loads(sibling.read_text(encoding="utf-8")) == json.loads(
        json.dumps(content.evidence))
    assert docx_path.stat().st_size > 10_000
    with pytest.raises(ValueError, match="use .html, .docx or .md"):
        b.save(tmp_path / "briefing.pdf")
    assert "Buses &amp; transport" in b._repr_html_()
    assert "2 themes" in repr(b)


def test_docx_reopens_with_headings_tables_images(tmp_path: Path,
                                                  content: BriefingContent) -> None:
    path = Briefing(content).save(tmp_path / "briefing.docx")
    doc = docx.Document(str(path))
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    assert styled[0] == ("Title", content.title)
    h1 = [t for name, t in styled if name == "Heading 1"]
    assert h1 == SECTIONS
    levels = [1] + [int(name.split()[-1]) + 1 for name, _ in styled if name.startswith("Heading")]
    check_heading_order(levels)
    # tables: a header row marked to repeat, with bold header text
    assert len(doc.tables) >= 4
    for table in doc.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert all(r.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
    theme_table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Share of people")
    assert [r.cells[0].text for r in theme_table.rows[1:]] == ["Buses & transport",
                                                               "Access <ramps>"]
    # one picture per chart, each with alt text
    assert len(doc.inline_shapes) == len(content.charts)
    descr = [el.get("descr") for el in doc.element.body.iter(qn("wp:docPr"))]
    assert descr == [content.charts[0].alt]
    # the hostile quote is plain text
    assert any(SCRIPT_QUOTE in p.text for p in doc.paragraphs)


def test_shifts_table_has_one_row_per_shift(content: BriefingContent) -> None:
    assert content.shift_columns() == ("Then (Q1 2024)", "Now (Q2 2024)", "How sure")
    page = render_html(content)
    table = page.split("<caption>Priority shifts in numbers</caption>")[1].split("</table>")[0]
    assert '<th scope="row">Buses &amp; transport &lt;all&gt;</th>' in table
    assert table.count("<tr>") == 3  # header + two shifts; the missing number is left blank
    md = render_markdown(content)
    assert "| Access &lt;ramps> | 10% |  |  |" in md
    assert "| 20% | 40% | The 95% range of the change runs from 5 to 35 points. |" in md


def test_save_summaries_refuses_an_unknown_format_before_writing(tmp_path):
    from listenlens.briefing.summary import save_summaries
    from listenlens.errors import ParameterError

    with pytest.raises(ParameterError, match="format must be one of html, docx; got 'pdf'"):
        save_summaries([], tmp_path / "out", formats=("html", "pdf"))
    assert not (tmp_path / "out").exists()
