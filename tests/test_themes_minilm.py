"""Theme discovery with the real packaged MiniLM model (loaded once per test process)."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.embeddings import MiniLMEmbedder
from listenlens.themes import HOUSEKEEPING, find_themes

pytestmark = pytest.mark.slow

SAID = {
    "damp": ["The damp in our flat keeps coming back every winter.",
             "There is black mould on my son's bedroom wall.",
             "The landlord says the mould is our fault for drying clothes inside.",
             "Condensation runs down the windows and the walls are black.",
             "We reported the damp five times and nobody came to fix it.",
             "My daughter's asthma is worse because of the mould in her room.",
             "The bathroom ceiling is covered in mould again.",
             "Damp patches keep spreading behind the wardrobe."],
    "bus": ["The 42 bus never turns up on time.", "They cut the evening bus service last year.",
            "Bus fares have gone up again and I can't afford them.",
            "There's no bus to the hospital after six o'clock.",
            "I missed a job interview because the bus was cancelled.",
            "The bus timetable changes and nobody tells us.",
            "Older people are stuck at home since the bus route was cut.",
            "The night bus stopped running so I walk home in the dark."],
    "gp": ["You can't get a GP appointment for three weeks.",
           "I wait on hold at eight in the morning and all the appointments are gone.",
           "The doctor's surgery only offers phone calls now.",
           "My mum couldn't get her prescription renewed at the surgery.",
           "People end up in A&E because they can't see a GP.",
           "The receptionist at the practice turned me away.",
           "Booking a doctor's appointment online is impossible for my dad.",
           "We never see the same doctor twice at the health centre."],
}


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    embedder = MiniLMEmbedder()
    embedder.encode(["warm up"])
    return embedder


def _corpus_dir(root: Path, n_events: int, per_event: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    events, files, key = [], {}, []
    themes = sorted(SAID)
    for e in range(n_events):
        lines = [("Facilitator", "Thanks for coming, everyone. Can everyone hear me?",
                  "housekeeping")]
        for i in range(per_event):
            theme = themes[(i + e) % len(themes)]
            lines.append((f"Resident {i % 6}", rng.choice(SAID[theme]), theme))
        lines.append(("Facilitator", "Let's take a short break for tea.", "housekeeping"))
        fname = f"e{e}.txt"
        files[fname] = "".join(f"{who}: {text}\n" for who, text, _ in lines)
        key += [(fname, i + 1, t) for i, (_, _, t) in enumerate(lines)]
        events.append({"event_id": f"e{e}", "community": "Riverside", "date": f"2024-0{e + 1}-01",
                       "file": fname, "facilitator": "Facilitator"})
    write_corpus(root, events, files)
    pd.DataFrame(key, columns=["source", "line", "theme"]).to_csv(
        root.parent / "key.csv", index=False)
    return root


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
    root = _corpus_dir(tmp_path / "c", n_events=4, per_event=24)
    themes = find_themes(ll.load(root), seed=0, embedder=minilm)
    labels = " ".join(themes.table["label"]).lower()
    assert any(w in labels for w in ("mould", "damp")) and "bus" in labels
    assert any(w in labels for w in ("gp", "doctor", "appointment", "surgery"))


def test_minilm_tiny_corpus_falls_back_with_a_note(minilm, tmp_path):
    root = _corpus_dir(tmp_path / "tiny", n_events=1, per_event=18)
    themes = find_themes(ll.load(root), seed=0, embedder=minilm)
    assert themes.params["method"] == "agglomerative"
    assert any("too few for density clustering" in n for n in themes.notes)
    assert 2 <= len(themes.table) <= 6
    assert themes.summary()["share_unassigned"] <= 0.25
