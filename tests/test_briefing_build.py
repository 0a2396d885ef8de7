"""build_content / brief / community summaries on a real loaded corpus with stand-in themes.

The themes and trends objects here are small stand-ins with the public shape of
``docs/design/contracts.md`` (duck typing), so these tests do not depend on model fitting.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pandas as pd
import pytest

import listenlens as ll
from conftest import write_corpus
from listenlens.briefing import (
    brief,
    build_content,
    community_summaries,
    render_html,
    render_markdown,
    save_summaries,
)
from listenlens.errors import AnalysisError

E1 = """Jo: FACILITATORTEXT welcome, tell us about the buses.
Amina: The 42 bus never comes on time and I miss my hospital appointments.
Ben: The bus stop has no shelter, we need a shelter please.
Priv: SECRETPARA the bus is always full in the morning.
Carla: Damp and mould in the flat again, the landlord does nothing.
Dev: I waited three weeks for a GP appointment.
Eli: The bus driver was kind but the bus was late again.
"""
E2 = """Jo: Thanks everyone.
Amina: Mould is back in the bedroom, the housing officer should come and see it.
Fay: Could you ask the surgery to answer the phone? Call me on 07700 900123 about the GP.
Gus: The bus timetable changed and nobody told us.
Hal: The damp makes my son's asthma worse.
Ivy: Getting a GP appointment is impossible.
"""
E3 = """Kim: <script>alert("x")</script> the GP surgery website is broken and we need a phone line.
Lou: My doctor appointment was cancelled twice.
Max: Mould on every wall of the flat.
Ned: The GP receptionist was rude.
Ola: We need more GP appointments in the evening.
"""
E4 = """Pat: The bus to the hospital takes an hour.
Quinn: Damp in the kitchen, please fix it.
"""

THEMES = {"t-transport": ("Buses and transport", r"\bbus", ["bus", "timetable", "shelter"]),
          "t-housing": ("Damp and mould", r"damp|mould", ["damp", "mould", "landlord"]),
          "t-gp": ("Getting a GP appointment", r"\bGP\b|doctor|surgery", ["GP", "appointment"])}


class StandInThemes:
    """Has the public shape of find_themes()'s result: corpus, table, assignments, quotes."""

    def __init__(self, corpus: ll.Corpus):
        self.corpus = corpus
        rows = []
        for u in corpus.unit_records:
            tid = next((t for t, (_, pat, _) in THEMES.items()
                        if re.search(pat, u.text, re.IGNORECASE)), "t-unassigned")
            rows.append({"unit_id": u.unit_id, "theme_id": tid, "probability": 0.9,
                         "primary": True})
        self.assignments = pd.DataFrame(rows)
        self.table = pd.DataFrame([{"theme_id": t, "label": lab, "keywords": kw}
                                   for t, (lab, _, kw) in THEMES.items()])
        self.params = {"seed": 0, "method": "stand-in"}

    def quotes(self, theme_id: str, n: int = 5) -> pd.DataFrame:
        # deliberately offers every unit, consent or not: the briefing must filter
        a = self.assignments
        return a[a["theme_id"] == theme_id].head(n)[["unit_id"]]


