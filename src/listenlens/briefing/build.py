"""Fill the briefing content model from fitted themes and trends, and save briefings.

:func:`build_content` reads the public surface of a fitted :class:`~listenlens.themes.Themes`
(``corpus``, ``table``, ``assignments``, ``quotes()``, ``params``) and of a
:class:`~listenlens.trends.Trends` (``shifts()``, ``compare()``, ``overall``, ``params``); a
missing attribute or column is an :class:`~listenlens.errors.AnalysisError` naming it. Quotes go
through :mod:`listenlens.provenance` (consent and redaction). Each section of the briefing has
its own builder below; :func:`build_content` only puts them together.

>>> b = brief(themes, trends, title="Health and care: what we heard")
>>> [b.save(f"out/briefing.{fmt}").name for fmt in ("html", "docx")]
['briefing.html', 'briefing.docx']
"""

from __future__ import annotations

import json
import platform
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import AnalysisError, ParameterError
from ..phrasing import pct, plural
from ..provenance.evidence import attribution
from ..provenance.manifest import package_versions
from ..themes.result import HOUSEKEEPING, UNASSIGNED, Themes
from ..themes.review import agreement_sentence
from ..trends.power import power_evidence
from ..trends.text import join_names
from .changes import changes_section, iso_date
from .charts import shifts_chart, themes_chart
from .content import (
    Appendix,
    Ask,
    BriefingContent,
    Chart,
    Credit,
    Difference,
    Figure,
    Quote,
    Scope,
    Shift,
    ThemeSummary,
)
from .quotes import QuotePicker
from .summary import compare_rates
from .tally import Tally, columns, lower_first, people_phrase
from .votes import votes_section

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..trends import Trends

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

#: Packages whose versions the provenance appendix lists (those installed, in this order).
_VERSIONED = ("pandas", "numpy", "scikit-learn", "bertopic", "sentence-transformers", "spacy",
              "python-docx", "jinja2", "matplotlib")
#: What :meth:`Trends.shifts` and :meth:`Trends.compare` columns the briefing reads.
_SHIFT_COLUMNS = ("scope", "group", "theme_id", "label", "status", "direction", "early", "late",
                  "share_early", "share_late", "diff", "ci_low", "ci_high", "uncertainty",
                  "sentence")
_COMPARE_COLUMNS = ("group", "theme_id", "status", "diff", "sentence")


def _versions() -> tuple[tuple[str, str], ...]:
    """listenlens, Python and the installed :data:`_VERSIONED` packages, for the appendix."""
    from .. import __version__

    installed = [(k, v) for k, v in package_versions(_VERSIONED).items() if v is not None]
    return (("listenlens", __version__), ("python", platform.python_version()), *installed)


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


def _theme_summary(tid: str, units: list[Any], tally: Tally, total_people: int,
                   quotes: tuple[Quote, ...]) -> ThemeSummary:
    n_people = tally.people(units)
    n_events = len({u.event_id for u in units})
    comms = {tally.community(u) for u in units}
    kws = tally.keywords.get(tid, ())[:4]
    text = (f"{people_phrase(n_people)} raised this at {plural(n_events, 'event')}, "
            f"in {plural(len(comms), 'community', 'communities')}.")
    if kws:
        text += f" They talked about {join_names(kws)}."
    return ThemeSummary(tid, tally.labels.get(tid, tid), text, n_people, n_events, len(comms),
                        (n_people / total_people) if total_people else None,
                        attribution([u.unit_id for u in units], tally.corpus), kws, quotes)


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


@dataclass(frozen=True)
class _TopThemes:
    """The themes section: the top theme ids, their summaries and the figures behind them."""

    ids: list[str]
    summaries: tuple[ThemeSummary, ...]
    figures: tuple[Figure, ...]
    statements: tuple[Figure, ...]

    def quoted(self) -> set[str]:
        """Unit ids already quoted under the themes."""
        return {q.unit_id for t in self.summaries for q in t.quotes}


def _top_themes(themes: Themes, tally: Tally, picker: QuotePicker, n_themes: int,
                n_quotes: int) -> _TopThemes:
    """The ``n_themes`` themes most people raised, each with its quotes and figures."""
    units_by_theme = tally.units_by_theme()
    total_people = sum(tally.community_people().values())
    ranked = tally.ranked_themes(units_by_theme)[:n_themes]
    summaries, figures, statements = [], [], []
    for tid in ranked:
        units = units_by_theme[tid]
        ids = tuple(u.unit_id for u in units)
        candidates = picker.candidates(themes, tid, list(ids))
        summary = _theme_summary(tid, units, tally, total_people,
                                 picker.pick(candidates, n_quotes))
        summaries.append(summary)
        figures.append(Figure(f"theme-count:{tid}", "theme_speakers", summary.n_people, ids,
                              theme_id=tid, text=people_phrase(summary.n_people) + " raised this"))
        statements += _summary_figures(summary, ids, worded=isinstance(themes, Themes))
    return _TopThemes(ranked, tuple(summaries), tuple(figures), tuple(statements))


def _date_range(dates: pd.Series) -> tuple[str, str]:
    """First and last of some event dates as ``YYYY-MM-DD`` (empty when none is known)."""
    days = sorted(str(d.date()) for d in dates.dropna())
    return (days[0], days[-1]) if days else ("", "")


def _scope(tally: Tally) -> Scope:
    """Who was heard: events, communities, dates, people and contributions."""
    corpus, ev = tally.corpus, tally.corpus.events
    return Scope(len(ev), tuple(sorted(ev["community"].astype(str).unique())),
                 *_date_range(ev["date"]), sum(tally.community_people().values()),
                 len(corpus.unit_records))


def _credits(tally: Tally) -> tuple[Credit, ...]:
    """One thank-you line per community: its events, people and dates."""
    people = tally.community_people()
    return tuple(Credit(str(comm), len(grp), people.get(str(comm), 0), *_date_range(grp["date"]))
                 for comm, grp in tally.corpus.events.groupby("community", sort=True))


def _charts(trends: Trends | None, top: _TopThemes, labels: Mapping[str, str]
            ) -> tuple[Chart, ...]:
    """The top themes' bar chart, and the shifts chart when there are periods to draw."""
    if not top.summaries:
        return ()
    out = [themes_chart(top.summaries)]
    trend_chart = shifts_chart(trends, top.ids, dict(labels)) if trends is not None else None
    return tuple(out + ([trend_chart] if trend_chart is not None else []))


def _share(x: Any) -> str:
    """A share from a trends row ('' when it is missing, so the cell is left out)."""
    return "" if x is None or pd.isna(x) else pct(float(x))


def _pts(x: Any) -> str:
    return "" if x is None or pd.isna(x) else f"{float(x) * 100:+.0f} points".replace("-", "−")


