"""The briefing's vote sections: "What most people agreed with" and "Where people disagreed".

Only when the corpus has votes (Polis statements with agree/disagree counts). Built from
:class:`listenlens.votes.VoteAnalysis` over the briefing's top themes; every number printed
here is re-derived by ``verify`` (:mod:`listenlens.provenance.verify_votes`) with the same
formatting functions, the same seed and the same rules.

A statement is quoted only under the consent rules (:class:`~listenlens.briefing.quotes.
QuotePicker`: consent ``quote``, redacted): Polis statements are public by design, but the
corpus's consent settings decide. A statement that may not be quoted is named by its Polis id
(``statement 895``) with its votes, never by its words.

>>> counts_text(48, 8, None)
'48 agreed, 8 disagreed'
>>> agreement_phrase(0.8123, 0.75, 0.86)
'81% of the votes that took a side agreed (likely range 75% to 86%)'
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..votes import (
    CONSENSUS_AGREEMENT,
    DIVIDED_MINORITY,
    GROUP_SPREAD,
    MIN_VOTES_FOR_CONSENSUS,
    N_BOOT,
    VoteAnalysis,
    has_votes,
)
from ..votes.agreement import INTERVAL_METHODS, ThemeAgreement
from .content import Chart, Quote

__all__ = ["VoteStatement", "VoteTheme", "VotesSection", "votes_section", "counts_text",
           "agreement_phrase", "theme_sentence", "votes_markdown", "votes_html", "votes_docx",
           "plain_votes_sentence", "AGREED_HEADING", "DISAGREED_HEADING", "PER_THEME"]

AGREED_HEADING = "What most people agreed with"
DISAGREED_HEADING = "Where people disagreed"
#: Statements shown per theme and verdict.
PER_THEME = 2


def counts_text(agrees: int, disagrees: int, passes: int | None) -> str:
    """A statement's votes as printed."""
    text = f"{agrees:,} agreed, {disagrees:,} disagreed"
    return text + (f", {passes:,} passed" if passes is not None else "")


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def agreement_phrase(agreement: float | None, low: float | None, high: float | None) -> str:
    """A theme's agreement and its interval in words."""
    if agreement is None:
        return "no vote took a side"
    text = f"{_pct(agreement)} of the votes that took a side agreed"
    if low is not None and high is not None:
        text += f" (likely range {_pct(low)} to {_pct(high)})"
    return text


def theme_sentence(a: ThemeAgreement, n_consensus: int, n_divisive: int) -> str:
    """The sentences of numbers under a theme's heading.

    >>> a = ThemeAgreement("t1", 3, 2, 90, 60, 30, None, 2 / 3, 0.6, 0.7, "statement-bootstrap")
    >>> theme_sentence(a, 1, 2)
    '3 statements written by 2 people drew 90 votes; 67% of the votes that took a side agreed (likely range 60% to 70%). Most voters agreed with 1 of them; 2 divided voters.'
    """
    st = "1 statement" if a.n_statements == 1 else f"{a.n_statements:,} statements"
    who = "1 person" if a.n_authors == 1 else f"{a.n_authors:,} people"
    votes = "1 vote" if a.votes == 1 else f"{a.votes:,} votes"
    return (f"{st} written by {who} drew {votes}; "
            f"{agreement_phrase(a.agreement, a.ci_low, a.ci_high)}. "
            f"Most voters agreed with {n_consensus:,} of them; {n_divisive:,} divided voters.")


@dataclass(frozen=True, slots=True)
class VoteStatement:
    """One statement as the briefing shows it: quoted (``quote``) or named by its Polis id."""

    unit_id: str
    comment_id: int
    theme_id: str
    verdict: str
    agrees: int
    disagrees: int
    passes: int | None
    quote: Quote | None = None

    @property
    def reference(self) -> str:
        """``'Statement 895'`` (how a statement that may not be quoted is named)."""
        return f"Statement {self.comment_id}"

    @property
    def counts(self) -> str:
        return counts_text(self.agrees, self.disagrees, self.passes)

    def evidence(self) -> dict[str, Any]:
        return {"unit_id": self.unit_id, "theme_id": self.theme_id, "verdict": self.verdict,
                "agrees": self.agrees, "disagrees": self.disagrees, "passes": self.passes,
                "text": self.counts, "quoted": self.quote is not None}


