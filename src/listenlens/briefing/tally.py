"""Who raised what: the counts every briefing and community summary is built on.

:class:`Tally` reads fitted :class:`~listenlens.themes.Themes` (``corpus``, ``table``,
``assignments``; a missing one is an :class:`~listenlens.errors.AnalysisError` naming it) and
counts people the way :func:`listenlens.provenance.verify` recounts them. Labels and keywords
go through :func:`listenlens.provenance.wording.theme_wording` and :func:`label_redactor`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import AnalysisError
from ..phrasing import plural
from ..provenance.redact import redact
from ..provenance.wording import theme_wording
from ..themes.result import HOUSEKEEPING, UNASSIGNED, Themes

__all__ = ["Tally", "is_special_theme", "people_phrase", "lower_first", "need", "columns",
           "label_redactor"]

_SPECIAL_PREFIXES = (UNASSIGNED, HOUSEKEEPING)


def need(obj: Any, attr: str, what: str) -> Any:
    if not hasattr(obj, attr):
        raise AnalysisError(f"briefing needs {what}.{attr}, which this {type(obj).__name__} "
                            f"does not have; pass the result of find_themes()/track()")
    return getattr(obj, attr)


def columns(df: Any, cols: Iterable[str], what: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise AnalysisError(f"{what} should be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise AnalysisError(f"{what} lacks column(s) {missing}; it has {list(df.columns)}")
    return df


def is_special_theme(theme_id: str) -> bool:
    """True for the unassigned and housekeeping pseudo-themes."""
    return str(theme_id).startswith(_SPECIAL_PREFIXES)


def label_redactor() -> Callable[[str], str]:
    """Labels and keywords are made from transcript words, so phone numbers, e-mails,
    postcodes and the like are taken out of them too (patterns only: a theme label is too
    short for the name tagger to judge).

    >>> label_redactor()("Buses (ring 07700 900123)")
    'Buses (ring [phone])'
    """
    return lambda text: redact(text, nlp=False).text


@dataclass
class Tally:
    """Who raised what: each participant unit's primary theme, community, event and person.

    People are counted as :func:`listenlens.provenance.verify` recounts them: distinct speaker
    pseudonyms of units whose speaker is not a facilitator. Pseudonyms are per event, so one
    person at two events counts twice; a unit with no speaker (a note) adds no person.
    """

    corpus: Any
    theme_of: dict[str, str]
    labels: dict[str, str]
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_themes(cls, themes: Themes) -> Tally:
        """Tally the primary assignments of fitted themes."""
        corpus = need(themes, "corpus", "themes")
        table = columns(need(themes, "table", "themes"), ["theme_id", "label"], "themes.table")
        asg = columns(need(themes, "assignments", "themes"), ["unit_id", "theme_id"],
                       "themes.assignments")
        if "primary" in asg.columns:
            asg = asg[asg["primary"].astype(bool)]
        clean = label_redactor()
        labels = {str(r.theme_id): clean(str(r.label)) for r in table.itertuples()}
        keywords: dict[str, tuple[str, ...]] = {}
        if "keywords" in table.columns:
            for tid, kws in zip(table["theme_id"], table["keywords"]):
                if isinstance(kws, (list, tuple)) or hasattr(kws, "tolist"):
                    keywords[str(tid)] = tuple(clean(str(k)) for k in list(kws))
        theme_of = dict(zip(asg["unit_id"].astype(str), asg["theme_id"].astype(str)))
        # only words enough quote-consenting people used (provenance.wording)
        for tid, (label, kws) in theme_wording(themes).items():
            labels[tid] = clean(label)
            if tid in keywords:
                keywords[tid] = tuple(clean(k) for k in kws)
        return cls(corpus, theme_of, labels, keywords)

    def participant_units(self) -> list[Any]:
        """Every unit whose speaker is not a facilitator."""
        return [u for u in self.corpus.unit_records if u.role != "facilitator"]

    @staticmethod
    def person(unit: Any) -> str:
        """The speaker pseudonym a unit counts towards (empty: nobody)."""
        return "" if unit.role == "facilitator" else str(unit.speaker_id or "")

    def community(self, unit: Any) -> str:
        """The community of a unit's event."""
        return self.corpus.event(unit.event_id).community

    def units_by_theme(self, community: str | None = None) -> dict[str, list[Any]]:
        """Participant units per real theme (optionally of one community)."""
        out: dict[str, list[Any]] = defaultdict(list)
        for u in self.participant_units():
            tid = self.theme_of.get(u.unit_id)
            if tid is None or is_special_theme(tid):
                continue
            if community is None or self.community(u) == community:
                out[tid].append(u)
        return out

    def ranked_themes(self, units_by_theme: dict[str, list[Any]]) -> list[str]:
        """Theme ids of ``units_by_theme`` (from :meth:`units_by_theme`), the briefing's order:
        most people first, then most units, then by label."""
        return sorted(units_by_theme, key=lambda t: (-self.people(units_by_theme[t]),
                                                     -len(units_by_theme[t]),
                                                     self.labels.get(t, t)))

    def people(self, units: Iterable[Any]) -> int:
        """Number of distinct people among units."""
        return len({p for u in units if (p := self.person(u))})

    def community_people(self) -> dict[str, int]:
        """Number of people who spoke, per community (every community of the corpus)."""
        sets: dict[str, set[str]] = {e.community: set() for e in self.corpus.event_records}
        for u in self.participant_units():
            if self.person(u):
                sets[self.community(u)].add(self.person(u))
        return {c: len(s) for c, s in sorted(sets.items())}


def people_phrase(n: int) -> str:
    """``'1 person'`` or ``'7 people'``."""
    return plural(n, "person", "people")


def lower_first(label: str) -> str:
    """'Damp and mould' -> 'damp and mould'; 'GP access' stays (an acronym keeps its case)."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label
