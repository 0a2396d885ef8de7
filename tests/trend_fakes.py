"""Shared by the trends tests: stand-ins for a fitted ``Themes`` built from hand-written rows,
and the trends benchmark script loaded as a module."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pandas as pd


@dataclass(frozen=True)
class FakeCorpus:
    units: pd.DataFrame
    events: pd.DataFrame | None = None


@dataclass(frozen=True)
class FakeThemes:
    """Stands in for a fitted Themes: corpus units, assignments and theme table."""

    corpus: FakeCorpus
    assignments: pd.DataFrame
    table: pd.DataFrame


def make(spec: list[tuple[str, str, str, str, str, str]], *, events: pd.DataFrame | None = None,
         labels: dict[str, str] | None = None, role: dict[str, str] | None = None) -> FakeThemes:
    """Build themes from (event_id, community, date, speaker_id, theme_id, unit_id) rows."""
    units = pd.DataFrame(
        [(u, e, c, pd.Timestamp(d), s, (role or {}).get(s, "participant"))
         for e, c, d, s, _, u in spec],
        columns=["unit_id", "event_id", "community", "date", "speaker_id", "role"])
    assignments = pd.DataFrame([(u, t, 1.0, True) for *_, t, u in spec],
                               columns=["unit_id", "theme_id", "probability", "primary"])
    themes = sorted({t for *_, t, _ in spec if not t.startswith("t-un") and
                     t != "t-housekeeping"})
    labels = labels or {}
    table = pd.DataFrame({"theme_id": themes, "label": [labels.get(t, t.upper()) for t in themes]})
    return FakeThemes(FakeCorpus(units, events), assignments, table)


def event(eid: str, community: str, date: str, people: dict[str, list[str]]) -> list[tuple]:
    """Rows for one event: speaker -> themes (one unit per listed theme, repeats allowed)."""
    rows = []
    for s, themes in people.items():
        for i, t in enumerate(themes):
            rows.append((eid, community, date, f"{eid}-{s}", t, f"{eid}-{s}-{i}"))
    return rows


TRENDS_BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "trends.py"


def trends_benchmark(name: str = "bench_trends") -> ModuleType:
    """``benchmarks/trends.py`` loaded as the module ``name`` (a script, not a package)."""
    spec = importlib.util.spec_from_file_location(name, TRENDS_BENCHMARK)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod
