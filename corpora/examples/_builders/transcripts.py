"""The code the Saltmere and Brackenfold builders share: plan events, put words to them, write
every format, the key and the README counts.

Each corpus keeps its own ``_build/`` folder: ``content.py`` (the hand-written words),
``plan.py`` (communities, people, planted shares) and ``make_corpus.py``, which gathers them in a
:class:`Recipe` together with the few details its files word differently (headers of notes and
transcripts, survey columns, wall boards) and calls :func:`build` and :func:`write_tables`.
``summary.py`` prints the README's counts with the helpers at the end of this module.

The builders put this folder on ``sys.path`` (``corpora/examples/_builders``, two levels above
their own); the leading underscore keeps it from being taken for a corpus. Same bytes on every
run: one fixed seed per corpus, no clocks. Every random draw happens in the order the original
per-corpus builders made it, so their corpora are rebuilt byte for byte.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import ClassVar

Row = tuple[str, int, str, str, str, str]  # source, line, theme, theme2, speaker, kind
HOUSEKEEPING = "housekeeping"


# --------------------------------------------------------------------------- planning
@dataclass
class Turn:
    """One thing said: who, the main concern, an optional second one, and what kind of turn
    (``turn``, ``follow``, ``reaction``, ``prompt``, ``summary``, ``housekeeping``)."""

    speaker: str
    theme: str
    kind: str = "turn"
    theme2: str = ""
    refer: str = ""  # an earlier speaker this turn refers back to ("like Jess said")
    text: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cast:
    """A corpus's people and planted shares: everything planning an event needs.

    ``speakers``: community -> first name -> how much each talks (5 a lot, 1 ordinary, 0 says
    one thing only); ``planted``: concern -> its share of those present, year by year from
    ``years[0]``, the same in every community; ``background``: community -> concern -> its
    steady share; ``concerns``: id -> (name, description); ``pairs``: the concern pairs one turn
    may raise together (the keys of ``content.BOTH``, in their order); ``neighbours``: where
    talk drifts from each concern; ``both``: the chance a person raising a pair raises it in one
    turn; ``nudges``: what a quiet facilitator says instead of a prompt."""

    speakers: Mapping[str, Mapping[str, int]]
    planted: Mapping[str, tuple[float, ...]]
    background: Mapping[str, Mapping[str, float]]
    years: Sequence[int]
    concerns: Mapping[str, tuple[str, str]]
    pairs: Collection[tuple[str, str]]
    neighbours: Mapping[str, tuple[str, ...]]
    both: float = 0.35
    nudges: Sequence[str] = ()

    def share(self, community: str, concern: str, year: int) -> float:
        """The planted share of an event's participants who raise ``concern``.

        >>> cast = Cast({}, {"damp": (.1, .4)}, {"A": {"buses": .2}}, (2021, 2022), {}, (), {})
        >>> cast.share("A", "damp", 2022), cast.share("A", "buses", 2021)
        (0.4, 0.2)
        """
        if concern in self.planted:
            return self.planted[concern][year - self.years[0]]
        return self.background[community][concern]

    def present(self, community: str, n: int, must: list[str],
                rng: random.Random) -> list[str]:
        """``n`` of the community's regulars (always including ``must``), talkers likelier."""
        names = sorted(self.speakers[community])
        chosen = list(dict.fromkeys(must))
        pool = [p for p in names if p not in chosen]
        while len(chosen) < n:
            weights = [1.0 + self.speakers[community][p] for p in pool]
            pick = rng.choices(pool, weights)[0]
            chosen.append(pick)
            pool.remove(pick)
        return chosen

    def raisers(self, community: str, year: int, present: list[str],
                rng: random.Random) -> dict[str, list[str]]:
        """The concerns each person raises: for each concern its planted share of the people
        present, rounded at random; those who say one thing raise one concern at most."""
        raised: dict[str, list[str]] = {p: [] for p in present}
        quiet = {p for p in present if self.speakers[community][p] == 0}
        order = sorted(self.concerns, key=lambda c: (-self.share(community, c, year), c))
        for concern in order:
            target = self.share(community, concern, year) * len(present)
            k = int(target) + (rng.random() < target - int(target))
            free = [p for p in present if not (p in quiet and raised[p])]
            rng.shuffle(free)
            free.sort(key=lambda p: len(raised[p]))
            for p in free[:k]:
                raised[p].append(concern)
        for p in present:  # everyone came to say something
            if not raised[p]:
                weights = [self.share(community, c, year) for c in order]
                raised[p].append(rng.choices(order, weights)[0])
        return raised

    def turns_for(self, community: str, raised: dict[str, list[str]], n_turns: int,
                  rng: random.Random) -> list[Turn]:
        """One turn per person and concern (two concerns in one turn where a person raises one
        of :attr:`pairs` and the dice say so), then more turns for the talkative, up to
        ``n_turns``, each on a concern the person already raised."""
        out: list[Turn] = []
        for p, concerns in raised.items():
            left = list(concerns)
            for a, b in self.pairs:
                if a in left and b in left and rng.random() < self.both:
                    out.append(Turn(p, a, theme2=b))
                    left.remove(a)
                    left.remove(b)
            out.extend(Turn(p, c) for c in left)
        talk = self.speakers[community]
        people = [p for p in raised if talk[p] > 0]
        for _ in range(max(0, n_turns - len(out))):
            p = rng.choices(people, [talk[q] ** 2 for q in people])[0]
            out.append(Turn(p, rng.choice(raised[p]), kind="more"))
        return out

    def runs(self, turns: list[Turn], rng: random.Random,
             drift: float) -> list[tuple[str, list[Turn]]]:
        """Group turns into runs under prompts: a concern with two or more turns gets a prompt
        of its own; a lone turn, and now and then another, drifts into a neighbouring concern's
        run (placed after the run's main talk)."""
        count: dict[str, int] = {}
        for t in turns:
            count[t.theme] = count.get(t.theme, 0) + 1
        prompted = [c for c in count if count[c] >= 2] or list(count)
        prompted.sort(key=lambda c: -(count[c] + 3 * rng.random()))
        main: dict[str, list[Turn]] = {c: [] for c in prompted}
        drifted: dict[str, list[Turn]] = {c: [] for c in prompted}
        for t in turns:
            near = [c for c in self.neighbours[t.theme] if c in main]
            if t.theme in main and not (near and rng.random() < drift):
                main[t.theme].append(t)
            else:
                drifted[near[0] if near else rng.choice(prompted)].append(t)
        runs = []
        for c in prompted:
            rng.shuffle(main[c])
            rng.shuffle(drifted[c])
            if main[c] or drifted[c]:
                runs.append((c, main[c] + drifted[c]))
        return runs

    def conversation(self, turns: list[Turn], raised: dict[str, list[str]], facilitator: str,
                     rng: random.Random, *, react: float = 0.22, drift: float = 0.15,
                     refer: float = 0.15, quiet: frozenset[str] = frozenset(),
                     style: str = "plain", probe: float = 0.3) -> list[Turn]:
        """The event as it unfolds: for each run a facilitator's prompt (``kind="prompt"``, its
        concern as theme), the run's turns, replies from others who raise the same concern
        (``follow``: picks up the point; ``reaction``: "Same here."), and some turns referring
        back to an earlier speaker of the run. ``style="pointed"``: now and then the facilitator
        puts a pointed question to the next speaker by name (a ``prompt`` on the run's concern,
        ``extra["probe"]`` the person). ``style="quiet"``: only the first run gets a prompt;
        later runs start unprompted, or after a nudge (:attr:`nudges`, housekeeping). No one
        speaks twice in a row."""
        out: list[Turn] = []
        for r, (concern, run) in enumerate(self.runs(turns, rng, drift)):
            if style != "quiet" or r == 0:
                out.append(Turn(facilitator, concern, kind="prompt"))
            elif rng.random() < 0.5:
                out.append(Turn(facilitator, HOUSEKEEPING, kind=HOUSEKEEPING,
                                text=rng.choice(self.nudges)))
            spoke: list[str] = []
            for t in run:
                if (style == "pointed" and spoke and t.theme == concern and t.kind != "more"
                        and out[-1].speaker != facilitator and rng.random() < probe):
                    out.append(Turn(facilitator, concern, kind="prompt",
                                    extra={"probe": t.speaker}))
                elif t.theme == concern and spoke and rng.random() < refer:
                    earlier = [p for p in spoke if p != t.speaker]
                    if earlier:
                        t.refer = rng.choice(earlier)
                out.append(t)
                spoke.append(t.speaker)
                if t.theme != concern or rng.random() >= react:
                    continue
                others = [p for p in raised if concern in raised[p] and p != t.speaker
                          and p not in quiet]
                if others:
                    kind = "follow" if rng.random() < 0.5 else "reaction"
                    out.append(Turn(rng.choice(others), concern, kind=kind))
        return _no_repeats(out, rng)


