"""Hostile and careless input (issue 15, input side): each test fails on the code before the fix.

Paths that escape the corpus folder, decompression and parse bombs, metadata tables outside the
hash, control characters, wrong decodings, files listed twice, concurrent project writes,
topic labels read as speakers, terminal escapes in errors, implausible dates, empty files and
captions out of order. Malicious files are generated at test time (``fixtures/hostile.py``).
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import listenlens as ll
from conftest import write_corpus
from fixtures.hostile import (
    big_text,
    docx_paragraphs,
    docx_with_body,
    empty_paragraph_bomb,
    laughs,
    lie_about_size,
    unpack_bomb,
    with_doctype,
)
from listenlens import errors
from listenlens.errors import CorpusError, InputError, ParseError

# New names are looked up inside the tests, so that against the code before the fix each test
# fails on its own (a missing name is a failure of that test, not of the whole module).

EVENT = {"event_id": "e1", "community": "Riverside", "date": "2024-03-01", "file": "a.txt",
         "facilitator": "Jo"}
TALK = "Jo: Welcome.\nAmina: The damp is back in the bedroom.\n"


def _corpus(root: Path, files: dict[str, str | bytes], events: list[dict] | None = None,
            consent: list[dict] | None = None) -> Path:
    return write_corpus(root, events or [EVENT], files, consent)


# --- 1. symlinks escaping the corpus folder ----------------------------------------------------
@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text("root: x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return path


def test_symlinked_file_leading_outside_is_refused(tmp_path, secret) -> None:
    root = _corpus(tmp_path / "c", {}, [{**EVENT, "file": "pw.txt"}])
    (root / "pw.txt").symlink_to(secret)
    with pytest.raises(CorpusError, match="outside the corpus folder") as err:
        ll.load(root)
    assert err.value.file == "events.csv" and err.value.line == 2


def test_symlinked_subfolder_leading_outside_is_refused(tmp_path, secret) -> None:
    root = _corpus(tmp_path / "c", {}, [{**EVENT, "file": "sub/passwd"}])
    (root / "sub").symlink_to(secret.parent, target_is_directory=True)
    with pytest.raises(CorpusError, match="outside the corpus folder"):
        ll.load(root)


def test_symlinked_metadata_table_leading_outside_is_refused(tmp_path) -> None:
    elsewhere = _corpus(tmp_path / "elsewhere", {"a.txt": TALK})
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text(TALK, encoding="utf-8")
    (root / "events.csv").symlink_to(elsewhere / "events.csv")
    with pytest.raises(CorpusError, match="outside the corpus folder"):
        ll.load(root)


def test_symlink_that_stays_inside_is_allowed(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {"real/a.txt": TALK}, [{**EVENT, "file": "a.txt"}])
    (root / "a.txt").symlink_to(root / "real" / "a.txt")
    assert len(ll.load(root)) == 2


@pytest.mark.slow
def test_project_add_refuses_a_folder_whose_files_lead_outside(tmp_path, secret) -> None:
    from listenlens.project import init_project

    src = _corpus(tmp_path / "c", {}, [{**EVENT, "file": "pw.txt"}])
    (src / "pw.txt").symlink_to(secret)
    project = init_project(tmp_path / "p")
    with pytest.raises(InputError, match="outside"):
        project.add(src)
    assert not list((tmp_path / "p").rglob("pw.txt"))


# --- 3. decompression and parse bombs ---------------------------------------------------------
def _docx_corpus(root: Path, raw: bytes) -> Path:
    return _corpus(root, {"notes.docx": raw}, [{**EVENT, "file": "notes.docx"}])


def test_docx_element_bomb_fails_fast_with_small_limit(tmp_path) -> None:
    root = _docx_corpus(tmp_path / "c", empty_paragraph_bomb(20_000))
    with pytest.raises(errors.LimitError, match="max_xml_elements") as err:
        ll.load(root, limits={"max_xml_elements": 5_000})
    assert err.value.file == "notes.docx"


def test_docx_element_bomb_trips_default_limits_quickly(tmp_path) -> None:
    raw = empty_paragraph_bomb(5_200_000)  # the 85 KB file
    assert len(raw) < 200_000
    root = _docx_corpus(tmp_path / "c", raw)
    start = time.perf_counter()
    with pytest.raises(errors.LimitError, match="XML elements"):
        ll.load(root)
    assert time.perf_counter() - start < 10  # main: over 5 minutes


def test_docx_unpack_bomb_is_refused_while_reading(tmp_path) -> None:
    root = _docx_corpus(tmp_path / "c", unpack_bomb(8 * 2**20))
    with pytest.raises(errors.LimitError, match="max_unpacked_bytes") as err:
        ll.load(root, limits={"max_unpacked_bytes": 2**20})
    assert "notes.docx" in str(err.value)


def test_docx_declaring_huge_size_is_refused_before_unpacking(tmp_path) -> None:
    raw = lie_about_size(unpack_bomb(2**20), "word/media/image1.png", 1_500_000_000)
    root = _docx_corpus(tmp_path / "c", raw)
    start = time.perf_counter()
    with pytest.raises(errors.LimitError, match="declares 1,50"):
        ll.load(root)
    assert time.perf_counter() - start < 5


def test_docx_lying_about_a_small_size_is_caught_while_reading(tmp_path) -> None:
    raw = lie_about_size(docx_paragraphs(["Ann: hello there"] * 50), "word/document.xml", 100)
    root = _docx_corpus(tmp_path / "c", raw)
    with pytest.raises(ParseError, match="notes.docx"):
        ll.load(root)


def test_text_file_over_size_limit_fails_fast(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {})
    big_text(root / "a.txt", 200_000)
    with pytest.raises(errors.LimitError, match="max_text_bytes") as err:
        ll.load(root, limits={"max_text_bytes": 100_000})
    assert err.value.file == "a.txt"


def test_default_text_limit_trips_quickly_on_a_large_file(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {})
    big_text(root / "a.txt", 17 * 2**20)
    start = time.perf_counter()
    with pytest.raises(errors.LimitError, match="over the"):
        ll.load(root)
    assert time.perf_counter() - start < 2  # main: 26 s and 5.5 GB for 50 MB


def test_unit_count_limit(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {"a.txt": "".join(f"Line {i} here.\n\n" for i in range(300))})
    with pytest.raises(errors.LimitError, match="max_units"):
        ll.load(root, limits={"max_units": 100})
    assert len(ll.load(root)) == 300


def test_limits_reject_unknown_and_non_positive_values(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {"a.txt": TALK})
    with pytest.raises(ValueError, match="unknown limit"):
        ll.load(root, limits={"max_bananas": 3})
    from listenlens.ingest.limits import Limits

    with pytest.raises(ValueError, match="positive"):
        Limits(max_units=0)


def test_ordinary_docx_loads_within_default_limits(tmp_path) -> None:
    root = _docx_corpus(tmp_path / "c", docx_paragraphs(["Amina: the damp is back."]))
    assert ll.load(root).units.text.tolist() == ["the damp is back."]


# --- 5. inputs not covered by the hash --------------------------------------------------------
@pytest.fixture
def two_events(tmp_path: Path) -> Path:
    return _corpus(tmp_path / "c", {"a.txt": TALK, "b.txt": "Sam: Hi.\nGrace: Buses are late.\n"},
                   [EVENT, {**EVENT, "event_id": "e2", "file": "b.txt", "facilitator": "Sam"}],
                   [{"event_id": "e1", "speaker": "*", "consent": "quote"}])


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("table,old,new", [
    ("events.csv", "Riverside", "Eastgate"),
    ("events.csv", "2024-03-01", "2024-03-02"),
    ("events.csv", ",Jo", ",Jo Bloggs"),
    ("consent.csv", "quote", "paraphrase"),
])
def test_metadata_table_edits_change_the_input_hash(two_events, table, old, new) -> None:
    before = ll.load(two_events).input_hash
    _edit(two_events / table, old, new)
    assert ll.load(two_events).input_hash != before


def test_manifest_inputs_list_the_metadata_tables(two_events) -> None:
    from listenlens.provenance import build_manifest

    corpus = ll.load(two_events)
    inputs = {i["path"]: i for i in build_manifest(corpus, models=[]).inputs}
    assert {"events.csv", "consent.csv", "a.txt", "b.txt"} <= set(inputs)
    digest = inputs["events.csv"]["sha256"]
    _edit(two_events / "events.csv", "Riverside", "Eastgate")
    after = {i["path"]: i for i in build_manifest(ll.load(two_events), models=[]).inputs}
    assert after["events.csv"]["sha256"] != digest


def test_verify_reports_stale_after_events_csv_edit(two_events, tmp_path) -> None:
    from listenlens.provenance import evidence_block, verify

    corpus = ll.load(two_events)
    block = evidence_block(corpus, [], [])
    payload = json.dumps(block).replace("</", "<\\/")
    out = tmp_path / "b.html"
    out.write_text(f"<html><body><p>{html.escape('Hi')}</p><script type=\"application/json\" "
                   f"id=\"listenlens-evidence\">{payload}</script></body></html>", encoding="utf-8")
    assert verify(out, corpus, strict=False).ok
    _edit(two_events / "events.csv", "Riverside", "Eastgate")
    report = verify(out, two_events, strict=False)
    assert report.stale and not report.ok


def test_input_hash_survives_save_and_open(two_events, tmp_path) -> None:
    corpus = ll.load(two_events)
    assert ll.open_corpus(corpus.save(tmp_path / "saved")).input_hash == corpus.input_hash



# --- 7. control characters ----------------------------------------------------------------------
CONTROLS = "\x00\x0b\x0c\x1b\x08\x7f"


def test_control_characters_are_blanked_at_load_and_recorded(tmp_path) -> None:
    import docx

    dirty = ("Jo: Welcome\x00 all.\nAmina: The damp\x0b is\x0c back \x1b[31mred\x1b[0m "
             "again\x08\x7f.\n")
    root = _corpus(tmp_path / "c", {"a.txt": dirty})
    corpus = ll.load(root)
    texts = corpus.units.text.tolist()
    assert texts == ["Welcome all.", "The damp is back red again ."]
    assert not any(ch in corpus.texts["a.txt"] for ch in CONTROLS)
    assert corpus.check_spans() == []
    note = corpus.sources.encoding_note.iloc[0]
    assert "control character(s) replaced with spaces" in note
    assert any("control character" in w for w in corpus.warnings)
    document = docx.Document()  # what crashed the DOCX briefing
    for text in texts:
        document.add_paragraph(text)


def test_json_escaped_control_characters_never_reach_unit_text(tmp_path) -> None:
    line = json.dumps({"answer": "buses\u0000 late\u001b[2J now\b"}) + "\n"
    root = _corpus(tmp_path / "c", {"s.jsonl": line}, [{**EVENT, "file": "s.jsonl"}])
    corpus = ll.load(root)
    assert corpus.units.text.tolist() == ["buses late [2J now"]
    assert corpus.check_spans() == []


# --- 10. wrong decoding ---------------------------------------------------------------------
def test_utf16_without_bom_is_detected(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {"a.txt": TALK.encode("utf-16-le")})
    corpus = ll.load(root)
    assert corpus.units.speaker.tolist() == ["Jo", "Amina"]
    assert corpus.sources.encoding.iloc[0] == "utf-16-le"
    assert any("byte-order mark" in w for w in corpus.warnings)


def test_mixed_utf8_and_cp1252_lines_decode_line_by_line(tmp_path) -> None:
    raw = "Amina: café on the corner\n".encode() + "Ben: naïve plans\n".encode("cp1252")
    corpus = ll.load(_corpus(tmp_path / "c", {"a.txt": raw}))
    assert corpus.units.text.tolist() == ["café on the corner", "naïve plans"]
    assert corpus.sources.encoding.iloc[0] == "mixed"
    assert any("line" in w and "Windows-1252" in w for w in corpus.warnings)


def test_random_bytes_are_skipped_as_not_text(tmp_path) -> None:
    import random

    noise = random.Random(3).randbytes(4000)
    root = _corpus(tmp_path / "c", {"a.txt": TALK, "b.txt": noise},
                   [EVENT, {**EVENT, "event_id": "e2", "file": "b.txt"}])
    corpus = ll.load(root)
    assert set(corpus.units.source) == {"a.txt"}
    skip = corpus.skipped[corpus.skipped.source == "b.txt"]
    assert skip.reason.tolist() == ["not-text"]
    assert any("b.txt" in w and "not text" in w for w in corpus.warnings)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=600))
def test_any_bytes_load_without_traceback_and_without_controls(tmp_path, raw) -> None:
    root = _corpus(tmp_path / f"c{abs(hash(raw))}", {"a.txt": raw})
    try:
        corpus = ll.load(root)
    except errors.ListenlensError as exc:
        assert not any(ch in str(exc) for ch in CONTROLS)
        return
    assert corpus.check_spans() == []
    for text in corpus.units.text:
        assert not any(ch in text for ch in CONTROLS)
    assert corpus.n_seen >= 1  # a file is never silently nothing


# --- 11. the same file listed twice ------------------------------------------------------------
@pytest.mark.parametrize("events", [
    [{**EVENT, "file": "a.txt;a.txt"}],
    [{**EVENT, "file": "a.txt;./a.txt"}],
    [EVENT, {**EVENT, "event_id": "e2", "file": "./a.txt"}],
])
def test_a_file_listed_twice_is_refused(tmp_path, events) -> None:
    root = _corpus(tmp_path / "c", {"a.txt": TALK}, events)
    with pytest.raises(CorpusError, match="already listed") as err:
        ll.load(root)
    assert err.value.file == "events.csv" and err.value.line == len(events) + 1


def test_paths_are_normalised(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {"sub/a.txt": TALK}, [{**EVENT, "file": "./sub//a.txt"}])
    assert ll.load(root).units.source.unique().tolist() == ["sub/a.txt"]


# --- 12. project lock ---------------------------------------------------------------------
@pytest.mark.slow
def test_add_during_update_is_not_lost(tmp_path) -> None:
    import threading

    from listenlens.embeddings import HashingEmbedder
    from listenlens.project import init_project, open_project

    started = threading.Event()

    class SlowEmbedder(HashingEmbedder):
        def encode(self, texts):
            started.set()
            time.sleep(1.5)
            return super().encode(texts)

    words = ["damp mould bedroom", "buses late timetable", "doctor appointment wait"]
    lines = "".join(f"P{i}: the {words[i % 3]} again and again.\n" for i in range(30))
    first = _corpus(tmp_path / "m0", {"a.txt": lines})
    second = tmp_path / "b.txt"
    second.write_text("Grace: the buses are late and the timetable is wrong.\n", encoding="utf-8")
    project = init_project(tmp_path / "p", embedder=SlowEmbedder(), min_theme_size=3)
    project.add(first)
    updater = threading.Thread(target=lambda: project.update(stability_runs=0))
    updater.start()
    assert started.wait(30)
    other = open_project(tmp_path / "p", embedder=HashingEmbedder())  # as a second process would
    other.add(second, event_id="e2", community="Northfield", date="2024-05-01")
    updater.join(60)
    meta = json.loads((tmp_path / "p" / "_listenlens" / "project.json").read_text())
    assert "events/e2/b.txt" in meta["files"].values()
    assert len(meta["updates"]) == 1
    again = open_project(tmp_path / "p", embedder=HashingEmbedder())
    assert again.event_ids == ["e1", "e2"]
    assert again.add(second, event_id="e3", community="Northfield", date="2024-05-02").events == ()


@pytest.mark.slow
def test_project_state_writes_leave_no_temporary_files(tmp_path) -> None:
    from listenlens.project import init_project

    project = init_project(tmp_path / "p")
    project.add(_corpus(tmp_path / "c", {"a.txt": TALK}))
    assert not [p for p in (tmp_path / "p").rglob("*") if p.name.endswith(".tmp")]
    assert (tmp_path / "p" / "_listenlens" / "project.lock").exists()


# --- 13. typed notes: topic labels and the note-taker are not speakers -----------------------
NOTES = ("# Drop-in\n- **Maureen:** the lift is broken again\n- Pension Credit: nobody told us\n"
         "- Adaptations: waited a year for a rail\n- Positive: the new caretaker\n"
         "- Me: need to chase the council\n- Clive: the bins\n")


def test_topic_labels_and_writer_in_markdown_notes(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {"n.md": NOTES}, [{**EVENT, "file": "n.md"}])
    corpus = ll.load(root)
    u = corpus.units.set_index("line")
    assert u.loc[2, "speaker"] == "Maureen" and u.loc[7, "speaker"] == "Clive"
    for line, label in [(3, "Pension Credit"), (4, "Adaptations"), (5, "Positive")]:
        assert u.loc[line, "speaker"] == "" and u.loc[line, "context"].endswith(label)
    assert u.loc[6, "role"] == "facilitator"
    assert corpus.events.n_speakers.iloc[0] == 2
    assert sum("Pension Credit" in w and "topic" in w for w in corpus.warnings) == 1
    assert any("'Me'" in w and "note-taker" in w for w in corpus.warnings)


def test_consent_roster_overrides_topic_plausibility(tmp_path) -> None:
    root = _corpus(tmp_path / "c", {"n.md": "- Florence Action: the lift\n"},
                   [{**EVENT, "file": "n.md"}],
                   [{"event_id": "e1", "speaker": "Florence Action", "consent": "quote"}])
    assert ll.load(root).units.speaker.tolist() == ["Florence Action"]


def test_topic_labels_in_docx_notes(tmp_path) -> None:
    raw = docx_paragraphs(["Amina: the damp is back", "Pension Credit: nobody told us"])
    corpus = ll.load(_corpus(tmp_path / "c", {"n.docx": raw}, [{**EVENT, "file": "n.docx"}]))
    assert corpus.units.speaker.tolist() == ["Amina", ""]


# --- 14. escapes in errors, dates, empty files, cue order -------------------------------------
def test_terminal_escapes_from_files_are_not_printed_in_errors(tmp_path) -> None:
    name = "notes\x1b[2J\x1b[31m\x07.docx"  # a legal file name that clears the screen
    root = _corpus(tmp_path / "c", {name: b"not a zip"}, [{**EVENT, "file": name}])
    with pytest.raises(ParseError) as err:
        ll.load(root)
    shown = str(err.value)
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown.startswith("notes\\x1b[2J\\x1b[31m\\x07.docx: not a valid .docx")


@pytest.mark.parametrize("date", ["20230315", "9999-12-31", "1066-10-14", "2024-3-5"])
def test_implausible_or_non_iso_dates_are_refused(tmp_path, date) -> None:
    root = _corpus(tmp_path / "c", {"a.txt": TALK}, [{**EVENT, "date": date}])
    with pytest.raises(CorpusError, match="date") as err:
        ll.load(root)
    assert err.value.line == 2


def test_single_file_date_is_checked_too(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TALK, encoding="utf-8")
    with pytest.raises(CorpusError, match="YYYY-MM-DD"):
        ll.load(path, date="20230315")


@pytest.mark.parametrize("name,content", [("b.txt", b""), ("b.txt", b"\n\n  \n"),
                                          ("b.csv", b""), ("b.md", b"\n")])
def test_empty_file_is_recorded_as_a_skip(tmp_path, name, content) -> None:
    root = _corpus(tmp_path / "c", {"a.txt": TALK, name: content},
                   [EVENT, {**EVENT, "event_id": "e2", "file": name}])
    corpus = ll.load(root)
    skip = corpus.skipped[corpus.skipped.source == name]
    assert skip.reason.tolist() == ["empty-file"]
    assert any(w.startswith(f"{name}:") for w in corpus.warnings)
    assert f"warning: {name}" in corpus.report()


def test_srt_cues_out_of_order_are_reported(tmp_path) -> None:
    srt = ("1\n00:00:05,000 --> 00:00:06,000\nAnn: second thing.\n\n"
           "2\n00:00:01,000 --> 00:00:02,000\nBen: first thing.\n")
    root = _corpus(tmp_path / "c", {"a.srt": srt}, [{**EVENT, "file": "a.srt"}])
    corpus = ll.load(root)
    assert corpus.units.speaker.tolist() == ["Ann", "Ben"]  # file order kept
    assert [w for w in corpus.warnings if "cues-out-of-order" in w] == [
        "a.srt:6: cues-out-of-order: cue starts at 1 s, before the cue on line 2 (5 s); "
        "kept in file order"]


def test_docx_entity_expansion_is_not_performed(tmp_path) -> None:
    """A billion-laughs DTD in word/document.xml: entities are never expanded."""
    body = b"<w:p><w:r><w:t>Ann: &l9;</w:t></w:r></w:p>"
    raw = with_doctype(docx_with_body([body]), "word/document.xml", laughs(10))
    root = _docx_corpus(tmp_path / "c", raw)
    start = time.perf_counter()
    try:
        texts = ll.load(root).units.text.tolist()
    except errors.ListenlensError:
        texts = []
    assert time.perf_counter() - start < 10
    assert all(len(t) < 1000 for t in texts)
