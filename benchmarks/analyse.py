"""The main job, timed: ``listenlens analyse corpora/examples/riverside --out DIR``.

Runs the command as a user would (a fresh process each time, so model loading, imports and
numba compilation are counted) twice: once with an empty embedding cache (a first run on a new
machine) and once with the cache the first run filled (a re-run). Prints the wall time of each,
the time of each step from the run manifest, and the re-run / first-run ratio.

Target (issue 7): the first run finishes in under two minutes on this machine (2 CPU cores).
Exits 1 when the target is missed. ``python benchmarks/analyse.py [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE = PROJECT / "corpora" / "examples" / "riverside"
TARGET_SECONDS = 120.0


def run(corpus: Path, out: Path, cache: Path) -> tuple[float, dict[str, float]]:
    """Wall seconds of one ``listenlens analyse`` process, and its per-step timings."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "LISTENLENS_CACHE": str(cache), "LISTENLENS_PROGRESS": "0"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "listenlens", "analyse", str(corpus), "--out",
                           str(out), "-q"], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"listenlens analyse failed:\n{done.stderr[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return wall, manifest.get("timings", {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        first, steps_first = run(args.corpus, tmp_path / "out1", cache)
        again, steps_again = run(args.corpus, tmp_path / "out2", cache)
        n_files = sum(1 for p in (tmp_path / "out1").rglob("*") if p.is_file())
    print(f"listenlens analyse {args.corpus.relative_to(PROJECT) if args.corpus.is_relative_to(PROJECT) else args.corpus}")
    print(f"{'run':<28}{'wall s':>9}   steps (s)")
    for name, wall, steps in (("first (empty cache)", first, steps_first),
                              ("re-run (cache filled)", again, steps_again)):
        detail = ", ".join(f"{k} {v:.1f}" for k, v in steps.items())
        print(f"{name:<28}{wall:>9.1f}   {detail}")
    print(f"outputs written: {n_files} files")
    print(f"re-run / first run: {again / first:.2f}")
    ok = first <= TARGET_SECONDS
    print(f"target: first run <= {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
