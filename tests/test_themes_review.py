"""Assisted coding: review queue, decisions that never move, replay, agreement, review sheets."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

import listenlens as ll
from listenlens.cli import main
from listenlens.embeddings import HashingEmbedder
from listenlens.errors import InputError
from listenlens.project import init_project
from listenlens.themes import HOUSEKEEPING, find_themes, open_themes
from listenlens.themes.review import (
    agreement_sentence,
    check_sample_ids,
    cohen_kappa,
    decisions,
    krippendorff_alpha,
)
from listenlens.themes.review_sheet import apply_review_sheet, write_review_sheet
from planted import make_corpus_dir, month, truth

pytestmark = pytest.mark.slow  # fits themes, then re-codes after review


def answers(key, units) -> dict[str, str]:
    """The key's theme of each unit, as a reviewer would name it."""
    return {u: ("Facilitator housekeeping" if key[u] == "housekeeping" else key[u])
            for u in units}


def named(themes, tid) -> str:
    label = themes.label(tid)
    return "housekeeping" if label == "Facilitator housekeeping" else label


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = make_corpus_dir(tmp_path_factory.mktemp("rev") / "c", n_per_event=40)
    corpus = ll.load(root)
    return find_themes(corpus, seed=0, embedder=HashingEmbedder()), truth(corpus, root)


@pytest.fixture(scope="module")
def reviewed(base):
    """Two review rounds answered from the key, the second also coding the check sample."""
    themes, key = base
    q1 = themes.review_queue(10)
    t1 = themes.review(answers(key, q1["unit_id"]), who="amina")
    q2 = t1.review_queue(10)
    sample = t1.check_sample()["unit_id"].tolist()
    t2 = t1.review(answers(key, [*q2["unit_id"], *sample]), who="amina")
    return t1, t2, q1, q2


def test_first_queue_covers_every_theme_and_skips_the_check_sample(base):
    themes, _ = base
    q = themes.review_queue(len(themes.theme_ids) + 5)
    assert len(q) == len(themes.theme_ids) + 5 and q["unit_id"].is_unique
    first = q[q["why"] == "first look at this theme"]
    assert set(first["theme_id"]) == set(themes.theme_ids)
    assert (q["confidence"] >= 0).all() and (q["margin"] >= 0).all()
    rest = q[q["why"] == "least sure"]
    assert rest["margin"].is_monotonic_increasing
    t1 = themes.review({q["unit_id"][0]: themes.theme_ids[0]})
    check = set(check_sample_ids(t1))
    assert len(check) == 60
    assert not check & set(t1.review_queue(40)["unit_id"])
    assert "<table>" in q._repr_html_() and "first look" in q._repr_html_()


def test_decisions_take_ids_labels_and_new_names(base):
    themes, _ = base
    units = [u for u, t in themes.primary().items() if t != HOUSEKEEPING][:3]
    a, b = themes.theme_ids[:2]
    out = themes.review({units[0]: a, units[1]: themes.label(b).upper(),
                         units[2]: "Brand new concern"}, who="amina", why="first pass")
    prim = out.primary()
    assert prim[units[0]] == a and prim[units[1]] == b
    new = prim[units[2]]
    assert out.label(new) == "Brand new concern" and out.origin[new] == "review"
    entry = out.log[-1]
    assert entry["op"] == "review" and entry["who"] == "amina"
    assert entry["args"]["decisions"][units[2]] == new
    with pytest.raises(KeyError):
        themes.review({"u-nope": a})


def test_decided_units_never_move(base, reviewed):
    themes, key = base
    t1, t2, q1, q2 = reviewed
    t3 = t2.review_queue(10)
    t3 = t2.review(answers(key, t3["unit_id"]), who="ben")
    for later in (t1, t2, t3):
        prim = later.primary()
        for u in q1["unit_id"]:
            assert named(later, prim[u]) == key[u]
    prim = t3.primary()
    for u in q2["unit_id"]:
        assert named(t3, prim[u]) == key[u]
    d = decisions(t3)
    assert len(d) == 10 + 10 + 60 + 10 and set(d["who"]) == {"amina", "ben"}
    # undecided units were re-coded: most of them now agree with the key
    undecided = [u for u in t3.unit_ids if u not in set(d["unit_id"])
                 and key[u] != "housekeeping"]
    labels = t3.primary().reindex(undecided).map(t3.label)
    assert (labels.to_numpy() == key.reindex(undecided).to_numpy()).mean() > 0.8


