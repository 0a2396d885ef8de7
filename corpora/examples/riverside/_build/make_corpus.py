"""Write the Riverside example corpus and its ground-truth key.

Run from anywhere: ``.venv/bin/python corpora/examples/riverside/_build/make_corpus.py``. It
rewrites ``events.csv``, ``consent.csv``, every transcript (the .docx via ``make_docx.py``) and
``_key/themes.csv`` (one row per unit the loader will report: ``source,line,theme``). The output
is the same bytes on every run (a fixed seed; no clocks).

How the planted patterns arise: :func:`share` gives, per community, concern and year, the share
of an event's participants who raise the concern (``STEADY`` and ``CHANGING``: cost of living
rising from 2024 everywhere, food banks with it, the buses falling after the routes came back in
April 2024, damp peaking in winter at Riverside, youth mental health rising at Millbrook and
digital exclusion at Eastgate). Who raises what is settled person by person, then each person
says one thing per concern they raise (the talkative ones more), in the community's voice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from content import (  # noqa: E402
    CORES,
    FACILITATOR_LINES,
    OPENERS,
    PARTICIPANT_HOUSEKEEPING,
    PLACES,
    TAILS,
    TAILS_RESTORED,
    THEMES,
)

RTA = "Riverside Tenants Association"
NSW = "Northfield Somali Women's Group"
EOP = "Eastgate Older People's Forum"
MYC = "Millbrook Youth Council"

#: Regulars of each community (first names only); a higher number speaks more often.
SPEAKERS: dict[str, dict[str, int]] = {
    RTA: {"Dawn": 2, "Gary": 1, "Lorraine": 2, "Kev": 1, "Shabana": 1, "Tony": 1, "Mel": 1,
          "Callum": 1, "Bernie": 1, "Jade": 1, "Sandra": 1, "Wayne": 1, "Precious": 1},
    NSW: {"Amina": 2, "Faduma": 1, "Ubah": 1, "Sahra": 1, "Khadra": 1, "Nimco": 1, "Fartun": 1,
          "Ifrah": 1, "Maryan": 1, "Hibo": 1, "Sagal": 1, "Deeqa": 1},
    EOP: {"Maureen": 8, "Stan": 1, "Pat": 1, "Eileen": 1, "Winston": 1, "Jean": 1, "Harold": 1,
          "Gloria": 1, "Ken": 1, "Brenda": 1, "Irene": 1, "Derek": 1},
    MYC: {"Tyler": 1, "Aisha": 2, "Kyle": 1, "Ellie": 1, "Jamal": 1, "Chloe": 1, "Reece": 1,
          "Zara": 1, "Mo": 1, "Lily": 1, "Jayden": 1, "Nia": 1, "Priya": 1},
}
FACILITATOR = {RTA: "Jo Whitfield", NSW: "Halima Yusuf", EOP: "Rachel Adams", MYC: "Sam Okafor"}
SLUG = {RTA: "riverside-tenants", NSW: "northfield-women", EOP: "eastgate-forum",
        MYC: "millbrook-youth"}

#: The planted shares: the proportion of an event's participants who raise each concern, per
#: community, as (2023, 2024, 2025). Everything not listed is steady (one value per community).
STEADY: dict[str, dict[str, float]] = {
    RTA: {"gp-access": .15, "language-interpreters": .02, "loneliness": .06,
          "youth-spaces": .07, "safety-lighting": .22, "green-spaces-air": .10},
    NSW: {"gp-access": .35, "language-interpreters": .45, "loneliness": .07, "youth-spaces": .05,
          "safety-lighting": .07, "green-spaces-air": .03, "damp-mould": .12},
    EOP: {"gp-access": .25, "language-interpreters": .02, "loneliness": .40, "youth-spaces": 0,
          "safety-lighting": .06, "green-spaces-air": .06, "damp-mould": .08},
    MYC: {"gp-access": .06, "language-interpreters": 0, "loneliness": .06, "youth-spaces": .45,
          "safety-lighting": .25, "green-spaces-air": .18, "digital-exclusion": .03,
          "damp-mould": .05},
}
CHANGING: dict[str, dict[str, tuple[float, float, float]]] = {
    "cost-of-living": {RTA: (.05, .22, .40), NSW: (.05, .22, .40), EOP: (.05, .22, .40),
                       MYC: (.05, .22, .40)},
    "food-banks": {RTA: (.06, .18, .25), NSW: (.06, .18, .25), EOP: (.03, .12, .18),
                   MYC: (.03, .12, .18)},
    "buses-transport": {RTA: (.15, .08, .03), NSW: (.12, .06, .03), EOP: (.45, .25, .10),
                        MYC: (.30, .15, .06)},
    "youth-mental-health": {MYC: (.08, .15, .42), NSW: (.05, .12, .25), RTA: (.03, .08, .20),
                            EOP: (.02, .05, .12)},
    "digital-exclusion": {EOP: (.08, .25, .45), NSW: (.06, .15, .30), RTA: (.03, .10, .20)},
}
#: The 7's old route and the evening buses came back in April 2024.
BUSES_RESTORED = dt.date(2024, 4, 1)
WINTER = (11, 12, 1, 2)


def share(community: str, theme: str, date: dt.date) -> float:
    """The planted share of an event's participants who raise ``theme`` (see the README)."""
    if theme == "damp-mould" and community == RTA:
        return .55 if date.month in WINTER else .20
    if community in CHANGING.get(theme, {}):
        return CHANGING[theme][community][date.year - 2023]
    return STEADY[community][theme]