class StandInTrends:
    """Has the public shape of track()'s result: overall, shifts(), compare(), params."""

    params = {"period": "quarter"}

    def __init__(self) -> None:
        self.overall = pd.DataFrame(
            [{"period": p, "group": "All", "theme_id": t, "label": THEMES[t][0], "n": n,
              "total": 10, "share": n / 10, "ci_low": float("nan"), "ci_high": float("nan"),
              "suppressed": False}
             for p, t, n in [("2024Q1", "t-transport", 4), ("2024Q2", "t-transport", 2),
                             ("2024Q1", "t-gp", 2), ("2024Q2", "t-gp", 5),
                             ("2024Q1", "t-housing", 1), ("2024Q2", "t-housing", 3)]])

    def shifts(self) -> pd.DataFrame:
        base = {"scope": "overall", "group": "All", "early": "2024-Q1", "late": "2024-Q2",
                "label": ""}
        return pd.DataFrame([
            {**base, "theme_id": "t-housing", "status": "insufficient", "direction": "steady",
             "sentence": "Too few people.", "share_early": None, "share_late": None,
             "diff": None, "ci_low": None, "ci_high": None, "uncertainty": ""},
            {**base, "theme_id": "t-transport", "status": "steady", "direction": "steady",
             "sentence": "Transport held steady.", "share_early": 0.4, "share_late": 0.2,
             "diff": -0.2, "ci_low": -0.5, "ci_high": 0.1, "uncertainty": "Could be chance."},
            {**base, "theme_id": "t-gp", "status": "emerging", "direction": "up",
             "sentence": "GP access rose from 20% to 50%.", "share_early": 0.2,
             "share_late": 0.5, "diff": 0.3, "ci_low": 0.05, "ci_high": 0.55,
             "uncertainty": "95% interval: 5–55 points."}])

    def compare(self) -> pd.DataFrame:
        return pd.DataFrame(columns=["group", "theme_id", "status", "diff", "sentence"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ll.Corpus:
    root = write_corpus(
        tmp_path_factory.mktemp("c") / "corpus",
        [{"event_id": "e1", "community": "Northfield", "date": "2024-01-15", "file": "e1.txt",
          "facilitator": "Jo"},
         {"event_id": "e2", "community": "Northfield", "date": "2024-04-20", "file": "e2.txt",
          "facilitator": "Jo"},
         {"event_id": "e3", "community": "Riverside", "date": "2024-02-10", "file": "e3.txt"},
         {"event_id": "e4", "community": "Eastgate", "date": "2024-05-05", "file": "e4.txt"}],
        {"e1.txt": E1, "e2.txt": E2, "e3.txt": E3, "e4.txt": E4},
        consent=[{"event_id": e, "speaker": "*", "consent": "quote"} for e in ("e1", "e2", "e3")]
        + [{"event_id": "e1", "speaker": "Priv", "consent": "paraphrase"},
           {"event_id": "e3", "speaker": "Ned", "consent": "aggregate"}])
    return ll.load(root)


@pytest.fixture(scope="module")
def themes(corpus: ll.Corpus) -> StandInThemes:
    return StandInThemes(corpus)


@pytest.fixture(scope="module")
def content(themes: StandInThemes):  # BriefingContent
    return build_content(themes, StandInTrends(), title="What we heard", n_quotes=3)


def test_quotes_only_from_consenting_participants(content, corpus: ll.Corpus) -> None:
    quotes = list(content.iter_quotes())
    assert len(quotes) >= 4
    for q in quotes:
        unit = corpus.unit(q.unit_id)
        assert unit.consent == "quote" and unit.role != "facilitator"
    outputs = [render_html(content), render_markdown(content), json.dumps(content.evidence)]
    for text in outputs:
        for secret in ("SECRETPARA", "FACILITATORTEXT", "07700", "Eastgate: Damp", "Quinn"):
            assert secret not in text


def test_quotes_are_redacted_and_rederivable(content, corpus: ll.Corpus) -> None:
    from listenlens.provenance.consent import quote_text

    shown = {q["unit_id"]: q["shown"] for q in content.evidence["quotes"]}
    for uid, text in shown.items():
        assert text == quote_text(uid, corpus)
    phone = [t for t in shown.values() if "surgery to answer the phone" in t]
    assert phone and "[phone]" in phone[0]
    assert any("<script>" in t for t in shown.values())  # kept as text, escaped on output
    assert "&lt;script&gt;" in render_html(content)


def test_figures_recompute_from_their_units(content, corpus: ll.Corpus) -> None:
    assert content.evidence["figures"]
    for f in content.evidence["figures"]:
        units = [corpus.unit(u) for u in f["unit_ids"]]
        assert f["value"] == len({u.speaker_id for u in units if u.speaker_id})
        assert all(u.role != "facilitator" for u in units)
    by_theme = {t.theme_id: t for t in content.themes}
    assert by_theme["t-gp"].n_people == 7
    assert by_theme["t-transport"].n_people == 6  # facilitator Jo not counted


def test_sections_filled_from_the_inputs(content) -> None:
    assert content.scope.n_events == 4
    assert content.scope.communities == ("Eastgate", "Northfield", "Riverside")
    assert content.scope.date_from == "2024-01-15" and content.scope.date_to == "2024-05-05"
    assert [c.community for c in content.credits] == ["Eastgate", "Northfield", "Riverside"]
    # clear rises first, steady verdicts after, too-little-evidence rows left out
    assert [(x.theme_id, x.direction) for x in content.shifts] == [("t-gp", "up"),
                                                                   ("t-transport", "steady")]
    assert ("Then (2024-Q1)", "20%") in content.shifts[0].numbers
    assert content.shifts[0].number("How sure") == "95% interval: 5–55 points."
    assert content.shifts[0].label == "Getting a GP appointment"
    assert content.shift_columns()[0] == "Then (2024-Q1)"
    assert ("Change", "+30 points") in content.shifts[0].numbers
    assert content.shifts[0].uncertainty.startswith("95%")
    assert {a.theme_id for a in content.asks} >= {"t-gp", "t-transport"}
    assert all(q.unit_id for a in content.asks for q in a.examples)
    assert [c.chart_id for c in content.charts] == ["themes", "shifts"]
    assert all(c.alt.strip() and c.png.startswith(b"\x89PNG") for c in content.charts)
    assert content.evidence["input_hash"] == content.appendix.input_hash
    assert content.redaction["version"] == 1


def test_missing_inputs_fail_clearly(corpus: ll.Corpus) -> None:
    class NoAssignments:
        def __init__(self) -> None:
            self.corpus, self.table = corpus, pd.DataFrame({"theme_id": [], "label": []})

    with pytest.raises(AnalysisError, match="themes.assignments"):
        build_content(NoAssignments(), title="x")

    class BadTrends:
        def shifts(self) -> pd.DataFrame:
            return pd.DataFrame({"theme_id": ["t-gp"]})

    with pytest.raises(AnalysisError, match="sentence"):
        build_content(StandInThemes(corpus), BadTrends(), title="x")


def test_brief_saves_three_formats(tmp_path: Path, themes: StandInThemes) -> None:
    b = brief(themes, StandInTrends(), title="What we heard")
    for name in ("b.html", "b.docx", "b.md"):
        assert b.save(tmp_path / name).stat().st_size > 1000
    ev = json.loads((tmp_path / "b.evidence.json").read_text(encoding="utf-8"))
    table = b.quotes_table()
    assert set(table["unit_id"]) == {q["unit_id"] for q in ev["quotes"]}
    assert set(table["section"]) == {"theme", "ask"} and (table["consent"] == "quote").all()
    assert ev["quotes"] and ev["figures"]
    doc = docx.Document(str(tmp_path / "b.docx"))
    assert len(doc.inline_shapes) == 2


def test_community_summaries(tmp_path: Path, themes: StandInThemes) -> None:
    summaries = {s.community: s for s in community_summaries(themes)}
    assert set(summaries) == {"Eastgate", "Northfield", "Riverside"}
    small = summaries["Eastgate"]  # 2 people: counts only, no rates
    small_text = " ".join([small.intro] + [r.share_text + r.comparison for r in small.raised])
    assert "%" not in small_text and "in every 10" not in small_text
    assert "too small to compare" in small_text
    big = summaries["Northfield"]
    assert big.raised[0].label == "Buses and transport"
    assert "in every 10" in big.raised[0].share_text
    for s in summaries.values():
        for sentence in re.split(r"(?<=\.)\s", s.intro + " " + s.closing):
            assert len(sentence.split()) <= 20, sentence  # short sentences, for reading aloud
    paths = save_summaries(summaries.values(), tmp_path / "s")
    assert community_summaries(themes, None, tmp_path / "s2") == [
        tmp_path / "s2" / p.name for p in paths]
    assert sorted(p.name for p in paths) == ["eastgate.docx", "eastgate.html", "northfield.docx",
                                            "northfield.html", "riverside.docx",
                                            "riverside.html"]
    page = (tmp_path / "s" / "northfield.html").read_text(encoding="utf-8")
    evidence = json.loads(page.split('id="listenlens-evidence">')[1].split("</script>")[0])
    assert evidence["quotes"] == [] and evidence["figures"]
    doc = docx.Document(str(tmp_path / "s" / "northfield.docx"))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "You said", "We heard you"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == [
        r.label for r in summaries["Northfield"].raised]
    assert doc.styles["Normal"].font.size.pt == 16


@pytest.mark.parametrize("fmt", ["html", "docx", "md"])
def test_exports_pass_verify(tmp_path: Path, themes: StandInThemes, corpus: ll.Corpus,
                             fmt: str) -> None:
    from listenlens.provenance import verify

    path = brief(themes, StandInTrends(), title="What we heard").save(tmp_path / f"b.{fmt}")
    report = verify(path, corpus, strict=False)
    assert report.n_quotes >= 4 and report.n_figures >= 3
    assert report.ok, report.mismatches


def test_community_summary_exports_pass_verify(tmp_path: Path, themes: StandInThemes,
                                               corpus: ll.Corpus) -> None:
    from listenlens.provenance import verify

    paths = community_summaries(themes, None, tmp_path)
    assert len(paths) == 6  # 3 communities x (HTML, DOCX)
    for path in paths:
        report = verify(path, corpus, strict=False)
        assert report.ok, (path.name, report.mismatches)


def test_comparison_words_follow_the_numbers() -> None:
    from listenlens.briefing.summary import _compare_sentence

    assert _compare_sentence(6, 36, 7, 74, 5).startswith("You raised this a little more")
    assert _compare_sentence(20, 40, 10, 50, 5).startswith("You raised this more")
    assert _compare_sentence(5, 50, 20, 50, 5).startswith("Other groups raised this more")
    assert _compare_sentence(10, 50, 10, 50, 5).startswith("Other groups raised this about as")
    assert "too small to compare" in _compare_sentence(2, 4, 10, 50, 5)
    assert "only group" in _compare_sentence(2, 4, 0, 0, 5)


def test_labels_and_keywords_lose_personal_data(corpus: ll.Corpus) -> None:
    themes = StandInThemes(corpus)
    themes.table.loc[0, "label"] = "Buses (ring 07700 900123)"
    themes.table.at[0, "keywords"] = ["bus", "ann@example.org"]
    content = build_content(themes, title="x", charts=False)
    transport = next(t for t in content.themes if t.theme_id == "t-transport")
    assert transport.label == "Buses (ring [phone])"
    assert transport.keywords == ("bus", "[email]")


def test_docx_carries_its_evidence_inside(tmp_path: Path, themes: StandInThemes,
                                          corpus: ll.Corpus) -> None:
    import zipfile

    from listenlens.provenance import verify

    b = brief(themes, StandInTrends(), title="What we heard")
    path = b.save(tmp_path / "alone.docx")
    (tmp_path / "alone.evidence.json").unlink()  # sent by e-mail without its sibling
    with zipfile.ZipFile(path) as zf:
        assert "customXml/listenlens-evidence.xml" in zf.namelist()
        assert "customXml/listenlens-evidence.xml" in zf.read("[Content_Types].xml").decode() \
            or 'Extension="xml"' in zf.read("[Content_Types].xml").decode()
    assert docx.Document(str(path)).paragraphs[0].text == "What we heard"  # still opens
    report = verify(path, corpus, strict=False)
    assert report.ok and report.n_quotes == len(b.evidence["quotes"])


class RenamedTrends(StandInTrends):
    """Trends whose rows carry the theme finder's raw label and awkward shares."""

    def shifts(self) -> pd.DataFrame:
        df = super().shifts()
        df["label"] = "GP (ring 07700 900123)"
        df.loc[df["theme_id"] == "t-gp", ["share_early", "share_late"]] = [0.125, 0.004]
        return df


def test_shift_rows_use_the_briefing_labels_and_one_percentage_rule(
        themes: StandInThemes) -> None:
    content = build_content(themes, RenamedTrends(), title="x", charts=False)
    gp = next(s for s in content.shifts if s.theme_id == "t-gp")
    assert gp.label == "Getting a GP appointment"  # not the trends row's unredacted label
    assert all("07700" not in s.label for s in content.shifts)
    assert gp.number("Then (2024-Q1)") == "13%"  # half up, as trends' own sentences round
    assert gp.number("Now (2024-Q2)") == "under 1%"


def test_shifts_chart_draws_the_trends_own_figures(themes: StandInThemes) -> None:
    trends = StandInTrends()
    alt = build_content(themes, trends, title="x").chart("shifts").alt
    assert "Getting a GP appointment from 20% in 2024Q1 to 50% in 2024Q2" in alt
    trends.overall.loc[trends.overall["theme_id"] == "t-gp", "share"] = [0.3, 0.7]
    alt = build_content(themes, trends, title="x").chart("shifts").alt
    assert "Getting a GP appointment from 30% in 2024Q1 to 70% in 2024Q2" in alt


def test_compare_without_its_columns_fails_clearly(themes: StandInThemes) -> None:
    class NoSentences(StandInTrends):
        def compare(self) -> pd.DataFrame:
            return pd.DataFrame({"group": ["Riverside"], "theme_id": ["t-gp"]})

    with pytest.raises(AnalysisError, match=r"trends.compare\(\) lacks .*sentence"):
        build_content(themes, NoSentences(), title="x", charts=False)


def test_appendix_versions_come_from_the_run_manifest_rule(content) -> None:  # noqa: ANN001
    from listenlens.provenance.manifest import package_versions

    versions = dict(content.appendix.versions)
    assert list(versions)[:2] == ["listenlens", "python"]
    assert versions["pandas"] == package_versions(["pandas"])["pandas"]
    assert None not in versions.values()


def test_docx_bytes_do_not_depend_on_when_they_are_written(tmp_path: Path, content) -> None:  # noqa: ANN001
    import time

    from listenlens.briefing import render_docx

    first = render_docx(content, tmp_path / "a.docx").read_bytes()
    time.sleep(2.1)  # a zip timestamp has 2-second resolution
    assert render_docx(content, tmp_path / "b.docx").read_bytes() == first
    assert docx.Document(str(tmp_path / "b.docx")).paragraphs[0].text == "What we heard"
