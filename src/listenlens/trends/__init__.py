"""Trends: how often themes were raised over time and between groups, with honest uncertainty.

>>> import listenlens as ll
>>> trends = ll.track(themes, period="year", by="community")
>>> trends.table.columns[:4].tolist()
['period', 'period_start', 'group', 'theme_id']
>>> shifts, differences = trends.shifts(), trends.compare()
>>> sorted({p.suffix for p in trends.save_charts("out/charts")})
['.png', '.svg']

Modules: :mod:`~listenlens.trends.counting` (what counts as evidence),
:mod:`~listenlens.trends.intervals` (clustered bootstrap, permutation tests, Benjamini-Hochberg),
:mod:`~listenlens.trends.shifts` (with :mod:`~listenlens.trends.ordered`, the tests over every
period, and :mod:`~listenlens.trends.power`, the minimum detectable change),
:mod:`~listenlens.trends.compare`,
:mod:`~listenlens.trends.charts` and :mod:`~listenlens.trends.text` (numbers in words).
"""

from .charts import theme_colours
from .core import TABLE_COLUMNS, Trends, track
from .counting import HOUSEKEEPING, SPECIAL_THEMES, UNASSIGNED, ThemesLike
from .shifts import windows

__all__ = [
    "track",
    "Trends",
    "ThemesLike",
    "theme_colours",
    "windows",
    "TABLE_COLUMNS",
    "UNASSIGNED",
    "HOUSEKEEPING",
    "SPECIAL_THEMES",
]
