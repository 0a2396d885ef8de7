"""Theme discovery: determinism, coverage, housekeeping, small corpora, labels, quotes, views.

Most tests use the deterministic ``HashingEmbedder`` on corpora written on the fly; the real
MiniLM model is loaded once per session for the tests marked ``slow``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.embeddings import HashingEmbedder
from listenlens.errors import AnalysisError
from listenlens.themes import HOUSEKEEPING, UNASSIGNED, ThemeModel, Themes, find_themes
from listenlens.themes.quotes import normalise_text
from planted import CONCERNS, make_corpus_dir, truth

pytestmark = pytest.mark.slow  # fits themes (UMAP + HDBSCAN with the hashing embedder; a few with MiniLM)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory) -> tuple[Themes, ll.Corpus, Path]:
    root = make_corpus_dir(tmp_path_factory.mktemp("themes") / "c", n_per_event=40)
    corpus = ll.load(root)
    themes = find_themes(corpus, seed=0, embedder=HashingEmbedder())
    return themes, corpus, root


def test_every_unit_has_exactly_one_primary_assignment(fitted):
    themes, corpus, _ = fitted
    a = themes.assignments
    assert list(a.columns) == ["unit_id", "theme_id", "probability", "primary"]
    primary = a[a["primary"]]
    assert sorted(primary["unit_id"]) == sorted(corpus.units["unit_id"])
    assert primary["unit_id"].is_unique
    assert set(primary["theme_id"]) <= set(themes.theme_ids) | {UNASSIGNED, HOUSEKEEPING}
    assert a["probability"].between(0, 1).all()
    # a secondary theme is never the unit's primary theme
    sec = a[~a["primary"]].merge(primary, on="unit_id", suffixes=("", "_primary"))
    assert (sec["theme_id"] != sec["theme_id_primary"]).all()


def test_themes_recover_the_known_concerns(fitted):
    from sklearn.metrics import adjusted_rand_score

    themes, corpus, root = fitted
    known = truth(corpus, root)
    found = themes.primary()
    substantive = known != "housekeeping"
    assert adjusted_rand_score(known[substantive], found[substantive]) > 0.6
    assert 3 <= len(themes.table) <= 8
    assert themes.summary()["share_unassigned"] <= 0.10


def test_housekeeping_is_set_aside_and_counted(fitted):
    themes, corpus, root = fitted
    known = truth(corpus, root)
    found = themes.primary()
    assert (found[known == "housekeeping"] == HOUSEKEEPING).all()
    assert (found[known != "housekeeping"] != HOUSEKEEPING).all()
    assert themes.summary()["n_housekeeping"] == int((known == "housekeeping").sum()) == 8
    assert any("housekeeping" in n for n in themes.notes)


def test_table_follows_the_contract(fitted):
    themes, corpus, _ = fitted
    t = themes.table
    assert list(t.columns) == ["theme_id", "label", "keywords", "n_units", "n_speakers",
                               "n_events", "n_communities", "share", "first_seen",
                               "last_seen", "origin"]
    assert t["theme_id"].str.fullmatch(r"t-[0-9a-f]{8}").all() and t["theme_id"].is_unique
    assert list(t["n_units"]) == sorted(t["n_units"], reverse=True)
    assert (t["origin"] == "emergent").all()
    assert t["share"].sum() <= 1.0 + 1e-9
    assert all(isinstance(k, list) and k for k in t["keywords"])
    assert (t["n_speakers"] >= 1).all() and (t["n_events"] <= 4).all()
    assert (t["first_seen"] <= t["last_seen"]).all()
    row = t.iloc[0]
    members = themes.units(row.theme_id)
    assert len(members) == row.n_units and set(members["primary"]) == {True}
    assert members["speaker_id"].nunique() == row.n_speakers
    assert themes.label(row.theme_id) == row.label
    assert themes.label(UNASSIGNED) == "Unassigned"


def test_labels_are_readable_phrases_not_keyword_bags(fitted):
    themes, _, _ = fitted
    assert len(themes.table) > 0
    for label in themes.table["label"]:
        assert label and label[0].isupper()
        assert "," not in label  # a phrase, not the keyword fallback
        assert len(label.split()) <= 8
    assert themes.table["label"].is_unique
    text = " ".join(themes.table["label"]).lower()
    assert sum(any(w.lower() in text for w in words) for words in CONCERNS.values()) >= 3


def test_labels_never_name_a_place_person_time_or_the_corpus(fitted):
    from listenlens.themes.labels import BLOCKED_ENTITIES, SPACY_MODEL, _pipeline
    from listenlens.themes.labelwords import NOT_CONCERNS, CaseEvidence

    themes, corpus, _ = fitted
    names = {w.lower() for e in corpus.event_records for w in e.community.split()}
    names |= {u.speaker.lower() for u in corpus.unit_records if u.speaker}
    evidence = CaseEvidence.from_texts(u.text for u in corpus.unit_records)
    nlp = _pipeline(SPACY_MODEL)
    assert len(themes.table) > 0
    for label in themes.table["label"]:
        # read in a sentence, its first word written as the transcripts write it (mid-sentence,
        # a capitalised "Landlord" or "Repairs" looks like a place to spaCy)
        first, _, rest = label.partition(" ")
        if not evidence.is_name(first) and not first.isupper():
            first = first.lower()
        doc = nlp(f"People told us about {first} {rest}".rstrip() + ".")
        assert not {e.label_ for e in doc.ents} & BLOCKED_ENTITIES, label
        root = doc[4:-1].root
        assert root.text.lower() not in NOT_CONCERNS, label
        assert not {w.lower() for w in label.split()} & names, label


def test_quotes_are_representative_diverse_and_carry_provenance(fitted):
    themes, corpus, _ = fitted
    tid = themes.theme_ids[0]
    q = themes.quotes(tid, n=5)
    assert list(q.columns) == ["rank", "unit_id", "text", "event_id", "community", "date",
                               "speaker_id", "consent", "similarity"]
    assert len(q) == 5 and list(q["rank"]) == [1, 2, 3, 4, 5]
    assert set(q["unit_id"]) <= set(themes.member_ids(tid))
    assert len({normalise_text(t) for t in q["text"]}) == 5  # no verbatim repeats
    for r in q.itertuples():
        assert corpus.unit(r.unit_id).text == r.text and r.consent == "quote"
    # the first quote is the most central member
    members = themes.member_ids(tid)
    sims = {u: float(themes.embeddings[themes.unit_ids.index(u)] @ themes.centroid(tid))
            for u in members}
    assert q.iloc[0]["similarity"] == pytest.approx(max(sims.values()), abs=1e-5)
    assert len(themes.quotes(tid, n=1000)) <= len(members)


def test_same_corpus_and_seed_give_identical_themes(fitted, tmp_path):
    themes, corpus, root = fitted
    again = find_themes(ll.load(root), seed=0, embedder=HashingEmbedder())
    pd.testing.assert_frame_equal(themes.table, again.table)
    pd.testing.assert_frame_equal(themes.assignments, again.assignments)
    assert themes.params == again.params
    tid = themes.theme_ids[0]
    pd.testing.assert_frame_equal(themes.quotes(tid), again.quotes(tid))


def test_ids_do_not_depend_on_unit_order(fitted):
    themes, corpus, _ = fitted
    shuffled = corpus.with_units(list(reversed(corpus.unit_records)))
    again = find_themes(shuffled, seed=0, embedder=HashingEmbedder())
    assert set(again.theme_ids) == set(themes.theme_ids)
    for tid in themes.theme_ids:
        assert again.label(tid) == themes.label(tid)


def test_params_record_everything_needed_to_rerun(fitted):
    themes, corpus, _ = fitted
    p = themes.params
    assert p["seed"] == 0 and p["embedder"] == "hashing-v1-dim256"
    assert p["input_hash"] == corpus.input_hash
    assert {"bertopic", "umap-learn", "hdbscan", "scikit-learn"} <= set(p["versions"])
    # the default granularity ("auto") groups fine clusters into themes (Louvain on the k-NN graph)
    assert p["method"] == "umap-hdbscan+louvain" and p["granularity"] == "auto"
    assert p["resolved"]["min_cluster_size"] >= 5
    assert p["context"] == "auto" and "previous turn" in p["context_used"]["reason"]
    assert isinstance(p["notes"], list)


def test_tiny_corpus_gets_themes_and_a_note(tmp_path):
    root = make_corpus_dir(tmp_path / "tiny", n_per_event=10, n_events=2)
    corpus = ll.load(root)
    assert len(corpus) == 24
    themes = find_themes(corpus, seed=0, embedder=HashingEmbedder())
    assert themes.params["method"] == "agglomerative"
    assert any("too few for density clustering" in n for n in themes.notes)
    assert 2 <= len(themes.table) <= 6
    assert themes.summary()["n_housekeeping"] == 4
    prim = themes.assignments[themes.assignments["primary"]]
    assert len(prim) == 24


def test_one_unit_corpus_and_empty_corpus(tmp_path):
    root = write_corpus(tmp_path / "one", [{"event_id": "e1", "community": "A",
                                            "date": "2024-01-01", "file": "e1.txt"}],
                        {"e1.txt": "Amina: The damp is back.\n"})
    themes = find_themes(ll.load(root), embedder=HashingEmbedder())
    assert themes.summary()["n_units"] == 1
    assert themes.assignments.iloc[0]["theme_id"] in {UNASSIGNED, *themes.theme_ids}
    empty = ll.load(root).with_units([])
    with pytest.raises(AnalysisError):
        find_themes(empty, embedder=HashingEmbedder())


def test_estimator_stores_params_and_validates_in_fit(fitted):
    _, corpus, _ = fitted
    model = ThemeModel(seed=3, merge_threshold=2.0, embedder=HashingEmbedder())
    assert model.seed == 3 and not hasattr(model, "themes_")
    assert "merge_threshold=2.0" in repr(model)
    with pytest.raises(ValueError, match="merge_threshold"):
        model.fit(corpus)
    with pytest.raises(ValueError, match="granularity"):
        ThemeModel(granularity="medium").fit(corpus)
    fitted_model = ThemeModel(embedder=HashingEmbedder()).fit(corpus)
    assert fitted_model.table_ is fitted_model.themes_.table
    assert fitted_model.embeddings_.shape == (len(corpus), 256)


def test_notebook_views(fitted):
    themes, _, _ = fitted
    html = themes._repr_html_()
    assert "listenlens Themes" in html and themes.table["label"].iloc[0] in html
    assert repr(themes).startswith("<Themes: ")
    fig = themes.plot_map()
    assert list(fig.data[0].customdata) == themes.theme_ids
    bars = themes.plot_sizes()
    assert sorted(bars.data[0].x) == sorted(themes.table["n_units"])
    xy = themes.map_coordinates()
    assert np.isfinite(xy[["x", "y"]].to_numpy()).all()


def test_withdrawn_speakers_are_never_themed(tmp_path):
    root = make_corpus_dir(tmp_path / "w", n_per_event=20, n_events=4)
    (root / "consent.csv").write_text("event_id,speaker,consent\ne1,Amina,withdrawn\n",
                                      encoding="utf-8")
    corpus = ll.load(root)
    themes = find_themes(corpus, embedder=HashingEmbedder())
    assert set(themes.assignments["unit_id"]) == set(corpus.units["unit_id"])
    assert "Amina" not in set(corpus.units[corpus.units.event_id == "e1"]["speaker"])


def test_save_and_open_give_identical_results(fitted, tmp_path):
    from listenlens.themes import open_themes

    themes, _, _ = fitted
    path = themes.save(tmp_path / "saved")
    names = {p.name for p in path.iterdir()}
    assert {"corpus", "assignments.parquet", "vectors.safetensors", "themes.json"} <= names
    assert not list(path.rglob("*.pkl")) and not list(path.rglob("*.pickle"))
    again = open_themes(path)
    pd.testing.assert_frame_equal(themes.table, again.table)
    pd.testing.assert_frame_equal(themes.assignments, again.assignments)
    assert np.array_equal(themes.embeddings, again.embeddings)
    assert again.params == themes.params and again.unit_ids == themes.unit_ids
    for tid in themes.theme_ids:
        assert again.label(tid) == themes.label(tid)
        pd.testing.assert_frame_equal(themes.quotes(tid, n=3), again.quotes(tid, n=3))
    # a hand-edited file is refused
    (path / "assignments.parquet").write_bytes(b"changed")
    with pytest.raises(ll.CorpusError, match="hash mismatch"):
        open_themes(path)


def test_class_tfidf_equals_bertopic_weighting():
    import scipy.sparse as sp
    from bertopic.vectorizers import ClassTfidfTransformer

    from listenlens.themes.labels import class_tfidf

    rng = np.random.default_rng(0)
    counts = rng.poisson(0.3, size=(7, 400))
    counts[0] += 1  # every term occurs somewhere
    x = sp.csr_matrix(counts)
    theirs = np.asarray(ClassTfidfTransformer(reduce_frequent_words=True).fit(x)
                        .transform(x).todense())
    np.testing.assert_allclose(class_tfidf(x), theirs, rtol=1e-12, atol=1e-12)
    assert not np.isnan(class_tfidf(np.zeros((2, 3)))).any()
