"""Shifts on conversation-run corpora (``listenlens.synthetic.make_corpus``), with true themes.

The grid of ``benchmarks/trends.py`` draws each person's themes independently. Real talk is
prompted: a facilitator asks about three to eight themes, each prompt starts a run of turns on
its theme, talk drifts to related themes, some people talk much more than others. A theme's share
at an event then depends on whether it was prompted, so events differ far more than independent
draws would make them. This check writes corpora with that structure (``structure="runs"``), takes
the generator's true theme of every unit (no theme error) and asks ``shifts()``, old and new:

- two planted steps at the middle of the range, every community: ``energy-bills`` weight x3
  (rise) and ``buses`` weight / 3 (fall);
- six themes planted steady: every overall verdict on them is a false alarm.

    python benchmarks/trends_conversation.py [--seeds 20] [--design 4,1,5 ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from listenlens.synthetic import DEFAULT_COMMUNITIES, DEFAULT_THEMES, Shift, make_corpus  # noqa: E402
from listenlens.trends import Trends  # noqa: E402

PLANTED = {"t-energy-bills": "emerging", "t-buses": "declining"}
METHODS = {"old (moderated, BH)": {"test": "moderated", "adjust": "bh"},
           "new (trend, Storey)": {"test": "trend", "adjust": "storey"}}


def conversation_trends(communities: int, events: int, years: int, seed: int,
                        units_per_event: int = 40) -> Trends:
    """Trends of one conversation-run corpus with the true theme of every unit."""
    shifts = (Shift("energy-bills", "rise", factor=3.0), Shift("buses", "fall", factor=3.0))
    with tempfile.TemporaryDirectory() as tmp:
        truth = make_corpus(Path(tmp) / "c", n_units=units_per_event * communities * events
                            * years, communities=DEFAULT_COMMUNITIES[:communities],
                            start="2021-01-01", end=f"{2020 + years}-12-31", shifts=shifts,
                            events_per_year=(events, events), seed=seed)
    u = truth.units.reset_index(drop=True)
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(u))],
                          "event_id": u["event_id"], "community": u["community"],
                          "date": pd.to_datetime(u["date"]),
                          "speaker_id": u["event_id"] + "-" + u["speaker"], "role": u["role"]})
    theme = "t-" + u["theme"].astype(str)
    a = pd.DataFrame({"unit_id": units["unit_id"], "theme_id": theme, "probability": 1.0,
                      "primary": True})
    ids = ["t-" + t for t in DEFAULT_THEMES]
    table = pd.DataFrame({"theme_id": ids, "label": ids})
    return Trends.from_frames(units, a, table, period="year", seed=seed, n_boot=20)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--design", nargs="*", default=["4,1,5", "5,1,5", "5,2,4"])
    args = ap.parse_args(argv)
    rows = []
    for spec in args.design:
        c, e, y = (int(v) for v in spec.split(","))
        for seed in range(args.seeds):
            trends = conversation_trends(c, e, y, seed)
            for name, opts in METHODS.items():
                sh = trends.shifts(by_group=False, mdc=False, **opts)
                status = dict(zip(sh["theme_id"], sh["status"]))
                found = [status.get(t) == want for t, want in PLANTED.items()]
                alarms = [status.get(t) in ("emerging", "declining")
                          for t in status if t not in PLANTED]
                rows.append({"design": f"{c}c x {e}e x {y}y", "method": name,
                             "recall": float(np.mean(found)), "false_alarms": sum(alarms),
                             "nulls": len(alarms)})
        print("done", spec, flush=True)
    df = pd.DataFrame(rows)
    out = df.groupby(["design", "method"], sort=False).agg(
        recall=("recall", "mean"), false_alarms=("false_alarms", "sum"), nulls=("nulls", "sum"))
    out["fa_rate"] = out["false_alarms"] / out["nulls"]
    print(out.to_string(float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
