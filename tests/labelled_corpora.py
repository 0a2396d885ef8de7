"""Helpers the tests of the bundled labelled corpora share (Saltmere, Brackenfold): read their
CSV tables, and rebuild a corpus from a copy of its build script."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file as dictionaries."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def rebuilt(folder: Path, tmp_path: Path) -> Path:
    """Run a copy of ``folder``'s ``_build/make_corpus.py`` (with the shared ``_builders`` it
    imports, copied beside it as in the checkout) under ``tmp_path``; returns the copy's root."""
    copy = tmp_path / folder.name
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(folder / "_build", copy / "_build", ignore=skip)
    shutil.copytree(folder.parent / "_builders", tmp_path / "_builders", ignore=skip)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run([sys.executable, str(copy / "_build" / "make_corpus.py")], check=True,
                   env=env, timeout=300)
    return copy


def built_files(root: Path, *, readme: bool = True) -> list[Path]:
    """The files a build writes under ``root`` (the build scripts left out; ``readme=False``
    leaves out README.md too, which is written by hand), relative and sorted."""
    return sorted(p.relative_to(root) for p in root.rglob("*")
                  if p.is_file() and "_build" not in p.parts
                  and (readme or p.name != "README.md"))
