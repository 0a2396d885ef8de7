"""Curation: logged operations that never renumber themes, and replay on a fresh fit."""

from __future__ import annotations

import pandas as pd
import pytest

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.themes import UNASSIGNED, find_themes
from listenlens.themes.curation import replay
from planted import make_corpus_dir

pytestmark = pytest.mark.slow  # fits themes to curate them


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = make_corpus_dir(tmp_path_factory.mktemp("cur") / "c", n_per_event=40)
    corpus = ll.load(root)
    return find_themes(corpus, seed=0, embedder=HashingEmbedder()), corpus


def _primary_count(themes) -> int:
    return int(themes.assignments["primary"].sum())


def test_rename_pins_label_and_logs(base):
    themes, _ = base
    tid = themes.theme_ids[0]
    renamed = themes.rename(tid, "Damp and mould in council homes", who="amina", why="clearer")
    assert renamed.label(tid) == "Damp and mould in council homes"
    assert themes.label(tid) != renamed.label(tid)  # the original is unchanged
    entry = renamed.log[-1]
    assert entry["op"] == "rename" and entry["who"] == "amina" and entry["why"] == "clearer"
    assert entry["when"].endswith("+00:00")
    assert renamed.theme_ids == themes.theme_ids


def test_merge_creates_a_new_id_and_old_ids_resolve(base):
    themes, _ = base
    a, b = themes.theme_ids[:2]
    merged = themes.merge([a, b], who="lead", why="same concern")
    new = merged.log[-1]["result"]["theme_id"]
    assert new.startswith("t-") and new not in (a, b)
    assert merged.resolve(a) == [new] and merged.resolve(b) == [new]
    assert merged.label(a) == merged.label(new)
    n_a, n_b = (themes.table.set_index("theme_id").loc[t, "n_units"] for t in (a, b))
    assert merged.table.set_index("theme_id").loc[new, "n_units"] == n_a + n_b
    assert len(merged.table) == len(themes.table) - 1
    untouched = [t for t in themes.theme_ids if t not in (a, b)]
    for t in untouched:
        assert merged.label(t) == themes.label(t) and merged.keywords(t) == themes.keywords(t)
    assert _primary_count(merged) == _primary_count(themes)
    with pytest.raises(ValueError):
        themes.merge([a, a])


def test_split_and_move_and_noise(base):
    themes, _ = base
    big = themes.theme_ids[0]
    parts = themes.split(big, 2)
    new_ids = parts.log[-1]["result"]["theme_ids"]
    assert len(new_ids) == 2 and set(parts.resolve(big)) == set(new_ids)
    assert sum(len(parts.member_ids(t)) for t in new_ids) == len(themes.member_ids(big))
    with pytest.raises(KeyError, match="split"):
        parts.label(big)

    target = themes.theme_ids[1]
    units = themes.member_ids(big)[:3]
    moved = themes.move(units, target, why="miscoded")
    assert set(units) <= set(moved.member_ids(target))
    assert moved.theme_ids[0:0] == [] and set(moved.theme_ids) == set(themes.theme_ids)
    a = moved.assignments
    assert (a[a.unit_id.isin(units) & a.primary]["probability"] == 1.0).all()

    gone = themes.mark_noise(target)
    assert target not in gone.theme_ids and gone.resolve(target) == [UNASSIGNED]
    assert gone.summary()["n_unassigned"] == (themes.summary()["n_unassigned"]
                                              + len(themes.member_ids(target)))
    assert _primary_count(gone) == _primary_count(themes)


def test_log_replays_on_a_fresh_fit(base, tmp_path):
    themes, corpus = base
    a, b, c = themes.theme_ids[:3]
    curated = (themes.merge([a, b], label="Housing and transport", who="lead")
               .rename(c, "A pinned name")
               .move(themes.member_ids(c)[:2], UNASSIGNED, why="off topic"))
    fresh = find_themes(corpus, seed=0, embedder=HashingEmbedder())
    again, skipped = replay(fresh, curated.log)
    assert skipped == []
    pd.testing.assert_frame_equal(curated.table, again.table)
    pd.testing.assert_frame_equal(curated.assignments, again.assignments)
    assert again.log == curated.log
    # the log also survives save/open, and replays from there
    from listenlens.themes import open_themes

    reopened = open_themes(curated.save(tmp_path / "curated"))
    assert reopened.log == curated.log and reopened.aliases == curated.aliases
    assert reopened.label(a) == "Housing and transport"


def test_replay_skips_what_no_longer_applies(base):
    themes, _ = base
    log = [{"op": "rename", "args": {"theme_id": "t-00000000", "label": "x", "members": []},
            "when": "2025-01-01T00:00:00+00:00", "who": "", "why": "", "result": {}}]
    out = themes.replay(log)
    assert out.params["replay_skipped"] and out.table.equals(themes.table)
