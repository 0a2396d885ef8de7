"""Hostile and careless input, the output side (issue 15, items 2, 4, 6, 8, 9 and 15).

One small corpus carries everything an attacker or a careless user could put into a run: a
community called ``=HYPERLINK(...)`` (a formula in every table it lands in), a community name of
334 characters (too long for a file name), a speaker who agreed only to be counted and repeats a
made-up word, and one who agreed only to be paraphrased. The run writes into a folder; the tests
tamper with copies of what it wrote, interrupt a write, re-run into an old folder and compare
the bytes of two runs.

The themes are fitted once with the fast deterministic hashing embedder and given to
:func:`listenlens.analyse`, so each run here costs the trends, the briefing and the writing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import listenlens as ll
from conftest import write_corpus
from listenlens.cli import main
from listenlens.errors import ListenlensError
from listenlens.pipeline import Analysis, analyse
from listenlens.provenance import verify

pytestmark = pytest.mark.slow  # analyses corpora end to end (find_themes, track, brief)

FORMULA = '=HYPERLINK("http://evil","Eastgate")'
LONG = ("Millbrook Youth Council of the Upper Valley and the Riverside Estates "
        * 5)[:334].strip() + "s"
PLANTED_AGGREGATE = "zorblaxian"
PLANTED_PARAPHRASE = "quibbletonian"
PARAPHRASE_SENTENCE = ("The quibbletonian caretaker told my sister that nobody would ever "
                       "come back to fix the lift.")
SAID = {
    "gp": ["I rang the surgery at eight and every appointment had gone by ten past.",
           "We need evening GP appointments, people who work can't come in the day.",
           "My mum waited three weeks to see a doctor at the surgery.",
           "The online booking for the surgery doesn't work on my phone."],
    "damp": ["The damp in the back bedroom is back and the landlord blames us.",
             "Black mould on the walls, my son's asthma is worse every winter.",
             "The housing officer should come and see the mould and the damp.",
             "We need the council to fix the windows, the damp is terrible."],
    "bus": ["The 42 bus never comes on time so I miss my hospital appointments.",
            "There is no bus to the hospital after six in the evening.",
            "Please put a shelter at the bus stop, older people stand in the rain."],
}
NAMES = ["Amina", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Hassan", "Ivy", "Jon",
         "Kemi", "Leo", "Maya", "Nadia", "Omar"]


def hostile_corpus(root: Path) -> Path:
    """Nine events in three communities (one named by a formula, one 334 characters long);
    at each event, Zed (consent: aggregate) repeats a made-up word about the damp and Quinn
    (consent: paraphrase) says a sentence with another."""
    rng = random.Random(15)
    events, files, consent = [], {}, []
    for ci, community in enumerate(["Riverside Tenants", FORMULA, LONG]):
        for qi, date in enumerate(["2024-02-10", "2024-06-14", "2024-10-20"]):
            eid = f"e{ci * 3 + qi + 1}"
            lines = ["Facilitator: Thanks for coming. What matters most to you?"]
            for person in rng.sample(NAMES, 9):
                topic = rng.choice(sorted(SAID))
                lines.append(f"{person}: {rng.choice(SAID[topic])}")
            lines += [f"Zed: The {PLANTED_AGGREGATE} damp, the {PLANTED_AGGREGATE} mould, "
                      f"all {PLANTED_AGGREGATE}.",
                      f"Zed: Damp again, {PLANTED_AGGREGATE} damp in the bedroom.",
                      f"Quinn: {PARAPHRASE_SENTENCE} The damp is {PLANTED_PARAPHRASE} too."]
            files[f"{eid}.txt"] = "\n".join(lines) + "\n"
            events.append({"event_id": eid, "community": community, "date": date,
                           "file": f"{eid}.txt", "facilitator": "Facilitator"})
            consent += [{"event_id": eid, "speaker": "*", "consent": "quote"},
                        {"event_id": eid, "speaker": "Zed", "consent": "aggregate"},
                        {"event_id": eid, "speaker": "Quinn", "consent": "paraphrase"}]
    return write_corpus(root, events, files, consent)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    from listenlens.embeddings import HashingEmbedder
    from listenlens.themes import find_themes

    corpus = ll.load(hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus"),
                     progress=False)
    return corpus, find_themes(corpus, seed=0, embedder=HashingEmbedder())


def run(fitted, out: Path) -> Analysis:
    corpus, themes = fitted
    return analyse(corpus, out=out, themes=themes, seed=0, progress=False, cache_dir=False)


@pytest.fixture(scope="module")
def outputs(fitted, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    run(fitted, out)
    return out


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- 2. formula injection ------------------------------------------------------------------
def raw_cells(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_no_table_cell_can_run_as_a_formula(outputs) -> None:
    seen = False
    for path in sorted((outputs / "tables").glob("*.csv")):
        for cell in raw_cells(path):
            seen |= cell == "'" + FORMULA
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert re.fullmatch(r"[+-]?[\d.]+(e[+-]?\d+)?", cell), (path.name, cell)
    assert seen, "the formula community name should be written, neutralised"
    import openpyxl

    book = openpyxl.load_workbook(outputs / "tables.xlsx")
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert FORMULA in values  # stored exactly, as text


def test_neutralised_tables_still_verify(outputs, fitted) -> None:
    for name in ("tables/themes.csv", "tables/quotes.csv"):
        assert verify(outputs / name, fitted[0]).ok, name


@given(st.text(max_size=40))
def test_neutralising_a_cell_is_reversible(text: str) -> None:
    from listenlens.provenance.cells import neutralise, restore

    safe = neutralise(text)
    assert restore(safe) == text
    if safe[:1] and safe[0] in "=+-@\t\r":  # only a plain number may start like a formula
        assert re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", safe), safe


def test_numbers_stay_numbers() -> None:
    from listenlens.provenance.cells import neutralise

    assert neutralise(-3.5) == -3.5 and neutralise("-3.5") == "-3.5"
    assert neutralise("-1+2") == "'-1+2" and neutralise("@SUM(A1)") == "'@SUM(A1)"


# --- 4. verify misses edits ----------------------------------------------------------------
def tampered(outputs: Path, tmp_path: Path, name: str, edit) -> Path:
    """A copy of one output (and its evidence file) outside the run folder, edited."""
    src = outputs / name
    dst = tmp_path / src.name
    shutil.copy(src, dst)
    for ev in (src.with_name(src.stem + ".evidence.json"),):
        if ev.is_file():
            shutil.copy(ev, tmp_path / ev.name)
    text = dst.read_text(encoding="utf-8")
    new = edit(text)
    assert new != text, "the edit did not change anything"
    dst.write_text(new, encoding="utf-8")
    return dst


def fails(path: Path, corpus) -> str:
    report = verify(path, corpus, strict=False)
    assert not report.ok, f"verify passed after tampering with {path.name}"
    return "\n".join(report.mismatches)


def edit_csv(column: str, change) -> callable:
    def edit(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        change(rows, rows[0].index(column))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        return buf.getvalue()
    return edit


def test_untampered_copies_verify(outputs, fitted, tmp_path) -> None:
    for name in ("briefing.html", "briefing.md", "briefing.docx", "tables/themes.csv",
                 "tables/quotes.csv"):
        shutil.copy(outputs / name, tmp_path / Path(name).name)
        ev = (outputs / name).with_name(Path(name).stem + ".evidence.json")
        if ev.is_file():
            shutil.copy(ev, tmp_path / ev.name)
        assert verify(tmp_path / Path(name).name, fitted[0]).ok, name


def test_verify_catches_swapped_counts(outputs, fitted, tmp_path) -> None:
    def swap(rows, col):
        rows[1][col], rows[2][col] = rows[2][col], rows[1][col]
    themes = list(csv.reader(io.StringIO((outputs / "tables/themes.csv").read_text())))
    col = themes[0].index("n_units")
    assert themes[1][col] != themes[2][col], "the fixture needs two themes of different sizes"
    assert "n_units" in fails(tampered(outputs, tmp_path, "tables/themes.csv",
                                       edit_csv("n_units", swap)), fitted[0])


@pytest.mark.parametrize("column,value", [("share", "0.99"), ("label", "Council tax"),
                                          ("first_seen", "2019-01-01")])
def test_verify_catches_an_edited_cell(outputs, fitted, tmp_path, column, value) -> None:
    def change(rows, col):
        rows[1][col] = value
    assert column in fails(tampered(outputs, tmp_path, "tables/themes.csv",
                                    edit_csv(column, change)), fitted[0])


def test_verify_catches_edited_event_and_community_counts(outputs, fitted, tmp_path) -> None:
    def edit(text: str) -> str:
        return re.sub(r"at \d+ events?, in \d+ communit(?:y|ies)", "at 9 events, in 7 communities",
                      text, count=1)
    fails(tampered(outputs, tmp_path, "briefing.html", edit), fitted[0])


def test_verify_catches_a_quote_credited_elsewhere(outputs, fitted, tmp_path) -> None:
    block = json.loads((outputs / "briefing.evidence.json").read_text(encoding="utf-8"))
    credit = next(q["attribution"] for q in block["quotes"]
                  if "Riverside Tenants" in q["attribution"])
    assert "2024" in credit

    def edit(text: str) -> str:
        moved = re.sub(r"\d+ \w+ 2024$", "1 April 2023", credit).replace(
            "Riverside Tenants", "Northfield Carers")
        return text.replace(credit, moved, 1)
    problems = fails(tampered(outputs, tmp_path, "briefing.html", edit), fitted[0])
    assert "credit" in problems


def test_verify_catches_an_invented_blockquote(outputs, fitted, tmp_path) -> None:
    def edit(text: str) -> str:
        return text.replace("</main>", "<blockquote><p>“The council has been wonderful to us "
                            "every single time.”</p></blockquote></main>", 1)
    assert "quot" in fails(tampered(outputs, tmp_path, "briefing.html", edit), fitted[0])


def test_verify_catches_a_paraphrase_speakers_sentence(outputs, fitted, tmp_path) -> None:
    def edit(text: str) -> str:
        return text.replace("</main>", f"<p>{PARAPHRASE_SENTENCE}</p></main>", 1)
    assert "paraphrase" in fails(tampered(outputs, tmp_path, "briefing.html", edit), fitted[0])


def test_verify_catches_any_edit_inside_the_run_folder(outputs, fitted, tmp_path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(outputs, copy)
    page = copy / "briefing.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", " </main>", 1),
                    encoding="utf-8")
    assert "changed after the run" in fails(page, fitted[0])
    assert verify(copy / "briefing.md", fitted[0]).ok


# --- 6. words of people who did not agree to be quoted --------------------------------------
def test_planted_words_would_be_keywords(fitted) -> None:
    """The planted words are distinctive enough that the theme finder picks them (so the
    tests below can fail), and the wording rule removes them."""
    from listenlens.provenance.wording import MIN_PEOPLE, shown_keywords

    corpus, themes = fitted
    raw = {k for kws in themes.table["keywords"] for k in kws}
    assert PLANTED_AGGREGATE in raw
    units = list(corpus.unit_records)
    assert PLANTED_AGGREGATE not in shown_keywords([PLANTED_AGGREGATE, "damp"], units)
    assert "damp" in shown_keywords(["damp"], units)
    assert MIN_PEOPLE >= 2


def test_no_export_shows_words_without_consent(outputs) -> None:
    from listenlens.provenance.verify import document_text

    checked = 0
    for path in sorted(outputs.rglob("*")):
        if path.suffix in (".html", ".md", ".docx", ".csv"):
            body = document_text(path).lower()
            assert PLANTED_AGGREGATE not in body, path.name
            assert PLANTED_PARAPHRASE not in body, path.name
            checked += 1
    import openpyxl

    book = openpyxl.load_workbook(outputs / "tables.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(PLANTED_AGGREGATE in str(v).lower() for v in row)
    assert checked > 10


def test_verify_catches_a_planted_keyword(outputs, fitted, tmp_path) -> None:
    def change(rows, col):
        rows[1][col] = f"{PLANTED_AGGREGATE}; " + rows[1][col]
    path = tampered(outputs, tmp_path, "tables/themes.csv", edit_csv("keywords", change))
    assert PLANTED_AGGREGATE in fails(path, fitted[0])


# --- 8. atomic outputs ---------------------------------------------------------------------
def test_an_interrupted_write_leaves_the_old_run(fitted, outputs, tmp_path, monkeypatch) -> None:
    import pandas as pd

    out = tmp_path / "out"
    shutil.copytree(outputs, out)
    before = files_of(out)

    def boom(*args, **kwargs):
        raise RuntimeError("interrupted while writing")
    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)  # after the briefings are written
    with pytest.raises(RuntimeError, match="interrupted"):
        run(fitted, out)
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


@pytest.fixture(scope="module")
def rerun(fitted, outputs, tmp_path_factory):
    """The first run's bytes, then a second run of the same input and seed into a copy of the
    first run's folder that also holds a stale summary of a community no longer there."""
    out = tmp_path_factory.mktemp("rerun") / "out"
    shutil.copytree(outputs, out)
    (out / "community" / "old-community.html").write_text("<p>stale</p>", encoding="utf-8")
    first = files_of(outputs)
    run(fitted, out)
    return first, out


