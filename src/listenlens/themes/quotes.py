"""Choosing representative, diverse quotes for a theme (maximal marginal relevance).

The first quote is the unit closest to the theme's centroid; each next one maximises
``lam * relevance - (1 - lam) * redundancy`` (relevance: similarity to the centroid; redundancy:
the highest similarity to a quote already chosen). Units that repeat a chosen quote (same words,
or similarity above ``duplicate``) are never chosen. Ties are broken by unit id, so the choice is
deterministic. Only the :data:`CANDIDATES` units most similar to the centroid are considered (a
theme of tens of thousands of units costs no more than one of a thousand): five quotes are
found among them unless nearly all of them repeat each other.

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

__all__ = ["mmr", "normalise_text", "CANDIDATES"]

#: Rows closest to the centroid that :func:`mmr` considers (``candidates=None``: all).
CANDIDATES = 1000


def normalise_text(text: str) -> str:
    """Lower-case words only, for spotting verbatim repeats.

    >>> normalise_text("Still damp.  STILL mould!")
    'still damp still mould'
    """
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def mmr(x: np.ndarray, centroid: np.ndarray, unit_ids: Sequence[str], n: int = 5, *,
        lam: float = 0.7, duplicate: float = 0.92, texts: Sequence[str] | None = None,
        candidates: int | None = CANDIDATES) -> list[int]:
    """Row indices of up to ``n`` representative, mutually diverse rows of ``x``, chosen among
    the ``candidates`` rows closest to the centroid (``None``: all rows)."""
    if len(x) == 0 or n <= 0:
        return []
    c = unit_vector(np.asarray(centroid, dtype=np.float32))
    full = x @ c
    ranked = _ranked(full, unit_ids)
    keep = ranked if candidates is None else ranked[:max(int(candidates), n)]
    picked = _mmr_among(x[keep], full[keep], n, lam, duplicate,
                        None if texts is None else _Subset(texts, keep))
    return [int(keep[i]) for i in picked]


class _Subset:
    """The items of a sequence at some positions, read only when asked for (only rows that
    come up as the best are read)."""

    def __init__(self, items: Sequence[str], positions: np.ndarray):
        self.items, self.positions = items, positions

    def __getitem__(self, i: int) -> str:
        return self.items[int(self.positions[i])]


def _ranked(relevance: np.ndarray, unit_ids: Sequence[str]) -> np.ndarray:
    """Row positions by relevance rounded to 6 decimals (highest first), then unit id."""
    rounded = np.array([round(v, 6) for v in relevance.astype(np.float64).tolist()])
    return np.lexsort((np.asarray(unit_ids, dtype=str), -rounded)).astype(np.int64)


def _mmr_among(x: np.ndarray, relevance: np.ndarray, n: int, lam: float, duplicate: float,
               texts: _Subset | None) -> list[int]:
    """MMR over rows already in rank order (row ``i`` has rank ``i``)."""
    m = len(x)
    keys: dict[int, str] = {}  # normalised text, only for rows that come up as the best
    chosen: list[int] = []
    seen_keys: set[str] = set()
    redundancy = np.full(m, -1.0, dtype=np.float32)
    blocked = np.zeros(m, dtype=bool)
    while len(chosen) < min(n, m):
        best = _best(relevance, redundancy, blocked, lam, bool(chosen))
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


def _best(relevance: np.ndarray, redundancy: np.ndarray, blocked: np.ndarray, lam: float,
          any_chosen: bool) -> int:
    """The next row by MMR score (rows are in rank order): the first row whose score beats
    every earlier one by more than 1e-9, scanning only rows within 1e-6 of the top score (the
    others cannot win), so the cost is one vector operation, not a Python loop over every
    member."""
    score = (lam * relevance - (1 - lam) * np.maximum(redundancy, 0.0) if any_chosen
             else relevance.copy())
    score = np.where(blocked, -np.inf, score)
    top = score.max() if len(score) else -np.inf
    if not np.isfinite(top):
        return -1
    near = np.where(score >= top - 1e-6)[0]
    best, best_score = -1, -np.inf
    for i in near.tolist():  # ascending positions: rank order
        if score[i] > best_score + 1e-9:
            best, best_score = i, float(score[i])
    return best
