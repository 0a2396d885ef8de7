"""Unit-length vectors in well-separated clusters, for the large-corpus tests."""

from __future__ import annotations

import numpy as np


def blobs(n_per: int, k: int, dim: int = 16, noise: float = 0.08, seed: int = 0
          ) -> tuple[np.ndarray, np.ndarray]:
    """``n_per`` noisy copies of each of the first ``k`` basis vectors, shuffled and scaled to
    unit length, and the cluster of each row."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(k), n_per)
    x = np.eye(dim, dtype=np.float32)[truth] + noise * rng.standard_normal(
        (len(truth), dim)).astype(np.float32)
    order = rng.permutation(len(truth))
    x, truth = x[order], truth[order]
    return x / np.linalg.norm(x, axis=1, keepdims=True), truth
