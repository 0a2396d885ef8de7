"""Synthetic corpus folders with planted themes, conversation structure and planted changes.

For tests and benchmarks: :func:`make_corpus` writes a corpus folder that :func:`listenlens.load`
reads (``events.csv``, ``consent.csv`` with everyone at ``quote``, one transcript per event) and
returns the truth: the theme of every unit, by ``(source, line)`` as the loader reports them, and
the shifts it planted. The same seed gives the same bytes.

>>> import tempfile, listenlens as ll
>>> with tempfile.TemporaryDirectory() as tmp:
...     truth = make_corpus(tmp, n_units=200, seed=1)
...     corpus = ll.load(tmp, progress=False)
...     len(corpus.units) == len(truth.units) == 200
True

**Design.** Unless ``n_events`` is given, each community (five by default) holds 1 to 3 events
a year (``events_per_year``) on dates drawn from the seed, as real listening programmes do; the
``n_units`` are split over the events (±30%). Each community has its own emphasis on each theme
(weights drawn from the seed); a :class:`Shift` multiplies a theme's weight from a date on
(``rise``/``fall``), within a window (``spike``) or from a date (``emerge``), for one community or
all. Each community has two facilitators, named in events.csv's ``facilitator`` column so the
readers give their turns ``role="facilitator"``, and a pool of regulars each event draws its 5 to
15 speakers from (``speakers_per_event``); a few speakers do most of the talking (Zipf-like
weights, exponent 1.1).

**Conversation** (``structure="runs"``, the default). An event is a sequence of facilitator
prompts (3 to 8, fewer in a very short event), each a question about one theme (drawn from the
event's weights, never the same theme twice in a row) in one of several wordings, followed by a
run of participant turns. The run starts on the prompt's theme; each later turn drifts to a
related theme (the ``related`` lists in the vocabulary) with probability ``drift``, and talk that
has drifted comes back to the prompt's theme with probability one half at each turn. A share
``pairs`` of turns raise two themes (the current one and a related one, or the prompt's), joined
by a connector; a share ``reactions`` are short reactions ("Same here.", "Yes, that too."). The
labelling rule: a reaction always follows a substantive participant turn and carries **that
turn's theme** (it agrees with it); housekeeping (about ``housekeeping_share`` of all units,
exact) is what keeps the meeting running: facilitators' lines ("can everyone hear me?") and,
a quarter of the time, a participant's ("sorry I'm late"), at random places but never between a
reaction and the turn it answers. Facilitator prompts are facilitator talk, so their ``theme``
is ``housekeeping`` too (as :func:`listenlens.find_themes` treats facilitator talk by default),
with the theme they ask about in ``prompt_theme``. ``structure="independent"`` gives the old
structure-free corpus: every unit's theme is drawn independently from the event's weights, every
speaker equally likely, housekeeping said by facilitators only, no prompts, reactions or pairs
(for checking that a method using context never does worse when there is none).

**Vocabulary** lives in ``listenlens/data/synthetic_vocabulary.json``: per theme subjects,
problems, impacts, wishes, whole sentences, facilitator prompts and related themes; frames shared
by all themes, openers, tails, reactions, connectors, housekeeping lines, names, facilitators and
communities. An utterance is one of the theme's sentences (a fifth of the time) or a shared frame
filled with its vocabulary, with hedges and tails, so embeddings group utterances by meaning while
texts are rarely identical.

**Key.** ``_key/themes.csv`` has ``source, line, theme`` (as before) plus ``prompt_theme`` (the
theme of the prompt the unit falls under; empty before the first prompt and in independent
corpora), ``theme2`` (the second theme of a two-theme turn, else empty) and ``turn_kind``
(``prompt``, ``turn``, ``drift``, ``pair``, ``reaction``, ``housekeeping``); the shifts are in
``_key/shifts.csv``. The loader ignores ``_key``.

Formats: ``txt`` (``[hh:mm:ss] Name: text``), ``vtt`` (``<v Name>`` voice tags), ``srt``
(``Name:`` prefixes), ``md`` (``- **Name:** text`` bullets under one heading) and ``csv``
(``text,speaker`` with the reader options in events.csv); events take them in turn. No speaker
ever has two turns in a row (caption readers would merge them).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import InputError
from .validation import check_choice, check_number, refuse

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_THEMES", "DEFAULT_COMMUNITIES", "DEFAULT_SHIFTS", "FORMATS", "STRUCTURES",
           "Shift", "SyntheticTruth", "make_corpus", "theme_vocabulary"]

_DATA_FILE = "data/synthetic_vocabulary.json"
_THEME_FIELDS = ("subjects", "problems", "impacts", "wishes", "sentences", "prompts")


@dataclass(frozen=True)
class _Vocab:
    """What people say about one theme (noun phrases, verb phrases, consequences, requests, whole
    sentences), how a facilitator asks about it, and the themes talk about it drifts to."""

    subjects: tuple[str, ...]
    problems: tuple[str, ...]
    impacts: tuple[str, ...]
    wishes: tuple[str, ...]
    sentences: tuple[str, ...]
    prompts: tuple[str, ...]
    related: tuple[str, ...]


@dataclass(frozen=True)
class _Words:
    """Everything in the vocabulary file."""

    themes: dict[str, _Vocab]
    frames: tuple[str, ...]
    openers: tuple[str, ...]
    tails: tuple[str, ...]
    reactions: tuple[str, ...]
    connectors: tuple[str, ...]
    housekeeping: tuple[str, ...]
    participant_housekeeping: tuple[str, ...]
    names: tuple[str, ...]
    facilitators: tuple[str, ...]
    communities: tuple[str, ...]


def _strings(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key!r} must be a non-empty list of strings", file=_DATA_FILE)
    return tuple(value)


def _parse_words(raw: dict[str, Any]) -> _Words:
    """Check the vocabulary file's shape and build the records (errors name the field)."""
    if not isinstance(raw.get("themes"), dict) or not raw["themes"]:
        raise InputError("'themes' must map theme names to vocabularies", file=_DATA_FILE)
    themes: dict[str, _Vocab] = {}
    for name, spec in raw["themes"].items():
        where = f"theme {name!r}"
        if not isinstance(spec, dict):
            raise InputError(f"{where} must be an object", file=_DATA_FILE)
        fields = {k: _strings(spec, k, where) for k in _THEME_FIELDS}
        related = tuple(spec.get("related", ()))
        unknown = [t for t in related if t not in raw["themes"] or t == name]
        if unknown:
            raise InputError(f"{where}: related theme(s) {', '.join(unknown)} are not other "
                             "themes of the file", file=_DATA_FILE)
        themes[name] = _Vocab(**fields, related=related)
    hk = raw.get("housekeeping")
    if not isinstance(hk, dict):
        raise InputError("'housekeeping' must have 'facilitator' and 'participant' lists",
                         file=_DATA_FILE)
    top = {k: _strings(raw, k, "top level") for k in (
        "frames", "openers", "tails", "reactions", "connectors", "names", "facilitators",
        "communities")}
    clash = set(top["names"]) & set(top["facilitators"])
    if clash:
        raise InputError(f"facilitators {', '.join(sorted(clash))} are also participant names",
                         file=_DATA_FILE)
    return _Words(themes=themes, housekeeping=_strings(hk, "facilitator", "housekeeping"),
                  participant_housekeeping=_strings(hk, "participant", "housekeeping"), **top)


