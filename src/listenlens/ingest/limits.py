"""Bounds on what one input file may cost to read: size, unpacked size, elements, units.

Untrusted files can be built to cost far more to read than they weigh: an 85 KB ``.docx`` that
holds five million empty paragraphs, a 1.5 MB ``.docx`` that unpacks to 1.5 GB, a 50 MB text
file that becomes millions of units. Every file is checked against :class:`Limits` before and
while it is read, and a file over a limit fails fast with a
:class:`~listenlens.errors.LimitError` naming the file, the limit and how to raise it.

The defaults are far above any real transcript or notes file (a three-hour meeting transcript
is about 200 KB of text; a 300-page Word document about 100,000 XML elements) and keep the memory
one file can take to a few hundred megabytes. Override them with ``limits=`` on
:func:`listenlens.load` (a :class:`Limits` or a dict of the fields to change)::

    ll.load("corpus", limits={"max_text_bytes": 64 * 2**20})

or, for the command line, with the ``LISTENLENS_LIMITS`` environment variable, which sets the
defaults (``LISTENLENS_LIMITS="max_text_bytes=67108864,max_units=500000" listenlens load DIR``).
"""

from __future__ import annotations

import dataclasses
import io
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, LimitError, ParseError
from ..validation import check_number

__all__ = ["Limits", "as_limits", "check_file_size", "check_docx_package", "check_units", "MiB"]

