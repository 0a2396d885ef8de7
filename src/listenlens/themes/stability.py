"""How stable is each theme? Re-fit the clustering on resamples and see who stays together.

A theme is only worth reporting if it is a property of what people said, not of one particular
run of the clustering. :func:`theme_stability` checks this by re-running the clustering several
times, each time on a random subsample of the substantive units (everything but facilitator
housekeeping; unassigned units are included, as they were in the original fit) and with a
different seed. For every theme it then takes the pairs of its members that were both drawn in a
run and counts how many of those pairs landed in the same cluster again.

The **stability** of a theme is that share over all runs, from 0 to 1:

- near 1: its members are found together again and again, so the theme is robust;
- around 0.5 or below: its members are often split up or scattered into other themes (or left
  unassigned). Such a theme is weak: read it with care, check its quotes, and consider merging,
  splitting or dropping it before it goes into a briefing.

A theme made by merging two different concerns scores about half: the pairs across the two
parts are never found together. Members left unassigned in a run count as together with no one.
The clustering parameters are those of the original fit, with ``min_cluster_size`` scaled to the
subsample so that resamples are not pushed towards fewer themes.

>>> table = theme_stability(themes, n_runs=5, seed=0)        # doctest: +SKIP
>>> table[["label", "n_units", "stability"]]                 # doctest: +SKIP
>>> table[table.stability < 0.5]                             # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..progress import progress_bar
from ..validation import check_number
from .discover import DEFAULTS, cluster_embeddings
from .result import HOUSEKEEPING, Themes

__all__ = ["theme_stability", "STABILITY_COLUMNS"]

STABILITY_COLUMNS = ["theme_id", "label", "n_units", "stability", "n_runs", "n_pairs"]


def _check(n_runs: int, sample: float, seed: Any) -> None:
    check_number("n_runs", n_runs, low=1, whole=True)
    check_number("sample (the share of units drawn in each run)", sample, low=0, high=1,
                 low_open=True)
    check_number("seed", seed, low=0, whole=True)


def _cluster_params(themes: Themes, sample: float) -> dict[str, Any]:
    """The original fit's clustering parameters, ``min_cluster_size`` scaled by ``sample``."""
    resolved = themes.params.get("resolved") or DEFAULTS
    params = {k: resolved[k] for k in DEFAULTS if k in resolved}
    size = params.get("min_cluster_size")
    if size is not None:
        params["min_cluster_size"] = max(2, int(round(float(size) * sample)))
    return params


def theme_stability(themes: Themes, *, n_runs: int = 5, sample: float = 0.8,
                    seed: int | None = None, cache_dir: str | Path | None = None,
                    progress: bool | None = None) -> pd.DataFrame:
    """Stability of every theme under re-clustering of resamples (see the module docstring).

    Each of ``n_runs`` runs draws ``sample`` of the substantive units without replacement
    (``numpy.random.default_rng([seed, run])``; ``seed`` defaults to the fit's) and clusters
    them with seed ``seed + 1 + run``. Returns one row per theme, in ``themes.theme_ids``
    order: theme_id, label, n_units (primary members), stability (share of member pairs drawn
    together that were clustered together, rounded to 3 places; NaN when a theme never had a
    pair drawn), n_runs, n_pairs (member pairs drawn, over all runs). The settings are in
    ``df.attrs["stability"]``. Same themes and arguments give the same table.
    """
    if seed is None:
        seed = themes.params.get("seed", 0)
        seed = 0 if seed is None else seed
    _check(n_runs, sample, seed)
    n_runs, sample, seed = int(n_runs), float(sample), int(seed)
    params = _cluster_params(themes, sample)

    primary = themes.primary()
    theme_of = primary.to_numpy()
    # substantive rows in unit-id order (as the fit clusters them), so row order does not matter
    sub = np.array([i for i, t in enumerate(theme_of) if t != HOUSEKEEPING], dtype=np.int64)
    sub = sub[np.argsort([themes.unit_ids[i] for i in sub], kind="stable")]
    n_draw = min(len(sub), max(1, int(round(sample * len(sub)))))
    members = {tid: np.flatnonzero(theme_of == tid) for tid in themes.theme_ids}
    together = dict.fromkeys(members, 0)
    pairs = dict.fromkeys(members, 0)

    for run in progress_bar(range(n_runs), desc="Theme stability", unit="run", total=n_runs,
                            enabled=progress):
        rng = np.random.default_rng([seed, run])
        rows = sub[np.sort(rng.choice(len(sub), size=n_draw, replace=False))]
        labels = np.full(len(theme_of), -2, dtype=np.int64)  # -2: not drawn in this run
        if len(rows) >= 2:
            result = cluster_embeddings(themes.embeddings[rows], seed=seed + 1 + run,
                                        cache_dir=cache_dir, **params)
            labels[rows] = result.labels
        else:
            labels[rows] = -1
        for tid, idx in members.items():
            lab = labels[idx]
            m = int((lab != -2).sum())
            counts = np.bincount(lab[lab >= 0])
            together[tid] += int((counts * (counts - 1)).sum())
            pairs[tid] += m * (m - 1)

    out = pd.DataFrame({
        "theme_id": list(members),
        "label": [themes.label(t) for t in members],
        "n_units": [len(idx) for idx in members.values()],
        "stability": [round(together[t] / pairs[t], 3) if pairs[t] else float("nan")
                      for t in members],
        "n_runs": n_runs,
        "n_pairs": [pairs[t] for t in members],
    }, columns=STABILITY_COLUMNS)
    out = out.astype({"theme_id": object, "label": object, "n_units": "int64", "stability": "float64", "n_runs": "int64",
                      "n_pairs": "int64"})
    out.attrs["stability"] = {"n_runs": n_runs, "sample": sample, "seed": seed}
    return out
