"""``ThemeUpdater``'s parameters each move an incremental update in their documented direction.

One small corpus folder (HashingEmbedder, so no model) holds every event; a registry is built on
the first four events (four concerns), and each test updates it with a subset of the others
under two settings of one parameter:

* ``join_neighbours``/``join_agreement``: new units of the old concerns join their themes when
  few neighbours are asked, or little agreement; asked more neighbours than a theme has units, or
  more agreement than the share of them in its own theme, they wait in the pool instead.
* ``pool_trigger``: a pool holding curated-out units and two new ones is clustered at once with a
  low trigger, and waits (units pending, a note) with a trigger of the whole theme size.
* ``match_threshold``: a new concern is born as a theme at the default threshold and grows an old
  theme when any match is accepted.
* ``keyword_weight``: the new concern shares no keywords with any theme but its centroid is a
  little like one; with the match threshold between the two scores, weighting keywords fully
  makes it a new theme and weighting centroids fully makes it grow the old one.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.embeddings import HashingEmbedder
from listenlens.themes.registry import ThemeRegistry
from listenlens.themes.result import UNASSIGNED
from listenlens.themes.update import ThemeUpdater
from planted import UPDATE_WORDS

# only the concerns' own words carry meaning (the templates are stop words)
WORDS = UPDATE_WORDS
OLD = ["damp", "bus", "gp", "youth"]
TEMPLATES = ["The {a}, the {b} and the {c}.", "It is the {a} and the {b} and the {c}.",
             "And the {a}, {b}, {c}!"]
PEOPLE = ["Amina", "Ben", "Cleo", "Dev", "Emre", "Farah", "Gus", "Hana", "Ira", "Jon"]


def _line(rng: random.Random, concern: str) -> str:
    a, b, c = rng.sample(WORDS[concern], 3)
    return rng.choice(TEMPLATES).format(a=a, b=b, c=c)


def _events() -> dict[str, list[str]]:
    """Texts of each event: four base events, then one event per scenario."""
    rng = random.Random(7)
    out = {f"b{e}": [_line(rng, OLD[(i + e) % 4]) for i in range(40)] for e in range(4)}
    out["old"] = [_line(rng, OLD[i % 4]) for i in range(12)]
    out["food"] = [_line(rng, "food") for _ in range(12)]
    out["twofood"] = [_line(rng, "food") for _ in range(2)]
    return out


def _speakers(rng: random.Random, n: int) -> list[str]:
    """``n`` speakers drawn at random, never the same twice in a row (readers merge a speaker's
    consecutive lines into one turn)."""
    out: list[str] = []
    for _ in range(n):
        out.append(rng.choice([p for p in PEOPLE if not out or p != out[-1]]))
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    events = _events()
    # speakers drawn at random, so nobody's turns share a concern more than chance (a speaker
    # taking the concerns in turn would switch the speaker context on and pull the other way)
    rng = random.Random(11)
    files = {f"{eid}.txt": "Jo: Thanks for coming, everyone.\n" + "".join(
        f"{who}: {text}\n" for who, text in zip(_speakers(rng, len(texts)), texts))
        for eid, texts in events.items()}
    rows = [{"event_id": eid, "community": "Riverside", "date": f"2024-{k + 1:02d}-10",
             "place": "Hall", "format": "drop-in", "file": f"{eid}.txt", "facilitator": "Jo"}
            for k, eid in enumerate(events)]
    consent = [{"event_id": eid, "speaker": "*", "consent": "quote"} for eid in events]
    corpus = ll.load(write_corpus(tmp_path_factory.mktemp("params") / "c", rows, files,
                                  consent))
    base_events = [f"b{e}" for e in range(4)]
    registry, _ = ThemeUpdater(embedder=HashingEmbedder()).run(
        None, corpus.filter(event_id=base_events))
    return {"corpus": corpus, "base": base_events, "registry": registry}


def _update(world: dict, extra: str, registry: ThemeRegistry | None = None, **params):
    corpus = world["corpus"].filter(event_id=[*world["base"], extra])
    return ThemeUpdater(embedder=HashingEmbedder(), **params).run(
        registry or world["registry"], corpus)


def test_the_base_registry_has_the_four_concerns(world: dict) -> None:
    assert len(world["registry"].themes.theme_ids) == 4
    assert world["registry"].themes.params["context_used"]["w_speaker"] == 0.0


# a pool that never clusters (a theme would need 500 units), so units that do not join wait
WAIT = {"model_params": {"min_theme_size": 500}}


def test_more_neighbours_asked_fewer_units_join(world: dict) -> None:
    # each old theme has 40 units: of 100 neighbours at most 40% can agree
    _, one = _update(world, "old", join_neighbours=1, **WAIT)
    _, many = _update(world, "old", join_neighbours=100, **WAIT)
    assert one.n_new == many.n_new == 13  # 12 lines and the facilitator's welcome
    assert one.n_joined >= 10 and many.n_joined == 0 and many.n_unassigned == 12


def test_more_agreement_asked_fewer_units_join(world: dict) -> None:
    # of 60 neighbours, at most the 40 of the unit's own theme agree: 67%
    _, lenient = _update(world, "old", join_neighbours=60, join_agreement=0.4, **WAIT)
    _, strict = _update(world, "old", join_neighbours=60, join_agreement=0.8, **WAIT)
    assert lenient.n_joined >= 10 and strict.n_joined == 0 and strict.n_unassigned == 12


def test_a_higher_pool_trigger_keeps_the_pool_waiting(world: dict) -> None:
    reg = world["registry"]
    damp = reg.themes.theme_ids[0]
    moved = reg.themes.member_ids(damp)[:8]
    curated = reg.curate(reg.themes.move(moved, UNASSIGNED, who="test"))
    sizes = {"model_params": {"min_theme_size": 5}}
    soon, soon_report = _update(world, "twofood", curated, pool_trigger=0.25, **sizes)
    late, late_report = _update(world, "twofood", curated, pool_trigger=1.0, **sizes)
    # both pools hold the 8 units curated out and the 2 new ones (at least the 5 of a theme)
    assert late.pending and len(late.pending) == 2
    assert any("wait in a pool of" in n for n in late_report.notes)
    assert soon.pending == [] and not any("wait in a pool" in n for n in soon_report.notes)


def test_a_lower_match_threshold_grows_old_themes_instead_of_new_ones(world: dict) -> None:
    _, strict = _update(world, "food")
    _, lenient = _update(world, "food", match_threshold=-1.0)
    assert strict.n_in_new_themes > 0 and {"born"} <= {e.kind for e in strict.lineage}
    assert lenient.n_in_new_themes == 0
    assert "born" not in {e.kind for e in lenient.lineage}
    assert any("as a group that matched it" in e.detail for e in lenient.lineage)


def test_keyword_weight_trades_centroid_likeness_for_shared_keywords(world: dict) -> None:
    themes = world["registry"].themes
    corpus = world["corpus"]
    food = corpus.units.loc[corpus.units["event_id"] == "food", "text"].tolist()
    x = HashingEmbedder().encode(food).mean(axis=0)
    x = x / np.linalg.norm(x)
    closest = max(float(themes.centroid(t) @ x) for t in themes.theme_ids)
    assert closest > 0.05  # hashed features make the food group a little like one theme
    threshold = closest / 2  # above the keyword score (0: no shared keywords), below this
    _, by_centroid = _update(world, "food", match_threshold=threshold, keyword_weight=0.0)
    _, by_keywords = _update(world, "food", match_threshold=threshold, keyword_weight=1.0)
    assert by_centroid.n_in_new_themes == 0 and by_centroid.n_joined > 0
    assert by_keywords.n_in_new_themes > 0


def test_keywords_and_new_labels_of_an_update_follow_the_corpus_names_rule(world, monkeypatch):
    # the fit labels with the corpus's own names (community, place, facilitator, speakers) ruled
    # out; an update must hand the same names to its keywords and to the labels of born themes
    import listenlens.themes.update as update_module

    seen = {}

    def spy(name, real):
        def wrapper(*args, **kwargs):
            seen[name] = kwargs.get("context")
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(update_module, "phrase_labels",
                        spy("labels", update_module.phrase_labels))
    monkeypatch.setattr(update_module, "top_keywords", spy("keywords", update_module.top_keywords))
    _, report = _update(world, "food")
    assert {"born"} <= {e.kind for e in report.lineage}
    want = update_module.label_context(world["corpus"])
    for name in ("labels", "keywords"):
        assert seen.get(name) is not None, f"{name} were made without the corpus's names"
        assert seen[name].names == want.names
