"""Output folders written whole or not at all, with safe file names and reproducible bytes.

:class:`OutputFolder` is how :func:`listenlens.analyse` writes: :meth:`~OutputFolder.prepare`
checks, *before any analysis runs*, that the target is a folder (or can become one), that it
holds nothing but an earlier listenlens run, and that its parent is writable, by creating a
hidden staging folder beside it (``.<name>.partial-XXXX``). Everything is written into the
staging folder; :meth:`~OutputFolder.commit` then swaps it into place with renames, so a reader
sees either the old run or the new one, never half of each, and nothing of the old run (e.g.
the summary of a community that is no longer in the corpus) survives beside the new one. An
exception or a signal while writing leaves the old folder as it was and the staging folder is
removed (:meth:`~OutputFolder.abort`).

:func:`safe_stem` makes a file name from free text (a community name) that is short, portable
and unique; :func:`normalise_zip` rewrites a ``.docx``/``.xlsx`` package with fixed entry
timestamps so the same input and seed give the same bytes. :func:`write_atomic` is how a single
file is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from .errors import NotFittedError, OutputError

__all__ = ["OutputFolder", "safe_stem", "normalise_zip", "write_atomic", "MAX_STEM",
           "is_run_folder", "FIXED_ZIP_TIME"]

#: Longest file stem :func:`safe_stem` makes (well under every file system's 255-byte limit,
#: leaving room for ``.evidence.json``).
MAX_STEM = 60
#: The entry timestamp :func:`normalise_zip` writes when no other is given (the zip epoch).
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8, newlines kept as given) to ``path`` through a temporary
    file beside it, flushed to disk and renamed into place: a reader, another process or a crash
    sees the old file or the new one, never half of one.

    >>> import tempfile
    >>> p = write_atomic(Path(tempfile.mkdtemp()) / "a.txt", "one\\n")
    >>> p.read_text(encoding="utf-8")
    'one\\n'
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def safe_stem(text: str, *, max_len: int = MAX_STEM, fallback: str = "item") -> str:
    """A lower-case ASCII file stem for ``text``: letters and digits joined by ``-``, at most
    ``max_len`` characters. When the text had to be shortened, or held nothing usable, a short
    hash of the full text is appended so two different names never share a stem.

    >>> safe_stem("Eastgate Older People's Forum")
    'eastgate-older-peoples-forum'
    >>> len(safe_stem("x" * 334)) <= MAX_STEM
    True
    >>> safe_stem("x" * 334) != safe_stem("x" * 335)
    True
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace("'", "")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if stem and len(stem) <= max_len:
        return stem
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    head = stem[: max(0, max_len - len(digest) - 1)].rstrip("-")
    return f"{head}-{digest}" if head else f"{fallback}-{digest}"


def is_run_folder(path: Path) -> bool:
    """Whether ``path`` holds the outputs of an earlier listenlens run (its ``manifest.json``
    is a run manifest)."""
    manifest = path / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and str(data.get("format", "")).startswith(
        "listenlens.run-manifest/")


class OutputFolder:
    """A folder written atomically: prepare (check, stage), write into :attr:`staging_`, commit.

    >>> folder = OutputFolder("out/run").prepare()
    >>> _ = (folder.staging_ / "a.txt").write_text("hello")
    >>> folder.commit().name
    'run'
    """

    def __init__(self, target: str | Path):
        self.target = Path(target)

    def __getattr__(self, name: str) -> Any:
        if name == "staging_":
            raise NotFittedError(f"{self.target}: no staging folder yet; call prepare() first")
        raise AttributeError(f"'OutputFolder' object has no attribute {name!r}")

    def prepare(self) -> OutputFolder:
        """Check the target and create the staging folder; raises :class:`OutputError` (before
        anything else is done) when the outputs could not be written there."""
        target = self.target
        if target.exists() and not target.is_dir():
            raise OutputError(f"{target}: exists and is not a folder; give --out a folder "
                              "(new, empty, or the outputs of an earlier run)")
        if target.is_dir():
            if any(target.iterdir()) and not is_run_folder(target):
                raise OutputError(f"{target}: the folder holds files that are not the outputs "
                                  "of an earlier listenlens run; choose a new or empty folder "
                                  "(nothing was changed)")
            self._check_replaceable(target)
        blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            raise OutputError(f"{target}: {blocking} is a file, not a folder; give --out a "
                              "folder (nothing was analysed)")
        parent = target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            staging = tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=parent)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write there ({exc.strerror or exc}); choose a "
                              "folder you can write to (nothing was analysed)") from None
        self.staging_ = Path(staging)
        return self

    @staticmethod
    def _check_replaceable(target: Path) -> None:
        for folder in (target, *(p for p in target.rglob("*") if p.is_dir())):
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputError(f"{folder}: not writable, so the earlier outputs in "
                                  f"{target} cannot be replaced; choose another folder "
                                  "(nothing was analysed)")

    def commit(self) -> Path:
        """Move the staged outputs into place (the earlier run's folder, if any, is removed)."""
        target, staging = self.target, self.staging_
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / "run")
        try:
            os.replace(staging, target)
        except OSError:
            if old is not None:  # put the earlier run back
                os.replace(old / "run", target)
                shutil.rmtree(old, ignore_errors=True)
            raise
        os.chmod(target, 0o777 & ~_umask())
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return target

    def abort(self) -> None:
        """Remove the staging folder (the target is left as it was)."""
        staging = getattr(self, "staging_", None)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)

    def final_path(self, staged: Path) -> Path:
        """Where a file written into the staging folder will be after :meth:`commit`."""
        return self.target / Path(staged).relative_to(self.staging_)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_CORE_TIMES = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_zip(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Rewrite a zip package (``.docx``, ``.xlsx``) in place with every entry's timestamp, and
    the document's created/modified properties (``docProps/core.xml``), set to ``when``
    (default :data:`FIXED_ZIP_TIME`), with fixed permissions, keeping entry order and content,
    so equal content gives equal bytes."""
    p = Path(path)
    stamp = FIXED_ZIP_TIME if when is None else (max(when.year, 1980), when.month, when.day,
                                                 when.hour, when.minute, when.second)
    iso = dt.datetime(*stamp).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(p) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    entries = [(info, _CORE_TIMES.sub(lambda m: m.group(1) + iso + m.group(3),
                                      data.decode("utf-8")).encode("utf-8")
                if info.filename == "docProps/core.xml" else data) for info, data in entries]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            dst.writestr(fixed, data)
    return write_atomic(p, buf.getvalue())