def _shift_numbers(row: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The numbers behind one shift, as (column name, shown value) pairs."""
    early, late = row["early"], row["late"]
    pairs = [(f"Then ({early})" if early else "Then", _share(row["share_early"])),
             (f"Now ({late})" if late else "Now", _share(row["share_late"])),
             ("Change", _pts(row["diff"]))]
    lo, hi = _pts(row["ci_low"]), _pts(row["ci_high"])
    if lo and hi and not row["uncertainty"]:  # else the uncertainty text says it
        pairs.append(("Likely range of the change", f"{lo.split()[0]} to {hi}"))
    return tuple((k, v) for k, v in pairs if v)


def _shift(row: Mapping[str, Any], labels: Mapping[str, str]) -> Shift:
    """One row of ``trends.shifts()`` as a printed shift."""
    tid = str(row["theme_id"])
    label = labels.get(tid) or str(row["label"] or tid)
    if str(row["scope"]) != "overall" and row["group"]:
        label += f" ({row['group']})"
    return Shift(str(row["sentence"]), str(row["direction"]), _shift_numbers(row),
                 str(row["uncertainty"] or ""), tid, label)


def _shifts(trends: Trends | None, top: Sequence[str], limit: int, labels: Mapping[str, str]
            ) -> tuple[Shift, ...]:
    """The shifts to print: clear rises and falls first (overall, then per group), then the
    overall steady verdicts of the top themes; rows with too little evidence are left out."""
    if trends is None:
        return ()
    df = columns(trends.shifts(), _SHIFT_COLUMNS, "trends.shifts()")
    df = df[df["status"].astype(str) != "insufficient"].copy()
    df["_moved"] = df["direction"].astype(str) != "steady"
    df["_overall"] = df["scope"].eq("overall")
    df["_top"] = df["theme_id"].isin(top)
    df["_size"] = df["diff"].abs()
    df = df[df["_moved"] | (df["_overall"] & df["_top"])]
    df = df.sort_values(["_moved", "_overall", "_top", "_size"],
                        ascending=[False, False, False, False], kind="mergesort")
    return tuple(_shift(row, labels) for row in df.head(limit).to_dict("records"))


def _power(trends: Trends | None) -> dict[str, Any]:
    """The smallest change the design could detect, for the evidence block (its ``sentence``
    is what the briefing prints); ``{}`` without it (``trends.shifts().attrs["power"]``)."""
    if trends is None:
        return {}
    return power_evidence(trends.shifts().attrs.get("power") or {})


def _differences(trends: Trends | None, tally: Tally, limit: int) -> tuple[Difference, ...]:
    """Trends' tested comparison when there are trends; a simple rate comparison otherwise."""
    if trends is None:
        out = [d for c in tally.community_people() if (d := compare_rates(tally, c)) is not None]
        return tuple(out[:limit])
    df = columns(trends.compare(), _COMPARE_COLUMNS, "trends.compare()")
    df = df[df["status"].astype(str).isin(["more", "less"])]
    df = df.reindex(df["diff"].abs().sort_values(ascending=False).index)
    return tuple(Difference(str(r["group"]), str(r["sentence"]), str(r["theme_id"]))
                 for r in df.head(limit).to_dict("records"))


def _asks(tally: Tally, picker: QuotePicker, limit: int, n_examples: int,
          shown: set[str]) -> tuple[Ask, ...]:
    by_theme: dict[str, list[Any]] = defaultdict(list)
    for tid, units in tally.units_by_theme().items():
        by_theme[tid] = [u for u in units if is_request(u.text, u.context)]
    ranked = sorted((t for t in by_theme if by_theme[t]),
                    key=lambda t: (-tally.people(by_theme[t]), tally.labels.get(t, t)))
    out = []
    for tid in ranked[:limit]:
        units = by_theme[tid]
        n, comms = tally.people(units), {tally.community(u) for u in units}
        label = tally.labels.get(tid, tid)
        sentence = (f"{people_phrase(n)} in {plural(len(comms), 'community', 'communities')} "
                    f"asked for something to change about {lower_first(label)}.")
        ids = [u.unit_id for u in units]  # quotes not already shown under the themes first
        ids = [i for i in ids if i not in shown] + [i for i in ids if i in shown]
        out.append(Ask(tid, label, n, len(comms), sentence, picker.pick(ids, n_examples)))
    return tuple(out)


def _methods(themes: Themes, corpus: Corpus, power: Mapping[str, Any]) -> tuple[str, ...]:
    """How the briefing was made, in plain words (with the smallest detectable change)."""
    mdc = power.get("sentence", "")
    return (
        f"We analysed {len(corpus.unit_records)} things people said or wrote at "
        f"{len(corpus.events)} listening events. Each one was grouped with others that talk "
        "about the same subject, and each group was given a short name. We count people, not "
        "comments: someone who raised a subject several times at one event counts once.",
        "Changes over time compare how many people raised each subject in each period, with a "
        "range showing how sure we can be. Differences between communities compare the share "
        "of each community's participants who raised a subject." + (f" {mdc}" if mdc else ""),
        "Quotes are exact words, chosen only from people who agreed to be quoted, with personal "
        "details such as names, phone numbers and addresses replaced before printing.",
        agreement_sentence((themes.params or {}).get("review")),
    )


def _limitations(tally: Tally, power: Mapping[str, Any]) -> tuple[str, ...]:
    """What the numbers cannot say: sample, linking, grouping, set-aside units and consent."""
    corpus = tally.corpus
    special = [tally.theme_of.get(u.unit_id, UNASSIGNED) for u in tally.participant_units()]
    n_house = sum(1 for t in special if t.startswith(HOUSEKEEPING))
    n_unassigned = sum(1 for t in special if t.startswith(UNASSIGNED))
    consent = pd.Series([u.consent for u in corpus.unit_records]).value_counts().to_dict()
    withdrawn = sum(1 for s in corpus.skip_records if s.reason == "consent-withdrawn")
    out = [
        "The people who came to these events are not a random sample of the population; "
        "numbers describe who spoke, not everyone in each community.",
        "Speakers cannot be linked between events, so someone who came to two events is "
        "counted twice. Written notes with no speaker are analysed but not counted as people.",
        "Subjects were grouped automatically; group names are short summaries and may miss "
        "nuance. Read the quotes alongside them.",
        f"{plural(n_unassigned, 'contribution')} did not fit any subject clearly and "
        f"{plural(n_house, 'was', 'were')} about running the event (welcomes, thanks); "
        "neither is counted under any theme.",
        f"Consent: {consent.get('quote', 0)} contributions could be quoted, "
        f"{consent.get('paraphrase', 0)} could only be summarised and "
        f"{consent.get('aggregate', 0)} could only be counted"
        + (f"; {withdrawn} withdrawn contributions were removed entirely." if withdrawn else "."),
    ]
    if power.get("sentence"):
        out.append(power["sentence"])
    return tuple(out)


def _appendix(themes: Themes, trends: Trends | None, corpus: Corpus) -> Appendix:
    """Input hash, source files, software versions and every parameter."""
    params = _flat_params("themes.", themes.params)
    params += _flat_params("trends.", trends.params if trends is not None else None)
    return Appendix(input_hash=str(corpus.input_hash),
                    sources=tuple((s.path, s.sha256) for s in corpus.source_records),
                    versions=_versions(), parameters=tuple(params))


def _since(since: Any) -> str:
    try:
        return iso_date(since)
    except ValueError:
        raise AnalysisError(f"since should be a date (YYYY-MM-DD), got {since!r}") from None


def build_content(themes: Themes, trends: Trends | None = None, *, title: str,
                  subtitle: str = "", n_themes: int = 5, n_quotes: int = 3, n_shifts: int = 6,
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

    since = _since(since)
    tally = Tally.from_themes(themes)
    picker = QuotePicker(tally.corpus)
    top = _top_themes(themes, tally, picker, n_themes, n_quotes)
    change_lines, change_figures = (changes_section(changes, tally, since)
                                    if changes is not None else ((), ()))
    power = _power(trends)
    votes = votes_section(tally, picker, top.ids, charts=charts)  # None without Polis votes
    return BriefingContent(
        title=title, subtitle=subtitle, scope=_scope(tally), themes=top.summaries,
        shifts=_shifts(trends, top.ids, n_shifts, tally.labels),
        differences=_differences(trends, tally, 6),
        asks=_asks(tally, picker, n_asks, 2, top.quoted()),
        methods=_methods(themes, tally.corpus, power) + (votes.methods if votes else ()),
        limitations=_limitations(tally, power) + (votes.limitations if votes else ()),
        votes=votes, appendix=_appendix(themes, trends, tally.corpus), credits=_credits(tally),
        charts=_charts(trends, top, tally.labels) if charts else (),
        figures=top.figures + tuple(change_figures), listenlens_version=__version__,
        redaction=picker.redaction, changes=change_lines,
        changes_since=since if change_lines else "", power=power,
        statements=top.statements)


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
            raise ParameterError(f"cannot save a briefing as {out.name!r}: use .html, .docx or .md")
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


def brief(themes: Themes, trends: Trends | None = None, *, title: str = "What we heard",
          subtitle: str = "", n_themes: int = 5, n_quotes: int = 3, n_shifts: int = 6,
          n_asks: int = 5, charts: bool = True, changes: pd.DataFrame | None = None,
          since: str = "") -> Briefing:
    """Build a commissioner briefing from fitted themes and trends.

    The options are :func:`build_content`'s: how many top themes, quotes per theme, shifts and
    asks to print, whether to draw charts, and ``changes``/``since`` for the section on what is
    new since the last update.
    """
    return Briefing(build_content(themes, trends, title=title, subtitle=subtitle,
                                  n_themes=n_themes, n_quotes=n_quotes, n_shifts=n_shifts,
                                  n_asks=n_asks, charts=charts, changes=changes, since=since))
