"""What ``listenlens export-qdpx`` exports: the themes of a project, a saved themes folder, or a
corpus folder (themes found first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import CorpusError

__all__ = ["themes_for_export"]


def themes_for_export(source: str | Path, *, seed: int = 0, codebook: Any = None) -> Any:
    """The :class:`~listenlens.themes.Themes` held by ``source``.

    A folder with ``themes.json`` (written by ``themes.save``) is opened; a project folder gives
    its current themes; a corpus folder (``events.csv``) is loaded and its themes found with
    ``seed`` and ``codebook``. Anything else is a :class:`~listenlens.errors.CorpusError`.
    """
    root = Path(source)
    if not root.is_dir():
        raise CorpusError("not a folder: give a project folder, a saved themes folder or a "
                          "corpus folder", file=root)
    if (root / "themes.json").is_file():
        from ..themes import open_themes

        return open_themes(root)
    if (root / "events.csv").is_file():
        from ..corpus import load
        from ..themes import find_themes

        return find_themes(load(root, progress=False), seed=seed, codebook=codebook,
                           progress=False)
    from ..project import open_project

    try:
        project = open_project(root, progress=False)
    except CorpusError as exc:
        raise CorpusError("no themes here: give a project folder, a folder written by "
                          "themes.save(), or a corpus folder (an `analyse` output folder "
                          f"keeps no themes) ({exc.detail})", file=root) from exc
    return project.themes
