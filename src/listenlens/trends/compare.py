"""Which themes are distinctive to which group (community by default).

For every group and theme: the pooled share in the group (all periods) against the pooled share
in every other group, the difference in percentage points with a clustered bootstrap-t
interval (events resampled within the group and within the rest), and a two-sided permutation
p-value (which events belong to the group is reshuffled, group size kept). All p-values of one
call are adjusted together with Benjamini-Hochberg. A theme is *more* raised in a group when the
adjusted p-value is below ``alpha``, the difference is positive and at least ``min_events``
events and ``min_speakers`` people in the group raised it; *less* when negative with that evidence
elsewhere; otherwise *similar* (``strength`` "weak" when the unadjusted p-value is below
``2 * alpha``: the sentence says "may be raised more"); *insufficient* when the group or the rest
rests on fewer than ``k_min`` people.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .counting import Evidence
from .intervals import bh_adjust, difference_test
from .text import pct, points

__all__ = ["compare_groups", "COMPARE_COLUMNS"]

COMPARE_COLUMNS = [
    "group", "theme_id", "label", "status", "share_group", "share_elsewhere", "diff", "ci_low",
    "ci_high", "p_value", "p_adj", "strength", "n_events", "n_speakers", "people",
    "people_elsewhere", "suppressed", "sentence",
]


def compare_groups(ev: Evidence, *, k_min: int = 5, n_boot: int = 1000, n_perm: int = 9999,
                   level: float = 0.95, alpha: float = 0.05, min_events: int = 2,
                   min_speakers: int = 3, seed: int = 0) -> pd.DataFrame:
    """The distinctiveness table (columns :data:`COMPARE_COLUMNS`)."""
    if len(ev.groups) < 2:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    rng = np.random.default_rng([seed, 2])
    group = ev.rows["group"].to_numpy()
    frames = []
    for g in ev.groups:
        in_g = group == g
        d = difference_test(in_g, ev.N, ev.T, n_boot=n_boot, n_perm=n_perm, level=level,
                            rng=rng)
        df = pd.DataFrame({
            "group": g, "theme_id": list(ev.theme_ids),
            "label": [ev.labels[t] for t in ev.theme_ids],
            "share_group": d.share_b, "share_elsewhere": d.share_a, "diff": d.diff,
            "ci_low": d.ci_low, "ci_high": d.ci_high, "p_value": d.p_value,
            "n_events": (ev.N[in_g] > 0).sum(axis=0), "n_speakers": ev.P[in_g].sum(axis=0),
            "n_events_elsewhere": (ev.N[~in_g] > 0).sum(axis=0),
            "n_speakers_elsewhere": ev.P[~in_g].sum(axis=0),
            "people": ev.S[in_g].sum(), "people_elsewhere": ev.S[~in_g].sum(),
        })
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    small = (out["people"] < k_min) | (out["people_elsewhere"] < k_min)
    testable = ~small & (out["n_speakers"] + out["n_speakers_elsewhere"] >= min_speakers)
    out.loc[~testable, "p_value"] = np.nan
    out.loc[small, ["share_group", "share_elsewhere", "diff", "ci_low", "ci_high"]] = np.nan
    out["suppressed"] = small
    out["p_adj"] = bh_adjust(out["p_value"].to_numpy(float))
    sig = out["p_adj"] < alpha
    more = sig & (out["diff"] > 0) & (out["n_events"] >= min_events) & (
        out["n_speakers"] >= min_speakers)
    less = sig & (out["diff"] < 0) & (out["n_events_elsewhere"] >= min_events) & (
        out["n_speakers_elsewhere"] >= min_speakers)
    out["status"] = np.where(small, "insufficient",
                             np.where(more, "more", np.where(less, "less", "similar")))
    leaning = ~small & (out["p_value"] < 2 * alpha) & (out["diff"] != 0)
    out["strength"] = np.where(more | less, "clear", np.where(leaning, "weak", "none"))
    noun = "of speakers" if ev.count == "speakers" else "of comments"
    out["sentence"] = [_sentence(r, noun, level, k_min) for r in out.itertuples()]
    return out[COMPARE_COLUMNS]


def _sentence(r: Any, noun: str, level: float, k_min: int) -> str:
    label = r.label[:1].upper() + r.label[1:]
    lvl = f"{round(level * 100)}%"
    if r.status == "insufficient":
        return (f"Fewer than {k_min} people spoke in {r.group} (or elsewhere), so {r.label} "
                "is not compared there.")
    if r.p_value != r.p_value:
        return f"{label} was raised by too few people to compare {r.group} with elsewhere."
    a, b = pct(r.share_group), pct(r.share_elsewhere)
    ci = f"{lvl} interval for the difference: {points(r.ci_low, r.ci_high)}"
    more = "more" if r.diff > 0 else "less"
    if r.status in ("more", "less"):
        return f"{label} was raised {more} in {r.group}: by {a} {noun} against {b} elsewhere ({ci})."
    if r.strength == "weak":
        return (f"{label} may be raised {more} in {r.group} ({a} {noun} against {b} "
                f"elsewhere), but the evidence is weak ({ci}).")
    return (f"{label}: no clear difference between {r.group} ({a} {noun}) and elsewhere ({b}) "
            f"({ci}).")
