"""Speaker context: a turn leans towards what its speaker said elsewhere at the same event.

The means are leave-one-out and the test's baseline exact (both checked by brute force); the
test sees speakers who keep to one concern and not speakers drawn at random; a fit uses the term
where the test passes, records it, and holds a speaker's wordless turns ("Kobafire
zulemato.") with the concern they keep to; an update places new ones the same way. A corpus whose
speakers take their turns at random gets no speaker term (the structure-free test in
``test_themes_context.py`` checks that its themes are then unchanged).
"""

from __future__ import annotations

import random
from types import SimpleNamespace as U
from typing import Any

import numpy as np
import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.embeddings import HashingEmbedder
from listenlens.themes import ThemeModel, find_themes
from listenlens.themes.context import decide_context
from listenlens.themes.speakers import (
    speaker_evidence,
    speaker_groups,
    speaker_means,
    speaker_similarities,
    with_speakers,
)
from listenlens.themes.update import ThemeUpdater
from planted import UPDATE_WORDS

CONCERNS = ["damp", "bus", "gp", "youth"]
PEOPLE = ["Amina", "Ben", "Cleo", "Dev", "Emre", "Farah", "Gus", "Hana"]


# --- the parts, by brute force -----------------------------------------------------------------

def _units(rows: list[tuple[str, str, str]]) -> list[Any]:
    return [U(event_id=e, speaker_id=s, speaker=s, role=r) for e, s, r in rows]


def test_groups_leave_out_facilitators_housekeeping_unlabelled_and_one_label_events():
    units = _units([("a", "p1", "participant"), ("a", "p2", "participant"),
                    ("a", "p1", "participant"), ("a", "jo", "facilitator"),
                    ("a", "", "participant"), ("a", "p2", "participant"),
                    ("b", "Customer", "participant"), ("b", "Customer", "participant")])
    keep = np.array([True, True, True, True, True, False, True, True])
    groups = speaker_groups(units, keep)
    # p2's second turn is housekeeping; one label for all of event b names no person
    assert groups.tolist() == [0, 1, 0, -1, -1, -1, -1, -1]


def test_speaker_means_are_leave_one_out_means():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((30, 6)).astype(np.float32)
    groups = rng.integers(-1, 5, size=30)
    m, has = speaker_means(x, groups)
    for i in range(30):
        others = [j for j in range(30) if j != i and groups[j] == groups[i] and groups[i] >= 0]
        assert has[i] == bool(others)
        want = x[others].mean(axis=0) if others else np.zeros(6)
        np.testing.assert_allclose(m[i], want, rtol=1e-5, atol=1e-6)


def test_the_baseline_is_the_mean_over_all_pairs_of_the_events_labelled_units():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 5)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    events = np.array(["a"] * 25 + ["b"] * 15, dtype=object)
    groups = np.array([i % 4 if i < 25 else 4 + i % 3 for i in range(40)])
    groups[[3, 30]] = -1
    sims = speaker_similarities(x, groups, events)
    for j, r in enumerate(sims.rows.tolist()):
        rows = [i for i in range(40) if events[i] == events[r] and groups[i] >= 0]
        pairs = [float(x[a] @ x[b]) for a in rows for b in rows if a != b]
        assert sims.expected[j] == pytest.approx(np.mean(pairs), abs=1e-6)
        others = [i for i in rows if i != r and groups[i] == groups[r]]
        assert sims.own[j] == pytest.approx(float(x[r] @ x[others].mean(axis=0)), abs=1e-6)


