"""spaCy analyses kept between runs: the same analyses back, no parsing on a re-run."""

from __future__ import annotations

from pathlib import Path

import pytest

from listenlens.themes.labels import SPACY_MODEL, _pipeline
from listenlens.themes.parse_cache import parse_key, parsed

TEXTS = ["The damp in Jubilee Court came back in March.",
         "Margaret said the number 7 bus never turns up on Sundays.",
         "We need a food bank nearer the GP surgery."]


def _analysis(docs) -> list:
    return [[(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in d]
            + [("chunks", [c.text for c in d.noun_chunks])] for d in docs]


@pytest.mark.slow
def test_stored_analyses_equal_fresh_ones_and_are_not_parsed_again(tmp_path: Path,
                                                                   monkeypatch) -> None:
    nlp = _pipeline(SPACY_MODEL)
    fresh = _analysis(nlp.pipe(TEXTS))
    first = parsed(TEXTS, nlp, cache_dir=tmp_path)
    assert _analysis(first) == fresh
    assert [p.name for p in tmp_path.iterdir()] == [f"{parse_key(TEXTS, nlp)}.spacy"]

    def no_parse(*_a, **_k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(type(nlp), "pipe", no_parse)
    assert _analysis(parsed(TEXTS, nlp, cache_dir=tmp_path)) == fresh


@pytest.mark.slow
def test_other_texts_miss_and_a_damaged_file_is_parsed_again(tmp_path: Path) -> None:
    nlp = _pipeline(SPACY_MODEL)
    assert parse_key(TEXTS, nlp) != parse_key(TEXTS[:2], nlp)
    assert parse_key(TEXTS, nlp) != parse_key([TEXTS[1], TEXTS[0], TEXTS[2]], nlp)
    parsed(TEXTS, nlp, cache_dir=tmp_path)
    path = tmp_path / f"{parse_key(TEXTS, nlp)}.spacy"
    path.write_bytes(b"not a DocBin")
    again = parsed(TEXTS, nlp, cache_dir=tmp_path)
    assert _analysis(again) == _analysis(nlp.pipe(TEXTS))
    assert path.read_bytes() != b"not a DocBin"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]   # no temporary file left


@pytest.mark.slow
def test_a_cached_refit_parses_nothing_and_gives_the_same_themes(tmp_path: Path,
                                                                 monkeypatch) -> None:
    import spacy

    import listenlens as ll
    from listenlens.embeddings import HashingEmbedder
    from listenlens.synthetic import make_corpus
    from listenlens.themes import ThemeModel

    make_corpus(tmp_path / "c", n_units=400, seed=1)
    corpus = ll.load(tmp_path / "c", progress=False)
    model = dict(seed=0, embedder=HashingEmbedder(dim=64), cache_dir=tmp_path / "cache",
                 progress=False)
    first = ThemeModel(**model).fit(corpus).themes_
    assert any((tmp_path / "cache" / "parses").iterdir())

    def no_parse(*_a, **_k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(spacy.language.Language, "pipe", no_parse)
    again = ThemeModel(**model).fit(corpus).themes_
    assert again.table[["theme_id", "label"]].equals(first.table[["theme_id", "label"]])
    assert list(again.table.keywords) == list(first.table.keywords)
    assert again.tree.equals(first.tree)
