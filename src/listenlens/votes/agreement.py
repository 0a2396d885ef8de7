"""Agreement per theme: how many votes, how many agreed, and an honest interval.

The agreement of a set of statements is ``agrees / (agrees + disagrees)``: of the votes that
took a side, the share that agreed (passes are counted as votes cast but take no side).

Votes are not independent (one person votes on many statements; one statement gathers many
votes), so the interval is a percentile bootstrap over *clusters*, never over single votes:

- ``participant-bootstrap`` when the participant vote matrix exists: people who voted on the
  theme are resampled with replacement, each bringing all their votes on it;
- ``statement-bootstrap`` when only per-statement counts exist (Polis ``comments.csv``):
  statements are resampled, each bringing all its votes. This keeps the dependence of votes
  on one statement but not the dependence of one person's votes across statements, so it is
  likely too narrow; the briefing says so;
- ``wilson`` for a theme with a single statement and no matrix: the Wilson score interval,
  which treats votes as independent (said in the output).

Same inputs and seed, same interval.

>>> lo, hi = cluster_bootstrap(np.array([5, 6, 4, 7]), np.array([1, 2, 0, 1]), seed=0)
>>> bool(0.6 < lo < hi <= 1.0)
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .matrix import VoteMatrix

__all__ = ["ThemeAgreement", "theme_agreement", "agreement_frame", "cluster_bootstrap",
           "wilson", "N_BOOT", "LEVEL", "INTERVAL_METHODS"]

#: Bootstrap resamples per interval.
N_BOOT = 1000
#: Interval coverage.
LEVEL = 0.95
#: What each interval method means, in words (the briefing and the guide print these).
INTERVAL_METHODS = {
    "participant-bootstrap": "people resampled (each with all their votes)",
    "statement-bootstrap": "statements resampled (only counts per statement exist, so votes by "
                           "the same person cannot be linked; the range may be too narrow)",
    "wilson": "Wilson interval (one statement, votes treated as independent)",
    "none": "no votes that took a side",
}


@dataclass(frozen=True, slots=True)
class ThemeAgreement:
    """The votes on one theme's statements and their agreement with its interval."""

    theme_id: str
    n_statements: int
    n_authors: int
    votes: int
    agrees: int
    disagrees: int
    passes: int | None
    agreement: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    n_voters: int | None = None


def wilson(agrees: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """The Wilson score interval for ``agrees`` of ``n``.

    >>> [round(x, 3) for x in wilson(8, 10)]
    [0.49, 0.943]
    """
    z = _z(level)
    p = agrees / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def cluster_bootstrap(agrees: np.ndarray, disagrees: np.ndarray, *, n_boot: int = N_BOOT,
                      seed: int = 0, level: float = LEVEL) -> tuple[float, float]:
    """Percentile interval of ``sum(agrees) / sum(agrees + disagrees)`` when whole clusters
    (rows: people or statements) are resampled with replacement."""
    a = np.asarray(agrees, dtype=float)
    d = np.asarray(disagrees, dtype=float)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(a), np.full(len(a), 1.0 / len(a)), size=n_boot)
    num, den = weights @ a, weights @ (a + d)
    ratios = num[den > 0] / den[den > 0]
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(ratios, [tail, 100 - tail])
    return float(lo), float(hi)


def _one_theme(tid: str, rows: pd.DataFrame, matrix: VoteMatrix | None, n_boot: int,
               seed: int) -> ThemeAgreement:
    a, d = int(rows["agrees"].sum()), int(rows["disagrees"].sum())
    known = rows["passes"].notna()
    passes = int(rows["passes"].sum()) if bool(known.all()) and len(rows) else None
    ratio = a / (a + d) if a + d else None
    cols = matrix.columns(list(rows["unit_id"])) if matrix is not None else np.array([], int)
    n_voters = None
    if a + d == 0:
        lo = hi = None
        method = "none"
    elif len(cols) and len(cols) == len(rows):
        v = matrix.values[:, cols]  # type: ignore[union-attr]
        voted = ~np.isnan(v).all(axis=1)
        n_voters = int(voted.sum())
        lo, hi = cluster_bootstrap((v[voted] == 1).sum(1), (v[voted] == -1).sum(1),
                                   n_boot=n_boot, seed=seed)
        method = "participant-bootstrap"
    elif len(rows) > 1:
        lo, hi = cluster_bootstrap(rows["agrees"].to_numpy(), rows["disagrees"].to_numpy(),
                                   n_boot=n_boot, seed=seed)
        method = "statement-bootstrap"
    else:
        lo, hi = wilson(a, a + d)
        method = "wilson"
    return ThemeAgreement(tid, len(rows), int(rows["author"].replace("", pd.NA).nunique()),
                          int(rows["votes"].sum()), a, d, passes, ratio, lo, hi, method, n_voters)


def theme_agreement(statements: pd.DataFrame, theme_of: Mapping[str, str],
                    matrix: VoteMatrix | None = None, *, theme_ids: Sequence[str] | None = None,
                    n_boot: int = N_BOOT, seed: int = 0) -> tuple[ThemeAgreement, ...]:
    """:class:`ThemeAgreement` for each theme (``theme_ids``, or every theme with statements).

    ``statements`` is :func:`listenlens.votes.matrix.statement_counts`; ``theme_of`` maps unit
    id -> theme id. The interval resamples people when the matrix covers every statement of the
    theme, else statements (see the module docstring).
    """
    frame = statements.assign(theme_id=statements["unit_id"].map(theme_of))
    frame = frame[frame["theme_id"].notna()]
    wanted = list(theme_ids) if theme_ids is not None else sorted(frame["theme_id"].unique())
    out = []
    for tid in wanted:
        rows = frame[frame["theme_id"] == tid]
        if len(rows):
            out.append(_one_theme(str(tid), rows, matrix, n_boot, seed))
    return tuple(out)


def agreement_frame(results: Sequence[ThemeAgreement]) -> pd.DataFrame:
    """The records as a DataFrame (one row per theme)."""
    cols = list(ThemeAgreement.__dataclass_fields__)
    return pd.DataFrame([asdict(r) for r in results], columns=cols)
