"""Polis exports: the ``comments.csv`` reader (preset ``polis``) and the participant vote matrix.

Polis (compdemocracy.org/polis) publishes each conversation as a folder of CSV files. Two are
read here:

``comments.csv``
    One row per statement: ``timestamp`` (ms since the epoch), ``datetime``, ``comment-id``,
    ``author-id``, ``agrees``, ``disagrees`` (some exports also ``passes``), ``moderated``
    (``-1`` hidden by the moderator, ``0`` not yet moderated, ``1`` accepted) and
    ``comment-body``. :func:`parse_polis` makes one ``comment`` unit per row. The vote counts are
    kept as integers in ``extra`` (``agrees``, ``disagrees``, and ``passes`` when the export has
    them); :func:`statement_votes` gives them back as a typed :class:`StatementVotes`. A count
    that is not a whole number >= 0 is a :class:`~listenlens.errors.ParseError` naming the file
    and line; a hidden statement is a recorded skip (``moderated-hidden``).

``participants-votes.csv`` (read when it sits beside ``comments.csv``)
    One row per participant. Columns ``participant`` (the participant id, the same ids as
    ``author-id``), ``group-id`` (the opinion group Polis assigned, often empty), ``n-comments``,
    ``n-votes``, ``n-agree``, ``n-disagree``, then one column per statement, headed by its
    ``comment-id``. Each statement cell is ``1`` (agree), ``-1`` (disagree), ``0`` (pass) or
    empty (not voted). :func:`read_participant_votes` returns a :class:`ParticipantVotes`;
    a cell that is none of these, or a repeated participant, is a ``ParseError`` with file and
    line. Summary columns are not trusted: the votes are counted from the cells.

>>> votes = read_participant_votes_text(
...     "participant,group-id,n-votes,1,2\\n7,0,2,1,-1\\n8,,1,,0\\n", "pv.csv")
>>> votes.participants, votes.comment_ids, votes.values.tolist()
(('7', '8'), (1, 2), [[1.0, -1.0], [nan, 0.0]])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ParseError
from ..ids import sha256_bytes
from ._base import Piece, Reader, Skipped
from .encoding import decode_text
from .table import cell_spans, cell_value, csv_rows, normalise_header

__all__ = ["READERS", "POLIS_READER", "COUNT_COLUMNS", "PARTICIPANT_VOTES_FILE",
           "StatementVotes", "ParticipantVotes", "parse_polis", "statement_votes",
           "read_participant_votes", "read_participant_votes_text"]

#: The vote-count columns of ``comments.csv`` kept (as integers) on each unit's ``extra``.
COUNT_COLUMNS = ("agrees", "disagrees", "passes")
#: The file name of the participant vote matrix Polis exports beside ``comments.csv``.
PARTICIPANT_VOTES_FILE = "participants-votes.csv"
#: Columns of ``participants-votes.csv`` that summarise a row rather than hold a vote.
_SUMMARY_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree",
                    "n-pass", "n-passes")
_VOTE_VALUES = {"1": 1.0, "-1": -1.0, "0": 0.0, "1.0": 1.0, "-1.0": -1.0, "0.0": 0.0}


@dataclass(frozen=True, slots=True)
class StatementVotes:
    """The votes ``comments.csv`` records for one statement (``passes`` is ``None`` when the
    export does not count them).

    >>> StatementVotes(895, 48, 8).cast
    56
    """

    comment_id: int
    agrees: int
    disagrees: int
    passes: int | None = None

    @property
    def cast(self) -> int:
        """Votes cast: agrees + disagrees (+ passes when known)."""
        return self.agrees + self.disagrees + (self.passes or 0)


def statement_votes(unit: Any) -> StatementVotes | None:
    """The vote counts of a Polis ``comment`` unit, or ``None`` for any other unit."""
    extra = getattr(unit, "extra", None) or {}
    if getattr(unit, "kind", "") != "comment" or not isinstance(extra.get("agrees"), int):
        return None
    cid = extra.get("comment_id")
    passes = extra.get("passes")
    return StatementVotes(int(cid) if isinstance(cid, int) else -1, int(extra["agrees"]),
                          int(extra.get("disagrees") or 0),
                          int(passes) if isinstance(passes, int) else None)


def _iso_ms(value: str) -> str:
    """Milliseconds since the epoch -> ISO 8601 UTC; anything else is returned unchanged.

    >>> _iso_ms("1518501496471")
    '2018-02-13T05:58:16.471Z'
    """
    try:
        stamp = dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        return value
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _as_int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _count(name: str, value: str, cid: str, path: str, line: int) -> int | None:
    """A vote count cell: a whole number >= 0; empty is ``None``; anything else an error."""
    if value == "":
        return None
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise ParseError(f"comment {cid}: {name!r} should be a whole number of votes >= 0, "
                         f"found {value[:40]!r}", file=path, line=line)
    return n


def _header(hdr: list[str], path: str, line: int) -> dict[str, int]:
    norm = [normalise_header(h) for h in hdr]
    for need in ("comment-body", "author-id", "comment-id", "moderated"):
        if need not in norm:
            raise ParseError(f"not a Polis comments export: no {need!r} column; "
                             f"columns: {', '.join(hdr)}", file=path, line=line)
    return {n: i for i, n in enumerate(norm)}


def parse_polis(text: str, path: str, options: Mapping[str, Any]) -> Iterator[Piece | Skipped]:
    """One ``comment`` piece per row of a Polis ``comments.csv`` export.

    Speaker ``participant <author-id>``; ``comment-id`` -> ``extra["comment_id"]``; ``agrees``,
    ``disagrees``, ``passes`` (when present) and ``moderated`` as integers; ``timestamp`` (ms)
    -> ISO 8601 UTC; other columns kept as written. Rows with ``moderated == -1`` are skipped as
    ``moderated-hidden``.
    """
    idx: dict[str, int] = {}
    for _hdr, row in csv_rows(text, path):
        if not idx:
            idx = _header(_hdr, path, row.line)
            continue
        cells = row.cells
        values = {n: (cell_value(text, cells[i]) if i < len(cells) else "")
                  for n, i in idx.items()}
        cid = values["comment-id"]
        if _as_int(values["moderated"]) == -1:
            yield Skipped(row.line, "moderated-hidden",
                          f"comment {cid} was hidden by the conversation's moderator")
            continue
        text_i = idx["comment-body"]
        if text_i >= len(cells) or not values["comment-body"]:
            yield Skipped(row.line, "no-text", f"comment {cid} has no text")
            continue
        extra: dict[str, Any] = {"comment_id": _as_int(cid)}
        for name, value in values.items():
            if name in ("comment-body", "author-id", "comment-id"):
                continue
            if name in COUNT_COLUMNS:
                n = _count(name, value, cid, path, row.line)
                if n is not None:
                    extra[name] = n
            elif name == "moderated":
                extra[name] = _as_int(value)
            elif name == "timestamp":
                extra[name] = _iso_ms(value)
            else:
                extra[name] = value
        author = values["author-id"]
        yield Piece(spans=cell_spans(text, cells[text_i]), line=row.line, kind="comment",
                    speaker=f"participant {author}" if author else "", extra=extra)


@dataclass(frozen=True)
class ParticipantVotes:
    """A Polis participant vote matrix as read: one row per participant, one column per
    statement; values ``1`` agree, ``-1`` disagree, ``0`` pass, ``nan`` not voted.

    ``lines`` is the line of each participant's row; ``path`` and ``sha256`` name the file.
    """

    participants: tuple[str, ...]
    comment_ids: tuple[int, ...]
    values: np.ndarray = field(repr=False)
    path: str = ""
    sha256: str = ""
    lines: tuple[int, ...] = field(default=(), repr=False)

    @property
    def n_votes(self) -> int:
        """Votes cast (agree, disagree or pass) in the whole matrix."""
        return int(np.count_nonzero(~np.isnan(self.values)))


def _vote_columns(header: list[str], path: str, line: int) -> tuple[int, list[tuple[int, int]]]:
    """The participant column and the (column, comment id) of every statement column."""
    norm = [normalise_header(h) for h in header]
    if "participant" not in norm:
        raise ParseError("not a Polis participants-votes export: no 'participant' column; "
                         f"columns: {', '.join(header[:12])}", file=path, line=line)
    cols = []
    for i, name in enumerate(norm):
        if name in _SUMMARY_COLUMNS:
            continue
        try:
            cols.append((i, int(name)))
        except ValueError:
            raise ParseError(f"column {header[i]!r} is neither a summary column "
                             f"({', '.join(_SUMMARY_COLUMNS)}) nor a statement id",
                             file=path, line=line) from None
    return norm.index("participant"), cols


def read_participant_votes_text(text: str, path: str) -> ParticipantVotes:
    """:class:`ParticipantVotes` from the decoded text of a ``participants-votes.csv``."""
    rows = csv_rows(text, path)
    first = next(rows, None)
    if first is None:
        raise ParseError("empty participants-votes file", file=path, line=1)
    header, header_row = first
    p_col, cols = _vote_columns(header, path, header_row.line)
    people: list[str] = []
    lines: list[int] = []
    matrix: list[list[float]] = []
    seen: dict[str, int] = {}
    for _, row in rows:
        cells = [cell_value(text, c) for c in row.cells]
        pid = cells[p_col] if p_col < len(cells) else ""
        if not pid:
            raise ParseError("row has no participant id", file=path, line=row.line)
        if pid in seen:
            raise ParseError(f"participant {pid} appears twice (first on line {seen[pid]})",
                             file=path, line=row.line)
        seen[pid] = row.line
        out = []
        for i, cid in cols:
            cell = cells[i] if i < len(cells) else ""
            if cell == "":
                out.append(np.nan)
            elif cell in _VOTE_VALUES:
                out.append(_VOTE_VALUES[cell])
            else:
                raise ParseError(f"participant {pid}, statement {cid}: vote {cell[:20]!r} is "
                                 "not 1 (agree), -1 (disagree), 0 (pass) or empty",
                                 file=path, line=row.line)
        people.append(pid)
        lines.append(row.line)
        matrix.append(out)
    values = np.array(matrix, dtype=float).reshape(len(people), len(cols))
    return ParticipantVotes(tuple(people), tuple(c for _, c in cols), values, path,
                            lines=tuple(lines))


def read_participant_votes(path: str | Path, display: str | None = None) -> ParticipantVotes:
    """Read a Polis ``participants-votes.csv`` (see the module docstring for its format)."""
    p = Path(path)
    raw = p.read_bytes()
    shown = display or str(p)
    decoded = decode_text(raw, shown)
    votes = read_participant_votes_text(decoded.text, shown)
    return ParticipantVotes(votes.participants, votes.comment_ids, votes.values, shown,
                            sha256_bytes(raw), votes.lines)


POLIS_READER = Reader(
    name="polis", extensions=(), parse=parse_polis, decode=decode_text, escape="csv",
    description="Polis comments.csv export; moderator-hidden comments skipped; vote counts kept")

READERS = (POLIS_READER,)
