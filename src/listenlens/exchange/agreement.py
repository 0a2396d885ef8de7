"""Agreement between people's coding and listenlens's: Cohen's kappa per code and overall.

For each code, every unit is a yes/no decision (coded with it or not) by each side, and kappa
compares the two columns. ``overall`` pools the decisions of every code (one row per unit and
code). A code neither side ever used is left out; kappa is ``NaN`` where it is undefined (both
sides gave the same answer for every unit). Units are the ones both sides saw.

>>> ref = pd.DataFrame({"unit_id": ["a", "b", "c", "d"], "theme_id": ["t-1", "t-1", "t-2", "t-2"]})
>>> got = pd.DataFrame({"unit_id": ["a", "b", "c", "d"], "theme_id": ["t-1", "t-2", "t-2", "t-2"],
...                     "probability": 1.0, "primary": True})
>>> agreement(ref, got).set_index("theme_id")["kappa"].round(2).to_dict()
{'t-1': 0.5, 't-2': 0.5, 'overall': 0.5}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["cohen_kappa", "agreement", "model_assignments", "AGREEMENT_COLUMNS"]

AGREEMENT_COLUMNS = ["theme_id", "label", "n_units", "n_reference", "n_model", "n_both",
                     "kappa"]


def cohen_kappa(a: Iterable[bool], b: Iterable[bool]) -> float:
    """Cohen's kappa of two yes/no columns (``NaN`` when chance agreement is total).

    >>> cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0])
    0.5
    """
    x = np.asarray(list(a), dtype=bool)
    y = np.asarray(list(b), dtype=bool)
    if len(x) != len(y):
        raise ValueError("the two columns differ in length")
    if not len(x):
        return float("nan")
    po = float(np.mean(x == y))
    pe = float(x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean()))
    return float("nan") if pe >= 1.0 else (po - pe) / (1 - pe)


def model_assignments(model: Any) -> pd.DataFrame:
    """The assignments table of a :class:`~listenlens.themes.Themes` (a DataFrame passes)."""
    return model if isinstance(model, pd.DataFrame) else model.assignments


def _model_rows(model: Any, secondary: bool) -> pd.DataFrame:
    a = model_assignments(model)
    if "primary" in a and not secondary:
        a = a[a["primary"]]
    return a[["unit_id", "theme_id"]]


def agreement(reference: pd.DataFrame, model: Any, *, units: Iterable[str] | None = None,
              secondary: bool = False, labels: Mapping[str, str] | None = None
              ) -> pd.DataFrame:
    """Kappa per code and ``overall`` between ``reference`` (rows ``unit_id, theme_id``: the
    human codings) and ``model`` (a :class:`~listenlens.themes.Themes` or its assignments;
    primary assignments only unless ``secondary``). ``units``: the units to compare (default:
    those in both); ``labels``: theme id -> name for the ``label`` column.
    """
    from ..themes.result import HOUSEKEEPING, UNASSIGNED

    got = _model_rows(model, secondary)
    ref = reference[["unit_id", "theme_id"]]
    seen = set(got["unit_id"])
    pool = [u for u in dict.fromkeys(units if units is not None else ref["unit_id"])
            if u in seen]
    ref_sets = ref.groupby("unit_id")["theme_id"].agg(set).to_dict()
    got_sets = got.groupby("unit_id")["theme_id"].agg(set).to_dict()
    special = {UNASSIGNED, HOUSEKEEPING}
    codes = sorted(({t for s in ref_sets.values() for t in s}
                    | {t for s in got_sets.values() for t in s}) - special)
    names = dict(labels or {})
    if not isinstance(model, pd.DataFrame) and hasattr(model, "label"):
        for t in codes:
            names.setdefault(t, _safe_label(model, t))
    rows, pooled_r, pooled_m = [], [], []
    for t in codes:
        r = [t in ref_sets.get(u, ()) for u in pool]
        m = [t in got_sets.get(u, ()) for u in pool]
        pooled_r += r
        pooled_m += m
        rows.append({"theme_id": t, "label": names.get(t, ""), "n_units": len(pool),
                     "n_reference": sum(r), "n_model": sum(m),
                     "n_both": sum(x and y for x, y in zip(r, m)), "kappa": cohen_kappa(r, m)})
    rows.append({"theme_id": "overall", "label": "all codes", "n_units": len(pool),
                 "n_reference": sum(pooled_r), "n_model": sum(pooled_m),
                 "n_both": sum(x and y for x, y in zip(pooled_r, pooled_m)),
                 "kappa": cohen_kappa(pooled_r, pooled_m)})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _safe_label(model: Any, theme_id: str) -> str:
    try:
        return str(model.label(theme_id))
    except (KeyError, AttributeError):
        return ""
