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
from .speakers import NOTE_FORMATS, label_kind

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

    def roster(self, event_id: str) -> set[str]:
        """The normalised speaker labels consent.csv names for this event."""
        return {label for eid, label in self.by_speaker if eid == event_id}

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


@dataclass(frozen=True, slots=True)
class _Who:
    """A piece's attribution once note labels are judged."""

    speaker: str
    role: str
    context: str
    extra: dict


def _attribute(item: Piece, event: Event, source: Source, consent: ConsentBook,
               judged: dict[tuple[str, str], list[int]]) -> _Who:
    """Speaker, role, context and extra of a piece; in notes formats a ``Label:`` that is a
    topic or the writer is not a participant (see :mod:`listenlens.ingest.speakers`), and
    ``judged`` collects the lines of each such label for the load report."""
    label = item.speaker
    if not label or source.format not in NOTE_FORMATS:
        return _Who(label, _role(label, event), item.context, dict(item.extra))
    kind = label_kind(label, consent.roster(event.event_id))
    if kind == "person":
        return _Who(label, _role(label, event), item.context, dict(item.extra))
    judged.setdefault((kind, label), []).append(item.line)
    if kind == "writer":
        return _Who(label, "facilitator", item.context,
                    {**item.extra, "speaker_as": "note-taker"})
    context = f"{item.context} > {label}" if item.context else label
    return _Who("", "unknown", context, {**item.extra, "label": label})


def _judged_notices(judged: dict[tuple[str, str], list[int]], path: str) -> list[str]:
    out = []
    for (kind, label), lines in judged.items():
        where = ", ".join(map(str, lines[:8])) + (" ..." if len(lines) > 8 else "")
        what = ("read as a topic heading, not a speaker (its text is kept, with no speaker)"
                if kind == "topic" else
                "read as the note-taker (role facilitator), not a participant")
        out.append(f"{path}: label {label!r} (line(s) {where}) {what}")
    return out


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
    judged: dict[tuple[str, str], list[int]] = {}
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
        who = _attribute(item, event, source, consent, judged)
        level, basis = consent.resolve(event.event_id, who.speaker)
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
            speaker=who.speaker,
            speaker_id=speaker_id(event.event_id, who.speaker),
            role=who.role,
            consent=level,
            consent_basis=basis,
            time_start=item.time_start,
            time_end=item.time_end,
            context=who.context,
            extra=who.extra,
        ))
    if notices is not None:
        notices.extend(_judged_notices(judged, source.path))
    return units, skips
