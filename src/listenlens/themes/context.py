"""Conversation context for theme discovery: what a unit was said in answer to.

Listening events are not bags of sentences. Talk comes in runs under a facilitator's prompt
("What's it like getting to appointments?"), people answer each other ("Same here, and the bus
is worse since ..."), typed notes sit under headings and sticky notes under a table's question.
A short turn is often only readable with what came before it. This module turns that structure
into vectors the clustering can use, through one documented function,
:func:`contextual_embeddings`:

    z_i = normalise(x_i + w_prev * x_prev(i) + w_prompt * x_prompt(i) + w_speaker * m_i)

* ``prev(i)`` is the previous substantive participant turn of the same source file (facilitator
  talk and housekeeping are skipped; the first turn of a file has none);
* ``prompt(i)`` is what the unit answers: the most recent facilitator turn of the same source that
  is not meeting logistics (judged with the housekeeping detector's facilitator rule), or, where the reader recorded one, the unit's own ``context`` (a note's heading path, a
  survey's question, a sticky-note wall's table). Units with neither get no prompt term.
* ``m_i`` is the mean of the other turns of unit ``i``'s speaker at its event, with its own
  test (:mod:`listenlens.themes.speakers`).

**Used only where the data shows it.** Context helps only when a corpus *has* conversational
structure; on a corpus of independent answers it would blur themes. So each weight is switched on
by a test on the corpus itself, before any clustering (:func:`structure_evidence`); a weight is
used when its one-sided z >= ``min_z`` (default 3).

* *Previous turn*: adjacent participant turns must be more alike than turns of the same event
  in random order (the event controls for a community's voice and an event's agenda). The
  baseline is exact, not sampled: if an event's turns came in random order, an adjacent pair
  would be, on average, as alike as the mean over *all* pairs of distinct turns of that event
  (the turns that have a previous turn or are one; events with at least three). That mean, and
  its variance, come from sums without enumerating pairs (:func:`pair_baseline`), so the cost
  stays linear in the units. Each adjacent pair is compared with its own event's mean (events
  weigh by their adjacent pairs), and ``z_prev`` is the one-sample z of the differences
  ``linked - expected``, its standard error from the adjacent pairs alone: the baseline is a
  known quantity of the corpus, not a second sample. ``z_prev`` is draw-free: the same data
  always give the same decision, whatever the seed. (Adjacent pairs that share a turn are not
  independent; the standard error ignores that, as the earlier sampled test did.)
* *Prompt*: units must be closer to their own prompt than to the other prompts answered in
  their event. The baseline is exact, not drawn: a unit ``r`` answering prompt ``p`` in event
  ``e`` is compared with the mean of ``x_r . x_q`` over *all* prompts ``q != p`` answered in
  ``e`` (units whose event has one prompt only are left out), computed per event from the sum of
  its prompt vectors (:func:`prompt_similarities`). ``z_prompt`` is the one-sample z of the
  paired differences ``own - expected``, its standard error from the differences alone (the
  baseline is a known quantity, as for the previous turn). It is draw-free too, so no decision
  depends on the seed. (Units answering one prompt are not independent; the standard error
  ignores that, as the earlier sampled test did.)

The weight itself is fixed (``0.5`` by default): the test decides *whether*, not how much, so
nothing is fitted to the answer. ``context="none"`` switches context off; ``context="auto"``
(default) applies the tests; ``context="always"`` skips them. What was decided and why is recorded in the theme
parameters (``params["context_used"]``) and so in the run manifest.

>>> import numpy as np
>>> x = np.eye(4, dtype=np.float32)[[0, 0, 1, 1]]
>>> z = contextual_embeddings(x, np.array([-1, 0, 1, 2]), np.array([-1, -1, -1, -1]),
...                           None, w_prev=0.5, w_prompt=0.0)
>>> [round(float(v), 3) for v in z[2]]   # the third unit leans towards the turn before it
[0.447, 0.894, 0.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..embeddings import l2_normalise
from ..validation import check_choice

__all__ = ["ContextLinks", "ContextDecision", "PairBaseline", "PromptSimilarities",
           "TurnSimilarities", "conversation_links", "structure_evidence",
           "contextual_embeddings", "decide_context", "pair_baseline", "prompt_similarities",
           "turn_similarities", "paired_z", "CONTEXT_MODES"]

#: Accepted values of the ``context`` parameter of theme discovery.
CONTEXT_MODES = ("auto", "always", "none")


@dataclass(frozen=True)
class ContextLinks:
    """Index links between units (``-1`` = none) and the prompt texts to embed.

    ``prev[i]``: row of the previous substantive participant turn of unit ``i``'s source;
    ``prompt[i]``: index into ``prompt_texts`` of the prompt unit ``i`` answers.
    """

    prev: np.ndarray
    prompt: np.ndarray
    prompt_texts: tuple[str, ...]


@dataclass(frozen=True)
class ContextDecision:
    """What context the fit used, and the evidence for it (recorded in the parameters)."""

    mode: str
    w_prev: float
    w_prompt: float
    z_prev: float | None
    z_prompt: float | None
    n_prev: int
    n_prompt: int
    reason: str
    w_speaker: float = 0.0
    z_speaker: float | None = None
    n_speaker: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def conversation_links(units: Sequence[Any], substantive: np.ndarray,
                       prompts: np.ndarray | None = None) -> ContextLinks:
    """Previous-turn and prompt links of every unit, from the units' own order and roles.

    ``units`` are records with ``source``, ``role`` and ``context`` in corpus order;
    ``substantive`` marks the units that are not housekeeping; ``prompts`` (default:
    ``substantive``) marks the facilitator turns that are prompts rather than meeting
    logistics. Facilitator talk is set aside from themes by default, but a facilitator's
    question still says what the talk after it is about.

    >>> from types import SimpleNamespace as U
    >>> us = [U(source="a", role="facilitator", context="", text="What about buses?"),
    ...       U(source="a", role="participant", context="", text="Late."),
    ...       U(source="a", role="participant", context="", text="Always late.")]
    >>> links = conversation_links(us, np.array([True, True, True]))
    >>> links.prev.tolist(), links.prompt.tolist(), links.prompt_texts
    ([-1, -1, 1], [-1, 0, 0], ('What about buses?',))
    """
    n = len(units)
    prev = np.full(n, -1, dtype=np.int64)
    prompt = np.full(n, -1, dtype=np.int64)
    texts: list[str] = []
    index: dict[str, int] = {}
    last_turn: dict[str, int] = {}
    last_prompt: dict[str, int] = {}

    def prompt_id(text: str) -> int:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
        return index[text]

    is_prompt = substantive if prompts is None else prompts
    for i, u in enumerate(units):
        src = u.source
        if u.role == "facilitator":
            if is_prompt[i]:
                last_prompt[src] = prompt_id(u.text)
            continue
        if not substantive[i]:
            continue
        prev[i] = last_turn.get(src, -1)
        last_turn[src] = i
        heading = (u.context or "").strip()
        if heading:
            prompt[i] = prompt_id(heading)
        elif src in last_prompt:
            prompt[i] = last_prompt[src]
    return ContextLinks(prev, prompt, tuple(texts))


@dataclass(frozen=True)
class PairBaseline:
    """Exact similarity of all pairs of distinct rows of each event (events sorted by name).

    ``mean[k]`` and ``var[k]``: mean and (population) variance of ``x_a . x_b`` over every pair
    ``a != b`` of the ``size[k]`` rows of event ``events[k]``.
    """

    events: tuple[Any, ...]
    size: np.ndarray
    mean: np.ndarray
    var: np.ndarray


#: Rows per block when summing an event's Gram matrix or taking row-wise dot products (bounds
#: the float64 copies held at once).
_BLOCK = 8192


def _all_pairs_moments(x: np.ndarray, rows: Sequence[int]) -> tuple[float, float]:
    """Mean and variance of ``x_a . x_b`` over all ordered pairs ``a != b`` of ``rows``,
    without enumerating pairs: ``sum_{a!=b} x_a.x_b = |sum x|^2 - sum |x|^2`` and
    ``sum_{a!=b} (x_a.x_b)^2 = ||X^T X||_F^2 - sum |x_a|^4``, with the smaller Gram matrix
    (``d x d``, summed over blocks of rows, or ``n x n``; both have the same Frobenius norm),
    in float64."""
    n, d = len(rows), x.shape[1]
    total, sq_sum, sq4_sum = np.zeros(d), 0.0, 0.0
    gram = np.zeros((d, d)) if n > d else None
    step = _BLOCK if n > d else n  # n <= d: one block holds the event
    for start in range(0, n, step):
        block = np.asarray(x[list(rows[start:start + step])], dtype=np.float64)
        sq = np.einsum("ij,ij->i", block, block)
        total += block.sum(axis=0)
        sq_sum += float(sq.sum())
        sq4_sum += float(np.square(sq).sum())
        if gram is None:
            gram = block @ block.T
        else:
            gram += block.T @ block
    pairs = n * (n - 1)
    mean = (float(total @ total) - sq_sum) / pairs
    second = (float(np.square(gram).sum()) - sq4_sum) / pairs
    return mean, max(second - mean * mean, 0.0)


def pair_baseline(x: np.ndarray, rows: np.ndarray, events: np.ndarray,
                  min_rows: int = 3) -> PairBaseline:
    """:class:`PairBaseline` of ``rows`` grouped by ``events`` (events with fewer than
    ``min_rows`` of them are left out). Cost: one pass over the rows and, per event, a Gram
    matrix of side ``min(n_e, d)``: linear in the number of rows, never quadratic in it."""
    by_event: dict[Any, list[int]] = {}
    for r in rows.tolist():
        by_event.setdefault(events[r], []).append(r)
    names, sizes, means, variances = [], [], [], []
    for name, group in sorted(by_event.items(), key=lambda kv: str(kv[0])):
        if len(group) < min_rows:
            continue
        mean, var = _all_pairs_moments(x, group)
        names.append(name)
        sizes.append(len(group))
        means.append(mean)
        variances.append(var)
    return PairBaseline(tuple(names), np.array(sizes, dtype=np.int64),
                        np.array(means, dtype=np.float64), np.array(variances, dtype=np.float64))


@dataclass(frozen=True)
class TurnSimilarities:
    """The adjacent pairs the previous-turn test uses and what each would be under the null.

    ``linked[j]``: cosine similarity of adjacent pair ``j`` (a turn and its previous turn);
    ``expected[j]`` and ``null_var[j]``: the mean and variance of the similarity of all pairs
    of turns of that pair's event (:func:`pair_baseline`), i.e. the pair's expected similarity
    and its variance if the turns of the event came in random order. Pairs of events with fewer
    than three turns (no baseline) are left out.
    """

    linked: np.ndarray
    expected: np.ndarray
    null_var: np.ndarray

    @property
    def baseline(self) -> float:
        """The matched baseline: event all-pairs means weighted by their adjacent pairs."""
        return float(self.expected.mean()) if len(self.expected) else float("nan")


def turn_similarities(x: np.ndarray, links: ContextLinks, events: np.ndarray
                      ) -> TurnSimilarities:
    """Cosine similarity of every adjacent pair of turns, with the exact matched baseline: the
    rows are the turns that have a previous turn or are one; an event's baseline is the mean
    over all pairs of its rows. No draw: the same data give the same numbers."""
    has = np.where(links.prev >= 0)[0]
    rows = np.union1d(has, links.prev[has])
    base = pair_baseline(x, rows, events)
    index = {e: k for k, e in enumerate(base.events)}
    k = np.array([index.get(events[i], -1) for i in has.tolist()], dtype=np.int64)
    has, k = has[k >= 0], k[k >= 0]
    linked = np.einsum("ij,ij->i", x[has], x[links.prev[has]]).astype(np.float64)
    return TurnSimilarities(linked, base.mean[k], base.var[k])


def paired_z(linked: np.ndarray, expected: np.ndarray) -> float | None:
    """One-sided z of mean(linked) > mean(expected) for paired values whose ``expected`` side is
    an exact baseline: the one-sample z of the differences (standard error from the differences;
    the expected values are constants, not a sample). ``None`` below 10 pairs or for SE 0."""
    if len(linked) < 10:
        return None
    diff = linked - expected
    se = float(diff.std(ddof=1)) / np.sqrt(len(diff))
    if se <= 0:
        return None
    return float(diff.mean() / se)


@dataclass(frozen=True)
class PromptSimilarities:
    """The units the prompt test uses, with their own-prompt similarity and its baseline.

    ``rows``: the units with a prompt whose event answers at least two prompts; ``own[j]``:
    ``x[rows[j]] . prompt_x[p]`` for the unit's own prompt ``p``; ``expected[j]``: the mean of
    ``x[rows[j]] . prompt_x[q]`` over every other prompt ``q != p`` answered in the unit's event
    (the exact expectation of the old draw of one other prompt).
    """

    rows: np.ndarray
    own: np.ndarray
    expected: np.ndarray


def _rowwise_dot(x: np.ndarray, rows: np.ndarray, vecs: np.ndarray, index: np.ndarray
                 ) -> np.ndarray:
    """``x[rows[j]] . vecs[index[j]]`` for every ``j``, in float64, in blocks of
    :data:`_BLOCK` rows (bounds the gathered copies)."""
    out = np.empty(len(rows), dtype=np.float64)
    for start in range(0, len(rows), _BLOCK):
        part = slice(start, start + _BLOCK)
        out[part] = np.einsum("ij,ij->i", np.asarray(x[rows[part]], dtype=np.float64),
                              np.asarray(vecs[index[part]], dtype=np.float64))
    return out


def prompt_similarities(x: np.ndarray, prompt_x: np.ndarray, prompt: np.ndarray,
                        events: np.ndarray) -> PromptSimilarities:
    """Every prompted unit's similarity to its own prompt and the exact other-prompt baseline.

    Per event ``e`` with ``k_e`` distinct prompts answered, ``S_e`` is the sum of those prompts'
    vectors; a unit answering ``p`` has baseline ``x . (S_e - prompt_x[p]) / (k_e - 1)``. No loop
    over units and no draw: the same data give the same numbers. Units of events with one
    prompt are left out.
    """
    rows = np.where(prompt >= 0)[0]
    ev, names = pd.factorize(events[rows], sort=False)
    ev = ev.astype(np.int64)
    p = prompt[rows].astype(np.int64)
    n_prompts = len(prompt_x)
    pairs = np.unique(ev * n_prompts + p)          # the (event, prompt) pairs answered
    pair_event = pairs // n_prompts
    k = np.bincount(pair_event, minlength=len(names))  # distinct prompts per event
    sums = np.zeros((len(names), prompt_x.shape[1]), dtype=np.float64)
    np.add.at(sums, pair_event, np.asarray(prompt_x[pairs % n_prompts], dtype=np.float64))
    keep = k[ev] >= 2
    rows, ev, p = rows[keep], ev[keep], p[keep]
    own = _rowwise_dot(x, rows, prompt_x, p)
    expected = (_rowwise_dot(x, rows, sums, ev) - own) / (k[ev] - 1)
    return PromptSimilarities(rows, own, expected)


def structure_evidence(x: np.ndarray, links: ContextLinks, events: np.ndarray,
                       prompt_x: np.ndarray | None, seed: int = 0
                       ) -> tuple[float | None, float | None, int, int]:
    """z statistics that adjacent turns, and units and their prompts, are more alike than chance.

    Returns ``(z_prev, z_prompt, n_prev, n_prompt)``; a z is ``None`` when there are too few
    links to test (fewer than 10). Both tests are draw-free (:func:`turn_similarities`,
    :func:`prompt_similarities`): ``seed`` is accepted for compatibility and changes nothing.
    """
    has_prev = np.where(links.prev >= 0)[0]
    z_prev = None
    if len(has_prev):
        sims = turn_similarities(x, links, events)
        z_prev = paired_z(sims.linked, sims.expected)
    has_prompt = np.where(links.prompt >= 0)[0]
    z_prompt = None
    if len(has_prompt) and prompt_x is not None and len(links.prompt_texts) > 1:
        ps = prompt_similarities(x, prompt_x, links.prompt, events)
        z_prompt = paired_z(ps.own, ps.expected)
    return z_prev, z_prompt, int(len(has_prev)), int(len(has_prompt))


def decide_context(mode: str, evidence: tuple[float | None, float | None, int, int], *,
                   weight: float = 0.5, min_z: float = 3.0,
                   speaker: tuple[float | None, int] | None = (None, 0)) -> ContextDecision:
    """The weights to use under ``mode`` given :func:`structure_evidence` and, for the speaker
    term, :func:`~listenlens.themes.speakers.speaker_evidence` (``(z, n)``; ``n = 0``: no
    unit has one; ``None``: the speaker term is switched off). ``mode="always"`` forces the
    previous-turn and prompt terms; the speaker term is used only where its test passes."""
    check_choice("context", mode, CONTEXT_MODES)
    z_prev, z_prompt, n_prev, n_prompt = evidence
    z_speaker, n_speaker = speaker if speaker is not None else (None, 0)
    if mode == "none":
        return ContextDecision(mode, 0.0, 0.0, z_prev, z_prompt, n_prev, n_prompt,
                               "context switched off (context='none').", 0.0, z_speaker,
                               n_speaker)
    terms = (("previous turn", z_prev, n_prev, "links"), ("prompt", z_prompt, n_prompt, "links"),
             ("speaker's other turns", z_speaker, n_speaker, "units"))
    used = [n > 0 and (mode == "always" or (z is not None and z >= min_z))
            for _, z, n, _ in terms[:2]]
    # the speaker term is always tested ("always" forces the conversation terms only)
    used.append(speaker is not None and n_speaker > 0 and z_speaker is not None
                and z_speaker >= min_z)
    parts = []
    for k, ((name, z, n, what), on) in enumerate(zip(terms, used)):
        if k == 2 and speaker is None:
            parts.append(f"{name}: switched off")
            continue
        shown = "untested" if z is None else f"z = {z:.1f}"
        parts.append(f"{name}: {'used' if on else 'not used'} ({n} {what}, {shown})")
    reason = ("; ".join(parts) + (f"; used where z >= {min_z:g}" if mode == "auto" else "")
              + ".")
    w_prev, w_prompt, w_speaker = (weight if on else 0.0 for on in used)
    return ContextDecision(mode, w_prev, w_prompt, z_prev, z_prompt, n_prev, n_prompt, reason,
                           w_speaker, z_speaker, n_speaker)


def contextual_embeddings(x: np.ndarray, prev: np.ndarray, prompt: np.ndarray,
                          prompt_x: np.ndarray | None, *, w_prev: float, w_prompt: float,
                          w_speaker: float = 0.0, speaker_x: np.ndarray | None = None,
                          speaker_has: np.ndarray | None = None) -> np.ndarray:
    """``normalise(x + w_prev * x[prev] + w_prompt * prompt_x[prompt] + w_speaker *
    speaker_x)`` row by row (links of ``-1`` add nothing; the speaker term only where
    ``speaker_has``, see :func:`~listenlens.themes.speakers.speaker_means`). Returns a new
    float32 array of unit-length rows."""
    z = np.array(x, dtype=np.float32, copy=True)
    if w_prev:
        has = prev >= 0
        z[has] += w_prev * x[prev[has]]
    if w_prompt and prompt_x is not None:
        has = prompt >= 0
        z[has] += w_prompt * prompt_x[prompt[has]]
    if w_speaker and speaker_x is not None and speaker_has is not None:
        z[speaker_has] += w_speaker * speaker_x[speaker_has]
    return l2_normalise(z)
