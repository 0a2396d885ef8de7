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

For information (no target), a scenario shaped like the bundled example corpus
(``generate_shaped``): its 17-event schedule over 2023-2025, four communities with very
different baselines, unevenly heard over time, a planted +30-point rise and -30-point fall within
every community, six steady themes; run with the overall change measured within communities (the
default) and pooled, once as is and once with three events per slot. It shows what such a corpus
can and cannot establish: with one event per community in a window every community row is
"insufficient", and the exact within-community test has only 81 relabellings (p >= 1/81).

    python benchmarks/trends.py [--seeds 20] [--overall within|pooled]
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


def _people(rng: np.random.Generator, eid: str, community: str, date: pd.Timestamp,
            probs_base: dict[str, float], people: tuple[int, int], units: list,
            assigns: list) -> None:
    """Append one event's units and assignments: a facilitator, then between ``people[0]`` and
    ``people[1]`` participants with an event effect per theme, repeat mentions, and one
    talkative participant."""
    themes = list(probs_base)
    effect = rng.normal(0.0, EVENT_SD, size=len(themes))
    n_people = int(rng.integers(people[0], people[1] + 1))
    talker = int(rng.integers(0, n_people))

    def add(speaker: str, role: str, theme: str) -> None:
        uid = f"u{len(units)}"
        units.append((uid, eid, community, date, speaker, role))
        assigns.append((uid, theme))

    add(f"{eid}-f", "facilitator", "t-housekeeping")
    base = np.array([probs_base[th] for th in themes])
    probs = 1.0 / (1.0 + np.exp(-(np.log(base / (1 - base)) + effect)))
    for p in range(n_people):
        sid = f"{eid}-s{p}"
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


