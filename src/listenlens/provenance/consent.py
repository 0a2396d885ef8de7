"""Consent enforcement: who may be quoted, withdrawing people or events, and staleness.

Consent levels, most open first (see :data:`listenlens.records.CONSENT_LEVELS`):

- ``quote``: verbatim quotes may appear in outputs, always after :func:`redact`;
- ``paraphrase``: counted and summarised, never quoted verbatim;
- ``aggregate``: counted only;
- ``withdrawn``: excluded from everything. Withdrawn speakers never become units at load time,
  and :func:`withdraw` removes a person or event from an already-loaded corpus.

Facilitators: their words are not community evidence. :func:`quotable` leaves them out unless
``include_facilitators=True``; :func:`quote_text` still quotes a facilitator whose consent is
``quote`` (consent is the rule; choosing evidence is a separate decision).

Staleness: a withdrawal is recorded in the corpus parameters, so it changes
``corpus.input_hash``. Anything built before it (a run manifest, an export's evidence block)
carries the old hash and :func:`is_stale` says so until it is re-run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..corpus import Corpus
from ..errors import ConsentError
from ..ids import normalise_label
from ..phrasing import plural
from ..records import Skip, Unit
from ..spans import blank_spans, span_text
from .redact import redact

__all__ = ["quotable", "quote_text", "withdraw", "withdrawal_log", "is_stale", "stale_reason",
           "WITHDRAWN"]

#: The skip reason of a withdrawn unit.
WITHDRAWN = "consent-withdrawn"


def quotable(units: pd.DataFrame, *, include_facilitators: bool = False) -> pd.Series:
    """Boolean mask of the units that may be quoted verbatim (after redaction).

    Only ``consent == "quote"``; facilitators are left out unless ``include_facilitators``.

    >>> corpus.units[quotable(corpus.units)].consent.unique().tolist()
    ['quote']
    """
    mask = units["consent"].eq("quote")
    if not include_facilitators:
        mask &= units["role"].ne("facilitator")
    return mask.rename("quotable")


def _source_escape(corpus: Corpus, path: str) -> str:
    for s in corpus.source_records:
        if s.path == path:
            return s.escape
    return "none"


def quote_text(unit: Unit | str, corpus: Corpus, *, nlp: Any = None) -> str:
    """The redacted verbatim text of a unit whose consent is ``quote``.

    The text is re-derived from the source (``span_text``) and then redacted; a unit with any
    other consent raises :class:`~listenlens.errors.ConsentError`.

    >>> quote_text(uid, corpus) == redact(corpus.unit(uid).text).text
    True
    """
    u = corpus.unit(unit) if isinstance(unit, str) else unit
    if u.consent != "quote":
        raise ConsentError(f"unit {u.unit_id} ({u.source}:{u.line}) has consent {u.consent!r}; "
                           "only 'quote' units may be quoted verbatim (summarise it instead)")
    text = span_text(corpus.source_text(u.source), u.spans, _source_escape(corpus, u.source))
    return redact(text, nlp=nlp).text


def withdraw(corpus: Corpus, *, speaker_id: str | None = None, event_id: str | None = None,
             speaker: str | None = None) -> Corpus:
    """A corpus without the units of a withdrawn person or event.

    Give ``speaker_id`` (one person at one event), ``speaker`` (a speaker label; with
    ``event_id`` only at that event, otherwise at *every* event where that label appears, erring
    on the side of withdrawal) or ``event_id`` alone (the whole event). Removed units become skips
    with reason ``consent-withdrawn``; their text is not kept anywhere: the characters they cover
    in the source texts are blanked (offsets of other units stay valid). The withdrawal is logged
    in ``corpus.params["withdrawals"]``, which changes ``corpus.input_hash``, so outputs built
    before it are stale (:func:`is_stale`).

    >>> after = withdraw(corpus, speaker="Maureen")
    >>> len(after) < len(corpus), "Maureen" in set(after.units.speaker)
    (True, False)
    """
    if speaker_id is None and event_id is None and speaker is None:
        raise TypeError("withdraw() needs speaker_id=, speaker= or event_id=")
    if speaker_id is not None and speaker is not None:
        raise TypeError("give speaker_id= or speaker=, not both")
    label = normalise_label(speaker) if speaker is not None else None

    def hit(u: Unit) -> bool:
        if event_id is not None and u.event_id != event_id:
            return False
        if speaker_id is not None:
            return u.speaker_id == speaker_id
        if label is not None:
            return normalise_label(u.speaker) == label
        return True

    gone = [u for u in corpus.unit_records if hit(u)]
    if not gone:
        who = speaker_id or speaker or ""
        raise ConsentError(f"nothing to withdraw: no units match speaker {who!r}"
                           + (f" at event {event_id!r}" if event_id else ""))
    what = ("speaker" if speaker_id or speaker else "event")
    skips = [Skip(source=u.source, line=u.line, reason=WITHDRAWN,
                  detail=f"{what} consent withdrawn after load; text not kept",
                  event_id=u.event_id) for u in gone]
    gone_ids = {u.unit_id for u in gone}
    staying = [u for u in corpus.unit_records if u.unit_id not in gone_ids]
    texts = dict(corpus.texts)
    by_source: dict[str, list[tuple[int, int]]] = {}
    for u in gone:
        by_source.setdefault(u.source, []).extend(u.spans)
    for path, spans in by_source.items():
        if path in texts:
            keep = [sp for u in staying if u.source == path for sp in u.spans]
            texts[path] = blank_spans(texts[path], spans, keep)
    entry = {"event_id": event_id or "", "speaker_id": speaker_id or "",
             "speaker_ids": sorted({u.speaker_id for u in gone if u.speaker_id}),
             "events": sorted({u.event_id for u in gone}), "n_units": len(gone)}
    # keys sorted, so the log reads back from a saved corpus (JSON, sorted keys) unchanged
    # and corpus.input_hash stays the same after save and open
    log = [*withdrawal_log(corpus), dict(sorted(entry.items()))]
    return Corpus(corpus.event_records, staying,
                  [*corpus.skip_records, *skips], corpus.source_records, texts=texts,
                  root=corpus.root, params={**corpus.params, "withdrawals": log})


def withdrawal_log(corpus: Corpus) -> list[dict[str, Any]]:
    """The withdrawals applied to this corpus since load, oldest first."""
    return [dict(e) for e in corpus.params.get("withdrawals", [])]


def _recorded_hash(record: Any) -> str | None:
    if isinstance(record, str):
        return record
    if isinstance(record, Mapping):
        return record.get("input_hash")
    return getattr(record, "input_hash", None)


def stale_reason(record: Any, corpus: Corpus) -> str | None:
    """Why an output is stale against ``corpus``, or ``None`` when it is current.

    ``record`` is a :class:`~listenlens.provenance.RunManifest`, an evidence block (a mapping
    with ``input_hash``), or the input hash itself.
    """
    recorded = _recorded_hash(record)
    if recorded is None:
        return "no input hash recorded: cannot tell what it was built from"
    if recorded != corpus.input_hash:
        n = len(withdrawal_log(corpus))
        why = f" ({plural(n, 'withdrawal')} since load)" if n else ""
        return (f"built from input {recorded}, but the corpus is now {corpus.input_hash}{why}; "
                "re-run the analysis")
    return None


def is_stale(record: Any, corpus: Corpus) -> bool:
    """Whether an output (manifest, evidence block or input hash) predates the corpus as it is.

    >>> is_stale(manifest, corpus), is_stale(manifest, withdraw(corpus, speaker="Maureen"))
    (False, True)
    """
    return stale_reason(record, corpus) is not None
