"""Synthetic corpus folders with planted themes and planted changes over time.

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

What is written. Each theme has a vocabulary (subjects, problems, impacts, wishes) and its own
sentences; utterances come from 30 templates per theme (12 of its own sentences, a fifth of the
time, and 18 frames shared by all themes, filled with its vocabulary), with hedges, fillers and tails, so that embeddings
group them by meaning while the texts are rarely identical. Each community has its own emphasis
(weights drawn from the seed); a :class:`Shift` multiplies a theme's weight from a date on
(``rise``/``fall``) or within a window (``spike``), for one community or all. Facilitators say
housekeeping lines ("can everyone hear me?"), about ``housekeeping_share`` of all units, with
theme ``housekeeping`` in the truth.

Formats: ``txt`` (``[hh:mm:ss] Name: text``), ``vtt`` (``<v Name>`` voice tags), ``srt``
(``Name:`` prefixes), ``md`` (``- **Name:** text`` bullets under one heading) and ``csv``
(``text,speaker`` with the reader options in events.csv); events take them in turn.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_THEMES", "DEFAULT_COMMUNITIES", "DEFAULT_SHIFTS", "FORMATS", "Shift",
           "SyntheticTruth", "make_corpus", "theme_vocabulary"]


@dataclass(frozen=True)
class _Vocab:
    """What people say about one theme: noun phrases, verb phrases, consequences, requests and
    whole sentences."""

    subjects: tuple[str, ...]
    problems: tuple[str, ...]
    impacts: tuple[str, ...]
    wishes: tuple[str, ...]
    sentences: tuple[str, ...]


_VOCAB: dict[str, _Vocab] = {
    "damp-and-repairs": _Vocab(
        subjects=("the damp in our flat", "the black mould in the bathroom", "the repairs "
                  "service", "the leak above the kitchen", "the condensation on the bedroom "
                  "windows", "the broken boiler", "the mould behind the wardrobe", "the rotten "
                  "window frame"),
        problems=("keeps coming back however much we scrub", "has been reported six times",
                  "never gets fixed properly", "gets painted over and returns in a month",
                  "is blamed on us drying clothes indoors", "is worse every winter",
                  "still has an open ticket from last spring", "is ignored by the housing "
                  "officer"),
        impacts=("my son's asthma has got worse", "we all sleep in the front room now",
                 "the kids' clothes smell musty", "I've thrown out two mattresses", "my chest is "
                 "bad all winter", "the baby's room is unusable", "we can't have anyone round",
                 "I'm scrubbing walls every weekend"),
        wishes=("a surveyor who actually fixes the cause", "repairs done right first time",
                "new windows that seal", "a landlord that answers the phone", "proper "
                "ventilation in the bathroom", "someone to check the repair worked"),
        sentences=("The mould is back on the ceiling, black spots all over again.",
                   "They sent a contractor who wiped it with bleach and left.",
                   "Our repairs job was closed as complete but nobody ever came.",
                   "Water drips through the light fitting when it rains.",
                   "The housing association says it's condensation and tells us to open windows.",
                   "I've got photos of the mould going back two years.",
                   "There's a damp patch spreading down the wall behind the cot.",
                   "The extractor fan has been broken since we moved in.",
                   "My neighbour's ceiling fell in because of the leak.",
                   "Every winter the walls go green in the back bedroom.",
                   "The plaster's crumbling where the damp gets in by the window.",
                   "We waited nine weeks for someone to look at the boiler."),
    ),
    "gp-appointments": _Vocab(
        subjects=("getting a GP appointment", "the eight o'clock phone queue", "the surgery's "
                  "booking app", "seeing the same doctor", "the receptionist at the practice",
                  "a face to face appointment", "the online consultation form", "a referral "
                  "letter"),
        problems=("is practically impossible", "takes three weeks at least", "means an hour "
                  "on hold", "is always fully booked by ten past eight", "has got much harder "
                  "since the pandemic", "never seems to happen", "goes round in circles",
                  "depends on how hard you fight"),
        impacts=("people end up going to A&E", "I just give up and go to the chemist",
                 "my mum's prescription ran out", "I had to explain my history all over again",
                 "my daughter waited days with a fever", "I lost a morning's pay waiting",
                 "my husband's condition got worse", "we stopped bothering"),
        wishes=("same-day appointments for children", "a named doctor who knows us",
                "a phone line that doesn't cut you off", "walk-in sessions again",
                "longer than ten minutes with the doctor", "reception that doesn't ask "
                "personal things out loud"),
        sentences=("I rang the surgery forty times before I got through.",
                   "By the time I reached the front of the queue every slot had gone.",
                   "They offered me a telephone appointment in four weeks.",
                   "The doctor only deals with one problem per visit.",
                   "My repeat prescription went missing between the surgery and the pharmacy.",
                   "The practice closed its list so new families can't register.",
                   "I got sent to the pharmacist when I needed a doctor.",
                   "You can't show a rash to a doctor over the phone.",
                   "The booking app says no appointments available every single day.",
                   "I waited four months for a referral that was never sent.",
                   "My diabetes check was cancelled twice without a call back.",
                   "The receptionist asked what was wrong in front of the whole waiting room."),
    ),
    "energy-bills": _Vocab(
        subjects=("our electricity bill", "the gas bill", "the prepayment meter", "the standing "
                  "charge", "heating the house", "the direct debit for energy", "topping up the "
                  "meter", "the cost of running the cooker"),
        problems=("has more than doubled", "eats half my wages", "went up again this month",
                  "costs more than the rent some weeks", "is impossible on a pension",
                  "keeps rising even though we use less", "is frightening to look at",
                  "means choosing between heating and food"),
        impacts=("we sit in coats in the evening", "I go to bed early to keep warm",
                 "the kids do homework under a blanket", "I only cook every other day",
                 "we've fallen into arrears", "I skip meals so the children can eat",
                 "I sit in the library to stay warm", "the heating stays off till December"),
        wishes=("help with energy debt", "a fair price for prepayment customers", "warm spaces "
                "open in the evening", "insulation grants people can actually get", "lower "
                "standing charges", "advice from someone who understands the tariffs"),
        sentences=("Our energy bill went from sixty pounds a month to nearly two hundred.",
                   "Some weeks I can't top up the meter and we sit in the dark.",
                   "I turned the radiators off in every room except one.",
                   "The energy company put my direct debit up again without asking.",
                   "We use a hot water bottle instead of the heating now.",
                   "The standing charge alone costs more than my old monthly bill.",
                   "I've stopped using the oven because the electric costs too much.",
                   "The winter fuel payment doesn't touch the sides anymore.",
                   "I'm in debt to the gas company for the first time in my life.",
                   "We wear jumpers and coats indoors all evening.",
                   "Heating or eating, that's the choice in our house this winter.",
                   "The smart meter just shows me how fast the money disappears."),
    ),
    "buses": _Vocab(
        subjects=("the bus service", "the number 7 bus", "the last bus home", "the fare into town",
                  "the stop by the shops", "the bus timetable", "the route to the hospital",
                  "the Sunday service"),
        problems=("was cut to once an hour", "never turns up on time", "stops running at six",
                  "has gone up again", "was moved to the top of the hill", "is always "
                  "cancelled", "doesn't match the app", "disappeared altogether"),
        impacts=("I'm stuck at home most days", "I missed my hospital appointment", "I'm late "
                 "for work every week", "taxis cost me a fortune", "my grandson walks an hour to "
                 "college", "older people can't get to the shops", "I stand in the rain for "
                 "ages", "I can't visit my sister anymore"),
        wishes=("a bus every twenty minutes", "a shelter and a seat at the stop", "a route "
                "straight to the hospital", "cheaper fares for young people", "evening and "
                "Sunday buses", "drivers who wait until you sit down"),
        sentences=("The 7 used to run every fifteen minutes and now it's hourly.",
                   "Two buses turn up together and then nothing for an hour.",
                   "There's no bus after seven so I can't work late shifts.",
                   "The driver went past the stop because the bus was full.",
                   "A return into town costs more than four pounds now.",
                   "The ramp was broken so I couldn't get on with my wheelchair.",
                   "The timetable at the stop is three years out of date.",
                   "To get to the hospital I have to change buses in town.",
                   "They scrapped the Sunday buses without asking anyone.",
                   "The bus app says it's due but it never arrives.",
                   "My bus pass doesn't work before half nine.",
                   "They moved the stop too far for people with walking frames."),
    ),
    "loneliness": _Vocab(
        subjects=("the weekend", "living on my own", "every evening", "losing the lunch club",
                  "not driving anymore", "being stuck in the flat", "the long winter", "losing "
                  "my husband"),
        problems=("feels endless", "means days without speaking to anyone", "is so quiet it "
                  "hurts", "cut me off from everyone", "made my world very small", "leaves me "
                  "with just the television", "gets harder every year", "changed everything"),
        impacts=("I go days without a conversation", "I talk to the cashier just to talk",
                 "nobody would notice if I fell", "I've stopped going out", "I feel invisible",
                 "my confidence has gone", "the phone never rings", "I sit by the window "
                 "watching people"),
        wishes=("a befriender to pop round for tea", "the lunch club back three days a week",
                "somewhere to go in the afternoons", "someone to go with the first time",
                "a community centre again", "a regular coffee morning"),
        sentences=("Some days the only person I speak to is the postman.",
                   "Since my wife died the house is so quiet.",
                   "My family live far away and only ring on Sundays.",
                   "Coming to this group is the only time I leave the house all week.",
                   "I didn't see another person for four days over Christmas.",
                   "My neighbour died and nobody noticed for a week.",
                   "I'd go to more things if I had someone to go with.",
                   "The community centre closed and we lost touch with everyone.",
                   "I walk round the supermarket just to be around people.",
                   "Weekends are the hardest, nothing happens from Friday to Monday.",
                   "I feel forgotten since I stopped working.",
                   "After the baby I was stuck in the flat and felt completely alone."),
    ),
    "youth-activities": _Vocab(
        subjects=("the youth club", "the skate park", "the football pitch", "anything to do "
                  "after school", "the summer holiday club", "the music project", "somewhere "
                  "for teenagers", "the leisure centre"),
        problems=("closed two years ago", "is falling apart", "costs too much to hire",
                  "barely exists round here", "only ran for four weeks", "lost its funding",
                  "is all in town", "moves us on if we sit in a group"),
        impacts=("kids just hang around the shops", "we get moved on everywhere", "young "
                 "people are bored and get in trouble", "we sit in our rooms on our phones",
                 "talented people have nowhere to practise", "my little brother has nothing to "
                 "do", "we can't afford the bus into town", "adults think we're trouble"),
        wishes=("a free space open in the evenings", "a youth worker who stays", "a music "
                "studio for young people", "a room we can run ourselves", "free sports "
                "sessions", "something that isn't just football"),
        sentences=("There's nowhere to go after school so we hang around outside the shop.",
                   "The youth club building has been empty since it shut.",
                   "Hiring the astro pitch costs forty pounds an hour.",
                   "Half the ramps at the skate park are taped off.",
                   "The holiday club was packed every day which shows people want it.",
                   "Our youth worker left when the funding ended.",
                   "Everything good for teenagers is on the other side of town.",
                   "The library tells us to leave if we're talking in a group.",
                   "Give us a space and we'll organise it ourselves.",
                   "A place open till nine on Fridays would keep people out of trouble.",
                   "They built new houses on the field and nothing for young people.",
                   "There's stuff for little kids but nothing for sixteen-year-olds."),
    ),
    "street-safety": _Vocab(
        subjects=("the lighting by the canal", "the underpass", "the alley behind the "
                  "flats", "the park after dark", "the stairwell", "the walk home from the bus "
                  "stop", "the door entry system", "the CCTV on the corner"),
        problems=("has been out for months", "is pitch black at night", "is used for dealing",
                  "feels dangerous after four", "has been broken since spring", "makes me "
                  "nervous", "never gets fixed", "hasn't worked in years"),
        impacts=("I won't walk home alone", "my daughter holds her keys between her fingers",
                 "I take a taxi I can't afford", "the kids aren't allowed out after dark",
                 "people have been followed", "cars keep getting broken into", "I stay in once "
                 "it's dark", "nobody feels safe on the estate"),
        wishes=("working street lights", "police officers we actually see", "a PCSO who knows "
                "our names", "CCTV that works", "the underpass lit properly", "the door entry "
                "fixed"),
        sentences=("Half the lights on the canal path are broken.",
                   "I got followed home from the bus stop last winter.",
                   "You never see a police officer walking round anymore.",
                   "When you ring 101 you're on hold for an hour.",
                   "There's dealing in the stairwell most nights.",
                   "Cars race up the main road at night and someone will get killed.",
                   "The girls at school won't go through the park after dark.",
                   "We reported the broken street light three times.",
                   "E-scooters fly down the pavement and I've been clipped twice.",
                   "There's shouting and fireworks outside the flats at two in the morning.",
                   "The underpass smells and has no lighting at all.",
                   "The camera on the corner is just for show."),
    ),
    "interpreters": _Vocab(
        subjects=("getting an interpreter", "every letter from the hospital", "the phone "
                  "interpreter", "each appointment text", "explaining my symptoms", "the "
                  "label on my medicine", "talking to the midwife", "the health information"),
        problems=("never happens unless you fight", "only comes in English", "has a bad line "
                  "and the wrong dialect", "arrives in a language I can't read", "is impossible "
                  "without help", "has no translation", "needs my child to translate",
                  "isn't in Somali or Arabic"),
        impacts=("my twelve-year-old translates women's health for me", "I missed an "
                 "appointment", "I didn't understand my diagnosis", "I say yes without "
                 "understanding", "I took the medicine at the wrong time", "my husband hears "
                 "everything about my health", "older women stop going to the doctor", "I feel "
                 "stupid and ashamed"),
        wishes=("a female interpreter booked automatically", "letters in my own language",
                "a health worker who speaks our language", "face to face interpreting",
                "translated medicine instructions", "English classes that keep running"),
        sentences=("At the hospital they didn't book an interpreter so my son translated.",
                   "The receptionist spoke to my husband instead of me because of my English.",
                   "I waited two weeks to understand my blood test result.",
                   "The phone interpreter spoke a different dialect.",
                   "They said there was no interpreter today and to come back another time.",
                   "The label on the medicine was only in English.",
                   "I missed the appointment because the text was in English.",
                   "My mother nods at the doctor but doesn't understand.",
                   "When we had a female interpreter I could finally explain.",
                   "The 111 line is impossible if your English is not good.",
                   "My English class closed when the funding stopped.",
                   "We need health information in Somali, not just leaflets in English."),
    ),
}

#: The default themes, in a fixed order.
DEFAULT_THEMES: tuple[str, ...] = tuple(_VOCAB)

#: Frames shared by all themes, filled with a theme's vocabulary.
_FRAMES = (
    "{subject} {problem}.",
    "{subject} {problem}, and {impact}.",
    "Honestly, {subject} {problem}.",
    "The biggest thing for me is that {subject} {problem}.",
    "What people don't see is that {impact}.",
    "Because {subject} {problem}, {impact}.",
    "All we want is {wish}.",
    "If I could change one thing it would be {wish}.",
    "I've said it before and I'll say it again, {subject} {problem}.",
    "It's been months now and {subject} {problem}.",
    "My neighbour says the same, {subject} {problem}.",
    "{impact}, and nobody seems to care.",
    "We need {wish}, because {impact}.",
    "Every week it's the same story, {subject} {problem}.",
    "You ask about priorities? {subject} {problem}, full stop.",
    "I don't want to moan, but {subject} {problem} and {impact}.",
    "Is it too much to ask for {wish}?",
    "Since last year {subject} {problem}, and honestly {impact}.",
)
_OPENERS = ("Um, ", "I mean, ", "Well, ", "Yeah, so ", "To be honest, ", "For me, ", "Er, ",
            "Look, ", "Like I said, ", "So ", "Right, ", "Same here, ", "Just to add, ")
_TAILS = (" That's how it is.", " You know what I mean?", " Anyway.", " It's not right.",
          " I'm not exaggerating.", " And it's getting worse.", " Same for lots of us.",
          " That's the truth.")
_HOUSEKEEPING = (
    "Can everyone hear me okay?", "Thanks for coming, everyone.", "Let's take a short break.",
    "I'll pass the mic over.", "Shall we make a start?", "Can you say that again for the "
    "recording?", "Tea and coffee are at the back.", "We've got about ten minutes left.",
    "Who else wants to come in?", "Let's hear from someone new.", "Sorry, you're on mute.",
    "Is everyone back from the break?", "Thank you, that's really helpful.", "I'm going to stop "
    "the recording now.", "Please help yourselves to sandwiches.", "Toilets are on the left.",
    "Can you move closer to the microphone?", "Okay, next question.", "Right, let's carry on.",
    "Thanks everyone, see you next time.")
_NAMES = ("Amina", "Ben", "Carol", "Dev", "Ellie", "Farah", "Gary", "Hannah", "Imran", "Jade",
          "Kev", "Leanne", "Mo", "Nadia", "Owen", "Pat", "Qasim", "Rosa", "Stan", "Tasha",
          "Umar", "Vera", "Wes", "Yusuf", "Zoe", "Abdi", "Bernie", "Chloe", "Dawn", "Eileen",
          "Fatima", "Gloria", "Harold", "Ifrah", "Jamal", "Kyle", "Lorraine", "Maureen",
          "Nimco", "Reece", "Sahra", "Tony", "Winston", "Aisha", "Brenda", "Callum", "Hodan",
          "Jean", "Ken", "Lily", "Mel", "Shabana", "Tyler", "Ubah", "Zara", "Khadra")

#: Communities a generated corpus has unless told otherwise.
DEFAULT_COMMUNITIES: tuple[str, ...] = ("Riverside Tenants", "Northfield Women's Group",
                                        "Eastgate Older People's Forum", "Millbrook Youth Council")

#: File formats a generated event may take.
FORMATS = ("txt", "vtt", "srt", "md", "csv")


def theme_vocabulary(theme: str) -> dict[str, tuple[str, ...]]:
    """The words a default theme is made of (for tests that want to peek)."""
    v = _VOCAB[theme]
    return {"subjects": v.subjects, "problems": v.problems, "impacts": v.impacts,
            "wishes": v.wishes, "sentences": v.sentences}


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

    ``units``: one row per unit in load order with ``source, line, theme, event_id, community,
    date, speaker, role``; ``events``: ``event_id, community, date, format, file, n_units``;
    ``weights``: ``event_id, community, date, theme, weight`` (the planted probability of each
    theme at each event, housekeeping excluded); ``shifts``: the shifts as planted, with their
    resolved dates.
    """

    directory: Path
    seed: int
    themes: tuple[str, ...]
    units: pd.DataFrame
    events: pd.DataFrame
    weights: pd.DataFrame
    shifts: tuple[Shift, ...] = field(default_factory=tuple)

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


