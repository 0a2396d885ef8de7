"""Codebook seeding: deductive themes from a framework, emergent themes from the rest.

A codebook names the themes a commissioner already works with (e.g. social determinants of
health), each with a description and example phrases. Each code becomes a prototype vector (the
normalised mean embedding of its name, description and examples); a unit joins the code it is
most similar to when that similarity reaches the threshold. Everything else goes to emergent
discovery. Codebook themes have ``origin == "codebook"``, their name as a pinned label, and ids
derived from the name (``t-`` + 8 hex digits), so they are the same in every run.

YAML (a list, or a mapping from name to fields)::

    - name: Housing conditions
      description: Damp, mould, repairs, overcrowding, unsafe homes.
      examples: ["black mould in the bedroom", "the landlord won't fix the heating"]

CSV: columns ``name, description, examples`` (examples separated by ``;``), or one row per
example with an ``example`` column (rows of the same name are combined).

>>> cb = Codebook.from_records([{"name": "Transport", "description": "buses and trains",
...                              "examples": ["the bus never comes"]}])
>>> cb.names, cb.codes[0].texts()
(['Transport'], ['Transport', 'buses and trains', 'the bus never comes'])
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..embeddings import unit_vector
from ..errors import InputError
from ..ids import stable_hash

__all__ = ["Code", "Codebook", "load_codebook", "codebook_theme_id", "DEFAULT_THRESHOLD"]

#: Similarity (cosine, to a code's prototype) above which a unit is coded deductively. Tuned for
#: MiniLM sentence embeddings; pass ``codebook_threshold`` for other embedders.
DEFAULT_THRESHOLD = 0.45


@dataclass(frozen=True, slots=True)
class Code:
    """One codebook entry."""

    name: str
    description: str = ""
    examples: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """Name, description and examples: what the prototype is made of."""
        return [t for t in (self.name, self.description, *self.examples) if t.strip()]


def codebook_theme_id(name: str) -> str:
    """Id of a codebook theme, from its name (case and spacing ignored).

    >>> codebook_theme_id("Housing ") == codebook_theme_id("housing")
    True
    """
    return "t-" + stable_hash("codebook", " ".join(name.split()).casefold(), length=8)


@dataclass(frozen=True, slots=True)
class Codebook:
    """An ordered set of codes with unique names."""

    codes: tuple[Code, ...]
    source: str = ""

    @property
    def names(self) -> list[str]:
        """Code names, in order."""
        return [c.name for c in self.codes]

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], source: str = "") -> Codebook:
        """Build from dicts with ``name``, ``description`` and ``examples`` (list or
        ``;``-separated string) or ``example``; rows with the same name are combined."""
        merged: dict[str, dict[str, Any]] = {}
        for i, rec in enumerate(records, start=1):
            name = " ".join(str(rec.get("name") or "").split())
            if not name:
                raise InputError(f"codebook entry {i} has no name", file=source or None)
            entry = merged.setdefault(name, {"description": "", "examples": []})
            desc = str(rec.get("description") or "").strip()
            if desc and not entry["description"]:
                entry["description"] = desc
            raw = rec.get("examples", rec.get("example"))
            if isinstance(raw, str):
                raw = [p for p in raw.split(";")]
            for ex in raw or []:
                ex = " ".join(str(ex).split())
                if ex and ex not in entry["examples"]:
                    entry["examples"].append(ex)
        if not merged:
            raise InputError("the codebook has no codes", file=source or None)
        codes = tuple(Code(n, e["description"], tuple(e["examples"])) for n, e in merged.items())
        return cls(codes, source)

    def prototypes(self, embedder: Any) -> np.ndarray:
        """One unit-length prototype vector per code (mean of its texts' embeddings)."""
        rows = []
        for code in self.codes:
            v = np.asarray(embedder.encode(code.texts()), dtype=np.float32).mean(axis=0)
            rows.append(unit_vector(v))
        return np.stack(rows).astype(np.float32)

    def assign(self, x: np.ndarray, embedder: Any, threshold: float
               ) -> tuple[np.ndarray, np.ndarray]:
        """Code index per row of ``x`` (``-1`` below the threshold) and the best similarity."""
        sims = x @ self.prototypes(embedder).T
        best = sims.argmax(axis=1)
        top = sims[np.arange(len(x)), best]
        return np.where(top >= threshold, best, -1), top


def load_codebook(path: str | Path | Codebook) -> Codebook:
    """Read a YAML, CSV or REFI-QDA (``.qdc``, or the codebook in a ``.qdpx``) codebook (a
    :class:`Codebook` passes through)."""
    if isinstance(path, Codebook):
        return path
    p = Path(path)
    if not p.is_file():
        raise InputError("codebook file not found", file=p)
    if p.suffix.lower() in (".qdc", ".qdpx"):
        from ..exchange.codes import load_qda_codebook

        return load_qda_codebook(p)
    text = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML: {exc}", file=p) from exc
        if isinstance(data, Mapping) and "codes" in data:
            data = data["codes"]
        if isinstance(data, Mapping):
            data = [{"name": k, **(v if isinstance(v, Mapping) else {"description": v or ""})}
                    for k, v in data.items()]
        if not isinstance(data, list):
            raise InputError("a YAML codebook is a list of codes or a mapping name -> code",
                             file=p)
        return Codebook.from_records(data, str(p))
    if p.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or "name" not in rows[0]:
            raise InputError("a CSV codebook needs a 'name' column", file=p, line=1)
        return Codebook.from_records(rows, str(p))
    raise InputError("codebooks are .yaml, .yml, .csv, .qdc or .qdpx files", file=p)
