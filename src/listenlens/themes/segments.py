"""Topical stretches of talk: segment each conversation, then give every turn its stretch.

Under one facilitator prompt, talk drifts: three people on the bus, then one on the cost of the
fare, then back to the bus. The previous-turn context of :mod:`listenlens.themes.context` adds
one neighbour to each turn, whether or not it is on the same concern. A *segment* is a run of
consecutive substantive turns of one source under one prompt that stay on one subject; each
turn then leans towards the rest of its segment instead of towards whatever came just before:

    z_i = normalise(x_i + w_seg * m_seg(i) + w_prompt * x_prompt(i))

where ``m_seg(i)`` is the unit-length mean of the *other* turns of ``i``'s segment (nothing for a
segment of one turn: a turn that changed the subject keeps only its own meaning and its prompt).

**Change points.** Turns are read in order. A turn continues the open segment of its source when
its previous substantive turn is the segment's last turn, both answer the same prompt, and its
cosine similarity to the segment's mean is at least ``threshold``; otherwise it opens a new
segment. The threshold is set by the corpus, not fitted to any answer: the midpoint between
the mean similarity of adjacent turns and the mean similarity they would have if each event's
turns came in random order -- each adjacent pair's event's mean over *all* pairs of its turns,
computed exactly, not sampled (:func:`segment_threshold`). A turn that is more like its stretch
than like a random turn of the evening stays; one that is not starts a new stretch. The same
data always give the same threshold.

**Used only where the data shows it.** The fit segments only when the previous-turn structure
test of :mod:`listenlens.themes.context` passes (``z >= 3``); on a corpus of independent answers
no context is added at all, as before. ``context_window="segment"`` asks for segments;
``context_window="turn"`` (the default) keeps the previous-turn context. Units added later by
an update (:mod:`listenlens.themes.update`) are placed in the window the fit used: with
segments found at the fit's recorded threshold when it segmented, with the previous turn
otherwise, at the fit's weights. :func:`segment_context` does the whole step (segments,
vectors and their record) for both.

>>> import numpy as np
>>> from listenlens.themes.context import ContextLinks
>>> x = np.eye(3, dtype=np.float32)[[0, 0, 0, 1, 1]]
>>> links = ContextLinks(np.array([-1, 0, 1, 2, 3]), np.array([0, 0, 0, 0, 0]), ("q",))
>>> find_segments(x, links, threshold=0.5).tolist()
[0, 0, 0, 1, 1]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..embeddings import l2_normalise
from .context import ContextLinks, turn_similarities

__all__ = ["SegmentInfo", "segment_threshold", "find_segments", "segment_means",
           "segment_vectors", "segment_context", "CONTEXT_WINDOWS"]

#: Accepted values of the ``context_window`` parameter of theme discovery.
CONTEXT_WINDOWS = ("segment", "turn")


@dataclass(frozen=True)
class SegmentInfo:
    """What segmentation did, for the record: the threshold, the number of segments of two
    turns or more, and how many units sit in them."""

    threshold: float
    n_segments: int
    n_units: int

    def as_dict(self) -> dict[str, Any]:
        return {"segment_threshold": round(self.threshold, 4),
                "n_segments": self.n_segments, "n_segmented_units": self.n_units}


def segment_threshold(x: np.ndarray, links: ContextLinks, events: np.ndarray,
                      seed: int = 0) -> float | None:
    """Midpoint of the mean cosine similarity of adjacent turns and of the exact matched
    baseline (each adjacent pair's event's mean over all pairs of its turns, weighted by the
    event's adjacent pairs: :func:`~listenlens.themes.context.turn_similarities`); ``None``
    when there are fewer than 10 adjacent pairs with a baseline. Draw-free: ``seed`` is
    accepted for compatibility and changes nothing."""
    sims = turn_similarities(x, links, events)
    if len(sims.linked) < 10:
        return None
    return 0.5 * (float(sims.linked.mean()) + sims.baseline)


def find_segments(x: np.ndarray, links: ContextLinks, threshold: float) -> np.ndarray:
    """Segment id of every unit with a previous-turn or prompt link, or that is some unit's
    previous turn (``-1`` for the others); ids number segments in order of their first turn."""
    n = len(x)
    seg = np.full(n, -1, dtype=np.int64)
    linked = np.zeros(n, dtype=bool)
    linked[links.prev[links.prev >= 0]] = True
    linked |= (links.prev >= 0) | (links.prompt >= 0)
    last = np.full(n, -1, dtype=np.int64)  # last turn of each segment
    sums: list[np.ndarray] = []
    for i in np.where(linked)[0].tolist():
        p = int(links.prev[i])
        s = int(seg[p]) if p >= 0 else -1
        if (s >= 0 and last[s] == p and links.prompt[i] == links.prompt[p]
                and float(x[i] @ _unit(sums[s])) >= threshold):
            seg[i] = s
            sums[s] = sums[s] + x[i]
        else:
            s = len(sums)
            seg[i] = s
            sums.append(np.asarray(x[i], dtype=np.float64))
        last[s] = i
    return seg


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def segment_means(x: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Row ``i``: the unit-length mean of the other members of ``i``'s segment (zeros for
    units alone in their segment or in none)."""
    out = np.zeros_like(x, dtype=np.float32)
    member = np.where(seg >= 0)[0]
    if not len(member):
        return out
    n_seg = int(seg.max()) + 1
    sums = np.zeros((n_seg, x.shape[1]), dtype=np.float64)
    np.add.at(sums, seg[member], x[member])
    sizes = np.bincount(seg[member], minlength=n_seg)
    shared = member[sizes[seg[member]] > 1]
    others = sums[seg[shared]] - x[shared]
    out[shared] = l2_normalise(others.astype(np.float32))
    return out


def segment_vectors(x: np.ndarray, seg: np.ndarray, prompt: np.ndarray,
                    prompt_x: np.ndarray | None, *, w_seg: float, w_prompt: float) -> np.ndarray:
    """``normalise(x + w_seg * segment_means + w_prompt * prompt_x[prompt])`` for segments
    ``seg`` already found (:func:`find_segments`)."""
    z = np.array(x, dtype=np.float32, copy=True)
    if w_seg:
        z += w_seg * segment_means(x, seg)
    if w_prompt and prompt_x is not None:
        has = prompt >= 0
        z[has] += w_prompt * prompt_x[prompt[has]]
    return l2_normalise(z)


def _shared(seg: np.ndarray) -> tuple[int, int]:
    """Segments of two turns or more, and the units in them."""
    member = seg[seg >= 0]
    sizes = np.bincount(member) if len(member) else np.zeros(0, dtype=np.int64)
    return int((sizes > 1).sum()), int(sizes[sizes > 1].sum())


def segment_context(x: np.ndarray, links: ContextLinks, prompt_x: np.ndarray | None, *,
                    threshold: float, w_seg: float, w_prompt: float
                    ) -> tuple[np.ndarray, SegmentInfo]:
    """Segment the turns at ``threshold`` (:func:`find_segments`) and return their vectors
    with segment and prompt context (see the module docstring) and the segmentation's record,
    its threshold included. A fit passes the threshold :func:`segment_threshold` gives on its
    corpus; an update passes the one the fit recorded."""
    seg = find_segments(x, links, threshold)
    return (segment_vectors(x, seg, links.prompt, prompt_x, w_seg=w_seg, w_prompt=w_prompt),
            SegmentInfo(float(threshold), *_shared(seg)))