_SENTENCE_START = re.compile(r"(?<=[.?!] )([a-z])")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    """Lower-case the first letter unless the first word is 'I' or an acronym."""
    first = text.split(" ", 1)[0].rstrip(",.'?")
    if first in ("I", "I've", "I'm", "I'd") or (len(first) > 1 and first[:2].isupper()):
        return text
    return text[:1].lower() + text[1:]


def _utterance(rng: random.Random, vocab: _Vocab) -> str:
    """One thing said about a theme: a template (own sentence or shared frame), hedges, tails."""
    if rng.random() < 0.2:
        text = rng.choice(vocab.sentences)
    else:
        frame = rng.choice(_FRAMES)
        text = frame.format(subject=rng.choice(vocab.subjects),
                            problem=rng.choice(vocab.problems),
                            impact=rng.choice(vocab.impacts), wish=rng.choice(vocab.wishes))
        text = _SENTENCE_START.sub(lambda m: m.group(1).upper(), _cap(text))
    r = rng.random()
    if r < 0.35:
        text = rng.choice(_OPENERS) + _lower(text)
    if rng.random() < 0.2:
        text += rng.choice(_TAILS)
    return text


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


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` positive sizes of similar size (±30%)."""
    raw = [rng.uniform(0.7, 1.3) for _ in range(parts)]
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
    speakers_per_event: tuple[int, int] = (6, 14),
    formats: Sequence[str] = ("txt",),
    seed: int = 0,
) -> SyntheticTruth:
    """Write a synthetic corpus folder and return what was planted.

    ``n_units`` is the exact number of units the folder loads to (housekeeping included);
    ``n_events`` defaults to one event per 60 units (at least one per community). Events are
    spread evenly over ``start``..``end`` (with a little jitter), communities and ``formats``
    taken in turn. ``themes`` must be names from :data:`DEFAULT_THEMES`. Each community's base
    emphasis on each theme is drawn from the seed (between 0.5 and 2); ``shifts`` then multiply
    it. The key is also written to ``_key/themes.csv`` (and the shifts to ``_key/shifts.csv``),
    which the loader ignores.
    """
    import pandas as pd

    root = Path(directory)
    themes = tuple(themes)
    unknown = [t for t in themes if t not in _VOCAB]
    if unknown:
        raise ValueError(f"unknown theme(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(DEFAULT_THEMES)}")
    for s in shifts:
        if s.theme not in themes:
            raise ValueError(f"shift on {s.theme!r}, which is not among the themes")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}")
    if n_units < 1:
        raise ValueError("n_units must be at least 1")
    communities = tuple(communities)
    d0, d1 = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    n_events = n_events or max(len(communities), round(n_units / 60))
    n_events = min(n_events, n_units)
    rng = random.Random(seed)
    base = {c: {t: rng.uniform(0.5, 2.0) for t in themes} for c in communities}
    n_house = round(n_units * housekeeping_share)
    sizes = _split(n_units, n_events, rng)
    house_at = set(rng.sample(range(n_units), n_house))
    span = (d1 - d0).days
    root.mkdir(parents=True, exist_ok=True)
    (root / "_key").mkdir(exist_ok=True)
    unit_rows: list[tuple[str, int, str, str, str, dt.date, str, str]] = []
    event_rows: list[tuple[str, str, dt.date, str, str, int]] = []
    weight_rows: list[tuple[str, str, dt.date, str, float]] = []
    k = 0
    width = len(str(n_events))
    for e in range(n_events):
        community = communities[e % len(communities)]
        slot = span * (e + 0.5) / n_events
        jitter = rng.uniform(-0.3, 0.3) * span / n_events
        date = d0 + dt.timedelta(days=int(min(span, max(0, slot + jitter))))
        fmt = formats[e % len(formats)]
        eid = f"e{e + 1:0{width}d}"
        rel = f"{eid}.{fmt}"
        weights = [base[community][t] for t in themes]
        for s in shifts:
            i = themes.index(s.theme)
            weights[i] *= s.multiplier(community, date, d0, d1)
        total_w = sum(weights)
        weight_rows.extend((eid, community, date, t, w / total_w) for t, w in zip(themes, weights))
        lo, hi = speakers_per_event
        people = rng.sample(_NAMES, min(len(_NAMES), rng.randint(lo, hi)))
        said: list[tuple[str, str]] = []
        labels: list[str] = []
        for _ in range(sizes[e]):
            if k in house_at:
                said.append(("Facilitator", rng.choice(_HOUSEKEEPING)))
                labels.append("housekeeping")
            else:
                theme = rng.choices(themes, weights)[0]
                prev = said[-1][0] if said else ""
                who = rng.choice([p for p in people if p != prev] or people)
                said.append((who, _utterance(rng, _VOCAB[theme])))
                labels.append(theme)
            k += 1
        # caption readers merge consecutive turns of one speaker: never let that happen
        for i in range(1, len(said)):
            if said[i][0] == said[i - 1][0]:
                nxt = said[i + 1][0] if i + 1 < len(said) else ""
                alt = next((p for p in people if p not in (said[i - 1][0], nxt)), "Guest")
                said[i] = (alt if said[i][0] != "Facilitator" else "Chair", said[i][1])
        text, starts = _write_event(fmt, said)
        (root / rel).write_text(text, encoding="utf-8", newline="\n")
        for (who, _), line, theme in zip(said, starts, labels):
            role = "facilitator" if who in ("Facilitator", "Chair") else "participant"
            unit_rows.append((rel, line, theme, eid, community, date, who, role))
        event_rows.append((eid, community, date, fmt, rel, len(said)))
    _write_tables(root, event_rows, unit_rows, shifts, d0, d1)
    units = pd.DataFrame(unit_rows, columns=["source", "line", "theme", "event_id", "community",
                                             "date", "speaker", "role"])
    units["date"] = pd.to_datetime(units["date"])
    events = pd.DataFrame(event_rows, columns=["event_id", "community", "date", "format", "file",
                                               "n_units"])
    events["date"] = pd.to_datetime(events["date"])
    weights_df = pd.DataFrame(weight_rows, columns=["event_id", "community", "date", "theme",
                                                    "weight"])
    weights_df["date"] = pd.to_datetime(weights_df["date"])
    return SyntheticTruth(directory=root, seed=seed, themes=themes, units=units, events=events,
                          weights=weights_df, shifts=tuple(shifts))


def _write_tables(root: Path, event_rows: list[tuple[str, str, dt.date, str, str, int]],
                  unit_rows: list[tuple[str, int, str, str, str, dt.date, str, str]],
                  shifts: Sequence[Shift], d0: dt.date, d1: dt.date) -> None:
    def write(path: Path, header: list[str], rows: list[list[object]]) -> None:
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write(root / "events.csv",
          ["event_id", "community", "date", "place", "format", "file", "facilitator",
           "text_column", "speaker_column"],
          [[eid, c, d.isoformat(), "Community centre", "synthetic " + fmt, rel, "Facilitator",
            "text" if fmt == "csv" else "", "speaker" if fmt == "csv" else ""]
           for eid, c, d, fmt, rel, _ in event_rows])
    write(root / "consent.csv", ["event_id", "speaker", "consent"],
          [[eid, "*", "quote"] for eid, *_ in event_rows])
    write(root / "_key" / "themes.csv", ["source", "line", "theme"],
          [[src, line, theme] for src, line, theme, *_ in unit_rows])
    resolved = []
    for s in shifts:
        at, until = s.window(d0, d1)
        resolved.append([s.theme, s.kind, s.community or "", at.isoformat(),
                         "" if until == dt.date.max else until.isoformat(), s.factor])
    write(root / "_key" / "shifts.csv", ["theme", "kind", "community", "at", "until", "factor"],
          resolved)
