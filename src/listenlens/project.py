"""A living analysis: a project folder that grows event by event, keeping its themes.

Listening is continuous. A project folder holds everything an organisation's analysis needs
across months: the corpus, the embedding cache, the theme registry (themes with their ids,
labels, curation and lineage) and the outputs. Adding this month's events and updating puts
the new contributions into the themes people already know, records what is new, and leaves
earlier themes' ids and labels alone.

The folder is an ordinary corpus folder (``listenlens.load`` reads it), plus a state folder::

    DIR/
    ├── events.csv, consent.csv       # one row per event added
    ├── events/<event_id>/<file>      # the transcripts, copied in by ``add``
    ├── _listenlens/                  # state (names starting with "_" are not corpus files)
    │   ├── project.json              # settings, the hash of every file added, update history
    │   ├── cache/                    # embeddings and reductions
    │   ├── registry/                 # the theme registry (ThemeRegistry.save)
    │   └── reports/update-NNNN.json  # what each update did
    └── _outputs/                     # briefing, summaries, tables, charts of the last update

This module runs the analyses (update, curate, trends, write); the folder's bookkeeping (its
layout, tables, ``project.json``, lock, and adding files) is :mod:`listenlens.project_folder`.

>>> project = init_project("my-project")                                          # doctest: +SKIP
>>> project.add("march/notes.docx", event_id="e12", community="Tenants", date="2026-03-04")
...                                                                               # doctest: +SKIP
>>> print(project.update())                                                       # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .clock import utc_now
from .corpus import Corpus, load
from .embeddings import Embedder
from .encoders import DEFAULT_ENCODER, ENCODERS, make_embedder
from .errors import CorpusError
from .outputs import write_atomic
from .project_folder import (
    LOCK_TIMEOUT,
    PROJECT_FORMAT,
    PROJECT_OUTPUTS,
    PROJECT_STATE,
    AddReport,
    add_rows,
    create_folder,
    event_ids,
    gather_rows,
    hold,
    read_meta,
    save_meta,
)
from .records import CONSENT_LEVELS
from .validation import check_choice

__all__ = ["Project", "AddReport", "init_project", "open_project", "PROJECT_STATE",
           "PROJECT_FORMAT", "PROJECT_OUTPUTS", "LOCK_TIMEOUT"]

class Project:
    """A project folder (see the module docstring). Open one with :func:`open_project` or
    create one with :func:`init_project`.

    ``embedder`` must be the one the project's themes are built with (default: the encoder
    chosen at ``init``, the packaged MiniLM unless ``encoder="mpnet"`` was chosen); tests pass
    :class:`~listenlens.embeddings.HashingEmbedder`.
    """

    def __init__(self, root: str | Path, *, embedder: Embedder | None = None,
                 progress: bool | None = None):
        self.root = Path(root)
        self.embedder = embedder
        self.progress = progress
        self.meta: dict[str, Any] = read_meta(self.root)
        self._registry: Any = None
        self.last_report: Any = None

    # --- places -------------------------------------------------------------------------------
    @property
    def state(self) -> Path:
        """The state folder ``_listenlens/``."""
        return self.root / PROJECT_STATE

    @property
    def outputs(self) -> Path:
        """Where :meth:`write` puts the outputs by default (``_outputs/``)."""
        return self.root / PROJECT_OUTPUTS

    @property
    def settings(self) -> dict[str, Any]:
        """Settings chosen at ``init`` (seed, default consent, theme parameters, fading)."""
        return dict(self.meta["settings"])

    @property
    def encoder(self) -> str:
        """The encoder chosen at ``init`` (``"minilm"`` for projects made before the choice)."""
        return str(self.meta["settings"].get("encoder", DEFAULT_ENCODER))

    def _theme_embedder(self) -> Embedder | None:
        """The embedder updates use: the one given, else the project's encoder (``None`` for
        the default, which the updater loads itself)."""
        if self.embedder is not None or self.encoder == DEFAULT_ENCODER:
            return self.embedder
        return make_embedder(self.encoder, progress=self.progress)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the project's lock while its state changes (see
        :func:`~listenlens.project_folder.hold`), re-reading ``project.json`` under it: another
        process may have added or updated since this object was opened."""
        with hold(self.root):
            self.meta = read_meta(self.root)
            self._registry = None
            yield

    # --- the corpus -----------------------------------------------------------------------------
    def corpus(self) -> Corpus:
        """Load the project's corpus (every event added so far)."""
        return load(self.root, default_consent=self.settings["default_consent"],
                    progress=self.progress)

    @property
    def event_ids(self) -> list[str]:
        """Events added so far, in the order they were added."""
        return event_ids(self.root)

    def add(self, *paths: str | Path, event_id: str | None = None, community: str | None = None,
            date: str | None = None, place: str = "", format: str = "", facilitator: str = "",
            title: str = "", consent: str | None = None, reader: str | None = None,
            event_metadata: str | Path | None = None,
            **metadata: str) -> AddReport:
        """Add transcripts to the project. Three ways:

        - a **corpus folder** (with its own ``events.csv`` and optional ``consent.csv``): every
          event in it is added;
        - files with **``event_metadata``**, a CSV like ``events.csv`` whose ``file`` column
          names them (by file name): one event per row;
        - files with the event's metadata given here (``event_id``, ``community``, ``date``
          required; ``consent`` sets the event's default consent): one event.

        A file whose content the project already holds (same SHA-256) is not added again; an
        event all of whose files are already held is skipped. Nothing is analysed until
        :meth:`update`.
        """
        rows, consent_rows = gather_rows(
            paths, event_id=event_id, community=community, date=date, place=place,
            format=format, facilitator=facilitator, title=title, consent=consent, reader=reader,
            event_metadata=event_metadata, metadata=metadata)
        with self._locked():
            return add_rows(self.root, self.meta, rows, consent_rows)

    # --- themes ---------------------------------------------------------------------------------
    @property
    def registry(self) -> Any:
        """The theme registry (``None`` before the first :meth:`update`)."""
        if self._registry is None and (self.state / "registry" / "registry.json").is_file():
            from .themes.registry import open_registry

            self._registry = open_registry(self.state / "registry")
        return self._registry

    @property
    def themes(self) -> Any:
        """The current :class:`~listenlens.themes.Themes`."""
        reg = self.registry
        if reg is None:
            raise CorpusError("the project has no themes yet; run update first", file=self.root)
        return reg.themes

    @property
    def table(self) -> pd.DataFrame:
        """The themes with status, birth and stability (``registry.table``)."""
        return self.registry.table if self.registry is not None else pd.DataFrame()

    def history(self, since_update: int | None = None) -> pd.DataFrame:
        """Every lineage event (or those after ``since_update``)."""
        return self.registry.history(since_update) if self.registry is not None else \
            pd.DataFrame()

    def update(self, *, rebuild: bool = False, stability_runs: int | None = None
               ) -> Any:
        """Bring the themes up to date with every event added; returns the
        :class:`~listenlens.themes.registry.UpdateReport` (also saved under
        ``_listenlens/reports/``). The first update builds the themes. ``stability_runs``:
        re-fits for stability scores (default 3 on a build or rebuild, none on an incremental
        update, which keeps the scores it has)."""
        with self._locked():
            return self._update(rebuild, stability_runs)

    def _update(self, rebuild: bool, stability_runs: int | None) -> Any:
        from .themes.update import ThemeUpdater

        if not self.event_ids:
            raise CorpusError("the project has no events yet; add transcripts with "
                              "`listenlens add` (or Project.add) first", file=self.root)
        s = self.settings
        reg = self.registry
        runs = (3 if reg is None or rebuild else 0) if stability_runs is None else stability_runs
        updater = ThemeUpdater(embedder=self._theme_embedder(), cache_dir=self.state / "cache",
                               rebuild=rebuild, fade_after_days=int(s["fade_after_days"]),
                               stability_runs=runs,
                               model_params={"seed": int(s["seed"]), **s["model_params"]},
                               progress=self.progress)
        corpus = self.corpus()
        new_reg, report = updater.run(reg, corpus)
        if report.method != "unchanged":
            new_reg.save(self.state / "registry")
            reports = self.state / "reports"
            reports.mkdir(exist_ok=True)
            entry = {**report.to_dict(), "when": utc_now(), "input_hash": corpus.input_hash}
            write_atomic(reports / f"update-{report.update:04d}.json",
                          json.dumps(entry, indent=1, ensure_ascii=False))
            self.meta.setdefault("updates", []).append(
                {k: entry[k] for k in ("update", "method", "when", "input_hash", "n_units",
                                       "n_new", "n_removed")})
            save_meta(self.root, self.meta)
        self._registry = new_reg
        self.last_report = report
        return report

    def curate(self, themes: Any) -> None:
        """Keep a researcher's curation: ``themes`` made from :attr:`themes` with rename,
        merge, split, move, mark_noise or pin_label. It becomes the project's themes, its
        operations join the lineage, and later updates keep it."""
        reg = self.registry
        if reg is None:
            raise CorpusError("the project has no themes yet; run update first", file=self.root)
        with self._locked():
            self._registry = reg.curate(themes)
            self._registry.save(self.state / "registry")

    def changes(self) -> tuple[pd.DataFrame, str]:
        """The lineage of the latest update and the date it is "since" (the newest event
        analysed before it; empty after the first build)."""
        reg = self.registry
        if reg is None:
            return pd.DataFrame(), ""
        path = self.state / "reports" / f"update-{reg.updates:04d}.json"
        since = json.loads(path.read_text(encoding="utf-8")).get("since", "") if \
            path.is_file() else ""
        hist = reg.history()
        return hist[hist["update"] == reg.updates].reset_index(drop=True), since

    def trends(self, *, period: str | None = None, by: str | None = "community",
               **options: Any) -> Any:
        """:func:`listenlens.track` over the project's themes; the result also carries
        ``changes`` (the latest update's lineage) and ``params["since"]``."""
        from .trends import track

        t = track(self.themes, period=period or self.settings["period"], by=by,
                  seed=int(self.settings["seed"]), **options)
        t.changes, since = self.changes()
        t.params["since"] = since
        return t

    def write(self, out: str | Path | None = None, *, formats: Sequence[str] = ("html", "docx",
                                                                              "md"),
              title: str | None = None) -> list[Path]:
        """Write the briefing (with "What's new since …"), community summaries, tables, charts
        and manifest of the current themes to ``out`` (default ``_outputs/``)."""
        from .pipeline import analyse

        changes, since = self.changes()
        result = analyse(self.themes.corpus, out=out or self.outputs, formats=formats,
                         period=self.settings["period"], seed=int(self.settings["seed"]),
                         title=title, themes=self.themes,
                         brief_options={"changes": changes if len(changes) and since else None,
                                        "since": since})
        return result.files

    def __repr__(self) -> str:
        n_events = len(self.event_ids)
        reg = self.registry
        state = (f"{len(reg.themes.theme_ids)} themes after update {reg.updates}" if reg
                 is not None else "not analysed yet")
        return f"<Project {self.root}: {n_events} events, {state}>"

    def _repr_html_(self) -> str:
        import html as _html

        reg = self.registry
        head = f"<strong>listenlens Project</strong> <code>{_html.escape(str(self.root))}</code>"
        if reg is None:
            return f"<div>{head}: {len(self.event_ids)} events, not analysed yet</div>"
        cols = ["label", "n_units", "n_speakers", "status", "born_date", "stability"]
        return (f"<div>{head}: {len(self.event_ids)} events, update {reg.updates}"
                f"{reg.table[cols].head(30).to_html(index=False, escape=True)}</div>")