@dataclass
class EventSpec:
    """One event to write."""

    event_id: str
    community: str
    date: str
    place: str
    format: str
    kind: str  # txt | vtt-voice | vtt-prefix | srt | md | csv-wall | csv-survey | docx
    n: int  # substantive utterances, about (before the withdrawn speaker's are taken out)
    title: str = ""
    options: dict[str, str] = field(default_factory=dict)
    people: int = 9  # participants who speak (named authors, on a sticky-note wall)
    anonymous: int = 0  # sticky notes left without a name

    @property
    def file(self) -> str:
        ext = {"vtt-voice": "vtt", "vtt-prefix": "vtt", "csv-wall": "csv",
               "csv-survey": "csv"}.get(self.kind, self.kind)
        return f"{SLUG[self.community]}/{self.event_id}.{ext}"


WALL = {"text_column": "text", "group_column": "table", "speaker_column": "author"}
SURVEY = {"text_column": "answer", "group_column": "question", "speaker_column": "respondent"}

EVENTS = sorted([
    EventSpec("rta-2023-02", RTA, "2023-02-16", "Canal Side Community Room", "residents' meeting",
              "txt", 40, "Winter residents' meeting", people=10),
    EventSpec("nsw-2023-03", NSW, "2023-03-22", "Northfield Library, meeting room",
              "focus group", "txt", 40, "Health services conversation", people=9),
    EventSpec("myc-2023-03", MYC, "2023-03-08", "Online (Microsoft Teams)", "online session",
              "vtt-voice", 38, "Youth council spring check-in", people=9),
    EventSpec("eop-2023-03", EOP, "2023-03-15", "Eastgate Methodist Hall", "forum meeting",
              "txt", 42, "Forum meeting: the buses and the surgery", people=9),
    EventSpec("eop-2023-05", EOP, "2023-05-10", "Eastgate Methodist Hall", "forum meeting",
              "md", 34, "Spring forum: getting about and staying in touch", people=9),
    EventSpec("myc-2023-06", MYC, "2023-06-21", "Millbrook Leisure Centre, studio 2",
              "youth council session", "md", 34, "Summer session notes", people=10),
    EventSpec("rta-2023-07", RTA, "2023-07-13", "Canal Side Community Room", "open meeting",
              "md", 34, "Summer open meeting", people=10),
    EventSpec("nsw-2023-07", NSW, "2023-07-12", "Northfield Library, meeting room",
              "focus group", "txt", 38, "Summer conversation: families and services", people=9),
    EventSpec("myc-2023-09", MYC, "2023-09-27", "Millbrook Leisure Centre, studio 2",
              "youth council session", "txt", 40, "What's it like being young in Millbrook?",
              people=10),
    EventSpec("nsw-2023-11", NSW, "2023-11-15", "Online (Zoom)", "online focus group", "srt", 38,
              "Winter pressures", people=9),
    EventSpec("rta-2023-11", RTA, "2023-11-23", "Online (Zoom)", "online residents' meeting",
              "srt", 38, "Winter repairs and bills", people=10),
    EventSpec("eop-2023-12", EOP, "2023-12-06", "Eastgate Methodist Hall", "forum meeting",
              "txt", 44, "Winter forum", people=10),
    EventSpec("rta-2024-01", RTA, "2024-01-25", "Online (Zoom)", "online residents' meeting",
              "vtt-prefix", 40, "Damp and repairs special meeting", people=10),
    EventSpec("eop-2024-03", EOP, "2024-03-13", "Eastgate Methodist Hall", "forum meeting",
              "md", 34, "Spring forum", people=9),
    EventSpec("myc-2024-04", MYC, "2024-04-17", "Online (Microsoft Teams)", "online session",
              "vtt-voice", 38, "Youth council check-in", people=9),
    EventSpec("nsw-2024-06", NSW, "2024-06-19", "Northfield Library, meeting room",
              "community conversation", "docx", 30, "Health conversation notes", people=10),
    EventSpec("eop-2024-09", EOP, "2024-09-04", "Online (Zoom), with phone dial-in",
              "online forum", "srt", 40, "Autumn forum", people=9),
    EventSpec("rta-2024-10", RTA, "2024-10-10", "Riverside Market, stall", "drop-in",
              "csv-wall", 0, "Market drop-in sticky-note wall", WALL, people=12, anonymous=5),
    EventSpec("myc-2024-10", MYC, "2024-10-16", "Millbrook Leisure Centre, studio 2",
              "youth council session", "txt", 38, "Autumn session", people=9),
    EventSpec("rta-2025-02", RTA, "2025-02-06", "Canal Side Community Room", "residents' meeting",
              "txt", 40, "Winter residents' meeting", people=10),
    EventSpec("nsw-2025-02", NSW, "2025-02-12", "Northfield Library, meeting room",
              "focus group", "txt", 38, "Winter conversation", people=9),
    EventSpec("myc-2025-03", MYC, "2025-03-12", "Millbrook Academy, sixth-form common room",
              "workshop", "csv-wall", 0, "Sticky-note workshop", WALL, people=13, anonymous=4),
    EventSpec("eop-2025-03", EOP, "2025-03-19", "Eastgate Methodist Hall", "forum meeting",
              "md", 36, "Spring forum", people=9),
    EventSpec("nsw-2025-05", NSW, "2025-05-21", "Online (Microsoft Teams)",
              "online focus group", "vtt-voice", 38, "Health and family life", people=9),
    EventSpec("rta-2025-06", RTA, "2025-06-12", "Canal Side Community Room", "open meeting",
              "md", 34, "Summer open meeting", people=10),
    EventSpec("eop-2025-06", EOP, "2025-06-11", "Eastgate Methodist Hall", "forum meeting",
              "txt", 44, "Summer forum", people=10),
    EventSpec("myc-2025-07", MYC, "2025-07-09", "Online (Microsoft Teams)", "online session",
              "vtt-voice", 38, "End of term check-in", people=9),
    EventSpec("eop-2025-09", EOP, "2025-09-17", "Eastgate Methodist Hall", "survey",
              "csv-survey", 30, "Forum members' survey: free-text answers", SURVEY, people=12),
    EventSpec("nsw-2025-10", NSW, "2025-10-08", "Online (Zoom)", "online focus group", "srt", 38,
              "Autumn conversation", people=9),
    EventSpec("rta-2025-11", RTA, "2025-11-20", "Online (Zoom)", "online residents' meeting",
              "vtt-prefix", 40, "Winter meeting", people=10),
    EventSpec("myc-2025-11", MYC, "2025-11-19", "Millbrook Leisure Centre, studio 2",
              "youth council session", "txt", 40, "Youth council autumn session", people=10),
], key=lambda e: (e.date, e.event_id))

