"""Deterministic, content-derived identifiers.

Ids never depend on list positions, run order, time or the machine: the same input gives the same
ids everywhere. A unit id hashes its event, source path, text and the occurrence number of that
text within the source, so editing one file changes only that file's ids, and editing one line
changes only the ids of that line's units. :func:`hash_tree` identifies a model folder by its
content in the same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["stable_hash", "unit_id", "speaker_id", "sha256_bytes", "normalise_label",
           "tree_files", "hash_tree"]

_SKIPPED_PARTS = {".cache", "__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}
_TREE_DIGESTS: dict[tuple[str, int, int], str] = {}


def stable_hash(*parts: object, length: int = 12) -> str:
    """Hex digest of the parts, joined unambiguously. Same parts, same digest, on every machine.

    >>> stable_hash("a", 1) == stable_hash("a", 1)
    True
    >>> stable_hash("a", "b") != stable_hash("ab")
    True
    """
    h = hashlib.sha256()
    for part in parts:
        data = str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:length]


def sha256_bytes(data: bytes) -> str:
    """Full SHA-256 hex digest of raw bytes (used for source files)."""
    return hashlib.sha256(data).hexdigest()


def tree_files(path: str | Path) -> list[Path]:
    """The files :func:`hash_tree` covers, sorted: every file under ``path`` except caches
    (``.cache``, ``__pycache__``, compiled ``.pyc``/``.pyo``); a file stands for itself."""
    root = Path(path)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not _SKIPPED_PARTS & set(p.relative_to(root).parts)
                  and p.suffix not in _SKIPPED_SUFFIXES)


def hash_tree(path: str | Path) -> str:
    """Full SHA-256 over a model folder: each file's relative path, a NUL and its bytes, in
    sorted order (see :func:`tree_files`). Memoised per process on the folder's resolved path,
    total size and newest modification time, so an edited file is hashed again.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "w.bin").write_bytes(b"abc")
    >>> hash_tree(folder) == hash_tree(str(folder)), len(hash_tree(folder))
    (True, 64)
    """
    root = Path(path)
    files = tree_files(root)
    stats = [p.stat() for p in files]
    memo = (str(root.resolve()), sum(s.st_size for s in stats),
            max((s.st_mtime_ns for s in stats), default=0))
    if memo not in _TREE_DIGESTS:
        h = hashlib.sha256()
        for p in files:
            rel = p.name if p == root else p.relative_to(root).as_posix()
            h.update(rel.encode("utf-8") + b"\0")
            with p.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        _TREE_DIGESTS[memo] = h.hexdigest()
    return _TREE_DIGESTS[memo]


def normalise_label(label: str) -> str:
    """Case- and space-insensitive form of a speaker label: ``' Amina  K '`` -> ``'amina k'``."""
    return " ".join(label.split()).casefold()


def unit_id(event_id: str, source: str, text: str, occurrence: int) -> str:
    """Id of a unit: ``u-`` + 16 hex digits.

    >>> unit_id("e01", "e01.txt", "We need more buses.", 0)
    'u-...'
    """
    return "u-" + stable_hash(event_id, source, " ".join(text.split()), occurrence, length=16)


def speaker_id(event_id: str, label: str) -> str:
    """Pseudonymous speaker id, stable within an event: ``sp-`` + 10 hex digits.

    The same label at two events gives two ids: listenlens never assumes two people with the same
    name are one person. An empty label (no speaker written) gives ``""``.
    """
    norm = normalise_label(label)
    if not norm:
        return ""
    return "sp-" + stable_hash(event_id, norm, length=10)
