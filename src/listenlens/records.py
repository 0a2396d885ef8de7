"""The records every stage shares: small, frozen, logic-free.

``Event`` (one listening event), ``Source`` (one decoded input file), ``Unit`` (one analysable
piece of what was said, a view into its source), ``Skip`` (an input piece that was seen but not
analysed, with its reason). The collection of them is :class:`listenlens.corpus.Corpus`; saving
and opening them is :mod:`listenlens.storage`; parsing lives in :mod:`listenlens.ingest`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

__all__ = [
    "field_names",
    "CONSENT_LEVELS",
    "ROLES",
    "Event",
    "Source",
    "Unit",
    "Skip",
    "field_names",
    "record_columns",
    "record_dict",
]

#: Consent levels, most open first. ``quote``: verbatim quotes may appear in outputs;
#: ``paraphrase``: counted and summarised, never quoted; ``aggregate``: counted only;
#: ``withdrawn``: excluded from everything, model fitting included.
CONSENT_LEVELS = ("quote", "paraphrase", "aggregate", "withdrawn")

#: Who a unit's speaker is at its event.
ROLES = ("participant", "facilitator", "unknown")


@dataclass(frozen=True, slots=True)
class Event:
    """One listening event (a community conversation, focus group, drop-in, consultation)."""

    event_id: str
    community: str
    date: dt.date
    place: str = ""
    format: str = ""
    facilitator: str = ""
    title: str = ""
    files: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Source:
    """One input file as decoded. Offsets of every unit from it refer to its decoded text.

    ``encoding`` is what was used (``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252``, or
    ``docx`` for Word files, whose text is extracted) and ``encoding_note`` why.
    """

    path: str
    sha256: str
    format: str
    encoding: str
    encoding_note: str
    n_chars: int
    event_id: str
    escape: str = "none"


@dataclass(frozen=True, slots=True)
class Unit:
    """One analysable piece: an utterance, a note, a sticky note, a survey answer.

    A unit is a view into its source: ``text == span_text(source_text, spans, escape)``
    (see :mod:`listenlens.spans`). ``char_start``/``char_end`` are the first span's start and
    the last span's end. ``speaker`` is the label as written; ``speaker_id`` its pseudonym,
    stable within the event. Times are seconds from the start of the recording, where captions
    give them.
    """

    unit_id: str
    event_id: str
    text: str
    source: str
    source_sha256: str
    spans: tuple[tuple[int, int], ...]
    char_start: int
    char_end: int
    line: int
    kind: str = "utterance"
    speaker: str = ""
    speaker_id: str = ""
    role: str = "unknown"
    consent: str = "paraphrase"
    consent_basis: str = "default"
    time_start: float | None = None
    time_end: float | None = None
    context: str = ""
    parent_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Skip:
    """An input piece that was seen and deliberately not analysed, and why.

    ``reason`` is a short stable code (``empty``, ``no-text``, ``moderated-hidden``,
    ``consent-withdrawn``, ``unreadable-row``, ...); ``detail`` says more. ``excerpt`` is empty
    when the reason forbids keeping the text (withdrawn consent).
    """

    source: str
    line: int | None
    reason: str
    detail: str = ""
    event_id: str = ""
    excerpt: str = ""


def record_dict(record: Any) -> dict[str, Any]:
    """A record's fields as a dict, like :func:`dataclasses.asdict` but shallow (dict fields
    are copied one level), which is what tables of many records need: ``asdict`` deep-copies
    every value and dominates the cost of building a large corpus's DataFrames.

    >>> record_dict(Skip(source="a.txt", line=3, reason="empty"))["reason"]
    'empty'
    """
    out = {}
    for name in field_names(type(record)):
        value = getattr(record, name)
        out[name] = dict(value) if isinstance(value, dict) else value
    return out


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """Field names of a record class, in declaration order (cached: tables of many records ask
    once per class).

    >>> field_names(Skip)[:2]
    ('source', 'line')
    """
    return tuple(f.name for f in fields(cls))


def record_columns(cls: type) -> list[str]:
    """Field names of a record class, in declaration order (the DataFrame column order)."""
    return list(field_names(cls))