#: The one speaker who withdrew consent (their words must never become units).
WITHDRAWN = ("nsw-2023-03", "Hodan")
#: Speakers whose consent differs from their event's default.
SPEAKER_CONSENT = [
    ("nsw-2023-03", "Faduma", "paraphrase"), ("nsw-2023-11", "Faduma", "paraphrase"),
    ("nsw-2023-11", "Ubah", "aggregate"), ("nsw-2025-05", "Faduma", "paraphrase"),
    ("rta-2025-02", "Gary", "aggregate"), ("myc-2023-09", "Kyle", "paraphrase"),
    ("myc-2025-11", "Kyle", "paraphrase"), ("eop-2023-12", "Harold", "aggregate"),
]
#: Events whose default is not ``quote``.
EVENT_CONSENT = {"eop-2025-09": "paraphrase"}

#: Hodan's words at nsw-2023-03 (withdrawn afterwards; written so that no one else says them).
HODAN = [
    ("language-interpreters", "At the maternity clinic the interpreter was a man from my own "
     "town and I could not say anything in front of him, so I said nothing."),
    ("gp-access", "I queued outside the Linden practice at half seven in the snow with my "
     "baby and they still sent us away without seeing anybody."),
    ("cost-of-living", "My sister sends money from Leicester every month now, and she has "
     "her own children, it is shameful for me."),
]

