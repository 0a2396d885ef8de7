"""Assisted coding: a review loop that brings the machine coding to a measured agreement.

Discovery proposes; the researcher decides. :func:`review_queue` lists the units the model is
least sure of; :func:`review` takes the researcher's decisions and returns new
:class:`~listenlens.themes.result.Themes` in which

* every decided unit sits in the theme the researcher chose (decided units never move);
* every other substantive unit is re-coded by a classifier trained on the decisions: logistic
  regression on the unit's embedding concatenated with the embedding of the previous turn and of
  the prompt it answers (links from :func:`listenlens.themes.context.conversation_links`; a
  prompt is a facilitator turn, or a heading the reader recorded, embedded as the mean of the
  units under it). Themes the reviewer has not looked at yet keep their current members as
  weak examples (weight ``PSEUDO_WEIGHT``) so they are not wiped out before anyone saw them.
  The classifier's probabilities are then smoothed over the graph of each unit's ``SPREAD_K``
  nearest neighbours in the same features (label spreading, Zhou et al. 2004: decided units
  clamped to their theme, neighbours' weight ``SPREAD_ALPHA``), so what the reviewer decided
  also reaches the units that sit close to it. The graph is built once per review session and
  reused by the rounds and queues that follow, as long as the units and their features are the
  same (:func:`forget_graphs` drops it);
* the decisions are one curation-log entry (op ``"review"``) that replays on a fresh run.

**Agreement is measured honestly.** At the first review a *check sample* is drawn (stratified by
the current theme, ``check_size`` units, default 60, seeded). The model never trains on check
units and never puts them in a queue; once the reviewer has coded them (decisions on check units
are taken like any other), the model's own coding of them is compared with the reviewer's:
percent agreement and Cohen's kappa, and Krippendorff's alpha (nominal) over units that several
reviewers (``who=``) coded. The figures are :func:`agreement` (``themes.agreement``), in
``themes.params["review"]`` (so the run manifest records them) and ``themes.table.attrs``.

>>> cohen_kappa(["a", "a", "b", "b"], ["a", "a", "b", "a"])
0.5
"""

from __future__ import annotations

import hashlib
import html
import warnings
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..clock import utc_now
from ..embeddings import unit_vector
from ..ids import stable_hash
from .context import conversation_links
from .result import HOUSEKEEPING, SPECIAL_LABELS, UNASSIGNED, Themes

__all__ = ["review_queue", "review", "agreement", "agreement_sentence", "cohen_kappa",
           "krippendorff_alpha", "check_sample", "decisions", "replay_review", "ReviewQueue",
           "DEFAULT_CHECK_SIZE", "PSEUDO_WEIGHT", "review_theme_id", "agreement_history",
           "plot_agreement", "GOOD_KAPPA", "forget_graphs"]

DEFAULT_CHECK_SIZE = 60
#: Sample weight of the current members of themes nobody has reviewed yet.
PSEUDO_WEIGHT = 0.2
#: Weight of the previous turn's and the prompt's embedding in the classifier's features.
CONTEXT_WEIGHT = 0.5
#: Share of a queue (after the first) given to the units least like anything reviewed.
EXPLORE = 0.0
#: Inverse regularisation of the logistic regression.
C_VALUE = 10.0
#: Batch diversity: the least-sure ``POOL`` x (units still to pick) candidates are clustered
#: (k-means on the embeddings) and the least sure of each cluster is picked (1 switches it off).
POOL = 5
#: Set-aside facilitator turns put in the queue until the reviewer has decided one.
FACILITATOR_PROBES = 2
#: Label spreading over the unit graph: weight of the neighbours (0 switches it off). Chosen,
#: with ``SPREAD_K`` and ``POOL``, on Riverside and synthetic corpora, never on Saltmere.
SPREAD_ALPHA = 0.8
#: Neighbours per unit in the graph.
SPREAD_K = 10
QUEUE_COLUMNS = ["unit_id", "text", "context", "theme_id", "label", "confidence",
                 "runner_up_id", "runner_up", "margin", "why"]


def review_theme_id(name: str) -> str:
    """Id of a theme a reviewer created by naming it (case and spacing ignored).

    >>> review_theme_id("Bus cuts") == review_theme_id(" bus  CUTS")
    True
    """
    return "t-" + stable_hash("review:" + " ".join(name.split()).casefold(), length=8)


# --- agreement statistics ---------------------------------------------------------------------

def cohen_kappa(a: list[Any], b: list[Any]) -> float:
    """Cohen's kappa of two codings of the same units: (p_o - p_e) / (1 - p_e).

    >>> cohen_kappa(["x", "y", "x", "y"], ["x", "y", "x", "y"])
    1.0
    """
    if len(a) != len(b):
        raise ValueError("the two codings must have the same length")
    if not a:
        return float("nan")
    cats = sorted(set(a) | set(b), key=str)
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b)) / n
    p_e = sum((list(a).count(c) / n) * (list(b).count(c) / n) for c in cats)
    if p_e >= 1.0:
        return 1.0 if p_o >= 1.0 else 0.0
    return float((p_o - p_e) / (1.0 - p_e))


