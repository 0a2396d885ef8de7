"""Benchmark: does ``trends.shifts()`` find planted shifts and leave steady themes alone?

A generated corpus (no text: theme assignments are drawn directly): five communities, three
years of quarterly events (two per community per quarter), 8-20 participants per event plus a
facilitator, event-to-event variation in how much each theme comes up (a normal effect per event
and theme, sd 0.5 on the logit scale), one talkative participant
per event repeating a theme many times. Planted themes:

- ``t-rise``  (Cost of living): raised by 6% of people in the first quarter, 24% in the last;
- ``t-fall``  (Bus routes): 24% to 6%;
- ``t-spike`` (Damp and mould): 8% everywhere, but 45% in Harbour in the last year;
- ``t-s1`` .. ``t-s6``: steady controls at 5-25%.

Measured over ``--seeds`` seeds (default 20): recall = planted shifts reported with the right
status (rise emerging overall, fall declining overall, spike emerging in Harbour); false-alarm
rate = steady tests (controls overall and in every community, and the spike theme in the four
other communities) reported as emerging or declining. Targets: recall >= 0.9, false alarms <=
5%. Also times ``track`` (1000 resamples) on 300 events. Exits 1 if a target is missed.

    python benchmarks/trends.py [--seeds 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from listenlens.trends import Trends  # noqa: E402

COMMUNITIES = ("Northside", "Riverside", "Eastfield", "Old Town", "Harbour")
SPIKE_IN = "Harbour"
LABELS = {"t-rise": "Cost of living", "t-fall": "Bus routes", "t-spike": "Damp and mould",
          "t-s1": "GP appointments", "t-s2": "Green spaces", "t-s3": "Youth services",
          "t-s4": "Interpreters", "t-s5": "Mental health", "t-s6": "Safety at night"}
#: Event-to-event variation: a normal effect per event and theme on the logit scale.
EVENT_SD = 0.5
STEADY = {"t-s1": 0.20, "t-s2": 0.05, "t-s3": 0.10, "t-s4": 0.15, "t-s5": 0.25, "t-s6": 0.12}


def theme_probability(theme: str, community: str, t: float, quarter: int,
                      n_quarters: int) -> float:
    """Planted probability that a participant raises ``theme`` (t runs 0..1 over the years)."""
    if theme == "t-rise":
        return 0.06 + 0.18 * t
    if theme == "t-fall":
        return 0.24 - 0.18 * t
    if theme == "t-spike":
        return 0.45 if community == SPIKE_IN and quarter >= n_quarters - 4 else 0.08
    return STEADY[theme]


def generate(seed: int, *, years: int = 3, events_per_quarter: int = 2,
             communities: tuple[str, ...] = COMMUNITIES, people: tuple[int, int] = (8, 20),
             steady_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Units, assignments and theme table of one generated corpus."""
    rng = np.random.default_rng(seed)
    themes = list(STEADY) if steady_only else list(LABELS)
    n_q = 4 * years
    units, assigns = [], []
    for q in range(n_q):
        year, qn = 2021 + q // 4, q % 4
        for c in communities:
            for k in range(events_per_quarter):
                eid = f"e{q:02d}-{c[:3].lower()}-{k}"
                date = pd.Timestamp(year, 3 * qn + 1, 1) + pd.Timedelta(
                    days=int(rng.integers(0, 88)))
                effect = rng.normal(0.0, EVENT_SD, size=len(themes))
                n_people = int(rng.integers(people[0], people[1] + 1))
                talker = int(rng.integers(0, n_people))

                def add(speaker: str, role: str, theme: str, eid: str = eid, c: str = c,
                        date: pd.Timestamp = date) -> None:
                    uid = f"u{len(units)}"
                    units.append((uid, eid, c, date, speaker, role))
                    assigns.append((uid, theme))

                add(f"{eid}-f", "facilitator", "t-housekeeping")
                for p in range(n_people):
                    sid = f"{eid}-s{p}"
                    base = np.array([theme_probability(th, c, q / (n_q - 1), q, n_q)
                                     for th in themes])
                    probs = 1.0 / (1.0 + np.exp(-(np.log(base / (1 - base)) + effect)))
                    raised = [th for th, pr in zip(themes, probs) if rng.random() < pr]
                    if not raised:
                        add(sid, "participant", "t-unassigned")
                    for th in raised:
                        for _ in range(1 + int(rng.poisson(0.5))):
                            add(sid, "participant", th)
                    if p == talker:  # one talkative person returns to one theme again and again
                        th = themes[int(rng.integers(0, len(themes)))]
                        for _ in range(8):
                            add(sid, "participant", th)
    u = pd.DataFrame(units, columns=["unit_id", "event_id", "community", "date", "speaker_id",
                                     "role"])
    a = pd.DataFrame(assigns, columns=["unit_id", "theme_id"])
    a["probability"], a["primary"] = 1.0, True
    table = pd.DataFrame({"theme_id": themes, "label": [LABELS[t] for t in themes]})
    return u, a, table


