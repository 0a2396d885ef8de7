"""verify: hand-built exports with evidence blocks re-derive; tampered ones fail loudly."""

from __future__ import annotations

import html
import json
import zipfile
from pathlib import Path

import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.errors import VerificationError
from listenlens.provenance import (
    evidence_block,
    figure_evidence,
    quote_evidence,
    verify,
    withdraw,
)
from listenlens.provenance.verify import document_text, read_evidence_block


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(
        tmp_path / "corpus",
        [{"event_id": "e1", "community": "Riverside Tenants", "date": "2024-03-01",
          "file": "e1.txt", "facilitator": "Jo"},
         {"event_id": "e2", "community": "Northfield", "date": "2024-06-01", "file": "e2.txt",
          "facilitator": "Sam"}],
        {"e1.txt": "Jo: Welcome everyone.\n"
                   "Amina: My name is Amina Yusuf and the damp in our flat at 12 Mill Lane "
                   "is back.\n"
                   "Ben: Ring me on 07700 900123 about the bus & the lifts.\n"
                   "Dee: Energy bills have doubled since last winter and we cannot cope.\n",
         "e2.txt": "Sam: Thanks for coming.\n"
                   "Fatima: We need interpreters at the GP surgery, every single time.\n"
                   "Grace: The damp came back after they painted over it.\n"},
        consent=[{"event_id": "e1", "speaker": "*", "consent": "quote"},
                 {"event_id": "e1", "speaker": "Dee", "consent": "paraphrase"},
                 {"event_id": "e2", "speaker": "*", "consent": "quote"}])


@pytest.fixture
def corpus(corpus_dir: Path):
    return ll.load(corpus_dir)


def _uid(corpus, speaker: str) -> str:
    return corpus.units[corpus.units["speaker"] == speaker]["unit_id"].iloc[0]


def _block(corpus, nlp) -> dict:
    damp = [_uid(corpus, "Amina"), _uid(corpus, "Grace")]
    quotes = [quote_evidence(_uid(corpus, s), corpus, nlp=nlp) for s in ("Amina", "Ben", "Fatima")]
    figures = [
        figure_evidence("theme-count:t-damp", "theme_speakers", damp, corpus, theme_id="t-damp",
                        text="2 people"),
        figure_evidence("theme-events:t-damp", "events", damp, corpus, text="at 2 events"),
        figure_evidence("theme-comm:t-damp", "communities", damp, corpus),
        {"id": "total", "kind": "theme_units", "value": 99},  # no unit ids: not recomputed
    ]
    return evidence_block(corpus, quotes, figures)


def _html(block: dict, *, body_quotes: list[str] | None = None, count: str = "2 people") -> str:
    quotes = body_quotes if body_quotes is not None else [q["shown"] for q in block["quotes"]]
    items = "".join(f"<blockquote><p>&ldquo;{html.escape(q)}&rdquo;</p></blockquote>"
                    for q in quotes)
    payload = json.dumps(block).replace("</", "<\\/")
    return (f"<!doctype html><html><head><title>Briefing</title></head><body><h1>Damp</h1>"
            f"<p>Raised by <strong>{count}</strong> at 2 events.</p>{items}"
            f'<script type="application/json" id="listenlens-evidence">{payload}</script>'
            "</body></html>")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_quotes_shown_in_exports_are_redacted(corpus, nlp) -> None:
    shown = [q["shown"] for q in _block(corpus, nlp)["quotes"]]
    assert shown[0] == "My name is [name] and the damp in our flat at [address] is back."
    assert shown[1] == "Ring me on [phone] about the bus & the lifts."


