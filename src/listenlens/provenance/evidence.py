"""Evidence and attribution: from unit ids back to events, communities and exact source spans.

Every derived object (a theme, a trend row, a shift sentence, a briefing paragraph) knows the ids
of the units behind it. :func:`evidence` turns those ids into a table a reader can audit;
:func:`attribution` into a credit line naming the communities who raised it::

    Raised at 7 events by 3 communities: Riverside Tenants Association (4 events, 11 people), ...

People are distinct speaker pseudonyms (``speaker_id``) of participants: facilitators' words are
not community evidence, and units with no speaker written are counted as events, not people.
Objects get ``.evidence()`` and ``.attribution()`` from :class:`EvidenceMixin`, or wrap ids in
:class:`Evidenced`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..corpus import Corpus
from ..errors import ConsentError
from ..phrasing import plural
from ..records import Unit
from ..spans import span_text
from .redact import REDACTION_VERSION, redact

__all__ = ["EVIDENCE_COLUMNS", "evidence", "attribution", "attribution_counts", "Evidenced",
           "EvidenceMixin", "quote_evidence", "figure_evidence", "evidence_block",
           "FIGURE_KINDS", "figure_value", "table_rows_evidence", "TABLE_DERIVED"]

#: Figure kinds the evidence block may carry (verify recomputes them), with their aliases.
FIGURE_KINDS = {
    "theme_speakers": "speakers", "speakers": "speakers", "people": "speakers",
    "theme_units": "units", "units": "units",
    "events": "events", "theme_events": "events",
    "communities": "communities", "theme_communities": "communities",
}
#: Columns of :func:`evidence`.
EVIDENCE_COLUMNS = ["unit_id", "event_id", "community", "date", "speaker_id", "role", "consent",
                    "source", "char_start", "char_end", "line", "spans"]


def _ids(unit_ids: Iterable[str] | str) -> list[str]:
    ids = [unit_ids] if isinstance(unit_ids, str) else list(unit_ids)
    return list(dict.fromkeys(ids))  # unique, first occurrence order


def evidence(unit_ids: Iterable[str], corpus: Corpus, *, strict: bool = True) -> pd.DataFrame:
    """One row per unit: where it was said (event, community, date), by whom (pseudonym, role),
    under what consent, and exactly where in which source (spans, line).

    Unknown ids raise ``KeyError`` (a withdrawn unit is unknown: re-run what referred to it);
    with ``strict=False`` they are dropped. No text column: evidence is for auditing, and quoting
    goes through :func:`~listenlens.provenance.quote_text`.

    >>> evidence(themes.units(tid).unit_id, corpus).columns[:4].tolist()
    ['unit_id', 'event_id', 'community', 'date']
    """
    ids = _ids(unit_ids)
    units = corpus.units
    missing = [u for u in ids if not _known(corpus, u)]
    if missing and strict:
        raise KeyError(f"{len(missing)} unit id(s) not in the corpus (withdrawn or from another "
                       f"corpus?): {', '.join(missing[:5])}")
    df = units[units["unit_id"].isin(ids)]
    order = {u: i for i, u in enumerate(ids)}
    df = df.assign(_order=df["unit_id"].map(order)).sort_values("_order")
    return df[EVIDENCE_COLUMNS].reset_index(drop=True)


def _known(corpus: Corpus, unit_id: str) -> bool:
    try:
        corpus.unit(unit_id)
    except KeyError:
        return False
    return True


def attribution_counts(unit_ids: Iterable[str], corpus: Corpus) -> pd.DataFrame:
    """Per community: events, people (participant speaker ids) and units, most events first."""
    return _counts(evidence(unit_ids, corpus, strict=False))


def _counts(ev: pd.DataFrame) -> pd.DataFrame:
    if ev.empty:
        return pd.DataFrame(columns=["community", "events", "people", "units"])
    people = ev[(ev["role"] != "facilitator") & (ev["speaker_id"] != "")]
    out = ev.groupby("community", sort=False).agg(events=("event_id", "nunique"),
                                                  units=("unit_id", "size"))
    out["people"] = people.groupby("community")["speaker_id"].nunique()
    out["people"] = out["people"].fillna(0).astype(int)
    out = out.reset_index()[["community", "events", "people", "units"]]
    return out.sort_values(["events", "people", "community"],
                           ascending=[False, False, True]).reset_index(drop=True)


def attribution(unit_ids: Iterable[str], corpus: Corpus, *, verb: str = "Raised",
                max_communities: int | None = None) -> str:
    """A credit line naming the communities, with how many events and people contributed.

    Ids no longer in the corpus (withdrawn since) are not counted; :func:`evidence` raises on
    them instead.

    >>> print(attribution(themes.units(tid).unit_id, corpus))
    Raised at ... events by 4 communities: ... (... events, ... people), ...
    """
    ev = evidence(unit_ids, corpus, strict=False)
    counts = _counts(ev)
    if counts.empty:
        return "No evidence from the corpus."
    n_events, n_comm = ev["event_id"].nunique(), len(counts)
    parts = [f"{r.community} ({plural(r.events, 'event')}, {plural(r.people, 'person', 'people')})"
             for r in counts.itertuples()]
    if max_communities is not None and len(parts) > max_communities:
        rest = len(parts) - max_communities
        parts = parts[:max_communities] + [f"and {plural(rest, 'other community', 'others')}"]
    return (f"{verb} at {plural(n_events, 'event')} by {plural(n_comm, 'community', 'communities')}: "
            + ", ".join(parts))


@dataclass(frozen=True, slots=True)
class Evidenced:
    """Unit ids bound to their corpus, for objects that have nothing else to carry.

    >>> Evidenced((uid,), corpus).attribution()
    'Raised at 1 event by 1 community: ... (1 event, 1 person)'
    """

    unit_ids: tuple[str, ...]
    corpus: Corpus

    def evidence(self) -> pd.DataFrame:
        """See :func:`evidence`."""
        return evidence(self.unit_ids, self.corpus)

    def attribution(self, **kwargs: Any) -> str:
        """See :func:`attribution`."""
        return attribution(self.unit_ids, self.corpus, **kwargs)


class EvidenceMixin:
    """Gives a class ``.evidence()`` and ``.attribution()``.

    The class provides ``evidence_unit_ids`` (the ids of the units behind it) and
    ``evidence_corpus`` (the corpus they are in), as attributes or properties.

    >>> class Shift(EvidenceMixin):
    ...     def __init__(self, ids, corpus):
    ...         self.evidence_unit_ids, self.evidence_corpus = ids, corpus
    >>> Shift([uid], corpus).evidence().unit_id.tolist() == [uid]
    True
    """

    evidence_unit_ids: Iterable[str]
    evidence_corpus: Corpus

    def evidence(self) -> pd.DataFrame:
        """See :func:`listenlens.provenance.evidence`."""
        return evidence(self.evidence_unit_ids, self.evidence_corpus)

    def attribution(self, **kwargs: Any) -> str:
        """See :func:`listenlens.provenance.attribution`."""
        return attribution(self.evidence_unit_ids, self.evidence_corpus, **kwargs)


def figure_value(kind: str, units: list[Unit], community: Mapping[str, str]) -> int:
    """A figure recomputed from its units; ``kind`` is a value of :data:`FIGURE_KINDS`."""
    if kind == "speakers":
        return len({u.speaker_id for u in units if u.speaker_id and u.role != "facilitator"})
    if kind == "units":
        return len({u.unit_id for u in units})
    if kind == "events":
        return len({u.event_id for u in units})
    return len({community[u.event_id] for u in units})


# --- building the evidence block an export embeds -------------------------------------------
def quote_evidence(unit: Unit | str, corpus: Corpus, *,
                   spans: Iterable[Iterable[int]] | None = None, nlp: Any = None) -> dict[str, Any]:
    """The evidence-block entry of one quote; ``shown`` is exactly what the export must print.

    ``spans`` quotes part of a unit (e.g. one sentence); they must lie inside the unit's spans.
    Raises :class:`~listenlens.errors.ConsentError` unless the unit's consent is ``quote``.

    >>> q = quote_evidence(uid, corpus)
    >>> q["consent"], q["shown"] == quote_text(uid, corpus)
    ('quote', True)
    """
    u = corpus.unit(unit) if isinstance(unit, str) else unit
    if u.consent != "quote":
        raise ConsentError(f"unit {u.unit_id} ({u.source}:{u.line}) has consent {u.consent!r}; "
                           "only 'quote' units may be quoted verbatim")
    chosen = [(int(s), int(e)) for s, e in (spans if spans is not None else u.spans)]
    if not all(any(us <= s and e <= ue for us, ue in u.spans) for s, e in chosen):
        raise ValueError(f"spans {chosen} are not inside unit {u.unit_id}'s spans")
    escape = next((s.escape for s in corpus.source_records if s.path == u.source), "none")
    shown = redact(span_text(corpus.source_text(u.source), chosen, escape), nlp=nlp).text
    return {"unit_id": u.unit_id, "shown": shown, "source": u.source,
            "spans": [list(s) for s in chosen], "consent": u.consent}


def figure_evidence(figure_id: str, kind: str, unit_ids: Iterable[str], corpus: Corpus, *,
                    text: str | None = None, **extra: Any) -> dict[str, Any]:
    """The evidence-block entry of one figure, with its value computed from the units.

    ``kind``: ``theme_speakers`` (distinct non-facilitator speakers), ``theme_units``,
    ``events`` or ``communities``. ``text`` is the phrase as printed ("12 people"); extra
    keyword arguments (``theme_id=...``) are stored as given.
    """
    if kind not in FIGURE_KINDS:
        raise ValueError(f"unknown figure kind {kind!r}; expected one of {sorted(FIGURE_KINDS)}")
    ids = _ids(unit_ids)
    units = [corpus.unit(u) for u in ids]
    community = {e.event_id: e.community for e in corpus.event_records}
    entry: dict[str, Any] = {"id": figure_id, "kind": kind, **extra,
                             "value": figure_value(FIGURE_KINDS[kind], units, community),
                             "unit_ids": ids}
    if text is not None:
        entry["text"] = text
    return entry


def evidence_block(corpus: Corpus, quotes: Iterable[dict[str, Any]] = (),
                   figures: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """The whole evidence block an export embeds (see ``docs/design/contracts.md``)."""
    from .. import __version__

    return {"listenlens_version": __version__, "input_hash": corpus.input_hash,
            "redaction": {"version": REDACTION_VERSION}, "quotes": list(quotes),
            "figures": list(figures)}


#: Columns of a table row that ``verify`` recomputes from the row's units (and how).
TABLE_DERIVED = {"n_units": "units", "n_speakers": "speakers", "n_events": "events",
                 "n_communities": "communities"}


def table_rows_evidence(frame: pd.DataFrame, key: str, members: Mapping[str, Iterable[str]], *,
                        denominator: Iterable[str] = (),
                        researcher_labels: Iterable[str] = ()) -> dict[str, Any]:
    """The evidence of a table's rows: for each row its key, the ids of the units behind it and
    every cell exactly as the CSV writer prints it (before formula neutralisation), so
    ``verify`` can check every cell and recompute the counts (:data:`TABLE_DERIVED`), ``share``
    (units over the ``denominator`` units), ``first_seen``/``last_seen`` and the wording of
    ``label`` and ``keywords``. ``researcher_labels``: keys whose label a researcher chose.
    """
    import csv
    import io

    text = frame.to_csv(index=False)
    rows = list(csv.reader(io.StringIO(text)))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    chosen = {str(k) for k in researcher_labels}
    out = []
    for cells in body:
        record = dict(zip(header, cells))
        k = record.get(key, "")
        entry: dict[str, Any] = {"key": k, "unit_ids": _ids(members.get(k, [])),
                                 "cells": record}
        if k in chosen:
            entry["label_by"] = "researcher"
        out.append(entry)
    return {"key": key, "columns": header, "denominator_ids": _ids(denominator), "rows": out}
