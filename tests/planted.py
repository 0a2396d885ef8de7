"""Planted corpora: corpus folders written on the fly whose concerns are known line by line.

One home for the tests' synthetic corpora. Every generator writes ``events.csv``, one transcript
per event (``Speaker: text`` lines, file ``<event_id>.txt``) and, when asked, ``consent.csv``
through :func:`conftest.write_corpus`, and knows the planted concern of every (file, line).
The generators differ only in their vocabularies and designs, which the tests' thresholds were
tuned on, so each keeps its own constants; the writing and the sentence-filling are shared.
Same arguments and seed, same bytes on disk.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from conftest import write_corpus

#: One transcript line: (speaker, text, planted concern or "housekeeping").
Line = tuple[str, str, str]


@dataclass(frozen=True)
class Vocabulary:
    """Words per concern and the sentence templates three of them fill."""

    concerns: Mapping[str, Sequence[str]]
    templates: Sequence[str]

    def sentence(self, rng: random.Random, concern: str) -> str:
        """Three distinct words of ``concern`` in a randomly chosen template."""
        a, b, c = rng.sample(list(self.concerns[concern]), 3)
        return rng.choice(list(self.templates)).format(
            a=a, b=b, c=c, A=a.capitalize(), B=b.capitalize(), C=c.capitalize())

    def talk(self, rng: random.Random, n: int, order: Sequence[str], speakers: Sequence[str],
             *, shift: int = 0, speaker_shift: int = 0) -> list[Line]:
        """``n`` participant lines cycling through ``order`` (from ``shift``), speakers in a
        fixed stride (from ``speaker_shift``)."""
        lines = []
        for i in range(n):
            concern = order[(i + shift) % len(order)]
            text = self.sentence(rng, concern)
            lines.append((speakers[(i * 3 + speaker_shift) % len(speakers)], text, concern))
        return lines


@dataclass(frozen=True)
class PlantedEvent:
    """One event of a planted corpus and the lines of its transcript."""

    event_id: str
    community: str
    date: str
    lines: list[Line]
    facilitator: str = "Jo"
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return f"{self.event_id}.txt"


def write_planted(root: Path, events: Sequence[PlantedEvent],
                  consent: list[dict[str, str]] | None = None) -> tuple[Path, pd.DataFrame]:
    """Write the corpus folder; return it and its key (source, line, concern)."""
    rows = [{"event_id": ev.event_id, "community": ev.community, "date": ev.date,
             **ev.metadata, "file": ev.file, "facilitator": ev.facilitator} for ev in events]
    files = {ev.file: "".join(f"{who}: {text}\n" for who, text, _ in ev.lines) for ev in events}
    key = [(ev.file, n + 1, concern) for ev in events
           for n, (_, _, concern) in enumerate(ev.lines)]
    folder = write_corpus(root, rows, files, consent)
    return folder, pd.DataFrame(key, columns=["source", "line", "concern"])


def quote_everyone(events: Sequence[PlantedEvent]) -> list[dict[str, str]]:
    """Consent rows letting every speaker at every event be quoted."""
    return [{"event_id": ev.event_id, "speaker": "*", "consent": "quote"} for ev in events]


# -- four concerns in short word lists (theme discovery, curation, codebook, review) ----------

CONCERNS = {
    "damp": ["damp", "mould", "condensation", "landlord", "repairs", "bedroom", "walls"],
    "bus": ["bus", "timetable", "fares", "route", "driver", "stop", "cancelled"],
    "gp": ["GP", "appointment", "surgery", "doctor", "receptionist", "prescription", "phone"],
    "youth": ["youth", "club", "teenagers", "skate", "park", "activities", "funding"],
}
TEMPLATES = ["The {a}, the {b} and the {c}.", "{A} and {b} and {c}.", "Again the {a}, {b}, {c}.",
             "It is the {a} and the {b}.", "{A}, {b}: nothing changes."]
HOUSEKEEPING_LINES = ["Can everyone hear me at the back?", "Thanks for coming, everyone.",
                      "Let's take a short break.", "Could you pass the mic along please?"]
SPEAKERS = ["Amina", "Ben", "Cleo", "Dev", "Emre", "Farah", "Gus", "Hana"]


def make_corpus_dir(root: Path, n_per_event: int = 30, n_events: int = 4, seed: int = 0,
                    concerns: dict | None = None, housekeeping: bool = True) -> Path:
    """Write a corpus folder with known concerns, and beside it ``<name>-key.csv``
    (source, line, theme)."""
    rng = random.Random(seed)
    vocab = Vocabulary(concerns or CONCERNS, TEMPLATES)
    names = sorted(vocab.concerns)
    events = []
    for e in range(n_events):
        lines = vocab.talk(rng, n_per_event, names, SPEAKERS, shift=e, speaker_shift=e)
        if housekeeping:
            hk = len(HOUSEKEEPING_LINES)
            lines = [("Jo", HOUSEKEEPING_LINES[e % hk], "housekeeping"), *lines,
                     ("Jo", HOUSEKEEPING_LINES[(e + 1) % hk], "housekeeping")]
        events.append(PlantedEvent(f"e{e + 1}", ["Riverside", "Northfield"][e % 2],
                                   f"2024-0{e % 9 + 1}-15", lines,
                                   metadata={"place": "Hall", "format": "focus group"}))
    root, key = write_planted(root, events, quote_everyone(events))
    key.rename(columns={"concern": "theme"}).to_csv(root.parent / f"{root.name}-key.csv",
                                                    index=False)
    return root


def truth(corpus, root: Path) -> pd.Series:  # noqa: ANN001 - a listenlens Corpus
    """The known theme of every unit of a :func:`make_corpus_dir` folder, by unit id."""
    key = pd.read_csv(root.parent / f"{root.name}-key.csv")
    merged = corpus.units.merge(key, on=["source", "line"], how="left")
    return merged.set_index("unit_id")["theme"]


# -- the same four plus a concern that appears later (living projects, review) ----------------

MONTH_CONCERNS = {
    **CONCERNS,
    # appears only from the third month on: the planted new concern
    "food": ["foodbank", "vouchers", "hungry", "meals", "pantry", "groceries", "breakfast"],
}
# only the concern's own words carry meaning (a shared phrase would make its own cluster)
MONTH_TEMPLATES = ["The {a}, the {b} and the {c}.", "{A} and {b} and {c}.",
                   "Again the {a}, {b}, {c}.", "It is the {a} and the {b}.", "{A}, {b}, {c}!"]
PEOPLE = ["Amina", "Ben", "Cleo", "Dev", "Emre", "Farah", "Gus", "Hana", "Ira", "Jon"]


def month(root: Path, name: str, events: list[tuple[str, str, str]], concerns: list[str],
          n: int, seed: int) -> tuple[Path, dict[tuple[str, int], str]]:
    """A corpus folder of events ``(event_id, community, date)``, each with ``n`` units on
    ``concerns`` (plus a facilitator welcome); returns it and the key (file, line) -> concern."""
    rng = random.Random(seed)
    vocab = Vocabulary(MONTH_CONCERNS, MONTH_TEMPLATES)
    planted = [PlantedEvent(eid, community, date,
                            [("Jo", "Thanks for coming, everyone. Can everyone hear me?",
                              "housekeeping"),
                             *vocab.talk(rng, n, concerns, PEOPLE, speaker_shift=len(eid))],
                            metadata={"place": "Hall", "format": "drop-in"})
               for eid, community, date in events]
    folder, key = write_planted(root / name, planted, quote_everyone(planted))
    return folder, {(s, int(n_)): c for s, n_, c in key.itertuples(index=False)}


# -- four concerns in longer word lists, six events: enough for UMAP + HDBSCAN (stability) ----

STABILITY_CONCERNS = {
    "bus": ["bus", "timetable", "fares", "route", "driver", "shelter", "cancelled", "depot"],
    "damp": ["damp", "mould", "condensation", "landlord", "repairs", "bedroom", "walls",
             "ceiling"],
    "gp": ["GP", "appointment", "surgery", "doctor", "receptionist", "prescription", "nurse",
           "clinic"],
    "youth": ["youth", "club", "teenagers", "skatepark", "football", "activities", "coaches",
              "holidays"],
}
STABILITY_TEMPLATES = ["{a}, {b} and {c}.", "{A} and {b}, also {c}.", "Again {a}, {b}, {c}.",
                       "{A}. {B}. {C}.", "About {a} and {b} and {c}."]


def planted_corpus(root: Path, n_events: int = 6, n_per_event: int = 40,
                   seed: int = 0) -> tuple[Path, pd.DataFrame]:
    """A corpus folder whose participants each raise one of ``STABILITY_CONCERNS``, with a
    facilitator greeting per event; returns the folder and its key (source, line, concern)."""
    rng = random.Random(seed)
    vocab = Vocabulary(STABILITY_CONCERNS, STABILITY_TEMPLATES)
    names = sorted(STABILITY_CONCERNS)
    events = [PlantedEvent(f"e{e + 1}", ["Riverside", "Northfield"][e % 2], f"2024-0{e + 1}-15",
                           [("Jo", "Thanks for coming, everyone.", "housekeeping"),
                            *vocab.talk(rng, n_per_event, names, SPEAKERS, shift=e,
                                        speaker_shift=e)])
              for e in range(n_events)]
    return write_planted(root, events)


# -- whole sentences people might say, three communities over a year (briefing pipeline) ------

SAID = {
    "gp": ["I rang the surgery at eight and every appointment had gone by ten past.",
           "We need evening GP appointments, people who work can't come in the day.",
           "My mum waited three weeks to see a doctor and ended up in A&E.",
           "The online booking system for the GP doesn't work on my phone.",
           "Could you make the surgery answer the phone before nine?"],
    "damp": ["The damp in the back bedroom is back and the landlord blames us.",
             "Black mould on the walls, my son's asthma is worse every winter.",
             "The housing officer should come and see the mould for themselves.",
             "We need the council to fix the windows, the condensation is terrible."],
    "bus": ["The 42 bus never comes on time so I miss my hospital appointments.",
            "There is no bus to the hospital after six in the evening.",
            "Please put a shelter at the stop, older people stand in the rain."],
    "mind": ["Young people wait a year for mental health support, that's too long.",
             "My daughter was told the waiting list for counselling is eighteen months.",
             "We need somewhere young people can talk to someone without a referral."],
}
TAILS = ["", " It's been like this for years.", " Nobody listens.", " That is the main thing.",
         " My neighbour says the same.", " It makes everything harder."]
MIX = {"Riverside Tenants": ["damp", "damp", "gp", "bus"],
       "Northfield Carers": ["gp", "gp", "bus", "mind"],
       "Eastgate Youth Forum": ["mind", "mind", "bus", "gp"]}
NAMES = ["Amina", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Hassan", "Ivy", "Jon",
         "Kemi", "Leo", "Maya", "Nadia", "Omar"]


def synthetic_corpus(root: Path) -> Path:
    """Twelve events, three communities, four quarters; a few speakers per event withhold
    consent to be quoted. Deterministic."""
    rng = random.Random(4)
    events, consent = [], []
    for ci, (community, mix) in enumerate(MIX.items()):
        for qi, date in enumerate(["2024-02-10", "2024-05-14", "2024-08-20", "2024-11-12"]):
            eid = f"e{ci * 4 + qi + 1:02d}"
            people = rng.sample(NAMES, 9)
            lines = [("Facilitator", "Thanks for coming. What matters most to you?",
                      "housekeeping")]
            for p in people:
                topic = rng.choice(mix)
                lines.append((p, f"{rng.choice(SAID[topic])}{rng.choice(TAILS)}", topic))
            events.append(PlantedEvent(eid, community, date, lines, facilitator="Facilitator"))
            consent.append({"event_id": eid, "speaker": "*", "consent": "quote"})
            consent += [{"event_id": eid, "speaker": p, "consent": c}
                        for p, c in zip(people[:2], ("paraphrase", "aggregate"))]
    return write_planted(root, events, consent)[0]


# -- natural sentences for the real MiniLM model (one community, monthly events) --------------

MINILM_SAID = {
    "damp": ["The damp in our flat keeps coming back every winter.",
             "There is black mould on my son's bedroom wall.",
             "The landlord says the mould is our fault for drying clothes inside.",
             "Condensation runs down the windows and the walls are black.",
             "We reported the damp five times and nobody came to fix it.",
             "My daughter's asthma is worse because of the mould in her room.",
             "The bathroom ceiling is covered in mould again.",
             "Damp patches keep spreading behind the wardrobe."],
    "bus": ["The 42 bus never turns up on time.", "They cut the evening bus service last year.",
            "Bus fares have gone up again and I can't afford them.",
            "There's no bus to the hospital after six o'clock.",
            "I missed a job interview because the bus was cancelled.",
            "The bus timetable changes and nobody tells us.",
            "Older people are stuck at home since the bus route was cut.",
            "The night bus stopped running so I walk home in the dark."],
    "gp": ["You can't get a GP appointment for three weeks.",
           "I wait on hold at eight in the morning and all the appointments are gone.",
           "The doctor's surgery only offers phone calls now.",
           "My mum couldn't get her prescription renewed at the surgery.",
           "People end up in A&E because they can't see a GP.",
           "The receptionist at the practice turned me away.",
           "Booking a doctor's appointment online is impossible for my dad.",
           "We never see the same doctor twice at the health centre."],
}


def minilm_corpus_dir(root: Path, n_events: int, per_event: int, seed: int = 0) -> Path:
    """Events of ``per_event`` sentences from ``MINILM_SAID`` between a facilitator's welcome
    and break; the key (source, line, theme) is written beside the folder as ``key.csv``."""
    rng = random.Random(seed)
    names = sorted(MINILM_SAID)
    events = []
    for e in range(n_events):
        talk = []
        for i in range(per_event):
            theme = names[(i + e) % len(names)]
            talk.append((f"Resident {i % 6}", rng.choice(MINILM_SAID[theme]), theme))
        lines = [("Facilitator", "Thanks for coming, everyone. Can everyone hear me?",
                  "housekeeping"), *talk,
                 ("Facilitator", "Let's take a short break for tea.", "housekeeping")]
        events.append(PlantedEvent(f"e{e}", "Riverside", f"2024-0{e + 1}-01", lines,
                                   facilitator="Facilitator"))
    root, key = write_planted(root, events)
    key.rename(columns={"concern": "theme"}).to_csv(root.parent / "key.csv", index=False)
    return root


# --- the living-analysis update tests: concerns with no shared words ---------------------------

#: Five concerns whose words never overlap (the update tests' templates are stop words only).
UPDATE_WORDS = {
    "damp": ["damp", "mould", "condensation", "landlord", "repairs", "bedroom", "walls"],
    "bus": ["bus", "timetable", "fares", "route", "driver", "stop", "cancelled"],
    "gp": ["doctor", "appointment", "surgery", "nurse", "receptionist", "prescription",
           "pharmacy"],
    "youth": ["youth", "club", "teenagers", "skate", "park", "activities", "funding"],
    "food": ["foodbank", "vouchers", "hungry", "meals", "pantry", "groceries", "breakfast"],
}
