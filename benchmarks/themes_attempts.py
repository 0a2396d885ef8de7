"""Attempts at themes closer to the concerns people raised (issue 12): one table of variants.

Run ``python benchmarks/themes_attempts.py`` (``--corpora riverside,runs`` to choose, ``--only "a;b"``
to run some variants, ``--seeds 0,1,2`` for several seeds and their mean). Each variant changes ONE thing against the default fit and is scored the
way ``benchmarks/themes.py`` scores listenlens (adjusted Rand index of the themes and of the
sub-themes against the key, over the key's substantive units; housekeeping set aside by the fit
and unassigned units each count as one cluster; ``top5>=70%``: how many of the five largest
themes are at least 70% one concern):

* **representation** (what the clustering sees): the default context (previous turn and prompt
  at weight 0.5 where the structure tests pass); context the *encoder reads* (each unit embedded
  as one text with its prompt, ``"<prompt> \u2014 <turn>"``, and/or its previous turn, through
  :func:`joint_texts`, under the same structure decision: alone, with
  the previous turn's vector added, averaged with the turn's own vector, or for turns under 12
  words only); the *segment* window (each turn with the rest
  of its topical stretch under the prompt instead of the previous turn, the fit's
  ``context_window="segment"``; its threshold moved by +-0.05); only facilitator *questions* as
  prompts;
  other fixed weights; the next turn as well; removing each event's mean, each speaker's mean
  or the top principal direction ("common component" removal); appending a TF-IDF/LSA
  (lexical) part; *names masked* before embedding (`benchmarks/name_masking.py`: spaCy's
  place, person, organisation and group entities replaced by a neutral word by type, or
  dropped, or only the place names replaced; a model-free capitalisation rule; the mean of the
  masked and unmasked vectors), units and prompts alike, the default context on top;
  the encoder reading only each unit's *content words* (w1, w2), or MiniLM's token vectors
  pooled with *SIF weights* instead of the plain mean (t1, t2); context decided *per event*
  by the event's own previous-turn z (e1-e5); and *the speaker's other turns* at the event
  (leave-one-out mean) as one more context term under its own test (s1, s2; s1 became the
  library's ``speaker_context``);
* **fine clustering** afterwards: self-training (a logistic regression fitted on the most
  central half of each cluster re-predicts every assigned unit, one or two rounds; on themes,
  or on sub-themes then re-grouped); splitting a sub-theme whose TF-IDF 2-means halves have
  disjoint top words, then re-grouping;
* **fine clusters from the units' own neighbour graph** (g1-g3): Louvain communities of the
  units' k-nearest-neighbour graph in the full context space (0/1 links or shared-nearest-
  neighbour weights, resolutions 1, 2, 4) instead of UMAP + HDBSCAN, or HDBSCAN's clusters split
  by Louvain when the split's modularity reaches 0.3 or 0.5; grouped into themes as the fit;
  each row also reports ``purity`` (unit-weighted share of a fine cluster's majority concern),
  ``oracle`` (ARI of the fine clusters labelled with their majority concern) and ``post_cpu``
  (CPU seconds of the refinement);
* **consensus fine clusters over several UMAP seeds** (c1-c3): the fit's reduction + HDBSCAN +
  merge run with 5 or 9 seeds derived from the fit's seed, units' co-association (share of runs
  sharing a fine cluster) summed sparsely, connected components at share >= 0.5 or 0.8 as the
  fine clusters; grouped into themes as the fit (``post_cpu`` is low where the runs' reductions
  were cached by an earlier variant);
* **grouping** of the sub-themes into themes: adding the graph of consecutive turns between
  sub-themes to the nearest-neighbour graph (weights 0.25, 0.5, 1; pairs under one prompt or
  any); grouping on the sentences alone, on previous-turn context only or on prompt context
  only (the sub-themes still found on the default vectors); a *lexical* signal: the class-based
  TF-IDF similarity of the sub-themes' content-word lemmas (spaCy NOUN/VERB/ADJ, no proper nouns or
  entities, words spread over one event's sub-themes left out), added to the graph, damping its
  links or cutting the links of the least alike pairs.

It also prints the prompt-structure test three ways for both prompt rules: today's unpaired
z (unit to own prompt vs unit to another prompt of its event, as independent samples), the
paired z (the same differences, per unit) and the prompt-clustered t (the per-prompt mean of the
paired differences, over prompts: units answering one prompt are not independent).

Corpora (development only): the bundled Riverside example, the synthetic generator with
conversation runs and without structure (1,000 units, seed 0) and BANKING77's test split
(shuffled, as in ``benchmarks/themes.py``). Saltmere is held out and never used here. Embeddings
are MiniLM, cached under ``$LISTENLENS_CACHE`` (or ``benchmarks/.cache``). Not a timed test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("LISTENLENS_PROGRESS", "0")
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
CACHE = Path(os.environ.get("LISTENLENS_CACHE", HERE / ".cache")) / "themes-attempts"
SHARED = Path(os.environ.get("LISTENLENS_SHARED", PROJECT.parent / "shared"))
sys.path.insert(0, str(PROJECT / "src"))

from name_masking import masked_texts  # noqa: E402  (benchmarks/name_masking.py, beside this script)

import listenlens as ll  # noqa: E402
from listenlens.embeddings import EmbeddingCache, MiniLMEmbedder, embed, l2_normalise  # noqa: E402
from listenlens.themes.context import (  # noqa: E402
    ContextLinks,
    contextual_embeddings,
    conversation_links,
    decide_context,
    structure_evidence,
)
from listenlens.themes.discover import (  # noqa: E402
    GRAPH_NEIGHBOURS,
    ClusterResult,
    centroids,
    group_leaves,
    knn_adjacency,
)
from listenlens.themes.housekeeping import detect_housekeeping  # noqa: E402
from listenlens.themes.large import cluster_units  # noqa: E402
from listenlens.themes.segments import (  # noqa: E402
    segment_context,
    segment_threshold,
)

EMBEDDER = MiniLMEmbedder(progress=False)
#: Words of context a joint rendering keeps at most (the end nearest the unit's own text).
CONTEXT_WORDS = 30
#: Words a joint rendering holds at most: MiniLM reads 256 word pieces, about 190 English words.
RENDER_WORDS = 190


# --- corpora ----------------------------------------------------------------------------------

def _folder(name: str) -> tuple[Path, pd.DataFrame | None]:
    """The corpus folder of a case and, for BANKING77, its key (the others carry _key/)."""
    if name == "riverside":
        return PROJECT / "corpora" / "examples" / "riverside", None
    if name in ("runs", "independent"):
        from listenlens.synthetic import make_corpus

        root = CACHE / f"synthetic-{name}-1000-0"
        if not (root / "events.csv").is_file():
            make_corpus(root, n_units=1000, seed=0, structure=name)
        return root, None
    df = pd.read_csv(SHARED / "corpora" / "banking77" / "test.csv")
    df = df.sample(frac=1.0, random_state=0).reset_index(drop=True)
    root = CACHE / "banking77-shuffled"
    if not (root / "events.csv").is_file():
        root.mkdir(parents=True, exist_ok=True)
        text = "".join(f"Customer: {' '.join(t.split())}\n" for t in df["text"])
        (root / "test.txt").write_text(text, encoding="utf-8")
        (root / "events.csv").write_text(
            "event_id,community,date,place,format,file,facilitator\n"
            "b77,Bank customers,2020-01-01,,,test.txt,\n", encoding="utf-8")
    key = pd.DataFrame({"source": "test.txt", "line": np.arange(1, len(df) + 1),
                        "theme": df["category"]})
    return root, key


def load_case(name: str) -> dict[str, Any]:
    """Units, MiniLM vectors, the fit's housekeeping and logistics flags, and the key."""
    root, key = _folder(name)
    corpus = ll.load(root, progress=False)
    if key is None:
        key = pd.read_csv(root / "_key" / "themes.csv")[["source", "line", "theme"]]
    truth = (corpus.units[["unit_id", "source", "line"]]
             .merge(key, on=["source", "line"], how="left")
             .set_index("unit_id")["theme"].fillna("?"))
    units = corpus.unit_records
    texts, roles = [u.text for u in units], [u.role for u in units]
    x = EmbeddingCache(CACHE / "embeddings").encode(EMBEDDER, texts)
    found = detect_housekeeping(texts, roles, embeddings=x, embedder=EMBEDDER)
    flags = found.flags
    logistics = detect_housekeeping(texts, roles, embeddings=x, embedder=EMBEDDER,
                                    facilitator="detect", phrase=found.phrase).flags
    return {"name": name, "units": units, "x": x, "flags": flags, "logistics": logistics,
            "events": np.array([u.event_id for u in units], dtype=object),
            "truth": truth.reindex([u.unit_id for u in units]).to_numpy()}


# --- representations --------------------------------------------------------------------------

