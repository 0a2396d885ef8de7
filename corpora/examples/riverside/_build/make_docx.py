"""Write the one Word document of the Riverside example corpus (called by ``make_corpus.py``).

The notes of the Northfield Somali Women's Group conversation of June 2024, typed up in Word:
a title, headings, ``Name:`` paragraphs, bullet points and one two-column table. The key rows
returned use the line numbers of the docx reader's decoded text (one tagged line per paragraph,
table row and cell; see :mod:`listenlens.ingest.docx`). The zip entries get a fixed timestamp so
that the file is the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import docx

#: What people said would help, by concern (the right-hand column of the summary table).
WOULD_HELP = {
    "language-interpreters": "Book a female Somali interpreter automatically whenever the record "
                             "says one is needed, face to face for anything about women's health.",
    "gp-access": "Keep some same-day appointments for people who cannot use the phone queue or "
                 "the app, and let the community worker book them.",
    "cost-of-living": "Help with energy debts and a warm space that is open in the evenings "
                      "when the children are home.",
    "youth-mental-health": "A counsellor who understands our culture, who can see teenagers "
                           "without a long waiting list.",
    "food-banks": "Halal food in the parcels, or vouchers we can use in the local shops.",
    "digital-exclusion": "Letters on paper as well as texts, and someone to help with the NHS "
                         "app in the library.",
    "damp-mould": "Send someone who can explain the repair in Somali, and come back to check it "
                  "has worked.",
}


def _fixed_zip(raw: bytes) -> bytes:
    """The same zip with every entry dated 1 January 2024 (python-docx stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write(path: Path, ev: Any, said: list[Any], facilitator: str) -> list[tuple[str, int, str]]:
    """Write the document for event ``ev`` from its planned utterances ``said`` and return the
    key rows ``(source, line, theme)``."""
    document = docx.Document()
    props = document.core_properties
    props.author = facilitator
    props.title = ev.title
    props.created = props.modified = dt.datetime(2024, 6, 20, 9, 0, 0)
    props.last_modified_by = facilitator
    props.revision = 1
    key: list[tuple[str, int, str]] = []
    line = 0

    def block(theme: str | None) -> None:
        nonlocal line
        line += 1
        if theme is not None:
            key.append((ev.file, line, theme))

    fac = facilitator.split()[0]
    document.add_paragraph(f"{ev.community}: {ev.title}", style="Title")
    block(None)
    document.add_paragraph(f"Notes typed up by {facilitator} after the conversation at {ev.place} "
                           f"on {ev.date}. We talked in Somali and English; first names only.")
    block("housekeeping")
    document.add_heading("Welcome", level=1)
    block(None)
    document.add_paragraph(f"{fac}: Welcome everyone, thank you for coming, and thank you to the "
                           "library for the room and the tea.")
    block("housekeeping")
    document.add_heading("What women told us", level=1)
    block(None)
    spoken, rest = said[:18], said[18:]
    for s in spoken:
        document.add_paragraph(f"{s.speaker}: {s.text}")
        block(s.theme)
    document.add_heading("Other points from the tables", level=1)
    block(None)
    bullets, table_rows = rest[:6], rest[6:]
    for s in bullets:
        document.add_paragraph(s.text, style="List Bullet")
        block(s.theme)
    document.add_heading("Summary for the health partnership", level=1)
    block(None)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "What we heard"
    table.rows[0].cells[1].text = "What would help"
    block(None)  # [table]
    block(None)  # [tr]
    block(None)  # [th1]
    block(None)  # [th2]
    for s in table_rows:
        cells = table.add_row().cells
        cells[0].text = s.text
        cells[1].text = WOULD_HELP.get(s.theme, WOULD_HELP["gp-access"])
        block(None)  # [tr]
        block(s.theme)
        block(s.theme if s.theme in WOULD_HELP else "gp-access")
    document.add_paragraph("")
    block(None)
    document.add_paragraph(f"{fac}: Thank you all. We will bring these notes back to you in "
                           "September before they go to the partnership board.")
    block("housekeeping")
    buf = io.BytesIO()
    document.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_fixed_zip(buf.getvalue()))
    return key
