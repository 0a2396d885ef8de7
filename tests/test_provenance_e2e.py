"""End to end: load → quote within consent → export with evidence → verify → withdraw → stale →
re-export → verify, on the example corpus (when present) and the small test corpus."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

import listenlens as ll
from conftest import EXAMPLE
from listenlens.errors import VerificationError
from listenlens.ingest.txt import match_turn
from listenlens.provenance import (
    attribution,
    build_manifest,
    evidence_block,
    figure_evidence,
    is_stale,
    quotable,
    quote_evidence,
    verify,
    withdraw,
)
from listenlens.provenance.redact import SPACY_MODEL
from listenlens.provenance.verify import document_text


@pytest.fixture(params=["small", "example"])
def corpus(request, small_corpus_dir):
    if request.param == "example":
        if not (EXAMPLE / "events.csv").is_file():
            pytest.skip("example corpus not present yet")
        return ll.load(EXAMPLE)
    return ll.load(small_corpus_dir)


def export(corpus, path: Path, nlp, max_quotes: int = 40) -> Path:
    """A minimal HTML export: per community a figure and credit line, then quotes."""
    units = corpus.units
    picked = units[quotable(units)]["unit_id"].tolist()[:max_quotes]
    quotes = [quote_evidence(uid, corpus, nlp=nlp) for uid in picked]
    figures, parts = [], []
    for community, group in units.groupby("community"):
        ids = group["unit_id"].tolist()
        fig = figure_evidence(f"people:{community}", "theme_speakers", ids, corpus)
        fig["text"] = f"{fig['value']} {'person' if fig['value'] == 1 else 'people'}"
        figures.append(fig)
        parts.append(f"<h2>{html.escape(community)}</h2><p>{fig['text']} spoke. "
                     f"{html.escape(attribution(ids, corpus))}</p>")
    parts += [f"<blockquote>{html.escape(q['shown'])}</blockquote>" for q in quotes]
    block = json.dumps(evidence_block(corpus, quotes, figures)).replace("</", "<\\/")
    path.write_text("<html><body>" + "".join(parts) + '<script type="application/json" '
                    f'id="listenlens-evidence">{block}</script></body></html>', encoding="utf-8")
    return path


def test_round_trip_with_withdrawal(corpus, nlp, tmp_path) -> None:
    first = export(corpus, tmp_path / "first.html", nlp)
    report = verify(first, corpus, nlp=nlp)
    assert report.ok and report.n_figures == corpus.units["community"].nunique()
    shown = document_text(first)
    for u in corpus.unit_records:  # nothing but redacted quote-consent text is printed
        if u.consent != "quote" and len(u.text) > 20:
            assert u.text not in shown
    raw = first.read_text(encoding="utf-8")
    withdrawn = [s for s in corpus.skip_records if s.reason == "consent-withdrawn"]
    assert withdrawn
    for skip in withdrawn:  # what withdrawn speakers said never reaches the export
        original = (Path(corpus.root) / skip.source).read_text(encoding="utf-8")
        line = original.splitlines()[skip.line - 1]
        turn = match_turn(line)
        said = line[turn.body_offset:].strip() if turn else line.strip()
        assert said not in corpus.texts[skip.source]
        assert said and said not in raw

    manifest = build_manifest(corpus, models=[SPACY_MODEL], outputs=[first])
    person = corpus.units[quotable(corpus.units)].iloc[0]
    after = withdraw(corpus, speaker_id=person["speaker_id"], event_id=person["event_id"])
    assert is_stale(manifest, after)
    with pytest.raises(VerificationError, match="stale"):
        verify(first, after, nlp=nlp)

    second = export(after, tmp_path / "second.html", nlp)
    assert verify(second, after, nlp=nlp).ok
    gone = corpus.unit(person["unit_id"])
    assert gone.text not in second.read_text(encoding="utf-8")
    assert gone.unit_id not in second.read_text(encoding="utf-8")
