"""Where does the shift test lose power? A decomposition on the grid's designs (issue 14).

For planted corpora of ``benchmarks/trends.py`` (the per-person generator, ``grid_corpus``), each
planted theme is judged by a ladder of tests that differ in one choice at a time, so the loss
between ``shifts()``'s verdict and the oracle bound can be split into its parts:

==============  ===============================================================================
``old``         ``shifts(test="moderated", adjust="bh")``, the verdict before this change:
                adjusted p below 0.05, the right direction, and the evidence rule (the windows'
                change agrees; enough events and people)
``status``      ``shifts()`` with its defaults (``test="trend"``, ``adjust="storey"``)
``max_bh``      the moderated max(|t| trend, |t| steps) p-value, BH over the corpus's 16 themes,
                right direction (no evidence rule)
``max_raw``     the same p-value unadjusted
``trend_bh``    the moderated trend t alone (two-sided, same noise and degrees of freedom), BH
``trend_raw``   the same unadjusted
``trend_1s``    the same, one-sided in the planted direction (what the oracle gets for free)
``known_1s``    trend alone, weights = people, the event variance *known* (from the generator),
                normal reference, one-sided: the cost of estimating the noise
``ivw_known``   as ``known_1s`` with inverse-variance weights: the cost of weighting by people
``plain_*``     trend alone with limma's moderated dispersion without the floor "never below
                the theme's own" (``trend_test`` keeps its own only for an outlier theme)
``ivw_bh``      trend alone, weights ``1 / (phi p(1-p)/T + tau^2)`` with ``tau^2`` pooled over
                the themes and ``phi`` moderated, two-sided t, BH
``wb_bh``       weighted Bonferroni of the moderated trend (80% of alpha) and the best step (20%),
                BH
``*_storey``    the same p-values under Storey's adaptive BH (lambda = 0.5)
==============  ===============================================================================

False alarms are reported for the null themes of the same corpora and of null corpora.

    python benchmarks/trends_decompose.py [--seeds 40] [--null-seeds 10] [--design 4,1,5 ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import trends as grid  # noqa: E402

from listenlens.trends.intervals import bh_adjust  # noqa: E402
from listenlens.trends.moderated import moderated_test  # noqa: E402

GH_X, GH_W = np.polynomial.hermite_e.hermegauss(24)
GH_W = GH_W / GH_W.sum()


def evidence(u: pd.DataFrame, a: pd.DataFrame, themes: list[grid.Planted], design: grid.Design
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year index, community, people raising each theme, people raising any, community id."""
    m = u.merge(a, on="unit_id")
    m = m[m["theme_id"] != "t-unassigned"]
    events = sorted(u["event_id"].unique())
    ids = [p.theme_id for p in themes]
    voices = m.drop_duplicates(["event_id", "speaker_id", "theme_id"])
    N = (voices.groupby(["event_id", "theme_id"]).size().unstack(fill_value=0)
         .reindex(index=events, columns=ids, fill_value=0).to_numpy(float))
    T = (m.drop_duplicates(["event_id", "speaker_id"]).groupby("event_id").size()
         .reindex(events, fill_value=0).to_numpy(float))
    year = np.array([int(e[1:].split("-")[0]) for e in events])
    comm = np.array([int(e.split("-")[1]) for e in events])
    return year, comm, N, T, comm


def true_variance(design: grid.Design, seed: int, themes: list[grid.Planted], year: np.ndarray,
                  comm: np.ndarray, T: np.ndarray, null: bool) -> np.ndarray:
    """Each event's share variance under the generator (its community effect known)."""
    rng = np.random.default_rng([seed, design.communities, design.events, design.years])
    for p in grid.grid_themes(seed, null=null):  # replay the generator's draws
        if p.kind == "step":
            rng.integers(1, design.years)
    comm_fx = rng.normal(0.0, grid.COMMUNITY_SD, (design.communities, len(themes)))
    planted = np.array([[p.share(int(y), design.years) for p in themes] for y in year])
    planted = np.clip(planted, 0.01, 0.99)
    z = np.log(planted / (1 - planted)) + comm_fx[comm]
    q = 1 / (1 + np.exp(-(z[..., None] + grid.GRID_EVENT_SD * GH_X)))
    mean = (q * GH_W).sum(-1)
    var_p = (q ** 2 * GH_W).sum(-1) - mean ** 2
    return (q * (1 - q) * GH_W).sum(-1) / np.maximum(T, 1)[:, None] + var_p


