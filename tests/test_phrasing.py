"""The one percentage rule and the one plural rule (listenlens.phrasing)."""

from __future__ import annotations

import math

import pytest

from listenlens.phrasing import pct, plural, round_half_up
from listenlens.trends import text


@pytest.mark.parametrize(("share", "shown"), [
    (0.125, "13%"),      # half up, where Python's round (and "%.0f") give 12
    (0.245, "25%"),
    (0.5, "50%"),
    (0.0, "0%"),
    (1.0, "100%"),
    (0.0049, "under 1%"),
    (0.005, "1%"),
    (0.995, "over 99%"),
    (0.9949, "99%"),
])
def test_pct_rounds_half_up_and_never_hides_people(share: float, shown: str) -> None:
    assert pct(share) == shown


def test_pct_of_a_missing_share() -> None:
    assert pct(None) == pct(math.nan) == "not shown"
    assert pct(None, missing="") == ""


def test_trends_text_uses_the_same_rule() -> None:
    assert text.pct is pct
    assert text.points(0.125, 0.245) == "13–25 points"


def test_round_half_up_differs_from_bankers_rounding() -> None:
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, -1.5)] == [1, 2, 3, -1]


@pytest.mark.parametrize(("n", "args", "shown"), [
    (0, ("event",), "0 events"),
    (1, ("event",), "1 event"),
    (2, ("event",), "2 events"),
    (1, ("person", "people"), "1 person"),
    (5, ("person", "people"), "5 people"),
    (3, ("community", "communities"), "3 communities"),
])
def test_plural(n: int, args: tuple[str, ...], shown: str) -> None:
    assert plural(n, *args) == shown
