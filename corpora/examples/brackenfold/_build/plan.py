"""Who is at each Brackenfold event, what they raise and in what order the talk runs.

The structure follows the Saltmere builder (``corpora/examples/saltmere/_build/plan.py``); the
communities, people, shares and neighbours are Brackenfold's own. The planted patterns live here
(:data:`PLANTED`, :data:`BACKGROUND`, :func:`share`). An event is planned in four steps: who is
present (:func:`present_people`), who raises which concern (:func:`raisers`, in *people*: a set
share of those present, rounded at random), the turns (one per person and concern, two concerns
in one turn now and then, more turns for the talkative), and the conversation
(:func:`conversation`): runs of talk under a facilitator's prompt, drift to neighbouring concerns
near the end of a run, replies and short reactions from people who raise the same concern,
referring back to an earlier speaker, and the facilitator's style (``pointed``: follow-up
questions put to a named person mid-run; ``quiet``: one opening question, then hardly a word).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from content import BOTH, CONCERNS, QUIET

WEL = "Brackenfold Miners' Welfare Over-60s"
POL = "Polish and Romanian Families' Association"
MEN = "Brackenfold Men's Shed"
SIX = "Brackenfold High Sixth-Form Panel"
HAG = "Hagg Lane Tenants' and Residents' Association"
COMMUNITIES = (WEL, POL, MEN, SIX, HAG)
TAG = {WEL: "W", POL: "P", MEN: "S", SIX: "Y", HAG: "T"}
SLUG = {WEL: "welfare-over60s", POL: "polish-romanian-families", MEN: "mens-shed",
        SIX: "sixth-form-panel", HAG: "hagg-lane-tra"}
FACILITATOR = {WEL: "Denise Hartley", POL: "Beata Sadowska", MEN: "Keith Ormerod",
               SIX: "Nadine Okafor", HAG: "Lorraine Birtwistle"}
#: How each facilitator runs a conversation (``terse`` is about the note-taker's notes).
STYLE = {WEL: "pointed", POL: "plain", MEN: "quiet", SIX: "plain", HAG: "terse"}
YEARS = (2021, 2022, 2023, 2024, 2025)

#: Regulars (first names) and how much each talks: 5 talks a lot, 1 is ordinary, 0 says one
#: thing only (raises a single concern and takes no further turns).
SPEAKERS: dict[str, dict[str, int]] = {
    WEL: {"Arthur": 5, "Maureen": 3, "Brian": 1, "Jean": 1, "Eileen": 0, "Ken": 1,
          "Dorothy": 2, "Malcolm": 1, "Barbara": 0, "Roy": 1, "Sheila": 1, "Alan": 0, "Pat": 1},
    POL: {"Katarzyna": 4, "Andrei": 3, "Magda": 1, "Florin": 1, "Elena": 2, "Piotr": 1,
          "Gabriela": 1, "Ionut": 0, "Marek": 0, "Alina": 1, "Zofia": 1, "Radu": 0, "Oana": 1},
    MEN: {"Dougie": 5, "Stan": 3, "Les": 1, "Barry": 1, "Wilf": 0, "Neil": 1, "Derek": 2,
          "Howard": 1, "Kev": 0, "Jimmy": 1, "Raj": 1, "Clifford": 0, "Ste": 1},
    SIX: {"Ellie": 4, "Kieran": 3, "Zara": 1, "Harvey": 1, "Maisie": 0, "Callum": 1,
          "Aisha": 2, "Tyler": 1, "Freya": 0, "Jayden": 1, "Holly": 1, "Brandon": 0, "Niamh": 1},
    HAG: {"Tracey": 5, "Wayne": 3, "Donna": 1, "Lee": 1, "Sharon": 1, "Dean": 0,
          "Michelle": 2, "Gaz": 1, "Julie": 1, "Mo": 0, "Stacey": 1, "Pete": 1, "Bernadette": 0},
}

#: The planted shifts: share of an event's participants raising the concern, 2021..2025, the
#: same in every community.
PLANTED: dict[str, tuple[float, ...]] = {
    "dentist-access": (.10, .15, .25, .35, .45),      # rises
    "jobs-skills": (.45, .40, .30, .20, .15),         # falls
    "flooding": (.10, .10, .10, .45, .40),            # a step up in 2024 (the winter flood)
    "gp-access": (.35, .35, .35, .35, .35),           # the steady control
}
#: Steady concerns: share per community, the same every year.
BACKGROUND: dict[str, dict[str, float]] = {
    WEL: {"cost-of-living": .35, "housing-conditions": .20, "transport": .40,
          "mental-health": .15, "school-send": .05, "drugs-alcohol": .15},
    POL: {"cost-of-living": .40, "housing-conditions": .35, "transport": .20,
          "mental-health": .20, "school-send": .35, "drugs-alcohol": .10},
    MEN: {"cost-of-living": .30, "housing-conditions": .15, "transport": .20,
          "mental-health": .45, "school-send": .05, "drugs-alcohol": .30},
    SIX: {"cost-of-living": .20, "housing-conditions": .05, "transport": .45,
          "mental-health": .30, "school-send": .55, "drugs-alcohol": .25},
    HAG: {"cost-of-living": .40, "housing-conditions": .55, "transport": .15,
          "mental-health": .20, "school-send": .20, "drugs-alcohol": .45},
}
#: Where talk drifts from each concern.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "gp-access": ("dentist-access", "transport", "mental-health"),
    "dentist-access": ("gp-access", "cost-of-living"),
    "mental-health": ("gp-access", "drugs-alcohol", "jobs-skills"),
    "cost-of-living": ("jobs-skills", "housing-conditions"),
    "jobs-skills": ("cost-of-living", "transport", "school-send"),
    "housing-conditions": ("cost-of-living", "flooding"),
    "flooding": ("housing-conditions", "transport"),
    "transport": ("gp-access", "jobs-skills"),
    "school-send": ("mental-health", "transport", "jobs-skills"),
    "drugs-alcohol": ("mental-health", "housing-conditions"),
}


def share(community: str, concern: str, year: int) -> float:
    """The planted share of an event's participants who raise ``concern``.

    >>> share(WEL, "dentist-access", 2021), share(SIX, "school-send", 2024)
    (0.1, 0.55)
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
              rng: random.Random, *, both: float = 0.25) -> list[Turn]:
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
                 refer: float = 0.15, quiet: frozenset[str] = frozenset(),
                 style: str = "plain", probe: float = 0.3) -> list[Turn]:
    """The event as it unfolds: for each run a facilitator's prompt (``kind="prompt"``, its
    concern as theme), the run's turns, replies from others who raise the same concern
    (``follow``: picks up the point; ``reaction``: "Same."), and some turns referring back to an
    earlier speaker of the run. ``style="pointed"``: now and then the facilitator puts a pointed
    question to the next speaker by name (a ``prompt`` on the run's concern, ``extra["probe"]``
    the person). ``style="quiet"``: only the first run gets a prompt; later runs start
    unprompted, or after a nudge ("Anyone else?", housekeeping). No one speaks twice in a row."""
    out: list[Turn] = []
    for r, (concern, run) in enumerate(_runs(turns, rng, drift)):
        if style != "quiet" or r == 0:
            out.append(Turn(facilitator, concern, kind="prompt"))
        elif rng.random() < 0.5:
            out.append(Turn(facilitator, "housekeeping", kind="housekeeping",
                            text=rng.choice(QUIET)))
        spoke: list[str] = []
        for t in run:
            if (style == "pointed" and spoke and t.theme == concern and t.kind != "more"
                    and out[-1].speaker != facilitator and rng.random() < probe):
                out.append(Turn(facilitator, concern, kind="prompt", extra={"probe": t.speaker}))
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
                out.insert(i, Turn(out[0].speaker, "housekeeping", kind="housekeeping",
                                   text=rng.choice(["Mm-hm, go on.", "Sorry, carry on.",
                                                    "Yes, go on."])))
        i += 1
    return out