def krippendorff_alpha(codings: Mapping[str, Mapping[str, str]]) -> float | None:
    """Krippendorff's alpha (nominal) over the units coded by at least two reviewers;
    ``codings[reviewer][unit_id] = theme``. ``None`` with fewer than two reviewers or no unit
    coded twice."""
    import krippendorff

    if len(codings) < 2:
        return None
    count: dict[str, int] = {}
    for coded in codings.values():
        for u in coded:
            count[u] = count.get(u, 0) + 1
    units = sorted(u for u, k in count.items() if k >= 2)
    if not units:
        return None
    cats = sorted({t for coded in codings.values() for t in coded.values()})
    code = {c: float(i) for i, c in enumerate(cats)}
    data = np.array([[code[coded[u]] if u in coded else np.nan for u in units]
                     for _, coded in sorted(codings.items())])
    if len(cats) < 2:
        return 1.0
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


# --- state kept in the curation log -----------------------------------------------------------

def _entries(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in log if e.get("op") == "review"]


def _decisions(log: list[dict[str, Any]]) -> pd.DataFrame:
    check = set(_check_ids(log) or [])
    rows = [(u, t, e["args"].get("from", {}).get(u, ""), e.get("who", ""), u in check)
            for e in _entries(log) for u, t in e["args"]["decisions"].items()]
    return pd.DataFrame(rows, columns=["unit_id", "theme_id", "from_theme", "who", "check"])


def _check_ids(log: list[dict[str, Any]]) -> list[str] | None:
    for e in _entries(log):
        if e["args"].get("check_ids") is not None:
            return list(e["args"]["check_ids"])
    return None


def decisions(themes: Themes) -> pd.DataFrame:
    """Every review decision so far, in order: unit_id, theme_id, from_theme (the unit's theme
    when it was decided), who, check (in the check sample)."""
    return _decisions(themes.log)


def check_sample_ids(themes: Themes) -> list[str] | None:
    """The check sample drawn at the first review (``None`` before any review)."""
    return _check_ids(themes.log)


def _substantive(themes: Themes) -> np.ndarray:
    prim = themes.primary()
    return (prim != HOUSEKEEPING).to_numpy()


def _facilitator(themes: Themes) -> np.ndarray:
    return np.array([u.role == "facilitator" for u in themes.corpus.unit_records])


def _codes_facilitator(themes: Themes, final: Mapping[str, str]) -> bool:
    """Whether the reviewer codes facilitator talk: some facilitator turn is decided into a
    theme (not housekeeping or unassigned). Discovery sets facilitator talk aside; some teams
    code a facilitator's question with the concern it raises, and the loop follows them."""
    fac = _facilitator(themes)
    return any(fac[themes.row(u)] and t not in SPECIAL_LABELS for u, t in final.items())


def _facilitator_logistics(themes: Themes) -> np.ndarray:
    """Facilitator turns that are meeting logistics by the housekeeping detector's phrase rules
    (no embedder needed), the examples of housekeeping once facilitator talk is coded."""
    from .housekeeping import detect_housekeeping

    units = themes.corpus.unit_records
    flags, _, _ = detect_housekeeping([u.text for u in units], [u.role for u in units],
                                   facilitator="detect")
    return flags & _facilitator(themes)


def _recodable(themes: Themes, final: Mapping[str, str]) -> np.ndarray:
    """The units the review re-codes: the substantive ones, and facilitator turns once the
    reviewer codes facilitator talk."""
    sub = _substantive(themes)
    return sub | _facilitator(themes) if _codes_facilitator(themes, final) else sub


