"""Theme labels report: do the labels name the concern?

Run ``python benchmarks/labels.py`` (``--quick`` for the example corpus only). Fits the default
:class:`~listenlens.themes.ThemeModel` on the bundled example (``corpora/examples/riverside``)
and on Polis Bowling Green (from ``$LISTENLENS_SHARED/corpora/polis``, CC BY 4.0, The
Computational Democracy Project), and prints each theme's size, label, the first four keywords
(the briefing's "They talked about ..."), the key's majority concern where there is a key, the
first quote, and a flag when spaCy reads the label (in a sentence) as a place, person, date or
time, or the label contains one of the corpus's own names. Not a timed test.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("LISTENLENS_PROGRESS", "0")
warnings.filterwarnings("ignore")

import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
SHARED = Path(os.environ.get("LISTENLENS_SHARED", PROJECT.parent / "shared"))
sys.path.insert(0, str(PROJECT / "src"))

import listenlens as ll  # noqa: E402
from listenlens.themes import ThemeModel  # noqa: E402
from listenlens.themes.labels import (  # noqa: E402
    BLOCKED_ENTITIES,
    SPACY_MODEL,
    _pipeline,
    label_context,
)
from listenlens.themes.labelwords import CaseEvidence  # noqa: E402


def flags(label: str, corpus: ll.Corpus, evidence: CaseEvidence) -> str:
    """Why a label fails the rule, read as a briefing reads it ("" when it passes)."""
    first, _, rest = label.partition(" ")
    if not evidence.is_name(first) and not first.isupper():
        first = first.lower()
    doc = _pipeline(SPACY_MODEL)(f"People told us about {first} {rest}".rstrip() + ".")
    found = [f"{e.text}={e.label_}" for e in doc.ents if e.label_ in BLOCKED_ENTITIES]
    names = label_context(corpus).name_words(evidence)
    found += [f"{w}=corpus name" for w in label.lower().split() if w in names]
    return "; ".join(found)


def report(name: str, corpus: ll.Corpus, truth: pd.Series | None, seed: int) -> None:
    themes = ThemeModel(seed=seed).fit(corpus).themes_
    evidence = CaseEvidence.from_texts(u.text for u in corpus.unit_records)
    print(f"\n{name}: {len(themes.theme_ids)} themes")
    table = themes.table.set_index("theme_id")
    for tid in themes.theme_ids:
        members = themes.member_ids(tid)
        concern = ""
        if truth is not None:
            share = truth.reindex(members).value_counts(normalize=True)
            concern = f" | key: {share.index[0]} {share.iloc[0]:.0%}"
        q = themes.quotes(tid, n=1)
        bad = flags(themes.label(tid), corpus, evidence)
        print(f"  {table.loc[tid, 'n_units']:4d} {themes.label(tid)}"
              f" | {', '.join(themes.keywords(tid)[:4])}{concern}"
              f"{' | FLAG ' + bad if bad else ''}")
        if len(q):
            print(f"       \"{q.iloc[0]['text'][:140]}\"")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the example corpus only")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    root = PROJECT / "corpora" / "examples" / "riverside"
    corpus = ll.load(root, progress=False)
    key = pd.read_csv(root / "_key" / "themes.csv")
    merged = corpus.units[["unit_id", "source", "line"]].merge(key, on=["source", "line"],
                                                               how="left")
    report("example riverside", corpus, merged.set_index("unit_id")["theme"].fillna("?"),
           args.seed)
    path = SHARED / "corpora" / "polis" / "american-assembly.bowling-green" / "comments.csv"
    if args.quick:
        return 0
    if not path.is_file():
        print(f"(skipped: Polis Bowling Green not found at {path}; set LISTENLENS_SHARED)")
        return 0
    polis = ll.load(path, reader="polis", community="Bowling Green", date="2018-01-01")
    report("Polis Bowling Green", polis, None, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
