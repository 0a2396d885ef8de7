"""Stable GUIDs and the machine-readable tail listenlens adds to descriptions.

Every GUID in an exported project is a UUID 5 of what the element stands for (a theme id, a
source path, a unit id and span number), so the same analysis always gets the same GUIDs.

Descriptions are for people; listenlens appends one last line, ``[listenlens] {json}``, holding
the exact values it needs to read its own export back (ids, probabilities, source encoding).
Other programs show it as part of the description and keep it when they re-export.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

__all__ = ["NAMESPACE", "guid", "with_tail", "read_tail", "TAIL_PREFIX"]

#: The UUID 5 namespace of every listenlens GUID.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://listenlens.invalid/refi-qda/1")
TAIL_PREFIX = "[listenlens] "


def guid(kind: str, *parts: object) -> str:
    """A GUID for ``kind`` and ``parts``, the same on every run.

    >>> guid("theme", "t-1a2b3c4d") == guid("theme", "t-1a2b3c4d")
    True
    >>> len(guid("source", "a.txt"))
    36
    """
    key = json.dumps([kind, *[str(p) for p in parts]], ensure_ascii=False)
    return str(uuid.uuid5(NAMESPACE, key))


def with_tail(text: str, data: dict[str, Any]) -> str:
    """``text`` followed by the ``[listenlens]`` line holding ``data`` (sorted keys)."""
    tail = TAIL_PREFIX + json.dumps(data, sort_keys=True, ensure_ascii=False,
                                    separators=(",", ":"))
    return f"{text}\n{tail}" if text else tail


def read_tail(text: str | None) -> tuple[str, dict[str, Any]]:
    """The human part of a description and the data of its ``[listenlens]`` line (``{}`` when
    there is none or it does not parse).

    >>> read_tail(with_tail("Buses", {"theme_id": "t-1"}))
    ('Buses', {'theme_id': 't-1'})
    """
    if not text:
        return "", {}
    head, sep, last = text.rpartition("\n")
    line = last if sep else text
    if not line.startswith(TAIL_PREFIX):
        return text, {}
    try:
        data = json.loads(line[len(TAIL_PREFIX):])
    except ValueError:
        return text, {}
    return (head if sep else ""), (data if isinstance(data, dict) else {})
