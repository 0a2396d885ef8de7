"""Embedding on a Dask LocalCluster gives exactly the single-process result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from listenlens.distributed import embed_on_cluster, missing_blocks
from listenlens.embeddings import EmbeddingCache, HashingEmbedder
from listenlens.errors import AnalysisError
from listenlens.synthetic import make_corpus

distributed = pytest.importorskip("distributed", reason="the optional 'dask' extra")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ll.Corpus:
    root = tmp_path_factory.mktemp("dask") / "corpus"
    make_corpus(root, n_units=300, seed=5)
    return ll.load(root, progress=False)


def test_blocks_are_the_local_paths_blocks(tmp_path: Path) -> None:
    emb = HashingEmbedder(dim=16)
    cache = EmbeddingCache(tmp_path, block_size=3)
    cache.encode(emb, ["b"])
    assert missing_blocks(cache, emb, ["a", "b", "c", "a", "d", "e"]) == [["a", "c", "d"], ["e"]]


def test_cluster_embeddings_and_shards_match_the_local_path(client, corpus, tmp_path) -> None:
    texts = [u.text for u in corpus.unit_records]
    emb = HashingEmbedder(dim=64)
    local = EmbeddingCache(tmp_path / "local", block_size=64).encode(emb, texts)
    remote = embed_on_cluster(texts, emb, tmp_path / "remote", client, block_size=64)
    assert np.array_equal(local, remote)
    names = sorted(p.name for p in (tmp_path / "local").rglob("shard-*"))
    assert len(names) > 2
    assert names == sorted(p.name for p in (tmp_path / "remote").rglob("shard-*"))
    # both workers took part
    assert len(client.scheduler_info()["workers"]) == 2


def test_find_themes_on_a_cluster_is_identical(client, corpus, tmp_path) -> None:
    emb = HashingEmbedder(dim=128)
    alone = ll.find_themes(corpus, seed=0, embedder=emb, cache_dir=tmp_path / "a")
    spread = ll.find_themes(corpus, seed=0, embedder=emb, cache_dir=tmp_path / "b",
                            client=client)
    assert np.array_equal(alone.embeddings, spread.embeddings)
    pd.testing.assert_frame_equal(alone.assignments, spread.assignments)
    pd.testing.assert_frame_equal(alone.table, spread.table)
    assert len(alone.table) >= 2
    a = ll.track(alone, period="year", by="community", seed=0)
    b = ll.track(spread, period="year", by="community", seed=0)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_a_cluster_needs_a_shared_cache_folder(client, corpus) -> None:
    with pytest.raises(AnalysisError, match="cache"):
        ll.find_themes(corpus, embedder=HashingEmbedder(), client=client)
