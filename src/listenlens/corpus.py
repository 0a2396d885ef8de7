"""``Corpus``: the events, units, sources and skips of one analysis, with DataFrame views.

The records are the truth; the DataFrames (``corpus.units``, ``corpus.events``, ``corpus.skipped``,
``corpus.sources``) are views made from them for notebooks. A corpus also keeps each source's
decoded text, so every unit can be checked against it (:meth:`Corpus.check_spans`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import printable
from .ids import stable_hash
from .phrasing import plural
from .records import Event, Skip, Source, Unit, record_columns, record_dict
from .spans import span_text

__all__ = ["Corpus", "load", "open_corpus"]


class Corpus:
    """Events, units, skipped inputs and decoded sources.

    Build one with :func:`listenlens.load`; open a saved one with :func:`listenlens.open_corpus`.

    >>> import listenlens as ll
    >>> corpus = ll.load("corpora/examples/riverside")
    >>> corpus.units.columns[:5].tolist()
    ['unit_id', 'event_id', 'community', 'date', 'text']
    """

    def __init__(self, events: Iterable[Event], units: Iterable[Unit], skipped: Iterable[Skip],
                 sources: Iterable[Source], *, texts: Mapping[str, str] | None = None,
                 root: str | None = None, params: Mapping[str, Any] | None = None):
        self.event_records: tuple[Event, ...] = tuple(events)
        self.unit_records: tuple[Unit, ...] = tuple(units)
        self.skip_records: tuple[Skip, ...] = tuple(skipped)
        self.source_records: tuple[Source, ...] = tuple(sources)
        self.texts: dict[str, str] = dict(texts or {})
        self.root = root
        self.params: dict[str, Any] = dict(params or {})

    # --- records access -------------------------------------------------------------------
    @cached_property
    def _events_by_id(self) -> dict[str, Event]:
        return {e.event_id: e for e in self.event_records}

    @cached_property
    def _units_by_id(self) -> dict[str, Unit]:
        return {u.unit_id: u for u in self.unit_records}

    def event(self, event_id: str) -> Event:
        """The :class:`Event` with this id."""
        return self._events_by_id[event_id]

    def unit(self, unit_id: str) -> Unit:
        """The :class:`Unit` with this id."""
        return self._units_by_id[unit_id]

    def source_text(self, path: str) -> str:
        """The decoded text of a source (the text every offset of its units refers to)."""
        return self.texts[path]

    def __len__(self) -> int:
        return len(self.unit_records)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.unit_records)

    # --- DataFrame views ------------------------------------------------------------------
    @cached_property
    def units(self) -> pd.DataFrame:
        """One row per unit, with the event's community and date joined on."""
        cols = record_columns(Unit)
        rows = [record_dict(u) for u in self.unit_records]
        df = pd.DataFrame(rows, columns=cols)
        community = {e.event_id: e.community for e in self.event_records}
        date = {e.event_id: e.date for e in self.event_records}
        df.insert(2, "community", df["event_id"].map(community).astype("object"))
        df.insert(3, "date", pd.to_datetime(df["event_id"].map(date)))
        df["spans"] = [list(map(list, s)) for s in df["spans"]]
        return df

    @cached_property
    def events(self) -> pd.DataFrame:
        """One row per event, with its number of units, speakers and skips."""
        cols = record_columns(Event)
        df = pd.DataFrame([record_dict(e) for e in self.event_records], columns=cols)
        df["date"] = pd.to_datetime(df["date"])
        n_units = Counter(u.event_id for u in self.unit_records)
        speakers: dict[str, set[str]] = {}
        for u in self.unit_records:
            if u.speaker_id and u.role != "facilitator":
                speakers.setdefault(u.event_id, set()).add(u.speaker_id)
        n_skipped = Counter(s.event_id for s in self.skip_records)
        df["n_units"] = df["event_id"].map(lambda e: n_units.get(e, 0))
        df["n_speakers"] = df["event_id"].map(lambda e: len(speakers.get(e, ())))
        df["n_skipped"] = df["event_id"].map(lambda e: n_skipped.get(e, 0))
        return df

    @cached_property
    def skipped(self) -> pd.DataFrame:
        """One row per skipped input piece, with its reason."""
        return pd.DataFrame([record_dict(s) for s in self.skip_records], columns=record_columns(Skip))

    @cached_property
    def sources(self) -> pd.DataFrame:
        """One row per source file: hash, format, encoding and why, units and skips from it."""
        df = pd.DataFrame([record_dict(s) for s in self.source_records], columns=record_columns(Source))
        n_units = Counter(u.source for u in self.unit_records)
        n_skipped = Counter(s.source for s in self.skip_records)
        df["n_units"] = df["path"].map(lambda p: n_units.get(p, 0))
        df["n_skipped"] = df["path"].map(lambda p: n_skipped.get(p, 0))
        return df

    # --- accounting -----------------------------------------------------------------------
    @property
    def n_seen(self) -> int:
        """Units seen: loaded + skipped (every piece of input is one or the other)."""
        return len(self.unit_records) + len(self.skip_records)

    def skip_reasons(self) -> dict[str, int]:
        """Number of skips per reason, most common first."""
        return dict(Counter(s.reason for s in self.skip_records).most_common())

    def _summary(self) -> str:
        reasons = ", ".join(f"{k}: {v}" for k, v in self.skip_reasons().items())
        n_comm = len({e.community for e in self.event_records})
        return (f"{len(self.unit_records)} units from {len(self.source_records)} files "
                f"({len(self.event_records)} events, "
                f"{plural(n_comm, 'community', 'communities')}), "
                f"{len(self.skip_records)} skipped" + (f" ({reasons})" if reasons else ""))

    @property
    def warnings(self) -> list[str]:
        """What loading noticed and a person should check, one ``"file[:line]: text"`` each:
        guessed encodings, control characters replaced, labels not read as speakers, captions
        out of order, empty files."""
        return list(self.params.get("warnings", ()))

    def report(self) -> str:
        """``'412 units from 12 files (10 events, 3 communities), 9 skipped (empty: 5, ...)'``,
        followed by one line per warning (see :attr:`warnings`)."""
        head = self._summary()
        warnings = self.warnings
        if not warnings:
            return head
        shown = "".join(f"\n  warning: {printable(w)}" for w in warnings[:20])
        more = f"\n  ... and {len(warnings) - 20} more (corpus.warnings)" if len(warnings) > 20 \
            else ""
        return head + shown + more

    @cached_property
    def input_hash(self) -> str:
        """One hash of every source file's hash, the metadata tables' hashes (events.csv,
        consent.csv, in ``params["tables"]``) and the load parameters."""
        parts = sorted((s.path, s.sha256) for s in self.source_records)
        params = json.dumps(self.params, sort_keys=True, default=str)
        return stable_hash(parts, params, length=16)

    def check_spans(self) -> list[str]:
        """Units whose text does not re-derive from their source spans (empty when all hold)."""
        escape = {s.path: s.escape for s in self.source_records}
        bad = []
        for u in self.unit_records:
            if u.source not in self.texts:
                bad.append(f"{u.unit_id}: source {u.source!r} text not available")
                continue
            derived = span_text(self.texts[u.source], u.spans, escape.get(u.source, "none"))
            if derived != u.text:
                bad.append(f"{u.unit_id} ({u.source}:{u.line}): {derived!r} != {u.text!r}")
        return bad

    # --- filtering ------------------------------------------------------------------------
    def filter(self, *, community: str | Iterable[str] | None = None,
               event_id: str | Iterable[str] | None = None,
               start: str | dt.date | None = None, end: str | dt.date | None = None) -> Corpus:
        """A corpus of the events matching every condition given (dates inclusive).

        >>> sub = corpus.filter(community="Riverside Tenants Association", start="2024-01-01")
        >>> sub.units.community.unique().tolist(), bool(sub.events.date.min().year >= 2024)
        (['Riverside Tenants Association'], True)
        """
        def as_set(v: str | Iterable[str] | None) -> set[str] | None:
            return None if v is None else ({v} if isinstance(v, str) else set(v))

        comms, eids = as_set(community), as_set(event_id)
        lo = dt.date.fromisoformat(start) if isinstance(start, str) else start
        hi = dt.date.fromisoformat(end) if isinstance(end, str) else end
        keep = {
            e.event_id for e in self.event_records
            if (comms is None or e.community in comms) and (eids is None or e.event_id in eids)
            and (lo is None or (e.date is not None and e.date >= lo))
            and (hi is None or (e.date is not None and e.date <= hi))
        }
        return self._subset(keep)

    def _subset(self, keep: set[str]) -> Corpus:
        sources = [s for s in self.source_records if s.event_id in keep]
        return Corpus(
            [e for e in self.event_records if e.event_id in keep],
            [u for u in self.unit_records if u.event_id in keep],
            [s for s in self.skip_records if s.event_id in keep],
            sources, texts={s.path: self.texts[s.path] for s in sources if s.path in self.texts},
            root=self.root, params={**self.params, "filtered_to": sorted(keep)})

    def with_units(self, units: Iterable[Unit], extra_skips: Iterable[Skip] = (),
                   **params: Any) -> Corpus:
        """A corpus with the same events and sources and new units (e.g. re-cut sentences)."""
        return Corpus(self.event_records, units, [*self.skip_records, *extra_skips],
                      self.source_records, texts=self.texts, root=self.root,
                      params={**self.params, **params})

    def replace_events(self, **changes: Any) -> Corpus:  # pragma: no cover - convenience
        return Corpus([replace(e, **changes) for e in self.event_records], self.unit_records,
                      self.skip_records, self.source_records, texts=self.texts, root=self.root,
                      params=self.params)

    # --- persistence ----------------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        """Write the corpus to a folder (Parquet tables + ``manifest.json``); returns the folder."""
        from .storage import save_corpus

        return save_corpus(self, Path(directory))

    # --- display --------------------------------------------------------------------------
    def __repr__(self) -> str:
        dates = [e.date for e in self.event_records if e.date is not None]
        span = f", {min(dates)} to {max(dates)}" if dates else ""
        return f"<Corpus: {self._summary()}{span}>"

    def _repr_html_(self) -> str:
        ev = self.events
        rows = "".join(
            f"<tr><td>{html.escape(str(r.event_id))}</td><td>{html.escape(str(r.community))}</td>"
            f"<td>{'' if pd.isna(r.date) else r.date.date()}</td><td>{r.n_units}</td>"
            f"<td>{r.n_speakers}</td><td>{r.n_skipped}</td></tr>"
            for r in ev.head(12).itertuples())
        more = f"<p>… and {len(ev) - 12} more events</p>" if len(ev) > 12 else ""
        return (f"<div><strong>listenlens Corpus</strong>: {html.escape(self._summary())}"
                "<table><thead><tr><th>event</th><th>community</th><th>date</th><th>units</th>"
                f"<th>speakers</th><th>skipped</th></tr></thead><tbody>{rows}</tbody></table>"
                f"{more}</div>")