def test_agreement_on_the_check_sample(reviewed):
    t1, t2, _, _ = reviewed
    assert t1.agreement["n_check_coded"] == 0 and t1.agreement["kappa"] is None
    rec = t2.agreement
    assert rec["check_size"] == rec["n_check_coded"] == 60
    assert 0.0 <= rec["percent_agreement"] <= 1.0 and -1.0 <= rec["kappa"] <= 1.0
    assert t2.table.attrs["agreement"]["kappa"] == rec["kappa"]
    assert len(rec["history"]) == 2
    sentence = agreement_sentence(rec)
    assert "60-unit check sample" in sentence and f"{rec['kappa']:.2f}" in sentence
    # check units were never trained on: the model's coding of them is what is scored
    check = set(check_sample_ids(t2))
    assert rec["n_trained"] == rec["n_decided"] - len(check)


def test_no_review_says_so(base):
    themes, _ = base
    assert themes.agreement is None
    assert agreement_sentence(themes.agreement).startswith("No review was done")


def test_decisions_replay_on_a_fresh_run(base, reviewed, tmp_path):
    themes, _ = base
    _, t2, _, _ = reviewed
    fresh = find_themes(themes.corpus, seed=0, embedder=HashingEmbedder())
    again = fresh.replay(t2.log)
    assert again.params["replay_skipped"] == []
    assert (again.primary().map(again.label) == t2.primary().map(t2.label)).all()
    assert again.agreement["kappa"] == t2.agreement["kappa"]
    t2.save(tmp_path / "saved")
    opened = open_themes(tmp_path / "saved")
    assert opened.agreement["kappa"] == t2.agreement["kappa"]
    assert (opened.primary() == t2.primary()).all()


def test_cohen_kappa_hand_computed():
    a = ["x", "x", "y", "y", "y", "x"]
    b = ["x", "y", "y", "y", "x", "x"]
    # p_o = 4/6, p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5, kappa = (2/3 - 1/2) / (1/2) = 1/3
    assert cohen_kappa(a, b) == pytest.approx(1 / 3)
    assert cohen_kappa(a, a) == 1.0
    with pytest.raises(ValueError):
        cohen_kappa(a, b[:3])


def test_krippendorff_alpha_two_reviewers(base):
    codings = {"r1": {"u1": "a", "u2": "a", "u3": "b", "u4": "b"},
               "r2": {"u1": "a", "u2": "b", "u3": "b", "u4": "b", "u5": "a"}}
    # coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n_a = 3, n_b = 5, n = 8
    # alpha = 1 - (2/8) / (2 * 3 * 5 / (8 * 7)) = 1 - 14/30 = 8/15 (u5, coded once, is left out)
    assert krippendorff_alpha(codings) == pytest.approx(8 / 15)
    assert krippendorff_alpha({"r1": codings["r1"]}) is None
    themes, key = base
    units = themes.review_queue(6)["unit_id"].tolist()
    t1 = themes.review({u: key[u] for u in units}, who="r1")
    other = {u: key[u] for u in units}
    other[units[0]] = "Something else entirely"
    t2 = t1.review(other, who="r2")
    alpha = t2.agreement["krippendorff_alpha"]
    assert t2.agreement["n_reviewers"] == 2 and alpha is not None and alpha < 1.0


