"""The briefing content model: what a briefing says, independent of how it is printed.

Every renderer (HTML, DOCX, Markdown) and the community summaries read these frozen records and
nothing else, so the three formats cannot drift apart. :func:`listenlens.briefing.build_content`
fills them from fitted themes and trends; tests build them by hand.

Text held here is plain text (never markup): renderers escape it for their format. Quotes hold
the text *as shown* (after consent checks and redaction), with the unit id and source spans that
let :func:`listenlens.provenance.verify` re-derive them.

>>> q = Quote(unit_id="u-1", text="We need buses.", community="Northside", date="2024-03-01",
...           speaker="Participant 1", event_id="e01", source="e01.txt", spans=((5, 19),))
>>> q.attribution
'Participant 1, Northside, 1 March 2024'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..phrasing import pct, plural

__all__ = [
    "EVIDENCE_SCRIPT_ID",
    "UNCERTAINTY_COLUMN",
    "Quote",
    "Figure",
    "Chart",
    "Scope",
    "Change",
    "ThemeSummary",
    "Shift",
    "Difference",
    "Ask",
    "Credit",
    "Appendix",
    "BriefingContent",
    "CommunityTheme",
    "CommunitySummary",
    "format_date",
]

#: ``id`` of the ``<script type="application/json">`` element holding the evidence block.
EVIDENCE_SCRIPT_ID = "listenlens-evidence"

#: The column of the shifts table that holds each shift's uncertainty in words.
UNCERTAINTY_COLUMN = "How sure"


def format_date(value: str | dt.date | None) -> str:
    """A date as people write it: ``'2024-03-01'`` -> ``'1 March 2024'`` (empty stays empty).

    >>> format_date("2024-03-01")
    '1 March 2024'
    """
    if value is None or value == "":
        return ""
    d = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{d.day} {d.strftime('%B')} {d.year}"


@dataclass(frozen=True, slots=True)
class Quote:
    """One verbatim quote as printed: consent ``quote`` only, text already redacted.

    ``speaker`` is a pseudonym (``'Participant 3'``), never the label written in the transcript.
    ``source`` and ``spans`` point at the exact source text the quote came from.
    """

    unit_id: str
    text: str
    community: str
    date: str
    speaker: str
    event_id: str
    source: str
    spans: tuple[tuple[int, int], ...]
    consent: str = "quote"

    @property
    def attribution(self) -> str:
        """``'Participant 3, Riverside Tenants, 12 March 2024'``."""
        return ", ".join(p for p in (self.speaker, self.community, format_date(self.date)) if p)

    def evidence(self) -> dict[str, Any]:
        """This quote's entry in the evidence block."""
        return {"unit_id": self.unit_id, "shown": self.text, "source": self.source,
                "spans": [list(s) for s in self.spans], "consent": self.consent,
                "attribution": self.attribution}


