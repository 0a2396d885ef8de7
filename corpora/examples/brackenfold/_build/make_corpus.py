"""Write the Brackenfold evaluation corpus and its key.

Run from anywhere: ``python corpora/examples/brackenfold/_build/make_corpus.py``. It rewrites
``events.csv``, ``consent.csv``, every transcript and the key in ``_key/`` (``themes.csv``: one
row per unit the loader reports; ``concerns.csv``; ``shifts.csv``: the planted and measured shares).
Same bytes on every run: one fixed seed, no clocks (the .docx zip entries carry a fixed date).
The structure is the Saltmere builder's (``corpora/examples/saltmere/_build/``); the words in
:mod:`content`, the events and the people are Brackenfold's own.

The plan of each event (who, what, in which order) comes from :mod:`plan`; this module turns
it into words (:class:`Voices`, from the hand-written bank in :mod:`content`) and into files
(one writer per format).
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from content import (  # noqa: E402
    AND_ALSO,
    ASIDES,
    BOTH,
    CLOSE,
    CONCERNS,
    CORES,
    FOLLOW,
    HEADINGS,
    HELLO,
    MIDDLE,
    OPEN_ONLINE,
    OPEN_ROOM,
    OPENERS,
    PROBES,
    PROMPTS,
    REACTIONS,
    REFER,
    SUMMARY,
    TAILS,
    TERSE_HEADINGS,
)
from plan import (  # noqa: E402
    FACILITATOR,
    HAG,
    MEN,
    PLANTED,
    POL,
    SIX,
    SLUG,
    SPEAKERS,
    STYLE,
    TAG,
    WEL,
    YEARS,
    Turn,
    conversation,
    present_people,
    raisers,
    share,
    turns_for,
)

SEED = 20260517


@dataclass
class EventSpec:
    """One event: community, date, where, the format it was recorded in and its size."""

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
        return int(self.date[:4])

    @property
    def event_id(self) -> str:
        return f"{SLUG[self.community].split('-')[0][:3]}-{self.date[:7]}"

    @property
    def file(self) -> str:
        ext = {"vtt-voice": "vtt", "vtt-prefix": "vtt", "csv-wall": "csv",
               "csv-survey": "csv"}.get(self.kind, self.kind)
        return f"{SLUG[self.community]}/{self.event_id}.{ext}"

    @property
    def spoken(self) -> bool:
        return self.kind in ("txt", "vtt-voice", "vtt-prefix", "srt")


WALL = {"text_column": "note", "group_column": "board", "speaker_column": "signed"}
#: The survey export: one row per respondent, one column per question; the free-text question
#: ("If you could change one thing about living in Brackenfold, what would it be?") is the text.
SURVEY = {"text_column": "one_thing_to_change", "group_column": "",
          "speaker_column": "first_name"}
TEAMS, ZOOM = "Online (Microsoft Teams)", "Online (Zoom)"
HALL = "Miners' Welfare Hall, Scarth Road"
SHED = "The Shed, Lumb Mill yard"
SCHOOL = "Brackenfold High School, sixth-form common room"
TRA = "Hagg Lane Community Flat"

EVENTS = sorted([
    EventSpec(WEL, "2021-10-13", HALL, "meeting", "txt", 10, 30,
              "Over-60s afternoon: what's hard at the moment?"),
    EventSpec(WEL, "2023-03-15", HALL, "meeting", "txt", 11, 32, "Over-60s listening afternoon"),
    EventSpec(WEL, "2024-10-16", HALL, "recorded meeting", "srt", 10, 30,
              "Over-60s listening afternoon (video)"),
    EventSpec(WEL, "2025-06-11", HALL, "meeting notes", "docx", 10, 26,
              "Over-60s afternoon: notes"),
    EventSpec(POL, "2021-06-09", ZOOM, "online meeting", "vtt-prefix", 9, 28,
              "Families' evening online"),
    EventSpec(POL, "2022-11-16", ZOOM, "online meeting", "vtt-prefix", 10, 30,
              "Families' autumn evening online"),
    EventSpec(POL, "2023-11-22", "Online form, Polish, Romanian and English", "survey",
              "csv-survey", 12, 0, "Families' survey: free-text answers", dict(SURVEY)),
    EventSpec(POL, "2025-03-19", "Brackenfold Library, meeting room", "meeting", "txt", 11, 32,
              "Families' spring meeting"),
    EventSpec(MEN, "2022-02-09", SHED, "conversation", "txt", 9, 30, "Shed tea-break talk"),
    EventSpec(MEN, "2023-09-13", SHED, "recorded conversation", "srt", 10, 32,
              "Shed tea-break talk (video)"),
    EventSpec(MEN, "2024-11-20", SHED, "conversation", "txt", 10, 32, "Shed tea-break talk"),
    EventSpec(SIX, "2022-03-23", TEAMS, "online panel", "vtt-voice", 9, 28,
              "Sixth-form panel: growing up in the valley"),
    EventSpec(SIX, "2023-02-08", SCHOOL, "panel", "csv-wall", 12, 26,
              "Sixth-form panel: post-it boards", dict(WALL)),
    EventSpec(SIX, "2024-03-20", TEAMS, "online panel", "vtt-voice", 10, 30,
              "Sixth-form panel: growing up in the valley"),
    EventSpec(SIX, "2025-02-12", "Online form in tutor time", "survey", "csv-survey", 13, 0,
              "Sixth-form survey: free-text answers", dict(SURVEY)),
    EventSpec(HAG, "2021-09-22", TRA, "residents' meeting notes", "md", 10, 26,
              "TRA open meeting: notes"),
    EventSpec(HAG, "2023-05-17", TRA, "residents' meeting notes", "docx", 10, 26,
              "TRA open meeting: notes"),
    EventSpec(HAG, "2024-06-19", "Hagg Lane estate fun day, the green", "fun day", "csv-wall",
              12, 26, "Post-it boards at the estate fun day", dict(WALL)),
    EventSpec(HAG, "2025-09-24", TRA, "residents' meeting notes", "md", 11, 28,
              "TRA open meeting: notes"),
], key=lambda e: (e.date, e.event_id))

#: The speaker who withdrew consent after the event: their turns stay in the file, never as units.
WITHDRAWN = [("men-2022-02", "Wilf")]
#: Speakers whose consent differs from their event's default.
SPEAKER_CONSENT = [("pol-2021-06", "Andrei", "paraphrase"), ("men-2023-09", "Derek", "paraphrase"),
                   ("six-2022-03", "Aisha", "paraphrase"), ("wel-2023-03", "Maureen", "aggregate"),
                   ("hag-2021-09", "Stacey", "aggregate"), ("six-2024-03", "Callum", "aggregate")]
#: Events whose default is not ``quote`` (the surveys said answers would be paraphrased).
EVENT_CONSENT = {"pol-2023-11": "paraphrase", "six-2025-02": "paraphrase"}
#: Personal details planted for the redaction feature: the first turn on the concern at the
#: event says this (phone numbers and addresses of the kinds reserved for fiction).
DETAILS = {
    ("hag-2023-05", "housing-conditions"): "I've rung the repairs line from 07700 900613 nine "
    "times since January and they still say there's no job on the system.",
    ("pol-2022-11", "school-send"): "I wrote to the school from flat7.family@example.com in "
    "September asking for the assessment, and nobody has answered.",
    ("wel-2024-10", "gp-access"): "I left my number, 07700 900248, with the receptionist for a "
    "call back and it never came.",
}
#: Words that keep their capital when a turn gets an opener ("Well, Thornbury's ...").
PROPER = {"Brackenfold", "Thornbury", "Scarth", "Hebble", "Owlcotes", "Hagg", "Lumb", "Calder",
          "Polish", "Romanian", "English", "England", "Poland", "Romania", "Manchester", "Leeds",
          "London", "NHS", "CAMHS", "SEND", "EHCP", "ADHD", "SENCO", "Universal", "A", "X9",
          "Sunday", "Saturday", "Monday", "Co-op", "Dentist", "Doctors", "Drugs", "Skint",
          "Work", "Damp", "Buses", "School", "Anxiety"}


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.rstrip(",.'") in ("I", "I'm", "I've", "I'd", "I'll") or first[:1].isdigit() or (
            len(first) > 1 and first[1].isupper()) or re.sub(r"('s)?[,.']*$", "", first) in PROPER:
        return text
    return text[0].lower() + text[1:]


def _terse(text: str) -> str:
    """The note-taker's shorthand: the first sentence (two if the first is very short), no stop.

    >>> _terse("Damp. The landlord never comes. Ever.")
    'Damp. The landlord never comes'
    """
    parts = re.split(r"(?<=[.?!]) ", text)
    out = parts[0]
    if len(out.split()) < 4 and len(parts) > 1:
        out += " " + parts[1]
    return out.rstrip(".")


def _split_tag(core: str) -> tuple[str, str]:
    """``"CRD|text"`` -> ``("CRD", "text")``: the communities (by :data:`plan.TAG`) that may say
    it; untagged text suits anyone."""
    head, bar, rest = core.partition("|")
    if bar and head.isalpha() and head.isupper() and len(head) <= 5:
        return head, rest
    return "", core


class Voices:
    """Puts words to planned turns from the hand-written bank: a core statement that suits the
    community (used at most twice in the corpus, never twice in one community), sometimes an
    opener or a tail; no text is written twice, except the short "Same here." reactions."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.uses: dict[tuple[str, int], list[str]] = {}  # core -> communities that used it
        self.follow_uses: dict[str, int] = {}
        self.both_used: set[str] = set()
        self.texts: set[str] = set()
        self.at_event: set[tuple[str, int]] = set()  # cores used at the current event

    def _core(self, concern: str, community: str) -> str:
        ok = [i for i, c in enumerate(CORES[concern])
              if not _split_tag(c)[0] or TAG[community] in _split_tag(c)[0]]
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
        return _split_tag(CORES[concern][i])[1]

    def speak(self, t: Turn, community: str, *, spoken: bool, detail: str = "",
              terse: bool = False) -> str:
        """The words of turn ``t`` (``spoken``: a transcript, where openers and tails occur;
        ``terse``: a note-taker who writes down only the first sentence, without its stop)."""
        if t.kind == "reaction":
            return self.rng.choice(REACTIONS)
        if t.kind == "follow":
            free = [f for f in FOLLOW[t.theme] if self.follow_uses.get(f, 0) < 2]
            if not free:
                return self.rng.choice(REACTIONS)
            text = self.rng.choice(free)
            self.follow_uses[text] = self.follow_uses.get(text, 0) + 1
            return text
        for _ in range(20):
            core = detail or self._content(t, community)
            if terse:
                short = _terse(core)
                if short not in self.texts:
                    self.texts.add(short)
                    return short
            for attempt in range(12):
                text = core
                if t.refer and spoken and len(core.split()) > 5:
                    back = self.rng.choice(REFER).format(name=t.refer)
                    text = back + _lower_first(text)
                elif spoken and self.rng.random() < (0.35 if attempt == 0 else 0.7):
                    opener = self.rng.choice(OPENERS)
                    if len(core.split()) > 3:  # no "Um, Buses."
                        text = opener + (text if opener.endswith(". ") else _lower_first(text))
                if self.rng.random() < (0.2 if spoken else 0.08) or attempt > 1:
                    text += " " + self.rng.choice(TAILS[t.theme])
                if text.rstrip(".") not in self.texts:  # walls and terse notes drop the stop
                    self.texts.add(text.rstrip("."))
                    return text
        raise RuntimeError(f"no fresh words for {t}")

    def _content(self, t: Turn, community: str) -> str:
        if t.theme2:
            free = [b for b in BOTH.get((t.theme, t.theme2), []) if b not in self.both_used]
            if free:
                text = self.rng.choice(free)
                self.both_used.add(text)
                return text
            second = _lower_first(self._core(t.theme2, community))
            return f"{self._core(t.theme, community)} {self.rng.choice(AND_ALSO)}{second}"
        return self._core(t.theme, community)


