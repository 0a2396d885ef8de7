"""Codes of a REFI-QDA project or codebook as a listenlens codebook, hierarchy kept.

Each code gets a theme id: the one listenlens wrote (codes from a listenlens export), otherwise
the id a codebook theme of that name gets (:func:`~listenlens.themes.codebook.codebook_theme_id`),
so themes seeded with the imported codebook line up with the imported codings. Names that occur
more than once in the tree are qualified by their parent's name (``"Transport / Other"``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import InputError, ParseError
from ..themes.codebook import Codebook, codebook_theme_id
from .archive import Limits, SafeArchive, parse_xml
from .guids import read_tail
from .qde import QdeCode, read_codes, read_qde

__all__ = ["CODE_COLUMNS", "code_table", "table_codebook", "read_qdc", "load_qda_codebook"]

CODE_COLUMNS = ["code_guid", "theme_id", "name", "label", "parent", "path", "depth",
                "description", "colour", "codable"]


def code_table(codes: Sequence[QdeCode]) -> pd.DataFrame:
    """One row per code (parents before children): GUID, theme id, unique name, label as
    written, parent's unique name, path from the top, depth, description, colour, codable."""
    by_guid = {c.guid: c for c in codes}
    counts = Counter(" ".join(c.name.split()).casefold() for c in codes)

    def chain(c: QdeCode) -> list[QdeCode]:
        out, seen = [c], {c.guid}
        while out[-1].parent and out[-1].parent in by_guid and out[-1].parent not in seen:
            seen.add(out[-1].parent)
            out.append(by_guid[out[-1].parent])
        return out[::-1]

    def unique(c: QdeCode) -> str:
        name = " ".join(c.name.split())
        if counts[name.casefold()] > 1 and c.parent in by_guid:
            return f"{' '.join(by_guid[c.parent].name.split())} / {name}"
        return name

    rows = []
    for c in codes:
        text, data = read_tail(c.description)
        name = unique(c)
        parent = by_guid.get(c.parent)
        rows.append({"code_guid": c.guid, "name": name, "label": c.name,
                     "theme_id": str(data.get("theme_id") or codebook_theme_id(name)),
                     "parent": unique(parent) if parent is not None else "",
                     "path": " / ".join(" ".join(x.name.split()) for x in chain(c)),
                     "depth": len(chain(c)) - 1, "description": text.strip(),
                     "colour": c.color, "codable": c.codable})
    return pd.DataFrame(rows, columns=CODE_COLUMNS)


def table_codebook(table: pd.DataFrame, source: str = "") -> Codebook | None:
    """The codable codes as a :class:`Codebook` for seeding (``None`` when there are none).
    A code's description is its own, or its name with its parents' when it has none."""
    recs = [{"name": r.name, "description": r.description or r.path}
            for r in table.itertuples() if r.codable and r.name]
    return Codebook.from_records(recs, source) if recs else None


def read_qdc(path: str | Path, limits: Limits | None = None) -> pd.DataFrame:
    """The code table of a ``.qdc`` codebook file (bounded, defused XML parsing)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("codebook file not found", file=p)
    limits = limits or Limits()
    if p.stat().st_size > limits.max_xml_bytes:
        raise ParseError(f"codebook of {p.stat().st_size} bytes is over the limit", file=p)
    root = parse_xml(p.read_bytes(), file=str(p), limits=limits)
    local = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else ""
    if local not in ("CodeBook", "Codes"):
        raise ParseError(f"the root element is <{local}>, not <CodeBook>", file=p)
    return code_table(read_codes(root))


def load_qda_codebook(path: str | Path) -> Codebook:
    """A :class:`Codebook` from a ``.qdc`` file or the codebook inside a ``.qdpx`` archive."""
    p = Path(path)
    if p.suffix.lower() == ".qdpx":
        with SafeArchive(p) as entries:
            if "project.qde" not in entries:
                raise ParseError("no project.qde in the archive", file=p)
            project = read_qde(parse_xml(entries["project.qde"], file=f"{p}:project.qde"),
                               file=str(p))
        table = code_table(project.codes)
    else:
        table = read_qdc(p)
    book = table_codebook(table, str(p))
    if book is None:
        raise InputError("the codebook has no codable codes", file=p)
    return book
