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


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_cli_analyse_on_a_scheduler_matches_the_local_run_and_is_recorded(
        client, corpus, tmp_path, monkeypatch) -> None:
    from listenlens import cli, pipeline
    from listenlens.provenance.manifest import RunManifest

    # the hashing embedder stands in for MiniLM (a model load per worker process is slow in CI)
    monkeypatch.setattr(pipeline, "make_embedder", lambda name, **kw: HashingEmbedder(dim=128))
    root = str(corpus.root)
    base = ["analyse", root, "--format", "md", "-q"]
    assert cli.main([*base, "--out", str(tmp_path / "here"), "--cache-dir",
                     str(tmp_path / "c1")]) == 0
    address = client.scheduler.address
    assert cli.main([*base, "--out", str(tmp_path / "there"), "--cache-dir",
                     str(tmp_path / "c2"), "--scheduler", address]) == 0
    for name in ("themes.csv", "trends.csv", "quotes.csv"):
        here = (tmp_path / "here" / "tables" / name).read_bytes()
        assert here == (tmp_path / "there" / "tables" / name).read_bytes(), name
    runs = [RunManifest.from_json((tmp_path / d / "manifest.json").read_text()).params["run"]
            for d in ("here", "there")]
    assert runs[0]["scheduler"] is None and runs[1]["scheduler"] == address
    # the workers wrote the shared cache: the client's own cache folder was filled remotely
    assert list((tmp_path / "c2").rglob("shard-*.npy"))


def test_cli_says_clearly_when_the_scheduler_cannot_be_used(corpus, tmp_path, capsys,
                                                             monkeypatch) -> None:
    from listenlens import cli

    base = ["analyse", str(corpus.root), "--out", str(tmp_path / "out"), "-q"]
    address = f"tcp://127.0.0.1:{_closed_port()}"
    assert cli.main([*base, "--scheduler", address, "--scheduler-timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert f"could not reach a Dask scheduler at '{address}' within 1 s" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()
    assert cli.main([*base, "--scheduler", address, "--no-cache"]) == 2
    assert "--no-cache" in capsys.readouterr().err
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)  # extra not installed
    assert cli.main([*base, "--scheduler", address]) == 2
    assert 'needs the "dask" extra' in capsys.readouterr().err
