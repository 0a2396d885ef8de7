"""Loading a corpus folder (``events.csv`` [+ ``consent.csv``] + transcript files) or one file.

The only place that opens untrusted input files. Every problem is either an error naming the file
and line, or a recorded skip: units seen = units loaded + units skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import CorpusError, InputError
from ..ids import normalise_label, sha256_bytes
from ..records import CONSENT_LEVELS, Event, Skip, Unit
from ..validation import check_choice
from ._base import Reader
from .build import ConsentBook
from .encoding import decode_text
from .limits import Limits, as_limits, check_file_size
from .registry import get_reader, reader_for_path, readers
from .source import SourceResult, read_source

__all__ = ["load_folder", "load_file", "read_events", "read_consent", "parse_date",
           "inside_root", "EVENT_COLUMNS", "EARLIEST_DATE"]

#: Columns of events.csv with a meaning; any other column is kept as event metadata.
EVENT_COLUMNS = ("event_id", "community", "date", "place", "format", "file", "facilitator",
                 "title", "reader")
_REQUIRED = ("event_id", "community", "date", "file")
_IGNORED_PREFIXES = ("readme", "licen", "notice", "codebook", "consent", "events", ".", "_")
#: Tables of a corpus folder whose content is an input (hashed into ``Corpus.input_hash``).
METADATA_TABLES = ("events.csv", "consent.csv")
#: The earliest event date accepted; the latest is the end of next year.
EARLIEST_DATE = dt.date(1900, 1, 1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def inside_root(root: Path, rel: str, *, file: str | Path, line: int | None) -> Path:
    """The real path of ``root/rel``, refused unless it lies inside ``root`` once every
    symbolic link (of the file or of any folder on the way) is followed.

    >>> inside_root(Path("corpora/examples/riverside"), "events.csv", file="x", line=None).name
    'events.csv'
    """
    real_root = root.resolve()
    target = (root / rel).resolve()
    if target == real_root or not target.is_relative_to(real_root):
        raise CorpusError(f"file {rel!r} leads outside the corpus folder (through a symbolic "
                          "link); only files inside the folder are read, so copy it in instead",
                          file=file, line=line)
    return target


def _read_csv_rows(path: Path, display: str,
                   limits: Limits | None = None) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    check_file_size(path, display, as_limits(limits), text=False)
    decoded = decode_text(path.read_bytes(), display)
    reader = csv.reader(io.StringIO(decoded.text))
    try:
        header = next(reader)
    except StopIteration:
        raise CorpusError("file is empty; expected a header row", file=display, line=1) from None
    except csv.Error as exc:
        raise CorpusError(f"not readable as CSV: {exc}", file=display, line=1) from None
    header = [h.strip().lower() for h in header]
    rows = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CorpusError(f"not readable as CSV: {exc}", file=display,
                              line=reader.line_num) from None
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            raise CorpusError(f"row has {len(record)} cells but the header has {len(header)}",
                              file=display, line=reader.line_num)
        record = record + [""] * (len(header) - len(record))
        rows.append((reader.line_num, {h: c.strip() for h, c in zip(header, record)}))
    return header, rows


def parse_date(value: str | dt.date, display: str, line: int | None) -> dt.date:
    """An event date: ``YYYY-MM-DD``, from 1900 to the end of next year.

    >>> parse_date("2024-03-05", "events.csv", 2)
    datetime.date(2024, 3, 5)
    >>> parse_date("20240305", "events.csv", 2)
    Traceback (most recent call last):
    listenlens.errors.CorpusError: events.csv:2: date '20240305' is not a date in YYYY-MM-DD form
    """
    if isinstance(value, dt.date):
        date = value
    else:
        text = value.strip()
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(text)
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise CorpusError(f"date {value!r} is not a date in YYYY-MM-DD form", file=display,
                              line=line) from None
    latest = dt.date(dt.date.today().year + 1, 12, 31)
    if not EARLIEST_DATE <= date <= latest:
        raise CorpusError(f"date {date.isoformat()!r} is not plausible for a listening event "
                          f"(expected {EARLIEST_DATE.isoformat()} to {latest.isoformat()})",
                          file=display, line=line)
    return date




def _event_files(root: Path, cell: str, eid: str, line: int,
                 listed: dict[Path, tuple[str, int, str]]) -> tuple[str, ...]:
    """The files one events.csv row names, normalised (``./a.txt`` is ``a.txt``), each checked
    to exist inside the corpus folder and to be listed nowhere else."""
    display = "events.csv"
    files = []
    for f in (f.strip() for f in cell.split(";")):
        if not f:
            continue
        if Path(f).is_absolute() or ".." in Path(f).parts:
            raise CorpusError(f"file {f!r} must be a path inside the corpus folder",
                              file=display, line=line)
        rel = PurePosixPath(Path(f).as_posix()).as_posix()
        real = inside_root(root, rel, file=display, line=line)
        if not real.is_file():
            raise CorpusError(f"file {f!r} named for event {eid!r} does not exist",
                              file=display, line=line)
        if real in listed:
            other_eid, other_line, other_name = listed[real]
            raise CorpusError(f"file {f!r} is already listed (as {other_name!r} for event "
                              f"{other_eid!r} on line {other_line}); a file belongs to one event "
                              "and is listed once", file=display, line=line)
        listed[real] = (eid, line, f)
        files.append(rel)
    return tuple(files)


def read_events(root: Path, limits: Limits | None = None
                ) -> tuple[list[Event], dict[str, dict[str, Any]]]:
    """Events from ``root/events.csv`` and, per event, the reader name and reader options."""
    display = "events.csv"
    if not (root / display).is_file():
        raise CorpusError(f"no events.csv in {root}; a corpus folder needs one "
                          "(columns: event_id, community, date, place, format, file, facilitator)",
                          file=str(root))
    path = inside_root(root, display, file=display, line=None)
    header, rows = _read_csv_rows(path, display, limits)
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise CorpusError(f"missing column(s) {', '.join(missing)}; found {', '.join(header)}",
                          file=display, line=1)
    option_names = {name for r in readers().values() for name in r.option_names}
    events: list[Event] = []
    how: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    listed: dict[Path, tuple[str, int, str]] = {}
    for line, row in rows:
        eid = row["event_id"]
        if not eid:
            raise CorpusError("empty event_id", file=display, line=line)
        if eid in first_line:
            raise CorpusError(f"duplicate event id {eid!r} (first seen on line {first_line[eid]})",
                              file=display, line=line)
        first_line[eid] = line
        if not row["community"]:
            raise CorpusError(f"event {eid!r} has no community", file=display, line=line)
        files = _event_files(root, row["file"], eid, line, listed)
        if not files:
            raise CorpusError(f"event {eid!r} names no file", file=display, line=line)
        meta = {k: v for k, v in row.items() if k not in EVENT_COLUMNS and k not in option_names}
        events.append(Event(
            event_id=eid, community=row["community"], date=parse_date(row["date"], display, line),
            place=row.get("place", ""), format=row.get("format", ""),
            facilitator=row.get("facilitator", ""), title=row.get("title", ""), files=files,
            metadata=meta))
        how[eid] = {"reader": row.get("reader", ""), "line": line,
                    "options": {k: row[k] for k in option_names if row.get(k)}}
    return events, how


def check_consent_matched(consent: ConsentBook, units: list[Unit]) -> list[str]:
    """Consent rows that matched no speaker at their event.

    A restrictive row (``paraphrase``, ``aggregate``, ``withdrawn``) that matches nobody is an
    error: a misspelt name would otherwise leave that person quoted. An unmatched ``quote`` row
    is harmless and returned as a note."""
    notes = []
    speakers: dict[str, set[str]] = {}
    for u in units:
        if u.speaker:
            speakers.setdefault(u.event_id, set()).add(u.speaker)
    for key, level in consent.by_speaker.items():
        if key in consent.used:
            continue
        event_id, label = key
        if level == "quote":
            notes.append(f"consent.csv:{consent.lines.get(key)}: no speaker {label!r} at {event_id!r}")
            continue
        known = ", ".join(sorted(speakers.get(event_id, set()))) or "none with a name"
        raise CorpusError(f"consent {level!r} for speaker {label!r} at event {event_id!r} "
                          "matches no speaker there, so it could not be applied; check the "
                          f"spelling (speakers at that event: {known})", file="consent.csv",
                          line=consent.lines.get(key))
    return notes


def read_consent(root: Path, event_ids: set[str], default: str,
                 limits: Limits | None = None) -> ConsentBook:
    """Consent from ``root/consent.csv`` (optional). A row with an empty or ``*`` speaker sets the
    event's default."""
    by_speaker: dict[tuple[str, str], str] = {}
    by_event: dict[str, str] = {}
    display = "consent.csv"
    if not (root / display).is_file():
        return ConsentBook(by_speaker, by_event, default)
    path = inside_root(root, display, file=display, line=None)
    header, rows = _read_csv_rows(path, display, limits)
    missing = [c for c in ("event_id", "consent") if c not in header]
    if missing:
        raise CorpusError(f"missing column(s) {', '.join(missing)}", file=display, line=1)
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        eid, level = row["event_id"], row["consent"].lower()
        speaker = row.get("speaker", "")
        if eid not in event_ids:
            raise CorpusError(f"event {eid!r} is not in events.csv", file=display, line=line)
        if level not in CONSENT_LEVELS:
            raise CorpusError(f"consent {row['consent']!r} is not one of "
                              f"{', '.join(CONSENT_LEVELS)}", file=display, line=line)
        key = (eid, "*" if speaker in ("", "*") else normalise_label(speaker))
        if key in seen:
            raise CorpusError(f"consent for {speaker or '*'!r} at {eid!r} given twice "
                              f"(first on line {seen[key]})", file=display, line=line)
        seen[key] = line
        if key[1] == "*":
            by_event[eid] = level
        else:
            by_speaker[key] = level
    return ConsentBook(by_speaker, by_event, default, lines=seen)


