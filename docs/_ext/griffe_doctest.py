"""A griffe extension for the API reference: doctest examples in docstrings become code blocks.

Docstrings are written for ``pytest --doctest-modules``: ``>>>`` lines and their output, in plain
paragraphs. Rendered as Markdown, ``>>>`` would nest three block quotes and output such as
``['name', 'phone']`` would read as a link. This extension fences each run of doctest lines (up to
the next blank line) as a ``pycon`` code block and drops ``# doctest:`` directives, which are for
the test runner, not the reader. Only the rendered documentation changes; the source does not.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")


def fence_doctests(text: str) -> str:
    """``text`` with every run of doctest lines fenced as a ``pycon`` block.

    >>> fenced = fence_doctests("Intro.\\n\\n>" ">> 1 + 1  # doctest: +SKIP\\n2\\n\\nAfter.")
    >>> fenced.splitlines()[2:6]
    ['```pycon', '>>> 1 + 1', '2', '```']
    """
    out: list[str] = []
    lines = text.splitlines()
    i, fenced = 0, False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():
            out.append(_DIRECTIVE.sub("", lines[i]))
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Fence doctest examples in every docstring griffe loads."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