def test_label_spreading_reaches_neighbours_and_keeps_decisions():
    import numpy as np

    from listenlens.themes.review import SPREAD_K, _graph, _spread

    rng = np.random.default_rng(0)
    a = np.array([1.0, 0.0, 0.0]) + 0.05 * rng.standard_normal((12, 3))
    b = np.array([0.0, 1.0, 0.0]) + 0.05 * rng.standard_normal((12, 3))
    f = np.vstack([a, b]).astype(np.float32)
    proba = np.full((24, 2), 0.5)  # a classifier with no opinion
    proba[0] = [0.2, 0.8]          # ... and a wrong one on the decided unit 0
    g = _graph(f, SPREAD_K)
    out = _spread(g, proba, ["a", "b"], rows=[0, 12, 5], ys=["a", "b", "b"], ws=[1.0, 1.0, 0.2])
    assert np.allclose(out.sum(axis=1), 1.0)
    assert out[0].argmax() == 0 and out[12].argmax() == 1  # decided units keep their theme
    assert (out[1:12, 0] > 0.5).all() and (out[13:, 1] > 0.5).all()  # neighbours follow them
    assert np.array_equal(out, _spread(g, proba, ["a", "b"], [0, 12, 5], ["a", "b", "b"],
                                       [1.0, 1.0, 0.2]))  # deterministic


def test_the_unit_graph_is_built_once_per_review_session(base, monkeypatch):
    from listenlens.themes import review as rv

    themes, key = base
    built = []
    real = rv._graph
    monkeypatch.setattr(rv, "_graph", lambda f, k: built.append(len(f)) or real(f, k))
    rv.forget_graphs()
    seen = [themes]
    for _ in range(2):  # two rounds: a queue, then decisions that re-code every unit
        q = seen[-1].review_queue(10)
        seen.append(seen[-1].review(answers(key, q["unit_id"])))
    q = seen[-1].review_queue(10)
    # the old loop built a graph for each of 4 re-codings and queues; now one per set of
    # features (a unit the review sets aside as housekeeping changes them)
    masks = {rv._substantive(t).tobytes() for t in seen}
    assert len(built) == len(masks) < 4, (built, len(masks))
    rv.forget_graphs()
    assert seen[-1].review_queue(10)["unit_id"].tolist() == q["unit_id"].tolist()
    assert len(built) == len(masks) + 1  # built again after forgetting, with the same queue


def test_another_fit_gets_its_own_graph(base, monkeypatch):
    from listenlens.themes import review as rv

    themes, key = base
    other = find_themes(themes.corpus, seed=1, embedder=HashingEmbedder(dim=128))
    built = []
    real = rv._graph
    monkeypatch.setattr(rv, "_graph", lambda f, k: built.append(f.shape) or real(f, k))
    rv.forget_graphs()
    q = themes.review_queue(5)
    themes.review(answers(key, q["unit_id"]))
    q2 = other.review_queue(5)
    other.review(answers(key, q2["unit_id"]))
    assert len(built) == 2 and built[0] != built[1]


def test_a_queue_batch_asks_each_question_once():
    from types import SimpleNamespace

    import numpy as np

    from listenlens.themes.review import _diverse

    rng = np.random.default_rng(1)
    centres = np.eye(3)[[0] * 6 + [1] * 2 + [2] * 2]
    x = (centres + 0.01 * rng.standard_normal(centres.shape)).astype(np.float32)
    ids = [f"u{i}" for i in range(10)]
    themes = SimpleNamespace(embeddings=x, row=ids.index)
    # least sure first: six near-copies of one question, then two other questions
    assert _diverse(themes, ids, 3) == ["u0", "u6", "u8"]
    assert _diverse(themes, ids, 1) == ["u0"]


def _fill(path, decide):
    wb = load_workbook(path)
    ws = wb["Review"]
    for row in ws.iter_rows(min_row=2):
        decide(row)
    wb.save(path)


