"""Write the Riverside example corpus and its ground-truth key.

Run from anywhere: ``.venv/bin/python corpora/examples/riverside/_build/make_corpus.py``. It
rewrites ``events.csv``, ``consent.csv``, every transcript (the .docx via ``make_docx.py``) and
``_key/themes.csv`` (one row per unit the loader will report: ``source,line,theme``). The output
is the same bytes on every run (a fixed seed; no clocks).

How the planted patterns arise: each community has its own weight per concern (``BASE``), and
:func:`weight` multiplies it by time effects (cost of living rising from autumn 2023, damp peaking
in winter, youth mental health rising in Millbrook in 2025, ...). Each event's utterances are
shared out among the concerns in proportion, and spoken by the community's regulars.
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
    THEMES,
)

RTA = "Riverside Tenants Association"
NSW = "Northfield Somali Women's Group"
EOP = "Eastgate Older People's Forum"
MYC = "Millbrook Youth Council"

#: Regulars of each community (first names only); a higher number speaks more often.
SPEAKERS: dict[str, dict[str, int]] = {
    RTA: {"Dawn": 2, "Gary": 1, "Lorraine": 2, "Kev": 1, "Shabana": 1, "Tony": 1, "Mel": 1,
          "Callum": 1, "Bernie": 1, "Jade": 1},
    NSW: {"Amina": 2, "Faduma": 1, "Ubah": 1, "Sahra": 1, "Khadra": 1, "Nimco": 1, "Fartun": 1,
          "Ifrah": 1, "Maryan": 1},
    EOP: {"Maureen": 6, "Stan": 1, "Pat": 1, "Eileen": 1, "Winston": 1, "Jean": 1, "Harold": 1,
          "Gloria": 1, "Ken": 1, "Brenda": 1},
    MYC: {"Tyler": 1, "Aisha": 2, "Kyle": 1, "Ellie": 1, "Jamal": 1, "Chloe": 1, "Reece": 1,
          "Zara": 1, "Mo": 1, "Lily": 1},
}
FACILITATOR = {RTA: "Jo Whitfield", NSW: "Halima Yusuf", EOP: "Rachel Adams", MYC: "Sam Okafor"}
SLUG = {RTA: "riverside-tenants", NSW: "northfield-women", EOP: "eastgate-forum",
        MYC: "millbrook-youth"}

#: Each community's emphasis, concern by concern (relative weights).
BASE: dict[str, dict[str, float]] = {
    RTA: {"damp-mould": 6, "cost-of-living": 3, "safety-lighting": 3, "food-banks": 2,
          "green-spaces-air": 1.5, "gp-access": 1.5, "buses-transport": 1, "loneliness": 0.7,
          "digital-exclusion": 0.7, "youth-spaces": 1, "youth-mental-health": 0.5,
          "language-interpreters": 0.3},
    NSW: {"language-interpreters": 6, "gp-access": 4, "cost-of-living": 2.5,
          "youth-mental-health": 1.5, "food-banks": 2, "digital-exclusion": 1.5,
          "damp-mould": 1.5, "safety-lighting": 1, "youth-spaces": 0.7, "buses-transport": 0.7,
          "loneliness": 1, "green-spaces-air": 0.3},
    EOP: {"loneliness": 5, "buses-transport": 4, "digital-exclusion": 3, "gp-access": 3,
          "cost-of-living": 2.5, "safety-lighting": 1, "food-banks": 0.7, "green-spaces-air": 1,
          "damp-mould": 1, "youth-mental-health": 0.2, "youth-spaces": 0.2,
          "language-interpreters": 0.3},
    MYC: {"youth-spaces": 5, "youth-mental-health": 2.5, "safety-lighting": 3,
          "buses-transport": 2, "green-spaces-air": 2, "cost-of-living": 1.5, "gp-access": 0.5,
          "digital-exclusion": 0.3, "food-banks": 0.7, "loneliness": 0.7, "damp-mould": 0.5,
          "language-interpreters": 0.2},
}


def weight(community: str, theme: str, date: dt.date) -> float:
    """How much a community talks about a concern at a date: its base emphasis times the planted
    changes over time (see the README's "Planted patterns")."""
    w = BASE[community][theme]
    if theme == "cost-of-living":
        w *= 0.4 if date < dt.date(2023, 9, 1) else (1.8 if date < dt.date(2024, 1, 1) else 2.6)
    elif theme == "food-banks" and date >= dt.date(2023, 10, 1):
        w *= 1.7
    elif theme == "damp-mould":
        w *= 2.2 if date.month in (11, 12, 1, 2) else (0.5 if 5 <= date.month <= 9 else 1.0)
    elif theme == "youth-mental-health" and community == MYC and date.year == 2025:
        w *= 3.5
    elif community == EOP and (
            (theme == "digital-exclusion" and date >= dt.date(2024, 1, 1))
            or (theme == "buses-transport" and date >= dt.date(2024, 4, 1))):
        w *= 1.8
    return w


@dataclass
class EventSpec:
    """One event to write."""

    event_id: str
    community: str
    date: str
    place: str
    format: str
    kind: str  # txt | vtt-voice | vtt-prefix | srt | md | csv-wall | csv-survey | docx
    n: int  # substantive utterances (before the withdrawn speaker's are taken out)
    title: str = ""
    options: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> str:
        ext = {"vtt-voice": "vtt", "vtt-prefix": "vtt", "csv-wall": "csv",
               "csv-survey": "csv"}.get(self.kind, self.kind)
        return f"{SLUG[self.community]}/{self.event_id}.{ext}"


WALL = {"text_column": "text", "group_column": "table", "speaker_column": "author"}
SURVEY = {"text_column": "answer", "group_column": "question", "speaker_column": "respondent"}

EVENTS = [
    EventSpec("rta-2023-02", RTA, "2023-02-16", "Canal Side Community Room", "residents' meeting",
              "txt", 50, "Winter residents' meeting"),
    EventSpec("nsw-2023-03", NSW, "2023-03-22", "Northfield Library, meeting room",
              "focus group", "txt", 46, "Health services conversation"),
    EventSpec("eop-2023-05", EOP, "2023-05-10", "Eastgate Methodist Hall", "forum meeting",
              "md", 30, "Spring forum: getting about and staying in touch"),
    EventSpec("rta-2023-07", RTA, "2023-07-13", "Canal Side Community Room", "open meeting",
              "md", 28, "Summer open meeting"),
    EventSpec("myc-2023-09", MYC, "2023-09-27", "Millbrook Leisure Centre, studio 2",
              "youth council session", "txt", 48, "What's it like being young in Millbrook?"),
    EventSpec("nsw-2023-11", NSW, "2023-11-15", "Online (Zoom)", "online focus group", "srt", 44,
              "Winter pressures"),
    EventSpec("eop-2023-12", EOP, "2023-12-06", "Eastgate Methodist Hall", "forum meeting",
              "txt", 52, "Winter forum"),
    EventSpec("rta-2024-01", RTA, "2024-01-25", "Online (Zoom)", "online residents' meeting",
              "vtt-prefix", 48, "Damp and repairs special meeting"),
    EventSpec("myc-2024-04", MYC, "2024-04-17", "Online (Microsoft Teams)", "online session",
              "vtt-voice", 44, "Youth council check-in"),
    EventSpec("nsw-2024-06", NSW, "2024-06-19", "Northfield Library, meeting room",
              "community conversation", "docx", 30, "Health conversation notes"),
    EventSpec("eop-2024-09", EOP, "2024-09-04", "Online (Zoom), with phone dial-in",
              "online forum", "srt", 46, "Autumn forum"),
    EventSpec("rta-2024-10", RTA, "2024-10-10", "Riverside Market, stall", "drop-in",
              "csv-wall", 36, "Market drop-in sticky-note wall", WALL),
    EventSpec("rta-2025-02", RTA, "2025-02-06", "Canal Side Community Room", "residents' meeting",
              "txt", 50, "Winter residents' meeting"),
    EventSpec("myc-2025-03", MYC, "2025-03-12", "Millbrook Academy, sixth-form common room",
              "workshop", "csv-wall", 38, "Sticky-note workshop", WALL),
    EventSpec("nsw-2025-05", NSW, "2025-05-21", "Online (Microsoft Teams)",
              "online focus group", "vtt-voice", 44, "Health and family life"),
    EventSpec("eop-2025-09", EOP, "2025-09-17", "Eastgate Methodist Hall", "survey",
              "csv-survey", 34, "Forum members' survey: free-text answers", SURVEY),
    EventSpec("myc-2025-11", MYC, "2025-11-19", "Millbrook Leisure Centre, studio 2",
              "youth council session", "txt", 50, "Youth council autumn session"),
]

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
        self.order: dict[tuple[str, str], list[int]] = {}
        self.used: set[str] = set()

    def core(self, theme: str, community: str) -> str:
        allowed = [i for i, c in enumerate(CORES[theme])
                   if _split_tag(c)[0] in ("",) + tuple(AUDIENCE[community])]
        key = (theme, community)
        if not self.order.get(key):
            idx = list(allowed)
            self.rng.shuffle(idx)
            self.order[key] = idx
        return _split_tag(CORES[theme][self.order[key].pop()])[1]

    def say(self, theme: str, community: str, *, spoken: bool = True) -> str:
        for _ in range(400):
            text = self.core(theme, community)
            for slot, values in PLACES[community].items():
                text = text.replace("{" + slot + "}", self.rng.choice(values))
            if spoken and self.rng.random() < 0.45:
                opener = self.rng.choice(OPENERS)
                text = opener + (text if opener.rstrip()[-1] in ".?" else _lower_first(text))
            if self.rng.random() < (0.3 if spoken else 0.12):
                sep = " " if text[-1] in ".?!" else ". "
                text = text + sep + self.rng.choice(TAILS[theme])
            if text not in self.used:
                self.used.add(text)
                return text
        raise RuntimeError(f"ran out of distinct utterances for {theme}")


def share_out(n: int, weights: dict[str, float]) -> dict[str, int]:
    """``n`` split in proportion to ``weights`` (largest remainder; deterministic)."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = n - sum(counts.values())
    for k in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:rest]:
        counts[k] += 1
    return counts


@dataclass
class Said:
    """One thing said (or written) at an event."""

    speaker: str
    theme: str
    text: str


def plan_event(ev: EventSpec, voices: Voices, rng: random.Random) -> list[Said]:
    """The substantive utterances of an event, in order, with speakers (no housekeeping)."""
    date = dt.date.fromisoformat(ev.date)
    counts = share_out(ev.n, {t: weight(ev.community, t, date) for t in THEMES})
    themes = [t for t, c in counts.items() for _ in range(c)]
    rng.shuffle(themes)
    # people stay on a topic for a while: sort loosely into runs
    themes.sort(key=lambda t: (list(THEMES).index(t) + rng.random() * 6))
    spoken = ev.kind in ("txt", "vtt-voice", "vtt-prefix", "srt")
    regulars = SPEAKERS[ev.community]
    names = sorted(regulars)
    k = min(len(names), rng.randint(6, 8))
    present = rng.sample(names, k)
    if ev.community == EOP and "Maureen" not in present:
        present[0] = "Maureen"
    out: list[Said] = []
    prev = ""
    for theme in themes:
        choices = [p for p in present if p != prev]
        who = rng.choices(choices, [regulars[p] for p in choices])[0]
        out.append(Said(who, theme, voices.say(theme, ev.community, spoken=spoken)))
        prev = who
    if ev.event_id == WITHDRAWN[0]:
        for i, (theme, text) in enumerate(HODAN):
            pos = 8 + 12 * i
            out.insert(pos, Said(WITHDRAWN[1], theme, text))
    for eid, who, theme, text, pos in PLANTED:
        if eid == ev.event_id:
            out.insert(pos, Said(who, theme, text))
    # no one speaks twice in a row (caption readers would merge the two)
    for i in range(1, len(out)):
        if out[i].speaker == out[i - 1].speaker:
            nxt = out[i + 1].speaker if i + 1 < len(out) else ""
            for p in present:
                if p not in (out[i - 1].speaker, nxt, WITHDRAWN[1]):
                    out[i].speaker = p
                    break
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
            if rng.random() < 0.7:
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
            author = s.speaker if rng.random() < 0.55 else ""
            w.writerow([s.text, rng.choice(WALL_TABLES[ev.community]), author])
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
