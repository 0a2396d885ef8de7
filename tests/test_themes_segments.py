"""Topical segments of talk as conversation context (``context_window="segment"``).

Segments are cut where a turn stops resembling its stretch; they never cross a source, a prompt
or a turn that is not the previous one; a structure-free corpus gets no context at all (so its
themes are exactly those without context); equal runs give byte-identical themes; the choice is
recorded in the parameters; the threshold is draw-free (an exact baseline, checked by brute
force).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.errors import ParameterError
from listenlens.synthetic import make_corpus
from listenlens.themes import ThemeModel
from listenlens.themes.context import ContextLinks
from listenlens.themes.segments import (
    find_segments,
    segment_means,
    segment_threshold,
    segment_vectors,
)


def _links(prev: list[int], prompt: list[int]) -> ContextLinks:
    return ContextLinks(np.array(prev), np.array(prompt), ("a", "b"))


def _rows(*axes: int) -> np.ndarray:
    return np.eye(4, dtype=np.float32)[list(axes)]


def test_a_change_of_subject_opens_a_new_segment():
    x = _rows(0, 0, 1, 1, 1, 0)
    links = _links([-1, 0, 1, 2, 3, 4], [0] * 6)
    assert find_segments(x, links, threshold=0.5).tolist() == [0, 0, 1, 1, 1, 2]


def test_segments_never_cross_a_prompt_or_a_missing_link():
    x = _rows(0, 0, 0, 0)
    # unit 2 answers another prompt; unit 3 has no previous turn (a new source)
    links = _links([-1, 0, 1, -1], [0, 0, 1, 1])
    assert find_segments(x, links, threshold=0.5).tolist() == [0, 0, 1, 2]


def test_a_turn_joins_only_when_its_previous_turn_closes_the_segment():
    x = _rows(0, 0, 0)
    # unit 2's previous turn is unit 0, but unit 1 already continued that segment
    links = _links([-1, 0, 0], [0, 0, 0])
    assert find_segments(x, links, threshold=0.5).tolist() == [0, 0, 1]


def test_segment_means_leave_each_unit_out_and_give_singletons_nothing():
    x = _rows(0, 1, 2, 3)
    seg = np.array([0, 0, 1, -1])
    m = segment_means(x, seg)
    np.testing.assert_allclose(m[0], x[1])
    np.testing.assert_allclose(m[1], x[0])
    assert not m[2].any() and not m[3].any()


def test_segment_vectors_lean_towards_the_stretch_and_the_prompt():
    x = _rows(0, 1)
    prompt_x = _rows(2)
    z = segment_vectors(x, np.array([0, 0]), np.array([0, -1]), prompt_x, w_seg=0.5, w_prompt=0.5)
    assert z[0, 1] > 0 and z[0, 2] > 0 and z[1, 0] > 0 and z[1, 2] == 0
    np.testing.assert_allclose(np.linalg.norm(z, axis=1), 1.0, rtol=1e-6)


def test_threshold_is_the_midpoint_of_adjacent_and_chance_similarity():
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((5, 16))
    topic = np.repeat(np.arange(5), 20)
    x = centres[topic] + 0.3 * rng.standard_normal((100, 16))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    prev = np.arange(-1, 99)
    links = ContextLinks(prev, np.zeros(100, dtype=np.int64), ("q",))
    events = np.array(["e"] * 100, dtype=object)
    t = segment_threshold(x, links, events, seed=0)
    adjacent = float(np.einsum("ij,ij->i", x[1:], x[:-1]).mean())
    assert t is not None and 0.0 < t < adjacent
    seg = find_segments(x, links, t)
    # planted runs of 20 are found: few segments, none mixing two topics
    assert 5 <= seg.max() + 1 <= 15
    for s in range(seg.max() + 1):
        assert len(set(topic[seg == s].tolist())) == 1
    few = ContextLinks(np.array([-1, 0, 1]), np.zeros(3, dtype=np.int64), ("q",))
    assert segment_threshold(x[:3], few, events[:3]) is None


def test_threshold_is_draw_free_and_uses_the_exact_matched_baseline():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((60, 8)) + 0.3
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    events = np.array(["e1"] * 15 + ["e2"] * 45, dtype=object)
    prev = np.arange(-1, 59)
    prev[15] = -1                                  # each event one run of turns
    links = ContextLinks(prev, np.zeros(60, dtype=np.int64), ("q",))
    ts = {segment_threshold(x, links, events, seed=s) for s in range(6)}
    assert len(ts) == 1
    xd = x.astype(np.float64)
    means = [np.mean([xd[a] @ xd[b] for a in g for b in g if a != b])
             for g in (range(15), range(15, 60))]
    adjacent = np.einsum("ij,ij->i", xd[1:], xd[:-1])[np.arange(59) != 14]
    baseline = (14 * means[0] + 44 * means[1]) / 58
    np.testing.assert_allclose(ts.pop(), 0.5 * (adjacent.mean() + baseline), rtol=1e-6)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, ll.Corpus]:
    base = tmp_path_factory.mktemp("segments")
    out = {}
    for structure in ("runs", "independent"):
        make_corpus(base / structure, n_units=900, seed=3, structure=structure)
        out[structure] = ll.load(base / structure, progress=False)
    return out


def _fit(corpus: ll.Corpus, **params):
    return ThemeModel(seed=0, embedder=HashingEmbedder(dim=256), **params).fit(corpus).themes_


@pytest.mark.slow
def test_structure_free_corpus_is_never_segmented_and_never_changed(corpora):
    corpus = corpora["independent"]
    seg, plain = _fit(corpus, context_window="segment"), _fit(corpus, context="none")
    used = seg.params["context_used"]
    assert used["window"] is None and "n_segments" not in used, used
    pd.testing.assert_frame_equal(seg.assignments, plain.assignments)


@pytest.mark.slow
def test_runs_are_segmented_recorded_and_deterministic(corpora):
    corpus = corpora["runs"]
    a, b = _fit(corpus, context_window="segment"), _fit(corpus, context_window="segment")
    used = a.params["context_used"]
    assert a.params["context_window"] == "segment" and used["window"] == "segment", used
    assert used["n_segments"] > 0 and 0 < used["n_segmented_units"] <= len(corpus)
    assert np.isfinite(used["segment_threshold"])
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    assert a.params["hierarchy"] == b.params["hierarchy"]
    turn = _fit(corpus)
    assert turn.params["context_window"] == "turn"
    assert turn.params["context_used"]["window"] == "turn"
    assert "n_segments" not in turn.params["context_used"]


def test_unknown_context_window_is_a_clear_error(corpora):
    with pytest.raises(ParameterError, match="context_window"):
        _fit(corpora["independent"], context_window="sentence")


def test_segment_context_records_the_threshold_it_segmented_at():
    from listenlens.themes.segments import segment_context

    x = np.eye(3, dtype=np.float32)[[0, 0, 0, 1, 1]]
    links = ContextLinks(np.array([-1, 0, 1, 2, 3]), np.array([0, 0, 0, 0, 0]), ("q",))
    prompt_x = np.eye(3, dtype=np.float32)[[2]]
    z, info = segment_context(x, links, prompt_x, threshold=0.5, w_seg=0.5, w_prompt=0.25)
    seg = find_segments(x, links, 0.5)
    z_parts = segment_vectors(x, seg, links.prompt, prompt_x, w_seg=0.5, w_prompt=0.25)
    assert info.threshold == 0.5 and (info.n_segments, info.n_units) == (2, 5)
    assert np.array_equal(z, z_parts)
    assert info.as_dict()["segment_threshold"] == 0.5
