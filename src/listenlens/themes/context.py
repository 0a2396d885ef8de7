"""Conversation context for theme discovery: what a unit was said in answer to.

Listening events are not bags of sentences. Talk comes in runs under a facilitator's prompt
("What's it like getting to appointments?"), people answer each other ("Same here, and the bus
is worse since ..."), typed notes sit under headings and sticky notes under a table's question.
A short turn is often only readable with what came before it. This module turns that structure
into vectors the clustering can use, through one documented function,
:func:`contextual_embeddings`:

    z_i = normalise(x_i + w_prev * x_prev(i) + w_prompt * x_prompt(i))

* ``prev(i)`` is the previous substantive participant turn of the same source file (facilitator
  talk and housekeeping are skipped; the first turn of a file has none);
* ``prompt(i)`` is what the unit answers: the most recent facilitator turn of the same source that
  is not meeting logistics (judged with the housekeeping detector's facilitator rule), or, where the reader recorded one, the unit's own ``context`` (a note's heading path, a
  survey's question, a sticky-note wall's table). Units with neither get no prompt term.

**Used only where the data shows it.** Context helps only when a corpus *has* conversational
structure; on a corpus of independent answers it would blur themes. So each weight is switched on
by a test on the corpus itself, before any clustering (:func:`structure_evidence`): adjacent
participant turns must be more alike than random pairs of substantive units *of the same event*
(which controls for a community's voice and an event's agenda), and units must be closer to their
own prompt than to the other prompts of their event. Each is a one-sided z-test on the mean
difference of cosine similarities; a weight is used when z >= ``min_z`` (default 3). The weight
itself is fixed (``0.5`` by default): the test decides *whether*, not how much, so nothing is fitted
to the answer. ``context="none"`` switches context off; ``context="auto"`` (default) applies the
tests; ``context="always"`` skips them. What was decided and why is recorded in the theme
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

from ..embeddings import l2_normalise
from ..validation import check_choice

__all__ = ["ContextLinks", "ContextDecision", "conversation_links", "structure_evidence",
           "contextual_embeddings", "decide_context", "same_event_pairs", "turn_similarities",
           "CONTEXT_MODES"]

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


def _ztest(linked: np.ndarray, baseline: np.ndarray) -> float | None:
    """One-sided z of mean(linked) > mean(baseline) (Welch standard error)."""
    if len(linked) < 10 or len(baseline) < 10:
        return None
    se = np.sqrt(linked.var(ddof=1) / len(linked) + baseline.var(ddof=1) / len(baseline))
    if se <= 0:
        return None
    return float((linked.mean() - baseline.mean()) / se)


def same_event_pairs(events: np.ndarray, rows: np.ndarray, rng: np.random.Generator,
                      n_pairs: int) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of distinct ``rows`` from the same event (the baseline of the tests)."""
    by_event: dict[Any, list[int]] = {}
    for r in rows.tolist():
        by_event.setdefault(events[r], []).append(r)
    groups = [np.array(g) for _, g in sorted(by_event.items(), key=lambda kv: str(kv[0]))
              if len(g) >= 3]
    if not groups:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sizes = np.array([len(g) for g in groups], dtype=float)
    pick = rng.choice(len(groups), size=n_pairs, p=sizes / sizes.sum())
    a = np.empty(n_pairs, dtype=np.int64)
    b = np.empty(n_pairs, dtype=np.int64)
    for j, g in enumerate(pick.tolist()):
        a[j], b[j] = rng.choice(groups[g], size=2, replace=False)
    return a, b


