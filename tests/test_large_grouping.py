"""The sampled path groups sub-themes into themes with the placed units' links counted too."""

from __future__ import annotations

import numpy as np
import pytest

from listenlens.themes.discover import cluster_embeddings, group_leaves
from listenlens.themes.large import (
    cluster_units,
    nearest_sampled,
    place,
    placed_links,
    regroup,
    sample_params,
    stratified_sample,
)
from vector_fakes import blobs


def test_nearest_sampled_is_the_sorted_brute_force_answer() -> None:
    x, _ = blobs(30, 3, seed=1)
    idx, sim = nearest_sampled(x[60:], x[:60], 7, block=5)
    full = x[60:] @ x[:60].T
    for row in range(len(idx)):
        want = sorted(range(60), key=lambda j: (-full[row, j], j))[:7]
        assert idx[row].tolist() == want
        assert np.allclose(sim[row], full[row, want])
    assert np.array_equal(place(x[60:], x[:60], np.arange(60) % 3, k=5),
                          place(x[60:], x[:60], np.arange(60) % 3, k=5, nearest=(idx, sim)))


def test_placed_links_count_both_ways_and_skip_the_unassigned() -> None:
    sample_leaves = np.array([0, 1, 2, -1])
    nearest = np.array([[1, 2], [3, 0], [1, 1]])
    got = placed_links(np.array([0, 2, -1]), sample_leaves, nearest, 3)
    want = np.zeros((3, 3))
    for a, b in ((0, 1), (0, 2), (2, 0)):  # (placed unit's leaf, its neighbour's leaf)
        want[a, b] += 1
        want[b, a] += 1
    assert np.array_equal(got, want) and np.array_equal(got, got.T)


def test_links_join_leaves_the_sample_graph_keeps_apart() -> None:
    x, truth = blobs(30, 4, noise=0.05, seed=3)
    alone, _ = group_leaves(x, truth, max_groups=10, k=5, seed=0)
    assert len(set(alone.tolist())) == 4
    links = np.zeros((4, 4))
    links[0, 1] = links[1, 0] = 5000.0
    joined, _ = group_leaves(x, truth, max_groups=10, k=5, seed=0, links=links)
    assert joined[0] == joined[1] and len(set(joined.tolist())) == 3


def test_regroup_without_links_gives_the_fits_own_themes() -> None:
    x, _ = blobs(50, 5, noise=0.3, seed=4)
    fitted = cluster_embeddings(x, seed=0, graph_neighbors=8, min_cluster_size=10)
    assert fitted.leaves is not None
    again = regroup(x, fitted, None, graph_k=8, seed=0)
    assert np.array_equal(again.labels, fitted.labels)
    assert again.notes == fitted.notes
    assert again.details["sample_n_themes"] == fitted.details["n_themes"]


def test_the_sampled_path_regroups_with_the_placed_units_and_records_it() -> None:
    x, _ = blobs(100, 6, noise=0.35, seed=6)
    strata = np.arange(len(x)) % 4
    kw = dict(strata=strata, seed=0, large_corpus=300, sample_size=240, min_cluster_size=20)
    result = cluster_units(x, **kw)
    assert result.params["sampled"]["group_placed"] is True
    assert "sample_resolution" in result.details
    assert any("placed unit" in note and "grouped into" in note for note in result.notes)
    again = cluster_units(x, **kw)
    assert np.array_equal(result.labels, again.labels)
    assert np.array_equal(result.leaves, again.leaves)
    before = cluster_units(x, **kw, group_placed=False)
    assert before.params["sampled"]["group_placed"] is False
    assert np.array_equal(before.leaves, result.leaves)  # the sub-themes are the same
    # the themes are the grouping of the sampled leaves with the placed units' links added
    sample = stratified_sample(strata, 240, 0)
    rest = np.setdiff1d(np.arange(len(x)), sample)
    fit_params, graph_k = sample_params(len(x), 240, {"min_cluster_size": 20})
    fitted = cluster_embeddings(x[sample], seed=0, graph_neighbors=graph_k, **fit_params)
    idx, _ = nearest_sampled(x[rest], x[sample], graph_k)
    links = placed_links(result.leaves[rest], fitted.leaves, idx, int(fitted.leaves.max()) + 1)
    want = regroup(x[sample], fitted, links, graph_k=graph_k, seed=0)
    assert np.array_equal(result.labels[sample], want.labels)


def test_regroup_reads_the_fits_neighbour_table_instead_of_searching_again(monkeypatch) -> None:
    from listenlens.themes import large
    from listenlens.themes.discover import ClusterResult
    from listenlens.themes.neighbours import EXACT_KNN_FROM, exact_knn, jittered

    x, truth = blobs(EXACT_KNN_FROM // 6 + 10, 6, noise=0.4, seed=7)
    leaves = truth * 2 + (np.arange(len(x)) % 2)  # two sub-themes per blob
    fitted = ClusterResult(leaves, "umap-hdbscan+louvain", [], {}, {"max_themes": 15},
                           leaves=leaves)
    searched = regroup(x, fitted, None, graph_k=8, seed=0)
    table = exact_knn(jittered(x, 0), 12)[0]  # wider than the grouping needs, as a fit's can be

    def no_search(*args, **kwargs):
        raise AssertionError("searched again")

    monkeypatch.setattr(large, "exact_knn", no_search)
    read = regroup(x, ClusterResult(leaves, fitted.method, [], {}, fitted.params, leaves=leaves,
                                    neighbours=table), None, graph_k=8, seed=0)
    assert np.array_equal(read.labels, searched.labels)
    assert len(set(read.labels.tolist())) == 6
    narrow = ClusterResult(leaves, fitted.method, [], {}, fitted.params, leaves=leaves,
                           neighbours=table[:, :5])  # too narrow: searched again
    with pytest.raises(AssertionError, match="searched again"):
        regroup(x, narrow, None, graph_k=8, seed=0)
