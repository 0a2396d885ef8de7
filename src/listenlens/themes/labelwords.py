"""Which words may name a concern: the rule behind theme labels and descriptions.

A theme's label and its "They talked about ..." keywords should say *what* people raised, not
*where*, *when* or *who*. This module holds the pieces of that rule that do not need a parser:

- small documented word lists: :data:`TIME_WORDS` (weekdays, months, parts of the day, units of
  time), :data:`BODY_WORDS` (body parts), :data:`WHO_WORDS` (kin, age groups and other words for
  people: they say who spoke, not what about), :data:`PLACE_WORDS` (generic places: "city",
  "area", "community") and :data:`GENERIC_HEADS` (vague nouns: "thing", "problem", "group");
- the corpus's own names (:class:`LabelContext`, built by :func:`label_context` from the events'
  communities, places and facilitators and the speakers' labels as written);
- capitalisation evidence (:class:`CaseEvidence`): a word people write with a capital letter in
  the middle of a sentence more often than without ("Tuesday", "Margaret", "Jubilee") is a
  proper noun; acronyms ("GP", "NHS") are not counted as names by this evidence;
- who said what: :class:`LabelContext` maps a unit's text to its speakers, so support for a
  word or phrase is counted in *people*, not units (one talkative person repeating "my
  daughter" counts once).

:mod:`listenlens.themes.labels` adds the parser's view (spaCy entity types) for labels.

>>> ev = CaseEvidence.from_texts(["We met Margaret at the park.", "Margaret runs the park cafe."])
>>> ev.is_name("margaret"), ev.is_name("park")
(True, False)
>>> concern_word("tuesday"), concern_word("daughter"), concern_word("mould")
(False, False, True)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TIME_WORDS", "BODY_WORDS", "WHO_WORDS", "PLACE_WORDS", "GENERIC_HEADS",
           "NOT_CONCERNS", "LabelContext", "label_context", "CaseEvidence", "concern_word",
           "fold"]

def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WEEK = ("monday tuesday wednesday thursday friday saturday sunday weekday weekdays weekend "
         "weekends")
_MONTHS = ("january february march april may june july august september october november "
           "december")
#: Words for a time or a length of time: a theme is never "Tuesday" or "Days".
TIME_WORDS = _set(
    f"{_WEEK} {_MONTHS} time times day days week weeks fortnight month months year years "
    "decade decades hour hours minute minutes second seconds morning mornings afternoon "
    "afternoons evening evenings night nights today tonight yesterday tomorrow date dates "
    "season seasons spring summer autumn fall winter christmas easter o'clock am pm "
    "mondays tuesdays wednesdays thursdays fridays saturdays sundays")
#: Body parts: "Head", "Back" or "Knees" say where it hurts, not what the concern is.
BODY_WORDS = _set(
    "body bodies head heads face faces eye eyes ear ears nose mouth tooth teeth neck shoulder "
    "shoulders arm arms hand hands finger fingers leg legs knee knees foot feet toe toes hip "
    "hips back chest stomach belly skin hair heart lungs wrist wrists ankle ankles")
#: Words for people (kin, age groups, roles in a conversation): they say who, not what about.
WHO_WORDS = _set(
    "mum mums mom moms mother mothers dad dads father fathers parent parents son sons daughter "
    "daughters child children kid kids baby babies husband husbands wife wives partner partners "
    "brother brothers sister sisters grandchild grandchildren grandson grandsons granddaughter "
    "granddaughters grandmother grandma gran nan grandad grandfather family families friend "
    "friends neighbour neighbours neighbor neighbors teenager teenagers teen teens man men "
    "woman women boy boys girl girls guy guys lady ladies gentleman gentlemen folk folks "
    "adult adults youngster youngsters resident residents member members participant "
    "participants facilitator facilitators speaker speakers customer customers "
    "mate mates")
#: Generic places: "City", "Area" or "Community" name where, not what.
PLACE_WORDS = _set(
    "city cities town towns area areas village villages neighbourhood neighbourhoods "
    "neighborhood neighborhoods county counties country countries state states region regions "
    "district districts borough boroughs community communities locality place places centre "
    "center world campus campuses")
#: Nouns too vague to head a label on their own: "People", "Things", "Group"; and the
#: commonest time nouns (kept here too, as before).
GENERIC_HEADS = _set(
    "people person persons thing things stuff way ways bit bits lot lots kind sort anything "
    "something everything nothing everyone someone somebody anybody everybody one ones part "
    "parts point points reason reasons fact case cases problem problems issue issues number "
    "end side group groups question questions idea ideas example examples situation "
    "matter matters word words name names time times day days week weeks month months year "
    "years minute minutes hour hours morning mornings night nights evening evenings today "
    "tonight")
#: Spoken intensifiers, hedges and contractions typed without an apostrophe ("dont") that
#: c-TF-IDF can rate highly in one theme by chance.
_FILLER = _set(
    "anymore completely absolutely basically literally probably definitely obviously "
    "especially totally always never ever still maybe pretty quite properly exactly certainly "
    "apparently sometimes usually gonna wanna gotta okay alright dont cant wont didnt doesnt "
    "isnt wasnt arent couldnt wouldnt shouldnt im ive youre theyre thats theres")
#: Every word that may not stand for a concern on its own (label head or description keyword).
NOT_CONCERNS = TIME_WORDS | BODY_WORDS | WHO_WORDS | PLACE_WORDS | GENERIC_HEADS | _FILLER


def concern_word(word: str) -> bool:
    """Whether a lower-case word may stand for a concern on its own: not a time, body, people,
    generic-place or vague word, not a spoken filler and not a contraction ("doesn't")."""
    return word not in NOT_CONCERNS and "'" not in word and "’" not in word


def fold(word: str) -> str:
    """A light lemma for de-duplicating keywords: plural endings folded ("buses" -> "bus",
    "surgeries" -> "surgery", "bills" -> "bill").

    >>> [fold(w) for w in ("buses", "surgeries", "bills", "glass", "bus")]
    ['bus', 'surgery', 'bill', 'glass', 'bus']
    """
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("es") and w[:-2].endswith(("ch", "sh", "x", "ss", "us", "z")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]+")
_SENTENCE = re.compile(r"[.!?:;\n\"“”()]+|\s[-–—]\s")


@dataclass(frozen=True)
class CaseEvidence:
    """How often each word (lower case) is written capitalised in the middle of a sentence
    (``capital``), in lower case (``lower``) and in capitals as an acronym (``acronym``).
    Texts written mostly in capitals or in Title Case are left out: they carry no evidence."""

    capital: Mapping[str, int] = field(default_factory=dict, hash=False)
    lower: Mapping[str, int] = field(default_factory=dict, hash=False)
    acronym: Mapping[str, int] = field(default_factory=dict, hash=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> CaseEvidence:
        cap: Counter[str] = Counter()
        low: Counter[str] = Counter()
        acr: Counter[str] = Counter()
        for text in texts:
            words = _TOKEN.findall(text)
            if len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words):
                continue  # shouting or Title Case: no evidence about names
            for sentence in _SENTENCE.split(text):
                for w in _TOKEN.findall(sentence)[1:]:
                    key = w.lower()
                    if w.isupper():
                        acr[key] += 1
                    elif w[0].isupper():
                        cap[key] += 1
                    else:
                        low[key] += 1
        return cls(dict(cap), dict(low), dict(acr))

    def is_name(self, word: str) -> bool:
        """Written capitalised mid-sentence (not as an acronym) at least once and more often
        than in lower case: a proper noun ("Margaret", "Tuesday", "Jubilee")."""
        key = word.lower()
        cap = self.capital.get(key, 0)
        return cap > 0 and cap > self.lower.get(key, 0)


@dataclass(frozen=True)
class LabelContext:
    """What the corpus knows about names and speakers, for labelling.

    ``names``: names of communities, places, facilitators and speakers (as written in the
    metadata); ``speakers``: a unit's text -> the keys of the people who said it (several
    when people said the very same words). Texts not in ``speakers`` count as one person each.
    """

    names: tuple[str, ...] = ()
    speakers: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    def people(self, text: str) -> tuple[str, ...]:
        """The speaker keys of a unit's text (the text itself when it is not known)."""
        return self.speakers.get(text) or (text,)

    def name_words(self, evidence: CaseEvidence) -> frozenset[str]:
        """Lower-case words of the metadata names that the texts treat as names: written
        capitalised mid-sentence at least as often as not, or never written in lower case
        ("Millbrook" is a name word; "youth" in "Millbrook Youth Council" is not)."""
        out = set()
        for name in self.names:
            for w in _TOKEN.findall(name):
                key = w.lower()
                if len(key) > 1 and (evidence.capital.get(key, 0) >= evidence.lower.get(key, 0)
                                     or evidence.lower.get(key, 0) == 0) and key not in WHO_WORDS:
                    out.add(key)
        return frozenset(out)