def _frames(units: list, assigns: list, labels: dict[str, str]
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    u = pd.DataFrame(units, columns=["unit_id", "event_id", "community", "date", "speaker_id",
                                     "role"])
    a = pd.DataFrame(assigns, columns=["unit_id", "theme_id"])
    a["probability"], a["primary"] = 1.0, True
    table = pd.DataFrame({"theme_id": list(labels), "label": list(labels.values())})
    return u, a, table


def generate(seed: int, *, years: int = 3, events_per_quarter: int = 2,
             communities: tuple[str, ...] = COMMUNITIES, people: tuple[int, int] = (8, 20),
             steady_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Units, assignments and theme table of one generated corpus."""
    rng = np.random.default_rng(seed)
    themes = list(STEADY) if steady_only else list(LABELS)
    n_q = 4 * years
    units: list = []
    assigns: list = []
    for q in range(n_q):
        year, qn = 2021 + q // 4, q % 4
        for c in communities:
            for k in range(events_per_quarter):
                eid = f"e{q:02d}-{c[:3].lower()}-{k}"
                date = pd.Timestamp(year, 3 * qn + 1, 1) + pd.Timedelta(
                    days=int(rng.integers(0, 88)))
                base = {th: theme_probability(th, c, q / (n_q - 1), q, n_q) for th in themes}
                _people(rng, eid, c, date, base, people, units, assigns)
    return _frames(units, assigns, {t: LABELS[t] for t in themes})


# --- a corpus shaped like the bundled example (corpora/examples/riverside) -----------------------
#: The example corpus's schedule: (community, date) of its 17 events; communities are unevenly
#: spread over the years (Millbrook has 1 event in 2023 and 2 in 2025, the others 2 then 1).
SCHEDULE = [("Tenants", "2023-02-16"), ("Women", "2023-03-22"), ("Older", "2023-05-10"),
            ("Tenants", "2023-07-13"), ("Youth", "2023-09-27"), ("Women", "2023-11-15"),
            ("Older", "2023-12-06"), ("Tenants", "2024-01-25"), ("Youth", "2024-04-17"),
            ("Women", "2024-06-19"), ("Older", "2024-09-04"), ("Tenants", "2024-10-10"),
            ("Tenants", "2025-02-06"), ("Youth", "2025-03-12"), ("Women", "2025-05-21"),
            ("Older", "2025-09-17"), ("Youth", "2025-11-19")]
SHAPED_COMMUNITIES = ("Tenants", "Women", "Older", "Youth")
#: Per-community baselines, strongly different (what each community raises anyway).
SHAPED_BASE = {
    "t-rise": (0.05, 0.15, 0.10, 0.05), "t-fall": (0.35, 0.30, 0.40, 0.30),
    "t-s1": (0.05, 0.10, 0.05, 0.50), "t-s2": (0.45, 0.10, 0.10, 0.05),
    "t-s3": (0.05, 0.45, 0.05, 0.05), "t-s4": (0.10, 0.10, 0.45, 0.10),
    "t-s5": (0.20, 0.25, 0.20, 0.15), "t-s6": (0.05, 0.05, 0.05, 0.45),
}
SHAPED_LABELS = {"t-rise": "Cost of living", "t-fall": "Bus routes", "t-s1": "Youth spaces",
                 "t-s2": "Damp and mould", "t-s3": "Interpreters", "t-s4": "Loneliness",
                 "t-s5": "GP appointments", "t-s6": "Youth mental health"}
#: Planted change within every community, in share points, first year to last.
SHAPED_CHANGE = 0.30


def generate_shaped(seed: int, *, repeat: int = 1, people: tuple[int, int] = (6, 20)
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A corpus like the example one: its 17-event schedule (``repeat`` events per slot), four
    communities with very different baselines, ``t-rise`` +30 points and ``t-fall`` -30 points
    within every community from 2023 to 2025, the other themes steady (and unevenly spread over
    time only through which community was heard when: youth themes are over-represented late)."""
    rng = np.random.default_rng([seed, 7])
    units: list = []
    assigns: list = []
    for i, (c, d) in enumerate(SCHEDULE * repeat):
        date = pd.Timestamp(d) + pd.Timedelta(days=int(rng.integers(0, 20)))
        t = (date.year - 2023) / 2
        ci = SHAPED_COMMUNITIES.index(c)
        base = {th: v[ci] for th, v in SHAPED_BASE.items()}
        base["t-rise"] += SHAPED_CHANGE * t
        base["t-fall"] -= SHAPED_CHANGE * t
        base["t-fall"] = max(base["t-fall"], 0.02)
        _people(rng, f"x{i:02d}-{c.lower()}", c, date, base, people, units, assigns)
    return _frames(units, assigns, SHAPED_LABELS)


def score_shaped(shifts: pd.DataFrame) -> dict[str, float]:
    """Planted rise / fall found overall, steady themes flagged overall, community rows that are
    not reported as insufficient although a window has one event."""
    overall = shifts[shifts.scope == "overall"].set_index("theme_id")
    moved = overall["status"].isin(["emerging", "declining"])
    steady = [t for t in SHAPED_BASE if t.startswith("t-s")]
    groups = shifts[shifts.scope == "group"]
    return {"rise": float(overall.loc["t-rise", "status"] == "emerging"),
            "fall": float(overall.loc["t-fall", "status"] == "declining"),
            "false_alarms": float(moved[steady].sum()), "steady_tests": float(len(steady)),
            "group_rows_tested": float((groups["status"] != "insufficient").sum())}


def run_shaped(seeds: int, n_perm: int, *, repeat: int = 1, overall: str = "within",
               period: str = "year") -> pd.DataFrame:
    """One row per seed of the example-shaped scenario."""
    rows = []
    for seed in range(seeds):
        u, a, table = generate_shaped(seed, repeat=repeat)
        trends = Trends.from_frames(u, a, table, seed=seed, period=period)
        rows.append({"seed": seed, **score_shaped(trends.shifts(n_perm=n_perm,
                                                                overall=overall))})
    return pd.DataFrame(rows)


def summary_shaped(df: pd.DataFrame) -> str:
    fa = df["false_alarms"].sum() / df["steady_tests"].sum()
    return (f"recall rise {df['rise'].mean():.2f}, fall {df['fall'].mean():.2f}; "
            f"false alarms {fa:.4f}; community rows tested {int(df['group_rows_tested'].sum())}")


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


def run(seeds: int, n_perm: int, people: tuple[int, int], overall: str = "within"
        ) -> pd.DataFrame:
    """One row per seed: which planted shifts were found, and false alarms among steady tests."""
    rows = []
    for seed in range(seeds):
        u, a, table = generate(seed, people=people)
        trends = Trends.from_frames(u, a, table, seed=seed)
        found, alarms = score(trends.shifts(n_perm=n_perm, overall=overall))
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
    ap.add_argument("--overall", choices=("within", "pooled"), default="within",
                    help="how the overall change is measured (see trends.shifts)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    df = run(args.seeds, args.n_perm, (8, 20), args.overall)
    elapsed = time.perf_counter() - t0
    print(df.to_string(index=False))
    recall, fa, line = summary(df)
    small = summary(run(args.seeds, args.n_perm, (5, 12), args.overall))[2]
    shaped = {(m, r): summary_shaped(run_shaped(args.seeds, args.n_perm, repeat=r, overall=m))
              for m in ("within", "pooled") for r in (1, 3)}
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
    print("for information, shaped like the example corpus (17 events, 4 unlike communities, "
          "unbalanced over time; 'x3' has three events per slot):")
    for (m, r), text in shaped.items():
        print(f"  overall {m:>6}, {'x' + str(r)}: {text}")
    print(f"{args.seeds} seeds in {elapsed:.1f} s; track + tables with 1000 resamples over "
          f"{n_events} events: {t_track:.2f} s")
    ok = recall >= 0.9 and fa <= 0.05
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
