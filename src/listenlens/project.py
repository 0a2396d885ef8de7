"""A living analysis: a project folder that grows event by event, keeping its themes.

Listening is continuous. A project folder holds everything an organisation's analysis needs
across months: the corpus, the embedding cache, the theme registry (themes with their ids,
labels, curation and lineage) and the outputs. Adding this month's events and updating puts
the new contributions into the themes people already know, records what is new, and leaves
earlier themes' ids and labels alone.

The folder is an ordinary corpus folder (``listenlens.load`` reads it), plus a state folder::

    DIR/
    ├── events.csv, consent.csv       # one row per event added
    ├── events/<event_id>/<file>      # the transcripts, copied in by ``add``
    ├── _listenlens/                  # state (names starting with "_" are not corpus files)
    │   ├── project.json              # settings, the hash of every file added, update history
    │   ├── cache/                    # embeddings and reductions
    │   ├── registry/                 # the theme registry (ThemeRegistry.save)
    │   └── reports/update-NNNN.json  # what each update did
    └── _outputs/                     # briefing, summaries, tables, charts of the last update

>>> project = init_project("my-project")                                          # doctest: +SKIP
>>> project.add("march/notes.docx", event_id="e12", community="Tenants", date="2026-03-04")
...                                                                               # doctest: +SKIP
>>> print(project.update())                                                       # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
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

import pandas as pd

from .corpus import Corpus, load
from .embeddings import Embedder
from .errors import CorpusError, InputError
from .ingest.folder import inside_root
from .records import CONSENT_LEVELS

__all__ = ["Project", "AddReport", "init_project", "open_project", "PROJECT_STATE",
           "PROJECT_FORMAT"]

PROJECT_STATE = "_listenlens"
PROJECT_OUTPUTS = "_outputs"
PROJECT_FORMAT = 1
#: Seconds ``add`` or ``update`` waits for another process's hold on the project to end.
LOCK_TIMEOUT = float(os.environ.get("LISTENLENS_LOCK_TIMEOUT", "3600"))
EVENT_COLUMNS = ["event_id", "community", "date", "place", "format", "file", "facilitator"]
CONSENT_COLUMNS = ["event_id", "speaker", "consent"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        return [], []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), [dict(r) for r in reader]


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it and a rename, so a reader
    (or a crash) sees the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_table(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") or "" for c in columns})
    _atomic_write(path, buf.getvalue())


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


class Project:
    """A project folder (see the module docstring). Open one with :func:`open_project` or
    create one with :func:`init_project`.

    ``embedder`` must be the one the project's themes are built with (default: the packaged
    MiniLM); tests pass :class:`~listenlens.embeddings.HashingEmbedder`.
    """

    def __init__(self, root: str | Path, *, embedder: Embedder | None = None,
                 progress: bool | None = None):
        self.root = Path(root)
        self.embedder = embedder
        self.progress = progress
        path = self.state / "project.json"
        if not path.is_file():
            raise CorpusError("not a listenlens project folder (no _listenlens/project.json); "
                              "create one with `listenlens init`", file=self.root)
        self.meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if self.meta.get("format") != PROJECT_FORMAT:
            raise CorpusError(f"project format {self.meta.get('format')!r} is not supported",
                              file=path)
        self._registry: Any = None
        self.last_report: Any = None

    # --- places -------------------------------------------------------------------------------
    @property
    def state(self) -> Path:
        """The state folder ``_listenlens/``."""
        return self.root / PROJECT_STATE

    @property
    def outputs(self) -> Path:
        """Where :meth:`write` puts the outputs by default (``_outputs/``)."""
        return self.root / PROJECT_OUTPUTS

    @property
    def settings(self) -> dict[str, Any]:
        """Settings chosen at ``init`` (seed, default consent, theme parameters, fading)."""
        return dict(self.meta["settings"])

    def _save_meta(self) -> None:
        _atomic_write(self.state / "project.json",
                      json.dumps(self.meta, indent=1, ensure_ascii=False))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the project's file lock (``_listenlens/project.lock``) while its state changes,
        and re-read ``project.json`` under it: another process may have added or updated since
        this object was opened. Waits up to :data:`LOCK_TIMEOUT` seconds."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.state / "project.lock", timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            raise CorpusError(f"the project is busy: another listenlens process has held it for "
                              f"{LOCK_TIMEOUT:g} s (an add or update still running?); try again "
                              "when it has finished", file=self.root) from None
        try:
            self.meta = json.loads((self.state / "project.json").read_text(encoding="utf-8"))
            self._registry = None
            yield
        finally:
            lock.release()

    # --- the corpus -----------------------------------------------------------------------------
    def corpus(self) -> Corpus:
        """Load the project's corpus (every event added so far)."""
        return load(self.root, default_consent=self.settings["default_consent"],
                    progress=self.progress)

    @property
    def event_ids(self) -> list[str]:
        """Events added so far, in the order they were added."""
        return [r["event_id"] for r in _read_table(self.root / "events.csv")[1]]

    def add(self, *paths: str | Path, event_id: str | None = None, community: str | None = None,
            date: str | None = None, place: str = "", format: str = "", facilitator: str = "",
            title: str = "", consent: str | None = None, reader: str | None = None,
            event_metadata: str | Path | None = None,
            **metadata: str) -> AddReport:
        """Add transcripts to the project. Three ways:

        - a **corpus folder** (with its own ``events.csv`` and optional ``consent.csv``): every
          event in it is added;
        - files with **``event_metadata``**, a CSV like ``events.csv`` whose ``file`` column
          names them (by file name): one event per row;
        - files with the event's metadata given here (``event_id``, ``community``, ``date``
          required; ``consent`` sets the event's default consent): one event.

        A file whose content the project already holds (same SHA-256) is not added again; an
        event all of whose files are already held is skipped. Nothing is analysed until
        :meth:`update`.
        """
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
            _, ev = _read_table(folder / "events.csv")
            for row in ev:
                names = [f.strip() for f in (row.get("file") or "").split(";") if f.strip()]
                for n in names:  # a file a corpus folder names must lie inside it, links followed
                    inside_root(folder, n, file=folder / "events.csv", line=None)
                rows.append((row, [folder / n for n in names]))
            consent_rows += _read_table(folder / "consent.csv")[1]
        if loose and event_metadata is not None:
            _, ev = _read_table(Path(event_metadata))
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
        with self._locked():
            return self._add_rows(rows, consent_rows)

    def _add_rows(self, rows: list[tuple[dict[str, str], list[Path]]],
                  consent_rows: list[dict[str, str]]) -> AddReport:
        from .ingest.folder import _parse_date

        columns, existing = _read_table(self.root / "events.csv")
        have_ids = {r["event_id"] for r in existing}
        held: dict[str, str] = self.meta.setdefault("files", {})
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
            _parse_date(row["date"].strip(), f"event {eid}", 0)
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
                copies.append((src, self.root / rel))
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
            _write_table(self.root / "events.csv", cols, [*existing, *added_rows])
            new_ids = {r["event_id"] for r in added_rows}
            mine = [c for c in consent_rows if c.get("event_id") in new_ids]
            for c in mine:
                if c.get("consent", "").strip() not in CONSENT_LEVELS:
                    raise InputError(f"consent {c.get('consent')!r} for event "
                                     f"{c.get('event_id')!r} is not one of "
                                     f"{', '.join(CONSENT_LEVELS)}")
            if mine:
                ccols, crows = _read_table(self.root / "consent.csv")
                _write_table(self.root / "consent.csv", ccols or CONSENT_COLUMNS, [*crows, *mine])
            held.update(seen_now)
            self.meta.setdefault("added", []).append(
                {"when": _now(), "events": sorted(new_ids), "files": added_files})
            self._save_meta()
        return AddReport(tuple(r["event_id"] for r in added_rows), tuple(added_files),
                         tuple(duplicates), tuple(skipped))

    # --- themes ---------------------------------------------------------------------------------
    @property
    def registry(self) -> Any:
        """The theme registry (``None`` before the first :meth:`update`)."""
        if self._registry is None and (self.state / "registry" / "registry.json").is_file():
            from .themes.registry import open_registry

            self._registry = open_registry(self.state / "registry")
        return self._registry

    @property
    def themes(self) -> Any:
        """The current :class:`~listenlens.themes.Themes`."""
        reg = self.registry
        if reg is None:
            raise CorpusError("the project has no themes yet; run update first", file=self.root)
        return reg.themes

    @property
    def table(self) -> pd.DataFrame:
        """The themes with status, birth and stability (``registry.table``)."""
        return self.registry.table if self.registry is not None else pd.DataFrame()

    def history(self, since_update: int | None = None) -> pd.DataFrame:
        """Every lineage event (or those after ``since_update``)."""
        return self.registry.history(since_update) if self.registry is not None else \
            pd.DataFrame()

    def update(self, *, rebuild: bool = False, stability_runs: int | None = None
               ) -> Any:
        """Bring the themes up to date with every event added; returns the
        :class:`~listenlens.themes.registry.UpdateReport` (also saved under
        ``_listenlens/reports/``). The first update builds the themes. ``stability_runs``:
        re-fits for stability scores (default 3 on a build or rebuild, none on an incremental
        update, which keeps the scores it has)."""
        with self._locked():
            return self._update(rebuild, stability_runs)

    def _update(self, rebuild: bool, stability_runs: int | None) -> Any:
        from .themes.update import ThemeUpdater

        if not self.event_ids:
            raise CorpusError("the project has no events yet; add transcripts with "
                              "`listenlens add` (or Project.add) first", file=self.root)
        s = self.settings
        reg = self.registry
        runs = (3 if reg is None or rebuild else 0) if stability_runs is None else stability_runs
        updater = ThemeUpdater(embedder=self.embedder, cache_dir=self.state / "cache",
                               rebuild=rebuild, fade_after_days=int(s["fade_after_days"]),
                               stability_runs=runs,
                               model_params={"seed": int(s["seed"]), **s["model_params"]},
                               progress=self.progress)
        corpus = self.corpus()
        new_reg, report = updater.run(reg, corpus)
        if report.method != "unchanged":
            new_reg.save(self.state / "registry")
            reports = self.state / "reports"
            reports.mkdir(exist_ok=True)
            entry = {**report.to_dict(), "when": _now(), "input_hash": corpus.input_hash}
            _atomic_write(reports / f"update-{report.update:04d}.json",
                          json.dumps(entry, indent=1, ensure_ascii=False))
            self.meta.setdefault("updates", []).append(
                {k: entry[k] for k in ("update", "method", "when", "input_hash", "n_units",
                                       "n_new", "n_removed")})
            self._save_meta()
        self._registry = new_reg
        self.last_report = report
        return report

    def curate(self, themes: Any) -> None:
        """Keep a researcher's curation: ``themes`` made from :attr:`themes` with rename,
        merge, split, move, mark_noise or pin_label. It becomes the project's themes, its
        operations join the lineage, and later updates keep it."""
        reg = self.registry
        if reg is None:
            raise CorpusError("the project has no themes yet; run update first", file=self.root)
        with self._locked():
            self._registry = reg.curate(themes)
            self._registry.save(self.state / "registry")

    def changes(self) -> tuple[pd.DataFrame, str]:
        """The lineage of the latest update and the date it is "since" (the newest event
        analysed before it; empty after the first build)."""
        reg = self.registry
        if reg is None:
            return pd.DataFrame(), ""
        path = self.state / "reports" / f"update-{reg.updates:04d}.json"
        since = json.loads(path.read_text(encoding="utf-8")).get("since", "") if \
            path.is_file() else ""
        hist = reg.history()
        return hist[hist["update"] == reg.updates].reset_index(drop=True), since

    def trends(self, *, period: str | None = None, by: str | None = "community",
               **options: Any) -> Any:
        """:func:`listenlens.track` over the project's themes; the result also carries
        ``changes`` (the latest update's lineage) and ``params["since"]``."""
        from .trends import track

        t = track(self.themes, period=period or self.settings["period"], by=by,
                  seed=int(self.settings["seed"]), **options)
        t.changes, since = self.changes()
        t.params["since"] = since
        return t

    def write(self, out: str | Path | None = None, *, formats: Sequence[str] = ("html", "docx",
                                                                              "md"),
              title: str | None = None) -> list[Path]:
        """Write the briefing (with "What's new since …"), community summaries, tables, charts
        and manifest of the current themes to ``out`` (default ``_outputs/``)."""
        from .pipeline import analyse

        changes, since = self.changes()
        result = analyse(self.themes.corpus, out=out or self.outputs, formats=formats,
                         period=self.settings["period"], seed=int(self.settings["seed"]),
                         title=title, themes=self.themes,
                         brief_options={"changes": changes if len(changes) and since else None,
                                        "since": since})
        return result.files

    def __repr__(self) -> str:
        n_events = len(self.event_ids)
        reg = self.registry
        state = (f"{len(reg.themes.theme_ids)} themes after update {reg.updates}" if reg
                 is not None else "not analysed yet")
        return f"<Project {self.root}: {n_events} events, {state}>"

    def _repr_html_(self) -> str:
        import html as _html

        reg = self.registry
        head = f"<strong>listenlens Project</strong> <code>{_html.escape(str(self.root))}</code>"
        if reg is None:
            return f"<div>{head}: {len(self.event_ids)} events, not analysed yet</div>"
        cols = ["label", "n_units", "n_speakers", "status", "born_date", "stability"]
        return (f"<div>{head}: {len(self.event_ids)} events, update {reg.updates}"
                f"{reg.table[cols].head(30).to_html(index=False, escape=True)}</div>")


