"""Saving and opening ``Themes`` with their corpus, without pickle.

A saved folder holds::

    corpus/              the corpus (Corpus.save: Parquet tables + manifest.json)
    assignments.parquet  unit_id, theme_id, probability, primary
    vectors.safetensors  unit embeddings (corpus order) and theme centroids
    themes.json          format version, labels, keywords, origin, params, curation log,
                         aliases, pinned labels, row orders, and the SHA-256 of the files above

Opening checks every hash, so a file changed by hand is refused, and gives the same table,
assignments, labels and quotes as the saved object.

>>> themes.save("out/themes").name
'themes'
>>> again = open_themes("out/themes")
>>> again.table.equals(themes.table) and again.label(tid) == themes.label(tid)
True
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..corpus import open_corpus
from ..errors import CorpusError
from .result import ASSIGNMENT_COLUMNS, Themes

__all__ = ["save_themes", "open_themes", "THEMES_FORMAT"]

THEMES_FORMAT = 1


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_themes(themes: Themes, directory: str | Path) -> Path:
    """Write ``themes`` (and its corpus) to ``directory``; returns the folder."""
    from safetensors.numpy import save_file

    import listenlens

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    themes.corpus.save(out / "corpus")
    a = themes.assignments[ASSIGNMENT_COLUMNS].copy()
    a.to_parquet(out / "assignments.parquet", index=False)
    fields = themes.fields()
    ids = sorted(fields["centroids"])
    dim = themes.embeddings.shape[1] if themes.embeddings.ndim == 2 else 0
    cent = (np.stack([fields["centroids"][t] for t in ids]) if ids
            else np.zeros((0, dim), dtype=np.float32))
    save_file({"embeddings": np.ascontiguousarray(themes.embeddings, dtype=np.float32),
               "centroids": np.ascontiguousarray(cent, dtype=np.float32)},
              str(out / "vectors.safetensors"))
    meta = {
        "format": THEMES_FORMAT, "listenlens_version": listenlens.__version__,
        "unit_ids": themes.unit_ids, "centroid_ids": ids, "order": themes.theme_ids,
        "labels": fields["labels"], "keywords": fields["keywords"], "origin": themes.origin,
        "params": themes.params, "log": themes.log, "aliases": themes.aliases,
        "pinned": themes.pinned,
        "sha256": {name: _sha(out / name) for name in ("assignments.parquet",
                                                       "vectors.safetensors")},
    }
    (out / "themes.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False,
                                                default=str), encoding="utf-8")
    return out


def open_themes(directory: str | Path) -> Themes:
    """Open themes written by :meth:`Themes.save` (file hashes are checked)."""
    from safetensors.numpy import load_file

    root = Path(directory)
    meta_path = root / "themes.json"
    if not meta_path.is_file():
        raise CorpusError("not a saved themes folder (no themes.json)", file=root)
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != THEMES_FORMAT:
        raise CorpusError(f"themes format {meta.get('format')!r} is not supported "
                          f"(this listenlens reads format {THEMES_FORMAT})", file=meta_path)
    for name, digest in meta["sha256"].items():
        if _sha(root / name) != digest:
            raise CorpusError("file changed since it was saved (hash mismatch); re-run "
                              "find_themes rather than trusting it", file=root / name)
    corpus = open_corpus(root / "corpus")
    assignments = pd.read_parquet(root / "assignments.parquet")
    assignments["primary"] = assignments["primary"].astype(bool)
    assignments["probability"] = assignments["probability"].astype(float)
    vectors = load_file(str(root / "vectors.safetensors"))
    centroids = dict(zip(meta["centroid_ids"], vectors["centroids"]))
    return Themes(corpus, unit_ids=meta["unit_ids"], embeddings=vectors["embeddings"],
                  assignments=assignments, labels=meta["labels"], keywords=meta["keywords"],
                  centroids=centroids, params=meta["params"], origin=meta["origin"],
                  log=meta["log"], aliases=meta["aliases"], pinned=meta["pinned"],
                  order=meta["order"])