def _draw_check(themes: Themes, size: int) -> list[str]:
    """A stratified random sample (by current primary theme, proportional allocation with the
    largest remainders, seeded by the fit's seed) of the substantive units; at most half of
    them, so that the loop keeps units to learn from."""
    if size <= 0:
        return []
    prim = themes.primary()[_substantive(themes)]
    size = min(size, len(prim) // 2)
    groups = {t: sorted(g.index) for t, g in prim.groupby(prim, sort=True)}
    total = len(prim)
    quota = {t: size * len(g) / total for t, g in groups.items()}
    take = {t: int(np.floor(q)) for t, q in quota.items()}
    rest = size - sum(take.values())
    for t in sorted(quota, key=lambda t: (-(quota[t] - take[t]), t))[:rest]:
        take[t] += 1
    rng = np.random.default_rng(int(themes.params.get("seed", 0) or 0))
    out: list[str] = []
    for t, g in groups.items():
        if take[t]:
            out += [g[i] for i in sorted(rng.choice(len(g), size=take[t], replace=False))]
    return sorted(out)


def check_sample(themes: Themes, size: int = DEFAULT_CHECK_SIZE) -> pd.DataFrame:
    """The check sample as a queue-like table for the reviewer to code (it is drawn at the
    first review; before that, this is the sample that review will draw with ``size``)."""
    ids = check_sample_ids(themes)
    if ids is None:
        ids = _draw_check(themes, size)
    return _queue_rows(themes, ids, ["check sample"] * len(ids))


# --- features and the classifier --------------------------------------------------------------

def _features(themes: Themes) -> np.ndarray:
    """``[x, w * x_prev, w * x_prompt]`` per unit (zeros where a unit has no link)."""
    x = themes.embeddings
    units = themes.corpus.unit_records
    sub = _substantive(themes)
    roles = np.array([u.role == "facilitator" for u in units])
    links = conversation_links(units, sub | roles)
    text_row: dict[str, int] = {}
    for i, u in enumerate(units):
        text_row.setdefault(u.text, i)
    prompt_x = np.zeros((len(links.prompt_texts), x.shape[1]), dtype=np.float32)
    for j, text in enumerate(links.prompt_texts):
        if text in text_row:
            prompt_x[j] = x[text_row[text]]
        else:
            under = links.prompt == j
            v = x[under].mean(axis=0)
            prompt_x[j] = unit_vector(v)
    prev = np.zeros_like(x)
    has = links.prev >= 0
    prev[has] = x[links.prev[has]]
    prompt = np.zeros_like(x)
    has = links.prompt >= 0
    prompt[has] = prompt_x[links.prompt[has]]
    prompt[roles] = x[roles]  # a facilitator's turn is the prompt of the talk after it
    return np.hstack([x, CONTEXT_WEIGHT * prev, CONTEXT_WEIGHT * prompt])


def _context_text(themes: Themes) -> list[str]:
    units = themes.corpus.unit_records
    links = conversation_links(units, _substantive(themes)
                               | np.array([u.role == "facilitator" for u in units]))
    out = []
    for i in range(len(units)):
        parts = []
        if links.prompt[i] >= 0:
            parts.append(f"Prompt: {links.prompt_texts[links.prompt[i]]}")
        if links.prev[i] >= 0:
            parts.append(f"Before: {units[links.prev[i]].text}")
        out.append("\n".join(parts))
    return out


def _training(themes: Themes, final: dict[str, str], check: set[str], seen: set[str]
              ) -> tuple[list[int], list[str], list[float]]:
    rows, ys, ws = [], [], []
    for u, t in sorted(final.items()):
        if u not in check:
            rows.append(themes.row(u))
            ys.append(t)
            ws.append(1.0)
    prim = themes.primary()
    logistics = _facilitator_logistics(themes) if _codes_facilitator(themes, final) else None
    for i, (u, t) in enumerate(prim.items()):
        if u in final or u in check:
            continue
        if logistics is not None and logistics[i]:
            t = HOUSEKEEPING  # meeting logistics: an example of housekeeping
        elif t in SPECIAL_LABELS or t in seen:
            continue
        rows.append(i)
        ys.append(t)
        ws.append(PSEUDO_WEIGHT)
    return rows, ys, ws


def _predict(themes: Themes, final: dict[str, str], check: set[str], seen: set[str]
             ) -> tuple[list[str], np.ndarray] | None:
    """Classes and class probabilities of every unit, or ``None`` when the training data has
    fewer than two themes."""
    rows, ys, ws = _training(themes, final, check, seen)
    classes = sorted(set(ys))
    if len(classes) < 2:
        return None
    from threadpoolctl import threadpool_limits

    f = _features(themes)
    # one BLAS thread: a small problem, and many threads on a busy machine are many times slower
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # early rounds have few examples per theme: sklearn's "looks like regression" hint
        warnings.filterwarnings("ignore", message="The number of unique classes")
        classes, proba = _fit_spread(themes, f, rows, ys, ws)
    return classes, _housekeeping_for_facilitators(themes, final, classes, proba)


def _graph(f: np.ndarray, k: int, block: int = 2048) -> Any:
    """Symmetric, degree-normalised k-nearest-neighbour graph (cosine similarity, negative
    similarities cut to 0) of the rows of ``f``; built ``block`` rows at a time so memory stays
    linear in the number of units."""
    from scipy import sparse

    z = np.asarray(f, dtype=np.float32)
    z = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
    n = len(z)
    k = min(k, n - 1)
    nn = np.zeros((n, k), dtype=np.int64)
    w = np.zeros((n, k), dtype=np.float64)
    for start in range(0, n, block):
        sims = z[start:start + block] @ z.T
        sims[np.arange(len(sims)), np.arange(start, start + len(sims))] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        nn[start:start + block] = top
        w[start:start + block] = np.clip(np.take_along_axis(sims, top, axis=1), 0.0, None)
    g = sparse.csr_matrix((w.ravel(), (np.repeat(np.arange(n), k), nn.ravel())), shape=(n, n))
    g = (g + g.T) * 0.5
    d = np.asarray(g.sum(axis=1)).ravel()
    inv = sparse.diags(1.0 / np.sqrt(np.maximum(d, 1e-12)))
    return inv @ g @ inv


#: Unit graphs of the latest review sessions, by :func:`_graph_key` (oldest first).
_GRAPHS: OrderedDict[str, Any] = OrderedDict()
#: How many sessions' graphs are kept (a few MB each at 20,000 units).
GRAPH_MEMORY = 2


def _graph_key(themes: Themes, k: int) -> str:
    """SHA-256 of everything :func:`_features` reads (each unit's id, source, role, context and
    text, which units are set aside, the embeddings) and ``k``: the same key, the same graph."""
    h = hashlib.sha256(f"{k}\0{themes.embeddings.shape}\0".encode("ascii"))
    for u in themes.corpus.unit_records:
        h.update("\0".join((u.unit_id, u.source, u.role, u.context or "", u.text, "\n"))
                 .encode("utf-8"))
    h.update(_substantive(themes).tobytes())
    h.update(np.ascontiguousarray(themes.embeddings, dtype=np.float32).tobytes())
    return h.hexdigest()


def _session_graph(themes: Themes, f: np.ndarray) -> Any:
    """The label-spreading graph of ``themes`` (features ``f`` = :func:`_features`), built once
    per review session: successive rounds re-code the same units with the same features, so the
    graph of the latest :data:`GRAPH_MEMORY` sessions is kept and reused while the features
    stay the same (a unit newly set aside changes them, and the graph is built again)."""
    key = _graph_key(themes, SPREAD_K)
    graph = _GRAPHS.get(key)
    if graph is None:
        graph = _graph(f, SPREAD_K)
    _GRAPHS[key] = graph
    _GRAPHS.move_to_end(key)
    while len(_GRAPHS) > GRAPH_MEMORY:
        _GRAPHS.popitem(last=False)
    return graph


def forget_graphs() -> None:
    """Drop the unit graphs kept between review rounds (the next round builds its own)."""
    _GRAPHS.clear()


def _spread(s: Any, proba: np.ndarray, classes: list[str], rows: list[int],
            ys: list[str], ws: list[float], iterations: int = 20) -> np.ndarray:
    """Label spreading: the classifier's probabilities, with decided units clamped to their
    theme, smoothed over the unit graph ``s`` (:func:`_graph`), F <- a S F + (1 - a) Y."""
    y0 = proba.copy()
    pos = {c: j for j, c in enumerate(classes)}
    for r, y, w in zip(rows, ys, ws):
        if w >= 1.0:
            y0[r] = 0.0
            y0[r, pos[y]] = 1.0
    out = y0
    for _ in range(iterations):
        out = SPREAD_ALPHA * (s @ out) + (1.0 - SPREAD_ALPHA) * y0
    total = out.sum(axis=1, keepdims=True)
    return np.divide(out, total, out=np.full_like(out, 1.0 / out.shape[1]), where=total > 0)


def _fit_spread(themes: Themes, f: np.ndarray, rows: list[int], ys: list[str],
                ws: list[float]) -> tuple[list[str], np.ndarray]:
    """Classes and probabilities of the logistic regression, spread over the unit graph."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C_VALUE, max_iter=500, random_state=0)
    model.fit(f[rows], ys, sample_weight=np.asarray(ws))
    proba = model.predict_proba(f)
    classes = [str(c) for c in model.classes_]
    if SPREAD_ALPHA > 0 and len(f) > 2:
        proba = _spread(_session_graph(themes, f), proba, classes, rows, ys, ws)
    return classes, proba


def _housekeeping_for_facilitators(themes: Themes, final: Mapping[str, str],
                                   classes: list[str], proba: np.ndarray) -> np.ndarray:
    """Once facilitator talk is coded, housekeeping is learnt mostly from the facilitator's
    meeting logistics; it is then offered only for facilitator turns (a participant's turn is
    housekeeping when discovery set it aside, or a reviewer said so)."""
    if HOUSEKEEPING not in classes or not _codes_facilitator(themes, final):
        return proba
    fac = _facilitator(themes)
    out = proba.copy()
    out[~fac, classes.index(HOUSEKEEPING)] = 0.0
    total = out.sum(axis=1, keepdims=True)
    return np.divide(out, total, out=np.zeros_like(out), where=total > 0)


def _centroid_scores(themes: Themes) -> tuple[list[str], np.ndarray]:
    ids = themes.theme_ids
    if not ids:
        return [], np.zeros((len(themes.unit_ids), 0))
    sims = themes.embeddings @ np.stack([themes.centroid(t) for t in ids]).T
    temp = float(themes.params.get("temperature", 0.05) or 0.05)
    p = np.exp((sims - sims.max(axis=1, keepdims=True)) / temp)
    return ids, p / p.sum(axis=1, keepdims=True)


# --- the queue ----------------------------------------------------------------------------------

class ReviewQueue(pd.DataFrame):
    """A review queue: a DataFrame that shows as a readable card list in Jupyter."""

    @property
    def _constructor(self) -> type:
        return ReviewQueue

    def _repr_html_(self) -> str:  # type: ignore[override]
        if not set(QUEUE_COLUMNS) <= set(self.columns):
            return super()._repr_html_()
        rows = []
        for r in self.itertuples():
            ctx = html.escape(r.context).replace("\n", "<br>")
            rows.append(
                f"<tr><td><code>{html.escape(r.unit_id)}</code></td>"
                f"<td><div style='color:#666;font-size:85%'>{ctx}</div>"
                f"<div>{html.escape(r.text)}</div></td>"
                f"<td><b>{html.escape(r.label)}</b><br><span style='color:#666'>or "
                f"{html.escape(r.runner_up)}</span></td>"
                f"<td>{r.confidence:.0%}</td><td>{html.escape(r.why)}</td></tr>")
        return ("<div><strong>Review queue</strong>: decide with "
                "<code>themes.review({unit_id: theme})</code><table><thead><tr><th>unit</th>"
                "<th>text (with context)</th><th>suggestion</th><th>confidence</th><th>why</th>"
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def _label_of(themes: Themes, tid: str) -> str:
    try:
        return themes.label(tid)
    except KeyError:
        return tid


def _queue_rows(themes: Themes, ids: list[str], why: list[str],
                scores: tuple[list[str], np.ndarray] | None = None) -> ReviewQueue:
    classes, p = scores if scores is not None else _scores(themes)
    ctx = _context_text(themes)
    text = {u.unit_id: u.text for u in themes.corpus.unit_records}
    out = []
    for u, reason in zip(ids, why):
        i = themes.row(u)
        order = np.argsort(-p[i], kind="stable") if len(classes) else np.array([], dtype=int)
        top = classes[order[0]] if len(order) else UNASSIGNED
        second = classes[order[1]] if len(order) > 1 else ""
        conf = float(p[i, order[0]]) if len(order) else 0.0
        gap = conf - (float(p[i, order[1]]) if len(order) > 1 else 0.0)
        out.append({"unit_id": u, "text": text[u], "context": ctx[i], "theme_id": top,
                    "label": _label_of(themes, top), "confidence": round(conf, 4),
                    "runner_up_id": second,
                    "runner_up": _label_of(themes, second) if second else "",
                    "margin": round(gap, 4), "why": reason})
    return ReviewQueue(pd.DataFrame(out, columns=QUEUE_COLUMNS))


def _state(themes: Themes, log: list[dict[str, Any]] | None = None
           ) -> tuple[dict[str, str], set[str], set[str]]:
    log = themes.log if log is None else log
    d = _decisions(log)
    final = dict(zip(d["unit_id"], d["theme_id"]))
    check = set(_check_ids(log) or [])
    seen = set(d["theme_id"]) | set(d["from_theme"])
    return final, check, seen


def _scores(themes: Themes) -> tuple[list[str], np.ndarray]:
    final, check, seen = _state(themes)
    pred = _predict(themes, final, check, seen) if final else None
    return pred if pred is not None else _centroid_scores(themes)


def _farthest(themes: Themes, cand: list[str], known: list[str], k: int) -> list[str]:
    """``k`` candidates by farthest-first traversal from the ``known`` units (cosine distance on
    the unit embeddings): the units least like anything reviewed so far."""
    if k <= 0 or not cand:
        return []
    x = themes.embeddings
    rows = np.array([themes.row(u) for u in cand])
    if known:
        near = (x[rows] @ x[[themes.row(u) for u in known]].T).max(axis=1)
    else:
        near = np.full(len(rows), -1.0)
    out: list[str] = []
    for _ in range(min(k, len(cand))):
        j = int(np.lexsort((np.array(cand), near))[0])
        out.append(cand[j])
        near = np.maximum(near, x[rows] @ x[rows[j]])
        near[j] = np.inf
    return out


def review_queue(themes: Themes, n: int = 25, *, check_size: int = DEFAULT_CHECK_SIZE,
                 explore: float = EXPLORE) -> ReviewQueue:
    """The ``n`` undecided substantive units to review next.

    A theme nobody has reviewed yet is covered first by its most typical unit (so the first
    queue shows every theme when ``n`` allows); the rest are the units with the smallest margin
    between the model's two most likely themes, spread out (the ``POOL`` x k least sure are
    grouped into k k-means clusters and the least sure of each is asked), except a share
    ``explore`` (default 0: on the example corpora it did not help) that goes to the units least
    like anything reviewed so far (so concerns no theme holds yet can be found). Check-sample
    units never appear (before the first review, the sample ``review``
    will draw with ``check_size`` is left out).
    """
    final, check, seen = _state(themes)
    if check_sample_ids(themes) is None:
        check = set(_draw_check(themes, check_size))
    sub = _recodable(themes, final)
    cand = [u for u, s in zip(themes.unit_ids, sub) if s and u not in final and u not in check]
    classes, p = _scores(themes)
    picked: list[str] = []
    why: list[str] = []
    if len(classes):
        pos = {c: j for j, c in enumerate(classes)}
        prim = themes.primary()
        for tid in themes.theme_ids:
            if len(picked) >= n:
                break
            if tid in seen or tid not in pos:
                continue
            members = [u for u in cand if prim[u] == tid and u not in picked]
            if members:
                best = max(members, key=lambda u: (p[themes.row(u), pos[tid]], u))
                picked.append(best)
                why.append("first look at this theme")
        probes = _facilitator_probes(themes, final, classes, p, n - len(picked))
        picked += probes
        why += ["facilitator talk set aside: code it if it raises a concern"] * len(probes)
        top2 = -np.sort(-p, axis=1)[:, :2] if p.shape[1] > 1 else np.hstack(
            [p, np.zeros((len(p), 1))])
        margin = top2[:, 0] - top2[:, 1]
        n_far = int(round(explore * max(0, n - len(picked)))) if final else 0
        taken = set(picked)
        rest = sorted((u for u in cand if u not in taken),
                      key=lambda u: (round(float(margin[themes.row(u)]), 9), u))
        for u in _diverse(themes, rest, max(0, n - len(picked) - n_far)):
            picked.append(u)
            why.append("least sure")
        taken = set(picked)
        far = _farthest(themes, [u for u in cand if u not in taken], [*final, *picked],
                        n - len(picked))
        picked += far
        why += ["unlike anything reviewed"] * len(far)
    else:
        picked = cand[:n]
        why = ["no themes yet"] * len(picked)
    return _queue_rows(themes, picked, why, (classes, p))


def _diverse(themes: Themes, ranked: list[str], k: int) -> list[str]:
    """``k`` of the ``ranked`` candidates (least sure first): the least sure of each of ``k``
    k-means clusters of the ``POOL * k`` least sure, so one batch does not ask the same
    question many times."""
    pool = ranked[:POOL * k]
    if POOL <= 1 or k <= 1 or len(pool) <= k:
        return ranked[:k]
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    x = themes.embeddings[[themes.row(u) for u in pool]]
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # near-copies can leave fewer distinct points than clusters: fine, fewer picks differ
        warnings.filterwarnings("ignore", message="Number of distinct clusters")
        lab = KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(x)
    first: dict[int, str] = {}
    for u, c in zip(pool, lab):
        first.setdefault(int(c), u)
    chosen = set(first.values())
    return [u for u in pool if u in chosen]


def _facilitator_probes(themes: Themes, final: Mapping[str, str], classes: list[str],
                        p: np.ndarray, room: int) -> list[str]:
    """Until the reviewer has decided a facilitator turn, the ``FACILITATOR_PROBES`` set-aside
    facilitator turns that look most like a theme, so the reviewer can say whether facilitator
    questions are coded (see :func:`_codes_facilitator`)."""
    fac = _facilitator(themes)
    if room <= 0 or any(fac[themes.row(u)] for u in final):
        return []
    aside = (themes.primary() == HOUSEKEEPING).to_numpy() & fac
    rows = np.where(aside)[0]
    themed = [j for j, c in enumerate(classes) if c not in SPECIAL_LABELS]
    if not len(rows) or not themed:
        return []
    best = p[np.ix_(rows, themed)].max(axis=1)
    order = np.lexsort((np.array([themes.unit_ids[r] for r in rows]), -best))
    return [themes.unit_ids[rows[j]] for j in order[:min(room, FACILITATOR_PROBES)]]


# --- decisions ----------------------------------------------------------------------------------

def _resolve_target(themes: Themes, value: str, new: dict[str, str]) -> tuple[str, str]:
    """``(theme_id, label)`` of a decision: a theme id (current or curated-away), an existing
    label (case-insensitive), a special id or label, or a new name (a new theme)."""
    v = " ".join(str(value).split())
    if not v:
        raise ValueError("a decision cannot be empty")
    try:
        tid = themes.resolve_one(v)
        return tid, _label_of(themes, tid)
    except KeyError:
        pass
    by_label = {themes.label(t).casefold(): t for t in themes.theme_ids}
    by_label.update({lab.casefold(): t for t, lab in SPECIAL_LABELS.items()})
    by_label.update({lab.casefold(): t for t, lab in new.items()})
    if v.casefold() in by_label:
        tid = by_label[v.casefold()]
        return tid, new.get(tid) or _label_of(themes, tid)
    tid = review_theme_id(v)
    new[tid] = v
    return tid, v


def review(themes: Themes, answers: Mapping[str, str], *, who: str | None = None,
           why: str | None = None, when: str | None = None,
           check_size: int = DEFAULT_CHECK_SIZE, check_ids: list[str] | None = None) -> Themes:
    """New themes with the decisions ``{unit_id: theme}`` taken and every undecided unit
    re-coded (see the module docstring). The check sample is drawn at the first review
    (``check_size`` units; or exactly ``check_ids``)."""
    unknown = [u for u in answers if not themes.has_unit(u)]
    if unknown:
        raise KeyError(f"unknown unit ids: {unknown[:5]}")
    if not answers:
        raise ValueError("no decisions given")
    new_labels: dict[str, str] = {}
    chosen = {u: _resolve_target(themes, t, new_labels)[0] for u, t in answers.items()}
    prim = themes.primary()
    args: dict[str, Any] = {
        "decisions": chosen, "from": {u: str(prim[u]) for u in chosen},
        "labels": {t: new_labels.get(t) or _label_of(themes, t) for t in set(chosen.values())},
        "check_ids": None}
    if check_sample_ids(themes) is None:
        args["check_ids"] = (sorted(u for u in check_ids if themes.has_unit(u))
                             if check_ids is not None else _draw_check(themes, check_size))
    entry = {"op": "review", "args": args, "when": when or utc_now(), "who": who or "",
             "why": why or "", "result": {"new_themes": sorted(new_labels)}}
    return _recode(themes, entry, new_labels)


def _recode(themes: Themes, entry: dict[str, Any], new_labels: dict[str, str]) -> Themes:
    """Themes with the log extended by ``entry`` and every undecided unit re-coded."""
    from .labels import keywords, term_weights

    log = [*themes.log, entry]
    final, check, seen = _state(themes, log)
    pred = _predict(themes, final, check, seen)
    prim = themes.primary()
    sub = _recodable(themes, final)
    primary = prim.to_numpy().astype(object)
    prob = np.ones(len(primary))
    model_of_check: dict[str, str] = {}
    if pred is not None:
        classes, p = pred
        best = p.argmax(axis=1)
        for i, u in enumerate(themes.unit_ids):
            if sub[i]:
                primary[i], prob[i] = classes[best[i]], float(p[i, best[i]])
            if u in check:
                model_of_check[u] = classes[best[i]]
    else:
        model_of_check = {u: str(prim[u]) for u in check}
    for u, t in final.items():
        primary[themes.row(u)], prob[themes.row(u)] = t, 1.0
    assignments = pd.DataFrame({"unit_id": themes.unit_ids, "theme_id": primary,
                                "probability": np.round(prob, 6), "primary": True})
    members = {t: np.where(primary == t)[0] for t in dict.fromkeys(primary.tolist())
               if t not in SPECIAL_LABELS}
    units = themes.corpus.unit_records
    docs = {t: [units[i].text for i in rows] for t, rows in members.items()}
    kw = keywords(docs, int(themes.params.get("n_keywords", 10) or 10), term_weights(docs))
    labels = {}
    for t in members:
        labels[t] = new_labels.get(t) or _known_label(themes, t)
    cent = {}
    for t, rows in members.items():
        c = themes.embeddings[rows].mean(axis=0)
        cent[t] = unit_vector(c)
    origin = {t: themes.origin.get(t, "review") for t in members}
    pinned = {**{k: v for k, v in themes.pinned.items() if k in members},
              **{t: lab for t, lab in new_labels.items() if t in members}}
    params = {**themes.params,
              "review": _agreement_record(log, final, check, model_of_check, themes.params)}
    return Themes(themes.corpus, unit_ids=themes.unit_ids, embeddings=themes.embeddings,
                  assignments=assignments, labels=labels, keywords=kw, centroids=cent,
                  params=params, origin=origin, log=[*themes.log, entry],
                  aliases=themes.aliases, pinned=pinned)


def _known_label(themes: Themes, tid: str) -> str:
    """The label a theme had in ``themes`` or in any review entry of its log."""
    try:
        return themes.label(tid)
    except KeyError:
        for e in reversed(_entries(themes.log)):
            if tid in e["args"].get("labels", {}):
                return str(e["args"]["labels"][tid])
    return "Unlabelled theme"


def _agreement_record(log: list[dict[str, Any]], final: dict[str, str], check: set[str],
                      model_of_check: dict[str, str], prev: dict[str, Any]) -> dict[str, Any]:
    coded = sorted(u for u in check if u in final)
    human = [final[u] for u in coded]
    machine = [model_of_check[u] for u in coded]
    d = _decisions(log)
    by_who: dict[str, dict[str, str]] = {}
    for r in d.itertuples():
        by_who.setdefault(r.who or "reviewer", {})[r.unit_id] = r.theme_id
    alpha = krippendorff_alpha(by_who)
    n_train = len([u for u in final if u not in check])
    rec = {"n_decided": len(final), "n_trained": n_train, "check_size": len(check),
           "n_check_coded": len(coded),
           "percent_agreement": (round(sum(a == b for a, b in zip(human, machine)) / len(coded),
                                       4) if coded else None),
           "kappa": round(cohen_kappa(human, machine), 4) if coded else None,
           "krippendorff_alpha": None if alpha is None else round(alpha, 4),
           "n_reviewers": len(by_who), "model": "logistic regression on unit + previous turn "
                                                  "+ prompt embeddings, label spreading"}
    history = list((prev.get("review") or {}).get("history", []))
    history.append({k: rec[k] for k in ("n_decided", "n_trained", "n_check_coded",
                                        "percent_agreement", "kappa")})
    rec["history"] = history
    return rec


def agreement(themes: Themes) -> dict[str, Any] | None:
    """The agreement record of the latest review (``None`` when no review was done)."""
    rec = themes.params.get("review")
    return dict(rec) if rec else None


def agreement_sentence(record: Mapping[str, Any] | None) -> str:
    """The methods-section sentence about agreement.

    >>> agreement_sentence({"percent_agreement": 0.86, "kappa": 0.82, "n_check_coded": 60,
    ...                     "check_size": 60, "n_decided": 200})
    'Machine coding agreed with the researchers on 86% of a 60-unit check sample (Cohen’s kappa 0.82).'
    >>> agreement_sentence(None)[:19]
    'No review was done:'
    """
    if not record:
        return ("No review was done: the themes are machine coding that no researcher has "
                "checked unit by unit.")
    if not record.get("n_check_coded"):
        return (f"Researchers reviewed {record.get('n_decided', 0)} units, but did not code the "
                "check sample, so agreement between machine and researchers was not measured.")
    s = (f"Machine coding agreed with the researchers on {record['percent_agreement']:.0%} of a "
         f"{record['n_check_coded']}-unit check sample (Cohen’s kappa "
         f"{record['kappa']:.2f}).")
    if record.get("krippendorff_alpha") is not None:
        s += (f" Krippendorff’s alpha between the {record.get('n_reviewers')} reviewers was "
              f"{record['krippendorff_alpha']:.2f}.")
    return s


GOOD_KAPPA = 0.8
"""The reference line of :func:`plot_agreement`: kappa above 0.8 is commonly read as strong
agreement between coders (a convention, not a test)."""


def agreement_history(themes: Themes) -> pd.DataFrame:
    """One row per review round: units decided, units the model learnt from, check-sample units
    coded, and the check-sample agreement (percent and Cohen's kappa; empty until the reviewer
    has coded part of the check sample). Empty before any review.

    >>> from types import SimpleNamespace
    >>> rounds = [{"n_decided": 85, "n_trained": 25, "n_check_coded": 60,
    ...            "percent_agreement": 0.7, "kappa": 0.66}]
    >>> agreement_history(SimpleNamespace(params={"review": {"history": rounds}}))
       round  n_decided  n_trained  n_check_coded  percent_agreement  kappa
    0      1         85         25             60                0.7   0.66
    """
    rec = themes.params.get("review") or {}
    rows = [{"round": i + 1, **h} for i, h in enumerate(rec.get("history", []))]
    cols = ["round", "n_decided", "n_trained", "n_check_coded", "percent_agreement", "kappa"]
    return pd.DataFrame(rows, columns=cols)


def plot_agreement(themes: Themes) -> Any:
    """Plotly chart of agreement with the researchers against units reviewed, one point per
    review round (redraw it after each round to watch it grow; a dotted line marks kappa 0.8).
    A round whose check sample nobody has coded yet has no point."""
    import plotly.graph_objects as go

    h = agreement_history(themes).dropna(subset=["kappa"])
    fig = go.Figure()
    hover = [f"round {r.round}: {r.n_trained} units reviewed, {r.n_check_coded} check units"
             for r in h.itertuples()]
    fig.add_scatter(x=h["n_trained"], y=h["kappa"], mode="lines+markers", name="Cohen's kappa",
                    hovertext=hover, hoverinfo="text+y")
    fig.add_scatter(x=h["n_trained"], y=h["percent_agreement"], mode="lines+markers",
                    name="share agreeing", line={"dash": "dash"}, hovertext=hover,
                    hoverinfo="text+y")
    fig.add_hline(y=GOOD_KAPPA, line={"dash": "dot", "color": "grey"},
                  annotation_text=f"kappa {GOOD_KAPPA}")
    n = int(h["n_check_coded"].max()) if len(h) else 0
    fig.update_layout(
        title=(f"Machine coding against the researchers on a {n}-unit check sample" if n
               else "No check-sample units coded yet: agreement not measured"),
        xaxis_title="units reviewed (outside the check sample)",
        yaxis={"title": "agreement", "range": [0, 1.02]}, template="plotly_white")
    return fig


def replay_review(themes: Themes, entry: Mapping[str, Any]) -> Themes:
    """Apply a logged review entry to (fresh) themes: each decision's theme is found by id,
    then by label, else created under its logged label. Units no longer in the corpus are
    dropped; with none left the entry is skipped (``KeyError``)."""
    args = entry["args"]
    labels = args.get("labels", {})
    answers = {}
    for u, t in args["decisions"].items():
        if not themes.has_unit(u):
            continue
        try:
            answers[u] = themes.resolve_one(t)
        except KeyError:
            answers[u] = labels.get(t, t)
    if not answers:
        raise KeyError("none of the reviewed units is in this fit")
    return review(themes, answers, who=entry.get("who"), why=entry.get("why"),
                  when=entry.get("when"), check_ids=args.get("check_ids") or [])
