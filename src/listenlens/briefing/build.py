"""Fill the briefing content model from fitted themes and trends, and save briefings.

:func:`build_content` reads only public attributes (duck typing, so any object with the same shape
works): ``themes.corpus``, ``themes.table`` (``theme_id``, ``label``; ``keywords`` if present),
``themes.assignments`` (``unit_id``, ``theme_id``; ``primary`` and ``probability`` if present),
``themes.quotes(theme_id, n)`` and ``themes.params`` if present; ``trends.shifts()`` (a
``sentence`` column), ``trends.compare()`` (a ``sentence`` column, if any), ``trends.table`` and
``trends.params`` if present. Quotes go through :mod:`listenlens.provenance` (consent and
redaction); without it, no quote is printed at all.

>>> b = brief(themes, trends, title="Health and care: what we heard")
>>> [b.save(f"out/briefing.{fmt}").name for fmt in ("html", "docx")]
['briefing.html', 'briefing.docx']
"""

from __future__ import annotations

import json
import platform
import re
from collections import defaultdict
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import AnalysisError
from ..themes.result import HOUSEKEEPING, UNASSIGNED
from ..themes.review import agreement_sentence
from .changes import changes_section, iso_date
from .charts import shifts_chart, themes_chart
from .content import (
    Appendix,
    Ask,
    BriefingContent,
    Credit,
    Difference,
    Figure,
    Quote,
    Scope,
    Shift,
    ThemeSummary,
)
from .quotes import QuotePicker
from .tally import Tally, columns, lower_first, people_phrase
from .votes import votes_section

__all__ = ["Briefing", "brief", "build_content", "REQUEST_PATTERN", "REQUEST_PROMPT",
           "is_request", "evidence_path"]

#: Request language: a unit matching this is counted under "what people asked for".
REQUEST_PATTERN = re.compile(
    r"\b(?:we|i|they|people|you|everyone|residents|families)\s+(?:really\s+)?"
    r"(?:need|want|would\s+like)\b|\bwe'd like\b|\bi'd like\b|\bplease\b|\bshould\b"
    r"|\bcould\s+(?:you|they|we|the)\b|\bcan\s+(?:you|they|we)\b|\bask(?:ing)?\s+for\b"
    r"|\bwhy\s+(?:can't|don't|won't)\b|\bthere\s+needs?\s+to\s+be\b|\bneeds?\s+to\b",
    re.IGNORECASE)

#: A prompt that asks for wishes: every answer to it (a unit whose ``context`` matches, e.g. a
#: survey column or sticky-note wall headed "What would help?") counts as a request.
REQUEST_PROMPT = re.compile(
    r"\bwhat\s+would\s+(?:help|make|you\s+like|improve)\b|\bwhat\s+(?:should|could|needs?)\b"
    r"|\b(?:wish(?:es)?|suggestions?|ideas?|improve(?:ments?)?|asks?|requests?|priorities)\b"
    r"|\bone\s+thing\b|\bif\s+you\s+could\b",
    re.IGNORECASE)


def is_request(text: str, context: str = "") -> bool:
    """Whether a unit asks for something: request wording in it, or an answer to a prompt that
    asks for wishes.

    >>> is_request("We need a bus to the hospital.")
    True
    >>> is_request("A bus to the hospital.", context="What would help?")
    True
    >>> is_request("The bus is late.")
    False
    """
    return bool(REQUEST_PATTERN.search(text) or (context and REQUEST_PROMPT.search(context)))

_VERSIONED = ("pandas", "numpy", "scikit-learn", "bertopic", "sentence-transformers", "spacy",
              "python-docx", "jinja2", "matplotlib")


def _versions() -> tuple[tuple[str, str], ...]:
    from .. import __version__

    rows = [("listenlens", __version__), ("python", platform.python_version())]
    for name in _VERSIONED:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            continue
    return tuple(rows)


def _flat_params(prefix: str, params: Any) -> list[tuple[str, str]]:
    if not isinstance(params, Mapping):
        return []
    out = []
    for k, v in params.items():
        if isinstance(v, Mapping):
            out += _flat_params(f"{prefix}{k}.", v)
        else:
            out.append((f"{prefix}{k}", json.dumps(v, default=str) if not isinstance(v, str)
                        else v))
    return out


