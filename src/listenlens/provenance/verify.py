"""Verify an exported briefing or table against its corpus: every quote and figure re-derives.

Every export embeds an *evidence block* (see ``docs/design/contracts.md``):

- HTML: ``<script type="application/json" id="listenlens-evidence">{...}</script>``;
- Markdown, CSV and other text exports: a sibling file ``<stem>.evidence.json`` (also accepted:
  ``<name>.evidence.json``, e.g. ``briefing.md.evidence.json``);
- DOCX: a sibling ``<stem>.evidence.json`` first; otherwise a part inside the package whose name
  contains ``listenlens-evidence`` (a ``.json`` part, or a custom XML part whose text is the JSON).

:func:`verify` re-derives, from the corpus alone:

- **quotes**: the unit exists and its consent is ``quote``; its spans lie inside the unit's spans
  in the same source; ``shown == redact(span_text(source_text, spans, escape)).text`` under the
  same :data:`~listenlens.provenance.redact.REDACTION_VERSION`; and ``shown`` appears in the
  document's visible text;
- **figures** with ``unit_ids``: the value recomputes (``theme_speakers``/``speakers``: distinct
  non-facilitator speaker ids; ``theme_units``/``units``: units; ``events``/``theme_events``:
  distinct events; ``communities``/``theme_communities``: distinct communities), every unit is
  still in the corpus, and a figure with a ``text`` field appears in the document stating that
  value;
- **consent**: no unit whose consent is not ``quote`` appears verbatim in the document;
- **votes** (a briefing with Polis votes): every vote figure re-derives
  (:mod:`listenlens.provenance.verify_votes`);
- **power**: the minimum-detectable-change sentence follows from its figures, its design is the
  corpus's events and the MDC recomputes (:mod:`~listenlens.provenance.verify_power`);
- **freshness**: the block's ``input_hash`` equals ``corpus.input_hash`` (otherwise the export is
  *stale*: built before a withdrawal or from other inputs).

``strict=True`` (the default) raises :class:`~listenlens.errors.VerificationError` listing the
first mismatches; ``strict=False`` returns the :class:`VerifyReport` either way.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..corpus import Corpus
from ..errors import VerificationError
from ..ids import sha256_bytes
from ..phrasing import plural
from ..records import Unit
from ..spans import collapse_ws, span_text
from .cells import restore
from .consent import stale_reason
from .evidence import FIGURE_KINDS, attribution, figure_value
from .redact import REDACTION_VERSION, redact_many, redaction_info
from .verify_power import check_power
from .verify_tables import (
    check_quote_rows,
    check_table_rows,
    expected_attribution,
    known_units,
    participant_numbers,
    read_table,
)
from .verify_votes import check_votes
from .wording import allowed_words

__all__ = ["verify", "VerifyReport", "read_evidence_block", "document_text", "FIGURE_KINDS",
           "EVIDENCE_SCRIPT_ID"]

#: The id of the HTML ``<script>`` element that holds the evidence block.
EVIDENCE_SCRIPT_ID = "listenlens-evidence"
#: Non-quote units shorter than this are not searched for in the document (too common to mean
#: anything, e.g. "Yes." or "Thank you.").
MIN_LEAK_CHARS = 30


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify` checked and what did not re-derive."""

    path: str
    input_hash: str | None
    corpus_hash: str
    n_quotes: int
    n_figures: int
    n_unchecked_figures: int = 0
    stale: bool = False
    #: other facts recomputed: sentences with counts, credit lines, the words shown
    n_statements: int = 0
    mismatches: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when everything re-derived and the export is not stale."""
        return not self.mismatches and not self.stale

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        what = (f"{plural(self.n_quotes, 'quote')}, "
                f"{plural(self.n_figures, 'figure')}")
        if self.n_statements:
            what += f", {self.n_statements} statements"
        if self.n_unchecked_figures:
            what += f" ({self.n_unchecked_figures} without unit ids, not recomputed)"
        if self.ok:
            return f"verified {self.path}: {what} re-derive from the corpus ({self.corpus_hash})"
        head = f"FAILED {self.path}: {what}; {len(self.mismatches)} mismatch(es)"
        if self.stale:
            head += " (stale)"
        return head + "".join(f"\n  - {m}" for m in self.mismatches[:20])


# --- reading the export -------------------------------------------------------------------
class _VisibleText(HTMLParser):
    """Visible text of an HTML page: no scripts, styles or comments; blocks separated."""

    _INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd",
               "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
               "var", "wbr"}
    _HIDDEN = {"script", "style", "template", "noscript", "head", "title"}

    _QUOTING = {"blockquote", "q"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._open_quotes: list[int] = []
        #: the visible text of every <blockquote> and <q> element
        self.quotes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag not in self._INLINE:
            self.parts.append(" ")
        if tag in self._QUOTING:
            self._open_quotes.append(len(self.parts))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag not in self._INLINE:
            self.parts.append(" ")
        if tag in self._QUOTING and self._open_quotes:
            start = self._open_quotes.pop()
            self.quotes.append(collapse_ws(html.unescape("".join(self.parts[start:]))))

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


_SCRIPT = re.compile(
    r"<script\b[^>]*\bid\s*=\s*[\"']" + EVIDENCE_SCRIPT_ID + r"[\"'][^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL)


def _sibling(path: Path) -> Path | None:
    for candidate in (path.with_name(path.stem + ".evidence.json"),
                      path.with_name(path.name + ".evidence.json")):
        if candidate.is_file():
            return candidate
    return None


def _docx_block(path: Path) -> dict[str, Any] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if EVIDENCE_SCRIPT_ID not in name.lower():
                    continue
                raw = zf.read(name).decode("utf-8")
                if raw.lstrip().startswith("<"):
                    raw = "".join(ElementTree.fromstring(raw).itertext())
                return json.loads(raw)
    except zipfile.BadZipFile:
        return None
    return None


def read_evidence_block(path: str | Path) -> dict[str, Any]:
    """The evidence block of an export (see the module docstring for where it is looked for)."""
    p = Path(path)
    if not p.is_file():
        raise VerificationError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix in (".html", ".htm"):
        m = _SCRIPT.search(p.read_text(encoding="utf-8"))
        if m:
            return _parse_block(m.group(1), f"{p} <script id={EVIDENCE_SCRIPT_ID}>")
    sibling = _sibling(p)
    if sibling is not None:
        return _parse_block(sibling.read_text(encoding="utf-8"), str(sibling))
    if suffix == ".docx":
        block = _docx_block(p)
        if block is not None:
            return block
    raise VerificationError(
        f"{p}: no evidence block found (HTML: <script id=\"{EVIDENCE_SCRIPT_ID}\">; other "
        f"formats: {p.stem}.evidence.json beside it); was it exported by listenlens?")


def _parse_block(raw: str, where: str) -> dict[str, Any]:
    try:
        block = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise VerificationError(f"{where}: evidence block is not valid JSON ({exc})") from None
    if not isinstance(block, dict):
        raise VerificationError(f"{where}: evidence block is not a JSON object")
    return block


def _read_html(path: Path) -> _VisibleText:
    """An HTML export read through :class:`_VisibleText` (visible text and quotations)."""
    parser = _VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def document_text(path: str | Path) -> str:
    """The text a reader of the export sees, whitespace collapsed (what quotes must appear in)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".html", ".htm"):
        return collapse_ws(html.unescape("".join(_read_html(p).parts)))
    if suffix == ".docx":
        import docx

        document = docx.Document(str(p))
        parts = [para.text for para in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        for section in document.sections:
            parts.extend(para.text for para in section.header.paragraphs)
            parts.extend(para.text for para in section.footer.paragraphs)
        return collapse_ws("\n".join(parts))
    text = p.read_text(encoding="utf-8-sig")
    if suffix == ".csv":
        cells = [restore(cell) for row in csv.reader(io.StringIO(text)) for cell in row]
        return collapse_ws("\n".join(cells))
    return collapse_ws(text)


def quote_blocks(path: str | Path) -> list[str]:
    """The text of everything an export sets out as a quotation: HTML ``<blockquote>`` and
    ``<q>`` elements, Markdown block quotes (``> ...`` lines, but not the ``> — ...``
    attribution under a quote), DOCX paragraphs in the ``Quote`` style."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".html", ".htm"):
        return _read_html(p).quotes
    if suffix == ".docx":
        import docx

        return [collapse_ws(para.text) for para in docx.Document(str(p)).paragraphs
                if para.style is not None and str(para.style.name).lower().startswith("quote")]
    if suffix in (".md", ".markdown"):
        lines = [html.unescape(_MD_ESCAPE.sub(r"\1", line[1:].strip()))
                 for line in p.read_text(encoding="utf-8-sig").splitlines()
                 if line.startswith(">")]
        return [line for line in lines if line and not line.startswith(("—", "-- "))]
    return []


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def _appears(needle: str, haystacks: tuple[str, ...], *, whole: bool = False) -> bool:
    """Whether ``needle`` is in one of the texts; ``whole``: not inside a longer word or number
    (so "2 people" is not found in "12 people")."""
    needle = collapse_ws(needle)
    if not whole:
        return any(needle in h for h in haystacks)
    pattern = re.compile(r"(?<![\w.,])" + re.escape(needle) + r"(?![\w]|[.,]\d)")
    return any(pattern.search(h) for h in haystacks)


# --- recomputing ---------------------------------------------------------------------------
def _within(spans: list[tuple[int, int]], unit: Unit) -> bool:
    return all(any(us <= s and e <= ue for us, ue in unit.spans) for s, e in spans)


def _model_hint(block: Mapping[str, Any], nlp: Any) -> str:
    """A note when the export was redacted with another tagger version than the one here."""
    recorded = (block.get("redaction") or {}).get("model_version")
    if not recorded:
        return ""
    here = redaction_info(nlp).get("model_version")
    if here and here != recorded:
        return (f" (the export was redacted with tagger version {recorded}, this machine has "
                f"{here})")
    return ""


def _check_quotes(block: Mapping[str, Any], corpus: Corpus, body: tuple[str, ...],
                  nlp: Any) -> list[str]:
    out: list[str] = []
    escape = {s.path: s.escape for s in corpus.source_records}
    pending: list[tuple[str, str, str]] = []  # (label, shown, source text of the spans)
    for i, q in enumerate(block.get("quotes", [])):
        uid = q.get("unit_id", "")
        label = f"quote {i + 1} ({uid})"
        shown = q.get("shown")
        if not isinstance(shown, str):
            out.append(f"{label}: no 'shown' text in the evidence block")
            continue
        try:
            unit = corpus.unit(uid)
        except KeyError:
            out.append(f"{label}: unit is not in the corpus (withdrawn, or from other inputs); "
                       f"shown as {shown!r}")
            continue
        if unit.consent != "quote":
            out.append(f"{label}: {unit.source}:{unit.line} has consent {unit.consent!r}; only "
                       f"'quote' units may be quoted verbatim, but the document quotes {shown!r}")
        if q.get("consent", "quote") != unit.consent:
            out.append(f"{label}: evidence block says consent {q.get('consent')!r}, the corpus "
                       f"says {unit.consent!r}")
        source = q.get("source", unit.source)
        if source != unit.source:
            out.append(f"{label}: source {source!r} is not the unit's source {unit.source!r}")
            continue
        spans = [(int(s), int(e)) for s, e in q.get("spans") or unit.spans]
        if not _within(spans, unit):
            out.append(f"{label}: spans {spans} are not inside the unit's spans "
                       f"{[list(s) for s in unit.spans]}")
            continue
        if source not in corpus.texts:
            out.append(f"{label}: the corpus has no text for source {source!r}")
            continue
        pending.append((label, shown, span_text(corpus.texts[source], spans,
                                                escape.get(source, "none"))))
        if not _appears(shown, body):
            out.append(f"{label}: shown text {shown!r} does not appear in the document "
                       "(edited after export?)")
    redacted = redact_many([p[2] for p in pending], nlp=nlp)
    hint = ""
    for (label, shown, _), r in zip(pending, redacted):
        if r.text != shown:
            hint = hint or _model_hint(block, nlp)
            out.append(f"{label}: shown {shown!r} but the source, redacted, says {r.text!r}"
                       + hint)
    return out


def _check_figures(block: Mapping[str, Any], corpus: Corpus,
                   body: tuple[str, ...]) -> tuple[list[str], int, int]:
    out: list[str] = []
    community = {e.event_id: e.community for e in corpus.event_records}
    checked = unchecked = 0
    for i, f in enumerate(block.get("figures", [])):
        label = f"figure {f.get('id') or i + 1}"
        ids = f.get("unit_ids")
        if ids is None:
            unchecked += 1
            continue
        checked += 1
        if f.get("kind") in _TEXT_FIGURES:
            out += _check_text_figure(label, f, corpus, body)
            continue
        kind = FIGURE_KINDS.get(str(f.get("kind", "")))
        if kind is None:
            out.append(f"{label}: unknown kind {f.get('kind')!r}; verify recomputes "
                       f"{', '.join(sorted(FIGURE_KINDS))}")
            continue
        units, missing = known_units(list(ids), corpus)
        if missing:
            out.append(f"{label}: {len(missing)} unit(s) not in the corpus (withdrawn, or from "
                       f"other inputs): {', '.join(missing[:3])}")
        value = figure_value(kind, units, community)
        stated = f.get("value")
        if stated != value:
            out.append(f"{label}: states {f.get('kind')} = {stated!r}, the corpus gives {value}")
        text = f.get("text")
        if isinstance(text, str) and text:
            if not _appears(text, body, whole=True):
                out.append(f"{label}: text {text!r} does not appear in the document "
                           "(edited after export?)")
            numbers = {n.replace(",", "") for n in re.findall(r"\d[\d,]*", text)}
            if str(stated) not in numbers:
                out.append(f"{label}: text {text!r} does not state the value {stated!r}")
    return out + _check_repeats(block.get("figures", []), body), checked, unchecked


def _check_repeats(figures: list[Any], body: tuple[str, ...]) -> list[str]:
    """Figures that print the same text (two themes both "raised at 3 events, in 2
    communities") need that text as many times: editing one copy must not hide behind the
    other."""
    # one theme's figures may share one sentence ("raised by 5 people at 2 events" states
    # two figures): count each text once per theme that states it
    said = {(f.get("theme_id"), f["text"]) for f in figures
            if isinstance(f, Mapping) and isinstance(f.get("text"), str) and f["text"]}
    wanted = Counter(text for _, text in said)
    out = []
    for text, n in wanted.items():
        if n < 2:
            continue
        pattern = re.compile(r"(?<![\w.,])" + re.escape(collapse_ws(text)) + r"(?![\w]|[.,]\d)")
        found = max(len(pattern.findall(h)) for h in body)
        if 0 < found < n:
            out.append(f"{n} figures state {text!r} but the document says it {found} time(s) "
                       "(edited after export?)")
    return out


#: Figure kinds whose ``text`` is recomputed whole (not a number): a credit line, and the
#: words a theme is described with (which must obey the wording rule).
_TEXT_FIGURES = ("attribution", "wording")


def _check_text_figure(label: str, f: Mapping[str, Any], corpus: Corpus,
                       body: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    ids = [str(u) for u in f.get("unit_ids") or []]
    text = f.get("text")
    if not isinstance(text, str) or not text:
        return [f"{label}: no text to check"]
    if f.get("kind") == "attribution":
        expected = attribution(ids, corpus)
        if text != expected:
            out.append(f"{label}: states {text!r}, the corpus gives {expected!r}")
    else:
        units = [corpus.unit(u) for u in ids if _has_unit(corpus, u)]
        words = [str(w) for w in f.get("words") or []]
        bad = [w for w, ok in allowed_words(words, units).items() if not ok]
        if bad:
            out.append(f"{label}: shows {', '.join(repr(b) for b in bad)}, which too few people "
                       "who agreed to be quoted used (see listenlens.provenance.wording)")
        if any(w not in text for w in words):
            out.append(f"{label}: text {text!r} does not state the words {words}")
    if not _appears(text, body):
        out.append(f"{label}: text {text!r} does not appear in the document (edited after "
                   "export?)")
    return out


def _has_unit(corpus: Corpus, uid: str) -> bool:
    try:
        corpus.unit(uid)
    except KeyError:
        return False
    return True


#: A sentence of a non-quote unit this long is searched for on its own (a person who agreed
#: only to be paraphrased or counted must not be printed sentence by sentence either).
MIN_LEAK_SENTENCE_WORDS = 6
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _leak_candidates(text: str) -> list[str]:
    out = [text] if len(text) >= MIN_LEAK_CHARS else []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if (sentence != text and len(sentence) >= MIN_LEAK_CHARS
                and len(sentence.split()) >= MIN_LEAK_SENTENCE_WORDS):
            out.append(sentence)
    return out


def _check_leaks(corpus: Corpus, body: tuple[str, ...], block: Mapping[str, Any]) -> list[str]:
    """Non-quote units printed verbatim, whole or any sentence of them (unless a checked quote
    says the same)."""
    consent = {u.unit_id: u.consent for u in corpus.unit_records}
    quoted = tuple(collapse_ws(q["shown"]) for q in block.get("quotes", [])
                   if isinstance(q.get("shown"), str) and consent.get(q.get("unit_id")) == "quote")
    out = []
    for u in corpus.unit_records:
        if u.consent == "quote":
            continue
        for said in _leak_candidates(u.text):
            if _appears(said, body) and not _appears(said, quoted):
                part = "its text" if said == u.text else "a sentence of it"
                out.append(f"unit {u.unit_id} ({u.source}:{u.line}) has consent {u.consent!r} "
                           f"but {part} appears verbatim in the document: {said[:60]!r}")
                break
    return out


def _check_quote_marks(block: Mapping[str, Any], text: str, blocks: list[str]) -> list[str]:
    """Anything set out as a quotation that no quote of the evidence block supports: every
    opening “ of the document must start a verified quote (or sit inside one) or a theme name
    the block lists as quoted (``quoted_labels``), and every block quotation must contain a
    verified quote."""
    shown = [collapse_ws(q["shown"]) for q in block.get("quotes", [])
             if isinstance(q.get("shown"), str) and q.get("shown")]
    names = ["“" + collapse_ws(str(label)) + "”" for label in block.get("quoted_labels", [])]
    covered: list[tuple[int, int]] = []
    for needle in ["“" + said for said in shown] + names:
        at = text.find(needle)
        while at != -1:
            covered.append((at, at + len(needle)))
            at = text.find(needle, at + 1)
    out = []
    for m in re.finditer("“", text):
        if not any(a <= m.start() < b for a, b in covered):
            out.append(f"quote-like text {text[m.start():m.start() + 70]!r} is not the quote of "
                       "any unit in the evidence block (invented, or edited after export?)")
    for quoted in blocks:  # (curly quotation marks inside one are checked above)
        if quoted and "“" not in quoted and not any(said in quoted for said in shown):
            out.append(f"block quotation {quoted[:70]!r} is not the quote of any unit in the "
                       "evidence block (invented, or edited after export?)")
    return out


def _check_attributions(block: Mapping[str, Any], corpus: Corpus, text: str) -> list[str]:
    """Every quote credited as the corpus says (speaker number, community, date), wherever the
    document prints it (two people who said the same words may be credited either way)."""
    out: list[str] = []
    numbers = participant_numbers(corpus)
    credits: dict[str, set[str]] = {}
    for i, q in enumerate(block.get("quotes", [])):
        stated, shown = q.get("attribution"), q.get("shown")
        uid = str(q.get("unit_id", ""))
        if not isinstance(stated, str) or not isinstance(shown, str) or not _has_unit(corpus,
                                                                                       uid):
            continue  # a quote without a credit line, or one the quote check reports
        expected = expected_attribution(corpus.unit(uid), corpus, numbers)
        if stated != expected:
            out.append(f"quote {i + 1} ({uid}): credited to {stated!r}, the corpus gives "
                       f"{expected!r}")
        credits.setdefault(collapse_ws(shown), set()).add(collapse_ws(expected))
    for shown, expected_set in credits.items():
        pattern = re.compile(re.escape("“" + shown + "”") + r"[\s>—–-]*")
        for m in pattern.finditer(text):
            if not any(text.startswith(e, m.end()) for e in expected_set):
                out.append(f"quote {shown[:40]!r}: printed with the credit "
                           f"{text[m.end():m.end() + 60]!r}, the corpus gives "
                           f"{' or '.join(sorted(expected_set))!r}")
    return out


# --- integrity against the run's manifest --------------------------------------------------
def _run_manifest(path: Path) -> tuple[Path, dict[str, Any]] | None:
    """The manifest of the run folder ``path`` is in (the folder or its parent), if any."""
    for folder in (path.parent, path.parent.parent):
        candidate = folder / "manifest.json"
        if not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and str(data.get("format", "")).startswith(
                "listenlens.run-manifest/"):
            return folder, data
    return None


def _check_integrity(path: Path) -> list[str]:
    """Files of a run folder must be byte for byte what the run wrote (its manifest records
    the SHA-256 of each): the export and its sibling evidence file."""
    found = _run_manifest(path)
    if found is None:
        return []
    root, data = found
    recorded = {o.get("name"): o.get("sha256") for o in data.get("outputs", [])
                if isinstance(o, dict) and o.get("name")}
    if not recorded:
        return []
    out = []
    sibling = _sibling(path) if path.suffix.lower() not in (".html", ".htm") else None
    for p in (path, sibling):
        if p is None:
            continue
        try:
            name = p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        digest = recorded.get(name)
        if digest is None:
            out.append(f"{name}: not among the files {root / 'manifest.json'} lists (not "
                       "written by that run)")
        elif sha256_bytes(p.read_bytes()) != digest:
            out.append(f"{name}: changed after the run wrote it (its SHA-256 differs from the "
                       f"one in {root / 'manifest.json'})")
    return out


def _as_corpus(corpus: Corpus | str | Path) -> Corpus:
    if isinstance(corpus, Corpus):
        return corpus
    from ..corpus import load, open_corpus

    path = Path(corpus)
    return open_corpus(path) if (path / "manifest.json").is_file() else load(path)


def verify(output_path: str | Path, corpus: Corpus | str | Path, *, strict: bool = True,
           nlp: Any = None) -> VerifyReport:
    """Re-derive every quote and figure of an export from ``corpus`` (see the module docstring).

    ``corpus`` is a :class:`~listenlens.Corpus`, a saved corpus folder or a corpus folder to load.
    Raises :class:`~listenlens.errors.VerificationError` with the first mismatches when
    ``strict`` (the default); otherwise returns the report.

    >>> path = brief(themes, trends, title="What we heard").save("out/briefing.html")
    >>> verify(path, corpus).ok
    True
    """
    corpus = _as_corpus(corpus)
    path = Path(output_path)
    block = read_evidence_block(path)
    text = document_text(path)
    if path.suffix.lower() in (".md", ".markdown"):
        # Markdown exports escape markup characters and may write HTML character references
        unescaped = _MD_ESCAPE.sub(r"\1", text)
        body = (text, unescaped, html.unescape(unescaped))
    else:
        body = (text,)
    mismatches: list[str] = []
    reason = stale_reason(block, corpus)
    if reason:
        mismatches.append(f"stale: {reason}")
    version = (block.get("redaction") or {}).get("version")
    if version != REDACTION_VERSION:
        mismatches.append(f"redaction version {version!r} in the export, this listenlens "
                          f"redacts with version {REDACTION_VERSION}; re-export")
    mismatches += _check_quotes(block, corpus, body, nlp)
    figure_problems, n_checked, n_unchecked = _check_figures(block, corpus, body)
    mismatches += figure_problems
    statement_problems, n_statements, _ = _check_figures(
        {"figures": block.get("statements") or []}, corpus, body)
    mismatches += [f"statement {m.removeprefix('figure ')}" for m in statement_problems]
    mismatches += check_votes(block, corpus, body)  # Polis votes, when the briefing has them
    mismatches += _check_leaks(corpus, body, block)
    mismatches += _check_quote_marks(block, body[-1], quote_blocks(path))
    mismatches += _check_attributions(block, corpus, body[-1])
    mismatches += check_power(block, corpus, body)
    if path.suffix.lower() == ".csv":
        rows = read_table(path)
        if isinstance(block.get("table"), Mapping):
            mismatches += check_table_rows(block["table"], rows, corpus)
        if rows and {"unit_id", "shown"} <= set(rows[0]):
            mismatches += check_quote_rows(block, rows, corpus)
    mismatches += _check_integrity(path)
    report = VerifyReport(path=str(path), input_hash=block.get("input_hash"),
                          corpus_hash=corpus.input_hash, n_quotes=len(block.get("quotes", [])),
                          n_figures=n_checked, n_unchecked_figures=n_unchecked,
                          n_statements=n_statements,
                          stale=reason is not None, mismatches=tuple(mismatches))
    if strict and not report.ok:
        raise VerificationError(f"{path} does not verify against the corpus "
                                f"({len(mismatches)} mismatch(es))", mismatches)
    return report