@functools.lru_cache(maxsize=1)
def _words() -> _Words:
    """The packaged vocabulary, read once per process."""
    text = resources.files("listenlens").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=_DATA_FILE, line=exc.lineno) from exc
    return _parse_words(raw)


#: The default themes, in a fixed order.
DEFAULT_THEMES: tuple[str, ...] = tuple(_words().themes)

#: Communities a generated corpus has unless told otherwise.
DEFAULT_COMMUNITIES: tuple[str, ...] = _words().communities

#: File formats a generated event may take.
FORMATS = ("txt", "vtt", "srt", "md", "csv")

#: Conversation structures :func:`make_corpus` can write.
STRUCTURES = ("runs", "independent")

#: Zipf exponent of how much each speaker talks in ``structure="runs"``.
_ZIPF = 1.1
#: Probability that talk which has drifted comes back to the prompt's theme at the next turn.
_BACK = 0.5
#: Share of housekeeping lines said by a participant rather than a facilitator.
_PARTICIPANT_HOUSEKEEPING = 0.25


def theme_vocabulary(theme: str) -> dict[str, tuple[str, ...]]:
    """The words a default theme is made of (for tests that want to peek).

    >>> v = theme_vocabulary("buses")
    >>> len(v["prompts"]) > 1 and "loneliness" in v["related"]
    True
    """
    v = _words().themes[theme]
    return {"subjects": v.subjects, "problems": v.problems, "impacts": v.impacts,
            "wishes": v.wishes, "sentences": v.sentences, "prompts": v.prompts,
            "related": v.related}


