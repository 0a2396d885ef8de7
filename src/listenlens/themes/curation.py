"""Curation: rename, merge, split, move units, mark as noise, pin a label — logged and replayable.

Every operation returns a **new** :class:`~listenlens.themes.result.Themes` (the old one is
unchanged) whose ``log`` ends with one entry ``{"op", "args", "when", "who", "why", "result"}``.
Theme ids never silently change: a merge creates a theme with a new content-derived id and records
its parents; a split creates one theme per part; the old ids keep resolving
(``themes.resolve(old_id)``). Themes an operation does not touch keep their ids, labels and
keywords.

``replay(fresh, log)`` applies a log to a fresh fit. Each logged theme reference also records the
theme's members at the time, so when a re-run (e.g. with new events added) gives different ids,
the reference goes to the fresh theme that shares most of those members (at least half, by
Jaccard overlap); operations whose theme cannot be found are skipped and reported.

>>> t2 = themes.merge(["t-1a2b3c4d", "t-5e6f7a8b"], who="amina", why="same concern")  # doctest: +SKIP
>>> t3 = themes.rename(t2.theme_ids[0], "Damp and mould in council homes")           # doctest: +SKIP
>>> again = replay(ll.find_themes(corpus, seed=0), t3.log)                           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..clock import utc_now
from ..embeddings import unit_vector
from .central import LABEL_DOCS, central_texts
from .result import HOUSEKEEPING, SPECIAL_LABELS, UNASSIGNED, Themes

__all__ = ["rename", "pin_label", "merge", "split", "move", "mark_noise", "replay", "OPERATIONS"]


def _members(themes: Themes, tid: str) -> list[str]:
    return themes.member_ids(tid) if tid not in SPECIAL_LABELS else []


def _new_id(unit_ids: Iterable[str]) -> str:
    from .model import theme_id_for

    return theme_id_for(sorted(unit_ids))


def _centroid(themes: Themes, members: Sequence[str]) -> np.ndarray:
    """Unit-length mean embedding of ``members``."""
    return unit_vector(themes.vectors(members).mean(axis=0))


def _describe(themes: Themes, assignments: pd.DataFrame, new: dict[str, list[str]],
              labels: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Keywords and labels for the new themes (c-TF-IDF against every current theme)."""
    from .labels import keywords, phrase_labels, term_weights

    prim = assignments[assignments["primary"]]
    text = {u.unit_id: u.text for u in themes.corpus.unit_records}
    docs = {tid: [text[u] for u in g["unit_id"]] for tid, g in prim.groupby("theme_id")
            if tid in labels or tid in new}
    weights = term_weights(docs)
    n_kw = int(themes.params.get("n_keywords", 10) or 10)
    kw = keywords(docs, n_kw, weights)
    n_docs = int(themes.params.get("label_docs", LABEL_DOCS) or LABEL_DOCS)
    central = {tid: central_texts([text[u] for u in members], members, themes.vectors(members),
                                  _centroid(themes, members), n_docs)
               for tid, members in new.items()}
    names = phrase_labels(central, weights=weights, fallback=kw) if central else {}
    return names, {tid: kw.get(tid, []) for tid in new}


def _rebuild(themes: Themes, *, assignments: pd.DataFrame, removed: Sequence[str] = (),
             new: dict[str, list[str]] | None = None, labels: dict[str, str] | None = None,
             aliases: dict[str, list[str]] | None = None, pinned: dict[str, str] | None = None,
             origin: dict[str, str] | None = None, entry: dict[str, Any]) -> Themes:
    new = new or {}
    now = themes.fields()
    lab = {k: v for k, v in now["labels"].items() if k not in removed}
    kw = {k: v for k, v in now["keywords"].items() if k not in removed}
    cent = {k: v for k, v in now["centroids"].items() if k not in removed}
    org = {k: v for k, v in now["origin"].items() if k not in removed}
    if labels:
        lab.update(labels)
    for tid, members in new.items():
        cent[tid] = _centroid(themes, members)
    if new:
        named, words = _describe(themes, assignments, new, lab)
        for tid in new:
            lab.setdefault(tid, named.get(tid, "Unlabelled theme"))
            kw[tid] = words.get(tid, [])
            org[tid] = (origin or {}).get(tid, "emergent")
    pins = {**now["pinned"], **(pinned or {})}
    for tid, label in pins.items():
        if tid in lab:
            lab[tid] = label
    return themes.replace(assignments=assignments, labels=lab, keywords=kw, centroids=cent,
                          origin=org, log=[*now["log"], entry],
                          aliases={**now["aliases"], **(aliases or {})}, pinned=pins)


def _entry(op: str, args: dict[str, Any], who: str | None, why: str | None,
           when: str | None = None) -> dict[str, Any]:
    return {"op": op, "args": args, "when": when or utc_now(), "who": who or "", "why": why or "",
            "result": {}}


