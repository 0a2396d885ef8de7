"""Write the Saltmere evaluation corpus and its key.

Run from anywhere: ``python corpora/examples/saltmere/_build/make_corpus.py``. It rewrites
``events.csv``, ``consent.csv``, every transcript and the key in ``_key/`` (``themes.csv``: one
row per unit the loader reports; ``concerns.csv``; ``shifts.csv``: the planted and measured shares).
Same bytes on every run: one fixed seed, no clocks (the .docx zip entries carry a fixed date).

The plan of each event (who, what, in which order) comes from :mod:`plan`; the shared builder
(``corpora/examples/_builders/transcripts.py``) turns it into words (``Voices``, from the
hand-written bank in :mod:`content`) and into files (one writer per format). What is Saltmere's
own is here: the events, consent, planted details and the wording of its notes and surveys.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT.parent / "_builders")]

import content  # noqa: E402
import transcripts as t  # noqa: E402
from content import CONCERNS, HEADINGS  # noqa: E402
from plan import (  # noqa: E402
    BACKGROUND,
    FACILITATOR,
    HCP,
    HLG,
    LAP,
    NEIGHBOURS,
    PLANTED,
    SCN,
    SDF,
    SLUG,
    SPEAKERS,
    TAG,
    YEARS,
)

SEED = 20260301


class EventSpec(t.EventSpec):
    """A Saltmere event (its folder from :data:`plan.SLUG`)."""

    slugs = SLUG

WALL = {"text_column": "note", "group_column": "table", "speaker_column": "name"}
#: The survey export: one row per respondent, one column per question; the free-text question
#: ("What is the biggest challenge for you at the moment?") is the text.
SURVEY = {"text_column": "biggest_challenge", "group_column": "", "speaker_column": "respondent"}
TEAMS, ZOOM = "Online (Microsoft Teams)", "Online (Zoom)"

EVENTS = sorted([
    EventSpec(SCN, "2021-03-10", TEAMS, "online meeting", "vtt-voice", 9, 26,
              "Carers' check-in: how are you coping?"),
    EventSpec(SCN, "2022-03-16", TEAMS, "online meeting", "vtt-voice", 10, 28,
              "Carers' spring meeting"),
    EventSpec(SCN, "2023-04-19", "Saltmere Library, community room", "meeting", "txt", 11, 30,
              "Carers' listening session"),
    EventSpec(SCN, "2024-04-17", "Saltmere Library, community room", "meeting", "md", 10, 24,
              "Carers' listening session: notes"),
    EventSpec(SCN, "2025-04-09", TEAMS, "online meeting", "vtt-voice", 8, 24,
              "Carers' spring meeting"),
    EventSpec(HCP, "2021-07-14", "St Brannoc's churchyard (outdoors)", "drop-in notes", "md", 9,
              22, "Summer drop-in: notes"),
    EventSpec(HCP, "2022-06-22", "St Brannoc's church hall", "drop-in", "csv-wall", 11, 24,
              "Sticky-note wall at the village drop-in", dict(WALL)),
    EventSpec(HCP, "2023-06-14", "St Brannoc's church hall", "drop-in notes", "docx", 10, 24,
              "Village drop-in: notes for the parish council"),
    EventSpec(HCP, "2024-06-19", "St Brannoc's church hall", "drop-in conversation", "txt", 9,
              26, "Village drop-in conversation"),
    EventSpec(HCP, "2025-06-18", "St Brannoc's church hall", "drop-in", "csv-wall", 12, 26,
              "Sticky-note wall at the village drop-in", dict(WALL)),
    EventSpec(HLG, "2021-10-06", ZOOM, "online group", "vtt-prefix", 8, 24,
              "Newcomers' group online"),
    EventSpec(HLG, "2022-10-05", ZOOM, "online group", "srt", 9, 26, "Newcomers' autumn group"),
    EventSpec(HLG, "2023-10-11", ZOOM, "online group", "vtt-prefix", 10, 28,
              "Newcomers' autumn group"),
    EventSpec(HLG, "2024-10-09", "Harbour Lights Centre, Quay Road", "group notes", "docx", 10,
              24, "Autumn group: notes"),
    EventSpec(HLG, "2025-10-08", "Harbour Lights Centre, Quay Road", "group", "txt", 11, 30,
              "Autumn group conversation"),
    EventSpec(SDF, "2021-05-12", ZOOM, "online forum", "vtt-prefix", 10, 28,
              "Disability forum online"),
    EventSpec(SDF, "2022-05-18", ZOOM, "online forum", "srt", 9, 26, "Disability forum"),
    EventSpec(SDF, "2023-05-10", "Online form and paper copies", "survey", "csv-survey", 12, 0,
              "Members' survey: free-text answers", dict(SURVEY)),
    EventSpec(SDF, "2024-05-15", TEAMS, "online forum", "vtt-voice", 10, 28,
              "Disability forum"),
    EventSpec(SDF, "2025-05-14", ZOOM, "online forum", "srt", 11, 30, "Disability forum"),
    EventSpec(LAP, "2021-09-15", "Eastwick Sands Family Hub", "group", "txt", 8, 24,
              "Young parents' group conversation"),
    EventSpec(LAP, "2022-09-14", "Eastwick Sands Family Hub", "group notes", "md", 9, 22,
              "Young parents' group: notes"),
    EventSpec(LAP, "2023-09-13", ZOOM, "online group", "srt", 8, 24, "Young parents online"),
    EventSpec(LAP, "2024-09-18", "Online form", "survey", "csv-survey", 11, 0,
              "Young parents' survey: free-text answers", dict(SURVEY)),
    EventSpec(LAP, "2025-09-17", "Eastwick Sands Family Hub", "group notes", "md", 10, 24,
              "Young parents' group: notes"),
], key=lambda e: (e.date, e.event_id))

#: Speakers who withdrew consent after the event: their turns stay in the file, never as units.
WITHDRAWN = [("lit-2021-09", "Tia"), ("car-2022-03", "Terry")]
#: Speakers whose consent differs from their event's default.
SPEAKER_CONSENT = [("har-2022-10", "Mihai", "paraphrase"), ("dis-2021-05", "Lorna", "paraphrase"),
                   ("hol-2024-06", "Clive", "paraphrase"), ("car-2023-04", "Hazel", "aggregate"),
                   ("har-2025-10", "Jun", "aggregate"), ("lit-2025-09", "Demi", "aggregate")]
#: Events whose default is not ``quote`` (the surveys said answers would be paraphrased).
EVENT_CONSENT = {"dis-2023-05": "paraphrase", "lit-2024-09": "paraphrase"}
#: Personal details planted for the redaction feature: the first turn on the concern at the
#: event says this (phone numbers and addresses of the kinds reserved for fiction).
DETAILS = {
    ("lit-2023-09", "housing-conditions"): "If anyone from the council wants to see the mould "
    "they can ring me on 07700 900284, I'm in all day with the baby.",
    ("dis-2024-05", "digital-exclusion"): "They sent my login to an old email, "
    "seaview.flat4@example.com, and the reset link goes to the same address, so I'm locked out.",
    ("car-2025-04", "gp-access"): "I've written to the practice manager twice, my number's "
    "07700 900517, and nobody has ever rung it.",
}


#: Words that keep their capital when a turn gets an opener ("Well, Saltmere ...").
PROPER = frozenset({
    "Saltmere", "Hollin", "Marram", "Kingsreach", "Carrow", "Eastwick", "Dial-a-ride", "English",
    "Zoom", "Jubilee", "Universal", "PIP", "QR", "SEN", "Dentist.", "Parks.", "Buses.",
    "Doctors.", "Lonely.", "Expensive."})
WALL_TABLES = ["What's hard about living here?", "What would make the biggest difference?",
               "What's good about round here?"]
PATTERN = {"loneliness": "falls strongly", "cost-of-living": "rises",
           "transport": "falls moderately", "housing-conditions": "step up from 2023",
           "gp-access": "steady control (noise)"}


def write_md(recipe: t.Recipe, ev: t.EventSpec, lines: list[t.Line],
             rng: random.Random) -> tuple[str, list[t.Row]]:
    """Typed notes: headings are topics, bullets ``**Name:** ...``, and the note-taker's own
    ``Positive: ...`` / ``Still a problem: ...`` lines (not people)."""
    fac = FACILITATOR[ev.community]
    head = [f"# {ev.title}", "", f"*{ev.community}, {ev.date}, {ev.place}. Notes by {fac}; "
            "first names only, with permission.*", "", "## Welcome", ""]
    return t.notes_md(recipe, ev, lines, rng, head=head,
                      opening=f"{t.attendance(lines, fac)} people came, tea and introductions.",
                      headings=HEADINGS, odds=0.6,
                      close=("Next time", f"Same time next year; {fac.split()[0]} to send these "
                                          "notes round first."))


def write_docx(recipe: t.Recipe, ev: t.EventSpec, lines: list[t.Line],
               rng: random.Random) -> tuple[bytes, list[t.Row]]:
    """Notes typed in Word after a drop-in, for the parish and district councils."""
    fac = FACILITATOR[ev.community]
    return t.notes_docx(recipe, ev, lines, rng, headings=HEADINGS, odds=0.6,
                        intro=f"Notes typed up by {fac} after the drop-in at {ev.place} on "
                              f"{ev.date}. First names only.",
                        close=("Next steps", "Thank you all, these notes go to the parish and "
                                             "district councils and we will report back."))


def _respondent(ev: t.EventSpec, rng: random.Random) -> list[object]:
    """A survey respondent's age group and how well listened to they feel (1-5)."""
    bands = ["18-24", "25-34", "35-49", "50-64", "65+"] if ev.community == SDF else [
        "16-19", "20-24", "25-29"]
    return [rng.choice(bands), rng.randint(1, 4)]


RECIPE = t.Recipe(
    root=ROOT, seed=SEED, events=EVENTS, tag=TAG, facilitator=FACILITATOR,
    cast=t.Cast(SPEAKERS, PLANTED, BACKGROUND, YEARS, CONCERNS, content.BOTH, NEIGHBOURS),
    bank=t.Bank.of(content, hello=["Hiya.", "Morning all.", "Hello everyone.",
                                   "Hi, yes, I can hear you."], go_on="Thank you. Go on.",
                   thanks=["Lovely cake, thank you!", "Thanks for the tea and the chat :)"]),
    withdrawn=WITHDRAWN, speaker_consent=SPEAKER_CONSENT, event_consent=EVENT_CONSENT,
    details=DETAILS, pattern=PATTERN, proper=PROPER.__contains__,
    txt_head=("{title} - {community}",
              "{place}, {date}. Typed up from the recording, first names only."),
    wall_tables=WALL_TABLES, survey_columns=("age_group", "how_well_listened_to_1_5"),
    respondent=_respondent, writers={"md": write_md, "docx": write_docx})


if __name__ == "__main__":
    t.write_tables(RECIPE, t.build(RECIPE))
