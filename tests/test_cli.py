"""The command line: reports, help, and one-line errors with a non-zero exit."""

from __future__ import annotations

import subprocess
import sys

from listenlens.cli import main


def test_load_prints_the_report(small_corpus_dir, capsys):
    assert main(["load", str(small_corpus_dir), "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("10 units from 3 files (3 events, 2 communities), 2 skipped")


def test_load_verbose_and_save(small_corpus_dir, tmp_path, capsys):
    assert main(["load", str(small_corpus_dir), "-q", "-v", "--save", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "consent-withdrawn" in out and "Northfield" in out
    assert (tmp_path / "s" / "manifest.json").is_file()


def test_user_mistakes_are_one_line_without_traceback(tmp_path, capsys):
    (tmp_path / "events.csv").write_text("event_id,community,date,file\ne1,R,2024-13-01,a.txt\n")
    assert main(["load", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0
    assert "events.csv:2:" in err and "Traceback" not in err
    assert main(["load", str(tmp_path / "missing")]) == 2


def test_help_and_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "listenlens", "load", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "corpus folder" in done.stdout
    done = subprocess.run([sys.executable, "-m", "listenlens", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.stdout.startswith("listenlens ")


def test_analyse_with_an_unknown_format_is_one_clear_line(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["analyse", "corpora/examples/riverside", "--out", str(out), "--format",
                 "html,pdf", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert "[LL001]" in err and "format must be one of html, docx, md; got 'pdf'" in err
    assert not out.exists()  # refused before any folder was prepared or anything analysed


def test_period_choices_are_the_trends_periods():
    import argparse

    from listenlens.cli import build_parser
    from listenlens.trends.counting import PERIODS

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for command in ("analyse", "init"):
        period = next(a for a in sub.choices[command]._actions if a.dest == "period")
        assert tuple(period.choices) == PERIODS and period.default in PERIODS