def questions(case: dict[str, Any]) -> np.ndarray:
    """Facilitator turns that are prompts under the question-only rule."""
    return np.array([not lg and "?" in u.text for u, lg in zip(case["units"], case["logistics"])])


def links_for(case: dict[str, Any], prompts: np.ndarray | None = None) -> tuple[Any, Any]:
    """Conversation links (default prompt rule unless ``prompts``) and the prompt vectors."""
    links = conversation_links(case["units"], ~case["flags"],
                               prompts=~case["logistics"] if prompts is None else prompts)
    px = (embed(list(links.prompt_texts), EMBEDDER, cache_dir=CACHE / "embeddings")
          if links.prompt_texts else None)
    return links, px


def with_context(case: dict[str, Any], x: np.ndarray, *, prompts: np.ndarray | None = None,
                 mode: str = "auto", w_prev: float | None = None,
                 w_prompt: float | None = None, w_next: float = 0.0) -> np.ndarray:
    """``x`` with the fit's context rule; fixed weights replace the decided ones when given."""
    links, px = links_for(case, prompts)
    decision = decide_context(mode, structure_evidence(x, links, case["events"], px, seed=0))
    wp = decision.w_prev if w_prev is None else w_prev
    wq = decision.w_prompt if w_prompt is None else w_prompt
    z = contextual_embeddings(x, links.prev, links.prompt, px, w_prev=wp, w_prompt=wq)
    if w_next:
        nxt = np.full(len(x), -1)
        has = links.prev >= 0
        nxt[links.prev[has]] = np.where(has)[0]
        z = contextual_embeddings(z, nxt, links.prompt, None, w_prev=w_next, w_prompt=0.0)
    return z


def render_joint(text: str, context: str, *, sep: str = " \u2014 ",
                 context_words: int = CONTEXT_WORDS, max_words: int = RENDER_WORDS) -> str:
    """``context`` and ``text`` as one text for the encoder to read together.

    The unit's own text is kept whole; the context is trimmed from its far end (its start) to at
    most ``context_words`` words and to what fits in ``max_words`` with the text. No room, or
    no context, gives ``text`` unchanged.

    >>> render_joint("Same for us, it's been months.", "How are repairs going?")
    "How are repairs going? \u2014 Same for us, it's been months."
    >>> render_joint("b c", "w x y z", context_words=2, sep=" ")
    'y z b c'
    """
    words = context.split()
    room = min(context_words, max_words - len(text.split()))
    if room <= 0 or not words:
        return text
    return " ".join(words[-room:]) + sep + text


def joint_texts(texts: list[str], links: ContextLinks, *, prompt: bool, previous: bool,
                short_words: int | None = None, context_words: int = CONTEXT_WORDS
                ) -> list[str]:
    """Every unit's text rendered with its context for the encoder (see :func:`render_joint`):
    ``"<prompt> \u2014 <previous turn> <text>"`` with the parts asked for and linked. With
    ``short_words``, only texts of fewer words get context; units without links keep their text.

    >>> links = ContextLinks(np.array([-1, 0]), np.array([0, 0]), ("Buses?",))
    >>> joint_texts(["Late again.", "Same."], links, prompt=True, previous=True)
    ['Buses? \u2014 Late again.', 'Buses? \u2014 Late again. Same.']
    """
    out: list[str] = []
    for i, text in enumerate(texts):
        rendered = text
        if short_words is None or len(text.split()) < short_words:
            if previous and links.prev[i] >= 0:
                rendered = render_joint(rendered, texts[int(links.prev[i])], sep=" ",
                                        context_words=context_words)
            if prompt and links.prompt[i] >= 0:
                rendered = render_joint(rendered, links.prompt_texts[int(links.prompt[i])],
                                        context_words=context_words)
        out.append(rendered)
    return out


def with_joint(case: dict[str, Any], *, prompt: bool = True, previous: bool = False,
               w_prev: bool = False, w_prompt: bool = False, plain: float = 0.0,
               short_words: int | None = None, context_words: int = CONTEXT_WORDS
               ) -> np.ndarray:
    """Context the encoder reads: each unit embedded as one text with its prompt (and/or its
    previous turn) where the fit's decision switched that part on (units without the link, and
    with ``short_words`` turns of that many words or more, keep their own text). Then ``plain``
    times the turn's own vector is added, and the decided vector context for the previous turn
    (``w_prev``, from the turn's own vector) and the prompt (``w_prompt``, only for units not
    read with their prompt) on top. A corpus whose structure tests fail gets
    exactly the default (no context)."""
    x = case["x"]
    links, px = links_for(case)
    decision = decide_context("auto", structure_evidence(x, links, case["events"], px, seed=0))
    use_prompt, use_prev = prompt and bool(decision.w_prompt), previous and bool(decision.w_prev)
    if not (use_prompt or use_prev):
        return contextual_embeddings(x, links.prev, links.prompt, px, w_prev=decision.w_prev,
                                     w_prompt=decision.w_prompt)
    texts = joint_texts([u.text for u in case["units"]], links, prompt=use_prompt,
                        previous=use_prev, short_words=short_words,
                        context_words=context_words)
    j = EmbeddingCache(CACHE / "embeddings").encode(EMBEDDER, texts)
    if plain:
        j = l2_normalise(j + plain * x)
    # a unit the encoder read with its prompt (previous turn) gets no such vector on top
    own = np.array([t == u.text for t, u in zip(texts, case["units"])])
    z = np.array(j, dtype=np.float32, copy=True)
    has = (links.prev >= 0) & (own | (not use_prev))
    if w_prev and decision.w_prev:
        z[has] += decision.w_prev * x[links.prev[has]]  # the previous turn's own vector
    has = (links.prompt >= 0) & (own | (not use_prompt))
    if w_prompt and decision.w_prompt and px is not None:
        z[has] += decision.w_prompt * px[links.prompt[has]]
    return l2_normalise(z)


def with_segments(case: dict[str, Any], x: np.ndarray, shift: float = 0.0) -> np.ndarray:
    """The fit's ``context_window="segment"``: each turn leans towards the rest of its
    topical stretch (threshold: the corpus's midpoint, plus ``shift``), gated as the default."""
    links, px = links_for(case)
    decision = decide_context("auto", structure_evidence(x, links, case["events"], px, seed=0))
    threshold = segment_threshold(x, links, case["events"], seed=0) if decision.w_prev else None
    if threshold is None:
        return contextual_embeddings(x, links.prev, links.prompt, px, w_prev=decision.w_prev,
                                     w_prompt=decision.w_prompt)
    return segment_context(x, links, px, threshold=threshold + shift, w_seg=decision.w_prev,
                           w_prompt=decision.w_prompt)[0]


def per_unit_weights(case: dict[str, Any], rule: str, param: float) -> np.ndarray:
    """Context with a weight per unit: ``"decay"``: the prompt's weight is ``0.5 * param**d``
    (``d`` = participant turns since the prompt), the previous turn's stays 0.5; ``"length"``:
    both weights scale with ``min(1, param / words)``, rescaled to a mean of 0.5."""
    x, units = case["x"], case["units"]
    links, px = links_for(case)
    sub = ~case["flags"]
    since = np.zeros(len(x))
    count: dict[str, int] = {}
    for i, u in enumerate(units):
        if u.role == "facilitator" and not case["logistics"][i]:
            count[u.source] = 0
        elif links.prompt[i] >= 0:
            since[i] = count.get(u.source, 0)
            count[u.source] = count.get(u.source, 0) + 1
    if rule == "decay":
        w_prev, w_prompt = np.full(len(x), 0.5), 0.5 * param ** since
    else:
        words = np.array([max(1, len(u.text.split())) for u in units], dtype=float)
        scale = np.minimum(1.0, param / words)
        w_prev = w_prompt = 0.5 * scale / scale[sub].mean()
    z = np.array(x, dtype=np.float32, copy=True)
    has = links.prev >= 0
    z[has] += w_prev[has, None] * x[links.prev[has]]
    has = links.prompt >= 0
    if px is not None:
        z[has] += w_prompt[has, None] * px[links.prompt[has]]
    return l2_normalise(z)


def event_z(case: dict[str, Any], links: ContextLinks) -> dict[Any, float | None]:
    """Each event's own previous-turn z: the draw-free paired z of
    :func:`~listenlens.themes.context.turn_similarities` over that event's adjacent pairs only
    (``None`` under 10 pairs)."""
    from dataclasses import replace

    from listenlens.themes.context import paired_z, turn_similarities

    out: dict[Any, float | None] = {}
    for e in np.unique(case["events"]):
        prev = np.where(case["events"] == e, links.prev, -1)
        sims = turn_similarities(case["x"], replace(links, prev=prev), case["events"])
        out[e] = paired_z(sims.linked, sims.expected)
    return out