@dataclass
class Event:
    """A planned event: its spec, the people present, what each raises and the turns."""

    spec: EventSpec
    present: list[str]
    raised: dict[str, list[str]]
    turns: list[Turn]


def plan_event(ev: EventSpec, rng: random.Random) -> Event:
    """Who is there, what they raise and (for spoken events and notes) the conversation."""
    must = [w for e, w in WITHDRAWN if e == ev.event_id]
    must += [w for e, w, _ in SPEAKER_CONSENT if e == ev.event_id]
    talk = SPEAKERS[ev.community]
    if ev.spoken:  # the talker of the group, and someone who says one thing only
        must.append(max(sorted(talk), key=talk.__getitem__))
        if not any(talk[w] == 0 and (ev.event_id, w) not in WITHDRAWN for w in must):
            must.append(rng.choice(sorted(p for p in talk if talk[p] == 0)))
    present = present_people(ev.community, ev.people, must, rng)
    raised = raisers(ev.community, ev.year, present, rng)
    fac = FACILITATOR[ev.community].split()[0]
    quiet = frozenset(p for p in present if SPEAKERS[ev.community][p] == 0)
    if ev.kind == "csv-survey":
        turns = []
        for p in present:
            a = raised[p][0]
            b = next((c for c in raised[p][1:]), "") if rng.random() < 0.3 else ""
            turns.append(Turn(p, a, theme2=b))
        return Event(ev, present, raised, turns)
    turns = turns_for(ev.community, raised, ev.turns, rng)
    if ev.kind == "csv-wall":
        rng.shuffle(turns)
        return Event(ev, present, raised, turns)
    style = STYLE[ev.community] if ev.spoken else "plain"
    return Event(ev, present, raised, conversation(turns, raised, fac, rng, quiet=quiet,
                                                   style=style))


