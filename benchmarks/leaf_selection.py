"""Fine clusters from HDBSCAN's leaves instead of its excess-of-mass selection (issue 12, trial
13): the default fit against ``cluster_selection_method="leaf"`` under ``granularity="auto"``.

Run ``python benchmarks/leaf_selection.py`` (``--seeds`` default 0,1,2; ``--variants`` default
``default,L1,L2``; ``--saltmere`` and ``--brackenfold`` add those corpora; output in
``benchmarks/data/leaf_selection.txt``). Variants: ``L1``, leaf selection with the default
``min_cluster_size``; ``L2``, leaf selection with twice the default's resolved
``min_cluster_size`` for that corpus. Printed per corpus and variant: theme and sub-theme ARI (mean
over the seeds and each seed), the fine clusters' purity and oracle ARI
(``benchmarks/themes_ceiling.py``), themes, sub-themes, share unassigned, how many of the
briefing's five largest themes are at least 70% one concern, and the fit's seconds. Not a timed
test.
"""

from __future__ import annotations

import argparse
import sys
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


def variant_params(name: str, default_size: int) -> dict[str, Any]:
    if name == "default":
        return {}
    if name == "L1":
        return {"cluster_selection_method": "leaf"}
    if name == "L2":
        return {"cluster_selection_method": "leaf", "min_theme_size": 2 * default_size}
    raise ValueError(f"unknown variant {name!r}")


def one_fit(case: bench.Case, x: np.ndarray, minilm: MiniLMEmbedder, seed: int,
            params: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    run = bench.Case(case.name, case.corpus, case.truth, {**case.params, **params})
    result = bench.run_listenlens(run, x, minilm, seed)
    s = bench.score(run, result)
    s["top5"] = sum(share >= 0.7 for _, share, _ in bench.top_five_purity(run, result["themes"]))
    rows, concern = keyed(case)
    ids = [case.corpus.unit_records[i].unit_id for i in rows]
    themes = result["themes"]
    sub = themes.subtheme_of().fillna(themes.primary()).reindex(ids).to_numpy()
    s["purity"], s["oracle"] = fine_cluster_scores(sub, concern)
    return s, themes


def scored(case: bench.Case, minilm: MiniLMEmbedder, seeds: list[int], variant: str
           ) -> dict[str, Any]:
    x = bench.embeddings_for(case, minilm)
    size = 0
    if variant == "L2":  # the default's size depends on the corpus, not on the seed
        _, base = one_fit(case, x, minilm, seeds[0], {})
        size = int(base.params["resolved"]["min_cluster_size"])
    rows = [one_fit(case, x, minilm, seed, variant_params(variant, size))[0] for seed in seeds]
    df = pd.DataFrame(rows)
    return {"corpus": case.name, "variant": variant, "ARI": df.ARI.mean(),
            "ARI_sub": df.ARI_sub.mean(),
            "per_seed": " ".join(f"{v:.3f}" for v in df.ARI),
            "per_seed_sub": " ".join(f"{v:.3f}" for v in df.ARI_sub),
            "purity": df.purity.mean(), "oracle": df.oracle.mean(),
            "themes": df.n_themes.mean(), "subthemes": df.n_sub.mean(),
            "unassigned": df.unassigned.mean(), "top5": df.top5.mean(), "fit_s": df.wall_s.mean()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--variants", default="default,L1,L2")
    ap.add_argument("--saltmere", action="store_true")
    ap.add_argument("--brackenfold", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated corpus names to keep")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    minilm = MiniLMEmbedder(progress=False)
    found = cases(args.saltmere) + ([bench.brackenfold_case()] if args.brackenfold else [])
    keep = [c for c in found if c is not None
            and (not args.only or any(o in c.name for o in args.only.split(",")))]
    table = []
    for case in keep:
        for variant in args.variants.split(","):
            row = scored(case, minilm, seeds, variant)
            table.append(row)
            print(f"{row['corpus']:<24} {variant:<8} ARI {row['ARI']:.3f} ({row['per_seed']}) "
                  f"sub {row['ARI_sub']:.3f} ({row['per_seed_sub']}) purity {row['purity']:.3f} "
                  f"oracle {row['oracle']:.3f} themes {row['themes']:.1f} sub-themes "
                  f"{row['subthemes']:.1f} unassigned {row['unassigned']:.3f} top5 "
                  f"{row['top5']:.1f} fit {row['fit_s']:.1f} s", flush=True)
    with pd.option_context("display.width", 240, "display.precision", 3):
        print(pd.DataFrame(table).to_string(index=False))
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
