"""The lexical similarity of sub-themes (listenlens.themes.lexical)."""

from __future__ import annotations

import numpy as np

from listenlens.themes.lexical import (
    content_lemmas,
    leaf_lexicon,
    lexical_similarity,
    setting_words,
)


def test_content_lemmas_keep_concern_words_and_drop_names_and_places():
    (lemmas,) = content_lemmas(["Margaret said the buses from Jubilee Park were late "
                                "every Tuesday and the fares keep rising."])
    assert "bus" in lemmas and "fare" in lemmas
    assert "margaret" not in lemmas and "jubilee" not in lemmas and "tuesday" not in lemmas


def test_a_word_in_most_of_one_events_sub_themes_is_a_setting_word():
    # event "a": every sub-theme mentions the estate; only sub-theme 0 mentions mould
    lemmas = [("estate", "mould"), ("estate", "mould"), ("estate", "bus"), ("estate", "bus"),
              ("estate", "rent"), ("estate", "rent"), ("mould",), ("bus",)]
    leaves = np.array([0, 0, 1, 1, 2, 2, 0, 1])
    events = ["a"] * 6 + ["b", "b"]
    words = setting_words(lemmas, leaves, events)
    assert "estate" in words
    assert not words & {"mould", "bus", "rent"}
    # with only two sub-themes in the event there is no evidence of a setting
    assert setting_words(lemmas[:4], leaves[:4], events[:4]) == frozenset()


def test_sub_themes_sharing_concern_words_are_the_most_alike():
    lemmas = [("damp", "mould"), ("mould", "wall"), ("damp", "window"), ("mould", "damp"),
              ("bus", "late"), ("bus", "fare"), ("park", "dark")]
    leaves = np.array([0, 0, 1, 1, 2, 2, 3])
    s = lexical_similarity(lemmas, leaves, ["a", "a", "b", "b", "c", "c", "d"])
    assert s.shape == (4, 4)
    assert np.all(np.diag(s) == 0.0)
    assert np.allclose(s, s.T)
    assert s[0, 1] > 0.3 and s[0, 2] == 0.0 and s[2, 3] == 0.0


def test_lexicon_rows_are_unit_length_or_zero_and_ignore_unassigned_units():
    lemmas = [("damp",), ("bus",), ("ignored",)]
    m = leaf_lexicon(lemmas, np.array([0, 1, -1]))
    assert m.shape == (2, 2)  # "ignored" sits only in an unassigned unit
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0)
    kept = leaf_lexicon(lemmas, np.array([0, 1, 1]), exclude=frozenset({"bus", "ignored"}))
    assert kept[1].sum() == 0.0


def test_lexical_similarity_is_deterministic():
    lemmas = [("damp", "mould"), ("bus",), ("mould",), ("fare", "bus")]
    leaves = np.array([0, 1, 0, 1])
    a = lexical_similarity(lemmas, leaves, ["e"] * 4)
    b = lexical_similarity([tuple(w) for w in lemmas], leaves.copy(), ["e"] * 4)
    assert a.tobytes() == b.tobytes()