# --------------------------------------------------------------------------- words and order
Row = tuple[str, int, str, str, str, str]  # source, line, theme, theme2, speaker, kind


@dataclass
class Line:
    """One thing said or written, ready for a writer."""

    speaker: str
    text: str
    theme: str
    theme2: str = ""
    kind: str = "turn"


def _words(event: Event, voices: Voices, rng: random.Random) -> list[Line]:
    ev = event.spec
    out = []
    done: set[str] = set()
    for t in event.turns:
        if t.kind == "housekeeping":
            out.append(Line(t.speaker, t.text, "housekeeping", kind="housekeeping"))
            continue
        if t.kind == "prompt":
            if "probe" in t.extra:
                text = rng.choice(PROBES[t.theme]).format(name=t.extra["probe"])
            else:
                text = rng.choice(PROMPTS[t.theme])
            out.append(Line(t.speaker, text, t.theme, kind="prompt"))
            continue
        detail = DETAILS.get((ev.event_id, t.theme), "") if t.kind == "turn" else ""
        if detail and t.theme in done or t.theme2:
            detail = ""
        done.add(t.theme)
        terse = STYLE[ev.community] == "terse" and ev.kind in ("md", "docx")
        text = voices.speak(t, ev.community, spoken=ev.spoken, detail=detail, terse=terse)
        if ev.kind == "csv-wall" and rng.random() < 0.3:
            text = text.rstrip(".")
        kind = "turn" if t.kind == "more" else t.kind
        out.append(Line(t.speaker, text, t.theme, t.theme2, kind))
    return out


