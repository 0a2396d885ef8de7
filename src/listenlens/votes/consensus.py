"""Consensus and division per statement: what most people agreed with, what split them.

The rules (the constants below; the briefing, ``verify`` and the guide use these and no
others):

- a statement with fewer than :data:`MIN_VOTES_FOR_CONSENSUS` votes that took a side (agree or
  disagree) gets the verdict ``too-few-votes``: it is never called consensus nor divisive;
- **with opinion groups** (participant votes exist): ``consensus`` when, in *every* group, at
  least :data:`MIN_GROUP_VOTES` votes took a side and at least :data:`CONSENSUS_AGREEMENT` of
  them agreed (group-informed consensus: a large group cannot outvote a small one);
  ``divisive`` when the groups' agreement differs by :data:`GROUP_SPREAD` or more, or the
  smaller side has :data:`DIVIDED_MINORITY` of all votes;
- **without groups** (counts only): ``consensus`` when at least :data:`CONSENSUS_AGREEMENT` of
  the votes that took a side agreed; ``divisive`` when the smaller side has at least
  :data:`DIVIDED_MINORITY` of them;
- otherwise ``rejected`` (at least :data:`CONSENSUS_AGREEMENT` disagreed) or ``mixed`` (only
  with groups: e.g. one group agrees, another has too few votes to judge).

Scores rank statements within a verdict. ``consensus_score`` is, as in Polis, the product over
groups of ``(agrees + 1) / (votes seen + 2)`` (one group when there are none);
``divisiveness`` is the spread of the groups' agreement, or without groups ``1 - |a - d| /
(a + d)`` (1: an even split).

>>> classify(48, 8)
'consensus'
>>> classify(30, 25), classify(5, 0)
('divisive', 'too-few-votes')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .matrix import VoteMatrix

__all__ = ["MIN_VOTES_FOR_CONSENSUS", "CONSENSUS_AGREEMENT", "DIVIDED_MINORITY",
           "GROUP_SPREAD", "MIN_GROUP_VOTES", "VERDICTS", "StatementVerdict", "classify",
           "statement_verdicts", "verdict_frame"]

#: A statement needs this many votes that took a side before it may be called consensus (or
#: divisive). Polis shows consensus from a handful of votes; 20 keeps a few early votes from
#: being reported as what "most people" think.
MIN_VOTES_FOR_CONSENSUS = 20
#: Share of votes that took a side which must agree (in every group, when there are groups).
#: With :data:`DIVIDED_MINORITY` it splits the range cleanly: without groups a statement is
#: either agreed (>= 65% agree), divided (the smaller side >= 35%) or rejected.
CONSENSUS_AGREEMENT = 0.65
#: Share the smaller side must reach for a statement to count as dividing people.
DIVIDED_MINORITY = 0.35
#: Difference in agreement between the most and least agreeing group that separates groups.
GROUP_SPREAD = 0.5
#: Votes that took a side each group needs before its agreement is judged.
MIN_GROUP_VOTES = 3
#: Verdicts in the order the briefing reports them.
VERDICTS = ("consensus", "divisive", "rejected", "mixed", "too-few-votes")


@dataclass(frozen=True, slots=True)
class StatementVerdict:
    """One statement's votes, verdict and scores (``group_agreement`` is per opinion group,
    ``None`` where a group cast too few votes; empty without groups)."""

    unit_id: str
    agrees: int
    disagrees: int
    passes: int | None
    agreement: float | None
    verdict: str
    consensus_score: float
    divisiveness: float
    basis: str
    group_agreement: tuple[float | None, ...] = ()


def classify(agrees: int, disagrees: int,
             group_sides: Sequence[tuple[int, int]] = ()) -> str:
    """The verdict of one statement (see the module docstring); ``group_sides`` are the
    ``(agrees, disagrees)`` of each opinion group, empty without groups."""
    sides = agrees + disagrees
    if sides < MIN_VOTES_FOR_CONSENSUS:
        return "too-few-votes"
    minority = min(agrees, disagrees) / sides
    if group_sides:
        judged = [a / (a + d) if a + d >= MIN_GROUP_VOTES else None for a, d in group_sides]
        if all(x is not None and x >= CONSENSUS_AGREEMENT for x in judged):
            return "consensus"
        known = [x for x in judged if x is not None]
        if (len(known) > 1 and max(known) - min(known) >= GROUP_SPREAD) or \
                minority >= DIVIDED_MINORITY:
            return "divisive"
    else:
        if agrees / sides >= CONSENSUS_AGREEMENT:
            return "consensus"
        if minority >= DIVIDED_MINORITY:
            return "divisive"
    return "rejected" if disagrees / sides >= CONSENSUS_AGREEMENT else "mixed"


def _group_counts(matrix: VoteMatrix, labels: np.ndarray, k: int) -> np.ndarray:
    """``(k, n_statements, 3)``: agrees, disagrees, passes of each group on each statement."""
    out = np.zeros((k, len(matrix.unit_ids), 3), dtype=int)
    for g in range(k):
        v = matrix.values[labels == g]
        out[g] = np.stack([(v == 1).sum(0), (v == -1).sum(0), (v == 0).sum(0)], axis=1)
    return out


def statement_verdicts(statements: pd.DataFrame, matrix: VoteMatrix | None = None,
                       labels: np.ndarray | None = None) -> tuple[StatementVerdict, ...]:
    """A :class:`StatementVerdict` per row of ``statements``
    (:func:`listenlens.votes.matrix.statement_counts`); group-informed when ``labels`` (one
    opinion group per participant of ``matrix``, ``-1`` none) are given."""
    by_group: dict[str, np.ndarray] = {}
    if matrix is not None and labels is not None and (labels >= 0).any():
        k = int(labels.max()) + 1
        counts = _group_counts(matrix, labels, k)
        by_group = {u: counts[:, j, :] for j, u in enumerate(matrix.unit_ids)}
    out = []
    for row in statements.itertuples(index=False):
        a, d = int(row.agrees), int(row.disagrees)
        p = None if pd.isna(row.passes) else int(row.passes)
        groups = by_group.get(row.unit_id)
        if groups is not None:
            sides = [(int(g[0]), int(g[1])) for g in groups]
            score = float(np.prod([(g[0] + 1) / (g.sum() + 2) for g in groups]))
            judged = tuple(ga / (ga + gd) if ga + gd >= MIN_GROUP_VOTES else None
                           for ga, gd in sides)
            known = [x for x in judged if x is not None]
            divisive = max(known) - min(known) if len(known) > 1 else 0.0
            basis = "groups"
        else:
            sides, judged = [], ()
            score = (a + 1) / (a + d + (p or 0) + 2)
            divisive = 1 - abs(a - d) / (a + d) if a + d else 0.0
            basis = "all voters"
        out.append(StatementVerdict(str(row.unit_id), a, d, p, a / (a + d) if a + d else None,
                                    classify(a, d, sides), round(score, 6), round(divisive, 6),
                                    basis, judged))
    return tuple(out)


def verdict_frame(verdicts: Sequence[StatementVerdict]) -> pd.DataFrame:
    """The verdicts as a DataFrame (one row per statement)."""
    cols = list(StatementVerdict.__dataclass_fields__)
    return pd.DataFrame([asdict(v) for v in verdicts], columns=cols)
