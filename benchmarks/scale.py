"""Scale benchmark: ``listenlens analyse`` on synthetic corpora of growing size.

Run ``python benchmarks/scale.py`` (default sizes 2,000 and 5,000 units: a few minutes on two
cores); ``--sizes 10000 50000 100000`` for the national-scale rows, ``--backend torch`` to compare
embedding backends. Prints one table, one row per size:

- wall time of every step, from the run's ``manifest.json`` timings (load, themes, trends,
  briefing, write), the total, and the peak resident memory of the analysing process;
- the embedding floor, measured in the same run: a fresh process that loads MiniLM and embeds the
  same distinct texts with no cache (wall and peak RSS), and the ratio analyse / floor; the same
  ratio in CPU seconds (user + system), which other work on a shared machine does not inflate;
- the cached re-run (same cache folder: nothing embedded again) and its share of the first run;
- the briefing step's share of the total;
- the adjusted Rand index of the themes against the corpus key (``_key/themes.csv``, planted
  housekeeping lines excluded; unassigned units count as one cluster).

With ``--dask`` every size gets a second row, ``backend`` ending in ``+dask``: the same
analysis with the embeddings computed on a 2-worker ``distributed.LocalCluster`` (one thread
each; ``--workers`` to change), its own cold cache, the floor the same, and whether its
assignments are identical to the single-process run's (``same``). Its RSS is the client
process's; the workers' memory is not in it.

Each measurement runs in its own child process (this script with ``--child``) so that peak RSS
(from ``os.wait4``) belongs to that run alone. Not a timed test. Corpora above 20,000 units take
the sampled clustering path (``listenlens.themes.large``); the run's manifest records it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("LISTENLENS_PROGRESS", "0")

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
CACHE = HERE / ".cache"
STEPS = ("load", "themes", "trends", "briefing", "write")


# --- children ---------------------------------------------------------------------------------

def child_analyse(corpus: Path, out: Path, cache: Path) -> dict[str, Any]:
    """Run the whole analysis; write the primary theme of every unit beside the outputs."""
    from listenlens.pipeline import analyse

    t = time.perf_counter()
    result = analyse(corpus, out=out, cache_dir=cache, progress=False)
    wall = time.perf_counter() - t
    asg = result.themes.assignments
    prim = asg[asg["primary"]] if "primary" in asg.columns else asg
    units = result.corpus.units[["unit_id", "source", "line"]].merge(
        prim[["unit_id", "theme_id"]], on="unit_id", how="left")
    units.to_csv(out / "unit_themes.csv", index=False)
    return {"wall": wall, "timings": dict(result.manifest.timings),
            "backend": result.manifest.embedding_backend,
            "fit": result.manifest.params["run"].get("theme_fit", {}).get("cache", "")}


def child_analyse_dask(corpus: Path, out: Path, cache: Path, workers: int) -> dict[str, Any]:
    """The same analysis with the embeddings computed on a local Dask cluster."""
    from distributed import Client, LocalCluster

    import listenlens as ll
    from listenlens.pipeline import analyse

    t = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cl, \
            Client(cl) as client:
        c = ll.load(corpus, progress=False)
        t_load = time.perf_counter()
        themes = ll.find_themes(c, cache_dir=cache, client=client, progress=False)
        t_themes = time.perf_counter()
        result = analyse(c, out=out, cache_dir=cache, themes=themes, progress=False)
    wall = time.perf_counter() - t
    asg = result.themes.assignments
    prim = asg[asg["primary"]]
    units = result.corpus.units[["unit_id", "source", "line"]].merge(
        prim[["unit_id", "theme_id"]], on="unit_id", how="left")
    units.to_csv(out / "unit_themes.csv", index=False)
    timings = dict(result.manifest.timings)
    timings["load"], timings["themes"] = t_load - t, t_themes - t_load  # outside analyse here
    return {"wall": wall, "timings": timings,
            "backend": result.manifest.embedding_backend + "+dask"}


def child_floor(corpus: Path) -> dict[str, Any]:
    """Load MiniLM and embed every distinct unit text once, with no embedding cache (the
    analysis embeds each distinct text once too, so repeated texts must not pad the floor)."""
    t = time.perf_counter()
    import listenlens as ll
    from listenlens.embeddings import MiniLMEmbedder

    texts = list(dict.fromkeys(u.text for u in ll.load(corpus, progress=False).unit_records))
    MiniLMEmbedder(progress=False).encode(texts)
    return {"wall": time.perf_counter() - t, "n": len(texts)}


def run_child(args: list[str]) -> tuple[dict[str, Any], float]:
    """Run this script as a child; its JSON answer and its peak RSS in MB (Linux: KB units)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        answer = Path(fh.name)
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src"),
           "LISTENLENS_CACHE": str(CACHE / "home")}  # where the ONNX export is kept
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(answer), *args], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"child {args[0]} failed (status {status})")
    data = json.loads(answer.read_text(encoding="utf-8"))
    answer.unlink()
    data["cpu"] = usage.ru_utime + usage.ru_stime  # CPU seconds: robust to a loaded machine
    return data, usage.ru_maxrss / 1024


