"""spaCy analyses kept on disk, so a re-run of the same fit does not parse the same texts again.

Labels and keywords read each theme's texts with spaCy (:mod:`listenlens.themes.labels`): the
tagger tells nouns from other words, the full pipeline finds noun phrases and names. On a re-run
with a cache folder the texts are the same, and so are the analyses; parsing them again was the
largest part of a cached re-run (about 3 of 5.5 seconds on 6,000 units). :func:`parsed` keeps
the analyses of one call as one ``DocBin`` file (token text, tags, parse, entities), named by a
hash of the model's name and version, the pipeline's components and every text, and reads them
back when the same call comes again; anything else parses afresh. Files are written under a
temporary name and renamed, so a reader never sees half of one, and an unreadable file is
parsed afresh and replaced.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> [d.text for d in parsed(["A bus.", "The damp."], nlp, cache_dir=None)]
['A bus.', 'The damp.']
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..outputs import write_atomic

__all__ = ["parsed", "parse_key"]


def parse_key(texts: Sequence[str], nlp: Any) -> str:
    """Hash of what the analyses depend on: the model's name and version, the spaCy version,
    the pipeline's components and every text (in order)."""
    import spacy

    meta = nlp.meta
    digest = hashlib.sha256()
    for part in (spacy.__version__, meta.get("name", ""), meta.get("version", ""),
                 ",".join(nlp.pipe_names), str(len(texts))):
        digest.update(part.encode("utf-8") + b"\x00")
    for text in texts:
        digest.update(text.encode("utf-8") + b"\x00")
    return digest.hexdigest()[:32]


def parsed(texts: Sequence[str], nlp: Any, *, cache_dir: str | Path | None,
           batch_size: int = 128) -> list[Any]:
    """spaCy ``Doc`` objects of ``texts`` (``nlp.pipe``), read from ``cache_dir`` when an earlier
    call with the same texts and pipeline stored them there; stored when not. Without a cache
    folder this is ``list(nlp.pipe(texts))``."""
    if cache_dir is None:
        return list(nlp.pipe(texts, batch_size=batch_size))
    from spacy.tokens import DocBin

    path = Path(cache_dir) / f"{parse_key(texts, nlp)}.spacy"
    if path.is_file():
        try:
            docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        except (OSError, ValueError, KeyError):
            docs = []
        if len(docs) == len(texts) and all(d.text == t for d, t in zip(docs, texts)):
            return docs
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    _store(DocBin(docs=docs), path)
    return docs


def _store(docs: Any, path: Path) -> None:
    """Write ``docs`` (a DocBin) to ``path`` atomically (:func:`listenlens.outputs.write_atomic`);
    a folder that cannot be written only means the next run parses again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, docs.to_bytes())
    except OSError:
        return
