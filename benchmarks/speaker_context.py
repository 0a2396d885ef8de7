"""Speaker context on and off: the default theme fit with and without each turn leaning towards
its speaker's other turns at the event (issue 12; ``listenlens.themes.speakers``).

Run ``python benchmarks/speaker_context.py`` (``--seeds`` default 0,1,2; output in
``benchmarks/data/speaker_context.txt``). The fit is ``benchmarks/themes.py``'s (MiniLM vectors
cached, the library's defaults) with ``speaker_context=True`` (the default) and ``False``, on the
development corpora (the bundled Riverside example, the synthetic generator with conversation
runs and without structure, 1,000 units, seed 0, and BANKING77's test split, shuffled) and, with
``--saltmere``, on held-out Saltmere. Printed per corpus: the speaker test's z and whether the term
was used, theme and sub-theme ARI (mean over seeds and each seed), themes, share unassigned, how
many of the briefing's five largest themes are at least 70% one concern, and the fit's seconds.
Not a timed test.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import themes as bench  # noqa: E402  (benchmarks/themes.py: corpora, fit and scoring)
from encoder_trial import cases  # noqa: E402  (the same development corpora)

from listenlens.embeddings import MiniLMEmbedder  # noqa: E402


def scored(case: bench.Case, minilm: MiniLMEmbedder, seeds: list[int]) -> dict[str, Any]:
    """Mean (and per-seed) scores of the fit with ``case.params`` over ``seeds``."""
    x = bench.embeddings_for(case, minilm)
    rows, used = [], {}
    for seed in seeds:
        result = bench.run_listenlens(case, x, minilm, seed)
        s = bench.score(case, result)
        s["top5"] = sum(share >= 0.7 for _, share, _ in
                        bench.top_five_purity(case, result["themes"]))
        used = result["themes"].params["context_used"]
        rows.append(s)
    df = pd.DataFrame(rows)
    z = used.get("z_speaker")
    return {"z_speaker": float("nan") if z is None else z, "w_speaker": used.get("w_speaker"),
            "ARI": df.ARI.mean(), "ARI_sub": df.ARI_sub.mean(),
            "per_seed": " ".join(f"{v:.3f}" for v in df.ARI),
            "per_seed_sub": " ".join(f"{v:.3f}" for v in df.ARI_sub),
            "themes": df.n_themes.mean(), "unassigned": df.unassigned.mean(),
            "top5": df.top5.mean(), "fit_s": df.wall_s.mean()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--saltmere", action="store_true", help="also score held-out Saltmere")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    minilm = MiniLMEmbedder(progress=False)
    table = []
    for case in cases(args.saltmere):
        for on in (False, True):
            variant = replace(case, params={**case.params, "speaker_context": on})
            row = {"corpus": case.name, "speaker": "on" if on else "off",
                   **scored(variant, minilm, seeds)}
            table.append(row)
            print(f"{row['corpus']:<26} speaker {row['speaker']:<3} z {row['z_speaker']:6.2f} "
                  f"w {row['w_speaker']} ARI {row['ARI']:.3f} ({row['per_seed']}) sub "
                  f"{row['ARI_sub']:.3f} ({row['per_seed_sub']}) themes {row['themes']:.1f} "
                  f"unassigned {row['unassigned']:.3f} top5 {row['top5']:.1f} "
                  f"fit {row['fit_s']:.1f} s", flush=True)
    with pd.option_context("display.width", 220, "display.precision", 3):
        print(pd.DataFrame(table).to_string(index=False))
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
