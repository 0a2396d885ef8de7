"""How much the sampled path of theme discovery (``listenlens.themes.large``) loses against the
full fit, and where.

Run ``python benchmarks/scale_sampled.py`` (about half an hour of CPU on two cores the first
time: the embeddings and every fit are cached under ``--cache``). It writes the 20,000-unit
synthetic corpus (``make_corpus(n_units=20000, seed=0)``), takes the vectors the clustering of
``find_themes`` sees (MiniLM, housekeeping left out, conversation context as decided for the
corpus, emergent units in unit-id order), and for every seed fits them three ways:

- ``full``: every unit (``large_corpus=None``; the default path at this size);
- ``sampled``: the large-corpus path forced with ``large_corpus=10000`` (a stratified sample of
  ``--sample-size`` units, the rest placed, sub-themes grouped with the placed units' links);
- ``sampled-sample-graph``: the same with ``group_placed=False`` (sub-themes grouped on the
  sample's own neighbour graph, as before the placed units' links were counted).

Fits are kept in the cache by path, seed and sample size: pass ``--fresh`` after changing the
code.

Per seed and path it prints the adjusted Rand index against the planted themes (``ari``; planted
housekeeping left out, unassigned units one cluster), of the sub-themes (``leaf_ari``), of an
oracle grouping (every sub-theme given the planted theme most of its units have:
``oracle_ari``, what a perfect grouping of these sub-themes would reach), the number of themes
and sub-themes, and for the sampled path the ARI on the sampled rows and on the placed rows
alone and against the full fit of the same seed. The table ends with the mean over the seeds,
then each path's agreement between seeds (ARI between the themes of every pair of seeds).
Not a timed test.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

N_UNITS = 20_000
FORCE_SAMPLED = 10_000
#: Paths: the full fit, the sampled path, and the sampled path grouping on the sample's graph
#: alone (``group_placed=False``, the sampled path before the placed units' links were added).
PATHS = ("full", "sampled", "sampled-sample-graph")
#: Fit again instead of reading a fit kept in the cache (``--fresh``).
FRESH = False


def corpus_vectors(cache: Path, seed: int) -> dict[str, np.ndarray]:
    """The clustering input of ``find_themes`` on the 20k corpus at ``seed`` (kept in ``cache``):
    vectors ``z``, event of each row, planted theme of each row (``""`` when none)."""
    path = cache / f"vectors-{N_UNITS}-seed{seed}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    import pandas as pd

    import listenlens as ll
    from listenlens.embeddings import MiniLMEmbedder
    from listenlens.synthetic import make_corpus
    from listenlens.themes.model import ThemeModel, embed_corpus

    folder = cache / f"corpus-{N_UNITS}"
    if not (folder / "_key" / "themes.csv").is_file():
        make_corpus(folder, n_units=N_UNITS, seed=0)
    corpus = ll.load(folder, progress=False)
    embedder = MiniLMEmbedder(progress=False)
    model = ThemeModel(seed=seed, cache_dir=cache, progress=False)
    units = corpus.unit_records
    x = embed_corpus(corpus, embedder, cache)
    # the steps of ThemeModel.fit before clustering (no codebook: every other unit is emergent)
    flags, phrase = model._housekeeping(units, x, embedder)
    z, _, _ = model._context(units, x, flags, embedder, phrase)
    sub = np.where(~flags)[0]
    emergent = sub[np.argsort([units[i].unit_id for i in sub], kind="stable")]
    key = pd.read_csv(folder / "_key" / "themes.csv")
    theme_of = {(str(s), int(n)): str(t) for s, n, t in key[["source", "line", "theme"]]
                .itertuples(index=False)}
    out = {"z": np.ascontiguousarray(z[emergent], dtype=np.float32),
           "events": np.array([units[i].event_id for i in emergent]),
           "truth": np.array([theme_of.get((units[i].source, units[i].line), "")
                              for i in emergent])}
    save(path, out)
    return out


def save(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` (npz) under a temporary name first, so a reader in another
    process never sees half a file."""
    part = path.with_name(path.name + f".{os.getpid()}.part.npz")
    np.savez(part, **arrays)
    os.replace(part, path)


def fit(data: dict[str, np.ndarray], path: str, seed: int, cache: Path,
        sample_size: int) -> dict[str, np.ndarray]:
    """Labels and leaves of one path at one seed (kept in ``cache``), and which rows were
    sampled (all, for the full fit)."""
    from listenlens.themes.large import cluster_units

    name = cache / f"fit-{path}-{sample_size if path != 'full' else 'all'}-seed{seed}.npz"
    if name.is_file() and not FRESH:
        with np.load(name, allow_pickle=False) as saved:
            return {k: saved[k] for k in saved.files}
    large = None if path == "full" else FORCE_SAMPLED
    result = cluster_units(data["z"], strata=data["events"], seed=seed, cache_dir=cache,
                           large_corpus=large, sample_size=sample_size,
                           group_placed=path != "sampled-sample-graph")
    n = len(data["z"])
    in_sample = np.ones(n, dtype=bool)
    if path != "full":
        from listenlens.themes.large import stratified_sample

        in_sample[:] = False
        in_sample[stratified_sample(data["events"], sample_size, seed)] = True
    leaves = result.leaves if result.leaves is not None else result.labels
    out = {"labels": result.labels, "leaves": leaves, "in_sample": in_sample}
    save(name, out)
    return out


