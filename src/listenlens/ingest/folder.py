"""Loading a corpus folder (``events.csv`` [+ ``consent.csv``] + transcript files) or one file.

The only place that opens untrusted input files. Every problem is either an error naming the file
and line, or a recorded skip: units seen = units loaded + units skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import CorpusError, InputError, ParseError
from ..ids import normalise_label, sha256_bytes
from ..records import CONSENT_LEVELS, Event, Skip, Source, Unit
from ..spans import blank_spans
from ._base import Reader
from .build import ConsentBook, build_units
from .encoding import decode_text
from .registry import get_reader, reader_for_path, readers

__all__ = ["load_folder", "load_file", "read_events", "read_consent", "EVENT_COLUMNS"]

#: Columns of events.csv with a meaning; any other column is kept as event metadata.
EVENT_COLUMNS = ("event_id", "community", "date", "place", "format", "file", "facilitator",
                 "title", "reader")
_REQUIRED = ("event_id", "community", "date", "file")
_IGNORED_PREFIXES = ("readme", "licen", "notice", "codebook", "consent", "events", ".", "_")


def _read_csv_rows(path: Path, display: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
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


def _parse_date(value: str, display: str, line: int) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CorpusError(f"date {value!r} is not a date in YYYY-MM-DD form", file=display,
                          line=line) from None


def read_events(root: Path) -> tuple[list[Event], dict[str, dict[str, Any]]]:
    """Events from ``root/events.csv`` and, per event, the reader name and reader options."""
    path = root / "events.csv"
    display = "events.csv"
    if not path.is_file():
        raise CorpusError(f"no events.csv in {root}; a corpus folder needs one "
                          "(columns: event_id, community, date, place, format, file, facilitator)",
                          file=str(root))
    header, rows = _read_csv_rows(path, display)
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise CorpusError(f"missing column(s) {', '.join(missing)}; found {', '.join(header)}",
                          file=display, line=1)
    option_names = {name for r in readers().values() for name in r.option_names}
    events: list[Event] = []
    how: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
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
        files = tuple(f.strip() for f in row["file"].split(";") if f.strip())
        if not files:
            raise CorpusError(f"event {eid!r} names no file", file=display, line=line)
        for f in files:
            if Path(f).is_absolute() or ".." in Path(f).parts:
                raise CorpusError(f"file {f!r} must be a path inside the corpus folder",
                                  file=display, line=line)
            if not (root / f).is_file():
                raise CorpusError(f"file {f!r} named for event {eid!r} does not exist",
                                  file=display, line=line)
        meta = {k: v for k, v in row.items() if k not in EVENT_COLUMNS and k not in option_names}
        events.append(Event(
            event_id=eid, community=row["community"], date=_parse_date(row["date"], display, line),
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


def read_consent(root: Path, event_ids: set[str], default: str) -> ConsentBook:
    """Consent from ``root/consent.csv`` (optional). A row with an empty or ``*`` speaker sets the
    event's default."""
    path = root / "consent.csv"
    by_speaker: dict[tuple[str, str], str] = {}
    by_event: dict[str, str] = {}
    if not path.is_file():
        return ConsentBook(by_speaker, by_event, default)
    display = "consent.csv"
    header, rows = _read_csv_rows(path, display)
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