def per_event_context(case: dict[str, Any], rule: str, param: float,
                      stand_in: str | None = None) -> np.ndarray:
    """The default context with both weights set per event from the event's own z
    (:func:`event_z`): ``"gate"``: off where z < ``param``; ``"scale"``: times
    ``clip(z / param, 0, 1)``. Events too small to test keep the corpus decision.
    ``stand_in`` (``"corpus"`` or ``"event"``, gate only): a gated unit's previous-turn and
    prompt vectors are replaced by the corpus's or its event's mean substantive vector at the
    same weights, instead of being dropped."""
    x = case["x"]
    links, px = links_for(case)
    decision = decide_context("auto", structure_evidence(x, links, case["events"], px, seed=0))
    zs = event_z(case, links)
    case.setdefault("event_z", zs)
    factor = {}
    for e, z in zs.items():
        if z is None:
            factor[e] = 1.0
        elif rule == "gate":
            factor[e] = 1.0 if z >= param else 0.0
        else:
            factor[e] = float(np.clip(z / param, 0.0, 1.0))
    f = np.array([factor[e] for e in case["events"]])
    if stand_in is not None:
        return _stood_in(case, x, links, px, decision, f, stand_in)
    z = np.array(x, dtype=np.float32, copy=True)
    has = links.prev >= 0
    z[has] += (decision.w_prev * f[has])[:, None] * x[links.prev[has]]
    has = links.prompt >= 0
    if px is not None and decision.w_prompt:
        z[has] += (decision.w_prompt * f[has])[:, None] * px[links.prompt[has]]
    return l2_normalise(z)


def _stood_in(case: dict[str, Any], x: np.ndarray, links: ContextLinks, px: np.ndarray | None,
              decision: Any, f: np.ndarray, stand_in: str) -> np.ndarray:
    sub = ~case["flags"]
    events = case["events"]
    if stand_in == "corpus":
        mean = x[sub].mean(axis=0)
        means = np.repeat(mean[None, :], len(x), axis=0)
    else:
        table = {e: x[sub & (events == e)].mean(axis=0) for e in np.unique(events[sub])}
        means = np.stack([table.get(e, x[sub].mean(axis=0)) for e in events])
    gated = f == 0.0
    z = np.array(x, dtype=np.float32, copy=True)
    has = links.prev >= 0
    prev_vec = np.where(gated[has, None], means[has], x[np.where(has, links.prev, 0)[has]])
    z[has] += decision.w_prev * prev_vec
    has = links.prompt >= 0
    if px is not None and decision.w_prompt:
        pr = np.where(gated[has, None], means[has], px[np.where(has, links.prompt, 0)[has]])
        z[has] += decision.w_prompt * pr
    return l2_normalise(z.astype(np.float32))


def masked_vectors(case: dict[str, Any], mode: str, types: tuple[str, ...] | None = None
                   ) -> tuple[np.ndarray, np.ndarray | None]:
    """MiniLM vectors of the units' and the prompts' texts with names masked
    (:func:`name_masking.masked_texts`, ``mode``), found once per case; the cost
    (CPU seconds of the masking and of embedding the texts it changed) goes to
    ``case["mask_costs"]``."""
    key = f"masked-{mode}" + ("" if types is None else "-" + "+".join(types))
    if key not in case:
        links, _ = links_for(case)
        texts = [u.text for u in case["units"]] + list(links.prompt_texts)
        t = time.process_time()
        masked = masked_texts(texts, mode, types=types)
        mask_cpu = time.process_time() - t
        changed = sorted({m for m, o in zip(masked, texts) if m != o})
        t = time.process_time()
        embed(changed, EMBEDDER)  # the added embedding, timed without the cache
        embed_cpu = time.process_time() - t
        v = EmbeddingCache(CACHE / "embeddings").encode(EMBEDDER, masked)
        n = len(case["units"])
        case[key] = (v[:n], v[n:] if len(v) > n else None)
        case.setdefault("mask_costs", {})[key[len("masked-"):]] = {
            "texts": len(texts), "changed": len(changed), "mask CPU s": mask_cpu,
            "embed changed CPU s": embed_cpu}
    return case[key]


def with_masked(case: dict[str, Any], mode: str, average: bool = False,
                types: tuple[str, ...] | None = None) -> np.ndarray:
    """The default context rule on vectors of name-masked texts (units and prompts, see
    :func:`masked_vectors`); ``average``: each masked vector averaged with the unmasked one.
    ``types``: only these entity types masked. The structure decision is taken on the vectors
    used."""
    x = case["x"]
    links, px = links_for(case)
    xm, pm = masked_vectors(case, mode, types)
    if average:
        xm = l2_normalise(xm + x)
        pm = None if pm is None else l2_normalise(pm + px)
    decision = decide_context("auto", structure_evidence(xm, links, case["events"], pm, seed=0))
    return contextual_embeddings(xm, links.prev, links.prompt, pm, w_prev=decision.w_prev,
                                 w_prompt=decision.w_prompt)


def without_boilerplate(case: dict[str, Any], min_units: int = 5) -> np.ndarray:
    """MiniLM vectors of the texts with corpus boilerplate removed: a leading comma phrase of
    at most four words ("I'll be honest,") or a sentence of at most eight words ("You feel
    invisible.") that starts or sits in at least ``min_units`` multi-part units."""
    import re
    from collections import Counter

    def norm(s: str) -> str:
        return re.sub(r"[^a-z' ]", "", s.lower()).strip()

    lead = re.compile(r"^\s*([^,.?!]{1,40}),\s+")
    sentence = re.compile(r"(?<=[.?!])\s+")
    texts = [u.text for u in case["units"]]
    sub = ~case["flags"]
    leads, parts = Counter(), Counter()
    for t in (t for t, s in zip(texts, sub) if s):
        m = lead.match(t)
        if m and len(m.group(1).split()) <= 4:
            leads[norm(m.group(1))] += 1
        pieces = sentence.split(t.strip())
        if len(pieces) > 1:
            parts.update(norm(p) for p in pieces if len(p.split()) <= 8)
    drop_lead = {k for k, v in leads.items() if v >= min_units}
    drop_part = {k for k, v in parts.items() if v >= min_units}

    def clean(t: str) -> str:
        m = lead.match(t)
        while m and norm(m.group(1)) in drop_lead:
            t = t[m.end():]
            m = lead.match(t)
        pieces = sentence.split(t.strip())
        kept = [p for p in pieces if norm(p) not in drop_part] if len(pieces) > 1 else pieces
        return " ".join(kept) or t

    cleaned = [clean(t) or t if s else t for t, s in zip(texts, sub)]
    return EmbeddingCache(CACHE / "embeddings").encode(EMBEDDER, cleaned)


def content_words(text: str, min_words: int = 2) -> str:
    """The text's content words in order: lower-cased tokens less scikit-learn's English stop
    words and the labels' spoken-word list; the text itself when fewer than ``min_words``."""
    import re

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from listenlens.themes.labels import EXTRA_STOP_WORDS

    stop = ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS
    words = [w for w in re.findall(r"[a-z][a-z'\-]+", text.lower()) if w not in stop]
    return " ".join(words) if len(words) >= min_words else text


def with_content_words(case: dict[str, Any], mix: float) -> np.ndarray:
    """MiniLM vectors of each substantive unit's content words (:func:`content_words`), mixed
    with its full-text vector (``mix`` = the content part's share; 1 replaces it), the default
    context on top. Prompts keep their own text. Records the embedding seconds in the case."""
    texts = [u.text for u in case["units"]]
    sub = ~case["flags"]
    cleaned = [content_words(t) if s else t for t, s in zip(texts, sub)]
    t0 = time.process_time()
    y = EmbeddingCache(CACHE / "embeddings").encode(EMBEDDER, cleaned)
    case.setdefault("content_cost", time.process_time() - t0)
    v = l2_normalise(((1.0 - mix) * case["x"] + mix * y).astype(np.float32))
    return with_context(case, v)


def sif_pooled(case: dict[str, Any], a: float = 1e-3) -> np.ndarray:
    """MiniLM's token vectors of each text (one forward pass, the model's truncation) averaged
    with SIF weights ``a / (a + p(t))``, ``p(t)`` the word piece's share of the substantive
    units' word pieces ([CLS], [SEP] left out); unit length. Cached beside the embeddings."""
    import hashlib

    texts = [u.text for u in case["units"]]
    key = hashlib.sha256("\x00".join(texts).encode() + str(a).encode()).hexdigest()[:16]
    path = CACHE / "embeddings" / f"sif-{key}.npy"
    if path.is_file():
        return np.load(path)
    model = EMBEDDER.model
    ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
    special = {model.tokenizer.cls_token_id, model.tokenizer.sep_token_id}
    counts: Counter = Counter()
    for row, keep in zip(ids, ~case["flags"]):
        if keep:
            counts.update(t for t in row if t not in special)
    total = sum(counts.values())
    t0 = time.process_time()
    tokens = model.encode(texts, output_value="token_embeddings", batch_size=64)
    case["sif_cost"] = time.process_time() - t0
    out = np.zeros((len(texts), tokens[0].shape[1]), dtype=np.float32)
    for i, (row, vecs) in enumerate(zip(ids, tokens)):
        v = vecs.detach().cpu().numpy()[:len(row)]
        w = np.array([0.0 if t in special else a / (a + counts.get(t, 0) / total) for t in row])
        if w.sum() == 0:
            w = np.ones(len(row))
        out[i] = (w[:, None] * v).sum(axis=0) / w.sum()
    out = l2_normalise(out)
    np.save(path, out)
    return out