def _no_repeats(turns: list[Turn], rng: random.Random) -> list[Turn]:
    """Swap a turn that repeats the previous speaker with a later one of the same run that
    does not; where none fits, the facilitator nods in between (housekeeping)."""
    out = list(turns)
    i = 1
    while i < len(out):
        if out[i].speaker == out[i - 1].speaker and out[i].kind != "prompt":
            j = next((j for j in range(i + 1, len(out)) if out[j].kind == "prompt"), len(out))
            swap = [k for k in range(i + 1, j) if out[k].speaker != out[i - 1].speaker and
                    (k + 1 >= len(out) or out[k + 1].speaker != out[i].speaker) and
                    out[k - 1].speaker != out[i].speaker]
            if swap:
                k = swap[0]
                out[i], out[k] = out[k], out[i]
            else:
                out.insert(i, Turn(out[0].speaker, HOUSEKEEPING, kind=HOUSEKEEPING,
                                   text=rng.choice(["Mm-hm, go on.", "Sorry, carry on.",
                                                    "Yes, go on."])))
        i += 1
    return out


# --------------------------------------------------------------------------- records
@dataclass
class EventSpec:
    """One event: community, date, where, the format it was recorded in and its size.

    A corpus subclasses it to name its file folders (:attr:`slugs`: community -> folder)."""

    slugs: ClassVar[Mapping[str, str]] = {}

    community: str
    date: str
    place: str
    format: str
    kind: str  # txt | vtt-voice | vtt-prefix | srt | md | docx | csv-wall | csv-survey
    people: int
    turns: int  # substantive turns planned (before replies)
    title: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int:
        """The year the event took place."""
        return int(self.date[:4])

    @property
    def event_id(self) -> str:
        """``car-2022-03``: the first three letters of the folder, the year and the month."""
        return f"{self.slugs[self.community].split('-')[0][:3]}-{self.date[:7]}"

    @property
    def file(self) -> str:
        """The file's path under the corpus folder."""
        ext = {"vtt-voice": "vtt", "vtt-prefix": "vtt", "csv-wall": "csv",
               "csv-survey": "csv"}.get(self.kind, self.kind)
        return f"{self.slugs[self.community]}/{self.event_id}.{ext}"

    @property
    def spoken(self) -> bool:
        """Whether the file is a transcript (rather than notes, a wall or a survey)."""
        return self.kind in ("txt", "vtt-voice", "vtt-prefix", "srt")


