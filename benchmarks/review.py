"""Review-loop benchmark: a simulated reviewer answering from the key.

Run ``python benchmarks/review.py`` (``--rounds N``, default 10). Corpora, side by side:

* **development** (the loop's settings were chosen on these): ``corpora/examples/riverside`` and
  three synthetic conversation corpora, ``listenlens.synthetic.make_corpus(structure="runs",
  n_units=1000, seed=1, 2, 3)`` in txt/vtt/srt/md, written under the cache folder (their key is
  ``_key/themes.csv``, read like the example corpora's);
* **held out** (measured, never tuned on): ``corpora/examples/saltmere`` and, from 2026-12-03,
  ``corpora/examples/brackenfold`` (written and labelled that day before any measurement).

A corpus that is not there is skipped and said so. For each, it fits themes with the defaults (MiniLM; embeddings cached under
``$LISTENLENS_CACHE`` or ``benchmarks/.cache``), then plays rounds of 25 answers:

* **margin**: the units of ``themes.review_queue(25)`` (every unreviewed theme first, then the
  smallest margin between the model's top two themes);
* **random**: 25 undecided substantive units drawn at random (seeded).

The simulated reviewer answers each unit with its key theme (a new name the first time, which
creates a theme). After every round it scores Cohen's kappa of the **whole** coding (every unit
the key says is substantive; a unit left in housekeeping or unassigned counts as wrong) against
the key (``margin_without_set_aside``: the same, leaving out the units discovery set aside as
facilitator housekeeping, which the review does not re-code). It prints the learning curves, the units reviewed (and share of substantive units) at
which kappa first reaches 0.8, the time of one review round (25 answers -> re-coded themes), and
one honest-check run: the reviewer also codes the 60-unit check sample, and the check-sample kappa
is printed next to the whole-coding kappa it estimates. The curves are drawn to
``docs/img/review_curve.png``. Not a timed test.

``--graph-sizes 1400,5000,20000`` (``--graph-only`` skips the curves) prints the CPU seconds of
one review round (25 answers re-coded, then the next queue of 25) on synthetic conversation
corpora of those sizes, with the unit graph built once per session (now) against built on every
re-coding and queue (before; :func:`~listenlens.themes.review.forget_graphs` before each call),
measured in the same run, paired, the best of ``--repeats``. These rows embed with the hashing
embedder at MiniLM's 384 dimensions (the graph costs the same per dimension; no model run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("LISTENLENS_PROGRESS", "0")
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT / "src"))

import listenlens as ll  # noqa: E402
from listenlens.themes import HOUSEKEEPING, ThemeModel, Themes  # noqa: E402
from listenlens.themes.review import agreement_sentence, cohen_kappa  # noqa: E402

ROUND = 25
TARGET_KAPPA = 0.8
TARGET_SHARE = 0.15


#: (name, role): the corpora the loop was developed on, then the one held out.
CORPORA = (("riverside", "dev"), ("synthetic-1", "dev"), ("synthetic-2", "dev"),
           ("synthetic-3", "dev"), ("saltmere", "held out"), ("brackenfold", "held out"))
SYNTHETIC_UNITS = 1000


def synthetic_root(name: str, cache: Path) -> Path:
    """The synthetic development corpus ``synthetic-<seed>``, written once under ``cache``
    (the same seed writes the same bytes)."""
    from listenlens.synthetic import make_corpus

    seed = int(name.rsplit("-", 1)[1])
    root = cache / "review-dev" / f"{name}-{SYNTHETIC_UNITS}"
    if not (root / "_key" / "themes.csv").is_file():
        make_corpus(root, n_units=SYNTHETIC_UNITS, seed=seed, structure="runs",
                    formats=("txt", "vtt", "srt", "md"))
    return root


def corpus_root(name: str) -> Path | None:
    """The corpus folder: this checkout's, else ``$LISTENLENS_EXAMPLES/<name>``."""
    for base in (PROJECT / "corpora" / "examples", Path(os.environ.get("LISTENLENS_EXAMPLES",
                                                                        "/nonexistent"))):
        if (base / name / "_key" / "themes.csv").is_file():
            return base / name
    return None


def truth_of(corpus: ll.Corpus, root: Path) -> pd.Series:
    key = pd.read_csv(root / "_key" / "themes.csv")[["source", "line", "theme"]]
    merged = corpus.units[["unit_id", "source", "line"]].merge(key, on=["source", "line"],
                                                               how="left")
    return merged.set_index("unit_id")["theme"].fillna("?")


def coded(themes: Themes) -> pd.Series:
    """The label of every unit's primary theme (``housekeeping`` for housekeeping)."""
    prim = themes.primary()
    names = {t: ("housekeeping" if t == HOUSEKEEPING else themes.label(t))
             for t in prim.unique()}
    return prim.map(names)


