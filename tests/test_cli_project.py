"""The project commands end to end with the real model: init, add (folder, flags, duplicate),
update (build, then incremental, with outputs whose "What's new" section verifies)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE
from listenlens.cli import main

pytestmark = pytest.mark.slow


def example_part(root: Path, event_ids: list[str]) -> Path:
    """A corpus folder with some events of the example corpus (files, rows, consent)."""
    with (EXAMPLE / "events.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames or []
        rows = [r for r in reader if r["event_id"] in event_ids]
    for r in rows:
        dst = root / r["file"]
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE / r["file"], dst)
    with (root / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)
    with (EXAMPLE / "consent.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        crows = [r for r in reader if r["event_id"] in event_ids]
        ccols = reader.fieldnames or []
    with (root / "consent.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=ccols)
        w.writeheader()
        w.writerows(crows)
    return root


def test_init_add_update_and_verify(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("LISTENLENS_PROGRESS", "0")
    first = example_part(tmp_path / "first", ["rta-2023-02", "eop-2023-03", "nsw-2023-03",
                                              "myc-2023-03", "rta-2023-07", "nsw-2023-07",
                                              "myc-2023-09", "eop-2023-05"])
    proj = tmp_path / "proj"
    assert main(["init", str(proj)]) == 0
    assert main(["add", str(proj), str(first)]) == 0
    assert "added 8 event(s)" in capsys.readouterr().out
    assert main(["update", str(proj), "-q", "--format", "html", "--stability", "2"]) == 0
    out = capsys.readouterr().out
    assert "Update 0 (build)" in out and "stability" in out
    built = (proj / "_outputs" / "briefing.html").read_text(encoding="utf-8")
    assert "What's new since" not in built  # nothing is new at the first build

    # next month: one event, its metadata on the command line, then the same file again
    src = EXAMPLE / "riverside-tenants" / "rta-2023-11.srt"
    args = ["add", str(proj), str(src), "--event-id", "rta-2023-11", "--community",
            "Riverside Tenants Association", "--date", "2023-11-23", "--facilitator",
            "Jo Whitfield", "--consent", "quote", "--meta", "funder=council"]
    assert main(args) == 0
    assert "added 1 event(s) (rta-2023-11)" in capsys.readouterr().out
    assert main(args) == 0
    assert "already in the project (same content)" in capsys.readouterr().out
    assert main(["update", str(proj), "-q", "--format", "html,md"]) == 0
    out = capsys.readouterr().out
    assert "Update 1 (incremental)" in out
    briefing = proj / "_outputs" / "briefing.html"
    text = briefing.read_text(encoding="utf-8")
    assert "What&#39;s new since 27 September 2023" in text  # the newest event analysed before
    assert main(["verify", str(briefing), str(proj)]) == 0
    assert main(["verify", str(proj / "_outputs" / "briefing.md"), str(proj)]) == 0
    capsys.readouterr()
    # nothing new: the themes are unchanged and no outputs are rewritten
    before = briefing.stat().st_mtime_ns
    assert main(["update", str(proj), "-q"]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert briefing.stat().st_mtime_ns == before


def test_project_mistakes_are_one_line(tmp_path: Path, capsys):
    assert main(["update", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "not a listenlens project folder" in err and "Traceback" not in err
    assert main(["init", str(tmp_path / "p")]) == 0
    capsys.readouterr()
    note = tmp_path / "n.txt"
    note.write_text("Amina: The bus is late.\n", encoding="utf-8")
    assert main(["add", str(tmp_path / "p"), str(note)]) == 2
    assert "--event-id" in capsys.readouterr().err
    assert main(["add", str(tmp_path / "p"), str(note), "--event-id", "a", "--community", "R",
                 "--date", "2024-01-01", "--meta", "oops"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