def _persona_vectors(seed: int, shuffle: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Six events of 8 speakers with 6 turns each; each speaker keeps to one of four concerns
    (a concern direction plus noise); ``shuffle`` gives the same turns random speakers."""
    rng = np.random.default_rng(seed)
    centres = np.eye(4, 16)
    rows, groups, events = [], [], []
    for e in range(6):
        for k in range(8):
            for _ in range(6):
                rows.append(centres[(k + e) % 4] + 1.2 * rng.standard_normal(16))
                groups.append(e * 8 + k)
                events.append(f"e{e}")
    x = np.array(rows, dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    g = np.array(groups)
    if shuffle:
        for e in range(6):
            block = slice(e * 48, (e + 1) * 48)
            g[block] = rng.permutation(g[block])
    return x, g, np.array(events, dtype=object)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_speakers_who_keep_to_a_concern_are_seen_and_random_speakers_are_not(seed):
    z_kept, n = speaker_evidence(*_persona_vectors(seed, shuffle=False))
    z_random, _ = speaker_evidence(*_persona_vectors(seed, shuffle=True))
    assert n == 288 and z_kept is not None and z_kept >= 3.0
    assert z_random is not None and z_random < 3.0
    # draw-free: the same data give the same z
    assert speaker_evidence(*_persona_vectors(seed, shuffle=False))[0] == z_kept


def test_the_decision_tests_the_speaker_term_in_every_mode_but_none():
    no_links = (None, None, 0, 0)
    assert decide_context("auto", no_links, speaker=(5.0, 40)).w_speaker == 0.5
    assert decide_context("auto", no_links, speaker=(1.0, 40)).w_speaker == 0.0
    # "always" forces the conversation terms, not the speaker term
    assert decide_context("always", no_links, speaker=(1.0, 40)).w_speaker == 0.0
    assert decide_context("always", no_links, speaker=(5.0, 40)).w_speaker == 0.5
    assert decide_context("none", no_links, speaker=(5.0, 40)).w_speaker == 0.0
    off = decide_context("auto", no_links, speaker=None)
    assert off.w_speaker == 0.0 and "speaker's other turns: switched off" in off.reason


def test_with_speakers_adds_the_term_only_where_there_is_one():
    z = np.eye(3, dtype=np.float32)
    m = np.array([[0, 1, 0], [0, 0, 0], [1, 0, 0]], dtype=np.float32)
    has = np.array([True, False, True])
    out = with_speakers(z, 0.5, m, has)
    np.testing.assert_allclose(out[1], z[1])
    np.testing.assert_allclose(out[0], np.array([1, 0.5, 0]) / np.sqrt(1.25), rtol=1e-6)
    assert with_speakers(z, 0.0, m, has) is z


# --- a fit and an update -----------------------------------------------------------------------

def _nonsense(rng: random.Random) -> str:
    """A made-up word: wordless turns share nothing with each other or with any concern."""
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(4))


def _event(rng: random.Random, e: int, people: list[str], turns: int = 6) -> str:
    """Each speaker keeps to one concern: four worded turns and two wordless ones of their own,
    in a random order of speakers (so adjacent turns are no more alike than chance)."""
    said = []
    for k, who in enumerate(people):
        words = UPDATE_WORDS[CONCERNS[(k + e) % 4]]
        for t in range(turns):
            if t < turns - 2:
                a, b, c = rng.sample(words, 3)
                said.append((who, f"The {a}, the {b} and the {c}."))
            else:
                d, f = (_nonsense(rng) for _ in range(2))
                said.append((who, f"{d.capitalize()} {f}."))
    rng.shuffle(said)
    lines, last = [], ""
    for who, text in said:
        if who == last:  # readers would merge two lines of one speaker: a facilitator between
            lines.append("Jo: Thank you.")
        lines.append(f"{who}: {text}")
        last = who
    return "Jo: Welcome, everyone.\n" + "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    rng = random.Random(5)
    files = {f"e{e}.txt": _event(rng, e, PEOPLE) for e in range(5)}
    events = sorted(f.removesuffix(".txt") for f in files)
    rows = [{"event_id": eid, "community": "Riverside", "date": f"2024-0{k + 1}-10",
             "place": "Hall", "format": "drop-in", "file": f"{eid}.txt", "facilitator": "Jo"}
            for k, eid in enumerate(events)]
    consent = [{"event_id": eid, "speaker": "*", "consent": "quote"} for eid in events]
    corpus = ll.load(write_corpus(tmp_path_factory.mktemp("spk") / "c", rows, files, consent))
    return {"corpus": corpus, "base": corpus.filter(event_id=events[:4])}


def _wordless_with_their_concern(themes: Any, event_ids: set[str] | None = None) -> float:
    """Share of wordless turns whose theme is the theme holding most of their speaker's
    worded turns at that event."""
    units = themes.corpus.units
    prim = themes.primary()
    hits = []
    for (event, speaker), rows in units.groupby(["event_id", "speaker"]):
        if speaker == "Jo" or (event_ids is not None and event not in event_ids):
            continue
        worded = rows.loc[rows["text"].str.startswith("The "), "unit_id"]
        home = prim[worded].value_counts().index[0]
        wordless = rows.loc[~rows["text"].str.startswith("The "), "unit_id"]
        hits.extend((prim[wordless] == home).tolist())
    return float(np.mean(hits))


def _fit(corpus: Any, **params: Any) -> Any:
    return find_themes(corpus, seed=0, embedder=HashingEmbedder(dim=256), **params)


def test_a_fit_uses_and_records_speaker_context_where_speakers_keep_to_a_concern(world):
    themes = _fit(world["base"])
    used = themes.params["context_used"]
    assert used["w_speaker"] == 0.5 and used["z_speaker"] >= 3.0, used
    assert used["w_prev"] == 0.0  # the turns come in random order
    assert "speaker's other turns: used" in used["reason"]
    off = _fit(world["base"], speaker_context=False)
    assert off.params["context_used"]["w_speaker"] == 0.0
    assert off.params["speaker_context"] is False
    with_term, without = (_wordless_with_their_concern(t) for t in (themes, off))
    assert with_term >= 0.75 and without < with_term, (with_term, without)


def test_the_model_keeps_the_vectors_clustering_saw(world):
    on = ThemeModel(seed=0, embedder=HashingEmbedder(dim=256)).fit(world["base"])
    off = ThemeModel(seed=0, embedder=HashingEmbedder(dim=256), context="none").fit(world["base"])
    x, z = on.embeddings_, on.context_embeddings_
    assert z.shape == x.shape and np.allclose(np.linalg.norm(z, axis=1), 1.0, atol=1e-5)
    # the speaker term moved the participants' turns and left the facilitator's as they were
    moved = ~np.isclose(z, x, atol=1e-6).all(axis=1)
    role = world["base"].units["role"].to_numpy()
    assert moved[role == "participant"].mean() > 0.9 and not moved[role != "participant"].any()
    assert off.context_embeddings_ is off.embeddings_


def test_an_update_places_new_wordless_turns_with_their_speakers_concern(world):
    registry, _ = ThemeUpdater(embedder=HashingEmbedder(dim=256)).run(None, world["base"])
    assert registry.themes.params["context_used"]["w_speaker"] == 0.5
    grown, _ = ThemeUpdater(embedder=HashingEmbedder(dim=256)).run(registry, world["corpus"])
    placed = _wordless_with_their_concern(grown.themes, {"e4"})
    themes = registry.themes
    text_only = registry.curate(themes.replace(
        params={**themes.params, "context_used": {**themes.params["context_used"],
                                                  "w_speaker": 0.0}}))
    by_text, _ = ThemeUpdater(embedder=HashingEmbedder(dim=256)).run(text_only, world["corpus"])
    alone = _wordless_with_their_concern(by_text.themes, {"e4"})
    # joining is cautious (a new unit needs its neighbours' agreement), so not all join; the
    # speaker term is what places most of those that do
    assert placed >= 0.5 and placed >= alone + 0.25, (placed, alone)
