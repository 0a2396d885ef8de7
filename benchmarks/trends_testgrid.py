"""The issue-14 grid at the level of the test: fast enough for every design with many replicates.

``benchmarks/trends.py`` scores ``shifts()``'s verdicts, building units and a ``Trends`` object
for every simulated corpus (about half a second each). This script draws the same programmes
(the grid's per-person generator: communities x events x years, 5-15 people per event, the grid's
16 themes, community and event noise) straight into evidence counts and applies the test and
the adjustment ``shifts()`` uses by default (:func:`~listenlens.trends.moderated.trend_test`,
:func:`~listenlens.trends.intervals.storey_adjust` over the corpus's 16 themes); a planted theme
is found when its adjusted p-value is below 0.05 in the planted direction. What it leaves out is
the minimum-evidence rule and the windows' agreement, which removed no shift on the five designs
of ``benchmarks/trends_decompose.py`` (0 of 2,000 planted themes); a share counts the people who
raised any theme, as ``shifts()`` does.

    python benchmarks/trends_testgrid.py [--planted 40] [--null 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import trends as grid  # noqa: E402

from listenlens.trends.intervals import storey_adjust  # noqa: E402
from listenlens.trends.moderated import trend_test  # noqa: E402


def evidence(design: grid.Design, themes: list[grid.Planted], rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year, community, raisers per theme and people raising any theme, per event."""
    c = np.repeat(np.arange(design.communities), design.events * design.years)
    year = np.tile(np.repeat(np.arange(design.years), design.events), design.communities)
    share = np.clip([[p.share(int(y), design.years) for p in themes] for y in year], 0.01, 0.99)
    z = (np.log(share / (1 - share))
         + rng.normal(0.0, grid.COMMUNITY_SD, (design.communities, len(themes)))[c]
         + rng.normal(0.0, grid.GRID_EVENT_SD, (len(c), len(themes))))
    n = rng.integers(grid.PEOPLE[0], grid.PEOPLE[1] + 1, len(c))
    prob = 1.0 / (1.0 + np.exp(-z))
    raised = rng.random((len(c), grid.PEOPLE[1], len(themes))) < prob[:, None, :]
    raised &= (np.arange(grid.PEOPLE[1])[None, :] < n[:, None])[:, :, None]
    return year, c, raised.sum(axis=1).astype(float), raised.any(axis=2).sum(axis=1).astype(float)


def run_design(design: grid.Design, planted: int, null: int, seed: int = 0) -> dict:
    rng = np.random.default_rng([seed, 41, design.communities, design.events, design.years])
    found = {s: [] for s in grid.SIZES}
    kinds = {k: [] for k in grid.KINDS}
    alarms, alarms_null = [], []
    for r in range(planted + null):
        is_null = r >= planted
        themes = [replace(p, step_year=int(rng.integers(1, design.years)))
                  if p.kind == "step" else p for p in grid.grid_themes(r, null=is_null)]
        year, c, N, T = evidence(design, themes, rng)
        test = trend_test(year, c, N, T)
        adj = np.nan_to_num(storey_adjust(test.p_value), nan=1.0)
        for p, pa, direction in zip(themes, adj, test.direction):
            if p.kind == "null":
                (alarms_null if is_null else alarms).append(pa < 0.05)
            else:
                hit = bool(pa < 0.05 and direction == (1 if p.up else -1))
                found[round(p.size, 2)].append(hit)
                kinds[p.kind].append(hit)
    out = {"design": str(design), "events": design.total, "n_per_size": 2 * planted,
           "fa": float(np.mean(alarms + alarms_null)), "fa_null": float(np.mean(alarms_null)),
           "n_null": len(alarms) + len(alarms_null)}
    out |= {f"recall_{round(s * 100)}": float(np.mean(v)) for s, v in found.items()}
    out |= {f"recall_{k}": float(np.mean(v)) for k, v in kinds.items()}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--planted", type=int, default=40, help="planted corpora per design")
    ap.add_argument("--null", type=int, default=20, help="null corpora per design")
    ap.add_argument("--oracle-sims", type=int, default=300)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = []
    for d in grid.FULL_GRID:
        row = run_design(d, args.planted, args.null)
        fam = grid.oracle_family_power(d, n_sim=args.oracle_sims)
        for size in (0.2, 0.3):
            row[f"oracle_m0_{round(size * 100)}"] = fam[("m0", size)]
            row[f"oracle_bh_{round(size * 100)}"] = fam[("m", size)]
        rows.append(row)
        print("done", {k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()},
              flush=True)
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 250)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    for events, size, goal in ((20, 30, 0.9), (30, 20, 0.8)):
        big = table[table["events"] >= events]
        got = np.minimum(big[f"recall_{size}"], big["recall_40"])
        beyond = big[f"oracle_m0_{size}"] < goal
        print(f"designs with >= {events} events: {len(big)}; recall >= {goal} at {size}-40 points "
              f"in {int((got >= goal).sum())}; the oracle in the family stays below {goal} in "
              f"{int(beyond.sum())}")
    print(f"false alarms: largest cell {table[['fa', 'fa_null']].max().max():.3f}; "
          f"{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
