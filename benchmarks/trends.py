"""Benchmark: which priority shifts can ``trends.shifts()`` detect, on which designs?

A grid of simulated listening programmes (issue 14; no text: theme assignments are drawn
directly): communities 3-8, events per community per year 1-4, years 3-6, 5-15 people per event.
Each planted corpus has 16 themes: 8 planted changes (two each of 10, 20, 30 and 40 points,
kinds rotating over linear rises, linear falls and steps up or down at a random year, low share
5, 15, 30 or 50%) and 8 null themes; each null corpus has 16 null themes. Every theme has
between-community heterogeneity (normal on the logit scale, sd 0.5) and event-to-event noise (sd
0.4), like real data. Per design it prints recall per planted size and kind (the overall row
reported with the right status), the false-alarm rate on null themes (planted and null corpora;
``fa_null`` for the null corpora alone) and the MDC that ``shifts()`` reports for the design.

Targets (the issue's): recall >= 0.9 for changes >= 25 points in designs of >= 20 events, >= 0.8
for >= 20 points in designs of >= 30 events, false alarms <= 5% in every cell; and, with the true
themes of the bundled example (its key), every planted shift found and nothing else flagged.
Prints every miss and exits 1 if any. The default runs a sample of 12 designs (printed) in a few
minutes on two cores; ``--full`` runs all 96.

Beside each design it prints two bounds on recall (:func:`oracle_family_power`): a loose oracle
that knows the shape, the direction and the noise (``oracle_*``), and a fair bound that knows the
noise only (``fair_*``: two-sided, shape not known). A miss whose fair bound is short of the target
too is an information limit of the design; ``--from-log FILE --bounds`` adds the fair bound to a
recorded grid and lists every miss beside both bounds.

The quarterly scenario (``generate``, ``score``) is kept for the tests of sentences and the
evidence rule.

    python benchmarks/trends.py [--seeds 10] [--null-seeds 5] [--n-perm 999] [--full]
    python benchmarks/trends.py --from-log benchmarks/data/trends_full_grid.txt --bounds
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from listenlens.trends import Trends  # noqa: E402

COMMUNITIES = ("Northside", "Riverside", "Eastfield", "Old Town", "Harbour")
SPIKE_IN = "Harbour"
LABELS = {"t-rise": "Cost of living", "t-fall": "Bus routes", "t-spike": "Damp and mould",
          "t-s1": "GP appointments", "t-s2": "Green spaces", "t-s3": "Youth services",
          "t-s4": "Interpreters", "t-s5": "Mental health", "t-s6": "Safety at night"}
#: Event-to-event variation: a normal effect per event and theme on the logit scale.
EVENT_SD = 0.5
STEADY = {"t-s1": 0.20, "t-s2": 0.05, "t-s3": 0.10, "t-s4": 0.15, "t-s5": 0.25, "t-s6": 0.12}


def theme_probability(theme: str, community: str, t: float, quarter: int,
                      n_quarters: int) -> float:
    """Planted probability that a participant raises ``theme`` (t runs 0..1 over the years)."""
    if theme == "t-rise":
        return 0.06 + 0.18 * t
    if theme == "t-fall":
        return 0.24 - 0.18 * t
    if theme == "t-spike":
        return 0.45 if community == SPIKE_IN and quarter >= n_quarters - 4 else 0.08
    return STEADY[theme]


def _people(rng: np.random.Generator, eid: str, community: str, date: pd.Timestamp,
            probs_base: dict[str, float], people: tuple[int, int], units: list,
            assigns: list) -> None:
    """Append one event's units and assignments: a facilitator, then between ``people[0]`` and
    ``people[1]`` participants with an event effect per theme, repeat mentions, and one
    talkative participant."""
    themes = list(probs_base)
    effect = rng.normal(0.0, EVENT_SD, size=len(themes))
    n_people = int(rng.integers(people[0], people[1] + 1))
    talker = int(rng.integers(0, n_people))

    def add(speaker: str, role: str, theme: str) -> None:
        uid = f"u{len(units)}"
        units.append((uid, eid, community, date, speaker, role))
        assigns.append((uid, theme))

    add(f"{eid}-f", "facilitator", "t-housekeeping")
    base = np.array([probs_base[th] for th in themes])
    probs = 1.0 / (1.0 + np.exp(-(np.log(base / (1 - base)) + effect)))
    for p in range(n_people):
        sid = f"{eid}-s{p}"
        raised = [th for th, pr in zip(themes, probs) if rng.random() < pr]
        if not raised:
            add(sid, "participant", "t-unassigned")
        for th in raised:
            for _ in range(1 + int(rng.poisson(0.5))):
                add(sid, "participant", th)
        if p == talker:  # one talkative person returns to one theme again and again
            th = themes[int(rng.integers(0, len(themes)))]
            for _ in range(8):
                add(sid, "participant", th)


def _frames(units: list, assigns: list, labels: dict[str, str]
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    u = pd.DataFrame(units, columns=["unit_id", "event_id", "community", "date", "speaker_id",
                                     "role"])
    a = pd.DataFrame(assigns, columns=["unit_id", "theme_id"])
    a["probability"], a["primary"] = 1.0, True
    table = pd.DataFrame({"theme_id": list(labels), "label": list(labels.values())})
    return u, a, table


def generate(seed: int, *, years: int = 3, events_per_quarter: int = 2,
             communities: tuple[str, ...] = COMMUNITIES, people: tuple[int, int] = (8, 20),
             steady_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Units, assignments and theme table of one generated corpus."""
    rng = np.random.default_rng(seed)
    themes = list(STEADY) if steady_only else list(LABELS)
    n_q = 4 * years
    units: list = []
    assigns: list = []
    for q in range(n_q):
        year, qn = 2021 + q // 4, q % 4
        for c in communities:
            for k in range(events_per_quarter):
                eid = f"e{q:02d}-{c[:3].lower()}-{k}"
                date = pd.Timestamp(year, 3 * qn + 1, 1) + pd.Timedelta(
                    days=int(rng.integers(0, 88)))
                base = {th: theme_probability(th, c, q / (n_q - 1), q, n_q) for th in themes}
                _people(rng, eid, c, date, base, people, units, assigns)
    return _frames(units, assigns, {t: LABELS[t] for t in themes})