def _reassign(assignments: pd.DataFrame, mapping: dict[str, str], units: set[str] | None = None,
              probability: float | None = None) -> pd.DataFrame:
    """Primary rows of ``units`` (or all) whose theme is in ``mapping`` take the new theme;
    secondary rows follow and are dropped where they now repeat the primary."""
    a = assignments.copy()
    sel = a["theme_id"].isin(list(mapping))
    if units is not None:
        sel &= a["unit_id"].isin(units)
    a.loc[sel, "theme_id"] = a.loc[sel, "theme_id"].map(mapping)
    if probability is not None:
        a.loc[sel & a["primary"], "probability"] = probability
    prim = a[a["primary"]].set_index("unit_id")["theme_id"]
    sec = ~a["primary"]
    repeat = sec & (a["theme_id"].to_numpy() == prim.reindex(a["unit_id"]).to_numpy())
    special = sec & a["theme_id"].isin(list(SPECIAL_LABELS))
    a = a[~(repeat | special)].drop_duplicates(["unit_id", "theme_id", "primary"])
    return a.reset_index(drop=True)


# --- operations -------------------------------------------------------------------------------

def rename(themes: Themes, theme_id: str, label: str, *, who: str | None = None,
           why: str | None = None, when: str | None = None) -> Themes:
    """Give a theme a new label (pinned: it survives replay on a fresh fit)."""
    tid = themes.resolve_one(theme_id)
    if tid in SPECIAL_LABELS:
        raise ValueError(f"{tid} cannot be renamed")
    entry = _entry("rename", {"theme_id": tid, "label": label,
                              "members": _members(themes, tid)}, who, why, when)
    return _rebuild(themes, assignments=themes.assignments, pinned={tid: label}, entry=entry)


def pin_label(themes: Themes, theme_id: str, label: str | None = None, *,
              who: str | None = None, why: str | None = None, when: str | None = None
              ) -> Themes:
    """Keep a theme's label (the current one unless given) through later operations and
    replays."""
    tid = themes.resolve_one(theme_id)
    label = label if label is not None else themes.label(tid)
    entry = _entry("pin_label", {"theme_id": tid, "label": label,
                                 "members": _members(themes, tid)}, who, why, when)
    return _rebuild(themes, assignments=themes.assignments, pinned={tid: label}, entry=entry)


def merge(themes: Themes, theme_ids: Sequence[str], label: str | None = None, *,
          who: str | None = None, why: str | None = None, when: str | None = None) -> Themes:
    """Merge themes into one new theme (id from its members; the parents resolve to it)."""
    parents = []
    for t in theme_ids:
        tid = themes.resolve_one(t)
        if tid in SPECIAL_LABELS:
            raise ValueError(f"{tid} cannot be merged")
        if tid not in parents:
            parents.append(tid)
    if len(parents) < 2:
        raise ValueError("merge needs at least two different themes")
    members = sorted(u for t in parents for u in _members(themes, t))
    new_id = _new_id(members)
    entry = _entry("merge", {"theme_ids": parents, "label": label,
                             "members": {t: _members(themes, t) for t in parents}},
                   who, why, when)
    entry["result"] = {"theme_id": new_id, "parents": parents}
    a = _reassign(themes.assignments, {t: new_id for t in parents})
    origin = {new_id: "codebook" if all(themes.origin.get(t) == "codebook" for t in parents)
              else "emergent"}
    return _rebuild(themes, assignments=a, removed=parents, new={new_id: members},
                    labels={new_id: label} if label else None,
                    aliases={t: [new_id] for t in parents},
                    pinned={new_id: label} if label else None, origin=origin, entry=entry)


def split(themes: Themes, theme_id: str, n: int = 2, *, who: str | None = None,
          why: str | None = None, when: str | None = None) -> Themes:
    """Re-cluster one theme into ``n`` parts (Ward linkage on its members' embeddings)."""
    from sklearn.cluster import AgglomerativeClustering

    tid = themes.resolve_one(theme_id)
    members = _members(themes, tid)
    if tid in SPECIAL_LABELS or len(members) < max(2, n):
        raise ValueError(f"theme {tid} has {len(members)} units; cannot split into {n}")
    x = themes.vectors(members)
    parts = AgglomerativeClustering(n_clusters=n, linkage="ward").fit(x).labels_
    groups = {int(k): sorted(u for u, p in zip(members, parts) if p == k)
              for k in sorted(set(parts.tolist()))}
    new = {_new_id(g): g for g in groups.values()}
    entry = _entry("split", {"theme_id": tid, "n": n, "members": members}, who, why, when)
    entry["result"] = {"theme_ids": sorted(new)}
    a = themes.assignments.copy()
    to = {u: t for t, g in new.items() for u in g}
    prim = a["primary"] & (a["theme_id"] == tid)
    a.loc[prim, "theme_id"] = a.loc[prim, "unit_id"].map(to)
    a = a[~((~a["primary"]) & (a["theme_id"] == tid))].reset_index(drop=True)
    origin = {t: themes.origin.get(tid, "emergent") for t in new}
    return _rebuild(themes, assignments=a, removed=[tid], new=new,
                    aliases={tid: sorted(new)}, origin=origin, entry=entry)


