"""A project folder on disk: its layout, its tables, ``project.json``, its lock, and adding
transcripts to it. :mod:`listenlens.project` runs analyses on top of this bookkeeping.

The layout (see :mod:`listenlens.project`): ``events.csv`` and ``consent.csv`` with one row per
event added, the transcripts under ``events/<event_id>/``, and the state folder
``_listenlens/`` (``project.json``: settings, the hash of every file added, update history).
Adding never analyses; it copies files in, refusing a file whose content the project holds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clock import utc_now
from .errors import CorpusError, InputError
from .ingest.folder import inside_root
from .outputs import write_atomic
from .records import CONSENT_LEVELS

__all__ = ["AddReport", "PROJECT_STATE", "PROJECT_OUTPUTS", "PROJECT_FORMAT", "LOCK_TIMEOUT",
           "EVENT_COLUMNS", "CONSENT_COLUMNS", "read_table", "write_table", "read_meta",
           "save_meta", "hold", "event_ids", "create_folder", "gather_rows", "add_rows"]

PROJECT_STATE = "_listenlens"
PROJECT_OUTPUTS = "_outputs"
PROJECT_FORMAT = 1
#: Seconds ``add`` or ``update`` waits for another process's hold on the project to end.
LOCK_TIMEOUT = float(os.environ.get("LISTENLENS_LOCK_TIMEOUT", "3600"))
EVENT_COLUMNS = ["event_id", "community", "date", "place", "format", "file", "facilitator"]
CONSENT_COLUMNS = ["event_id", "speaker", "consent"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Columns and rows of a CSV table (none when the file does not exist)."""
    if not path.is_file():
        return [], []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), [dict(r) for r in reader]