def init_project(directory: str | Path, *, seed: int = 0, default_consent: str = "paraphrase",
                 period: str = "quarter", fade_after_days: int = 365,
                 embedder: Embedder | None = None, progress: bool | None = None,
                 encoder: str = DEFAULT_ENCODER, **model_params: Any) -> Project:
    """Create an empty project folder (it may exist but must not hold a project or an
    ``events.csv``). ``model_params`` are :class:`~listenlens.themes.ThemeModel` parameters
    (``granularity``, ``min_theme_size``, ``codebook``, ...) used on every build. ``encoder``
    (``"minilm"`` or the opt-in ``"mpnet"``, see :mod:`listenlens.encoders`) is kept in the
    project's settings and embeds every update, whoever opens the project later.

    >>> from listenlens.embeddings import HashingEmbedder
    >>> project = init_project("living", embedder=HashingEmbedder())
    >>> print(project.add("corpora/examples/riverside"))    # every event of a corpus folder
    added 31 event(s) (rta-2023-02, ...) with 31 file(s)
    >>> print(project.add("corpora/examples/riverside"))    # the same files again: nothing
    added 0 event(s) (none) with 0 file(s)
    already in the project (same content): ...
    >>> report = project.update(stability_runs=0)                # doctest: +SLOW
    >>> report.method, report.n_new == len(project.corpus())
    ('build', True)
    """
    from .themes import ThemeModel

    root = Path(directory)
    check_choice("default_consent", default_consent, CONSENT_LEVELS)
    check_choice("encoder", encoder, ENCODERS)
    unknown = set(model_params) - set(ThemeModel().get_params())
    if unknown:
        raise TypeError(f"unknown theme parameters: {sorted(unknown)}")
    if "codebook" in model_params and model_params["codebook"] is not None:
        model_params["codebook"] = str(Path(model_params["codebook"]).resolve())
    import listenlens

    create_folder(root, {"seed": seed, "default_consent": default_consent, "period": period,
                         "fade_after_days": fade_after_days, "encoder": encoder,
                         "model_params": model_params},
                  listenlens.__version__)
    return Project(root, embedder=embedder, progress=progress)


def open_project(directory: str | Path, *, embedder: Embedder | None = None,
                 progress: bool | None = None) -> Project:
    """Open a project folder made by :func:`init_project`."""
    return Project(directory, embedder=embedder, progress=progress)
