"""Clustering unit embeddings into themes: the part of theme discovery that decides membership.

Plain BERTopic (UMAP, then HDBSCAN) over-splits short utterances into dozens of near-identical
topics, leaves 30-50% of them as outliers, fails below a few hundred documents and changes between
runs. :func:`cluster_embeddings` keeps its good part (density clustering of a UMAP reduction) and
fixes those failures:

1. **Adaptive sizes.** ``min_cluster_size`` and ``n_neighbors`` grow with the corpus
   (:func:`resolve_sizes`).
2. **Determinism.** UMAP runs with ``random_state=seed`` and one thread; everything else is
   deterministic. The reduction is cached on disk (keyed by the embeddings, the parameters and the
   seed) when a cache folder is given, so a re-run skips it.
3. **Merging clusters that are parts of one theme.** Cluster centroids (in the original
   embedding space) are clustered again with average linkage; clusters whose centroids have
   cosine similarity above ``merge_threshold`` become one cluster.
4a. **A hierarchy chosen by the data** (``granularity="auto"``, the default): the fine clusters
   are grouped into at most ``max_themes`` themes by Louvain modularity on the graph of their
   units' nearest-neighbour links (:func:`group_leaves`) and kept as sub-themes (``leaves``).
   ``"broad"`` (fewer, larger density clusters merged at 0.7) and ``"fine"`` (the fine clusters
   as themes) are the earlier flat presets.
4. **Honest outlier reassignment.** An outlier joins its nearest theme only when it is at least as
   similar to that theme's centroid as nearly all of the theme's own members are (a quantile of
   the members' similarities, so the rule adapts to the embedder); the rest stay unassigned.
5. **Small corpora.** Below ``small_corpus`` units, density clustering is unreliable; themes then
   come from agglomerative clustering of the embeddings themselves, and a note says so.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> centres = np.eye(8, dtype=np.float32)[:3]
>>> x = np.repeat(centres, 10, axis=0) + 0.05 * rng.standard_normal((30, 8)).astype(np.float32)
>>> x /= np.linalg.norm(x, axis=1, keepdims=True)
>>> result = cluster_embeddings(x, seed=0)
>>> result.method, len(set(result.labels.tolist()) - {-1})
('agglomerative', 3)
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..embeddings import l2_normalise
from ..outputs import write_atomic
from ..validation import check_choice
from .neighbours import EXACT_KNN_FROM, JITTER, exact_knn, jittered, knn_graph

__all__ = ["ClusterResult", "cluster_embeddings", "resolve_sizes", "centroids", "DEFAULTS"]

#: Default clustering parameters; ``None`` means "chosen from the corpus size".
DEFAULTS: dict[str, Any] = {
    "min_cluster_size": None,
    "min_samples": None,
    "n_neighbors": None,
    "n_components": 5,
    "cluster_selection_method": "eom",
    "granularity": "auto",
    "max_themes": 15,
    "merge_threshold": None,
    "reassign_quantile": 0.02,
    "small_corpus": 60,
    "small_threshold": 0.3,
}


@dataclass
class ClusterResult:
    """Cluster labels (``-1`` = unassigned) with how they were made.

    ``method`` is ``"umap-hdbscan"`` or ``"agglomerative"``; ``notes`` are sentences for the
    reader (why the method changed, what was merged); ``details`` are counts for the record;
    ``params`` are the resolved parameters. ``neighbours``: the exact neighbour table the fit
    read (:func:`~listenlens.themes.neighbours.exact_knn` indices, the row itself first), when
    it found one, so that a later grouping of the same rows need not search again; not part
    of the record.
    """

    labels: np.ndarray
    method: str
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    leaves: np.ndarray | None = None
    neighbours: np.ndarray | None = None


#: Size-dependent defaults per granularity: min_cluster_size as a function of n, merge threshold.
GRANULARITY: dict[str, dict[str, Any]] = {
    "auto": {"min_cluster_size": lambda n: max(5, int(round(math.sqrt(n) / 4))),
             "merge_threshold": 0.85},
    "broad": {"min_cluster_size": lambda n: min(400, max(10, int(round(n / 40)))),
              "merge_threshold": 0.7},
    "fine": {"min_cluster_size": lambda n: max(5, int(round(math.sqrt(n) / 4))),
             "merge_threshold": 0.85},
}


def resolve_sizes(n: int, params: dict[str, Any]) -> dict[str, Any]:
    """Parameters with the size-dependent ones filled in for ``n`` units.

    ``granularity="auto"`` (default) and ``"fine"``: ``min_cluster_size`` is ``sqrt(n) / 4``
    (at least 5) and the merge threshold 0.85 (``"auto"`` then groups these fine clusters into
    themes, see :func:`group_leaves`); ``"broad"``: ``min_cluster_size`` is 2.5% of the units
    (at least 10, at most 400) and clusters merge above centroid similarity 0.7.
    ``n_neighbors`` is 15, fewer for tiny corpora; ``min_samples`` defaults to half of
    ``min_cluster_size`` (so fewer units are called noise than with HDBSCAN's default).

    >>> r = resolve_sizes(3000, {**DEFAULTS, "granularity": "broad"})
    >>> r["min_cluster_size"], r["merge_threshold"], r["n_neighbors"], r["min_samples"]
    (75, 0.7, 15, 37)
    >>> resolve_sizes(3000, DEFAULTS)["min_cluster_size"]
    14
    """
    out = {**DEFAULTS, **params}
    check_choice("granularity", out["granularity"], sorted(GRANULARITY))
    preset = GRANULARITY[out["granularity"]]
    if out["min_cluster_size"] is None:
        out["min_cluster_size"] = preset["min_cluster_size"](max(n, 1))
    if out["merge_threshold"] is None:
        out["merge_threshold"] = preset["merge_threshold"]
    if out["min_samples"] is None:
        out["min_samples"] = max(2, int(out["min_cluster_size"]) // 2)
    if out["n_neighbors"] is None:
        out["n_neighbors"] = int(min(15, max(4, n // 8)))
    return out


def centroids(x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length mean vectors of each cluster (label ``>= 0``): ``(cluster_ids, matrix)``.

    >>> ids, c = centroids(np.array([[1.0, 0], [0.8, 0.2], [0, 1]]), np.array([0, 0, 1]))
    >>> ids.tolist(), c.shape
    ([0, 1], (2, 2))
    """
    ids = np.unique(labels[labels >= 0])
    if len(ids) == 0:
        return ids, np.zeros((0, x.shape[1]), dtype=np.float32)
    mat = np.stack([x[labels == k].mean(axis=0) for k in ids]).astype(np.float32)
    return ids, l2_normalise(mat)


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0..k-1 in order of first appearance (``-1`` kept)."""
    out = np.full(len(labels), -1, dtype=np.int64)
    seen: dict[int, int] = {}
    for i, lab in enumerate(labels.tolist()):
        if lab >= 0:
            out[i] = seen.setdefault(lab, len(seen))
    return out


def merge_similar(x: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[np.ndarray, int]:
    """Merge clusters whose centroids have cosine similarity above ``threshold`` (average
    linkage over centroids). Returns the new labels and how many clusters disappeared."""
    ids, cent = centroids(x, labels)
    if len(ids) < 2:
        return labels.copy(), 0
    from sklearn.cluster import AgglomerativeClustering

    groups = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=1.0 - threshold).fit(cent).labels_
    mapping = dict(zip(ids.tolist(), groups.tolist()))
    merged = np.array([mapping[lab] if lab >= 0 else -1 for lab in labels.tolist()])
    return _relabel(merged), len(ids) - len(set(groups.tolist()))


def reassign_outliers(x: np.ndarray, labels: np.ndarray, quantile: float,
                      at_most: float | None = None) -> tuple[np.ndarray, int, float]:
    """Give each unassigned unit its nearest theme when its similarity to that theme's centroid
    reaches the ``quantile`` of the members' own similarities (over all themes; never more
    than ``at_most`` when given). Returns the labels, how many moved and the threshold used."""
    ids, cent = centroids(x, labels)
    out = labels.copy()
    if len(ids) == 0 or not (labels < 0).any():
        return out, 0, float("nan")
    pos = {k: i for i, k in enumerate(ids.tolist())}
    member = labels >= 0
    own = np.einsum("ij,ij->i", x[member], cent[[pos[k] for k in labels[member].tolist()]])
    threshold = float(np.quantile(own, quantile)) if len(own) else 1.0
    if at_most is not None:
        threshold = min(threshold, at_most)
    loose = np.where(~member)[0]
    sims = x[loose] @ cent.T
    best = sims.argmax(axis=1)
    ok = sims[np.arange(len(loose)), best] >= threshold
    out[loose[ok]] = ids[best[ok]]
    return out, int(ok.sum()), threshold


def knn_adjacency(x: np.ndarray, k: int = 15) -> Any:
    """Symmetric 0/1 adjacency (scipy CSR) of each unit's ``k`` most similar units (cosine on
    unit-length rows), computed in blocks so memory stays ``O(n k)``."""
    n = len(x)
    k = max(1, min(k, n - 1))
    tables = []
    for start in range(0, n, 2048):
        block = x[start:start + 2048] @ x.T
        own = np.arange(start, start + len(block))
        block[np.arange(len(block)), own] = -np.inf
        nn = np.argpartition(-block, k - 1, axis=1)[:, :k]
        tables.append(np.column_stack([own, nn]))  # the row itself first, as knn_graph reads
    return knn_graph(np.concatenate(tables), k)


#: Nearest neighbours per unit in the graph that groups fine clusters into themes.
GRAPH_NEIGHBOURS = 15


def group_leaves(x: np.ndarray, leaves: np.ndarray, *, max_groups: int = 15,
                 k: int = GRAPH_NEIGHBOURS, seed: int = 0,
                 neighbours: np.ndarray | None = None,
                 extra: np.ndarray | None = None,
                 links: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Group fine clusters (``leaves``, ``-1`` = unassigned) into themes; returns the group of
    each leaf (indexed by leaf label) and the resolution used.

    The leaves are the nodes of a graph whose edge weights count the k-nearest-neighbour links
    between their units; Louvain community detection (modularity, seeded) groups them. Facets of
    one concern (window seals, repair tickets, dehumidifier costs) are far apart as centroids
    but their units are each other's neighbours, which is what this graph sees. The resolution
    starts at 1 (plain modularity) and is lowered in steps of 0.1 only while there are more than
    ``max_groups`` groups (down to 0.1), so that the top level stays a size a briefing can
    carry; finer structure stays visible as sub-themes. Leaves whose units are nobody else's
    neighbours are never grouped, so the limit can be exceeded when the data says so.

    ``neighbours``: an :func:`~listenlens.themes.neighbours.exact_knn` index table of the rows
    (the row itself first, at least ``k + 1`` columns), when the fit has one already; without
    it the neighbours are found here (:func:`knn_adjacency`). ``extra`` (leaf by leaf,
    optional) is added to the graph after its weights are scaled to sum to 1: another signal of
    which leaves belong together (``benchmarks/themes_attempts.py`` tries consecutive turns).
    ``links`` (leaf by leaf, optional) are more nearest-neighbour links, counted like the
    graph's own and added to them before anything else: those of units outside ``x`` (the
    placed units of a sample fit, :func:`~listenlens.themes.large.placed_links`).
    """
    import networkx as nx
    import scipy.sparse as sp

    n_leaves = int(leaves.max()) + 1 if len(leaves) and leaves.max() >= 0 else 0
    if n_leaves <= 1:
        return np.zeros(n_leaves, dtype=np.int64), 1.0
    member = np.where(leaves >= 0)[0]
    p = sp.csr_matrix((np.ones(len(member)), (member, leaves[member])),
                      shape=(len(leaves), n_leaves))
    adjacency = (knn_graph(neighbours, k) if neighbours is not None
                 else knn_adjacency(np.asarray(x, dtype=np.float32), k))
    w = (p.T @ adjacency @ p).toarray()
    if links is not None:
        w = w + links
    if extra is not None:
        w = w / max(float(w.sum()), 1.0) + extra
    graph = nx.from_numpy_array(w)
    resolution = 1.0
    while True:
        groups = nx.community.louvain_communities(graph, weight="weight",
                                                  resolution=resolution, seed=seed)
        if len(groups) <= max_groups or resolution <= 0.1 + 1e-9:
            break
        resolution = round(resolution - 0.1, 1)
    # number groups by their smallest leaf, so the numbering does not depend on set order
    ordered = sorted((sorted(g) for g in groups), key=lambda g: g[0])
    group_of = np.zeros(n_leaves, dtype=np.int64)
    for j, g in enumerate(ordered):
        group_of[g] = j
    return group_of, resolution


