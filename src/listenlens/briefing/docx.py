"""DOCX rendering with python-docx: real Heading styles, header rows, charts as pictures.

The title uses Word's ``Title`` style and sections ``Heading 1``/``Heading 2``, so the navigation
pane and screen readers see the structure. Table header rows repeat on each page and are marked
as headers; every picture carries its alt text (``descr``). python-docx writes text as text, so
transcript markup cannot become anything else. The evidence block travels inside the package as
a custom XML part (``/customXml/listenlens-evidence.xml``, the standard place for data a document
carries; Word and LibreOffice leave it alone), so a DOCX sent on its own still verifies; it is
also written beside the file (``<name>.evidence.json``) by
:meth:`listenlens.briefing.Briefing.save`.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from .content import BriefingContent, Chart, CommunitySummary
from .votes import votes_docx

__all__ = ["render_docx", "render_summary_docx", "EVIDENCE_PART"]

#: Where the evidence block lives inside a DOCX package.
EVIDENCE_PART = "/customXml/listenlens-evidence.xml"

_ACCENT = RGBColor(0x0B, 0x4F, 0x6C)
_MUTED = RGBColor(0x3D, 0x3D, 0x3D)


#: Word's limit on a document property (title, comments) in characters.
_CORE_LIMIT = 255


def _core_text(text: str) -> str:
    """A document property value: Word allows at most 255 characters (longer titles, e.g. a
    very long community name, are cut with an ellipsis; the page itself keeps the full text)."""
    return text if len(text) <= _CORE_LIMIT else text[:_CORE_LIMIT - 1] + "…"


def _new_document(base_size: int = 11) -> DocxDocument:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(base_size)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = _ACCENT
    return doc


#: The timestamp of every part of a written package (python-docx stamps each with the time of
#: saving), so the same briefing always gives the same bytes.
_PART_TIME = (1980, 1, 1, 0, 0, 0)


def _save(doc: DocxDocument, path: str | Path) -> Path:
    """Write the package with fixed part timestamps; returns the path."""
    buf = io.BytesIO()
    doc.save(buf)
    out = Path(path)
    with zipfile.ZipFile(buf) as built, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in built.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=_PART_TIME)
            part.compress_type = zipfile.ZIP_DEFLATED
            part.external_attr = info.external_attr
            dst.writestr(part, built.read(info.filename))
    return out


def _embed_evidence(doc: DocxDocument, evidence: dict[str, Any]) -> None:
    """Store the evidence block as a custom XML part whose text is the JSON."""
    text = json.dumps(evidence, ensure_ascii=False)
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<evidence xmlns="urn:listenlens:evidence">{xml_escape(text)}</evidence>')
    part = Part(PackURI(EVIDENCE_PART), "application/xml", blob.encode("utf-8"),
                doc.part.package)
    doc.part.relate_to(part, RT.CUSTOM_XML)


def _table(doc: DocxDocument, head: Sequence[str], rows: Sequence[Sequence[str]],
           caption: str = "") -> None:
    if caption:
        p = doc.add_paragraph()
        p.add_run(caption).bold = True
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(header.cells, head):
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)
    doc.add_paragraph()


def add_picture(doc: DocxDocument, chart: Chart) -> None:
    doc.add_picture(io.BytesIO(chart.png), width=Inches(chart.width_in))
    run = doc.paragraphs[-1].runs[-1]
    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("descr", chart.alt)
        doc_pr.set("title", chart.title)
    cap = doc.add_paragraph()
    r = cap.add_run(chart.title)
    r.italic = True
    r.font.color.rgb = _MUTED


def _muted(doc: DocxDocument, text: str) -> None:
    r = doc.add_paragraph().add_run(text)
    r.font.color.rgb = _MUTED


def add_quote(doc: DocxDocument, text: str, attribution: str) -> None:
    doc.add_paragraph(f"“{text}”", style="Quote")
    _muted(doc, f"— {attribution}")


_ARROWS = {"up": "▲ Rising", "down": "▼ Falling"}


def _scope(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("Who we heard from", level=1)
    doc.add_paragraph(c.scope.sentence)
    doc.add_paragraph("Communities: " + ", ".join(c.scope.communities) + ".")


def _changes(doc: DocxDocument, c: BriefingContent) -> None:
    if not c.changes:
        return
    doc.add_heading(c.changes_heading, level=1)
    doc.add_paragraph(c.changes_intro)
    for ch in c.changes:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(ch.lead + ": ").bold = True
        p.add_run(ch.text)


def _themes(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("What people raised most", level=1)
    chart = c.chart("themes")
    if chart and c.themes:
        add_picture(doc, chart)
    for i, t in enumerate(c.themes, 1):
        doc.add_heading(f"{i}. {t.label}", level=2)
        doc.add_paragraph(t.summary)
        _muted(doc, t.attribution)
    if c.themes:
        _table(doc, ("Theme", "People", "Events", "Communities", "Share of people"),
               [(t.label, t.n_people, t.n_events, t.n_communities, t.share_text)
                for t in c.themes],
               caption="Top themes: how many people raised each")
    else:
        doc.add_paragraph("No themes were found in this material.")


def _shifts(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("How priorities changed", level=1)
    chart = c.chart("shifts")
    if chart:
        add_picture(doc, chart)
    for s in c.shifts:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(_ARROWS.get(s.direction, "● Steady") + ": ").bold = True
        p.add_run(s.sentence)
    columns = c.shift_columns()
    if columns:
        _table(doc, ("Theme", *columns),
               [(s.label or s.theme_id, *(s.number(n) for n in columns)) for s in c.shifts],
               caption="Priority shifts in numbers")
    if not c.shifts:
        doc.add_paragraph("There was not enough material over time to say whether "
                          "priorities changed.")


def _differences(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("Differences between communities", level=1)
    for d in c.differences:
        doc.add_paragraph(d.sentence, style="List Bullet")
    if not c.differences:
        doc.add_paragraph("No clear differences between communities could be shown from "
                          "this material.")


def _asks(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("What people asked for", level=1)
    for a in c.asks:
        doc.add_heading(a.label, level=2)
        doc.add_paragraph(a.sentence)
        for q in a.examples:
            add_quote(doc, q.text, q.attribution)
    if not c.asks:
        doc.add_paragraph("No direct requests were found in this material.")


def _own_words(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("In their own words", level=1)
    _muted(doc, "Quotes come only from people who agreed to be quoted. Personal details are "
                "replaced with a description in square brackets, such as [name] or [phone].")
    quoted = [t for t in c.themes if t.quotes]
    for t in quoted:
        doc.add_heading(t.label, level=2)
        for q in t.quotes:
            add_quote(doc, q.text, q.attribution)
    if not quoted:
        doc.add_paragraph("No one whose words appear here agreed to be quoted, so no quotes "
                          "are shown.")


def _methods(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("How this briefing was made", level=1)
    doc.add_heading("Methods", level=2)
    for m in c.methods:
        doc.add_paragraph(m)
    doc.add_heading("Limitations", level=2)
    for m in c.limitations:
        doc.add_paragraph(m, style="List Bullet")


def _appendix(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("Provenance appendix", level=1)
    doc.add_paragraph(f"Input hash: {c.appendix.input_hash}. Every quote and count in this "
                      "briefing can be checked against the original material with "
                      "listenlens verify, using the evidence file saved beside this document.")
    for caption, head, rows in c.appendix.tables:
        _table(doc, head, rows, caption=caption)


def _thanks(doc: DocxDocument, c: BriefingContent) -> None:
    doc.add_heading("Thank you", level=1)
    doc.add_paragraph("This briefing exists because these communities gave their time and "
                      "their words:")
    for cr in c.credits:
        doc.add_paragraph(cr.sentence, style="List Bullet")


def render_docx(content: BriefingContent, path: str | Path) -> Path:
    """Write the briefing as a Word document; returns the path."""
    c = content
    doc = _new_document()
    doc.core_properties.title = _core_text(c.title)
    doc.core_properties.comments = f"listenlens {c.listenlens_version}; input {c.appendix.input_hash}"
    doc.add_heading(c.title, level=0)
    if c.subtitle:
        _muted(doc, c.subtitle)
    _scope(doc, c)
    _changes(doc, c)
    _themes(doc, c)
    votes_docx(doc, c.votes)
    _shifts(doc, c)
    _differences(doc, c)
    _asks(doc, c)
    _own_words(doc, c)
    _methods(doc, c)
    _appendix(doc, c)
    _thanks(doc, c)
    _embed_evidence(doc, c.evidence)
    return _save(doc, path)


def render_summary_docx(summary: CommunitySummary, path: str | Path) -> Path:
    """Write a community's "you said, we heard" summary in large type; returns the path."""
    s = summary
    doc = _new_document(base_size=16)
    doc.core_properties.title = _core_text(s.title)
    doc.add_heading(s.title, level=0)
    doc.add_paragraph(s.intro)
    doc.add_heading("You said", level=1)
    for r in s.raised:
        doc.add_heading(r.label, level=2)
        doc.add_paragraph(r.share_text)
        doc.add_paragraph(r.comparison)
    if not s.raised:
        doc.add_paragraph("We did not have enough to say what you raised most.")
    doc.add_heading("We heard you", level=1)
    doc.add_paragraph(s.closing)
    _embed_evidence(doc, s.evidence)
    return _save(doc, path)
