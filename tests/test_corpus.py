"""Corpus folders: loading, consent, accounting, errors naming file and line, filters, save/open."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.errors import CorpusError, InputError, UnknownFormatError


def test_loads_units_events_and_skips(small_corpus_dir):
    corpus = ll.load(small_corpus_dir)
    assert len(corpus) == 10
    assert set(corpus.events["event_id"]) == {"e1", "e2", "e3"}
    reasons = corpus.skip_reasons()
    assert reasons == {"consent-withdrawn": 1, "non-speech": 1}
    # nothing lost: every piece seen is loaded or skipped
    assert corpus.n_seen == len(corpus.unit_records) + len(corpus.skip_records) == 12
    assert corpus.report().startswith("10 units from 3 files (3 events, 2 communities), 2 skipped")


def test_units_frame_columns_and_metadata(small_corpus_dir):
    corpus = ll.load(small_corpus_dir)
    units = corpus.units
    for col in ["unit_id", "event_id", "community", "date", "text", "speaker", "speaker_id",
                "role", "consent", "source", "source_sha256", "char_start", "char_end", "line",
                "time_start", "time_end", "spans"]:
        assert col in units.columns
    assert pd.api.types.is_datetime64_any_dtype(units["date"])
    amina = units[units.speaker == "Amina"].iloc[0]
    assert amina.text == "The damp in the back bedroom is back, and the landlord blames us."
    assert amina.line == 2 and amina.community == "Riverside"
    jo = units[units.speaker == "Jo"].iloc[0]
    assert jo.role == "facilitator" and jo.time_start == 5.0
    assert units[units.speaker == "Sam Lee"].iloc[0].role == "facilitator"
    assert set(units[units.speaker == "Fatima"].role) == {"participant"}
    assert corpus.event("e1").metadata == {"funder": "council"}
    assert corpus.events.set_index("event_id").loc["e1", "n_speakers"] == 2  # Amina, Ben


def test_consent_resolution_and_withdrawal(small_corpus_dir):
    corpus = ll.load(small_corpus_dir)
    u = corpus.units.set_index("speaker")
    assert u.loc["Amina", "consent"].tolist() == ["quote", "quote"]
    assert u.loc["Ben", "consent"] == "aggregate" and u.loc["Ben", "consent_basis"] == "speaker"
    assert u.loc["Dee", "consent"] == "paraphrase"
    # e3 has no consent rows: the corpus default applies
    assert set(corpus.units[corpus.units.event_id == "e3"].consent) == {"paraphrase"}
    assert set(corpus.units[corpus.units.event_id == "e3"].consent_basis) == {"default"}
    # the withdrawn speaker's words are nowhere: not in units, not in skip excerpts
    assert "Carl" not in set(corpus.units.speaker)
    assert not corpus.units.text.str.contains("recorded").any()
    withdrawn = corpus.skipped[corpus.skipped.reason == "consent-withdrawn"]
    assert len(withdrawn) == 1 and withdrawn.iloc[0].excerpt == ""
    assert ll.load(small_corpus_dir, default_consent="quote").units.query(
        "event_id == 'e3'").consent.eq("quote").all()


def test_provenance_invariant_and_repeated_text_ids(small_corpus_dir):
    corpus = ll.load(small_corpus_dir)
    assert corpus.check_spans() == []
    for u in corpus:
        src = corpus.source_text(u.source)
        assert " ".join(src[u.char_start:u.char_end].split()) == u.text
    fatima = corpus.units[corpus.units.speaker == "Fatima"]
    assert len(fatima) == 2 and fatima.unit_id.nunique() == 2
    assert corpus.units.unit_id.is_unique


def test_ids_are_deterministic_and_local_to_a_file(small_corpus_dir, tmp_path):
    first = ll.load(small_corpus_dir).units.set_index("unit_id")
    again = ll.load(small_corpus_dir).units.set_index("unit_id")
    assert list(first.index) == list(again.index)
    copy = tmp_path / "copy"
    shutil.copytree(small_corpus_dir, copy)
    (copy / "e2.txt").write_text("Jo: Let's start.\nAmina: Still damp. Mould too.\n"
                                 "Dee: Energy bills have doubled since last winter.\n")
    changed = ll.load(copy).units.set_index("unit_id")
    other = first[first.source != "e2.txt"].index
    assert set(other) <= set(changed.index)  # other files keep every id
    gone = set(first.index) - set(changed.index)
    assert len(gone) == 1 and first.loc[list(gone)[0], "text"] == "Still damp. Still mould."


def test_unlisted_transcripts_are_recorded_not_dropped(small_corpus_dir):
    (small_corpus_dir / "stray.txt").write_text("Zed: forgotten file\n")
    (small_corpus_dir / "README.md").write_text("# about\n")
    (small_corpus_dir / "_key").mkdir()
    (small_corpus_dir / "_key" / "truth.csv").write_text("a,b\n")
    corpus = ll.load(small_corpus_dir)
    unlisted = corpus.skipped[corpus.skipped.reason == "unlisted-file"]
    assert unlisted.source.tolist() == ["stray.txt"]


@pytest.mark.parametrize("events_csv,message,line", [
    ("event_id,community,date,file\ne1,R,2024-01-01,a.txt\ne1,R,2024-01-02,a.txt\n",
     "duplicate event id 'e1' (first seen on line 2)", 3),
    ("event_id,community,date,file\ne1,R,01/02/2024,a.txt\n", "not a date in YYYY-MM-DD", 2),
    ("event_id,community,date,file\ne1,R,2024-01-01,missing.txt\n", "does not exist", 2),
    ("event_id,community,file\ne1,R,a.txt\n", "missing column(s) date", 1),
    ("event_id,community,date,file\ne1,,2024-01-01,a.txt\n", "has no community", 2),
    ("event_id,community,date,file\ne1,R,2024-01-01,../a.txt\n", "inside the corpus folder", 2),
    ("event_id,community,date,file\ne1,R,2024-01-01,a.txt,extra\n", "cells but the header", 2),
])
def test_events_csv_errors_name_file_and_line(tmp_path, events_csv, message, line):
    (tmp_path / "a.txt").write_text("A: hi\n")
    (tmp_path / "events.csv").write_text(events_csv)
    with pytest.raises(CorpusError) as err:
        ll.load(tmp_path)
    assert message in str(err.value)
    assert err.value.file == "events.csv" and err.value.line == line
    assert str(err.value).startswith(f"events.csv:{line}: ")


@pytest.mark.parametrize("consent_csv,message", [
    ("event_id,speaker,consent\ne9,A,quote\n", "event 'e9' is not in events.csv"),
    ("event_id,speaker,consent\ne1,A,maybe\n", "is not one of quote, paraphrase"),
    ("event_id,speaker,consent\ne1,A,quote\ne1, a ,aggregate\n", "given twice"),
])
def test_consent_csv_errors(tmp_path, consent_csv, message):
    write_corpus(tmp_path, [{"event_id": "e1", "community": "R", "date": "2024-01-01",
                             "file": "a.txt"}], {"a.txt": "A: hi\n"})
    (tmp_path / "consent.csv").write_text(consent_csv)
    with pytest.raises(CorpusError, match=message) as err:
        ll.load(tmp_path)
    assert err.value.file == "consent.csv" and err.value.line is not None


def test_unknown_format_and_reader(tmp_path):
    write_corpus(tmp_path, [{"event_id": "e1", "community": "R", "date": "2024-01-01",
                             "file": "a.pdf"}], {"a.pdf": b"%PDF"})
    with pytest.raises(UnknownFormatError, match="cannot tell the format") as err:
        ll.load(tmp_path)
    assert err.value.file == "events.csv" and err.value.line == 2
    write_corpus(tmp_path, [{"event_id": "e1", "community": "R", "date": "2024-01-01",
                             "file": "a.pdf", "reader": "pdfx"}], {})
    with pytest.raises(UnknownFormatError, match="unknown reader 'pdfx'"):
        ll.load(tmp_path)
    with pytest.raises(CorpusError, match="no events.csv"):
        ll.load(tmp_path / "..")


def test_single_file_load(tmp_path):
    path = tmp_path / "meeting.txt"
    path.write_text("Ann: we need a bus to the hospital\nBo: and a crossing\n")
    corpus = ll.load(path, community="Eastgate", date="2025-03-01", consent="quote",
                     facilitator="Ann", ward="East")
    assert len(corpus) == 2
    ev = corpus.event("meeting")
    assert ev.community == "Eastgate" and str(ev.date) == "2025-03-01"
    assert ev.metadata == {"ward": "East"}
    assert corpus.units.consent.eq("quote").all()
    assert corpus.units.role.tolist() == ["facilitator", "participant"]
    with pytest.raises(InputError, match="no such file"):
        ll.load(tmp_path / "nope.txt")
    with pytest.raises(TypeError):
        ll.load(tmp_path, community="x")


def test_filter_keeps_accounting(small_corpus_dir):
    corpus = ll.load(small_corpus_dir)
    riverside = corpus.filter(community="Riverside")
    assert set(riverside.units.event_id) == {"e1", "e2"}
    assert len(riverside.skip_records) == 2
    later = corpus.filter(start="2024-06-01", end="2024-12-31")
    assert set(later.events.event_id) == {"e2"}
    assert set(corpus.filter(event_id=["e1", "e3"]).events.event_id) == {"e1", "e3"}
    assert later.check_spans() == []
    assert later.input_hash != corpus.input_hash


def test_save_and_open_round_trip(small_corpus_dir, tmp_path):
    corpus = ll.load(small_corpus_dir)
    out = corpus.save(tmp_path / "saved")
    opened = ll.open_corpus(out)
    assert opened.unit_records == corpus.unit_records
    assert opened.event_records == corpus.event_records
    assert opened.skip_records == corpus.skip_records
    assert opened.source_records == corpus.source_records
    assert opened.texts == corpus.texts
    assert opened.input_hash == corpus.input_hash
    pd.testing.assert_frame_equal(opened.units, corpus.units)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["units"] == len(corpus)
    assert manifest["listenlens_version"] == ll.__version__


def test_open_refuses_a_tampered_table(small_corpus_dir, tmp_path):
    out = ll.load(small_corpus_dir).save(tmp_path / "saved")
    data = bytearray((out / "units.parquet").read_bytes())
    data[-20] ^= 0xFF
    (out / "units.parquet").write_bytes(bytes(data))
    with pytest.raises(CorpusError, match="does not match the hash"):
        ll.open_corpus(out)
    with pytest.raises(CorpusError, match="no manifest.json"):
        ll.open_corpus(tmp_path)


def test_repr_and_html(small_corpus_dir):
    corpus = ll.load(small_corpus_dir)
    assert repr(corpus).startswith("<Corpus: 10 units from 3 files")
    html = corpus._repr_html_()
    assert "<table>" in html and "Northfield" in html


def test_sources_record_encoding(small_corpus_dir):
    (small_corpus_dir / "e2.txt").write_bytes("Jo: café\nAmina: naïve\nDee: déjà vu\n".encode("cp1252"))
    corpus = ll.load(small_corpus_dir)
    src = corpus.sources.set_index("path")
    assert src.loc["e2.txt", "encoding"] == "cp1252"
    assert "Windows-1252" in src.loc["e2.txt", "encoding_note"]
    assert src.loc["e1.txt", "encoding"] == "utf-8"
    assert "café" in corpus.units.text.tolist()
    assert Path(corpus.root).name == "corpus"


def test_withdrawn_words_are_not_kept_in_source_texts(small_corpus_dir, tmp_path):
    corpus = ll.load(small_corpus_dir)
    assert "recorded" not in corpus.source_text("e1.txt")
    assert corpus.check_spans() == []  # other units' offsets still hold
    saved = ll.open_corpus(corpus.save(tmp_path / "s"))
    assert all("recorded" not in t for t in saved.texts.values())
    assert "recorded" in (small_corpus_dir / "e1.txt").read_text()  # the user's file is untouched


@pytest.mark.parametrize("level", ["withdrawn", "aggregate", "paraphrase"])
def test_a_restrictive_consent_row_that_matches_nobody_is_an_error(small_corpus_dir, level):
    with (small_corpus_dir / "consent.csv").open("a") as fh:
        fh.write(f"e2,Amnia,{level}\n")  # misspelt: Amina spoke at e2
    with pytest.raises(CorpusError, match="matches no speaker there") as err:
        ll.load(small_corpus_dir)
    assert err.value.file == "consent.csv" and err.value.line == 7
    assert "Amina" in str(err.value)  # the message lists who did speak


def test_an_unmatched_quote_row_is_noted_not_fatal(small_corpus_dir):
    with (small_corpus_dir / "consent.csv").open("a") as fh:
        fh.write("e2,Zara,quote\n")
    corpus = ll.load(small_corpus_dir)
    assert corpus.params["consent_notes"] == ["consent.csv:7: no speaker 'zara' at 'e2'"]
