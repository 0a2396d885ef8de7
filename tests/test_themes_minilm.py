"""Theme discovery with the real packaged MiniLM model (loaded once per test process)."""

from __future__ import annotations

import pandas as pd
import pytest

import listenlens as ll
from listenlens.embeddings import MiniLMEmbedder
from listenlens.themes import HOUSEKEEPING, find_themes
from planted import minilm_corpus_dir

pytestmark = pytest.mark.slow

@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    embedder = MiniLMEmbedder()
    embedder.encode(["warm up"])
    return embedder


def test_minilm_themes_on_a_generated_corpus(minilm, tmp_path):
    from sklearn.metrics import adjusted_rand_score

    from listenlens.synthetic import make_corpus

    # the generator's default design: runs of talk under facilitator prompts, so the default
    # fit uses conversation context (structure-free corpora: tests/test_themes_context.py)
    make_corpus(tmp_path / "c", n_units=1000, seed=0)
    corpus = ll.load(tmp_path / "c", progress=False)
    themes = find_themes(corpus, seed=0, embedder=minilm, cache_dir=tmp_path / "cache")
    key = pd.read_csv(tmp_path / "c" / "_key" / "themes.csv")
    known = corpus.units.merge(key, on=["source", "line"]).set_index("unit_id")["theme"]
    found = themes.primary()
    assert (found[known == "housekeeping"] == HOUSEKEEPING).all()
    sub = known != "housekeeping"
    assert (found[sub] != HOUSEKEEPING).all()
    n_true = known[sub].nunique()
    assert adjusted_rand_score(known[sub], found[sub]) >= 0.55
    assert abs(len(themes.table) - n_true) <= 0.5 * n_true
    assert themes.summary()["share_unassigned"] <= 0.1
    assert themes.params["embedder"] == minilm.name
    assert themes.params["context_used"]["w_prev"] == 0.5
    # a cached re-run gives the same themes, and embeds nothing again
    again = find_themes(corpus, seed=0, embedder=minilm, cache_dir=tmp_path / "cache")
    pd.testing.assert_frame_equal(themes.table, again.table)
    assert again.timings["reduction_cached"] == 1.0 and again.params == themes.params
    assert again.timings["embed"] < themes.timings["embed"]


def test_minilm_labels_name_the_concern(minilm, tmp_path):
    root = minilm_corpus_dir(tmp_path / "c", n_events=4, per_event=24)
    themes = find_themes(ll.load(root), seed=0, embedder=minilm)
    labels = " ".join(themes.table["label"]).lower()
    assert any(w in labels for w in ("mould", "damp")) and "bus" in labels
    assert any(w in labels for w in ("gp", "doctor", "appointment", "surgery", "practice"))


def test_minilm_tiny_corpus_falls_back_with_a_note(minilm, tmp_path):
    root = minilm_corpus_dir(tmp_path / "tiny", n_events=1, per_event=18)
    themes = find_themes(ll.load(root), seed=0, embedder=minilm)
    assert themes.params["method"] == "agglomerative"
    assert any("too few for density clustering" in n for n in themes.notes)
    assert 2 <= len(themes.table) <= 6
    assert themes.summary()["share_unassigned"] <= 0.25


def test_example_briefing_top_five_labels_name_no_place_person_or_time(minilm, tmp_path):
    # the bundled example's briefing leads with these five themes; no word of their labels may
    # be read by spaCy as a place, person, date or time (the blocked entity types)
    from pathlib import Path

    from listenlens.briefing.tally import Tally
    from listenlens.themes.labels import BLOCKED_ENTITIES, SPACY_MODEL, _pipeline

    root = Path(__file__).resolve().parents[1] / "corpora" / "examples" / "riverside"
    themes = find_themes(ll.load(root, progress=False), seed=0, embedder=minilm,
                         cache_dir=tmp_path / "cache")
    tally = Tally.from_themes(themes)
    top = tally.ranked_themes(tally.units_by_theme())[:5]
    assert len(top) == 5
    nlp = _pipeline(SPACY_MODEL)
    for tid in top:
        # the label as a briefing shows it, alone (set in a sentence, the small model reads a
        # capitalised first word as a name: "about Cafe at the leisure centre" -> PERSON)
        label = themes.label(tid)
        found = {(e.text, e.label_) for e in nlp(label).ents if e.label_ in BLOCKED_ENTITIES}
        assert not found, (label, found)
