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

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .corpus import Corpus, load
from .encoders import DEFAULT_ENCODER, ENCODERS, encoder_path, make_embedder
from .errors import AnalysisError
from .outputs import OutputFolder, normalise_zip, safe_stem
from .provenance.cells import is_formula_like, neutralise_frame
from .provenance.wording import ShownThemes
from .validation import check_choice

__all__ = ["analyse", "Analysis", "FORMATS", "default_cache_dir", "output_timestamp"]

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
    ``"eastgate-older-peoples-forum"``; long names are cut and given a short hash (see
    :func:`listenlens.outputs.safe_stem`)."""
    return safe_stem(text.replace("’", "'"), fallback="community")


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
            brief_options: dict[str, Any] | None = None, client: Any = None,
            encoder: str = "minilm") -> Analysis:
    """Run the whole analysis and, when ``out`` is given, write every output into it.

    ``cache_dir``: where embeddings are cached (``True``: :func:`default_cache_dir`; ``False`` or
    ``None``: no cache), so a re-run embeds only new text. ``themes``: already fitted (or
    curated) themes of this corpus to use instead of finding them (a project passes its
    registry's); ``brief_options`` go to :func:`listenlens.brief`. ``client``: a
    ``distributed.Client`` whose workers embed the units (see :mod:`listenlens.distributed`;
    needs a cache folder every worker can reach); its scheduler's address is recorded in the
    manifest (``params["run"]["scheduler"]``, ``None`` for a run in this process).
    ``encoder``: the sentence encoder of the theme fit, ``"minilm"`` (default) or ``"mpnet"``
    (slower, closer themes; needs ``listenlens[mpnet]``, see :mod:`listenlens.encoders`); recorded
    in the manifest (``params["run"]["encoder"]``; the model's folder and file hash in
    ``models``, its name in the theme fit's parameters).

    ``out`` is checked before anything is analysed (it must be a new or empty folder, or the
    outputs of an earlier run, with a writable parent; otherwise
    :class:`~listenlens.errors.OutputError`). Outputs are written into a staging folder beside
    it and renamed into place at the end (see :mod:`listenlens.outputs`): an interrupted run
    leaves the earlier outputs as they were, and a finished one leaves nothing of them.

    >>> result = analyse("corpora/examples/riverside", out="out/example")  # doctest: +SLOW
    >>> sorted(p.name for p in result.files if p.parent.name == "example")[:3]
    ['briefing.docx', 'briefing.evidence.json', 'briefing.html']
    """
    for fmt in formats:
        check_choice("format", fmt, FORMATS)
    check_choice("encoder", encoder, ENCODERS)
    if client is not None and not cache_dir:
        raise AnalysisError("running on a Dask cluster needs an embedding cache folder every "
                            "worker can reach (cache_dir; not --no-cache)")
    folder = OutputFolder(out).prepare() if out is not None else None
    try:
        result = _run(corpus, folder, formats=formats, codebook=codebook, period=period,
                      seed=seed, title=title, default_consent=default_consent,
                      progress=progress, cache_dir=cache_dir, say=log or (lambda _msg: None),
                      themes=themes, brief_options=brief_options, client=client,
                      encoder=encoder)
        if folder is not None:
            folder.commit()
    except BaseException:
        if folder is not None:
            folder.abort()
        raise
    return result


def _run(corpus: str | Path | Corpus, folder: OutputFolder | None, *, formats: Sequence[str],
         codebook: str | Path | None, period: str, seed: int, title: str | None,
         default_consent: str, progress: bool | None, cache_dir: str | Path | None | bool,
         say: Callable[[str], None], themes: Any,
         brief_options: dict[str, Any] | None, client: Any = None,
         encoder: str = "minilm") -> Analysis:
    from .briefing import brief
    from .provenance import build_manifest
    from .trends import track

    timings: dict[str, float] = {}
    started = time.time()

    def step(name: str) -> None:
        timings[name] = round(time.time() - started - sum(timings.values()), 3)

    if not isinstance(corpus, Corpus):
        corpus = load(corpus, default_consent=default_consent, progress=progress)
    say(corpus.report())
    step("load")
    cache = default_cache_dir() if cache_dir is True else (cache_dir or None)
    fit_record: dict[str, Any] = {"cache": "not used (themes given)"}
    if themes is None:
        themes, fit_record = _themes(corpus, seed=seed, codebook=codebook, progress=progress,
                                     cache=cache, client=client, encoder=encoder)
        say(f"{len(themes.table)} themes found"
            + (" (the fitted themes of an identical earlier run, from the cache)"
               if fit_record["cache"] == "reused" else ""))
    elif themes.corpus.input_hash != corpus.input_hash:
        raise ValueError("the themes given were fitted on another corpus (input hashes differ)")
    step("themes")
    # trend tables, shift sentences and charts name themes as exports may (wording rule)
    shown = ShownThemes(themes)  # judged once: the trends and the tables name themes alike
    trends = track(shown, period=period, by="community", seed=seed)
    step("trends")
    title = title or _default_title(corpus)
    briefing = brief(themes, trends, title=title, **(brief_options or {}))
    step("briefing")
    stamp = output_timestamp(corpus)
    manifest = build_manifest(corpus, themes=themes, trends=trends,
                              params={"period": period, "formats": list(formats),
                                      "codebook": str(codebook) if codebook else None,
                                      "title": title, "output_timestamp": stamp.isoformat(),
                                      "scheduler": _scheduler(client), "encoder": encoder,
                                      "theme_fit": fit_record},
                              seeds={"seed": seed}, models=_models(encoder, cache))
    result = Analysis(corpus, themes, trends, briefing, manifest, timings=timings)
    if folder is None:
        result.manifest = replace(manifest, timings=dict(timings)).finish()
        return result
    staging = folder.staging_
    _write(result, staging, formats, stamp, seed, shown)
    say(f"wrote {sum(1 for p in staging.rglob('*') if p.is_file())} files for {folder.target}")
    step("write")
    # the manifest lists every file in the folder (with its hash, by its path inside the
    # folder), the step times and the end time; it cannot list itself or prov.json
    written = sorted((p for p in staging.rglob("*") if p.is_file()),
                     key=lambda p: p.relative_to(staging).as_posix())
    result.manifest = replace(
        manifest.with_outputs(*written, stage="analyse", root=staging, shown_root=folder.target),
        timings=dict(timings)).finish()
    result.manifest.save(staging / "manifest.json")
    result.manifest.save_prov(staging / "prov.json")
    result.files = [folder.final_path(p) for p in
                    (*written, staging / "manifest.json", staging / "prov.json")]
    return result


def _themes(corpus: Corpus, *, seed: int, codebook: str | Path | None,
            progress: bool | None, cache: str | Path | None, client: Any, encoder: str
            ) -> tuple[Any, dict[str, Any]]:
    """The themes of ``corpus`` and how they were got: fitted, or, when the cache holds the fit
    of the same vectors, units, parameters, seed, embedder, code and packages
    (:mod:`listenlens.themes.fit_cache`), read from it. Returns the themes and the record the
    manifest keeps (``cache``: ``"reused"``, ``"stored"`` or why not used; ``key``)."""
    from .themes.fit_cache import fit_key, load_fit, store_fit
    from .themes.model import ThemeModel, embed_corpus

    # the model folder of an opt-in encoder lives in the cache folder (default one without)
    embedder = make_embedder(encoder, progress=progress, cache_dir=cache)
    model = ThemeModel(seed=seed, embedder=embedder, codebook=codebook, progress=progress,
                       cache_dir=cache, client=client)
    settings = _fit_settings(model.get_params(), embedder.name)
    if cache is None or settings is None:
        reason = "off (no cache folder)" if cache is None else "off (codebook not a file)"
        return model.fit(corpus).themes_, {"cache": reason}
    x = embed_corpus(corpus, embedder, cache, client=client)
    unit_ids = [u.unit_id for u in corpus.unit_records]
    key = fit_key(x, unit_ids, corpus_hash=corpus.input_hash, settings=settings)
    themes, outcome = load_fit(cache, key, corpus, x, unit_ids)
    if themes is not None:
        return themes, {"cache": outcome, "key": key}
    themes = model.fit(corpus, embeddings=x).themes_  # the vectors the key was computed from
    record: dict[str, Any] = {"cache": "stored", "key": key}
    if outcome != "none stored":
        record["refused"] = outcome
    try:
        store_fit(cache, key, themes)
    except OSError as err:  # a read-only or full cache folder: the run goes on, and says so
        record["cache"] = f"not stored ({type(err).__name__}: {err})"
    return themes, record


def _models(encoder: str, cache: str | Path | None) -> dict[str, Path | None] | None:
    """The models the manifest names: ``None`` for the default (the packaged MiniLM and spaCy
    models), else the opt-in encoder's joined folder and the spaCy model."""
    from .provenance.manifest import SPACY_MODEL

    if encoder == DEFAULT_ENCODER:
        return None
    path = encoder_path(encoder, cache)
    return {path.name: path, SPACY_MODEL: None} if path is not None else None


def _fit_settings(params: dict[str, Any], embedder_name: str) -> dict[str, Any] | None:
    """What a theme fit depends on besides its vectors and corpus: every parameter (the Dask
    client only decides where vectors are computed, not what they are), the embedder's name
    (model files and backend) and a codebook's file hash. ``None`` when the codebook is not a
    file (nothing to hash, so no reuse)."""
    from .ids import sha256_bytes

    out = {k: v for k, v in params.items() if k not in ("client", "embedder")}
    out["embedder"] = embedder_name
    out["cache_dir"] = None if params["cache_dir"] is None else str(params["cache_dir"])
    book = params.get("codebook")
    if book is not None:
        if not isinstance(book, (str, Path)) or not Path(book).is_file():
            return None
        out["codebook"] = {"path": str(book), "sha256": sha256_bytes(Path(book).read_bytes())}
    return out


def _scheduler(client: Any) -> str | None:
    if client is None:
        return None
    from .distributed import scheduler_address

    return scheduler_address(client)


def output_timestamp(corpus: Corpus) -> dt.datetime:
    """The one timestamp written inside outputs (zip entries of ``.docx``/``.xlsx``, the
    workbook's created/modified fields), so the same input gives the same bytes:
    ``$SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else midnight UTC of
    the newest event date in the corpus, else 1 January 1980."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    dates = [e.date for e in corpus.event_records if e.date is not None]
    if dates:
        newest = max(dt.date(d.year, d.month, d.day) for d in dates)
        return dt.datetime(max(newest.year, 1980), newest.month, newest.day)
    return dt.datetime(1980, 1, 1)


def _default_title(corpus: Corpus) -> str:
    dates = sorted(e.date for e in corpus.event_records if e.date is not None)
    if dates:
        return f"What communities told us, {dates[0]:%B %Y} to {dates[-1]:%B %Y}"
    return "What communities told us"


def _write(result: Analysis, out: Path, formats: Sequence[str], stamp: dt.datetime,
           seed: int, shown: ShownThemes) -> None:
    """Write every output into ``out`` (the staging folder); ``shown``: the themes as exports
    may name them."""
    from .briefing import community_summaries

    for fmt in formats:
        result.briefing.save(out / f"briefing.{fmt}")
    community_summaries(result.themes, result.trends, out / "community")
    tables = out / "tables"
    tables.mkdir(exist_ok=True)
    frames = _tables(result, shown)
    for name, frame in frames.items():
        neutralise_frame(frame).to_csv(tables / f"{name}.csv", index=False)
    _table_evidence(result, tables, frames)
    _write_xlsx(frames, out / "tables.xlsx", stamp)
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": f"listenlens-{seed}"}):
        result.trends.save_charts(out / "charts")
    for package in sorted(out.rglob("*.docx")):
        normalise_zip(package, stamp)


def _write_xlsx(frames: dict[str, Any], path: Path, stamp: dt.datetime) -> None:
    """The tables as one workbook: every text cell a string (never a formula: cells a
    spreadsheet would read as one are stored as text with Excel's "quote prefix"), fixed
    created/modified times and zip timestamps."""
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, frame in frames.items():
            sheet = name[:31]
            _excel_safe(frame).to_excel(xl, sheet_name=sheet, index=False)
            for row in xl.book[sheet].iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (isinstance(cell.value, str)
                                                 and is_formula_like(cell.value)):
                        cell.data_type = "s"
                        cell.quotePrefix = True
    normalise_zip(path, stamp)


def _table_evidence(result: Analysis, tables: Path, frames: dict[str, Any]) -> None:
    """Evidence blocks beside the tables that ``listenlens verify`` checks: every quote of
    ``quotes.csv``; for ``themes.csv`` every row (the units behind it and every cell as
    written), from which verify recomputes each count, share and date and re-applies the
    wording rule to the label and keywords."""
    import json

    from .errors import AnalysisError
    from .provenance.evidence import evidence_block, figure_evidence, table_rows_evidence

    corpus = result.corpus
    quotes = result.briefing.evidence.get("quotes", [])
    (tables / "quotes.evidence.json").write_text(
        json.dumps(evidence_block(corpus, quotes, []), ensure_ascii=False, indent=1),
        encoding="utf-8")
    members = _members(result.themes)
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
    block = evidence_block(corpus, [], figures)
    primary = _primary(result.themes)
    substantive = primary.loc[~primary["theme_id"].astype(str).str.startswith("t-housekeeping"),
                              "unit_id"].astype(str).tolist()
    pinned = dict(getattr(result.themes, "pinned", None) or {})
    block["table"] = table_rows_evidence(
        frames["themes"], "theme_id", members, denominator=substantive,
        researcher_labels=[t for t, lab in zip(frames["themes"]["theme_id"],
                                               frames["themes"]["label"]) if pinned.get(t) == lab])
    (tables / "themes.evidence.json").write_text(json.dumps(block, ensure_ascii=False,
                                                            indent=1), encoding="utf-8")


def _primary(themes: Any) -> Any:
    assignments = themes.assignments
    return assignments[assignments["primary"]] if "primary" in assignments else assignments


def _members(themes: Any) -> dict[str, list[str]]:
    """Theme id -> the ids of its units (primary assignments)."""
    return _primary(themes).groupby("theme_id")["unit_id"].apply(list).to_dict()


def _tables(result: Analysis, shown: ShownThemes) -> dict[str, Any]:
    themes_table = shown.table.copy()
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