@dataclass
class Event:
    """A planned event: its spec, the people present, what each raises and the turns."""

    spec: EventSpec
    present: list[str]
    raised: dict[str, list[str]]
    turns: list[Turn]


@dataclass
class Line:
    """One thing said or written, ready for a writer."""

    speaker: str
    text: str
    theme: str
    theme2: str = ""
    kind: str = "turn"


@dataclass(frozen=True)
class Bank:
    """A corpus's hand-written words (its ``content.py``) and the few short lines its builder
    adds: ``hello`` (a participant answers the welcome), ``go_on`` (the facilitator waves the
    first speaker on), ``thanks`` (the thank-you note on a wall)."""

    cores: Mapping[str, Sequence[str]]
    follow: Mapping[str, Sequence[str]]
    reactions: Sequence[str]
    both: Mapping[tuple[str, str], Sequence[str]]
    tails: Mapping[str, Sequence[str]]
    openers: Sequence[str]
    refer: Sequence[str]
    and_also: Sequence[str]
    prompts: Mapping[str, Sequence[str]]
    summary: Mapping[str, Sequence[str]]
    open_room: Sequence[str]
    open_online: Sequence[str]
    middle: Sequence[str]
    close: Sequence[str]
    asides: Sequence[str]
    hello: Sequence[str]
    go_on: str
    thanks: Sequence[str]
    probes: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, content: ModuleType, **more: object) -> Bank:
        """The bank of a ``content`` module (each field from its upper-case name, where the
        module has it), with ``more`` for what the module does not hold."""
        names = [f for f in cls.__dataclass_fields__ if f not in more]
        found = {f: getattr(content, f.upper()) for f in names if hasattr(content, f.upper())}
        return cls(**found, **more)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the recipe
Writer = Callable[["Recipe", EventSpec, list[Line], random.Random], tuple[str | bytes, list[Row]]]


@dataclass(frozen=True, kw_only=True)
class Recipe:
    """Everything that makes one corpus what it is.

    ``withdrawn``: (event, speaker) who withdrew consent after the event (their turns stay in
    the file, never as units); ``speaker_consent``: (event, speaker, level) that differ from the
    event's default; ``event_consent``: events whose default is not ``quote``; ``details``:
    (event, concern) -> the planted personal detail said in the first turn on it; ``pattern``:
    the planted concerns' shapes for ``shifts.csv``; ``proper``: whether a first word keeps its
    capital after an opener; ``txt_head``: the two header lines of a plain transcript (format
    strings over the :class:`EventSpec` fields); ``wall_tables``: the boards of a sticky-note
    wall; ``survey_columns`` and ``respondent``: a survey's two profile columns and a
    respondent's answers to them; ``writers``: the corpus's own writers (notes), by kind;
    ``styles``: community -> facilitator style (``plain``, ``pointed``, ``quiet``; ``terse``
    note-takers write ``shorthand``); ``survey_pairs``: the chance a respondent with two
    concerns writes both (None: always, no dice); ``ignore_stop``: texts that differ only by a
    final stop count as the same."""

    root: Path
    seed: int
    events: Sequence[EventSpec]
    cast: Cast
    bank: Bank
    tag: Mapping[str, str]
    facilitator: Mapping[str, str]
    withdrawn: Sequence[tuple[str, str]]
    speaker_consent: Sequence[tuple[str, str, str]]
    event_consent: Mapping[str, str]
    details: Mapping[tuple[str, str], str]
    pattern: Mapping[str, str]
    proper: Callable[[str], bool]
    txt_head: tuple[str, str]
    wall_tables: Sequence[str]
    survey_columns: tuple[str, str]
    respondent: Callable[[EventSpec, random.Random], list[object]]
    writers: Mapping[str, Writer]
    styles: Mapping[str, str] = field(default_factory=dict)
    survey_pairs: float | None = None
    ignore_stop: bool = False
    shorthand: Callable[[str], str] | None = None

    def is_withdrawn(self, ev: EventSpec, speaker: str) -> bool:
        """Whether ``speaker`` withdrew consent for ``ev``."""
        return (ev.event_id, speaker) in self.withdrawn

    def style(self, community: str) -> str:
        """The community's facilitator style (``plain`` unless the recipe says otherwise)."""
        return self.styles.get(community, "plain")


# --------------------------------------------------------------------------- words
def lower_first(text: str, proper: Callable[[str], bool]) -> str:
    """``text`` with its first letter in lower case, unless its first word is ``I``, a number,
    an acronym or a word ``proper`` keeps (a place, a name)."""
    first = text.split(" ", 1)[0]
    if first.rstrip(",.'") in ("I", "I'm", "I've", "I'd", "I'll") or first[:1].isdigit() or (
            len(first) > 1 and first[1].isupper()) or proper(first):
        return text
    return text[0].lower() + text[1:]


def _split_tag(core: str) -> tuple[str, str]:
    """``"CRD|text"`` -> ``("CRD", "text")``: the communities (by their tag letters) that may
    say it; untagged text suits anyone."""
    head, bar, rest = core.partition("|")
    if bar and head.isalpha() and head.isupper() and len(head) <= 5:
        return head, rest
    return "", core


