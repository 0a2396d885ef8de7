"""The context structure tests, sampled baselines (old) vs exact (new): previous turn, prompt.

Run ``python benchmarks/context_baseline.py > benchmarks/data/context_baseline.txt``
(``--corpora`` to choose, ``--parts prev,prompt`` for the tables, ``--ari-seeds 0,1,2`` for the
theme-ARI seeds, ``--ari-seeds ""`` to skip the fits). Each table has a row per corpus; every
version is loaded from git (``context.py`` at a commit) except the working tree's own.

**Previous-turn table** (``--parts prev``): ``context.py`` at ``OLD_COMMIT`` (old) vs at
``PREV_COMMIT`` (new: exact previous-turn baseline, prompt test still drawn):

* ``z_prev old`` min / median / max over seeds 0..19 of the test as it was (adjacent turns
  against a random sample of same-event pairs, Welch z), ``old>=3``: how many of the 20 seeds
  pass; ``z_prev new``: the draw-free test (exact matched all-pairs baseline, one-sample z);
  ``z_prev new, null SE``: the same difference over the standard error the baseline's own
  variance implies (for comparison, not used);
* ``thr old`` min / median / max over the 20 seeds and ``thr new``: the segment threshold
  (midpoint of the adjacent mean and the baseline mean);
* ``prev used old@0`` / ``new``: the previous-turn decision at seed 0 (the fit's default);
* ``z_prompt`` min / median / max over seeds 0..19 and ``>=3``: the prompt test, still drawn,
  as ``PREV_COMMIT`` draws it (measurement only);
* ``ARI old/new`` and ``ARI_sub old/new``: theme and sub-theme ARI (mean over the ARI seeds),
  the default fit's clustering (``themes_attempts.evaluate``) of the context vectors the old and
  the new test give at that seed (``ThemeModel(seed=s)`` decides with ``seed=s``); when the old
  and new vectors are identical the clustering runs once. Development corpora only.

**Prompt table** (``--parts prompt``): ``context.py`` at ``PREV_COMMIT`` (old: each unit against
ONE other prompt of its event drawn with the seed, Welch z) vs the working tree (new: against the
mean over ALL other prompts of its event, one-sample z of the paired differences):

* ``n_prompt``: prompted units; ``tested``: those whose event answers two prompts or more;
* ``z_prompt old`` min / median / max over seeds 0..19, ``old>=3``: seeds passing;
  ``z_prompt new`` and ``new draw-free``: how many of the 20 seeds give exactly that z;
* ``prompt used old@0`` / ``new``: the prompt decision at seed 0;
* ``ARI old/new``, ``sub old/new``, ``same vectors``: as above, old and new prompt test (the
  previous-turn test is the same in both). Development corpora only.

Corpora: the four development corpora of ``benchmarks/themes_attempts.py`` (Riverside, the
generator's runs and independent corpora, 1,000 units, seed 0, BANKING77 shuffled; MiniLM,
cached), Saltmere (held out: decision and z only, never an ARI) and the test suite's
``make_corpus(n_units=900, seed=3)`` corpora (``tests/test_themes_context.py``; hashing
embedder, dim 256), whose runs corpus sat near z = 3. The held-out corpus and the test corpora
are read the way the fit reads them: the fit is run up to its context step and its inputs kept.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import themes_attempts as ta  # benchmarks/themes_attempts.py, beside this script

import listenlens as ll
import listenlens.themes.model as model_module
from listenlens.embeddings import HashingEmbedder
from listenlens.themes import ThemeModel
from listenlens.themes.context import (
    contextual_embeddings,
    decide_context,
    prompt_similarities,
    structure_evidence,
)
from listenlens.themes.segments import segment_threshold

#: The commit whose ``context.py`` holds the sampled (old) previous-turn test.
OLD_COMMIT = "c7a375b"
#: The commit with the exact previous-turn test and the drawn (old) prompt test.
PREV_COMMIT = "4d3b1e1"
SEEDS = range(20)
DEV = ("riverside", "runs", "independent", "banking77")
TESTS = ("tests-runs-900-3", "tests-independent-900-3")


def old_context(commit: str = OLD_COMMIT) -> ModuleType:
    """``listenlens.themes.context`` as it was at ``commit``, loaded beside the new."""
    src = subprocess.run(["git", "-C", str(ta.PROJECT), "show",
                          f"{commit}:src/listenlens/themes/context.py"],
                         capture_output=True, text=True, check=True).stdout
    spec = importlib.util.spec_from_loader(f"listenlens.themes._context_{commit}", loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    exec(compile(src, f"{commit}:context.py", "exec"), module.__dict__)  # noqa: S102
    return module


class _Captured(Exception):
    """Raised to stop a fit once its context inputs are kept."""


@contextlib.contextmanager
def _capturing(store: dict[str, Any]) -> Iterator[None]:
    """Make the fit's call of ``structure_evidence`` keep its inputs and stop the fit."""
    def keep(x: np.ndarray, links: Any, events: np.ndarray, prompt_x: Any, seed: int = 0):
        store.update(x=x, links=links, events=events, px=prompt_x)
        raise _Captured

    saved = model_module.structure_evidence
    model_module.structure_evidence = keep
    try:
        yield
    finally:
        model_module.structure_evidence = saved


