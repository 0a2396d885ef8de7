"""Shared test helpers: small corpus folders written on the fly, and offline model settings."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("LISTENLENS_PROGRESS", "0")
# one embedding cache for the whole test session (content-addressed, safe across xdist workers)
os.environ.setdefault("LISTENLENS_CACHE",
                      str(Path(__file__).resolve().parent / ".pytest_cache" / "embeddings"))

PROJECT = Path(__file__).resolve().parent
EXAMPLE = PROJECT / "corpora" / "examples" / "riverside"


def shared_dir() -> Path | None:
    """``../shared`` beside the project (or ``$LISTENLENS_SHARED``), if present."""
    env = os.environ.get("LISTENLENS_SHARED")
    path = Path(env) if env else PROJECT.parent / "shared"
    return path if path.is_dir() else None


def write_corpus(root: Path, events: list[dict[str, str]], files: dict[str, str | bytes],
                 consent: list[dict[str, str]] | None = None) -> Path:
    """Write a corpus folder: events.csv from dicts, transcript files, optional consent.csv."""
    import csv

    root.mkdir(parents=True, exist_ok=True)
    cols = ["event_id", "community", "date", "place", "format", "file", "facilitator"]
    extra = sorted({k for e in events for k in e} - set(cols))
    with (root / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols + extra)
        w.writeheader()
        for e in events:
            w.writerow({c: e.get(c, "") for c in cols + extra})
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if consent is not None:
        with (root / "consent.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=["event_id", "speaker", "consent"])
            w.writeheader()
            w.writerows(consent)
    return root


@pytest.fixture(scope="session")
def nlp():
    """The redaction spaCy pipeline (tok2vec + ner), loaded once per test process."""
    from listenlens.provenance.redact import ner_pipeline

    return ner_pipeline()


@pytest.fixture
def small_corpus_dir(tmp_path: Path) -> Path:
    """Two communities, three events, txt transcripts, consent with all levels."""
    return write_corpus(
        tmp_path / "corpus",
        [
            {"event_id": "e1", "community": "Riverside", "date": "2024-02-01", "place": "Hall",
             "format": "focus group", "file": "e1.txt", "facilitator": "Jo", "funder": "council"},
            {"event_id": "e2", "community": "Riverside", "date": "2024-09-12", "place": "Hall",
             "format": "drop-in", "file": "e2.txt", "facilitator": "Jo"},
            {"event_id": "e3", "community": "Northfield", "date": "2025-01-20",
             "place": "Library", "format": "focus group", "file": "notes/e3.txt",
             "facilitator": "Sam Lee"},
        ],
        {
            "e1.txt": "[00:00:05] Jo: Welcome, thanks for coming.\n"
                      "Amina: The damp in the back bedroom is back,\n  and the landlord blames us.\n"
                      "\n(laughter)\nBen: The 42 bus never comes on time.\n"
                      "Carl: I don't want this recorded.\n",
            "e2.txt": "Jo: Let's start.\nAmina: Still damp. Still mould.\n"
                      "Dee: Energy bills have doubled since last winter.\n",
            "notes/e3.txt": "Sam Lee: Hello all.\nFatima: We need interpreters at the GP.\n"
                            "Fatima: We need interpreters at the GP.\n\nNo speaker on this line.\n",
        },
        consent=[
            {"event_id": "e1", "speaker": "*", "consent": "quote"},
            {"event_id": "e1", "speaker": "Carl", "consent": "withdrawn"},
            {"event_id": "e1", "speaker": "Ben", "consent": "aggregate"},
            {"event_id": "e2", "speaker": "", "consent": "quote"},
            {"event_id": "e2", "speaker": "Dee", "consent": "paraphrase"},
        ],
    )


@functools.lru_cache(maxsize=1)
def _doctest_objects() -> dict:
    """The objects the docstring examples use: the example corpus, its themes and trends.

    Built once per test process, with the session's embedding cache, when a doctest first
    needs them."""
    import listenlens as ll

    corpus = ll.load(EXAMPLE)
    themes = ll.find_themes(corpus, seed=0, cache_dir=os.environ["LISTENLENS_CACHE"])
    trends = ll.track(themes, period="year", by="community")
    quotable_ids = [u.unit_id for u in corpus if u.consent == "quote" and u.role == "participant"]
    from listenlens.provenance import quote_text

    return {"ll": ll, "brief": ll.brief, "quote_text": quote_text, "corpus": corpus, "themes": themes, "trends": trends,
            "manifest": ll.build_manifest(corpus, themes=themes, trends=trends),
            "tid": themes.table.theme_id.iloc[0], "uid": quotable_ids[0]}


@pytest.fixture(autouse=True)
def _doctest_setting(request):
    """Docstring examples run in a fresh folder that holds ``corpora/`` (a link to the project's),
    so they read the example corpus by its documented path and write ``out/`` nowhere in the
    repository; names they use without defining (``corpus``, ``themes``, ``trends``, ``tid``,
    ``uid``, ``manifest``) are the example corpus's."""
    from _pytest.doctest import DoctestItem

    if not isinstance(request.node, DoctestItem):
        yield
        return
    tmp = request.getfixturevalue("tmp_path")
    (tmp / "corpora").symlink_to(PROJECT / "corpora", target_is_directory=True)
    source = "\n".join(ex.source for ex in request.node.dtest.examples)
    if any(name in source for name in ("corpus", "themes", "trends", "manifest", "tid", "uid")):
        request.node.dtest.globs.update(
            {k: v for k, v in _doctest_objects().items() if k not in request.node.dtest.globs})
    monkey = request.getfixturevalue("monkeypatch")
    monkey.chdir(tmp)
    yield
