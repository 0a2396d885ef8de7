"""The theme registry: themes that keep their ids, labels and curation across updates.

Re-running a topic model on a grown corpus renumbers and renames everything. A
:class:`ThemeRegistry` instead carries its :class:`~listenlens.themes.result.Themes` forward,
with what happened to each theme (:mod:`listenlens.themes.lineage`), its status (active, faded,
merged, split, retired), when it was born and how stable it is. :mod:`listenlens.themes.update`
brings a registry up to date with a corpus that gained or lost events; :meth:`ThemeRegistry.curate`
takes a researcher's curation (merges, splits, renames) into the lineage.

>>> import numpy as np
>>> c = np.eye(3, dtype=np.float32)
>>> pairs, _ = match_themes(c[:2], [["damp"], ["bus"]], c[[1, 2]], [["bus"], ["gp"]],
...                         threshold=0.7)
>>> [(old, new) for old, new, _ in pairs]
[(1, 0)]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError, CorpusError
from ..outputs import write_atomic
from .labels import keyword_words
from .lineage import STATUSES, LineageEvent, event_from_dict, lineage_frame
from .result import Themes

__all__ = ["ThemeRegistry", "UpdateReport", "open_registry", "match_themes", "REGISTRY_FORMAT"]

REGISTRY_FORMAT = 1


# --- matching ---------------------------------------------------------------------------------

def match_themes(old_cent: np.ndarray, old_kw: Sequence[Sequence[str]], new_cent: np.ndarray,
                 new_kw: Sequence[Sequence[str]], *, threshold: float,
                 keyword_weight: float = 0.2) -> tuple[list[tuple[int, int, float]], np.ndarray]:
    """Optimal one-to-one matching of new themes to old ones.

    Similarity is ``(1 - keyword_weight) * cosine(centroids) + keyword_weight * Jaccard(top-10
    keyword words)``; pairs are chosen by the Hungarian algorithm to maximise total similarity,
    and kept when at least ``threshold``. Returns ``[(old_index, new_index, similarity)]`` and
    the full similarity matrix.
    """
    from scipy.optimize import linear_sum_assignment

    if not len(old_cent) or not len(new_cent):
        return [], np.zeros((len(old_cent), len(new_cent)))
    cos = np.asarray(old_cent, dtype=np.float64) @ np.asarray(new_cent, dtype=np.float64).T
    olds = [set(keyword_words(k)) for k in old_kw]
    news = [set(keyword_words(k)) for k in new_kw]
    jac = np.array([[len(a & b) / len(a | b) if a | b else 0.0 for b in news] for a in olds])
    sim = (1.0 - keyword_weight) * cos + keyword_weight * jac
    rows, cols = linear_sum_assignment(-sim)
    pairs = [(int(r), int(c), float(sim[r, c])) for r, c in zip(rows, cols)
             if sim[r, c] >= threshold]
    return sorted(pairs), sim


# --- the report -------------------------------------------------------------------------------

@dataclass
class UpdateReport:
    """What one update did. Every new unit is accounted for:
    ``n_new == n_joined + n_in_new_themes + n_unassigned + n_housekeeping``."""

    update: int
    method: str
    n_units: int
    n_new: int = 0
    n_removed: int = 0
    n_joined: int = 0
    n_in_new_themes: int = 0
    n_unassigned: int = 0
    n_housekeeping: int = 0
    since: str = ""
    lineage: tuple[LineageEvent, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def lineage_table(self) -> pd.DataFrame:
        """This update's lineage events as a DataFrame."""
        return lineage_frame(self.lineage)

    def counts(self) -> dict[str, int]:
        """The unit accounting as a dict."""
        return {"n_units": self.n_units, "n_new": self.n_new, "n_removed": self.n_removed,
                "n_joined": self.n_joined, "n_in_new_themes": self.n_in_new_themes,
                "n_unassigned": self.n_unassigned, "n_housekeeping": self.n_housekeeping}

    def sentences(self) -> list[str]:
        """Plain-English lines: the accounting, then one line per lineage event."""
        if self.method == "unchanged":
            return [f"Update {self.update}: nothing new; {self.n_units} units, themes unchanged."]
        head = (f"Update {self.update} ({self.method}): {self.n_new} new units"
                + (f", {self.n_removed} removed" if self.n_removed else "")
                + f"; {self.n_joined} joined existing themes, {self.n_in_new_themes} formed new "
                f"themes, {self.n_unassigned} unassigned, {self.n_housekeeping} housekeeping.")
        return [head, *[e.detail for e in self.lineage if e.detail], *self.notes]

    def __str__(self) -> str:
        return "\n".join(self.sentences())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return {"update": self.update, "method": self.method, **self.counts(),
                "since": self.since, "lineage": [e.to_dict() for e in self.lineage],
                "timings": self.timings, "notes": list(self.notes)}


