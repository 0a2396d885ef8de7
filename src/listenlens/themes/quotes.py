"""Choosing representative, diverse quotes for a theme (maximal marginal relevance).

The first quote is the unit closest to the theme's centroid; each next one maximises
``lam * relevance - (1 - lam) * redundancy`` (relevance: similarity to the centroid; redundancy:
the highest similarity to a quote already chosen). Units that repeat a chosen quote (same words,
or similarity above ``duplicate``) are never chosen. Ties are broken by unit id, so the choice is
deterministic.

>>> import numpy as np
>>> x = np.array([[1.0, 0.0], [0.99, 0.141], [0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
>>> x /= np.linalg.norm(x, axis=1, keepdims=True)
>>> mmr(x, np.array([1.0, 0.0]), ["u1", "u2", "u3", "u4"], n=2)
[0, 2]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..embeddings import unit_vector

__all__ = ["mmr", "normalise_text"]


def normalise_text(text: str) -> str:
    """Lower-case words only, for spotting verbatim repeats.

    >>> normalise_text("Still damp.  STILL mould!")
    'still damp still mould'
    """
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def mmr(x: np.ndarray, centroid: np.ndarray, unit_ids: Sequence[str], n: int = 5, *,
        lam: float = 0.7, duplicate: float = 0.92, texts: Sequence[str] | None = None
        ) -> list[int]:
    """Row indices of up to ``n`` representative, mutually diverse rows of ``x``."""
    m = len(x)
    if m == 0 or n <= 0:
        return []
    c = np.asarray(centroid, dtype=np.float32)
    c = unit_vector(c)
    relevance = x @ c
    order = sorted(range(m), key=lambda i: (-round(float(relevance[i]), 6), unit_ids[i]))
    keys = [normalise_text(t) for t in texts] if texts is not None else None
    chosen: list[int] = []
    seen_keys: set[str] = set()
    redundancy = np.full(m, -1.0, dtype=np.float32)
    blocked = np.zeros(m, dtype=bool)
    while len(chosen) < min(n, m):
        best, best_score = -1, -np.inf
        for i in order:
            if blocked[i]:
                continue
            score = lam * relevance[i] - (1 - lam) * max(redundancy[i], 0.0) if chosen else \
                relevance[i]
            if score > best_score + 1e-9:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        blocked[best] = True
        sims = x @ x[best]
        redundancy = np.maximum(redundancy, sims)
        blocked |= sims >= duplicate
        if keys is not None:
            seen_keys.add(keys[best])
            blocked |= np.array([k in seen_keys for k in keys], dtype=bool)
    return chosen