def test_review_sheet_round_trip(base, tmp_path):
    themes, key = base
    folder = themes.save(tmp_path / "themes")
    sheet = tmp_path / "review.xlsx"
    assert main(["review", str(folder), "--n", "8", "--out", str(sheet)]) == 0
    wb = load_workbook(sheet)
    ws = wb["Review"]
    assert [c.value for c in ws[1]][:3] == ["unit_id", "text", "context"]
    assert ws.max_row == 1 + 8 + 60  # the queue and the uncoded check sample
    assert ws.data_validations.dataValidation[0].formula1.startswith("=Themes!")
    labels = {themes.label(t) for t in themes.theme_ids}
    assert labels <= {r[0] for r in wb["Themes"].iter_rows(min_row=2, values_only=True)}
    first = themes.theme_ids[0]
    picked = {}

    def decide(row):
        uid = row[0].value
        if len(picked) < 5:
            row[7].value = themes.label(first) if len(picked) < 4 else "new: Parking"
            picked[uid] = row[7].value

    _fill(sheet, decide)
    assert main(["review", "--apply", str(sheet), "--who", "amina"]) == 0
    saved = open_themes(folder)
    prim = saved.primary()
    for uid, value in picked.items():
        assert saved.label(prim[uid]) == value.removeprefix("new: ")
    assert saved.log[-1]["who"] == "amina" and len(decisions(saved)) == 5


@pytest.mark.parametrize("edit, message", [
    (lambda row: setattr(row[7], "value", "No such theme"), "unknown theme 'No such theme'"),
    (lambda row: setattr(row[1], "value", row[1].value + " (edited)"), "was edited"),
    (lambda row: setattr(row[0], "value", None), "missing unit id"),
    (lambda row: setattr(row[0], "value", "u-0000000000000000"), "unknown unit id"),
])
def test_review_sheet_bad_rows_are_named(base, tmp_path, capsys, edit, message):
    themes, _ = base
    folder = themes.save(tmp_path / "themes")
    sheet = write_review_sheet(folder, tmp_path / "review.xlsx", n=5, check=False)
    label = themes.label(themes.theme_ids[0])

    def decide(row):
        row[7].value = label
        if row[0].row == 4:
            edit(row)

    _fill(sheet, decide)
    with pytest.raises(InputError) as info:
        apply_review_sheet(sheet)
    assert "row 4:" in str(info.value) and message in str(info.value)
    assert info.value.line == 4
    assert main(["review", "--apply", str(sheet)]) == 2
    assert "row 4" in capsys.readouterr().err
    assert not any(e["op"] == "review" for e in open_themes(folder).log)  # nothing applied


def test_review_survives_a_living_project_update(tmp_path):
    emb = HashingEmbedder()
    concerns = ["damp", "bus", "gp", "youth"]
    m0, key0 = month(tmp_path, "m0", [("e01", "Riverside", "2024-01-10"),
                                      ("e02", "Northfield", "2024-02-12")], concerns, 30, 0)
    m1, _ = month(tmp_path, "m1", [("e03", "Riverside", "2024-05-10")], concerns, 30, 1)
    project = init_project(tmp_path / "proj", embedder=emb)
    project.add(m0)
    project.update(stability_runs=0)
    themes = project.themes
    units = themes.review_queue(8)["unit_id"].tolist()
    wanted = {u: "Reviewed concern" if i % 2 else themes.theme_ids[0]
              for i, u in enumerate(units)}
    reviewed = themes.review(wanted, who="amina")
    project.curate(reviewed)
    expect = reviewed.primary().reindex(units).map(reviewed.label)
    project.add(m1)
    project.update(stability_runs=0)
    after = project.themes
    assert (after.primary().reindex(units).map(after.label) == expect).all()
    # a fresh fit of the grown corpus with the log replayed (what a rebuild does)
    fresh = find_themes(project.corpus(), seed=0, embedder=emb).replay(after.log)
    assert fresh.params["replay_skipped"] == []
    assert (fresh.primary().reindex(units).map(fresh.label) == expect).all()