def themes_of_leaves(leaves: np.ndarray, group_of: np.ndarray) -> np.ndarray:
    """Each unit's theme from its fine cluster (``leaves``, ``-1`` kept) and each fine
    cluster's group (:func:`group_leaves`), numbered 0..k-1 in order of first appearance."""
    return _relabel(np.where(leaves >= 0, group_of[np.maximum(leaves, 0)], -1))


def grouping_note(n_leaves: int, n_themes: int, resolution: float, max_themes: int) -> str:
    """The sentence a fit's notes carry about the grouping of fine clusters into themes."""
    return (f"{n_leaves} fine clusters grouped into {n_themes} themes by how often their units "
            f"are each other's nearest neighbours (Louvain modularity, resolution "
            f"{resolution:g}, at most {max_themes} themes); the fine clusters are kept as "
            "sub-themes.")


def _reduction_key(x: np.ndarray, umap_params: dict[str, Any]) -> str:
    h = hashlib.sha256(np.ascontiguousarray(x, dtype=np.float32).tobytes())
    h.update(json.dumps(umap_params, sort_keys=True).encode("utf-8"))
    return h.hexdigest()[:24]


def reduce(x: np.ndarray, *, n_neighbors: int, n_components: int, seed: int,
           cache_dir: str | Path | None = None,
           knn: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, bool]:
    """UMAP reduction (cosine, ``min_dist=0``, one thread, ``random_state=seed``), read from
    ``<cache_dir>/reductions/`` when it was computed before. Returns ``(reduced, from_cache)``.
    From :data:`~listenlens.themes.neighbours.EXACT_KNN_FROM` rows on, UMAP is given the exact
    nearest neighbours (:func:`~listenlens.themes.neighbours.exact_knn` of the jittered rows,
    :func:`~listenlens.themes.neighbours.jittered`) instead of finding approximate ones with
    NN-descent; ``knn``: that table when the caller has it already (at least ``n_neighbors``
    columns; the first ``n_neighbors`` are used)."""
    import umap

    import listenlens

    params = {"n_neighbors": n_neighbors, "n_components": n_components, "seed": seed,
              "jitter": JITTER,
              "metric": "cosine", "min_dist": 0.0, "umap": getattr(umap, "__version__", "?"),
              "listenlens": listenlens.__version__}
    exact = len(x) >= EXACT_KNN_FROM
    if exact:
        params["knn"] = "exact"
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / "reductions" / f"{_reduction_key(x, params)}.npy"
        if path.is_file():
            return np.load(path, allow_pickle=False), True
    data = jittered(x, seed)
    if exact:
        idx, dist = knn if knn is not None else exact_knn(data, n_neighbors)
        given = (idx[:, :n_neighbors], dist[:, :n_neighbors], None)
    else:
        given = (None, None, None)
    reducer = umap.UMAP(n_neighbors=n_neighbors, n_components=n_components, min_dist=0.0,
                        metric="cosine", random_state=seed, n_jobs=1, low_memory=True,
                        precomputed_knn=given)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*knn_search_index.*")  # no transform used
        reduced = np.asarray(reducer.fit_transform(data), dtype=np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.save(buf, reduced, allow_pickle=False)
        write_atomic(path, buf.getvalue())
    return reduced, False


def _small(x: np.ndarray, p: dict[str, Any]) -> ClusterResult:
    from sklearn.cluster import AgglomerativeClustering

    n = len(x)
    if n < 2:
        labels = np.zeros(n, dtype=np.int64) if n == 1 else np.zeros(0, dtype=np.int64)
    else:
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average",
            distance_threshold=1.0 - float(p["small_threshold"])).fit(x).labels_
    labels = _relabel(np.asarray(labels))
    sizes = np.bincount(labels) if n else np.zeros(0, dtype=np.int64)
    single = sizes[labels] < 2 if n > 1 else np.zeros(n, dtype=bool)
    labels[single] = -1
    labels = _relabel(labels)
    labels, n_moved, _ = reassign_outliers(x, labels, float(p["reassign_quantile"]),
                                           at_most=float(p["small_threshold"]))
    note = (f"{n} substantive units (fewer than {p['small_corpus']}): too few for density "
            "clustering (UMAP + HDBSCAN), so themes come from agglomerative clustering of the "
            f"embeddings (average linkage, cosine similarity >= {p['small_threshold']}); "
            f"{int(single.sum()) - n_moved} units said something no one else said and stay "
            "unassigned.")
    return ClusterResult(labels, "agglomerative", [note],
                         {"n_initial": int(labels.max() + 1) if n else 0, "n_merged": 0,
                          "n_reassigned": n_moved, "n_outliers_initial": int(single.sum())}, p)


