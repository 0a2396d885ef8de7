"""HTML rendering: one self-contained file, no external requests, every text escaped.

The page carries a Content-Security-Policy that forbids every request (``default-src 'none'``;
images only from ``data:`` URLs, styles only inline), so a briefing opened from a shared drive or
an e-mail attachment never calls out. Charts are inline base64 PNG images with alt text. All
transcript text goes through Jinja2 autoescaping: a quote containing ``<script>`` prints as text.
The evidence block sits in ``<script type="application/json" id="listenlens-evidence">``, with
``<``, ``>`` and ``&`` written as JSON ``\\u`` escapes so no quote can close the element.
"""

from __future__ import annotations

import base64
import html as _html
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..phrasing import plural
from .content import (
    EVIDENCE_SCRIPT_ID,
    UNCERTAINTY_COLUMN,
    BriefingContent,
    Chart,
    CommunitySummary,
    format_date,
)
from .votes import votes_html

__all__ = ["CSP", "render_html", "render_summary_html", "render_compact", "evidence_json"]

#: The Content-Security-Policy every listenlens HTML page carries: nothing may be fetched.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = format_date
    env.filters["data_uri"] = png_data_uri
    return env


def png_data_uri(chart: Chart) -> str:
    return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")


def evidence_json(evidence: dict[str, Any]) -> Markup:
    """The evidence block as JSON that is safe inside a ``<script>`` element.

    >>> str(evidence_json({"quotes": [{"shown": "</script>"}]}))
    '{"quotes": [{"shown": "\\\\u003c/script\\\\u003e"}]}'
    """
    text = json.dumps(evidence, ensure_ascii=False, sort_keys=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)  # noqa: S704 - every '<', '>' and '&' is escaped above


def render_html(content: BriefingContent) -> str:
    """The commissioner briefing as one self-contained HTML page."""
    return _environment().get_template("briefing.html.j2").render(
        c=content, csp=CSP, evidence=evidence_json(content.evidence),
        evidence_id=EVIDENCE_SCRIPT_ID, uncertainty_column=UNCERTAINTY_COLUMN,
        themes_chart=content.chart("themes"),
        shifts_chart=content.chart("shifts"), votes_html=votes_html(content.votes))


def render_summary_html(summary: CommunitySummary) -> str:
    """A community's "you said, we heard" summary as one self-contained, large-type HTML page."""
    return _environment().get_template("summary.html.j2").render(
        s=summary, csp=CSP, evidence=evidence_json(summary.evidence),
        evidence_id=EVIDENCE_SCRIPT_ID)


def render_compact(content: BriefingContent) -> str:
    """A short HTML fragment for notebooks: title, scope and the top themes."""
    e = _html.escape
    items = "".join(f"<li>{e(t.label)} ({plural(t.n_people, 'person', 'people')}, "
                    f"{plural(t.n_communities, 'community', 'communities')})</li>"
                    for t in content.themes[:5])
    n_quotes = sum(1 for _ in content.iter_quotes())
    return (f"<div><strong>{e(content.title)}</strong><p>{e(content.scope.sentence)}</p>"
            f"<ol>{items}</ol><p>{len(content.shifts)} priority shifts, {n_quotes} quotes, "
            f"{len(content.credits)} communities credited. Save with "
            "<code>.save('briefing.html')</code>.</p></div>")
