"""Tests of the votes package (src/listenlens/votes/): planted opinion groups and consensus,
intervals, verdict rules, and the Bowling Green conversation when the shared data is there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from conftest import shared_dir
from listenlens.errors import AnalysisError, NotFittedError
from listenlens.votes import (
    MIN_VOTES_FOR_CONSENSUS,
    OpinionGroups,
    VoteAnalysis,
    VoteMatrix,
    classify,
    cluster_bootstrap,
    statement_verdicts,
    theme_agreement,
    wilson,
)

SIZES = (60, 45, 30)
N_CONSENSUS = 6
N_SPLIT = 24


def planted(seed: int = 3, missing: float = 0.35) -> tuple[VoteMatrix, np.ndarray, list[str]]:
    """A vote matrix with three planted opinion groups: the first ``N_CONSENSUS`` statements
    every group agrees with (p = 0.85); the others each group agrees with at 0.9 or 0.1 by its
    own random profile (at least one group for and one against). About ``missing`` of the votes are not cast. Returns the matrix, the
    true groups, and the planted consensus unit ids."""
    rng = np.random.default_rng(seed)
    n_s = N_CONSENSUS + N_SPLIT
    profiles = np.full((len(SIZES), n_s), 0.85)
    for j in range(N_CONSENSUS, n_s):  # every split statement: some groups for, some against
        side = rng.permutation([True] + [False] + list(rng.random(len(SIZES) - 2) < 0.5))
        profiles[:, j] = np.where(side, 0.9, 0.1)
    truth = np.repeat(np.arange(len(SIZES)), SIZES)
    p_agree = profiles[truth]
    draw = rng.random(p_agree.shape)
    values = np.where(draw < p_agree, 1.0, -1.0)
    values[rng.random(values.shape) < 0.1] = 0.0  # a few passes
    values[rng.random(values.shape) < missing] = np.nan
    order = rng.permutation(len(truth))  # groups not in row order
    units = tuple(f"u-{j:03d}" for j in range(n_s))
    matrix = VoteMatrix(tuple(f"p{i}" for i in range(len(truth))), units, values[order])
    return matrix, truth[order], list(units[:N_CONSENSUS])


def counts_frame(matrix: VoteMatrix) -> pd.DataFrame:
    c = matrix.counts()
    return pd.DataFrame({"unit_id": list(matrix.unit_ids), "agrees": c[:, 0],
                         "disagrees": c[:, 1], "passes": pd.array(c[:, 2], dtype="Int64"),
                         "votes": c.sum(1), "author": [f"a{j % 7}" for j in range(len(c))]})


def test_planted_opinion_groups_are_recovered() -> None:
    matrix, truth, _ = planted()
    groups = OpinionGroups(seed=0).fit(matrix)
    assert groups.k_ == len(SIZES)
    grouped = groups.labels_ >= 0
    assert grouped.mean() > 0.95
    assert adjusted_rand_score(truth[grouped], groups.labels_[grouped]) >= 0.9
    assert groups.summary()["sizes"] == sorted(groups.summary()["sizes"], reverse=True)


def test_opinion_groups_are_deterministic_with_a_seed() -> None:
    matrix, _, _ = planted(seed=5)
    a = OpinionGroups(seed=1).fit(matrix).to_frame()
    b = OpinionGroups(seed=1).fit(matrix).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_planted_consensus_statements_are_found_and_only_they() -> None:
    matrix, truth, consensus = planted()
    labels = OpinionGroups(seed=0).fit(matrix).labels_
    verdicts = statement_verdicts(counts_frame(matrix), matrix, labels)
    found = {v.unit_id for v in verdicts if v.verdict == "consensus"}
    assert found == set(consensus)
    assert all(v.basis == "groups" and len(v.group_agreement) == 3 for v in verdicts)
    # a split statement that the largest groups both like is still not consensus
    assert {v.verdict for v in verdicts if v.unit_id not in consensus} <= {
        "divisive", "rejected", "mixed"}


def test_group_informed_consensus_is_stricter_than_a_majority() -> None:
    # 40 people in group 0 all agree, 10 in group 1 all disagree: 80% agree overall
    values = np.array([[1.0] * 8] * 40 + [[-1.0] * 8] * 10)
    values[:, 1] = 1.0  # one statement everyone agrees with
    matrix = VoteMatrix(tuple(f"p{i}" for i in range(50)), tuple(f"u{j}" for j in range(8)),
                        values)
    labels = np.array([0] * 40 + [1] * 10)
    by_id = {v.unit_id: v for v in statement_verdicts(counts_frame(matrix), matrix, labels)}
    assert classify(40, 10) == "consensus"  # without groups, a majority is enough
    assert by_id["u0"].verdict == "divisive"
    assert by_id["u1"].verdict == "consensus"
    assert by_id["u1"].consensus_score > by_id["u0"].consensus_score


@pytest.mark.parametrize(("agrees", "disagrees", "verdict"), [
    (MIN_VOTES_FOR_CONSENSUS - 1, 0, "too-few-votes"),
    (MIN_VOTES_FOR_CONSENSUS, 0, "consensus"),
    (12, 8, "divisive"),
    (4, 16, "rejected"),
    (14, 6, "consensus"),
    (13, 7, "consensus"),
    (5, 15, "rejected"),
])
def test_verdict_rules_without_groups(agrees: int, disagrees: int, verdict: str) -> None:
    assert classify(agrees, disagrees) == verdict


def test_participant_bootstrap_is_wider_than_pretending_votes_are_independent() -> None:
    # people who vote the same way on every statement: 10 statements, 30 people
    rng = np.random.default_rng(0)
    lean = rng.random(30) < 0.7
    values = np.where(lean[:, None], 1.0, -1.0) * np.ones((30, 10))
    matrix = VoteMatrix(tuple(f"p{i}" for i in range(30)), tuple(f"u{j}" for j in range(10)),
                        values)
    frame = counts_frame(matrix)
    (clustered,) = theme_agreement(frame, {u: "t1" for u in matrix.unit_ids}, matrix, seed=0)
    assert clustered.method == "participant-bootstrap" and clustered.n_voters == 30
    lo, hi = wilson(clustered.agrees, clustered.agrees + clustered.disagrees)
    assert (clustered.ci_high - clustered.ci_low) > 2 * (hi - lo)
    assert clustered.ci_low <= clustered.agreement <= clustered.ci_high


def test_counts_only_intervals_say_how_they_were_made() -> None:
    frame = pd.DataFrame({"unit_id": ["a", "b", "c"], "agrees": [30, 40, 10],
                          "disagrees": [10, 5, 20], "passes": pd.array([pd.NA] * 3, "Int64"),
                          "votes": [40, 45, 30], "author": ["x", "y", "x"]})
    got = {t.theme_id: t for t in theme_agreement(frame, {"a": "t1", "b": "t1", "c": "t2"})}
    assert got["t1"].method == "statement-bootstrap" and got["t1"].passes is None
    assert got["t1"].n_authors == 2 and got["t1"].votes == 85
    assert got["t2"].method == "wilson"
    assert got["t2"].agreement == pytest.approx(10 / 30)
    again = theme_agreement(frame, {"a": "t1", "b": "t1", "c": "t2"})
    assert again[0] == got["t1"]


def test_cluster_bootstrap_centres_on_the_ratio() -> None:
    a, d = np.array([9, 8, 10, 7, 9]), np.array([1, 2, 0, 3, 1])
    lo, hi = cluster_bootstrap(a, d, seed=0)
    assert lo < a.sum() / (a + d).sum() < hi


def test_opinion_groups_need_enough_voters_and_fit() -> None:
    tiny = VoteMatrix(("p1", "p2"), ("u1",), np.array([[1.0], [-1.0]]))
    with pytest.raises(AnalysisError, match="at least 4"):
        OpinionGroups().fit(tiny)
    with pytest.raises(NotFittedError):
        OpinionGroups().to_frame()
    with pytest.raises(NotFittedError):
        VoteAnalysis().to_frame()


# --- the shared Polis conversation ---------------------------------------------------------

BOWLING = ((shared_dir() or Path("/nonexistent")) / "corpora" / "polis"
           / "american-assembly.bowling-green" / "comments.csv")


@pytest.mark.skipif(not BOWLING.is_file(), reason="shared Polis corpora not found (set "
                    "LISTENLENS_SHARED to the shared folder)")
def test_bowling_green_counts_only_analysis() -> None:
    import listenlens as ll

    corpus = ll.load(BOWLING, reader="polis", community="Bowling Green", date="2018-02-13")
    theme_of = {u.unit_id: ("t-roads" if "road" in u.text.lower() else "t-other")
                for u in corpus.unit_records}
    va = VoteAnalysis(seed=0, n_boot=200).fit(corpus, theme_of)
    assert va.matrix_ is None and va.groups_ is None and "participants-votes" in va.groups_note_
    frame = va.to_frame()
    assert frame["votes"].sum() == va.statements_["votes"].sum()
    assert set(frame["method"]) == {"statement-bootstrap"}
    stm = va.statements_frame()
    assert (stm.loc[stm["verdict"] == "consensus", "agrees"]
            + stm.loc[stm["verdict"] == "consensus", "disagrees"]).min() >= MIN_VOTES_FOR_CONSENSUS
    assert frame["n_consensus"].sum() == (stm["verdict"] == "consensus").sum()
