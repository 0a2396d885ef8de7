"""Fine clusters from k-means in the clustered space instead of UMAP + HDBSCAN, grouped into
themes as the library does (issue 12, trial 14).

Run ``python benchmarks/kmeans_leaves.py`` (``--seeds`` default 0,1,2; ``--saltmere`` and
``--brackenfold`` add those corpora; output in ``benchmarks/data/kmeans_leaves.txt``). For each
seed the default fit runs first; its clustered vectors (``ThemeModel.context_embeddings_``) of
the emergent units are then split by k-means (``n_init=10``, ``random_state`` the seed) into
``k`` = the number of fine clusters the default found (N1) or twice that (N2), and the k-means
clusters are grouped into themes by :func:`listenlens.themes.discover.group_leaves` with the
fit's settings. Units the default set aside as housekeeping stay so. Printed per corpus and
variant: theme and sub-theme ARI (mean over the seeds and each seed), fine clusters, themes,
the fine clusters' purity and oracle ARI (``benchmarks/themes_ceiling.py``) and the added
seconds. Not a timed test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import themes as bench  # noqa: E402  (benchmarks/themes.py: corpora, fit and scoring)
from encoder_trial import cases  # noqa: E402  (the development corpora)
from themes_ceiling import fine_cluster_scores, keyed  # noqa: E402

from listenlens.embeddings import MiniLMEmbedder  # noqa: E402
from listenlens.themes import ThemeModel  # noqa: E402
from listenlens.themes.discover import GRAPH_NEIGHBOURS, group_leaves  # noqa: E402


def kmeans_labels(z: np.ndarray, emergent: np.ndarray, k: int, seed: int, max_themes: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Fine-cluster and theme label of every row (``-1`` outside ``emergent``)."""
    from sklearn.cluster import KMeans

    leaves = np.full(len(z), -1, dtype=np.int64)
    themes = np.full(len(z), -1, dtype=np.int64)
    v = z[emergent]
    fine = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(v).astype(np.int64)
    group_of, _ = group_leaves(v, fine, max_groups=max_themes, k=GRAPH_NEIGHBOURS, seed=seed)
    leaves[emergent] = fine
    themes[emergent] = group_of[fine]
    return leaves, themes


def one_seed(case: bench.Case, x: np.ndarray, minilm: MiniLMEmbedder, seed: int
             ) -> list[dict[str, Any]]:
    from sklearn.metrics import adjusted_rand_score

    texts = [u.text for u in case.corpus.unit_records]
    model = ThemeModel(seed=seed, embedder=bench.precomputed(minilm, texts, x),
                       **case.params).fit(case.corpus)
    themes = model.themes_
    unit_ids = [u.unit_id for u in case.corpus.unit_records]
    prim = themes.primary().reindex(unit_ids).to_numpy()
    sub = themes.subtheme_of().fillna(themes.primary()).reindex(unit_ids).to_numpy()
    emergent = np.where(prim != "t-housekeeping")[0]
    n_fine = int(themes.params["details"]["n_leaves"])
    rows, concern = keyed(case)
    out = []
    for name, k in (("default", None), ("N1", n_fine), ("N2", 2 * n_fine)):
        t = time.perf_counter()
        if k is None:
            top, fine = prim, sub
        else:
            leaves, groups = kmeans_labels(model.context_embeddings_, emergent, k, seed,
                                           int(themes.params["max_themes"]))
            top = np.where(groups >= 0, np.char.add("g", groups.astype(str)), prim)
            fine = np.where(leaves >= 0, np.char.add("f", leaves.astype(str)), prim)
        purity, oracle = fine_cluster_scores(fine[rows], concern)
        out.append({"variant": name, "seed": seed,
                    "ARI": adjusted_rand_score(concern, top[rows]),
                    "ARI_sub": adjusted_rand_score(concern, fine[rows]),
                    "fine": len(set(fine[emergent].tolist())),
                    "themes": len(set(top[emergent].tolist())),
                    "purity": purity, "oracle": oracle,
                    "unassigned": float(np.mean(top[rows] == "t-unassigned")),
                    "added_s": time.perf_counter() - t})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--saltmere", action="store_true")
    ap.add_argument("--brackenfold", action="store_true")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    minilm = MiniLMEmbedder(progress=False)
    found = cases(args.saltmere) + ([bench.brackenfold_case()] if args.brackenfold else [])
    table = []
    for case in [c for c in found if c is not None]:
        x = bench.embeddings_for(case, minilm)
        runs = pd.DataFrame([r for s in seeds for r in one_seed(case, x, minilm, s)])
        for name, g in runs.groupby("variant", sort=False):
            row = {"corpus": case.name, "variant": name, "ARI": g.ARI.mean(),
                   "ARI_sub": g.ARI_sub.mean(),
                   "per_seed": " ".join(f"{v:.3f}" for v in g.ARI),
                   "fine": g.fine.mean(), "themes": g.themes.mean(), "purity": g.purity.mean(),
                   "oracle": g.oracle.mean(), "unassigned": g.unassigned.mean(),
                   "added_s": g.added_s.mean()}
            table.append(row)
            print(f"{row['corpus']:<24} {name:<8} ARI {row['ARI']:.3f} ({row['per_seed']}) sub "
                  f"{row['ARI_sub']:.3f} fine {row['fine']:.1f} themes {row['themes']:.1f} "
                  f"purity {row['purity']:.3f} oracle {row['oracle']:.3f} unassigned "
                  f"{row['unassigned']:.3f} added {row['added_s']:.1f} s", flush=True)
    with pd.option_context("display.width", 240, "display.precision", 3):
        print(pd.DataFrame(table).to_string(index=False))
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