def speaker_context(case: dict[str, Any], weight: float, min_z: float = 3.0) -> np.ndarray:
    """The default context plus each unit's speaker's other turns at its event (leave-one-out
    mean of their vectors) at ``weight``, when the draw-free speaker test reaches ``min_z``:
    the one-sample z of ``x_i . m_i`` less the event's all-pairs mean similarity of its
    substantive participant units. The z is kept in ``case["speaker_z"]``."""
    x, units = case["x"], case["units"]
    sub = ~case["flags"]
    who = np.array([f"{u.event_id}\x00{u.speaker}" if (u.speaker and u.role != "facilitator"
                                                        and s) else ""
                    for u, s in zip(units, sub)], dtype=object)
    m = np.zeros_like(x)
    has = np.zeros(len(x), dtype=bool)
    for key in np.unique(who[who != ""]):
        rows = np.where(who == key)[0]
        if len(rows) >= 2:
            total = x[rows].sum(axis=0)
            m[rows] = (total[None, :] - x[rows]) / (len(rows) - 1)
            has[rows] = True
    base = {}
    events = case["events"]
    part = who != ""
    for e in np.unique(events[part]):
        rows = np.where(part & (events == e))[0]
        if len(rows) >= 3:
            t = x[rows].sum(axis=0)
            base[e] = float((t @ t - len(rows)) / (len(rows) * (len(rows) - 1)))
    use = np.array([h and events[i] in base for i, h in enumerate(has)])
    d = np.einsum("ij,ij->i", x[use], m[use]) - np.array([base[events[i]]
                                                          for i in np.where(use)[0]])
    z_spk = float(d.mean() / (d.std(ddof=1) / np.sqrt(len(d)))) if len(d) >= 10 else float("nan")
    case["speaker_z"] = z_spk
    print(f"... {case['name']}: speaker z = {z_spk:.2f} over {len(d)} units", file=sys.stderr)
    z = with_context(case, x)
    if not z_spk >= min_z:
        return z
    links, px = links_for(case)
    decision = decide_context("auto", structure_evidence(x, links, events, px, seed=0))
    raw = np.array(x, dtype=np.float32, copy=True)
    h = links.prev >= 0
    raw[h] += decision.w_prev * x[links.prev[h]]
    h = links.prompt >= 0
    if px is not None and decision.w_prompt:
        raw[h] += decision.w_prompt * px[links.prompt[h]]
    raw[use] += weight * m[use]
    return l2_normalise(raw)


def minus_group_mean(case: dict[str, Any], x: np.ndarray, key: np.ndarray, alpha: float,
                     min_size: int = 4) -> np.ndarray:
    """Each group's (event's, speaker's) mean direction, less the corpus mean, removed at
    ``alpha`` from its substantive units (groups under ``min_size`` units are left)."""
    sub = ~case["flags"]
    out = np.array(x, dtype=np.float32, copy=True)
    overall = x[sub].mean(axis=0)
    for g in np.unique(key[sub]):
        rows = (key == g) & sub
        if rows.sum() >= min_size:
            out[rows] -= alpha * (x[rows].mean(axis=0) - overall)
    return l2_normalise(out)


def minus_top_directions(case: dict[str, Any], x: np.ndarray, k: int) -> np.ndarray:
    """``x`` centred and with its top ``k`` principal directions projected out."""
    sub = ~case["flags"]
    centred = x - x[sub].mean(axis=0)
    v = np.linalg.svd(centred[sub], full_matrices=False)[2][:k]
    return l2_normalise((centred - (centred @ v.T) @ v).astype(np.float32))


def with_lexical(case: dict[str, Any], z: np.ndarray, beta: float, dims: int = 100
                 ) -> np.ndarray:
    """``z`` with a TF-IDF -> truncated SVD (LSA) part appended at weight ``beta``."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True,
                          token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b")
    m = vec.fit_transform([u.text for u in case["units"]])
    svd = TruncatedSVD(n_components=dims, random_state=0).fit(m[np.where(~case["flags"])[0]])
    lexical = l2_normalise(svd.transform(m).astype(np.float32))
    return l2_normalise(np.hstack([z, beta * lexical]).astype(np.float32))


# --- refinements of the fine clustering -------------------------------------------------------

def self_train(z: np.ndarray, labels: np.ndarray, rounds: int, c: float) -> np.ndarray:
    """A logistic regression fitted on the most central half of each cluster re-predicts every
    assigned unit; repeated ``rounds`` times or until nothing moves."""
    from sklearn.linear_model import LogisticRegression

    lab = labels.copy()
    for _ in range(rounds):
        ids, cent = centroids(z, lab)
        pos = {k: i for i, k in enumerate(ids.tolist())}
        member = np.where(lab >= 0)[0]
        sim = np.einsum("ij,ij->i", z[member], cent[[pos[k] for k in lab[member].tolist()]])
        train = np.concatenate([member[(lab[member] == k) & (sim >= np.median(
            sim[lab[member] == k]))] for k in ids.tolist()])
        clf = LogisticRegression(C=c, max_iter=300).fit(z[train], lab[train])
        new = lab.copy()
        new[member] = clf.predict(z[member])
        if (new == lab).all():
            break
        lab = new
    return lab


def regrouped(z: np.ndarray, result: ClusterResult, leaves: np.ndarray) -> ClusterResult:
    """Themes from new sub-themes by the fit's own grouping rule."""
    group_of, _ = group_leaves(z, leaves, max_groups=int(result.params["max_themes"]), seed=0)
    top = np.where(leaves >= 0, group_of[np.maximum(leaves, 0)], -1)
    return ClusterResult(top, result.method, result.notes, result.details, result.params,
                         leaves=leaves)


def refine_themes(rounds: int, c: float) -> Callable[..., ClusterResult]:
    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        return ClusterResult(self_train(z, result.labels, rounds, c), result.method,
                             result.notes, result.details, result.params, leaves=result.leaves)
    return run


def refine_subthemes(rounds: int, c: float) -> Callable[..., ClusterResult]:
    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        leaves = result.leaves if result.leaves is not None else result.labels
        return regrouped(z, result, np.unique(self_train(z, leaves, rounds, c),
                                              return_inverse=True)[1] - int((leaves < 0).any()))
    return run


def grouped_on(vectors: np.ndarray, emergent_of: Callable[[], np.ndarray]
               ) -> Callable[..., ClusterResult]:
    """Keep the sub-themes; group them into themes on other vectors (rows: every unit)."""
    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        leaves = result.leaves if result.leaves is not None else result.labels
        return regrouped(vectors[emergent_of()], result, leaves)
    return run


