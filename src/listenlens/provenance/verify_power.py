"""Verify the briefing's power sentence: the minimum detectable change re-derives.

The evidence block's ``power`` (:func:`~listenlens.trends.power.power_evidence`) holds the
sentence as printed, the design it was computed on (``[event_id, group, period, people]`` per
event) and the simulation settings. :func:`check_power` re-derives from the block and the
corpus:

- the sentence is the one its figures give (:func:`~listenlens.trends.power.power_sentence`:
  events, periods, events per period, the MDC in points) and appears in the document;
- the design's events are the corpus's events, in their communities (when the groups are
  communities) and in the year stated (for yearly periods), and ``n_events`` / ``n_periods``
  count the design's rows and periods;
- the MDC recomputes from the design and the settings (the same seed gives the same number).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..corpus import Corpus
from ..spans import collapse_ws

__all__ = ["check_power"]


def _same(a: Any, b: Any) -> bool:
    na = a is None or (isinstance(a, float) and math.isnan(a))
    nb = b is None or (isinstance(b, float) and math.isnan(b))
    return na == nb and (na or abs(float(a) - float(b)) < 1e-4)


def _check_design(p: Mapping[str, Any], corpus: Corpus) -> list[str]:
    design = list(p.get("design") or [])
    out = []
    if int(p.get("n_events", -1)) != len(design):
        out.append(f"power: n_events {p.get('n_events')} but the design lists {len(design)} "
                   "events")
    if int(p.get("n_periods", -1)) != len({str(r[2]) for r in design}):
        out.append(f"power: n_periods {p.get('n_periods')} but the design has "
                   f"{len({str(r[2]) for r in design})} periods")
    events = {e.event_id: e for e in corpus.event_records}
    communities = {e.community for e in events.values()}
    by_community = {str(r[1]) for r in design} <= communities
    for event_id, group, period, _people in design:
        e = events.get(str(event_id))
        if e is None:
            out.append(f"power: design event {event_id!r} is not in the corpus")
        elif by_community and e.community != str(group):
            out.append(f"power: design event {event_id!r} is in {e.community!r}, not {group!r}")
        elif p.get("period") == "year" and str(e.date.year) != str(period):
            out.append(f"power: design event {event_id!r} was held in {e.date.year}, not "
                       f"{period}")
    return out


def check_power(block: Mapping[str, Any], corpus: Corpus, body: tuple[str, ...]) -> list[str]:
    """Mismatches of the block's power sentence and MDC (empty when it re-derives or is
    absent)."""
    from ..trends.power import power_sentence, recompute_power

    p = block.get("power")
    if not isinstance(p, Mapping) or not p:
        return []
    overall = {k: (float("nan") if k == "mdc" and v is None else v) for k, v in p.items()}
    expected = power_sentence({"period": p.get("period"), "overall": overall})
    out = []
    if p.get("sentence") != expected:
        out.append(f"power: the sentence {p.get('sentence')!r} does not follow from its "
                   f"figures ({expected!r})")
    if expected and not any(collapse_ws(expected) in collapse_ws(b) for b in body):
        out.append(f"power: the sentence {expected!r} is not in the document")
    out += _check_design(p, corpus)
    if out:
        return out
    again = recompute_power(p).mdc
    if not _same(again, p.get("mdc")):
        out.append(f"power: MDC {p.get('mdc')} does not recompute ({again})")
    return out
