"""Where the theme fit's accuracy is lost, and how far the vectors themselves allow it to go
(issue 12): a diagnostic, not a trial, and nothing in the library is chosen from it.

Run ``python benchmarks/themes_ceiling.py`` (``--seeds`` default 0,1,2; ``--saltmere`` adds the
held-out corpus, measured after every decision about the default; output in
``benchmarks/data/themes_ceiling.txt``). On each corpus of ``benchmarks/speaker_context.py``,
with the library's default fit on cached MiniLM vectors, it prints, over the keyed substantive
units:

* theme and sub-theme ARI (mean of the seeds);
* the fine clusters' purity (unit-weighted share of each fine cluster's most common concern,
  unassigned units left out) and the *oracle* ARI: every fine cluster given its most common
  concern, the best any grouping of these fine clusters into themes could score;
* neighbour agreement: the share of each unit's 15 nearest keyed neighbours (cosine) that carry
  its concern, on MiniLM's vectors alone and on the vectors the fit clustered
  (``ThemeModel.context_embeddings_``), with the chance level (the sum of squared concern
  shares) beside it; density clustering can only keep together what is near;
* k-means told the true number of concerns, on the clustered vectors (mean of the seeds);
* a supervised reference: five-fold cross-validated logistic regression on the clustered vectors
  (each unit predicted by a model that never saw its label), accuracy and the ARI of those
  predictions: what the same vectors give when a reviewer's labels are available, the route of
  the assisted-coding tools.

Not a timed test.
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
from encoder_trial import cases  # noqa: E402  (the same development corpora)

from listenlens.embeddings import MiniLMEmbedder  # noqa: E402
from listenlens.themes import ThemeModel  # noqa: E402

K_NEIGHBOURS = 15


def keyed(case: bench.Case) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the keyed substantive units and their concerns."""
    truth = case.truth.reindex([u.unit_id for u in case.corpus.unit_records]).to_numpy()
    rows = np.where((truth != "housekeeping") & (truth != "?"))[0]
    return rows, truth[rows].astype(str)


def neighbour_agreement(v: np.ndarray, concern: np.ndarray, k: int = K_NEIGHBOURS) -> float:
    """Mean share of each row's ``k`` nearest other rows (cosine) with the same concern."""
    from sklearn.neighbors import NearestNeighbors

    unit = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    _, idx = NearestNeighbors(n_neighbors=k + 1, metric="cosine").fit(unit).kneighbors(unit)
    same = concern[idx[:, 1:]] == concern[:, None]
    return float(same.mean())


def chance(concern: np.ndarray) -> float:
    """Neighbour agreement expected if neighbours were drawn at random."""
    share = pd.Series(concern).value_counts(normalize=True).to_numpy()
    return float((share ** 2).sum())


def fine_cluster_scores(sub: np.ndarray, concern: np.ndarray) -> tuple[float, float]:
    """Unit-weighted purity of the fine clusters (unassigned left out) and the oracle ARI."""
    from sklearn.metrics import adjusted_rand_score

    frame = pd.DataFrame({"sub": sub, "concern": concern})
    assigned = frame[~frame["sub"].isin(["t-unassigned", "t-housekeeping"])]
    majority = assigned.groupby("sub")["concern"].agg(lambda c: c.value_counts().index[0])
    purity = float((assigned["concern"] == assigned["sub"].map(majority)).mean())
    oracle = frame["sub"].map(majority).fillna(frame["sub"]).to_numpy()
    return purity, float(adjusted_rand_score(concern, oracle))


def supervised(v: np.ndarray, concern: np.ndarray) -> tuple[float, float]:
    """Five-fold cross-validated logistic regression: accuracy and ARI of its predictions."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import adjusted_rand_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    pred = cross_val_predict(LogisticRegression(max_iter=2000, C=1.0), v, concern, cv=folds)
    return float((pred == concern).mean()), float(adjusted_rand_score(concern, pred))


def kmeans_true_k(v: np.ndarray, concern: np.ndarray, seeds: list[int]) -> float:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    k = len(set(concern.tolist()))
    return float(np.mean([adjusted_rand_score(
        concern, KMeans(n_clusters=k, n_init=10, random_state=s).fit_predict(v))
        for s in seeds]))


def diagnose(case: bench.Case, minilm: MiniLMEmbedder, seeds: list[int]) -> dict[str, Any]:
    """Every figure of the module docstring for one corpus."""
    from sklearn.metrics import adjusted_rand_score

    x = bench.embeddings_for(case, minilm)
    texts = [u.text for u in case.corpus.unit_records]
    rows, concern = keyed(case)
    ids = [case.corpus.unit_records[i].unit_id for i in rows]
    fits = []
    z = x
    for seed in seeds:
        model = ThemeModel(seed=seed, embedder=bench.precomputed(minilm, texts, x),
                           **case.params).fit(case.corpus)
        themes, z = model.themes_, model.context_embeddings_
        prim = themes.primary().reindex(ids).to_numpy()
        sub = themes.subtheme_of().fillna(themes.primary()).reindex(ids).to_numpy()
        purity, oracle = fine_cluster_scores(sub, concern)
        fits.append({"ARI": adjusted_rand_score(concern, prim),
                     "ARI_sub": adjusted_rand_score(concern, sub),
                     "purity": purity, "oracle": oracle})
    mean = pd.DataFrame(fits).mean()
    acc, sup_ari = supervised(z[rows], concern)
    return {"corpus": case.name, "units": len(rows), "concerns": len(set(concern.tolist())),
            "ARI": mean.ARI, "ARI_sub": mean.ARI_sub, "purity": mean.purity,
            "oracle": mean.oracle,
            "nn_minilm": neighbour_agreement(x[rows], concern),
            "nn_clustered": neighbour_agreement(z[rows], concern),
            "nn_chance": chance(concern),
            "kmeans_k": kmeans_true_k(z[rows], concern, seeds),
            "logreg_acc": acc, "logreg_ARI": sup_ari}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--saltmere", action="store_true", help="also the held-out corpus")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    minilm = MiniLMEmbedder(progress=False)
    table = []
    for case in cases(args.saltmere):
        row = diagnose(case, minilm, seeds)
        table.append(row)
        print(f"{row['corpus']:<26} ARI {row['ARI']:.3f} sub {row['ARI_sub']:.3f} purity "
              f"{row['purity']:.3f} oracle {row['oracle']:.3f} | 15-NN same concern: MiniLM "
              f"{row['nn_minilm']:.3f}, clustered {row['nn_clustered']:.3f}, chance "
              f"{row['nn_chance']:.3f} | k-means true k {row['kmeans_k']:.3f} | supervised "
              f"acc {row['logreg_acc']:.3f} ARI {row['logreg_ARI']:.3f}", flush=True)
    with pd.option_context("display.width", 220, "display.precision", 3):
        print(pd.DataFrame(table).to_string(index=False))
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