def _housekeeping(ev: EventSpec, lines: list[Line], rng: random.Random) -> list[Line]:
    """Spoken events: the facilitator's welcome (answered by a participant), an aside, a word
    from the facilitator mid-run and the close; never two turns of one speaker in a row."""
    fac = FACILITATOR[ev.community].split()[0]
    online = ev.place.startswith("Online")
    people = sorted({x.speaker for x in lines if x.speaker != fac})
    opening = rng.sample(OPEN_ONLINE if online else OPEN_ROOM, 2)
    hello = rng.choice(people)
    out = [Line(fac, " ".join(opening), "housekeeping", kind="housekeeping"),
           Line(hello, rng.choice(HELLO), "housekeeping", kind="housekeeping")]
    spots = [i for i in range(1, len(lines) - 1) if lines[i].speaker != fac and
             lines[i + 1].speaker not in (fac,) and lines[i + 1].kind != "prompt"]
    middle = set(rng.sample(spots, min(2, len(spots))))
    aside_at = rng.choice([i for i in spots if i not in middle] or [-1])
    for i, x in enumerate(lines):
        if i == 0 and x.speaker == hello and x.kind != "prompt":
            out.append(Line(fac, "Cheers. Carry on.", "housekeeping", kind="housekeeping"))
        out.append(x)
        if i in middle:
            out.append(Line(fac, rng.choice(MIDDLE), "housekeeping", kind="housekeeping"))
        elif i == aside_at:
            who = [p for p in people if p not in (x.speaker, lines[i + 1].speaker)]
            if who:
                out.append(Line(rng.choice(who), rng.choice(ASIDES), "housekeeping",
                                kind="housekeeping"))
    if out[-1].speaker == fac:
        out[-1] = Line(fac, out[-1].text + " " + rng.choice(CLOSE), out[-1].theme,
                       kind=out[-1].kind)
    else:
        out.append(Line(fac, rng.choice(CLOSE), "housekeeping", kind="housekeeping"))
    for a, b in zip(out, out[1:]):
        assert a.speaker != b.speaker, (ev.event_id, a, b)
    return out


