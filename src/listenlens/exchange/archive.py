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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError, ParseError
from ..outputs import write_atomic

__all__ = ["Limits", "UnsafeArchiveError", "SafeArchive", "read_archive", "parse_xml", "write_archive",
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


class SafeArchive(Mapping[str, bytes]):
    """An untrusted ZIP opened for bounded reading: names, counts and declared sizes are checked
    on opening, and each entry is decompressed (within the limits) only when it is read.
    Use it as a context manager; it behaves as a read-only mapping ``name -> bytes``.
    """

    def __init__(self, path: str | Path, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.file = str(path)
        if not Path(path).is_file():
            raise InputError("file not found", file=self.file)
        try:
            self._zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ParseError(f"not a ZIP archive (a .qdpx is one): {exc}", file=self.file) from exc
        try:
            self._infos = self._check(self._zf.infolist())
        except BaseException:
            self._zf.close()
            raise
        self._budget = self.limits.max_total_bytes

    def _check(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        files = [i for i in infos if not i.is_dir()]
        if len(files) > self.limits.max_entries:
            raise UnsafeArchiveError(f"{len(files)} entries, over the limit of "
                                     f"{self.limits.max_entries}", file=self.file)
        out: dict[str, zipfile.ZipInfo] = {}
        for info in files:
            _check_name(info.filename, self.file)
            if info.filename in out:
                raise UnsafeArchiveError(f"entry {info.filename!r} appears twice", file=self.file)
            if info.flag_bits & 0x1:
                raise ParseError(f"entry {info.filename!r} is encrypted", file=self.file)
            self._check_size(info)
            out[info.filename] = info
        declared = sum(i.file_size for i in files)
        if declared > self.limits.max_total_bytes:
            raise UnsafeArchiveError(f"entries declare {declared} bytes in all, over the limit "
                                     f"of {self.limits.max_total_bytes}", file=self.file)
        return out

    def _check_size(self, info: zipfile.ZipInfo) -> None:
        if info.file_size > self.limits.max_entry_bytes:
            raise UnsafeArchiveError(f"entry {info.filename!r} declares {info.file_size} bytes, "
                                     f"over the limit of {self.limits.max_entry_bytes}",
                                     file=self.file)
        if info.file_size > 2**20 and info.file_size > self.limits.max_ratio * max(
                info.compress_size, 1):
            raise UnsafeArchiveError(
                f"entry {info.filename!r} compresses {info.file_size / max(info.compress_size, 1):.0f}:1 "
                f"(limit {self.limits.max_ratio:.0f}:1); a zip bomb?", file=self.file)

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def __getitem__(self, name: str) -> bytes:
        info = self._infos[name]
        try:
            data = _read_entry(self._zf, info, self._budget, self.limits, self.file)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise ParseError(f"entry {name!r} cannot be read: {exc}", file=self.file) from exc
        self._budget -= len(data)
        return data

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_archive(path: str | Path, limits: Limits | None = None) -> dict[str, bytes]:
    """Every file entry of a ZIP as ``{name: bytes}``, within ``limits``.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.zip")
    >>> _ = write_archive(p, {"b.txt": b"2", "a.txt": b"1"})
    >>> sorted(read_archive(p))
    ['a.txt', 'b.txt']
    """
    with SafeArchive(path, limits) as archive:
        return {name: archive[name] for name in archive}


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
    return write_atomic(out, buf.getvalue())
