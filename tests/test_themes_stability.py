"""Theme stability: planted themes are stable, forced merges are not, the score is what it says.

One corpus with four clearly different concerns (240 substantive units, so UMAP + HDBSCAN is
used) is written on the fly and fitted once with the deterministic ``HashingEmbedder``; the
arithmetic of the score is checked separately against a stand-in clustering.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.themes import HOUSEKEEPING, Themes, find_themes, theme_stability
from listenlens.themes import stability as stability_module
from listenlens.themes.discover import DEFAULTS, ClusterResult
from planted import STABILITY_CONCERNS as CONCERNS
from planted import planted_corpus

pytestmark = pytest.mark.slow  # fits themes, then refits them to score stability


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Themes, pd.Series]:
    root, key = planted_corpus(tmp_path_factory.mktemp("stability") / "c")
    corpus = ll.load(root)
    themes = find_themes(corpus, seed=0, embedder=HashingEmbedder())
    known = corpus.units.merge(key, on=["source", "line"]).set_index("unit_id")["concern"]
    return themes, known.reindex(themes.unit_ids)


@pytest.fixture(scope="module")
def scores(planted) -> pd.DataFrame:
    return theme_stability(planted[0])


def test_the_fit_is_density_clustering_of_the_planted_concerns(planted):
    themes, known = planted
    # density clustering into fine clusters, grouped into themes (granularity="auto")
    assert themes.params["method"] == "umap-hdbscan+louvain"
    assert int((themes.primary() != HOUSEKEEPING).sum()) == 240


def test_every_planted_theme_is_stable(planted, scores):
    themes, known = planted
    found = themes.primary()
    by_id = scores.set_index("theme_id")
    for concern in CONCERNS:
        units = known[known == concern].index
        tid = found[units].mode().iloc[0]
        members = set(themes.member_ids(tid))
        # the theme is the planted concern (not a mixture), so its score is about that concern
        assert len(members & set(units)) >= 0.9 * max(len(members), len(units))
        assert by_id.loc[tid, "stability"] >= 0.7, (concern, by_id.loc[tid].to_dict())
        assert by_id.loc[tid, "n_pairs"] > 0


def test_a_forced_merge_of_two_different_themes_is_less_stable_than_its_parts(planted, scores):
    themes, _ = planted
    a, b = themes.theme_ids[:2]
    merged = themes.merge([a, b])
    (new,) = merged.resolve(a)
    out = theme_stability(merged).set_index("theme_id")
    parts = scores.set_index("theme_id").loc[[a, b], "stability"]
    assert out.loc[new, "n_units"] == themes.table.set_index("theme_id").loc[[a, b],
                                                                             "n_units"].sum()
    # pairs across the two parts are never found together: about half the pairs are lost
    assert out.loc[new, "stability"] <= parts.min() - 0.3
    assert out.loc[new, "stability"] < 0.6
    # the themes the merge did not touch keep their scores
    untouched = [t for t in themes.theme_ids if t not in (a, b)]
    assert out.loc[untouched, "stability"].tolist() == scores.set_index("theme_id").loc[
        untouched, "stability"].tolist()


def test_same_arguments_give_the_same_table_and_the_seed_can_be_chosen(planted, scores,
                                                                       tmp_path):
    themes, _ = planted
    again = theme_stability(themes)
    pd.testing.assert_frame_equal(scores, again)
    assert again.attrs == scores.attrs
    # the method on Themes is the same computation; a reduction cache changes nothing
    cached = themes.stability(cache_dir=tmp_path)
    pd.testing.assert_frame_equal(scores, cached)
    assert list((tmp_path / "reductions").glob("*.npy"))
    other = themes.stability(3, seed=7, sample=0.7)
    assert other.attrs["stability"] == {"n_runs": 3, "sample": 0.7, "seed": 7}
    assert (other["n_runs"] == 3).all()
    assert other["n_pairs"].tolist() != scores["n_pairs"].tolist()  # other resamples drawn
    pd.testing.assert_frame_equal(other, themes.stability(3, seed=7, sample=0.7))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_runs": 0}, "n_runs must be"), ({"n_runs": 2.5}, "n_runs must be"),
    ({"n_runs": True}, "n_runs must be"), ({"sample": 0.0}, r"sample .* must be in \(0, 1\]"),
    ({"sample": 1.5}, "sample"), ({"sample": -0.2}, "sample"), ({"sample": "half"}, "sample"),
    ({"seed": -1}, "seed must be"), ({"seed": 1.5}, "seed must be"),
])
def test_bad_arguments_are_refused_with_a_clear_message(planted, kwargs, match):
    with pytest.raises(ValueError, match=match):
        theme_stability(planted[0], **kwargs)


def test_columns_types_order_and_attrs(planted, scores):
    themes, _ = planted
    assert list(scores.columns) == ["theme_id", "label", "n_units", "stability", "n_runs",
                                    "n_pairs"]
    assert scores["theme_id"].tolist() == themes.theme_ids
    assert scores["label"].tolist() == [themes.label(t) for t in themes.theme_ids]
    assert scores["n_units"].tolist() == themes.table["n_units"].tolist()
    assert scores["stability"].between(0, 1).all()
    assert (scores["stability"] == scores["stability"].round(3)).all()
    assert (scores["n_runs"] == 5).all()
    assert scores.attrs["stability"] == {"n_runs": 5, "sample": 0.8, "seed": 0}
    assert ll.themes.theme_stability is theme_stability


def _bucket(row: np.ndarray) -> int:
    """A stand-in cluster label (-1, 0 or 1) that depends only on the unit's embedding."""
    return int(abs(float(row[:4].sum())) * 1e4) % 3 - 1


