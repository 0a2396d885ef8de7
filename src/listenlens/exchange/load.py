"""Import a REFI-QDA project (``.qdpx``): a corpus, a codebook and the codings made in it.

>>> project = ll.load_qdpx("team-coding.qdpx")                   # doctest: +SKIP
>>> project.corpus, project.codes, project.codings               # doctest: +SKIP
>>> themes = ll.find_themes(project.corpus, codebook=project.codebook)   # doctest: +SKIP
>>> project.agreement(themes)                                     # doctest: +SKIP

**Units.** ``units="selections"`` (default): each coded stretch of text becomes a unit (a
selection exported by listenlens comes back as the unit it was, multi-span units included;
selections of other programs with the same range are one unit). ``units="lines"``: every
non-blank line of every source is a unit, and a coding applies to the lines its selection
overlaps, so text nobody coded is analysed too.

**Events.** A source's event is the ``event_id`` variable (on the source or a case that refers
to it; ``event_variable=`` names another), otherwise the source itself. Community and date come
from the variables ``community`` and ``date`` likewise (``community_variable=``,
``date_variable=``; ``community=`` is the fallback); every other variable becomes event metadata.

**Offsets.** ``offsets="auto"`` (default) reads each source's positions as characters, or as
UTF-16 code units when only that reading fits (see :mod:`listenlens.exchange.offsets`);
``"characters"`` or ``"utf16"`` force one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from ..corpus import Corpus
from ..errors import InputError, ParseError
from ..ids import sha256_bytes, stable_hash
from ..ids import unit_id as make_unit_id
from ..records import CONSENT_LEVELS, Event, Skip, Source, Unit
from ..spans import ESCAPES, line_of, span_text
from ..themes.result import ASSIGNMENT_COLUMNS, UNASSIGNED
from ..validation import check_choice
from .archive import Limits, SafeArchive, parse_xml
from .codes import code_table, table_codebook
from .export import MODEL_USER
from .guids import read_tail
from .offsets import OFFSET_UNITS, convert_spans, detect_unit
from .qde import QdeProject, QdeSelection, QdeSource, read_qde

__all__ = ["QdaProject", "load_qdpx", "CODING_COLUMNS"]

CODING_COLUMNS = ["unit_id", "theme_id", "code", "code_guid", "user", "human", "probability",
                  "primary"]


@dataclass(frozen=True)
class QdaProject:
    """What a ``.qdpx`` held, as listenlens records and tables.

    ``corpus``: events, units (exact spans into the source texts) and skips; ``codes``: the code
    tree (:data:`listenlens.exchange.codes.CODE_COLUMNS`); ``codebook``: the codable codes for
    seeding (``None`` without codes); ``codings``: one row per unit and code
    (:data:`CODING_COLUMNS`; ``human`` is False for listenlens's own codings); ``offsets``: the
    offset reading used per source; ``notes``: what was not imported and why.
    """

    path: str
    name: str
    origin: str
    corpus: Corpus
    codes: pd.DataFrame
    codebook: Any
    codings: pd.DataFrame
    offsets: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def human_codings(self) -> pd.DataFrame:
        """The codings people made (the reference for agreement, or review decisions)."""
        return self.codings[self.codings["human"]].reset_index(drop=True)

    @property
    def assignments(self) -> pd.DataFrame:
        """The codings as theme assignments (``unit_id, theme_id, probability, primary``); a
        unit nobody coded is ``t-unassigned``."""
        rows = self.codings[ASSIGNMENT_COLUMNS]
        coded = set(rows["unit_id"])
        extra = pd.DataFrame([(u.unit_id, UNASSIGNED, 0.0, True) for u in
                              self.corpus.unit_records if u.unit_id not in coded],
                             columns=ASSIGNMENT_COLUMNS)
        out = pd.concat([rows, extra], ignore_index=True) if len(extra) else rows.copy()
        return out.drop_duplicates(["unit_id", "theme_id"]).reset_index(drop=True)

    def _remap(self, ids: set[str]) -> dict[str, str]:
        """Reference theme id -> the id ``ids`` know it by: a code listenlens exported keeps its
        old theme id; a re-run seeded with the imported codebook knows it by the codebook id of
        its name."""
        from ..themes.codebook import codebook_theme_id

        return {t: codebook_theme_id(n) for t, n in zip(self.codes["theme_id"], self.codes["name"])
                if t not in ids and codebook_theme_id(n) in ids}

    def agreement(self, themes: Any, **options: Any) -> pd.DataFrame:
        """Cohen's kappa per code and overall between the human codings and ``themes``
        (see :func:`listenlens.exchange.agreement.agreement`)."""
        from .agreement import agreement, model_assignments

        remap = self._remap(set(model_assignments(themes)["theme_id"]))
        ref = self.human_codings.assign(theme_id=lambda d: d["theme_id"].replace(remap))
        labels = {remap.get(t, t): n for t, n in zip(self.codes["theme_id"], self.codes["name"])}
        return agreement(ref, themes, units=self.corpus.units["unit_id"], labels=labels,
                         **options)

    def apply_decisions(self, themes: Any, *, why: str = "coded in a QDA program"
                        ) -> tuple[Any, list[str]]:
        """``themes`` with each person's primary coding of a unit applied as a curation
        ``move`` logged with ``who=`` the coder, so decisions made in another program replay
        like review decisions made in listenlens. Returns the new themes and what could not be
        applied (units or codes ``themes`` does not have)."""
        from ..themes.result import SPECIAL_LABELS

        known = {*themes.theme_ids, *SPECIAL_LABELS}
        remap = self._remap(known)
        units = set(themes.unit_ids)
        human = self.human_codings
        prim = human[human["primary"]].assign(theme_id=lambda d: d["theme_id"].replace(remap))
        skipped = [f"unit {r.unit_id}: {'unit' if r.unit_id not in units else 'code'} "
                   f"{r.unit_id if r.unit_id not in units else repr(r.code)} not in the themes"
                   for r in prim.itertuples() if r.unit_id not in units or r.theme_id not in known]
        ok = prim[prim["unit_id"].isin(units) & prim["theme_id"].isin(known)]
        for (tid, user), group in ok.groupby(["theme_id", "user"], sort=True):
            themes = themes.move(list(group["unit_id"]), tid, who=user, why=why)
        return themes, skipped

    def __repr__(self) -> str:
        return (f"<QdaProject {self.name!r}: {self.corpus.report()}; {len(self.codes)} codes, "
                f"{len(self.codings)} codings ({int(self.codings['human'].sum())} by people)>")


# --- source texts -----------------------------------------------------------------------------
def _decode(data: bytes, where: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"source text is not UTF-8 ({exc})", file=where) from exc


def _source_text(src: QdeSource, entries: Mapping[str, bytes], file: str) -> str | None:
    if src.content is not None and not src.path:
        return src.content
    m = re.fullmatch(r"internal://(.+)", src.path.strip())
    if not m:
        return None
    name = PurePosixPath("sources", m.group(1))
    if ".." in name.parts:
        from .archive import UnsafeArchiveError

        raise UnsafeArchiveError(f"source path {src.path!r} points outside the archive",
                                 file=file)
    key = str(name)
    if key not in entries:
        raise ParseError(f"source {src.name!r} refers to {src.path!r}, which is not in the "
                         "archive", file=file)
    return _decode(entries[key], f"{file}:{key}")


# --- events -----------------------------------------------------------------------------------
_EVENT_FIELDS = ("place", "format", "facilitator", "title")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _slug(name: str) -> str:
    stem = PurePosixPath(name.replace("\\", "/")).stem or name
    slug = re.sub(r"[^0-9A-Za-z]+", "-", stem).strip("-").lower()
    return slug or "source-" + stable_hash(name, length=8)


def _source_values(project: QdeProject) -> dict[str, dict[str, Any]]:
    """Variable values per source GUID: the source's own, then those of cases referring to it."""
    out: dict[str, dict[str, Any]] = {s.guid: dict(s.values) for s in project.sources}
    for case in project.cases:
        for ref in case.sources:
            if ref in out:
                for k, v in case.values.items():
                    out[ref].setdefault(k, v)
    return out


def _event_of(src: QdeSource, vals: dict[str, Any], opts: dict[str, Any]) -> Event:
    _, tail = read_tail(src.description)
    eid = str(vals.get(opts["event_variable"]) or tail.get("event_id") or _slug(src.name))
    known = {opts["event_variable"], opts["community_variable"], opts["date_variable"],
             *_EVENT_FIELDS}
    meta = {k: str(v) for k, v in sorted(vals.items()) if k not in known and str(v).strip()}
    return Event(event_id=eid, community=str(vals.get(opts["community_variable"])
                                             or opts["community"]),
                 date=_date(vals.get(opts["date_variable"], "")),  # type: ignore[arg-type]
                 place=str(vals.get("place", "")), format=str(vals.get("format", "")),
                 facilitator=str(vals.get("facilitator", "")), title=str(vals.get("title", "")),
                 metadata=meta)


def _merge_events(events: list[Event]) -> list[Event]:
    out: dict[str, Event] = {}
    files: dict[str, list[str]] = {}
    for e in events:
        out.setdefault(e.event_id, e)
        files.setdefault(e.event_id, []).extend(e.files)
    return [Event(e.event_id, e.community, e.date, e.place, e.format, e.facilitator, e.title,
                  tuple(files[e.event_id]), e.metadata) for e in out.values()]


# --- units and codings ------------------------------------------------------------------------
@dataclass
class _Ctx:
    codes: dict[str, tuple[str, str]]
    model_user: str
    users: dict[str, str]
    speakers: dict[str, dict[str, Any]]
    opts: dict[str, Any]
    file: str
    units: list[Unit] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    codings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def _unit_tail(description: str) -> dict[str, Any]:
    """The ``[listenlens]`` data of a selection, keeping only well-formed fields (the file is
    untrusted, and people edit descriptions)."""
    _, raw = read_tail(description)
    out: dict[str, Any] = {k: raw[k] for k in ("unit_id", "kind", "speaker_id", "role",
                                               "consent", "parent_id", "event_id")
                           if isinstance(raw.get(k), str)}
    for k in ("part", "line"):
        if isinstance(raw.get(k), int) and not isinstance(raw.get(k), bool) and raw[k] >= 0:
            out[k] = raw[k]
    codings = raw.get("codings")
    if isinstance(codings, list):
        out["codings"] = [(c[0], float(c[1]), c[2]) for c in codings
                          if isinstance(c, list) and len(c) == 3 and isinstance(c[0], str)
                          and _number(c[1]) is not None and isinstance(c[2], bool)]
    time = raw.get("time")
    if isinstance(time, list) and len(time) == 2 and all(
            t is None or _number(t) is not None for t in time):
        out["time"] = time
    return out


def _groups(src: QdeSource, spans: list[tuple[int, int]]
            ) -> list[tuple[list[QdeSelection], list[tuple[int, int]], dict[str, Any]]]:
    """Selections grouped into units: by the unit id listenlens wrote, else by range."""
    groups: dict[tuple[Any, ...], list[tuple[int, QdeSelection, tuple[int, int], dict]]] = {}
    for sel, sp in zip(src.selections, spans):
        tail = _unit_tail(sel.description)
        key = ("unit", tail["unit_id"]) if tail.get("unit_id") else ("range", *sp)
        groups.setdefault(key, []).append((tail.get("part", 0), sel, sp, tail))
    out = []
    for members in groups.values():
        members.sort(key=lambda m: (m[0], m[2]))
        tail = next((m[3] for m in members if m[3].get("unit_id")), {})
        out.append(([m[1] for m in members], [m[2] for m in members], tail))
    out.sort(key=lambda g: (g[1][0], g[1][-1]))
    return out


def _unit(path: str, sha: str, text: str, escape: str, event: Event,
          spans: list[tuple[int, int]], tail: dict[str, Any], who: dict[str, Any],
          ctx: _Ctx) -> Unit | None:
    body = span_text(text, spans, escape)
    line = int(tail.get("line") or line_of(text, spans[0][0]))
    if not body:
        ctx.skips.append(Skip(path, line, "empty", "the selection covers no text", event.event_id))
        return None
    uid = str(tail.get("unit_id") or "")
    if uid in ctx.ids:
        ctx.notes.append(f"unit id {uid} occurs in two sources; the second gets a new id")
        uid = ""
    if not uid:
        n = ctx.seen.get((path, body), 0)
        ctx.seen[(path, body)] = n + 1
        uid = make_unit_id(event.event_id, path, body, n)
    consent = str(tail.get("consent") or who.get("consent") or ctx.opts["default_consent"])
    if consent not in CONSENT_LEVELS:
        consent = ctx.opts["default_consent"]
    time = tail.get("time") or [None, None]
    sid = str(tail.get("speaker_id") or who.get("speaker") or "")
    return Unit(unit_id=uid, event_id=event.event_id, text=body, source=path,
                source_sha256=sha, spans=tuple(spans), char_start=spans[0][0],
                char_end=spans[-1][1], line=line, kind=str(tail.get("kind") or "selection"),
                speaker=sid, speaker_id=sid,
                role=str(tail.get("role") or who.get("role") or "unknown"),
                consent=consent, consent_basis="qdpx" if tail.get("consent") or who else
                "default", time_start=time[0], time_end=time[1],
                parent_id=str(tail.get("parent_id") or ""))


def _coding_rows(unit: Unit, sels: Sequence[QdeSelection], tail: dict[str, Any],
                 ctx: _Ctx) -> list[dict[str, Any]]:
    stated = {str(t): (float(p), bool(prim)) for t, p, prim in tail.get("codings", [])}
    rows: dict[str, dict[str, Any]] = {}
    for sel in sels:
        for code_guid, coding_user in sel.codings:
            if code_guid not in ctx.codes:
                ctx.notes.append(f"selection {sel.guid} codes an unknown code {code_guid}; "
                                 "coding not imported")
                continue
            tid, name = ctx.codes[code_guid]
            user = coding_user or sel.user
            human = user != ctx.model_user
            p, prim = stated.get(tid, (1.0, False)) if not human else (1.0, False)
            rows.setdefault(tid, {"unit_id": unit.unit_id, "theme_id": tid, "code": name,
                                  "code_guid": code_guid, "user": ctx.users.get(user, user),
                                  "human": human, "probability": p, "primary": prim})
    if not rows and UNASSIGNED in stated:
        p, _ = stated[UNASSIGNED]
        return [{"unit_id": unit.unit_id, "theme_id": UNASSIGNED, "code": "", "code_guid": "",
                 "user": MODEL_USER, "human": False, "probability": p, "primary": True}]
    out = list(rows.values())
    first = next((r for r in out if r["primary"]), out[0] if out else None)
    for r in out:
        r["primary"] = r is first
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def _line_groups(src: QdeSource, text: str, spans: list[tuple[int, int]]
                 ) -> list[tuple[list[QdeSelection], list[tuple[int, int]], dict[str, Any]]]:
    out = []
    for s, e in _lines(text):
        sels = [sel for sel, (a, b) in zip(src.selections, spans) if a < e and b > s]
        out.append((sels, [(s, e)], {}))
    return out


def _spans_of(src: QdeSource, text: str, ctx: _Ctx) -> tuple[list[tuple[int, int]], str]:
    raw = [(sel.start, sel.end) for sel in src.selections]
    unit = ctx.opts["offsets"]
    if unit == "auto":
        stated = read_tail(src.description)[1].get("offsets")
        unit = stated if stated in OFFSET_UNITS else detect_unit(text, raw)
    try:
        return convert_spans(text, raw, unit), unit
    except ValueError as exc:
        raise ParseError(f"source {src.name!r}: selection positions do not fit the text read "
                         f"as {unit} ({exc}); try offsets='characters' or 'utf16'",
                         file=ctx.file) from exc


def _read_source(src: QdeSource, text: str, path: str, event: Event, ctx: _Ctx) -> str:
    _, tail = read_tail(src.description)
    escape = str(tail.get("escape") or "none")
    if escape not in ESCAPES:
        ctx.notes.append(f"source {path!r}: unknown escape {escape!r} ignored")
        escape = "none"
    sha = str(tail.get("sha256") or sha256_bytes(text.encode("utf-8")))
    spans, unit_kind = _spans_of(src, text, ctx)
    groups = (_line_groups(src, text, spans) if ctx.opts["units"] == "lines"
              else _groups(src, spans))
    for sels, sp, utail in groups:
        bad = [x for x in sp if not 0 <= x[0] <= x[1] <= len(text)]
        if bad:
            ctx.skips.append(Skip(path, None, "selection-out-of-range",
                                  f"selection {sels[0].guid} at {bad[0]} is outside the "
                                  f"text ({len(text)} characters)", event.event_id))
            continue
        who = next((ctx.speakers[s.guid] for s in sels if s.guid in ctx.speakers), {})
        unit = _unit(path, sha, text, escape, event, sp, utail, who, ctx)
        if unit is not None:
            ctx.ids.add(unit.unit_id)
            ctx.units.append(unit)
            ctx.codings.extend(_coding_rows(unit, sels, utail, ctx))
    if src.n_source_codings:
        ctx.notes.append(f"source {path!r}: {src.n_source_codings} codings of the whole "
                         "source were not imported (only selections are)")
    return unit_kind


def _speakers(project: QdeProject) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for case in project.cases:
        vals = {k: v for k, v in case.values.items() if k in ("speaker", "role", "consent")}
        if vals:
            for ref in case.selections:
                out.setdefault(ref, vals)
    return out


def _paths(project: QdeProject) -> dict[str, str]:
    """A unique corpus path per source: the path listenlens wrote, else the source's name."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for src in project.sources:
        path = str(read_tail(src.description)[1].get("path") or src.name or src.guid)
        if path in taken:
            path = f"{path} [{src.guid[:8]}]"
        taken.add(path)
        out[src.guid] = path
    return out


def _options(opts: dict[str, Any]) -> dict[str, Any]:
    out = {"units": "selections", "offsets": "auto", "event_variable": "event_id",
           "community_variable": "community", "date_variable": "date", "community": "unknown",
           "default_consent": "paraphrase"}
    unknown = set(opts) - set(out)
    if unknown:
        raise TypeError(f"unknown load_qdpx options {sorted(unknown)}; known: {sorted(out)}")
    out.update(opts)
    check_choice("units", out["units"], ("selections", "lines"))
    check_choice("offsets", out["offsets"], ("auto", *OFFSET_UNITS))
    check_choice("default_consent", out["default_consent"], CONSENT_LEVELS[:3])
    return out


def load_qdpx(path: str | Path, *, limits: Limits | None = None, **options: Any
              ) -> QdaProject:
    """Read a REFI-QDA project archive; ``options`` as the module docstring describes
    (``units``, ``offsets``, ``event_variable``, ``community_variable``, ``date_variable``,
    ``community``, ``default_consent``). Unsafe archives raise
    :class:`~listenlens.exchange.archive.UnsafeArchiveError`."""
    file = str(path)
    if Path(path).suffix.lower() != ".qdpx":
        raise InputError("a REFI-QDA project file ends in .qdpx", file=file)
    opts = _options(options)
    with SafeArchive(path, limits) as entries:
        qde = next((k for k in entries if k.lower() == "project.qde"), None)
        if qde is None:
            raise ParseError("no project.qde at the top of the archive; not a REFI-QDA "
                             "project", file=file)
        project = read_qde(parse_xml(entries[qde], file=f"{file}:{qde}", limits=limits),
                           file=file)
        opts["origin"] = project.origin
        table = code_table(project.codes)
        model_user = next((g for g, n in project.users.items()
                           if n in (MODEL_USER, f"{MODEL_USER} (model)")), "\x00none")
        ctx = _Ctx(dict(zip(table["code_guid"], zip(table["theme_id"], table["name"]))),
                   model_user, project.users, _speakers(project), opts, file)
        ctx.notes.extend(f"{what}: only text sources are imported"
                         for what in project.other_sources)
        events, sources, texts, used = _read_sources(project, entries, ctx)
    corpus = Corpus(_merge_events(events), ctx.units, ctx.skips, sources, texts=texts,
                    root=None, params={"qdpx": Path(path).name, "units": opts["units"]})
    codings = pd.DataFrame(ctx.codings, columns=CODING_COLUMNS)
    return QdaProject(file, project.name, project.origin, corpus, table,
                      table_codebook(table, file), codings, used, tuple(ctx.notes))


def _read_sources(project: QdeProject, entries: Mapping[str, bytes], ctx: _Ctx
                  ) -> tuple[list[Event], list[Source], dict[str, str], dict[str, str]]:
    values, paths = _source_values(project), _paths(project)
    events, sources, texts, used = [], [], {}, {}
    for src in project.sources:
        text = _source_text(src, entries, ctx.file)
        path = paths[src.guid]
        if text is None:
            ctx.notes.append(f"source {path!r}: text at {src.path!r} is not inside the "
                             "archive; not imported")
            continue
        event = _event_of(src, values[src.guid], ctx.opts)
        events.append(Event(event.event_id, event.community, event.date, event.place,
                            event.format, event.facilitator, event.title, (path,),
                            event.metadata))
        _, tail = read_tail(src.description)
        sources.append(Source(path=path, sha256=str(tail.get("sha256") or
                                                    sha256_bytes(text.encode("utf-8"))),
                              format=str(tail.get("format") or "qdpx"),
                              encoding=str(tail.get("encoding") or "utf-8"),
                              encoding_note="read from a REFI-QDA project",
                              n_chars=len(text), event_id=event.event_id,
                              escape=tail["escape"] if tail.get("escape") in ESCAPES
                              else "none"))
        texts[path] = text
        used[path] = _read_source(src, text, path, event, ctx)
    return events, sources, texts, used