@dataclass(frozen=True, slots=True)
class VoteTheme:
    """One theme's votes, with its consensus and divisive statements."""

    label: str
    agreement: ThemeAgreement
    unit_ids: tuple[str, ...] = field(repr=False)
    consensus: tuple[VoteStatement, ...] = ()
    divisive: tuple[VoteStatement, ...] = ()
    n_consensus: int = 0
    n_divisive: int = 0

    @property
    def theme_id(self) -> str:
        return self.agreement.theme_id

    @property
    def sentence(self) -> str:
        return theme_sentence(self.agreement, self.n_consensus, self.n_divisive)


@dataclass(frozen=True, slots=True)
class VotesSection:
    """Both vote sections, their chart, and what the methods and limitations add."""

    themes: tuple[VoteTheme, ...]
    methods: tuple[str, ...]
    limitations: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    chart: Chart | None = None

    def quotes(self) -> Iterator[Quote]:
        """Every statement quoted in the sections."""
        for t in self.themes:
            for s in (*t.consensus, *t.divisive):
                if s.quote is not None:
                    yield s.quote

    def evidence(self) -> dict[str, Any]:
        """The ``votes`` entry of the evidence block (see ``verify_votes``)."""
        return {"params": dict(self.params),
                "themes": [{"theme_id": t.theme_id, "unit_ids": list(t.unit_ids),
                            "text": t.sentence, "votes": t.agreement.votes,
                            "agrees": t.agreement.agrees, "disagrees": t.agreement.disagrees,
                            "agreement": t.agreement.agreement,
                            "ci": [t.agreement.ci_low, t.agreement.ci_high],
                            "method": t.agreement.method, "n_consensus": t.n_consensus,
                            "n_divisive": t.n_divisive}
                           for t in self.themes],
                "statements": [s.evidence() for t in self.themes
                               for s in (*t.consensus, *t.divisive)]}


def _statement(va: VoteAnalysis, uid: str, tid: str, picker: Any) -> VoteStatement:
    from ..ingest.polis import statement_votes

    unit = picker.corpus.unit(uid)
    v = va.verdict(uid)
    quote = picker.quote(unit) if picker.allowed(unit) else None
    sv = statement_votes(unit)
    return VoteStatement(uid, sv.comment_id if sv else -1, tid, v.verdict, v.agrees,
                         v.disagrees, v.passes, quote)


def _methods(va: VoteAnalysis) -> tuple[tuple[str, ...], tuple[str, ...]]:
    method = va.interval_method
    groups = va.groups_
    grouped = (f"People who cast at least {groups.min_votes} votes were sorted into "
               f"{groups.k_} opinion groups by how they voted (as Polis does); a statement is "
               "called agreed only when most people in every group agreed with it."
               if groups is not None else
               "Opinion groups could not be formed: only the totals per statement were "
               "available, so a statement is called agreed when most votes agreed overall.")
    methods = (
        "Votes come from an online conversation (Polis) where people wrote short statements and "
        "voted agree, disagree or pass on each other's. The people who vote there chose to "
        "take part: they are not a sample of the population, and each saw only some of the "
        "statements.",
        f"A statement is called agreed when at least {_pct(CONSENSUS_AGREEMENT)} of the votes "
        f"that took a side agreed, and divided when the smaller side had at least "
        f"{_pct(DIVIDED_MINORITY)}" + (f" or the groups' agreement differed by at least "
                                       f"{_pct(GROUP_SPREAD)} points" if groups else "")
        + f"; a statement with fewer than {MIN_VOTES_FOR_CONSENSUS} such votes is never called "
        f"either. {grouped}",
        f"Ranges of agreement: {INTERVAL_METHODS.get(method, method)}.",
    )
    limits = ["Online votes describe the people who chose to vote, not everyone in the area."]
    if method == "statement-bootstrap":
        limits.append("Who voted what was not available, only totals per statement, so the "
                      "ranges of agreement cannot allow for one person voting on many "
                      "statements and are likely too narrow.")
    return methods, tuple(limits)


