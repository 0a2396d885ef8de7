"""Votes per theme, in one call: counts, agreement with intervals, opinion groups, verdicts.

:class:`VoteAnalysis` reads the votes of a corpus (:mod:`listenlens.votes.matrix`), finds
opinion groups when participant votes exist (:mod:`listenlens.votes.groups`), judges every
statement (:mod:`listenlens.votes.consensus`) and sums them up per theme
(:mod:`listenlens.votes.agreement`).

>>> va = VoteAnalysis(seed=0).fit(corpus, theme_of)           # doctest: +SKIP
>>> va.to_frame()[["theme_id", "votes", "agreement", "n_consensus"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from ..errors import AnalysisError, NotFittedError
from .agreement import N_BOOT, ThemeAgreement, theme_agreement
from .consensus import StatementVerdict, statement_verdicts, verdict_frame
from .groups import OpinionGroups
from .matrix import VoteMatrix, find_vote_matrix, statement_counts

__all__ = ["VoteAnalysis", "ThemeVotes", "has_votes"]


def has_votes(corpus: Any) -> bool:
    """Whether any unit of the corpus carries Polis vote counts."""
    from ..ingest.polis import statement_votes

    return any(statement_votes(u) is not None for u in corpus.unit_records)


@dataclass(frozen=True, slots=True)
class ThemeVotes:
    """One theme's votes: its :class:`~listenlens.votes.agreement.ThemeAgreement`, how many
    statements were consensus and divisive, and those statements' unit ids, best first."""

    agreement: ThemeAgreement
    n_consensus: int
    n_divisive: int
    consensus_ids: tuple[str, ...]
    divisive_ids: tuple[str, ...]

    @property
    def theme_id(self) -> str:
        return self.agreement.theme_id

    def row(self) -> dict[str, Any]:
        """A flat dict (the DataFrame row)."""
        return {**asdict(self.agreement), "n_consensus": self.n_consensus,
                "n_divisive": self.n_divisive, "consensus_ids": list(self.consensus_ids),
                "divisive_ids": list(self.divisive_ids)}


class VoteAnalysis:
    """Votes as evidence, per statement and per theme.

    ``matrix="auto"`` reads a ``participants-votes.csv`` found beside a Polis source; ``None``
    uses the counts of ``comments.csv`` only. ``groups=True`` finds opinion groups when the
    matrix exists. Learned: ``matrix_``, ``statements_`` (counts), ``verdicts_``, ``themes_``,
    ``groups_`` (an :class:`OpinionGroups` or ``None``), ``groups_note_`` (why there are none).
    """

    def __init__(self, *, seed: int = 0, n_boot: int = N_BOOT, groups: bool = True,
                 matrix: VoteMatrix | str | None = "auto"):
        self.seed = seed
        self.n_boot = n_boot
        self.groups = groups
        self.matrix = matrix

    def fit(self, corpus: Any, theme_of: Mapping[str, str],
            theme_ids: Sequence[str] | None = None) -> VoteAnalysis:
        """Analyse the votes of ``corpus``; ``theme_of`` maps unit id -> theme id."""
        matrix = find_vote_matrix(corpus) if self.matrix == "auto" else self.matrix
        if matrix is not None and not isinstance(matrix, VoteMatrix):
            raise ValueError(f"matrix must be 'auto', None or a VoteMatrix, not {matrix!r}")
        self.matrix_ = matrix
        self.statements_ = statement_counts(corpus, matrix)
        self.groups_: OpinionGroups | None = None
        self.groups_note_ = ""
        labels = None
        if matrix is None:
            self.groups_note_ = ("no participant votes (participants-votes.csv) were found, "
                                 "so opinion groups cannot be found")
        elif self.groups:
            try:
                self.groups_ = OpinionGroups(seed=self.seed).fit(matrix)
                labels = self.groups_.labels_
            except AnalysisError as exc:
                self.groups_note_ = str(exc)
        self.verdicts_ = statement_verdicts(self.statements_, matrix, labels)
        agreement = theme_agreement(self.statements_, theme_of, matrix, theme_ids=theme_ids,
                                    n_boot=self.n_boot, seed=self.seed)
        self.themes_ = tuple(self._theme(a, theme_of) for a in agreement)
        return self

    def _theme(self, agreement: ThemeAgreement, theme_of: Mapping[str, str]) -> ThemeVotes:
        mine = [v for v in self.verdicts_ if theme_of.get(v.unit_id) == agreement.theme_id]
        cons = sorted((v for v in mine if v.verdict == "consensus"),
                      key=lambda v: (-v.consensus_score, -(v.agrees + v.disagrees), v.unit_id))
        div = sorted((v for v in mine if v.verdict == "divisive"),
                     key=lambda v: (-v.divisiveness, -(v.agrees + v.disagrees), v.unit_id))
        return ThemeVotes(agreement, len(cons), len(div), tuple(v.unit_id for v in cons),
                          tuple(v.unit_id for v in div))

    def _check(self) -> None:
        if not hasattr(self, "themes_"):
            raise NotFittedError("VoteAnalysis is not fitted yet: call .fit(corpus, theme_of)")

    def verdict(self, unit_id: str) -> StatementVerdict:
        """The verdict of one statement."""
        self._check()
        for v in self.verdicts_:
            if v.unit_id == unit_id:
                return v
        raise KeyError(unit_id)

    @property
    def interval_method(self) -> str:
        """The interval method most themes used (``participant-bootstrap`` with a matrix)."""
        self._check()
        methods = pd.Series([t.agreement.method for t in self.themes_])
        return str(methods.mode().iloc[0]) if len(methods) else "none"

    def to_frame(self) -> pd.DataFrame:
        """One row per theme (the fields of :class:`ThemeVotes`)."""
        self._check()
        return pd.DataFrame([t.row() for t in self.themes_])

    def statements_frame(self) -> pd.DataFrame:
        """One row per statement: its counts (``evidence`` says from where) and verdict."""
        self._check()
        verdicts = verdict_frame(self.verdicts_).drop(columns=["agrees", "disagrees", "passes"])
        return self.statements_.merge(verdicts, on="unit_id", how="left")