def score(shifts: pd.DataFrame) -> tuple[list[bool], list[bool]]:
    """(planted found?, steady flagged?) for one run's shifts table."""
    def status(scope: str, group: str, theme: str) -> str:
        row = shifts[(shifts.scope == scope) & (shifts.group == group)
                     & (shifts.theme_id == theme)]
        return str(row["status"].iloc[0]) if len(row) else "missing"

    found = [status("overall", "All", "t-rise") == "emerging",
             status("overall", "All", "t-fall") == "declining",
             status("group", SPIKE_IN, "t-spike") == "emerging"]
    moved = ("emerging", "declining")
    alarms = [status("overall", "All", t) in moved for t in STEADY]
    alarms += [status("group", c, t) in moved for c in COMMUNITIES for t in STEADY]
    alarms += [status("group", c, "t-spike") in moved for c in COMMUNITIES if c != SPIKE_IN]
    return found, alarms



# --- the design grid (issue 14) -------------------------------------------------------------------
KINDS = ("rise", "fall", "step")
SIZES = (0.10, 0.20, 0.30, 0.40)
BASES = (0.05, 0.15, 0.30, 0.50)
#: Between-community heterogeneity and event-to-event noise, logit scale (like real data: one
#: community raises a theme at 25% while another raises it at 10-45%, and events vary too).
COMMUNITY_SD, GRID_EVENT_SD = 0.5, 0.4
PEOPLE = (5, 15)
N_NULL = 8


@dataclass(frozen=True)
class Design:
    """A listening programme: communities x events per community per year x years."""

    communities: int
    events: int
    years: int

    @property
    def total(self) -> int:
        return self.communities * self.events * self.years

    def __str__(self) -> str:
        return f"{self.communities}c x {self.events}e x {self.years}y"


#: Every design of the grid (communities 3-8, events per community per year 1-4, years 3-6).
FULL_GRID = tuple(Design(c, e, y) for c in range(3, 9) for e in range(1, 5) for y in range(3, 7))
#: The default sample: the smallest and largest corners, the issue's evaluation design (5 x 1 x
#: 5), designs at the 20- and 30-event thresholds, and a spread of the rest.
SAMPLE = (Design(3, 1, 3), Design(4, 1, 5), Design(5, 1, 5), Design(3, 2, 4), Design(8, 1, 3),
          Design(6, 1, 5), Design(5, 2, 3), Design(4, 2, 4), Design(3, 4, 3), Design(8, 2, 6),
          Design(6, 3, 4), Design(8, 4, 6))


@dataclass(frozen=True)
class Planted:
    """One simulated theme: its kind (rise, fall, step up/down or null), size and low share."""

    theme_id: str
    kind: str
    size: float
    base: float
    step_year: int = 0
    up: bool = True

    def share(self, year: int, years: int) -> float:
        """Planted share in year index ``year`` (0..years-1) before community/event noise."""
        lo, hi = self.base, self.base + self.size
        if self.kind == "null":
            return self.base
        if self.kind == "step":
            after = year >= self.step_year
            return (hi if after else lo) if self.up else (lo if after else hi)
        t = year / (years - 1)
        return lo + (hi - lo) * t if self.up else hi - (hi - lo) * t


def grid_themes(seed: int, *, null: bool) -> list[Planted]:
    """Two planted themes per size (kinds rotating with the seed) and eight null themes; a null
    design has sixteen null themes. Low shares are drawn from :data:`BASES`."""
    rng = np.random.default_rng([seed, 3])
    out = []
    if not null:
        for i, size in enumerate(np.repeat(SIZES, 2)):
            kind = KINDS[(seed + i) % 3]
            out.append(Planted(f"t-p{i}", kind, float(size), float(rng.choice(BASES)),
                               up=bool(rng.random() < 0.5)))
    for i in range(N_NULL * (2 if null else 1)):
        out.append(Planted(f"t-n{i}", "null", 0.0, float(rng.choice(BASES))))
    return out