# --- the benchmark ----------------------------------------------------------------------------

def ari_against_key(corpus: Path, out: Path) -> float:
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    key = pd.read_csv(corpus / "_key" / "themes.csv")
    got = pd.read_csv(out / "unit_themes.csv").merge(key, on=["source", "line"], how="left")
    sub = got["theme"].notna() & (got["theme"] != "housekeeping")
    return float(adjusted_rand_score(got.loc[sub, "theme"], got.loc[sub, "theme_id"].fillna("?")))


def same_assignments(out_a: Path, out_b: Path) -> bool:
    import pandas as pd

    a = pd.read_csv(out_a / "unit_themes.csv").sort_values("unit_id", ignore_index=True)
    b = pd.read_csv(out_b / "unit_themes.csv").sort_values("unit_id", ignore_index=True)
    return bool(a.equals(b))


def dask_row(n: int, corpus: Path, work: Path, floor: dict[str, Any], floor_rss: float,
             workers: int) -> dict[str, Any]:
    """The Dask row of one size: cold cache, then a cached re-run, on a local cluster."""
    first, rss = run_child(["dask", str(corpus), str(work / "dout"), str(work / "dcache"),
                            str(workers)])
    again, _ = run_child(["dask", str(corpus), str(work / "dout2"), str(work / "dcache"),
                          str(workers)])
    timings = first["timings"]
    return {"n": n, "backend": first["backend"], **{s: timings.get(s, 0.0) for s in STEPS},
            "total": first["wall"], "rss_mb": rss, "floor": floor["wall"],
            "floor_rss_mb": floor_rss, "ratio": first["wall"] / floor["wall"],
            "rerun": again["wall"], "rerun_share": again["wall"] / first["wall"],
            "briefing_share": timings.get("briefing", 0.0) / first["wall"],
            "ari": ari_against_key(corpus, work / "dout"),
            "same": same_assignments(work / "out", work / "dout"), "cpu": first["cpu"],
            "floor_cpu": floor["cpu"], "cpu_ratio": first["cpu"] / floor["cpu"],
            "rerun_cpu": again["cpu"], "rerun_fit": again.get("fit", "")}


def one_size(n: int, seed: int, dask_workers: int = 0) -> list[dict[str, Any]]:
    from listenlens.synthetic import make_corpus

    corpus = CACHE / f"scale-{n}-{seed}"
    if not (corpus / "events.csv").is_file():
        make_corpus(corpus, n_units=n, seed=seed)
    work = Path(tempfile.mkdtemp(prefix=f"scale-{n}-"))
    try:
        floor, floor_rss = run_child(["floor", str(corpus)])
        first, rss = run_child(["analyse", str(corpus), str(work / "out"), str(work / "cache")])
        again, _ = run_child(["analyse", str(corpus), str(work / "out2"), str(work / "cache")])
        ari = ari_against_key(corpus, work / "out")
        extra = ([dask_row(n, corpus, work, floor, floor_rss, dask_workers)] if dask_workers
                 else [])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    timings = first["timings"]
    return [{"n": n, "backend": first["backend"], **{s: timings.get(s, 0.0) for s in STEPS},
            "total": first["wall"], "rss_mb": rss, "floor": floor["wall"],
            "floor_rss_mb": floor_rss, "ratio": first["wall"] / floor["wall"],
            "rerun": again["wall"], "rerun_share": again["wall"] / first["wall"],
            "briefing_share": timings.get("briefing", 0.0) / first["wall"], "ari": ari,
             "same": None, "cpu": first["cpu"], "floor_cpu": floor["cpu"],
             "cpu_ratio": first["cpu"] / floor["cpu"], "rerun_cpu": again["cpu"],
             "rerun_fit": again.get("fit", "")}, *extra]


