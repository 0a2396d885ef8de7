"""Tests of the synthetic corpus generator (src/listenlens/synthetic.py)."""

from __future__ import annotations

import csv
import hashlib
import json
import time
from pathlib import Path

import pandas as pd
import pytest

import listenlens as ll
from listenlens.errors import InputError
from listenlens.synthetic import (
    DEFAULT_COMMUNITIES,
    DEFAULT_THEMES,
    FORMATS,
    Shift,
    SyntheticTruth,
    make_corpus,
    theme_vocabulary,
)


def digest(root: Path) -> str:
    """One hash over every file's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    make_corpus(tmp_path / "a", n_units=600, seed=7, formats=FORMATS)
    make_corpus(tmp_path / "b", n_units=600, seed=7, formats=FORMATS)
    make_corpus(tmp_path / "c", n_units=600, seed=8, formats=FORMATS)
    make_corpus(tmp_path / "d", n_units=600, seed=7, formats=FORMATS, structure="independent")
    make_corpus(tmp_path / "e", n_units=600, seed=7, formats=FORMATS, structure="independent")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")
    assert digest(tmp_path / "d") == digest(tmp_path / "e") != digest(tmp_path / "a")


def test_counts(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=1234, n_events=20, housekeeping_share=0.05, seed=2)
    assert isinstance(truth, SyntheticTruth)
    assert len(truth.units) == 1234
    assert len(truth.events) == 20 and truth.events.n_units.sum() == 1234
    u = truth.units
    assert (u.turn_kind == "housekeeping").sum() == round(1234 * 0.05)
    prompts = u[u.turn_kind == "prompt"]
    assert all(text in theme_vocabulary(topic)["prompts"]
               for text, topic in zip(prompts.text, prompts.prompt_theme))
    # facilitator prompts are facilitator talk: theme housekeeping, the asked theme aside
    assert set(u.theme[u.turn_kind == "prompt"]) == {"housekeeping"}
    assert (u.theme == "housekeeping").sum() == (u.turn_kind.isin(["prompt", "housekeeping"])).sum()
    assert set(u.prompt_theme[u.turn_kind == "prompt"]) <= set(DEFAULT_THEMES)
    assert set(u.theme) - {"housekeeping"} == set(DEFAULT_THEMES)
    assert u.community.nunique() == len(DEFAULT_COMMUNITIES) == 5
    assert u.date.min().year == 2023 and u.date.max().year == 2025
    participants = u[u.role == "participant"].groupby("event_id").speaker.nunique()
    assert participants.max() <= 15 and participants.min() >= 5
    assert u[u.role == "facilitator"].groupby("event_id").speaker.nunique().max() <= 2
    key = list(csv.DictReader((tmp_path / "_key" / "themes.csv").open(encoding="utf-8")))
    assert len(key) == 1234
    assert list(key[0]) == ["source", "line", "theme", "prompt_theme", "theme2", "turn_kind"]
    cols = ["source", "line", "theme", "prompt_theme", "theme2", "turn_kind"]
    assert {(r["source"], int(r["line"]), r["theme"], r["prompt_theme"], r["theme2"],
             r["turn_kind"]) for r in key} == set(u[cols].itertuples(index=False, name=None))


def test_default_design_is_a_listening_programme(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=3000, seed=4)
    ev = truth.events
    per_year = ev.groupby([ev.community, ev.date.dt.year]).size()
    assert len(per_year) == 5 * 3  # every community every year
    assert per_year.min() >= 1 and per_year.max() <= 3
    assert ev.date.is_monotonic_increasing
    assert list(ev.event_id) == sorted(ev.event_id)
    assert ev.n_units.sum() == 3000
    events = list(csv.DictReader((tmp_path / "events.csv").open(encoding="utf-8")))
    facilitators = {r["community"]: r["facilitator"] for r in events}
    assert all(len(f.split("; ")) == 2 for f in facilitators.values())
    assert len(set(facilitators.values())) > 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_loads_with_exact_accounting(tmp_path: Path, fmt: str) -> None:
    truth = make_corpus(tmp_path, n_units=400, formats=(fmt,), seed=5)
    corpus = ll.load(tmp_path, progress=False)
    assert len(corpus.units) == 400
    assert len(corpus.skipped) == 0
    assert corpus.check_spans() == []
    loaded = set(zip(corpus.units.source, corpus.units.line.astype(int)))
    assert loaded == set(zip(truth.units.source, truth.units.line))
    assert set(corpus.units.consent) == {"quote"}
    facilitators = corpus.units[corpus.units.role == "facilitator"]
    assert len(facilitators) == (truth.units.role == "facilitator").sum() > 0
    # every unit's role as read equals the role planted (the readers know the facilitators)
    read = dict(zip(zip(corpus.units.source, corpus.units.line.astype(int)), corpus.units.role))
    planted = dict(zip(zip(truth.units.source, truth.units.line), truth.units.role))
    assert read == planted


def test_planted_rise_is_visible_in_the_truth(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=4000, seed=11,
                        shifts=(Shift("energy-bills", "rise", at="2024-07-01", factor=4),))
    u = truth.units[truth.units.theme != "housekeeping"]
    before = u[u.date < "2024-07-01"]
    after = u[u.date >= "2024-07-01"]
    share_before = (before.theme == "energy-bills").mean()
    share_after = (after.theme == "energy-bills").mean()
    assert share_after > 2 * share_before
    shifts = list(csv.DictReader((tmp_path / "_key" / "shifts.csv").open(encoding="utf-8")))
    assert shifts == [{"theme": "energy-bills", "kind": "rise", "community": "",
                       "at": "2024-07-01", "until": "", "factor": "4"}]


def test_spike_and_fall_for_one_community(tmp_path: Path) -> None:
    shifts = (Shift("damp-and-repairs", "spike", community="Riverside Tenants",
                    at="2024-01-01", until="2024-07-01", factor=6),
              Shift("buses", "fall", community="Eastgate Older People's Forum",
                    at="2024-01-01", factor=5))
    truth = make_corpus(tmp_path, n_units=6000, n_events=120, seed=3, shifts=shifts)
    w = truth.weights
    rt = w[(w.community == "Riverside Tenants") & (w.theme == "damp-and-repairs")]
    inside = rt[(rt.date >= "2024-01-01") & (rt.date < "2024-07-01")].weight.mean()
    outside = rt[(rt.date < "2024-01-01") | (rt.date >= "2024-07-01")].weight.mean()
    assert inside > 3 * outside
    eg = truth.shares(period="Y", by="community")
    eg = eg[(eg.group == "Eastgate Older People's Forum") & (eg.theme == "buses")]
    by_year = dict(zip(eg.period, eg.share))
    assert by_year["2023"] > 2 * by_year["2025"]
    # another community's buses are untouched
    nf = w[(w.community == "Northfield Women's Group") & (w.theme == "buses")]
    assert nf.weight.max() < 2 * nf.weight.min()


def test_utterances_are_varied(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=3000, seed=1)
    corpus = ll.load(tmp_path, progress=False)
    texts = corpus.units.text
    assert texts.nunique() > 0.6 * len(texts)
    assert all(len(theme_vocabulary(t)["sentences"]) >= 12 for t in DEFAULT_THEMES)
    lengths = texts.str.split().str.len()
    assert lengths.min() >= 2 and lengths.max() <= 60
    assert len(truth.units) == 3000


def test_fast(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    make_corpus(tmp_path, n_units=10_000, seed=0)
    assert time.perf_counter() - t0 < 10


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        make_corpus(tmp_path, themes=("weather",))
    with pytest.raises(ValueError, match="not among the themes"):
        make_corpus(tmp_path, themes=("buses", "loneliness"), shifts=(Shift("energy-bills"),))
    with pytest.raises(ValueError, match="formats"):
        make_corpus(tmp_path, formats=("pdf",))
    with pytest.raises(ValueError, match="structure must be one of runs, independent"):
        make_corpus(tmp_path, structure="threads")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="speakers_per_event"):
        make_corpus(tmp_path, speakers_per_event=(9, 3))


def _runs_of(u: pd.DataFrame) -> list[pd.DataFrame]:
    """The units under each prompt (prompt excluded), per event."""
    out = []
    for _, ev in u.groupby("event_id", sort=False):
        run_id = (ev.turn_kind == "prompt").cumsum()
        out += [g.iloc[1:] for k, g in ev.groupby(run_id) if k > 0]
    return out


def test_events_are_runs_of_talk_under_prompts(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=4000, seed=6)
    u = truth.units
    per_event = u[u.turn_kind == "prompt"].groupby("event_id").size()
    assert per_event.min() >= 1 and per_event.max() <= 8
    stats = truth.conversation()
    assert 0.75 <= stats["on_prompt_theme"] <= 0.95
    assert 0.02 <= stats["pair_share"] <= 0.12 and 0.02 <= stats["reaction_share"] <= 0.12
    for run in _runs_of(u):
        talk = run[(run.role == "participant") & (run.turn_kind != "housekeeping")]
        prompt = set(run.prompt_theme)
        assert len(prompt) == 1
        (topic,) = prompt
        # the first answer is on the prompt; drift goes only to related themes
        assert talk.theme.iloc[0] == topic
        drifted = set(talk.theme[talk.turn_kind == "drift"])
        assert drifted <= set(theme_vocabulary(topic)["related"])
    pairs = u[u.turn_kind == "pair"]
    assert (pairs.theme2 != "").all() and (pairs.theme2 != pairs.theme).all()
    assert (u.theme2[u.turn_kind != "pair"] == "").all()


def test_reactions_carry_the_theme_of_the_turn_they_answer(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=3000, seed=9, reactions=0.15)
    u = truth.units.reset_index(drop=True)
    idx = u.index[u.turn_kind == "reaction"]
    assert len(idx) > 100
    reacted = u.loc[idx - 1]
    assert (reacted.event_id.to_numpy() == u.event_id[idx].to_numpy()).all()
    assert (reacted.role == "participant").all()
    assert reacted.turn_kind.isin(["turn", "drift", "pair"]).all()
    assert (reacted.theme.to_numpy() == u.theme[idx].to_numpy()).all()
    # reactions are short lines, said by someone else
    assert (reacted.speaker.to_numpy() != u.speaker[idx].to_numpy()).all()
    assert u.loc[idx].speaker.isin(u.speaker[u.role == "participant"]).all()
    assert u.loc[idx].text.str.split().str.len().max() <= 6


def test_independent_structure_has_no_context(tmp_path: Path) -> None:
    runs = make_corpus(tmp_path / "r", n_units=3000, seed=5).conversation()
    flat = make_corpus(tmp_path / "i", n_units=3000, seed=5, structure="independent")
    u = flat.units
    assert set(u.turn_kind) == {"turn", "housekeeping"}
    assert (u.prompt_theme == "").all() and (u.theme2 == "").all()
    # the previous turn's theme predicts a turn's theme only when there is structure
    sub = u[u.theme != "housekeeping"]
    chance = float((sub.theme.value_counts(normalize=True) ** 2).sum())
    stats = flat.conversation()
    assert abs(stats["same_theme_as_previous"] - chance) < 0.06
    assert runs["same_theme_as_previous"] > chance + 0.35


def test_speakers_are_uneven_and_never_twice_in_a_row(tmp_path: Path) -> None:
    truth = make_corpus(tmp_path, n_units=3000, seed=2, formats=FORMATS)
    u = truth.units
    for _, ev in u.groupby("event_id"):
        assert (ev.speaker.to_numpy()[1:] != ev.speaker.to_numpy()[:-1]).all()
    runs = truth.conversation()["top3_speaker_share"]
    flat = make_corpus(tmp_path / "i", n_units=3000, seed=2,
                       structure="independent").conversation()["top3_speaker_share"]
    assert runs > 0.5 and runs > flat + 0.1
    counts = u[u.role == "participant"].groupby(["event_id", "speaker"]).size()
    ratio = counts.groupby(level=0).max() / counts.groupby(level=0).median()
    assert ratio.median() >= 2


def test_vocabulary_file_is_checked() -> None:
    from listenlens.synthetic import _parse_words, _words

    words = _words()
    for theme in DEFAULT_THEMES:
        v = theme_vocabulary(theme)
        assert len(v["prompts"]) >= 4 and v["related"]
        assert all(theme in theme_vocabulary(r)["related"] for r in v["related"])
    raw = json.loads((Path(ll.__file__).parent / "data" / "synthetic_vocabulary.json")
                     .read_text(encoding="utf-8"))
    assert len(raw["reactions"]) == len(words.reactions) >= 10
    raw["themes"]["buses"]["related"] = ["weather"]
    with pytest.raises(InputError, match=r"synthetic_vocabulary.json: theme 'buses'.*weather"):
        _parse_words(raw)
    raw["themes"]["buses"]["related"] = []
    del raw["themes"]["loneliness"]["prompts"]
    with pytest.raises(InputError, match="theme 'loneliness': 'prompts'"):
        _parse_words(raw)
