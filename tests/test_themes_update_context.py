"""Incremental updates place new units with the conversation context the fit clustered with.

Short replies ("Well, walnut feather.") carry no concern words, each its own: only what they
answer says what they are about. Fitted with context, the themes hold such replies with the
concern of their prompt. An update placing new replies by text alone leaves them unplaced; with
the fit's context (same weights, links made the same way) they join the theme of the prompt and
the turn they answer.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.embeddings import HashingEmbedder
from listenlens.themes.update import ThemeUpdater
from planted import UPDATE_WORDS

WORDS = {k: UPDATE_WORDS[k] for k in ("damp", "bus", "gp", "youth")}
PROMPTS = {"damp": "Tell us about damp, mould and repairs at home?",
           "bus": "How are the bus routes, fares and timetable?",
           "gp": "What about the doctor, surgery and appointments?",
           "youth": "And the youth club, park and activities?"}
# replies: two words of no concern, every reply its own pair (so text alone places none)
NEUTRAL = ["apple", "river", "candle", "violin", "pebble", "lantern", "meadow", "copper",
           "feather", "harbour", "quartz", "saddle", "thistle", "walnut", "zephyr", "orchid",
           "marble", "velvet", "falcon", "juniper", "cobalt", "tundra", "mosaic", "ember"]
PEOPLE = ["Amina", "Ben", "Cleo", "Dev", "Emre", "Farah", "Gus", "Hana"]


def _event(rng: random.Random, concerns: list[str], n_lines: int) -> str:
    """Per concern: the facilitator's prompt, then lines on it, each followed by a reply."""
    out = []
    for concern in concerns:
        out.append(f"Jo: {PROMPTS[concern]}")
        for i in range(n_lines):
            a, b, c = rng.sample(WORDS[concern], 3)
            out.append(f"{PEOPLE[i % len(PEOPLE)]}: The {a}, the {b} and the {c}.")
            d, e = rng.sample(NEUTRAL, 2)
            out.append(f"{PEOPLE[(i + 3) % len(PEOPLE)]}: Well, {d} {e}.")
    return "\n".join(out) + "\n"


def _replies(units: Any) -> list[str]:
    return units.loc[units["text"].str.startswith("Well, "), "unit_id"].tolist()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    rng = random.Random(3)
    concerns = list(WORDS)
    files = {f"b{e}.txt": _event(rng, concerns[e:] + concerns[:e], 6) for e in range(4)}
    files["new.txt"] = _event(rng, ["bus"], 5)
    events = sorted(f.removesuffix(".txt") for f in files)
    rows = [{"event_id": eid, "community": "Riverside", "date": f"2024-0{k + 1}-10",
             "place": "Hall", "format": "focus group", "file": f"{eid}.txt",
             "facilitator": "Jo"} for k, eid in enumerate(events)]
    consent = [{"event_id": eid, "speaker": "*", "consent": "quote"} for eid in events]
    corpus = ll.load(write_corpus(tmp_path_factory.mktemp("ctx") / "c", rows, files, consent))
    base = corpus.filter(event_id=[e for e in events if e != "new"])
    registry, _ = ThemeUpdater(embedder=HashingEmbedder(),
                               model_params={"context": "always"}).run(None, base)
    return {"corpus": corpus, "registry": registry}


def _theme_of(themes: Any, concern: str) -> str:
    """The theme holding most of a concern's lines."""
    units = themes.corpus.units
    lines = units.loc[units["text"].str.contains(WORDS[concern][0]), "unit_id"]
    return themes.primary()[lines].value_counts().index[0]


def _new_replies_in_bus(registry: Any, corpus: Any) -> int:
    reg, _ = ThemeUpdater(embedder=HashingEmbedder()).run(registry, corpus)
    units = corpus.units
    new = _replies(units[units["event_id"] == "new"])
    assert len(new) == 5
    return int((reg.themes.primary()[new] == _theme_of(reg.themes, "bus")).sum())


def test_the_fit_used_context_and_holds_replies_with_their_prompt(world: dict) -> None:
    themes = world["registry"].themes
    used = themes.params["context_used"]
    assert used["w_prev"] > 0 and used["w_prompt"] > 0
    prim = themes.primary()
    replies = _replies(themes.corpus.units)
    assert prim[replies].isin(themes.theme_ids).mean() >= 0.75


def test_new_replies_join_the_theme_of_their_prompt_with_the_fits_context(world: dict) -> None:
    registry = world["registry"]
    with_context = _new_replies_in_bus(registry, world["corpus"])
    themes = registry.themes
    text_only = registry.curate(themes.replace(
        params={**themes.params, "context_used": {"w_prev": 0.0, "w_prompt": 0.0}}))
    by_text = _new_replies_in_bus(text_only, world["corpus"])
    assert with_context >= 4 and by_text < with_context, (with_context, by_text)


@pytest.fixture(scope="module")
def segment_registry(world: dict) -> Any:
    """The same corpus fitted with the segment window: each turn leans on its stretch of talk."""
    corpus = world["corpus"]
    base = corpus.filter(event_id=sorted(set(corpus.units["event_id"]) - {"new"}))
    registry, _ = ThemeUpdater(embedder=HashingEmbedder(), model_params={
        "context": "always", "context_window": "segment"}).run(None, base)
    return registry


def _spy_segments(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    from listenlens.themes import update

    thresholds: list[float] = []
    real = update.segment_context

    def spy(*args: Any, **kwargs: Any) -> Any:
        thresholds.append(kwargs["threshold"])
        return real(*args, **kwargs)

    monkeypatch.setattr(update, "segment_context", spy)
    return thresholds


def test_a_segment_fit_places_new_units_in_their_segments(segment_registry: Any, world: dict,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    used = segment_registry.themes.params["context_used"]
    assert used["window"] == "segment" and used["n_segments"] > 0, used
    thresholds = _spy_segments(monkeypatch)
    assert _new_replies_in_bus(segment_registry, world["corpus"]) >= 4
    # placement segmented the grown corpus at the threshold the fit recorded, once
    assert thresholds == [used["segment_threshold"]]


def test_a_turn_fit_places_new_units_by_their_previous_turn(world: dict,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    assert world["registry"].themes.params["context_used"]["window"] == "turn"
    thresholds = _spy_segments(monkeypatch)
    assert _new_replies_in_bus(world["registry"], world["corpus"]) >= 4
    assert thresholds == []
