"""Markdown rendering of a briefing (the evidence block goes to a sibling ``.evidence.json``).

Transcript text is escaped for Markdown *and* for the HTML a Markdown viewer may let through:
a ``<`` that would open a tag and an ``&`` that would start a character reference become
entities, and Markdown punctuation is backslash-escaped, so a quote containing ``<script>`` or
``**bold**`` prints as the characters that were said. Entities are used rather than ``\\<``
because not every Markdown renderer honours that escape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .content import BriefingContent, Quote
from .votes import votes_markdown

__all__ = ["md_escape", "render_markdown"]

_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^([#>+-])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")
#: Only what a renderer would read as markup becomes an entity: '&' that starts a character
#: reference and '<' that starts a tag, comment or autolink; "fish & chips" and "< 5" stay.
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ARROWS = {"up": "▲ Rising", "down": "▼ Falling"}


def md_escape(text: str, *, block: bool = True) -> str:
    """Text that a Markdown renderer prints exactly as given, markup included.

    ``block=False`` is for table cells, where nothing can start a heading, list or quote.

    >>> md_escape("<script>alert(1)</script> *x* & <5")
    '&lt;script>alert(1)&lt;/script> \\\\*x\\\\* & <5'
    >>> md_escape("# not a heading")
    '\\\\# not a heading'
    """
    text = " ".join(str(text).split())
    text = _ENTITY_START.sub("&amp;", text)
    text = _TAG_START.sub("&lt;", text)
    text = _MD_INLINE.sub(r"\\\1", text)
    if not block:  # inside a table cell nothing starts a line
        return text
    text = _MD_NUMBERED.sub(r"\1\\\2", text)
    return _MD_LINE_START.sub(r"\\\1", text)


def _table(head: Sequence[object], rows: Iterable[Sequence[object]]) -> list[str]:
    def cell(value: object) -> str:
        return md_escape(str(value), block=False)

    out = ["| " + " | ".join(cell(h) for h in head) + " |",
           "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out + [""]


def _chart(c: BriefingContent, chart_id: str) -> list[str]:
    chart = c.chart(chart_id)
    return [f"*Chart: {md_escape(chart.title)}.* {md_escape(chart.alt)}", ""] if chart else []


def _quotes(quotes: Iterable[Quote]) -> list[str]:
    out: list[str] = []
    for q in quotes:
        out += [f"> “{md_escape(q.text)}”", ">", f"> — {md_escape(q.attribution)}", ""]
    return out


def _scope(c: BriefingContent) -> list[str]:
    e = md_escape
    return ["## Who we heard from", "", e(c.scope.sentence), "",
            "Communities: " + e(", ".join(c.scope.communities)) + ".", ""]


def _changes(c: BriefingContent) -> list[str]:
    if not c.changes:
        return []
    e = md_escape
    return ([f"## {e(c.changes_heading)}", "", e(c.changes_intro), ""]
            + [f"- **{e(ch.lead)}:** {e(ch.text)}" for ch in c.changes] + [""])


def _themes(c: BriefingContent) -> list[str]:
    e = md_escape
    out = ["## What people raised most", "", *_chart(c, "themes")]
    for i, t in enumerate(c.themes, 1):
        out += [f"### {i}. {e(t.label)}", "", e(t.summary), "", f"*{e(t.attribution)}*", ""]
    if not c.themes:
        return out + ["No themes were found in this material.", ""]
    return out + _table(("Theme", "People", "Events", "Communities", "Share of people"),
                        [(t.label, str(t.n_people), str(t.n_events), str(t.n_communities),
                          t.share_text) for t in c.themes])


def _shifts(c: BriefingContent) -> list[str]:
    out = ["## How priorities changed", "", *_chart(c, "shifts")]
    out += [f"- **{_ARROWS.get(s.direction, '● Steady')}:** {md_escape(s.sentence)}"
            for s in c.shifts]
    if not c.shifts:
        return out + ["There was not enough material over time to say whether priorities "
                      "changed.", ""]
    out += [""]
    columns = c.shift_columns()
    if columns:
        out += ["**Priority shifts in numbers**", ""]
        out += _table(("Theme", *columns),
                      [(s.label or s.theme_id, *(s.number(n) for n in columns))
                       for s in c.shifts])
    return out


def _differences(c: BriefingContent) -> list[str]:
    lines = [f"- {md_escape(d.sentence)}" for d in c.differences] or [
        "No clear differences between communities could be shown from this material."]
    return ["## Differences between communities", "", *lines, ""]


def _asks(c: BriefingContent) -> list[str]:
    out = ["## What people asked for", ""]
    for a in c.asks:
        out += [f"### {md_escape(a.label)}", "", md_escape(a.sentence), ""]
        out += _quotes(a.examples)
    if not c.asks:
        out += ["No direct requests were found in this material.", ""]
    return out


def _own_words(c: BriefingContent) -> list[str]:
    out = ["## In their own words", "",
           "Quotes come only from people who agreed to be quoted. Personal details are replaced "
           "with a description in square brackets, such as \\[name\\] or \\[phone\\].", ""]
    quoted = [t for t in c.themes if t.quotes]
    for t in quoted:
        out += [f"### {md_escape(t.label)}", "", *_quotes(t.quotes)]
    if not quoted:
        out += ["No one whose words appear here agreed to be quoted, so no quotes are shown.", ""]
    return out


def _methods(c: BriefingContent) -> list[str]:
    out = ["## How this briefing was made", "", "### Methods", ""]
    for m in c.methods:
        out += [md_escape(m), ""]
    return out + ["### Limitations", ""] + [f"- {md_escape(m)}" for m in c.limitations] + [""]


def _appendix(c: BriefingContent, evidence_name: str) -> list[str]:
    out = ["## Provenance appendix", "", f"Input hash: `{c.appendix.input_hash}`.", ""]
    if evidence_name:
        out += [f"Evidence for every quote and count: `{evidence_name}` (check it with "
                "`listenlens verify`).", ""]
    for caption, head, rows in c.appendix.tables:
        out += [f"**{caption}**", ""] + _table(head, rows)
    return out


def _thanks(c: BriefingContent) -> list[str]:
    return (["## Thank you", "",
             "This briefing exists because these communities gave their time and their words:",
             ""] + [f"- {md_escape(cr.sentence)}" for cr in c.credits] + [""])


def render_markdown(content: BriefingContent, *, evidence_name: str = "") -> str:
    """The briefing as Markdown; ``evidence_name`` is the sibling evidence file to point to."""
    c = content
    out: list[str] = [f"# {md_escape(c.title)}", ""]
    if c.subtitle:
        out += [md_escape(c.subtitle), ""]
    out += _scope(c)
    out += _changes(c)
    out += _themes(c)
    out += votes_markdown(c.votes, md_escape)
    out += _shifts(c)
    out += _differences(c)
    out += _asks(c)
    out += _own_words(c)
    out += _methods(c)
    out += _appendix(c, evidence_name)
    out += _thanks(c)
    return "\n".join(out)
