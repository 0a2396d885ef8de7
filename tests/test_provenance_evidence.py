"""Evidence tables, attribution lines, the mixin, and evidence-block entries."""

from __future__ import annotations

import pytest

import listenlens as ll
from listenlens.errors import ConsentError
from listenlens.provenance import (
    Evidenced,
    EvidenceMixin,
    attribution,
    evidence,
    evidence_block,
    figure_evidence,
    quote_evidence,
)
from listenlens.provenance.evidence import EVIDENCE_COLUMNS, attribution_counts
from listenlens.provenance.redact import REDACTION_VERSION
from listenlens.spans import span_text


@pytest.fixture
def corpus(small_corpus_dir):
    return ll.load(small_corpus_dir)


def test_evidence_rows_point_at_exact_source_spans(corpus) -> None:
    ids = list(corpus.units["unit_id"])
    ev = evidence(ids[::-1], corpus)
    assert list(ev.columns) == EVIDENCE_COLUMNS
    assert list(ev["unit_id"]) == ids[::-1]  # caller's order kept
    for row in ev.itertuples():
        unit = corpus.unit(row.unit_id)
        assert span_text(corpus.texts[row.source], row.spans) == unit.text
        assert row.community == corpus.event(row.event_id).community
    with pytest.raises(KeyError, match="not in the corpus"):
        evidence(["u-missing"], corpus)
    assert evidence(["u-missing", ids[0]], corpus, strict=False)["unit_id"].tolist() == [ids[0]]


def test_attribution_counts_people_without_facilitators(corpus) -> None:
    ids = list(corpus.units["unit_id"])
    counts = attribution_counts(ids, corpus).set_index("community")
    # Riverside: Amina (e1), Ben, Amina (e2, another pseudonym), Dee; Jo is the facilitator
    assert counts.loc["Riverside", "events"] == 2
    assert counts.loc["Riverside", "people"] == 4
    # Northfield: Fatima only (Sam Lee facilitates; one line has no speaker)
    assert counts.loc["Northfield", "people"] == 1
    line = attribution(ids, corpus)
    assert line == ("Raised at 3 events by 2 communities: Riverside (2 events, 4 people), "
                    "Northfield (1 event, 1 person)")
    short = attribution(ids, corpus, verb="Heard", max_communities=1)
    assert short == "Heard at 3 events by 2 communities: Riverside (2 events, 4 people), " \
                    "and 1 other community"
    assert attribution([], corpus) == "No evidence from the corpus."


def test_mixin_and_wrapper_give_the_same_answers(corpus) -> None:
    ids = tuple(corpus.units[corpus.units["event_id"] == "e1"]["unit_id"])

    class Paragraph(EvidenceMixin):
        def __init__(self, unit_ids, c):
            self.evidence_unit_ids, self.evidence_corpus = unit_ids, c

    para = Paragraph(ids, corpus)
    wrapped = Evidenced(ids, corpus)
    assert para.attribution() == wrapped.attribution() == attribution(ids, corpus)
    assert para.evidence().equals(wrapped.evidence())
    assert para.attribution() == "Raised at 1 event by 1 community: Riverside (1 event, 2 people)"


def test_block_entries_follow_the_contract(corpus) -> None:
    units = corpus.units
    amina = units[(units["speaker"] == "Amina") & (units["event_id"] == "e1")].iloc[0]
    q = quote_evidence(amina["unit_id"], corpus)
    assert q == {"unit_id": amina["unit_id"], "shown": amina["text"], "source": "e1.txt",
                 "spans": amina["spans"], "consent": "quote"}
    s, _ = amina["spans"][0]
    part = quote_evidence(amina["unit_id"], corpus, spans=[(s, s + 8)])
    assert part["shown"] == "The damp"
    with pytest.raises(ValueError, match="not inside"):
        quote_evidence(amina["unit_id"], corpus, spans=[(0, 5)])
    dee = units[units["speaker"] == "Dee"]["unit_id"].iloc[0]
    with pytest.raises(ConsentError):
        quote_evidence(dee, corpus)
    fig = figure_evidence("theme-count:t-x", "theme_speakers", list(units["unit_id"]), corpus,
                          theme_id="t-x", text="5 people")
    assert (fig["value"], fig["theme_id"], fig["text"]) == (5, "t-x", "5 people")
    with pytest.raises(ValueError, match="unknown figure kind"):
        figure_evidence("f", "share", [], corpus)
    block = evidence_block(corpus, [q], [fig])
    assert block["input_hash"] == corpus.input_hash
    assert block["redaction"] == {"version": REDACTION_VERSION}
    assert block["listenlens_version"] == ll.__version__
