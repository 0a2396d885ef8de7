"""Progress bars for long work (tqdm), quiet in tests and CI unless asked for."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

__all__ = ["progress_bar", "progress_enabled"]


def progress_enabled(enabled: bool | None = None) -> bool:
    """``enabled`` if given; otherwise on when stderr is a terminal and ``LISTENLENS_PROGRESS``
    is not ``0`` (set it to ``1`` to force bars on, e.g. in a notebook)."""
    if enabled is not None:
        return enabled
    env = os.environ.get("LISTENLENS_PROGRESS")
    if env is not None:
        return env not in ("0", "", "false", "no")
    return sys.stderr.isatty()


def progress_bar(items: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None,
                 enabled: bool | None = None) -> Iterator[T]:
    """Iterate ``items`` with a tqdm bar when progress is enabled."""
    if not progress_enabled(enabled):
        yield from items
        return
    from tqdm.auto import tqdm

    yield from tqdm(items, desc=desc, unit=unit, total=total, leave=False)
