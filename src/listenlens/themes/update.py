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
   the old themes, so its units land there.
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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..embeddings import Embedder, MiniLMEmbedder, embed, unit_vector
from ..errors import AnalysisError
from .discover import DEFAULTS, GRANULARITY, cluster_embeddings, resolve_sizes
from .housekeeping import detect_housekeeping
from .labels import keywords as top_keywords
from .labels import phrase_labels, term_weights
from .lineage import LineageEvent
from .model import ThemeModel, assignment_rows, theme_id_for
from .registry import ThemeRegistry, UpdateReport, _first_date, match_themes
from .result import ASSIGNMENT_COLUMNS, HOUSEKEEPING, SPECIAL_LABELS, UNASSIGNED, Themes

__all__ = ["ThemeUpdater"]


# --- helpers ----------------------------------------------------------------------------------

def _dates(corpus: Corpus) -> dict[str, str]:
    u = corpus.units
    return dict(zip(u["unit_id"], u["date"].dt.strftime("%Y-%m-%d").fillna("")))


def _unit_centroid(x: np.ndarray) -> np.ndarray:
    c = x.mean(axis=0)
    return unit_vector(c).astype(np.float32)


def _with_ids(themes: Themes, mapping: dict[str, str], labels: dict[str, str],
              params: dict[str, Any]) -> Themes:
    """``themes`` with theme ids renamed by ``mapping`` and the given labels."""
    def m(t: str) -> str:
        return mapping.get(t, t)

    a = themes.assignments.copy()
    a["theme_id"] = a["theme_id"].map(m)
    lab = {m(k): v for k, v in themes._labels.items()}
    lab.update(labels)
    pins = {m(k): v for k, v in themes.pinned.items()}
    for tid, label in pins.items():
        lab[tid] = label
    return Themes(themes.corpus, unit_ids=themes.unit_ids, embeddings=themes.embeddings,
                  assignments=a, labels=lab,
                  keywords={m(k): v for k, v in themes._keywords.items()},
                  centroids={m(k): v for k, v in themes._centroids.items()}, params=params,
                  origin={m(k): v for k, v in themes.origin.items()}, log=themes.log,
                  aliases={k: [m(v) for v in vs] for k, vs in themes.aliases.items()},
                  pinned=pins)


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
            date = _first_date(themes, r.theme_id)
            reg.status[r.theme_id] = "active"
            reg.born[r.theme_id] = {"update": 0, "date": date}
            reg.lineage.append(LineageEvent(0, "born", r.theme_id, date, int(r.n_units), r.label,
                                            (), f"'{r.label}': {r.n_units} units."))
        reg._mark_faded(self.fade_after_days, _dates(corpus))
        s = themes.summary()
        report = UpdateReport(0, "build", len(corpus), n_new=len(corpus),
                              n_in_new_themes=s["n_assigned"], n_unassigned=s["n_unassigned"],
                              n_housekeeping=s["n_housekeeping"], lineage=tuple(reg.lineage),
                              timings={"fit": round(time.perf_counter() - t, 3)})
        return reg, report

    # --- incremental ----------------------------------------------------------------------------
    def _incremental(self, registry: ThemeRegistry, corpus: Corpus, embedder: Embedder
                     ) -> tuple[ThemeRegistry, UpdateReport]:
        timings: dict[str, float] = {}
        t = time.perf_counter()
        prev = registry.themes
        units = corpus.unit_records
        now_ids = [u.unit_id for u in units]
        now_set = set(now_ids)
        new_idx = [i for i, uid in enumerate(now_ids) if uid not in prev._row]
        removed = [uid for uid in prev.unit_ids if uid not in now_set]
        update = registry.updates + 1
        dates = _dates(corpus)
        since = max((d for uid, d in dates.items() if uid in prev._row and d), default="")
        if not new_idx and not removed:
            return registry, UpdateReport(registry.updates, "unchanged", len(units),
                                          since=since)
        dim = prev.embeddings.shape[1]
        x = np.zeros((len(units), dim), dtype=np.float32)
        kept_idx = [i for i, uid in enumerate(now_ids) if uid in prev._row]
        if kept_idx:
            x[kept_idx] = prev.embeddings[[prev._row[now_ids[i]] for i in kept_idx]]
        if new_idx:
            texts = [units[i].text for i in new_idx]
            x[new_idx] = embed(texts, embedder, cache_dir=None if self.cache_dir is None
                               else Path(self.cache_dir) / "embeddings")
        timings["embed"] = round(time.perf_counter() - t, 3)

        t = time.perf_counter()
        p = prev.params
        new_flags = np.zeros(len(new_idx), dtype=bool)
        if p.get("housekeeping", True) and new_idx:
            new_flags, _ = detect_housekeeping([units[i].text for i in new_idx],
                                               [units[i].role for i in new_idx],
                                               embeddings=x[new_idx], embedder=embedder,
                                               facilitator=p.get("facilitator", "housekeeping"))
        # where every unit stands now: position in theme_ids, -1 unassigned, -2 housekeeping
        prim_prev = prev.primary()
        theme_ids = [tid for tid in prev._labels if tid in prev._centroids]
        pos = {tid: j for j, tid in enumerate(theme_ids)}
        column = np.full(len(units), -1, dtype=np.int64)
        for i in kept_idx:
            tid = prim_prev.get(now_ids[i])
            column[i] = -2 if tid == HOUSEKEEPING else pos.get(tid, -1)
        for k, i in enumerate(new_idx):
            if new_flags[k]:
                column[i] = -2
        cent = np.stack([prev._centroids[tid] for tid in theme_ids]) if theme_ids else np.zeros(
            (0, dim), dtype=np.float32)
        members = column >= 0
        own = np.einsum("ij,ij->i", x[members], cent[column[members]]) if members.any() else []
        q = float(p.get("resolved", {}).get("reassign_quantile", DEFAULTS["reassign_quantile"]))
        floor = float(np.quantile(own, q)) if len(own) else 1.0
        # a new unit joins a theme directly when most of its nearest analysed neighbours are
        # in that theme (and it is not an outlier to it); others wait in the pool, where a
        # new concern can gather before it is judged
        loose_new = np.array([i for k, i in enumerate(new_idx) if not new_flags[k]],
                             dtype=np.int64)
        placed = np.where(members)[0]
        if len(loose_new) and theme_ids and len(placed):
            k = min(self.join_neighbours, len(placed))
            near = x[loose_new] @ x[placed].T
            top = np.argpartition(-near, k - 1, axis=1)[:, :k]
            votes = column[placed][top]
            best = np.array([np.bincount(v, minlength=len(theme_ids)).argmax() for v in votes])
            share = (votes == best[:, None]).mean(axis=1)
            to_centre = np.einsum("ij,ij->i", x[loose_new], cent[best])
            ok = (share >= self.join_agreement) & (to_centre >= floor)
            column[loose_new[ok]] = best[ok]
        timings["assign"] = round(time.perf_counter() - t, 3)

        # the pool: new units that fit nowhere yet, with the units still unassigned; it is
        # clustered once enough of them have waited (``pool_trigger`` of the smallest theme)
        t = time.perf_counter()
        new_set = set(new_idx)
        pool = np.array(sorted((i for i in range(len(units)) if column[i] == -1),
                               key=lambda i: now_ids[i]), dtype=np.int64)
        waiting = set(registry.pending) & now_set | {now_ids[i] for i in pool.tolist()
                                                      if i in new_set}
        n_sub = int((column != -2).sum())
        given = (self.model_params or {}).get("min_theme_size", p.get("min_theme_size"))
        sizes = resolve_sizes(n_sub, {**{k: v for k, v in p.get("resolved", {}).items()
                                         if k in DEFAULTS},
                                      "min_cluster_size": given, "min_samples": None,
                                      "n_neighbors": None})
        min_size = int(sizes["min_cluster_size"])
        born: dict[str, np.ndarray] = {}
        grown_by_pool: dict[str, int] = Counter()
        notes: list[str] = []
        clustered = (len(pool) >= min_size
                     and len(waiting) >= max(1, int(np.ceil(self.pool_trigger * min_size))))
        if clustered:
            cp = {k: sizes[k] for k in DEFAULTS}
            cp.update({"min_cluster_size": min_size, "min_samples": None, "n_neighbors": None})
            res = cluster_embeddings(x[pool], seed=int(p.get("seed", 0)),
                                     cache_dir=self.cache_dir, **cp)
            groups = [pool[res.labels == k] for k in range(int(res.labels.max()) + 1)
                      if (res.labels == k).sum() >= min_size] if len(res.labels) else []
            if groups:
                gcent = np.stack([_unit_centroid(x[g]) for g in groups])
                docs = {tid: [units[i].text for i in np.where(column == j)[0]]
                        for j, tid in enumerate(theme_ids)}
                docs.update({f"~{k}": [units[i].text for i in g] for k, g in enumerate(groups)})
                kw_all = top_keywords(docs, 10, term_weights(docs))
                threshold = self._threshold(prev)
                pairs, sim = match_themes(cent, [kw_all.get(t, []) for t in theme_ids], gcent,
                                          [kw_all.get(f"~{k}", []) for k in range(len(groups))],
                                          threshold=threshold,
                                          keyword_weight=self.keyword_weight)
                matched = {n: o for o, n, _ in pairs}
                for k, g in enumerate(groups):
                    # a second group as close to an already matched theme joins it too
                    if k not in matched and theme_ids and sim[:, k].max() >= threshold:
                        matched[k] = int(sim[:, k].argmax())
                    if k in matched:
                        column[g] = matched[k]
                        grown_by_pool[theme_ids[matched[k]]] += len(g)
                    else:
                        born[theme_id_for([now_ids[i] for i in g])] = g
            waiting = set()
        elif len(pool):
            notes.append(f"{len(waiting)} new units wait in a pool of {len(pool)} unplaced units; "
                         f"it is clustered for new themes once it holds {min_size} units (the "
                         f"smallest theme) and {int(np.ceil(self.pool_trigger * min_size))} new "
                         "ones have waited.")
        timings["pool"] = round(time.perf_counter() - t, 3)

        # the new state
        t = time.perf_counter()
        all_ids = theme_ids + sorted(born)
        for j, tid in enumerate(sorted(born), start=len(theme_ids)):
            column[born[tid]] = j
        if clustered and all_ids:
            # what the pool left over is placed as a fit places its outliers (lenient floor)
            left = np.array([i for i in pool.tolist() if column[i] == -1], dtype=np.int64)
            if len(left):
                cents = np.stack([cent[j] for j in range(len(theme_ids))]
                                 + [_unit_centroid(x[born[t]]) for t in sorted(born)])
                sims = x[left] @ cents.T
                best = sims.argmax(axis=1)
                ok = sims[np.arange(len(left)), best] >= floor
                column[left[ok]] = best[ok]
        counts = np.bincount(column[column >= 0], minlength=len(all_ids))
        live = [j for j in range(len(all_ids)) if counts[j] > 0]
        remap = {j: k for k, j in enumerate(live)}
        column = np.array([remap.get(c, -1) if c >= 0 else c for c in column.tolist()],
                          dtype=np.int64)
        final_ids = [all_ids[j] for j in live]
        changed = {all_ids[j] for j in live if j >= len(theme_ids)}
        for i in list(new_set) + [i for i in pool.tolist()]:
            if column[i] >= 0:
                changed.add(final_ids[column[i]])
        removed_set = set(removed)
        for uid in removed:
            tid = prim_prev.get(uid)
            if tid in pos:
                changed.add(tid)
        cent_map = {tid: prev._centroids[tid] for tid in final_ids if tid in prev._centroids}
        for j, tid in enumerate(final_ids):
            if tid in changed or tid not in cent_map:
                cent_map[tid] = _unit_centroid(x[column == j])
        cent_final = np.stack([cent_map[t] for t in final_ids]) if final_ids else np.zeros(
            (0, dim), dtype=np.float32)
        redo = sorted(new_set | {i for i in pool.tolist() if column[i] >= 0})
        redo_ids = {now_ids[i] for i in redo}
        a = prev.assignments
        # rows of units that stay where they were (a theme that lost every unit has none)
        keep_rows = a[~a["unit_id"].isin(redo_ids) & ~a["unit_id"].isin(removed_set)
                      & a["theme_id"].isin(set(final_ids) | set(SPECIAL_LABELS))]
        fresh_rows = assignment_rows([now_ids[i] for i in redo], x[redo], column[redo],
                                     final_ids, cent_final,
                                     temperature=float(p.get("temperature", 0.05)),
                                     secondary_margin=float(p.get("secondary_margin", 0.03)),
                                     floor=floor)
        gone = set(theme_ids) - set(final_ids)
        assignments = pd.concat([keep_rows, fresh_rows], ignore_index=True)
        order = {uid: i for i, uid in enumerate(now_ids)}
        assignments = assignments.assign(_o=assignments["unit_id"].map(order)).sort_values(
            ["_o", "primary"], ascending=[True, False], kind="mergesort").drop(
            columns="_o")[ASSIGNMENT_COLUMNS]
        docs_all = {tid: [units[i].text for i in np.where(column == j)[0]]
                    for j, tid in enumerate(final_ids)}
        weights = term_weights(docs_all) if changed else None
        kw = (top_keywords(docs_all, int(p.get("n_keywords", 10) or 10), weights) if changed
              else {t: prev._keywords.get(t, []) for t in final_ids})
        labels = {t: prev._labels[t] for t in final_ids if t in prev._labels}
        if born:
            n_docs = int(p.get("label_docs", 25) or 25)
            central = {}
            for tid in born:
                j = final_ids.index(tid)
                rows = np.where(column == j)[0]
                order_r = sorted(rows.tolist(), key=lambda i: (-round(float(x[i] @ cent_map[tid]),
                                                                     6), now_ids[i]))
                central[tid] = list(dict.fromkeys(units[i].text for i in order_r))[:n_docs]
            labels.update(phrase_labels(central, weights=weights, fallback=kw, embedder=embedder,
                                        centroids={t: cent_map[t] for t in born}))
            taken = {v.casefold() for k, v in labels.items() if k not in born}
            for tid in born:
                if labels[tid].casefold() in taken:
                    labels[tid] = f"{labels[tid]} ({next(iter(kw.get(tid, [])), tid[-4:])})"
        note = (f"Update {update}: {len(new_idx)} new units, {len(removed)} removed; "
                f"{sum(1 for i in new_idx if column[i] >= 0)} placed in themes, "
                f"{len(born)} new themes.")
        params = {**p, "n_units": len(units), "input_hash": corpus.input_hash, "update": update,
                  "notes": [*p.get("notes", []), note]}
        themes = Themes(corpus, unit_ids=now_ids, embeddings=x, assignments=assignments,
                        labels=labels, keywords=kw, centroids=cent_map, params=params,
                        origin={**{t: prev.origin.get(t, "emergent") for t in final_ids}},
                        log=prev.log, aliases=prev.aliases,
                        pinned={k: v for k, v in prev.pinned.items() if k in labels})
        timings["rebuild_state"] = round(time.perf_counter() - t, 3)

        # lineage
        t = time.perf_counter()
        reg = registry._copy(themes)
        reg.updates = update
        reg.pending = sorted(waiting)
        new_dates = {tid: [] for tid in final_ids}
        for i in redo:
            if column[i] >= 0:
                new_dates[final_ids[column[i]]].append(dates.get(now_ids[i], ""))
        events: list[LineageEvent] = []
        size = dict(zip(final_ids, np.bincount(column[column >= 0], minlength=len(final_ids))
                        .tolist()))
        for tid in sorted(born, key=lambda t: (-size[t], t)):
            date = min(d for d in new_dates[tid] if d) if any(new_dates[tid]) else ""
            reg.status[tid] = "active"
            reg.born[tid] = {"update": update, "date": date}
            events.append(LineageEvent(update, "born", tid, date, size[tid], labels[tid], (),
                                       f"New theme '{labels[tid]}': {size[tid]} units, first "
                                       f"raised {date or 'on an unknown date'}."))
        for tid in final_ids:
            if tid in born or not new_dates[tid]:
                continue
            n_add = len(new_dates[tid])
            last = max((d for d in new_dates[tid] if d), default="")
            if reg.status.get(tid) == "faded":
                reg.status[tid] = "active"
                events.append(LineageEvent(update, "revived", tid, last, n_add, labels[tid], (),
                                           f"'{labels[tid]}' raised again ({n_add} new units)."))
            events.append(LineageEvent(update, "grew", tid, last, n_add, labels[tid], (),
                                       f"'{labels[tid]}' grew by {n_add} units"
                                       + (f" ({grown_by_pool[tid]} as a group that matched it)"
                                          if grown_by_pool.get(tid) else "") + "."))
        for tid in gone:
            reg._retire(tid, "retired")
            events.append(LineageEvent(update, "retired", tid, "", 0, reg.former[tid], (),
                                       f"'{reg.former[tid]}' has no units left (its units "
                                       "were removed from the corpus); retired."))
        reg.lineage.extend(events)
        events += reg._mark_faded(self.fade_after_days, dates)
        timings["lineage"] = round(time.perf_counter() - t, 3)
        n_new_flags = int(new_flags.sum())
        in_born = sum(1 for i in new_idx if column[i] >= 0 and final_ids[column[i]] in born)
        joined = sum(1 for i in new_idx if column[i] >= 0 and final_ids[column[i]] not in born)
        unassigned = sum(1 for i in new_idx if column[i] == -1)
        report = UpdateReport(update, "incremental", len(units), n_new=len(new_idx),
                              n_removed=len(removed), n_joined=joined, n_in_new_themes=in_born,
                              n_unassigned=unassigned, n_housekeeping=n_new_flags, since=since,
                              lineage=tuple(events), timings=timings, notes=tuple(notes))
        return reg, report

    # --- rebuild ----------------------------------------------------------------------------------
    def _rebuild(self, registry: ThemeRegistry, corpus: Corpus, embedder: Embedder
                 ) -> tuple[ThemeRegistry, UpdateReport]:
        from .curation import replay

        t = time.perf_counter()
        prev = registry.themes
        params = {k: prev.params[k] for k in ThemeModel._PARAMS if k in prev.params
                  and k not in ("progress", "codebook")}
        params.update(self.model_params or {})
        fresh = ThemeModel(embedder=embedder, cache_dir=self.cache_dir, progress=self.progress,
                           **params).fit(corpus).themes_
        fresh, skipped = replay(fresh, prev.log)
        old_ids, new_ids = prev.theme_ids, fresh.theme_ids
        pairs, _ = match_themes(
            np.stack([prev.centroid(t) for t in old_ids]) if old_ids else np.zeros((0, 1)),
            [prev.keywords(t) for t in old_ids],
            np.stack([fresh.centroid(t) for t in new_ids]) if new_ids else np.zeros((0, 1)),
            [fresh.keywords(t) for t in new_ids], threshold=self._threshold(prev),
            keyword_weight=self.keyword_weight)
        mapping = {new_ids[n]: old_ids[o] for o, n, _ in pairs}
        labels = {old_ids[o]: prev.label(old_ids[o]) for o, _, _ in pairs}
        out = _with_ids(fresh, mapping, labels,
                        {**fresh.params, "update": registry.updates + 1,
                         "replay_skipped": skipped})
        update = registry.updates + 1
        reg = registry._copy(out)
        reg.updates = update
        reg.log_seen = len(out.log)
        prev_prim, out_prim = prev.primary(), out.primary()
        events: list[LineageEvent] = []
        matched_old = set(mapping.values())
        for tid in out.theme_ids:
            if tid in matched_old:
                before = set(prev.member_ids(tid))
                added = [u for u in out.member_ids(tid) if u not in before]
                if added:
                    events.append(LineageEvent(update, "grew", tid, "", len(added), out.label(tid),
                                               (), f"'{out.label(tid)}' grew by {len(added)} "
                                               "units (rebuild)."))
                continue
            came = Counter(prev_prim.get(u) for u in out.member_ids(tid) if u in prev._row)
            src, n_src = came.most_common(1)[0] if came else (None, 0)
            date = _first_date(out, tid)
            reg.status[tid] = "active"
            reg.born[tid] = {"update": update, "date": date}
            size = len(out.member_ids(tid))
            if src in matched_old and n_src >= 0.5 * size:
                events.append(LineageEvent(update, "split", src, date, size, out.label(tid),
                                           (tid,), f"'{out.label(tid)}' split from "
                                           f"'{out.label(src)}' ({size} units)."))
            else:
                events.append(LineageEvent(update, "born", tid, date, size, out.label(tid), (),
                                           f"New theme '{out.label(tid)}': {size} units."))
        for tid in old_ids:
            if tid in matched_old:
                continue
            went = Counter(out_prim.get(u) for u in prev.member_ids(tid) if u in out._row)
            dst, n_dst = went.most_common(1)[0] if went else (None, 0)
            label = prev.label(tid)
            if dst in out._labels and n_dst >= 0.5 * len(prev.member_ids(tid)):
                reg._retire(tid, "merged")
                reg.former[tid] = label
                events.append(LineageEvent(update, "merged", dst, "", n_dst, out.label(dst),
                                           (tid,), f"'{label}' merged into '{out.label(dst)}' "
                                           "(rebuild)."))
            else:
                reg._retire(tid, "retired")
                reg.former[tid] = label
                events.append(LineageEvent(update, "retired", tid, "", 0, label, (),
                                           f"'{label}' matches no theme of the rebuild; retired."))
        reg.lineage.extend(events)
        dates = _dates(corpus)
        events += reg._mark_faded(self.fade_after_days, dates)
        s = out.summary()
        n_new = sum(1 for u in out.unit_ids if u not in prev._row)
        new_prim = [out_prim[u] for u in out.unit_ids if u not in prev._row]
        n_house = sum(1 for t in new_prim if t == HOUSEKEEPING)
        n_un = sum(1 for t in new_prim if t == UNASSIGNED)
        born_ids = {e.related[0] if e.kind == "split" else e.theme_id for e in events
                    if e.kind in ("born", "split")}
        in_born = sum(1 for t in new_prim if t in born_ids)
        report = UpdateReport(update, "rebuild", s["n_units"], n_new=n_new,
                              n_removed=sum(1 for u in prev.unit_ids if u not in out._row),
                              n_joined=n_new - n_house - n_un - in_born, n_in_new_themes=in_born,
                              n_unassigned=n_un, n_housekeeping=n_house,
                              since=max((d for u, d in dates.items() if u in prev._row and d),
                                        default=""),
                              lineage=tuple(events),
                              timings={"fit": round(time.perf_counter() - t, 3)},
                              notes=tuple(f"curation not replayed: {s_}" for s_ in skipped))
        return reg, report
