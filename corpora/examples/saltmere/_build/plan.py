"""Who is at each Saltmere event, what they raise and in what order the talk runs.

The planted patterns live here (:data:`PLANTED`, :data:`BACKGROUND`, :func:`share`). An event
is planned in four steps: who is present (:func:`present_people`), who raises which concern
(:func:`raisers`, in *people*: a set share of those present, rounded at random), the turns
(one per person and concern, two concerns in one turn now and then, more turns for the
talkative), and the conversation (:func:`conversation`): runs of talk under a facilitator's
prompt, drift to neighbouring concerns near the end of a run, replies and "same here"s from
people who raise the same concern, and referring back to an earlier speaker.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from content import BOTH, CONCERNS

SCN = "Saltmere Carers' Network"
HCP = "Hollin Cross Parish Drop-in"
HLG = "Harbour Lights Newcomers' Group"
SDF = "Saltmere Disability Forum"
LAP = "Little Anchors Young Parents"
COMMUNITIES = (SCN, HCP, HLG, SDF, LAP)
TAG = {SCN: "C", HCP: "R", HLG: "M", SDF: "D", LAP: "Y"}
SLUG = {SCN: "carers-network", HCP: "hollin-cross", HLG: "harbour-lights",
        SDF: "disability-forum", LAP: "little-anchors"}
FACILITATOR = {SCN: "Bryony Hale", HCP: "Anna Pascoe", HLG: "Marta Nowicka",
               SDF: "Owen Trevithick", LAP: "Kerry Dunn"}
YEARS = (2021, 2022, 2023, 2024, 2025)

#: Regulars (first names) and how much each talks: 5 talks a lot, 1 is ordinary, 0 says one
#: thing only (raises a single concern and takes no further turns).
SPEAKERS: dict[str, dict[str, int]] = {
    SCN: {"Alison": 5, "Trevor": 1, "Josie": 2, "Mick": 1, "Hazel": 0, "Sunita": 1,
          "Graham": 3, "Pauline": 1, "Lyn": 0, "Desmond": 1, "Rosie": 1, "Terry": 0, "Colin": 1},
    HCP: {"Margaret": 5, "Bill": 3, "Jenny": 1, "Roger": 1, "Elsie": 0, "Tom": 1, "Wendy": 1,
          "Clive": 0, "Shirley": 2, "Ian": 1, "Ruth": 1, "Norman": 0, "Kath": 1},
    HLG: {"Agnieszka": 4, "Tomasz": 1, "Joana": 3, "Rui": 1, "Ioana": 1, "Mihai": 0,
          "Maricel": 2, "Jun": 0, "Ewa": 1, "Pedro": 1, "Daniela": 1, "Kasia": 0, "Liza": 1},
    SDF: {"Gareth": 5, "Nadia": 3, "Phil": 1, "Karen": 1, "Dev": 1, "Lorna": 0, "Stuart": 1,
          "Yvonne": 2, "Marcus": 0, "Bev": 1, "Carl": 1, "Helen": 0, "Jas": 1},
    LAP: {"Jess": 4, "Kayleigh": 3, "Ryan": 1, "Shannon": 1, "Demi": 0, "Connor": 1,
          "Amber": 2, "Tia": 0, "Leah": 1, "Bradley": 0, "Megan": 1, "Sophie": 1, "Jordan": 1},
}

#: The planted shifts: share of an event's participants raising the concern, 2021..2025, the
#: same in every community.
PLANTED: dict[str, tuple[float, ...]] = {
    "loneliness": (.75, .65, .40, .15, .15),          # falls strongly
    "cost-of-living": (.15, .15, .30, .50, .50),      # rises
    "transport": (.35, .35, .20, .10, .10),           # falls moderately
    "housing-conditions": (.10, .10, .40, .40, .40),  # a step up in 2023
    "gp-access": (.45, .45, .40, .35, .35),           # the steady control, with noise
}
#: Steady concerns: share per community, the same every year.
BACKGROUND: dict[str, dict[str, float]] = {
    SCN: {"community-safety": .10, "green-spaces": .15, "youth-provision": .05,
          "not-listened-to": .30, "digital-exclusion": .20},
    HCP: {"community-safety": .15, "green-spaces": .20, "youth-provision": .10,
          "not-listened-to": .30, "digital-exclusion": .35},
    HLG: {"community-safety": .20, "green-spaces": .15, "youth-provision": .20,
          "not-listened-to": .25, "digital-exclusion": .20},
    SDF: {"community-safety": .20, "green-spaces": .15, "youth-provision": .05,
          "not-listened-to": .40, "digital-exclusion": .30},
    LAP: {"community-safety": .25, "green-spaces": .20, "youth-provision": .45,
          "not-listened-to": .15, "digital-exclusion": .10},
}
#: Where talk drifts from each concern.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "loneliness": ("cost-of-living", "digital-exclusion", "transport"),
    "cost-of-living": ("loneliness", "housing-conditions"),
    "transport": ("gp-access", "loneliness"),
    "gp-access": ("transport", "digital-exclusion"),
    "housing-conditions": ("cost-of-living", "not-listened-to"),
    "community-safety": ("youth-provision", "green-spaces"),
    "green-spaces": ("community-safety", "youth-provision"),
    "youth-provision": ("community-safety", "green-spaces"),
    "not-listened-to": ("housing-conditions", "transport"),
    "digital-exclusion": ("gp-access", "loneliness"),
}


def share(community: str, concern: str, year: int) -> float:
    """The planted share of an event's participants who raise ``concern``.

    >>> share(SCN, "loneliness", 2021), share(LAP, "youth-provision", 2024)
    (0.75, 0.45)
    """
    if concern in PLANTED:
        return PLANTED[concern][year - YEARS[0]]
    return BACKGROUND[community][concern]


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


def present_people(community: str, n: int, must: list[str], rng: random.Random) -> list[str]:
    """``n`` of the community's regulars (always including ``must``), talkers likelier."""
    names = sorted(SPEAKERS[community])
    chosen = list(dict.fromkeys(must))
    pool = [p for p in names if p not in chosen]
    while len(chosen) < n:
        weights = [1.0 + SPEAKERS[community][p] for p in pool]
        pick = rng.choices(pool, weights)[0]
        chosen.append(pick)
        pool.remove(pick)
    return chosen


