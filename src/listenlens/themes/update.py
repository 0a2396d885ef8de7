"""Updating a theme registry with new events, without reshuffling the themes people know.

:class:`ThemeUpdater` brings a :class:`~listenlens.themes.registry.ThemeRegistry` up to date
with a corpus that has gained (or lost) events:

1. **Units already analysed keep their theme.** Units that left the corpus (a withdrawal, an
   edited file) are dropped; a theme left with no units is retired.
2. **New units join existing themes** when at least ``join_agreement`` (60%) of their
   ``join_neighbours`` (10) most similar analysed units are in one theme and their cosine
   similarity to that theme's centroid reaches the *join floor*: the ``reassign_quantile``
   (default 2%) quantile of the members' similarities to their own centroids, the rule a full
   fit uses to place outliers. New facilitator housekeeping is set aside first, as in a full
   fit. A unit whose neighbours disagree waits in the pool: a new concern has no home among
   the old themes, so its units land there. When the fit clustered with conversation context
   (``params["context_used"]``, see :mod:`listenlens.themes.context`), placement sees the same
   context: neighbours, the join floor, pool clustering and leftover placement use each unit's
   vector with its prompt and, in the fit's window, its previous turn or the rest of its
   topical segment (:mod:`listenlens.themes.segments`, at the fit's recorded threshold) added
   with the fit's weights (centroids, keywords and probabilities stay on the units' own text,
   as in a fit).
3. **Candidate new themes.** The new units that fit nowhere, pooled with units still
   unassigned, are clustered with the fit's own method
   (:func:`~listenlens.themes.discover.cluster_embeddings`) once the pool holds at least the
   smallest theme size a full fit of the whole corpus would use and ``pool_trigger`` (25%) of
   that many new units have waited (until then they are reported as unassigned). Each group of at least that
   size is matched to the existing themes by an optimal one-to-one assignment (Hungarian
   algorithm) on ``(1 - keyword_weight) * centroid cosine + keyword_weight * keyword
   Jaccard`` (top 10 keywords); a match at or above ``match_threshold`` (default: the fit's
   merge threshold, 0.7 for ``granularity="broad"``) grows that theme, anything else is
   **born** as a new theme. What the groups leave over is placed as a fit places outliers
   (nearest theme, above the join floor) or stays unassigned.
4. **Labels stay.** Existing themes keep their labels (curated or not); keywords and centroids
   are recomputed from the members; new themes are labelled as in a fit.
5. **Fading.** A theme nobody has raised for ``fade_after_days`` (default 365) before the newest
   event is marked ``faded``; raised again, it is ``revived``.

``rebuild=True`` re-fits from scratch instead, replays the curation log on the fresh fit, and
matches the fresh themes to the registry's with the same assignment, so matched themes keep
their ids and labels; unmatched fresh themes are ``born`` (or ``split`` from the registry theme
most of their units came from), unmatched registry themes are ``merged`` into the fresh theme
most of their units went to, or ``retired``.

>>> reg, report = ThemeUpdater().run(None, corpus)                # doctest: +SKIP
>>> reg, report = ThemeUpdater().run(reg, bigger_corpus)          # doctest: +SKIP
>>> report.lineage_table()                                        # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..embeddings import Embedder, MiniLMEmbedder, embed, unit_vector
from ..errors import AnalysisError
from .central import LABEL_DOCS, central_texts
from .context import contextual_embeddings, conversation_links
from .discover import DEFAULTS, GRANULARITY, cluster_embeddings, resolve_sizes
from .housekeeping import detect_housekeeping
from .labels import LabelContext, label_context, phrase_labels, term_weights
from .labels import keywords as top_keywords
from .lineage import LineageEvent
from .model import ThemeModel, assignment_rows, theme_id_for
from .registry import ThemeRegistry, UpdateReport, first_date, match_themes
from .result import (
    ASSIGNMENT_COLUMNS,
    HOUSEKEEPING,
    POS_HOUSEKEEPING,
    POS_UNASSIGNED,
    SPECIAL_LABELS,
    UNASSIGNED,
    Themes,
)
from .segments import segment_context
from .speakers import speaker_groups, speaker_means, with_speakers

__all__ = ["ThemeUpdater"]


# --- helpers ----------------------------------------------------------------------------------

def _dates(corpus: Corpus) -> dict[str, str]:
    u = corpus.units
    return dict(zip(u["unit_id"], u["date"].dt.strftime("%Y-%m-%d").fillna("")))


def _unit_centroid(x: np.ndarray) -> np.ndarray:
    c = x.mean(axis=0)
    return unit_vector(c).astype(np.float32)


def _stack(vectors: Sequence[np.ndarray], dim: int) -> np.ndarray:
    """Rows stacked into a matrix (``0 x dim`` when there are none)."""
    return np.stack(list(vectors)) if len(vectors) else np.zeros((0, dim), dtype=np.float32)


def _with_ids(themes: Themes, mapping: dict[str, str], labels: dict[str, str],
              params: dict[str, Any]) -> Themes:
    """``themes`` with theme ids renamed by ``mapping`` and the given labels."""
    def renamed(tid: str) -> str:
        return mapping.get(tid, tid)

    now = themes.fields()
    assignments = now["assignments"].copy()
    assignments["theme_id"] = assignments["theme_id"].map(renamed)
    pinned = {renamed(k): v for k, v in now["pinned"].items()}
    new_labels = {renamed(k): v for k, v in now["labels"].items()} | labels | pinned
    return themes.replace(
        assignments=assignments, labels=new_labels, params=params, pinned=pinned,
        keywords={renamed(k): v for k, v in now["keywords"].items()},
        centroids={renamed(k): v for k, v in now["centroids"].items()},
        origin={renamed(k): v for k, v in now["origin"].items()},
        aliases={k: [renamed(v) for v in vs] for k, vs in now["aliases"].items()})


def _birth(reg: ThemeRegistry, update: int, theme_id: str, date: str, size: int, label: str,
           sentence: str, *, split_from: str | None = None) -> LineageEvent:
    """Register a new theme in ``reg`` (active, born at ``update``) and return its lineage row:
    ``born``, or ``split`` (listed under the parent) when it split from ``split_from``."""
    reg.status[theme_id] = "active"
    reg.born[theme_id] = {"update": update, "date": date}
    if split_from is not None:
        return LineageEvent(update, "split", split_from, date, size, label, (theme_id,),
                            sentence)
    return LineageEvent(update, "born", theme_id, date, size, label, (), sentence)


class _Clock:
    """Seconds spent in each phase, under the phase's name."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._start = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(now - self._start, 3)
        self._start = now


