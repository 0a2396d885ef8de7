"""Print the counts the README quotes, from the key and events.csv (no listenlens needed).

``python corpora/examples/brackenfold/_build/summary.py``
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "_builders"))

import transcripts as t  # noqa: E402

SHORT = {"Brackenfold Miners' Welfare Over-60s": "welfare",
         "Polish and Romanian Families' Association": "families",
         "Brackenfold Men's Shed": "shed", "Brackenfold High Sixth-Form Panel": "sixth-form",
         "Hagg Lane Tenants' and Residents' Association": "tenants"}


def main() -> None:
    """Print the counts."""
    key = t.read_csv(ROOT, "_key/themes.csv")
    events = {e["file"]: e for e in t.read_csv(ROOT, "events.csv")}
    t.print_units(key, events)
    turns = [r for r in key if r["kind"] == "turn"]
    print("two concerns", sum(1 for r in key if r["theme2"]), "of", len(turns), "turns")
    print("voiced units by community", dict(Counter(
        SHORT[events[r["source"]]["community"]] for r in key
        if r["kind"] in ("turn", "follow", "reaction"))))
    t.print_themes(key, events, SHORT)
    # the shed's quiet facilitator prompts once a meeting: left out
    share = t.on_prompt(key, events, skip={"Brackenfold Men's Shed"})
    print(f"turns on the prompt's concern (not the shed): {share:.0%}")
    t.print_shifts(ROOT)


if __name__ == "__main__":
    main()
