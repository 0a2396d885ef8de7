"""verify re-derives the briefing's power sentence and its MDC (issue 14, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

import listenlens as ll
from listenlens.provenance.verify_power import check_power
from listenlens.trends.power import minimum_detectable_change, power_evidence

EXAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "examples" / "riverside"


@pytest.fixture(scope="module")
def corpus_and_block():
    import numpy as np

    corpus = ll.load(EXAMPLE, progress=False)
    events = sorted(corpus.event_records, key=lambda e: e.event_id)
    design = [[e.event_id, e.community, str(e.date.year), 8 + i % 5]
              for i, e in enumerate(events)]
    x = np.array([int(r[2]) for r in design])
    strata = np.unique([r[1] for r in design], return_inverse=True)[1]
    T = np.array([r[3] for r in design])
    p = minimum_detectable_change(x, strata, T, base=0.2, n_sim=60, n_perm=99, seed=3)
    block = power_evidence({"period": "year", "overall": p.as_dict() | {"design": design}})
    return corpus, block


def test_power_sentence_and_mdc_re_derive(corpus_and_block):
    corpus, block = corpus_and_block
    body = (f"Methods. {block['sentence']} Quotes are exact words.",)
    assert block["sentence"].startswith(f"With {len(block['design'])} events over ")
    assert check_power({"power": block}, corpus, body) == []
    assert check_power({}, corpus, body) == []


def test_power_mismatches_are_named(corpus_and_block):
    corpus, block = corpus_and_block
    body = (block["sentence"],)
    moved = block | {"mdc": block["mdc"] + 0.001}  # same words, a figure that does not recompute
    assert any("does not recompute" in m for m in check_power({"power": moved}, corpus, body))
    more = block | {"n_events": block["n_events"] + 1}
    out = check_power({"power": more}, corpus, body)
    assert any("does not follow from its figures" in m for m in out)
    assert any("n_events" in m for m in out)
    assert any("is not in the document" in m
               for m in check_power({"power": block}, corpus, ("Nothing here.",)))
    design = [list(r) for r in block["design"]]
    design[0][0] = "no-such-event"
    design[1][2] = str(int(design[1][2]) + 1)
    out = check_power({"power": block | {"design": design}}, corpus, body)
    assert any("'no-such-event' is not in the corpus" in m for m in out)
    assert any(f"not {design[1][2]}" in m for m in out)