def within(a: np.ndarray, strata: np.ndarray, w: np.ndarray) -> np.ndarray:
    out = np.array(a, dtype=float, copy=True)
    for s in np.unique(strata):
        r = strata == s
        out[r] -= (w[r] * out[r]).sum(0) / w[r].sum(0)
    return out


def gls_trend(x: np.ndarray, strata: np.ndarray, y: np.ndarray, w: np.ndarray,
              var: np.ndarray) -> np.ndarray:
    """z of the within-community weighted slope with the true variance (w, var: events x J)."""
    xs = within(np.repeat(x[:, None].astype(float), y.shape[1], 1), strata, w)
    ss = (w * xs ** 2).sum(0)
    b = (w * xs * within(y, strata, w)).sum(0) / ss
    se = np.sqrt((w ** 2 * xs ** 2 * var).sum(0)) / ss
    return b / se


def ivw_trend(x: np.ndarray, strata: np.ndarray, N: np.ndarray, T: np.ndarray
              ) -> tuple[np.ndarray, float]:
    """Trend t with weights 1/(phi v/T + tau^2): tau^2 pooled over themes (method of moments on
    the saturated model's residuals), the remaining binomial part's phi moderated; df."""
    y = N / T[:, None]
    share = N.sum(0) / T.sum()
    v = share * (1 - share)
    r0 = moderated_test(x, strata, N, T, n_sim=99, seed=0)
    df = r0.prior_df + r0.df if np.isfinite(r0.prior_df) else np.inf
    # residuals of community + year
    design = np.column_stack([strata[:, None] == np.unique(strata)[None, :],
                              x[:, None] == np.unique(x)[1:][None, :]]).astype(float)
    beta = np.linalg.lstsq(design * np.sqrt(T)[:, None], y * np.sqrt(T)[:, None], rcond=None)[0]
    res = y - design @ beta
    d = len(x) - np.linalg.matrix_rank(design)
    # E[sum T r^2] ~ d * v + tau2 * sum(T * (1 - h)) ~ d v + tau2 d mean(T): pooled ratio
    # event variance on the logit scale, pooled: Var(p_e) ~ s2 * v^2
    s2 = max(0.0, float(np.median(((T[:, None] * res ** 2).sum(0) / d - v) / (T.mean() * v ** 2))))
    var = v[None, :] / T[:, None] + s2 * v[None, :] ** 2
    w = 1 / var
    xs = within(np.repeat(x[:, None].astype(float), N.shape[1], 1), strata, w)
    ss = (w * xs ** 2).sum(0)
    b = (w * xs * within(y, strata, w)).sum(0) / ss
    fit = within(y, strata, w) - b * xs
    # residual scale from the saturated model with these weights, moderated like the main test
    scale = np.maximum((w * fit ** 2).sum(0) / max(len(x) - len(np.unique(strata)) - 1, 1), 1e-9)
    prior = np.median(scale)
    dd = len(x) - len(np.unique(strata)) - 1
    d0 = r0.prior_df if np.isfinite(r0.prior_df) else 1e6
    scale = np.maximum((d0 * prior + dd * scale) / (d0 + dd), scale)
    return b / np.sqrt(scale / ss), df


def storey(p: np.ndarray, lam: float = 0.5) -> np.ndarray:
    """Storey's adaptive BH: BH with m * pi0, pi0 = (#{p > lam} + 1) / (m (1 - lam)), <= 1."""
    m = len(p)
    pi0 = min(1.0, (float((p > lam).sum()) + 1) / (m * (1 - lam)))
    return np.minimum(bh_adjust(p) * pi0, 1.0)


