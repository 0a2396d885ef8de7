"""Opinion groups: people who vote alike, found the way Polis finds them.

Only with a participant vote matrix. The steps follow Polis's published method:

1. people with fewer than ``min_votes`` votes (Polis: 7) are not placed in a group (label
   ``-1``): too few votes say too little about them;
2. a vote not cast is filled with the statement's mean vote among the people kept (so it pulls
   nobody either way);
3. PCA to ``n_components`` dimensions (Polis: 2);
4. k-means for each ``k`` in ``k_range`` (Polis: 2 to 5), keeping the ``k`` with the highest
   silhouette score. Silhouette cannot judge ``k = 1``: two groups are always found, and
   :attr:`OpinionGroups.silhouette_` says how clearly they separate (near 0: hardly at all).

Groups are numbered by size (0 the largest), so the labels do not depend on k-means' order.
Same matrix and seed, same groups.

>>> import numpy as np
>>> v = np.array([[1, 1, -1, -1]] * 6 + [[-1, -1, 1, 1]] * 6, dtype=float)
>>> from listenlens.votes.matrix import VoteMatrix
>>> m = VoteMatrix(tuple(f"p{i}" for i in range(12)), ("a", "b", "c", "d"), v)
>>> OpinionGroups(min_votes=2).fit(m).labels_.tolist()
[0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError, NotFittedError
from .matrix import VoteMatrix

__all__ = ["OpinionGroups", "MIN_VOTES_TO_GROUP"]

#: A person needs this many votes to be placed in an opinion group (Polis uses 7).
MIN_VOTES_TO_GROUP = 7


class OpinionGroups:
    """Cluster participants on their votes (PCA, then k-means with k chosen by silhouette).

    Learned: ``labels_`` (one per participant of the matrix; ``-1`` not grouped), ``k_``,
    ``silhouette_`` (score of the chosen k), ``scores_`` (k -> silhouette), ``coords_`` (PCA
    coordinates of the grouped people), ``participants_``.
    """

    def __init__(self, *, n_components: int = 2, k_range: tuple[int, int] = (2, 5),
                 min_votes: int = MIN_VOTES_TO_GROUP, seed: int = 0):
        self.n_components = n_components
        self.k_range = k_range
        self.min_votes = min_votes
        self.seed = seed

    def fit(self, matrix: VoteMatrix) -> OpinionGroups:
        """Find the groups of ``matrix``; returns ``self``.

        Raises :class:`~listenlens.errors.AnalysisError` when fewer than 4 people have enough
        votes to be grouped.
        """
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA
        from sklearn.metrics import silhouette_score

        v = np.asarray(matrix.values, dtype=float)
        kept = (~np.isnan(v)).sum(axis=1) >= self.min_votes
        if kept.sum() < 4:
            raise AnalysisError(f"only {int(kept.sum())} people cast {self.min_votes} or more "
                                "votes; at least 4 are needed to find opinion groups")
        x = v[kept]
        voted = ~np.isnan(x).all(axis=0)
        x = x[:, voted]
        means = np.nanmean(x, axis=0)
        x = np.where(np.isnan(x), means, x)
        dims = max(1, min(self.n_components, x.shape[1], x.shape[0] - 1))
        coords = PCA(n_components=dims, random_state=self.seed).fit_transform(x)
        lo, hi = self.k_range
        scores: dict[int, float] = {}
        fits: dict[int, np.ndarray] = {}
        distinct = len(np.unique(coords.round(9), axis=0))
        for k in range(max(2, lo), min(hi, distinct, len(coords) - 1) + 1):
            km = KMeans(n_clusters=k, n_init=10, random_state=self.seed).fit(coords)
            if len(set(km.labels_)) < 2:
                continue
            scores[k] = float(silhouette_score(coords, km.labels_))
            fits[k] = km.labels_
        if not scores:
            raise AnalysisError("k-means found no two distinct opinion groups in these votes")
        best = max(scores, key=lambda k: (scores[k], -k))
        labels = np.full(len(v), -1, dtype=int)
        labels[kept] = _by_size(fits[best])
        self.labels_ = labels
        self.k_ = best
        self.scores_ = scores
        self.silhouette_ = scores[best]
        self.coords_ = coords
        self.participants_ = tuple(matrix.participants)
        return self

    def _check(self) -> None:
        if not hasattr(self, "labels_"):
            raise NotFittedError("OpinionGroups is not fitted yet: call .fit(matrix) first")

    def to_frame(self) -> pd.DataFrame:
        """One row per participant: participant, group (``-1`` not grouped), x, y."""
        self._check()
        xy = np.full((len(self.labels_), 2), np.nan)
        grouped = self.labels_ >= 0
        xy[grouped, :self.coords_.shape[1]] = self.coords_[:, :2]
        return pd.DataFrame({"participant": self.participants_, "group": self.labels_,
                             "x": xy[:, 0], "y": xy[:, 1]})

    def summary(self) -> dict[str, Any]:
        """k, silhouette, group sizes and people not grouped (for methods text and evidence)."""
        self._check()
        sizes = [int((self.labels_ == g).sum()) for g in range(self.k_)]
        return {"k": self.k_, "silhouette": round(self.silhouette_, 4), "sizes": sizes,
                "not_grouped": int((self.labels_ < 0).sum()), "min_votes": self.min_votes,
                "seed": self.seed}


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel so that group 0 is the largest (ties: the group whose first member comes first)."""
    groups = sorted(set(labels.tolist()),
                    key=lambda g: (-(labels == g).sum(), int(np.argmax(labels == g))))
    order = {g: i for i, g in enumerate(groups)}
    return np.array([order[g] for g in labels.tolist()], dtype=int)
