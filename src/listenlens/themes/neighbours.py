"""Exact nearest neighbours by cosine similarity, computed in blocks.

UMAP finds each row's neighbours exactly below 4,096 rows and with NN-descent (pynndescent) above.
NN-descent is approximate (on 12,000 MiniLM vectors of a synthetic corpus it found 95% of the
true 15 neighbours) and its numba code is compiled anew in every process, which cost about half
of UMAP's CPU time at that size. :func:`exact_knn` gives the exact neighbours with one matrix
product per block of rows, so the memory stays ``O(block x n)`` and the time is a few seconds
for tens of thousands of rows; :func:`listenlens.themes.discover.reduce` hands them to UMAP from
:data:`EXACT_KNN_FROM` rows on. The same table, a column longer, gives the graph that groups
fine clusters into themes (:func:`knn_graph`), so the rows' neighbours are found once per fit.

>>> import numpy as np
>>> x = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], dtype=np.float32)
>>> idx, dist = exact_knn(x, 2)
>>> idx.tolist()
[[0, 1], [1, 0], [2, 3], [3, 2]]
>>> bool(dist[:, 0].max() == 0.0)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..embeddings import l2_normalise

__all__ = ["EXACT_KNN_FROM", "JITTER", "exact_knn", "jittered", "knn_graph"]

#: Rows from which UMAP would switch to NN-descent: from here on its neighbours are given to it.
EXACT_KNN_FROM = 4096
#: Scale of the seeded noise added to the rows before UMAP and the neighbour search.
JITTER = 1e-5


def jittered(x: np.ndarray, seed: int) -> np.ndarray:
    """``x`` (as float32) plus seeded Gaussian noise of scale :data:`JITTER`.

    UMAP is not reproducible when rows repeat (tied neighbours), and repeated utterances are
    common: the noise, far below any meaningful difference between sentences, makes every row
    distinct and keeps their density.
    """
    noise = np.random.default_rng(seed).standard_normal(x.shape).astype(np.float32) * JITTER
    return np.asarray(x, dtype=np.float32) + noise


def knn_graph(indices: np.ndarray, k: int) -> Any:
    """Symmetric 0/1 adjacency (scipy CSR) linking each row to its ``k`` nearest other rows,
    read from an :func:`exact_knn` table (the row itself first, so columns ``1..k``).

    >>> idx, _ = exact_knn(np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]], dtype=np.float32), 2)
    >>> knn_graph(idx, 1).toarray().astype(int).tolist()
    [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    """
    import scipy.sparse as sp

    n = len(indices)
    k = max(0, min(int(k), indices.shape[1] - 1)) if n else 0
    rows = np.repeat(np.arange(n), k)
    cols = indices[:, 1:k + 1].ravel()
    a = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, n))
    return ((a + a.T) > 0).astype(np.float64)


def exact_knn(x: np.ndarray, k: int, *, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest rows by cosine similarity, the row itself first (distance 0),
    then by decreasing similarity (deterministic: ties to the smaller index): ``(indices, distances)`` with
    ``int64`` indices and ``float32`` cosine distances ``1 - similarity`` (at least 0), the
    layout UMAP's ``precomputed_knn`` takes."""
    x = l2_normalise(x)
    n = len(x)
    k = max(1, min(int(k), n))
    idx = np.zeros((n, k), dtype=np.int64)
    dist = np.zeros((n, k), dtype=np.float32)
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n))
        sims = x[rows] @ x.T
        sims[np.arange(len(rows)), rows] = np.inf  # the row itself comes first
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.tile(
            np.arange(n), (len(rows), 1))
        near = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -near), axis=1)
        idx[rows] = np.take_along_axis(part, order, axis=1)
        best = np.take_along_axis(near, order, axis=1)
        dist[rows] = np.where(np.isinf(best), 0.0, np.maximum(1.0 - best, 0.0))
    return idx, dist
