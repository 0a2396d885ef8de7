"""Choosing quotes for a briefing: consent first, then redaction, then variety.

Only units with ``consent == "quote"`` whose speaker is not a facilitator may be quoted: the
local guard (:func:`may_quote`) and :func:`listenlens.provenance.consent.quotable` must both
agree, so the rule can only get stricter. Every quote is printed as
:func:`listenlens.provenance.consent.quote_text` gives it: re-derived from the source spans,
then redacted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ConsentError
from ..provenance import consent
from ..provenance.redact import redaction_info
from .content import Quote

if TYPE_CHECKING:
    from ..themes import Themes

__all__ = ["QuotePicker", "may_quote"]

#: Quotes shorter or longer than this (characters) are used only when nothing else is left.
_GOOD_LENGTH = (40, 320)
#: Words of someone who did not agree to be quoted, at least this long, must not appear inside a
#: quote even when a consenting speaker said the same (``verify`` checks the same way).
_LEAK_CHARS = 30


def may_quote(unit: Any) -> bool:
    """The local consent guard: verbatim quotes only from consenting participants.

    >>> from listenlens.records import Unit
    >>> u = Unit("u-1", "e1", "x", "e1.txt", "", ((0, 1),), 0, 1, 1, consent="paraphrase")
    >>> may_quote(u)
    False
    """
    return getattr(unit, "consent", None) == "quote" and getattr(unit, "role", "") != "facilitator"


class QuotePicker:
    """Picks, checks and redacts quotes from one corpus (shown texts are cached).

    :func:`listenlens.provenance.consent.quotable` must agree with :func:`may_quote`, and the
    shown text is :func:`listenlens.provenance.consent.quote_text` (re-derived from the source
    spans, then redacted). ``redaction`` describes the redaction step for the briefing's
    evidence block.
    """

    def __init__(self, corpus: Any):
        self.corpus = corpus
        self._shown: dict[str, str] = {}
        self._numbers = self._speaker_numbers(corpus)
        self._not_quotable = sorted({" ".join(u.text.split()) for u in corpus.unit_records
                                     if u.consent != "quote" and len(u.text) >= _LEAK_CHARS})
        self._allowed: dict[tuple[Any, Any], bool] = {}
        self.redaction: dict[str, Any] = dict(redaction_info())

    @staticmethod
    def _speaker_numbers(corpus: Any) -> dict[tuple[str, str], int]:
        """'Participant N' numbers: order of first appearance within each event."""
        numbers: dict[tuple[str, str], int] = {}
        per_event: dict[str, int] = {}
        for u in sorted(corpus.unit_records, key=lambda u: (u.event_id, u.source, u.char_start)):
            key = (u.event_id, u.speaker_id)
            if u.speaker_id and u.role != "facilitator" and key not in numbers:
                per_event[u.event_id] = per_event.get(u.event_id, 0) + 1
                numbers[key] = per_event[u.event_id]
        return numbers

    def allowed(self, unit: Any) -> bool:
        """Whether this unit may be quoted (local guard and provenance's rule both agree)."""
        if not may_quote(unit):
            return False
        key = (unit.consent, unit.role)  # all provenance's rule is given: asked once per pair
        if key not in self._allowed:
            row = pd.DataFrame([{"consent": unit.consent, "role": unit.role}])
            self._allowed[key] = bool(consent.quotable(row).iloc[0])
        return self._allowed[key]

    def shown(self, unit: Any) -> str:
        """The redacted text of an allowed unit, as it will be printed."""
        if unit.unit_id not in self._shown:
            self._shown[unit.unit_id] = str(consent.quote_text(unit, self.corpus))
        return self._shown[unit.unit_id]

    def _repeats_unquotable(self, unit: Any) -> bool:
        """Whether the quote would reproduce words of someone who did not consent."""
        shown = " ".join(self.shown(unit).split())
        return any(text in shown for text in self._not_quotable)

    def candidates(self, themes: Themes, theme_id: str, unit_ids: Sequence[str]) -> list[str]:
        """The theme's representative units first (``themes.quotes``), then all its units, most
        probable first."""
        ranked = [str(u) for u in themes.quotes(theme_id, n=min(40, len(unit_ids)))["unit_id"]]
        asg = themes.assignments
        prob = dict(zip(asg["unit_id"], asg["probability"]))
        rest = sorted(unit_ids, key=lambda uid: -float(prob.get(uid, 0.0)))
        seen = set(ranked)
        return ranked + [u for u in rest if u not in seen]

    def quote(self, unit: Any) -> Quote:
        """A :class:`Quote` of one allowed unit, redacted."""
        if not self.allowed(unit):
            raise ConsentError(f"unit {unit.unit_id} may not be quoted (consent "
                               f"{unit.consent!r}, role {unit.role!r})")
        event = self.corpus.event(unit.event_id)
        n = self._numbers.get((unit.event_id, unit.speaker_id))
        return Quote(unit.unit_id, self.shown(unit), event.community,
                     str(event.date) if event.date else "",
                     f"Participant {n}" if n else "A participant", unit.event_id, unit.source,
                     tuple((int(a), int(b)) for a, b in unit.spans), unit.consent)

    def pick(self, unit_ids: Iterable[str], n: int) -> tuple[Quote, ...]:
        """Up to ``n`` quotes from these units, in order, preferring readable lengths and new
        communities; never two quotes of the same text or by the same person."""
        if n <= 0:
            return ()
        pool = _Pool(self._allowed_units(unit_ids))
        chosen: list[Any] = []
        ids: set[str] = set()
        for new_only in (True, False):
            for u in pool:
                if len(chosen) >= n:
                    break
                comms = {self.corpus.event(c.event_id).community for c in chosen}
                people = {(c.event_id, c.speaker_id or c.unit_id) for c in chosen}
                if u.unit_id in ids or (u.event_id, u.speaker_id or u.unit_id) in people:
                    continue
                if new_only and self.corpus.event(u.event_id).community in comms:
                    continue
                texts = {self.shown(c).casefold() for c in chosen}
                if self.shown(u).casefold() in texts or self._repeats_unquotable(u):
                    continue
                chosen.append(u)
                ids.add(u.unit_id)
        return tuple(self.quote(u) for u in chosen)

    def _allowed_units(self, unit_ids: Iterable[str]) -> Iterator[Any]:
        for uid in unit_ids:
            try:
                u = self.corpus.unit(uid)
            except KeyError:
                continue
            if self.allowed(u):
                yield u


class _Pool:
    """Units of readable length first, then the rest, each in the order given; read from the
    source only as far as a pass over it goes (a picker usually stops after a few units, so a
    theme of 20,000 units costs a few checks, not 20,000)."""

    def __init__(self, units: Iterator[Any]):
        self._source = units
        self._good: list[Any] = []
        self._other: list[Any] = []

    def _pull(self) -> bool:
        lo, hi = _GOOD_LENGTH
        for u in self._source:
            if lo <= len(u.text) <= hi:
                self._good.append(u)
                return True
            self._other.append(u)
        return False

    def __iter__(self) -> Iterator[Any]:
        i = 0
        while i < len(self._good) or self._pull():
            yield self._good[i]
            i += 1
        yield from self._other