# --- the registry -----------------------------------------------------------------------------

class ThemeRegistry:
    """Themes with their lineage, status, birth and stability, carried across updates.

    ``themes`` (current :class:`Themes`), ``lineage`` (every :class:`LineageEvent` so far),
    ``status`` (theme id -> one of ``active``, ``faded``, ``merged``, ``split``,
    ``retired``; former themes included), ``born`` (theme id -> ``{"update", "date"}``),
    ``stability`` (theme id -> score, see :mod:`listenlens.themes.stability`), ``updates``
    (the number of the last update), ``former`` (labels of themes no longer current),
    ``pending`` (ids of new units waiting in the pool of unplaced units).
    """

    def __init__(self, themes: Themes, *, lineage: Sequence[LineageEvent] = (),
                 status: dict[str, str] | None = None, born: dict[str, dict[str, Any]] | None = None,
                 stability: dict[str, float] | None = None, updates: int = 0,
                 former: dict[str, str] | None = None, log_seen: int | None = None,
                 pending: Sequence[str] = ()):
        self.themes = themes
        self.lineage: list[LineageEvent] = list(lineage)
        self.status: dict[str, str] = dict(status or {})
        self.born: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (born or {}).items()}
        self.stability: dict[str, float] = dict(stability or {})
        self.updates = updates
        self.former: dict[str, str] = dict(former or {})
        self.log_seen = len(themes.log) if log_seen is None else log_seen
        self.pending: list[str] = list(pending)
        for s in self.status.values():
            if s not in STATUSES:
                raise ValueError(f"unknown theme status {s!r}")

    @property
    def table(self) -> pd.DataFrame:
        """``themes.table`` with ``status``, ``born_update``, ``born_date`` and ``stability``."""
        t = self.themes.table.copy()
        t["status"] = [self.status.get(tid, "active") for tid in t["theme_id"]]
        t["born_update"] = [self.born.get(tid, {}).get("update", 0) for tid in t["theme_id"]]
        t["born_date"] = [self.born.get(tid, {}).get("date", "") for tid in t["theme_id"]]
        t["stability"] = [self.stability.get(tid, float("nan")) for tid in t["theme_id"]]
        return t

    def history(self, since_update: int | None = None) -> pd.DataFrame:
        """Lineage events (all, or those after update ``since_update``) as a DataFrame."""
        events = [e for e in self.lineage if since_update is None or e.update > since_update]
        return lineage_frame(events)

    def label(self, theme_id: str) -> str:
        """Label of a current or former theme."""
        if theme_id in self.former:
            return self.former[theme_id]
        return self.themes.label(theme_id)

    def curate(self, themes: Themes) -> ThemeRegistry:
        """A registry holding ``themes``, curated from this registry's themes (its curation log
        must extend theirs); the new log entries become lineage (merged, split, retired,
        renamed) in the current update."""
        old_log = self.themes.log
        if themes.log[:len(old_log)] != old_log:
            raise AnalysisError("these themes were not curated from the registry's themes "
                                "(their curation log does not extend the registry's)")
        reg = self.with_themes(themes)
        for entry in themes.log[len(old_log):]:
            reg._lineage_from_curation(entry)
        reg.log_seen = len(themes.log)
        return reg

    def with_themes(self, themes: Themes) -> ThemeRegistry:
        """A registry like this one holding ``themes`` (the lineage and status are copied)."""
        return ThemeRegistry(themes, lineage=self.lineage, status=self.status, born=self.born,
                             stability=self.stability, updates=self.updates, former=self.former,
                             log_seen=self.log_seen, pending=self.pending)

    def _lineage_from_curation(self, entry: dict[str, Any]) -> None:
        op, args, res = entry["op"], entry.get("args", {}), entry.get("result", {})
        u, why = self.updates, entry.get("why", "")
        why_s = f" ({why})" if why else ""
        if op == "merge":
            new, parents = res["theme_id"], list(res.get("parents", args.get("theme_ids", [])))
            for p in parents:
                self.retire(p, "merged")
            label = self.themes.label(new)
            self.status[new] = "active"
            self.born[new] = {"update": u, "date": first_date(self.themes, new)}
            self.lineage.append(LineageEvent(
                u, "merged", new, first_date(self.themes, new), len(self.themes.member_ids(new)),
                label, tuple(parents),
                f"Merged {' and '.join(repr(self.label(p)) for p in parents)} into "
                f"'{label}'{why_s}."))
        elif op == "split":
            old, parts = args["theme_id"], list(res.get("theme_ids", []))
            self.retire(old, "split")
            for p in parts:
                self.status[p] = "active"
                self.born[p] = {"update": u, "date": first_date(self.themes, p)}
            self.lineage.append(LineageEvent(
                u, "split", old, "", 0, self.label(old), tuple(parts),
                f"Split '{self.label(old)}' into "
                f"{', '.join(repr(self.themes.label(p)) for p in parts)}{why_s}."))
        elif op == "mark_noise":
            tid = args["theme_id"]
            self.retire(tid, "retired")
            self.lineage.append(LineageEvent(u, "retired", tid, "", 0, self.label(tid), (),
                                             f"Retired '{self.label(tid)}' as noise{why_s}."))
        elif op == "rename":
            tid = args["theme_id"]
            old = next((e.label for e in reversed(self.lineage) if e.theme_id == tid
                        and e.label), "")
            self.lineage.append(LineageEvent(
                u, "renamed", tid, "", 0, args["label"], (),
                f"Renamed {repr(old) + ' ' if old else ''}to '{args['label']}'{why_s}."))

    def retire(self, tid: str, how: str) -> None:
        """Mark a theme ``how`` (``retired``, ``merged``, ``split``), remembering its label."""
        label = next((e.label for e in reversed(self.lineage) if e.theme_id == tid and e.label),
                     "")
        if tid in self.themes.theme_ids:
            label = self.themes.label(tid)
        self.former[tid] = label or self.former.get(tid, tid)
        self.status[tid] = how

    def mark_faded(self, fade_after_days: int, dates: dict[str, str]) -> list[LineageEvent]:
        """Mark active themes nobody raised for ``fade_after_days`` before the newest event."""
        newest = max((d for d in dates.values() if d), default="")
        if not newest or fade_after_days <= 0:
            return []
        cutoff = (pd.Timestamp(newest) - pd.Timedelta(days=fade_after_days)).strftime("%Y-%m-%d")
        out = []
        for r in self.themes.table.itertuples():
            last = "" if pd.isna(r.last_seen) else pd.Timestamp(r.last_seen).strftime("%Y-%m-%d")
            if self.status.get(r.theme_id, "active") == "active" and last and last < cutoff:
                self.status[r.theme_id] = "faded"
                out.append(LineageEvent(self.updates, "faded", r.theme_id, last, 0, r.label, (),
                                        f"'{r.label}' has not been raised since {last} "
                                        f"(more than {fade_after_days} days before the newest "
                                        "event); faded."))
        self.lineage.extend(out)
        return out

    # --- persistence --------------------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        """Write the registry (``themes/`` as :meth:`Themes.save` plus ``registry.json``)."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        self.themes.save(out / "themes")
        meta = {"format": REGISTRY_FORMAT, "updates": self.updates, "status": self.status,
                "born": self.born, "stability": self.stability, "former": self.former,
                "log_seen": self.log_seen, "pending": self.pending,
                "lineage": [e.to_dict() for e in self.lineage]}
        write_atomic(out / "registry.json",
                     json.dumps(meta, indent=1, ensure_ascii=False, default=str))
        return out

    def __repr__(self) -> str:
        n_active = sum(1 for t in self.themes.theme_ids if self.status.get(t) == "active")
        return (f"<ThemeRegistry: {len(self.themes.theme_ids)} themes ({n_active} active), "
                f"{len(self.lineage)} lineage events, update {self.updates}>")


def open_registry(directory: str | Path) -> ThemeRegistry:
    """Open a registry written by :meth:`ThemeRegistry.save`."""
    from .persist import open_themes

    root = Path(directory)
    path = root / "registry.json"
    if not path.is_file():
        raise CorpusError("not a saved theme registry (no registry.json)", file=root)
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format") != REGISTRY_FORMAT:
        raise CorpusError(f"registry format {meta.get('format')!r} is not supported",
                          file=path)
    return ThemeRegistry(open_themes(root / "themes"),
                         lineage=[event_from_dict(e) for e in meta["lineage"]],
                         status=meta["status"], born=meta["born"],
                         stability={k: float(v) for k, v in meta["stability"].items()},
                         updates=int(meta["updates"]), former=meta["former"],
                         log_seen=int(meta["log_seen"]), pending=meta.get("pending", []))




def first_date(themes: Themes, tid: str) -> str:
    """The date a theme was first raised (``YYYY-MM-DD``; empty when unknown)."""
    row = themes.table[themes.table["theme_id"] == tid]
    if not len(row) or pd.isna(row["first_seen"].iloc[0]):
        return ""
    return pd.Timestamp(row["first_seen"].iloc[0]).strftime("%Y-%m-%d")
