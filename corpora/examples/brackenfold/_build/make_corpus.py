"""Write the Brackenfold evaluation corpus and its key.

Run from anywhere: ``python corpora/examples/brackenfold/_build/make_corpus.py``. It rewrites
``events.csv``, ``consent.csv``, every transcript and the key in ``_key/`` (``themes.csv``: one
row per unit the loader reports; ``concerns.csv``; ``shifts.csv``: the planted and measured shares).
Same bytes on every run: one fixed seed, no clocks (the .docx zip entries carry a fixed date).

The structure is the Saltmere builder's: both use the shared builder
(``corpora/examples/_builders/transcripts.py``), which plans each event from :mod:`plan`, puts
words to it from :mod:`content` and writes each format. The words, the events, the people, the
facilitators' styles and the terse note-taker are Brackenfold's own, and are here.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT.parent / "_builders")]

import content  # noqa: E402
import transcripts as t  # noqa: E402
from content import CONCERNS, HEADINGS, QUIET, TERSE_HEADINGS  # noqa: E402
from plan import (  # noqa: E402
    BACKGROUND,
    FACILITATOR,
    HAG,
    MEN,
    NEIGHBOURS,
    PLANTED,
    POL,
    SIX,
    SLUG,
    SPEAKERS,
    STYLE,
    TAG,
    WEL,
    YEARS,
)

SEED = 20260517


class EventSpec(t.EventSpec):
    """A Brackenfold event (its folder from :data:`plan.SLUG`)."""

    slugs = SLUG


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


WALL_TABLES = ["What gets you down about Brackenfold?", "What one thing should change?",
               "What should the council hear?"]
PATTERN = {"dentist-access": "rises", "jobs-skills": "falls",
           "flooding": "step up from 2024", "gp-access": "steady control (noise)"}


def _proper(word: str) -> bool:
    """Whether a first word keeps its capital (``Thornbury's,`` counts as ``Thornbury``)."""
    return re.sub(r"('s)?[,.']*$", "", word) in PROPER


def write_md(recipe: t.Recipe, ev: t.EventSpec, lines: list[t.Line],
             rng: random.Random) -> tuple[str, list[t.Row]]:
    """Typed notes: headings are topics, bullets ``**Name:** ...``, and the note-taker's own
    ``Agreed: ...`` / ``Action: ...`` lines (not people). A terse note-taker writes short
    headings ("Repairs") and clipped bullets."""
    fac = FACILITATOR[ev.community]
    n = t.attendance(lines, fac)
    if STYLE[ev.community] == "terse":
        return t.notes_md(recipe, ev, lines, rng, head=[
            f"# {ev.title}", "", f"*{ev.date}, {ev.place}. Notes: {fac}.*", "", "## Present", ""],
            opening=f"{n} residents, {rng.randint(1, 3)} apologies.", headings=TERSE_HEADINGS,
            odds=0.45, close=("AOB", "None. Next meeting in the autumn."))
    return t.notes_md(recipe, ev, lines, rng, head=[
        f"# {ev.title}", "", f"*{ev.community}, {ev.place}, {ev.date}. Written up by {fac}; "
        "first names only, agreed at the start.*", "", "## Who came", ""],
        opening=f"{n} of us, with tea and the raffle.", headings=HEADINGS, odds=0.6,
        close=("Next meeting", f"{fac.split()[0]} will circulate these notes before the next "
                               "one."))


def write_docx(recipe: t.Recipe, ev: t.EventSpec, lines: list[t.Line],
               rng: random.Random) -> tuple[bytes, list[t.Row]]:
    """Notes typed in Word: an afternoon's write-up, or the terse note-taker's minutes."""
    fac = FACILITATOR[ev.community]
    if STYLE[ev.community] == "terse":
        return t.notes_docx(recipe, ev, lines, rng, intro=f"{ev.date}, {ev.place}. Notes: {fac}.",
                            headings=TERSE_HEADINGS, odds=0.45, close=(
                                "AOB", "Notes to the housing association and ward councillors."))
    return t.notes_docx(recipe, ev, lines, rng, headings=HEADINGS, odds=0.6,
                        intro=f"Notes written up by {fac} after the afternoon at {ev.place} on "
                              f"{ev.date}. First names only.",
                        close=("What happens next", "Thank you all. These notes go to the "
                               "council and the health centre, and I will bring back whatever "
                               "answers we get."))


def _respondent(ev: t.EventSpec, rng: random.Random) -> list[object]:
    """A survey respondent's age band and years in Brackenfold."""
    bands = ["16", "17", "18"] if ev.community == SIX else ["25-34", "35-44", "45-54", "55+"]
    years = rng.randint(1, 18) if ev.community == SIX else rng.randint(1, 16)
    return [rng.choice(bands), years]


RECIPE = t.Recipe(
    root=ROOT, seed=SEED, events=EVENTS, tag=TAG, facilitator=FACILITATOR,
    cast=t.Cast(SPEAKERS, PLANTED, BACKGROUND, YEARS, CONCERNS, content.BOTH, NEIGHBOURS,
                both=0.25, nudges=QUIET),
    bank=t.Bank.of(content, go_on="Cheers. Carry on.",
                   thanks=["Thanks for doing this x", "Good to be asked for once!",
                           "Cheers for the free pizza"]),
    withdrawn=WITHDRAWN, speaker_consent=SPEAKER_CONSENT, event_consent=EVENT_CONSENT,
    details=DETAILS, pattern=PATTERN, proper=_proper,
    txt_head=("{community}: {title}",
              "Recorded at {place} on {date}; transcribed, first names only."),
    wall_tables=WALL_TABLES, survey_columns=("age_band", "years_in_brackenfold"),
    respondent=_respondent, writers={"md": write_md, "docx": write_docx}, styles=STYLE,
    survey_pairs=0.3, ignore_stop=True, shorthand=_terse)


if __name__ == "__main__":
    t.write_tables(RECIPE, t.build(RECIPE))
