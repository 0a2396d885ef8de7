"""Who is at each Brackenfold event, what they raise and in what order the talk runs.

The structure follows the Saltmere builder (``corpora/examples/saltmere/_build/plan.py``); the
communities, people, shares and neighbours are Brackenfold's own. The planted patterns live here
(:data:`PLANTED`, :data:`BACKGROUND`), with each facilitator's style
(:data:`STYLE`). The shared builder's ``Cast`` (``corpora/examples/_builders/transcripts.py``)
plans an event from them in four steps: who is present (talkers likelier), who raises which
concern (in *people*: a set share of those present, rounded at random), the turns (one per
person and concern, two concerns in one turn now and then, more turns for the talkative), and
the conversation: runs of talk under a facilitator's prompt, drift to neighbouring concerns near
the end of a run, replies and short reactions from people who raise the same concern, referring
back to an earlier speaker, and the facilitator's style (``pointed``: follow-up questions put to
a named person mid-run; ``quiet``: one opening question, then hardly a word).
"""

from __future__ import annotations

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

