"""Turning a reader's pieces into ``Unit`` and ``Skip`` records for one event.

Here, and only here, unit text is computed: ``span_text(source_text, piece.spans, escape)``.
Ids, speaker pseudonyms, roles and consent are settled here too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..ids import normalise_label, speaker_id, unit_id
from ..records import Event, Skip, Source, Unit
from ..spans import span_text
from ._base import Notice, Piece, Skipped

__all__ = ["ConsentBook", "build_units", "FACILITATOR_LABELS"]

#: Speaker labels that always mean the facilitator, whatever events.csv says.
FACILITATOR_LABELS = frozenset({"facilitator", "moderator", "host", "chair", "interviewer",
                                "note taker", "notetaker", "organiser", "organizer"})


@dataclass(frozen=True)
class ConsentBook:
    """Consent decisions: per (event, speaker), per event, and a corpus-wide default.

    ``by_speaker`` maps ``(event_id, normalised label)`` to a level; ``by_event`` maps an event id
    to its default level; ``default`` applies when neither does. Returns the level and its basis
    (``speaker``, ``event`` or ``default``).
    """

    by_speaker: Mapping[tuple[str, str], str]
    by_event: Mapping[str, str]
    default: str = "paraphrase"
    #: ``(event_id, normalised label)`` keys of ``by_speaker`` that matched a speaker when loading.
    used: set[tuple[str, str]] = field(default_factory=set, compare=False)
    #: Line of consent.csv each ``by_speaker`` key came from (for error messages).
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False)

    def resolve(self, event_id: str, label: str) -> tuple[str, str]:
        key = (event_id, normalise_label(label))
        if label and key in self.by_speaker:
            self.used.add(key)
            return self.by_speaker[key], "speaker"
        if event_id in self.by_event:
            return self.by_event[event_id], "event"
        return self.default, "default"


def _role(label: str, event: Event) -> str:
    if not label:
        return "unknown"
    norm = normalise_label(label)
    if norm in FACILITATOR_LABELS:
        return "facilitator"
    names = {normalise_label(n) for n in event.facilitator.replace(",", ";").split(";") if n.strip()}
    if norm in names or any(norm == n.split()[0] for n in names if n):
        return "facilitator"
    return "participant"


def build_units(
    items: Iterable[Piece | Skipped | Notice],
    *,
    event: Event,
    source: Source,
    text: str,
    consent: ConsentBook,
    withdrawn_spans: list[tuple[int, int]] | None = None,
    notices: list[str] | None = None,
) -> tuple[list[Unit], list[Skip]]:
    """Units and skips for one source of one event, in source order.

    The spans of withdrawn speakers' pieces are appended to ``withdrawn_spans`` when given, so
    the caller can blank them in the text it keeps. A reader's :class:`Notice` items are
    appended to ``notices`` as ``"file:line: code: detail"`` when given.
    """
    units: list[Unit] = []
    skips: list[Skip] = []
    seen: Counter[str] = Counter()
    for item in items:
        if isinstance(item, Notice):
            if notices is not None:
                where = source.path + (f":{item.line}" if item.line is not None else "")
                notices.append(f"{where}: {item.code}: {item.detail}")
            continue
        if isinstance(item, Skipped):
            skips.append(Skip(source=source.path, line=item.line, reason=item.reason,
                              detail=item.detail, event_id=event.event_id,
                              excerpt=item.excerpt[:200]))
            continue
        body = span_text(text, item.spans, source.escape)
        if not body:
            skips.append(Skip(source=source.path, line=item.line, reason="empty",
                              detail="no text after whitespace is removed",
                              event_id=event.event_id, excerpt=item.speaker))
            continue
        level, basis = consent.resolve(event.event_id, item.speaker)
        if level == "withdrawn":
            if withdrawn_spans is not None:
                withdrawn_spans.extend((int(s), int(e)) for s, e in item.spans)
            skips.append(Skip(source=source.path, line=item.line, reason="consent-withdrawn",
                              detail=f"{basis} consent is 'withdrawn'; text not kept",
                              event_id=event.event_id))
            continue
        occurrence = seen[body]
        seen[body] += 1
        spans = tuple((int(s), int(e)) for s, e in item.spans)
        units.append(Unit(
            unit_id=unit_id(event.event_id, source.path, body, occurrence),
            event_id=event.event_id,
            text=body,
            source=source.path,
            source_sha256=source.sha256,
            spans=spans,
            char_start=spans[0][0],
            char_end=spans[-1][1],
            line=item.line,
            kind=item.kind,
            speaker=item.speaker,
            speaker_id=speaker_id(event.event_id, item.speaker),
            role=_role(item.speaker, event),
            consent=level,
            consent_basis=basis,
            time_start=item.time_start,
            time_end=item.time_end,
            context=item.context,
            extra=dict(item.extra),
        ))
    return units, skips
