"""Names masked before embedding: texts in which proper names are replaced or dropped.

A community names its own places, people and organisations ("Jubilee Park", "Margaret",
"Millbrook Youth Council"), and a mean-pooled sentence vector carries those names, so units from
one community or about one place can lean together whatever the concern. Masking gives the
encoder a text in which the names are neutral, so that it reads the concern:

- :func:`entity_spans`: spaCy's named entities of the types in :data:`PLACEHOLDERS` (the labels'
  model, :data:`~listenlens.themes.labels.SPACY_MODEL`, its ``ner`` component only);
- :func:`name_spans`: a model-free rule: runs of words that the corpus itself writes capitalised
  in the middle of a sentence more often than in lower case
  (:class:`~listenlens.themes.labelwords.CaseEvidence`), wherever they stand;
- :func:`mask_text`: a text with its spans replaced by a neutral word by type ("a place",
  "someone", "an organisation") or dropped.

Only proper names are masked: acronyms never ("GP", "NHS", "A&E", "PCSOs": spaCy calls some
of them organisations, but they name the service people talk about, and :class:`CaseEvidence`
does not count them as names either), nor entities written without a capital ("the food bank",
"the housing association": spaCy's small model tags such phrases too).

>>> mask_text("We met Margaret in Jubilee Park.", [(7, 15, "PERSON"), (19, 31, "FAC")])
'We met someone in a place.'
>>> mask_text("We met Margaret in Jubilee Park.", [(7, 15, "PERSON"), (19, 31, "FAC")], drop=True)
'We met in.'
>>> name_spans(["We met Margaret at the park.", "Margaret runs the park cafe."])
[[(7, 15, 'NAME')], [(0, 8, 'NAME')]]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from listenlens.themes.labels import SPACY_MODEL
from listenlens.themes.labelwords import CaseEvidence

__all__ = ["PLACEHOLDERS", "NAME_PLACEHOLDER", "MASK_MODES", "Span", "entity_spans",
           "name_spans", "mask_text", "masked_texts"]

#: spaCy entity type -> the neutral words that replace an entity of that type.
PLACEHOLDERS: Mapping[str, str] = {
    "GPE": "a place", "LOC": "a place", "FAC": "a place", "PERSON": "someone",
    "ORG": "an organisation", "NORP": "a community",
}
#: What replaces a name found by the model-free rule, which does not know its type.
NAME_PLACEHOLDER = "something"
#: ``mask_names`` values: ``"none"``; spaCy entities replaced or dropped; the capitalisation
#: rule's names replaced.
MASK_MODES = ("none", "entities", "entities-drop", "capitals")

#: A span to mask: start and end character offsets and its type.
Span = tuple[int, int, str]

_ACRONYM = re.compile(r"^[A-Z0-9&]+s?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")
_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def _proper(text: str) -> bool:
    """Whether an entity's text is a proper name: some word capitalised and not every word an
    acronym (spaCy also tags "the food bank", "english" or "GP" as entities)."""
    return any(w[:1].isupper() for w in text.split()) and not _acronyms_only(text)


def _acronyms_only(text: str) -> bool:
    """Whether every word of an entity's text is an acronym ("GP", "NHS", "A&E", "GPs")."""
    words = text.replace(".", "").split()
    return bool(words) and all(_ACRONYM.match(w) and sum(c.isupper() for c in w) >= 2
                               for w in words)


@lru_cache(maxsize=2)
def _ner(model: str) -> Any:
    """The spaCy pipeline with only its entity recogniser (it carries its own token vectors)."""
    import spacy

    nlp = spacy.load(model)
    return spacy.load(model, exclude=[p for p in nlp.pipe_names if p != "ner"])


def entity_spans(texts: Sequence[str], *, model: str = SPACY_MODEL,
                 types: Sequence[str] | None = None) -> list[list[Span]]:
    """spaCy's named entities of each text whose type is in ``types`` (default: the keys of
    :data:`PLACEHOLDERS`) and that are proper names (a capitalised word, not only acronyms)."""
    keep = set(PLACEHOLDERS if types is None else types)
    out: list[list[Span]] = []
    for doc in _ner(model).pipe([str(t) for t in texts], batch_size=256):
        out.append([(e.start_char, e.end_char, e.label_) for e in doc.ents
                    if e.label_ in keep and _proper(e.text)])
    return out


def _is_name(word: str, evidence: CaseEvidence) -> bool:
    """A word the corpus treats as a name: capitalised (not an acronym such as "PCSOs", not
    "I'm"/"I've")
    and :meth:`CaseEvidence.is_name`."""
    return (word[0].isupper() and not _acronyms_only(word)
            and not word.lower().startswith(("i'", "i’")) and evidence.is_name(word))


def name_spans(texts: Sequence[str], evidence: CaseEvidence | None = None) -> list[list[Span]]:
    """Model-free names: maximal runs of capitalised words (separated by single spaces) that
    the corpus (``evidence``, default: built from ``texts``) writes capitalised mid-sentence
    more often than in lower case; typed ``"NAME"``."""
    ev = CaseEvidence.from_texts(texts) if evidence is None else evidence
    out: list[list[Span]] = []
    for text in texts:
        spans: list[Span] = []
        for m in _WORD.finditer(text):
            if not _is_name(m.group(), ev):
                continue
            if spans and text[spans[-1][1]:m.start()] == " ":
                spans[-1] = (spans[-1][0], m.end(), "NAME")
            else:
                spans.append((m.start(), m.end(), "NAME"))
        out.append(spans)
    return out


def _tidy(text: str) -> str:
    """Spaces collapsed and none left before punctuation or at the ends."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s+([.,!?;:)])", r"\1", text).strip()


def mask_text(text: str, spans: Sequence[Span], *, drop: bool = False) -> str:
    """``text`` with each span replaced by its type's placeholder (:data:`PLACEHOLDERS`, or
    :data:`NAME_PLACEHOLDER`) or, with ``drop``, removed; a "the" just before a replaced span
    goes with it ("the Jubilee Park" -> "a place"). No spans: ``text`` unchanged."""
    if not spans:
        return text
    parts: list[str] = []
    end = 0
    for start, stop, kind in sorted(spans):
        before = text[end:start]
        if not drop:
            before = _THE.sub("", before)
        parts.append(before)
        if not drop:
            parts.append(PLACEHOLDERS.get(kind, NAME_PLACEHOLDER))
        end = stop
    parts.append(text[end:])
    return _tidy("".join(parts))


def masked_texts(texts: Sequence[str], mode: str, *, model: str = SPACY_MODEL,
                 types: Sequence[str] | None = None) -> list[str]:
    """Every text masked by ``mode`` (one of :data:`MASK_MODES`; ``"none"`` returns them as
    they are); ``types``: the entity types masked (default: all of :data:`PLACEHOLDERS`)."""
    if mode == "none":
        return list(texts)
    spans = (name_spans(texts) if mode == "capitals"
             else entity_spans(texts, model=model, types=types))
    drop = mode == "entities-drop"
    return [mask_text(t, s, drop=drop) for t, s in zip(texts, spans)]
