"""Read a QDA-XML document (``project.qde`` or a ``.qdc`` codebook) into plain records.

Only the parts listenlens uses are read: users, codes (with their nesting), variables, cases,
text sources with their plain-text selections and codings. Elements are matched by local name,
so the codebook namespace and a missing namespace are read the same way. Nothing here touches
the file system: source texts come from the archive entries the caller passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import ParseError

__all__ = ["QdeCode", "QdeSelection", "QdeSource", "QdeCase", "QdeProject", "read_qde",
           "read_codes"]


@dataclass(frozen=True, slots=True)
class QdeCode:
    """One code; ``parent`` is the enclosing code's GUID (``""`` at the top)."""

    guid: str
    name: str
    parent: str = ""
    description: str = ""
    color: str = ""
    codable: bool = True


@dataclass(frozen=True, slots=True)
class QdeSelection:
    """A ``PlainTextSelection``: positions as written, codings as ``(code guid, user guid)``."""

    guid: str
    name: str
    start: int
    end: int
    user: str = ""
    description: str = ""
    codings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class QdeSource:
    """A ``TextSource`` with its selections and variable values."""

    guid: str
    name: str
    path: str = ""
    content: str | None = None
    description: str = ""
    selections: tuple[QdeSelection, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    n_source_codings: int = 0


@dataclass(frozen=True, slots=True)
class QdeCase:
    """A ``Case``: variable values by variable name, referenced sources and selections."""

    guid: str
    name: str
    description: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    selections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QdeProject:
    name: str
    origin: str
    users: dict[str, str]
    codes: tuple[QdeCode, ...]
    cases: tuple[QdeCase, ...]
    sources: tuple[QdeSource, ...]
    other_sources: tuple[str, ...] = ()


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _kids(el: Any, name: str) -> list[Any]:
    return [k for k in el if _local(k) == name]


def _kid(el: Any, name: str) -> Any:
    found = _kids(el, name)
    return found[0] if found else None


def _text(el: Any, name: str) -> str:
    k = _kid(el, name)
    return (k.text or "") if k is not None else ""


def _int(el: Any, attr: str, file: str) -> int:
    raw = el.get(attr)
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        raise ParseError(f"{_local(el)} {el.get('guid', '')!r}: {attr}={raw!r} is not an "
                         "integer", file=file) from None


def read_codes(container: Any) -> list[QdeCode]:
    """Every ``Code`` under a ``CodeBook`` or ``Codes`` element, parents before children."""
    codes_el = container if _local(container) == "Codes" else _kid(container, "Codes")
    out: list[QdeCode] = []

    def walk(el: Any, parent: str) -> None:
        for code in _kids(el, "Code"):
            g = code.get("guid") or ""
            out.append(QdeCode(g, code.get("name") or "", parent, _text(code, "Description"),
                               code.get("color") or "",
                               (code.get("isCodable") or "true").strip() in ("true", "1")))
            walk(code, g)

    if codes_el is not None:
        walk(codes_el, "")
    return out


def _values(el: Any, variables: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for vv in _kids(el, "VariableValue"):
        ref = _kid(vv, "VariableRef")
        name = variables.get(ref.get("targetGUID", "") if ref is not None else "", "")
        value = next((k.text or "" for k in vv if _local(k) != "VariableRef"), "")
        if name:
            out[name] = value.strip()
    return out


def _selection(el: Any, file: str) -> QdeSelection:
    codings = []
    for c in _kids(el, "Coding"):
        ref = _kid(c, "CodeRef")
        if ref is not None and ref.get("targetGUID"):
            codings.append((ref.get("targetGUID"), c.get("creatingUser") or ""))
    return QdeSelection(el.get("guid") or "", el.get("name") or "",
                        _int(el, "startPosition", file), _int(el, "endPosition", file),
                        el.get("creatingUser") or "", _text(el, "Description"), tuple(codings))


def _sources(root: Any, variables: dict[str, str], file: str
             ) -> tuple[list[QdeSource], list[str]]:
    holder = _kid(root, "Sources")
    out, other = [], []
    for el in (list(holder) if holder is not None else []):
        if _local(el) != "TextSource":
            other.append(f"{_local(el)} {el.get('name') or el.get('guid')!r}")
            continue
        content = _kid(el, "PlainTextContent")
        out.append(QdeSource(
            el.get("guid") or "", el.get("name") or "", el.get("plainTextPath") or "",
            None if content is None else (content.text or ""), _text(el, "Description"),
            tuple(_selection(s, file) for s in _kids(el, "PlainTextSelection")),
            _values(el, variables), len(_kids(el, "Coding"))))
    return out, other


def read_qde(root: Any, *, file: str) -> QdeProject:
    """The records of a parsed ``Project`` element."""
    if _local(root) != "Project":
        raise ParseError(f"the root element is <{_local(root)}>, not <Project>", file=file)
    users = {u.get("guid", ""): (u.get("name") or u.get("id") or "")
             for u in _kids(_kid(root, "Users"), "User")} if _kid(root, "Users") is not None \
        else {}
    book = _kid(root, "CodeBook")
    codes = read_codes(book) if book is not None else []
    var_el = _kid(root, "Variables")
    variables = {v.get("guid", ""): v.get("name") or ""
                 for v in (_kids(var_el, "Variable") if var_el is not None else [])}
    cases = []
    case_el = _kid(root, "Cases")
    for c in (_kids(case_el, "Case") if case_el is not None else []):
        cases.append(QdeCase(c.get("guid") or "", c.get("name") or "", _text(c, "Description"),
                             _values(c, variables),
                             tuple(r.get("targetGUID", "") for r in _kids(c, "SourceRef")),
                             tuple(r.get("targetGUID", "") for r in _kids(c, "SelectionRef"))))
    sources, other = _sources(root, variables, file)
    return QdeProject(root.get("name") or "", root.get("origin") or "", users, tuple(codes),
                      tuple(cases), tuple(sources), tuple(other))
