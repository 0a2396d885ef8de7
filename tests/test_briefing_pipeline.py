"""End to end: load → find_themes → track → brief / community summaries → verify.

Uses the real theme finder (with the fast deterministic hashing embedder) and the real trends on
a synthetic corpus of twelve events written by the test, so it runs without model downloads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import listenlens as ll
from planted import MIX, synthetic_corpus

pytestmark = pytest.mark.slow

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
