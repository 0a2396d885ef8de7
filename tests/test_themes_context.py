"""Conversation context and the data-chosen theme hierarchy.

Context is used only where the corpus shows structure, so a structure-free corpus gets exactly
the themes it would get without context; a corpus of runs under prompts gets context. The
hierarchy (themes over fine clusters) has stable ids across equal runs and survives save/open.
The previous-turn and prompt tests' baselines are exact (all pairs of each event; all other
prompts of each event; both checked by brute force), so neither z depends on the seed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.synthetic import make_corpus
from listenlens.themes import ThemeModel, find_themes
from listenlens.themes.context import (
    ContextLinks,
    contextual_embeddings,
    conversation_links,
    decide_context,
    pair_baseline,
    prompt_similarities,
    structure_evidence,
    turn_similarities,
)
from listenlens.themes.discover import group_leaves


def _synthetic(root: Path, structure: str) -> ll.Corpus:
    make_corpus(root, n_units=900, seed=3, structure=structure)
    return ll.load(root, progress=False)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, ll.Corpus]:
    base = tmp_path_factory.mktemp("context")
    return {s: _synthetic(base / s, s) for s in ("runs", "independent")}


def _fit(corpus: ll.Corpus, **params):
    return ThemeModel(seed=0, embedder=HashingEmbedder(dim=256), **params).fit(corpus).themes_


@pytest.mark.slow
def test_structure_free_corpus_gets_no_context_and_identical_themes(corpora):
    corpus = corpora["independent"]
    auto, none = _fit(corpus), _fit(corpus, context="none")
    ctx = auto.params["context_used"]
    assert ctx["w_prev"] == 0.0 and ctx["w_prompt"] == 0.0 and ctx["w_speaker"] == 0.0, ctx
    assert ctx["z_prev"] is not None and ctx["z_prev"] < 3.0
    assert ctx["z_speaker"] is not None and ctx["z_speaker"] < 3.0
    # context never makes a structure-free corpus worse: here it changes nothing at all
    pd.testing.assert_frame_equal(auto.assignments, none.assignments)
    assert auto.table.theme_id.tolist() == none.table.theme_id.tolist()


@pytest.mark.slow
def test_runs_under_prompts_are_detected_and_used(corpora):
    themes = _fit(corpora["runs"])
    ctx = themes.params["context_used"]
    assert ctx["w_prev"] == 0.5 and ctx["z_prev"] >= 3.0, ctx
    assert "previous turn: used" in ctx["reason"]


@pytest.mark.slow
def test_forcing_context_on_a_structure_free_corpus_changes_the_fit(corpora):
    # the guard matters: with context forced on, the same corpus is clustered differently
    corpus = corpora["independent"]
    forced, none = _fit(corpus, context="always"), _fit(corpus, context="none")
    assert forced.params["context_used"]["w_prev"] == 0.5
    assert not forced.assignments.equals(none.assignments)


def test_links_follow_sources_skip_facilitators_and_use_headings():
    from types import SimpleNamespace as U

    units = [U(source="a.txt", role="facilitator", context="", text="What about the buses?"),
             U(source="a.txt", role="participant", context="", text="Late again."),
             U(source="b.md", role="participant", context="Transport", text="No buses."),
             U(source="a.txt", role="participant", context="", text="Hello all."),
             U(source="a.txt", role="participant", context="", text="And fares.")]
    links = conversation_links(units, np.array([True, True, True, False, True]))
    # housekeeping (row 3) is skipped, files never link to each other
    assert links.prev.tolist() == [-1, -1, -1, -1, 1]
    assert [links.prompt_texts[p] if p >= 0 else None for p in links.prompt.tolist()] == [
        None, "What about the buses?", "Transport", None, "What about the buses?"]


def test_the_decision_follows_the_evidence_and_the_mode():
    strong, weak = (8.0, 5.0, 100, 100), (1.0, None, 100, 0)
    assert decide_context("auto", strong).w_prev == 0.5
    assert decide_context("auto", strong).w_prompt == 0.5
    assert decide_context("auto", weak).w_prev == 0.0
    assert decide_context("always", weak).w_prev == 0.5
    assert decide_context("always", weak).w_prompt == 0.0  # no prompts to use
    assert decide_context("none", strong).w_prev == 0.0
    with pytest.raises(ValueError, match="context must be one of"):
        decide_context("sometimes", strong)


def test_structure_evidence_sees_planted_adjacency():
    rng = np.random.default_rng(0)
    centres = np.eye(16, dtype=np.float32)
    topic = np.repeat(np.arange(8), 20)          # runs of 20 turns on one topic
    x = centres[topic] + 0.4 * rng.standard_normal((160, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    prev = np.arange(-1, 159)
    links = ContextLinks(prev, np.full(160, -1), ())
    events = np.array(["e1"] * 80 + ["e2"] * 80, dtype=object)
    z_runs, *_ = structure_evidence(x, links, events, None)
    shuffled = x[rng.permutation(160)]
    z_flat, *_ = structure_evidence(shuffled, links, events, None)
    assert z_runs > 3.0 > z_flat
    z = contextual_embeddings(x, prev, links.prompt, None, w_prev=0.5, w_prompt=0.0)
    assert np.allclose(np.linalg.norm(z, axis=1), 1.0, atol=1e-5)


def _unequal_events(seed: int) -> tuple[np.ndarray, np.ndarray, ContextLinks]:
    """Unit vectors (d = 8) in five events of 3, 5, 20, 2 and 11 turns, each event one run of
    turns, and a few rows that are nobody's turn (no previous turn and not one)."""
    rng = np.random.default_rng(seed)
    sizes = {"a": 3, "b": 5, "c": 20, "d": 2, "e": 11}
    events = np.array([e for e, n in sizes.items() for _ in range(n)] + ["c"] * 4, dtype=object)
    x = rng.standard_normal((len(events), 8)) + 0.5  # a common direction: pairs not centred
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    prev = np.full(len(events), -1)
    start = 0
    for n in sizes.values():
        prev[start + 1:start + n] = np.arange(start, start + n - 1)
        start += n
    return x, events, ContextLinks(prev, np.full(len(events), -1), ())


