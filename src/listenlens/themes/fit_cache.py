"""Fitted themes kept in the analysis cache, so that re-running the same analysis skips the fit.

A theme fit is a pure function of the unit vectors, the unit ids, the corpus, the fit's parameters
and seed, the embedder, and the code and packages that run it. :func:`fit_key` hashes all of
these; :func:`store_fit` writes a fitted :class:`~listenlens.themes.result.Themes` under
``<cache>/fits/<key>/`` (without its corpus and vectors, which the run holds already) and
:func:`load_fit` gives it back for the same corpus and vectors. A changed vector, unit, parameter,
seed, model, backend, package version or line of listenlens's code gives another key, so an
entry is never used for a fit it does not describe.

An entry is three files: ``assignments.parquet``, ``centroids.npy`` and ``fit.json`` (labels,
keywords, origins, parameters, row order and the SHA-256 of the other two). It is written into a
temporary folder and renamed into place, so a reader never sees half an entry; an entry whose
files do not match their recorded hashes is not used (:func:`load_fit` says why).

>>> import numpy as np
>>> key = fit_key(np.eye(2, dtype=np.float32), ["u1", "u2"], corpus_hash="abc",
...               settings={"seed": 0})
>>> len(key), key == fit_key(np.eye(2, dtype=np.float32), ["u1", "u2"], corpus_hash="abc",
...                          settings={"seed": 1})
(32, False)
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..corpus import Corpus
from .result import ASSIGNMENT_COLUMNS, Themes

__all__ = ["fit_key", "store_fit", "load_fit", "FIT_FORMAT", "code_digest",
           "environment_digest"]

#: Version of the entry layout; part of every key.
FIT_FORMAT = 1


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 over listenlens's own Python files (relative path and bytes, sorted by path):
    an edited module, even at the same version number, gives other keys."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix()):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def environment_digest() -> str:
    """SHA-256 of every installed distribution's ``name==version``, sorted."""
    names = sorted({f"{(d.metadata['Name'] or '').lower()}=={d.version}"
                    for d in metadata.distributions()})
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def fit_key(x: np.ndarray, unit_ids: Sequence[str], *, corpus_hash: str,
            settings: Mapping[str, Any]) -> str:
    """The cache key of a theme fit: 32 hex digits of a SHA-256 over the entry format, the
    corpus's input hash, ``settings`` (every fit parameter, the seed and the embedder's name, as
    JSON with sorted keys), :func:`code_digest`, :func:`environment_digest`, the unit ids and the
    vectors' shape and bytes (float32)."""
    h = hashlib.sha256()
    head = {"format": FIT_FORMAT, "corpus": corpus_hash, "settings": dict(settings),
            "code": code_digest(), "packages": environment_digest()}
    h.update(json.dumps(head, sort_keys=True, default=str).encode("utf-8"))
    h.update(("\n".join(unit_ids) + "\0").encode("utf-8"))
    data = np.ascontiguousarray(x, dtype=np.float32)
    h.update(repr(data.shape).encode("ascii"))
    h.update(memoryview(data).cast("B"))
    return h.hexdigest()[:32]


def _entry(cache_dir: str | Path, key: str) -> Path:
    return Path(cache_dir) / "fits" / key


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_fit(cache_dir: str | Path, key: str, themes: Themes) -> Path:
    """Write ``themes`` as the entry ``key`` of ``cache_dir``; returns its folder. An entry
    that is there already is left as it is (another run wrote the same fit)."""
    target = _entry(cache_dir, key)
    if (target / "fit.json").is_file():
        return target
    fields = themes.fields()
    ids = sorted(fields["centroids"])
    dim = themes.embeddings.shape[1] if themes.embeddings.ndim == 2 else 0
    cent = (np.stack([fields["centroids"][t] for t in ids]).astype(np.float32) if ids
            else np.zeros((0, dim), dtype=np.float32))
    table = io.BytesIO()
    themes.assignments[ASSIGNMENT_COLUMNS].to_parquet(table, index=False)
    vectors = io.BytesIO()
    np.save(vectors, cent, allow_pickle=False)
    files = {"assignments.parquet": table.getvalue(), "centroids.npy": vectors.getvalue()}
    meta = {"format": FIT_FORMAT, "key": key, "centroid_ids": ids, "order": themes.theme_ids,
            "labels": fields["labels"], "keywords": fields["keywords"],
            "origin": fields["origin"], "params": fields["params"], "log": fields["log"],
            "aliases": fields["aliases"], "pinned": fields["pinned"],
            "timings": dict(themes.timings),
            "sha256": {name: _sha(data) for name, data in files.items()}}
    files["fit.json"] = json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")
    staging = target.with_name(f".{key}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, data in files.items():
        (staging / name).write_bytes(data)
    try:
        staging.rename(target)
    except OSError:  # written meanwhile by another process: keep theirs
        shutil.rmtree(staging, ignore_errors=True)
    return target


def load_fit(cache_dir: str | Path, key: str, corpus: Corpus, x: np.ndarray,
             unit_ids: Sequence[str]) -> tuple[Themes | None, str]:
    """The themes stored as entry ``key``, rebuilt on ``corpus`` with vectors ``x`` (the ones
    the key was computed from), and a word on the outcome: ``(themes, "reused")``, or
    ``(None, reason)`` when there is no usable entry (``"none stored"``, or why the entry was
    refused)."""
    root = _entry(cache_dir, key)
    meta_path = root / "fit.json"
    if not meta_path.is_file():
        return None, "none stored"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        files = {name: (root / name).read_bytes() for name in meta["sha256"]}
    except (OSError, ValueError, KeyError) as err:
        return None, f"entry {key} unreadable ({type(err).__name__})"
    if meta.get("format") != FIT_FORMAT or meta.get("key") != key:
        return None, f"entry {key} is of another format"
    bad = sorted(n for n, digest in meta["sha256"].items() if _sha(files[n]) != digest)
    if bad:
        return None, f"entry {key} changed since it was written ({', '.join(bad)})"
    assignments = pd.read_parquet(io.BytesIO(files["assignments.parquet"]))
    cent = np.load(io.BytesIO(files["centroids.npy"]), allow_pickle=False)
    themes = Themes(corpus, unit_ids=list(unit_ids), embeddings=x, assignments=assignments,
                    labels=meta["labels"], keywords=meta["keywords"],
                    centroids=dict(zip(meta["centroid_ids"], cent)), params=meta["params"],
                    origin=meta["origin"], log=meta["log"], aliases=meta["aliases"],
                    pinned=meta["pinned"], order=meta["order"])
    themes.timings = {**meta["timings"], "fit_reused": 1.0}
    return themes, "reused"
