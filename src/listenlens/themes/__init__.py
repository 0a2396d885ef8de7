"""Theme discovery, labels, quotes and the ``Themes`` result.

>>> import listenlens as ll
>>> themes = ll.find_themes(ll.load("corpora/examples/riverside"), seed=0)   # doctest: +SKIP
"""

from .model import ThemeModel, find_themes
from .persist import open_themes
from .result import HOUSEKEEPING, UNASSIGNED, Themes
from .stability import theme_stability

__all__ = ["find_themes", "open_themes", "ThemeModel", "Themes", "UNASSIGNED", "HOUSEKEEPING",
           "theme_stability"]