@pytest.mark.parametrize("block", [8192, 4])
def test_the_exact_baseline_equals_all_pairs_by_brute_force(block, monkeypatch):
    from listenlens.themes import context

    monkeypatch.setattr(context, "_BLOCK", block)  # 4: the d x d Gram summed over blocks
    x, events, links = _unequal_events(0)
    rows = np.union1d(np.where(links.prev >= 0)[0], links.prev[links.prev >= 0])
    base = pair_baseline(x, rows, events)
    assert base.events == ("a", "b", "c", "e")   # "d" has two rows; the 4 loose rows are out
    for k, e in enumerate(base.events):
        group = [r for r in rows.tolist() if events[r] == e]
        sims = [float(x[a] @ x[b]) for a in group for b in group if a != b]
        assert base.size[k] == len(group)
        np.testing.assert_allclose(base.mean[k], np.mean(sims), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(base.var[k], np.var(sims), rtol=1e-10, atol=1e-12)
    # the matched baseline weighs each event by its adjacent pairs (2, 4, 19 and 10)
    sims = turn_similarities(x, links, events)
    assert len(sims.linked) == 35
    expected = (2 * base.mean[0] + 4 * base.mean[1] + 19 * base.mean[2] + 10 * base.mean[3]) / 35
    np.testing.assert_allclose(sims.baseline, expected, rtol=1e-10)


def test_z_prev_is_draw_free():
    x, events, links = _unequal_events(1)
    zs = {structure_evidence(x, links, events, None, seed=s)[0] for s in range(8)}
    assert len(zs) == 1 and None not in zs
    # and it is the one-sample z of the differences from each pair's event baseline
    sims = turn_similarities(x, links, events)
    diff = sims.linked - sims.expected
    np.testing.assert_allclose(zs.pop(), diff.mean() / diff.std(ddof=1) * np.sqrt(len(diff)))


def _prompted(seed: int, planted: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         np.ndarray]:
    """Units (d = 16) answering prompts in four events: "a" answers prompts 0-2, "b" 3-6,
    "c" only prompt 7 (left out of the test), "d" prompts 0, 8 and 9 (prompt 0 is shared with
    "a"); three units have no prompt. With ``planted`` each unit leans to its own prompt."""
    rng = np.random.default_rng(seed)
    px = rng.standard_normal((10, 16))
    px /= np.linalg.norm(px, axis=1, keepdims=True)
    answered = {"a": [0, 1, 2], "b": [3, 4, 5, 6], "c": [7], "d": [0, 8, 9]}
    events, prompt = [], []
    for e, ps in answered.items():
        for p in ps:
            n = int(rng.integers(4, 9))
            events += [e] * n
            prompt += [p] * n
    events += ["a", "b", "d"]
    prompt += [-1, -1, -1]
    order = rng.permutation(len(events))         # units of an event need not be contiguous
    events = np.array(events, dtype=object)[order]
    prompt = np.array(prompt)[order]
    x = rng.standard_normal((len(events), 16))
    if planted:
        x[prompt >= 0] += 2.0 * px[prompt[prompt >= 0]]
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), px.astype(np.float32), events, prompt