def fit_inputs(corpus: ll.Corpus, model: ThemeModel) -> dict[str, Any]:
    """Vectors, links, events and prompt vectors exactly as ``model.fit(corpus)`` tests them."""
    store: dict[str, Any] = {}
    with _capturing(store), contextlib.suppress(_Captured):
        model.fit(corpus)
    return store


def load(name: str) -> dict[str, Any]:
    """The inputs of the context tests of one corpus (and, for development corpora, the
    ``themes_attempts`` case the ARI is scored on)."""
    if name in DEV:
        case = ta.load_case(name)
        links, px = ta.links_for(case)
        return {"case": case, "x": case["x"], "links": links, "events": case["events"], "px": px}
    if name == "saltmere":
        corpus = ll.load(ta.PROJECT / "corpora" / "examples" / "saltmere", progress=False)
        return fit_inputs(corpus, ThemeModel(seed=0, embedder=ta.EMBEDDER, cache_dir=ta.CACHE))
    structure = name.split("-")[1]
    root = ta.CACHE / f"synthetic-{structure}-900-3"
    if not (root / "events.csv").is_file():
        from listenlens.synthetic import make_corpus

        make_corpus(root, n_units=900, seed=3, structure=structure)
    corpus = ll.load(root, progress=False)
    return fit_inputs(corpus, ThemeModel(seed=0, embedder=HashingEmbedder(dim=256)))


def _spread(values: list[float], digits: int = 2) -> str:
    """``min / median / max`` of ``values``."""
    v = np.array(values, dtype=float)
    return " / ".join(f"{q:.{digits}f}" for q in (v.min(), np.median(v), v.max()))


def _null_se_z(d: dict[str, Any], new: ModuleType) -> float:
    """The new difference over the standard error implied by each event's all-pairs variance."""
    sims = new.turn_similarities(d["x"], d["links"], d["events"])
    se = np.sqrt(sims.null_var.sum()) / len(sims.linked)
    return float((sims.linked - sims.expected).mean() / se)


def test_row(d: dict[str, Any], old: ModuleType, mid: ModuleType) -> dict[str, Any]:
    """z_prev, thresholds, decisions and the prompt test's spread for one corpus (old: ``old``,
    new: ``mid``, the exact previous-turn test)."""
    args = (d["x"], d["links"], d["events"])
    old_z, old_thr = [], []
    for s in SEEDS:
        old_z.append(old.structure_evidence(*args, d["px"], seed=s)[0])
        adjacent, chance = old.turn_similarities(*args, np.random.default_rng(s))
        old_thr.append(0.5 * (adjacent.mean() + chance.mean()))
    new = [mid.structure_evidence(*args, d["px"], seed=s) for s in SEEDS]
    prompt = [e[1] for e in new if e[1] is not None]
    return {"z_prev old": _spread(old_z), "old>=3": f"{sum(z >= 3 for z in old_z)}/20",
            "z_prev new": round(new[0][0], 2), "new, null SE": round(_null_se_z(d, mid), 2),
            "thr old": _spread(old_thr, 4),
            "thr new": round(segment_threshold(*args, seed=0), 4),
            "prev used old@0": old_z[0] >= 3, "new": new[0][0] >= 3,
            "z_prompt": _spread(prompt) if prompt else "-",
            ">=3": f"{sum(z >= 3 for z in prompt)}/{len(prompt)}" if prompt else "-"}


def context_vectors(d: dict[str, Any], evidence: tuple) -> np.ndarray:
    """The default fit's (turn window) context vectors under one test's evidence."""
    decision = decide_context("auto", evidence)
    return contextual_embeddings(d["x"], d["links"].prev, d["links"].prompt, d["px"],
                                 w_prev=decision.w_prev, w_prompt=decision.w_prompt)


