"""The listenlens error tree.

Every error carries a stable ``code`` (``LL0xx`` usage, ``LL1xx`` input, ``LL2xx`` corpus, ``LL3xx`` analysis,
``LL4xx`` provenance/consent, ``LL5xx`` outputs) and says what to do. Errors about a file name the file and, where
there is one, the line: ``events.csv:7: duplicate event id 'e03' (first seen on line 4)``.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "ListenlensError",
    "ParameterError",
    "InputError",
    "ParseError",
    "UnknownFormatError",
    "LimitError",
    "printable",
    "CorpusError",
    "ConsentError",
    "NotFittedError",
    "AnalysisError",
    "VerificationError",
    "OutputError",
]


#: Characters that would act on a terminal (C0 controls but tab and newline, DEL, C1 controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""``text`` with terminal control characters shown as escapes, so printing a message that
    quotes file content cannot move the cursor, recolour or retitle the terminal.

    >>> printable("bad\x1b[2Jname")
    'bad\\x1b[2Jname'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


class ListenlensError(Exception):
    """Base class of every error listenlens raises on purpose. Its message never holds raw
    terminal control characters (see :func:`printable`)."""

    code = "LL000"

    def __str__(self) -> str:
        return printable(super().__str__())


class ParameterError(ListenlensError, ValueError):
    """A function or class was given a parameter value it does not accept (checked by
    :mod:`listenlens.validation`, which words every such message the same way)."""

    code = "LL001"


class InputError(ListenlensError):
    """A problem with an input file, located by file and (when known) line."""

    code = "LL100"

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None):
        self.file = str(file) if file is not None else None
        self.line = line
        self.detail = message
        where = ""
        if self.file is not None:
            where = self.file + (f":{line}" if line is not None else "") + ": "
        super().__init__(where + message)


class ParseError(InputError):
    """A file could not be parsed in the format it claims (e.g. a malformed caption timing)."""

    code = "LL101"


class UnknownFormatError(InputError):
    """No reader knows this file's format; name one with ``reader=`` or the ``reader`` column."""

    code = "LL102"


class LimitError(InputError):
    """A file is over one of the reading limits (size, unpacked size, elements, units); the
    message names the limit and how to raise it (:class:`listenlens.ingest.limits.Limits`)."""

    code = "LL103"


class CorpusError(InputError):
    """A corpus folder is inconsistent (events.csv / consent.csv problems, missing files)."""

    code = "LL200"


class ConsentError(ListenlensError):
    """A consent rule would be broken (e.g. quoting a speaker who did not agree to be quoted)."""

    code = "LL400"


class VerificationError(ListenlensError):
    """An exported output does not re-derive from its corpus."""

    code = "LL401"

    def __init__(self, message: str, mismatches: list[str] | None = None):
        self.mismatches = list(mismatches or [])
        shown = "".join(f"\n  - {m}" for m in self.mismatches[:10])
        more = f"\n  ... and {len(self.mismatches) - 10} more" if len(self.mismatches) > 10 else ""
        super().__init__(message + shown + more)


class NotFittedError(ListenlensError, AttributeError):
    """A method needs learned state that only ``fit`` sets."""

    code = "LL300"


class AnalysisError(ListenlensError):
    """An analysis step cannot run on this input (e.g. no units left after filtering)."""

    code = "LL301"


class OutputError(ListenlensError):
    """Outputs cannot be written where asked (a file in the way, a read-only or foreign folder);
    raised before any analysis runs."""

    code = "LL500"