class Voices:
    """Puts words to planned turns from the hand-written bank: a core statement that suits the
    community (used at most twice in the corpus, never twice in one community), sometimes an
    opener or a tail; no text is written twice, except the short "Same here." reactions.

    ``tag``: community -> its tag letter in the bank; ``proper``: see :func:`lower_first`;
    ``ignore_stop``: texts that differ only by a final stop count as the same."""

    def __init__(self, rng: random.Random, bank: Bank, tag: Mapping[str, str],
                 proper: Callable[[str], bool], *, ignore_stop: bool = False) -> None:
        self.rng = rng
        self.bank = bank
        self.tag = tag
        self.proper = proper
        self.ignore_stop = ignore_stop
        self.uses: dict[tuple[str, int], list[str]] = {}  # core -> communities that used it
        self.follow_uses: dict[str, int] = {}
        self.both_used: set[str] = set()
        self.texts: set[str] = set()
        self.at_event: set[tuple[str, int]] = set()  # cores used at the current event

    def _core(self, concern: str, community: str) -> str:
        """A core statement on ``concern`` that suits ``community``, spreading use thin."""
        cores = self.bank.cores[concern]
        ok = [i for i, c in enumerate(cores)
              if not _split_tag(c)[0] or self.tag[community] in _split_tag(c)[0]]
        used = self.uses
        tiers = ((1, True), (2, True), (2, False), (3, False), (9, False))
        for limit, other_community in tiers:  # spread use thin before using a core again
            fresh = [i for i in ok if len(used.get((concern, i), [])) < limit
                     and (concern, i) not in self.at_event
                     and not (other_community and community in used.get((concern, i), []))]
            if fresh:
                break
        else:
            raise RuntimeError(f"the bank for {concern!r} ran out at {community}")
        i = self.rng.choice(fresh)
        self.at_event.add((concern, i))
        self.uses.setdefault((concern, i), []).append(community)
        return _split_tag(cores[i])[1]

    def _fresh(self, text: str) -> bool:
        """Whether ``text`` is new; if so it is taken."""
        seen = text.rstrip(".") if self.ignore_stop else text
        if seen in self.texts:
            return False
        self.texts.add(seen)
        return True

    def speak(self, t: Turn, community: str, *, spoken: bool, detail: str = "",
              shorten: Callable[[str], str] | None = None) -> str:
        """The words of turn ``t`` (``spoken``: a transcript, where openers and tails occur;
        ``shorten``: a note-taker who writes down a shortened core, when it is new)."""
        bank, rng = self.bank, self.rng
        if t.kind == "reaction":
            return rng.choice(bank.reactions)
        if t.kind == "follow":
            free = [f for f in bank.follow[t.theme] if self.follow_uses.get(f, 0) < 2]
            if not free:
                return rng.choice(bank.reactions)
            text = rng.choice(free)
            self.follow_uses[text] = self.follow_uses.get(text, 0) + 1
            return text
        for _ in range(20):
            core = detail or self._content(t, community)
            if shorten is not None:
                short = shorten(core)
                if short not in self.texts:
                    self.texts.add(short)
                    return short
            for attempt in range(12):
                text = core
                if t.refer and spoken and len(core.split()) > 5:
                    back = rng.choice(bank.refer).format(name=t.refer)
                    text = back + lower_first(text, self.proper)
                elif spoken and rng.random() < (0.35 if attempt == 0 else 0.7):
                    opener = rng.choice(bank.openers)
                    if len(core.split()) > 3:  # no "Um, Buses."
                        text = opener + (text if opener.endswith(". ")
                                         else lower_first(text, self.proper))
                if rng.random() < (0.2 if spoken else 0.08) or attempt > 1:
                    text += " " + rng.choice(bank.tails[t.theme])
                if self._fresh(text):
                    return text
        raise RuntimeError(f"no fresh words for {t}")

    def _content(self, t: Turn, community: str) -> str:
        """The core words of ``t``: one concern, or two (a written pair, else two cores)."""
        if t.theme2:
            both = self.bank.both.get((t.theme, t.theme2), [])
            free = [b for b in both if b not in self.both_used]
            if free:
                text = self.rng.choice(free)
                self.both_used.add(text)
                return text
            second = lower_first(self._core(t.theme2, community), self.proper)
            return f"{self._core(t.theme, community)} {self.rng.choice(self.bank.and_also)}{second}"
        return self._core(t.theme, community)


def plan_event(recipe: Recipe, ev: EventSpec, rng: random.Random) -> Event:
    """Who is there, what they raise and (for spoken events and notes) the conversation."""
    cast = recipe.cast
    must = [w for e, w in recipe.withdrawn if e == ev.event_id]
    must += [w for e, w, _ in recipe.speaker_consent if e == ev.event_id]
    talk = cast.speakers[ev.community]
    if ev.spoken:  # the talker of the group, and someone who says one thing only
        must.append(max(sorted(talk), key=talk.__getitem__))
        if not any(talk[w] == 0 and (ev.event_id, w) not in recipe.withdrawn for w in must):
            must.append(rng.choice(sorted(p for p in talk if talk[p] == 0)))
    present = cast.present(ev.community, ev.people, must, rng)
    raised = cast.raisers(ev.community, ev.year, present, rng)
    fac = recipe.facilitator[ev.community].split()[0]
    quiet = frozenset(p for p in present if talk[p] == 0)
    if ev.kind == "csv-survey":
        turns = []
        for p in present:
            a = raised[p][0]
            b = next((c for c in raised[p][1:]), "")
            if recipe.survey_pairs is not None and rng.random() >= recipe.survey_pairs:
                b = ""
            turns.append(Turn(p, a, theme2=b))
        return Event(ev, present, raised, turns)
    turns = cast.turns_for(ev.community, raised, ev.turns, rng)
    if ev.kind == "csv-wall":
        rng.shuffle(turns)
        return Event(ev, present, raised, turns)
    style = recipe.style(ev.community) if ev.spoken else "plain"
    return Event(ev, present, raised, cast.conversation(turns, raised, fac, rng, quiet=quiet,
                                                        style=style))


