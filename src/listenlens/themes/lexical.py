"""How alike two sub-themes' words are: a signal, independent of the vectors, of whether two
fine clusters are about the same thing.

Each unit is reduced to the lemmas of its content words (spaCy's NOUN, VERB and ADJ tokens;
proper nouns, named entities, stop words and words under three letters left out). Words that are
*everywhere* in one event's talk (present in at least half of the sub-themes that event's units
fall in, over at least three of them) are left out too: they name the event's place or setting
("park", "estate", "club"), not a concern. Each sub-theme's remaining lemmas are weighted by
class-based TF-IDF (the term's share of the sub-theme's words times ``log(1 + A / f)``, ``A`` the
mean number of words per sub-theme and ``f`` the term's count over all of them) and the
similarity of two sub-themes is the cosine of their rows.

``benchmarks/themes_attempts.py`` measures it as a signal for grouping sub-themes into themes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["CONTENT_POS", "content_lemmas", "setting_words", "leaf_lexicon",
           "lexical_similarity"]

#: Parts of speech whose lemmas describe what people talk about.
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ"})
#: A word in at least this share of one event's sub-themes names the event's setting.
SETTING_SHARE = 0.5
#: ... counted only for events whose units fall in at least this many sub-themes.
SETTING_MIN_LEAVES = 3
#: An event counts as present in a sub-theme from this many of its units there.
SETTING_MIN_UNITS = 2


@lru_cache(maxsize=2)
def _pipeline(model: str) -> Any:
    import spacy

    return spacy.load(model, exclude=["parser"])


def content_lemmas(texts: Sequence[str], model: str | None = None) -> list[tuple[str, ...]]:
    """The lower-case lemmas of each text's content words, in order (see the module notes)."""
    if model is None:
        from .labels import SPACY_MODEL

        model = SPACY_MODEL
    out: list[tuple[str, ...]] = []
    for doc in _pipeline(model).pipe([str(t) for t in texts], batch_size=256):
        out.append(tuple(tok.lemma_.lower() for tok in doc
                         if tok.pos_ in CONTENT_POS and not tok.ent_type_ and not tok.is_stop
                         and tok.is_alpha and len(tok.text) >= 3))
    return out


def setting_words(lemmas: Sequence[Sequence[str]], leaves: np.ndarray,
                  events: Sequence[str]) -> frozenset[str]:
    """Words spread over one event's sub-themes rather than tied to a concern: present (in
    that event's units) in at least :data:`SETTING_SHARE` of the sub-themes holding at least
    :data:`SETTING_MIN_UNITS` of its units, for an event in :data:`SETTING_MIN_LEAVES` or more."""
    out: set[str] = set()
    for event in sorted(set(events)):
        rows = [i for i, e in enumerate(events) if e == event and leaves[i] >= 0]
        sizes = Counter(int(leaves[i]) for i in rows)
        present = {leaf for leaf, n in sizes.items() if n >= SETTING_MIN_UNITS}
        if len(present) < SETTING_MIN_LEAVES:
            continue
        where: dict[str, set[int]] = {}
        for i in rows:
            if int(leaves[i]) in present:
                for w in set(lemmas[i]):
                    where.setdefault(w, set()).add(int(leaves[i]))
        out.update(w for w, ls in where.items() if len(ls) >= SETTING_SHARE * len(present))
    return frozenset(out)


def leaf_lexicon(lemmas: Sequence[Sequence[str]], leaves: np.ndarray,
                 exclude: frozenset[str] = frozenset()) -> np.ndarray:
    """Sub-theme by word class-based TF-IDF, rows of unit length (a sub-theme with no word
    left is a zero row); words in sorted order, ``exclude`` left out."""
    n = int(leaves.max()) + 1 if len(leaves) and leaves.max() >= 0 else 0
    vocab = sorted({w for i, ws in enumerate(lemmas) if leaves[i] >= 0 for w in ws} - exclude)
    index = {w: j for j, w in enumerate(vocab)}
    counts = np.zeros((n, len(vocab)), dtype=np.float64)
    for i, ws in enumerate(lemmas):
        if leaves[i] >= 0:
            for w in ws:
                if w in index:
                    counts[int(leaves[i]), index[w]] += 1.0
    if not vocab:
        return counts
    totals = counts.sum(axis=1, keepdims=True)
    tf = counts / np.maximum(totals, 1.0)
    idf = np.log(1.0 + totals.mean() / np.maximum(counts.sum(axis=0), 1.0))
    m = tf * idf
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def lexical_similarity(lemmas: Sequence[Sequence[str]], leaves: np.ndarray,
                       events: Sequence[str]) -> np.ndarray:
    """Sub-theme by sub-theme cosine of their c-TF-IDF rows (setting words left out), with a
    zero diagonal."""
    m = leaf_lexicon(lemmas, leaves, setting_words(lemmas, leaves, events))
    s = m @ m.T
    np.fill_diagonal(s, 0.0)
    return np.clip(s, 0.0, 1.0)
