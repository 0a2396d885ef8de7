"""The format registry: which reader reads which file.

Readers are looked up by name (``txt``, ``vtt``, ``srt``, ``docx``, ``csv``, ``jsonl``, ``md``,
``polis``) or by file extension. Modules that are not written yet simply do not register.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import UnknownFormatError
from ._base import Reader

__all__ = ["readers", "get_reader", "reader_for_path"]

_MODULES = ("txt", "vtt", "srt", "docx", "table", "polis", "markdown")
_CACHE: dict[str, Reader] = {}


def readers() -> dict[str, Reader]:
    """All registered readers by name (a module may register several, e.g. csv/jsonl/polis)."""
    if not _CACHE:
        for mod_name in _MODULES:
            try:
                module = importlib.import_module(f"{__package__}.{mod_name}")
            except ModuleNotFoundError as exc:  # a reader module not present in this build
                if exc.name == f"{__package__}.{mod_name}":
                    continue
                raise
            found = getattr(module, "READERS", None) or (getattr(module, "READER", None),)
            for reader in found:
                if reader is not None:
                    _CACHE[reader.name] = reader
    return dict(_CACHE)


def get_reader(name: str, *, file: str | None = None, line: int | None = None) -> Reader:
    """The reader called ``name``; an :class:`UnknownFormatError` listing the known ones if none."""
    known = readers()
    key = name.strip().lower().lstrip(".")
    aliases = {"markdown": "md", "text": "txt", "webvtt": "vtt", "word": "docx", "json": "jsonl",
               "ndjson": "jsonl"}
    key = aliases.get(key, key)
    if key not in known:
        raise UnknownFormatError(
            f"unknown reader {name!r}; known readers: {', '.join(sorted(known))}",
            file=file, line=line)
    return known[key]


def reader_for_path(path: str | Path, *, line: int | None = None, file: str | None = None) -> Reader:
    """The reader for a file, chosen by its extension."""
    suffix = Path(path).suffix.lower()
    for reader in readers().values():
        if suffix in reader.extensions:
            return reader
    known = sorted({ext for r in readers().values() for ext in r.extensions})
    raise UnknownFormatError(
        f"cannot tell the format of {str(path)!r} from its extension {suffix or '(none)'!r}; "
        f"known extensions: {', '.join(known)}; or name a reader (reader='vtt', or the 'reader' "
        "column of events.csv)",
        file=file or str(path), line=line)
