"""Run manifests: inputs, versions, model hashes, parameters, and valid PROV-JSON."""

from __future__ import annotations

import json

import pytest

import listenlens as ll
from listenlens.provenance import RunManifest, build_manifest, withdraw
from listenlens.provenance.manifest import MINILM_MODEL, hash_tree, model_info, package_versions
from listenlens.provenance.redact import SPACY_MODEL


@pytest.fixture
def corpus(small_corpus_dir):
    return ll.load(small_corpus_dir)


@pytest.fixture(scope="module")
def models():
    return {MINILM_MODEL: model_info(MINILM_MODEL), SPACY_MODEL: model_info(SPACY_MODEL)}


def test_model_hashes_are_stable_and_memoised(models, tmp_path) -> None:
    for info in models.values():
        assert len(info["sha256"]) == 64 and info["n_files"] > 0 and info["version"]
    again = model_info(MINILM_MODEL)
    assert again["sha256"] == models[MINILM_MODEL]["sha256"]
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "w.bin").write_bytes(b"abc")
    first = hash_tree(tmp_path / "m")
    assert first == hash_tree(str(tmp_path / "m"))
    with pytest.raises(ValueError, match="unknown model"):
        model_info("no-such-model")


def test_manifest_records_everything_and_round_trips(corpus, tmp_path) -> None:
    out = tmp_path / "briefing.html"
    out.write_text("<p>hi</p>", encoding="utf-8")
    m = build_manifest(corpus, params={"find_themes": {"min_size": 5}, "track": {"by": "community"}},
                       seeds={"find_themes": 0}, curation_log=[{"op": "merge", "into": "t-a"}],
                       researcher="A. Researcher", outputs=[out]).finish()
    assert m.input_hash == corpus.input_hash
    assert {i["path"] for i in m.inputs} == {"e1.txt", "e2.txt", "notes/e3.txt", "events.csv",
                                             "consent.csv"}
    assert m.params["load"] == corpus.params and m.params["find_themes"] == {"min_size": 5}
    assert set(package_versions()) <= set(m.packages) and m.packages["pandas"]
    assert {x["name"] for x in m.models} == {MINILM_MODEL, SPACY_MODEL}
    assert m.started and m.finished >= m.started
    assert m.outputs[0]["sha256"] and m.outputs[0]["stage"] == "brief"
    path = tmp_path / "run.json"
    m.to_json(path)
    assert RunManifest.from_json(path) == m
    assert RunManifest.from_json(m.to_json()) == m


def _check_prov(doc: dict) -> None:
    """Structural checks of a PROV-JSON document (W3C member submission)."""
    prefixes = set(doc["prefix"]) | {"prov", "xsd"}
    known = set(doc["entity"]) | set(doc["activity"]) | set(doc["agent"])
    for section in ("entity", "activity", "agent"):
        for ident in doc[section]:
            assert ident.split(":", 1)[0] in prefixes, ident
    roles = {"used": ("activity", "entity"), "wasGeneratedBy": ("entity", "activity"),
             "wasAssociatedWith": ("activity", "agent"),
             "wasDerivedFrom": ("generatedEntity", "usedEntity"),
             "actedOnBehalfOf": ("delegate", "responsible")}
    for relation, (a, b) in roles.items():
        for record in doc.get(relation, {}).values():
            assert record[f"prov:{a}"] in known and record[f"prov:{b}"] in known


def test_prov_json_links_sources_to_outputs(corpus, tmp_path) -> None:
    out = tmp_path / "briefing.md"
    out.write_text("# Briefing\n", encoding="utf-8")
    m = build_manifest(corpus, params={"find_themes": {}, "track": {}, "brief": {}},
                       seeds={"find_themes": 0}, outputs=[out]).finish()
    doc = json.loads(m.to_prov_json(tmp_path / "run.prov.json"))
    _check_prov(doc)
    labels = {v.get("prov:label") for v in doc["activity"].values()}
    assert labels == {"load", "find_themes", "track", "brief"}
    types = [v["prov:type"]["$"] for v in doc["agent"].values()]
    assert sorted(types) == ["prov:Person", "prov:SoftwareAgent"]
    sources = [k for k, v in doc["entity"].items() if v["prov:type"]["$"] == "ll:SourceFile"]
    assert len(sources) == 5  # three transcripts, events.csv and consent.csv
    used_by_load = {r["prov:entity"] for r in doc["used"].values()
                    if doc["activity"][r["prov:activity"]]["prov:label"] == "load"}
    assert used_by_load == set(sources)
    output_id = next(k for k, v in doc["entity"].items() if v["prov:type"]["$"] == "ll:Output")
    gen = [r for r in doc["wasGeneratedBy"].values() if r["prov:entity"] == output_id]
    assert doc["activity"][gen[0]["prov:activity"]]["prov:label"] == "brief"


def test_withdrawals_reach_the_manifest(corpus) -> None:
    after = withdraw(corpus, speaker="Dee")
    m = build_manifest(after, models=[SPACY_MODEL])
    assert len(m.withdrawals) == 1 and m.input_hash == after.input_hash
    corpus_entity = next(v for v in m.to_prov()["entity"].values()
                         if v["prov:type"]["$"] == "ll:Corpus")
    assert corpus_entity["ll:withdrawals"]["$"] == 1


def test_stage_objects_and_flat_params(corpus) -> None:
    class Fitted:
        params = {"min_size": 3, "seed": 0}
        curation_log = [{"op": "rename", "theme_id": "t-a", "label": "Damp"}]

    class Tracked:
        params = {"period": "quarter"}

    m = build_manifest(corpus, themes=Fitted(), trends=Tracked(), models=[SPACY_MODEL],
                       params={"title": "What we heard", "track": {"by": "community"}},
                       seeds={"seed": 0})
    assert m.params["find_themes"] == {"min_size": 3, "seed": 0}
    assert m.params["track"] == {"period": "quarter", "by": "community"}
    assert m.params["run"] == {"title": "What we heard"}
    assert m.curation_log == ({"op": "rename", "theme_id": "t-a", "label": "Damp"},)
    activities = m.to_prov()["activity"].values()
    assert {a["prov:label"] for a in activities} == {"load", "find_themes", "track"}
    assert all(a["ll:seed"]["$"] == 0 for a in activities if a["prov:label"] != "load")
