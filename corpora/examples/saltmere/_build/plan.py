"""Who is at each Saltmere event, what they raise and in what order the talk runs.

The planted patterns live here (:data:`PLANTED`, :data:`BACKGROUND`), with the
communities, their regulars and where talk drifts (:data:`NEIGHBOURS`). The shared builder's
``Cast`` (``corpora/examples/_builders/transcripts.py``) plans an event from them in four steps:
who is present (talkers likelier), who raises which concern (in *people*: a set share of those
present, rounded at random), the turns (one per person and concern, two concerns in one turn now
and then, more turns for the talkative), and the conversation: runs of talk under a
facilitator's prompt, drift to neighbouring concerns near the end of a run, replies and "same
here"s from people who raise the same concern, and referring back to an earlier speaker.
"""

from __future__ import annotations

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