def print_table(rows: list[dict[str, Any]]) -> None:
    head = (f"{'units':>7} {'backend':>7} " + " ".join(f"{s:>8}" for s in STEPS)
            + f" {'total':>8} {'RSS MB':>7} {'floor':>7} {'fl. MB':>6} {'ratio':>6} {'re-run':>7}"
            f" {'re/1st':>6} {'brief%':>6} {'ARI':>6} {'same':>5}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['n']:>7} {r['backend']:>7} " + " ".join(f"{r[s]:>8.1f}" for s in STEPS)
              + f" {r['total']:>8.1f} {r['rss_mb']:>7.0f} {r['floor']:>7.1f} {r['floor_rss_mb']:>6.0f}"
              f" {r['ratio']:>6.2f}"
              f" {r['rerun']:>7.1f} {r['rerun_share']:>6.0%} {r['briefing_share']:>6.1%}"
              f" {r['ari']:>6.3f} {'' if r['same'] is None else str(r['same']):>5}")
    print(f"\n{'units':>7} {'backend':>7} {'CPU s':>8} {'floor CPU':>9} {'CPU ratio':>9}"
          f" {'re-run CPU':>10} {'re-run/1st CPU':>14} {'re-run themes':>13}")
    for r in rows:
        print(f"{r['n']:>7} {r['backend']:>7} {r['cpu']:>8.1f} {r['floor_cpu']:>9.1f}"
              f" {r['cpu_ratio']:>9.2f} {r['rerun_cpu']:>10.1f}"
              f" {r['rerun_cpu'] / r['cpu']:>14.0%} {r['rerun_fit'] or '-':>13}")
    print("\nseconds of wall time; RSS: peak resident memory of the analysing process; floor: "
          "load MiniLM + embed the same texts, no cache; ratio: total / floor; re-run: same "
          "cache, nothing embedded again (re-run themes: 'reused' when the fitted themes were "
          "read from the cache, see listenlens.themes.fit_cache); ARI against the planted themes; "
          "same: the Dask run's "
          "assignments equal the single-process run's. CPU: user + system seconds of the analysing "
          "process (the Dask row: the client's only), robust to other work on the machine.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--backend", choices=["onnx", "torch"],
                        help="embedding backend (default: listenlens's default)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dask", action="store_true",
                        help="add a row per size on a local Dask cluster")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (with --dask)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        answer, kind, *rest = args.child
        if kind == "floor":
            data = child_floor(Path(rest[0]))
        elif kind == "dask":
            data = child_analyse_dask(Path(rest[0]), Path(rest[1]), Path(rest[2]), int(rest[3]))
        else:
            data = child_analyse(Path(rest[0]), Path(rest[1]), Path(rest[2]))
        Path(answer).write_text(json.dumps(data), encoding="utf-8")
        return
    if args.backend:
        os.environ["LISTENLENS_EMBEDDING_BACKEND"] = args.backend
    sys.path.insert(0, str(PROJECT / "src"))
    from listenlens.synthetic import make_corpus

    warm = CACHE / "scale-100-0"
    if not (warm / "events.csv").is_file():
        make_corpus(warm, n_units=100, seed=0)
    run_child(["floor", str(warm)])  # exports the ONNX model once, outside every timed run
    rows = []
    for n in args.sizes:
        rows.extend(one_size(n, args.seed, args.workers if args.dask else 0))
        print(f"(done: {n} units)", file=sys.stderr, flush=True)
    print_table(rows)


if __name__ == "__main__":
    main()