def turn_similarities(x: np.ndarray, links: ContextLinks, events: np.ndarray,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarities of every adjacent pair of turns, and of random pairs of turns of the
    same event (``max(2000, 2 x adjacent pairs)`` drawn with ``rng``): the two samples the
    previous-turn test compares and whose means set the segment threshold."""
    has = np.where(links.prev >= 0)[0]
    linked = np.einsum("ij,ij->i", x[has], x[links.prev[has]])
    rows = np.union1d(has, links.prev[has])
    a, b = same_event_pairs(events, rows, rng, max(2000, 2 * len(has)))
    return linked, np.einsum("ij,ij->i", x[a], x[b])


def structure_evidence(x: np.ndarray, links: ContextLinks, events: np.ndarray,
                       prompt_x: np.ndarray | None, seed: int = 0
                       ) -> tuple[float | None, float | None, int, int]:
    """z statistics that adjacent turns, and units and their prompts, are more alike than chance.

    Returns ``(z_prev, z_prompt, n_prev, n_prompt)``; a z is ``None`` when there are too few
    links to test (fewer than 10).
    """
    rng = np.random.default_rng(seed)
    has_prev = np.where(links.prev >= 0)[0]
    z_prev = None
    if len(has_prev):
        z_prev = _ztest(*turn_similarities(x, links, events, rng))
    has_prompt = np.where(links.prompt >= 0)[0]
    z_prompt = None
    if len(has_prompt) and prompt_x is not None and len(links.prompt_texts) > 1:
        own = np.einsum("ij,ij->i", x[has_prompt], prompt_x[links.prompt[has_prompt]])
        other = _other_prompt_similarities(x, prompt_x, links.prompt, events, has_prompt, rng)
        z_prompt = _ztest(own, other) if len(other) else None
    return z_prev, z_prompt, int(len(has_prev)), int(len(has_prompt))


def _other_prompt_similarities(x: np.ndarray, prompt_x: np.ndarray, prompt: np.ndarray,
                               events: np.ndarray, rows: np.ndarray, rng: np.random.Generator
                               ) -> np.ndarray:
    """The baseline of the prompt test: each unit of ``rows`` against another prompt answered
    in its event, drawn with ``rng`` (units whose event has one prompt only are left out)."""
    prompts_of: dict[Any, set[int]] = {}
    for r in rows.tolist():
        prompts_of.setdefault(events[r], set()).add(int(prompt[r]))
    choices: dict[tuple[Any, int], list[int]] = {}
    kept: list[int] = []
    drawn: list[int] = []
    for r in rows.tolist():
        key = (events[r], int(prompt[r]))
        if key not in choices:
            choices[key] = sorted(prompts_of[key[0]] - {key[1]})
        if choices[key]:
            kept.append(r)
            drawn.append(choices[key][int(rng.integers(len(choices[key])))])
    if not kept:
        return np.zeros(0, dtype=np.float32)
    return np.einsum("ij,ij->i", x[kept], prompt_x[drawn]).astype(np.float64)


def decide_context(mode: str, evidence: tuple[float | None, float | None, int, int], *,
                   weight: float = 0.5, min_z: float = 3.0) -> ContextDecision:
    """The weights to use under ``mode`` given :func:`structure_evidence`."""
    check_choice("context", mode, CONTEXT_MODES)
    z_prev, z_prompt, n_prev, n_prompt = evidence
    if mode == "none":
        return ContextDecision(mode, 0.0, 0.0, z_prev, z_prompt, n_prev, n_prompt,
                               "context switched off (context='none').")
    use_prev = n_prev > 0 and (mode == "always" or (z_prev is not None and z_prev >= min_z))
    use_prompt = n_prompt > 0 and (mode == "always"
                                   or (z_prompt is not None and z_prompt >= min_z))
    parts = []
    for name, used, z, n in (("previous turn", use_prev, z_prev, n_prev),
                             ("prompt", use_prompt, z_prompt, n_prompt)):
        shown = "untested" if z is None else f"z = {z:.1f}"
        parts.append(f"{name}: {'used' if used else 'not used'} ({n} links, {shown})")
    reason = ("; ".join(parts) + (f"; used where z >= {min_z:g}" if mode == "auto" else "")
              + ".")
    return ContextDecision(mode, weight if use_prev else 0.0, weight if use_prompt else 0.0,
                           z_prev, z_prompt, n_prev, n_prompt, reason)


def contextual_embeddings(x: np.ndarray, prev: np.ndarray, prompt: np.ndarray,
                          prompt_x: np.ndarray | None, *, w_prev: float, w_prompt: float
                          ) -> np.ndarray:
    """``normalise(x + w_prev * x[prev] + w_prompt * prompt_x[prompt])`` row by row (links of
    ``-1`` add nothing). Returns a new float32 array of unit-length rows."""
    z = np.array(x, dtype=np.float32, copy=True)
    if w_prev:
        has = prev >= 0
        z[has] += w_prev * x[prev[has]]
    if w_prompt and prompt_x is not None:
        has = prompt >= 0
        z[has] += w_prompt * prompt_x[prompt[has]]
    return l2_normalise(z)
