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

import listenlens as ll
from conftest import write_corpus
from fixtures.hostile import (
    big_text,
    docx_paragraphs,
    empty_paragraph_bomb,
    lie_about_size,
    unpack_bomb,
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
    assert time.perf_counter() - start < 20  # main: over 5 minutes


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

