"""Deterministic, content-derived identifiers.

Ids never depend on list positions, run order, time or the machine: the same input gives the same
ids everywhere. A unit id hashes its event, source path, text and the occurrence number of that
text within the source, so editing one file changes only that file's ids, and editing one line
changes only the ids of that line's units.
"""

from __future__ import annotations

import hashlib

__all__ = ["stable_hash", "unit_id", "speaker_id", "sha256_bytes", "normalise_label"]


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