def cluster_embeddings(x: np.ndarray, *, seed: int = 0, cache_dir: str | Path | None = None,
                       graph_neighbors: int = GRAPH_NEIGHBOURS, **params: Any) -> ClusterResult:
    """Cluster unit-length embeddings into themes (labels ``-1`` = unassigned).

    Parameters are those of :data:`DEFAULTS`; ``None`` ones adapt to the number of units.
    ``graph_neighbors``: nearest neighbours per unit in the graph that groups fine clusters
    (:func:`group_leaves`); recorded in the result's ``params``.
    """
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown clustering parameters: {sorted(unknown)}")
    n = len(x)
    p = {**resolve_sizes(n, params), "graph_neighbors": int(graph_neighbors)}
    if n < int(p["small_corpus"]) or len(np.unique(x, axis=0)) < int(p["small_corpus"]):
        return _small(x, p)
    import hdbscan

    knn = _shared_knn(x, p, seed)
    reduced, cached = reduce(x, n_neighbors=int(p["n_neighbors"]),
                             n_components=int(p["n_components"]), seed=seed, cache_dir=cache_dir,
                             knn=knn)
    clusterer = hdbscan.HDBSCAN(min_cluster_size=int(p["min_cluster_size"]),
                                min_samples=int(p["min_samples"]),
                                cluster_selection_method=str(p["cluster_selection_method"]),
                                core_dist_n_jobs=1)
    initial = _relabel(np.asarray(clusterer.fit_predict(reduced), dtype=np.int64))
    notes: list[str] = []
    if initial.max() + 1 <= 2 and n >= 200 and p["cluster_selection_method"] == "eom":
        # excess-of-mass sometimes keeps one giant parent cluster; leaf selection does not
        leaf = hdbscan.HDBSCAN(min_cluster_size=int(p["min_cluster_size"]),
                               min_samples=int(p["min_samples"]),
                               cluster_selection_method="leaf", core_dist_n_jobs=1)
        retry = _relabel(np.asarray(leaf.fit_predict(reduced), dtype=np.int64))
        if retry.max() > initial.max():
            notes.append(f"HDBSCAN (excess of mass) kept {int(initial.max() + 1)} giant "
                         f"cluster(s) of {n} units; leaf selection was used instead.")
            initial = retry
    n_initial = int(initial.max() + 1)
    n_out0 = int((initial < 0).sum())
    if n_initial == 0:
        small = _small(x, p)
        small.notes = [f"density clustering found no clusters among {n} units; fell back to "
                       "agglomerative clustering of the embeddings."]
        return small
    threshold = float(p["merge_threshold"])
    merged, n_merged = merge_similar(x, initial, threshold)
    if n_merged:
        notes.append(f"{n_initial} density clusters; {n_merged} merged into neighbours that "
                     f"say the same thing (centroid cosine similarity >= {threshold}, "
                     f"granularity {p['granularity']!r}).")
    final, n_moved, thr = reassign_outliers(x, merged, float(p["reassign_quantile"]))
    if n_moved:
        notes.append(f"{n_moved} of {n_out0} outliers joined their nearest theme (similarity "
                     f">= {thr:.3f}, as close as {100 - 100 * p['reassign_quantile']:.0f}% of "
                     "members); the rest stay unassigned.")
    details = {"n_initial": n_initial, "n_merged": n_merged, "n_reassigned": n_moved,
               "n_outliers_initial": n_out0, "reassign_similarity": thr,
               "reduction_cached": cached}
    result = ClusterResult(final, "umap-hdbscan", notes, details, p)
    neighbours = None if knn is None else knn[0]
    return _grouped(x, result, seed, neighbours) if p["granularity"] == "auto" else result