def load(path: str | Path, *, reader: str | None = None, default_consent: str = "paraphrase",
         progress: bool | None = None, limits: Any = None, **event_metadata: Any) -> Corpus:
    """Load a corpus folder (with ``events.csv``) or one transcript file.

    Only files inside the corpus folder are read (symbolic links leading out are refused), and
    each file within ``limits`` (a :class:`~listenlens.ingest.limits.Limits` or a dict of the
    bounds to change, e.g. ``limits={"max_text_bytes": 64 * 2**20}``); a file over a limit raises
    :class:`~listenlens.errors.LimitError`.

    For a single file, keyword arguments give its event metadata (``event_id``, ``community``,
    ``date``, ``place``, ``facilitator``, ``title``, ``consent``, ``reader_options`` and any
    extra metadata). Speakers with no consent recorded get ``default_consent`` (``paraphrase``:
    counted and summarised, never quoted verbatim).

    >>> corpus = load("corpora/examples/riverside")
    >>> one = load("corpora/examples/riverside/millbrook-youth/myc-2024-04.vtt",
    ...            community="Millbrook Youth Council", date="2024-04-10", consent="quote")
    >>> one.units.consent.unique().tolist(), one.check_spans()
    (['quote'], [])
    """
    from .ingest.folder import load_file, load_folder

    p = Path(path)
    if p.is_dir():
        if event_metadata or reader:
            raise TypeError("event metadata and reader= apply to a single file; a folder's "
                            "events.csv gives them (the 'reader' column names a reader)")
        parts = load_folder(p, default_consent=default_consent, progress=progress, limits=limits)
    else:
        parts = load_file(p, reader=reader, default_consent=default_consent, limits=limits,
                          **event_metadata)
    return Corpus(parts["events"], parts["units"], parts["skipped"], parts["sources"],
                  texts=parts["texts"], root=parts["root"], params=parts["params"])


def open_corpus(directory: str | Path) -> Corpus:
    """Open a corpus written by :meth:`Corpus.save` (hashes are checked)."""
    from .storage import open_saved_corpus

    return open_saved_corpus(Path(directory))
