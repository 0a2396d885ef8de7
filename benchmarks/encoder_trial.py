"""Does a stronger sentence encoder give themes closer to the concerns people raised? (issue 12)

Run ``python benchmarks/encoder_trial.py`` (``--model-path FOLDER`` for another local
sentence-transformers model; by default the opt-in all-mpnet-base-v2, 768-d, from
``listenlens[mpnet]``, against the packaged all-MiniLM-L6-v2, 384-d; output of the trial in
``docs/methods.md``: ``benchmarks/data/encoder_trial.txt``, and with the speaker term in the
default fit, ``benchmarks/data/encoder_trial_speaker.txt``). The default theme fit runs unchanged (nothing
retuned for the other encoder) on the development corpora only: the bundled Riverside example,
the synthetic generator with conversation runs and without structure (1,000 units, seed 0) and
BANKING77's test split (shuffled), over ``--seeds`` (default 0,1,2). Printed per corpus and
encoder: theme and sub-theme ARI (mean over seeds, and each seed), number of themes, share
unassigned, top five themes at least 70% one concern; then the encoding cost of the same 500
texts with each encoder, in the same run (``--cost-only N``: only that, on N texts, median of
three alternating rounds, with the ONNX backend of the second encoder as well; ``--concat``: also
both encoders side by side, measured and not adopted). Saltmere is held out and only read with ``--saltmere``.
Not a timed test.
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

import listenlens as ll  # noqa: E402
from listenlens.embeddings import EmbeddingCache, MiniLMEmbedder  # noqa: E402
from listenlens.encoders import encoder_path  # noqa: E402


def synthetic(structure: str) -> bench.Case:
    """The generator's corpus with conversation runs or with independent answers."""
    from listenlens.synthetic import make_corpus

    root = bench.CACHE / f"synthetic-{structure}-1000-0"
    if not (root / "events.csv").is_file():
        make_corpus(root, n_units=1000, seed=0, structure=structure)
    corpus = ll.load(root, progress=False)
    key = pd.read_csv(root / "_key" / "themes.csv")
    return bench.Case(f"synthetic {structure}", corpus, bench._truth_from_key(corpus, key), {})


def cases(saltmere: bool) -> list[bench.Case]:
    found = [bench.example_case(), synthetic("runs"), synthetic("independent"),
             bench.banking_case("auto")]
    if saltmere:
        found.append(bench.saltmere_case())
    return [c for c in found if c is not None]


def scored(case: bench.Case, encoder: MiniLMEmbedder, seeds: list[int]) -> dict[str, Any]:
    """Mean (and per-seed) scores of the default fit on ``encoder``'s cached vectors."""
    texts = [u.text for u in case.corpus.unit_records]
    x = EmbeddingCache(bench.CACHE / "embeddings").encode(encoder, texts)
    rows = []
    for seed in seeds:
        result = bench.run_listenlens(case, x, encoder, seed)
        s = bench.score(case, result)
        pure = bench.top_five_purity(case, result["themes"])
        s["top5"] = sum(share >= 0.7 for _, share, _ in pure)
        rows.append(s)
    df = pd.DataFrame(rows)
    return {"ARI": df.ARI.mean(), "ARI_sub": df.ARI_sub.mean(),
            "per_seed": " ".join(f"{v:.3f}" for v in df.ARI),
            "themes": df.n_themes.mean(), "unassigned": df.unassigned.mean(),
            "top5": df.top5.mean(), "fit_s": df.wall_s.mean()}


class Concatenated:
    """Two encoders side by side: ``[a, b] / sqrt(2)`` of unit rows (a cosine is the mean of
    the two encoders' cosines); its vectors are cached under its own name."""

    def __init__(self, a: MiniLMEmbedder, b: MiniLMEmbedder):
        self.a, self.b = a, b
        self.name = f"concat({a.name},{b.name})"
        self.dim = a.dim + b.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        cache = EmbeddingCache(bench.CACHE / "embeddings")
        xa, xb = cache.encode(self.a, list(texts)), cache.encode(self.b, list(texts))
        return (np.hstack([xa, xb]) / np.sqrt(2.0)).astype(np.float32)


def encoding_cost(encoders: dict[str, MiniLMEmbedder], texts: list[str], rounds: int = 1
                  ) -> dict[str, float]:
    """Median seconds to encode ``texts`` with each encoder (models loaded first, no cache;
    the encoders alternate round by round so other load falls on both alike)."""
    times: dict[str, list[float]] = {name: [] for name in encoders}
    for enc in encoders.values():
        enc.encode(texts[:8])
    for _ in range(rounds):
        for name, enc in encoders.items():
            t = time.perf_counter()
            enc.encode(texts)
            times[name].append(time.perf_counter() - t)
    return {name: float(np.median(v)) for name, v in times.items()}


def print_cost(encoders: dict[str, MiniLMEmbedder], texts: list[str], rounds: int) -> None:
    cost = encoding_cost(encoders, texts, rounds)
    base = cost["MiniLM-L6"]
    for name, s in cost.items():
        print(f"encoding {len(texts)} texts (median of {rounds}): {name:<24} {s:6.1f} s "
              f"({s / base:.1f}x MiniLM)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-path", help="a local sentence-transformers folder (default: the "
                                          "opt-in mpnet encoder, joined by listenlens.encoders)")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--saltmere", action="store_true", help="also score held-out Saltmere")
    ap.add_argument("--concat", action="store_true",
                    help="also score both encoders concatenated (trial 2 in docs/methods.md)")
    ap.add_argument("--cost-only", type=int, metavar="N",
                    help="only time encoding N Riverside texts (3 alternating rounds), also "
                         "on the ONNX backend")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.model_path is None:
        args.model_path = str(encoder_path("mpnet", bench.CACHE))
    encoders = {"MiniLM-L6": MiniLMEmbedder(progress=False, backend="torch"),
                Path(args.model_path).name: MiniLMEmbedder(args.model_path, progress=False,
                                                           backend="torch")}
    if args.cost_only:
        texts = [u.text for u in bench.example_case().corpus.unit_records][:args.cost_only]
        encoders[f"{Path(args.model_path).name}+onnx"] = MiniLMEmbedder(
            args.model_path, progress=False, backend="onnx", cache_dir=bench.CACHE)
        print_cost(encoders, texts, rounds=3)
        return 0
    if args.concat:
        minilm, other = list(encoders.values())
        encoders["concatenated"] = Concatenated(minilm, other)
    table = []
    all_cases = cases(args.saltmere)
    for case in all_cases:
        for name, enc in encoders.items():
            row = {"corpus": case.name, "encoder": name, **scored(case, enc, seeds)}
            table.append(row)
            print(f"{row['corpus']:<26} {name:<18} ARI {row['ARI']:.3f} ({row['per_seed']}) "
                  f"sub {row['ARI_sub']:.3f} themes {row['themes']:.1f} "
                  f"unassigned {row['unassigned']:.3f} top5 {row['top5']:.1f}", flush=True)
    df = pd.DataFrame(table)
    with pd.option_context("display.width", 200, "display.precision", 3):
        print(df.to_string(index=False))
    timed = {k: v for k, v in encoders.items() if isinstance(v, MiniLMEmbedder)}
    print_cost(timed, [u.text for u in all_cases[0].corpus.unit_records][:500], rounds=1)
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