def _facilitated_corpus(root):
    """Events where the facilitator asks about a concern before people talk about it, and also
    says housekeeping things: key ``question`` lines carry the concern they raise."""
    from conftest import write_corpus

    topics = {"bus": ["bus", "timetable", "fares", "route", "driver"],
              "gp": ["GP", "appointment", "surgery", "doctor", "receptionist"],
              "youth": ["youth", "club", "teenagers", "skate", "activities"]}
    events, files, key = [], {}, []
    for e in range(4):
        lines = [("Jo", "Thanks for coming, everyone, tea is at the back.", "housekeeping")]
        for k, (name, words) in enumerate(sorted(topics.items())):
            lines.append(("Jo", f"What about the {words[0]} and the {words[1 + e % 3]}?", name))
            for i in range(8):
                a, b, c = (words[(i + j + e) % len(words)] for j in range(3))
                lines.append((SPEAKERS_[(i + k + e) % 5], f"The {a}, the {b} and the {c}.", name))
        lines.append(("Jo", "Let's take a short break now please.", "housekeeping"))
        fname = f"f{e + 1}.txt"
        files[fname] = "".join(f"{who}: {text}\n" for who, text, _ in lines)
        key += [(fname, i + 1, t) for i, (_, _, t) in enumerate(lines)]
        events.append({"event_id": f"f{e + 1}", "community": "Riverside",
                       "date": f"2024-0{e + 1}-15", "place": "Hall", "format": "focus group",
                       "file": fname, "facilitator": "Jo"})
    consent = [{"event_id": ev["event_id"], "speaker": "*", "consent": "quote"} for ev in events]
    root = write_corpus(root, events, files, consent=consent)
    corpus = ll.load(root)
    merged = corpus.units.merge(
        __import__("pandas").DataFrame(key, columns=["source", "line", "theme"]),
        on=["source", "line"], how="left")
    return corpus, merged.set_index("unit_id")["theme"]


SPEAKERS_ = ["Amina", "Ben", "Cleo", "Dev", "Emre"]


def test_facilitator_talk_is_coded_only_when_the_reviewer_codes_it(tmp_path):
    corpus, key = _facilitated_corpus(tmp_path / "f")
    themes = find_themes(corpus, seed=0, embedder=HashingEmbedder())
    fac = {u.unit_id for u in corpus.unit_records if u.role == "facilitator"}
    assert fac and (themes.primary().reindex(sorted(fac)) == HOUSEKEEPING).all()
    q = themes.review_queue(10, check_size=0)
    probes = q[q["why"].str.startswith("facilitator talk")]["unit_id"].tolist()
    assert len(probes) == 2 and set(probes) <= fac
    # the reviewer keeps facilitator talk aside: no more probes, nothing facilitated moves
    kept = themes.review({u: "Facilitator housekeeping" for u in probes}, check_size=0)
    assert not set(kept.review_queue(10)["unit_id"]) & fac
    assert (kept.primary().reindex(sorted(fac)) == HOUSEKEEPING).all()
    # the reviewer codes a facilitator question: facilitator talk is re-coded from then on
    question = sorted(u for u in fac if key[u] != "housekeeping")[0]
    first = [u for u in q["unit_id"] if u not in fac]
    coded = themes.review({question: key[question], **answers(key, first)}, check_size=0)
    prim = coded.primary()
    assert coded.label(prim[question]) == key[question]
    questions = sorted(u for u in fac if key[u] != "housekeeping" and u != question)
    moved = [u for u in questions if prim[u] != HOUSEKEEPING]
    assert len(moved) >= len(questions) // 2
    assert coded.review_queue(10)["unit_id"].isin(sorted(fac)).any() or len(moved) == len(
        questions)


def test_agreement_history_and_chart(reviewed):
    t1, t2, _, _ = reviewed
    h = t2.agreement_history()
    assert h["round"].tolist() == [1, 2]
    assert h["kappa"].isna().tolist() == [True, False]
    assert h["n_check_coded"].tolist() == [0, 60]
    fig = t2.plot_agreement()
    kappa = fig.data[0]
    assert list(kappa.y) == [t2.agreement["kappa"]]
    assert list(kappa.x) == [t2.agreement["n_trained"]]
    assert "60-unit check sample" in fig.layout.title.text
    empty = t1.plot_agreement()
    assert len(empty.data[0].x) == 0 and "not measured" in empty.layout.title.text