def ari(a: np.ndarray, b: np.ndarray) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(a, b))


def oracle_groups(leaves: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Each row's sub-theme replaced by the planted theme most of that sub-theme's rows have
    (unassigned rows stay one cluster)."""
    out = np.full(len(leaves), "-1", dtype=object)
    for leaf in np.unique(leaves[leaves >= 0]):
        rows = leaves == leaf
        names, counts = np.unique(truth[rows], return_counts=True)
        out[rows] = names[np.argmax(counts)]
    return out


def row(data: dict[str, np.ndarray], got: dict[str, np.ndarray], full: dict[str, np.ndarray],
        path: str, seed: int) -> dict[str, Any]:
    keep = (data["truth"] != "") & (data["truth"] != "housekeeping")
    truth, labels, leaves = data["truth"][keep], got["labels"][keep], got["leaves"][keep]
    in_sample = got["in_sample"][keep]
    out = {"path": path, "seed": seed, "ari": ari(truth, labels), "leaf_ari": ari(truth, leaves),
           "oracle_ari": ari(truth, oracle_groups(leaves, truth).astype(str)),
           "themes": len(set(got["labels"].tolist()) - {-1}),
           "leaves": len(set(got["leaves"].tolist()) - {-1}),
           "unassigned": float((got["labels"] < 0).mean())}
    if path != "full":
        out["ari_sampled_rows"] = ari(truth[in_sample], labels[in_sample])
        out["ari_placed_rows"] = ari(truth[~in_sample], labels[~in_sample])
        out["ari_vs_full"] = ari(full["labels"], got["labels"])
    return out


COLUMNS = ("path", "seed", "ari", "leaf_ari", "oracle_ari", "themes", "leaves", "unassigned",
           "ari_sampled_rows", "ari_placed_rows", "ari_vs_full")


def table(rows: list[dict[str, Any]]) -> str:
    def cell(v: Any) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = [" | ".join(COLUMNS)]
    for r in rows:
        lines.append(" | ".join(cell(r.get(c, "")) for c in COLUMNS))
    for path in dict.fromkeys(r["path"] for r in rows):
        mine = [r for r in rows if r["path"] == path]
        mean = {c: float(np.mean([r[c] for r in mine])) for c in COLUMNS[2:] if c in mine[0]}
        worst = min(r["ari"] for r in mine)
        lines.append(" | ".join(cell(mean.get(c, "")) if c not in ("path", "seed") else
                                (path if c == "path" else "mean") for c in COLUMNS)
                     + f"   (worst seed ari {worst:.3f})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--sample-size", type=int, default=12_000)
    parser.add_argument("--paths", nargs="+", default=list(PATHS), choices=PATHS)
    parser.add_argument("--fresh", action="store_true",
                        help="fit again even when a fit of the same path and seed is kept")
    parser.add_argument("--cache", type=Path, default=Path(
        os.environ.get("LISTENLENS_CACHE", Path(__file__).resolve().parent / ".cache"))
        / "sampled")
    args = parser.parse_args()
    global FRESH
    FRESH = bool(args.fresh)
    args.cache.mkdir(parents=True, exist_ok=True)
    rows, fits = [], {}
    for seed in args.seeds:
        data = corpus_vectors(args.cache, seed)
        full = fit(data, "full", seed, args.cache, args.sample_size)
        for path in args.paths:
            got = full if path == "full" else fit(data, path, seed, args.cache, args.sample_size)
            fits.setdefault(path, []).append(got["labels"])
            rows.append(row(data, got, full, path, seed))
            print(rows[-1], flush=True)
    print(f"{len(data['z'])} emergent units of make_corpus(n_units={N_UNITS}, seed=0); "
          f"sampled path: sample of {args.sample_size}, forced with large_corpus={FORCE_SAMPLED}")
    print(table(rows))
    for path, labels in fits.items():
        pairs = [ari(a, b) for i, a in enumerate(labels) for b in labels[i + 1:]]
        if pairs:
            print(f"{path}: ARI between the themes of two seeds, mean {np.mean(pairs):.3f}, "
                  f"lowest {min(pairs):.3f} ({len(pairs)} pairs)")


if __name__ == "__main__":
    main()