@dataclass(frozen=True)
class Shift:
    """A planted change: ``theme``'s weight is multiplied by ``factor`` from ``at`` on
    (``rise``), divided by it from ``at`` on (``fall``), multiplied between ``at`` and
    ``until`` (``spike``; default 120 days), or zero before ``at`` (``emerge``: a new concern
    nobody raised before). ``community=None`` means every community; ``at`` defaults to the
    middle of the corpus's date range."""

    theme: str
    kind: Literal["rise", "fall", "spike", "emerge"] = "rise"
    community: str | None = None
    at: str | None = None
    until: str | None = None
    factor: float = 4.0

    def window(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
        """The dates the shift applies between (``until`` exclusive) for a corpus range."""
        at = dt.date.fromisoformat(self.at) if self.at else start + (end - start) / 2
        if self.kind == "spike":
            until = (dt.date.fromisoformat(self.until) if self.until
                     else at + dt.timedelta(days=120))
        else:
            until = dt.date.max
        return at, until

    def multiplier(self, community: str, date: dt.date, start: dt.date, end: dt.date) -> float:
        """The factor this shift puts on its theme for one community at one date."""
        if self.community is not None and self.community != community:
            return 1.0
        at, until = self.window(start, end)
        if self.kind == "emerge":
            return 0.0 if date < at else 1.0
        if not at <= date < until:
            return 1.0
        return 1.0 / self.factor if self.kind == "fall" else self.factor


#: The shifts a generated corpus has unless told otherwise.
DEFAULT_SHIFTS: tuple[Shift, ...] = (Shift("energy-bills", "rise"),)


@dataclass
class SyntheticTruth:
    """What :func:`make_corpus` planted.

    ``units``: one row per unit in load order with ``source, line, theme, prompt_theme, theme2,
    turn_kind, event_id, community, date, speaker, role, text`` (see the module docstring for the
    labelling rule); ``events``: ``event_id, community, date, format, file, n_units``; ``weights``:
    ``event_id, community, date, theme, weight`` (the planted probability of each theme at each
    event, housekeeping excluded); ``shifts``: the shifts as planted, with their resolved dates;
    ``structure``: ``"runs"`` or ``"independent"``.
    """

    directory: Path
    seed: int
    themes: tuple[str, ...]
    units: pd.DataFrame
    events: pd.DataFrame
    weights: pd.DataFrame
    shifts: tuple[Shift, ...] = field(default_factory=tuple)
    structure: str = "runs"

    def shares(self, period: str = "Q", by: str = "community",
               include_housekeeping: bool = False) -> pd.DataFrame:
        """Observed share of each theme per period (pandas frequency, ``"Q"`` or ``"Y"``) and
        group, from the truth: columns ``period, group, theme, n, total, share``."""
        u = self.units if include_housekeeping else self.units[
            self.units.theme != "housekeeping"]
        u = u.assign(period=u.date.dt.to_period(period).astype(str),
                     group=u[by] if by else "all")
        counts = u.groupby(["period", "group", "theme"]).size().rename("n").reset_index()
        totals = u.groupby(["period", "group"]).size().rename("total").reset_index()
        out = counts.merge(totals, on=["period", "group"])
        out["share"] = out.n / out.total
        return out


    def conversation(self) -> dict[str, float]:
        """Statistics of the conversation structure: prompts (runs) per event, the share of
        participants' substantive turns on their prompt's theme, the shares of drift, two-theme
        and reaction turns, how often a turn has the theme of the turn before it (participants'
        turns, housekeeping skipped), speakers per event and the share of turns by each event's
        three most talkative participants."""
        u = self.units
        part = u[(u.role == "participant") & (u.theme != "housekeeping")]
        said = part[part.turn_kind != "reaction"]
        under = said[said.prompt_theme != ""]
        same = [float((g.theme.to_numpy()[1:] == g.theme.to_numpy()[:-1]).mean())
                for _, g in part.groupby("event_id", sort=False) if len(g) > 1]
        counts = part.groupby(["event_id", "speaker"]).size()
        top3 = counts.groupby(level=0).apply(lambda c: c.nlargest(3).sum() / c.sum())
        return {
            "events": float(u.event_id.nunique()),
            "units_per_event": float(len(u) / max(1, u.event_id.nunique())),
            "prompts_per_event": float((u.turn_kind == "prompt").sum()
                                       / max(1, u.event_id.nunique())),
            "on_prompt_theme": float((under.theme == under.prompt_theme).mean())
            if len(under) else float("nan"),
            "drift_share": float((said.turn_kind == "drift").mean()) if len(said) else 0.0,
            "pair_share": float((part.turn_kind == "pair").mean()) if len(part) else 0.0,
            "reaction_share": float((part.turn_kind == "reaction").mean()) if len(part) else 0.0,
            "same_theme_as_previous": float(sum(same) / len(same)) if same else float("nan"),
            "speakers_per_event": float(part.groupby("event_id").speaker.nunique().mean()),
            "top3_speaker_share": float(top3.mean()) if len(top3) else float("nan"),
        }


_SENTENCE_START = re.compile(r"(?<=[.?!] )([a-z])")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    """Lower-case the first letter unless the first word is 'I' or an acronym."""
    first = text.split(" ", 1)[0].rstrip(",.'?")
    if first in ("I", "I've", "I'm", "I'd") or (len(first) > 1 and first[:2].isupper()):
        return text
    return text[:1].lower() + text[1:]


def _utterance(rng: random.Random, theme: str, *, plain: bool = False) -> str:
    """One thing said about a theme: a template (own sentence or shared frame) with, unless
    ``plain``, hedges and tails."""
    words = _words()
    vocab = words.themes[theme]
    if rng.random() < 0.2:
        text = rng.choice(vocab.sentences)
    else:
        frame = rng.choice(words.frames)
        text = frame.format(subject=rng.choice(vocab.subjects),
                            problem=rng.choice(vocab.problems),
                            impact=rng.choice(vocab.impacts), wish=rng.choice(vocab.wishes))
        text = _SENTENCE_START.sub(lambda m: m.group(1).upper(), _cap(text))
    if plain:
        return text
    if rng.random() < 0.35:
        text = rng.choice(words.openers) + _lower(text)
    if rng.random() < 0.2:
        text += rng.choice(words.tails)
    return text


@dataclass(frozen=True)
class _Turn:
    """One unit as planned: who says it (``""`` = a participant, ``"F"`` = a facilitator, filled
    in later), what, and its labels."""

    who: str
    text: str
    theme: str
    kind: str
    prompt_theme: str = ""
    theme2: str = ""


@dataclass(frozen=True)
class _Rates:
    """How a run of talk behaves: drift, two-theme turns, reactions; prompts per event."""

    drift: float
    pairs: float
    reactions: float
    prompts: tuple[int, int]


def _related(theme: str, themes: Sequence[str]) -> list[str]:
    return [t for t in _words().themes[theme].related if t in themes]


def _run(rng: random.Random, n: int, topic: str, themes: Sequence[str],
         rates: _Rates) -> list[_Turn]:
    """``n`` participant turns under a prompt on ``topic``: mostly on it, drifting to related
    themes and back, with two-theme turns and reactions."""
    out: list[_Turn] = []
    state = topic
    for i in range(n):
        prev = out[-1] if out else None
        if prev is not None and prev.kind != "reaction" and rng.random() < rates.reactions:
            out.append(_Turn("", rng.choice(_words().reactions), prev.theme, "reaction", topic))
            continue
        if state == topic:
            near = _related(topic, themes)
            if i > 0 and near and rng.random() < rates.drift:
                state = rng.choice(near)
        elif rng.random() < _BACK:
            state = topic
        text, theme2 = _utterance(rng, state), ""
        if rng.random() < rates.pairs:
            others = [t for t in [*_related(state, themes), topic] if t != state]
            if others:
                theme2 = rng.choice(others)
                text = (text + " " + rng.choice(_words().connectors)
                        + _lower(_utterance(rng, theme2, plain=True)))
        kind = "pair" if theme2 else ("turn" if state == topic else "drift")
        out.append(_Turn("", text, state, kind, topic, theme2))
    return out


def _prompted(rng: random.Random, n: int, weights: list[float], themes: Sequence[str],
              rates: _Rates) -> list[_Turn]:
    """``n`` units of prompts and runs (no housekeeping yet)."""
    lo, hi = rates.prompts
    # at least one prompt when there is room for an answer; runs of about five turns or more
    n_prompts = max(1, min(rng.randint(lo, hi), n // 6)) if n >= 2 else 0
    if n_prompts == 0:
        return _run(rng, n, rng.choices(themes, weights)[0], themes, rates)
    out: list[_Turn] = []
    last = ""
    for size in _split(n - n_prompts, n_prompts, rng, spread=0.6):
        allowed = [(t, w) for t, w in zip(themes, weights) if t != last] or [(last, 1.0)]
        topic = rng.choices([t for t, _ in allowed], [w for _, w in allowed])[0]
        vocab = _words().themes[topic]
        out.append(_Turn("F", rng.choice(vocab.prompts), "housekeeping", "prompt", topic))
        out.extend(_run(rng, size, topic, themes, rates))
        last = topic
    return out


def _independent(rng: random.Random, n: int, weights: list[float],
                 themes: Sequence[str]) -> list[_Turn]:
    """``n`` units whose themes are drawn independently (no structure)."""
    out = []
    for _ in range(n):
        theme = rng.choices(themes, weights)[0]
        out.append(_Turn("", _utterance(rng, theme), theme, "turn"))
    return out


def _add_housekeeping(rng: random.Random, turns: list[_Turn], n: int,
                      participants: bool) -> list[_Turn]:
    """``n`` housekeeping lines at random places, never just before a reaction (which must
    follow the turn it answers); a quarter said by participants when ``participants``."""
    words = _words()
    out = list(turns)
    for _ in range(n):
        if participants and rng.random() < _PARTICIPANT_HOUSEKEEPING:
            line = _Turn("", rng.choice(words.participant_housekeeping), "housekeeping",
                         "housekeeping")
        else:
            line = _Turn("F", rng.choice(words.housekeeping), "housekeeping", "housekeeping")
        pos = rng.randint(0, len(out))
        while pos < len(out) and out[pos].kind == "reaction":
            pos += 1
        out.insert(pos, line)
    return out


def _carry_prompts(turns: list[_Turn]) -> list[_Turn]:
    """Give every unit the theme of the last prompt before it (housekeeping lines included)."""
    out, current = [], ""
    for t in turns:
        if t.kind == "prompt":
            current = t.prompt_theme
        elif t.prompt_theme != current:
            t = _Turn(t.who, t.text, t.theme, t.kind, current, t.theme2)
        out.append(t)
    return out


def _speakers(rng: random.Random, turns: list[_Turn], people: Sequence[str],
              facilitators: tuple[str, str], zipf: float) -> list[tuple[str, str]]:
    """``(speaker, text)`` for each planned turn: participants drawn with Zipf-like weights
    (``zipf=0``: all equal), facilitators taking turns so that nobody speaks twice in a row."""
    weights = [1.0 / (rank + 1) ** zipf for rank in range(len(people))]
    lead, co = facilitators
    said: list[tuple[str, str]] = []
    prev = ""
    for t in turns:
        if t.who == "F":
            who = co if prev == lead else lead
        else:
            pool = [(p, w) for p, w in zip(people, weights) if p != prev] or [(people[0], 1.0)]
            who = rng.choices([p for p, _ in pool], [w for _, w in pool])[0]
        said.append((who, t.text))
        prev = who
    return said


def _converse(rng: random.Random, structure: str, n: int, n_house: int, weights: list[float],
              themes: Sequence[str], rates: _Rates, people: Sequence[str],
              facilitators: tuple[str, str]) -> tuple[list[_Turn], list[tuple[str, str]]]:
    """One event's ``n`` units as planned and as said (``(speaker, text)``)."""
    if structure == "runs":
        turns = _prompted(rng, n - n_house, weights, themes, rates)
    else:
        turns = _independent(rng, n - n_house, weights, themes)
    turns = _carry_prompts(_add_housekeeping(rng, turns, n_house, structure == "runs"))
    return turns, _speakers(rng, turns, people, facilitators,
                            _ZIPF if structure == "runs" else 0.0)


def _clock(seconds: float, sep: str = ".") -> str:
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _write_event(fmt: str, said: list[tuple[str, str]]) -> tuple[str, list[int]]:
    """File text for one event and the 1-based line where each utterance starts."""
    lines: list[str] = []
    starts: list[int] = []
    t = 5.0
    if fmt == "txt":
        for who, text in said:
            starts.append(len(lines) + 1)
            lines.append(f"[{_clock(t)[:8]}] {who}: {text}")
            t += 2 + len(text) / 14
    elif fmt in ("vtt", "srt"):
        if fmt == "vtt":
            lines += ["WEBVTT", "", "NOTE synthetic captions written by listenlens.synthetic", ""]
        for i, (who, text) in enumerate(said, 1):
            dur = 1 + len(text) / 14
            sep = "." if fmt == "vtt" else ","
            lines += [str(i), f"{_clock(t, sep)} --> {_clock(t + dur, sep)}"]
            starts.append(len(lines) + 1)
            if fmt == "vtt":
                body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                lines.append(f"<v {who}>{body}</v>")
            else:
                lines.append(f"{who}: {text}")
            lines.append("")
            t += dur + 0.5
        lines.pop()
    elif fmt == "md":
        lines += ["# Notes", ""]
        for who, text in said:
            starts.append(len(lines) + 1)
            lines.append(f"- **{who}:** {text}")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["text", "speaker"])
        for i, (who, text) in enumerate(said):
            w.writerow([text, who])
            starts.append(i + 2)
        return buf.getvalue(), starts
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return "\n".join(lines) + "\n", starts


def _split(total: int, parts: int, rng: random.Random, spread: float = 0.3) -> list[int]:
    """``total`` split into ``parts`` positive sizes of similar size (±``spread``)."""
    raw = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    s = sum(raw)
    sizes = [max(1, int(total * r / s)) for r in raw]
    i = 0
    while sum(sizes) != total:
        j = i % parts
        if sum(sizes) < total:
            sizes[j] += 1
        elif sizes[j] > 1:
            sizes[j] -= 1
        i += 1
    return sizes


def _calendar(rng: random.Random, communities: tuple[str, ...], d0: dt.date, d1: dt.date,
              n_events: int | None, n_units: int,
              per_year: tuple[int, int]) -> list[tuple[str, dt.date]]:
    """``(community, date)`` of each event in date order: ``per_year`` events a year for each
    community on random dates, or (``n_events`` given, or too many events for ``n_units``)
    ``n_events`` spread evenly over the range with communities in turn."""
    if n_events is None:
        plan = []
        for c in communities:
            for year in range(d0.year, d1.year + 1):
                lo, hi = max(d0, dt.date(year, 1, 1)), min(d1, dt.date(year, 12, 31))
                for _ in range(rng.randint(*per_year)):
                    plan.append((c, lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))))
        if 0 < len(plan) <= n_units:
            return sorted(plan, key=lambda p: (p[1], communities.index(p[0])))
        n_events = max(len(communities), round(n_units / 60))
    n_events = min(n_events, n_units)
    span = (d1 - d0).days
    out = []
    for e in range(n_events):
        slot = span * (e + 0.5) / n_events
        jitter = rng.uniform(-0.3, 0.3) * span / n_events
        out.append((communities[e % len(communities)],
                    d0 + dt.timedelta(days=int(min(span, max(0, slot + jitter))))))
    return out