def split_by_words(top_n: int = 5, min_share: float = 0.25) -> Callable[..., ClusterResult]:
    """Split a sub-theme in two when TF-IDF 2-means halves (each >= ``min_share`` of it and
    >= the minimum cluster size) have disjoint top-``top_n`` words; then re-group."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        m = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True).fit_transform(
            texts)
        leaves = (result.leaves if result.leaves is not None else result.labels).copy()
        size = int(result.params["min_cluster_size"])
        new = int(leaves.max()) + 1
        for leaf in range(new):
            rows = np.where(leaves == leaf)[0]
            if len(rows) < 2 * size:
                continue
            halves = KMeans(2, n_init=5, random_state=0).fit(m[rows]).labels_
            if min(np.bincount(halves)) < max(size, min_share * len(rows)):
                continue
            tops = [set(np.argsort(-np.asarray(m[rows[halves == h]].mean(axis=0)).ravel())
                        [:top_n].tolist()) for h in (0, 1)]
            if not tops[0] & tops[1]:
                leaves[rows[halves == 1]] = new
                new += 1
        return regrouped(z, result, leaves)
    return run


def emergent_prev(case: dict[str, Any], same_prompt: bool = True) -> np.ndarray | None:
    """Previous-turn links in the rows the fit clusters (``None`` when the fit's
    previous-turn structure test fails); ``same_prompt`` keeps only pairs under one prompt."""
    links, px = links_for(case)
    decision = decide_context("auto", structure_evidence(case["x"], links, case["events"], px,
                                                         seed=0))
    if not decision.w_prev:
        return None
    rows = emergent_rows(case)
    pos = np.full(len(case["x"]), -1, dtype=np.int64)
    pos[rows] = np.arange(len(rows))
    prev = links.prev[rows]
    ok = prev >= 0
    if same_prompt:
        ok &= links.prompt[rows] == links.prompt[np.maximum(prev, 0)]
    return np.where(ok, pos[np.maximum(prev, 0)], -1)


def turn_pairs(leaves: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """Symmetric leaf-by-leaf counts of (unit, previous turn) pairs with both in a leaf."""
    n = int(leaves.max()) + 1
    out = np.zeros((n, n), dtype=np.float64)
    has = np.where(prev >= 0)[0]
    a, b = leaves[has], leaves[prev[has]]
    ok = (a >= 0) & (b >= 0)
    np.add.at(out, (a[ok], b[ok]), 1.0)
    return out + out.T


def grouped_by_turns(case: dict[str, Any], weight: float, same_prompt: bool = True
                     ) -> Callable[..., ClusterResult]:
    """Keep the sub-themes; group them (Louvain, as the fit) on the nearest-neighbour graph
    scaled to sum 1 plus ``weight`` times the turn-pair graph scaled to sum 1: facets of one
    concern should follow each other in talk. Gated by the previous-turn structure test."""
    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        prev = emergent_prev(case, same_prompt)
        leaves = result.leaves
        if prev is None or leaves is None:
            return result
        c = turn_pairs(leaves, prev)
        group_of, _ = group_leaves(z, leaves, max_groups=int(result.params["max_themes"]),
                                   seed=0, extra=weight * c / max(c.sum(), 1.0))
        top = np.where(leaves >= 0, group_of[np.maximum(leaves, 0)], -1)
        return ClusterResult(top, result.method, result.notes, result.details, result.params,
                             leaves=leaves)
    return run


# --- lexical similarity of sub-themes (a grouping signal; measured, not adopted) --------------

#: Parts of speech whose lemmas describe what people talk about.
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ"})
#: A word in at least this share of one event's sub-themes names the event's setting ...
SETTING_SHARE = 0.5
#: ... for an event present (>= 2 of its units) in at least this many sub-themes.
SETTING_MIN_LEAVES = 3


def content_lemmas(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Lower-case lemmas of each text's NOUN, VERB and ADJ tokens (spaCy, the labels' model),
    leaving out proper nouns, named entities, stop words and words under three letters."""
    import spacy

    from listenlens.themes.labels import SPACY_MODEL

    nlp = spacy.load(SPACY_MODEL, exclude=["parser"])
    return [tuple(tok.lemma_.lower() for tok in doc
                  if tok.pos_ in CONTENT_POS and not tok.ent_type_ and not tok.is_stop
                  and tok.is_alpha and len(tok.text) >= 3)
            for doc in nlp.pipe([str(t) for t in texts], batch_size=256)]


def setting_words(lemmas: Sequence[Sequence[str]], leaves: np.ndarray,
                  events: Sequence[str]) -> frozenset[str]:
    """Words spread over one event's sub-themes rather than tied to a concern: present in that
    event's units in at least :data:`SETTING_SHARE` of the sub-themes holding two or more of
    them, for an event in :data:`SETTING_MIN_LEAVES` sub-themes or more.

    >>> sorted(setting_words([("estate", "mould")] * 2 + [("estate", "bus")] * 2
    ...                      + [("estate", "rent")] * 2, np.array([0, 0, 1, 1, 2, 2]), ["a"] * 6))
    ['estate']
    """
    out: set[str] = set()
    for event in sorted(set(events)):
        rows = [i for i, e in enumerate(events) if e == event and leaves[i] >= 0]
        sizes = Counter(int(leaves[i]) for i in rows)
        present = {leaf for leaf, n in sizes.items() if n >= 2}
        if len(present) < SETTING_MIN_LEAVES:
            continue
        where: dict[str, set[int]] = {}
        for i in (i for i in rows if int(leaves[i]) in present):
            for w in set(lemmas[i]):
                where.setdefault(w, set()).add(int(leaves[i]))
        out.update(w for w, ls in where.items() if len(ls) >= SETTING_SHARE * len(present))
    return frozenset(out)


def lexical_similarity(lemmas: Sequence[Sequence[str]], leaves: np.ndarray,
                       events: Sequence[str]) -> np.ndarray:
    """Sub-theme by sub-theme cosine of class-based TF-IDF rows (a term's share of the
    sub-theme's words times ``log(1 + A / f)``, ``A`` the mean words per sub-theme, ``f`` the
    term's count in all), setting words left out; zero diagonal.

    >>> s = lexical_similarity([("damp", "mould"), ("mould",), ("bus",)], np.array([0, 1, 2]),
    ...                        ["a", "b", "c"])
    >>> bool(s[0, 1] > 0.5 and s[0, 2] == 0 and s[0, 0] == 0)
    True
    """
    n = int(leaves.max()) + 1
    vocab = sorted({w for i, ws in enumerate(lemmas) if leaves[i] >= 0 for w in ws}
                   - setting_words(lemmas, leaves, events))
    index = {w: j for j, w in enumerate(vocab)}
    counts = np.zeros((n, len(vocab)))
    for i, ws in enumerate(lemmas):
        for w in (w for w in ws if leaves[i] >= 0 and w in index):
            counts[int(leaves[i]), index[w]] += 1.0
    totals = counts.sum(axis=1, keepdims=True)
    m = counts / np.maximum(totals, 1.0) * np.log(
        1.0 + totals.mean() / np.maximum(counts.sum(axis=0), 1.0))
    m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    s = np.clip(m @ m.T, 0.0, 1.0)
    np.fill_diagonal(s, 0.0)
    return s


def unit_lemmas(case: dict[str, Any]) -> list[tuple[str, ...]]:
    """Content-word lemmas of every unit (:func:`content_lemmas`), found once per case."""
    if "lemmas" not in case:
        t = time.process_time()
        case["lemmas"] = content_lemmas([u.text for u in case["units"]])
        case["lemma_cpu"] = time.process_time() - t
    return case["lemmas"]


def leaf_graph(z: np.ndarray, leaves: np.ndarray) -> np.ndarray:
    """The grouping's leaf-by-leaf nearest-neighbour link counts, scaled to sum 1."""
    import scipy.sparse as sp

    n = int(leaves.max()) + 1
    member = np.where(leaves >= 0)[0]
    p = sp.csr_matrix((np.ones(len(member)), (member, leaves[member])), shape=(len(leaves), n))
    w = (p.T @ knn_adjacency(np.asarray(z, dtype=np.float32), GRAPH_NEIGHBOURS) @ p).toarray()
    return w / max(float(w.sum()), 1.0)


def word_links(s: np.ndarray, w: np.ndarray, mode: str, param: float) -> np.ndarray:
    """The ``extra`` for :func:`group_leaves` from the lexical similarity ``s`` of the leaves
    and their scaled graph ``w``: ``"add"``: ``param`` times ``s`` scaled to sum 1; ``"damp"``:
    each link times ``min(1, s / median)**param`` (median of ``s`` over linked pairs);
    ``"cut"``: links of pairs below the ``param`` quantile of ``s`` over linked pairs removed."""
    if mode == "add":
        return param * s / max(float(s.sum()), 1e-12)
    off = ~np.eye(len(s), dtype=bool)
    linked = s[(w > 0) & off]
    if not len(linked):
        return np.zeros_like(w)
    if mode == "damp":
        f = np.minimum(1.0, s / max(float(np.median(linked)), 1e-12)) ** param
    else:
        f = (s >= np.quantile(linked, param)).astype(np.float64)
    f[~off] = 1.0
    return w * (f - 1.0)


def grouped_by_words(case: dict[str, Any], mode: str, param: float, settings: bool = True
                     ) -> Callable[..., ClusterResult]:
    """Keep the sub-themes; group them (Louvain, as the fit, on the same vectors) with the
    lexical similarity of the sub-themes (:mod:`listenlens.themes.lexical`) added to or
    damping the nearest-neighbour graph (:func:`word_links`); ``mode="none"`` regroups on
    the graph alone (the control: the fit may find its neighbours another way).
    ``settings=False`` keeps the words spread over an event's sub-themes."""
    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        leaves = result.leaves
        if leaves is None or leaves.max() < 1:
            return result
        w = leaf_graph(z, leaves)
        extra = np.zeros_like(w)
        if mode != "none":
            rows = emergent_rows(case)
            lemmas = unit_lemmas(case)
            # settings=False: each sub-theme its own "event", so no word is a setting word
            events = ([str(case["events"][i]) for i in rows] if settings
                      else [str(v) for v in leaves])
            s = lexical_similarity([lemmas[i] for i in rows], leaves, events)
            extra = word_links(s, w, mode, param)
        group_of, _ = group_leaves(z, leaves, max_groups=int(result.params["max_themes"]),
                                   seed=int(case.get("seed", 0)), extra=extra)
        top = np.where(leaves >= 0, group_of[np.maximum(leaves, 0)], -1)
        return ClusterResult(_renumber(top), result.method, result.notes, result.details,
                             result.params, leaves=leaves)
    return run