@dataclass(frozen=True, slots=True)
class Figure:
    """One number printed in an output, with the units it was counted from.

    ``kind`` says how ``value`` recomputes from ``unit_ids`` (see
    :data:`listenlens.provenance.verify.FIGURE_KINDS`): ``theme_speakers`` is the number of
    distinct non-facilitator speakers among them. ``text`` is the phrase as printed
    (``'7 people raised this'``), which ``verify`` looks for in the document.
    """

    figure_id: str
    kind: str
    value: int | float
    unit_ids: tuple[str, ...]
    theme_id: str = ""
    community: str = ""
    text: str = ""
    #: for ``kind="wording"``: the transcript words the text shows (verify re-applies the
    #: wording rule of :mod:`listenlens.provenance.wording` to them)
    words: tuple[str, ...] = ()

    def evidence(self) -> dict[str, Any]:
        """This figure's entry in the evidence block."""
        out: dict[str, Any] = {"id": self.figure_id, "theme_id": self.theme_id,
                               "kind": self.kind, "value": self.value,
                               "unit_ids": list(self.unit_ids)}
        if self.community:
            out["community"] = self.community
        if self.text:
            out["text"] = self.text
        if self.words:
            out["words"] = list(self.words)
        return out


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart as a PNG image, with the alt text that says what it shows."""

    chart_id: str
    title: str
    alt: str
    png: bytes = field(repr=False)
    width_in: float = 6.0


@dataclass(frozen=True, slots=True)
class Scope:
    """What the briefing covers."""

    n_events: int
    communities: tuple[str, ...]
    date_from: str
    date_to: str
    n_people: int
    n_units: int

    @property
    def sentence(self) -> str:
        """``'31 people spoke at 7 events held by 3 communities between ... and ...'``."""
        people = plural(self.n_people, "person", "people")
        events = plural(self.n_events, "event")
        comms = plural(len(self.communities), "community", "communities")
        when = ""
        if self.date_from and self.date_to:
            when = (f" on {format_date(self.date_from)}" if self.date_from == self.date_to else
                    f" between {format_date(self.date_from)} and {format_date(self.date_to)}")
        return f"{people} spoke at {events} held by {comms}{when}."


@dataclass(frozen=True, slots=True)
class Change:
    """One line of "What's new since ...": what happened to the themes at the latest update.

    ``kind`` is ``'new'`` (a theme born, or a part of a split), ``'grew'`` (one line naming the
    existing themes that took the most new contributions), ``'revived'``, ``'faded'``, or a
    change to the list of themes: ``'merged'``, ``'split'``, ``'renamed'``, ``'retired'``.
    The line prints as ``lead: text``. A new theme still in the analysis carries its numbers
    (people and events, counted as everywhere in the briefing) and the units they were counted
    from; ``related`` holds the other theme ids the line names.

    >>> Change("faded", "No longer raised", "Bus fares (last raised 2 May 2024).").sentence
    'No longer raised: Bus fares (last raised 2 May 2024).'
    """

    kind: str
    lead: str
    text: str
    theme_id: str = ""
    label: str = ""
    n_people: int | None = None
    n_events: int | None = None
    date: str = ""
    related: tuple[str, ...] = ()
    unit_ids: tuple[str, ...] = field(default=(), repr=False)

    @property
    def sentence(self) -> str:
        """The line as printed: ``'New: Food bank — raised by 6 people at 2 events.'``."""
        return f"{self.lead}: {self.text}"


@dataclass(frozen=True, slots=True)
class ThemeSummary:
    """One top theme in plain language, with its numbers, credit line and quotes."""

    theme_id: str
    label: str
    summary: str
    n_people: int
    n_events: int
    n_communities: int
    share: float | None
    attribution: str
    keywords: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()

    @property
    def share_text(self) -> str:
        """The share of people as printed in the table of top themes (empty when unknown)."""
        return pct(self.share, missing="")


@dataclass(frozen=True, slots=True)
class Shift:
    """A change in how much a theme was raised, in one sentence plus its numbers.

    ``direction`` is ``'up'``, ``'down'`` or ``'steady'``; ``numbers`` are (name, shown value)
    pairs; ``uncertainty`` says how sure the change is in words; ``label`` names the row in the
    table of shifts (theme, and group when the shift is within one group).
    """

    sentence: str
    direction: str
    numbers: tuple[tuple[str, str], ...] = ()
    uncertainty: str = ""
    theme_id: str = ""
    label: str = ""

    def number(self, name: str) -> str:
        """The shown value of one number (empty when this shift does not have it);
        ``'How sure'`` is the uncertainty."""
        if name == UNCERTAINTY_COLUMN:
            return self.uncertainty
        return dict(self.numbers).get(name, "")


@dataclass(frozen=True, slots=True)
class Difference:
    """How one community's priorities differed from the others'."""

    community: str
    sentence: str
    theme_id: str = ""


@dataclass(frozen=True, slots=True)
class Ask:
    """Something people asked for, grouped by theme.

    Counted from every unit with request language whatever its consent; only ``examples`` are
    quoted, and those come from consent ``quote`` units only.
    """

    theme_id: str
    label: str
    n_people: int
    n_communities: int
    sentence: str
    examples: tuple[Quote, ...] = ()


@dataclass(frozen=True, slots=True)
class Credit:
    """Credit to one community that took part."""

    community: str
    n_events: int
    n_people: int
    date_from: str
    date_to: str

    @property
    def sentence(self) -> str:
        """``'Riverside Tenants: 4 events, 23 people, 10 January 2024 to 2 June 2024.'``."""
        ev = plural(self.n_events, "event")
        pp = plural(self.n_people, "person", "people")
        when = format_date(self.date_from)
        if self.date_to and self.date_to != self.date_from:
            when += f" to {format_date(self.date_to)}"
        return f"{self.community}: {ev}, {pp}" + (f", {when}." if when else ".")


@dataclass(frozen=True, slots=True)
class Appendix:
    """The provenance appendix: input hashes, versions and parameters, as (name, value) rows."""

    input_hash: str
    sources: tuple[tuple[str, str], ...] = ()
    versions: tuple[tuple[str, str], ...] = ()
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def tables(self) -> tuple[tuple[str, tuple[str, str], tuple[tuple[str, str], ...]], ...]:
        """The appendix tables every renderer prints, as (caption, header, rows); empty ones
        are left out.

        >>> [t[0] for t in Appendix("sha256:0", versions=(("pandas", "2.2.0"),)).tables]
        ['Software versions']
        """
        tables = (("Source files", ("File", "SHA-256"), self.sources),
                  ("Software versions", ("Package", "Version"), self.versions),
                  ("Parameters", ("Parameter", "Value"), self.parameters))
        return tuple(t for t in tables if t[2])


@dataclass(frozen=True, slots=True)
class BriefingContent:
    """Everything a commissioner briefing says, in reading order.

    The sections, in order: scope, what is new since the last update (only when ``changes``
    is not empty; ``changes_since`` is the date the last update covered events up to), top
    themes, priority shifts, differences between communities, what people asked for,
    representative quotes (from ``themes[i].quotes``), methods and limitations, provenance
    appendix, credits. ``charts`` appear with the section they belong to (``chart_id``
    ``'themes'`` or ``'shifts'``).
    """

    title: str
    scope: Scope
    themes: tuple[ThemeSummary, ...]
    shifts: tuple[Shift, ...]
    differences: tuple[Difference, ...]
    asks: tuple[Ask, ...]
    methods: tuple[str, ...]
    limitations: tuple[str, ...]
    appendix: Appendix
    credits: tuple[Credit, ...]
    charts: tuple[Chart, ...] = ()
    figures: tuple[Figure, ...] = ()
    subtitle: str = ""
    listenlens_version: str = ""
    redaction: dict[str, Any] = field(default_factory=lambda: {"version": 1}, hash=False)
    changes: tuple[Change, ...] = ()
    changes_since: str = ""
    #: The minimum detectable change as stated, with what recomputes it
    #: (:func:`listenlens.trends.power.power_evidence`); empty without trends.
    power: dict[str, Any] = field(default_factory=dict, hash=False)
    #: other facts the text states, for ``verify``: each theme's "at N events, in M
    #: communities" sentence, its credit line and the words it is described with
    statements: tuple[Figure, ...] = ()
    #: the vote sections (a :class:`listenlens.briefing.votes.VotesSection`), when votes exist
    votes: Any = None

    @property
    def changes_heading(self) -> str:
        """The heading of the section on changes: ``"What's new since 1 March 2025"``."""
        if self.changes_since:
            return f"What's new since {format_date(self.changes_since)}"
        return "What's new"

    @property
    def changes_intro(self) -> str:
        """The sentence that opens the section on changes."""
        if self.changes_since:
            return (f"The last update of this analysis covered events up to "
                    f"{format_date(self.changes_since)}. This is what changed when newer "
                    "material was added.")
        return "This is what changed at the latest update of this analysis."

    def chart(self, chart_id: str) -> Chart | None:
        """The chart with this id, or ``None``."""
        return next((c for c in self.charts if c.chart_id == chart_id), None)

    def shift_columns(self) -> tuple[str, ...]:
        """The shifts table's columns: every shift number's name in first-seen order, then
        ``'How sure'`` when any shift states its uncertainty (see :meth:`Shift.number`)."""
        seen: dict[str, None] = {}
        for s in self.shifts:
            for name, _ in s.numbers:
                seen.setdefault(name, None)
        if any(s.uncertainty for s in self.shifts):
            seen.setdefault(UNCERTAINTY_COLUMN, None)
        return tuple(seen)

    def iter_quotes(self) -> Iterator[Quote]:
        """Every quote printed anywhere in the briefing (each unit once)."""
        seen: set[str] = set()
        for q in (*(q for t in self.themes for q in t.quotes),
                  *(q for a in self.asks for q in a.examples),
                  *(self.votes.quotes() if self.votes is not None else ())):
            if q.unit_id not in seen:
                seen.add(q.unit_id)
                yield q

    @property
    def evidence(self) -> dict[str, Any]:
        """The evidence block (``docs/design/contracts.md``) that ``verify`` re-derives."""
        return {"listenlens_version": self.listenlens_version,
                "input_hash": self.appendix.input_hash,
                "redaction": dict(self.redaction),
                "quotes": [q.evidence() for q in self.iter_quotes()],
                "figures": [f.evidence() for f in self.figures],
                **({"power": dict(self.power)} if self.power else {}),
                "statements": [f.evidence() for f in self.statements],
                **({"votes": self.votes.evidence()} if self.votes is not None else {}),
                # theme names the "What's new" lines set in quotation marks (not quotes of
                # anyone: verify accepts “…” around exactly these)
                "quoted_labels": sorted({m for ch in self.changes
                                         for m in re.findall(r"“([^”]*)”", ch.sentence)})}


@dataclass(frozen=True, slots=True)
class CommunityTheme:
    """One thing a community raised, and how that compares with everyone else."""

    theme_id: str
    label: str
    n_people: int
    share_text: str
    comparison: str


@dataclass(frozen=True, slots=True)
class CommunitySummary:
    """A "you said, we heard" summary for one community, in short plain sentences."""

    community: str
    title: str
    intro: str
    raised: tuple[CommunityTheme, ...]
    closing: str
    n_people: int
    n_events: int
    figures: tuple[Figure, ...] = ()
    input_hash: str = ""
    listenlens_version: str = ""
    redaction: dict[str, Any] = field(default_factory=lambda: {"version": 1}, hash=False)

    @property
    def evidence(self) -> dict[str, Any]:
        """The evidence block (no quotes: summaries count, they do not quote)."""
        return {"listenlens_version": self.listenlens_version, "input_hash": self.input_hash,
                "redaction": dict(self.redaction), "quotes": [],
                "figures": [f.evidence() for f in self.figures]}
