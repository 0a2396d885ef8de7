"""Wall time of ``make example`` at two commits (the issue-12 gate: at most 1.3x the time before).

``make example`` is ``listenlens analyse corpora/examples/riverside --out out/example``. This
script checks out each commit into a temporary git worktree, runs that command there with the
commit's own sources first on ``PYTHONPATH`` (the shared environment's packages otherwise), and
times it. Each commit gets its own temporary cache folder; one untimed run per commit fills it
with the MiniLM embeddings (as a user's second ``make example`` would have), then the
reductions are deleted before every timed run so UMAP is always paid for. Runs alternate between
the commits (A B A B ...) so that load from other processes falls on both alike; the median of
each side is reported with the ratio.

Run ``python benchmarks/example_time.py --base 2395fe2 --head HEAD --repeats 2``. Default base:
``2395fe2``, the last commit on main before the issue-12 themes work (conversation context,
data-chosen hierarchy, label rule). Not a timed test.

Measured 2026-12-02 (2 cores shared with other jobs, load average 8-20 in the first round and
lower in the second): 2395fe2 633.3 s and 155.0 s, 45538be 351.1 s and 105.1 s; medians 394.1 s
and 228.1 s, ratio 0.58 (second round alone 0.68). The themes work did not slow ``make example``
down; later speed-ups (the linear briefing evidence step) more than pay for it.

Measured 2026-12-03 at e4b400d on a quiet machine (2 cores): 2395fe2 28.9 s and 28.7 s, HEAD
9.7 s and 9.7 s; medians 28.8 s and 9.7 s, ratio 0.34.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent


def _worktree(rev: str, root: Path) -> Path:
    path = root / f"wt-{rev.replace('/', '_')}"
    subprocess.run(["git", "-C", str(PROJECT), "worktree", "add", "--detach", str(path), rev],
                   check=True, capture_output=True)
    return path


def _run(tree: Path, cache: Path, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    if out.exists():
        shutil.rmtree(out)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "listenlens", "analyse",
                    str(tree / "corpora" / "examples" / "riverside"), "--out", str(out),
                    "--cache-dir", str(cache), "-q"], cwd=tree, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="2395fe2")
    ap.add_argument("--head", default="HEAD")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="listenlens-example-time-"))
    trees = {}
    try:
        times: dict[str, list[float]] = {args.base: [], args.head: []}
        for rev in times:
            trees[rev] = _worktree(rev, root)
            _run(trees[rev], root / f"cache-{len(trees)}", root / "out")  # fills the cache
        for _ in range(args.repeats):
            for j, rev in enumerate(times):
                cache = root / f"cache-{j + 1}"
                shutil.rmtree(cache / "reductions", ignore_errors=True)
                times[rev].append(_run(trees[rev], cache, root / "out"))
                print(f"{rev}: {times[rev][-1]:.1f} s", flush=True)
        base, head = (statistics.median(times[r]) for r in (args.base, args.head))
        print(f"make example (median of {args.repeats}): base {args.base} {base:.1f} s, "
              f"head {args.head} {head:.1f} s, ratio {head / base:.2f} (gate <= 1.3: "
              f"{'met' if head <= 1.3 * base else 'NOT met'})")
    finally:
        for tree in trees.values():
            subprocess.run(["git", "-C", str(PROJECT), "worktree", "remove", "--force",
                            str(tree)], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