def _renumber(top: np.ndarray) -> np.ndarray:
    """Group ids made consecutive (groups of only unassigned units vanish)."""
    ok = top >= 0
    out = np.full(len(top), -1, dtype=np.int64)
    out[ok] = np.unique(top[ok], return_inverse=True)[1]
    return out


# --- fine clusters from the units' own neighbour graph (unit graph: g1, g2, g3) ---------------
# The fine clusters (sub-themes) found by community detection on the units' k-nearest-neighbour
# graph in the full context space, instead of (g1, g2) or inside (g3) UMAP + HDBSCAN; the
# grouping into themes (group_leaves) and the outlier rule are the fit's own.

def unit_neighbours(z: np.ndarray, k: int) -> np.ndarray:
    """Each row's ``k`` nearest other rows (cosine, exact, ties to the smaller index)."""
    from listenlens.themes.neighbours import exact_knn

    return exact_knn(np.asarray(z, dtype=np.float32), k + 1)[0][:, 1:]


def unit_graph(nn: np.ndarray, weighting: str) -> Any:
    """The units' symmetric neighbour graph (networkx) from a neighbour table ``nn``:
    ``"knn"``: 0/1 links (either is among the other's neighbours, as the grouping's graph);
    ``"snn"``: each such link weighted by the Jaccard overlap of the two units' neighbour sets
    (each set holding the unit itself), shared-nearest-neighbour style."""
    import networkx as nx
    import scipy.sparse as sp

    n, k = nn.shape
    rows = np.repeat(np.arange(n), k)
    a = sp.csr_matrix((np.ones(n * k), (rows, nn.ravel())), shape=(n, n))
    link = ((a + a.T) > 0).astype(np.float64).tocoo()
    if weighting == "snn":
        member = a + sp.identity(n, format="csr")  # the neighbour set of each unit, itself in
        shared = np.asarray(member[link.row].multiply(member[link.col]).sum(axis=1)).ravel()
        link = sp.coo_matrix((shared / (2 * (k + 1) - shared), (link.row, link.col)),
                             shape=(n, n))
    return nx.from_scipy_sparse_array(link.tocsr())


def communities(graph: Any, resolution: float, seed: int) -> np.ndarray:
    """Louvain communities (networkx, seeded) as labels numbered by their smallest node."""
    import networkx as nx

    groups = nx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                              seed=seed)
    labels = np.full(graph.number_of_nodes(), -1, dtype=np.int64)
    for j, g in enumerate(sorted((sorted(g) for g in groups), key=lambda g: g[0])):
        labels[g] = j
    return labels


def small_as_noise(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Clusters under ``min_size`` units made unassigned; the rest renumbered 0..k-1."""
    sizes = np.bincount(np.maximum(labels, 0), minlength=int(labels.max()) + 1)
    out = np.where((labels >= 0) & (sizes[np.maximum(labels, 0)] >= min_size), labels, -1)
    return _renumber(out)


def leaves_grouped(z: np.ndarray, result: ClusterResult, leaves: np.ndarray, seed: int,
                   settled: np.ndarray | None = None) -> ClusterResult:
    """New fine clusters through the fit's outlier rule and grouping into themes. Units
    ``settled`` (a mask; the fit's own unassigned units, say) are left out of the outlier rule,
    so that it runs once for them as in the fit."""
    from listenlens.themes.discover import reassign_outliers

    p = result.params
    leaves = leaves.copy()
    rows = np.arange(len(leaves)) if settled is None else np.where(~settled)[0]
    leaves[rows] = reassign_outliers(z[rows], leaves[rows], float(p["reassign_quantile"]))[0]
    group_of, _ = group_leaves(z, leaves, max_groups=int(p["max_themes"]),
                               k=int(p.get("graph_neighbors", GRAPH_NEIGHBOURS)), seed=seed)
    top = _renumber(np.where(leaves >= 0, group_of[np.maximum(leaves, 0)], -1))
    return ClusterResult(top, result.method + "+unit-graph", result.notes, dict(result.details), p,
                         leaves=leaves)


def louvain_leaves(case: dict[str, Any], resolution: float, weighting: str = "knn"
                   ) -> Callable[..., ClusterResult]:
    """g1 (``"knn"``) / g2 (``"snn"``): fine clusters = Louvain communities (``resolution``)
    of the units' neighbour graph (k = the fit's ``n_neighbors``) in the full context space;
    communities under the fit's ``min_cluster_size`` are noise for the outlier rule."""
    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        seed = int(case.get("seed", 0))
        graph = unit_graph(unit_neighbours(z, int(result.params["n_neighbors"])), weighting)
        leaves = small_as_noise(communities(graph, resolution, seed),
                                int(result.params["min_cluster_size"]))
        return leaves_grouped(z, result, leaves, seed)
    return run


def split_leaves(case: dict[str, Any], min_modularity: float) -> Callable[..., ClusterResult]:
    """g3: HDBSCAN's fine clusters kept, each split by Louvain (resolution 1) on the subgraph of
    its own units in the units' neighbour graph when that split's modularity is at least
    ``min_modularity`` and it has two or more parts of the fit's ``min_cluster_size``; smaller
    parts become noise for the outlier rule."""
    import networkx as nx

    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        seed, size = int(case.get("seed", 0)), int(result.params["min_cluster_size"])
        graph = unit_graph(unit_neighbours(z, int(result.params["n_neighbors"])), "knn")
        leaves = (result.leaves if result.leaves is not None else result.labels).copy()
        settled = leaves < 0
        new, splits = int(leaves.max()) + 1, []
        for leaf in range(new):
            rows = np.where(leaves == leaf)[0]
            if len(rows) < 2 * size:
                continue
            sub = nx.convert_node_labels_to_integers(graph.subgraph(rows.tolist()),
                                                     ordering="sorted")
            parts = communities(sub, 1.0, seed)
            q = nx.community.modularity(sub, [set(np.where(parts == j)[0].tolist())
                                              for j in range(int(parts.max()) + 1)])
            kept = small_as_noise(parts, size)
            case.setdefault("modularity", []).append(round(float(q), 3))
            if q < min_modularity or kept.max() < 1:
                continue
            splits.append(round(float(q), 3))
            leaves[rows] = np.where(kept == 0, leaf, np.where(kept > 0, new + kept - 1, -1))
            new += int(kept.max())
        if not splits:
            return result
        done = leaves_grouped(z, result, _renumber(leaves), seed, settled)
        done.details["splits"] = splits
        return done
    return run


def fine_purity(truth: np.ndarray, leaf: np.ndarray) -> dict[str, float]:
    """Diagnostics of the fine clusters over keyed units: ``purity`` (unit-weighted share of
    each fine cluster's majority concern; unassigned and set-aside units left out) and
    ``oracle`` (ARI when each fine cluster is labelled with its majority concern, the best any
    grouping of these fine clusters could do; unassigned and set-aside units as in scoring)."""
    from sklearn.metrics import adjusted_rand_score

    table = pd.crosstab(pd.Series(leaf, name="leaf"), pd.Series(truth, name="key"))
    table = table.drop(index=["unassigned", "housekeeping-set-aside"], errors="ignore")
    purity = float(table.max(axis=1).sum() / max(int(table.values.sum()), 1))
    major = table.idxmax(axis=1).to_dict()
    mapped = np.array([major.get(v, v) for v in leaf], dtype=object)
    return {"purity": purity, "oracle": adjusted_rand_score(truth, mapped)}


def unit_graph_variants(case: dict[str, Any], default: Callable[[], np.ndarray]
                        ) -> dict[str, tuple[Callable[[], np.ndarray], Any]]:
    """g1-g3 (resolutions and the modularity thresholds fixed before measuring)."""
    return {
        **{f"g1: Louvain on unit kNN graph, resolution {r:g}": (default, louvain_leaves(case, r))
           for r in (1.0, 2.0, 4.0)},
        **{f"g2: Louvain on unit SNN graph, resolution {r:g}": (
            default, louvain_leaves(case, r, "snn")) for r in (1.0, 2.0, 4.0)},
        **{f"g3: HDBSCAN clusters split by Louvain, modularity >= {q:g}": (
            default, split_leaves(case, q)) for q in (0.3, 0.5)},
    }


# --- consensus fine clusters over several UMAP seeds (c1, c2, c3) -----------------------------
# Evidence accumulation: the fit's reduction + HDBSCAN + merge run with R seeds derived from the
# fit's seed; two units' co-association is the share of runs in which they share a fine cluster
# (summed sparsely over each run's clusters); the consensus fine clusters are the connected
# components of the pairs at or above a fixed share, components under the fit's
# ``min_cluster_size`` go to the fit's outlier rule, and the grouping into themes is the fit's.

#: Seeds of a consensus: run ``r`` uses ``seed + CONSENSUS_SEED_STEP * r`` (run 0 is the fit's).
CONSENSUS_SEED_STEP = 1000


def fine_run(z: np.ndarray, p: dict[str, Any], seed: int, cache_dir: Path | None
             ) -> tuple[np.ndarray, bool]:
    """One run of the fit's fine clustering before its outlier rule: UMAP (the fit's
    :func:`~listenlens.themes.discover.reduce`, cached by seed), HDBSCAN, the merge of near-
    duplicate clusters. Returns the labels (``-1`` noise) and whether the reduction was cached."""
    import hdbscan

    from listenlens.themes.discover import _relabel, _shared_knn, merge_similar, reduce

    reduced, cached = reduce(z, n_neighbors=int(p["n_neighbors"]),
                             n_components=int(p["n_components"]), seed=seed,
                             cache_dir=cache_dir, knn=_shared_knn(z, p, seed))
    labels = hdbscan.HDBSCAN(min_cluster_size=int(p["min_cluster_size"]),
                             min_samples=int(p["min_samples"]),
                             cluster_selection_method=str(p["cluster_selection_method"]),
                             core_dist_n_jobs=1).fit_predict(reduced)
    merged, _ = merge_similar(z, _relabel(np.asarray(labels, dtype=np.int64)),
                              float(p["merge_threshold"]))
    return merged, cached


def co_association(runs: Sequence[np.ndarray]) -> Any:
    """How many runs put each pair of units in one fine cluster (scipy CSR, counts), summed over
    each run's clusters as one-hot products, so memory follows the clusters' squared sizes and
    never a dense n x n."""
    import scipy.sparse as sp

    n = len(runs[0])
    total = sp.csr_matrix((n, n), dtype=np.float64)
    for labels in runs:
        rows = np.where(labels >= 0)[0]
        onehot = sp.csr_matrix((np.ones(len(rows)), (rows, labels[rows])),
                               shape=(n, int(labels.max()) + 1))
        total = total + onehot @ onehot.T
    return total.tocsr()


def consensus_labels(runs: Sequence[np.ndarray], share: float, min_size: int) -> np.ndarray:
    """Connected components of the pairs whose co-association (share of runs together) is at
    least ``share``; components under ``min_size`` units unassigned (``-1``)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    counts = co_association(runs)
    kept = counts.multiply(counts >= share * len(runs) - 1e-9)
    kept = sp.csr_matrix(kept)
    kept.setdiag(0)
    kept.eliminate_zeros()
    labels = connected_components(kept, directed=False)[1].astype(np.int64)
    return small_as_noise(labels, min_size)


def consensus_leaves(case: dict[str, Any], n_runs: int, share: float,
                     cache_dir: Path | None = CACHE) -> Callable[..., ClusterResult]:
    """c1-c3: fine clusters = consensus of ``n_runs`` seeded runs at co-association ``share``
    (see :func:`consensus_labels`), then the fit's outlier rule and grouping."""
    def run(z: np.ndarray, result: ClusterResult, texts: list[str]) -> ClusterResult:
        seed, p = int(case.get("seed", 0)), result.params
        if result.method.startswith("agglomerative"):
            return result
        found = [fine_run(z, p, seed + CONSENSUS_SEED_STEP * r, cache_dir)
                 for r in range(n_runs)]
        leaves = consensus_labels([labels for labels, _ in found], share,
                                  int(p["min_cluster_size"]))
        done = leaves_grouped(z, result, leaves, seed)
        done.details["consensus_cached"] = sum(cached for _, cached in found)
        return done
    return run


def consensus_variants(case: dict[str, Any], default: Callable[[], np.ndarray]
                       ) -> dict[str, tuple[Callable[[], np.ndarray], Any]]:
    """c1-c3 (run counts and shares fixed before measuring)."""
    return {
        "c1: consensus of 5 UMAP seeds, co-association >= 0.5": (
            default, consensus_leaves(case, 5, 0.5)),
        "c2: consensus of 5 UMAP seeds, co-association >= 0.8": (
            default, consensus_leaves(case, 5, 0.8)),
        "c3: consensus of 9 UMAP seeds, co-association >= 0.5": (
            default, consensus_leaves(case, 9, 0.5)),
    }


# --- scoring ----------------------------------------------------------------------------------

def emergent_rows(case: dict[str, Any]) -> np.ndarray:
    """Rows the fit clusters: substantive units in unit-id order."""
    sub = np.where(~case["flags"])[0]
    return sub[np.argsort([case["units"][i].unit_id for i in sub], kind="stable")]


def evaluate(case: dict[str, Any], z: np.ndarray, post: Callable[..., ClusterResult] | None,
             seed: int) -> dict[str, Any]:
    """Cluster ``z`` as the fit does (emergent units in unit-id order) and score it."""
    from sklearn.metrics import adjusted_rand_score

    units = case["units"]
    emergent = emergent_rows(case)
    case["seed"] = seed
    t = time.perf_counter()
    result = cluster_units(z[emergent], strata=[units[i].event_id for i in emergent], seed=seed,
                           cache_dir=CACHE)
    cpu = time.process_time()
    if post is not None:
        result = post(z[emergent], result, [units[i].text for i in emergent])
    cpu = time.process_time() - cpu
    top = np.full(len(units), "housekeeping-set-aside", dtype=object)
    leaf = top.copy()
    leaves = result.leaves if result.leaves is not None else result.labels
    top[emergent] = np.where(result.labels >= 0, result.labels.astype(str), "unassigned")
    leaf[emergent] = np.where(leaves >= 0, leaves.astype(str), "unassigned")
    truth = case["truth"]
    keep = (truth != "housekeeping") & (truth != "?")
    return {"ARI": adjusted_rand_score(truth[keep], top[keep]),
            "ARI_sub": adjusted_rand_score(truth[keep], leaf[keep]),
            "themes": int(result.labels.max() + 1), "sub-themes": int(leaves.max() + 1),
            "unassigned": float((top[keep] == "unassigned").mean()),
            "top5>=70%": pure_largest(truth[keep], top[keep]),
            "s": time.perf_counter() - t, "post_cpu": cpu,
            **fine_purity(truth[keep], leaf[keep])}


def pure_largest(truth: np.ndarray, top: np.ndarray, n: int = 5, share: float = 0.7) -> int:
    """How many of the ``n`` largest themes (keyed units; unassigned and set-aside units not a
    theme) are at least ``share`` one concern of the key."""
    table = pd.crosstab(pd.Series(top, name="theme"), pd.Series(truth, name="key"))
    table = table.drop(index=["unassigned", "housekeeping-set-aside"], errors="ignore")
    largest = table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:n]
    return int(sum(table.loc[t].max() >= share * table.loc[t].sum() for t in largest))


