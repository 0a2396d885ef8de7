"""Theme discovery for large corpora: fit on a stratified sample, place the rest by k-NN.

UMAP, HDBSCAN and the grouping of fine clusters into themes cost more than linear time and
memory in the number of units. Above :data:`LARGE_CORPUS` units, :func:`cluster_units` fits the
whole clustering (:func:`~listenlens.themes.discover.cluster_embeddings`: reduction, density
clusters, merging, outlier rule, grouping into themes) on a deterministic sample of
:data:`SAMPLE_SIZE` units, stratified by event so that every event keeps its share, and places
every other unit by its ``k`` most similar sampled units:

- the unit takes the fine cluster (sub-theme) with the largest summed similarity among those
  neighbours, and so that cluster's theme;
- when the neighbours' vote goes to "unassigned", the same honest outlier rule as the fit
  applies: the unit joins its nearest fine cluster only when it is at least as similar to that
  cluster's centroid as nearly all sampled members are (the fit's ``reassign_similarity``);
  otherwise it stays unassigned.

Last, the sub-themes are grouped into themes again (:func:`regroup`) on the sample's neighbour
graph with the links of every placed unit to its nearest sampled units added
(:func:`placed_links`): the graph then counts the links of every unit, as the full fit's does,
where the sample's own graph alone split the themes differently from seed to seed.

The sample is fitted so that it sees the neighbourhoods the full set would (:func:`sample_params`):
a ``min_cluster_size`` given by the user is scaled to the sample (the share of units a theme
must reach stays the same), and the number of nearest neighbours of UMAP and of the graph that
groups fine clusters into themes is the full set's scaled by the sample's share (15 among 19,254
units reach about as far as 9 among 12,000); the other size-dependent defaults are resolved on
the sample as usual. The result records the sample (``params["sampled"]``,
``details["n_sample"]``) and says so in a note. On the 19,254 emergent MiniLM units of a
20,000-unit synthetic corpus (context on) the adjusted Rand index against the planted themes
was 0.654 / 0.577 (seeds 0 / 1) with the default sample and 15 neighbours, against 0.760 /
0.747 for the full fit; scaling the neighbours brought it to 0.770 / 0.650, and grouping with
the placed units' links to 0.778 / 0.780 (mean over seeds 0-4: 0.774, full fit 0.749;
``benchmarks/scale_sampled.py``, ``docs/guide/large-corpora.md``).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> x = np.repeat(np.eye(8, dtype=np.float32)[:3], 40, axis=0)
>>> x += 0.05 * rng.standard_normal(x.shape).astype(np.float32)
>>> x /= np.linalg.norm(x, axis=1, keepdims=True)
>>> strata = np.arange(120) % 4
>>> result = cluster_units(x, strata=strata, seed=0, large_corpus=100, sample_size=80,
...                        granularity="fine")
>>> result.details["n_sample"], len(set(result.labels.tolist()) - {-1})
(80, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .discover import (
    GRAPH_NEIGHBOURS,
    ClusterResult,
    centroids,
    cluster_embeddings,
    group_leaves,
    grouping_note,
    resolve_sizes,
    themes_of_leaves,
)
from .neighbours import EXACT_KNN_FROM, exact_knn, jittered

__all__ = ["LARGE_CORPUS", "SAMPLE_SIZE", "NEIGHBOURS", "MIN_SAMPLE_NEIGHBOURS", "cluster_units",
           "stratified_sample", "nearest_sampled", "place", "placed_links", "regroup",
           "sample_params"]

#: Corpora with more emergent units than this are fitted on a sample (``None`` turns it off).
LARGE_CORPUS = 20_000
#: Units in the sample the clustering is fitted on.
SAMPLE_SIZE = 12_000
#: Sampled neighbours that vote on the place of every other unit.
NEIGHBOURS = 15
#: The fewest neighbours per unit a sample fit's UMAP and grouping graph use.
MIN_SAMPLE_NEIGHBOURS = 8


def stratified_sample(strata: Sequence[Any] | np.ndarray, size: int, seed: int) -> np.ndarray:
    """Positions of a deterministic sample of ``size`` units, sorted, stratified by ``strata``.

    Each stratum (an event, say) gets its share of ``size`` by largest remainder (ties to the
    stratum that sorts first), and its units are drawn by a permutation seeded with ``seed``,
    so the same strata in the same order with the same seed always give the same sample.

    >>> stratified_sample(["a"] * 6 + ["b"] * 2, 4, seed=0).tolist()
    [2, 3, 5, 7]
    >>> len(stratified_sample(["a"] * 6 + ["b"] * 2, 20, seed=0))
    8
    """
    keys = np.asarray([str(s) for s in strata], dtype=object)
    n = len(keys)
    if size >= n:
        return np.arange(n)
    names, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(names))
    quota = counts * (size / n)
    take = np.floor(quota).astype(np.int64)
    order = sorted(range(len(names)), key=lambda j: (-(quota[j] - take[j]), j))
    for j in order[:size - int(take.sum())]:
        take[j] += 1
    rng = np.random.default_rng(seed)
    picked = [np.where(inverse == j)[0][rng.permutation(int(counts[j]))[:int(take[j])]]
              for j in range(len(names))]
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.int64)


def nearest_sampled(x: np.ndarray, sample_x: np.ndarray, k: int, *, block: int = 2048
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` most similar rows of ``sample_x`` (cosine on unit-length rows), the most
    similar first (ties to the smaller index): ``(indices, similarities)``, both ``len(x) x k``.
    Rows are processed in blocks, so memory stays ``O(block x len(sample_x))``.

    >>> s = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6]], dtype=np.float32)
    >>> nearest_sampled(np.array([[1.0, 0.0]], dtype=np.float32), s, 2)[0].tolist()
    [[0, 2]]
    """
    n = len(x)
    k = max(1, min(int(k), len(sample_x)))
    idx = np.zeros((n, k), dtype=np.int64)
    sim = np.zeros((n, k), dtype=np.float32)
    for start in range(0, n, block):
        sims = np.asarray(x[start:start + block], dtype=np.float32) @ sample_x.T
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        near = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -near), axis=1)
        idx[start:start + len(sims)] = np.take_along_axis(part, order, axis=1)
        sim[start:start + len(sims)] = np.take_along_axis(near, order, axis=1)
    return idx, sim


