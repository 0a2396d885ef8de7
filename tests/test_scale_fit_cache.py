"""A re-run of the same analysis reads its fitted themes from the cache instead of fitting
them again, and writes the same bytes as the first run; anything the fit depends on changes
the key."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from listenlens import pipeline
from listenlens.embeddings import HashingEmbedder
from listenlens.pipeline import analyse
from listenlens.synthetic import make_corpus
from listenlens.themes import model
from listenlens.themes.fit_cache import fit_key, load_fit, store_fit


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> ll.Corpus:
    root = tmp_path_factory.mktemp("fitcache") / "corpus"
    make_corpus(root, n_units=300, seed=5)
    return ll.load(root, progress=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_stored_themes_come_back_equal(corpus: ll.Corpus, tmp_path: Path) -> None:
    themes = ll.find_themes(corpus, embedder=HashingEmbedder(dim=64), seed=0, progress=False)
    ids = [u.unit_id for u in corpus.unit_records]
    key = fit_key(themes.embeddings, ids, corpus_hash=corpus.input_hash, settings={"seed": 0})
    assert load_fit(tmp_path, key, corpus, themes.embeddings, ids) == (None, "none stored")
    store_fit(tmp_path, key, themes)
    again, outcome = load_fit(tmp_path, key, corpus, themes.embeddings, ids)
    assert outcome == "reused"
    pd.testing.assert_frame_equal(again.assignments, themes.assignments)
    pd.testing.assert_frame_equal(again.table, themes.table)
    assert again.params == themes.params and again.theme_ids == themes.theme_ids
    for tid in themes.theme_ids:
        assert again.label(tid) == themes.label(tid)
        assert np.array_equal(again.fields()["centroids"][tid], themes.fields()["centroids"][tid])
        assert again.quotes(tid).equals(themes.quotes(tid))


def test_a_changed_entry_is_refused(corpus: ll.Corpus, tmp_path: Path) -> None:
    themes = ll.find_themes(corpus, embedder=HashingEmbedder(dim=64), seed=0, progress=False)
    ids = [u.unit_id for u in corpus.unit_records]
    folder = store_fit(tmp_path, "k" * 32, themes)
    (folder / "centroids.npy").write_bytes((folder / "centroids.npy").read_bytes()[:-4] + b"\0" * 4)
    got, outcome = load_fit(tmp_path, "k" * 32, corpus, themes.embeddings, ids)
    assert got is None and "changed since it was written (centroids.npy)" in outcome


def test_the_key_follows_every_input() -> None:
    x = np.eye(3, dtype=np.float32)
    base = fit_key(x, ["a", "b", "c"], corpus_hash="h", settings={"seed": 0, "k": None})
    assert base == fit_key(x.copy(), ["a", "b", "c"], corpus_hash="h",
                           settings={"k": None, "seed": 0})
    y = x.copy()
    y[0, 0] = np.nextafter(np.float32(1), np.float32(2))
    for other in (fit_key(y, ["a", "b", "c"], corpus_hash="h", settings={"seed": 0, "k": None}),
                  fit_key(x, ["a", "c", "b"], corpus_hash="h", settings={"seed": 0, "k": None}),
                  fit_key(x, ["a", "b", "c"], corpus_hash="i", settings={"seed": 0, "k": None}),
                  fit_key(x, ["a", "b", "c"], corpus_hash="h", settings={"seed": 1, "k": None}),
                  fit_key(x[:2], ["a", "b"], corpus_hash="h", settings={"seed": 0, "k": None})):
        assert other != base


@pytest.mark.slow
def test_a_rerun_reuses_the_fit_and_writes_the_same_bytes(corpus: ll.Corpus, tmp_path: Path,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "make_embedder", lambda name, **kw: HashingEmbedder(dim=64))
    first = analyse(corpus, out=tmp_path / "a", cache_dir=tmp_path / "cache", progress=False)
    assert first.manifest.params["run"]["theme_fit"]["cache"] == "stored"

    def no_fit(self, corpus, embeddings=None):  # noqa: ANN001 - the second run must not fit
        raise AssertionError("fitted again")

    monkeypatch.setattr(model.ThemeModel, "fit", no_fit)
    second = analyse(corpus, out=tmp_path / "b", cache_dir=tmp_path / "cache", progress=False)
    record = second.manifest.params["run"]["theme_fit"]
    assert record == {"cache": "reused", "key": first.manifest.params["run"]["theme_fit"]["key"]}
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert set(a) == set(b) and len(a) > 10
    assert sorted(n for n in a if a[n] != b[n]) == ["manifest.json", "prov.json"]
    pa = json.loads(a["manifest.json"])["params"]
    pb = json.loads(b["manifest.json"])["params"]
    assert pa["find_themes"] == pb["find_themes"]

    # another seed is another fit
    with pytest.raises(AssertionError, match="fitted again"):
        analyse(corpus, out=tmp_path / "c", cache_dir=tmp_path / "cache", progress=False, seed=1)


def test_a_cache_that_cannot_be_written_is_recorded_not_fatal(corpus: ll.Corpus, tmp_path: Path,
                                                              monkeypatch) -> None:
    from listenlens import pipeline
    from listenlens.themes import fit_cache

    def refuse(*_args, **_kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(pipeline, "make_embedder", lambda name, **kw: HashingEmbedder(dim=32))
    monkeypatch.setattr(fit_cache, "store_fit", refuse)
    result = pipeline.analyse(corpus, cache_dir=tmp_path / "cache", progress=False)
    record = result.manifest.params["run"]["theme_fit"]
    assert record["cache"] == "not stored (PermissionError: read-only)" and len(record["key"]) == 32
    assert len(result.themes.table) > 0


def test_a_fit_given_the_vectors_equals_one_that_reads_them(corpus: ll.Corpus) -> None:
    embedder = HashingEmbedder(dim=64)
    read = model.ThemeModel(seed=0, embedder=embedder, progress=False).fit(corpus).themes_
    given = model.ThemeModel(seed=0, embedder=embedder, progress=False).fit(
        corpus, embeddings=read.embeddings).themes_
    pd.testing.assert_frame_equal(given.assignments, read.assignments)
    assert given.theme_ids == read.theme_ids
    with pytest.raises(ll.AnalysisError, match="embeddings of shape"):
        model.ThemeModel(seed=0, embedder=embedder, progress=False).fit(
            corpus, embeddings=read.embeddings[:, :32])