#: Planted personal details (for the redaction feature): (event, speaker, theme, text, position).
PLANTED = [
    ("rta-2023-02", "Dawn", "damp-mould", "If anyone from the council wants to come and see the "
     "mould for themselves, ring me on 07700 900461, I'm in most days.", 9),
    ("eop-2023-12", "Eileen", "digital-exclusion", "My son made me an email, "
     "eileen.w1948@example.com, but I couldn't tell you the password if my life depended on "
     "it.", 14),
    ("eop-2024-09", "Stan", "buses-transport", "When I put my postcode in, RV5 3HD, the bus "
     "website says there's no service, which is news to me because I got the 7 here this "
     "morning.", 6),
    ("rta-2025-02", "Lorraine", "safety-lighting", "I'm at 27 Wharf Road, second floor, and the "
     "light on our landing has been out since Bonfire Night.", 12),
    ("myc-2025-11", "Chloe", "youth-mental-health", "The school nurse gave us her number, "
     "07700 900733, but she's only in two days a week and she never picks up.", 20),
]


#: Who may say a core statement tagged ``P|`` (a parent), ``O|`` (an older person), ``Y|`` (a
#: young person) or ``A|`` (an adult); untagged statements suit anyone.
AUDIENCE = {RTA: "PAO", NSW: "PA", EOP: "OA", MYC: "Y"}


def _lower_first(core: str) -> str:
    first = core.split(" ", 1)[0].rstrip(",.'")
    if first in ("I", "I'm", "I've", "I'd", "I'll") or first.isupper() or first in (
            "Millbrook", "Eastgate", "Universal", "Christmas"):
        return core
    return core[0].lower() + core[1:]


def _split_tag(core: str) -> tuple[str, str]:
    if len(core) > 2 and core[1] == "|":
        return core[0], core[2:]
    return "", core


