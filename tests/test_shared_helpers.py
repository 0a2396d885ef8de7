"""The helpers every module shares: one tree hash, one atomic write, one clock, one unit vector."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pytest

from listenlens.clock import utc_now
from listenlens.embeddings import l2_normalise, model_digest, unit_vector
from listenlens.ids import hash_tree, tree_files
from listenlens.outputs import write_atomic
from listenlens.provenance.manifest import model_info


def _model(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "w.bin").write_bytes(b"weights")
    (root / "sub" / "config.json").write_text("{}", encoding="utf-8")
    return root


def test_one_tree_hash_for_embedder_names_and_manifests(tmp_path: Path) -> None:
    folder = _model(tmp_path / "m")
    digest = hash_tree(folder)
    assert model_digest(folder) == digest[:16]
    assert model_info("mine", path=folder)["sha256"] == digest
    assert model_info("mine", path=folder)["n_files"] == 2
    for junk in (".cache/x.lock", "__pycache__/a.pyc", "sub/b.pyc"):
        (folder / junk).parent.mkdir(parents=True, exist_ok=True)
        (folder / junk).write_bytes(b"junk")
    assert hash_tree(folder) == digest
    assert [p.name for p in tree_files(folder)] == ["config.json", "w.bin"]
    (folder / "w.bin").write_bytes(b"other weights")
    assert hash_tree(folder) != digest


def test_a_model_folder_under_a_cache_folder_is_hashed(tmp_path: Path) -> None:
    # a model kept under ~/.cache/... used to hash as if it had no files
    inside = _model(tmp_path / ".cache" / "models" / "m")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert len(tree_files(inside)) == 2
    assert hash_tree(inside) != hash_tree(empty)
    assert hash_tree(inside) == hash_tree(_model(tmp_path / "copy"))


def test_write_atomic_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, "old\n")
    assert write_atomic(target, "né\r\n") == target
    assert target.read_bytes() == "né\r\n".encode()
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(os.listdir(tmp_path)) == ["a.json"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(target, 3)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]


def test_utc_now_is_iso_seconds_in_utc() -> None:
    stamp = dt.datetime.fromisoformat(utc_now())
    assert stamp.utcoffset() == dt.timedelta(0) and stamp.microsecond == 0
    assert abs((dt.datetime.now(dt.timezone.utc) - stamp).total_seconds()) < 5


def test_unit_vector_and_rows_agree_and_keep_zero() -> None:
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, 1.0]], dtype=np.float32)
    rows = l2_normalise(x)
    for i in range(len(x)):
        assert np.array_equal(unit_vector(x[i]), rows[i])
    assert unit_vector(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    assert unit_vector(np.array([0.0, 2.0])).dtype == np.float64