def votes_section(tally: Any, picker: Any, theme_ids: Sequence[str], *, seed: int = 0,
                  n_boot: int = N_BOOT, charts: bool = True) -> VotesSection | None:
    """The vote sections for these themes, or ``None`` when the corpus has no votes."""
    corpus = tally.corpus
    if not has_votes(corpus) or not theme_ids:
        return None
    theme_of = {u: t for u, t in tally.theme_of.items() if t in set(theme_ids)}
    va = VoteAnalysis(seed=seed, n_boot=n_boot).fit(corpus, theme_of, theme_ids)
    members: dict[str, list[str]] = {t: [] for t in theme_ids}
    for uid, tid in theme_of.items():
        members[tid].append(uid)
    themes = []
    for tv in va.themes_:
        tid = tv.theme_id
        themes.append(VoteTheme(
            tally.labels.get(tid, tid), tv.agreement, tuple(sorted(members[tid])),
            tuple(_statement(va, u, tid, picker) for u in tv.consensus_ids[:PER_THEME]),
            tuple(_statement(va, u, tid, picker) for u in tv.divisive_ids[:PER_THEME]),
            tv.n_consensus, tv.n_divisive))
    if not themes:
        return None
    methods, limits = _methods(va)
    params = {"seed": seed, "n_boot": n_boot, "per_theme": PER_THEME,
              "min_votes": MIN_VOTES_FOR_CONSENSUS,
              "matrix": [list(f) for f in va.matrix_.files] if va.matrix_ is not None else [],
              "groups": va.groups_.summary() if va.groups_ is not None else {}}
    chart = agreement_chart(themes) if charts else None
    return VotesSection(tuple(themes), methods, limits, params, chart)


def agreement_chart(themes: Sequence[VoteTheme]) -> Chart:
    """Agreement per theme with its likely range (points with interval bars)."""
    from .charts import figure_png, load_pyplot

    plt = load_pyplot()
    rows = [t for t in themes if t.agreement.agreement is not None][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(rows) + 1.4))
    for y, t in enumerate(rows):
        a = t.agreement
        lo = a.ci_low if a.ci_low is not None else a.agreement
        hi = a.ci_high if a.ci_high is not None else a.agreement
        ax.plot([lo * 100, hi * 100], [y, y], color="#0072B2", linewidth=3, alpha=0.6)
        ax.plot([a.agreement * 100], [y], "o", color="#0072B2", markersize=8)
        ax.text(hi * 100 + 1.5, y, f"{_pct(a.agreement)} ({a.votes:,} votes)", va="center",
                fontsize=9, color="#1a1a1a")
    ax.set_yticks(range(len(rows)), [t.label for t in rows])
    ax.axvline(50, color="#777777", linestyle=":", linewidth=1)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("Votes that took a side which agreed (%), with likely range")
    ax.spines[["top", "right"]].set_visible(False)
    alt = ("Chart of how much voters agreed with the statements of each theme: "
           + "; ".join(f"{t.label}, {agreement_phrase(t.agreement.agreement, t.agreement.ci_low, t.agreement.ci_high)}"
                       for t in rows[::-1]) + ".")
    return Chart("votes", "Agreement per theme in the online vote", alt, figure_png(fig))


# --- rendering (the renderers call these; each returns its format's pieces) ----------------

def _said(s: VoteStatement) -> str:
    return s.reference + " (not quoted: consent)" if s.quote is None else ""


def votes_markdown(section: VotesSection | None, escape: Any) -> list[str]:
    """Markdown lines of both sections (nothing without votes); ``escape`` is ``md_escape``."""
    if section is None:
        return []
    e = escape
    out: list[str] = []
    for heading, attr, none in ((AGREED_HEADING, "consensus", "No statement was agreed "
                                 "widely enough, with enough votes, to be called agreed."),
                                (DISAGREED_HEADING, "divisive", "No statement divided "
                                 "voters clearly, with enough votes.")):
        out += [f"## {heading}", ""]
        if attr == "consensus" and section.chart is not None:
            out += [f"*Chart: {e(section.chart.title)}.* {e(section.chart.alt)}", ""]
        shown = False
        for t in section.themes:
            items = getattr(t, attr)
            if attr == "consensus":
                out += [f"### {e(t.label)}", "", e(t.sentence), ""]
            elif items:
                out += [f"### {e(t.label)}", ""]
            for s in items:
                shown = True
                if s.quote is not None:
                    out += [f"> “{e(s.quote.text)}”", ">", f"> — {e(s.quote.attribution)}", ""]
                else:
                    out += [f"- {e(_said(s))}", ""]
                out += [e(s.counts), ""]
        if not shown:
            out += [none, ""]
    return out


