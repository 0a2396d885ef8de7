"""Names masked before embedding (``benchmarks/name_masking.py``, the measured and not adopted
variant of ``benchmarks/themes_attempts.py``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "name_masking.py"
_SPEC = importlib.util.spec_from_file_location("bench_name_masking", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
masking = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = masking
_SPEC.loader.exec_module(masking)
MASK_MODES, NAME_PLACEHOLDER = masking.MASK_MODES, masking.NAME_PLACEHOLDER
entity_spans, mask_text, masked_texts = masking.entity_spans, masking.mask_text, masking.masked_texts
name_spans = masking.name_spans

TEXTS = [
    "We walked through the Jubilee Park with Margaret from Millbrook Youth Council.",
    "The lights on the canal path are broken and the GP never rings back.",
    "Margaret says the NHS app is useless. I'm not surprised.",
]


def test_placeholders_by_type_and_the_article_goes_with_the_name() -> None:
    spans = [(22, 34, "FAC"), (40, 48, "PERSON"), (54, 77, "ORG")]
    assert mask_text(TEXTS[0], spans) == ("We walked through a place with someone from "
                                          "an organisation.")


def test_dropped_spans_leave_tidy_text() -> None:
    spans = [(22, 34, "FAC"), (40, 48, "PERSON"), (54, 77, "ORG")]
    assert mask_text(TEXTS[0], spans, drop=True) == "We walked through the with from."


def test_possessive_and_unknown_type() -> None:
    assert mask_text("Margaret's son", [(0, 8, "PERSON")]) == "someone's son"
    assert mask_text("Ask Bob.", [(4, 7, "NAME")]) == f"Ask {NAME_PLACEHOLDER}."
    assert mask_text("No names here.", []) == "No names here."


def test_spacy_entities_keep_acronyms() -> None:
    spans = entity_spans(TEXTS)
    masked = [mask_text(t, s) for t, s in zip(TEXTS, spans)]
    assert "Margaret" not in masked[0] and "Jubilee" not in masked[0]
    assert "GP" in masked[1] and "NHS" in masked[2]  # services people talk about stay


def test_capitalisation_rule_uses_the_corpus_evidence() -> None:
    spans = name_spans(TEXTS)
    found = [[t[a:b] for a, b, _ in s] for t, s in zip(TEXTS, spans)]
    # "Margaret" is a name mid-sentence in one text, so it is masked at a sentence start too
    assert found[2][0] == "Margaret"
    assert "Jubilee Park" in found[0] and "Millbrook Youth Council" in found[0]
    assert not any(w in ("GP", "NHS", "I'm", "The", "We") for f in found for w in f)


def test_modes_are_deterministic_and_none_changes_nothing() -> None:
    assert masked_texts(TEXTS, "none") == TEXTS
    for mode in MASK_MODES[1:]:
        first = masked_texts(TEXTS, mode)
        assert first == masked_texts(TEXTS, mode)
        assert first != TEXTS and first[1].count("GP") == 1


@pytest.mark.parametrize("mode", MASK_MODES[1:])
def test_text_without_names_is_untouched(mode: str) -> None:
    plain = ["the bins are not collected", "rent went up again this year"]
    assert masked_texts(plain, mode) == plain


def test_lower_case_entities_are_not_names() -> None:
    text = ["We go to the food bank every week, and the PCSOs never come to Millbrook."]
    for mode in MASK_MODES[1:]:
        masked = masked_texts(text, mode)[0]
        assert "the food bank" in masked and "PCSOs" in masked


def test_the_modules_examples_hold() -> None:
    import doctest

    failed, attempted = doctest.testmod(masking, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted >= 3 and failed == 0
