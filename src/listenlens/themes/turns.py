"""Grouping sub-themes by the conversation: facets of one concern follow each other in talk.

Theme discovery first finds fine clusters (sub-themes, ``leaves``) and then groups them into
themes by how often their units are each other's nearest neighbours
(:func:`~listenlens.themes.discover.group_leaves`). Two facets of one concern can be far apart
as sentences ("the bus never comes" and "I can't get to the hospital") yet follow each other in
the same stretch of talk, while two concerns that share words ("the park at night", "the park's
trees") rarely answer each other. This module adds that second signal:

    W = A / sum(A) + weight * C / sum(C)

where ``A[a, b]`` counts nearest-neighbour links between the units of leaves ``a`` and ``b``
(the grouping's own graph) and ``C[a, b]`` counts *turn pairs*: a unit in leaf ``a`` whose
previous substantive turn (same source, same prompt) is in leaf ``b``, counted both ways. The
same Louvain grouping then runs on ``W``.

**Used only where the data shows it.** Turn pairs carry a concern only when talk comes in
runs. The fit uses them exactly when the previous-turn structure test of
:mod:`listenlens.themes.context` passes (the same test that switches the previous turn on in
the representation), so a corpus of independent answers (a survey, BANKING77, a shuffled
file) is grouped as before, unit for unit. ``weight`` is fixed (0.5 by default; 0 turns it off)
and recorded in the theme parameters; the note says how many turn pairs were used.

>>> import numpy as np
>>> leaves = np.array([0, 1, 0, 1, 2, -1])
>>> prev = np.array([-1, 0, 1, 2, -1, 4])
>>> turn_pairs(leaves, prev).tolist()
[[0.0, 3.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
"""

from __future__ import annotations

import numpy as np

from .discover import ClusterResult, group_leaves

__all__ = ["turn_pairs", "turn_weights", "regroup_by_turns", "DEFAULT_TURN_WEIGHT"]

#: Weight of the turn-pair graph against the nearest-neighbour graph (both scaled to sum 1).
DEFAULT_TURN_WEIGHT = 0.5


def turn_pairs(leaves: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """Symmetric leaf-by-leaf counts of (unit, previous turn) pairs with both in a leaf.

    ``leaves[i]`` is unit ``i``'s fine cluster (``-1``: none); ``prev[i]`` the row of its
    previous turn among the same rows (``-1``: none).
    """
    n = int(leaves.max()) + 1 if len(leaves) and leaves.max() >= 0 else 0
    out = np.zeros((n, n), dtype=np.float64)
    has = np.where(prev >= 0)[0]
    a, b = leaves[has], leaves[prev[has]]
    ok = (a >= 0) & (b >= 0)
    np.add.at(out, (a[ok], b[ok]), 1.0)
    return out + out.T


def turn_weights(leaves: np.ndarray, prev: np.ndarray, weight: float) -> np.ndarray | None:
    """``weight * C / sum(C)`` for :func:`~listenlens.themes.discover.group_leaves`' ``extra``;
    ``None`` when ``weight`` is 0 or no pair links two leaves."""
    c = turn_pairs(leaves, prev)
    if weight <= 0 or c.sum() <= 0:
        return None
    return weight * c / c.sum()


def regroup_by_turns(x: np.ndarray, result: ClusterResult, prev: np.ndarray, *, weight: float,
                     seed: int = 0) -> ClusterResult:
    """``result`` with its leaves grouped again on nearest-neighbour links plus turn pairs.

    ``x`` are the vectors the leaves were found on and ``prev`` the previous-turn links, both
    in the rows of ``result``. A result without leaves, or with no turn pair between leaves, is
    returned unchanged.
    """
    if result.leaves is None or not len(result.leaves):
        return result
    leaves = result.leaves
    extra = turn_weights(leaves, prev, weight)
    if extra is None:
        return result
    group_of, resolution = group_leaves(x, leaves, max_groups=int(result.params["max_themes"]),
                                        seed=seed, extra=extra)
    top = _first_seen(np.where(leaves >= 0, group_of[np.maximum(leaves, 0)], -1))
    n_pairs = int(turn_pairs(leaves, prev).sum() // 2)
    n_top = int(top.max() + 1) if len(top) and top.max() >= 0 else 0
    note = (f"{int(leaves.max()) + 1} fine clusters grouped into {n_top} themes by nearest-"
            f"neighbour links and by {n_pairs} pairs of consecutive turns under one prompt "
            f"(weight {weight:g}; Louvain modularity, resolution {resolution:g}): facets of one "
            "concern follow each other in talk.")
    notes = [n for n in result.notes if "fine clusters grouped into" not in n] + [note]
    details = {**result.details, "n_themes": n_top, "resolution": resolution,
               "turn_pairs": n_pairs, "turn_weight": weight}
    return ClusterResult(top, result.method + "+turns", notes, details, result.params,
                         leaves=leaves)


def _first_seen(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0..k-1 in order of first appearance (``-1`` kept)."""
    out = np.full(len(labels), -1, dtype=np.int64)
    seen: dict[int, int] = {}
    for i, lab in enumerate(labels.tolist()):
        if lab >= 0:
            out[i] = seen.setdefault(lab, len(seen))
    return out