def place(x: np.ndarray, sample_x: np.ndarray, sample_labels: np.ndarray, *, k: int = NEIGHBOURS,
          threshold: float = float("nan"), block: int = 2048,
          nearest: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Labels of the rows of ``x`` from their ``k`` most similar rows of ``sample_x``.

    Each row takes the label with the largest summed cosine similarity among its neighbours
    (``-1``, unassigned, counts as a label; ties go to the smaller label). A row whose vote is
    ``-1`` joins the label of its nearest centroid when its similarity to that centroid reaches
    ``threshold`` (not a number: it stays ``-1``). ``nearest``: the rows' neighbours from
    :func:`nearest_sampled` when the caller has them (at least ``k`` columns; the first ``k``
    vote). Rows are processed in blocks, so memory stays ``O(block x len(sample_x))``.

    >>> s = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], dtype=np.float32)
    >>> place(np.array([[1.0, 0.05], [0.05, 1.0]], dtype=np.float32), s,
    ...       np.array([0, 0, 1, 1]), k=2).tolist()
    [0, 1]
    """
    n = len(x)
    out = np.full(n, -1, dtype=np.int64)
    if n == 0 or len(sample_x) == 0:
        return out
    k = max(1, min(int(k), len(sample_x)))
    codes, coded = np.unique(sample_labels, return_inverse=True)  # -1 first when present
    ids, cent = centroids(sample_x, sample_labels)
    for start in range(0, n, block):
        if nearest is None:
            nn, near = nearest_sampled(x[start:start + block], sample_x, k)
        else:
            nn, near = nearest[0][start:start + block, :k], nearest[1][start:start + block, :k]
        votes = np.zeros((len(nn), len(codes)), dtype=np.float64)
        np.add.at(votes, (np.repeat(np.arange(len(nn)), nn.shape[1]), coded[nn].ravel()),
                  near.astype(np.float64).ravel())
        won = codes[votes.argmax(axis=1)]
        loose = np.where(won < 0)[0]
        if len(loose) and len(ids) and threshold == threshold:
            to_cent = np.asarray(x[start + loose], dtype=np.float32) @ cent.T
            best = to_cent.argmax(axis=1)
            ok = to_cent[np.arange(len(loose)), best] >= threshold
            won[loose[ok]] = ids[best[ok]]
        out[start:start + len(nn)] = won
    return out


def placed_links(placed: np.ndarray, sample_leaves: np.ndarray, nearest: np.ndarray,
                 n_leaves: int) -> np.ndarray:
    """Leaf-by-leaf counts of the nearest-neighbour links between placed units and the sampled
    units (``nearest``: each placed unit's sampled neighbours, one row per unit), each link
    counted both ways as in a symmetric graph; unassigned units (``-1``) link nothing.

    >>> placed_links(np.array([0, 1]), np.array([0, 1, -1]), np.array([[0, 1], [2, 1]]), 2)
    array([[2., 1.],
           [1., 2.]])
    """
    a = np.repeat(placed, nearest.shape[1])
    b = sample_leaves[nearest.ravel()]
    ok = (a >= 0) & (b >= 0)
    out = np.zeros((n_leaves, n_leaves), dtype=np.float64)
    np.add.at(out, (a[ok], b[ok]), 1.0)
    return out + out.T


def sample_params(n: int, n_sample: int, params: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The clustering parameters of a fit on ``n_sample`` of ``n`` units, and the neighbours of
    its grouping graph: the sample should see the neighbourhoods the full set would.

    - a ``min_cluster_size`` given is scaled to the sample (a cluster must reach the same share);
    - ``n_neighbors`` left to the default is resolved for the full ``n`` and scaled to the
      sample, like the grouping graph's :data:`~listenlens.themes.discover.GRAPH_NEIGHBOURS`
      (at least :data:`MIN_SAMPLE_NEIGHBOURS`): ``k`` neighbours among ``n`` units span about
      the region ``k * n_sample / n`` do among the sample. A given ``n_neighbors`` is used as
      given.

    >>> fit, graph_k = sample_params(19254, 12000, {"min_cluster_size": None, "n_neighbors": None})
    >>> fit["n_neighbors"], graph_k
    (9, 9)
    """
    share = n_sample / max(n, 1)
    out = dict(params)
    if out.get("min_cluster_size") is not None:
        out["min_cluster_size"] = max(2, int(round(int(out["min_cluster_size"]) * share)))
    if out.get("n_neighbors") is None:
        full = int(resolve_sizes(n, params)["n_neighbors"])
        out["n_neighbors"] = max(MIN_SAMPLE_NEIGHBOURS, int(round(full * share)))
    graph_k = max(MIN_SAMPLE_NEIGHBOURS, int(round(GRAPH_NEIGHBOURS * share)))
    return out, graph_k


def _top_of(fine: np.ndarray, top: np.ndarray) -> dict[int, int]:
    """The theme of each fine cluster, read from the fitted sample (``-1`` stays ``-1``)."""
    mapping = {-1: -1}
    for leaf, theme in zip(fine.tolist(), top.tolist()):
        mapping.setdefault(int(leaf), int(theme))
    return mapping


def regroup(sample_x: np.ndarray, fitted: ClusterResult, links: np.ndarray | None, *,
            graph_k: int, seed: int) -> ClusterResult:
    """The sample fit's sub-themes grouped into themes again
    (:func:`~listenlens.themes.discover.group_leaves`) on the sample's own neighbour graph
    (``graph_k`` neighbours, found as the fit found them) plus ``links``
    (:func:`placed_links`). Without links the themes are the fit's own. The fit's own
    neighbour table is used when it has one (:attr:`ClusterResult.neighbours`: the same rows,
    jitter and order, so the same neighbours), else the neighbours are searched again."""
    fine = fitted.leaves if fitted.leaves is not None else fitted.labels
    table = fitted.neighbours
    if table is None or table.shape[1] < graph_k + 1:
        table = (exact_knn(jittered(sample_x, seed), graph_k + 1)[0]
                 if len(sample_x) >= EXACT_KNN_FROM else None)
    group_of, resolution = group_leaves(sample_x, fine, max_groups=int(fitted.params["max_themes"]),
                                        k=graph_k, seed=seed, neighbours=table, links=links)
    top = themes_of_leaves(fine, group_of)
    d = fitted.details
    n_leaves, n_top = int(fine.max()) + 1, int(top.max()) + 1 if len(top) else 0
    old = grouping_note(int(d.get("n_leaves", -1)), int(d.get("n_themes", -1)),
                        float(d.get("resolution", -1.0)), int(fitted.params["max_themes"]))
    note = grouping_note(n_leaves, n_top, resolution, int(fitted.params["max_themes"]))
    if links is not None:
        note = (note[:-1] + "; the links counted include those of every placed unit to its "
                f"{graph_k} most similar sampled units.")
    notes = [*[s for s in fitted.notes if s != old], note]
    details = {**d, "n_themes": n_top, "resolution": resolution,
               "sample_n_themes": d.get("n_themes"), "sample_resolution": d.get("resolution")}
    return ClusterResult(top, fitted.method, notes, details, fitted.params, leaves=fine)


def cluster_units(x: np.ndarray, *, strata: Sequence[Any] | np.ndarray | None = None,
                  seed: int = 0, cache_dir: str | Path | None = None,
                  large_corpus: int | None = LARGE_CORPUS, sample_size: int = SAMPLE_SIZE,
                  k: int = NEIGHBOURS, group_placed: bool = True, **params: Any) -> ClusterResult:
    """Cluster like :func:`~listenlens.themes.discover.cluster_embeddings`, on a stratified
    sample when there are more than ``large_corpus`` rows (``None``: never).

    ``strata`` (one per row: the unit's event, say) keep every stratum's share in the sample;
    without them the sample is a plain seeded draw. Rows outside the sample are placed by
    :func:`place`. With ``group_placed`` (the default) the sub-themes are then grouped into
    themes again with the placed units' links to their nearest sampled units added to the
    graph (:func:`regroup`); otherwise the sample's own grouping stands. The result's
    ``labels`` and ``leaves`` cover every row, in order.
    """
    n = len(x)
    if large_corpus is None or n <= int(large_corpus) or int(sample_size) >= n:
        return cluster_embeddings(x, seed=seed, cache_dir=cache_dir, **params)
    if int(sample_size) < 2:
        raise ValueError(f"sample_size must be at least 2, got {sample_size}")
    by_event = strata is not None
    strata = np.zeros(n, dtype=np.int64) if strata is None else strata
    if len(strata) != n:
        raise ValueError(f"{len(strata)} strata for {n} units")
    sample = stratified_sample(strata, int(sample_size), seed)
    sample_x = np.ascontiguousarray(x[sample])
    fit_params, graph_k = sample_params(n, len(sample), params)
    fitted = cluster_embeddings(sample_x, seed=seed, cache_dir=cache_dir,
                                graph_neighbors=graph_k, **fit_params)
    fine = fitted.leaves if fitted.leaves is not None else fitted.labels
    rest = np.setdiff1d(np.arange(n), sample, assume_unique=True)
    threshold = float(fitted.details.get("reassign_similarity", float("nan")))
    nearest = nearest_sampled(x[rest], sample_x, max(int(k), graph_k))
    placed = place(x[rest], sample_x, fine, k=k, threshold=threshold, nearest=nearest)
    regrouped = group_placed and fitted.leaves is not None and int(fine.max()) >= 0
    if regrouped:
        links = placed_links(placed, fine, nearest[0][:, :graph_k], int(fine.max()) + 1)
        fitted = regroup(sample_x, fitted, links, graph_k=graph_k, seed=seed)
    leaves = np.full(n, -1, dtype=np.int64)
    leaves[sample], leaves[rest] = fine, placed
    top_of = _top_of(fine, fitted.labels)
    labels = np.array([top_of.get(int(v), -1) for v in leaves.tolist()], dtype=np.int64)
    return _sampled_result(fitted, labels, leaves, placed, {
        "large_corpus": int(large_corpus), "sample_size": int(len(sample)), "neighbours": int(k),
        "stratified_by": "event" if by_event else None,
        "fit_neighbours": int(fitted.params["n_neighbors"]), "graph_neighbours": graph_k,
        "group_placed": bool(regrouped)}, seed)


def _sampled_result(fitted: ClusterResult, labels: np.ndarray, leaves: np.ndarray,
                    placed: np.ndarray, sampled: dict[str, Any], seed: int) -> ClusterResult:
    """The result of a sampled fit over every row, its note and its record."""
    n, n_rest, n_loose = len(labels), len(placed), int((placed < 0).sum())
    note = (f"{n} units: more than {sampled['large_corpus']}, so the clustering was fitted on a "
            f"sample of {sampled['sample_size']} units"
            f"{' stratified by event' if sampled['stratified_by'] else ''} (seed {seed}; "
            f"{sampled['fit_neighbours']} nearest neighbours in UMAP and "
            f"{sampled['graph_neighbours']} in the grouping graph) and each other "
            f"unit took the sub-theme of its {sampled['neighbours']} most similar sampled units; "
            f"{n_loose} of the {n_rest} placed units stay unassigned by the same outlier rule.")
    details = {**fitted.details, "n_sample": n - n_rest, "n_placed": n_rest,
               "n_placed_unassigned": n_loose}
    return ClusterResult(labels, fitted.method + "+sampled", [*fitted.notes, note], details,
                         {**fitted.params, "sampled": sampled},
                         leaves=leaves if fitted.leaves is not None else None)
