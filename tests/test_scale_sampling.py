"""The large-corpus path of theme discovery: a stratified sample is fitted, the rest placed."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.synthetic import make_corpus
from listenlens.themes.discover import cluster_embeddings
from listenlens.themes.large import cluster_units, place, stratified_sample
from listenlens.themes.model import ThemeModel
from listenlens.themes.result import HOUSEKEEPING, UNASSIGNED
from vector_fakes import blobs


def test_stratified_sample_keeps_each_stratum_share_and_is_seeded() -> None:
    strata = np.array(["a"] * 500 + ["b"] * 300 + ["c"] * 197 + ["d"] * 3)
    got = stratified_sample(strata, 250, seed=1)
    assert len(got) == 250 and len(set(got.tolist())) == 250
    assert np.all(np.diff(got) > 0)
    for name, count in zip(*np.unique(strata, return_counts=True)):
        share = int((strata[got] == name).sum())
        assert abs(share - count * 250 / 1000) < 1, name
    assert np.array_equal(got, stratified_sample(strata, 250, seed=1))
    assert not np.array_equal(got, stratified_sample(strata, 250, seed=2))


def test_stratified_sample_of_everything_is_everything() -> None:
    assert stratified_sample(["x", "y", "x"], 10, seed=0).tolist() == [0, 1, 2]


def test_place_follows_neighbours_and_the_outlier_rule() -> None:
    x, truth = blobs(40, 3)
    placed = place(x[60:], x[:60], truth[:60], k=5)
    assert np.array_equal(placed, truth[60:])
    # a unit whose neighbours are unassigned stays unassigned unless it is close to a centroid
    labels = truth[:60].copy()
    labels[labels == 2] = -1
    far = place(x[60:], x[:60], labels, k=5, threshold=2.0)
    near = place(x[60:], x[:60], labels, k=5, threshold=-1.0)
    assert (far[truth[60:] == 2] == -1).all()
    assert (near[truth[60:] == 2] >= 0).all()


def test_below_the_size_the_full_fit_is_used_unchanged() -> None:
    x, _ = blobs(15, 3)
    full = cluster_embeddings(x, seed=0, granularity="fine")
    same = cluster_units(x, strata=np.arange(len(x)) % 3, seed=0, large_corpus=len(x),
                         granularity="fine")
    assert np.array_equal(full.labels, same.labels) and "sampled" not in same.params


def test_sampled_fit_finds_the_planted_clusters_and_records_the_sample() -> None:
    x, truth = blobs(60, 4)
    result = cluster_units(x, strata=np.arange(len(x)) % 5, seed=0, large_corpus=150,
                           sample_size=120, granularity="fine", min_cluster_size=20)
    assert result.method.endswith("+sampled")
    assert result.details["n_sample"] == 120 and result.details["n_placed"] == 120
    assert result.params["sampled"]["sample_size"] == 120
    assert result.params["min_cluster_size"] == 10  # scaled to the sample
    assert adjusted_rand_score(truth, result.labels) > 0.95
    again = cluster_units(x, strata=np.arange(len(x)) % 5, seed=0, large_corpus=150,
                          sample_size=120, granularity="fine", min_cluster_size=20)
    assert np.array_equal(result.labels, again.labels)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ll.Corpus:
    root = tmp_path_factory.mktemp("sampled") / "corpus"
    make_corpus(root, n_units=400, seed=2)
    return ll.load(root, progress=False)


def test_theme_model_uses_the_sample_above_the_size_and_says_so(corpus: ll.Corpus) -> None:
    model = ThemeModel(seed=0, embedder=HashingEmbedder(), large_corpus=200, sample_size=150,
                       progress=False).fit(corpus)
    params = model.themes_.params
    assert params["resolved"]["sampled"]["sample_size"] == 150
    assert params["large_corpus"] == 200 and params["method"].endswith("+sampled")
    assert any("sample of 150 units stratified by event" in n for n in params["notes"])
    assert set(model.assignments_["unit_id"]) == {u.unit_id for u in corpus.unit_records}
    sub = {uid for row in params["hierarchy"] for uid in row["unit_ids"]}
    asg = model.assignments_
    themed = asg[asg["primary"] & ~asg["theme_id"].isin([HOUSEKEEPING, UNASSIGNED])]
    assert set(themed["unit_id"]) == sub


def test_exact_knn_is_the_brute_force_answer_in_any_block_size() -> None:
    from listenlens.themes.neighbours import exact_knn

    x, _ = blobs(30, 4, noise=0.3, seed=3)
    sims = x @ x.T
    want = np.argsort(-sims - 10 * np.eye(len(x)), axis=1, kind="stable")[:, :7]
    for block in (5, 64, 1000):
        idx, dist = exact_knn(x, 7, block=block)
        assert np.array_equal(idx, want)
        assert np.allclose(dist[:, 1:], 1 - np.take_along_axis(sims, want, axis=1)[:, 1:],
                           atol=1e-6)
        assert (dist[:, 0] == 0).all() and (np.diff(dist, axis=1) >= 0).all()


def test_reduce_gives_umap_the_exact_neighbours_from_the_threshold_on(monkeypatch,
                                                                      tmp_path) -> None:
    import umap.umap_

    from listenlens.themes import discover

    x, truth = blobs(60, 3, noise=0.05)

    def refuse(*_args, **_kwargs):
        raise AssertionError("UMAP searched for neighbours itself")

    # UMAP's own neighbour searches (exact below 4,096 rows, NN-descent above) must not run
    monkeypatch.setattr(umap.umap_, "pairwise_distances", refuse)
    monkeypatch.setattr(umap.umap_, "nearest_neighbors", refuse)
    monkeypatch.setattr(discover, "EXACT_KNN_FROM", 100)
    a, cached = discover.reduce(x, n_neighbors=10, n_components=2, seed=0, cache_dir=tmp_path)
    b, _ = discover.reduce(x, n_neighbors=10, n_components=2, seed=0)
    assert not cached and np.array_equal(a, b)  # deterministic
    centres = np.stack([a[truth == k].mean(axis=0) for k in range(3)])
    nearest = np.argmin(((a[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
    assert (nearest == truth).mean() > 0.95
    # below the threshold UMAP's own search runs (and is refused here)
    monkeypatch.setattr(discover, "EXACT_KNN_FROM", 1000)
    with pytest.raises(AssertionError, match="neighbours itself"):
        discover.reduce(x, n_neighbors=10, n_components=2, seed=0)


def test_the_grouping_graph_reads_the_neighbours_umap_was_given() -> None:
    """A neighbour table gives the same grouping graph as searching the rows again."""
    from listenlens.themes.discover import group_leaves, knn_adjacency
    from listenlens.themes.neighbours import exact_knn, knn_graph

    x, truth = blobs(40, 5, noise=0.3, seed=4)
    idx, _ = exact_knn(x, 16)
    assert (knn_graph(idx, 15) != knn_adjacency(x, 15)).nnz == 0
    leaves = truth.copy()
    leaves[::11] = -1
    assert np.array_equal(group_leaves(x, leaves, max_groups=3, seed=0, neighbours=idx)[0],
                          group_leaves(x, leaves, max_groups=3, seed=0)[0])


def test_a_fit_finds_each_rows_neighbours_once(monkeypatch) -> None:
    from listenlens.themes import discover

    calls: list[int] = []
    real = discover.exact_knn

    def counting(x, k, **kw):  # noqa: ANN001, ANN003
        calls.append(int(k))
        return real(x, k, **kw)

    def no_search(*_args, **_kwargs):
        raise AssertionError("the grouping searched for neighbours again")

    x, _ = blobs(50, 4, noise=0.1, seed=2)
    monkeypatch.setattr(discover, "EXACT_KNN_FROM", 100)
    monkeypatch.setattr(discover, "exact_knn", counting)
    monkeypatch.setattr(discover, "knn_adjacency", no_search)
    result = discover.cluster_embeddings(x, seed=0)
    assert calls == [16] and result.leaves is not None


def test_a_sample_fit_sees_the_full_sets_neighbourhoods() -> None:
    from listenlens.themes.large import MIN_SAMPLE_NEIGHBOURS, sample_params

    fit, graph_k = sample_params(20000, 12000, {"n_neighbors": None, "min_cluster_size": 40})
    assert (fit["n_neighbors"], graph_k, fit["min_cluster_size"]) == (9, 9, 24)
    fit, graph_k = sample_params(200000, 12000, {"n_neighbors": None, "min_cluster_size": None})
    assert fit["n_neighbors"] == graph_k == MIN_SAMPLE_NEIGHBOURS
    assert fit["min_cluster_size"] is None  # resolved on the sample, as before
    assert sample_params(20000, 12000, {"n_neighbors": 12})[0]["n_neighbors"] == 12  # as given

    x, truth = blobs(100, 3, noise=0.05, seed=5)
    result = cluster_units(x, seed=0, large_corpus=200, sample_size=150, granularity="auto")
    assert result.params["sampled"]["fit_neighbours"] == result.params["n_neighbors"] == 8
    assert result.params["graph_neighbors"] == result.params["sampled"]["graph_neighbours"] == 8
    assert adjusted_rand_score(truth, result.labels) > 0.9
