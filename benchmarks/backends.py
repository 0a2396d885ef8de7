"""Embedding backends compared: do ONNX Runtime vectors give the themes PyTorch vectors give?

Run ``python benchmarks/backends.py`` (``--seeds 0 1 2`` by default; ``--corpora`` to choose
among ``riverside``, ``saltmere``, ``banking77``; BANKING77 is read from
``$LISTENLENS_SHARED/corpora/banking77/test.csv`` and shuffled as in ``benchmarks/themes.py``).

For every corpus it embeds the units with both backends of the packaged MiniLM (through one
embedding cache, so a re-run only fits), reports the largest absolute difference of any
coordinate and the smallest cosine between a text's two vectors, the embedding time of each
backend (CPU seconds of this process; the machine may be loaded), and fits the themes with the
default settings at every seed with each backend's vectors. The table gives the adjusted Rand
index against the corpus key per seed, the mean and standard deviation per backend, and the
mean paired difference (ONNX minus PyTorch, same seed). Not a timed test.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("LISTENLENS_PROGRESS", "0")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import numpy as np  # noqa: E402

from listenlens.embeddings import EmbeddingCache, MiniLMEmbedder  # noqa: E402
from listenlens.themes import ThemeModel  # noqa: E402


def _cases_module() -> Any:
    """``benchmarks/themes.py`` (its corpus loaders and scoring), imported by path."""
    spec = importlib.util.spec_from_file_location("bench_themes", HERE / "themes.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["bench_themes"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def cases(names: list[str]) -> list[Any]:
    bench = _cases_module()
    make = {"riverside": bench.example_case, "saltmere": bench.saltmere_case,
            "banking77": lambda: bench.banking_case("auto")}
    return [c for c in (make[n]() for n in names) if c is not None]


def vectors(case: Any, backend: str, cache: EmbeddingCache) -> tuple[np.ndarray, float]:
    """The corpus's vectors with one backend, and the CPU seconds spent computing them."""
    emb = MiniLMEmbedder(backend=backend, progress=False, cache_dir=cache.directory.parent)
    texts = [u.text for u in case.corpus.unit_records]
    t = time.process_time()
    x = cache.encode(emb, texts)
    return x, time.process_time() - t


def fit_ari(case: Any, backend: str, cache_dir: Path, seed: int) -> float:
    from sklearn.metrics import adjusted_rand_score

    emb = MiniLMEmbedder(backend=backend, progress=False, cache_dir=cache_dir)
    themes = ThemeModel(seed=seed, embedder=emb, cache_dir=cache_dir, progress=False,
                        **case.params).fit(case.corpus).themes_
    truth = case.truth.reindex([u.unit_id for u in case.corpus.unit_records]).to_numpy()
    keep = (truth != "housekeeping") & (truth != "?")
    return float(adjusted_rand_score(truth[keep], themes.primary().to_numpy()[keep]))


def run(case: Any, seeds: list[int], cache_dir: Path) -> dict[str, Any]:
    cache = EmbeddingCache(cache_dir / "embeddings")
    xt, cpu_t = vectors(case, "torch", cache)
    xo, cpu_o = vectors(case, "onnx", cache)
    row: dict[str, Any] = {"corpus": case.name, "n": len(xt),
                           "max_abs_diff": float(np.abs(xt - xo).max()),
                           "min_cosine": float((xt * xo).sum(axis=1)[
                               np.linalg.norm(xt, axis=1) > 0].min()),
                           "embed_cpu_torch": cpu_t, "embed_cpu_onnx": cpu_o}
    for backend in ("torch", "onnx"):
        row[backend] = [fit_ari(case, backend, cache_dir, s) for s in seeds]
        print(json.dumps({"corpus": case.name, "backend": backend, "ari": row[backend]}),
              flush=True)
    diff = np.array(row["onnx"]) - np.array(row["torch"])
    row["paired_diff_mean"], row["paired_diff_sd"] = float(diff.mean()), float(diff.std(ddof=1))
    return row


def table(rows: list[dict[str, Any]], seeds: list[int]) -> str:
    head = ("corpus", "n", "max|dx|", "min cos", "torch ARI mean±sd", "onnx ARI mean±sd",
            "onnx-torch", "per seed (torch/onnx)", "embed CPU s torch/onnx")
    lines = [" | ".join(head)]
    for r in rows:
        t, o = np.array(r["torch"]), np.array(r["onnx"])
        per = ", ".join(f"{s}: {a:.3f}/{b:.3f}" for s, a, b in zip(seeds, t, o))
        lines.append(" | ".join([
            r["corpus"], str(r["n"]), f"{r['max_abs_diff']:.1e}", f"{r['min_cosine']:.6f}",
            f"{t.mean():.3f}±{t.std(ddof=1):.3f}", f"{o.mean():.3f}±{o.std(ddof=1):.3f}",
            f"{r['paired_diff_mean']:+.3f}±{r['paired_diff_sd']:.3f}", per,
            f"{r['embed_cpu_torch']:.1f}/{r['embed_cpu_onnx']:.1f}"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--corpora", nargs="+", default=["riverside", "saltmere", "banking77"],
                        choices=["riverside", "saltmere", "banking77"])
    parser.add_argument("--cache", type=Path, default=HERE / ".cache" / "backends",
                        help="embedding cache and the ONNX export (default: benchmarks/.cache)")
    args = parser.parse_args(argv)
    rows = [run(case, args.seeds, args.cache) for case in cases(args.corpora)]
    print(table(rows, args.seeds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