# --------------------------------------------------------------------------- writers
def _clock(seconds: float, sep: str = ".") -> str:
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _seconds(text: str) -> float:
    return round(1.0 + len(text.split()) / 2.5, 1)


def _row(ev: EventSpec, line: int, x: Line) -> Row:
    return (ev.file, line, x.theme, x.theme2, x.speaker, x.kind)


def _withdrawn(ev: EventSpec, speaker: str) -> bool:
    return (ev.event_id, speaker) in WITHDRAWN


def write_txt(ev: EventSpec, lines: list[Line], rng: random.Random) -> tuple[str, list[Row]]:
    """``[hh:mm:ss] Name: text``; long turns wrap onto the next line; the odd ``[crosstalk]``."""
    out = [f"{ev.community}: {ev.title}",
           f"Recorded at {ev.place} on {ev.date}; transcribed, first names only.", ""]
    rows: list[Row] = [(ev.file, 1, "housekeeping", "", "", "housekeeping")]
    t = 20.0 + rng.randint(0, 40)
    for x in lines:
        words = x.text.split(" ")
        body = [x.text]
        if len(words) > 22 and rng.random() < 0.6:
            body = [" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])]
        if not _withdrawn(ev, x.speaker):
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
    words = text.split(" ")
    if len(words) <= 13:
        return [text]
    cut = len(words) // 2
    while cut < len(words) - 1 and words[cut - 1][-1] in ".?!":
        cut += 1
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def write_vtt(ev: EventSpec, lines: list[Line], rng: random.Random) -> tuple[str, list[Row]]:
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
            if k == 0 and not _withdrawn(ev, x.speaker):
                rows.append(_row(ev, len(out) + 1, x))
            body = chunk.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(f"<v {x.speaker}>{body}</v>" if teams else f"{x.speaker}: {body}")
            out.append("")
            t += dur + 0.2
        t += rng.uniform(0.3, 2.0)
    return "\n".join(out), rows


def write_srt(ev: EventSpec, lines: list[Line], rng: random.Random) -> tuple[str, list[Row]]:
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
                if not _withdrawn(ev, x.speaker):
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
        elif x.kind not in ("reaction", "housekeeping"):
            out[-1][1].append(x)
    return out


def write_md(ev: EventSpec, lines: list[Line], rng: random.Random) -> tuple[str, list[Row]]:
    """Typed notes: headings are topics, bullets ``**Name:** ...``, and the note-taker's own
    ``Agreed: ...`` / ``Action: ...`` lines (not people). A terse note-taker writes short
    headings ("Repairs") and clipped bullets."""
    fac = FACILITATOR[ev.community]
    terse = STYLE[ev.community] == "terse"
    heads = TERSE_HEADINGS if terse else HEADINGS
    n = len({x.speaker for x in lines if x.speaker != fac.split()[0]})
    if terse:
        out = [f"# {ev.title}", "", f"*{ev.date}, {ev.place}. Notes: {fac}.*", "",
               "## Present", ""]
        opening = f"- {n} residents, {rng.randint(1, 3)} apologies."
    else:
        out = [f"# {ev.title}", "", f"*{ev.community}, {ev.place}, {ev.date}. Written up by "
               f"{fac}; first names only, agreed at the start.*", "", "## Who came", ""]
        opening = f"- {n} of us, with tea and the raffle."
    rows: list[Row] = [(ev.file, 3, "housekeeping", "", "", "housekeeping")]
    rows.append((ev.file, len(out) + 1, "housekeeping", "", "", "housekeeping"))
    out.append(opening)
    for concern, said in _sections(lines):
        out += ["", f"## {heads[concern]}", ""]
        for x in said:
            rows.append(_row(ev, len(out) + 1, x))
            out.append(f"- **{x.speaker}:** {x.text}")
        if rng.random() < (0.45 if terse else 0.6):
            rows.append((ev.file, len(out) + 1, concern, "", "", "summary"))
            out.append(f"- {rng.choice(SUMMARY[concern])}")
    out += ["", "## AOB" if terse else "## Next meeting", ""]
    rows.append((ev.file, len(out) + 1, "housekeeping", "", "", "housekeeping"))
    out.append("- None. Next meeting in the autumn." if terse else
               f"- {fac.split()[0]} will circulate these notes before the next one.")
    return "\n".join(out) + "\n", rows


WALL_TABLES = ["What gets you down about Brackenfold?", "What one thing should change?",
               "What should the council hear?"]


def write_wall(ev: EventSpec, lines: list[Line], rng: random.Random) -> tuple[str, list[Row]]:
    """A post-it wall, one note per row (``note,board,signed``): a few notes are unsigned, and
    one is just a thank-you."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["note", "board", "signed"])
    rows: list[Row] = []
    for i, x in enumerate(lines):
        w.writerow([x.text, rng.choice(WALL_TABLES), x.speaker])
        rows.append(_row(ev, i + 2, x))
    return buf.getvalue(), rows


def write_survey(ev: EventSpec, lines: list[Line], rng: random.Random) -> tuple[str, list[Row]]:
    """A survey export: one row per respondent, one column per question."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["first_name", "age_band", "years_in_brackenfold", "one_thing_to_change"])
    bands = ["16", "17", "18"] if ev.community == SIX else ["25-34", "35-44", "45-54", "55+"]
    rows: list[Row] = []
    for i, x in enumerate(lines):
        years = rng.randint(1, 18) if ev.community == SIX else rng.randint(1, 16)
        w.writerow([x.speaker, rng.choice(bands), years, x.text])
        rows.append(_row(ev, i + 2, x))
    return buf.getvalue(), rows


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


def write_docx(ev: EventSpec, lines: list[Line], rng: random.Random) -> tuple[bytes, list[Row]]:
    """Notes typed in Word: a title, headings for topics, ``Name: ...`` paragraphs and the
    note-taker's ``Positive: ...`` bullets. Rows use the docx reader's decoded line numbers
    (one line per paragraph)."""
    import datetime as dt

    import docx

    fac = FACILITATOR[ev.community]
    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = fac
    props.title = ev.title
    props.created = props.modified = dt.datetime(ev.year, 1, 1, 9, 0, 0)
    props.revision = 1
    rows: list[Row] = []
    document.add_paragraph(f"{ev.community}: {ev.title}", style="Title")
    terse = STYLE[ev.community] == "terse"
    heads = TERSE_HEADINGS if terse else HEADINGS
    document.add_paragraph(f"{ev.date}, {ev.place}. Notes: {fac}." if terse else
                           f"Notes written up by {fac} after the afternoon at {ev.place} on "
                           f"{ev.date}. First names only.")
    rows.append((ev.file, 2, "housekeeping", "", "", "housekeeping"))
    line = 2
    for concern, said in _sections(lines):
        document.add_heading(heads[concern], level=1)
        line += 1
        for x in said:
            document.add_paragraph(f"{x.speaker}: {x.text}")
            line += 1
            rows.append(_row(ev, line, x))
        if rng.random() < (0.45 if terse else 0.6):
            document.add_paragraph(rng.choice(SUMMARY[concern]), style="List Bullet")
            line += 1
            rows.append((ev.file, line, concern, "", "", "summary"))
    document.add_heading("AOB" if terse else "What happens next", level=1)
    document.add_paragraph(f"{fac.split()[0]}: " + (
        "Notes to the housing association and ward councillors." if terse else
        "Thank you all. These notes go to the council and the health centre, and I will bring "
        "back whatever answers we get."))
    rows.append((ev.file, line + 2, "housekeeping", "", fac.split()[0], "housekeeping"))
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue()), rows


