"""The source texts an export writes, and where each unit's spans fall in them.

By default a source is written as the corpus holds it: the decoded text, in which the words of
withdrawn speakers were already blanked at load (or by :func:`listenlens.withdraw`), so the spans
are the units' own. With ``redact=True`` (for sharing outside the team) each source is rebuilt:
the text between units (speaker names, caption timings, headers) is dropped, keeping its line
breaks and putting the speaker's pseudonym at the start of a line; every unit with ``quote``
consent is written redacted (the placeholders the briefings use); units with other consent are
written as ``[consent: paraphrase]`` (or ``aggregate``). Spans are recomputed on the text written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..corpus import Corpus
from ..errors import AnalysisError, ConsentError
from ..records import Unit

__all__ = ["WrittenSource", "written_sources"]


@dataclass(frozen=True, slots=True)
class WrittenSource:
    """One source as written to the archive: its text and every unit's spans in it."""

    path: str
    text: str
    spans: dict[str, tuple[tuple[int, int], ...]]
    redacted: bool = False


def _by_source(corpus: Corpus) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {s.path: [] for s in corpus.source_records}
    for u in corpus.unit_records:
        if u.consent == "withdrawn":
            raise ConsentError(f"unit {u.unit_id} ({u.source}:{u.line}) has consent "
                               "'withdrawn' and must not be exported; withdraw it first")
        out.setdefault(u.source, []).append(u)
    return out


def _redacted_pieces(units: Sequence[Unit], raw: dict[tuple[str, int], str],
                     nlp: object) -> dict[tuple[str, int], str]:
    from ..provenance.redact import redact_many

    keys = [(u.unit_id, i) for u in units if u.consent == "quote" for i in range(len(u.spans))]
    done = redact_many([raw[k] for k in keys], nlp=nlp)
    out = {k: r.text for k, r in zip(keys, done)}
    for u in units:
        if u.consent != "quote":
            for i in range(len(u.spans)):
                out[(u.unit_id, i)] = f"[consent: {u.consent}]" if i == 0 else ""
    return out


def _rebuild(path: str, text: str, units: Sequence[Unit],
             pieces: dict[tuple[str, int], str]) -> WrittenSource:
    order = sorted(((s, e, u, i) for u in units for i, (s, e) in enumerate(u.spans)),
                   key=lambda t: (t[0], t[1], t[2].unit_id, t[3]))
    out: list[str] = []
    pos, cursor = 0, 0
    spans: dict[str, list[tuple[int, int]]] = {}
    for s, e, u, i in order:
        gap = text[cursor:s] if s > cursor else ""
        breaks = gap.count("\n")
        lead = "\n" * breaks if breaks else (" " if out and gap else "")
        if (breaks or not out) and i == 0 and u.speaker_id:
            lead += f"{u.speaker_id}: "
        out.append(lead)
        pos += len(lead)
        piece = pieces[(u.unit_id, i)]
        if i > 0 and piece and spans.get(u.unit_id):
            piece = " " + piece if not piece[:1].isspace() else piece
        cursor = max(cursor, e)
        if not piece:
            continue
        out.append(piece)
        spans.setdefault(u.unit_id, []).append((pos, pos + len(piece)))
        pos += len(piece)
    out.append("\n" * text[cursor:].count("\n"))
    return WrittenSource(path, "".join(out), {k: tuple(v) for k, v in spans.items()}, True)


def written_sources(corpus: Corpus, *, redact: bool = False, nlp: object = None
                    ) -> list[WrittenSource]:
    """Every source of ``corpus`` as it will be written, sorted by path."""
    groups = _by_source(corpus)
    out = []
    for path in sorted(groups):
        if path not in corpus.texts:
            raise AnalysisError(f"source {path!r} has no text in this corpus; cannot export it")
        text, units = corpus.texts[path], groups[path]
        if not redact:
            out.append(WrittenSource(path, text, {u.unit_id: tuple(u.spans) for u in units}))
            continue
        raw = {(u.unit_id, i): text[s:e] for u in units for i, (s, e) in enumerate(u.spans)}
        out.append(_rebuild(path, text, units, _redacted_pieces(units, raw, nlp)))
    return out
