"""Checks of parameter values, with one wording for every refusal.

Constructors store their arguments; ``fit`` (or the function doing the work) checks them here.
A refusal is a :class:`~listenlens.errors.ParameterError` (also a ``ValueError``) worded
``<name> must be <requirement>; got <value>``.

>>> check_choice("period", "week", ("month", "quarter"))
Traceback (most recent call last):
...
listenlens.errors.ParameterError: period must be one of month, quarter; got 'week'
>>> check_number("sample", 1.5, low=0, high=1, low_open=True)
Traceback (most recent call last):
...
listenlens.errors.ParameterError: sample must be in (0, 1]; got 1.5
>>> check_number("n_runs", 0, low=1, whole=True)
Traceback (most recent call last):
...
listenlens.errors.ParameterError: n_runs must be a whole number at least 1; got 0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection
from typing import Any, TypeVar

from .errors import ParameterError

__all__ = ["check_choice", "check_number", "refuse"]

T = TypeVar("T")


def refuse(name: str, requirement: str, value: Any) -> ParameterError:
    """The error for ``name`` given ``value`` when it must be ``requirement`` (to raise it)."""
    return ParameterError(f"{name} must be {requirement}; got {value!r}")


def check_choice(name: str, value: T, choices: Collection[Any]) -> T:
    """``value`` when it is one of ``choices``; otherwise a :class:`ParameterError`."""
    if value not in choices:
        raise refuse(name, "one of " + ", ".join(str(c) for c in choices), value)
    return value


def _requirement(low: float | None, high: float | None, low_open: bool, high_open: bool,
                 whole: bool) -> str:
    if low is not None and high is not None:
        bounds = f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    elif low is not None:
        bounds = ("positive" if low == 0 and low_open
                  else f"{'greater than' if low_open else 'at least'} {low:g}")
    elif high is not None:
        bounds = f"{'less than' if high_open else 'at most'} {high:g}"
    else:
        bounds = ""
    if not whole:
        return bounds or "a number"
    if bounds == "positive":
        return "a positive whole number"
    return ("a whole number " + bounds).strip()


def check_number(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False, whole: bool = False) -> Any:
    """``value`` when it is a number (a whole one if ``whole``) within the bounds (closed
    unless ``low_open``/``high_open``); otherwise a :class:`ParameterError`. ``True`` and
    ``False`` are not numbers here, nor is NaN.

    >>> check_number("temperature", 0.05, low=0, low_open=True)
    0.05
    """
    kind = numbers.Integral if whole else numbers.Real
    ok = isinstance(value, kind) and not isinstance(value, bool) and not math.isnan(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        raise refuse(name, _requirement(low, high, low_open, high_open, whole), value)
    return value
