"""The texts a theme is labelled from: its members nearest its centre, each said once.

One rule for every place that names a theme (a fit, a curation operation that makes a theme,
an update that finds a new one), so the same members always give the same label texts:

* members are ordered by cosine similarity to the theme's centroid, highest first, rounded to
  6 decimals so that float noise between machines cannot reorder them; ties go by unit id;
* a text said again (ignoring case) is kept once, where it first appears;
* the first ``n`` texts are kept (``label_docs`` of the fit; :data:`LABEL_DOCS` when a fit did
  not record one).

>>> import numpy as np
>>> x = np.array([[1.0, 0.0], [0.6, 0.8], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
>>> central_texts(["Buses late", "Parks", "buses LATE", "Bins"], ["u-2", "u-3", "u-1", "u-4"],
...               x, np.array([1.0, 0.0]), n=2)
['buses LATE', 'Parks']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["central_texts", "LABEL_DOCS"]

#: How many central texts label a theme when the fit's parameters do not say.
LABEL_DOCS = 25


def central_texts(texts: Sequence[str], unit_ids: Sequence[str], x: np.ndarray,
                  centre: np.ndarray, n: int = LABEL_DOCS) -> list[str]:
    """Up to ``n`` distinct texts of a theme's members (``texts[i]`` of unit ``unit_ids[i]``
    with embedding ``x[i]``), nearest ``centre`` first (see the module docstring)."""
    if len(texts) != len(unit_ids) or len(texts) != len(x):
        raise ValueError(f"texts, unit_ids and x must have one entry per member, got "
                         f"{len(texts)}, {len(unit_ids)} and {len(x)}")
    similarity = np.asarray(x) @ np.asarray(centre)
    order = sorted(range(len(texts)), key=lambda i: (-round(float(similarity[i]), 6),
                                                      unit_ids[i]))
    seen: set[str] = set()
    picked: list[str] = []
    for i in order:
        if len(picked) >= n:
            break
        key = texts[i].casefold()
        if key not in seen:
            seen.add(key)
            picked.append(texts[i])
    return picked