def _check(themes: tuple[str, ...], shifts: Sequence[Shift], formats: Sequence[str],
           n_units: int, structure: str, communities: tuple[str, ...],
           speakers: tuple[int, int]) -> None:
    unknown = [t for t in themes if t not in _words().themes]
    if unknown or not themes:
        raise ValueError(f"unknown theme(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(DEFAULT_THEMES)}")
    for s in shifts:
        if s.theme not in themes:
            raise ValueError(f"shift on {s.theme!r}, which is not among the themes")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise refuse("formats", "one or more of " + ", ".join(FORMATS), list(formats))
    check_number("n_units", n_units, low=1, whole=True)
    check_choice("structure", structure, STRUCTURES)
    if not communities:
        raise refuse("communities", "at least one community", communities)
    if not 1 <= speakers[0] <= speakers[1] <= len(_words().names):
        raise refuse("speakers_per_event", f"(lo, hi) with 1 <= lo <= hi <= "
                     f"{len(_words().names)}", speakers)


def make_corpus(
    directory: str | Path,
    *,
    n_units: int = 1000,
    n_events: int | None = None,
    communities: Sequence[str] = DEFAULT_COMMUNITIES,
    themes: Sequence[str] = DEFAULT_THEMES,
    start: str = "2023-01-01",
    end: str = "2025-12-31",
    shifts: Sequence[Shift] = DEFAULT_SHIFTS,
    housekeeping_share: float = 0.03,
    speakers_per_event: tuple[int, int] = (5, 15),
    events_per_year: tuple[int, int] = (1, 3),
    formats: Sequence[str] = ("txt",),
    structure: Literal["runs", "independent"] = "runs",
    drift: float = 0.1,
    pairs: float = 0.06,
    reactions: float = 0.06,
    prompts_per_event: tuple[int, int] = (3, 8),
    seed: int = 0,
) -> SyntheticTruth:
    """Write a synthetic corpus folder and return what was planted.

    ``n_units`` is the exact number of units the folder loads to (housekeeping and prompts
    included). Events: ``events_per_year`` (inclusive range) per community per calendar year of
    ``start``..``end``, unless ``n_events`` is given (then spread evenly over the range,
    communities in turn); formats are taken in turn. ``themes`` must be names from
    :data:`DEFAULT_THEMES`. Each community's base emphasis on each theme is drawn from the seed
    (between 0.5 and 2); ``shifts`` then multiply it. ``structure``, ``drift``, ``pairs``,
    ``reactions`` and ``prompts_per_event`` shape the conversation (module docstring). The key is
    written to ``_key/themes.csv`` and the shifts to ``_key/shifts.csv``, which the loader
    ignores.
    """
    themes, communities = tuple(themes), tuple(communities)
    _check(themes, shifts, formats, n_units, structure, communities, speakers_per_event)
    rates = _Rates(drift=drift, pairs=pairs, reactions=reactions, prompts=prompts_per_event)
    root = Path(directory)
    d0, d1 = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    rng = random.Random(seed)
    words = _words()
    base = {c: {t: rng.uniform(0.5, 2.0) for t in themes} for c in communities}
    cast = {c: (tuple(rng.sample(words.facilitators, 2)),
                rng.sample(words.names, min(len(words.names), 3 * speakers_per_event[1] // 2)))
            for c in communities}
    plan = _calendar(rng, communities, d0, d1, n_events, n_units, events_per_year)
    sizes = _split(n_units, len(plan), rng)
    house_at = sorted(rng.sample(range(n_units), round(n_units * housekeeping_share)))
    root.mkdir(parents=True, exist_ok=True)
    (root / "_key").mkdir(exist_ok=True)
    rows: dict[str, list[tuple[Any, ...]]] = {"units": [], "events": [], "weights": []}
    first, width = 0, len(str(len(plan)))
    for e, (community, date) in enumerate(plan):
        eid, fmt = f"e{e + 1:0{width}d}", formats[e % len(formats)]
        weights = [base[community][t] for t in themes]
        for s in shifts:
            weights[themes.index(s.theme)] *= s.multiplier(community, date, d0, d1)
        total_w = sum(weights)
        rows["weights"].extend((eid, community, date, t, w / total_w)
                               for t, w in zip(themes, weights))
        n_house = sum(first <= k < first + sizes[e] for k in house_at)
        first += sizes[e]
        facilitators, pool = cast[community]
        people = rng.sample(pool, min(len(pool), rng.randint(*speakers_per_event)))
        turns, said = _converse(rng, structure, sizes[e], n_house, weights, themes, rates,
                                people, facilitators)
        rel = f"{eid}.{fmt}"
        text, starts = _write_event(fmt, said)
        (root / rel).write_text(text, encoding="utf-8", newline="\n")
        for (who, _), line, t in zip(said, starts, turns):
            role = "facilitator" if who in facilitators else "participant"
            rows["units"].append((rel, line, t.theme, t.prompt_theme, t.theme2, t.kind, eid,
                                  community, date, who, role, t.text))
        rows["events"].append((eid, community, date, fmt, rel, len(said), "; ".join(facilitators)))
    _write_tables(root, rows["events"], rows["units"], shifts, d0, d1)
    return _truth(root, seed, themes, rows, tuple(shifts), structure)


def _truth(root: Path, seed: int, themes: tuple[str, ...], rows: dict[str, list[tuple[Any, ...]]],
           shifts: tuple[Shift, ...], structure: str) -> SyntheticTruth:
    import pandas as pd

    units = pd.DataFrame(rows["units"], columns=[
        "source", "line", "theme", "prompt_theme", "theme2", "turn_kind", "event_id", "community",
        "date", "speaker", "role", "text"])
    events = pd.DataFrame([r[:6] for r in rows["events"]], columns=[
        "event_id", "community", "date", "format", "file", "n_units"])
    weights = pd.DataFrame(rows["weights"], columns=["event_id", "community", "date", "theme",
                                                     "weight"])
    for frame in (units, events, weights):
        frame["date"] = pd.to_datetime(frame["date"])
    return SyntheticTruth(directory=root, seed=seed, themes=themes, units=units, events=events,
                          weights=weights, shifts=shifts, structure=structure)


def _write_tables(root: Path, event_rows: list[tuple[Any, ...]], unit_rows: list[tuple[Any, ...]],
                  shifts: Sequence[Shift], d0: dt.date, d1: dt.date) -> None:
    def write(path: Path, header: list[str], rows: list[list[object]]) -> None:
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write(root / "events.csv",
          ["event_id", "community", "date", "place", "format", "file", "facilitator",
           "text_column", "speaker_column"],
          [[eid, c, d.isoformat(), "Community centre", "synthetic " + fmt, rel, facs,
            "text" if fmt == "csv" else "", "speaker" if fmt == "csv" else ""]
           for eid, c, d, fmt, rel, _, facs in event_rows])
    write(root / "consent.csv", ["event_id", "speaker", "consent"],
          [[eid, "*", "quote"] for eid, *_ in event_rows])
    write(root / "_key" / "themes.csv",
          ["source", "line", "theme", "prompt_theme", "theme2", "turn_kind"],
          [list(r[:6]) for r in unit_rows])
    resolved = []
    for s in shifts:
        at, until = s.window(d0, d1)
        resolved.append([s.theme, s.kind, s.community or "", at.isoformat(),
                         "" if until == dt.date.max else until.isoformat(), s.factor])
    write(root / "_key" / "shifts.csv", ["theme", "kind", "community", "at", "until", "factor"],
          resolved)