def score(shifts: pd.DataFrame) -> tuple[list[bool], list[bool]]:
    """(planted found?, steady flagged?) for one run's shifts table."""
    def status(scope: str, group: str, theme: str) -> str:
        row = shifts[(shifts.scope == scope) & (shifts.group == group)
                     & (shifts.theme_id == theme)]
        return str(row["status"].iloc[0]) if len(row) else "missing"

    found = [status("overall", "All", "t-rise") == "emerging",
             status("overall", "All", "t-fall") == "declining",
             status("group", SPIKE_IN, "t-spike") == "emerging"]
    moved = ("emerging", "declining")
    alarms = [status("overall", "All", t) in moved for t in STEADY]
    alarms += [status("group", c, t) in moved for c in COMMUNITIES for t in STEADY]
    alarms += [status("group", c, "t-spike") in moved for c in COMMUNITIES if c != SPIKE_IN]
    return found, alarms


def run(seeds: int, n_perm: int, people: tuple[int, int]) -> pd.DataFrame:
    """One row per seed: which planted shifts were found, and false alarms among steady tests."""
    rows = []
    for seed in range(seeds):
        u, a, table = generate(seed, people=people)
        trends = Trends.from_frames(u, a, table, seed=seed)
        found, alarms = score(trends.shifts(n_perm=n_perm))
        rows.append({"seed": seed, "rise": found[0], "fall": found[1], "spike": found[2],
                     "steady_tests": len(alarms), "false_alarms": sum(alarms)})
    return pd.DataFrame(rows)


def summary(df: pd.DataFrame) -> tuple[float, float, str]:
    """(recall, false-alarm rate, one line of words)."""
    found = df[["rise", "fall", "spike"]]
    recall = float(found.to_numpy().mean())
    fa = float(df["false_alarms"].sum() / df["steady_tests"].sum())
    kinds = ", ".join(f"{k} {found[k].mean():.2f}" for k in found.columns)
    return recall, fa, f"recall {recall:.3f} ({kinds}); false alarms {fa:.4f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--n-perm", type=int, default=9999)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    df = run(args.seeds, args.n_perm, (8, 20))
    elapsed = time.perf_counter() - t0
    print(df.to_string(index=False))
    recall, fa, line = summary(df)
    small = summary(run(args.seeds, args.n_perm, (5, 12)))[2]
    # timing: 1000 resamples over 300 events (5 communities x 12 quarters x 5 events)
    u, a, table = generate(99, events_per_quarter=5)
    t1 = time.perf_counter()
    big = Trends.from_frames(u, a, table, n_boot=1000)
    _ = big.table, big.overall
    t_track = time.perf_counter() - t1
    n_events = u["event_id"].nunique()
    print(f"\nrecall of planted shifts: {recall:.3f} (target >= 0.9)")
    print(f"false-alarm rate on steady themes: {fa:.4f} (target <= 0.05)")
    print(f"by kind: {line}")
    print(f"for information, smaller events (5-12 people): {small}")
    print(f"{args.seeds} seeds in {elapsed:.1f} s; track + tables with 1000 resamples over "
          f"{n_events} events: {t_track:.2f} s")
    ok = recall >= 0.9 and fa <= 0.05
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
