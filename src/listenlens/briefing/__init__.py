"""Briefings and community summaries: what commissioners read and what communities get back.

One content model (:mod:`listenlens.briefing.content`) feeds three renderers: self-contained
HTML, DOCX and Markdown. Each export carries the evidence block that
:func:`listenlens.provenance.verify` re-derives.

>>> import listenlens as ll
>>> b = ll.brief(themes, trends, title="What we heard")
>>> b.save("out/briefing.html").name
'briefing.html'
>>> len(save_summaries(community_summaries(themes), "out/summaries"))   # 4 communities x 2
8
"""

from .build import REQUEST_PATTERN, Briefing, brief, build_content, evidence_path
from .content import (
    EVIDENCE_SCRIPT_ID,
    UNCERTAINTY_COLUMN,
    Appendix,
    Ask,
    BriefingContent,
    Change,
    Chart,
    CommunitySummary,
    CommunityTheme,
    Credit,
    Difference,
    Figure,
    Quote,
    Scope,
    Shift,
    ThemeSummary,
)
from .docx import render_docx, render_summary_docx
from .html import render_html, render_summary_html
from .markdown import render_markdown
from .summary import community_summaries, save_summaries

__all__ = [
    "brief",
    "Briefing",
    "build_content",
    "community_summaries",
    "save_summaries",
    "render_html",
    "render_docx",
    "render_markdown",
    "render_summary_html",
    "render_summary_docx",
    "evidence_path",
    "REQUEST_PATTERN",
    "EVIDENCE_SCRIPT_ID",
    "UNCERTAINTY_COLUMN",
    "BriefingContent",
    "Scope",
    "Change",
    "ThemeSummary",
    "Quote",
    "Shift",
    "Difference",
    "Ask",
    "Credit",
    "Appendix",
    "Chart",
    "Figure",
    "CommunitySummary",
    "CommunityTheme",
]
