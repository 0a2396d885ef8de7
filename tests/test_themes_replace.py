"""``Themes`` changes through its own public methods: ``fields``/``replace`` derive a changed
copy, and the modules that build themes (update, curation, persist) use them instead of
another object's private attributes; no module imports another module's private function.

Themes here are built by hand from the small test corpus (no fit), so these tests are quick.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from listenlens.embeddings import HashingEmbedder
from listenlens.themes.result import (
    ASSIGNMENT_COLUMNS,
    HOUSEKEEPING,
    POS_HOUSEKEEPING,
    POS_UNASSIGNED,
    UNASSIGNED,
    Themes,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "listenlens"


@pytest.fixture
def themes(small_corpus_dir: Path) -> Themes:
    """Two hand-made themes over the small corpus: damp (Amina), everything else unassigned."""
    corpus = ll.load(small_corpus_dir)
    ids = corpus.units["unit_id"].tolist()
    texts = corpus.units["text"].tolist()
    x = HashingEmbedder(dim=64).encode(texts)
    damp = [u for u, t in zip(ids, texts) if "damp" in t.lower()]
    rest = [u for u in ids if u not in damp]
    rows = [(u, "t-damp", 1.0, True) for u in damp] + [(u, UNASSIGNED, 1.0, True) for u in rest]
    centre = x[[ids.index(u) for u in damp]].mean(axis=0)
    return Themes(corpus, unit_ids=ids, embeddings=x,
                  assignments=pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS),
                  labels={"t-damp": "Damp"}, keywords={"t-damp": ["damp"]},
                  centroids={"t-damp": centre / np.linalg.norm(centre)},
                  params={"notes": ["made by hand"]})


def test_replace_changes_only_what_is_given(themes: Themes) -> None:
    out = themes.replace(labels={"t-damp": "Damp and mould"}, pinned={"t-damp": "Damp and mould"})
    assert out is not themes
    assert out.label("t-damp") == "Damp and mould" and out.pinned == {"t-damp": "Damp and mould"}
    assert themes.label("t-damp") == "Damp" and themes.pinned == {}  # the original is unchanged
    assert out.table.loc[0, "label"] == "Damp and mould"
    assert out.keywords("t-damp") == ["damp"] and out.notes == ["made by hand"]
    pd.testing.assert_frame_equal(out.assignments, themes.assignments)
    np.testing.assert_array_equal(out.centroid("t-damp"), themes.centroid("t-damp"))


def test_replace_rejects_unknown_fields(themes: Themes) -> None:
    with pytest.raises(TypeError, match="no field 'colour'"):
        themes.replace(colour="red")


def test_fields_are_copies_and_rebuild_an_equal_object(themes: Themes) -> None:
    fields = themes.fields()
    assert set(fields) == {"corpus", *Themes.FIELDS}
    fields["labels"]["t-damp"] = "changed"
    fields["log"].append({"op": "x"})
    assert themes.label("t-damp") == "Damp" and themes.log == []
    again = Themes(**{k: v for k, v in themes.fields().items() if k != "corpus"},
                   corpus=themes.corpus)
    pd.testing.assert_frame_equal(again.table, themes.table)


def test_unit_lookups(themes: Themes) -> None:
    first = themes.unit_ids[0]
    assert themes.has_unit(first) and not themes.has_unit("u-nope")
    np.testing.assert_array_equal(themes.vectors([first]), themes.embeddings[:1])
    with pytest.raises(KeyError):
        themes.vectors(["u-nope"])
    assert themes.resolve_one("t-damp") == "t-damp"


def test_position_codes_are_the_special_themes() -> None:
    from listenlens.themes.model import assignment_rows

    x = np.eye(3, dtype=np.float32)
    rows = assignment_rows(["a", "b", "c"], x, np.array([0, POS_UNASSIGNED, POS_HOUSEKEEPING]),
                           ["t-1"], x[:1], temperature=0.05, secondary_margin=0.03)
    assert rows["theme_id"].tolist() == ["t-1", UNASSIGNED, HOUSEKEEPING]


# --- no module reaches into another's private names -------------------------------------------

def _private_attribute_uses(path: Path) -> list[str]:
    """``obj._name`` where ``obj`` is not ``self``/``cls`` (dunder names allowed)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
    return found


@pytest.mark.parametrize("name", ["update.py", "curation.py", "persist.py"])
def test_themes_builders_use_no_private_attributes_of_other_objects(name: str) -> None:
    """Themes, registries and models change through their public methods only."""
    assert _private_attribute_uses(SRC / "themes" / name) == []


def test_no_module_imports_a_private_name_of_another() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module is not None:
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(SRC)}:{node.lineno} {alias.name}")
    assert found == []
