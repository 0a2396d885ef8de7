"""Bounded reading of untrusted archives and XML, and byte-stable writing of new ones.

Reading: a ``.qdpx`` is a ZIP from another program, so nothing in it is trusted. Every entry name
is checked (no absolute paths, no ``..``, no drive letters or backslashes), the number of entries,
each entry's size and the total size are bounded *while decompressing* (a zip bomb that lies in
its headers is still stopped), and XML is parsed with :mod:`defusedxml` with DTDs, entity
declarations and external references forbidden. Anything refused raises
:class:`UnsafeArchiveError` naming the file and what was wrong.

Writing: entries are sorted by name, every timestamp is fixed and no extra fields are written,
so the same content gives a byte-identical archive on every run and machine.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError, ParseError

__all__ = ["Limits", "UnsafeArchiveError", "read_archive", "parse_xml", "write_archive",
           "ZIP_DATE"]

#: The timestamp of every entry written (the earliest a ZIP can hold).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class UnsafeArchiveError(InputError):
    """An archive or XML document was refused as unsafe (zip bomb, path outside the archive,
    oversized XML, DTD or external entity). Do not open it with other tools either."""

    code = "LL110"


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds for reading one archive (bytes unless said otherwise)."""

    max_entries: int = 20_000
    max_entry_bytes: int = 256 * 2**20
    max_total_bytes: int = 1024 * 2**20
    max_xml_bytes: int = 256 * 2**20
    max_ratio: float = 1000.0


def _check_name(name: str, file: str) -> None:
    bad = (not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name
           or "\x00" in name)
    parts = PurePosixPath(name).parts
    if bad or ".." in parts:
        raise UnsafeArchiveError(f"entry {name!r} points outside the archive; refusing it",
                                 file=file)


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, limits: Limits,
                file: str) -> bytes:
    cap = min(limits.max_entry_bytes, budget)
    if info.file_size > cap:
        raise UnsafeArchiveError(f"entry {info.filename!r} declares {info.file_size} bytes, "
                                 f"over the limit of {cap}", file=file)
    out = io.BytesIO()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 16):
            out.write(chunk)
            if out.tell() > cap:
                raise UnsafeArchiveError(f"entry {info.filename!r} expands past {cap} bytes "
                                         "(a zip bomb?); refusing it", file=file)
    data = out.getvalue()
    if info.compress_size and len(data) > 1024 * 1024 \
            and len(data) / info.compress_size > limits.max_ratio:
        raise UnsafeArchiveError(f"entry {info.filename!r} compresses {len(data) / info.compress_size:.0f}:1 "
                                 f"(limit {limits.max_ratio:.0f}:1); a zip bomb?", file=file)
    return data


def read_archive(path: str | Path, limits: Limits | None = None) -> dict[str, bytes]:
    """Every file entry of a ZIP as ``{name: bytes}``, within ``limits``.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.zip")
    >>> _ = write_archive(p, {"b.txt": b"2", "a.txt": b"1"})
    >>> sorted(read_archive(p))
    ['a.txt', 'b.txt']
    """
    limits = limits or Limits()
    file = str(path)
    if not Path(path).is_file():
        raise InputError("file not found", file=file)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ParseError(f"not a ZIP archive (a .qdpx is one): {exc}", file=file) from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_entries:
            raise UnsafeArchiveError(f"{len(infos)} entries, over the limit of "
                                     f"{limits.max_entries}", file=file)
        out: dict[str, bytes] = {}
        budget = limits.max_total_bytes
        for info in infos:
            _check_name(info.filename, file)
            if info.flag_bits & 0x1:
                raise ParseError(f"entry {info.filename!r} is encrypted", file=file)
            try:
                data = _read_entry(zf, info, budget, limits, file)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise ParseError(f"entry {info.filename!r} cannot be read: {exc}",
                                 file=file) from exc
            budget -= len(data)
            if info.filename in out:
                raise UnsafeArchiveError(f"entry {info.filename!r} appears twice", file=file)
            out[info.filename] = data
    return out


def parse_xml(data: bytes, *, file: str, limits: Limits | None = None) -> Any:
    """The root element of an untrusted XML document (defusedxml; no DTD, no entities, no
    external references; bounded size). Malformed XML raises :class:`ParseError` with the line.
    """
    from xml.etree.ElementTree import ParseError as XmlParseError

    import defusedxml.ElementTree as det
    from defusedxml import DefusedXmlException

    limits = limits or Limits()
    if len(data) > limits.max_xml_bytes:
        raise UnsafeArchiveError(f"XML of {len(data)} bytes is over the limit of "
                                 f"{limits.max_xml_bytes}", file=file)
    try:
        return det.fromstring(data, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeArchiveError(f"XML refused: {type(exc).__name__} ({exc}); DTDs, entity "
                                 "declarations and external references are not allowed",
                                 file=file) from exc
    except XmlParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise ParseError(f"malformed XML: {exc}", file=file, line=line) from exc


def write_archive(path: str | Path, entries: Mapping[str, bytes]) -> Path:
    """Write a ZIP whose bytes depend only on ``entries`` (sorted names, fixed timestamps,
    DEFLATE level 6). The file is written beside its target and renamed into place."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name], compresslevel=6)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(out)
    return out
