"""Shared test helpers: small corpus folders written on the fly, offline model settings, and
what docstring examples may use without defining it."""

from __future__ import annotations

import ast
import doctest
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


#: Names a docstring example may use without defining them, all about the bundled example
#: corpus: the corpus, its themes (MiniLM, seed 0) and trends, a manifest, a theme id and a
#: quotable unit id. An example gets them when its code *reads* one of these names before any
#: of its lines assigns it (found from the parsed code, not from its text), and is then marked
#: ``slow``: the first such example in a test process fits the example corpus.
EXAMPLE_OBJECTS = ("corpus", "themes", "trends", "manifest", "tid", "uid")
#: Cheap names every docstring example may use without importing them.
EXAMPLE_MODULES = ("ll", "brief", "quote_text")
#: ``# doctest: +SLOW`` on a line marks its example ``slow`` (it loads a model or fits themes).
SLOW = doctest.register_optionflag("SLOW")


def names_read_before_defined(sources: list[str]) -> set[str]:
    """The names a sequence of doctest examples reads before any of them assigns it.

    >>> sorted(names_read_before_defined(["x = corpus.units", "themes = f(x)", "themes, tid"]))
    ['corpus', 'f', 'tid']
    """
    defined: set[str] = set()
    read: set[str] = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
        read |= {n.id for n in names if isinstance(n.ctx, ast.Load)} - defined
        defined |= {n.id for n in names if not isinstance(n.ctx, ast.Load)}
        defined |= {(a.asname or a.name).split(".")[0] for n in ast.walk(tree)
                    if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    return read


def _example_objects_needed(item) -> set[str]:  # noqa: ANN001 - a DoctestItem
    used = names_read_before_defined([ex.source for ex in item.dtest.examples
                                      if not ex.options.get(doctest.SKIP)])
    return (used & set(EXAMPLE_OBJECTS)) - set(item.dtest.globs)


def pytest_collection_modifyitems(items) -> None:  # noqa: ANN001 - pytest's item list
    """Docstring examples that fit the example corpus or say ``+SLOW`` are marked ``slow``."""
    from _pytest.doctest import DoctestItem

    for item in items:
        if isinstance(item, DoctestItem) and (
                _example_objects_needed(item)
                or any(ex.options.get(SLOW) for ex in item.dtest.examples)):
            item.add_marker(pytest.mark.slow)


def _example_modules() -> dict:
    import listenlens as ll
    from listenlens.provenance import quote_text

    return {"ll": ll, "brief": ll.brief, "quote_text": quote_text}


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
    return {"corpus": corpus, "themes": themes, "trends": trends,
            "manifest": ll.build_manifest(corpus, themes=themes, trends=trends),
            "tid": themes.table.theme_id.iloc[0], "uid": quotable_ids[0]}


@pytest.fixture(autouse=True)
def _doctest_setting(request):
    """Docstring examples run in a fresh folder that holds ``corpora/`` (a link to the project's),
    so they read the example corpus by its documented path and write ``out/`` nowhere in the
    repository. Names in ``EXAMPLE_MODULES`` are always there; names in ``EXAMPLE_OBJECTS`` are
    the example corpus's, given to the examples that read them without defining them."""
    from _pytest.doctest import DoctestItem

    if not isinstance(request.node, DoctestItem):
        yield
        return
    tmp = request.getfixturevalue("tmp_path")
    (tmp / "corpora").symlink_to(PROJECT / "corpora", target_is_directory=True)
    globs = request.node.dtest.globs
    globs.update({k: v for k, v in _example_modules().items() if k not in globs})
    needed = _example_objects_needed(request.node)
    if needed:
        globs.update({k: v for k, v in _doctest_objects().items() if k not in globs})
    monkey = request.getfixturevalue("monkeypatch")
    monkey.chdir(tmp)
    yield
