"""``Themes``: the result of theme discovery, and what notebooks, trends and briefings read.

Everything is keyed by ids in columns: ``themes.table`` (one row per theme),
``themes.assignments`` (one primary row per unit, plus secondary rows), ``themes.quotes(tid)``,
``themes.units(tid)``. Theme ids are content-derived (``t-`` + 8 hex digits of the sorted member
unit ids at fit time); curation never renumbers them, and ids that curation retired still
resolve (:meth:`Themes.resolve`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..embeddings import unit_vector
from .quotes import mmr

__all__ = ["Themes", "UNASSIGNED", "HOUSEKEEPING", "SPECIAL_LABELS", "POS_UNASSIGNED",
           "POS_HOUSEKEEPING", "build_table", "TABLE_COLUMNS", "ASSIGNMENT_COLUMNS",
           "QUOTE_COLUMNS"]

UNASSIGNED = "t-unassigned"
HOUSEKEEPING = "t-housekeeping"
#: Codes for the two special themes in an array of theme positions (``column[i]`` is the
#: position of unit ``i``'s theme in a list of theme ids; see ``model.assignment_rows``).
POS_UNASSIGNED = -1
POS_HOUSEKEEPING = -2
SPECIAL_LABELS = {UNASSIGNED: "Unassigned", HOUSEKEEPING: "Facilitator housekeeping"}
TABLE_COLUMNS = ["theme_id", "label", "keywords", "n_units", "n_speakers", "n_events",
                 "n_communities", "share", "first_seen", "last_seen", "origin"]
ASSIGNMENT_COLUMNS = ["unit_id", "theme_id", "probability", "primary"]
QUOTE_COLUMNS = ["rank", "unit_id", "text", "event_id", "community", "date", "speaker_id",
                 "consent", "similarity"]


def build_table(corpus: Corpus, assignments: pd.DataFrame, labels: dict[str, str],
                keywords: dict[str, list[str]], origin: dict[str, str] | None = None,
                order: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per real theme from primary assignments, largest first (ties by id).

    ``share`` is the theme's units over all substantive units (everything but housekeeping);
    speakers are counted by pseudonym, facilitators excluded.
    """
    units = corpus.units.set_index("unit_id")
    prim = assignments[assignments["primary"]]
    n_substantive = int((prim["theme_id"] != HOUSEKEEPING).sum())
    rows = []
    theme_ids = list(order) if order is not None else sorted(labels)
    for tid in theme_ids:
        members = prim.loc[prim["theme_id"] == tid, "unit_id"]
        sub = units.loc[members.to_numpy()] if len(members) else units.iloc[0:0]
        speakers = sub.loc[(sub["speaker_id"] != "") & (sub["role"] != "facilitator"),
                           "speaker_id"]
        rows.append({
            "theme_id": tid, "label": labels.get(tid, ""),
            "keywords": list(keywords.get(tid, [])), "n_units": len(sub),
            "n_speakers": int(speakers.nunique()), "n_events": int(sub["event_id"].nunique()),
            "n_communities": int(sub["community"].nunique()),
            "share": len(sub) / n_substantive if n_substantive else 0.0,
            "first_seen": sub["date"].min() if len(sub) else pd.NaT,
            "last_seen": sub["date"].max() if len(sub) else pd.NaT,
            "origin": (origin or {}).get(tid, "emergent"),
        })
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    if len(table):
        table = table.sort_values(["n_units", "theme_id"], ascending=[False, True],
                                  kind="mergesort").reset_index(drop=True)
    return table