# --- the records passed between the phases of an incremental update ---------------------------

@dataclass(frozen=True)
class _Snapshot:
    """The corpus now, against the registry's themes (rows are corpus order)."""

    units: list[Any]
    unit_ids: list[str]
    new_rows: list[int]
    kept_rows: list[int]
    removed: list[str]
    dates: dict[str, str]
    since: str
    #: embeddings of every unit (what centroids, similarities and probabilities use)
    vectors: np.ndarray
    #: the vectors placement sees: neighbour votes, the join floor, pool clustering and the
    #: placing of leftovers (``vectors`` with conversation context when the fit used it)
    placement: np.ndarray

    def texts(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        return [self.units[i].text for i in rows]


@dataclass
class _Placement:
    """Where every unit stands: ``column[i]`` is a position in ``theme_ids`` or
    ``POS_UNASSIGNED``/``POS_HOUSEKEEPING``. Phases after the first write ``column``."""

    theme_ids: list[str]
    centroids: np.ndarray  # the stored centroids (of ``vectors``)
    column: np.ndarray
    floor: float  # the reassign quantile of members' similarities to their own centroids
    new_housekeeping: np.ndarray
    previous: pd.Series  # each analysed unit's primary theme before the update
    #: centroids and floor in the placement space (the same as above without context)
    near_centroids: np.ndarray
    near_floor: float

    def rows_of(self, position: int) -> np.ndarray:
        return np.where(self.column == position)[0]


@dataclass
class _Pool:
    """The pool of unplaced units and what clustering it gave."""

    rows: np.ndarray
    waiting: set[str]
    clustered: bool
    born: dict[str, np.ndarray] = field(default_factory=dict)
    grown: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _State:
    """The themes after the update and what changed."""

    themes: Themes
    final_ids: list[str]
    column: np.ndarray
    redo: list[int]
    gone: list[str]


# --- the updater ------------------------------------------------------------------------------

class ThemeUpdater:
    """Brings a :class:`ThemeRegistry` up to date with a corpus (see the module docstring).

    Parameters (all keyword): ``embedder`` (must be the one the themes were fitted with;
    default: packaged MiniLM), ``cache_dir`` (embedding and reduction cache), ``rebuild``
    (re-fit from scratch and match), ``match_threshold`` (``None``: the fit's merge
    threshold), ``keyword_weight`` (0.2), ``join_neighbours`` (10), ``join_agreement`` (0.6),
    ``pool_trigger`` (0.25),
    ``fade_after_days`` (365), ``stability_runs``
    (re-fits for stability scores after a build or rebuild; 0 skips), ``model_params``
    (passed to :class:`ThemeModel` on a build or rebuild), ``progress``.
    """

    def __init__(self, *, embedder: Embedder | None = None, cache_dir: str | Path | None = None,
                 rebuild: bool = False, match_threshold: float | None = None,
                 keyword_weight: float = 0.2, join_neighbours: int = 10,
                 join_agreement: float = 0.6, pool_trigger: float = 0.25,
                 fade_after_days: int = 365,
                 stability_runs: int = 0, model_params: dict[str, Any] | None = None,
                 progress: bool | None = None):
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.rebuild = rebuild
        self.match_threshold = match_threshold
        self.keyword_weight = keyword_weight
        self.join_neighbours = join_neighbours
        self.join_agreement = join_agreement
        self.pool_trigger = pool_trigger
        self.fade_after_days = fade_after_days
        self.stability_runs = stability_runs
        self.model_params = model_params
        self.progress = progress

    def _embedder(self) -> Embedder:
        return self.embedder if self.embedder is not None else MiniLMEmbedder(
            progress=self.progress)

    def _threshold(self, themes: Themes) -> float:
        if self.match_threshold is not None:
            return float(self.match_threshold)
        resolved = themes.params.get("resolved", {})
        if resolved.get("merge_threshold") is not None:
            return float(resolved["merge_threshold"])
        return float(GRANULARITY[themes.params.get("granularity", "broad")]["merge_threshold"])

    def run(self, registry: ThemeRegistry | None, corpus: Corpus
            ) -> tuple[ThemeRegistry, UpdateReport]:
        """Update ``registry`` (``None``: build one) with ``corpus``; returns the new registry
        (the old one is unchanged) and the report."""
        if self.join_neighbours < 1:
            raise ValueError(f"join_neighbours must be at least 1, got {self.join_neighbours}")
        for name in ("keyword_weight", "join_agreement", "pool_trigger"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value}")
        if len(corpus) == 0:
            raise AnalysisError("the corpus has no units to find themes in")
        embedder = self._embedder()
        if registry is not None and registry.themes.params.get("embedder") != embedder.name:
            raise AnalysisError(
                f"the registry's themes were embedded with {registry.themes.params.get('embedder')!r}"
                f" but this update uses {embedder.name!r}; use the same embedder (or rebuild "
                "the project from scratch)")
        t0 = time.perf_counter()
        if registry is None:
            reg, report = self._build(corpus, embedder)
        elif self.rebuild:
            reg, report = self._rebuild(registry, corpus, embedder)
        else:
            reg, report = self._incremental(registry, corpus, embedder)
        if self.stability_runs and report.method in ("build", "rebuild"):
            t = time.perf_counter()
            from .stability import theme_stability

            st = theme_stability(reg.themes, n_runs=self.stability_runs,
                                 cache_dir=self.cache_dir, progress=self.progress)
            reg.stability.update({r.theme_id: float(r.stability) for r in st.itertuples()})
            report.timings["stability"] = round(time.perf_counter() - t, 3)
        report.timings["total"] = round(time.perf_counter() - t0, 3)
        return reg, report

    # --- first build ----------------------------------------------------------------------------
    def _build(self, corpus: Corpus, embedder: Embedder) -> tuple[ThemeRegistry, UpdateReport]:
        t = time.perf_counter()
        themes = ThemeModel(embedder=embedder, cache_dir=self.cache_dir, progress=self.progress,
                            **(self.model_params or {})).fit(corpus).themes_
        reg = ThemeRegistry(themes, updates=0)
        for r in themes.table.itertuples():
            reg.lineage.append(_birth(reg, 0, r.theme_id, first_date(themes, r.theme_id),
                                      int(r.n_units), r.label,
                                      f"'{r.label}': {r.n_units} units."))
        reg.mark_faded(self.fade_after_days, _dates(corpus))
        s = themes.summary()
        report = UpdateReport(0, "build", len(corpus), n_new=len(corpus),
                              n_in_new_themes=s["n_assigned"], n_unassigned=s["n_unassigned"],
                              n_housekeeping=s["n_housekeeping"], lineage=tuple(reg.lineage),
                              timings={"fit": round(time.perf_counter() - t, 3)})
        return reg, report

    # --- incremental ----------------------------------------------------------------------------
    def _incremental(self, registry: ThemeRegistry, corpus: Corpus, embedder: Embedder
                     ) -> tuple[ThemeRegistry, UpdateReport]:
        """The five phases, timed under their names: embed, assign, pool, rebuild_state,
        lineage."""
        clock = _Clock()
        prev = registry.themes
        units = corpus.unit_records
        unit_ids = [u.unit_id for u in units]
        now = set(unit_ids)
        dates = _dates(corpus)
        new_rows = [i for i, uid in enumerate(unit_ids) if not prev.has_unit(uid)]
        removed = [uid for uid in prev.unit_ids if uid not in now]
        since = max((d for uid, d in dates.items() if prev.has_unit(uid) and d), default="")
        if not new_rows and not removed:
            return registry, UpdateReport(registry.updates, "unchanged", len(units),
                                          since=since)
        kept_rows = [i for i, uid in enumerate(unit_ids) if prev.has_unit(uid)]
        vectors = self._vectors(prev, units, kept_rows, new_rows, embedder)
        snap = _Snapshot(units, unit_ids, new_rows, kept_rows, removed, dates, since, vectors,
                         vectors)
        clock.lap("embed")
        placed = self._place(prev, snap, embedder)
        snap, placed = self._with_context(prev, snap, placed, embedder)
        self._join_neighbours(snap, placed)
        clock.lap("assign")
        pool = self._pool(registry, snap, placed)
        clock.lap("pool")
        update = registry.updates + 1
        state = self._new_state(prev, corpus, snap, placed, pool, embedder, update)
        clock.lap("rebuild_state")
        reg, events = self._lineage(registry, snap, pool, state, update)
        clock.lap("lineage")
        return reg, self._report(update, snap, placed, pool, state, events, clock.timings)

    def _vectors(self, prev: Themes, units: list[Any], kept_rows: list[int],
                 new_rows: list[int], embedder: Embedder) -> np.ndarray:
        """Embeddings of every unit: the stored ones for analysed units, new ones embedded."""
        x = np.zeros((len(units), prev.embeddings.shape[1]), dtype=np.float32)
        if kept_rows:
            x[kept_rows] = prev.vectors(units[i].unit_id for i in kept_rows)
        if new_rows:
            cache = None if self.cache_dir is None else Path(self.cache_dir) / "embeddings"
            x[new_rows] = embed([units[i].text for i in new_rows], embedder, cache_dir=cache)
        return x

    def _place(self, prev: Themes, snap: _Snapshot, embedder: Embedder) -> _Placement:
        """Analysed units where they were; new housekeeping set aside (as in a full fit); the
        join floor from the members' similarities to their own centroids."""
        params = prev.params
        new_housekeeping = np.zeros(len(snap.new_rows), dtype=bool)
        if params.get("housekeeping", True) and snap.new_rows:
            new_housekeeping, _, _ = detect_housekeeping(
                snap.texts(snap.new_rows), [snap.units[i].role for i in snap.new_rows],
                embeddings=snap.vectors[snap.new_rows], embedder=embedder,
                facilitator=params.get("facilitator", "housekeeping"))
        previous = prev.primary()
        centroid_of = prev.fields()["centroids"]
        theme_ids = [tid for tid in prev.fields()["labels"] if tid in centroid_of]
        position = {tid: j for j, tid in enumerate(theme_ids)}
        column = np.full(len(snap.units), POS_UNASSIGNED, dtype=np.int64)
        for i in snap.kept_rows:
            tid = previous.get(snap.unit_ids[i])
            column[i] = (POS_HOUSEKEEPING if tid == HOUSEKEEPING
                         else position.get(tid, POS_UNASSIGNED))
        column[np.asarray(snap.new_rows, dtype=np.int64)[new_housekeeping]] = POS_HOUSEKEEPING
        centroids = _stack([centroid_of[tid] for tid in theme_ids], snap.vectors.shape[1])
        members = column >= 0
        own = (np.einsum("ij,ij->i", snap.vectors[members], centroids[column[members]])
               if members.any() else [])
        quantile = float(params.get("resolved", {}).get("reassign_quantile",
                                                        DEFAULTS["reassign_quantile"]))
        floor = float(np.quantile(own, quantile)) if len(own) else 1.0
        return _Placement(theme_ids, centroids, column, floor, new_housekeeping, previous,
                          centroids, floor)

    def _with_context(self, prev: Themes, snap: _Snapshot, placed: _Placement,
                      embedder: Embedder) -> tuple[_Snapshot, _Placement]:
        """When the fit clustered with conversation context (``params["context_used"]``),
        placement uses the same context: each unit's vector with its prompt, its speaker's
        other turns at its event and, in the window the fit used, its previous turn or the rest
        of its segment (found at the fit's recorded threshold), with the fit's weights (the
        fit's decision is kept, not tested again), and centroids and the join floor measured in
        that space. Otherwise nothing changes."""
        used = prev.params.get("context_used") or {}
        if not any(float(used.get(k) or 0.0) for k in ("w_prev", "w_prompt", "w_speaker")):
            return snap, placed
        z = self._context_vectors(prev, snap, placed.column == POS_HOUSEKEEPING, embedder, used)
        members = placed.column >= 0
        near = _stack([_unit_centroid(z[placed.column == j])
                       for j in range(len(placed.theme_ids))], z.shape[1])
        own = np.einsum("ij,ij->i", z[members], near[placed.column[members]])
        quantile = float(prev.params.get("resolved", {}).get("reassign_quantile",
                                                             DEFAULTS["reassign_quantile"]))
        near_floor = float(np.quantile(own, quantile)) if len(own) else 1.0
        return replace(snap, placement=z), replace(placed, near_centroids=near,
                                                   near_floor=near_floor)

    def _context_vectors(self, prev: Themes, snap: _Snapshot, housekeeping: np.ndarray,
                         embedder: Embedder, used: dict[str, Any]) -> np.ndarray:
        """Every unit's vector with conversation context as the fit's record ``used`` says
        (weights, window, segment threshold), links made as in the fit: previous substantive
        participant turn; prompt = the unit's heading, or the latest facilitator turn that is
        not meeting logistics (the housekeeping detector's facilitator rule)."""
        w_prev, w_prompt = float(used.get("w_prev") or 0.0), float(used.get("w_prompt") or 0.0)
        w_speaker = float(used.get("w_speaker") or 0.0)
        speaker_x, speaker_has = (speaker_means(snap.vectors,
                                                speaker_groups(snap.units, ~housekeeping))
                                  if w_speaker else (None, None))
        links = conversation_links(snap.units, ~housekeeping,
                                   prompts=~self._logistics(prev, snap, housekeeping, embedder))
        prompt_x = None
        if links.prompt_texts and w_prompt:
            cache = None if self.cache_dir is None else Path(self.cache_dir) / "embeddings"
            prompt_x = embed(list(links.prompt_texts), embedder, cache_dir=cache)
        if used.get("window") == "segment" and w_prev:
            z, _ = segment_context(snap.vectors, links, prompt_x,
                                   threshold=float(used["segment_threshold"]), w_seg=w_prev,
                                   w_prompt=w_prompt)
            return with_speakers(z, w_speaker, speaker_x, speaker_has)
        return contextual_embeddings(snap.vectors, links.prev, links.prompt, prompt_x,
                                     w_prev=w_prev, w_prompt=w_prompt, w_speaker=w_speaker,
                                     speaker_x=speaker_x, speaker_has=speaker_has)

    @staticmethod
    def _logistics(prev: Themes, snap: _Snapshot, housekeeping: np.ndarray,
                   embedder: Embedder) -> np.ndarray:
        """Facilitator turns that are meeting logistics, judged as the fit judged them."""
        params = prev.params
        if params.get("housekeeping", True) and params.get("facilitator") == "detect":
            return housekeeping
        logistics = np.zeros(len(snap.units), dtype=bool)
        rows = [i for i, u in enumerate(snap.units) if u.role == "facilitator"]
        if rows:
            logistics[rows], _, _ = detect_housekeeping(
                snap.texts(rows), ["facilitator"] * len(rows),
                embeddings=snap.vectors[rows], embedder=embedder, facilitator="detect")
        return logistics

    def _join_neighbours(self, snap: _Snapshot, placed: _Placement) -> None:
        """A new unit joins a theme directly when ``join_agreement`` of its ``join_neighbours``
        nearest analysed units are in that theme and it is not an outlier to it (below the
        floor); the others wait in the pool, where a new concern can gather."""
        column = placed.column
        loose = np.array([i for k, i in enumerate(snap.new_rows)
                          if not placed.new_housekeeping[k]], dtype=np.int64)
        themed = np.where(column >= 0)[0]
        if not (len(loose) and placed.theme_ids and len(themed)):
            return
        k = min(self.join_neighbours, len(themed))
        similarity = snap.placement[loose] @ snap.placement[themed].T
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        votes = column[themed][nearest]
        best = np.array([np.bincount(v, minlength=len(placed.theme_ids)).argmax()
                         for v in votes])
        agreement = (votes == best[:, None]).mean(axis=1)
        to_centre = np.einsum("ij,ij->i", snap.placement[loose], placed.near_centroids[best])
        joins = (agreement >= self.join_agreement) & (to_centre >= placed.near_floor)
        column[loose[joins]] = best[joins]

    def _pool(self, registry: ThemeRegistry, snap: _Snapshot, placed: _Placement) -> _Pool:
        """New units that fit nowhere yet, with the units still unassigned; clustered for new
        themes once enough of them have waited (``pool_trigger`` of the smallest theme)."""
        column = placed.column
        new = set(snap.new_rows)
        rows = np.array(sorted(np.where(column == POS_UNASSIGNED)[0].tolist(),
                               key=lambda i: snap.unit_ids[i]), dtype=np.int64)
        waiting = (set(registry.pending) & set(snap.unit_ids)
                   | {snap.unit_ids[i] for i in rows.tolist() if i in new})
        sizes = self._pool_sizes(registry.themes.params,
                                 int((column != POS_HOUSEKEEPING).sum()))
        min_size = int(sizes["min_cluster_size"])
        trigger = max(1, int(np.ceil(self.pool_trigger * min_size)))
        if len(rows) >= min_size and len(waiting) >= trigger:
            pool = _Pool(rows, set(), clustered=True)
            groups = self._pool_groups(registry.themes, snap, rows, sizes)
            if groups:
                self._match_groups(registry.themes, snap, placed, pool, groups)
            return pool
        pool = _Pool(rows, waiting, clustered=False)
        if len(rows):
            pool.notes.append(
                f"{len(waiting)} new units wait in a pool of {len(rows)} unplaced units; it is "
                f"clustered for new themes once it holds {min_size} units (the smallest theme) "
                f"and {int(np.ceil(self.pool_trigger * min_size))} new ones have waited.")
        return pool

    def _pool_sizes(self, params: dict[str, Any], n_substantive: int) -> dict[str, Any]:
        """Clustering sizes a full fit of ``n_substantive`` units would use."""
        given = (self.model_params or {}).get("min_theme_size", params.get("min_theme_size"))
        resolved = {k: v for k, v in params.get("resolved", {}).items() if k in DEFAULTS}
        return resolve_sizes(n_substantive, {**resolved, "min_cluster_size": given,
                                             "min_samples": None, "n_neighbors": None})

    def _pool_groups(self, prev: Themes, snap: _Snapshot, rows: np.ndarray,
                     sizes: dict[str, Any]) -> list[np.ndarray]:
        """The pool clustered with the fit's method; groups of at least the smallest theme
        size, as arrays of rows."""
        min_size = int(sizes["min_cluster_size"])
        cluster_params = {**{k: sizes[k] for k in DEFAULTS}, "min_cluster_size": min_size,
                          "min_samples": None, "n_neighbors": None}
        found = cluster_embeddings(snap.placement[rows], seed=int(prev.params.get("seed", 0)),
                                   cache_dir=self.cache_dir, **cluster_params).labels
        if not len(found):
            return []
        return [rows[found == k] for k in range(int(found.max()) + 1)
                if (found == k).sum() >= min_size]

    def _match_groups(self, prev: Themes, snap: _Snapshot, placed: _Placement, pool: _Pool,
                      groups: list[np.ndarray]) -> None:
        """Each group grows the existing theme it matches (one-to-one, or as close to a matched
        theme as the threshold) or is born as a new theme."""
        theme_ids = placed.theme_ids
        group_centroids = np.stack([_unit_centroid(snap.vectors[g]) for g in groups])
        docs = {tid: snap.texts(placed.rows_of(j)) for j, tid in enumerate(theme_ids)}
        docs.update({f"~{k}": snap.texts(g) for k, g in enumerate(groups)})
        words = top_keywords(docs, 10, term_weights(docs))
        threshold = self._threshold(prev)
        pairs, similarity = match_themes(
            placed.centroids, [words.get(t, []) for t in theme_ids], group_centroids,
            [words.get(f"~{k}", []) for k in range(len(groups))], threshold=threshold,
            keyword_weight=self.keyword_weight)
        matched = {group: theme for theme, group, _ in pairs}
        for k, rows in enumerate(groups):
            # a second group as close to an already matched theme joins it too
            if k not in matched and theme_ids and similarity[:, k].max() >= threshold:
                matched[k] = int(similarity[:, k].argmax())
            if k in matched:
                placed.column[rows] = matched[k]
                pool.grown[theme_ids[matched[k]]] += len(rows)
            else:
                pool.born[theme_id_for([snap.unit_ids[i] for i in rows])] = rows

    def _place_leftovers(self, snap: _Snapshot, placed: _Placement, pool: _Pool) -> None:
        """Born themes get positions after the existing ones; what the pool left over is
        placed as a fit places its outliers (nearest theme at or above the floor)."""
        n_old = len(placed.theme_ids)
        for j, tid in enumerate(sorted(pool.born), start=n_old):
            placed.column[pool.born[tid]] = j
        if not pool.clustered or not (n_old or pool.born):
            return
        left = np.array([i for i in pool.rows.tolist() if placed.column[i] == POS_UNASSIGNED],
                        dtype=np.int64)
        if not len(left):
            return
        centroids = np.stack([*placed.near_centroids]
                             + [_unit_centroid(snap.placement[pool.born[t]])
                                for t in sorted(pool.born)])
        similarity = snap.placement[left] @ centroids.T
        best = similarity.argmax(axis=1)
        ok = similarity[np.arange(len(left)), best] >= placed.near_floor
        placed.column[left[ok]] = best[ok]

    def _new_state(self, prev: Themes, corpus: Corpus, snap: _Snapshot, placed: _Placement,
                   pool: _Pool, embedder: Embedder, update: int) -> _State:
        """The updated themes: empty themes dropped, centroids and keywords of changed themes
        recomputed, fresh assignment rows for the units placed now, new themes labelled."""
        self._place_leftovers(snap, placed, pool)
        all_ids = placed.theme_ids + sorted(pool.born)
        counts = np.bincount(placed.column[placed.column >= 0], minlength=len(all_ids))
        live = [j for j in range(len(all_ids)) if counts[j] > 0]
        remap = {j: k for k, j in enumerate(live)}
        column = np.array([remap.get(c, POS_UNASSIGNED) if c >= 0 else c
                           for c in placed.column.tolist()], dtype=np.int64)
        final_ids = [all_ids[j] for j in live]
        redo = sorted(set(snap.new_rows) | {i for i in pool.rows.tolist() if column[i] >= 0})
        changed = self._changed(snap, placed, pool, column, final_ids)
        centroids = self._centroids(prev, snap, column, final_ids, changed)
        assignments = self._assignments(prev, snap, placed, column, final_ids, centroids, redo)
        docs = {tid: snap.texts(np.where(column == j)[0]) for j, tid in enumerate(final_ids)}
        weights = term_weights(docs) if changed else None
        n_keywords = int(prev.params.get("n_keywords", 10) or 10)
        label_ctx = label_context(corpus)  # the corpus's own names never label a theme
        keywords = (top_keywords(docs, n_keywords, weights, context=label_ctx) if changed
                    else {t: prev.keywords(t) for t in final_ids})
        known = prev.fields()["labels"]
        labels = {t: known[t] for t in final_ids if t in known}
        if pool.born:
            labels.update(self._born_labels(prev, snap, pool, column, final_ids, centroids,
                                            keywords, weights, labels, embedder, label_ctx))
        n_placed = sum(1 for i in snap.new_rows if column[i] >= 0)
        note = (f"Update {update}: {len(snap.new_rows)} new units, {len(snap.removed)} removed; "
                f"{n_placed} placed in themes, {len(pool.born)} new themes.")
        params = {**prev.params, "n_units": len(snap.units), "input_hash": corpus.input_hash,
                  "update": update, "notes": [*prev.params.get("notes", []), note]}
        themes = prev.replace(
            corpus=corpus, unit_ids=snap.unit_ids, embeddings=snap.vectors,
            assignments=assignments, labels=labels, keywords=keywords, centroids=centroids,
            params=params, origin={t: prev.origin.get(t, "emergent") for t in final_ids},
            pinned={k: v for k, v in prev.pinned.items() if k in labels})
        gone = sorted(set(placed.theme_ids) - set(final_ids))
        return _State(themes, final_ids, column, redo, gone)

    @staticmethod
    def _changed(snap: _Snapshot, placed: _Placement, pool: _Pool, column: np.ndarray,
                 final_ids: list[str]) -> set[str]:
        """Themes whose members changed: born, joined by a new or pooled unit, or that lost a
        removed unit."""
        changed = {tid for tid in final_ids if tid in pool.born}
        for i in [*snap.new_rows, *pool.rows.tolist()]:
            if column[i] >= 0:
                changed.add(final_ids[column[i]])
        old = set(placed.theme_ids)
        changed |= {tid for tid in (placed.previous.get(uid) for uid in snap.removed)
                    if tid in old}
        return changed

    @staticmethod
    def _centroids(prev: Themes, snap: _Snapshot, column: np.ndarray, final_ids: list[str],
                   changed: set[str]) -> dict[str, np.ndarray]:
        """Stored centroids of unchanged themes; the others from their members now."""
        stored = prev.fields()["centroids"]
        return {tid: (stored[tid] if tid in stored and tid not in changed
                      else _unit_centroid(snap.vectors[column == j]))
                for j, tid in enumerate(final_ids)}

    @staticmethod
    def _assignments(prev: Themes, snap: _Snapshot, placed: _Placement, column: np.ndarray,
                     final_ids: list[str], centroids: dict[str, np.ndarray], redo: list[int]
                     ) -> pd.DataFrame:
        """Rows of units that stay where they were, fresh rows for the units placed now, in
        corpus order (primary row first)."""
        redo_ids = {snap.unit_ids[i] for i in redo}
        old = prev.assignments
        keep = old[~old["unit_id"].isin(redo_ids) & ~old["unit_id"].isin(set(snap.removed))
                   & old["theme_id"].isin(set(final_ids) | set(SPECIAL_LABELS))]
        fresh = assignment_rows(
            [snap.unit_ids[i] for i in redo], snap.vectors[redo], column[redo], final_ids,
            _stack([centroids[t] for t in final_ids], snap.vectors.shape[1]),
            temperature=float(prev.params.get("temperature", 0.05)),
            secondary_margin=float(prev.params.get("secondary_margin", 0.03)),
            floor=placed.floor)
        rows = pd.concat([keep, fresh], ignore_index=True)
        order = {uid: i for i, uid in enumerate(snap.unit_ids)}
        return rows.assign(_o=rows["unit_id"].map(order)).sort_values(
            ["_o", "primary"], ascending=[True, False], kind="mergesort").drop(
            columns="_o")[ASSIGNMENT_COLUMNS]

    @staticmethod
    def _born_labels(prev: Themes, snap: _Snapshot, pool: _Pool, column: np.ndarray,
                     final_ids: list[str], centroids: dict[str, np.ndarray],
                     keywords: dict[str, list[str]], weights: Any, labels: dict[str, str],
                     embedder: Embedder, label_ctx: LabelContext) -> dict[str, str]:
        """Labels of the new themes, as a fit labels them; one that repeats an existing label
        gets its first keyword added."""
        n_docs = int(prev.params.get("label_docs", LABEL_DOCS) or LABEL_DOCS)
        central = {}
        for tid in pool.born:
            rows = np.where(column == final_ids.index(tid))[0]
            central[tid] = central_texts(snap.texts(rows), [snap.unit_ids[i] for i in rows],
                                          snap.vectors[rows], centroids[tid], n_docs)
        named = phrase_labels(central, weights=weights, fallback=keywords, embedder=embedder,
                              centroids={t: centroids[t] for t in pool.born}, context=label_ctx)
        taken = {v.casefold() for k, v in labels.items() if k not in pool.born}
        for tid in pool.born:
            if named[tid].casefold() in taken:
                named[tid] = f"{named[tid]} ({next(iter(keywords.get(tid, [])), tid[-4:])})"
        return {tid: named[tid] for tid in pool.born}

    def _lineage(self, registry: ThemeRegistry, snap: _Snapshot, pool: _Pool, state: _State,
                 update: int) -> tuple[ThemeRegistry, list[LineageEvent]]:
        """The new registry and this update's lineage rows: born, revived, grew, retired,
        faded."""
        reg = registry.with_themes(state.themes)
        reg.updates = update
        reg.pending = sorted(pool.waiting)
        new_dates: dict[str, list[str]] = {tid: [] for tid in state.final_ids}
        for i in state.redo:
            if state.column[i] >= 0:
                new_dates[state.final_ids[state.column[i]]].append(
                    snap.dates.get(snap.unit_ids[i], ""))
        size = dict(zip(state.final_ids, np.bincount(state.column[state.column >= 0],
                                                     minlength=len(state.final_ids)).tolist()))
        label = {tid: state.themes.label(tid) for tid in state.final_ids}
        events: list[LineageEvent] = []
        for tid in sorted(pool.born, key=lambda t: (-size[t], t)):
            date = min((d for d in new_dates[tid] if d), default="")
            events.append(_birth(reg, update, tid, date, size[tid], label[tid],
                                 f"New theme '{label[tid]}': {size[tid]} units, first raised "
                                 f"{date or 'on an unknown date'}."))
        for tid in state.final_ids:
            if tid not in pool.born and new_dates[tid]:
                events += self._grew(reg, update, tid, label[tid], new_dates[tid],
                                     pool.grown.get(tid, 0))
        for tid in state.gone:
            reg.retire(tid, "retired")
            events.append(LineageEvent(update, "retired", tid, "", 0, reg.former[tid], (),
                                       f"'{reg.former[tid]}' has no units left (its units "
                                       "were removed from the corpus); retired."))
        reg.lineage.extend(events)
        events += reg.mark_faded(self.fade_after_days, snap.dates)
        return reg, events

    @staticmethod
    def _grew(reg: ThemeRegistry, update: int, tid: str, label: str, dates: list[str],
              by_pool: int) -> list[LineageEvent]:
        """A theme that gained units: ``grew`` (and ``revived`` first when it had faded)."""
        n_added = len(dates)
        last = max((d for d in dates if d), default="")
        events = []
        if reg.status.get(tid) == "faded":
            reg.status[tid] = "active"
            events.append(LineageEvent(update, "revived", tid, last, n_added, label, (),
                                       f"'{label}' raised again ({n_added} new units)."))
        as_group = f" ({by_pool} as a group that matched it)" if by_pool else ""
        events.append(LineageEvent(update, "grew", tid, last, n_added, label, (),
                                   f"'{label}' grew by {n_added} units{as_group}."))
        return events

    @staticmethod
    def _report(update: int, snap: _Snapshot, placed: _Placement, pool: _Pool, state: _State,
                events: list[LineageEvent], timings: dict[str, float]) -> UpdateReport:
        """Where this update's new units went."""
        where = [state.column[i] for i in snap.new_rows]
        in_born = sum(1 for c in where if c >= 0 and state.final_ids[c] in pool.born)
        joined = sum(1 for c in where if c >= 0) - in_born
        return UpdateReport(update, "incremental", len(snap.units), n_new=len(snap.new_rows),
                            n_removed=len(snap.removed), n_joined=joined, n_in_new_themes=in_born,
                            n_unassigned=sum(1 for c in where if c == POS_UNASSIGNED),
                            n_housekeeping=int(placed.new_housekeeping.sum()), since=snap.since,
                            lineage=tuple(events), timings=timings, notes=tuple(pool.notes))

    # --- rebuild ----------------------------------------------------------------------------------
    def _rebuild(self, registry: ThemeRegistry, corpus: Corpus, embedder: Embedder
                 ) -> tuple[ThemeRegistry, UpdateReport]:
        """Re-fit, replay the curation log, match the fresh themes to the registry's."""
        t = time.perf_counter()
        prev = registry.themes
        update = registry.updates + 1
        out, matched_old, skipped = self._refit(prev, corpus, embedder, update)
        reg = registry.with_themes(out)
        reg.updates = update
        reg.log_seen = len(out.log)
        events = self._rebuild_new_themes(reg, prev, out, matched_old, update)
        events += self._rebuild_old_themes(reg, prev, out, matched_old, update)
        reg.lineage.extend(events)
        dates = _dates(corpus)
        events += reg.mark_faded(self.fade_after_days, dates)
        return reg, self._rebuild_report(prev, out, update, dates, events, skipped,
                                         round(time.perf_counter() - t, 3))

    def _refit(self, prev: Themes, corpus: Corpus, embedder: Embedder, update: int
               ) -> tuple[Themes, set[str], list[str]]:
        """The fresh fit with the log replayed and matched themes renamed to their registry ids
        (with their labels); also the matched registry ids and the replay's skips."""
        from .curation import replay

        # params["codebook"] only describes the codebook used; the refit takes the codebook
        # itself from model_params (the project's settings)
        fitted = set(ThemeModel().get_params()) - {"embedder", "cache_dir", "progress",
                                                   "codebook"}
        params = {k: v for k, v in prev.params.items() if k in fitted}
        params.update(self.model_params or {})
        fresh = ThemeModel(embedder=embedder, cache_dir=self.cache_dir, progress=self.progress,
                           **params).fit(corpus).themes_
        fresh, skipped = replay(fresh, prev.log)
        old_ids, new_ids = prev.theme_ids, fresh.theme_ids
        pairs, _ = match_themes(
            _stack([prev.centroid(t) for t in old_ids], 1), [prev.keywords(t) for t in old_ids],
            _stack([fresh.centroid(t) for t in new_ids], 1),
            [fresh.keywords(t) for t in new_ids], threshold=self._threshold(prev),
            keyword_weight=self.keyword_weight)
        mapping = {new_ids[n]: old_ids[o] for o, n, _ in pairs}
        labels = {old_ids[o]: prev.label(old_ids[o]) for o, _, _ in pairs}
        out = _with_ids(fresh, mapping, labels, {**fresh.params, "update": update,
                                                 "replay_skipped": skipped})
        return out, set(mapping.values()), skipped

    @staticmethod
    def _rebuild_new_themes(reg: ThemeRegistry, prev: Themes, out: Themes,
                            matched_old: set[str], update: int) -> list[LineageEvent]:
        """Matched themes that gained units grew; the others were born, or split from the
        registry theme at least half of their units came from."""
        previous = prev.primary()
        events: list[LineageEvent] = []
        for tid in out.theme_ids:
            label, members = out.label(tid), out.member_ids(tid)
            if tid in matched_old:
                before = set(prev.member_ids(tid))
                added = [u for u in members if u not in before]
                if added:
                    events.append(LineageEvent(update, "grew", tid, "", len(added), label, (),
                                               f"'{label}' grew by {len(added)} units "
                                               "(rebuild)."))
                continue
            came = Counter(previous.get(u) for u in members if prev.has_unit(u))
            source, n_source = came.most_common(1)[0] if came else (None, 0)
            date, size = first_date(out, tid), len(members)
            if source in matched_old and n_source >= 0.5 * size:
                events.append(_birth(reg, update, tid, date, size, label,
                                     f"'{label}' split from '{out.label(source)}' ({size} "
                                     "units).", split_from=source))
            else:
                events.append(_birth(reg, update, tid, date, size, label,
                                     f"New theme '{label}': {size} units."))
        return events

    @staticmethod
    def _rebuild_old_themes(reg: ThemeRegistry, prev: Themes, out: Themes,
                            matched_old: set[str], update: int) -> list[LineageEvent]:
        """Unmatched registry themes merged into the fresh theme at least half of their units
        went to, or retired."""
        now, fresh_labels = out.primary(), out.fields()["labels"]
        events: list[LineageEvent] = []
        for tid in prev.theme_ids:
            if tid in matched_old:
                continue
            members = prev.member_ids(tid)
            went = Counter(now.get(u) for u in members if out.has_unit(u))
            target, n_target = went.most_common(1)[0] if went else (None, 0)
            label = prev.label(tid)
            if target in fresh_labels and n_target >= 0.5 * len(members):
                reg.retire(tid, "merged")
                reg.former[tid] = label
                events.append(LineageEvent(update, "merged", target, "", n_target,
                                           out.label(target), (tid,),
                                           f"'{label}' merged into '{out.label(target)}' "
                                           "(rebuild)."))
            else:
                reg.retire(tid, "retired")
                reg.former[tid] = label
                events.append(LineageEvent(update, "retired", tid, "", 0, label, (),
                                           f"'{label}' matches no theme of the rebuild; retired."))
        return events

    @staticmethod
    def _rebuild_report(prev: Themes, out: Themes, update: int, dates: dict[str, str],
                        events: list[LineageEvent], skipped: list[str], seconds: float
                        ) -> UpdateReport:
        """Where the rebuild's new units went."""
        now = out.primary()
        new_primary = [now[u] for u in out.unit_ids if not prev.has_unit(u)]
        n_new = len(new_primary)
        n_house = sum(1 for t in new_primary if t == HOUSEKEEPING)
        n_unassigned = sum(1 for t in new_primary if t == UNASSIGNED)
        born_ids = {e.related[0] if e.kind == "split" else e.theme_id for e in events
                    if e.kind in ("born", "split")}
        in_born = sum(1 for t in new_primary if t in born_ids)
        return UpdateReport(update, "rebuild", out.summary()["n_units"], n_new=n_new,
                            n_removed=sum(1 for u in prev.unit_ids if not out.has_unit(u)),
                            n_joined=n_new - n_house - n_unassigned - in_born,
                            n_in_new_themes=in_born, n_unassigned=n_unassigned,
                            n_housekeeping=n_house,
                            since=max((d for u, d in dates.items() if prev.has_unit(u) and d),
                                      default=""),
                            lineage=tuple(events), timings={"fit": seconds},
                            notes=tuple(f"curation not replayed: {s}" for s in skipped))
