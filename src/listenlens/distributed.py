"""Embedding on a Dask cluster (optional: ``pip install "listenlens[dask]"``).

:func:`embed_on_cluster` gives exactly the vectors the local path
(:meth:`~listenlens.embeddings.EmbeddingCache.encode`) gives, with the embedding spread over the
workers of a ``dask.distributed`` client:

1. the texts not yet in the embedding cache are cut into the same blocks the local path would
   embed (``block_size`` texts, in order of first appearance);
2. each block is one task: the worker embeds it through its own
   :class:`~listenlens.embeddings.EmbeddingCache` on the shared cache folder, which writes the
   block as one shard (atomically, under the name the local path would give it). The embedder
   is sent to the worker, not the model: the model is loaded on the worker's first block and
   kept there for the rest of the run, once per worker process;
3. the client reads every vector back from the cache.

Only texts travel to the workers and only counts come back, so no user data is pickled beyond
what Dask moves. The cache folder must be one every worker can reach (a shared disk on a real
cluster). Because the blocks are the local path's blocks, an interrupted distributed run
resumes from its cache like a local one, and a local run can reuse a distributed run's cache.

>>> from distributed import Client, LocalCluster                              # doctest: +SKIP
>>> from listenlens.embeddings import MiniLMEmbedder                           # doctest: +SKIP
>>> with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
...     x = embed_on_cluster(["a bus", "a train"], MiniLMEmbedder(), "cache", client)
...                                                                            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .embedding_cache import BLOCK_SIZE
from .embeddings import Embedder, EmbeddingCache, text_key
from .errors import AnalysisError

__all__ = ["embed_on_cluster", "embed_block", "missing_blocks", "connect",
           "scheduler_address", "CONNECT_TIMEOUT"]

#: Seconds :func:`connect` waits for a scheduler before giving up.
CONNECT_TIMEOUT = 10.0


def connect(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A ``distributed.Client`` for the scheduler at ``address`` (``tcp://host:8786``).

    Clear errors (:class:`~listenlens.errors.AnalysisError`) when the optional ``dask`` extra
    is not installed, and when no scheduler answers at ``address`` within ``timeout`` seconds.
    The caller closes the client (it is a context manager).
    """
    try:
        from distributed import Client
    except ImportError as err:
        raise AnalysisError('running on a Dask cluster (--scheduler) needs the "dask" extra: '
                            'pip install "listenlens[dask]"') from err
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise AnalysisError(f"could not reach a Dask scheduler at {address!r} within "
                            f"{timeout:g} s ({type(err).__name__}: {err}); start one with "
                            "`dask scheduler` and give its address (tcp://HOST:8786)") from err


def scheduler_address(client: Any) -> str:
    """The address of the scheduler a ``distributed.Client`` is connected to (what a run's
    manifest records)."""
    return str(client.scheduler.address)


def missing_blocks(cache: EmbeddingCache, embedder: Embedder, texts: Sequence[str]
                   ) -> list[list[str]]:
    """The texts ``cache`` does not hold yet, unique, in order of first appearance, cut into
    blocks of ``cache.block_size``: the blocks the local path would embed and store.

    >>> import tempfile
    >>> from listenlens.embeddings import HashingEmbedder
    >>> cache = EmbeddingCache(tempfile.mkdtemp(), block_size=2)
    >>> missing_blocks(cache, HashingEmbedder(dim=8), ["a", "b", "a", "c"])
    [['a', 'b'], ['c']]
    """
    known = cache.get(embedder, texts)
    unique: dict[str, str] = {}
    for text in texts:
        if text not in known:
            unique.setdefault(text_key(text), text)
    todo = list(unique.values())
    size = int(cache.block_size)
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def embed_block(texts: list[str], embedder: Embedder, cache_dir: str, block_size: int) -> int:
    """Embed one block into the shared cache (runs on a worker); returns how many texts were
    computed (0 when another worker or an earlier run had stored them already)."""
    cache = EmbeddingCache(cache_dir, block_size=block_size)
    cache.encode(embedder, texts)
    return int(cache.last_stats.get("computed", 0))


def embed_on_cluster(texts: Sequence[str], embedder: Embedder, cache_dir: str | Path,
                     client: Any, *, block_size: int | None = None) -> np.ndarray:
    """Vectors for ``texts``, the missing ones embedded on the workers of ``client`` (a
    ``distributed.Client``), through the embedding cache in ``cache_dir`` (a folder every
    worker can reach). The same vectors, row for row, as
    ``EmbeddingCache(cache_dir).encode(embedder, texts)`` (blocks of ``block_size`` texts,
    default :data:`~listenlens.embedding_cache.BLOCK_SIZE`, as there).
    """
    if cache_dir is None:
        raise AnalysisError("embedding on a Dask cluster needs a cache folder every worker can "
                            "reach (cache_dir)")
    cache_dir = str(Path(cache_dir).resolve())
    texts = list(texts)
    block_size = BLOCK_SIZE if block_size is None else int(block_size)
    blocks = missing_blocks(EmbeddingCache(cache_dir, block_size=block_size), embedder, texts)
    if blocks:
        futures = client.map(embed_block, blocks, embedder=embedder, cache_dir=cache_dir,
                             block_size=block_size, pure=False)
        client.gather(futures)
    return EmbeddingCache(cache_dir, block_size=block_size).encode(embedder, texts)