def whole_kappa(themes: Themes, truth: pd.Series, *, aside: bool = True) -> float:
    """Kappa over every unit the key calls substantive; ``aside=False`` leaves out the units
    discovery set aside as housekeeping (the review never re-codes those)."""
    sub = truth[(truth != "housekeeping") & (truth != "?")]
    if not aside:
        sub = sub[themes.primary().reindex(sub.index) != HOUSEKEEPING]
    return cohen_kappa(sub.tolist(), coded(themes).reindex(sub.index).tolist())


def answer(truth: pd.Series, units: list[str]) -> dict[str, str]:
    return {u: ("Facilitator housekeeping" if truth[u] == "housekeeping" else truth[u])
            for u in units if truth[u] != "?"}


def curve(themes: Themes, truth: pd.Series, strategy: str, rounds: int, seed: int = 0
          ) -> tuple[list[tuple[int, float, float]], list[tuple[float, float]]]:
    rng = np.random.default_rng(seed)
    points = [(0, whole_kappa(themes, truth), whole_kappa(themes, truth, aside=False))]
    times = []
    reviewed: set[str] = set()
    substantive = [u for u, t in themes.primary().items() if t != HOUSEKEEPING]
    for _ in range(rounds):
        if strategy == "margin":
            picks = themes.review_queue(ROUND, check_size=0)["unit_id"].tolist()
        else:
            pool = [u for u in substantive if u not in reviewed]
            picks = [pool[i] for i in sorted(rng.choice(len(pool), ROUND, replace=False))]
        reviewed.update(picks)
        t, c = time.perf_counter(), time.process_time()
        themes = themes.review(answer(truth, picks), who="key", check_size=0)
        times.append((time.perf_counter() - t, time.process_time() - c))
        points.append((len(reviewed), whole_kappa(themes, truth),
                       whole_kappa(themes, truth, aside=False)))
    return points, times


def check_run(themes: Themes, truth: pd.Series, rounds: int) -> tuple[dict, float]:
    """Margin rounds after the reviewer has also coded the default check sample."""
    sample = themes.check_sample()["unit_id"].tolist()
    first = themes.review_queue(ROUND)["unit_id"].tolist()
    themes = themes.review(answer(truth, first + sample), who="key")
    for _ in range(rounds - 1):
        picks = themes.review_queue(ROUND)["unit_id"].tolist()
        themes = themes.review(answer(truth, picks), who="key")
    return themes.agreement or {}, whole_kappa(themes, truth)


