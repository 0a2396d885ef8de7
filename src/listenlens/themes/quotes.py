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
    order = np.array(sorted(range(m), key=lambda i: (-round(float(relevance[i]), 6),
                                                     unit_ids[i])), dtype=np.int64)
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    keys: dict[int, str] = {}  # normalised text, only for rows that come up as the best
    chosen: list[int] = []
    seen_keys: set[str] = set()
    redundancy = np.full(m, -1.0, dtype=np.float32)
    blocked = np.zeros(m, dtype=bool)
    while len(chosen) < min(n, m):
        best = _best(relevance, redundancy, blocked, order, rank, lam, bool(chosen))
        if best < 0:
            break
        if texts is not None:
            key = keys.setdefault(best, normalise_text(texts[best]))
            if key in seen_keys:  # repeats a chosen quote word for word
                blocked[best] = True
                continue
            seen_keys.add(key)
        chosen.append(best)
        blocked[best] = True
        sims = x @ x[best]
        redundancy = np.maximum(redundancy, sims)
        blocked |= sims >= duplicate
    return chosen


def _best(relevance: np.ndarray, redundancy: np.ndarray, blocked: np.ndarray,
          order: np.ndarray, rank: np.ndarray, lam: float, any_chosen: bool) -> int:
    """The next row by MMR score: the first row in ``order`` whose score beats every earlier
    one by more than 1e-9, scanning only rows within 1e-6 of the top score (the others cannot
    win), so the cost is one vector operation, not a Python loop over every member."""
    score = (lam * relevance - (1 - lam) * np.maximum(redundancy, 0.0) if any_chosen
             else relevance.copy())
    score = np.where(blocked, -np.inf, score)
    top = score.max() if len(score) else -np.inf
    if not np.isfinite(top):
        return -1
    near = np.where(score >= top - 1e-6)[0]
    best, best_score = -1, -np.inf
    for i in near[np.argsort(rank[near], kind="stable")].tolist():
        if score[i] > best_score + 1e-9:
            best, best_score = i, float(score[i])
    return best
