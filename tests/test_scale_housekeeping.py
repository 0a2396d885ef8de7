"""The housekeeping phrase list runs once per fit: the context's logistics rule reuses the
detector's phrase matches, and the themes are exactly those of two separate detector runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.errors import ParameterError
from listenlens.themes import housekeeping, model
from listenlens.themes.housekeeping import detect_housekeeping


@pytest.fixture(scope="module")
def corpus() -> ll.Corpus:
    return ll.load("corpora/examples/riverside", progress=False)


def test_given_phrase_matches_give_the_same_answer_for_every_rule(corpus) -> None:
    units = corpus.unit_records
    texts, roles = [u.text for u in units], [u.role for u in units]
    emb = HashingEmbedder(dim=64)
    x = emb.encode(texts)
    first = detect_housekeeping(texts, roles, embeddings=x, embedder=emb)
    assert first.phrase.dtype == bool and first.phrase.sum() > 0
    assert np.array_equal(first.phrase, [housekeeping.matches_phrase(t) for t in texts])
    for rule in ("housekeeping", "detect"):
        fresh = detect_housekeeping(texts, roles, embeddings=x, embedder=emb, facilitator=rule)
        shared = detect_housekeeping(texts, roles, embeddings=x, embedder=emb, facilitator=rule,
                                     phrase=first.phrase)
        for a, b in zip(fresh, shared):
            assert np.array_equal(a, b)
    # the given matches are what the rule uses: none given, no facilitator phrase evidence
    none = detect_housekeeping(texts, roles, facilitator="detect",
                               phrase=np.zeros(len(texts), dtype=bool))
    assert none.flags.sum() < detect_housekeeping(texts, roles, facilitator="detect").flags.sum()
    with pytest.raises(ParameterError, match="phrase must be one flag per text"):
        detect_housekeeping(texts, roles, phrase=first.phrase[:-1])


@pytest.mark.slow
def test_a_fit_runs_the_phrase_list_once_and_finds_the_same_themes(corpus, monkeypatch) -> None:
    emb = HashingEmbedder(dim=128)
    calls = []
    real_match = housekeeping.matches_phrase

    def counted(text: str) -> bool:
        calls.append(text)
        return real_match(text)

    monkeypatch.setattr(housekeeping, "matches_phrase", counted)
    shared = model.ThemeModel(seed=0, embedder=emb, context="always").fit(corpus).themes_
    distinct = len({u.text for u in corpus.unit_records})
    assert len(calls) == distinct  # once per distinct text (it was twice per unit)

    real_detect = model.detect_housekeeping

    def separate(*args, **kwargs):  # the earlier behaviour: every rule matches phrases anew
        kwargs.pop("phrase", None)
        return real_detect(*args, **kwargs)

    monkeypatch.setattr(model, "detect_housekeeping", separate)
    calls.clear()
    apart = model.ThemeModel(seed=0, embedder=emb, context="always").fit(corpus).themes_
    assert len(calls) == 2 * distinct
    pd.testing.assert_frame_equal(shared.assignments, apart.assignments)
    pd.testing.assert_frame_equal(shared.table, apart.table)
    assert shared.params == apart.params
