"""Numbers in words: the one rule for percentages and the one for plurals.

Every sentence listenlens prints (briefings, community summaries, trend sentences, reports)
says shares and counts through these two functions, so one briefing row can never show the same
share rounded two ways.

Percentages are whole numbers rounded half up; a share above 0 but below 0.5% is "under 1%" and
one at or above 99.5% but below 100% is "over 99%", so a rounded 0% or 100% never hides people
who did (or did not) raise something.

>>> pct(0.314), pct(0.125), pct(0.003), pct(0.0), pct(1.0)
('31%', '13%', 'under 1%', '0%', '100%')
>>> plural(1, "event"), plural(3, "event"), plural(2, "person", "people")
('1 event', '3 events', '2 people')
"""

from __future__ import annotations

import math

__all__ = ["pct", "plural", "round_half_up"]


def round_half_up(x: float) -> int:
    """The nearest whole number, halves rounded up (``2.5 -> 3``), unlike Python's ``round``.

    >>> round_half_up(12.5), round(12.5), round_half_up(-0.5)
    (13, 12, 0)
    """
    return int(math.floor(x + 0.5))


def pct(x: float | None, *, missing: str = "not shown") -> str:
    """A share (0 to 1) as a whole percentage; ``missing`` for ``None`` or NaN.

    >>> pct(0.995), pct(0.0049), pct(None), pct(float("nan"), missing="")
    ('over 99%', 'under 1%', 'not shown', '')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    if 0 < x < 0.005:
        return "under 1%"
    if 0.995 <= x < 1:
        return "over 99%"
    return f"{round_half_up(100 * x)}%"


def plural(n: int, word: str, plural: str | None = None) -> str:
    """A count with its noun: ``word`` for exactly one, else ``plural`` (default ``word + 's'``).

    >>> plural(0, "theme"), plural(1, "community", "communities"), plural(4, "was", "were")
    ('0 themes', '1 community', '4 were')
    """
    return f"{n} {word if n == 1 else (plural or word + 's')}"