def words(recipe: Recipe, event: Event, voices: Voices, rng: random.Random) -> list[Line]:
    """The planned turns in words: prompts (or a pointed probe) from the bank, the planted
    personal details, the rest from :class:`Voices`."""
    ev = event.spec
    bank = recipe.bank
    out = []
    done: set[str] = set()
    for t in event.turns:
        if t.kind == HOUSEKEEPING:
            out.append(Line(t.speaker, t.text, HOUSEKEEPING, kind=HOUSEKEEPING))
            continue
        if t.kind == "prompt":
            if "probe" in t.extra:
                text = rng.choice(bank.probes[t.theme]).format(name=t.extra["probe"])
            else:
                text = rng.choice(bank.prompts[t.theme])
            out.append(Line(t.speaker, text, t.theme, kind="prompt"))
            continue
        detail = recipe.details.get((ev.event_id, t.theme), "") if t.kind == "turn" else ""
        if detail and t.theme in done or t.theme2:
            detail = ""
        done.add(t.theme)
        terse = recipe.style(ev.community) == "terse" and ev.kind in ("md", "docx")
        text = voices.speak(t, ev.community, spoken=ev.spoken, detail=detail,
                            shorten=recipe.shorthand if terse else None)
        if ev.kind == "csv-wall" and rng.random() < 0.3:
            text = text.rstrip(".")
        kind = "turn" if t.kind == "more" else t.kind
        out.append(Line(t.speaker, text, t.theme, t.theme2, kind))
    return out


def housekeeping(recipe: Recipe, ev: EventSpec, lines: list[Line],
                 rng: random.Random) -> list[Line]:
    """Spoken events: the facilitator's welcome (answered by a participant), an aside, a word
    from the facilitator mid-run and the close; never two turns of one speaker in a row."""
    bank = recipe.bank
    fac = recipe.facilitator[ev.community].split()[0]
    online = ev.place.startswith("Online")
    people = sorted({x.speaker for x in lines if x.speaker != fac})
    opening = rng.sample(bank.open_online if online else bank.open_room, 2)
    hello = rng.choice(people)
    out = [Line(fac, " ".join(opening), HOUSEKEEPING, kind=HOUSEKEEPING),
           Line(hello, rng.choice(bank.hello), HOUSEKEEPING, kind=HOUSEKEEPING)]
    spots = [i for i in range(1, len(lines) - 1) if lines[i].speaker != fac and
             lines[i + 1].speaker not in (fac,) and lines[i + 1].kind != "prompt"]
    middle = set(rng.sample(spots, min(2, len(spots))))
    aside_at = rng.choice([i for i in spots if i not in middle] or [-1])
    for i, x in enumerate(lines):
        if i == 0 and x.speaker == hello and x.kind != "prompt":
            out.append(Line(fac, bank.go_on, HOUSEKEEPING, kind=HOUSEKEEPING))
        out.append(x)
        if i in middle:
            out.append(Line(fac, rng.choice(bank.middle), HOUSEKEEPING, kind=HOUSEKEEPING))
        elif i == aside_at:
            who = [p for p in people if p not in (x.speaker, lines[i + 1].speaker)]
            if who:
                out.append(Line(rng.choice(who), rng.choice(bank.asides), HOUSEKEEPING,
                                kind=HOUSEKEEPING))
    if out[-1].speaker == fac:
        out[-1] = Line(fac, out[-1].text + " " + rng.choice(bank.close), out[-1].theme,
                       kind=out[-1].kind)
    else:
        out.append(Line(fac, rng.choice(bank.close), HOUSEKEEPING, kind=HOUSEKEEPING))
    for a, b in zip(out, out[1:]):
        assert a.speaker != b.speaker, (ev.event_id, a, b)
    return out


def wall_extras(recipe: Recipe, ev: EventSpec, rng: random.Random,
                voices: Voices) -> list[Line]:
    """Two unsigned notes (each its own voice) and a thank-you."""
    concerns = sorted(recipe.cast.concerns)
    weights = [recipe.cast.share(ev.community, c, ev.year) for c in concerns]
    out = [Line("", voices.speak(Turn("", c), ev.community, spoken=False), c)
           for c in rng.choices(concerns, weights, k=2)]
    out.append(Line("", rng.choice(recipe.bank.thanks), HOUSEKEEPING, kind=HOUSEKEEPING))
    return out


# --------------------------------------------------------------------------- writers
def _clock(seconds: float, sep: str = ".") -> str:
    """``hh:mm:ss.mmm`` (``sep`` before the milliseconds: ``,`` in SubRip)."""
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _seconds(text: str) -> float:
    """How long ``text`` takes to say: a second plus 2.5 words a second."""
    return round(1.0 + len(text.split()) / 2.5, 1)


def _row(ev: EventSpec, line: int, x: Line) -> Row:
    """The key row of ``x``, written at ``line`` of the event's file."""
    return (ev.file, line, x.theme, x.theme2, x.speaker, x.kind)


