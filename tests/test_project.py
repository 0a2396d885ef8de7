"""Living analysis: a project folder updated in steps keeps ids, labels and curation, finds a
planted new concern, ignores duplicates, and accounts for every unit.

Uses the deterministic HashingEmbedder on corpora with clearly different vocabularies per
concern, written on the fly: month folders (each a small corpus folder) added one by one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from listenlens.embeddings import HashingEmbedder
from listenlens.errors import AnalysisError, InputError, ListenlensError
from listenlens.project import AddReport, init_project, open_project
from listenlens.themes import UNASSIGNED
from planted import month

pytestmark = pytest.mark.slow  # fits and updates themes in project folders


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict]:
    root = tmp_path_factory.mktemp("months")
    old = ["damp", "bus", "gp", "youth"]
    plan = [
        ("m0", [("e01", "Riverside", "2024-01-10"), ("e02", "Northfield", "2024-02-12"),
                ("e03", "Riverside", "2024-03-09"), ("e04", "Northfield", "2024-04-15")],
         old, 40),
        ("m1", [("e05", "Riverside", "2024-05-10")], old, 40),
        ("m2", [("e06", "Northfield", "2024-06-11"), ("e07", "Riverside", "2024-06-20")],
         [*old, "food", "food"], 36),
        ("m3", [("e08", "Riverside", "2024-07-09")], [*old, "food"], 40),
    ]
    folders, key = [], {}
    for k, (name, events, concerns, n) in enumerate(plan):
        folder, part = month(root, name, events, concerns, n, seed=k)
        folders.append(folder)
        key.update(part)
    return folders, key


def truth_of(project, key: dict) -> pd.Series:
    u = project.themes.corpus.units
    names = u["source"].str.rsplit("/", n=1).str[-1]
    return pd.Series([key[(f, int(line))] for f, line in zip(names, u["line"])],
                     index=u["unit_id"])


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory, months):
    """Build on month 0, curate, then add months 1-3 one update each (and a duplicate)."""
    folders, key = months
    emb = HashingEmbedder()
    project = init_project(tmp_path_factory.mktemp("p") / "proj", embedder=emb)
    out = {"project": project, "key": key, "reports": [], "adds": []}
    out["adds"].append(project.add(folders[0]))
    out["reports"].append(project.update())
    out["built"] = project.table.copy()
    out["built_primary"] = project.themes.primary().copy()
    # curation: rename the largest theme
    first = project.themes.theme_ids[0]
    project.curate(project.themes.rename(first, "Damp and mould at home (curated)",
                                         who="amina", why="residents' words"))
    out["renamed"] = first
    for folder in folders[1:]:
        out["adds"].append(project.add(folder))
        out["reports"].append(project.update())
    out["dup_add"] = project.add(folders[1])
    out["dup_report"] = project.update()
    return out


def test_build_then_updates_keep_ids_labels_and_assignments(story):
    project, built = story["project"], story["built"]
    table = project.table.set_index("theme_id")
    for r in built.itertuples():
        assert r.theme_id in table.index, f"theme {r.theme_id} lost its id"
        want = "Damp and mould at home (curated)" if r.theme_id == story["renamed"] else r.label
        assert table.loc[r.theme_id, "label"] == want
        assert table.loc[r.theme_id, "n_units"] >= r.n_units  # grew, never renumbered
        assert table.loc[r.theme_id, "born_update"] == 0
    # units analysed at the build keep their primary theme
    now = project.themes.primary()
    before = story["built_primary"]
    assert (now.reindex(before.index) == before).all()
    assert [r.method for r in story["reports"]] == ["build", "incremental", "incremental",
                                                    "incremental"]


def test_planted_new_concern_is_born_as_a_new_theme(story):
    project = story["project"]
    truth = truth_of(project, story["key"])
    born = project.table[project.table["born_update"] > 0]
    assert len(born) >= 1
    prim = project.themes.primary()
    food = truth[truth == "food"].index
    best = prim.reindex(food).value_counts().index[0]
    assert best in set(born["theme_id"]), "the food concern did not become a new theme"
    members = prim[prim == best].index
    purity = (truth.reindex(members) == "food").mean()
    recall = (prim.reindex(food) == best).mean()
    assert purity >= 0.9 and recall >= 0.8, (purity, recall)
    hist = project.history()
    row = hist[(hist["kind"] == "born") & (hist["theme_id"] == best)]
    assert len(row) == 1 and row["update"].iloc[0] >= 2 and row["date"].iloc[0] >= "2024-06-11"
    # the old concerns did not spawn duplicates: every theme born later is the food concern
    for tid in born["theme_id"]:
        assert (truth.reindex(prim[prim == tid].index) == "food").mean() >= 0.9


def test_every_new_unit_is_accounted_for(story):
    for report in story["reports"]:
        c = report.counts()
        assert c["n_new"] == (c["n_joined"] + c["n_in_new_themes"] + c["n_unassigned"]
                              + c["n_housekeeping"])
    total = sum(r.n_new for r in story["reports"])
    assert total == story["reports"][-1].n_units == len(story["project"].themes.unit_ids)
    hk = sum(r.n_housekeeping for r in story["reports"])
    assert hk == 8  # one welcome per event, set aside and counted


def test_adding_the_same_files_again_does_nothing(story, months):
    dup: AddReport = story["dup_add"]
    assert dup.events == () and dup.files == ()
    assert [Path(given).name for given, _ in dup.duplicates] == ["e05.txt"]
    assert dup.skipped_events == ("e05",)
    assert story["dup_report"].method == "unchanged"
    project = story["project"]
    assert project.event_ids == [f"e0{i}" for i in range(1, 9)]
    assert project.registry.updates == 3  # the build is update 0


def test_curation_survives_and_is_in_the_lineage(story):
    hist = story["project"].history()
    renamed = hist[hist["kind"] == "renamed"]
    assert renamed["theme_id"].tolist() == [story["renamed"]]
    assert "residents' words" in renamed["detail"].iloc[0]
    grew = hist[(hist["kind"] == "grew") & (hist["theme_id"] == story["renamed"])]
    assert len(grew) >= 1  # the curated theme kept taking new units under its id


def test_reopened_project_is_the_same(story):
    project = story["project"]
    again = open_project(project.root, embedder=HashingEmbedder())
    pd.testing.assert_frame_equal(again.table, project.table)
    pd.testing.assert_frame_equal(again.history(), project.history())
    assert again.registry.updates == project.registry.updates
    meta = json.loads((project.root / "_listenlens" / "project.json").read_text())
    assert [u["method"] for u in meta["updates"]] == ["build", "incremental", "incremental",
                                                      "incremental"]
    saved = sorted(p.name for p in (project.root / "_listenlens" / "reports").iterdir())
    assert saved == [f"update-{k:04d}.json" for k in range(4)]


def test_merge_survives_updates(tmp_path: Path, months):
    folders, _ = months
    project = init_project(tmp_path / "proj", embedder=HashingEmbedder())
    project.add(folders[0])
    project.update(stability_runs=0)
    a, b = project.themes.theme_ids[:2]
    merged = project.themes.merge([a, b], label="Two concerns together", why="commissioner")
    new_id = merged.theme_ids[0] if merged.label(merged.theme_ids[0]) == \
        "Two concerns together" else next(t for t in merged.theme_ids
                                          if merged.label(t) == "Two concerns together")
    project.curate(merged)
    size = int(project.table.set_index("theme_id").loc[new_id, "n_units"])
    project.add(folders[1])
    report = project.update()
    table = project.table.set_index("theme_id")
    assert new_id in table.index and a not in table.index and b not in table.index
    assert table.loc[new_id, "label"] == "Two concerns together"
    assert table.loc[new_id, "n_units"] > size
    assert project.themes.resolve(a) == [new_id]
    hist = project.history()
    m = hist[hist["kind"] == "merged"]
    assert m["theme_id"].tolist() == [new_id] and set(m["related"].iloc[0].split(", ")) == {a, b}
    assert report.n_joined > 0
    assert project.registry.status[a] == "merged"


def test_withdrawal_removes_units_from_the_themes(tmp_path: Path, months):
    folders, _ = months
    project = init_project(tmp_path / "proj", embedder=HashingEmbedder())
    project.add(folders[0])
    project.update(stability_runs=0)
    n0 = len(project.themes.unit_ids)
    u = project.themes.corpus.units
    hers = set(u.loc[(u["speaker"] == "Amina") & (u["event_id"] == "e01"), "unit_id"])
    assert hers
    rows = [{"event_id": "e01", "speaker": "Amina", "consent": "withdrawn"}]
    import csv

    with (project.root / "consent.csv").open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=["event_id", "speaker", "consent"]).writerows(rows)
    report = project.update()
    assert report.method == "incremental" and report.n_removed > 0 and report.n_new == 0
    assert report.n_removed == len(hers)
    assert len(project.themes.unit_ids) == n0 - report.n_removed
    assert not hers & set(project.themes.assignments["unit_id"])
    assert not hers & set(project.themes.unit_ids)
    # the saved registry holds none of her words either
    saved = open_project(project.root, embedder=HashingEmbedder()).themes
    assert not hers & set(saved.corpus.units["unit_id"])


def test_add_errors_are_clear(tmp_path: Path, months):
    folders, _ = months
    project = init_project(tmp_path / "proj", embedder=HashingEmbedder())
    with pytest.raises(ListenlensError, match="no events yet"):
        project.update()
    note = tmp_path / "notes.txt"
    note.write_text("Amina: The bus is late again and the fares went up.\n", encoding="utf-8")
    with pytest.raises(InputError, match="event-id"):
        project.add(note)
    with pytest.raises(ListenlensError, match="date"):
        project.add(note, event_id="x1", community="Riverside", date="12/03/2024")
    with pytest.raises(InputError, match="no such file"):
        project.add(tmp_path / "missing.txt", event_id="x1", community="R", date="2024-01-01")
    report = project.add(note, event_id="x1", community="Riverside", date="2024-03-12",
                         consent="quote")
    assert report.events == ("x1",) and report.files == ("events/x1/notes.txt",)
    other = tmp_path / "other.txt"
    other.write_text("Ben: The GP never answers the phone.\n", encoding="utf-8")
    with pytest.raises(InputError, match="already in the project"):
        project.add(other, event_id="x1", community="Riverside", date="2024-03-13")
    corpus = project.corpus()
    assert corpus.units["consent"].tolist() == ["quote"]
    with pytest.raises(InputError, match="already holds a listenlens project"):
        init_project(project.root)
    with pytest.raises(InputError, match="already holds a corpus"):
        init_project(folders[0])


def test_event_metadata_file_adds_one_event_per_row(tmp_path: Path):
    project = init_project(tmp_path / "proj", embedder=HashingEmbedder())
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Amina: Damp and mould in the bedroom again.\n", encoding="utf-8")
    b.write_text("Ben: The bus timetable changed.\n", encoding="utf-8")
    meta = tmp_path / "march.csv"
    meta.write_text("event_id,community,date,file\nm1,Riverside,2024-03-01,a.txt\n"
                    "m2,Northfield,2024-03-02,b.txt\n", encoding="utf-8")
    report = project.add(a, b, event_metadata=meta)
    assert report.events == ("m1", "m2")
    assert sorted(project.corpus().units["event_id"]) == ["m1", "m2"]
    c = tmp_path / "c.txt"
    c.write_text("Cleo: Nothing.\n", encoding="utf-8")
    with pytest.raises(InputError, match="c.txt"):
        project.add(c, event_metadata=meta)


def test_embedder_must_match_the_registry(tmp_path: Path, months):
    folders, _ = months
    project = init_project(tmp_path / "proj", embedder=HashingEmbedder())
    project.add(folders[0])
    project.update(stability_runs=0)
    other = open_project(project.root, embedder=HashingEmbedder(dim=128))
    project2 = other
    project2.add(folders[1])
    with pytest.raises(AnalysisError, match="same embedder"):
        project2.update()


def test_stability_is_shown_beside_each_theme(story):
    table = story["project"].table
    built = table[table["born_update"] == 0]
    assert built["stability"].notna().all()
    assert ((built["stability"] >= 0) & (built["stability"] <= 1)).all()
    # clearly separated concerns are stable
    assert built["stability"].median() >= 0.7


def test_unassigned_units_stay_honest(story):
    prim = story["project"].themes.primary()
    assert (prim == UNASSIGNED).mean() <= 0.1


def test_theme_left_with_no_units_is_retired(tmp_path: Path):
    from listenlens import load
    from listenlens.themes.update import ThemeUpdater

    old = ["damp", "bus", "gp", "youth"]
    folder, _ = month(tmp_path, "all", [("e1", "R", "2024-01-01"), ("e2", "N", "2024-02-01"),
                                        ("e3", "R", "2024-03-01")], old, 40, seed=5)
    extra, _ = month(tmp_path, "food", [("f1", "R", "2024-03-05")], ["food"], 40, seed=6)
    project = init_project(tmp_path / "proj", embedder=HashingEmbedder())
    project.add(folder, extra)
    project.update(stability_runs=0)
    corpus = load(project.root)
    prim = project.themes.primary()
    food_units = set(corpus.units.loc[corpus.units["event_id"] == "f1", "unit_id"])
    food_theme = prim.reindex(list(food_units)).value_counts().index[0]
    assert set(prim[prim == food_theme].index) <= food_units
    updater = ThemeUpdater(embedder=HashingEmbedder())
    reg, report = updater.run(project.registry, corpus.filter(event_id=["e1", "e2", "e3"]))
    assert report.n_removed == len(food_units) and report.n_new == 0
    assert food_theme not in reg.themes.theme_ids
    assert reg.status[food_theme] == "retired"
    kinds = {(e.kind, e.theme_id) for e in report.lineage}
    assert ("retired", food_theme) in kinds
    assert project.registry.status[food_theme] == "active"  # the old registry is unchanged


def test_rebuild_keeps_matched_ids_labels_and_curation(tmp_path: Path, months):
    folders, key = months
    project = init_project(tmp_path / "proj", embedder=HashingEmbedder())
    project.add(folders[0], folders[1])
    project.update(stability_runs=0)
    built = project.table.copy()
    first = project.themes.theme_ids[0]
    project.curate(project.themes.rename(first, "Curated name"))
    project.add(folders[2], folders[3])
    report = project.update(rebuild=True, stability_runs=2)
    assert report.method == "rebuild"
    table = project.table.set_index("theme_id")
    for r in built.itertuples():
        assert r.theme_id in table.index
    assert table.loc[first, "label"] == "Curated name"
    kinds = {e.kind for e in report.lineage}
    assert kinds & {"born", "split"}, kinds
    truth = truth_of(project, key)
    prim = project.themes.primary()
    food = prim.reindex(truth[truth == "food"].index).value_counts().index[0]
    assert food not in set(built["theme_id"])
    assert table["stability"].notna().all()
    c = report.counts()
    assert c["n_new"] == (c["n_joined"] + c["n_in_new_themes"] + c["n_unassigned"]
                          + c["n_housekeeping"])