def _read_source(root: Path, rel: str, event: Event, reader: Reader, options: Mapping[str, Any],
                 consent: ConsentBook) -> tuple[Source, str, list[Unit], list[Skip]]:
    path = root / rel
    raw = path.read_bytes()
    bad = set(options) - set(reader.option_names)
    if bad:
        raise InputError(f"reader {reader.name!r} takes no option(s) {', '.join(sorted(bad))}"
                         f"; it takes: {', '.join(reader.option_names) or 'none'}", file=rel)
    try:
        decoded = reader.decode(raw, rel)
        items = list(reader.parse(decoded.text, rel, options))
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        # a reader that fails in an unforeseen way must still name the file
        raise ParseError(f"{reader.name} reader failed: {exc}", file=rel) from exc
    source = Source(path=rel, sha256=sha256_bytes(raw), format=reader.name,
                    encoding=decoded.encoding, encoding_note=decoded.note,
                    n_chars=len(decoded.text), event_id=event.event_id, escape=reader.escape)
    withdrawn: list[tuple[int, int]] = []
    units, skips = build_units(items, event=event, source=source, text=decoded.text,
                               consent=consent, withdrawn_spans=withdrawn)
    # withdrawn words are kept nowhere, not even in the decoded text the corpus stores
    text = blank_spans(decoded.text, withdrawn, keep=[sp for u in units for sp in u.spans])
    return source, text, units, skips


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


def load_folder(root: str | Path, *, default_consent: str = "paraphrase",
                progress: bool | None = None) -> dict[str, Any]:
    """Everything a :class:`~listenlens.corpus.Corpus` is made of, read from a corpus folder."""
    root = Path(root)
    if default_consent not in CONSENT_LEVELS:
        raise ValueError(f"default_consent must be one of {CONSENT_LEVELS}, not {default_consent!r}")
    events, how = read_events(root)
    consent = read_consent(root, {e.event_id for e in events}, default_consent)
    sources, texts, units, skips = [], {}, [], []
    jobs = [(event, f) for event in events for f in event.files]
    from ..progress import progress_bar

    for event, rel in progress_bar(jobs, desc="Reading transcripts", unit="file",
                                   enabled=progress):
        spec = how[event.event_id]
        reader = (get_reader(spec["reader"], file="events.csv", line=spec["line"])
                  if spec["reader"] else reader_for_path(rel, file="events.csv", line=spec["line"]))
        source, text, u, s = _read_source(root, rel, event, reader, spec["options"], consent)
        sources.append(source)
        texts[source.path] = text
        units.extend(u)
        skips.extend(s)
    skips.extend(_unlisted(root, {f for e in events for f in e.files}))
    notes = check_consent_matched(consent, units)
    params: dict[str, Any] = {"default_consent": default_consent}
    if notes:
        params["consent_notes"] = notes
    return {"events": events, "units": units, "skipped": skips, "sources": sources,
            "texts": texts, "root": str(root.resolve()), "params": params}


def load_file(path: str | Path, *, reader: str | None = None, event_id: str | None = None,
              community: str = "unspecified", date: str | dt.date | None = None,
              place: str = "", facilitator: str = "", title: str = "", consent: str | None = None,
              default_consent: str = "paraphrase", reader_options: Mapping[str, Any] | None = None,
              **metadata: str) -> dict[str, Any]:
    """One transcript file as a one-event corpus. ``consent`` sets everyone's consent at once."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    if isinstance(date, str):
        date = _parse_date(date, str(path), None)  # type: ignore[arg-type]
    event = Event(event_id=event_id or path.stem, community=community, date=date,  # type: ignore[arg-type]
                  place=place, facilitator=facilitator, title=title, files=(path.name,),
                  metadata={k: str(v) for k, v in metadata.items()})
    rdr = get_reader(reader, file=str(path)) if reader else reader_for_path(path)
    if consent is not None and consent not in CONSENT_LEVELS:
        raise ValueError(f"consent must be one of {CONSENT_LEVELS}, not {consent!r}")
    book = ConsentBook({}, {event.event_id: consent} if consent else {}, default_consent)
    source, text, units, skips = _read_source(path.parent, path.name, event, rdr,
                                              dict(reader_options or {}), book)
    return {"events": [event], "units": units, "skipped": skips, "sources": [source],
            "texts": {source.path: text}, "root": str(path.parent.resolve()),
            "params": {"default_consent": default_consent, "consent": consent,
                       "reader": rdr.name, "reader_options": dict(reader_options or {})}}