class Themes:
    """Themes found in a corpus (build with :func:`listenlens.find_themes`).

    >>> themes = ll.find_themes(corpus, seed=0)                 # doctest: +SKIP
    >>> themes.table[["theme_id", "label", "n_units", "share"]]  # doctest: +SKIP
    >>> themes.quotes(themes.table.theme_id[0], n=3)             # doctest: +SKIP

    A ``Themes`` is not changed in place: curation, review and updates derive a changed copy
    with :meth:`replace` (the constructor's arguments, :meth:`fields`, with some replaced).
    """

    #: The constructor's keyword arguments (besides ``corpus``), which :meth:`replace` takes.
    FIELDS = ("unit_ids", "embeddings", "assignments", "labels", "keywords", "centroids",
              "params", "origin", "log", "aliases", "pinned")

    def __init__(self, corpus: Corpus, *, unit_ids: list[str], embeddings: np.ndarray,
                 assignments: pd.DataFrame, labels: dict[str, str],
                 keywords: dict[str, list[str]], centroids: dict[str, np.ndarray],
                 params: dict[str, Any], origin: dict[str, str] | None = None,
                 log: list[dict[str, Any]] | None = None,
                 aliases: dict[str, list[str]] | None = None,
                 pinned: dict[str, str] | None = None, order: list[str] | None = None):
        self.corpus = corpus
        self.unit_ids = list(unit_ids)
        self.embeddings = np.asarray(embeddings, dtype=np.float32)
        self.assignments = assignments.reset_index(drop=True)[ASSIGNMENT_COLUMNS]
        self._labels = dict(labels)
        self._keywords = {k: list(v) for k, v in keywords.items()}
        self._centroids = {k: np.asarray(v, dtype=np.float32) for k, v in centroids.items()}
        self.params = params
        self.origin = dict(origin or {})
        self.log: list[dict[str, Any]] = list(log or [])
        self.aliases: dict[str, list[str]] = {k: list(v) for k, v in (aliases or {}).items()}
        self.pinned: dict[str, str] = dict(pinned or {})
        self._row = {u: i for i, u in enumerate(self.unit_ids)}
        self.timings: dict[str, float] = {}
        self.table = build_table(corpus, self.assignments, self._labels, self._keywords,
                                 self.origin, order if order is not None else list(self._labels))
        if params.get("review"):
            self.table.attrs["agreement"] = dict(params["review"])

    # --- deriving a changed copy ---------------------------------------------------------------
    def fields(self) -> dict[str, Any]:
        """The constructor's arguments as a dict: ``corpus`` and every name in :attr:`FIELDS`
        (dicts and lists are copies; the corpus, arrays and the assignments frame are shared:
        read them, build new ones to change them).

        >>> sorted(themes.fields()["labels"]) == sorted(themes.theme_ids)
        True
        """
        return {"corpus": self.corpus, "unit_ids": list(self.unit_ids),
                "embeddings": self.embeddings, "assignments": self.assignments,
                "labels": dict(self._labels),
                "keywords": {k: list(v) for k, v in self._keywords.items()},
                "centroids": dict(self._centroids), "params": dict(self.params),
                "origin": dict(self.origin), "log": list(self.log),
                "aliases": {k: list(v) for k, v in self.aliases.items()},
                "pinned": dict(self.pinned)}

    def replace(self, **changes: Any) -> Themes:
        """A new ``Themes`` equal to this one except for ``changes`` (any of ``corpus`` and
        :attr:`FIELDS`), like :func:`dataclasses.replace`; this one is unchanged. The table is
        rebuilt from the new fields (its rows are the themes in ``labels``).

        >>> quiet = themes.replace(params={**themes.params, "notes": []})
        >>> quiet.notes, quiet is themes, quiet.table.equals(themes.table)
        ([], False, True)
        >>> themes.replace(colour="red")
        Traceback (most recent call last):
        TypeError: Themes has no field 'colour' (fields: corpus, unit_ids, ...)
        """
        now = self.fields()
        unknown = sorted(set(changes) - set(now))
        if unknown:
            raise TypeError(f"Themes has no field {unknown[0]!r} (fields: "
                            f"{', '.join(now)})")
        now.update(changes)
        return Themes(now.pop("corpus"), **now)

    def has_unit(self, unit_id: str) -> bool:
        """Whether ``unit_id`` is one of the units these themes were found in."""
        return unit_id in self._row

    def row(self, unit_id: str) -> int:
        """The position of ``unit_id`` in :attr:`unit_ids` and :attr:`embeddings` (unknown ids
        raise ``KeyError``)."""
        return self._row[unit_id]

    def vectors(self, unit_ids: Iterable[str]) -> np.ndarray:
        """The embeddings of ``unit_ids`` (rows in the order given; unknown ids raise
        ``KeyError``)."""
        rows = [self._row[u] for u in unit_ids]
        return self.embeddings[rows]

    # --- lookups ------------------------------------------------------------------------------
    @property
    def theme_ids(self) -> list[str]:
        """Real theme ids, largest theme first."""
        return self.table["theme_id"].tolist()

    @property
    def notes(self) -> list[str]:
        """Sentences about how the themes were made (method changes, merges, outliers)."""
        return list(self.params.get("notes", []))

    def resolve(self, theme_id: str) -> list[str]:
        """Current theme ids for an id, following curation (a merged id resolves to the merged
        theme; a split id to its parts). Unknown ids raise ``KeyError``."""
        if theme_id in self._labels or theme_id in SPECIAL_LABELS:
            return [theme_id]
        if theme_id in self.aliases:
            out: list[str] = []
            for new in self.aliases[theme_id]:
                out += [t for t in self.resolve(new) if t not in out]
            return out
        raise KeyError(f"unknown theme id {theme_id!r}")

    def resolve_one(self, theme_id: str) -> str:
        """The one current theme id for ``theme_id`` (:meth:`resolve`); ``KeyError`` when it is
        unknown or was split into several themes."""
        ids = self.resolve(theme_id)
        if len(ids) != 1:
            raise KeyError(f"theme {theme_id!r} was split into {ids}; name one of them")
        return ids[0]

    def label(self, theme_id: str) -> str:
        """The label of a theme (``"Unassigned"``, ``"Facilitator housekeeping"`` for the
        special ids)."""
        tid = self.resolve_one(theme_id)
        return SPECIAL_LABELS.get(tid) or self._labels[tid]

    def keywords(self, theme_id: str) -> list[str]:
        """Top c-TF-IDF keywords of a theme."""
        return list(self._keywords.get(self.resolve_one(theme_id), []))

    def centroid(self, theme_id: str) -> np.ndarray:
        """Unit-length mean embedding of a theme's primary members."""
        return self._centroids[self.resolve_one(theme_id)]

    def member_ids(self, theme_id: str, *, secondary: bool = False) -> list[str]:
        """Unit ids assigned to a theme (primary only unless ``secondary``), in corpus order."""
        tid = self.resolve_one(theme_id)
        a = self.assignments
        mask = (a["theme_id"] == tid) & (a["primary"] | secondary)
        members = set(a.loc[mask, "unit_id"])
        return [u for u in self.unit_ids if u in members]

    def units(self, theme_id: str, *, secondary: bool = False) -> pd.DataFrame:
        """The corpus rows of a theme's units with their ``probability`` and ``primary`` flag."""
        tid = self.resolve_one(theme_id)
        a = self.assignments[(self.assignments["theme_id"] == tid)
                             & (self.assignments["primary"] | secondary)]
        rows = self.corpus.units.merge(a[["unit_id", "probability", "primary"]], on="unit_id")
        return rows.reset_index(drop=True)

    def quotes(self, theme_id: str, n: int = 5, *, diversity: float = 0.3) -> pd.DataFrame:
        """``n`` representative and mutually diverse quotes of a theme (MMR over embeddings;
        near-duplicates never both shown). Columns: rank, unit_id, text, event_id, community,
        date, speaker_id, consent, similarity (to the theme centroid).

        Consent is a column, not a filter here: briefings drop or paraphrase units whose
        consent is not ``quote``.
        """
        tid = self.resolve_one(theme_id)
        members = self.member_ids(tid)
        if not members:
            return pd.DataFrame(columns=QUOTE_COLUMNS)
        rows = [self._row[u] for u in members]
        x = self.embeddings[rows]
        texts = [self.corpus.unit(u).text for u in members]
        centre = self._centroids.get(tid)
        if centre is None:
            centre = x.mean(axis=0)
        picked = mmr(x, centre, members, n=n, lam=1.0 - diversity, texts=texts)
        units = self.corpus.units.set_index("unit_id")
        centre = unit_vector(centre)
        out = []
        for rank, i in enumerate(picked, start=1):
            u = members[i]
            r = units.loc[u]
            out.append({"rank": rank, "unit_id": u, "text": r["text"], "event_id": r["event_id"],
                        "community": r["community"], "date": r["date"],
                        "speaker_id": r["speaker_id"], "consent": r["consent"],
                        "similarity": float(x[i] @ centre)})
        return pd.DataFrame(out, columns=QUOTE_COLUMNS)

    def summary(self) -> dict[str, Any]:
        """Counts: units, themes, assigned, unassigned, housekeeping, unassigned share (of the
        substantive units)."""
        prim = self.assignments[self.assignments["primary"]]
        n_house = int((prim["theme_id"] == HOUSEKEEPING).sum())
        n_un = int((prim["theme_id"] == UNASSIGNED).sum())
        n_sub = len(prim) - n_house
        return {"n_units": len(prim), "n_themes": len(self.table), "n_assigned": n_sub - n_un,
                "n_unassigned": n_un, "n_housekeeping": n_house,
                "share_unassigned": n_un / n_sub if n_sub else 0.0,
                "n_secondary": int((~self.assignments["primary"]).sum())}

    def primary(self) -> pd.Series:
        """Primary theme id of every unit, indexed by unit id (corpus order)."""
        prim = self.assignments[self.assignments["primary"]].set_index("unit_id")["theme_id"]
        return prim.reindex(self.unit_ids)

    @property
    def tree(self) -> pd.DataFrame:
        """The theme hierarchy: one row per theme (``level`` 1) and per sub-theme (``level`` 2),
        with ``node_id``, ``parent_id`` (``""`` for themes), ``label``, ``n_units`` and
        ``keywords``. A sub-theme is a fine cluster found under its theme; its units are counted
        under the theme they are assigned to now, so curation (moves, merges) shows through.
        Empty of sub-themes when the fit made no hierarchy (``granularity="broad"``/``"fine"``).
        """
        prim = self.primary()
        rows = [{"level": 1, "node_id": r.theme_id, "parent_id": "", "label": r.label,
                 "n_units": int(r.n_units), "keywords": list(r.keywords)}
                for r in self.table.itertuples()]
        known = set(self.table.theme_id)
        for sub in self.params.get("hierarchy") or []:
            now = prim.reindex(sub["unit_ids"]).dropna()
            now = now[now.isin(known)]
            if now.empty:
                continue
            parent = str(now.value_counts().sort_index().idxmax())
            n = int((now == parent).sum())
            rows.append({"level": 2, "node_id": sub["subtheme_id"], "parent_id": parent,
                         "label": ", ".join(sub["keywords"][:3]), "n_units": n,
                         "keywords": list(sub["keywords"])})
        return pd.DataFrame(rows, columns=["level", "node_id", "parent_id", "label", "n_units",
                                           "keywords"])

    def subtheme_of(self) -> pd.Series:
        """Sub-theme id of every unit that has one, indexed by unit id (corpus order; missing
        where the unit is housekeeping, unassigned or the fit made no hierarchy)."""
        pairs = {u: sub["subtheme_id"] for sub in self.params.get("hierarchy") or []
                 for u in sub["unit_ids"]}
        return pd.Series(pairs, dtype=object).reindex(self.unit_ids)

    def plot_tree(self) -> Any:
        """Plotly sunburst of themes and their sub-themes (sizes = units)."""
        import plotly.express as px

        t = self.tree
        return px.sunburst(t, ids="node_id", names="label", parents="parent_id",
                           values="n_units", branchvalues="remainder")

    # --- display ------------------------------------------------------------------------------
    def __repr__(self) -> str:
        s = self.summary()
        return (f"<Themes: {s['n_themes']} themes over {s['n_units']} units "
                f"({s['share_unassigned']:.0%} unassigned, {s['n_housekeeping']} housekeeping)>")

    def _repr_html_(self) -> str:
        s = self.summary()
        rows = "".join(
            f"<tr><td><code>{html.escape(r.theme_id)}</code></td><td>{html.escape(r.label)}</td>"
            f"<td>{html.escape(', '.join(r.keywords[:6]))}</td><td>{r.n_units}</td>"
            f"<td>{r.n_speakers}</td><td>{r.n_events}</td><td>{r.n_communities}</td>"
            f"<td>{r.share:.1%}</td></tr>" for r in self.table.head(30).itertuples())
        more = f"<p>… and {len(self.table) - 30} more themes</p>" if len(self.table) > 30 else ""
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<div><strong>listenlens Themes</strong>: {s['n_themes']} themes over "
                f"{s['n_units']} units; {s['n_unassigned']} unassigned "
                f"({s['share_unassigned']:.0%}), {s['n_housekeeping']} facilitator housekeeping"
                "<table><thead><tr><th>id</th><th>label</th><th>keywords</th><th>units</th>"
                "<th>speakers</th><th>events</th><th>communities</th><th>share</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>{more}"
                + (f"<ul>{notes}</ul>" if notes else "") + "</div>")

    def map_coordinates(self) -> pd.DataFrame:
        """2-D positions of the themes (principal components of their centroids; signs fixed
        so the map is the same on every run): theme_id, x, y."""
        ids = self.theme_ids
        if not ids:
            return pd.DataFrame(columns=["theme_id", "x", "y"])
        c = np.stack([self._centroids[t] for t in ids]).astype(np.float64)
        c = c - c.mean(axis=0)
        if len(ids) < 2:
            xy = np.zeros((len(ids), 2))
        else:
            u, s, _ = np.linalg.svd(c, full_matrices=False)
            xy = u[:, :2] * s[:2]
            if xy.shape[1] < 2:
                xy = np.hstack([xy, np.zeros((len(ids), 1))])
            for j in range(2):
                if xy[np.argmax(np.abs(xy[:, j])), j] < 0:
                    xy[:, j] *= -1
        return pd.DataFrame({"theme_id": ids, "x": xy[:, 0], "y": xy[:, 1]})

    def plot_map(self) -> Any:
        """Interactive theme map (plotly): one bubble per theme, sized by units, placed so that
        similar themes sit close together."""
        import plotly.graph_objects as go

        xy = self.map_coordinates().merge(self.table, on="theme_id")
        size = 12 + 40 * np.sqrt(xy["n_units"] / max(xy["n_units"].max(), 1))
        hover = [f"<b>{html.escape(r.label)}</b><br>{r.n_units} units, {r.n_speakers} speakers"
                 f"<br>{html.escape(', '.join(r.keywords[:5]))}" for r in xy.itertuples()]
        fig = go.Figure(go.Scatter(
            x=xy["x"], y=xy["y"], mode="markers+text", text=xy["label"],
            textposition="top center", hovertext=hover, hoverinfo="text",
            marker={"size": size, "opacity": 0.6}, customdata=xy["theme_id"]))
        fig.update_layout(title="Theme map", xaxis={"visible": False},
                          yaxis={"visible": False}, template="plotly_white")
        return fig

    def plot_sizes(self, top: int = 30) -> Any:
        """Interactive bar chart (plotly) of the ``top`` themes by units and speakers."""
        import plotly.graph_objects as go

        t = self.table.head(top).iloc[::-1]
        fig = go.Figure([
            go.Bar(y=t["label"], x=t["n_units"], name="units", orientation="h"),
            go.Bar(y=t["label"], x=t["n_speakers"], name="speakers", orientation="h")])
        fig.update_layout(title="Themes by size", barmode="group", template="plotly_white",
                          height=max(300, 28 * len(t) + 120))
        return fig

    def save(self, directory: Any) -> Any:
        """Write the themes and their corpus to a folder (JSON + Parquet + safetensors; no
        pickle). Open it with :func:`listenlens.themes.open_themes`."""
        from .persist import save_themes

        return save_themes(self, directory)

    def to_qdpx(self, path: Any, **options: Any) -> Any:
        """Write these themes, their corpus and codings as a REFI-QDA project (``.qdpx``) for
        NVivo, ATLAS.ti, MAXQDA, QualCoder; options as
        :func:`listenlens.exchange.export.project_xml` (``redact=True`` for sharing)."""
        from ..exchange import write_qdpx

        return write_qdpx(self, path, **options)

    def stability(self, n_runs: int = 5, *, sample: float = 0.8, seed: int | None = None,
                  cache_dir: Any = None) -> pd.DataFrame:
        """How often each theme's members are clustered together again when the clustering is
        re-fitted on ``n_runs`` resamples of ``sample`` of the units (a theme under about 0.5 is
        weak). See :func:`listenlens.themes.stability.theme_stability`."""
        from .stability import theme_stability

        return theme_stability(self, n_runs=n_runs, sample=sample, seed=seed,
                               cache_dir=cache_dir)

    # --- curation (each returns new Themes; see listenlens.themes.curation) --------------------
    def rename(self, theme_id: str, label: str, **meta: Any) -> Themes:
        """A copy with the theme renamed (label pinned); ``who=``/``why=`` are logged."""
        from .curation import rename

        return rename(self, theme_id, label, **meta)

    def pin_label(self, theme_id: str, label: str | None = None, **meta: Any) -> Themes:
        """A copy with the theme's label pinned through later operations and replays."""
        from .curation import pin_label

        return pin_label(self, theme_id, label, **meta)

    def merge(self, theme_ids: list[str], label: str | None = None, **meta: Any) -> Themes:
        """A copy with the themes merged into a new theme (the old ids resolve to it)."""
        from .curation import merge

        return merge(self, theme_ids, label, **meta)

    def split(self, theme_id: str, n: int = 2, **meta: Any) -> Themes:
        """A copy with the theme re-clustered into ``n`` parts (the old id resolves to them)."""
        from .curation import split

        return split(self, theme_id, n, **meta)

    def move(self, unit_ids: Iterable[str], to_theme: str, **meta: Any) -> Themes:
        """A copy with the units moved to another theme (ids unchanged)."""
        from .curation import move

        return move(self, unit_ids, to_theme, **meta)

    def mark_noise(self, theme_id: str, **meta: Any) -> Themes:
        """A copy with the theme dissolved into ``t-unassigned``."""
        from .curation import mark_noise

        return mark_noise(self, theme_id, **meta)

    def replay(self, log: list[dict[str, Any]]) -> Themes:
        """These themes with a curation log applied (operations that no longer apply are
        listed in ``params['replay_skipped']`` of the result)."""
        from .curation import replay

        out, skipped = replay(self, log)
        out.params = {**out.params, "replay_skipped": skipped}
        return out

    # --- review (assisted coding; see listenlens.themes.review) --------------------------------
    def review_queue(self, n: int = 25, **options: Any) -> pd.DataFrame:
        """The ``n`` units to review next: least sure first, every unreviewed theme covered."""
        from .review import review_queue

        return review_queue(self, n, **options)

    def review(self, decisions: dict[str, str], **meta: Any) -> Themes:
        """A copy with the decisions ``{unit_id: theme id, label or new name}`` taken and every
        undecided unit re-coded by a model trained on all decisions (logged, replayable)."""
        from .review import review

        return review(self, decisions, **meta)

    def check_sample(self, size: int = 60) -> pd.DataFrame:
        """The agreement check sample for the reviewer to code (never trained on)."""
        from .review import check_sample

        return check_sample(self, size)

    @property
    def agreement(self) -> dict[str, Any] | None:
        """Agreement of the machine coding with the reviewers on the check sample (percent,
        Cohen's kappa, Krippendorff's alpha, sizes); ``None`` when no review was done."""
        from .review import agreement

        return agreement(self)

    def agreement_history(self) -> pd.DataFrame:
        """Check-sample agreement after each review round (see :func:`.review.agreement_history`)."""
        from .review import agreement_history

        return agreement_history(self)

    def plot_agreement(self) -> Any:
        """Plotly chart of agreement against units reviewed, one point per review round."""
        from .review import plot_agreement

        return plot_agreement(self)
