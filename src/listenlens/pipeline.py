"""The main job: load → themes → trends → briefing, written to a folder.

``analyse(corpus_path, out=...)`` is what ``listenlens analyse`` and the README's main command run.
It calls the same public functions a notebook calls and writes:

- ``briefing.html`` / ``briefing.docx`` / ``briefing.md`` — the commissioner briefing;
- ``community/<community>.html`` / ``.docx`` — a "you said, we heard" summary per community;
- ``tables/*.csv`` and ``tables.xlsx`` — themes, trends, shifts, community comparison, quotes;
- ``charts/*.png`` / ``*.svg`` — the charts the briefing uses;
- ``manifest.json`` and ``prov.json`` — the run manifest (inputs, versions, parameters, seeds,
  every file written with its SHA-256, step timings) and its W3C PROV-JSON lineage.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .corpus import Corpus, load

__all__ = ["analyse", "Analysis", "FORMATS", "default_cache_dir"]

FORMATS = ("html", "docx", "md")


def default_cache_dir() -> Path:
    """Where embeddings are cached between runs: ``$LISTENLENS_CACHE``, else
    ``$XDG_CACHE_HOME/listenlens``, else ``~/.cache/listenlens``. Vectors are keyed by the model's
    file hash and the text's SHA-256, so a cache can be shared by any corpora and never mixes
    models."""
    env = os.environ.get("LISTENLENS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "listenlens"


def slug(text: str) -> str:
    """A file-name-safe form of a community name: ``"Eastgate Older People's Forum"`` →
    ``"eastgate-older-peoples-forum"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("’", "")).strip("-")


@dataclass
class Analysis:
    """Everything one run produced: the objects, and the files written (if any)."""

    corpus: Corpus
    themes: Any
    trends: Any
    briefing: Any
    manifest: Any
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def _repr_html_(self) -> str:  # pragma: no cover - display only
        return self.briefing._repr_html_()


def analyse(corpus: str | Path | Corpus, *, out: str | Path | None = None,
            formats: Sequence[str] = FORMATS, codebook: str | Path | None = None,
            period: str = "quarter", seed: int = 0, title: str | None = None,
            default_consent: str = "paraphrase", progress: bool | None = None,
            cache_dir: str | Path | None | bool = True,
            log: Callable[[str], None] | None = None, themes: Any = None,
            brief_options: dict[str, Any] | None = None) -> Analysis:
    """Run the whole analysis and, when ``out`` is given, write every output into it.

    ``cache_dir``: where embeddings are cached (``True``: :func:`default_cache_dir`; ``False`` or
    ``None``: no cache), so a re-run embeds only new text. ``themes``: already fitted (or
    curated) themes of this corpus to use instead of finding them (a project passes its
    registry's); ``brief_options`` go to :func:`listenlens.brief`.

    >>> result = analyse("corpora/examples/riverside", out="out/example")
    >>> sorted(p.name for p in result.files if p.parent.name == "example")[:3]
    ['briefing.docx', 'briefing.html', 'briefing.md']
    """
    from .briefing import brief
    from .provenance import build_manifest
    from .themes import find_themes
    from .trends import track

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    say = log or (lambda _msg: None)
    timings: dict[str, float] = {}
    started = time.time()

    def step(name: str) -> None:
        timings[name] = round(time.time() - started - sum(timings.values()), 3)

    if not isinstance(corpus, Corpus):
        corpus = load(corpus, default_consent=default_consent, progress=progress)
    say(corpus.report())
    step("load")
    cache = default_cache_dir() if cache_dir is True else (cache_dir or None)
    if themes is None:
        themes = find_themes(corpus, seed=seed, codebook=codebook, progress=progress,
                             cache_dir=cache)
        say(f"{len(themes.table)} themes found")
    elif themes.corpus.input_hash != corpus.input_hash:
        raise ValueError("the themes given were fitted on another corpus (input hashes differ)")
    step("themes")
    trends = track(themes, period=period, by="community", seed=seed)
    step("trends")
    title = title or _default_title(corpus)
    briefing = brief(themes, trends, title=title, **(brief_options or {}))
    step("briefing")
    manifest = build_manifest(corpus, themes=themes, trends=trends,
                              params={"period": period, "formats": list(formats),
                                      "codebook": str(codebook) if codebook else None,
                                      "title": title},
                              seeds={"seed": seed})
    result = Analysis(corpus, themes, trends, briefing, manifest, timings=timings)
    if out is not None:
        result.files = _write(result, Path(out), formats, say)
        step("write")
        # the manifest records every file written (with its hash), the step times, the end time
        result.manifest = replace(manifest.with_outputs(*result.files, stage="analyse"),
                                  timings=dict(timings)).finish()
        result.files += [result.manifest.save(Path(out) / "manifest.json"),
                         result.manifest.save_prov(Path(out) / "prov.json")]
    else:
        result.manifest = replace(manifest, timings=dict(timings)).finish()
    return result


