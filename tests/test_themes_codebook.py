"""Codebook seeding: deductive themes where units match a code, emergent themes for the rest."""

from __future__ import annotations

import pytest

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.errors import InputError
from listenlens.themes import find_themes
from listenlens.themes.codebook import Codebook, codebook_theme_id, load_codebook
from planted import make_corpus_dir, truth

pytestmark = pytest.mark.slow  # fits themes seeded by a codebook

YAML = """\
- name: Housing conditions
  description: damp mould condensation landlord repairs
  examples: ["damp bedroom walls", "mould and condensation", "landlord repairs"]
- name: Getting about
  description: bus timetable fares route driver
  examples: ["the bus stop", "bus cancelled again", "timetable and fares"]
- name: Air quality
  description: pollution from traffic fumes
  examples: ["diesel fumes outside the school"]
"""


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cb")
    root = make_corpus_dir(tmp / "c", n_per_event=40)
    (tmp / "codebook.yaml").write_text(YAML, encoding="utf-8")
    corpus = ll.load(root)
    themes = find_themes(corpus, seed=0, embedder=HashingEmbedder(),
                         codebook=tmp / "codebook.yaml", codebook_threshold=0.3)
    return themes, corpus, root


def test_codebook_themes_are_deductive_and_the_rest_emergent(coded):
    themes, corpus, root = coded
    t = themes.table.set_index("theme_id")
    housing, transport = codebook_theme_id("Housing conditions"), codebook_theme_id(
        "Getting about")
    assert t.loc[housing, "origin"] == "codebook" and t.loc[housing, "label"] == (
        "Housing conditions")
    assert t.loc[transport, "n_units"] > 0
    # a code no one spoke about is still reported, with no units
    assert t.loc[codebook_theme_id("Air quality"), "n_units"] == 0
    emergent = t[t.origin == "emergent"]
    assert len(emergent) >= 1
    known = truth(corpus, root)
    found = themes.primary()
    damp_units = known[known == "damp"].index
    assert (found[damp_units] == housing).mean() >= 0.8
    assert (found[known[known == "youth"].index] != housing).all()
    assert any("codebook" in n for n in themes.notes)
    prim = themes.assignments[themes.assignments.primary]
    assert prim.unit_id.is_unique and len(prim) == len(corpus)


def test_codebook_ids_are_stable_and_labels_pinned(coded):
    themes, _, _ = coded
    tid = codebook_theme_id("Housing conditions")
    merged = themes.merge([tid, themes.theme_ids[-1]])
    assert merged.resolve(tid)
    renamed = themes.rename(tid, "Homes")
    assert renamed.label(tid) == "Homes"


def test_codebook_files(tmp_path):
    csv_path = tmp_path / "cb.csv"
    csv_path.write_text("name,description,example\nHousing,homes,damp walls\n"
                        "Housing,,mould\nTransport,buses,late bus\n", encoding="utf-8")
    cb = load_codebook(csv_path)
    assert cb.names == ["Housing", "Transport"]
    assert cb.codes[0].examples == ("damp walls", "mould")
    mapping = tmp_path / "cb.yml"
    mapping.write_text("Housing: damp and mould\nTransport:\n  examples: [late bus]\n",
                       encoding="utf-8")
    assert load_codebook(mapping).codes[1].examples == ("late bus",)
    assert load_codebook(cb) is cb
    bad = tmp_path / "bad.csv"
    bad.write_text("title\nx\n", encoding="utf-8")
    with pytest.raises(InputError, match="name"):
        load_codebook(bad)
    with pytest.raises(InputError):
        Codebook.from_records([{"description": "no name"}])
    with pytest.raises(InputError):
        load_codebook(tmp_path / "missing.yaml")
