"""The embedding cache: content-addressed vectors on disk, so a re-run embeds only new text.

Vectors are keyed by the embedder's exact name (which pins the model, see
:mod:`listenlens.embeddings`) and the SHA-256 of the text; the files are NumPy arrays and JSON
(no pickle), written atomically, and safe to share between processes.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from .embeddings import Embedder, ensure_unit
from .outputs import write_atomic
from .validation import check_number

__all__ = ["EmbeddingCache", "CachedEmbedder", "text_key", "BLOCK_SIZE"]

#: Texts per shard when an :class:`EmbeddingCache` is made without ``block_size``: what an
#: interrupted run loses at most.
BLOCK_SIZE = 4096


def text_key(text: str) -> str:
    """SHA-256 of a text (UTF-8): the cache key of its vector under one embedder.

    >>> text_key("hello")[:12]
    '2cf24dba5fb0'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Content-addressed vectors on disk, keyed by (embedder name, SHA-256 of the text).

    Layout (no pickle anywhere): ``<directory>/<hash of embedder name>/`` holds ``model.json``
    (the embedder name and dim) and append-only shards ``shard-<hash>.npy`` (float32 rows) with
    ``shard-<hash>.json`` (the text keys of the rows, in order). A re-run embeds only texts not
    seen before and writes them as new shards of at most ``block_size`` rows, each written as
    soon as it is computed (an interrupted run resumes from the blocks it finished; default
    :data:`BLOCK_SIZE`); shards are
    compacted into one when there are more than ``max_shards``.

    >>> import tempfile
    >>> cache = EmbeddingCache(tempfile.mkdtemp())
    >>> from listenlens.embeddings import HashingEmbedder
    >>> emb = HashingEmbedder(dim=32)
    >>> x = cache.encode(emb, ["a bus", "a train", "a bus"])
    >>> cache.last_stats
    {'texts': 3, 'unique': 2, 'hits': 0, 'computed': 2}
    >>> y = cache.encode(emb, ["a train", "a tram"])
    >>> cache.last_stats["hits"], cache.last_stats["computed"]
    (1, 1)
    """

    def __init__(self, directory: str | Path, max_shards: int = 64,
                 block_size: int | None = None):
        block_size = BLOCK_SIZE if block_size is None else block_size
        check_number("block_size", block_size, low=1, whole=True)
        self.directory = Path(directory)
        self.max_shards = max_shards
        self.block_size = block_size
        self.last_stats: dict[str, int] = {}
        self._index: dict[str, dict[str, tuple[str, int]]] = {}
        self._arrays: dict[tuple[str, str], np.ndarray] = {}

    def _folder(self, name: str) -> Path:
        return self.directory / hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]

    def _load_index(self, name: str, dim: int) -> dict[str, tuple[str, int]]:
        if name in self._index:
            return self._index[name]
        folder = self._folder(name)
        index: dict[str, tuple[str, int]] = {}
        meta = folder / "model.json"
        if meta.is_file():
            info = json.loads(meta.read_text(encoding="utf-8"))
            if info.get("name") != name or int(info.get("dim", -1)) != dim:
                raise ValueError(f"cache folder {folder} holds {info}, not {name!r} dim {dim}")
            for keys_file in sorted(folder.glob("shard-*.json")):
                shard = keys_file.stem
                if not (folder / f"{shard}.npy").is_file():
                    continue
                keys = json.loads(keys_file.read_text(encoding="utf-8"))
                for row, key in enumerate(keys):
                    index.setdefault(key, (shard, row))
        self._index[name] = index
        return index

    def _shard(self, name: str, shard: str) -> np.ndarray:
        memo = (name, shard)
        if memo not in self._arrays:
            arr = np.load(self._folder(name) / f"{shard}.npy", allow_pickle=False)
            self._arrays[memo] = np.asarray(arr, dtype=np.float32)
        return self._arrays[memo]

    def _write_shard(self, name: str, dim: int, keys: list[str], vectors: np.ndarray) -> str:
        folder = self._folder(name)
        folder.mkdir(parents=True, exist_ok=True)
        meta = folder / "model.json"
        if not meta.is_file():
            write_atomic(meta, json.dumps({"name": name, "dim": dim}).encode("utf-8"))
        shard = "shard-" + hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:16]
        buf = _npy_bytes(vectors)
        write_atomic(folder / f"{shard}.npy", buf)
        write_atomic(folder / f"{shard}.json", json.dumps(keys).encode("utf-8"))
        return shard

    def get(self, embedder: Embedder, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors of those ``texts`` already in the cache, by text."""
        index = self._load_index(embedder.name, embedder.dim)
        found = {}
        for text in texts:
            hit = index.get(text_key(text))
            if hit is not None:
                try:
                    found[text] = self._shard(embedder.name, hit[0])[hit[1]]
                except FileNotFoundError:  # compacted by another process: ask again
                    self._forget(embedder.name)
                    return self.get(embedder, texts)
        return found

    def encode(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``: cached ones read, the rest computed once and stored.

        Safe with several processes sharing the folder: writes are atomic, and when another
        process compacts the shards away under this one, the index is re-read and the lookup
        retried.
        """
        for _ in range(3):
            try:
                return self._encode(embedder, texts)
            except FileNotFoundError:
                self._forget(embedder.name)
        return self._encode(embedder, texts)

    def _forget(self, name: str) -> None:
        self._index.pop(name, None)
        for memo in [m for m in self._arrays if m[0] == name]:
            del self._arrays[memo]

    def _encode(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        name, dim = embedder.name, embedder.dim
        index = self._load_index(name, dim)
        keys = [text_key(t) for t in texts]
        unique: dict[str, str] = {}
        for key, text in zip(keys, texts):
            unique.setdefault(key, text)
        missing = [k for k in unique if k not in index]
        done = 0
        for vectors in self._blocks(embedder, [unique[k] for k in missing]):
            block = missing[done:done + len(vectors)]
            if len(block) != len(vectors):
                raise ValueError(f"{name}: {len(block)} texts gave {len(vectors)} vectors")
            vectors = ensure_unit(vectors)
            shard = self._write_shard(name, dim, block, vectors)
            self._arrays[(name, shard)] = vectors
            for row, key in enumerate(block):
                index[key] = (shard, row)
            done += len(block)
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for i, key in enumerate(keys):
            shard, row = index[key]
            out[i] = self._shard(name, shard)[row]
        self.last_stats = {"texts": len(texts), "unique": len(unique),
                           "hits": len(unique) - len(missing), "computed": len(missing)}
        self._maybe_compact(name, dim)
        return out

    def _blocks(self, embedder: Embedder, texts: list[str]) -> Iterator[np.ndarray]:
        """The vectors of ``texts`` block by block, each stored as soon as it is computed, so an
        interrupted run keeps what it had done (the embedder's ``iter_encode`` when it has one:
        one progress bar over the whole run)."""
        if not texts:
            return
        streaming = getattr(embedder, "iter_encode", None)
        if callable(streaming):
            yield from streaming(texts, block_size=self.block_size)
            return
        for start in range(0, len(texts), self.block_size):
            yield np.asarray(embedder.encode(texts[start:start + self.block_size]))

    def _maybe_compact(self, name: str, dim: int) -> None:
        folder = self._folder(name)
        shards = sorted({s for s, _ in self._index[name].values()})
        if len(shards) <= self.max_shards:
            return
        keys = sorted(self._index[name])
        vectors = np.stack([self._shard(name, self._index[name][k][0])[self._index[name][k][1]]
                            for k in keys])
        new = self._write_shard(name, dim, keys, vectors)
        for old in shards:
            if old != new:
                (folder / f"{old}.json").unlink(missing_ok=True)
                (folder / f"{old}.npy").unlink(missing_ok=True)
                self._arrays.pop((name, old), None)
        self._arrays[(name, new)] = vectors
        self._index[name] = {k: (new, i) for i, k in enumerate(keys)}

    def __len__(self) -> int:
        """Number of vectors cached, over every embedder seen in this process."""
        return sum(len(v) for v in self._index.values())

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.directory)!r})"


class CachedEmbedder:
    """``embedder`` answering through ``cache``: the same ``name`` and ``dim``, and the vectors
    :meth:`EmbeddingCache.encode` gives (read when stored, else computed and stored), so code
    that takes an embedder reuses a cache without knowing of it.

    >>> from listenlens.embeddings import HashingEmbedder
    >>> import tempfile
    >>> cached = CachedEmbedder(HashingEmbedder(dim=8), EmbeddingCache(tempfile.mkdtemp()))
    >>> cached.encode(["a bus", "a bus"]).shape, cached.cache.last_stats["computed"]
    ((2, 8), 1)
    """

    def __init__(self, embedder: Embedder, cache: EmbeddingCache):
        self.embedder = embedder
        self.cache = cache

    @property
    def name(self) -> str:
        return self.embedder.name

    @property
    def dim(self) -> int:
        return self.embedder.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.cache.encode(self.embedder, list(texts))


def _npy_bytes(vectors: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
    return buf.getvalue()
