"""Plain-English numbers: percentages, intervals in points, period names.

Shares follow the package's one percentage rule (:func:`listenlens.phrasing.pct`: whole
percentages rounded half up, "under 1%" and "over 99%" at the edges); differences are shown in
percentage points, rounded the same way.

>>> pct(0.314), pct(0.003), pct(0.0)
('31%', 'under 1%', '0%')
>>> points(0.221, 0.394), points(-0.031, 0.114)
('22–39 points', '−3 to +11 points')
>>> period_name("2024-Q3"), period_name("2024-03"), span_name(["2021-Q1", "2021-Q4"])
('Q3 2024', 'March 2024', '2021')
>>> span_name(["2023-Q1", "2023-Q3"]), span_name(["2023-Q4", "2024-Q2"])
('Q1–Q3 2023', 'Q4 2023–Q2 2024')
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence

from ..phrasing import pct, round_half_up

__all__ = ["pct", "points", "period_name", "span_name", "join_names", "mdc_points"]

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")


def _signed(v: int) -> str:
    return f"−{abs(v)}" if v < 0 else (f"+{v}" if v > 0 else "0")


def points(lo: float, hi: float) -> str:
    """An interval of a difference in shares, in percentage points.

    Both ends on one side of zero: ``'22–39 points'`` (magnitudes, the direction is said in the
    sentence); spanning zero: ``'−3 to +11 points'``.
    """
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return "interval not available"
    a, b = round_half_up(100 * lo), round_half_up(100 * hi)
    if lo >= 0 and hi >= 0:
        return f"{a}–{b} points"
    if lo <= 0 and hi <= 0:
        return f"{abs(b)}–{abs(a)} points"
    return f"{_signed(a)} to {_signed(b)} points"


def period_name(label: str) -> str:
    """``'2024-Q3'`` -> ``'Q3 2024'``, ``'2024-03'`` -> ``'March 2024'``; others unchanged."""
    m = _QUARTER.match(label)
    if m:
        return f"Q{m.group(2)} {m.group(1)}"
    m = _MONTH.match(label)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{calendar.month_name[int(m.group(2))]} {m.group(1)}"
    return label


def span_name(labels: Sequence[str]) -> str:
    """A run of period labels in words; a run covering exactly one calendar year is the year."""
    labels = list(labels)
    if not labels:
        return ""
    first, last = labels[0], labels[-1]
    q1, q2 = _QUARTER.match(first), _QUARTER.match(last)
    if q1 and q2 and q1.group(1) == q2.group(1) and (q1.group(2), q2.group(2)) == ("1", "4"):
        return q1.group(1)
    m1, m2 = _MONTH.match(first), _MONTH.match(last)
    if m1 and m2 and m1.group(1) == m2.group(1) and (m1.group(2), m2.group(2)) == ("01", "12"):
        return m1.group(1)
    if first == last:
        return period_name(first)
    if _YEAR.match(first) and _YEAR.match(last):
        return f"{first}–{last}"
    if q1 and q2:
        if q1.group(1) == q2.group(1):
            return f"Q{q1.group(2)}–Q{q2.group(2)} {q1.group(1)}"
        return f"{period_name(first)}–{period_name(last)}"
    if m1 and m2 and m1.group(1) == m2.group(1):
        return f"{calendar.month_name[int(m1.group(2))]}–{period_name(last)}"
    return f"{period_name(first)} to {period_name(last)}"


def join_names(names: Sequence[str]) -> str:
    """``['a', 'b', 'c']`` -> ``'a, b and c'``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def mdc_points(mdc: float) -> int:
    """A minimum detectable change in words: share points rounded to the nearest 5 (at least 5).

    The briefing says "about 20 points"; this is the one rounding rule, so a checker can
    recompute the stated number from the MDC in ``shifts().attrs["power"]``.

    >>> mdc_points(0.213), mdc_points(0.2251), mdc_points(0.01)
    (20, 25, 5)
    """
    return max(5, 5 * round_half_up(100 * mdc / 5))
