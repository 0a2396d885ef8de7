"""The README's main job end to end on the bundled example corpus, with the real model:
``listenlens analyse corpora/examples/riverside --out DIR``, then ``listenlens verify`` on every
output, and a tampered output failing."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLE
from listenlens.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("analysis") / "out"
    assert main(["analyse", str(EXAMPLE), "--out", str(out), "-q"]) == 0
    return out


def test_every_output_is_written(outputs):
    for name in ["briefing.html", "briefing.docx", "briefing.md", "tables.xlsx",
                 "manifest.json", "prov.json", "tables/themes.csv", "tables/trends.csv",
                 "tables/shifts.csv", "tables/communities.csv", "tables/quotes.csv",
                 "charts/trends-area.png", "charts/trends-heatmap.svg"]:
        assert (outputs / name).is_file(), name
    summaries = sorted(p.name for p in (outputs / "community").glob("*.html"))
    assert len(summaries) == 4
    manifest = json.loads((outputs / "manifest.json").read_text())
    text = json.dumps(manifest)
    for needle in ("all-MiniLM-L6-v2", "sentence-transformers", "bertopic", "seed"):
        assert needle.lower() in text.lower(), needle
    prov = json.loads((outputs / "prov.json").read_text())
    assert {"entity", "activity", "agent"} <= set(prov)


def test_outputs_verify_against_the_corpus(outputs, capsys):
    for name in ["briefing.html", "briefing.md", "briefing.docx", "tables/quotes.csv",
                 "tables/themes.csv", "community/millbrook-youth-council.html"]:
        assert main(["verify", str(outputs / name), str(EXAMPLE)]) == 0, name
        assert capsys.readouterr().out.startswith("verified ")


def test_a_tampered_briefing_fails_verification(outputs, tmp_path, capsys):
    evidence = json.loads((outputs / "briefing.evidence.json").read_text())
    quote = evidence["quotes"][0]["shown"]
    html = (outputs / "briefing.html").read_text(encoding="utf-8")
    from html import escape

    assert escape(quote, quote=False) in html
    tampered = tmp_path / "briefing.html"
    tampered.write_text(html.replace(escape(quote, quote=False), escape(quote[:-12] + "not at all.",
                                                                         quote=False), 1),
                        encoding="utf-8")
    assert main(["verify", str(tampered), str(EXAMPLE)]) == 1
    assert "quote" in capsys.readouterr().out.lower()
    table = tmp_path / "themes.csv"
    shutil.copy(outputs / "tables" / "themes.evidence.json", tmp_path / "themes.evidence.json")
    rows = (outputs / "tables" / "themes.csv").read_text().splitlines()
    cells = rows[1].split(",")
    n_units_col = rows[0].split(",").index("n_units")
    cells[n_units_col] = str(int(cells[n_units_col]) + 7)
    table.write_text("\n".join([rows[0], ",".join(cells), *rows[2:]]) + "\n")
    assert main(["verify", str(table), str(EXAMPLE)]) == 1


def test_withdrawn_and_non_quote_words_appear_in_no_output(outputs):
    import listenlens as ll
    from listenlens.provenance.verify import document_text

    corpus = ll.load(EXAMPLE)
    raw = (EXAMPLE / "northfield-women" / "nsw-2023-03.txt").read_text(encoding="utf-8")
    withdrawn_lines = [line.split(":", 1)[1].strip() for line in raw.splitlines()
                       if line.startswith("Hodan:")]
    assert withdrawn_lines
    not_quotable = [u.text for u in corpus if u.consent != "quote" and len(u.text) > 40]
    assert not_quotable
    checked = [path for path in outputs.rglob("*") if path.suffix in {".html", ".md", ".docx", ".csv"}]
    assert checked, "no output to check"
    for path in checked:
        body = document_text(path)
        for said in withdrawn_lines:
            assert said not in body, (path.name, said)
        for text in not_quotable:
            assert text not in body, (path.name, text)
