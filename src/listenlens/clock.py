"""The one clock listenlens reads: timestamps for logs, manifests and project files.

Nothing that decides an analysis result reads it; only records of *when* something happened do.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["utc_now"]


def utc_now() -> str:
    """The current time in UTC, ISO 8601 to the second.

    >>> utc_now().endswith("+00:00")
    True
    """
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
