"""Tests of the Polis reader and the participant vote matrix (src/listenlens/ingest/polis.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import listenlens as ll
from listenlens.errors import ParseError
from listenlens.ingest import Piece, get_reader
from listenlens.ingest.polis import (
    StatementVotes,
    parse_polis,
    read_participant_votes,
    read_participant_votes_text,
    statement_votes,
)
from listenlens.votes import find_vote_matrix, statement_counts

FIXTURE = Path(__file__).parent / "fixtures" / "polis"
HEAD = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"


def load(folder: Path, consent: str = "quote") -> ll.Corpus:
    return ll.load(folder / "comments.csv", reader="polis", community="Riverside",
                   date="2023-11-14", consent=consent)


def test_polis_reader_is_registered_from_its_own_module() -> None:
    reader = get_reader("polis")
    assert reader.parse is parse_polis and reader.extensions == ()
    from listenlens.ingest import table

    assert not hasattr(table, "parse_polis")


def test_vote_counts_are_typed_on_each_statement() -> None:
    corpus = load(FIXTURE)
    votes = [statement_votes(u) for u in corpus.unit_records]
    assert votes == [StatementVotes(0, 5, 1), StatementVotes(1, 2, 4), StatementVotes(3, 4, 0)]
    assert corpus.skip_reasons() == {"moderated-hidden": 1}
    assert votes[0].cast == 6 and votes[0].passes is None


def test_passes_column_is_kept_when_the_export_has_it() -> None:
    text = ("comment-id,author-id,agrees,disagrees,passes,moderated,comment-body\n"
            "7,1,3,2,4,1,Open the pool earlier\n")
    (piece,) = list(parse_polis(text, "c.csv", {}))
    assert isinstance(piece, Piece)
    assert (piece.extra["agrees"], piece.extra["disagrees"], piece.extra["passes"]) == (3, 2, 4)


@pytest.mark.parametrize("cell", ["many", "-3", "2.5"])
def test_a_bad_vote_count_names_file_and_line(cell: str) -> None:
    text = HEAD + "1,Tue,0,3,5,1,1,fine\n" + f"1,Tue,1,3,{cell},1,1,not fine\n"
    with pytest.raises(ParseError, match="comment 1: 'agrees' should be a whole number") as err:
        list(parse_polis(text, "comments.csv", {}))
    assert (err.value.file, err.value.line) == ("comments.csv", 3)


def test_participant_votes_fixture_reads_as_a_matrix() -> None:
    votes = read_participant_votes(FIXTURE / "participants-votes.csv", "pv.csv")
    assert votes.participants == ("1", "2", "3", "4", "5", "6")
    assert votes.comment_ids == (0, 1, 2, 3)
    assert votes.n_votes == 16
    assert np.isnan(votes.values[5, 1]) and votes.values[1, 1] == 0.0
    assert votes.lines == (2, 3, 4, 5, 6, 7) and len(votes.sha256) == 64


@pytest.mark.parametrize(("text", "message", "line"), [
    ("participant,0\n1,yes\n", "vote 'yes' is not 1", 2),
    ("participant,0\n1,1\n1,-1\n", "participant 1 appears twice", 3),
    ("who,0\n1,1\n", "no 'participant' column", 1),
    ("participant,colour\n1,1\n", "neither a summary column", 1),
    ("participant,0\n,1\n", "no participant id", 2),
])
def test_bad_participant_votes_name_file_and_line(text: str, message: str, line: int) -> None:
    with pytest.raises(ParseError, match=message) as err:
        read_participant_votes_text(text, "pv.csv")
    assert (err.value.file, err.value.line) == ("pv.csv", line)


def test_matrix_beside_comments_is_found_and_counts_come_from_it(tmp_path: Path) -> None:
    corpus = load(FIXTURE)
    matrix = find_vote_matrix(corpus)
    assert matrix is not None
    assert len(matrix.unit_ids) == 3 and matrix.unmatched == ("participants-votes.csv:2",)
    counts = statement_counts(corpus, matrix).set_index("comment_id")
    assert counts.loc[0, ["agrees", "disagrees", "passes"]].tolist() == [4, 1, 1]
    assert counts.loc[1, ["agrees", "disagrees", "passes"]].tolist() == [1, 3, 1]
    assert set(counts["evidence"]) == {"matrix"}
    # without the matrix file: the counts of comments.csv, passes unknown
    shutil.copy(FIXTURE / "comments.csv", tmp_path / "comments.csv")
    alone = load(tmp_path)
    assert find_vote_matrix(alone) is None
    counts = statement_counts(alone).set_index("comment_id")
    assert counts.loc[0, ["agrees", "disagrees"]].tolist() == [5, 1]
    assert counts["passes"].isna().all() and set(counts["evidence"]) == {"counts"}