def _shared_knn(x: np.ndarray, p: dict[str, Any], seed: int
                ) -> tuple[np.ndarray, np.ndarray] | None:
    """The exact neighbour table UMAP and the grouping of fine clusters both read, found once
    (from :data:`~listenlens.themes.neighbours.EXACT_KNN_FROM` rows on, granularity
    ``"auto"``); ``None`` otherwise (each finds its own, as below that size)."""
    if len(x) < EXACT_KNN_FROM or p["granularity"] != "auto":
        return None
    return exact_knn(jittered(x, seed), max(int(p["n_neighbors"]), int(p["graph_neighbors"]) + 1))


def _grouped(x: np.ndarray, fine: ClusterResult, seed: int,
             neighbours: np.ndarray | None = None) -> ClusterResult:
    """Top-level themes from fine clusters (:func:`group_leaves`); the fine clusters are kept
    as ``leaves`` (sub-themes)."""
    leaves = fine.labels
    group_of, resolution = group_leaves(x, leaves, max_groups=int(fine.params["max_themes"]),
                                        k=int(fine.params.get("graph_neighbors",
                                                              GRAPH_NEIGHBOURS)),
                                        seed=seed, neighbours=neighbours)
    top = themes_of_leaves(leaves, group_of)
    n_leaves, n_top = int(leaves.max() + 1), int(top.max() + 1) if len(top) else 0
    notes = [*fine.notes, grouping_note(n_leaves, n_top, resolution, fine.params["max_themes"])]
    details = {**fine.details, "n_leaves": n_leaves, "n_themes": n_top,
               "resolution": resolution}
    return ClusterResult(top, fine.method + "+louvain", notes, details, fine.params,
                         leaves=leaves, neighbours=neighbours)