def _attribution(units: list[Any], tally: Tally) -> str:
    ids = [u.unit_id for u in units]
    try:
        from ..provenance import attribution  # type: ignore[attr-defined]
    except ImportError:
        attribution = None
    if attribution is not None:
        return str(attribution(ids, tally.corpus))
    events: dict[str, set[str]] = defaultdict(set)
    for u in units:
        events[tally.community(u)].add(u.event_id)
    n_ev = len({u.event_id for u in units})
    parts = ", ".join(f"{c} ({len(e)})" for c, e in
                      sorted(events.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    comms = "1 community" if len(events) == 1 else f"{len(events)} communities"
    return f"Raised at {n_ev} event{'s' if n_ev != 1 else ''} by {comms}: {parts}."


def _theme_summary(tid: str, units: list[Any], tally: Tally, total_people: int,
                   quotes: tuple[Quote, ...]) -> ThemeSummary:
    n_people = tally.people(units)
    n_events = len({u.event_id for u in units})
    comms = {tally.community(u) for u in units}
    kws = tally.keywords.get(tid, ())[:4]
    text = (f"{people_phrase(n_people)} raised this at {n_events} event{'s' if n_events != 1 else ''}, "
            f"in {len(comms)} {'community' if len(comms) == 1 else 'communities'}.")
    if kws:
        words = ", ".join(kws[:-1]) + (" and " if len(kws) > 1 else "") + kws[-1]
        text += f" They talked about {words}."
    return ThemeSummary(tid, tally.labels.get(tid, tid), text, n_people, n_events, len(comms),
                        (n_people / total_people) if total_people else None,
                        _attribution(units, tally), kws, quotes)


def _summary_figures(t: ThemeSummary, ids: tuple[str, ...], *, worded: bool) -> list[Figure]:
    """The other facts of a theme's paragraph, for ``verify``: its event and community counts
    (the sentence that states them), its credit line and, when the theme finder made the
    keywords (``worded``: they follow :mod:`listenlens.provenance.wording`), the words it was
    described with."""
    sentence = t.summary.split(". They talked about ")[0].rstrip(".") + "."
    out = [Figure(f"theme-events:{t.theme_id}", "events", t.n_events, ids, theme_id=t.theme_id,
                  text=sentence),
           Figure(f"theme-communities:{t.theme_id}", "communities", t.n_communities, ids,
                  theme_id=t.theme_id, text=sentence),
           Figure(f"theme-credit:{t.theme_id}", "attribution", t.n_events, ids,
                  theme_id=t.theme_id, text=t.attribution)]
    if t.keywords and worded:
        talked = t.summary[t.summary.index(" They talked about ") + 1:]
        out.append(Figure(f"theme-words:{t.theme_id}", "wording", len(t.keywords), ids,
                          theme_id=t.theme_id, text=talked, words=tuple(t.keywords)))
    return out


def _pct(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{float(x) * 100:.0f}%"


def _pts(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{float(x) * 100:+.0f} points".replace("-", "−")


def _shift_numbers(row: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The numbers behind one shift, as (column name, shown value) pairs."""
    if "share_early" in row and "share_late" in row:
        early, late = row.get("early", ""), row.get("late", "")
        pairs = [(f"Then ({early})" if early else "Then", _pct(row.get("share_early"))),
                 (f"Now ({late})" if late else "Now", _pct(row.get("share_late"))),
                 ("Change", _pts(row.get("diff")))]
        lo, hi = _pts(row.get("ci_low")), _pts(row.get("ci_high"))
        if lo and hi and not row.get("uncertainty"):  # else the uncertainty text says it
            pairs.append(("Likely range of the change", f"{lo.split()[0]} to {hi}"))
        return tuple((k, v) for k, v in pairs if v)
    # a trends object of another shape: its numeric columns as they are
    return tuple((str(k).replace("_", " "), f"{v:.3g}") for k, v in row.items()
                 if not str(k).startswith("_") and isinstance(v, (int, float))
                 and not isinstance(v, bool) and pd.notna(v))


def _shift_direction(row: Mapping[str, Any]) -> str:
    direction = str(row.get("direction", "")).lower()
    if direction in ("up", "down", "steady"):
        return direction
    change = next((row[c] for c in ("diff", "change", "delta", "difference")
                   if c in row and pd.notna(row[c])), None)
    return "steady" if not change else ("up" if change > 0 else "down")


def _shifts(trends: Any, top: list[str], limit: int, labels: Mapping[str, str]
            ) -> tuple[Shift, ...]:
    """The shifts to print: clear rises and falls first (overall, then per group), then the
    overall steady verdicts of the top themes; rows with too little evidence are left out."""
    if trends is None or not hasattr(trends, "shifts"):
        return ()
    df = columns(trends.shifts(), ["sentence"], "trends.shifts()").copy()
    if "status" in df.columns:
        df = df[df["status"].astype(str) != "insufficient"]
    df["_moved"] = [_shift_direction(r) != "steady" for r in df.to_dict("records")]
    df["_overall"] = df["scope"].eq("overall") if "scope" in df.columns else True
    df["_top"] = df["theme_id"].isin(top) if "theme_id" in df.columns else True
    df["_size"] = df["diff"].abs() if "diff" in df.columns else 0.0
    keep = df["_moved"] | (df["_overall"] & df["_top"])
    df = df[keep].sort_values(["_moved", "_overall", "_top", "_size"],
                              ascending=[False, False, False, False], kind="mergesort")
    out = []
    for row in df.head(limit).to_dict("records"):
        numbers = _shift_numbers(row)
        tid = str(row.get("theme_id", ""))
        label = str(row.get("label", "") or labels.get(tid, tid))
        if str(row.get("scope", "overall")) != "overall" and row.get("group"):
            label += f" ({row['group']})"
        out.append(Shift(str(row["sentence"]), _shift_direction(row), numbers,
                         str(row.get("uncertainty", "") or ""), str(row.get("theme_id", "")),
                         label))
    return tuple(out)


def _power(trends: Any) -> dict[str, Any]:
    """The smallest change the design could detect, for the evidence block (its ``sentence``
    is what the briefing prints); ``{}`` without it (``trends.shifts().attrs["power"]``)."""
    if trends is None or not hasattr(trends, "shifts"):
        return {}
    from ..trends.power import power_evidence

    return power_evidence(getattr(trends.shifts(), "attrs", {}).get("power") or {})


def _differences(trends: Any, tally: Tally, limit: int) -> tuple[Difference, ...]:
    """Trends' tested comparison when there is one; a simple rate comparison otherwise."""
    if trends is not None and hasattr(trends, "compare"):
        df = trends.compare()
        if isinstance(df, pd.DataFrame) and "sentence" in df.columns:
            if "status" in df.columns:
                df = df[df["status"].astype(str).isin(["more", "less"])]
            if "diff" in df.columns:
                df = df.reindex(df["diff"].abs().sort_values(ascending=False).index)
            return tuple(Difference(str(r.get("group", r.get("community", ""))),
                                    str(r["sentence"]), str(r.get("theme_id", "")))
                         for r in df.head(limit).to_dict("records"))
    from .summary import compare_rates

    out = [d for c in tally.community_people() if (d := compare_rates(tally, c)) is not None]
    return tuple(out[:limit])


def _asks(tally: Tally, picker: QuotePicker, limit: int, n_examples: int,
          shown: set[str]) -> tuple[Ask, ...]:
    by_theme: dict[str, list[Any]] = defaultdict(list)
    for tid, units in tally.units_by_theme().items():
        by_theme[tid] = [u for u in units if is_request(u.text, getattr(u, "context", ""))]
    ranked = sorted((t for t in by_theme if by_theme[t]),
                    key=lambda t: (-tally.people(by_theme[t]), tally.labels.get(t, t)))
    out = []
    for tid in ranked[:limit]:
        units = by_theme[tid]
        n, comms = tally.people(units), {tally.community(u) for u in units}
        label = tally.labels.get(tid, tid)
        sentence = (f"{'1 person' if n == 1 else f'{n} people'} in {len(comms)} "
                    f"{'community' if len(comms) == 1 else 'communities'} asked for "
                    f"something to change about {lower_first(label)}.")
        ids = [u.unit_id for u in units]  # quotes not already shown under the themes first
        ids = [i for i in ids if i not in shown] + [i for i in ids if i in shown]
        out.append(Ask(tid, label, n, len(comms), sentence, picker.pick(ids, n_examples)))
    return tuple(out)


def build_content(themes: Any, trends: Any = None, *, title: str, subtitle: str = "",
                  n_themes: int = 5, n_quotes: int = 3, n_shifts: int = 6,
                  n_asks: int = 5, charts: bool = True, changes: pd.DataFrame | None = None,
                  since: str = "") -> BriefingContent:
    """Fill a :class:`BriefingContent` from fitted themes (and trends, if given).

    ``changes`` are the lineage rows of a living analysis's latest update (see
    :func:`listenlens.themes.lineage.lineage_frame`) and ``since`` the date (``YYYY-MM-DD``) of
    the newest event analysed before it: they make the section "What's new since ..." (see
    :mod:`listenlens.briefing.changes`). Without them, or with no rows, there is no such section.

    Raises :class:`listenlens.errors.AnalysisError` when an input lacks something needed.
    """
    from .. import __version__

    try:
        since = iso_date(since)
    except ValueError:
        raise AnalysisError(f"since should be a date (YYYY-MM-DD), got {since!r}") from None
    tally = Tally.from_themes(themes)
    corpus = tally.corpus
    picker = QuotePicker(corpus)
    units_by_theme = tally.units_by_theme()
    people_by_comm = tally.community_people()
    total_people = sum(people_by_comm.values())
    ranked = sorted(units_by_theme, key=lambda t: (-tally.people(units_by_theme[t]),
                                                   -len(units_by_theme[t]),
                                                   tally.labels.get(t, t)))[:n_themes]
    summaries, figures, statements = [], [], []
    for tid in ranked:
        units = units_by_theme[tid]
        candidates = picker.candidates(themes, tid, [u.unit_id for u in units])
        summaries.append(_theme_summary(tid, units, tally, total_people,
                                        picker.pick(candidates, n_quotes)))
        figures.append(Figure(f"theme-count:{tid}", "theme_speakers", summaries[-1].n_people,
                              tuple(u.unit_id for u in units), theme_id=tid,
                              text=people_phrase(summaries[-1].n_people) + " raised this"))
        statements += _summary_figures(summaries[-1], tuple(u.unit_id for u in units),
                                       worded=hasattr(themes, "pinned"))

    ev = corpus.events
    dates = sorted(str(d.date()) for d in ev["date"].dropna())
    scope = Scope(len(ev), tuple(sorted(ev["community"].astype(str).unique())),
                  dates[0] if dates else "", dates[-1] if dates else "", total_people,
                  len(corpus.unit_records))
    credits = []
    for comm, grp in ev.groupby("community", sort=True):
        d = sorted(str(x.date()) for x in grp["date"].dropna())
        credits.append(Credit(str(comm), len(grp), people_by_comm.get(str(comm), 0),
                              d[0] if d else "", d[-1] if d else ""))

    shifts = _shifts(trends, ranked, n_shifts, tally.labels)
    chart_list = []
    if charts and summaries:
        chart_list.append(themes_chart(summaries))
        trend_chart = shifts_chart(trends, ranked, tally.labels) if trends is not None else None
        if trend_chart is not None:
            chart_list.append(trend_chart)

    change_lines, change_figures = (changes_section(changes, tally, since)
                                    if changes is not None else ((), ()))
    figures += change_figures

    special = [tally.theme_of.get(u.unit_id, UNASSIGNED) for u in tally.participant_units()]
    n_house = sum(1 for t in special if t.startswith(HOUSEKEEPING))
    n_unassigned = sum(1 for t in special if t.startswith(UNASSIGNED))
    consent = pd.Series([u.consent for u in corpus.unit_records]).value_counts().to_dict()
    withdrawn = sum(1 for s in corpus.skip_records if s.reason == "consent-withdrawn")
    params = _flat_params("themes.", getattr(themes, "params", None))
    params += _flat_params("trends.", getattr(trends, "params", None))
    power = _power(trends)
    mdc = power.get("sentence", "")
    methods = (
        f"We analysed {len(corpus.unit_records)} things people said or wrote at "
        f"{len(ev)} listening events. Each one was grouped with others that talk about the "
        "same subject, and each group was given a short name. We count people, not comments: "
        "someone who raised a subject several times at one event counts once.",
        "Changes over time compare how many people raised each subject in each period, with a "
        "range showing how sure we can be. Differences between communities compare the share "
        "of each community's participants who raised a subject." + (f" {mdc}" if mdc else ""),
        "Quotes are exact words, chosen only from people who agreed to be quoted, with personal "
        "details such as names, phone numbers and addresses replaced before printing.",
        agreement_sentence((getattr(themes, "params", None) or {}).get("review")),
    )
    limitations = [
        "The people who came to these events are not a random sample of the population; "
        "numbers describe who spoke, not everyone in each community.",
        "Speakers cannot be linked between events, so someone who came to two events is "
        "counted twice. Written notes with no speaker are analysed but not counted as people.",
        "Subjects were grouped automatically; group names are short summaries and may miss "
        "nuance. Read the quotes alongside them.",
        f"{n_unassigned} {'contribution' if n_unassigned == 1 else 'contributions'} did not "
        f"fit any subject clearly and {n_house} {'was' if n_house == 1 else 'were'} about "
        "running the event (welcomes, thanks); neither is counted under any theme.",
        f"Consent: {consent.get('quote', 0)} contributions could be quoted, "
        f"{consent.get('paraphrase', 0)} could only be summarised and "
        f"{consent.get('aggregate', 0)} could only be counted"
        + (f"; {withdrawn} withdrawn contributions were removed entirely." if withdrawn else "."),
    ]
    if mdc:
        limitations.append(mdc)
    if not picker.available:
        limitations.append("No quotes are shown: the redaction step was not available.")
    votes = votes_section(tally, picker, ranked, charts=charts)  # None without Polis votes
    appendix = Appendix(
        input_hash=str(corpus.input_hash),
        sources=tuple((s.path, s.sha256) for s in corpus.source_records),
        versions=_versions(), parameters=tuple(params))
    return BriefingContent(
        title=title, subtitle=subtitle, scope=scope, themes=tuple(summaries), shifts=shifts,
        differences=_differences(trends, tally, 6),
        asks=_asks(tally, picker, n_asks, 2, {q.unit_id for t in summaries for q in t.quotes}),
        methods=methods + (votes.methods if votes else ()),
        limitations=tuple(limitations) + (votes.limitations if votes else ()), votes=votes,
        appendix=appendix, credits=tuple(credits),
        charts=tuple(chart_list), figures=tuple(figures), listenlens_version=__version__,
        redaction=picker.redaction, changes=change_lines,
        changes_since=since if change_lines else "", power=power,
        statements=tuple(statements))


def evidence_path(path: str | Path) -> Path:
    """The sibling evidence file of a DOCX or Markdown export: ``briefing.evidence.json``."""
    p = Path(path)
    return p.with_name(p.stem + ".evidence.json")


class Briefing:
    """A built briefing: :attr:`content` plus saving in HTML, DOCX or Markdown.

    >>> b = brief(themes, trends, title="What we heard")
    >>> b.save("briefing.html").is_file()
    True
    """

    def __init__(self, content: BriefingContent):
        self.content = content

    @property
    def evidence(self) -> dict[str, Any]:
        """The evidence block embedded in (or saved beside) every export."""
        return self.content.evidence

    def quotes_table(self) -> pd.DataFrame:
        """Every printed quote, one row each: where it appears, its text as shown and source.

        Columns: section (``theme`` or ``ask``), theme_id, theme, unit_id, shown, speaker,
        community, date, event_id, source, spans, consent.
        """
        rows = []
        c = self.content
        placed = [("theme", t.theme_id, t.label, t.quotes) for t in c.themes]
        placed += [("ask", a.theme_id, a.label, a.examples) for a in c.asks]
        for section, tid, label, quotes in placed:
            for q in quotes:
                rows.append({"section": section, "theme_id": tid, "theme": label,
                             "unit_id": q.unit_id, "shown": q.text, "speaker": q.speaker,
                             "community": q.community, "date": q.date, "event_id": q.event_id,
                             "source": q.source, "spans": [list(x) for x in q.spans],
                             "consent": q.consent})
        cols = ["section", "theme_id", "theme", "unit_id", "shown", "speaker", "community",
                "date", "event_id", "source", "spans", "consent"]
        return pd.DataFrame(rows, columns=cols)

    def save(self, path: str | Path) -> Path:
        """Write the briefing; the format follows the extension (``.html``, ``.docx``, ``.md``).

        DOCX and Markdown get a sibling ``<name>.evidence.json``; HTML embeds it.
        """
        out = Path(path)
        ext = out.suffix.lower()
        if ext not in (".html", ".htm", ".docx", ".md"):
            raise ValueError(f"cannot save a briefing as {out.name!r}: use .html, .docx or .md")
        out.parent.mkdir(parents=True, exist_ok=True)
        if ext in (".html", ".htm"):
            from .html import render_html

            out.write_text(render_html(self.content), encoding="utf-8")
            return out
        ev = evidence_path(out)
        ev.write_text(json.dumps(self.evidence, ensure_ascii=False, indent=1), encoding="utf-8")
        if ext == ".docx":
            from .docx import render_docx

            render_docx(self.content, out)
        else:
            from .markdown import render_markdown

            out.write_text(render_markdown(self.content, evidence_name=ev.name), encoding="utf-8")
        return out

    def __repr__(self) -> str:
        c = self.content
        return (f"<Briefing {c.title!r}: {len(c.themes)} themes, {len(c.shifts)} shifts, "
                f"{sum(1 for _ in c.iter_quotes())} quotes>")

    def _repr_html_(self) -> str:
        from .html import render_compact

        return render_compact(self.content)


def brief(themes: Any, trends: Any = None, *, title: str = "What we heard",
          **options: Any) -> Briefing:
    """Build a commissioner briefing from fitted themes and trends.

    ``options`` go to :func:`build_content` (``n_themes``, ``n_quotes``, ``subtitle``, and
    ``changes``/``since`` for the section on what is new since the last update, ...).
    """
    return Briefing(build_content(themes, trends, title=title, **options))
