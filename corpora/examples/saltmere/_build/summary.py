"""Print the counts the README quotes, from the key and events.csv (no listenlens needed).

``python corpora/examples/saltmere/_build/summary.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "_builders"))

import transcripts as t  # noqa: E402

SHORT = {"Saltmere Carers' Network": "carers", "Saltmere Disability Forum": "disability",
         "Harbour Lights Newcomers' Group": "newcomers", "Little Anchors Young Parents": "parents",
         "Hollin Cross Parish Drop-in": "parish"}


def main() -> None:
    """Print the counts."""
    key = t.read_csv(ROOT, "_key/themes.csv")
    events = {e["file"]: e for e in t.read_csv(ROOT, "events.csv")}
    t.print_units(key, events)
    print("two concerns", sum(1 for r in key if r["theme2"]))
    t.print_themes(key, events, SHORT)
    print(f"turns on the prompt's concern: {t.on_prompt(key, events):.0%}")
    t.print_shifts(ROOT)


if __name__ == "__main__":
    main()
