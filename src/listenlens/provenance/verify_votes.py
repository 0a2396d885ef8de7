"""Re-derive every vote figure of a briefing (the ``votes`` entry of its evidence block).

From the corpus alone (and the ``participants-votes.csv`` beside a Polis source, when the
briefing used one), with the seed and resample count the block records:

- each theme's statement, author and vote counts, its agreement and interval, its numbers of
  consensus and divisive statements, and the sentence that states them (rebuilt with the same
  formatting function, and found in the document);
- each statement shown: its counts and its verdict (a statement shown as agreed must still be
  ``consensus`` under :mod:`listenlens.votes.consensus`'s rules, including the minimum number of
  votes), its counts as printed, and, when it is not quoted, the id it is named by;
- the vote files: the same files, byte for byte (SHA-256), as when the briefing was made;
- the opinion groups the methods text describes (number, sizes, silhouette, people not
  grouped).

The quotes of statements are ordinary quotes of the evidence block (checked by
:func:`listenlens.provenance.verify`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..spans import collapse_ws

__all__ = ["check_votes"]


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)


def _in(text: str, body: tuple[str, ...]) -> bool:
    needle = collapse_ws(text)
    return any(needle in h for h in body)


def _check_theme(t: Mapping[str, Any], got: Any, body: tuple[str, ...]) -> list[str]:
    from ..briefing.votes import theme_sentence

    label = f"votes theme {t.get('theme_id')}"
    if got is None:
        return [f"{label}: the corpus has no statements with votes in this theme"]
    a = got.agreement
    out = []
    for key, value in (("votes", a.votes), ("agrees", a.agrees), ("disagrees", a.disagrees),
                       ("method", a.method), ("n_consensus", got.n_consensus),
                       ("n_divisive", got.n_divisive)):
        if t.get(key) != value:
            out.append(f"{label}: states {key} = {t.get(key)!r}, the corpus gives {value!r}")
    ci = list(t.get("ci") or [None, None])
    if not (_close(t.get("agreement"), a.agreement) and _close(ci[0], a.ci_low)
            and _close(ci[1], a.ci_high)):
        out.append(f"{label}: states agreement {t.get('agreement')!r} {ci}, the corpus gives "
                   f"{a.agreement!r} [{a.ci_low!r}, {a.ci_high!r}]")
    expected = theme_sentence(a, got.n_consensus, got.n_divisive)
    if t.get("text") != expected:
        out.append(f"{label}: states {t.get('text')!r}, the corpus gives {expected!r}")
    elif not _in(expected, body):
        out.append(f"{label}: text {expected!r} does not appear in the document (edited after "
                   "export?)")
    return out


def _check_statement(s: Mapping[str, Any], va: Any, corpus: Any,
                     body: tuple[str, ...]) -> list[str]:
    from ..briefing.votes import counts_text
    from ..ingest.polis import statement_votes

    uid = str(s.get("unit_id", ""))
    label = f"votes statement {uid}"
    try:
        v = va.verdict(uid)
        unit = corpus.unit(uid)
    except KeyError:
        return [f"{label}: not a statement with votes in the corpus (withdrawn, or from other "
                "inputs)"]
    out = []
    for key, value in (("agrees", v.agrees), ("disagrees", v.disagrees),
                       ("passes", v.passes), ("verdict", v.verdict)):
        if s.get(key) != value:
            out.append(f"{label}: states {key} = {s.get(key)!r}, the corpus gives {value!r}")
    expected = counts_text(v.agrees, v.disagrees, v.passes)
    if s.get("text") != expected:
        out.append(f"{label}: states {s.get('text')!r}, the corpus gives {expected!r}")
    elif not _in(expected, body):
        out.append(f"{label}: text {expected!r} does not appear in the document")
    sv = statement_votes(unit)
    if not s.get("quoted") and sv is not None and not _in(f"Statement {sv.comment_id}", body):
        out.append(f"{label}: the document does not name it as Statement {sv.comment_id}")
    if s.get("quoted") and unit.consent != "quote":
        out.append(f"{label}: shown as a quote but its consent is {unit.consent!r}")
    return out


def check_votes(block: Mapping[str, Any], corpus: Any, body: tuple[str, ...]) -> list[str]:
    """Mismatches between the ``votes`` entry of ``block`` and what the corpus gives."""
    votes = block.get("votes")
    if not isinstance(votes, Mapping):
        return []
    from ..votes import VoteAnalysis

    params = votes.get("params") or {}
    themes = [t for t in votes.get("themes", []) if isinstance(t, Mapping)]
    theme_of = {str(u): str(t.get("theme_id")) for t in themes for u in t.get("unit_ids", [])}
    theme_ids = [str(t.get("theme_id")) for t in themes]
    va = VoteAnalysis(seed=int(params.get("seed", 0)),
                      n_boot=int(params.get("n_boot", 1000))).fit(corpus, theme_of, theme_ids)
    out: list[str] = []
    files = [list(f) for f in va.matrix_.files] if va.matrix_ is not None else []
    if files != [list(f) for f in params.get("matrix", [])]:
        out.append(f"votes: the briefing used vote files {params.get('matrix')!r}, the corpus "
                   f"has {files!r} (changed or moved since?)")
    groups = va.groups_.summary() if va.groups_ is not None else {}
    if groups != dict(params.get("groups") or {}):
        out.append(f"votes: the briefing states opinion groups {params.get('groups')!r}, the "
                   f"corpus gives {groups!r}")
    got = {t.theme_id: t for t in va.themes_}
    for t in themes:
        out += _check_theme(t, got.get(str(t.get("theme_id"))), body)
    for s in votes.get("statements", []):
        if isinstance(s, Mapping):
            out += _check_statement(s, va, corpus, body)
    return out