def write_table(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    """Write a CSV table (``columns`` only, missing values empty), atomically."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") or "" for c in columns})
    write_atomic(path, buf.getvalue())


@dataclass(frozen=True)
class AddReport:
    """What :meth:`Project.add` did: events and files added, and files skipped because the
    project already holds the same content (``(given path, project path)``)."""

    events: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()
    skipped_events: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        lines = [f"added {len(self.events)} event(s) ({', '.join(self.events) or 'none'}) "
                 f"with {len(self.files)} file(s)"]
        lines += [f"already in the project (same content): {given} = {have}"
                  for given, have in self.duplicates]
        if self.skipped_events:
            lines.append(f"events not added (all their files are already in the project): "
                         f"{', '.join(self.skipped_events)}")
        return "\n".join(lines)


def read_meta(root: Path) -> dict[str, Any]:
    """A project folder's ``project.json``; :class:`CorpusError` when ``root`` is not a
    project folder or its format is not this version's."""
    path = root / PROJECT_STATE / "project.json"
    if not path.is_file():
        raise CorpusError("not a listenlens project folder (no _listenlens/project.json); "
                          "create one with `listenlens init`", file=root)
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format") != PROJECT_FORMAT:
        raise CorpusError(f"project format {meta.get('format')!r} is not supported",
                          file=path)
    return meta


def save_meta(root: Path, meta: Mapping[str, Any]) -> None:
    """Write ``project.json`` (atomically)."""
    write_atomic(root / PROJECT_STATE / "project.json",
                 json.dumps(meta, indent=1, ensure_ascii=False))


@contextmanager
def hold(root: Path) -> Iterator[None]:
    """Hold the project's file lock (``_listenlens/project.lock``) while its state changes.
    Waits up to :data:`LOCK_TIMEOUT` seconds for another process's hold to end."""
    from filelock import FileLock, Timeout

    lock = FileLock(root / PROJECT_STATE / "project.lock", timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise CorpusError(f"the project is busy: another listenlens process has held it for "
                          f"{LOCK_TIMEOUT:g} s (an add or update still running?); try again "
                          "when it has finished", file=root) from None
    try:
        yield
    finally:
        lock.release()


def event_ids(root: Path) -> list[str]:
    """Events added to the project folder ``root``, in the order they were added."""
    return [r["event_id"] for r in read_table(root / "events.csv")[1]]


def create_folder(root: Path, settings: Mapping[str, Any], version: str) -> None:
    """Make ``root`` an empty project folder (an empty events.csv and a project.json with
    ``settings``); :class:`InputError` when it already holds a project or a corpus."""
    if (root / PROJECT_STATE / "project.json").is_file():
        raise InputError("this folder already holds a listenlens project", file=root)
    if (root / "events.csv").is_file():
        raise InputError("this folder already holds a corpus (events.csv); a project starts "
                         "empty: create it elsewhere and `add` the corpus folder", file=root)
    (root / PROJECT_STATE).mkdir(parents=True, exist_ok=True)
    write_table(root / "events.csv", EVENT_COLUMNS, [])
    save_meta(root, {"format": PROJECT_FORMAT, "created": utc_now(), "listenlens_version": version,
                     "settings": dict(settings), "files": {}, "added": [], "updates": []})


def add_rows(root: Path, meta: dict[str, Any], rows: list[tuple[dict[str, str], list[Path]]],
             consent_rows: list[dict[str, str]]) -> AddReport:
    """Copy the files of ``rows`` into the project folder ``root`` and append the rows to its
    events.csv and consent.csv; ``meta`` (project.json, held under the lock) records the files'
    hashes and is saved. A file whose content the project holds is reported, not copied."""
    from .ingest.folder import parse_date

    columns, existing = read_table(root / "events.csv")
    have_ids = {r["event_id"] for r in existing}
    held: dict[str, str] = meta.setdefault("files", {})
    added_rows: list[dict[str, str]] = []
    copies: list[tuple[Path, Path]] = []
    added_files: list[str] = []
    duplicates: list[tuple[str, str]] = []
    skipped: list[str] = []
    seen_now: dict[str, str] = {}
    for row, sources in rows:
        eid = (row.get("event_id") or "").strip()
        if not eid or "/" in eid or eid.startswith((".", "_")):
            raise InputError(f"event id {eid!r} is empty or not usable as a folder name")
        for name in ("community", "date"):
            if not (row.get(name) or "").strip():
                raise InputError(f"event {eid!r} has no {name}")
        parse_date(row["date"].strip(), f"event {eid}", 0)
        for src in sources:
            if not src.is_file():
                raise InputError(f"event {eid!r} names a file that does not exist", file=src)
        fresh: list[tuple[Path, str]] = []
        for src in sources:
            digest = _sha(src)
            if digest in held or digest in seen_now:
                duplicates.append((str(src), held.get(digest) or seen_now[digest]))
            else:
                fresh.append((src, digest))
        if not fresh:
            skipped.append(eid)
            continue
        if eid in have_ids:
            raise InputError(f"event id {eid!r} is already in the project with other "
                             "files; choose a new event id")
        if len(fresh) < len(sources):
            raise InputError(f"event {eid!r} mixes files already in the project with new "
                             "ones; add the new files as their own event")
        rels = []
        for k, (src, digest) in enumerate(fresh):
            name = src.name if not any(s.name == src.name for s, _ in fresh[:k]) else \
                f"{k}-{src.name}"
            rel = f"events/{eid}/{name}"
            copies.append((src, root / rel))
            seen_now[digest] = rel
            rels.append(rel)
            added_files.append(rel)
        added_rows.append({**row, "event_id": eid, "file": ";".join(rels)})
        have_ids.add(eid)
    if added_rows:
        for src, dst in copies:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
        cols = list(columns or EVENT_COLUMNS)
        for r in added_rows:
            cols += [c for c in r if c not in cols]
        write_table(root / "events.csv", cols, [*existing, *added_rows])
        new_ids = {r["event_id"] for r in added_rows}
        mine = [c for c in consent_rows if c.get("event_id") in new_ids]
        for c in mine:
            if c.get("consent", "").strip() not in CONSENT_LEVELS:
                raise InputError(f"consent {c.get('consent')!r} for event "
                                 f"{c.get('event_id')!r} is not one of "
                                 f"{', '.join(CONSENT_LEVELS)}")
        if mine:
            ccols, crows = read_table(root / "consent.csv")
            write_table(root / "consent.csv", ccols or CONSENT_COLUMNS, [*crows, *mine])
        held.update(seen_now)
        meta.setdefault("added", []).append(
            {"when": utc_now(), "events": sorted(new_ids), "files": added_files})
        save_meta(root, meta)
    return AddReport(tuple(r["event_id"] for r in added_rows), tuple(added_files),
                     tuple(duplicates), tuple(skipped))

def gather_rows(paths: Sequence[str | Path], *, event_id: str | None = None,
                community: str | None = None, date: str | None = None, place: str = "",
                format: str = "", facilitator: str = "", title: str = "",
                consent: str | None = None, reader: str | None = None,
                event_metadata: str | Path | None = None,
                metadata: Mapping[str, str] | None = None
                ) -> tuple[list[tuple[dict[str, str], list[Path]]], list[dict[str, str]]]:
    """The events.csv rows (each with the files it names) and consent.csv rows that
    :meth:`listenlens.Project.add` was asked to add (its three ways), checked but not yet
    written."""
    metadata = dict(metadata or {})
    if not paths:
        raise InputError("add needs at least one file or corpus folder")
    rows: list[tuple[dict[str, str], list[Path]]] = []
    consent_rows: list[dict[str, str]] = []
    files = [Path(p) for p in paths]
    missing = [p for p in files if not p.exists()]
    if missing:
        raise InputError("no such file or folder", file=missing[0])
    folders = [p for p in files if p.is_dir()]
    loose = [p for p in files if not p.is_dir()]
    for folder in folders:
        if not (folder / "events.csv").is_file():
            raise InputError("a folder to add must be a corpus folder with events.csv",
                             file=folder)
        _, ev = read_table(folder / "events.csv")
        for row in ev:
            names = [f.strip() for f in (row.get("file") or "").split(";") if f.strip()]
            for n in names:  # a file a corpus folder names must lie inside it, links followed
                inside_root(folder, n, file=folder / "events.csv", line=None)
            rows.append((row, [folder / n for n in names]))
        consent_rows += read_table(folder / "consent.csv")[1]
    if loose and event_metadata is not None:
        _, ev = read_table(Path(event_metadata))
        by_name = {p.name: p for p in loose}
        used: set[str] = set()
        for row in ev:
            names = [Path(f.strip()).name for f in (row.get("file") or "").split(";")
                     if f.strip()]
            if names and all(n in by_name for n in names):
                rows.append((row, [by_name[n] for n in names]))
                used.update(names)
        unused = sorted(set(by_name) - used)
        if unused:
            raise InputError(f"no row of the event metadata names {', '.join(unused)} in "
                             "its 'file' column", file=Path(event_metadata))
    elif loose:
        if not (event_id and community and date):
            raise InputError("adding files needs --event-id, --community and --date (or "
                             "--event-metadata FILE, or a corpus folder)")
        row = {"event_id": event_id, "community": community, "date": date, "place": place,
               "format": format, "facilitator": facilitator, "title": title,
               **({"reader": reader} if reader else {}), **metadata}
        rows.append((row, loose))
        if consent is not None:
            consent_rows.append({"event_id": event_id, "speaker": "*", "consent": consent})
    return rows, consent_rows