def init_project(directory: str | Path, *, seed: int = 0, default_consent: str = "paraphrase",
                 period: str = "quarter", fade_after_days: int = 365,
                 embedder: Embedder | None = None, progress: bool | None = None,
                 **model_params: Any) -> Project:
    """Create an empty project folder (it may exist but must not hold a project or an
    ``events.csv``). ``model_params`` are :class:`~listenlens.themes.ThemeModel` parameters
    (``granularity``, ``min_theme_size``, ``codebook``, ...) used on every build.

    >>> from listenlens.embeddings import HashingEmbedder
    >>> project = init_project("living", embedder=HashingEmbedder())
    >>> print(project.add("corpora/examples/riverside"))    # every event of a corpus folder
    added 31 event(s) (rta-2023-02, ...) with 31 file(s)
    >>> print(project.add("corpora/examples/riverside"))    # the same files again: nothing
    added 0 event(s) (none) with 0 file(s)
    already in the project (same content): ...
    >>> report = project.update(stability_runs=0)                # doctest: +SLOW
    >>> report.method, report.n_new == len(project.corpus())
    ('build', True)
    """
    from .themes import ThemeModel

    root = Path(directory)
    if (root / PROJECT_STATE / "project.json").is_file():
        raise InputError("this folder already holds a listenlens project", file=root)
    if (root / "events.csv").is_file():
        raise InputError("this folder already holds a corpus (events.csv); a project starts "
                         "empty: create it elsewhere and `add` the corpus folder", file=root)
    if default_consent not in CONSENT_LEVELS:
        raise InputError(f"default consent must be one of {', '.join(CONSENT_LEVELS)}")
    unknown = set(model_params) - set(ThemeModel._PARAMS) - {"codebook"}
    if unknown:
        raise TypeError(f"unknown theme parameters: {sorted(unknown)}")
    if "codebook" in model_params and model_params["codebook"] is not None:
        model_params["codebook"] = str(Path(model_params["codebook"]).resolve())
    (root / PROJECT_STATE).mkdir(parents=True, exist_ok=True)
    _write_table(root / "events.csv", EVENT_COLUMNS, [])
    import listenlens

    meta = {"format": PROJECT_FORMAT, "created": _now(),
            "listenlens_version": listenlens.__version__,
            "settings": {"seed": seed, "default_consent": default_consent, "period": period,
                         "fade_after_days": fade_after_days, "model_params": model_params},
            "files": {}, "added": [], "updates": []}
    _atomic_write(root / PROJECT_STATE / "project.json",
                  json.dumps(meta, indent=1, ensure_ascii=False))
    return Project(root, embedder=embedder, progress=progress)


def open_project(directory: str | Path, *, embedder: Embedder | None = None,
                 progress: bool | None = None) -> Project:
    """Open a project folder made by :func:`init_project`."""
    return Project(directory, embedder=embedder, progress=progress)