def test_the_score_counts_member_pairs_clustered_together(planted, monkeypatch, capsys):
    themes, _ = planted
    calls: list[dict] = []

    def fake(x, *, seed, cache_dir=None, **params):
        calls.append({"n": len(x), "seed": seed, **params})
        return ClusterResult(np.array([_bucket(r) for r in x]), "fake")

    monkeypatch.setattr(stability_module, "cluster_embeddings", fake)
    out = theme_stability(themes, n_runs=2, sample=1.0, seed=4, progress=True)
    assert "Theme stability" in capsys.readouterr().err
    assert [c["seed"] for c in calls] == [5, 6] and {c["n"] for c in calls} == {240}
    assert calls[0]["min_cluster_size"] == themes.params["resolved"]["min_cluster_size"]
    for row in out.itertuples():
        labels = [_bucket(themes.embeddings[themes.unit_ids.index(u)])
                  for u in themes.member_ids(row.theme_id)]
        counts = np.bincount([k for k in labels if k >= 0], minlength=2)
        m = len(labels)
        assert row.n_pairs == 2 * m * (m - 1)  # every member drawn in both runs
        assert row.stability == round(float((counts * (counts - 1)).sum()) / (m * (m - 1)), 3)

    # the subsample rescales min_cluster_size; without recorded parameters, the defaults
    calls.clear()
    theme_stability(themes, n_runs=1, sample=0.5)
    assert calls[0]["n"] == 120
    assert calls[0]["min_cluster_size"] == max(2, round(
        themes.params["resolved"]["min_cluster_size"] * 0.5))
    bare = copy.copy(themes)
    bare.params = {k: v for k, v in themes.params.items() if k != "resolved"}
    calls.clear()
    theme_stability(bare, n_runs=1)
    assert {k: calls[0][k] for k in DEFAULTS} == DEFAULTS

    # one unit drawn: nothing to cluster, no pairs, no score
    calls.clear()
    tiny = theme_stability(themes, n_runs=2, sample=0.004)
    assert not calls and tiny["stability"].isna().all() and (tiny["n_pairs"] == 0).all()