def ari_row(d: dict[str, Any], old: ModuleType, new: ModuleType | None, seeds: list[int]
            ) -> dict[str, Any]:
    """Mean theme and sub-theme ARI over ``seeds``, ``old`` and ``new`` (a module's
    ``structure_evidence``; ``None``: the working tree's) test (one run if equal)."""
    args = (d["x"], d["links"], d["events"], d["px"])
    evidence = structure_evidence if new is None else new.structure_evidence
    scores: dict[str, list[float]] = {k: [] for k in ("ARI old", "ARI new", "sub old", "sub new")}
    same = 0
    for s in seeds:
        z_old = context_vectors(d, old.structure_evidence(*args, seed=s))
        z_new = context_vectors(d, evidence(*args, seed=s))
        r_old = ta.evaluate(d["case"], z_old, None, s)
        identical = np.array_equal(z_old, z_new)
        same += identical
        r_new = r_old if identical else ta.evaluate(d["case"], z_new, None, s)
        for tag, r in (("old", r_old), ("new", r_new)):
            scores[f"ARI {tag}"].append(r["ARI"])
            scores[f"sub {tag}"].append(r["ARI_sub"])
    row = {k: round(float(np.mean(v)), 3) for k, v in scores.items()}
    return {**row, "same vectors": f"{same}/{len(seeds)}"}


def prompt_row(d: dict[str, Any], mid: ModuleType) -> dict[str, Any]:
    """The prompt test drawn (``mid``, seeds 0..19) and exact (working tree) for one corpus."""
    args = (d["x"], d["links"], d["events"], d["px"])
    old_z = [mid.structure_evidence(*args, seed=s)[1] for s in SEEDS]
    new_z = [structure_evidence(*args, seed=s)[1] for s in SEEDS]
    tested = (len(prompt_similarities(d["x"], d["px"], d["links"].prompt, d["events"]).rows)
              if d["px"] is not None else 0)
    row: dict[str, Any] = {"n_prompt": int((d["links"].prompt >= 0).sum()), "tested": tested}
    if old_z[0] is None or new_z[0] is None:
        return {**row, "z_prompt old": "-", "z_prompt new": "-", "prompt used old@0": False,
                "new": False}
    return {**row, "z_prompt old": _spread(old_z), "old>=3": f"{sum(z >= 3 for z in old_z)}/20",
            "z_prompt new": round(new_z[0], 2),
            "new draw-free": f"{sum(z == new_z[0] for z in new_z)}/20",
            "prompt used old@0": old_z[0] >= 3, "new": new_z[0] >= 3}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=",".join((*DEV, "saltmere", *TESTS)))
    ap.add_argument("--parts", default="prev,prompt")
    ap.add_argument("--ari-seeds", default="0,1,2")
    args = ap.parse_args(argv)
    seeds = [int(v) for v in args.ari_seeds.split(",") if v]
    parts = args.parts.split(",")
    ta.CACHE.mkdir(parents=True, exist_ok=True)
    old, mid = old_context(OLD_COMMIT), old_context(PREV_COMMIT)
    prev_rows, prompt_rows = [], []
    for name in args.corpora.split(","):
        d = load(name)
        dev = name in DEV and bool(seeds)
        if "prev" in parts:
            row = {"corpus": name, "n_prev": int((d["links"].prev >= 0).sum()),
                   **test_row(d, old, mid)}
            prev_rows.append({**row, **(ari_row(d, old, mid, seeds) if dev else {})})
        if "prompt" in parts:
            row = {"corpus": name, **prompt_row(d, mid)}
            prompt_rows.append({**row, **(ari_row(d, mid, None, seeds) if dev else {})})
        print(f"... {name} done", file=sys.stderr, flush=True)
    if prev_rows:
        print(f"Previous-turn test: sampled baseline (old, {OLD_COMMIT}) vs exact matched "
              f"baseline (new, {PREV_COMMIT}); spreads are min / median / max over seeds 0-19; "
              f"ARI: mean over seeds {seeds}\n")
        print(pd.DataFrame(prev_rows).fillna("").to_string(index=False))
    if prompt_rows:
        print(f"\nPrompt test: one other prompt drawn (old, {PREV_COMMIT}) vs all other prompts "
              f"of the event (new, working tree); spreads are min / median / max over seeds "
              f"0-19; ARI: mean over seeds {seeds}\n")
        print(pd.DataFrame(prompt_rows).fillna("").to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
