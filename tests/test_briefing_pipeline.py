"""End to end: load → find_themes → track → brief / community summaries → verify.

Uses the real theme finder (with the fast deterministic hashing embedder) and the real trends on
a synthetic corpus of twelve events written by the test, so it runs without model downloads.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import listenlens as ll
from conftest import write_corpus

pytestmark = pytest.mark.slow

SAID = {
    "gp": ["I rang the surgery at eight and every appointment had gone by ten past.",
           "We need evening GP appointments, people who work can't come in the day.",
           "My mum waited three weeks to see a doctor and ended up in A&E.",
           "The online booking system for the GP doesn't work on my phone.",
           "Could you make the surgery answer the phone before nine?"],
    "damp": ["The damp in the back bedroom is back and the landlord blames us.",
             "Black mould on the walls, my son's asthma is worse every winter.",
             "The housing officer should come and see the mould for themselves.",
             "We need the council to fix the windows, the condensation is terrible."],
    "bus": ["The 42 bus never comes on time so I miss my hospital appointments.",
            "There is no bus to the hospital after six in the evening.",
            "Please put a shelter at the stop, older people stand in the rain."],
    "mind": ["Young people wait a year for mental health support, that's too long.",
             "My daughter was told the waiting list for counselling is eighteen months.",
             "We need somewhere young people can talk to someone without a referral."],
}
TAILS = ["", " It's been like this for years.", " Nobody listens.", " That is the main thing.",
         " My neighbour says the same.", " It makes everything harder."]
MIX = {"Riverside Tenants": ["damp", "damp", "gp", "bus"],
       "Northfield Carers": ["gp", "gp", "bus", "mind"],
       "Eastgate Youth Forum": ["mind", "mind", "bus", "gp"]}
NAMES = ["Amina", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Hassan", "Ivy", "Jon",
         "Kemi", "Leo", "Maya", "Nadia", "Omar"]


def synthetic_corpus(root: Path) -> Path:
    """Twelve events, three communities, four quarters; a few speakers per event withhold
    consent to be quoted. Deterministic."""
    rng = random.Random(4)
    events, files, consent = [], {}, []
    for ci, (community, mix) in enumerate(MIX.items()):
        for qi, date in enumerate(["2024-02-10", "2024-05-14", "2024-08-20", "2024-11-12"]):
            eid = f"e{ci * 4 + qi + 1:02d}"
            people = rng.sample(NAMES, 9)
            lines = ["Facilitator: Thanks for coming. What matters most to you?"]
            for p in people:
                topic = rng.choice(mix)
                lines.append(f"{p}: {rng.choice(SAID[topic])}{rng.choice(TAILS)}")
            files[f"{eid}.txt"] = "\n".join(lines) + "\n"
            events.append({"event_id": eid, "community": community, "date": date,
                           "file": f"{eid}.txt", "facilitator": "Facilitator"})
            consent.append({"event_id": eid, "speaker": "*", "consent": "quote"})
            consent += [{"event_id": eid, "speaker": p, "consent": c}
                        for p, c in zip(people[:2], ("paraphrase", "aggregate"))]
    return write_corpus(root, events, files, consent)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory):  # (corpus, themes, trends)
    from listenlens.embeddings import HashingEmbedder
    from listenlens.themes import find_themes
    from listenlens.trends import track

    corpus = ll.load(synthetic_corpus(tmp_path_factory.mktemp("p") / "corpus"), progress=False)
    themes = find_themes(corpus, seed=0, embedder=HashingEmbedder())
    return corpus, themes, track(themes, n_boot=200)


def test_real_pipeline_briefing_verifies(pipeline, tmp_path: Path) -> None:
    from listenlens.briefing import brief
    from listenlens.provenance import verify

    corpus, themes, trends = pipeline
    b = brief(themes, trends, title="What we heard in 2024")
    content = b.content
    assert len(content.themes) >= 3 and content.scope.n_events == 12
    quotes = list(content.iter_quotes())
    assert quotes and all(corpus.unit(q.unit_id).consent == "quote" for q in quotes)
    assert {cr.community for cr in content.credits} == set(MIX)
    for fmt in ("html", "docx", "md"):
        report = verify(b.save(tmp_path / f"briefing.{fmt}"), corpus, strict=False)
        assert report.ok, (fmt, report.mismatches)
        assert report.n_quotes == len(quotes) and report.n_figures == len(content.themes)


def test_real_pipeline_summaries_verify(pipeline, tmp_path: Path) -> None:
    from listenlens.briefing import community_summaries
    from listenlens.provenance import verify

    corpus, themes, trends = pipeline
    paths = community_summaries(themes, trends, tmp_path)
    assert len(paths) == 2 * len(MIX)
    for path in paths:
        assert verify(path, corpus, strict=False).ok
    ev = json.loads(next(tmp_path.glob("*.evidence.json")).read_text(encoding="utf-8"))
    assert ev["quotes"] == [] and ev["figures"]