def one_corpus(design: grid.Design, seed: int, null: bool, n_sim: int) -> pd.DataFrame:
    u, a, table, themes = grid.grid_corpus(design, seed, null=null)
    year, comm, N, T, _ = evidence(u, a, themes, design)
    r = moderated_test(year, comm, N, T, n_sim=n_sim, seed=seed)
    df = r.prior_df + r.df if np.isfinite(r.prior_df) else np.inf
    sign = np.array([1 if p.up else -1 for p in themes])
    p_trend = 2 * stats.t.sf(np.abs(r.z_trend), df)
    p_trend_1s = stats.t.sf(sign * r.z_trend, df)
    # limma's moderated dispersion as it is (no "never below the theme's own" floor)
    phi_own = np.nan_to_num(r.phi, nan=0.0)
    if np.isinf(r.prior_df):
        plain = np.full(len(phi_own), r.prior_phi)
    elif r.prior_df > 0:
        plain = (r.prior_df * r.prior_phi + r.df * phi_own) / (r.prior_df + r.df)
    else:
        plain = phi_own
    with np.errstate(divide="ignore", invalid="ignore"):
        z_plain = r.z_trend * np.sqrt(r.phi_moderated / np.where(plain > 0, plain, np.inf))
    p_plain = 2 * stats.t.sf(np.abs(z_plain), df)
    # the best step alone, referred to its own maximum (Bonferroni over cuts: conservative)
    n_cuts = max(design.years - 1, 1)
    p_step = np.minimum(1.0, n_cuts * 2 * stats.t.sf(np.abs(r.z_step), df))
    p_wb = np.minimum(1.0, np.minimum(p_trend / 0.8, p_step / 0.2))
    var = true_variance(design, seed, themes, year, comm, T, null)
    w_people = np.repeat(T[:, None], len(themes), 1)
    z_known = gls_trend(year, comm, N / T[:, None], w_people, var)
    z_ivw = gls_trend(year, comm, N / T[:, None], 1 / var, var)
    t_ivw, df_ivw = ivw_trend(year, comm, N, T)
    p_ivw = 2 * stats.t.sf(np.abs(t_ivw), df_ivw)
    right = lambda z: np.sign(z) == sign  # noqa: E731
    dir_max = np.where(r.form == "step", r.z_step, r.z_trend)
    trends = grid.Trends.from_frames(u, a, table, period="year", seed=seed, n_boot=200)
    sh = trends.shifts(n_perm=n_sim, by_group=False, mdc=False)
    status = dict(zip(sh.loc[sh.scope == "overall", "theme_id"],
                      sh.loc[sh.scope == "overall", "status"]))
    old = trends.shifts(n_perm=n_sim, by_group=False, mdc=False, test="moderated", adjust="bh")
    old = dict(zip(old.loc[old.scope == "overall", "theme_id"],
                   old.loc[old.scope == "overall", "status"]))
    want = ["emerging" if p.up else "declining" for p in themes]
    out = pd.DataFrame({
        "design": str(design), "seed": seed, "null_design": null,
        "kind": [p.kind for p in themes], "size": [p.size for p in themes],
        "old": [old.get(p.theme_id) == w for p, w in zip(themes, want)],
        "status": [status.get(p.theme_id) == w for p, w in zip(themes, want)],
        "flag": [status.get(p.theme_id) in ("emerging", "declining") for p in themes],
        "max_bh": (bh_adjust(r.p_value) < 0.05) & right(dir_max),
        "max_raw": (r.p_value < 0.05) & right(dir_max),
        "max_storey": (storey(r.p_value) < 0.05) & right(dir_max),
        "trend_bh": (bh_adjust(p_trend) < 0.05) & right(r.z_trend),
        "trend_storey": (storey(p_trend) < 0.05) & right(r.z_trend),
        "trend_raw": (p_trend < 0.05) & right(r.z_trend),
        "trend_1s": p_trend_1s < 0.05,
        "known_1s": stats.norm.sf(sign * z_known) < 0.05,
        "ivw_known": stats.norm.sf(sign * z_ivw) < 0.05,
        "ivw_bh": (bh_adjust(p_ivw) < 0.05) & right(t_ivw),
        "ivw_raw": (p_ivw < 0.05) & right(t_ivw),
        "plain_bh": (bh_adjust(p_plain) < 0.05) & right(z_plain),
        "plain_storey": (storey(p_plain) < 0.05) & (p_plain < 0.05) & right(z_plain),
        "plain_raw": (p_plain < 0.05) & right(z_plain),
        "wb_bh": (bh_adjust(p_wb) < 0.05) & right(dir_max),
        "wb_storey": (storey(p_wb) < 0.05) & right(dir_max),
    })
    out = out.astype({c: float for c in COLUMNS})
    # for null themes "found" means flagged in either direction
    nul = out["kind"] == "null"
    flags = {"max_bh": bh_adjust(r.p_value), "max_raw": r.p_value,
             "max_storey": storey(r.p_value), "trend_bh": bh_adjust(p_trend),
             "trend_storey": storey(p_trend), "trend_raw": p_trend,
             "ivw_bh": bh_adjust(p_ivw), "plain_bh": bh_adjust(p_plain),
             "plain_storey": np.where(p_plain < 0.05, storey(p_plain), 1.0), "plain_raw": p_plain, "ivw_raw": p_ivw, "wb_bh": bh_adjust(p_wb),
             "wb_storey": storey(p_wb)}
    for k, p in flags.items():
        out.loc[nul, k] = (p[nul.to_numpy()] < 0.05).astype(float)
    out.loc[nul, "status"] = out.loc[nul, "flag"].astype(float)
    out.loc[nul, "old"] = [float(old.get(p.theme_id) in ("emerging", "declining"))
                           for p, n in zip(themes, nul) if n]
    for k in ("trend_1s", "known_1s", "ivw_known"):
        out.loc[nul, k] = np.nan
    return out


