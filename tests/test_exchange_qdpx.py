"""REFI-QDA exchange: .qdpx export (schema-valid, byte-stable, consent-safe), import (exact round
trip, hand-built projects, UTF-16 offsets), codebooks (.qdc), agreement, hostile archives.

Themes here are built directly from a corpus with a deterministic assignment rule (no model
fitting), so the tests run on the whole example corpus in seconds; the export code reads only
what any :class:`Themes` offers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import listenlens as ll
from conftest import EXAMPLE, shared_dir
from listenlens.errors import ParseError
from listenlens.exchange import (
    Limits,
    UnsafeArchiveError,
    agreement,
    cohen_kappa,
    load_qdpx,
    read_qdc,
    write_qdc,
)
from listenlens.exchange.guids import guid
from listenlens.exchange.offsets import convert_spans, detect_unit, to_utf16
from listenlens.ids import stable_hash
from listenlens.records import Event, Source, Unit
from listenlens.spans import span_text
from listenlens.themes import HOUSEKEEPING, UNASSIGNED, Themes
from listenlens.themes.codebook import Codebook, codebook_theme_id

LABELS = {"t-00000a01": "Damp and mould", "t-00000a02": "Buses", "t-00000a03": "GP access",
          "t-00000a04": "Youth spaces", "t-00000a05": "Cost of living"}


def make_themes(corpus: ll.Corpus, log: list | None = None) -> Themes:
    """Themes over every unit of ``corpus``: a primary theme, sometimes a secondary one, some
    unassigned, facilitator units sometimes housekeeping; all from a hash of the unit id."""
    ids = sorted(LABELS)
    moved = {u: e["args"]["to_theme"] for e in (log or []) for u in e["args"]["unit_ids"]}
    rows = []
    for u in corpus.unit_records:
        h = int(stable_hash(u.unit_id, length=8), 16)
        if u.role == "facilitator" and h % 3 == 0:
            rows.append((u.unit_id, HOUSEKEEPING, 1.0, True))
            continue
        if h % 7 == 0 and u.unit_id not in moved:
            rows.append((u.unit_id, UNASSIGNED, round((h % 100) / 400, 6), True))
            continue
        first = moved.get(u.unit_id, ids[h % len(ids)])
        rows.append((u.unit_id, first, 1.0 if u.unit_id in moved else round(0.3 + (h % 61) / 100, 6),
                     True))
        if h % 4 == 0:
            rows.append((u.unit_id, ids[(h // 5) % len(ids)], round((h % 29) / 100, 6), False))
    a = pd.DataFrame(rows, columns=["unit_id", "theme_id", "probability", "primary"])
    a = a.drop_duplicates(["unit_id", "theme_id"])
    uids = [u.unit_id for u in corpus.unit_records]
    return Themes(corpus, unit_ids=uids, embeddings=np.zeros((len(uids), 4), np.float32),
                  assignments=a, labels=LABELS,
                  keywords={t: LABELS[t].lower().split() for t in ids},
                  centroids={t: np.ones(4, np.float32) / 2 for t in ids}, params={},
                  log=log or [])


@pytest.fixture(scope="module")
def example() -> tuple[Themes, list[str]]:
    corpus = ll.load(EXAMPLE, progress=False)
    moved = [u.unit_id for u in corpus.unit_records if u.role == "participant"][:3]
    log = [{"op": "move", "args": {"unit_ids": moved, "to_theme": "t-00000a02"},
            "when": "2025-03-04T10:00:00+00:00", "who": "amina", "why": "about buses",
            "result": {}}]
    return make_themes(corpus, log), moved


@pytest.fixture(scope="module")
def exported(example, tmp_path_factory) -> Path:
    return example[0].to_qdpx(tmp_path_factory.mktemp("qdpx") / "example.qdpx")


def schema():
    xmlschema = pytest.importorskip("xmlschema")
    shared = shared_dir()
    xsd = shared / "standards" / "refi-qda" / "Project.xsd" if shared else None
    if xsd is None or not xsd.is_file():
        pytest.skip("Project.xsd (../shared/standards/refi-qda) not available")
    return xmlschema.XMLSchema(str(xsd))


def all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())


def unit_view(corpus: ll.Corpus) -> dict[str, tuple]:
    return {u.unit_id: (u.text, u.spans, u.event_id, u.source, u.line, u.speaker_id, u.role,
                        u.consent, u.kind, u.time_start, u.time_end) for u in corpus}


def sorted_assignments(a: pd.DataFrame) -> pd.DataFrame:
    cols = ["unit_id", "theme_id", "probability", "primary"]
    return a[cols].sort_values(["unit_id", "theme_id"]).reset_index(drop=True)


# --- export ------------------------------------------------------------------------------------
def test_example_export_is_valid_against_project_xsd(exported):
    with zipfile.ZipFile(exported) as zf:
        names = zf.namelist()
        xml = zf.read("project.qde").decode("utf-8")
    schema().validate(xml)
    assert names == sorted(names) and names[0] == "project.qde"
    assert all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:])
    assert 'name="riverside-tenants/rta-2023-02.txt"' in xml      # named as the researcher knows it


def test_export_holds_codes_cases_variables_and_selections(example, exported):
    themes, _ = example
    project = load_qdpx(exported)
    codes = project.codes.set_index("theme_id")
    for tid, label in LABELS.items():
        assert codes.loc[tid, "label"] == label
        assert codes.loc[tid, "colour"] == ll.theme_colours([*LABELS, HOUSEKEEPING])[tid]
        n = int(themes.table.set_index("theme_id").loc[tid, "n_units"])
        assert f"{n} units" in codes.loc[tid, "description"]
    assert HOUSEKEEPING in codes.index
    xml = zipfile.ZipFile(exported).read("project.qde").decode("utf-8")
    for var in ("community", "date", "place", "format", "speaker", "role", "consent"):
        assert f'name="{var}"' in xml
    multi = [u for u in themes.corpus if len(u.spans) > 1]
    assert multi, "the example corpus has multi-span units"
    u = multi[0]
    assert xml.count(f'name="{u.unit_id} (') == len(u.spans)    # one selection per span


def test_same_analysis_gives_byte_identical_archive(example, exported, tmp_path):
    again = example[0].to_qdpx(tmp_path / "again.qdpx")
    assert hashlib.sha256(again.read_bytes()).digest() == \
        hashlib.sha256(exported.read_bytes()).digest()
    with zipfile.ZipFile(again) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_guids_are_stable_and_derived_from_content_ids(example, exported):
    xml = zipfile.ZipFile(exported).read("project.qde").decode("utf-8")
    tid = sorted(LABELS)[0]
    assert f'guid="{guid("theme", tid)}"' in xml
    uid = example[0].corpus.unit_records[5].unit_id
    assert f'guid="{guid("selection", uid, 0)}"' in xml


def test_export_of_the_example_takes_at_most_5_seconds(example, tmp_path):
    themes, _ = example
    best = float("inf")
    for i in range(2):
        start = time.perf_counter()
        themes.to_qdpx(tmp_path / f"t{i}.qdpx")
        best = min(best, time.perf_counter() - start)
    print(f"export of the example corpus ({len(themes.corpus)} units): {best:.2f} s")
    assert best <= 5.0


def test_human_decisions_are_created_by_their_user(example, exported):
    project = load_qdpx(exported)
    human = project.human_codings
    assert set(human["unit_id"]) == set(example[1])
    assert set(human["user"]) == {"amina"}
    assert set(human["theme_id"]) >= {"t-00000a02"}
    assert not project.codings.loc[~project.codings["human"], "user"].str.contains("amina").any()


# --- round trip --------------------------------------------------------------------------------
def test_round_trip_is_exact_on_the_example(example, exported):
    themes, _ = example
    back = load_qdpx(exported)
    assert back.corpus.check_spans() == []
    assert unit_view(back.corpus) == unit_view(themes.corpus)
    assert {e.event_id: e for e in back.corpus.event_records} == \
        {e.event_id: e for e in themes.corpus.event_records}
    a, b = themes.corpus.units, back.corpus.units
    assert dict(zip(a.unit_id, a.community)) == dict(zip(b.unit_id, b.community))
    assert sorted_assignments(back.assignments).equals(sorted_assignments(themes.assignments))
    assert back.offsets and set(back.offsets.values()) == {"characters"}


def synthetic_corpus() -> ll.Corpus:
    """Two sources in Somali, Arabic, Chinese and emoji, with multi-span units."""
    texts = {
        "a.vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Caasha>Baska 🚌 ma yimaado &amp; "
                 "waqti\n\n00:02.000 --> 00:03.000\n<v Caasha>dheer baan sugnaa 😤 每天\n",
        "notes/b.txt": "Layla: الحافلة متأخرة دائما 🙁 — café naïve\nOmar: 医生 appointments 👩🏽‍⚕️ "
                       "take weeks\nLayla: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 housing: damp 🏚️ everywhere\n",
    }
    spans = {
        "a.vtt": [[(texts["a.vtt"].index("Baska"), texts["a.vtt"].index("waqti") + 6),
                   (texts["a.vtt"].index("dheer"), texts["a.vtt"].index("每天") + 2)]],
        "notes/b.txt": [],
    }
    b = texts["notes/b.txt"]
    for line in b.splitlines():
        start = b.index(line) + line.index(":") + 2
        spans["notes/b.txt"].append([(start, b.index(line) + len(line))])
    # one multi-span unit inside a line: the words around the em dash
    first = b.index("الحافلة")
    spans["notes/b.txt"].append([(first, first + 7), (b.index("café"), b.index("café") + 10)])
    events = [Event("s1", "Somali Women's Group", dt.date(2024, 5, 1), "Library", "focus group",
                    files=("a.vtt",), metadata={"language": "so"}),
              Event("s2", "Arabic speakers", dt.date(2024, 6, 2), "Hall", "drop-in",
                    files=("notes/b.txt",))]
    escape = {"a.vtt": "html", "notes/b.txt": "none"}
    sources = [Source(p, hashlib.sha256(t.encode()).hexdigest(), p.rsplit(".", 1)[1], "utf-8",
                      "valid UTF-8", len(t), "s1" if p == "a.vtt" else "s2", escape[p])
               for p, t in texts.items()]
    units = []
    for path, groups in spans.items():
        for i, sp in enumerate(groups):
            body = span_text(texts[path], sp, escape[path])
            who = f"sp-{i % 2}"
            units.append(Unit(f"u-{path[0]}{i}", "s1" if path == "a.vtt" else "s2", body, path,
                              sources[0 if path == "a.vtt" else 1].sha256, tuple(sp), sp[0][0],
                              sp[-1][1], texts[path].count("\n", 0, sp[0][0]) + 1,
                              speaker=who, speaker_id=who, role="participant", consent="quote",
                              time_start=1.0 if path == "a.vtt" else None,
                              time_end=3.0 if path == "a.vtt" else None))
    corpus = ll.Corpus(events, units, [], sources, texts=texts)
    assert corpus.check_spans() == []
    return corpus


@pytest.mark.parametrize("offsets", ["characters", "utf16"])
def test_round_trip_is_exact_with_multi_span_units_and_non_bmp_text(offsets, tmp_path):
    corpus = synthetic_corpus()
    themes = make_themes(corpus)
    path = themes.to_qdpx(tmp_path / "s.qdpx", offsets=offsets)
    schema().validate(zipfile.ZipFile(path).read("project.qde").decode("utf-8"))
    back = load_qdpx(path)
    assert back.corpus.check_spans() == []
    assert unit_view(back.corpus) == unit_view(corpus)
    assert back.corpus.texts == corpus.texts
    assert sorted_assignments(back.assignments).equals(sorted_assignments(themes.assignments))
    assert set(back.offsets.values()) == {offsets}
    assert back.corpus.event("s1").metadata == {"language": "so"}


# --- consent -----------------------------------------------------------------------------------
def test_withdrawn_speakers_words_are_never_in_the_archive(tmp_path):
    corpus = ll.load(EXAMPLE, progress=False)
    speaker = next(u for u in corpus if u.role == "participant" and len(u.text) > 40).speaker_id
    gone = [u for u in corpus if u.speaker_id == speaker]
    after = ll.withdraw(corpus, speaker_id=speaker)
    path = make_themes(after).to_qdpx(tmp_path / "w.qdpx")
    text = all_text(path)
    assert all(u.text not in " ".join(text.split()) for u in gone if len(u.text) > 20)
    assert speaker not in text
    before = all_text(make_themes(corpus).to_qdpx(tmp_path / "before.qdpx"))
    assert any(u.text in " ".join(before.split()) for u in gone)     # the check can fail


def test_redacted_export_hides_personal_data_and_keeps_offsets_exact(tmp_path):
    texts = {"e.txt": "Ann Smith: Call me on 07700 900123 about the damp.\n"
                      "Bob Jones: Email bob@example.org, the bus is late.\n"
                      "Cy Long: My rent went up again.\n"}
    t = texts["e.txt"]
    spans = [((t.index("Call"), t.index("damp.") + 5),), ((t.index("Email"), t.index("late.") + 5),),
             ((t.index("My rent"), t.index("again.") + 6),)]
    consent = ["quote", "quote", "paraphrase"]
    src = Source("e.txt", "0" * 64, "txt", "utf-8", "", len(t), "e1")
    units = [Unit(f"u-{i}", "e1", span_text(t, sp), "e.txt", "0" * 64, sp, sp[0][0], sp[0][1],
                  i + 1, speaker_id=f"sp-{i}", role="participant", consent=consent[i])
             for i, sp in enumerate(spans)]
    corpus = ll.Corpus([Event("e1", "Riverside", dt.date(2024, 1, 1))], units, [], [src],
                       texts=texts)
    path = make_themes(corpus).to_qdpx(tmp_path / "r.qdpx", redact=True, nlp=False)
    schema().validate(zipfile.ZipFile(path).read("project.qde").decode("utf-8"))
    text = all_text(path)
    for secret in ("07700 900123", "bob@example.org", "Ann Smith", "Bob Jones", "rent went up"):
        assert secret not in text
    back = load_qdpx(path)
    got = {u.unit_id: u.text for u in back.corpus}
    assert got["u-0"] == "Call me on [phone] about the damp."
    assert got["u-1"] == "Email [email], the bus is late."
    assert got["u-2"] == "[consent: paraphrase]"
    assert back.corpus.check_spans() == []
    source = next(iter(back.corpus.texts.values()))
    assert source.startswith("sp-0: Call me on [phone]")


# --- import of a project made elsewhere ---------------------------------------------------------
HAND_TEXT_1 = "Interviewer: How do you get to the surgery?\nAsha: The bus 🚌 is always late.\n"
HAND_TEXT_2 = "Ben: Trains are fine but the GP is hard to reach.\n"
G = {k: f"00000000-0000-4000-8000-{i:012d}" for i, k in enumerate(
    ["user", "transport", "buses", "trains", "health", "var_comm", "var_date", "case1", "case2",
     "src1", "src2", "sel1", "sel2", "sel3", "c1", "c2", "c3", "c4"], start=1)}


def hand_built_qde(start_bus: int, end_bus: int) -> str:
    s2, e2 = HAND_TEXT_2.index("Trains"), HAND_TEXT_2.index("fine") + 4
    s3, e3 = HAND_TEXT_2.index("the GP"), HAND_TEXT_2.index("reach") + 5
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Hand-built" origin="Some QDA tool 1.0">
  <Users><User guid="{G['user']}" name="Rosa"/></Users>
  <CodeBook><Codes>
    <Code guid="{G['transport']}" name="Transport" isCodable="false" color="#336699">
      <Description>Getting around</Description>
      <Code guid="{G['buses']}" name="Buses" isCodable="true"><Description>Bus services</Description></Code>
      <Code guid="{G['trains']}" name="Trains" isCodable="true"/>
    </Code>
    <Code guid="{G['health']}" name="Health" isCodable="true"><Description>GP and NHS</Description></Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{G['var_comm']}" name="community" typeOfVariable="Text"/>
    <Variable guid="{G['var_date']}" name="date" typeOfVariable="Date"/>
  </Variables>
  <Cases>
    <Case guid="{G['case1']}" name="Group A">
      <VariableValue><VariableRef targetGUID="{G['var_comm']}"/><TextValue>Eastgate</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{G['var_date']}"/><DateValue>2024-03-05</DateValue></VariableValue>
      <SourceRef targetGUID="{G['src1']}"/>
    </Case>
    <Case guid="{G['case2']}" name="Group B">
      <VariableValue><VariableRef targetGUID="{G['var_comm']}"/><TextValue>Northfield</TextValue></VariableValue>
      <SourceRef targetGUID="{G['src2']}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{G['src1']}" name="interview one.txt" plainTextPath="internal://{G['src1']}.txt">
      <PlainTextSelection guid="{G['sel1']}" name="late bus" startPosition="{start_bus}" endPosition="{end_bus}" creatingUser="{G['user']}">
        <Coding guid="{G['c1']}" creatingUser="{G['user']}"><CodeRef targetGUID="{G['buses']}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{G['src2']}" name="interview two.txt" plainTextPath="internal://{G['src2']}.txt">
      <PlainTextSelection guid="{G['sel2']}" name="trains" startPosition="{s2}" endPosition="{e2}" creatingUser="{G['user']}">
        <Coding guid="{G['c2']}" creatingUser="{G['user']}"><CodeRef targetGUID="{G['trains']}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{G['sel3']}" name="gp" startPosition="{s3}" endPosition="{e3}" creatingUser="{G['user']}">
        <Coding guid="{G['c3']}" creatingUser="{G['user']}"><CodeRef targetGUID="{G['health']}"/></Coding>
        <Coding guid="{G['c4']}" creatingUser="{G['user']}"><CodeRef targetGUID="{G['transport']}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""


def write_zip(path: Path, entries: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def hand_built(tmp_path: Path, unit: str) -> Path:
    bus = HAND_TEXT_1.index("The bus")
    end = HAND_TEXT_1.index("late.") + 5
    start_bus, end_bus = ((bus, end) if unit == "characters"
                          else (to_utf16(HAND_TEXT_1, bus), to_utf16(HAND_TEXT_1, end)))
    return write_zip(tmp_path / f"hand-{unit}.qdpx", {
        "project.qde": hand_built_qde(start_bus, end_bus),
        f"sources/{G['src1']}.txt": HAND_TEXT_1.encode(),
        f"sources/{G['src2']}.txt": HAND_TEXT_2.encode()})


@pytest.mark.parametrize("unit", ["characters", "utf16"])
def test_hand_built_project_imports_every_code_and_span(unit, tmp_path):
    path = hand_built(tmp_path, unit)
    schema().validate(zipfile.ZipFile(path).read("project.qde").decode("utf-8"))
    project = load_qdpx(path)
    codes = project.codes.set_index("name")
    assert list(project.codes["path"]) == ["Transport", "Transport / Buses", "Transport / Trains",
                                           "Health"]
    assert codes.loc["Buses", "parent"] == "Transport" and codes.loc["Buses", "depth"] == 1
    assert codes.loc["Transport", "colour"] == "#336699" and not codes.loc["Transport", "codable"]
    assert codes.loc["Health", "theme_id"] == codebook_theme_id("Health")
    assert project.codebook.names == ["Buses", "Trains", "Health"]
    assert project.codebook.codes[0].description == "Bus services"
    texts = {u.text: u for u in project.corpus}
    assert set(texts) == {"The bus 🚌 is always late.", "Trains are fine",
                          "the GP is hard to reach"}
    bus = texts["The bus 🚌 is always late."]
    assert HAND_TEXT_1[bus.char_start:bus.char_end] == bus.text
    assert project.offsets["interview one.txt"] == unit
    events = {e.event_id: e for e in project.corpus.event_records}
    assert events[bus.event_id].community == "Eastgate"
    assert events[bus.event_id].date == dt.date(2024, 3, 5)
    assert events[texts["Trains are fine"].event_id].community == "Northfield"
    coded = project.codings.groupby("unit_id")["code"].agg(sorted).to_dict()
    assert coded[bus.unit_id] == ["Buses"]
    assert coded[texts["the GP is hard to reach"].unit_id] == ["Health", "Transport"]
    assert set(project.codings["user"]) == {"Rosa"} and project.codings["human"].all()
    assert project.corpus.check_spans() == []


def test_lines_mode_makes_every_line_a_unit_and_carries_codings(tmp_path):
    project = load_qdpx(hand_built(tmp_path, "characters"), units="lines")
    assert len(project.corpus) == 3
    by_text = {u.text: u.unit_id for u in project.corpus}
    coded = project.codings.groupby("unit_id")["code"].agg(sorted).to_dict()
    assert coded[by_text["Ben: Trains are fine but the GP is hard to reach."]] == \
        ["Health", "Trains", "Transport"]
    assert by_text["Interviewer: How do you get to the surgery?"] not in coded


def test_offset_detection_reads_selections_against_the_text():
    text = "😀😀 the bus never comes"
    chars = [(text.index("bus"), text.index("bus") + 3)]
    utf16 = [(to_utf16(text, s), to_utf16(text, e)) for s, e in chars]
    assert detect_unit(text, chars) == "characters"
    assert detect_unit(text, utf16) == "utf16"
    assert convert_spans(text, utf16, "utf16") == chars
    assert detect_unit("plain text", [(0, 5)]) == "characters"
    with pytest.raises(ValueError):
        convert_spans(text, [(1, 3)], "utf16")                  # inside a surrogate pair


# --- codebooks ---------------------------------------------------------------------------------
def test_qdc_codebook_round_trip_and_codebook_loader(example, exported, tmp_path):
    themes, _ = example
    qdc = write_qdc(themes, tmp_path / "themes.qdc", parents={"t-00000a03": "t-00000a05"})
    table = read_qdc(qdc)
    assert set(table["theme_id"]) == {*LABELS, HOUSEKEEPING}
    assert table.set_index("theme_id").loc["t-00000a03", "parent"] == "Cost of living"
    book = ll.load_codebook(qdc)
    assert set(book.names) == {*LABELS.values(), "Facilitator housekeeping"}
    assert set(ll.load_codebook(exported).names) == set(book.names)
    hand = ll.load_codebook(hand_built(tmp_path, "characters"))
    assert hand.names == ["Buses", "Trains", "Health"]


def test_codebook_themes_keep_their_original_description(tmp_path):
    corpus = synthetic_corpus()
    book = Codebook.from_records(
        [{"name": "Buses", "description": "Bus routes, fares and waits."}])
    themes = make_themes(corpus)
    tid = codebook_theme_id("Buses")
    a = themes.assignments.copy()
    a.loc[a["theme_id"] == "t-00000a02", "theme_id"] = tid
    labels = {**{k: v for k, v in LABELS.items() if k != "t-00000a02"}, tid: "Buses"}
    themes = Themes(corpus, unit_ids=themes.unit_ids, embeddings=themes.embeddings,
                    assignments=a, labels=labels, keywords={}, centroids={}, params={},
                    origin={tid: "codebook"})
    table = read_qdc(write_qdc(themes, tmp_path / "c.qdc", codebook=book)).set_index("theme_id")
    assert table.loc[tid, "description"].startswith("Bus routes, fares and waits.")


# --- agreement ---------------------------------------------------------------------------------
def test_cohen_kappa_matches_sklearn():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(0)
    a, b = rng.random(200) < 0.3, rng.random(200) < 0.4
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert np.isnan(cohen_kappa([0, 0], [0, 0]))


def test_agreement_per_code_and_overall(tmp_path):
    project = load_qdpx(hand_built(tmp_path, "characters"))
    same = project.assignments
    perfect = project.agreement(same, secondary=True).set_index("theme_id")
    assert perfect.loc["overall", "kappa"] == pytest.approx(1.0)
    wrong = same.assign(theme_id=same["theme_id"].iloc[::-1].to_numpy())
    worse = agreement(project.human_codings, wrong, secondary=True).set_index("theme_id")
    assert worse.loc["overall", "kappa"] < 1.0
    assert perfect.loc[codebook_theme_id("Health"), "label"] == "Health"


# --- hostile archives --------------------------------------------------------------------------
def test_zip_bomb_is_refused(tmp_path):
    path = write_zip(tmp_path / "bomb.qdpx", {"project.qde": b"<Project name='x'/>",
                                              "sources/a.txt": b"\0" * (8 * 2**20)})
    with pytest.raises(UnsafeArchiveError, match="sources/a.txt"):
        load_qdpx(path, limits=Limits(max_entry_bytes=2**20))
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        load_qdpx(path, limits=Limits(max_ratio=50))


def test_lying_size_header_is_stopped_while_decompressing(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", b"<Project name='x'/>" + b" " * (3 * 2**20))
    data = bytearray(buf.getvalue())
    # rewrite the declared size in the central directory to 100 bytes
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (100).to_bytes(4, "little")
    path = tmp_path / "liar.qdpx"
    path.write_bytes(bytes(data))
    with pytest.raises((UnsafeArchiveError, ParseError)):
        load_qdpx(path, limits=Limits(max_entry_bytes=2**20))


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt",
                                  "C:\\evil.txt"])
def test_paths_outside_the_archive_are_refused(name, tmp_path):
    path = write_zip(tmp_path / "slip.qdpx", {"project.qde": b"<Project name='x'/>", name: b"x"})
    with pytest.raises(UnsafeArchiveError, match="outside the archive"):
        load_qdpx(path)


def test_source_path_escaping_the_archive_is_refused(tmp_path):
    qde = hand_built_qde(0, 5).replace(f"internal://{G['src1']}.txt", "internal://../../etc.txt")
    path = write_zip(tmp_path / "p.qdpx", {"project.qde": qde})
    with pytest.raises(UnsafeArchiveError, match="outside the archive"):
        load_qdpx(path)


XXE = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""
LAUGHS = ("<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'>"
          "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]>"
          "<Project name='&c;'/>")


@pytest.mark.parametrize("xml", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_entities_and_dtds_are_refused(xml, tmp_path):
    path = write_zip(tmp_path / "x.qdpx", {"project.qde": xml})
    with pytest.raises(UnsafeArchiveError, match="not allowed"):
        load_qdpx(path)


def test_huge_xml_is_refused(tmp_path):
    path = write_zip(tmp_path / "big.qdpx",
                     {"project.qde": "<Project name='x'>" + "<Users/>" * 5000 + "</Project>"})
    with pytest.raises(UnsafeArchiveError, match="over the limit"):
        load_qdpx(path, limits=Limits(max_xml_bytes=10_000))


def test_broken_inputs_fail_with_a_clear_error(tmp_path):
    not_zip = tmp_path / "n.qdpx"
    not_zip.write_text("hello")
    with pytest.raises(ParseError, match="not a ZIP"):
        load_qdpx(not_zip)
    with pytest.raises(ParseError, match="no project.qde"):
        load_qdpx(write_zip(tmp_path / "e.qdpx", {"other.xml": b"<a/>"}))
    with pytest.raises(ParseError, match=r"e2\.qdpx:project\.qde:2: malformed XML"):
        load_qdpx(write_zip(tmp_path / "e2.qdpx", {"project.qde": b"<Project>\n<oops></Project>"}))
    missing = hand_built_qde(0, 5)
    with pytest.raises(ParseError, match="not in the archive"):
        load_qdpx(write_zip(tmp_path / "m.qdpx", {"project.qde": missing}))


def test_selection_outside_the_text_is_a_recorded_skip(tmp_path):
    path = write_zip(tmp_path / "o.qdpx", {
        "project.qde": hand_built_qde(500, 510),
        f"sources/{G['src1']}.txt": HAND_TEXT_1.encode(),
        f"sources/{G['src2']}.txt": HAND_TEXT_2.encode()})
    project = load_qdpx(path, offsets="characters")
    assert project.corpus.skip_reasons() == {"selection-out-of-range": 1}
    assert len(project.corpus) == 2


# --- command line ------------------------------------------------------------------------------
def test_cli_export_qdpx_from_a_saved_themes_folder(example, exported, tmp_path, capsys):
    from listenlens.cli import main

    themes, _ = example
    themes.save(tmp_path / "themes")
    assert main(["export-qdpx", str(tmp_path / "themes"), str(tmp_path / "cli.qdpx")]) == 0
    assert (tmp_path / "cli.qdpx").read_bytes() == exported.read_bytes()
    assert "written to" in capsys.readouterr().out
    (tmp_path / "nothing").mkdir()
    assert main(["export-qdpx", str(tmp_path / "nothing"), str(tmp_path / "x.qdpx")]) == 2
    assert "no themes here" in capsys.readouterr().err


def test_agreement_lines_up_a_rerun_seeded_with_the_imported_codebook(example, exported):
    project = load_qdpx(exported)
    moved = example[1]
    units = [u.unit_id for u in project.corpus]
    seeded = codebook_theme_id("Buses")            # the id a re-run seeded with the codebook uses
    rows = [(u, seeded if u in moved else "t-00000a01", 1.0, True) for u in units]
    rerun = pd.DataFrame(rows, columns=["unit_id", "theme_id", "probability", "primary"])
    table = project.agreement(rerun).set_index("theme_id")
    assert table.loc[seeded, "n_both"] == len(moved) == table.loc[seeded, "n_reference"]
    assert table.loc[seeded, "kappa"] == pytest.approx(1.0)
    assert table.loc[seeded, "label"] == "Buses"


def test_human_codings_apply_as_logged_review_decisions(tmp_path):
    corpus = synthetic_corpus()
    themes = make_themes(corpus)
    target = sorted(LABELS)[2]
    units = [u.unit_id for u in corpus if themes.primary()[u.unit_id] != target][:2]
    assert len(units) == 2
    log = [{"op": "move", "args": {"unit_ids": units, "to_theme": target},
            "when": "2025-01-01T00:00:00+00:00", "who": "rosa", "why": "", "result": {}}]
    reviewed = make_themes(corpus, log)
    project = load_qdpx(reviewed.to_qdpx(tmp_path / "r.qdpx"))
    applied, skipped = project.apply_decisions(themes)
    assert skipped == []
    assert applied.primary()[units].tolist() == [target, target]
    assert applied.log[-1]["who"] == "rosa" and applied.log[-1]["op"] == "move"


def test_theme_hierarchy_exports_as_nested_codes(tmp_path):
    themes = make_themes(synthetic_corpus())
    parent, child = sorted(LABELS)[:2]
    path = themes.to_qdpx(tmp_path / "h.qdpx", parents={child: parent})
    schema().validate(zipfile.ZipFile(path).read("project.qde").decode("utf-8"))
    codes = load_qdpx(path).codes.set_index("theme_id")
    assert codes.loc[child, "parent"] == LABELS[parent] and codes.loc[child, "depth"] == 1
    assert codes.loc[child, "path"] == f"{LABELS[parent]} / {LABELS[child]}"
    with pytest.raises(ll.ListenlensError, match="not in the analysis"):
        themes.to_qdpx(tmp_path / "bad.qdpx", parents={child: "t-nope"})
    with pytest.raises(ll.ListenlensError, match="cycle"):
        themes.to_qdpx(tmp_path / "cycle.qdpx", parents={child: parent, parent: child})


def test_a_withdrawn_unit_left_in_a_corpus_stops_the_export(tmp_path):
    corpus = synthetic_corpus()
    bad = [u if i else Unit(**{**{f: getattr(u, f) for f in u.__slots__}, "consent": "withdrawn"})
           for i, u in enumerate(corpus.unit_records)]
    themes = make_themes(ll.Corpus(corpus.event_records, bad, [], corpus.source_records,
                                   texts=corpus.texts))
    with pytest.raises(ll.ConsentError, match="withdrawn"):
        themes.to_qdpx(tmp_path / "w.qdpx")
    assert not (tmp_path / "w.qdpx").exists()


def test_malformed_listenlens_lines_in_descriptions_are_ignored_safely(tmp_path):
    bad = ('<Description>edited\n[listenlens] {"unit_id": 5, "part": "x", "line": -3, '
           '"codings": "oops", "time": [1, "a"]}</Description>')
    qde = hand_built_qde(0, 5).replace(
        f'creatingUser="{G["user"]}">\n        <Coding guid="{G["c1"]}"',
        f'creatingUser="{G["user"]}">{bad}\n        <Coding guid="{G["c1"]}"', 1)
    opening = f'plainTextPath="internal://{G["src1"]}.txt">'
    qde = qde.replace(opening, opening + '<Description>[listenlens] {"escape": "rot13"}'
                      '</Description>', 1)
    path = write_zip(tmp_path / "m.qdpx", {"project.qde": qde,
                                           f"sources/{G['src1']}.txt": HAND_TEXT_1.encode(),
                                           f"sources/{G['src2']}.txt": HAND_TEXT_2.encode()})
    project = load_qdpx(path, offsets="characters")
    unit = next(u for u in project.corpus if u.source == "interview one.txt")
    assert unit.text == "Inter" and unit.time_start is None and unit.line == 1
    assert project.corpus.check_spans() == []
    assert any("rot13" in n for n in project.notes)


@pytest.mark.slow
def test_imported_codebook_seeds_themes_that_line_up_with_the_codings(tmp_path):
    from listenlens.embeddings import HashingEmbedder

    project = load_qdpx(hand_built(tmp_path, "characters"), units="lines")
    themes = ll.find_themes(project.corpus, seed=0, embedder=HashingEmbedder(),
                            codebook=project.codebook, codebook_threshold=-1.0)
    assert set(themes.origin.values()) == {"codebook"}
    assert set(themes.theme_ids) <= set(project.codes["theme_id"])
    table = project.agreement(themes, secondary=True)
    assert table["theme_id"].iloc[-1] == "overall" and len(table) >= 2
    assert set(table["theme_id"][:-1]) <= set(project.codes["theme_id"])