def plot(results: dict[str, dict[str, list[tuple[int, float, float]]]], n_sub: dict[str, int],
         roles: dict[str, str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = min(3, len(results))
    rows = -(-len(results) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 4 * rows), squeeze=False)
    for ax in axes.ravel()[len(results):]:
        ax.set_visible(False)
    for ax, (name, curves) in zip(axes.ravel(), results.items()):
        for strategy, style in (("margin", "-o"), ("random", "--s")):
            xs = [100 * p[0] / n_sub[name] for p in curves[strategy]]
            ax.plot(xs, [p[1] for p in curves[strategy]], style, ms=3,
                    label="least sure first" if strategy == "margin" else "random picks")
        ax.axhline(TARGET_KAPPA, color="grey", lw=0.8, ls=":")
        ax.axvline(100 * TARGET_SHARE, color="grey", lw=0.8, ls=":")
        ax.set_title(f"{name}, {roles[name]} ({n_sub[name]} substantive units)")
        ax.set_xlabel("units reviewed (% of substantive units)")
        ax.set_ylabel("Cohen's kappa of the whole coding vs the key")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _round_cpu(themes: Themes, truth: pd.Series, picks: list[str], fresh: bool) -> float:
    """CPU seconds of one round: the answers re-coded, then the next queue; ``fresh`` drops the
    session's unit graph before each call (what every call did before the graph was kept)."""
    from listenlens.themes.review import forget_graphs

    start = time.process_time()
    if fresh:
        forget_graphs()
    after = themes.review(answer(truth, picks), who="key", check_size=0)
    if fresh:
        forget_graphs()
    after.review_queue(ROUND, check_size=0)
    return time.process_time() - start


def graph_rows(sizes: list[int], cache: Path, seed: int, repeats: int) -> None:
    """Review-round CPU with the unit graph kept for the session against rebuilt per call."""
    from listenlens.embeddings import HashingEmbedder
    from listenlens.synthetic import make_corpus
    from listenlens.themes.review import forget_graphs

    rows = []
    for n in sizes:
        root = cache / "review-graph" / f"runs-{n}"
        if not (root / "_key" / "themes.csv").is_file():
            make_corpus(root, n_units=n, seed=1, structure="runs")
        corpus = ll.load(root, progress=False)
        truth = truth_of(corpus, root)
        themes = ThemeModel(seed=seed, embedder=HashingEmbedder(dim=384)).fit(corpus).themes_
        first = themes.review_queue(ROUND, check_size=0)["unit_id"].tolist()
        themes = themes.review(answer(truth, first), who="key", check_size=0)
        picks = themes.review_queue(ROUND, check_size=0)["unit_id"].tolist()
        before, now = [], []
        for _ in range(repeats):  # paired: before, then now, on the same themes
            before.append(_round_cpu(themes, truth, picks, fresh=True))
            forget_graphs()
            _round_cpu(themes, truth, picks, fresh=False)  # the session's first round builds it
            now.append(_round_cpu(themes, truth, picks, fresh=False))
        rows.append({"units": len(corpus), "round CPU before (s)": round(min(before), 2),
                     "round CPU now (s)": round(min(now), 2),
                     "now / before": round(min(now) / min(before), 3)})
        print(rows[-1], flush=True)
    print("\nreview round, unit graph kept for the session vs rebuilt per call (CPU seconds, "
          f"best of {repeats}; load average {os.getloadavg()[0]:.1f}):")
    print(pd.DataFrame(rows).to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--plot", default=str(PROJECT / "docs" / "img" / "review_curve.png"))
    ap.add_argument("--graph-sizes", default="",
                    help="comma-separated corpus sizes for the unit-graph rows (empty: none)")
    ap.add_argument("--graph-only", action="store_true", help="only the unit-graph rows")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args(argv)
    cache = Path(os.environ.get("LISTENLENS_CACHE", HERE / ".cache"))
    if args.graph_sizes:
        graph_rows([int(v) for v in args.graph_sizes.split(",")], cache, args.seed,
                   args.repeats)
    if args.graph_only:
        return 0
    results: dict[str, dict[str, list[tuple[int, float, float]]]] = {}
    n_sub: dict[str, int] = {}
    met = []
    roles = dict(CORPORA)
    summary = []
    for name, role in CORPORA:
        root = (synthetic_root(name, cache) if name.startswith("synthetic-")
                else corpus_root(name))
        if root is None:
            print(f"(skipped: corpora/examples/{name} with _key/themes.csv not found)")
            continue
        corpus = ll.load(root, progress=False)
        truth = truth_of(corpus, root)
        themes = ThemeModel(seed=args.seed, cache_dir=cache).fit(corpus).themes_
        n_sub[name] = int(((truth != "housekeeping") & (truth != "?")).sum())
        results[name] = {}
        times: list[tuple[float, float]] = []
        for strategy in ("margin", "random"):
            points, t = curve(themes, truth, strategy, args.rounds, args.seed)
            results[name][strategy] = points
            times += t
        aside = int((themes.primary().reindex(truth.index)[(truth != "housekeeping")
                                                           & (truth != "?")]
                     == HOUSEKEEPING).sum())
        print(f"\n== {name} ({role}): {len(corpus)} units, {n_sub[name]} substantive by the key "
              f"({aside} of them set aside as housekeeping by discovery), "
              f"{len(themes.table)} themes found; rounds of {ROUND}")
        rows = [{"reviewed": n, "share": f"{n / n_sub[name]:.1%}", "kappa_margin": round(k, 3),
                 "kappa_random": round(results[name]["random"][i][1], 3),
                 "margin_without_set_aside": round(k2, 3)}
                for i, (n, k, k2) in enumerate(results[name]["margin"])]
        print(pd.DataFrame(rows).to_string(index=False))
        reach = next((n for n, k, _ in results[name]["margin"] if k >= TARGET_KAPPA), None)
        ok = reach is not None and reach / n_sub[name] <= TARGET_SHARE
        met.append(ok)
        at = {n: k for n, k, _ in results[name]["margin"]}
        summary.append({"corpus": name, "role": role, "substantive": n_sub[name],
                        **{f"k@{n}": round(at[n], 3) for n in (100, 125, 150) if n in at},
                        "first >= 0.8": (f"{reach / n_sub[name]:.1%}" if reach is not None
                                         else "-"), "target": "MET" if ok else "NOT MET"})
        print(f"kappa >= {TARGET_KAPPA} first after "
              + (f"{reach} units ({reach / n_sub[name]:.1%})" if reach is not None
                 else "(not reached)") + f": {'MET' if ok else 'NOT MET'} (target <= "
              f"{TARGET_SHARE:.0%})")
        wall, cpu = np.array(times).T
        print(f"review round ({ROUND} answers -> re-coded themes, {len(corpus)} units): wall "
              f"median {np.median(wall):.2f} s (max {wall.max():.2f}); CPU median "
              f"{np.median(cpu):.2f} s (max {cpu.max():.2f}); load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        rec, whole = check_run(themes, truth, args.rounds)
        print(f"with the 60-unit check sample coded too: {agreement_sentence(rec)} "
              f"Whole-coding kappa against the key at that point: {whole:.2f}.")
    if summary:
        print("\n" + pd.DataFrame(summary).to_string(index=False))
    if results:
        plot(results, n_sub, roles, Path(args.plot))
        print(f"\nplot: {args.plot}")
    print(f"target kappa >= {TARGET_KAPPA} within {TARGET_SHARE:.0%}: "
          + ("met on every corpus" if met and all(met) else "NOT met on every corpus"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
