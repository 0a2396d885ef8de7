"""An interrupted ``analyse`` resumes from its embedding cache: the blocks it finished are kept
and never embedded again; only the rest is embedded on the second run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import listenlens as ll
from listenlens import embedding_cache, pipeline
from listenlens.embedding_cache import EmbeddingCache, text_key
from listenlens.embeddings import HashingEmbedder
from listenlens.pipeline import analyse
from listenlens.synthetic import make_corpus

BLOCK = 64


class Streaming(HashingEmbedder):
    """Embeds block by block like MiniLM (``iter_encode``), notes every text it embeds, and is
    interrupted (Ctrl-C) once ``limit`` texts are done."""

    def __init__(self, limit: int | None = None):
        super().__init__(dim=64)
        self.limit = limit
        self.done: list[str] = []

    def iter_encode(self, texts: list[str], block_size: int = 4096) -> Iterator[np.ndarray]:
        for start in range(0, len(texts), block_size):
            part = []
            for text in texts[start:start + block_size]:
                if self.limit is not None and len(self.done) >= self.limit:
                    raise KeyboardInterrupt("interrupted")
                self.done.append(text)
                part.append(text)
            yield self.encode(part)


def _shards(cache: Path) -> dict[str, tuple[int, list[str]]]:
    """Shard name -> (modification time, text keys)."""
    import json

    return {p.stem: ((p.with_suffix(".npy")).stat().st_mtime_ns,
                     json.loads(p.read_text(encoding="utf-8")))
            for p in cache.rglob("shard-*.json")}


@pytest.mark.slow
def test_an_interrupted_analysis_resumes_and_embeds_no_block_twice(tmp_path, monkeypatch) -> None:
    make_corpus(tmp_path / "corpus", n_units=400, seed=3)
    corpus = ll.load(tmp_path / "corpus", progress=False)
    texts = {u.text for u in corpus.unit_records}
    monkeypatch.setattr(embedding_cache, "BLOCK_SIZE", BLOCK)
    first = Streaming(limit=3 * BLOCK + 10)  # stops inside the fourth block
    monkeypatch.setattr(pipeline, "make_embedder", lambda name, **kw: first)
    with pytest.raises(KeyboardInterrupt):
        analyse(corpus, out=tmp_path / "out", cache_dir=tmp_path / "cache", progress=False)
    assert not (tmp_path / "out").exists()
    kept = _shards(tmp_path / "cache")
    assert len(kept) == 3 and all(len(keys) == BLOCK for _, keys in kept.values())

    second = Streaming()
    monkeypatch.setattr(pipeline, "make_embedder", lambda name, **kw: second)
    result = analyse(corpus, out=tmp_path / "out", cache_dir=tmp_path / "cache", progress=False)
    stored = {k for _, keys in kept.values() for k in keys}
    again = [t for t in second.done if t in texts]
    assert not {text_key(t) for t in again} & stored  # no finished block embedded twice
    assert Counter(again).most_common(1)[0][1] == 1
    assert {text_key(t) for t in again} == {text_key(t) for t in texts} - stored
    after = _shards(tmp_path / "cache")
    assert all(after[name] == kept[name] for name in kept)  # the old shards were not rewritten
    keys = [k for _, ks in after.values() for k in ks]
    assert len(keys) == len(set(keys)) >= len(texts)  # each text in exactly one shard

    # the resumed vectors are those of a run that was never interrupted
    whole = EmbeddingCache(tmp_path / "fresh").encode(HashingEmbedder(dim=64),
                                                      [u.text for u in corpus.unit_records])
    assert np.array_equal(result.themes.embeddings, whole)