def _unlisted(root: Path, listed: set[str]) -> list[Skip]:
    known_ext = {ext for r in readers().values() for ext in r.extensions}
    skips = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel in listed:
            continue
        if any(part.lower().startswith(_IGNORED_PREFIXES) for part in Path(rel).parts):
            continue
        if path.suffix.lower() in known_ext:
            skips.append(Skip(source=rel, line=None, reason="unlisted-file",
                              detail="transcript-like file not named in events.csv"))
    return skips


def _table_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of each metadata table present (events.csv, consent.csv): they are inputs too,
    so an edited community, date or consent changes the corpus's input hash."""
    out = {}
    for name in METADATA_TABLES:
        path = root / name
        if path.is_file():
            out[name] = sha256_bytes(inside_root(root, name, file=name, line=None).read_bytes())
    return out


def _pick_reader(spec: Mapping[str, Any], rel: str) -> Reader:
    if spec["reader"]:
        return get_reader(spec["reader"], file="events.csv", line=spec["line"])
    return reader_for_path(rel, file="events.csv", line=spec["line"])


def load_folder(root: str | Path, *, default_consent: str = "paraphrase",
                progress: bool | None = None,
                limits: Limits | Mapping[str, int] | None = None) -> dict[str, Any]:
    """Everything a :class:`~listenlens.corpus.Corpus` is made of, read from a corpus folder.

    Every file named in events.csv must lie inside ``root`` once symbolic links are followed;
    every file is read within ``limits`` (see :mod:`listenlens.ingest.limits`)."""
    root = Path(root)
    lim = as_limits(limits)
    check_choice("default_consent", default_consent, CONSENT_LEVELS)
    events, how = read_events(root, lim)
    consent = read_consent(root, {e.event_id for e in events}, default_consent, lim)
    tables = _table_hashes(root)
    results: list[SourceResult] = []
    jobs = [(event, f) for event in events for f in event.files]
    from ..progress import progress_bar

    for event, rel in progress_bar(jobs, desc="Reading transcripts", unit="file",
                                   enabled=progress):
        spec = how[event.event_id]
        path = inside_root(root, rel, file="events.csv", line=spec["line"])
        results.append(read_source(path, rel, event, _pick_reader(spec, rel), spec["options"],
                                   consent, lim))
    units = [u for r in results for u in r.units]
    skips = [s for r in results for s in r.skips]
    skips.extend(_unlisted(root, {f for e in events for f in e.files}))
    notes = check_consent_matched(consent, units)
    params: dict[str, Any] = {"default_consent": default_consent, "tables": tables}
    if notes:
        params["consent_notes"] = notes
    warnings = [w for r in results for w in r.warnings]
    if warnings:
        params["warnings"] = warnings
    return {"events": events, "units": units, "skipped": skips,
            "sources": [r.source for r in results],
            "texts": {r.source.path: r.text for r in results}, "root": str(root.resolve()),
            "params": params}


