"""Saving and opening records as Parquet tables plus a JSON manifest (no pickle anywhere).

A saved corpus folder holds ``events.parquet``, ``units.parquet``, ``skipped.parquet``,
``sources.parquet`` (with each source's decoded text) and ``manifest.json`` (format version,
package version, load parameters, input hash, and the SHA-256 of every table file). Opening
checks those hashes, so a table edited by hand is refused rather than half-trusted.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import CorpusError
from .ids import sha256_bytes
from .records import Event, Skip, Source, Unit, field_names, record_dict

__all__ = ["save_corpus", "open_saved_corpus", "write_records", "read_records", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_JSON_FIELDS = {"metadata", "extra"}


def _to_row(record: Any) -> dict[str, Any]:
    row = record_dict(record)
    for key in _JSON_FIELDS & row.keys():
        row[key] = json.dumps(row[key], sort_keys=True, ensure_ascii=False, default=str)
    if "spans" in row:
        row["spans"] = [list(s) for s in row["spans"]]
    if "files" in row:
        row["files"] = list(row["files"])
    return row


def _from_row(cls: type, row: dict[str, Any]) -> Any:
    for key in _JSON_FIELDS & row.keys():
        row[key] = json.loads(row[key])
    if "spans" in row:
        row["spans"] = tuple((int(s), int(e)) for s, e in row["spans"])
    if "files" in row:
        row["files"] = tuple(row["files"])
    if cls is Event and isinstance(row.get("date"), dt.datetime):
        row["date"] = row["date"].date()
    names = field_names(cls)
    return cls(**{k: v for k, v in row.items() if k in names})


_SCHEMAS = {
    Unit: pa.schema([
        ("unit_id", pa.string()), ("event_id", pa.string()), ("text", pa.string()),
        ("source", pa.string()), ("source_sha256", pa.string()),
        ("spans", pa.list_(pa.list_(pa.int64()))), ("char_start", pa.int64()),
        ("char_end", pa.int64()), ("line", pa.int64()), ("kind", pa.string()),
        ("speaker", pa.string()), ("speaker_id", pa.string()), ("role", pa.string()),
        ("consent", pa.string()), ("consent_basis", pa.string()),
        ("time_start", pa.float64()), ("time_end", pa.float64()), ("context", pa.string()),
        ("parent_id", pa.string()), ("extra", pa.string())]),
    Event: pa.schema([
        ("event_id", pa.string()), ("community", pa.string()), ("date", pa.date32()),
        ("place", pa.string()), ("format", pa.string()), ("facilitator", pa.string()),
        ("title", pa.string()), ("files", pa.list_(pa.string())), ("metadata", pa.string())]),
    Skip: pa.schema([
        ("source", pa.string()), ("line", pa.int64()), ("reason", pa.string()),
        ("detail", pa.string()), ("event_id", pa.string()), ("excerpt", pa.string())]),
    Source: pa.schema([
        ("path", pa.string()), ("sha256", pa.string()), ("format", pa.string()),
        ("encoding", pa.string()), ("encoding_note", pa.string()), ("n_chars", pa.int64()),
        ("event_id", pa.string()), ("escape", pa.string())]),
}


def write_records(path: Path, cls: type, records: list[Any],
                  extra_columns: dict[str, list[Any]] | None = None) -> str:
    """Write records of one class to a Parquet file; returns the file's SHA-256."""
    schema = _SCHEMAS[cls]
    rows = [_to_row(r) for r in records]
    columns = {name: [row[name] for row in rows] for name in schema.names}
    table = pa.table(columns, schema=schema)
    for name, values in (extra_columns or {}).items():
        table = table.append_column(name, pa.array(values, type=pa.string()))
    pq.write_table(table, path, compression="zstd")
    return sha256_bytes(path.read_bytes())


def read_records(path: Path, cls: type) -> tuple[list[Any], Any]:
    """Records of one class from a Parquet file written by :func:`write_records`, plus the table."""
    table = pq.read_table(path)
    return [_from_row(cls, row) for row in table.to_pylist()], table


def save_corpus(corpus: Any, directory: Path) -> Path:
    """Write a :class:`~listenlens.corpus.Corpus` to ``directory`` (created if needed)."""
    from . import __version__

    directory.mkdir(parents=True, exist_ok=True)
    hashes = {
        "events.parquet": write_records(directory / "events.parquet", Event,
                                        list(corpus.event_records)),
        "units.parquet": write_records(directory / "units.parquet", Unit,
                                       list(corpus.unit_records)),
        "skipped.parquet": write_records(directory / "skipped.parquet", Skip,
                                         list(corpus.skip_records)),
        "sources.parquet": write_records(
            directory / "sources.parquet", Source, list(corpus.source_records),
            {"text": [corpus.texts.get(s.path) for s in corpus.source_records]}),
    }
    manifest = {
        "kind": "listenlens.corpus",
        "format_version": FORMAT_VERSION,
        "listenlens_version": __version__,
        "input_hash": corpus.input_hash,
        "root": corpus.root,
        "params": corpus.params,
        "counts": {"events": len(corpus.event_records), "units": len(corpus.unit_records),
                   "skipped": len(corpus.skip_records), "sources": len(corpus.source_records)},
        "files": hashes,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True,
                                                        default=str) + "\n", encoding="utf-8")
    return directory


def open_saved_corpus(directory: Path) -> Any:
    """Open a corpus folder written by :func:`save_corpus`, checking every table's hash."""
    from .corpus import Corpus

    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise CorpusError("not a saved listenlens corpus (no manifest.json)", file=str(directory))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("kind") != "listenlens.corpus":
        raise CorpusError("manifest.json is not a listenlens corpus manifest",
                          file=str(manifest_path))
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise CorpusError(f"saved with a newer format ({manifest['format_version']}); "
                          "upgrade listenlens", file=str(manifest_path))
    for name, digest in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise CorpusError("table listed in manifest.json is missing", file=str(path))
        if sha256_bytes(path.read_bytes()) != digest:
            raise CorpusError("table does not match the hash in manifest.json (changed since "
                              "it was saved?)", file=str(path))
    events, _ = read_records(directory / "events.parquet", Event)
    units, _ = read_records(directory / "units.parquet", Unit)
    skipped, _ = read_records(directory / "skipped.parquet", Skip)
    sources, table = read_records(directory / "sources.parquet", Source)
    texts = {p: t for p, t in zip(table.column("path").to_pylist(),
                                  table.column("text").to_pylist()) if t is not None}
    return Corpus(events, units, skipped, sources, texts=texts, root=manifest.get("root"),
                  params=manifest.get("params", {}))