MiB = 2**20
_CHUNK = 256 * 1024
_TEXT_SUFFIXES = (".xml", ".rels")


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file bounds (see the module docstring). Every field is a positive integer.

    >>> Limits().max_text_bytes == 16 * MiB
    True
    >>> as_limits({"max_units": 10}).max_units
    10
    """

    #: Bytes of any one file as stored (``.docx`` included), and of events.csv / consent.csv.
    max_file_bytes: int = 64 * MiB
    #: Bytes of a text-format file (``.txt``, ``.vtt``, ``.srt``, ``.md``, ``.csv``, ``.jsonl``).
    max_text_bytes: int = 16 * MiB
    #: Bytes of a ``.docx``'s members once unpacked, all together (declared and actual).
    max_unpacked_bytes: int = 256 * MiB
    #: Members of a ``.docx`` zip.
    max_members: int = 2000
    #: XML elements in a ``.docx``'s XML parts, all together (paragraphs, runs, cells, ...).
    max_xml_elements: int = 500_000
    #: Pieces (units and skips) one file may yield.
    max_units: int = 100_000

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            check_number(f"limit {f.name}", getattr(self, f.name), low=0, low_open=True,
                         whole=True)


def _from_environment() -> dict[str, int]:
    """Overrides from ``LISTENLENS_LIMITS`` (``name=value,name=value``)."""
    spec = os.environ.get("LISTENLENS_LIMITS", "").strip()
    out = {}
    known = {f.name for f in dataclasses.fields(Limits)}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, value = part.partition("=")
        try:
            number = int(value.strip().replace("_", ""))
        except ValueError:
            number = 0
        if name.strip() not in known or number <= 0:
            raise InputError(f"{part!r} is not name=positive integer with a name among "
                             f"{', '.join(sorted(known))}", file="LISTENLENS_LIMITS")
        out[name.strip()] = number
    return out


def as_limits(value: Limits | Mapping[str, int] | None) -> Limits:
    """A :class:`Limits` from ``None`` (the defaults, with any ``LISTENLENS_LIMITS``
    overrides), a ``Limits``, or a dict of overrides of those defaults."""
    if isinstance(value, Limits):
        return value
    value = {**_from_environment(), **dict(value or {})}
    known = {f.name for f in dataclasses.fields(Limits)}
    unknown = set(value) - known
    if unknown:
        raise ValueError(f"unknown limit(s) {', '.join(sorted(unknown))}; known: "
                         f"{', '.join(sorted(known))}")
    return Limits(**dict(value))


def _hint(name: str) -> str:
    return (f"; if the file is genuine, raise the limit: load(..., limits={{'{name}': N}}), "
            f"or LISTENLENS_LIMITS={name}=N for the command line")


def check_file_size(path: Path, display: str, limits: Limits, *, text: bool) -> int:
    """The size of ``path`` in bytes, or a :class:`LimitError` when it is over its limit.

    Checked before the file is read, so an oversized file costs nothing."""
    size = path.stat().st_size
    name = "max_text_bytes" if text else "max_file_bytes"
    bound = getattr(limits, name)
    if size > bound:
        raise LimitError(f"file is {size:,} bytes, over the {bound:,}-byte limit "
                         f"({name}) for this format" + _hint(name), file=display)
    return size


class _Budget:
    """Running totals of unpacked bytes and XML elements while a package is read."""

    def __init__(self, limits: Limits, display: str):
        self.limits, self.display = limits, display
        self.bytes = 0
        self.elements = 0

    def add_bytes(self, n: int, member: str) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_unpacked_bytes:
            raise LimitError(f"unpacks to more than {self.limits.max_unpacked_bytes:,} bytes "
                             f"(reached while reading {member!r}; max_unpacked_bytes): a "
                             "decompression bomb or an unusually large document"
                             + _hint("max_unpacked_bytes"), file=self.display)

    def add_elements(self, n: int, member: str) -> None:
        self.elements += n
        if self.elements > self.limits.max_xml_elements:
            raise LimitError(f"holds more than {self.limits.max_xml_elements:,} XML elements "
                             f"(reached in {member!r}; max_xml_elements)"
                             + _hint("max_xml_elements"), file=self.display)


def _count_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    """Stream one XML member, counting its bytes and its elements as they come.

    Elements are counted as start tags: every ``<`` that does not open an end tag, a
    declaration or a processing instruction (text cannot hold a raw ``<``; one inside a comment
    or CDATA counts too, so the count is an upper bound). Counting bytes needs no parser, so a
    bomb costs no more than reading it up to the limit."""
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            budget.add_bytes(len(chunk), info.filename)
            data = tail + chunk
            opens = data.count(b"<") - (1 if tail == b"<" else 0)
            other = data.count(b"</") + data.count(b"<?") + data.count(b"<!")
            budget.add_elements(opens - other, info.filename)
            tail = data[-1:]


def _count_binary(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            budget.add_bytes(len(chunk), info.filename)


def check_docx_package(raw: bytes, display: str, limits: Limits) -> None:
    """Refuse a ``.docx`` whose zip would cost more than ``limits`` to read.

    Declared sizes are checked first (cheap, before anything is unpacked); then every member is
    unpacked in chunks with the actual bytes and XML elements counted as they come, so a zip
    that lies about its sizes is stopped too. Not a zip at all is left to the docx reader.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise LimitError(f"zip holds {len(infos):,} members, over the limit of "
                             f"{limits.max_members:,} (max_members)" + _hint("max_members"),
                             file=display)
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_unpacked_bytes:
            raise LimitError(f"declares {declared:,} bytes unpacked, over the "
                             f"{limits.max_unpacked_bytes:,}-byte limit (max_unpacked_bytes): "
                             "a decompression bomb or an unusually large document"
                             + _hint("max_unpacked_bytes"), file=display)
        budget = _Budget(limits, display)
        for info in infos:
            if info.is_dir():
                continue
            try:
                if info.filename.lower().endswith(_TEXT_SUFFIXES):
                    _count_xml(zf, info, budget)
                else:
                    _count_binary(zf, info, budget)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
                    EOFError, RuntimeError) as exc:
                raise ParseError(f"not a valid .docx file (member {info.filename!r}: "
                                 f"{type(exc).__name__}: {exc})", file=display) from None


def check_units(count: int, display: str, limits: Limits) -> None:
    """Refuse a file once it has yielded more than ``limits.max_units`` pieces."""
    if count > limits.max_units:
        raise LimitError(f"yields more than {limits.max_units:,} units and skips "
                         "(max_units)" + _hint("max_units"), file=display)