def move(themes: Themes, unit_ids: Iterable[str], to_theme: str, *, who: str | None = None,
         why: str | None = None, when: str | None = None) -> Themes:
    """Move units to another theme (or to ``t-unassigned`` / ``t-housekeeping``). Theme ids do
    not change; the moved units' probability becomes 1.0 (a person decided)."""
    target = themes.resolve_one(to_theme)
    units = list(dict.fromkeys(unit_ids))
    unknown = [u for u in units if not themes.has_unit(u)]
    if unknown:
        raise KeyError(f"unknown unit ids: {unknown[:5]}")
    entry = _entry("move", {"unit_ids": units, "to_theme": target,
                            "members": _members(themes, target)}, who, why, when)
    a = themes.assignments.copy()
    sel = a["primary"] & a["unit_id"].isin(units)
    a.loc[sel, "theme_id"] = target
    a.loc[sel, "probability"] = 1.0
    a = _reassign(a, {}, None)
    return _rebuild(themes, assignments=a, entry=entry)


def mark_noise(themes: Themes, theme_id: str, *, who: str | None = None,
               why: str | None = None, when: str | None = None) -> Themes:
    """Dissolve a theme: its units become unassigned; the id resolves to ``t-unassigned``."""
    tid = themes.resolve_one(theme_id)
    if tid in SPECIAL_LABELS:
        raise ValueError(f"{tid} is not a theme")
    entry = _entry("mark_noise", {"theme_id": tid, "members": _members(themes, tid)},
                   who, why, when)
    a = _reassign(themes.assignments, {tid: UNASSIGNED})
    return _rebuild(themes, assignments=a, removed=[tid], aliases={tid: [UNASSIGNED]},
                    entry=entry)


OPERATIONS: dict[str, Callable[..., Themes]] = {
    "rename": rename, "pin_label": pin_label, "merge": merge, "split": split, "move": move,
    "mark_noise": mark_noise}


# --- replay -----------------------------------------------------------------------------------

def _find(themes: Themes, tid: str, members: list[str] | None) -> str | None:
    if tid in SPECIAL_LABELS:
        return tid
    try:
        ids = themes.resolve(tid)
        if len(ids) == 1:
            return ids[0]
    except KeyError:
        pass
    if not members:
        return None
    want = set(members)
    best, best_j = None, 0.0
    for cand in themes.theme_ids:
        have = set(themes.member_ids(cand))
        j = len(want & have) / len(want | have) if want | have else 0.0
        if j > best_j + 1e-12:
            best, best_j = cand, j
    return best if best_j >= 0.5 else None


def replay(themes: Themes, log: Sequence[dict[str, Any]]) -> tuple[Themes, list[str]]:
    """Apply a curation log to (fresh) themes. Returns the curated themes and a list of the
    operations that could not be applied, and why."""
    skipped: list[str] = []
    for i, entry in enumerate(log):
        op, args = entry["op"], dict(entry["args"])
        meta = {"who": entry.get("who"), "why": entry.get("why"), "when": entry.get("when")}
        members = args.pop("members", None)
        try:
            if op == "merge":
                found = [_find(themes, t, (members or {}).get(t)) for t in args["theme_ids"]]
                if None in found:
                    raise KeyError("a merged theme is not in this fit")
                themes = merge(themes, found, args.get("label"), **meta)
            elif op == "move":
                target = _find(themes, args["to_theme"], members)
                units = [u for u in args["unit_ids"] if themes.has_unit(u)]
                if target is None or not units:
                    raise KeyError("target theme or units not in this fit")
                themes = move(themes, units, target, **meta)
            elif op == "review":
                from .review import replay_review

                themes = replay_review(themes, entry)
            elif op in OPERATIONS:
                tid = _find(themes, args.pop("theme_id"), members)
                if tid is None:
                    raise KeyError("theme not in this fit")
                themes = OPERATIONS[op](themes, tid, **args, **meta)
            else:
                raise KeyError(f"unknown operation {op!r}")
        except (KeyError, ValueError) as exc:
            skipped.append(f"#{i} {op}: {exc}")
    return themes, skipped


def special_ids() -> tuple[str, str]:
    """The special theme ids (unassigned, housekeeping)."""
    return UNASSIGNED, HOUSEKEEPING