def votes_html(section: VotesSection | None) -> Markup:
    """HTML of both sections (empty without votes); every text escaped here."""
    if section is None:
        return Markup("")
    e = html.escape
    parts: list[str] = []
    for sid, heading, attr in (("agreed", AGREED_HEADING, "consensus"),
                               ("disagreed", DISAGREED_HEADING, "divisive")):
        parts.append(f'<section id="{sid}" aria-labelledby="h-{sid}">'
                     f'<h2 id="h-{sid}">{e(heading)}</h2>')
        if attr == "consensus" and section.chart is not None:
            from .html import png_data_uri

            parts.append(f'<figure><img src="{png_data_uri(section.chart)}" '
                         f'alt="{e(section.chart.alt)}"><figcaption>{e(section.chart.title)}'
                         "</figcaption></figure>")
        for t in section.themes:
            items = getattr(t, attr)
            if attr == "consensus" or items:
                parts.append(f"<h3>{e(t.label)}</h3>")
            if attr == "consensus":
                parts.append(f"<p>{e(t.sentence)}</p>")
            for s in items:
                if s.quote is not None:
                    parts.append(f"<blockquote><p>“{e(s.quote.text)}”</p></blockquote>"
                                 f"<p class=\"attribution\">— {e(s.quote.attribution)}</p>")
                else:
                    parts.append(f"<p>{e(_said(s))}</p>")
                parts.append(f"<p>{e(s.counts)}</p>")
        parts.append("</section>")
    return Markup("\n".join(parts))  # noqa: S704 - every text above is escaped


def votes_docx(doc: Any, section: VotesSection | None) -> None:
    """Add both sections to a python-docx document (nothing without votes)."""
    if section is None:
        return
    from .docx import add_picture, add_quote

    for heading, attr in ((AGREED_HEADING, "consensus"), (DISAGREED_HEADING, "divisive")):
        doc.add_heading(heading, level=1)
        if attr == "consensus" and section.chart is not None:
            add_picture(doc, section.chart)
        for t in section.themes:
            items = getattr(t, attr)
            if attr == "consensus" or items:
                doc.add_heading(t.label, level=2)
            if attr == "consensus":
                doc.add_paragraph(t.sentence)
            for s in items:
                if s.quote is not None:
                    add_quote(doc, s.quote.text, s.quote.attribution)
                else:
                    doc.add_paragraph(_said(s))
                doc.add_paragraph(s.counts)


def plain_votes_sentence(tally: Any, theme_ids: Sequence[str]) -> str:
    """The community summary's words for the votes ('' without votes), no numbers: subjects
    where most voters agreed with some ideas, where they were split, or both.

    Subjects are named in the order given (the summary's own order), at most three per
    sentence.
    """
    corpus = tally.corpus
    if not has_votes(corpus) or not theme_ids:
        return ""
    theme_of = {u: t for u, t in tally.theme_of.items() if t in set(theme_ids)}
    va = VoteAnalysis(n_boot=1).fit(corpus, theme_of, theme_ids)  # verdicts as the briefing
    name = {t.theme_id: tally.labels.get(t.theme_id, t.theme_id) for t in va.themes_}
    both = [name[t.theme_id] for t in va.themes_ if t.n_consensus and t.n_divisive]
    agreed = [name[t.theme_id] for t in va.themes_ if t.n_consensus and not t.n_divisive]
    split = [name[t.theme_id] for t in va.themes_ if t.n_divisive and not t.n_consensus]

    def words(labels: list[str]) -> str:
        labels = [lab[:1].lower() + lab[1:] for lab in labels[:3]]
        sep = "; " if any("," in lab for lab in labels) else ", "  # labels may hold commas
        return sep.join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]

    out = []
    if agreed:
        out.append(f"In the online vote, most people agreed with ideas about {words(agreed)}.")
    if both:
        out.append(f"{'In the online vote, p' if not agreed else 'P'}eople agreed with some "
                   f"ideas about {words(both)} and were split on others.")
    if split:
        out.append(f"People were split on ideas about {words(split)}.")
    return " ".join(out)