WRITERS = {"txt": write_txt, "vtt-voice": write_vtt, "vtt-prefix": write_vtt, "srt": write_srt,
           "md": write_md, "docx": write_docx, "csv-wall": write_wall,
           "csv-survey": write_survey}


def _wall_extras(ev: EventSpec, rng: random.Random, voices: Voices) -> list[Line]:
    """Two unsigned notes (each its own voice) and a thank-you."""
    concerns = sorted(CONCERNS)
    weights = [share(ev.community, c, ev.year) for c in concerns]
    out = [Line("", voices.speak(Turn("", c), ev.community, spoken=False), c)
           for c in rng.choices(concerns, weights, k=2)]
    out.append(Line("", rng.choice(["Thanks for doing this x", "Good to be asked for once!",
                                    "Cheers for the free pizza"]), "housekeeping",
                    kind="housekeeping"))
    return out


def build() -> list[Row]:
    """Write every file of the corpus; return the key rows."""
    rng = random.Random(SEED)
    voices = Voices(rng)
    key: list[Row] = []
    for ev in EVENTS:
        event = plan_event(ev, rng)
        voices.at_event.clear()
        lines = _words(event, voices, rng)
        if ev.kind == "csv-wall":
            lines += _wall_extras(ev, rng, voices)
            rng.shuffle(lines)
        if ev.spoken:
            lines = _housekeeping(ev, lines, rng)
        content, rows = WRITERS[ev.kind](ev, lines, rng)
        path = ROOT / ev.file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
        key.extend(rows)
    key.sort(key=lambda r: (r[0], r[1]))
    if "-v" in sys.argv:
        from collections import Counter
        print("core uses:", sorted(Counter(
            (c, len(v)) for (c, _), v in voices.uses.items()).items()))
    return key


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def measured_shares(key: list[dict[str, str]]) -> dict[tuple[str, str, int], float]:
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
        for c in CONCERNS:
            out[(src, c, year)] = len(raised.get((src, c), set())) / len(vs)
    return out


