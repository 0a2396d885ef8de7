"""Structure checks on ``src/listenlens``, read from the syntax tree (no import, no new tool).

- No module reads or writes another module's private names: no ``obj._name`` unless ``_name``
  is defined in the same module (a class there, ``self._name`` set there, ...); no
  ``from x import _name`` across modules (a module's private helpers stay its own; share a public
  name instead). Other libraries' underscore names are allowed only where listed in
  ``THIRD_PARTY`` with the reason.
- No function is longer than 80 lines.

Each check is tried on a small hand-written source first, so it is known to be able to fail.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "listenlens"
MAX_FUNCTION_LINES = 80
#: underscore names that are public API by convention (namedtuple methods)
PUBLIC_UNDERSCORE = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}
#: other libraries' underscore names with no public alternative, each with where it is needed
THIRD_PARTY = {
    "_p": "python-docx: a paragraph's XML element (reading layout, writing the evidence part)",
    "_r": "python-docx: a run's XML element",
    "_tc": "python-docx: a table cell's XML element",
    "_tr": "python-docx: a table row's XML element (repeating header rows)",
    "_SubParsersAction": "argparse: the type of add_subparsers(), for annotations",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _private(name: str) -> bool:
    return (name.startswith("_") and not name.startswith("__")
            and name not in PUBLIC_UNDERSCORE)


def _own_private_names(tree: ast.Module) -> set[str]:
    """Private names a module defines itself: functions, classes, assigned names, attributes
    set on ``self`` / ``cls``. Code may use its own module's private names freely."""
    own = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
              and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            own.add(node.attr)
    return {name for name in own if _private(name)}


class _PrivateAccess(ast.NodeVisitor):
    """Collects ``obj._name`` for another module's ``_name``, and ``from x import _name``."""

    def __init__(self, path: str, own: set[str]) -> None:
        self.path = path
        self.own = own
        self.found: list[Finding] = []

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if _private(node.attr) and node.attr not in self.own | set(THIRD_PARTY):
            verb = "writes" if isinstance(node.ctx, (ast.Store, ast.Del)) else "reads"
            self.found.append(Finding(self.path, node.lineno,
                                      f"{verb} {ast.unparse(node)} (another module's private name)"))
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = "." * node.level + (node.module or "")
        for alias in node.names:
            if _private(alias.name) and not _is_private_module(self.path, node, alias.name):
                self.found.append(Finding(self.path, node.lineno,
                                          f"imports {alias.name} from {source}"))


def _is_private_module(path: str, node: ast.ImportFrom, name: str) -> bool:
    """``from . import _helpers``: a private submodule of the importer's own package."""
    if node.level == 0 or path == "<test>":
        return False
    package = (SRC.parent / path).parent
    for _ in range(node.level - 1):
        package = package.parent
    if node.module:
        package = package.joinpath(*node.module.split("."))
    return (package / f"{name}.py").is_file() or (package / name / "__init__.py").is_file()


def private_access(source: str, path: str = "<test>") -> list[Finding]:
    tree = ast.parse(source)
    visitor = _PrivateAccess(path, _own_private_names(tree))
    visitor.visit(tree)
    return visitor.found


def long_functions(source: str, path: str = "<test>",
                   limit: int = MAX_FUNCTION_LINES) -> list[Finding]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            n = node.end_lineno - node.lineno + 1
            if n > limit:
                found.append(Finding(path, node.lineno, f"{node.name} is {n} lines"))
    return found


def _sources() -> list[tuple[str, str]]:
    files = sorted(SRC.rglob("*.py"))
    assert files, f"no sources under {SRC}"
    return [(str(p.relative_to(SRC.parent)), p.read_text(encoding="utf-8")) for p in files]


def test_the_private_name_check_catches_what_it_should() -> None:
    source = '''
from listenlens.project import _parse_date
from .storage import _field_names, public_name
import os


class Themes:
    _secret = 1

    def __init__(self):
        self._table = None

    def copy(self, other):
        new = Themes()
        new._table = other._table  # the owning class may touch its own private state
        return new._table, self._table


def same_module(themes):
    themes._table = None  # Themes is defined here: its private names are this module's own
    return Themes._secret


def outside(registry, row, paragraph):
    registry._retire("t-1")
    registry._rows = []
    return (registry._labels, row._replace(a=1), os._exit, type(row).__name__,
            paragraph._p)
'''
    found = [(f.line, f.what) for f in private_access(source)]
    assert found == [
        (2, "imports _parse_date from listenlens.project"),
        (3, "imports _field_names from .storage"),
        (25, "reads registry._retire (another module's private name)"),
        (26, "writes registry._rows (another module's private name)"),
        (27, "reads registry._labels (another module's private name)"),
        (27, "reads os._exit (another module's private name)"),
    ]


def test_the_length_check_counts_every_line_of_a_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(79))
    source = f"def fits():\n{body}\n\n\ndef too_long():\n{body}\n    x = 0\n"
    assert [f.what for f in long_functions(source)] == ["too_long is 81 lines"]


@pytest.mark.parametrize("check", [private_access, long_functions],
                         ids=["no private names across modules", "no function over 80 lines"])
def test_src_follows_the_structure_rules(check) -> None:  # noqa: ANN001 - a check function
    findings = [f for path, source in _sources() for f in check(source, path)]
    assert not findings, f"{len(findings)} found:\n" + "\n".join(map(str, findings))