COLUMNS = ["old", "status", "max_bh", "max_raw", "max_storey", "trend_bh", "trend_storey",
           "trend_raw", "trend_1s", "known_1s", "ivw_known", "ivw_bh", "ivw_raw", "plain_bh",
           "plain_storey", "plain_raw", "wb_bh", "wb_storey"]


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for design, g in df.groupby("design", sort=False):
        for size in (0.2, 0.3, 0.4):
            s = g[np.isclose(g["size"], size)]
            rows.append({"design": design, "what": f"recall {round(size * 100)}", "n": len(s),
                         **{c: s[c].astype(float).mean() for c in COLUMNS}})
        s = g[np.isclose(g["size"], 0.3) & (g["kind"] == "step")]
        rows.append({"design": design, "what": "recall 30 step", "n": len(s),
                     **{c: s[c].astype(float).mean() for c in COLUMNS}})
        s = g[g["kind"] == "null"]
        rows.append({"design": design, "what": "false alarms", "n": len(s),
                     **{c: s[c].astype(float).mean() for c in COLUMNS}})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--null-seeds", type=int, default=10)
    ap.add_argument("--n-sim", type=int, default=999)
    ap.add_argument("--design", nargs="*", default=["4,1,5", "4,2,6", "5,2,4"])
    args = ap.parse_args(argv)
    frames = []
    for spec in args.design:
        c, e, y = (int(v) for v in spec.split(","))
        d = grid.Design(c, e, y)
        for seed in range(args.seeds + args.null_seeds):
            frames.append(one_corpus(d, seed, seed >= args.seeds, args.n_sim))
        print(f"done {d}", flush=True)
    table = summarise(pd.concat(frames, ignore_index=True))
    pd.set_option("display.width", 250)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