class Voices:
    """Composes utterances: a core statement that suits the community, sometimes an opener or a
    tail when spoken; never the same text twice in the corpus."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.order: dict[tuple[str, str, str], list[int]] = {}
        self.used: set[str] = set()
        self.event_used: set[tuple[str, int]] = set()  # reset at each event
        self.restricted: set[str] = set()  # texts of people who may not be quoted

    def core(self, theme: str, community: str, date: dt.date) -> str:
        # ``R|`` statements are about the buses after the routes came back in April 2024;
        # before then, and for every other concern, they are never said
        late = theme == "buses-transport" and date >= BUSES_RESTORED
        tags = ("R",) if late else ("",) + tuple(AUDIENCE[community])
        allowed = [i for i, c in enumerate(CORES[theme]) if _split_tag(c)[0] in tags]
        if late:  # after April 2024 the fares and the drivers still come up, as well
            allowed += [i for i, c in enumerate(CORES[theme])
                        if _split_tag(c)[0] == "" and not any(
                            w in c for w in ("{bus}", "cut", "evening", "half nine", "changing"))]
        key = (theme, community, str(late))
        pool = self.order.setdefault(key, [])
        fresh = [i for i in pool if (theme, i) not in self.event_used]
        if not fresh:  # a new round; never the same statement twice at one event
            idx = [i for i in allowed if (theme, i) not in self.event_used] or list(allowed)
            self.rng.shuffle(idx)
            pool[:0] = idx
            fresh = idx
        i = fresh[-1]
        pool.remove(i)
        self.event_used.add((theme, i))
        return _split_tag(CORES[theme][i])[1]

    def say(self, theme: str, community: str, date: dt.date, *, spoken: bool = True,
            restricted: bool = False) -> str:
        # after the buses came back, no complaining tail ("We're just cut off.") after praise,
        # only a neutral one
        restored = theme == "buses-transport" and date >= BUSES_RESTORED
        for _ in range(400):
            text = self.core(theme, community, date)
            for slot, values in PLACES[community].items():
                text = text.replace("{" + slot + "}", self.rng.choice(values))
            if spoken and self.rng.random() < (0.8 if restricted else 0.45):
                opener = self.rng.choice(OPENERS)
                text = opener + (text if opener.rstrip()[-1] in ".?" else _lower_first(text))
            tail = 0.8 if restricted else (0.3 if spoken else 0.12)
            if self.rng.random() < tail:
                sep = " " if text[-1] in ".?!" else ". "
                text = text + sep + self.rng.choice(TAILS_RESTORED if restored else TAILS[theme])
            # no text is said twice; and the words of someone who may not be quoted never turn
            # up verbatim inside a quotable unit
            if text in self.used or (any(text in u for u in self.used) if restricted else
                                     any(r in text for r in self.restricted)):
                continue
            self.used.add(text)
            if restricted:
                self.restricted.add(text)
            return text
        raise RuntimeError(f"ran out of distinct utterances for {theme}")


@dataclass
class Said:
    """One thing said (or written) at an event."""

    speaker: str
    theme: str
    text: str


def _raisers(ev: EventSpec, present: list[str], rng: random.Random) -> dict[str, set[str]]:
    """Which concerns each participant raises: for each concern, its planted share of the
    people present (rounded at random), spread so that everyone raises something."""
    date = dt.date.fromisoformat(ev.date)
    raised: dict[str, set[str]] = {p: set() for p in present}
    for eid, who, theme, _text, _pos in PLANTED:
        if eid == ev.event_id:
            raised[who].add(theme)
    shares = {t: share(ev.community, t, date) for t in THEMES}
    for theme in sorted(THEMES, key=lambda t: (-shares[t], t)):
        target = shares[theme] * len(present)
        k = int(target) + (rng.random() < target - int(target))
        have = sum(theme in raised[p] for p in present)
        candidates = [p for p in present if theme not in raised[p]]
        rng.shuffle(candidates)
        candidates.sort(key=lambda p: len(raised[p]))  # the quiet ones first
        for p in candidates[:max(0, k - have)]:
            raised[p].add(theme)
    themes = sorted(THEMES)
    for p in present:
        if not raised[p]:
            raised[p].add(rng.choices(themes, [shares[t] for t in themes])[0])
    return raised


def plan_event(ev: EventSpec, voices: Voices, rng: random.Random) -> list[Said]:
    """The substantive utterances of an event, in order, with speakers (no housekeeping).

    Who raises what is settled first (:func:`_raisers`), so the planted changes show in how many
    *people* raise a concern, not in how long they talk; then each person says one thing per
    concern they raise, the talkative ones more, and the things said are loosely grouped by
    topic with no one speaking twice in a row."""
    date = dt.date.fromisoformat(ev.date)
    regulars = SPEAKERS[ev.community]
    names = sorted(regulars)
    present = rng.sample(names, min(len(names), ev.people))
    must = [who for eid, who, *_ in PLANTED if eid == ev.event_id]
    must += [who for eid, who, _level in SPEAKER_CONSENT if eid == ev.event_id]
    if ev.community == EOP:
        must.append("Maureen")
    for who in must:
        if who not in present:
            present[next(i for i, p in enumerate(present) if p not in must)] = who
    raised = _raisers(ev, present, rng)
    pairs = [(p, t) for p in present for t in sorted(raised[p])]
    turns = list(pairs)
    # the rest of the time goes to people (the talkative more), each back on one of their
    # concerns, up to three times (Maureen, who talks most, six)
    said = {pt: 1 for pt in pairs}
    for _ in range(max(0, ev.n - len(pairs))):
        open_ = [pt for pt in pairs if said[pt] < (6 if regulars[pt[0]] > 2 else 3)]
        if not open_:
            break
        pt = rng.choices(open_, [regulars[p] ** 1.5 / len(raised[p]) for p, _ in open_])[0]
        said[pt] += 1
        turns.append(pt)
    if ev.anonymous:
        themes = sorted(THEMES)
        weights = [share(ev.community, t, date) for t in themes]
        turns += [("", t) for t in rng.choices(themes, weights, k=ev.anonymous)]
    rng.shuffle(turns)
    # people stay on a topic for a while: sort loosely into runs
    order = list(THEMES)
    turns.sort(key=lambda pt: order.index(pt[1]) + rng.random() * 6)
    # no one speaks twice in a row (caption readers would merge the two)
    for i in range(1, len(turns)):
        if turns[i][0] and turns[i][0] == turns[i - 1][0]:
            for j in range(i + 1, len(turns)):
                if turns[j][0] != turns[i - 1][0] and (i + 1 >= len(turns)
                                                       or turns[j][0] != turns[i + 1][0]):
                    turns[i], turns[j] = turns[j], turns[i]
                    break
    spoken = ev.kind in ("txt", "vtt-voice", "vtt-prefix", "srt")
    voices.event_used.clear()
    unquotable = {who for eid, who, _level in SPEAKER_CONSENT if eid == ev.event_id}
    out = [Said(p, t, voices.say(t, ev.community, date, spoken=spoken, restricted=(
        ev.event_id in EVENT_CONSENT or p in unquotable))) for p, t in turns]
    if ev.event_id == WITHDRAWN[0]:
        for i, (theme, text) in enumerate(HODAN):
            pos = 8 + 12 * i
            out.insert(pos, Said(WITHDRAWN[1], theme, text))
    for eid, who, theme, text, pos in PLANTED:
        if eid == ev.event_id:
            out.insert(pos, Said(who, theme, text))
    return out


def with_housekeeping(ev: EventSpec, said: list[Said], rng: random.Random) -> list[Said]:
    """Spoken events: the facilitator's welcome, prompts, break and close, and the odd
    participant aside, woven in."""
    fac = FACILITATOR[ev.community].split()[0]
    lines = list(FACILITATOR_LINES)
    rng.shuffle(lines)
    opening = ["Okay, let's make a start.", "Thanks so much for coming, especially in this "
               "weather.", "Just a reminder that we're recording this, but nothing goes out with "
               "your surname on it."]
    if ev.kind.startswith("vtt") or ev.kind == "srt":
        opening[0] = "Can everyone hear me okay? Give me a thumbs up if you can."
    middle = [x for x in lines if x not in opening][:5]
    out = [Said(fac, "housekeeping", " ".join(opening))]
    step = max(1, len(said) // (len(middle) + 1))
    for i, s in enumerate(said):
        if i and i % step == 0 and middle and out[-1].speaker != fac:
            out.append(Said(fac, "housekeeping", middle.pop()))
        if i == len(said) // 2 and out[-1].speaker not in (s.speaker, fac):
            who = out[-1].speaker
            aside = [p for p in SPEAKERS[ev.community] if p not in (who, s.speaker)][0]
            out.append(Said(aside, "housekeeping", rng.choice(PARTICIPANT_HOUSEKEEPING)))
        if out[-1].speaker == s.speaker:
            out.append(Said(fac, "housekeeping", "Thank you. Go on."))
        out.append(s)
    out.append(Said(fac, "housekeeping", "Thanks everyone, that's been brilliant. We'll bring a "
                    "write-up back to you."))
    return out


# --------------------------------------------------------------------------- writers
Key = list[tuple[str, int, str]]


def _clock(seconds: float, sep: str = ".") -> str:
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _duration(text: str) -> float:
    return round(1.2 + len(text.split()) / 2.6, 1)


def write_txt(ev: EventSpec, items: list[Said], rng: random.Random) -> tuple[str, Key]:
    """``[hh:mm:ss] Name: text``; long turns wrap onto a second line; the odd stage direction."""
    lines = [f"{ev.title} - {ev.community}", f"{ev.place}, {ev.date}. Transcribed from the "
             "recording; first names only.", ""]
    key: Key = [(ev.file, 1, "housekeeping")]  # the heading paragraph
    t = 40.0 + rng.randint(0, 60)
    for n_turn, s in enumerate(items):
        clock = _clock(t)[:8]
        words = s.text.split(" ")
        if len(words) > 26 and rng.random() < 0.6:
            cut = len(words) // 2
            body = [" ".join(words[:cut]), " ".join(words[cut:])]
        else:
            body = [s.text]
        if s.speaker != WITHDRAWN[1] or ev.event_id != WITHDRAWN[0]:
            key.append((ev.file, len(lines) + 1, s.theme))
        # the Northfield transcriber stamped the time every few turns only (and never on the
        # turns of the speaker who later withdrew)
        stamped = ev.event_id != WITHDRAWN[0] or (n_turn % 4 == 0 and s.speaker != WITHDRAWN[1])
        lines.append(f"[{clock}] {s.speaker}: {body[0]}" if stamped else
                     f"{s.speaker}: {body[0]}")
        lines.extend(body[1:])
        r = rng.random()
        if r < 0.04:
            lines.append("[crosstalk]")
        elif r < 0.07:
            lines.append("(laughter)")
        t += _duration(s.text) + rng.uniform(0.5, 4.0)
    return "\n".join(lines) + "\n", key


def _cue_chunks(text: str) -> list[str]:
    """Caption lines of a few words; an utterance over ~14 words is split into two cues at a
    word that does not end a sentence."""
    words = text.split(" ")
    if len(words) <= 14:
        return [text]
    cut = len(words) // 2
    while cut < len(words) - 1 and words[cut - 1][-1] in ".?!":
        cut += 1
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(ev: EventSpec, items: list[Said], rng: random.Random) -> tuple[str, Key]:
    """WebVTT. ``vtt-voice``: Teams-style ``<v Name>`` voice tags; ``vtt-prefix``: Zoom-style
    ``Name:`` prefixes. Long utterances span two cues of the same speaker (merged by the
    reader)."""
    teams = ev.kind == "vtt-voice"
    lines = ["WEBVTT", ""]
    tool = "Microsoft Teams" if teams else "Zoom"
    lines += ["NOTE", f"Auto-generated captions exported from {tool}, checked by "
              f"{FACILITATOR[ev.community].split()[0]}.", "Surnames removed.", ""]
    key: Key = []
    t = 3.0
    cue = 0
    for s in items:
        chunks = _cue_chunks(s.text)
        first_line = 0
        for k, chunk in enumerate(chunks):
            cue += 1
            dur = _duration(chunk)
            ident = (f"{cue}" if not teams else
                     f"{rng.randrange(16**8):08x}-{rng.randrange(16**4):04x}/{cue}-0")
            lines += [ident, f"{_clock(t)} --> {_clock(t + dur)}"]
            if k == 0:
                first_line = len(lines) + 1
            body = _vtt_escape(chunk)
            lines.append(f"<v {s.speaker}>{body}</v>" if teams else f"{s.speaker}: {body}")
            lines.append("")
            t += dur + 0.2
        key.append((ev.file, first_line, s.theme))
        t += rng.uniform(0.3, 2.5)
    return "\n".join(lines), key


def write_srt(ev: EventSpec, items: list[Said], rng: random.Random) -> tuple[str, Key]:
    """SubRip: ``Name:`` on the first cue of a turn; a continuation cue carries no name."""
    lines: list[str] = []
    key: Key = []
    t = 2.0
    cue = 0
    for s in items:
        chunks = _cue_chunks(s.text)
        for k, chunk in enumerate(chunks):
            cue += 1
            dur = _duration(chunk)
            lines += [str(cue), f"{_clock(t, ',')} --> {_clock(t + dur, ',')}"]
            if k == 0:
                key.append((ev.file, len(lines) + 1, s.theme))
                lines.append(f"{s.speaker}: {chunk}")
            else:
                lines.append(chunk)
            lines.append("")
            t += dur + 0.3
        t += rng.uniform(0.3, 2.5)
    return "\n".join(lines), key


MD_SECTIONS = {
    "damp-mould": "Housing: damp, mould and repairs", "gp-access": "Health: GP appointments",
    "youth-mental-health": "Young people's mental health", "cost-of-living":
    "Money: bills and the cost of living", "buses-transport": "Getting about: buses",
    "loneliness": "Keeping in touch: loneliness", "language-interpreters":
    "Language and interpreters", "youth-spaces": "Things to do for young people",
    "safety-lighting": "Feeling safe", "digital-exclusion": "Everything going online",
    "food-banks": "Food", "green-spaces-air": "Parks, litter and air",
}


def write_md(ev: EventSpec, items: list[Said], rng: random.Random) -> tuple[str, Key]:
    """Facilitator notes: a heading per topic, bullets (``**Name:**`` when someone was quoted)."""
    fac = FACILITATOR[ev.community]
    lines = [f"# {ev.community}: {ev.title.lower()}", "",
             f"*Notes by {fac}, {ev.date}, {ev.place}. First names only, with permission.*", "",
             "## Welcome", ""]
    key: Key = [(ev.file, 3, "housekeeping")]
    for text in ("Tea and introductions; twelve members came, two new faces.",
                 "Reminder that notes are shared with the council without surnames."):
        key.append((ev.file, len(lines) + 1, "housekeeping"))
        lines.append(f"- {text}")
    by_theme: dict[str, list[Said]] = {}
    for s in items:
        by_theme.setdefault(s.theme, []).append(s)
    for theme in sorted(by_theme, key=lambda t: -len(by_theme[t])):
        lines += ["", f"## {MD_SECTIONS[theme]}", ""]
        for s in by_theme[theme]:
            key.append((ev.file, len(lines) + 1, theme))
            if rng.random() < 0.9:
                lines.append(f"- **{s.speaker}:** {s.text}")
            else:
                lines.append(f"- {s.text}")
    lines += ["", "## Next time", ""]
    key.append((ev.file, len(lines) + 1, "housekeeping"))
    lines.append(f"- Next meeting in the same room; {fac.split()[0]} to book the hall and order "
                 "the tea.")
    return "\n".join(lines) + "\n", key


WALL_TABLES = {
    RTA: ["What's hard at the moment?", "What would make the biggest difference?",
          "Anything else?"],
    MYC: ["Table 1: what's it like round here", "Table 2: health and feeling okay",
          "Table 3: if you ran the council"],
}
SURVEY_QUESTIONS = ["What has been hardest for you this year?", "What would make life easier?",
                    "Is there anything else you want the council or the NHS to know?"]


def write_csv(ev: EventSpec, items: list[Said], rng: random.Random) -> tuple[str, Key]:
    """A sticky-note wall (``text,table,author``) or survey free text
    (``respondent,question,answer,age_band``); one row per physical line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    key: Key = []
    if ev.kind == "csv-wall":
        w.writerow(["text", "table", "author"])
        for s in items:
            w.writerow([s.text, rng.choice(WALL_TABLES[ev.community]), s.speaker])
    else:
        w.writerow(["respondent", "question", "answer", "age_band"])
        for s in items:
            w.writerow([s.speaker, rng.choice(SURVEY_QUESTIONS), s.text,
                        rng.choice(["65-74", "75-84", "85+"])])
    for i, s in enumerate(items):
        key.append((ev.file, i + 2, s.theme))
    return buf.getvalue(), key