def test_the_prompt_baseline_equals_all_other_prompts_by_brute_force():
    x, px, events, prompt = _prompted(0)
    ps = prompt_similarities(x, px, prompt, events)
    answered: dict[str, set[int]] = {}
    for r in np.where(prompt >= 0)[0].tolist():
        answered.setdefault(events[r], set()).add(int(prompt[r]))
    kept = [r for r in range(len(x)) if prompt[r] >= 0 and len(answered[events[r]]) > 1]
    assert ps.rows.tolist() == kept
    assert not any(events[r] == "c" for r in ps.rows.tolist())   # one prompt: left out
    assert len(kept) == int((prompt >= 0).sum() - (events[prompt >= 0] == "c").sum())
    for j, r in enumerate(kept):
        others = sorted(answered[events[r]] - {int(prompt[r])})
        brute = np.mean([float(np.float64(x[r]) @ np.float64(px[q])) for q in others])
        np.testing.assert_allclose(ps.expected[j], brute, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ps.own[j], np.float64(x[r]) @ np.float64(px[prompt[r]]),
                                   rtol=1e-10, atol=1e-12)


def test_z_prompt_is_draw_free_and_the_paired_z():
    x, px, events, prompt = _prompted(1)
    links = ContextLinks(np.full(len(x), -1), prompt, tuple(f"q{i}" for i in range(10)))
    zs = {structure_evidence(x, links, events, px, seed=s)[1] for s in range(8)}
    assert len(zs) == 1 and None not in zs
    ps = prompt_similarities(x, px, prompt, events)
    diff = ps.own - ps.expected
    np.testing.assert_allclose(zs.pop(), diff.mean() / diff.std(ddof=1) * np.sqrt(len(diff)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_prompt_structure_is_detected_and_a_shuffled_assignment_is_not(seed):
    x, px, events, prompt = _prompted(seed)
    links = ContextLinks(np.full(len(x), -1), prompt, tuple(f"q{i}" for i in range(10)))
    z_planted = structure_evidence(x, links, events, px)[1]
    # shuffle which prompt each unit answers within its event: the structure is gone
    rng = np.random.default_rng(100 + seed)
    shuffled = prompt.copy()
    for e in np.unique(events):
        rows = np.where((events == e) & (prompt >= 0))[0]
        shuffled[rows] = prompt[rng.permutation(rows)]
    z_null = structure_evidence(x, ContextLinks(links.prev, shuffled, links.prompt_texts),
                                events, px)[1]
    assert z_planted > 3.0 > z_null, (z_planted, z_null)


def test_group_leaves_joins_facets_that_are_each_others_neighbours():
    rng = np.random.default_rng(1)
    # two concerns, each with two facets: facets of one concern share half their direction
    base = np.eye(8, dtype=np.float32)
    facets = [base[0] + base[1], base[0] + base[2], base[4] + base[5], base[4] + base[6]]
    x = np.concatenate([f + 0.5 * rng.standard_normal((40, 8)).astype(np.float32)
                        for f in facets])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    leaves = np.repeat(np.arange(4), 40)
    group_of, resolution = group_leaves(x, leaves, max_groups=2, seed=0)
    assert group_of[0] == group_of[1] != group_of[2] == group_of[3]
    assert resolution <= 1.0


@pytest.mark.slow
def test_hierarchy_ids_are_stable_across_equal_runs(corpora, tmp_path):
    corpus = corpora["runs"]
    a, b = _fit(corpus), _fit(corpus)
    tree_a, tree_b = a.tree, b.tree
    assert (tree_a.level == 2).sum() >= len(a.table)      # every theme has sub-themes
    pd.testing.assert_frame_equal(tree_a, tree_b)
    assert set(tree_a.loc[tree_a.level == 2, "parent_id"]) <= set(a.table.theme_id)
    # every themed unit has one sub-theme under its own theme
    sub = a.subtheme_of().dropna()
    parent = tree_a.set_index("node_id")["parent_id"]
    prim = a.primary()
    assert (parent.reindex(sub.to_numpy()).to_numpy() == prim.reindex(sub.index).to_numpy()).all()
    a.save(tmp_path / "themes")
    pd.testing.assert_frame_equal(ll.open_themes(tmp_path / "themes").tree, tree_a)


@pytest.mark.slow
def test_top_level_is_at_most_max_themes(corpora):
    themes = find_themes(corpora["runs"], seed=0, embedder=HashingEmbedder(dim=256),
                         max_themes=4)
    assert len(themes.table) <= 4
    assert themes.params["details"]["n_leaves"] >= len(themes.table)
    with pytest.raises(ValueError, match="max_themes"):
        ThemeModel(max_themes=0).fit(corpora["runs"])


@pytest.mark.slow
def test_broad_granularity_has_no_sub_themes(corpora):
    themes = _fit(corpora["runs"], granularity="broad")
    assert (themes.tree.level == 2).sum() == 0
    assert themes.subtheme_of().isna().all()