PATTERN = {"dentist-access": "rises", "jobs-skills": "falls",
           "flooding": "step up from 2024", "gp-access": "steady control (noise)"}


def write_tables(key: list[Row]) -> None:
    """events.csv, consent.csv and the key folder."""
    _write_csv(ROOT / "events.csv", ["event_id", "community", "date", "place", "format", "file",
                                     "facilitator", "title", "text_column", "group_column",
                                     "speaker_column"],
               [[e.event_id, e.community, e.date, e.place, e.format, e.file,
                 FACILITATOR[e.community], e.title, e.options.get("text_column", ""),
                 e.options.get("group_column", ""), e.options.get("speaker_column", "")]
                for e in EVENTS])
    consent: list[list[object]] = [[e.event_id, "*", EVENT_CONSENT.get(e.event_id, "quote")]
                                   for e in EVENTS]
    consent += [[e, w, level] for e, w, level in SPEAKER_CONSENT]
    consent += [[e, w, "withdrawn"] for e, w in WITHDRAWN]
    _write_csv(ROOT / "consent.csv", ["event_id", "speaker", "consent"], consent)
    _write_csv(ROOT / "_key" / "themes.csv",
               ["source", "line", "theme", "theme2", "speaker", "kind"], [list(r) for r in key])
    _write_csv(ROOT / "_key" / "concerns.csv", ["id", "name", "description"],
               [[c, n, d] for c, (n, d) in CONCERNS.items()])
    dicts = [dict(zip(["source", "line", "theme", "theme2", "speaker", "kind"], map(str, r)))
             for r in key]
    shares = measured_shares(dicts)
    rows: list[list[object]] = []
    for c in PLANTED:
        for year in YEARS:
            vals = [v for (s, cc, y), v in shares.items() if cc == c and y == year]
            rows.append([c, PATTERN[c], year, f"{PLANTED[c][year - YEARS[0]]:.2f}",
                         f"{sum(vals) / len(vals):.3f}", len(vals)])
    _write_csv(ROOT / "_key" / "shifts.csv",
               ["concern", "pattern", "year", "planted", "measured", "events"], rows)


if __name__ == "__main__":
    write_tables(build())
