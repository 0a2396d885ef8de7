"""Consent: who may be quoted, withdrawing a person or an event, and staleness afterwards."""

from __future__ import annotations

import pytest

import listenlens as ll
from listenlens.errors import ConsentError
from listenlens.provenance import (
    build_manifest,
    is_stale,
    quotable,
    quote_text,
    stale_reason,
    withdraw,
    withdrawal_log,
)


@pytest.fixture
def corpus(small_corpus_dir):
    return ll.load(small_corpus_dir)


def _uid(corpus, speaker: str, event_id: str) -> str:
    units = corpus.units
    return units[(units["speaker"] == speaker) & (units["event_id"] == event_id)]["unit_id"].iloc[0]


def test_quotable_is_quote_consent_without_facilitators(corpus) -> None:
    units = corpus.units
    mask = quotable(units)
    assert set(units[mask]["speaker"]) == {"Amina"}
    with_fac = units[quotable(units, include_facilitators=True)]
    assert set(with_fac["speaker"]) == {"Amina", "Jo"}
    assert set(with_fac["consent"]) == {"quote"}


def test_quote_text_redacts_and_refuses_non_quote_units(corpus, nlp) -> None:
    uid = _uid(corpus, "Amina", "e1")
    assert quote_text(uid, corpus, nlp=nlp) == corpus.unit(uid).text
    for speaker, event in (("Dee", "e2"), ("Ben", "e1"), ("Fatima", "e3")):
        with pytest.raises(ConsentError, match="only 'quote' units"):
            quote_text(_uid(corpus, speaker, event), corpus, nlp=nlp)


def test_withdraw_speaker_removes_units_and_their_text(corpus) -> None:
    uid = _uid(corpus, "Amina", "e1")
    original = corpus.unit(uid).text
    after = withdraw(corpus, speaker_id=corpus.unit(uid).speaker_id)
    assert uid not in set(after.units["unit_id"])
    assert len(after) == len(corpus) - 1
    assert after.n_seen == corpus.n_seen
    skip = after.skip_records[-1]
    assert (skip.reason, skip.excerpt, skip.event_id) == ("consent-withdrawn", "", "e1")
    assert original not in after.texts["e1.txt"]
    assert "landlord" not in after.texts["e1.txt"]
    assert after.check_spans() == []  # the other units still re-derive from their sources
    assert withdrawal_log(after)[0]["n_units"] == 1
    # Amina at e2 is another speaker id: still there
    assert "Still damp. Still mould." in set(after.units["text"])


def test_withdraw_by_label_reaches_every_event_or_one(corpus) -> None:
    everywhere = withdraw(corpus, speaker="amina")
    assert "Amina" not in set(everywhere.units["speaker"])
    one = withdraw(corpus, speaker="Amina", event_id="e2")
    assert set(one.units[one.units["speaker"] == "Amina"]["event_id"]) == {"e1"}


def test_withdraw_event_and_errors(corpus) -> None:
    after = withdraw(corpus, event_id="e3")
    assert "e3" not in set(after.units["event_id"])
    assert after.skipped["reason"].value_counts()["consent-withdrawn"] == 1 + 4
    with pytest.raises(ConsentError, match="nothing to withdraw"):
        withdraw(corpus, speaker="Nobody")
    with pytest.raises(TypeError):
        withdraw(corpus)


def test_outputs_built_before_a_withdrawal_are_stale(corpus) -> None:
    manifest = build_manifest(corpus, models={})
    assert not is_stale(manifest, corpus)
    assert not is_stale({"input_hash": corpus.input_hash}, corpus)
    after = withdraw(corpus, speaker="Dee")
    assert after.input_hash != corpus.input_hash
    assert is_stale(manifest, after)
    assert is_stale(corpus.input_hash, after)
    assert "1 withdrawal since load" in stale_reason(manifest, after)
    assert is_stale({}, corpus)
    rerun = build_manifest(after, models={})
    assert not is_stale(rerun, after)
    assert rerun.withdrawals[0]["speaker_ids"] == [_speaker_id(corpus, "Dee")]


def _speaker_id(corpus, speaker: str) -> str:
    return corpus.units[corpus.units["speaker"] == speaker]["speaker_id"].iloc[0]


def test_withdrawal_survives_save_and_open(corpus, tmp_path) -> None:
    after = withdraw(corpus, speaker="Dee")
    reopened = ll.open_corpus(after.save(tmp_path / "saved"))
    assert reopened.input_hash == after.input_hash
    assert "Energy bills" not in reopened.texts["e2.txt"]
    assert "Dee" not in set(reopened.units["speaker"])