def load_file(path: str | Path, *, reader: str | None = None, event_id: str | None = None,
              community: str = "unspecified", date: str | dt.date | None = None,
              place: str = "", facilitator: str = "", title: str = "", consent: str | None = None,
              default_consent: str = "paraphrase", reader_options: Mapping[str, Any] | None = None,
              limits: Limits | Mapping[str, int] | None = None,
              **metadata: str) -> dict[str, Any]:
    """One transcript file as a one-event corpus. ``consent`` sets everyone's consent at once."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    if date is not None:
        date = parse_date(date, str(path), None)
    event = Event(event_id=event_id or path.stem, community=community, date=date,  # type: ignore[arg-type]
                  place=place, facilitator=facilitator, title=title, files=(path.name,),
                  metadata={k: str(v) for k, v in metadata.items()})
    rdr = get_reader(reader, file=str(path)) if reader else reader_for_path(path)
    if consent is not None:
        check_choice("consent", consent, CONSENT_LEVELS)
    book = ConsentBook({}, {event.event_id: consent} if consent else {}, default_consent)
    result = read_source(path, path.name, event, rdr, dict(reader_options or {}), book,
                         as_limits(limits))
    params: dict[str, Any] = {"default_consent": default_consent, "consent": consent,
                              "reader": rdr.name, "reader_options": dict(reader_options or {})}
    if result.warnings:
        params["warnings"] = result.warnings
    return {"events": [event], "units": result.units, "skipped": result.skips,
            "sources": [result.source], "texts": {result.source.path: result.text},
            "root": str(path.parent.resolve()), "params": params}
