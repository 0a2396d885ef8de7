"""Print the counts the README quotes, from the key and events.csv (no listenlens needed).

``python corpora/examples/brackenfold/_build/summary.py``
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHORT = {"Brackenfold Miners' Welfare Over-60s": "welfare",
         "Polish and Romanian Families' Association": "families",
         "Brackenfold Men's Shed": "shed", "Brackenfold High Sixth-Form Panel": "sixth-form",
         "Hagg Lane Tenants' and Residents' Association": "tenants"}


def _read(rel: str) -> list[dict[str, str]]:
    with (ROOT / rel).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _format(event: dict[str, str]) -> str:
    ext = event["file"].rsplit(".", 1)[1]
    if ext == "vtt":
        return "vtt (Teams)" if "Teams" in event["place"] else "vtt (Zoom)"
    if ext == "csv":
        return "csv survey" if event["format"] == "survey" else "csv wall"
    return ext


def main() -> None:
    key = _read("_key/themes.csv")
    events = {e["file"]: e for e in _read("events.csv")}
    print("units", len(key))
    print("by format", dict(Counter(_format(events[r["source"]]) for r in key).most_common()))
    print("by kind", dict(Counter(r["kind"] for r in key).most_common()))
    turns = [r for r in key if r["kind"] == "turn"]
    print("two concerns", sum(1 for r in key if r["theme2"]), "of", len(turns), "turns")
    print("voiced units by community", dict(Counter(
        SHORT[events[r["source"]]["community"]] for r in key
        if r["kind"] in ("turn", "follow", "reaction"))))
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for r in key:
        table[r["theme"]][SHORT[events[r["source"]]["community"]]] += 1
    cols = sorted(SHORT.values())
    print("| theme | " + " | ".join(cols) + " | all |")
    for theme in sorted(table):
        row = [table[theme][c] for c in cols]
        print(f"| {theme} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    totals = [sum(table[t][c] for t in table) for c in cols]
    print("| all | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    voiced = [r for r in key if r["kind"] in ("turn", "follow", "reaction") and r["speaker"]]
    per = Counter((events[r["source"]]["community"], r["speaker"]) for r in voiced)
    print("named participants", len(per), "most", per.most_common(5),
          "median", sorted(per.values())[len(per) // 2])
    on = off = 0
    for src in events:  # the shed's quiet facilitator prompts once a meeting: left out
        if events[src]["community"] == "Brackenfold Men's Shed":
            continue
        current = ""
        for r in sorted((r for r in key if r["source"] == src), key=lambda r: int(r["line"])):
            if r["kind"] == "prompt":
                current = r["theme"]
            elif r["kind"] == "turn" and current:
                on, off = on + (r["theme"] == current), off + (r["theme"] != current)
    print(f"turns on the prompt's concern (not the shed): {on / (on + off):.0%}")
    shifts = _read("_key/shifts.csv")
    for concern in dict.fromkeys(r["concern"] for r in shifts):
        rs = [r for r in shifts if r["concern"] == concern]
        cells = " | ".join(f"{float(r['planted']):.0%} ({float(r['measured']):.0%})" for r in rs)
        early = (float(rs[0]["measured"]) + float(rs[1]["measured"])) / 2
        late = (float(rs[3]["measured"]) + float(rs[4]["measured"])) / 2
        print(f"| {concern} | {rs[0]['pattern']} | {cells} | {early:.0%} -> {late:.0%} |")


if __name__ == "__main__":
    main()
