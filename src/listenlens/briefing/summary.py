"""Community summaries ("you said, we heard"): short, plain, to be read aloud or printed.

One per community: what it raised most and how that compares with the other communities. Short
sentences, no jargon, large type. Rates are given as "about 4 in every 10 people" and only when
at least :data:`MIN_PEOPLE` people are behind them; otherwise only the count is said. Summaries
count; they never quote.

>>> summaries = community_summaries(themes)
>>> sorted(p.suffix for p in save_summaries(summaries, "out/summaries"))[:2]
['.docx', '.docx']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..outputs import MAX_STEM, safe_stem
from ..phrasing import pct, plural
from ..provenance.redact import REDACTION_VERSION
from ..validation import check_choice
from .content import CommunitySummary, CommunityTheme, Difference, Figure, format_date
from .tally import Tally, lower_first, people_phrase
from .votes import plain_votes_sentence

if TYPE_CHECKING:
    from ..themes import Themes
    from ..trends import Trends

__all__ = ["MIN_PEOPLE", "community_summaries", "save_summaries", "in_ten", "compare_rates",
           "summary_filename"]

#: No rate is given when fewer people than this are behind it.
MIN_PEOPLE = 5

#: A community's rate must differ from the others' by this much to be called "more" or "less".
_MARGIN = 0.10


def in_ten(k: int, n: int) -> str:
    """A rate read aloud: ``in_ten(8, 20) == 'about 4 in every 10'``; never '0 in 10'.

    >>> in_ten(8, 20), in_ten(1, 40), in_ten(20, 20)
    ('about 4 in every 10', 'fewer than 1 in every 10', 'all')
    """
    if k == n:
        return "all"
    tenths = round(10 * k / n)
    if tenths == 0:
        return "fewer than 1 in every 10"
    if tenths == 10:
        return "almost all"
    return f"about {tenths} in every 10"


def _rates(tally: Tally, community: str) -> dict[str, tuple[int, int, int, int]]:
    """theme -> (people in community, community people, people elsewhere, people elsewhere)."""
    people = tally.community_people()
    n_in = people.get(community, 0)
    n_out = sum(v for c, v in people.items() if c != community)
    out = {}
    for tid, units in tally.units_by_theme().items():
        k_in = tally.people(u for u in units if tally.community(u) == community)
        k_out = tally.people(u for u in units if tally.community(u) != community)
        out[tid] = (k_in, n_in, k_out, n_out)
    return out


def compare_rates(tally: Tally, community: str, *, min_people: int = MIN_PEOPLE
                  ) -> Difference | None:
    """The theme this community raised most *more* than the others, as a sentence (or None)."""
    best: tuple[float, str] | None = None
    for tid, (k_in, n_in, k_out, n_out) in _rates(tally, community).items():
        if n_in < min_people or n_out < min_people or k_in < 2:
            continue
        gap = k_in / n_in - k_out / n_out
        if gap >= _MARGIN and (best is None or gap > best[0]):
            best = (gap, tid)
    if best is None:
        return None
    tid = best[1]
    k_in, n_in, k_out, n_out = _rates(tally, community)[tid]
    label = tally.labels.get(tid, tid)
    return Difference(community, (
        f"{community} raised {lower_first(label)} more than other communities: {k_in} of {n_in} "
        f"people ({pct(k_in / n_in)}), compared with {k_out} of {n_out} "
        f"({pct(k_out / n_out)}) elsewhere."), tid)


def _compare_sentence(k_in: int, n_in: int, k_out: int, n_out: int, min_people: int) -> str:
    if n_out == 0:
        return "You were the only group we heard from, so we cannot compare yet."
    if n_in < min_people or n_out < min_people:
        return (f"{people_phrase(k_out)} in other groups talked "
                "about this too. The groups are too small to compare fairly.")
    gap = k_in / n_in - k_out / n_out
    others = in_ten(k_out, n_out)
    if k_out == 0:
        return "No one in the other groups talked about this. It came from you."
    there = f"There, {others} people talked about it."
    if gap >= _MARGIN:
        return f"You raised this more than other groups. {there}"
    if gap >= _MARGIN / 2:
        return f"You raised this a little more than other groups. {there}"
    if gap <= -_MARGIN:
        return f"Other groups raised this more than you did. {there}"
    if gap <= -_MARGIN / 2:
        return f"Other groups raised this a little more than you did. {there}"
    return f"Other groups raised this about as often. {there}"


def _share_sentence(k: int, n: int, min_people: int) -> str:
    who = people_phrase(k)
    if n < min_people:
        return f"{who} talked about this."
    return f"{who} talked about this. That is {in_ten(k, n)} people who spoke."


def community_summaries(themes: Themes, trends: Trends | None = None,
                        out: str | Path | None = None, *,
                        formats: Iterable[str] = ("html", "docx"), n_themes: int = 3,
                        min_people: int = MIN_PEOPLE) -> list[CommunitySummary] | list[Path]:
    """A "you said, we heard" summary for every community in ``themes.corpus``.

    Without ``out``, returns the :class:`CommunitySummary` records; with ``out``, writes them
    there (:func:`save_summaries`, one file per community and format) and returns the paths.
    ``trends`` is accepted so the call mirrors :func:`listenlens.brief`; the summaries use
    their own plain comparisons (no intervals or tests to explain aloud), so it is not read.
    """
    summaries = _summaries(themes, n_themes=n_themes, min_people=min_people)
    if out is None:
        return summaries
    return save_summaries(summaries, out, formats=formats)


def _summaries(themes: Themes, *, n_themes: int, min_people: int) -> list[CommunitySummary]:
    from .. import __version__

    tally = Tally.from_themes(themes)
    people = tally.community_people()
    redaction = {"version": REDACTION_VERSION}
    out = []
    ev = tally.corpus.events
    for community in sorted(set(ev["community"].astype(str))):
        grp = ev[ev["community"].astype(str) == community]
        dates = sorted(str(d.date()) for d in grp["date"].dropna())
        n_people, n_events = people.get(community, 0), len(grp)
        rates = _rates(tally, community)
        ranked = sorted((t for t in rates if rates[t][0] > 0),
                        key=lambda t: (-rates[t][0], tally.labels.get(t, t)))[:n_themes]
        by_theme = tally.units_by_theme(community)
        raised, figures = [], []
        for tid in ranked:
            k_in, n_in, k_out, n_out = rates[tid]
            raised.append(CommunityTheme(tid, tally.labels.get(tid, tid), k_in,
                                         _share_sentence(k_in, n_in, min_people),
                                         _compare_sentence(k_in, n_in, k_out, n_out,
                                                           min_people)))
            figures.append(Figure(f"community-theme-count:{community}:{tid}",
                                  "theme_speakers", k_in,
                                  tuple(u.unit_id for u in by_theme[tid]), theme_id=tid,
                                  community=community,
                                  text=f"{people_phrase(k_in)} talked about this"))
        when = ""
        if dates:
            when = (f" on {format_date(dates[0])}" if dates[0] == dates[-1] else
                    f" between {format_date(dates[0])} and {format_date(dates[-1])}")
        intro = (f"Thank you for talking with us. We met {plural(n_events, 'time')}{when}. "
                 f"{people_phrase(n_people)} spoke. "
                 "Here is what we heard.")
        closing = ("What you told us is part of a report for the people who plan services. "
                   f"{community} is named in it as a group that took part. No one is named. "
                   "No one is quoted unless they said yes.")
        closing = " ".join(x for x in (plain_votes_sentence(tally, ranked), closing) if x)
        out.append(CommunitySummary(community, f"You said, we heard: {community}", intro,
                                    tuple(raised), closing, n_people, n_events,
                                    tuple(figures), str(tally.corpus.input_hash), __version__,
                                    redaction))
    return out


def summary_filename(community: str) -> str:
    """A safe file stem for a community: ``'Riverside Tenants' -> 'riverside-tenants'``."""
    stem = re.sub(r"[^a-z0-9]+", "-", community.casefold()).strip("-")
    if stem and len(stem) <= MAX_STEM:
        return stem
    return safe_stem(community, fallback="community")  # cut, with a short hash of the name


def save_summaries(summaries: Iterable[CommunitySummary], directory: str | Path, *,
                   formats: Iterable[str] = ("html", "docx")) -> list[Path]:
    """Write each summary as ``<community>.html`` / ``.docx`` (+ ``.evidence.json`` for DOCX)."""
    import json

    from .docx import render_summary_docx
    from .html import render_summary_html

    formats = [check_choice("format", fmt, ("html", "docx")) for fmt in formats]
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    used: set[str] = set()
    for s in summaries:
        stem = summary_filename(s.community)
        while stem in used:
            stem += "-x"
        used.add(stem)
        for fmt in formats:
            if fmt == "html":
                p = folder / f"{stem}.html"
                p.write_text(render_summary_html(s), encoding="utf-8")
            else:
                p = render_summary_docx(s, folder / f"{stem}.docx")
                (folder / f"{stem}.evidence.json").write_text(
                    json.dumps(s.evidence, ensure_ascii=False, indent=1), encoding="utf-8")
            paths.append(p)
    return paths
