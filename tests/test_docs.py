"""The documentation builds with warnings as errors, and its API pages render the docstrings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT


@pytest.mark.slow
def test_docs_build_strict(tmp_path):
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                           str(site)], cwd=PROJECT, capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "check_spans" in api and "open_corpus" in api
    assert "Keep a Changelog" in (site / "changelog" / "index.html").read_text(encoding="utf-8")
    # the built site makes no requests to outside hosts for fonts
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in index


def test_every_docs_page_is_in_the_nav():
    import yaml

    nav = yaml.safe_load((PROJECT / "mkdocs.yml").read_text())["nav"]

    def pages(items):
        for item in items:
            for value in item.values():
                yield from (pages(value) if isinstance(value, list) else [value])

    listed = set(pages(nav))
    on_disk = {p.relative_to(PROJECT / "docs").as_posix()
               for p in Path(PROJECT / "docs").rglob("*.md")}
    assert on_disk - listed == set(), "pages missing from mkdocs.yml nav"