def _note(ev: EventSpec, line: int, theme: str = HOUSEKEEPING, speaker: str = "") -> Row:
    """A key row for a line no participant said: housekeeping or the note-taker's summary."""
    return (ev.file, line, theme, "", speaker, HOUSEKEEPING if theme == HOUSEKEEPING else
            "summary")


def write_txt(recipe: Recipe, ev: EventSpec, lines: list[Line],
              rng: random.Random) -> tuple[str, list[Row]]:
    """``[hh:mm:ss] Name: text``; long turns wrap onto the next line; the odd ``[crosstalk]``."""
    out = [head.format_map(vars(ev)) for head in recipe.txt_head] + [""]
    rows: list[Row] = [_note(ev, 1)]
    t = 20.0 + rng.randint(0, 40)
    for x in lines:
        words = x.text.split(" ")
        body = [x.text]
        if len(words) > 22 and rng.random() < 0.6:
            body = [" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])]
        if not recipe.is_withdrawn(ev, x.speaker):
            rows.append(_row(ev, len(out) + 1, x))
        out.append(f"[{_clock(t)[:8]}] {x.speaker}: {body[0]}")
        out.extend(body[1:])
        r = rng.random()
        if r < 0.03:
            out.append("[crosstalk]")
        elif r < 0.05:
            out.append("(laughter)")
        t += _seconds(x.text) + rng.uniform(0.5, 3.5)
    return "\n".join(out) + "\n", rows


def _chunks(text: str) -> list[str]:
    """Caption cues: a turn over 13 words splits in two, at a word that does not end a
    sentence."""
    words = text.split(" ")
    if len(words) <= 13:
        return [text]
    cut = len(words) // 2
    while cut < len(words) - 1 and words[cut - 1][-1] in ".?!":
        cut += 1
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def write_vtt(recipe: Recipe, ev: EventSpec, lines: list[Line],
              rng: random.Random) -> tuple[str, list[Row]]:
    """WebVTT: Teams (``<v Name>`` voice tags, GUID cue ids) or Zoom captions (``Name:``)."""
    teams = ev.kind == "vtt-voice"
    out = ["WEBVTT", ""]
    rows: list[Row] = []
    t, cue = 2.0, 0
    for x in lines:
        for k, chunk in enumerate(_chunks(x.text)):
            cue += 1
            dur = _seconds(chunk)
            ident = (f"{rng.randrange(16**8):08x}-{rng.randrange(16**4):04x}/{cue}-0" if teams
                     else str(cue))
            out += [ident, f"{_clock(t)} --> {_clock(t + dur)}"]
            if k == 0 and not recipe.is_withdrawn(ev, x.speaker):
                rows.append(_row(ev, len(out) + 1, x))
            body = chunk.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(f"<v {x.speaker}>{body}</v>" if teams else f"{x.speaker}: {body}")
            out.append("")
            t += dur + 0.2
        t += rng.uniform(0.3, 2.0)
    return "\n".join(out), rows


def write_srt(recipe: Recipe, ev: EventSpec, lines: list[Line],
              rng: random.Random) -> tuple[str, list[Row]]:
    """SubRip: ``Name:`` on the first cue of a turn, none on its continuation cue."""
    out: list[str] = []
    rows: list[Row] = []
    t, cue = 1.5, 0
    for x in lines:
        for k, chunk in enumerate(_chunks(x.text)):
            cue += 1
            dur = _seconds(chunk)
            out += [str(cue), f"{_clock(t, ',')} --> {_clock(t + dur, ',')}"]
            if k == 0:
                if not recipe.is_withdrawn(ev, x.speaker):
                    rows.append(_row(ev, len(out) + 1, x))
                out.append(f"{x.speaker}: {chunk}")
            else:
                out.append(chunk)
            out.append("")
            t += dur + 0.3
        t += rng.uniform(0.3, 2.0)
    return "\n".join(out), rows


def _sections(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Notes: a section per prompt (the heading names the topic), with what was said under it;
    the plain "Same here." reactions are not written down."""
    out: list[tuple[str, list[Line]]] = []
    for x in lines:
        if x.kind == "prompt":
            out.append((x.theme, []))
        elif x.kind not in ("reaction", HOUSEKEEPING):
            out[-1][1].append(x)
    return out


def attendance(lines: list[Line], facilitator: str) -> int:
    """How many people other than the facilitator (full name) have a line."""
    return len({x.speaker for x in lines if x.speaker != facilitator.split()[0]})


def notes_md(recipe: Recipe, ev: EventSpec, lines: list[Line], rng: random.Random, *,
             head: list[str], opening: str, headings: Mapping[str, str], odds: float,
             close: tuple[str, str]) -> tuple[str, list[Row]]:
    """Typed notes: ``head`` (the title, the italic line 3 and the first heading), the
    ``opening`` bullet, a heading per topic (``headings``) with bullets ``**Name:** ...`` and,
    at ``odds``, the note-taker's own summary line; ``close``: the last heading and bullet."""
    out = list(head)
    rows: list[Row] = [_note(ev, 3)]
    rows.append(_note(ev, len(out) + 1))
    out.append(f"- {opening}")
    for concern, said in _sections(lines):
        out += ["", f"## {headings[concern]}", ""]
        for x in said:
            rows.append(_row(ev, len(out) + 1, x))
            out.append(f"- **{x.speaker}:** {x.text}")
        if rng.random() < odds:
            rows.append(_note(ev, len(out) + 1, concern))
            out.append(f"- {rng.choice(recipe.bank.summary[concern])}")
    out += ["", f"## {close[0]}", ""]
    rows.append(_note(ev, len(out) + 1))
    out.append(f"- {close[1]}")
    return "\n".join(out) + "\n", rows


def _fixed_zip(raw: bytes) -> bytes:
    """The same zip with every entry dated 1 January 2024 (python-docx stamps the time)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def notes_docx(recipe: Recipe, ev: EventSpec, lines: list[Line], rng: random.Random, *,
               intro: str, headings: Mapping[str, str], odds: float,
               close: tuple[str, str]) -> tuple[bytes, list[Row]]:
    """Notes typed in Word: a title, ``intro``, a heading per topic (``headings``) with
    ``Name: ...`` paragraphs and, at ``odds``, the note-taker's bullet; ``close``: the last
    heading and the facilitator's closing words. Rows use the docx reader's decoded line
    numbers (one line per paragraph)."""
    import datetime as dt

    import docx

    fac = recipe.facilitator[ev.community]
    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = fac
    props.title = ev.title
    props.created = props.modified = dt.datetime(ev.year, 1, 1, 9, 0, 0)
    props.revision = 1
    rows: list[Row] = []
    document.add_paragraph(f"{ev.community}: {ev.title}", style="Title")
    document.add_paragraph(intro)
    rows.append(_note(ev, 2))
    line = 2
    for concern, said in _sections(lines):
        document.add_heading(headings[concern], level=1)
        line += 1
        for x in said:
            document.add_paragraph(f"{x.speaker}: {x.text}")
            line += 1
            rows.append(_row(ev, line, x))
        if rng.random() < odds:
            document.add_paragraph(rng.choice(recipe.bank.summary[concern]),
                                   style="List Bullet")
            line += 1
            rows.append(_note(ev, line, concern))
    document.add_heading(close[0], level=1)
    document.add_paragraph(f"{fac.split()[0]}: {close[1]}")
    rows.append(_note(ev, line + 2, speaker=fac.split()[0]))
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue()), rows


def _table(ev: EventSpec, lines: list[Line], header: list[str],
           cells: Callable[[Line], list[object]]) -> tuple[str, list[Row]]:
    """A csv export: ``header``, then one row of ``cells`` per line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    rows: list[Row] = []
    for i, x in enumerate(lines):
        w.writerow(cells(x))
        rows.append(_row(ev, i + 2, x))
    return buf.getvalue(), rows


def write_wall(recipe: Recipe, ev: EventSpec, lines: list[Line],
               rng: random.Random) -> tuple[str, list[Row]]:
    """A sticky-note wall, one note per row (the event's text, group and speaker columns): a
    few notes are unsigned, and one is just a thank-you."""
    header = [ev.options[c] for c in ("text_column", "group_column", "speaker_column")]
    return _table(ev, lines, header,
                  lambda x: [x.text, rng.choice(recipe.wall_tables), x.speaker])


def write_survey(recipe: Recipe, ev: EventSpec, lines: list[Line],
                 rng: random.Random) -> tuple[str, list[Row]]:
    """A survey export: one row per respondent, one column per question (the speaker column,
    the recipe's two profile columns, the free-text answer)."""
    header = [ev.options["speaker_column"], *recipe.survey_columns, ev.options["text_column"]]
    return _table(ev, lines, header,
                  lambda x: [x.speaker, *recipe.respondent(ev, rng), x.text])


WRITERS: dict[str, Writer] = {
    "txt": write_txt, "vtt-voice": write_vtt, "vtt-prefix": write_vtt, "srt": write_srt,
    "csv-wall": write_wall, "csv-survey": write_survey}


# --------------------------------------------------------------------------- the corpus
def build(recipe: Recipe) -> list[Row]:
    """Write every file of the corpus; return the key rows."""
    rng = random.Random(recipe.seed)
    voices = Voices(rng, recipe.bank, recipe.tag, recipe.proper,
                    ignore_stop=recipe.ignore_stop)
    writers = {**WRITERS, **recipe.writers}
    key: list[Row] = []
    for ev in recipe.events:
        event = plan_event(recipe, ev, rng)
        voices.at_event.clear()
        lines = words(recipe, event, voices, rng)
        if ev.kind == "csv-wall":
            lines += wall_extras(recipe, ev, rng, voices)
            rng.shuffle(lines)
        if ev.spoken:
            lines = housekeeping(recipe, ev, lines, rng)
        content, rows = writers[ev.kind](recipe, ev, lines, rng)
        path = recipe.root / ev.file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
        key.extend(rows)
    key.sort(key=lambda r: (r[0], r[1]))
    if "-v" in sys.argv:
        print("core uses:", sorted(Counter(
            (c, len(v)) for (c, _), v in voices.uses.items()).items()))
    return key


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """Write a corpus table (``\n`` line ends, UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def measured_shares(key: list[dict[str, str]],
                    concerns: Collection[str]) -> dict[tuple[str, str, int], float]:
    """Per (event file, concern, year): the share of the event's participant voices whose
    turns raise the concern (as main or second theme), counted from key rows (dicts with the
    key's columns). A voice is a named speaker, or each unsigned note on its own; the
    facilitator's prompts, the note-taker's summaries and housekeeping are not voices."""
    voices: dict[str, set[str]] = {}
    raised: dict[tuple[str, str], set[str]] = {}
    for r in key:
        if r["kind"] not in ("turn", "follow", "reaction"):
            continue
        voice = r["speaker"] or f"note:{r['line']}"
        voices.setdefault(r["source"], set()).add(voice)
        for c in (r["theme"], r["theme2"]):
            if c:
                raised.setdefault((r["source"], c), set()).add(voice)
    out = {}
    for src, vs in voices.items():
        year = int(src.rsplit("/", 1)[1].split("-")[1])
        for c in concerns:
            out[(src, c, year)] = len(raised.get((src, c), set())) / len(vs)
    return out


KEY_COLUMNS = ["source", "line", "theme", "theme2", "speaker", "kind"]


def write_tables(recipe: Recipe, key: list[Row]) -> None:
    """events.csv, consent.csv and the key folder."""
    root, events, concerns = recipe.root, recipe.events, recipe.cast.concerns
    _write_csv(root / "events.csv", ["event_id", "community", "date", "place", "format", "file",
                                     "facilitator", "title", "text_column", "group_column",
                                     "speaker_column"],
               [[e.event_id, e.community, e.date, e.place, e.format, e.file,
                 recipe.facilitator[e.community], e.title, e.options.get("text_column", ""),
                 e.options.get("group_column", ""), e.options.get("speaker_column", "")]
                for e in events])
    consent: list[list[object]] = [[e.event_id, "*",
                                    recipe.event_consent.get(e.event_id, "quote")]
                                   for e in events]
    consent += [[e, w, level] for e, w, level in recipe.speaker_consent]
    consent += [[e, w, "withdrawn"] for e, w in recipe.withdrawn]
    _write_csv(root / "consent.csv", ["event_id", "speaker", "consent"], consent)
    _write_csv(root / "_key" / "themes.csv", KEY_COLUMNS, [list(r) for r in key])
    _write_csv(root / "_key" / "concerns.csv", ["id", "name", "description"],
               [[c, n, d] for c, (n, d) in concerns.items()])
    shares = measured_shares([dict(zip(KEY_COLUMNS, map(str, r))) for r in key], concerns)
    rows: list[list[object]] = []
    planted, years = recipe.cast.planted, recipe.cast.years
    for c in planted:
        for year in years:
            vals = [v for (s, cc, y), v in shares.items() if cc == c and y == year]
            rows.append([c, recipe.pattern[c], year, f"{planted[c][year - years[0]]:.2f}",
                         f"{sum(vals) / len(vals):.3f}", len(vals)])
    _write_csv(root / "_key" / "shifts.csv",
               ["concern", "pattern", "year", "planted", "measured", "events"], rows)


# --------------------------------------------------------------------------- README counts
def read_csv(root: Path, rel: str) -> list[dict[str, str]]:
    """The rows of a corpus table, as dicts."""
    with (root / rel).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _format(event: dict[str, str]) -> str:
    """The README's name of an event's format (``vtt (Teams)``, ``csv wall``, ``md`` ...)."""
    ext = event["file"].rsplit(".", 1)[1]
    if ext == "vtt":
        return "vtt (Teams)" if "Teams" in event["place"] else "vtt (Zoom)"
    if ext == "csv":
        return "csv survey" if event["format"] == "survey" else "csv wall"
    return ext


def print_units(key: list[dict[str, str]], events: dict[str, dict[str, str]]) -> None:
    """Units in all, by format and by kind."""
    print("units", len(key))
    print("by format", dict(Counter(_format(events[r["source"]]) for r in key).most_common()))
    print("by kind", dict(Counter(r["kind"] for r in key).most_common()))


def print_themes(key: list[dict[str, str]], events: dict[str, dict[str, str]],
                 short: Mapping[str, str]) -> None:
    """The table of units by concern and community (``short``: community -> column name), and
    the named participants."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for r in key:
        table[r["theme"]][short[events[r["source"]]["community"]]] += 1
    cols = sorted(short.values())
    print("| theme | " + " | ".join(cols) + " | all |")
    for theme in sorted(table):
        row = [table[theme][c] for c in cols]
        print(f"| {theme} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    totals = [sum(table[t][c] for t in table) for c in cols]
    print("| all | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    voiced = [r for r in key if r["kind"] in ("turn", "follow", "reaction") and r["speaker"]]
    per = Counter((events[r["source"]]["community"], r["speaker"]) for r in voiced)
    print("named participants", len(per), "most", per.most_common(5),
          "median", sorted(per.values())[len(per) // 2])


def on_prompt(key: list[dict[str, str]], events: dict[str, dict[str, str]],
              skip: Collection[str] = ()) -> float:
    """The share of turns on the concern of the prompt they follow (``skip``: communities
    left out)."""
    on = off = 0
    for src in events:
        if events[src]["community"] in skip:
            continue
        current = ""
        for r in sorted((r for r in key if r["source"] == src), key=lambda r: int(r["line"])):
            if r["kind"] == "prompt":
                current = r["theme"]
            elif r["kind"] == "turn" and current:
                on, off = on + (r["theme"] == current), off + (r["theme"] != current)
    return on / (on + off)


def print_shifts(root: Path) -> None:
    """The README's shift table: planted (measured) share per year, early and late means."""
    shifts = read_csv(root, "_key/shifts.csv")
    for concern in dict.fromkeys(r["concern"] for r in shifts):
        rs = [r for r in shifts if r["concern"] == concern]
        cells = " | ".join(f"{float(r['planted']):.0%} ({float(r['measured']):.0%})" for r in rs)
        early = (float(rs[0]["measured"]) + float(rs[1]["measured"])) / 2
        late = (float(rs[3]["measured"]) + float(rs[4]["measured"])) / 2
        print(f"| {concern} | {rs[0]['pattern']} | {cells} | {early:.0%} -> {late:.0%} |")
