"""Votes as evidence: Polis agree/disagree/pass votes per statement and per theme.

One module per job:

- :mod:`~listenlens.votes.matrix`: the votes of a corpus (counts per statement; the participant
  vote matrix when a ``participants-votes.csv`` sits beside ``comments.csv``);
- :mod:`~listenlens.votes.agreement`: agreement per theme with participant-clustered (or, with
  counts only, statement-clustered) bootstrap intervals;
- :mod:`~listenlens.votes.groups`: opinion groups (PCA + k-means, k by silhouette, as Polis);
- :mod:`~listenlens.votes.consensus`: group-informed consensus and divisiveness per statement,
  with the minimum votes (:data:`MIN_VOTES_FOR_CONSENSUS`) before anything is called consensus;
- :mod:`~listenlens.votes.analysis`: all of it per theme (:class:`VoteAnalysis`).
"""

from .agreement import N_BOOT, ThemeAgreement, cluster_bootstrap, theme_agreement, wilson
from .analysis import ThemeVotes, VoteAnalysis, has_votes
from .consensus import (
    CONSENSUS_AGREEMENT,
    DIVIDED_MINORITY,
    GROUP_SPREAD,
    MIN_GROUP_VOTES,
    MIN_VOTES_FOR_CONSENSUS,
    StatementVerdict,
    classify,
    statement_verdicts,
)
from .groups import MIN_VOTES_TO_GROUP, OpinionGroups
from .matrix import VoteMatrix, find_vote_matrix, statement_counts

__all__ = ["VoteAnalysis", "ThemeVotes", "ThemeAgreement", "StatementVerdict", "OpinionGroups",
           "VoteMatrix", "find_vote_matrix", "statement_counts", "theme_agreement",
           "statement_verdicts", "classify", "cluster_bootstrap", "wilson", "has_votes",
           "MIN_VOTES_FOR_CONSENSUS", "CONSENSUS_AGREEMENT", "DIVIDED_MINORITY", "GROUP_SPREAD",
           "MIN_GROUP_VOTES", "MIN_VOTES_TO_GROUP", "N_BOOT"]
