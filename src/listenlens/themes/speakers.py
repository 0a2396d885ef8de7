"""Speaker context for theme discovery: what else the same person said at the same event.

People come to a listening event with their issue, and come back to it: the parent whose child
waited three days for a GP raises the surgery again when the talk turns to buses. A short or
oblique turn ("and it's the same with the pharmacy") is easier to place next to what its speaker
said elsewhere in the meeting. This module gives each unit that evidence as one more term of the
vector the clustering sees (:func:`listenlens.themes.context.contextual_embeddings`):

    z_i = normalise(x_i + w_prev x_prev(i) + w_prompt x_prompt(i) + w_speaker m_i)

where ``m_i`` is the mean of the vectors of the *other* substantive turns of unit ``i``'s speaker
at unit ``i``'s event (leave-one-out, so a unit never leans on itself; :func:`speaker_means`).

* A **speaker** is one speaker label (its pseudonym, ``speaker_id``, or the label as written) at
  one event. Facilitators, housekeeping and units without a speaker (survey answers, unsigned
  sticky notes) get no speaker term. An event whose speaker-labelled units all carry the *same*
  label gets none either: one label for everyone ("Customer", "Participant") names no person.
* **Used only where the data shows it**, like the other context terms: a unit must be more alike
  its speaker's other turns than the turns of its event are to each other, on average
  (:func:`speaker_evidence`). The baseline is exact (the event's mean over all pairs of its
  speaker-labelled units, :func:`~listenlens.themes.context.pair_baseline`), so the test is
  draw-free; the statistic is the one-sample z of ``x_i . m_i - baseline(event)`` over the
  units that have a speaker term (:func:`~listenlens.themes.context.paired_z`), and the term is
  used when it reaches the same ``min_z`` (3). Where speakers take turns at random with respect
  to what is said (a structure-free corpus) the test fails and the vectors are unchanged.

The weight is fixed (0.5, as for the other terms). The cost is linear in the units: one sum per
speaker and one Gram matrix per event.

>>> import numpy as np
>>> from types import SimpleNamespace as U
>>> us = [U(event_id="e", speaker_id="a", speaker="A", role="participant"),
...       U(event_id="e", speaker_id="b", speaker="B", role="participant"),
...       U(event_id="e", speaker_id="a", speaker="A", role="participant")]
>>> groups = speaker_groups(us, np.array([True, True, True]))
>>> groups.tolist()
[0, 1, 0]
>>> m, has = speaker_means(np.eye(3, dtype=np.float32), groups)
>>> has.tolist(), m[0].tolist()
([True, False, True], [0.0, 0.0, 1.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..embeddings import l2_normalise
from .context import pair_baseline, paired_z

__all__ = ["SpeakerSimilarities", "speaker_groups", "speaker_means", "speaker_similarities",
           "speaker_evidence", "with_speakers"]


def _label(unit: Any) -> str:
    return str(getattr(unit, "speaker_id", "") or getattr(unit, "speaker", "") or "").strip()


def speaker_groups(units: Sequence[Any], substantive: np.ndarray) -> np.ndarray:
    """Each unit's speaker group (one per speaker label per event, numbered in order of first
    appearance), ``-1`` for facilitators, housekeeping (``substantive`` false), units with no
    speaker label and units of an event whose labelled units all share one label."""
    keys: list[tuple[str, str] | None] = []
    labels_of: dict[str, set[str]] = {}
    for unit, keep in zip(units, substantive.tolist()):
        label = _label(unit)
        if not keep or not label or getattr(unit, "role", "") == "facilitator":
            keys.append(None)
            continue
        keys.append((str(unit.event_id), label))
        labels_of.setdefault(str(unit.event_id), set()).add(label)
    groups = np.full(len(keys), -1, dtype=np.int64)
    index: dict[tuple[str, str], int] = {}
    for i, key in enumerate(keys):
        if key is not None and len(labels_of[key[0]]) > 1:
            groups[i] = index.setdefault(key, len(index))
    return groups


def speaker_means(x: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(m, has)``: ``m[i]`` the mean of ``x`` over the other members of unit ``i``'s group
    (zeros where there is none), ``has[i]`` whether unit ``i``'s group has another member."""
    m = np.zeros((len(groups), x.shape[1]), dtype=np.float32)
    member = groups >= 0
    if not member.any():
        return m, np.zeros(len(groups), dtype=bool)
    n_groups = int(groups.max()) + 1
    sizes = np.bincount(groups[member], minlength=n_groups)
    totals = np.zeros((n_groups, x.shape[1]), dtype=np.float64)
    np.add.at(totals, groups[member], np.asarray(x[member], dtype=np.float64))
    has = member.copy()
    has[member] = sizes[groups[member]] >= 2
    rows = np.where(has)[0]
    own = np.asarray(x[rows], dtype=np.float64)
    m[rows] = ((totals[groups[rows]] - own) / (sizes[groups[rows]] - 1)[:, None]).astype(np.float32)
    return m, has


@dataclass(frozen=True)
class SpeakerSimilarities:
    """The units the speaker test uses: ``rows``; ``own[j]``: ``x[rows[j]] . m[rows[j]]`` (the
    unit against its speaker's other turns); ``expected[j]``: the mean similarity of all pairs
    of speaker-labelled units of the unit's event (what ``own`` would be on average if speakers
    took their turns at random)."""

    rows: np.ndarray
    own: np.ndarray
    expected: np.ndarray


def speaker_similarities(x: np.ndarray, groups: np.ndarray, events: np.ndarray,
                         means: tuple[np.ndarray, np.ndarray] | None = None
                         ) -> SpeakerSimilarities:
    """:class:`SpeakerSimilarities` of ``x`` (events with fewer than three speaker-labelled
    units are left out); ``means``: :func:`speaker_means` of ``x`` when the caller has it."""
    m, has = speaker_means(x, groups) if means is None else means
    base = pair_baseline(x, np.where(groups >= 0)[0], events)
    index = {e: k for k, e in enumerate(base.events)}
    rows = np.array([i for i in np.where(has)[0].tolist() if events[i] in index], dtype=np.int64)
    expected = np.array([base.mean[index[events[i]]] for i in rows.tolist()], dtype=np.float64)
    own = (np.einsum("ij,ij->i", np.asarray(x[rows], dtype=np.float64),
                     np.asarray(m[rows], dtype=np.float64))
           if len(rows) else np.zeros(0, dtype=np.float64))
    return SpeakerSimilarities(rows, own, expected)


def speaker_evidence(x: np.ndarray, groups: np.ndarray, events: np.ndarray,
                     means: tuple[np.ndarray, np.ndarray] | None = None
                     ) -> tuple[float | None, int]:
    """``(z_speaker, n)``: the one-sample z that units are more alike their speaker's other
    turns than their event's turns are to each other, over the ``n`` units that have a speaker
    term (``None`` under 10 of them). Draw-free. ``means`` as for
    :func:`speaker_similarities`."""
    sims = speaker_similarities(x, groups, events, means)
    return paired_z(sims.own, sims.expected), int(len(sims.rows))


def with_speakers(z: np.ndarray, weight: float, speaker_x: np.ndarray | None,
                  has: np.ndarray | None) -> np.ndarray:
    """``z`` (unit-length vectors with their other context already in, as the segment window
    gives them) with the speaker term added at ``weight`` where ``has`` and normalised again;
    ``z`` itself when ``weight`` is 0 or there is no term."""
    if not weight or speaker_x is None or has is None or not has.any():
        return z
    out = np.array(z, dtype=np.float32, copy=True)
    out[has] += weight * speaker_x[has]
    return l2_normalise(out)