def build() -> None:
    """Write every file of the corpus and the key."""
    rng = random.Random(20250101)
    voices = Voices(rng)
    key: Key = []
    plans: dict[str, list[Said]] = {}
    for ev in EVENTS:
        said = plan_event(ev, voices, rng)
        spoken = ev.kind in ("txt", "vtt-voice", "vtt-prefix", "srt")
        plans[ev.event_id] = said
        if ev.kind == "docx":
            continue  # written by make_docx.py
        if ev.kind.startswith("csv"):
            said = [Said(s.speaker, s.theme, s.text.rstrip(".")
                         if rng.random() < 0.3 else s.text) for s in said]
        items = with_housekeeping(ev, said, rng) if spoken else said
        writer = {"txt": write_txt, "vtt-voice": write_vtt, "vtt-prefix": write_vtt,
                  "srt": write_srt, "md": write_md, "csv-wall": write_csv,
                  "csv-survey": write_csv}[ev.kind]
        text, k = writer(ev, items, rng)
        path = ROOT / ev.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        key.extend(k)
    import make_docx

    docx_ev = next(e for e in EVENTS if e.kind == "docx")
    key.extend(make_docx.write(ROOT / docx_ev.file, docx_ev, plans[docx_ev.event_id],
                               FACILITATOR[docx_ev.community]))
    _write_tables(key)


def _write_tables(key: Key) -> None:
    with (ROOT / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["event_id", "community", "date", "place", "format", "file", "facilitator",
                    "title", "text_column", "group_column", "speaker_column"])
        for ev in EVENTS:
            w.writerow([ev.event_id, ev.community, ev.date, ev.place, ev.format, ev.file,
                        FACILITATOR[ev.community], ev.title, ev.options.get("text_column", ""),
                        ev.options.get("group_column", ""), ev.options.get("speaker_column", "")])
    with (ROOT / "consent.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["event_id", "speaker", "consent"])
        for ev in EVENTS:
            w.writerow([ev.event_id, "*", EVENT_CONSENT.get(ev.event_id, "quote")])
        for eid, who, level in SPEAKER_CONSENT:
            w.writerow([eid, who, level])
        w.writerow([WITHDRAWN[0], WITHDRAWN[1], "withdrawn"])
    (ROOT / "_key").mkdir(exist_ok=True)
    with (ROOT / "_key" / "themes.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source", "line", "theme"])
        w.writerows(sorted(key, key=lambda r: (r[0], r[1])))


if __name__ == "__main__":
    build()