def raisers(community: str, year: int, present: list[str],
            rng: random.Random) -> dict[str, list[str]]:
    """The concerns each person raises: for each concern its planted share of the people
    present, rounded at random; those who say one thing raise one concern at most."""
    raised: dict[str, list[str]] = {p: [] for p in present}
    quiet = {p for p in present if SPEAKERS[community][p] == 0}
    order = sorted(CONCERNS, key=lambda c: (-share(community, c, year), c))
    for concern in order:
        target = share(community, concern, year) * len(present)
        k = int(target) + (rng.random() < target - int(target))
        free = [p for p in present if not (p in quiet and raised[p])]
        rng.shuffle(free)
        free.sort(key=lambda p: len(raised[p]))
        for p in free[:k]:
            raised[p].append(concern)
    for p in present:  # everyone came to say something
        if not raised[p]:
            raised[p].append(rng.choices(order, [share(community, c, year) for c in order])[0])
    return raised


def turns_for(community: str, raised: dict[str, list[str]], n_turns: int,
              rng: random.Random, *, both: float = 0.35) -> list[Turn]:
    """One turn per person and concern (two concerns in one turn where a person raises a pair
    of :data:`BOTH` and the dice say so), then more turns for the talkative, up to ``n_turns``,
    each on a concern the person already raised."""
    out: list[Turn] = []
    for p, concerns in raised.items():
        left = list(concerns)
        for a, b in BOTH:
            if a in left and b in left and rng.random() < both:
                out.append(Turn(p, a, theme2=b))
                left.remove(a)
                left.remove(b)
        out.extend(Turn(p, c) for c in left)
    talk = SPEAKERS[community]
    people = [p for p in raised if talk[p] > 0]
    for _ in range(max(0, n_turns - len(out))):
        p = rng.choices(people, [talk[q] ** 2 for q in people])[0]
        out.append(Turn(p, rng.choice(raised[p]), kind="more"))
    return out


def _runs(turns: list[Turn], rng: random.Random, drift: float) -> list[tuple[str, list[Turn]]]:
    """Group turns into runs under prompts: a concern with two or more turns gets a prompt of
    its own; a lone turn, and now and then another, drifts into a neighbouring concern's run
    (placed after the run's main talk)."""
    count: dict[str, int] = {}
    for t in turns:
        count[t.theme] = count.get(t.theme, 0) + 1
    prompted = [c for c in count if count[c] >= 2] or list(count)
    prompted.sort(key=lambda c: -(count[c] + 3 * rng.random()))
    main: dict[str, list[Turn]] = {c: [] for c in prompted}
    drifted: dict[str, list[Turn]] = {c: [] for c in prompted}
    for t in turns:
        near = [c for c in NEIGHBOURS[t.theme] if c in main]
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


def conversation(turns: list[Turn], raised: dict[str, list[str]], facilitator: str,
                 rng: random.Random, *, react: float = 0.22, drift: float = 0.15,
                 refer: float = 0.15, quiet: frozenset[str] = frozenset()) -> list[Turn]:
    """The event as it unfolds: for each run a facilitator's prompt (``kind="prompt"``, its
    concern as theme), the run's turns, replies from others who raise the same concern
    (``follow``: picks up the point; ``reaction``: "Same here."), and some turns referring back
    to an earlier speaker of the run. No one speaks twice in a row."""
    out: list[Turn] = []
    for concern, run in _runs(turns, rng, drift):
        out.append(Turn(facilitator, concern, kind="prompt"))
        spoke: list[str] = []
        for t in run:
            if t.theme == concern and spoke and rng.random() < refer:
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
                out.insert(i, Turn(out[0].speaker, "housekeeping", kind="housekeeping",
                                   text=rng.choice(["Mm-hm, go on.", "Sorry, carry on.",
                                                    "Yes, go on."])))
        i += 1
    return out