def label_context(corpus: Any) -> LabelContext:
    """The :class:`LabelContext` of a corpus: names from every event's ``community``,
    ``place`` and ``facilitator`` and every unit's ``speaker`` label; speakers keyed by
    ``event_id/speaker_id`` (a unit with no speaker id is its own person)."""
    names: set[str] = set()
    for event in corpus.event_records:
        names.update(v for v in (event.community, event.place, event.facilitator) if v)
    speakers: dict[str, set[str]] = {}
    for unit in corpus.unit_records:
        if unit.speaker:
            names.add(unit.speaker)
        key = f"{unit.event_id}/{unit.speaker_id}" if unit.speaker_id else unit.unit_id
        speakers.setdefault(unit.text, set()).add(key)
    return LabelContext(tuple(sorted(names)),
                        {t: tuple(sorted(s)) for t, s in speakers.items()})


def people_using(docs: Sequence[str], context: LabelContext,
                 words_of: Callable[[str], set[str]]) -> tuple[Counter[str], int]:
    """How many distinct people used each term (``words_of(text)`` gives a text's terms), and
    how many people the texts come from."""
    by_person: dict[str, set[str]] = {}
    for text in docs:
        terms = words_of(text)
        for person in context.people(text):
            by_person.setdefault(person, set()).update(terms)
    counts: Counter[str] = Counter()
    for terms in by_person.values():
        counts.update(terms)
    return counts, len(by_person)
