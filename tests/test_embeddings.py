"""Embedders and the content-addressed embedding cache."""

from __future__ import annotations

import numpy as np
import pytest

from listenlens.embeddings import (
    CallableEmbedder,
    Embedder,
    EmbeddingCache,
    HashingEmbedder,
    MiniLMEmbedder,
    embed,
    text_key,
)


class CountingEmbedder:
    """Wraps an embedder and counts the texts it was asked to encode."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.name = inner.name
        self.calls: list[int] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return self.inner.encode(texts)


def test_hashing_embedder_is_deterministic_normalised_and_float32():
    emb = HashingEmbedder(dim=64)
    texts = ["The damp is back in the bedroom.", "The 42 bus never comes.", ""]
    a, b = emb.encode(texts), HashingEmbedder(dim=64).encode(texts)
    assert a.dtype == np.float32 and a.shape == (3, 64)
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a[:2], axis=1), 1.0, atol=1e-5)
    assert np.allclose(a[2], 0.0)  # nothing to hash in an empty text
    assert isinstance(emb, Embedder)
    with pytest.raises(ValueError):
        HashingEmbedder(dim=4)


def test_hashing_embedder_sees_shared_words():
    emb = HashingEmbedder()
    damp, mould, bus = emb.encode(["damp and mould in the flat", "mould and damp again",
                                   "the bus timetable changed"])
    assert damp @ mould > damp @ bus + 0.3


def test_callable_embedder_normalises_and_checks_shape():
    emb = CallableEmbedder(lambda ts: np.ones((len(ts), 3)) * 2.0, name="ones-v1")
    x = emb.encode(["a", "b"])
    assert x.shape == (2, 3) and np.allclose(np.linalg.norm(x, axis=1), 1.0)
    assert emb.dim == 3
    bad = CallableEmbedder(lambda ts: np.ones((1, 3)), name="bad-v1")
    with pytest.raises(ValueError, match="2 texts gave 1 vectors"):
        bad.encode(["a", "b"])
    with pytest.raises(ValueError):
        CallableEmbedder(lambda ts: ts, name="")


def test_cache_embeds_only_new_text_and_gives_identical_vectors(tmp_path):
    emb = CountingEmbedder(HashingEmbedder(dim=32))
    cache = EmbeddingCache(tmp_path)
    first = cache.encode(emb, ["bus", "damp", "bus", "mould"])
    assert emb.calls == [3]  # duplicates embedded once
    assert cache.last_stats == {"texts": 4, "unique": 3, "hits": 0, "computed": 3}
    # a fresh cache object (a new process) reads the shards from disk
    again = EmbeddingCache(tmp_path).encode(emb, ["mould", "bus", "damp", "heating"])
    assert emb.calls == [3, 1]  # only "heating" is new
    assert np.array_equal(again[:3], first[[3, 0, 1]])
    assert np.array_equal(again, HashingEmbedder(dim=32).encode(["mould", "bus", "damp",
                                                                 "heating"]))
    files = sorted(p.suffix for p in tmp_path.rglob("*") if p.is_file())
    assert set(files) == {".json", ".npy"}  # no pickle anywhere
    for npy in tmp_path.rglob("*.npy"):
        np.load(npy, allow_pickle=False)


def test_cache_keeps_models_apart_and_compacts(tmp_path):
    cache = EmbeddingCache(tmp_path, max_shards=2)
    a = cache.encode(HashingEmbedder(dim=16), ["one"])
    b = cache.encode(HashingEmbedder(dim=24), ["one"])
    assert a.shape == (1, 16) and b.shape == (1, 24)
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 2
    emb = HashingEmbedder(dim=16)
    for word in ["two", "three", "four"]:
        cache.encode(emb, [word])
    folder = next(p for p in tmp_path.iterdir() if (p / "model.json").read_text().count("16"))
    assert len(list(folder.glob("shard-*.npy"))) <= 2
    fresh = EmbeddingCache(tmp_path)
    assert np.array_equal(fresh.encode(emb, ["one", "four"]), emb.encode(["one", "four"]))
    assert fresh.last_stats["computed"] == 0


def test_embed_helper_and_text_key(tmp_path):
    x = embed(["a b", "c d"], HashingEmbedder(dim=16), cache_dir=tmp_path)
    assert x.shape == (2, 16)
    assert text_key("a") != text_key("a ")


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.mark.slow
def test_minilm_is_offline_normalised_and_named_by_its_files(minilm, tmp_path):
    assert minilm.name.startswith("all-MiniLM-L6-v2@")
    assert len(minilm.name.split("@")[1].removesuffix("+onnx")) == 16
    assert minilm.dim == 384
    x = minilm.encode(["There is black mould in my son's bedroom.",
                       "Damp and mould keep coming back in our flat.",
                       "The bus to the hospital was cancelled again."])
    assert x.shape == (3, 384) and x.dtype == np.float32
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-4)
    assert x[0] @ x[1] > x[0] @ x[2] + 0.2
    assert minilm.model is MiniLMEmbedder().model  # loaded once per process
    cached = EmbeddingCache(tmp_path).encode(minilm, ["The bus to the hospital was cancelled "
                                                      "again."])
    assert np.allclose(cached[0], x[2], atol=1e-5)


def test_cache_recovers_when_another_process_compacts_its_shards(tmp_path):
    emb = HashingEmbedder(dim=16)
    mine = EmbeddingCache(tmp_path)
    mine.encode(emb, ["one", "two"])
    other = EmbeddingCache(tmp_path, max_shards=1)
    other.encode(emb, ["three"])  # two shards on disk: the other process compacts them
    assert len(list(tmp_path.rglob("shard-*.npy"))) == 1
    mine._arrays.clear()  # force reading from disk, where the old shard is gone
    again = mine.encode(emb, ["one", "three"])
    assert np.array_equal(again, emb.encode(["one", "three"]))
    assert set(mine.get(emb, ["two", "four"])) == {"two"}


class FailingAfter:
    """A hashing embedder that breaks (as an interrupted run would) after ``limit`` texts."""

    def __init__(self, limit: int):
        self.inner = HashingEmbedder(dim=16)
        self.name = self.inner.name
        self.limit = limit
        self.seen = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        if self.seen + len(texts) > self.limit:
            raise KeyboardInterrupt("interrupted")
        self.seen += len(texts)
        return self.inner.encode(texts)


def test_cache_stores_each_block_as_computed_so_an_interrupted_run_resumes(tmp_path):
    texts = [f"unit number {i}" for i in range(10)]
    with pytest.raises(KeyboardInterrupt):
        EmbeddingCache(tmp_path, block_size=4).encode(FailingAfter(8), texts)
    assert len(list(tmp_path.rglob("shard-*.npy"))) == 2  # the two finished blocks are kept
    again = CountingEmbedder(HashingEmbedder(dim=16))
    cache = EmbeddingCache(tmp_path, block_size=4)
    x = cache.encode(again, texts)
    assert again.calls == [2] and cache.last_stats["hits"] == 8
    assert np.array_equal(x, HashingEmbedder(dim=16).encode(texts))
    with pytest.raises(ValueError, match="block_size"):
        EmbeddingCache(tmp_path, block_size=0)


def test_minilm_backend_is_part_of_its_name_and_checked():
    from listenlens.embeddings import BACKENDS, DEFAULT_BACKEND, embedding_backend

    onnx, torch = MiniLMEmbedder(backend="onnx"), MiniLMEmbedder(backend="torch")
    assert onnx.name == torch.name + "+onnx"
    assert embedding_backend(onnx.name) == "onnx" and embedding_backend(torch.name) == "torch"
    assert embedding_backend(HashingEmbedder().name) == ""
    assert MiniLMEmbedder().backend_ == DEFAULT_BACKEND in BACKENDS
    with pytest.raises(ValueError, match="unknown embedding backend 'tpu'"):
        _ = MiniLMEmbedder(backend="tpu").name


def test_onnx_backend_refuses_a_model_without_mean_pooling(tmp_path):
    from listenlens.embed_onnx import export_onnx

    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        '{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}')
    with pytest.raises(ValueError, match="mean pooling only"):
        export_onnx(tmp_path, tmp_path / "model.onnx")
    assert not (tmp_path / "model.onnx").exists()


@pytest.mark.slow
def test_onnx_backend_exports_once_and_matches_torch(tmp_path, minilm):
    texts = ["There is black mould in my son's bedroom.", "Bus.",
             "The bus to the hospital was cancelled again, and nobody told us why. " * 3,
             "We need more youth clubs open in the evenings.", ""]
    onnx = MiniLMEmbedder(backend="onnx", cache_dir=tmp_path, batch_size=2)
    x = onnx.encode(texts)
    exported = list((tmp_path / "onnx").rglob("*.onnx"))
    assert len(exported) == 1 and exported[0].name == "model.onnx"
    assert not list((tmp_path / "onnx").rglob(".export-*"))  # no temporary file left
    stamp = exported[0].stat().st_mtime_ns
    y = MiniLMEmbedder(backend="torch").encode(texts)
    assert x.shape == y.shape == (5, 384) and x.dtype == np.float32
    assert float(np.abs(x - y).max()) < 1e-5
    assert float((x * y).sum(axis=1)[:4].min()) > 0.99999
    again = MiniLMEmbedder(backend="onnx", cache_dir=tmp_path, batch_size=64).encode(texts[:2])
    assert exported[0].stat().st_mtime_ns == stamp  # read from the cache folder, not re-exported
    assert np.allclose(again, x[:2], atol=1e-5)


def test_manifest_records_the_embedding_backend(tmp_path):
    import listenlens as ll
    from listenlens.provenance import build_manifest
    from listenlens.provenance.manifest import RunManifest
    from listenlens.synthetic import make_corpus

    make_corpus(tmp_path / "c", n_units=60, seed=1)
    corpus = ll.load(tmp_path / "c", progress=False)

    class Fitted:  # the public shape build_manifest reads: params with the embedder name
        def __init__(self, name: str):
            self.params = {"embedder": name}

    names = {"onnx": MiniLMEmbedder(backend="onnx").name,
             "torch": MiniLMEmbedder(backend="torch").name, "": HashingEmbedder().name}
    for backend, name in names.items():
        m = build_manifest(corpus, themes=Fitted(name))
        assert m.embedding_backend == backend
        assert RunManifest.from_json(m.to_json()).embedding_backend == backend


class BatchSensitive(FailingAfter):
    """Vectors that depend (slightly) on which texts share a call, as padded batches do."""

    def encode(self, texts: list[str]) -> np.ndarray:
        x = super().encode(texts)
        x[:, 0] += 1e-3 * len(texts) + 1e-4 * sum(len(t) for t in texts)
        return x


def test_resumed_run_gives_the_vectors_of_an_uninterrupted_one(tmp_path):
    texts = [f"unit number {i} " + "x" * i for i in range(11)]
    whole = EmbeddingCache(tmp_path / "a", block_size=4).encode(BatchSensitive(100), texts)
    with pytest.raises(KeyboardInterrupt):
        EmbeddingCache(tmp_path / "b", block_size=4).encode(BatchSensitive(4), texts)
    resumed = EmbeddingCache(tmp_path / "b", block_size=4).encode(BatchSensitive(100), texts)
    assert np.array_equal(resumed, whole)  # same blocks, so the same batches, after a resume
