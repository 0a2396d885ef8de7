"""The vote data of a corpus: per-statement counts, and the participant vote matrix when present.

Two levels of evidence, and the code always says which one it used:

- **counts** (every Polis ``comments.csv``): how many agreed and disagreed with each statement
  (``passes`` when the export has them), kept on each ``comment`` unit
  (:func:`listenlens.ingest.polis.statement_votes`);
- **matrix** (a ``participants-votes.csv`` beside ``comments.csv``): who voted what on each
  statement. Then the counts are counted from the matrix (passes included), intervals can
  resample people, and opinion groups can be found.

>>> m = VoteMatrix(("p1", "p2"), ("u-1", "u-2"), np.array([[1.0, -1.0], [np.nan, 0.0]]))
>>> m.counts().tolist()
[[1, 0, 0], [0, 1, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..ingest.polis import PARTICIPANT_VOTES_FILE, read_participant_votes, statement_votes

__all__ = ["VoteMatrix", "find_vote_matrix", "statement_counts", "STATEMENT_COLUMNS"]

#: Columns of :func:`statement_counts`.
STATEMENT_COLUMNS = ("unit_id", "event_id", "comment_id", "author", "agrees", "disagrees",
                     "passes", "votes", "evidence")


@dataclass(frozen=True)
class VoteMatrix:
    """Who voted what: ``values[i, j]`` is participant ``i``'s vote on unit ``j`` (``1`` agree,
    ``-1`` disagree, ``0`` pass, ``nan`` not voted).

    ``files`` are the ``(path, sha256)`` of the files read; ``unmatched`` the statement ids of
    the files that are no unit of the corpus (statements the moderator hid, or without text):
    their votes are not used, and they are listed here rather than dropped silently.
    """

    participants: tuple[str, ...]
    unit_ids: tuple[str, ...]
    values: np.ndarray = field(repr=False)
    files: tuple[tuple[str, str], ...] = ()
    unmatched: tuple[str, ...] = ()

    def counts(self) -> np.ndarray:
        """``(n_statements, 3)`` integer array: agrees, disagrees, passes per unit."""
        v = self.values
        return np.stack([(v == 1).sum(0), (v == -1).sum(0), (v == 0).sum(0)], axis=1).astype(int)

    def columns(self, unit_ids: Sequence[str]) -> np.ndarray:
        """Column indices of these units (units not in the matrix are left out)."""
        where = {u: j for j, u in enumerate(self.unit_ids)}
        return np.array([where[u] for u in unit_ids if u in where], dtype=int)

    def to_frame(self) -> pd.DataFrame:
        """One row per vote cast: participant, unit_id, vote."""
        i, j = np.nonzero(~np.isnan(self.values))
        return pd.DataFrame({"participant": [self.participants[k] for k in i],
                             "unit_id": [self.unit_ids[k] for k in j],
                             "vote": self.values[i, j].astype(int)})


def _source_matrix(corpus: Any, source: Any) -> tuple[VoteMatrix, list[str]] | None:
    """The matrix beside one Polis source, with its columns mapped to the source's units."""
    if not getattr(corpus, "root", None):
        return None
    path = Path(corpus.root) / Path(source.path).parent / PARTICIPANT_VOTES_FILE
    if not path.is_file():
        return None
    shown = str(Path(source.path).parent / PARTICIPANT_VOTES_FILE)
    table = read_participant_votes(path, shown)
    by_comment = {}
    for u in corpus.unit_records:
        sv = statement_votes(u) if u.source == source.path else None
        if sv is not None:
            by_comment[sv.comment_id] = u.unit_id
    keep = [j for j, c in enumerate(table.comment_ids) if c in by_comment]
    unmatched = [f"{shown}:{c}" for c in table.comment_ids if c not in by_comment]
    people = tuple(f"{source.event_id}:{p}" for p in table.participants)
    matrix = VoteMatrix(people, tuple(by_comment[table.comment_ids[j]] for j in keep),
                        table.values[:, keep], ((shown, table.sha256),), tuple(unmatched))
    return matrix, unmatched


def find_vote_matrix(corpus: Any) -> VoteMatrix | None:
    """The participant vote matrix of every Polis source that has a
    ``participants-votes.csv`` beside it, or ``None`` when none has (counts only).

    Several conversations are stacked: their participants are different people (ids are
    prefixed with the event id) and nobody has a vote on another conversation's statements.
    """
    parts = [m for s in corpus.source_records if s.format == "polis"
             if (m := _source_matrix(corpus, s)) is not None]
    if not parts:
        return None
    people = tuple(p for m, _ in parts for p in m.participants)
    units = tuple(u for m, _ in parts for u in m.unit_ids)
    values = np.full((len(people), len(units)), np.nan)
    r = c = 0
    for m, _ in parts:
        values[r:r + len(m.participants), c:c + len(m.unit_ids)] = m.values
        r, c = r + len(m.participants), c + len(m.unit_ids)
    return VoteMatrix(people, units, values, tuple(f for m, _ in parts for f in m.files),
                      tuple(x for _, un in parts for x in un))


def statement_counts(corpus: Any, matrix: VoteMatrix | None = None) -> pd.DataFrame:
    """One row per Polis statement of the corpus (see :data:`STATEMENT_COLUMNS`).

    ``evidence`` is ``"matrix"`` when the counts come from the participant vote matrix (passes
    included), ``"counts"`` when from ``comments.csv`` (``passes`` is then missing unless the
    export has them). ``votes`` is every vote cast (agrees + disagrees + passes when known).
    """
    from_matrix: dict[str, tuple[int, int, int]] = {}
    if matrix is not None:
        for uid, row in zip(matrix.unit_ids, matrix.counts()):
            from_matrix[uid] = (int(row[0]), int(row[1]), int(row[2]))
    rows = []
    for u in corpus.unit_records:
        sv = statement_votes(u)
        if sv is None:
            continue
        if u.unit_id in from_matrix:
            a, d, p = from_matrix[u.unit_id]
            ev: str = "matrix"
        else:
            a, d, p, ev = sv.agrees, sv.disagrees, sv.passes, "counts"
        rows.append({"unit_id": u.unit_id, "event_id": u.event_id, "comment_id": sv.comment_id,
                     "author": u.speaker_id, "agrees": a, "disagrees": d,
                     "passes": pd.NA if p is None else p,
                     "votes": a + d + (p or 0), "evidence": ev})
    frame = pd.DataFrame(rows, columns=list(STATEMENT_COLUMNS))
    frame["passes"] = frame["passes"].astype("Int64")
    return frame