def grid_corpus(design: Design, seed: int, *, null: bool = False
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[Planted]]:
    """Units, assignments and theme table of one simulated programme (no text), and its key."""
    rng = np.random.default_rng([seed, design.communities, design.events, design.years])
    themes = grid_themes(seed, null=null)
    themes = [replace(p, step_year=int(rng.integers(1, design.years))) if p.kind == "step"
              else p for p in themes]
    J = len(themes)
    comm_fx = rng.normal(0.0, COMMUNITY_SD, (design.communities, J))
    units, assigns = [], []
    for y in range(design.years):
        planted = np.clip([p.share(y, design.years) for p in themes], 0.01, 0.99)
        logit = np.log(planted / (1 - planted))
        for c in range(design.communities):
            for k in range(design.events):
                eid = f"e{y}-{c}-{k}"
                date = pd.Timestamp(2021 + y, 1 + (12 * k) // design.events, 5)
                z = logit + comm_fx[c] + rng.normal(0.0, GRID_EVENT_SD, J)
                n = int(rng.integers(PEOPLE[0], PEOPLE[1] + 1))
                raised = rng.random((n, J)) < 1.0 / (1.0 + np.exp(-z))
                for person in range(n):
                    hits = np.flatnonzero(raised[person])
                    for j in (hits if len(hits) else [-1]):
                        uid = f"u{len(units)}"
                        units.append((uid, eid, f"C{c}", date, f"{eid}-s{person}",
                                      "participant"))
                        assigns.append((uid, themes[j].theme_id if j >= 0 else "t-unassigned"))
    u, a, table = _frames(units, assigns, {p.theme_id: p.theme_id for p in themes})
    return u, a, table, themes


def score_grid(shifts: pd.DataFrame, themes: list[Planted]) -> list[dict]:
    """One row per theme: planted kind and size, and whether the overall row moved (and the
    right way)."""
    overall = shifts[shifts["scope"] == "overall"].set_index("theme_id")["status"]
    rows = []
    for p in themes:
        status = str(overall.get(p.theme_id, "missing"))
        want = "emerging" if p.up else "declining"
        rows.append({"kind": p.kind, "size": p.size, "base": p.base,
                     "found": status == want if p.kind != "null" else False,
                     "flagged": status in ("emerging", "declining")})
    return rows


def _design_rows(design: Design, seeds: range, null: bool, opts: dict) -> tuple[list, float]:
    """Scored themes of the corpora ``seeds`` (planted or null) and the MDC of the first."""
    rows, mdc = [], float("nan")
    for seed in seeds:
        u, a, table, themes = grid_corpus(design, seed, null=null)
        # the bootstrap only sets intervals, never a verdict: a small one keeps the grid fast
        trends = Trends.from_frames(u, a, table, period="year", seed=seed,
                                    n_boot=opts["n_boot"])
        want_mdc = seed == 0 and not null
        sh = trends.shifts(n_perm=opts["n_perm"], by_group=False, mdc=want_mdc,
                           test=opts["test"], adjust=opts["adjust"])
        if want_mdc:
            mdc = sh.attrs["power"]["overall"]["mdc"]
        rows += [{**r, "null_design": null} for r in score_grid(sh, themes)]
    return rows, mdc


def _close(df: pd.DataFrame, design: Design, margin: float = 0.1) -> bool:
    """Is any target decision of the design within ``margin`` of its threshold?"""
    planted = df[df["kind"] != "null"]
    near = []
    for size, goal, events in ((0.3, 0.9, 20), (0.4, 0.9, 20), (0.2, 0.8, 30)):
        if design.total >= events:
            r = planted.loc[np.isclose(planted["size"], size), "found"].mean()
            near.append(abs(r - goal) < margin)
    fa = df.loc[df["kind"] == "null", "flagged"].mean()
    return any(near) or abs(fa - 0.05) < 0.02


def run_design(design: Design, seeds: int, null_seeds: int, n_perm: int,
               test: str = "trend", *, adjust: str = "storey", n_boot: int = 200,
               more: int = 0) -> dict:
    """Recall per size, false alarms on null themes (planted and null corpora), the MDC and
    the oracle bounds. With ``more``, a design whose decision is close (:func:`_close`) gets
    ``more`` extra planted and ``more // 2`` extra null corpora."""
    opts = {"n_perm": n_perm, "test": test, "adjust": adjust, "n_boot": n_boot}
    rows, mdc = _design_rows(design, range(seeds), False, opts)
    rows += _design_rows(design, range(seeds, seeds + null_seeds), True, opts)[0]
    n_planted = seeds
    if more and _close(pd.DataFrame(rows), design):
        rows += _design_rows(design, range(seeds + null_seeds, seeds + null_seeds + more),
                             False, opts)[0]
        start = seeds + null_seeds + more
        rows += _design_rows(design, range(start, start + more // 2), True, opts)[0]
        n_planted += more
    df = pd.DataFrame(rows)
    planted = df[df["kind"] != "null"]
    nulls = df[df["kind"] == "null"]
    out = {"design": str(design), "events": design.total, "mdc": mdc,
           "n_per_size": 2 * n_planted, "fa": float(nulls["flagged"].mean()),
           "fa_null": float(nulls.loc[nulls["null_design"], "flagged"].mean()),
           "n_null": len(nulls)}
    for size in SIZES:
        out[f"recall_{round(size * 100)}"] = float(
            planted.loc[np.isclose(planted["size"], size), "found"].mean())
    out["oracle_20"] = oracle_power(design, 0.20)
    out["oracle_25"] = oracle_power(design, 0.25)
    out["oracle_30"] = oracle_power(design, 0.30)
    fam = oracle_family_power(design)
    for size in (0.2, 0.3):
        out[f"oracle_bh_{round(size * 100)}"] = fam[("m", size)]
        out[f"oracle_m0_{round(size * 100)}"] = fam[("m0", size)]
    out.update(fair_bound(fam))
    for kind in KINDS:
        out[f"recall_{kind}"] = float(planted.loc[planted["kind"] == kind, "found"].mean())
    return out


def oracle_power(design: Design, size: float, *, n_sim: int = 2000, seed: int = 0,
                 alpha: float = 0.05) -> float:
    """Power bound: the share of linear changes of ``size`` points an *oracle* test finds.

    The oracle knows the shape (linear in the year), the direction and the exact null
    distribution of its statistic (the within-community slope score ``sum T_e g_e y_e``, ``g``
    the year centred within community), so it spends nothing on estimating noise, tests one
    side only and is not adjusted for the other themes. No test that has to learn these from the
    data can do better on average; averaged over the grid's base shares, with the grid's
    community and event noise and 5-15 people per event.
    """
    rng = np.random.default_rng([seed, 99, design.communities, design.events, design.years])
    c = np.repeat(np.arange(design.communities), design.events * design.years)
    year = np.tile(np.repeat(np.arange(design.years), design.events), design.communities)
    t = year / (design.years - 1)
    out = []
    for base in BASES:
        stats = []
        for delta in (0.0, size):
            share = np.clip(base + delta * t, 0.01, 0.99)
            z = (np.log(share / (1 - share))[None, :]
                 + rng.normal(0.0, COMMUNITY_SD, (n_sim, design.communities))[:, c]
                 + rng.normal(0.0, GRID_EVENT_SD, (n_sim, len(c))))
            T = rng.integers(PEOPLE[0], PEOPLE[1] + 1, (n_sim, len(c)))
            y = rng.binomial(T, 1.0 / (1.0 + np.exp(-z))) / T
            g = np.zeros_like(y)
            for k in range(design.communities):
                rows = c == k
                g[:, rows] = year[rows] - (T[:, rows] * year[rows]).sum(1, keepdims=True) / T[
                    :, rows].sum(1, keepdims=True)
            stats.append((T * g * y).sum(axis=1))
        out.append(float((stats[1] > np.quantile(stats[0], 1 - alpha)).mean()))
    return float(np.mean(out))


GH_X, GH_W = np.polynomial.hermite_e.hermegauss(24)


def _event_moments(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean share, mean binomial variance and share variance of events with logit ``z`` plus
    the grid's event noise (Gauss-Hermite)."""
    w = GH_W / GH_W.sum()
    q = 1.0 / (1.0 + np.exp(-(z[..., None] + GRID_EVENT_SD * GH_X)))
    mean = (q * w).sum(-1)
    return mean, (q * (1 - q) * w).sum(-1), (q * q * w).sum(-1) - mean ** 2


def _step_up(p: np.ndarray, m: int, alpha: float) -> np.ndarray:
    """Benjamini-Hochberg's step-up rule over ``m`` hypotheses, never above ``alpha``."""
    order = np.argsort(p)
    ok = p[order] <= np.minimum(alpha, alpha * np.arange(1, len(p) + 1) / m)
    k = int(np.flatnonzero(ok).max()) + 1 if ok.any() else 0
    called = np.zeros(len(p), dtype=bool)
    called[order[:k]] = True
    return called


def _family_draw(design: Design, rng: np.random.Generator, r: int
                 ) -> tuple[list[Planted], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One replicate of the grid's 16-theme family, as :func:`grid_corpus` draws it: the
    themes (step years drawn), every event's share ``y`` and its true variance ``var`` (events,
    themes), and each event's community and year index."""
    c = np.repeat(np.arange(design.communities), design.events * design.years)
    year = np.tile(np.repeat(np.arange(design.years), design.events), design.communities)
    themes = [replace(p, step_year=int(rng.integers(1, design.years)))
              if p.kind == "step" else p for p in grid_themes(r, null=False)]
    share = np.clip([[p.share(int(y), design.years) for p in themes] for y in year],
                    0.01, 0.99)
    z = np.log(share / (1 - share)) + rng.normal(0.0, COMMUNITY_SD,
                                                 (design.communities, len(themes)))[c]
    T = rng.integers(PEOPLE[0], PEOPLE[1] + 1, len(c)).astype(float)
    _, binom, spread = _event_moments(z)
    var = binom / T[:, None] + spread
    p_ev = 1.0 / (1.0 + np.exp(-(z + rng.normal(0.0, GRID_EVENT_SD, z.shape))))
    y = rng.binomial(T.astype(int)[:, None], p_ev) / T[:, None]
    return themes, y, var, c, year


def _shape_scores(y: np.ndarray, var: np.ndarray, c: np.ndarray, shape: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Inverse-variance weighted, within-community scores of the contrasts ``shape`` (events,
    K) for every theme: their standardised values (K, themes) and, per theme, the contrasts'
    null correlation (themes, K, K). With the variances known the scores are exactly normal."""
    J, K = y.shape[1], shape.shape[1]
    z = np.empty((K, J))
    corr = np.empty((J, K, K))
    for j in range(J):
        w = 1.0 / var[:, j]
        g = shape.astype(np.float64).copy()
        for k in np.unique(c):
            rows = c == k
            g[rows] -= (w[rows, None] * g[rows]).sum(0) / w[rows].sum()
        gram = (w[:, None] * g).T @ g
        sd = np.sqrt(np.diag(gram))
        z[:, j] = (w * y[:, j]) @ g / sd
        corr[j] = gram / np.outer(sd, sd)
    return z, corr


def fair_pvalues(y: np.ndarray, var: np.ndarray, c: np.ndarray, year: np.ndarray, *,
                 n_draw: int = 4000, seed: int = 0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two-sided p-value of a test that knows every event's variance but not the shape nor the
    direction of a change.

    The contrasts are the within-community slope on the year and a step at every cut (year
    ``k`` on, ``k = 1..years-1``), inverse-variance weighted; the statistic is the largest
    ``|Z|`` of them, referred to its exact null (the contrasts are jointly normal with a known
    correlation) by ``n_draw`` draws, ``p = (1 + #{M* >= M}) / (n_draw + 1)``. Returned: that
    p-value, the sign of the largest contrast (the direction claimed) and the standardised
    slope alone (the same knowledge with one contrast fixed in advance: its two-sided p-value
    is ``2 * norm.sf(|z|)``).
    """
    cuts = np.unique(year)[1:]
    shape = np.column_stack([year] + [(year >= k) for k in cuts]).astype(np.float64)
    z, corr = _shape_scores(y, var, c, shape)
    draws = np.random.default_rng([seed, 97]).standard_normal((n_draw, shape.shape[1]))
    m_obs = np.abs(z).max(axis=0)
    p_max = np.empty(y.shape[1])
    for j in range(y.shape[1]):
        chol = np.linalg.cholesky(corr[j] + 1e-9 * np.eye(len(corr[j])))
        m_null = np.abs(draws @ chol.T).max(axis=1)
        p_max[j] = (1.0 + (m_null >= m_obs[j] - 1e-12).sum()) / (n_draw + 1.0)
    sign = np.sign(z[np.abs(z).argmax(axis=0), np.arange(y.shape[1])])
    return p_max, sign, z[0]


def _storey_called(p: np.ndarray, alpha: float) -> np.ndarray:
    """Called by the adjustment ``shifts()`` uses (Storey's adaptive BH, never below p)."""
    from listenlens.trends.intervals import storey_adjust

    return storey_adjust(p) < alpha


def oracle_family_power(design: Design, *, n_sim: int = 300, seed: int = 0,
                        alpha: float = 0.05) -> dict[tuple[str, float], float]:
    """Recall per planted size of oracles judged inside the grid's own family of 16 themes.

    Each replicate draws the grid's 16 themes (eight planted, eight null; kinds, sizes, base
    shares and step years as :func:`grid_corpus` draws them) and their evidence.

    *The loose oracle* knows each theme's shape (the linear slope, or the step at its true
    year), its direction, the community effects and every event's variance: its statistic is the
    inverse-variance weighted, within-community score of that shape, one-sided, referred to its
    exact normal null. ``how="m"`` adjusts with Benjamini-Hochberg over the family's 16 themes;
    ``how="m0"`` knows which themes are null too and adjusts over the true nulls only.

    *The fair bound* (:func:`fair_pvalues`, the same replicates) knows the variances but not the
    shape nor the direction: two-sided, the largest of the slope and every step referred to its
    exact null. ``how="fair"`` adjusts it with BH over the 16 themes, ``"fair_st"`` with the
    adjustment ``shifts()`` uses (Storey's); ``"slope_st"`` is the known-variance slope alone,
    two-sided, Storey. A theme counts as found when called in its planted direction. A real
    test must learn the variances too, so a design whose fair bound is below a target is an
    information limit, not a weakness of the method. No p-value above ``alpha`` is called.
    """
    rng = np.random.default_rng([seed, 98, design.communities, design.events, design.years])
    hows = ("m", "m0", "fair", "fair_st", "slope_st")
    found: dict[tuple[str, float], list[bool]] = {(h, s): [] for h in hows for s in SIZES}
    for r in range(n_sim):
        themes, y, var, c, year = _family_draw(design, rng, r)
        shape = np.column_stack([
            year.astype(float) if p.kind != "step" else (year >= p.step_year).astype(float)
            for p in themes])
        w = 1.0 / var
        g = shape.copy()
        for k in range(design.communities):
            rows = c == k
            g[rows] -= (w[rows] * shape[rows]).sum(0) / w[rows].sum(0)
        stat = (w * g * y).sum(0) / np.sqrt((w * w * g * g * var).sum(0))
        sign = np.array([(1 if p.up else -1) if p.kind != "null" else
                         (1 if rng.random() < 0.5 else -1) for p in themes])
        pv = stats.norm.sf(sign * stat)
        null = np.array([p.kind == "null" for p in themes])
        p_max, s_max, z_slope = fair_pvalues(y, var, c, year, seed=r)
        p_slope = 2.0 * stats.norm.sf(np.abs(z_slope))
        called = {"m": _step_up(pv, len(pv), alpha),
                  "m0": _step_up(pv, int(null.sum()), alpha),
                  "fair": _step_up(p_max, len(p_max), alpha) & (s_max == sign),
                  "fair_st": _storey_called(p_max, alpha) & (s_max == sign),
                  "slope_st": _storey_called(p_slope, alpha) & (np.sign(z_slope) == sign)}
        for how, hits in called.items():
            for p, hit in zip(themes, hits):
                if p.kind != "null":
                    found[(how, round(p.size, 2))].append(bool(hit))
    return {k: float(np.mean(v)) for k, v in found.items()}


def fair_bound(fam: dict[tuple[str, float], float]) -> dict[str, float]:
    """The fair bound per size (``fair_20``, ``fair_30``, ``fair_40``): the best of the three
    known-variance, two-sided tests of :func:`oracle_family_power` (largest contrast with BH,
    the same with Storey's adjustment, the slope alone with Storey's)."""
    return {f"fair_{round(s * 100)}": max(fam[(h, s)] for h in ("fair", "fair_st", "slope_st"))
            for s in (0.2, 0.3, 0.4)}


def add_bounds(table: pd.DataFrame, n_sim: int = 300) -> pd.DataFrame:
    """``table`` with the fair bound (:func:`fair_bound`) of every design that lacks it (rows
    rebuilt from logs of runs before the bound existed); ``n_sim`` replicates per design."""
    out = table.copy()
    for col in ("fair_20", "fair_30", "fair_40"):
        if col not in out:
            out[col] = np.nan
    for i, r in out.iterrows():
        if np.isnan(r["fair_30"]):
            design = Design(*(int(v[:-1]) for v in r["design"].split(" x ")))
            for k, v in fair_bound(oracle_family_power(design, n_sim=n_sim)).items():
                out.loc[i, k] = v
    return out


def bound_report(table: pd.DataFrame) -> pd.DataFrame:
    """Per design that misses a target: recall at >= 25 points (the worse of 30 and 40) and at
    >= 20 points (the worst of 20, 30 and 40) beside the fair bound and the loose oracle
    (``oracle_m0``), and the verdict: ``limit`` when the fair bound is below the target too,
    ``method`` when the fair bound reaches it."""
    rows: list[dict] = []
    for r in table.itertuples() if "fair_30" in table else ():
        for events, sizes, goal, loose in ((20, (30, 40), 0.9, r.oracle_m0_30),
                                           (30, (20, 30, 40), 0.8, r.oracle_m0_20)):
            recall = min(getattr(r, f"recall_{s}") for s in sizes)
            if r.events < events or recall >= goal:
                continue
            fair = min(getattr(r, f"fair_{s}") for s in sizes)
            rows.append({"design": r.design, "events": r.events, "target": f">={sizes[0]}pt",
                         "goal": goal, "recall": recall, "fair": fair, "loose_m0": loose,
                         "fa": max(r.fa, r.fa_null),
                         "verdict": "limit" if fair < goal else "method"})
    return pd.DataFrame(rows)


def _limit(r, size: int, goal: float) -> str:
    """Why a miss at ``size`` points may be out of reach, from the row's bounds."""
    sizes = (30, 40) if size == 30 else (20, 30, 40)
    fair = min(getattr(r, f"fair_{s}", np.nan) for s in sizes)
    loose = getattr(r, f"oracle_m0_{size}")
    if fair < goal:
        return f" (information limit: the fair bound is {fair:.2f})"
    if loose < goal:
        return f" (out of reach: the oracle in the family is {loose:.2f} at {size} points)"
    return f" (the fair bound is {fair:.2f})" if np.isfinite(fair) else ""


def targets(table: pd.DataFrame) -> list[str]:
    """The issue's targets that a row of the grid table misses (empty: all met)."""
    misses = []
    for r in table.itertuples():
        if r.events >= 20 and min(r.recall_30, r.recall_40) < 0.9:
            bound = _limit(r, 30, 0.9)
            misses.append(f"{r.design}: recall {min(r.recall_30, r.recall_40):.2f} < 0.9 for "
                          f">= 25 points{bound}")
        if r.events >= 30 and min(r.recall_20, r.recall_30, r.recall_40) < 0.8:
            bound = _limit(r, 20, 0.8)
            misses.append(f"{r.design}: recall {min(r.recall_20, r.recall_30, r.recall_40):.2f}"
                          f" < 0.8 for >= 20 points{bound}")
        if max(r.fa, r.fa_null) > 0.05:
            misses.append(f"{r.design}: false alarms {max(r.fa, r.fa_null):.3f} > 0.05")
    return misses


# --- the bundled example with its key -------------------------------------------------------------
EXAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "examples" / "riverside"
#: The planted shifts of the example (its README): theme -> status expected overall.
EXAMPLE_SHIFTS = {"t-cost-of-living": "emerging", "t-food-banks": "emerging",
                  "t-youth-mental-health": "emerging", "t-digital-exclusion": "emerging",
                  "t-buses-transport": "declining"}


#: Saltmere (the held-out corpus): its planted shifts (``_key/shifts.csv``). GP access was meant
#: as a steady control but planted at 45% -> 35%: a real 10-point fall, so either verdict is
#: accepted for it.
SALTMERE = EXAMPLE.parent / "saltmere"
SALTMERE_SHIFTS = {"t-loneliness": "declining", "t-cost-of-living": "emerging",
                   "t-transport": "declining", "t-housing-conditions": "emerging"}
SALTMERE_EITHER = ("t-gp-access",)


def example_trends(seed: int = 0, path: Path = EXAMPLE, period: str = "year") -> Trends:
    """Trends of an example corpus with the true theme of every unit (its key) as themes."""
    import listenlens as ll

    corpus = ll.load(path, progress=False)
    key = pd.read_csv(path / "_key" / "themes.csv")
    units = corpus.units
    merged = units[["unit_id", "source", "line"]].assign(line=units["line"].astype(int)).merge(
        key, on=["source", "line"], how="left", validate="one_to_one")
    if merged["theme"].isna().any():
        raise ValueError("the example's key does not cover every unit")
    theme = "t-" + merged["theme"].astype(str)
    a = pd.DataFrame({"unit_id": merged["unit_id"], "theme_id": theme, "probability": 1.0,
                      "primary": True})
    ids = sorted(set(theme) - {"t-housekeeping"})
    table = pd.DataFrame({"theme_id": ids,
                          "label": [t[2:].replace("-", " ").capitalize() for t in ids]})
    return Trends.from_frames(units, a, table, period=period, seed=seed)


def score_example(shifts: pd.DataFrame, planted: dict[str, str] | None = None,
                  either: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(planted shifts missed, rows flagged that are not planted), overall rows; themes in
    ``either`` may be flagged or not."""
    planted = EXAMPLE_SHIFTS if planted is None else planted
    overall = shifts[shifts["scope"] == "overall"].set_index("theme_id")["status"]
    missed = [t for t, want in planted.items() if overall.get(t) != want]
    extra = [t for t, s in overall.items()
             if s in ("emerging", "declining") and t not in planted and t not in either]
    return missed, extra


def table_from_logs(paths: list[str]) -> pd.DataFrame:
    """The grid table from the ``done {...}`` lines of earlier runs (one row per design, the
    last line wins), in the grid's order."""
    import ast

    found: dict[str, dict] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith("done {"):
                row = ast.literal_eval(line[len("done "):])
                found[row["design"]] = row
    order = [str(d) for d in FULL_GRID]
    return pd.DataFrame([found[k] for k in sorted(found, key=lambda k: (
        order.index(k) if k in order else len(order), k))])


def example_checks(shifts_opts: dict) -> tuple[list[str], list[str]]:
    """The key checks: with the true themes of the bundled example and of Saltmere, planted
    shifts missed and other themes flagged (printed, and returned together)."""
    trends = example_trends()
    missed, extra = score_example(trends.shifts(**shifts_opts))
    print(f"\nexample corpus with its key: planted shifts missed {missed or 'none'}; other "
          f"themes flagged {extra or 'none'}")
    sh = example_trends(path=SALTMERE).shifts(**shifts_opts)
    s_missed, s_extra = score_example(sh, SALTMERE_SHIFTS, SALTMERE_EITHER)
    gp = sh[(sh["scope"] == "overall") & (sh["theme_id"] == "t-gp-access")]
    print(f"Saltmere with its key: planted shifts missed {s_missed or 'none'}; other themes "
          f"flagged {s_extra or 'none'}; GP access (planted 45% -> 35%): "
          f"{gp['status'].iloc[0] if len(gp) else 'missing'}; MDC "
          f"{sh.attrs['power']['overall']['mdc']:.2f}")
    return missed + s_missed, extra + s_extra


def print_summary(table: pd.DataFrame) -> None:
    """Per target: designs in scope, how many recall meets, and how many the bounds reach."""
    for events, size, goal in ((20, 30, 0.9), (30, 20, 0.8)):
        big = table[table["events"] >= events]
        reach = big[big[f"oracle_m0_{size}"] >= goal]
        recall = big[[f"recall_{s}" for s in (size, 30, 40)]].min(axis=1)
        print(f"designs with >= {events} events: {len(big)}; recall >= {goal} at {size}-40 "
              f"points in {int((recall >= goal).sum())}; the oracle in the family reaches "
              f"{goal} at {size} points in {len(reach)}, of which recall meets it in "
              f"{int((recall[reach.index] >= goal).sum())}")
        if "fair_30" in big:
            fair = big[[f"fair_{s}" for s in (size, 30, 40)]].min(axis=1)
            print(f"  the fair bound reaches {goal} at {size}-40 points in "
                  f"{int((fair >= goal).sum())}, of which recall meets it in "
                  f"{int((recall[fair >= goal] >= goal).sum())}")
    print(f"false alarms: largest cell {table[['fa', 'fa_null']].max().max():.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10, help="planted corpora per design")
    ap.add_argument("--null-seeds", type=int, default=5, help="null corpora per design")
    ap.add_argument("--n-perm", type=int, default=999)
    ap.add_argument("--full", action="store_true", help="every design of the grid (96)")
    ap.add_argument("--test", default="trend", choices=("trend", "moderated", "permutation"),
                    help="the all-period test shifts() uses")
    ap.add_argument("--adjust", default="storey", choices=("storey", "bh"),
                    help="the adjustment within the primary family")
    ap.add_argument("--n-boot", type=int, default=200,
                    help="bootstrap replicates (intervals only; no verdict depends on them)")
    ap.add_argument("--more", type=int, default=0,
                    help="extra planted corpora (and half as many null) where a decision is "
                         "within 0.1 of its target")
    ap.add_argument("--only", nargs="*", default=None, metavar="C,E,Y",
                    help="run only these designs (communities,events,years)")
    ap.add_argument("--from-log", nargs="*", default=None, metavar="FILE",
                    help="rebuild the table from the 'done' lines of earlier runs' output")
    ap.add_argument("--bounds", action="store_true",
                    help="with --from-log: add the fair bound to rows that lack it and print, "
                         "per missed target, recall beside the fair bound and the loose oracle")
    args = ap.parse_args(argv)
    designs = FULL_GRID if args.full else SAMPLE
    if args.only:
        designs = tuple(Design(*(int(v) for v in spec.split(","))) for spec in args.only)
    if args.from_log is not None:
        print(f"table rebuilt from {', '.join(args.from_log)}")
    else:
        print(f"designs ({'full grid' if args.full else 'sample'}): "
              + ", ".join(str(d) for d in designs))
        print(f"{args.seeds} planted corpora (8 planted + 8 null themes) and {args.null_seeds} null "
              f"corpora (16 null themes) per design; {PEOPLE[0]}-{PEOPLE[1]} people per event; "
              f"base shares {', '.join(f'{b:.0%}' for b in BASES)}; community sd "
              f"{COMMUNITY_SD}, event sd {GRID_EVENT_SD} (logit); n_perm {args.n_perm}; test "
              f"{args.test}; adjust {args.adjust}; n_boot {args.n_boot}; more {args.more}; "
              "per-person generator")
    t0 = time.perf_counter()
    rows = []
    for d in () if args.from_log is not None else designs:  # one line per design as it ends
        rows.append(run_design(d, args.seeds, args.null_seeds, args.n_perm, args.test,
                               adjust=args.adjust, n_boot=args.n_boot, more=args.more))
        print("done", {k: (round(v, 3) if isinstance(v, float) else v)
                       for k, v in rows[-1].items()}, flush=True)
    table = pd.DataFrame(rows) if args.from_log is None else table_from_logs(args.from_log)
    if args.bounds:
        table = add_bounds(table)
    pd.set_option("display.width", 200)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    report = bound_report(table)
    if len(report):
        print("\nmissed targets: recall, the fair bound (variances known; shape and direction "
              "not) and the loose oracle (knows both)")
        print(report.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    missed, extra = example_checks({"test": args.test, "adjust": args.adjust})
    misses = targets(table)
    print(f"grid in {time.perf_counter() - t0:.0f} s")
    print_summary(table)
    for m in misses:
        print("MISSED", m)
    ok = not misses and not missed and not extra
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
