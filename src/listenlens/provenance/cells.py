"""Spreadsheet cells that cannot run: formula neutralisation for every table listenlens writes.

Community names, quotes and labels come from people who did not write the software, and a table
is opened in Excel or LibreOffice by people who did not write the table. A cell whose text starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) is read as a formula
by a spreadsheet: ``=HYPERLINK("http://evil","Eastgate")`` would become a live link. Following
the OWASP advice on CSV injection, text cells that a spreadsheet would read as a formula get a
leading apostrophe (``'``), which spreadsheets show as "text, not a formula"; the rest of the
text is kept exactly.

The escape is reversible, so ``verify`` reads the true value back: :func:`restore` removes the
apostrophe again. To keep that unambiguous, text that already starts with apostrophes followed by
a formula character gets one more (``'=x`` is written ``''=x``). Numbers are never touched: a
numeric column stays numeric, and a text cell holding a plain number (``-3``, ``+0.5``) cannot
be a formula.

>>> neutralise('=HYPERLINK("http://evil","Eastgate")')
'\\'=HYPERLINK("http://evil","Eastgate")'
>>> restore(neutralise("=1+1")), restore(neutralise("'=1+1")), neutralise("-3")
('=1+1', "'=1+1", '-3')
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_START", "neutralise", "restore", "neutralise_frame", "is_formula_like"]

#: Characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = "=+-@\t\r"
_RISKY = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (a plain number cannot)."""
    return bool(_RISKY.match(text)) and not _PLAIN_NUMBER.match(text)


def neutralise(value: Any) -> Any:
    """``value`` safe to write into a table cell: formula-like text gets a leading ``'``;
    anything that is not text is returned as it is."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The value a neutralised cell stood for (the inverse of :func:`neutralise` on text)."""
    if _ESCAPED.match(text) and not _PLAIN_NUMBER.match(text[1:]):
        return text[1:]
    return text


def neutralise_frame(frame: Any) -> Any:
    """A copy of a DataFrame with every text cell neutralised and the column names too."""
    from pandas.api import types

    out = frame.copy()
    for col in out.columns:
        kind = out[col].dtype
        if not (types.is_numeric_dtype(kind) or types.is_bool_dtype(kind)
                or types.is_datetime64_any_dtype(kind) or types.is_timedelta64_dtype(kind)):
            out[col] = out[col].astype(object).map(neutralise)  # text, categories, mixed
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out