def test_a_rerun_leaves_nothing_of_the_old_run(rerun) -> None:
    _, out = rerun
    assert not (out / "community" / "old-community.html").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["name"] for o in manifest["outputs"]}
    assert listed | {"manifest.json", "prov.json"} == set(files_of(out))
    for entry in manifest["outputs"]:
        digest = hashlib.sha256((out / entry["name"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["name"]


def test_refuses_a_folder_that_is_not_a_run(fitted, tmp_path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"my own work")
    with pytest.raises(ListenlensError, match="not the outputs") as err:
        run(fitted, out)
    assert err.value.code == "LL500"
    assert (out / "thesis.docx").read_bytes() == b"my own work"


# --- 9. output problems found before the work ----------------------------------------------
def test_out_naming_a_file_fails_before_loading(tmp_path, monkeypatch, capsys) -> None:
    import listenlens.pipeline as pipeline

    def no_load(*args, **kwargs):
        raise AssertionError("the corpus was loaded before the output folder was checked")
    monkeypatch.setattr(pipeline, "load", no_load)
    existing = tmp_path / "report.txt"
    existing.write_text("x", encoding="utf-8")
    for out in (existing, existing / "sub"):
        assert main(["analyse", str(tmp_path), "--out", str(out), "-q"]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and str(existing) in err and "LL500" in err


def test_unwritable_output_fails_before_loading(tmp_path, monkeypatch) -> None:
    import tempfile

    import listenlens.pipeline as pipeline

    def no_load(*args, **kwargs):
        raise AssertionError("the corpus was loaded before the output folder was checked")

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(pipeline, "load", no_load)
    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    with pytest.raises(ListenlensError, match="cannot write") as err:
        analyse(tmp_path, out=tmp_path / "ro" / "out")
    assert err.value.code == "LL500"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="permissions do not stop root")
def test_read_only_folder_fails_before_loading(tmp_path, monkeypatch, capsys) -> None:
    import listenlens.pipeline as pipeline

    def no_load(*args, **kwargs):
        raise AssertionError("the corpus was loaded before the output folder was checked")
    monkeypatch.setattr(pipeline, "load", no_load)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert main(["analyse", str(tmp_path), "--out", str(locked / "out"), "-q"]) == 2
    finally:
        locked.chmod(0o755)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "LL500" in err


def test_long_community_names_make_short_unique_file_names(outputs) -> None:
    from listenlens.outputs import MAX_STEM, safe_stem

    names = [p.name for p in (outputs / "community").iterdir()]
    assert len(names) == 3 * 3  # html, docx and evidence for each community
    assert all(len(n) <= MAX_STEM + len(".evidence.json") for n in names)
    assert safe_stem(LONG) != safe_stem(LONG + "x")
    assert len(safe_stem(LONG)) <= MAX_STEM


# --- 15. byte-identical repeat runs --------------------------------------------------------
def test_repeat_runs_are_byte_identical(rerun) -> None:
    """Everything but manifest.json and prov.json (which record when the run started and
    finished, how long each step took and where the files are) is the same, byte for byte."""
    first, out = rerun
    second = files_of(out)
    differ = sorted(n for n in first if first[n] != second.get(n))
    assert differ == ["manifest.json", "prov.json"]
    assert set(first) == set(second)
    assert any(n.endswith(".svg") for n in first) and any(n.endswith(".docx") for n in first)
