"""Is a missed design an information limit or a weakness of the test? A paired check (issue 14).

``benchmarks/trends.py`` sets a *fair bound* beside every design: tests that know every event's
variance but not the shape nor the direction of a change. This script asks the same question on
the grid's own corpora, paired: each planted (and null) corpus of ``trends.grid_corpus`` is
judged by

==============  ===============================================================================
``trend``       what ``shifts()`` does by default: the moderated slope t
                (:func:`~listenlens.trends.moderated.trend_test`), two-sided, Storey's adaptive
                BH over the corpus's 16 themes, called in the planted direction (on these
                corpora its p-values equal ``shifts()``'s to 1e-15)
``combined``    ``test="moderated"``: the largest of the slope and every step, moderated noise,
                referred to its multivariate t
``known``       the slope with every event's *true* variance (from the generator; inverse-
                variance weights), two-sided normal p-value, the same adjustment
``known_max``   the largest of the slope and every step with the true variances, referred to
                its exact null (``trends.fair_pvalues``), the same adjustment
==============  ===============================================================================

``gap`` is the better of the two known-variance tests minus ``trend``, per size, on the same
themes: what knowing the noise would add. A gap near zero says the test is at the bound and a
miss is an information limit of the design. False alarms are the null themes called (planted
and null corpora).

    python benchmarks/trends_gap.py [--seeds 60] [--null-seeds 20] [--design 4,1,5 ...]
                                    [--from-grid benchmarks/data/trends_full_grid.txt]
                                    [--fair-sims 1200]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import trends as grid  # noqa: E402
import trends_decompose as dec  # noqa: E402

from listenlens.trends.intervals import storey_adjust  # noqa: E402
from listenlens.trends.moderated import moderated_test, trend_test  # noqa: E402

TESTS = ("trend", "combined", "known", "known_max")


def judged(design: grid.Design, seed: int, null: bool) -> list[dict]:
    """One row per theme and test of one corpus: planted kind and size, called, found."""
    u, a, _, themes = grid.grid_corpus(design, seed, null=null)
    year, comm, N, T, _ = dec.evidence(u, a, themes, design)
    var = dec.true_variance(design, seed, themes, year, comm, T, null)
    tr = trend_test(year, comm, N, T)
    comb = moderated_test(year, comm, N, T, n_sim=999, seed=seed)
    p_max, s_max, z_slope = grid.fair_pvalues(N / T[:, None], var, comm, year, seed=seed)
    verdicts = {"trend": (tr.p_value, np.sign(tr.z_trend)),
                "combined": (comb.p_value, comb.direction),
                "known": (2.0 * stats.norm.sf(np.abs(z_slope)), np.sign(z_slope)),
                "known_max": (p_max, s_max)}
    rows = []
    for test, (p, sign) in verdicts.items():
        called = storey_adjust(p) < 0.05
        for theme, hit, s in zip(themes, called, sign):
            want = 1 if theme.up else -1
            rows.append({"test": test, "kind": theme.kind, "size": round(theme.size, 2),
                         "called": bool(hit),
                         "found": bool(hit and s == want and theme.kind != "null")})
    return rows


def design_table(design: grid.Design, seeds: int, null_seeds: int) -> pd.DataFrame:
    """Recall per size and false alarms per test on ``seeds`` planted and ``null_seeds`` null
    corpora (null corpora seeded from 1000, apart from the planted ones)."""
    rows = [r for s in range(seeds) for r in judged(design, s, False)]
    rows += [r for s in range(1000, 1000 + null_seeds) for r in judged(design, s, True)]
    df = pd.DataFrame(rows)
    planted = df[df["kind"] != "null"]
    out = planted.pivot_table(index="test", columns="size", values="found", aggfunc="mean")
    out.columns = [f"recall_{round(c * 100)}" for c in out.columns]
    out["fa"] = df[df["kind"] == "null"].groupby("test")["called"].mean()
    return out.reindex(TESTS)


def missed_designs(path: Path) -> list[grid.Design]:
    """The designs named on the ``MISSED`` lines of a grid run's output, in order."""
    found: list[grid.Design] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"MISSED (\d+)c x (\d+)e x (\d+)y", line)
        if m and grid.Design(*map(int, m.groups())) not in found:
            found.append(grid.Design(*map(int, m.groups())))
    return found


def summary_row(design: grid.Design, table: pd.DataFrame, fair_sims: int = 0) -> dict:
    """One line per design: recall of ``trend`` and of the better known-variance test; with
    ``fair_sims``, the design's fair bound (``trends.fair_bound``) from that many replicates."""
    out: dict = {"design": str(design), "events": design.total}
    for size in (20, 30, 40):
        col = f"recall_{size}"
        best = float(table.loc[["known", "known_max"], col].max())
        out[f"trend_{size}"] = float(table.loc["trend", col])
        out[f"known_{size}"] = best
        out[f"gap_{size}"] = best - float(table.loc["trend", col])
    out["fa_trend"] = float(table.loc["trend", "fa"])
    out["fa_known"] = float(table.loc[["known", "known_max"], "fa"].max())
    if fair_sims:
        out.update(grid.fair_bound(grid.oracle_family_power(design, n_sim=fair_sims)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=60, help="planted corpora per design")
    ap.add_argument("--null-seeds", type=int, default=20, help="null corpora per design")
    ap.add_argument("--design", nargs="*", default=None, metavar="C,E,Y")
    ap.add_argument("--from-grid", type=Path, default=None, metavar="FILE",
                    help="judge the designs on the MISSED lines of a grid run's output")
    ap.add_argument("--fair-sims", type=int, default=0, metavar="N",
                    help="also print each design's fair bound from N replicates of the family")
    args = ap.parse_args(argv)
    designs = [grid.Design(*map(int, d.split(","))) for d in args.design or []]
    if args.from_grid is not None:
        designs += [d for d in missed_designs(args.from_grid) if d not in designs]
    if not designs:
        designs = [grid.Design(4, 1, 5), grid.Design(3, 2, 5)]
    print(f"{args.seeds} planted corpora (8 planted + 8 null themes) and {args.null_seeds} null "
          f"corpora per design; Storey's adaptive BH over each corpus's 16 themes; tests "
          f"{', '.join(TESTS)}")
    t0 = time.process_time()
    rows = []
    for design in designs:
        table = design_table(design, args.seeds, args.null_seeds)
        print(f"\n{design}\n{table.to_string(float_format=lambda v: f'{v:.3f}')}", flush=True)
        rows.append(summary_row(design, table, args.fair_sims))
    summary = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print("\nper design: trend = shifts()'s test; known = the better known-variance test; "
          "gap = known - trend")
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    for size in (20, 30, 40):
        print(f"mean gap at {size} points: {summary[f'gap_{size}'].mean():+.3f} (largest "
              f"{summary[f'gap_{size}'].max():+.3f})")
    print(f"cpu {time.process_time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