def prompt_tests(case: dict[str, Any], prompts: np.ndarray | None) -> dict[str, Any]:
    """The prompt-structure statistic three ways (see the module docstring)."""
    x, events = case["x"], case["events"]
    links, px = links_for(case, prompts)
    z_old = structure_evidence(x, links, events, px, seed=0)[1]
    rows = np.where(links.prompt >= 0)[0]
    answered: dict[Any, set[int]] = {}
    for r in rows.tolist():
        answered.setdefault(events[r], set()).add(int(links.prompt[r]))
    diff, own = [], []
    for r in rows.tolist():
        others = sorted(answered[events[r]] - {int(links.prompt[r])})
        if others and px is not None:
            diff.append(float(x[r] @ px[int(links.prompt[r])] - (x[r] @ px[others].T).mean()))
            own.append(int(links.prompt[r]))
    d, g = np.array(diff), np.array(own)
    paired = d.mean() / (d.std(ddof=1) / np.sqrt(len(d))) if len(d) >= 10 else float("nan")
    means = np.array([d[g == p].mean() for p in np.unique(g)]) if len(d) else np.zeros(0)
    clustered = (means.mean() / (means.std(ddof=1) / np.sqrt(len(means)))
                 if len(means) >= 10 else float("nan"))
    return {"links": len(rows), "prompts answered": len(means), "z (today)": z_old,
            "z paired": paired, "t prompt-clustered": clustered}