def test_html_export_verifies(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    path = _write(tmp_path / "briefing.html", _html(block))
    report = verify(path, corpus, nlp=nlp)
    assert report.ok and not report.stale
    assert (report.n_quotes, report.n_figures, report.n_unchecked_figures) == (3, 3, 1)
    assert "verified" in str(report)
    assert read_evidence_block(path) == block
    text = document_text(path)
    assert "Ring me on [phone] about the bus & the lifts." in text
    assert "listenlens-evidence" not in text and "Briefing" not in text


def test_changed_quote_in_html_fails(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    quotes = [q["shown"] for q in block["quotes"]]
    quotes[2] = quotes[2].replace("every single time", "most of the time")
    path = _write(tmp_path / "b.html", _html(block, body_quotes=quotes))
    with pytest.raises(VerificationError, match="does not appear in the document") as err:
        verify(path, corpus, nlp=nlp)
    first, *rest = err.value.mismatches
    assert "quote 3" in first  # and the edited words, set out as a quote, are supported by none
    assert len(rest) == 1 and "most of the time" in rest[0] and "not the quote of" in rest[0]


def test_changed_quote_in_block_and_body_fails(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    block["quotes"][0]["shown"] = "My name is Amina Yusuf and the damp is back."
    path = _write(tmp_path / "b.html", _html(block))
    with pytest.raises(VerificationError, match="the source, redacted, says"):
        verify(path, corpus, nlp=nlp)


def test_changed_number_fails(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    path = _write(tmp_path / "b.html", _html(block, count="12 people"))
    with pytest.raises(VerificationError, match="'2 people' does not appear"):
        verify(path, corpus, nlp=nlp)
    block["figures"][0]["value"], block["figures"][0]["text"] = 12, "12 people"
    path = _write(tmp_path / "c.html", _html(block, count="12 people"))
    with pytest.raises(VerificationError, match="theme_speakers = 12, the corpus gives 2"):
        verify(path, corpus, nlp=nlp)


def test_quote_from_paraphrase_unit_fails(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    dee = corpus.unit(_uid(corpus, "Dee"))
    block["quotes"].append({"unit_id": dee.unit_id, "shown": dee.text, "source": dee.source,
                            "spans": [list(s) for s in dee.spans], "consent": "quote"})
    path = _write(tmp_path / "b.html", _html(block))
    with pytest.raises(VerificationError) as err:
        verify(path, corpus, nlp=nlp)
    messages = "\n".join(err.value.mismatches)
    assert "has consent 'paraphrase'; only 'quote' units may be quoted" in messages
    assert "appears verbatim in the document" in messages


def test_paraphrase_text_in_body_without_a_block_entry_fails(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    dee = corpus.unit(_uid(corpus, "Dee")).text
    quotes = [q["shown"] for q in block["quotes"]] + [dee]
    path = _write(tmp_path / "b.html", _html(block, body_quotes=quotes))
    report = verify(path, corpus, nlp=nlp, strict=False)
    assert not report.ok and len(report.mismatches) == 2
    assert "consent 'paraphrase' but its text appears verbatim" in report.mismatches[0]
    assert "not the quote of any unit" in report.mismatches[1]  # set out as a quote, too


def test_unknown_unit_and_unknown_kind_fail(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    block["figures"].append({"id": "x", "kind": "share", "value": 1, "unit_ids": []})
    block["quotes"].append({"unit_id": "u-0000", "shown": "Invented.", "consent": "quote"})
    path = _write(tmp_path / "b.html", _html(block))
    report = verify(path, corpus, nlp=nlp, strict=False)
    text = "\n".join(report.mismatches)
    assert "unknown kind 'share'" in text and "u-0000" in text and "not in the corpus" in text


def test_export_is_stale_after_a_withdrawal(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    path = _write(tmp_path / "b.html", _html(block))
    after = withdraw(corpus, speaker="Fatima")
    report = verify(path, after, nlp=nlp, strict=False)
    assert report.stale and not report.ok
    assert report.mismatches[0].startswith("stale: built from input")
    assert any("not in the corpus (withdrawn" in m for m in report.mismatches)
    assert "FAILED" in str(report) and "(stale)" in str(report)


def test_redaction_version_must_match(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    block["redaction"]["version"] = 0
    path = _write(tmp_path / "b.html", _html(block))
    with pytest.raises(VerificationError, match="redaction version 0"):
        verify(path, corpus, nlp=nlp)


def _markdown(block: dict) -> str:
    lines = ["# Damp", "", "Raised by **2 people** at 2 events.", ""]
    lines += [f"> {q['shown'].replace('[', chr(92) + '[')}" for q in block["quotes"]]
    return "\n".join(lines) + "\n"


def test_markdown_export_with_sibling_block(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    path = _write(tmp_path / "briefing.md", _markdown(block))
    _write(tmp_path / "briefing.evidence.json", json.dumps(block))
    assert verify(path, corpus, nlp=nlp).ok
    _write(path, _markdown(block).replace("2 people", "3 people"))
    with pytest.raises(VerificationError, match="'2 people' does not appear"):
        verify(path, corpus, nlp=nlp)


def test_missing_block_is_an_error(tmp_path, corpus) -> None:
    path = _write(tmp_path / "plain.md", "# nothing\n")
    with pytest.raises(VerificationError, match="no evidence block"):
        verify(path, corpus)
    with pytest.raises(VerificationError, match="no such file"):
        verify(tmp_path / "absent.html", corpus)


def test_csv_export_and_corpus_given_as_folder(corpus_dir, corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    rows = ["quote,people"] + ['"' + q["shown"].replace('"', '""') + '",2 people at 2 events'
                               for q in block["quotes"]]
    path = _write(tmp_path / "table.csv", "\n".join(rows) + "\n")
    _write(tmp_path / "table.csv.evidence.json", json.dumps(block))
    assert verify(path, corpus_dir, nlp=nlp).ok


def test_docx_export_with_sibling_or_custom_part(corpus, nlp, tmp_path) -> None:
    import docx

    block = _block(corpus, nlp)
    document = docx.Document()
    document.add_heading("Damp", level=1)
    document.add_paragraph("Raised by 2 people at 2 events.")
    for q in block["quotes"]:
        document.add_paragraph(f"“{q['shown']}”")
    path = tmp_path / "briefing.docx"
    document.save(str(path))
    _write(tmp_path / "briefing.evidence.json", json.dumps(block))
    assert verify(path, corpus, nlp=nlp).ok
    (tmp_path / "briefing.evidence.json").unlink()
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("customXml/listenlens-evidence.xml",
                    "<evidence><![CDATA[" + json.dumps(block) + "]]></evidence>")
    assert verify(path, corpus, nlp=nlp).ok


def test_mismatch_names_a_different_tagger_version(corpus, nlp, tmp_path) -> None:
    block = _block(corpus, nlp)
    block["redaction"]["model_version"] = "0.0.1"
    block["quotes"][1]["shown"] = "Ring me on 07700 900123 about the bus & the lifts."
    path = _write(tmp_path / "b.html", _html(block))
    with pytest.raises(VerificationError, match="tagger version 0.0.1"):
        verify(path, corpus, nlp=nlp)