def _default_title(corpus: Corpus) -> str:
    dates = sorted(e.date for e in corpus.event_records if e.date is not None)
    if dates:
        return f"What communities told us, {dates[0]:%B %Y} to {dates[-1]:%B %Y}"
    return "What communities told us"


def _write(result: Analysis, out: Path, formats: Sequence[str],
           say: Callable[[str], None]) -> list[Path]:
    from .briefing import community_summaries

    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for fmt in formats:
        files.append(result.briefing.save(out / f"briefing.{fmt}"))
    for path in community_summaries(result.themes, result.trends, out / "community"):
        files.append(Path(path))
    tables = out / "tables"
    tables.mkdir(exist_ok=True)
    frames = _tables(result)
    for name, frame in frames.items():
        path = tables / f"{name}.csv"
        frame.to_csv(path, index=False)
        files.append(path)
    files.extend(_table_evidence(result, tables, frames))
    import pandas as pd

    with pd.ExcelWriter(out / "tables.xlsx") as xl:
        for name, frame in frames.items():
            _excel_safe(frame).to_excel(xl, sheet_name=name[:31], index=False)
    files.append(out / "tables.xlsx")
    files.extend(result.trends.save_charts(out / "charts"))
    say(f"wrote {len(files)} files to {out}")
    return files


def _table_evidence(result: Analysis, tables: Path, frames: dict[str, Any]) -> list[Path]:
    """Evidence blocks beside the tables that ``listenlens verify`` can check: every quote of
    ``quotes.csv``, and every count of ``themes.csv`` recomputed from the units behind it."""
    import json

    from .errors import AnalysisError
    from .provenance.evidence import evidence_block, figure_evidence

    corpus = result.corpus
    quotes = result.briefing.evidence.get("quotes", [])
    written = []
    path = tables / "quotes.evidence.json"
    path.write_text(json.dumps(evidence_block(corpus, quotes, []), ensure_ascii=False, indent=1),
                    encoding="utf-8")
    written.append(path)
    assignments = result.themes.assignments
    primary = assignments[assignments["primary"]] if "primary" in assignments else assignments
    members = primary.groupby("theme_id")["unit_id"].apply(list).to_dict()
    figures = []
    for row in frames["themes"].itertuples(index=False):
        ids = members.get(row.theme_id, [])
        for kind, column in (("theme_units", "n_units"), ("theme_speakers", "n_speakers"),
                             ("events", "n_events"), ("communities", "n_communities")):
            fig = figure_evidence(f"themes.csv:{row.theme_id}:{column}", kind, ids, corpus,
                                  text=str(getattr(row, column)), theme_id=row.theme_id)
            if fig["value"] != getattr(row, column):
                raise AnalysisError(f"themes table {column} for {row.theme_id} is "
                                    f"{getattr(row, column)} but its units give {fig['value']}")
            figures.append(fig)
    path = tables / "themes.evidence.json"
    path.write_text(json.dumps(evidence_block(corpus, [], figures), ensure_ascii=False,
                               indent=1), encoding="utf-8")
    written.append(path)
    return written


def _tables(result: Analysis) -> dict[str, Any]:
    themes_table = result.themes.table.copy()
    themes_table["keywords"] = themes_table["keywords"].map(lambda k: "; ".join(k))
    return {
        "themes": themes_table,
        "trends": result.trends.table,
        "shifts": result.trends.shifts(),
        "communities": result.trends.compare(),
        "quotes": result.briefing.quotes_table(),
    }


def _excel_safe(frame: Any) -> Any:
    frame = frame.copy()
    for col in frame.columns:
        if hasattr(frame[col], "dt") and getattr(frame[col].dt, "tz", None) is not None:
            frame[col] = frame[col].dt.tz_localize(None)
        if frame[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            frame[col] = frame[col].map(str)
    return frame