def variants(case: dict[str, Any]) -> dict[str, tuple[Callable[[], np.ndarray], Any]]:
    """Name -> (the vectors to cluster, the refinement or None)."""
    x = case["x"]
    speakers = np.array([f"{u.event_id}|{u.speaker}" for u in case["units"]], dtype=object)

    def default() -> np.ndarray:  # the previous default (turn context); variants change it
        return with_context(case, x)

    return {
        "default (turn context)": (default, None),
        "joint a: prompt+turn text, no vector context": (lambda: with_joint(case), None),
        "joint b: prompt+turn text + previous-turn vector": (
            lambda: with_joint(case, w_prev=True), None),
        "joint c: (prompt+turn text + turn vector), no vector context": (
            lambda: with_joint(case, plain=1.0), None),
        "joint c2: (prompt+turn text + turn vector) + previous-turn vector": (
            lambda: with_joint(case, plain=1.0, w_prev=True), None),
        "joint d: prompt+turn text for turns < 12 words + today's vectors": (
            lambda: with_joint(case, short_words=12, w_prev=True, w_prompt=True), None),
        "joint d8: as d, turns < 8 words": (
            lambda: with_joint(case, short_words=8, w_prev=True, w_prompt=True), None),
        "joint d12w: as d, prompt trimmed to 12 words": (
            lambda: with_joint(case, short_words=12, w_prev=True, w_prompt=True,
                               context_words=12), None),
        "joint g: previous+turn text for turns < 12 words + today's vectors": (
            lambda: with_joint(case, prompt=False, previous=True, short_words=12, w_prev=True,
                               w_prompt=True), None),
        "joint e: previous+turn text + prompt vector": (
            lambda: with_joint(case, prompt=False, previous=True, w_prompt=True), None),
        "joint f: prompt+previous+turn text, no vector context": (
            lambda: with_joint(case, previous=True), None),
        "m1: names masked by type (spaCy entities)": (
            lambda: with_masked(case, "entities"), None),
        "m2: names dropped (spaCy entities)": (lambda: with_masked(case, "entities-drop"), None),
        "m3: names masked (capitalisation rule, no model)": (
            lambda: with_masked(case, "capitals"), None),
        "m4: mean of m1's masked and the unmasked vectors": (
            lambda: with_masked(case, "entities", average=True), None),
        "m5: place names only masked (spaCy GPE, LOC, FAC)": (
            lambda: with_masked(case, "entities", types=("GPE", "LOC", "FAC")), None),
        "segment context (opt-in window)": (lambda: with_segments(case, x), None),
        "segment context, threshold +0.05": (lambda: with_segments(case, x, 0.05), None),
        "segment context, threshold -0.05": (lambda: with_segments(case, x, -0.05), None),
        "question-only prompts (forced on)": (
            lambda: with_context(case, x, prompts=questions(case), mode="always"), None),
        "weights 0.3 / 0.3": (lambda: with_context(case, x, w_prev=0.3, w_prompt=0.3), None),
        "weights 0.4 / 0.4": (lambda: with_context(case, x, w_prev=0.4, w_prompt=0.4), None),
        "weights 0.6 / 0.6": (lambda: with_context(case, x, w_prev=0.6, w_prompt=0.6), None),
        "weights 0.8 / 0.5": (lambda: with_context(case, x, w_prev=0.8, w_prompt=0.5), None),
        "weights 0.5 / 0.8": (lambda: with_context(case, x, w_prev=0.5, w_prompt=0.8), None),
        "+ next turn 0.5": (lambda: with_context(case, x, w_next=0.5), None),
        "prompt weight decays 0.9 a turn": (lambda: per_unit_weights(case, "decay", 0.9),
                                            None),
        "weights scaled by turn length": (lambda: per_unit_weights(case, "length", 15.0),
                                          None),
        "e1: context off in events whose own z_prev < 1.645": (
            lambda: per_event_context(case, "gate", 1.645), None),
        "e2: context weights times clip(event z / 3, 0, 1)": (
            lambda: per_event_context(case, "scale", 3.0), None),
        "e3: context off in events whose own z_prev < 1.0": (
            lambda: per_event_context(case, "gate", 1.0), None),
        "e4: as e1, gated context replaced by the corpus mean": (
            lambda: per_event_context(case, "gate", 1.645, "corpus"), None),
        "e5: as e1, gated context replaced by the event mean": (
            lambda: per_event_context(case, "gate", 1.645, "event"), None),
        "t1: SIF-weighted pooling of MiniLM's token vectors": (
            lambda: with_context(case, sif_pooled(case)), None),
        "t2: mean of the default and SIF-pooled vectors": (
            lambda: with_context(case, l2_normalise((case["x"] + sif_pooled(case)) / 2)), None),
        "s1: + the speaker's other turns at the event, 0.5 (gated)": (
            lambda: speaker_context(case, 0.5), None),
        "s2: + the speaker's other turns at the event, 0.25 (gated)": (
            lambda: speaker_context(case, 0.25), None),
        "w1: content words only": (lambda: with_content_words(case, 1.0), None),
        "w2: mean of full-text and content-words vectors": (
            lambda: with_content_words(case, 0.5), None),
        "boilerplate phrases removed": (
            lambda: with_context(case, without_boilerplate(case)), None),
        "- event mean 0.5": (
            lambda: with_context(case, minus_group_mean(case, x, case["events"], 0.5)), None),
        "- speaker mean 0.5": (
            lambda: with_context(case, minus_group_mean(case, x, speakers, 0.5)), None),
        "- top principal direction": (
            lambda: with_context(case, minus_top_directions(case, x, 1)), None),
        "+ LSA 0.5": (lambda: with_lexical(case, default(), 0.5), None),
        "self-training themes (2 rounds, C=1)": (default, refine_themes(2, 1.0)),
        "self-training themes (1 round, C=10)": (default, refine_themes(1, 10.0)),
        "self-training sub-themes + regroup": (default, refine_subthemes(2, 1.0)),
        "split sub-themes by words + regroup": (default, split_by_words()),
        "grouped by turn pairs 0.25": (default, grouped_by_turns(case, 0.25)),
        "grouped by turn pairs 0.5": (default, grouped_by_turns(case, 0.5)),
        "grouped by turn pairs 1.0": (default, grouped_by_turns(case, 1.0)),
        "grouped by turn pairs 0.5 (any prompt)": (default, grouped_by_turns(case, 0.5, False)),
        "themes grouped on the sentences alone (no context)": (default, grouped_on(
            x, lambda: emergent_rows(case))),
        "themes grouped on previous-turn context only": (default, grouped_on(
            with_context(case, x, w_prompt=0.0), lambda: emergent_rows(case))),
        "themes grouped on prompt context only": (default, grouped_on(
            with_context(case, x, w_prev=0.0), lambda: emergent_rows(case))),
        "themes grouped on event-centred vectors": (default, grouped_on(
            minus_group_mean(case, default(), case["events"], 0.5), lambda: emergent_rows(case))),
        "words: regrouped, graph alone (control)": (default, grouped_by_words(case, "none", 0)),
        "words: + lexical similarity 0.25": (default, grouped_by_words(case, "add", 0.25)),
        "words: + lexical similarity 0.5": (default, grouped_by_words(case, "add", 0.5)),
        "words: + lexical similarity 1.0": (default, grouped_by_words(case, "add", 1.0)),
        "words: links damped by lexical similarity (power 1)": (
            default, grouped_by_words(case, "damp", 1.0)),
        "words: links damped by lexical similarity (power 2)": (
            default, grouped_by_words(case, "damp", 2.0)),
        "words: links damped by lexical similarity (power 0.5)": (
            default, grouped_by_words(case, "damp", 0.5)),
        "words: links damped (power 1), setting words kept": (
            default, grouped_by_words(case, "damp", 1.0, settings=False)),
        "words: cannot-link lowest 10% of linked pairs": (
            default, grouped_by_words(case, "cut", 0.1)),
        "words: cannot-link lowest 25% of linked pairs": (
            default, grouped_by_words(case, "cut", 0.25)),
        **unit_graph_variants(case, default),
        **consensus_variants(case, default),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default="riverside,runs,independent,banking77")
    ap.add_argument("--only", default="", help="variant names separated by ';' (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", default="", help="several seeds, e.g. 0,1,2 (mean printed too)")
    args = ap.parse_args(argv)
    seeds = [int(v) for v in args.seeds.split(",")] if args.seeds else [args.seed]
    CACHE.mkdir(parents=True, exist_ok=True)
    rows, tests, costs = [], [], []
    for name in args.corpora.split(","):
        case = load_case(name)
        for rule, prompts in (("all non-logistics turns", None), ("questions", questions(case))):
            tests.append({"corpus": name, "prompt rule": rule, **prompt_tests(case, prompts)})
        for label, (vectors, post) in variants(case).items():
            if args.only and label not in args.only.split(";"):
                continue
            z = vectors()
            for seed in seeds:
                rows.append({"corpus": name, "variant": label, "seed": seed,
                             **evaluate(case, z, post, seed)})
            print(f"... {name}: {label} done", file=sys.stderr, flush=True)
        costs += [{"corpus": name, "mask": mode, **c}
                  for mode, c in case.get("mask_costs", {}).items()]
    print("\nPrompt-structure test (z >= 3 switches the prompt term on)\n")
    print(pd.DataFrame(tests).round(2).to_string(index=False))
    table = pd.DataFrame(rows)
    print(f"\nVariants against the default (seeds {seeds})\n")
    print(table.round(3).to_string(index=False))
    if costs:
        print("\nName masking: texts changed and CPU seconds (masking; embedding the changed)\n")
        print(pd.DataFrame(costs).round(2).to_string(index=False))
    if len(seeds) > 1:
        print("\nMean over seeds\n")
        print(table.groupby(["corpus", "variant"], sort=False)[["ARI", "ARI_sub", "unassigned",
                                                                "top5>=70%", "purity", "oracle",
                                                                "sub-themes", "post_cpu"]]
              .mean().round(3).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
