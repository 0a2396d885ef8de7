"""Export an analysis as a REFI-QDA project (``.qdpx``) or codebook (``.qdc``).

What goes in (see ``docs/guide/qda-tools.md``):

- every transcript as a ``TextSource`` whose plain text sits in ``sources/<guid>.txt``, named by
  its path in the corpus;
- ``Cases``: one per event (variables event_id, community, date, place, format, facilitator,
  title and any extra event metadata), one per community, one per speaker at an event
  (pseudonym, role, consent; the speaker's selections attached);
- the ``CodeBook``: one ``Code`` per theme (nested when ``parents`` gives a hierarchy) with its
  label, keywords and counts in the description and its chart colour; codebook themes keep the
  codebook's description; facilitator housekeeping is a code of its own; unassigned units carry
  no coding;
- one ``PlainTextSelection`` per unit span (a multi-span unit gives several) with a ``Coding``
  per theme assignment; the model's confidence is in the selection's description; codings a
  person decided (curation ``move`` with ``who=``) are created by that user.

Everything is derived from the analysis (GUIDs are UUID 5 of ids; entries sorted; fixed ZIP
timestamps), so exporting the same analysis twice gives byte-identical archives.

>>> themes.to_qdpx("out/analysis.qdpx").name
'analysis.qdpx'
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..corpus import Corpus
from ..errors import AnalysisError
from ..phrasing import plural
from ..records import Unit
from ..themes.result import UNASSIGNED
from ..validation import check_choice
from .archive import write_archive
from .guids import guid, with_tail
from .offsets import OFFSET_UNITS, utf16_table
from .sources import WrittenSource, written_sources

__all__ = ["NS", "CODEBOOK_NS", "write_qdpx", "write_qdc", "project_xml", "MODEL_USER"]

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MODEL_USER = "listenlens"
_EVENT_VARS = ("event_id", "community", "date", "place", "format", "facilitator", "title")
_SPEAKER_VARS = ("speaker", "role", "consent")


def _el(parent: ET.Element | None, tag: str, ns: str = NS, text: str | None = None,
        **attrs: Any) -> ET.Element:
    clean = {k.rstrip("_"): str(v) for k, v in attrs.items() if v is not None}
    el = ET.Element(f"{{{ns}}}{tag}", clean) if parent is None else \
        ET.SubElement(parent, f"{{{ns}}}{tag}", clean)
    if text is not None:
        el.text = text
    return el


# --- who coded what ---------------------------------------------------------------------------
def _human_decisions(themes: Any) -> dict[str, tuple[str, str]]:
    """unit id -> (who, when) of the last logged decision about it made by a named person."""
    out: dict[str, tuple[str, str]] = {}
    for entry in getattr(themes, "log", []) or []:
        who = str(entry.get("who") or "").strip()
        ids = (entry.get("args") or {}).get("unit_ids") or []
        if who and ids:
            for uid in ids:
                out[str(uid)] = (who, str(entry.get("when") or ""))
    return out


def _datetime(value: str) -> str | None:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.isoformat(timespec="seconds")


# --- codebook ---------------------------------------------------------------------------------
def _code_descriptions(themes: Any, codebook: Any) -> dict[str, str]:
    from ..themes.codebook import codebook_theme_id, load_codebook

    if codebook is None:
        source = ((themes.params.get("codebook") or {}).get("source") or "")
        if not source or not Path(source).is_file():
            return {}
        codebook = source
    return {codebook_theme_id(c.name): c.description for c in load_codebook(codebook).codes}


def _code_rows(themes: Any, codebook: Any) -> list[dict[str, Any]]:
    from ..themes.result import HOUSEKEEPING
    from ..trends import theme_colours

    table = themes.table
    prim = themes.assignments[themes.assignments["primary"]]
    has_house = bool((prim["theme_id"] == HOUSEKEEPING).any())
    colours = theme_colours([*table["theme_id"], HOUSEKEEPING])
    original = _code_descriptions(themes, codebook)
    rows = []
    for r in table.itertuples():
        counts = (f"{plural(r.n_units, 'unit')} from {plural(r.n_speakers, 'person', 'people')} at "
                  f"{plural(r.n_events, 'event')} ({plural(r.n_communities, 'community', 'communities')}).")
        kw = f" Keywords: {', '.join(r.keywords[:10])}." if len(r.keywords) else ""
        human = original.get(r.theme_id) or f"{r.label}."
        text = f"{human}{kw} {counts}"
        rows.append({"theme_id": r.theme_id, "name": r.label or r.theme_id,
                     "colour": colours[r.theme_id],
                     "text": text, "origin": r.origin})
    if has_house:
        rows.append({"theme_id": HOUSEKEEPING, "name": themes.label(HOUSEKEEPING),
                     "colour": colours[HOUSEKEEPING], "origin": "special",
                     "text": "Facilitator housekeeping (introductions, logistics, thanks), set "
                             "aside by listenlens and not counted in any theme."})
    return rows


def _codebook_el(parent: ET.Element | None, rows: list[dict[str, Any]],
                 parents: Mapping[str, str], ns: str = NS) -> ET.Element:
    known = {r["theme_id"] for r in rows}
    bad = {k: v for k, v in parents.items() if k not in known or v not in known or k == v}
    if bad:
        raise AnalysisError(f"parents name themes that are not in the analysis: {bad}")
    root = _el(parent, "CodeBook", ns) if parent is not None else None
    codes = _el(root, "Codes", ns) if root is not None else _el(None, "Codes", ns)
    made: dict[str, ET.Element] = {}

    def add(row: dict[str, Any], seen: tuple[str, ...] = ()) -> ET.Element:
        tid = row["theme_id"]
        if tid in made:
            return made[tid]
        if tid in seen:
            raise AnalysisError(f"the theme hierarchy has a cycle through {tid}")
        up = parents.get(tid)
        holder = add(by_id[up], (*seen, tid)) if up else codes
        el = _el(holder, "Code", ns, guid=guid("theme", tid), name=row["name"],
                 isCodable="true", color=row["colour"])
        _el(el, "Description", ns, with_tail(row["text"], {"theme_id": tid,
                                                          "origin": row["origin"]}))
        made[tid] = el
        return el

    by_id = {r["theme_id"]: r for r in rows}
    for row in rows:
        add(row)
    return root if root is not None else codes


# --- variables and cases ----------------------------------------------------------------------
def _event_values(corpus: Corpus) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for e in corpus.event_records:
        vals: dict[str, Any] = {"event_id": e.event_id, "community": e.community,
                                "date": e.date, "place": e.place, "format": e.format,
                                "facilitator": e.facilitator, "title": e.title}
        for k in sorted(e.metadata):
            if k not in vals and str(e.metadata[k]).strip():
                vals[k] = str(e.metadata[k])
        out[e.event_id] = {k: v for k, v in vals.items() if v not in (None, "")}
    return out


def _variables(project: ET.Element, names: list[str]) -> dict[str, str]:
    holder = _el(project, "Variables")
    out = {}
    for name in names:
        out[name] = guid("variable", name)
        var = _el(holder, "Variable", guid=out[name], name=name,
                  typeOfVariable="Date" if name == "date" else "Text")
        _el(var, "Description", text="listenlens " + ("speaker" if name in _SPEAKER_VARS
                                                      else "event") + " variable")
    return out


def _value(parent: ET.Element, var_guid: str, value: Any) -> None:
    vv = _el(parent, "VariableValue")
    _el(vv, "VariableRef", targetGUID=var_guid)
    if isinstance(value, dt.date):
        _el(vv, "DateValue", text=value.isoformat())
    else:
        _el(vv, "TextValue", text=str(value))


def _speakers(corpus: Corpus) -> dict[tuple[str, str], list[Unit]]:
    out: dict[tuple[str, str], list[Unit]] = {}
    for u in corpus.unit_records:
        if u.speaker_id:
            out.setdefault((u.event_id, u.speaker_id), []).append(u)
    return dict(sorted(out.items()))


def _cases(project: ET.Element, corpus: Corpus, written: list[WrittenSource],
           variables: dict[str, str], events: dict[str, dict[str, Any]]) -> None:
    cases = _el(project, "Cases")
    by_event: dict[str, list[str]] = {}
    for s in corpus.source_records:
        by_event.setdefault(s.event_id, []).append(s.path)
    exported = {w.path for w in written}
    for eid in sorted(events):
        vals = events[eid]
        case = _el(cases, "Case", guid=guid("event", eid), name=eid)
        summary = ", ".join(str(vals[k]) for k in ("community", "date", "place", "format")
                            if k in vals)
        _el(case, "Description", text=with_tail(summary, {"kind": "event", "event_id": eid}))
        for k, v in vals.items():
            _value(case, variables[k], v)
        for path in sorted(p for p in by_event.get(eid, []) if p in exported):
            _el(case, "SourceRef", targetGUID=guid("source", path))
    communities: dict[str, list[str]] = {}
    for eid, vals in events.items():
        communities.setdefault(vals.get("community", ""), []).append(eid)
    for name in sorted(c for c in communities if c):
        case = _el(cases, "Case", guid=guid("community", name), name=name)
        _el(case, "Description", text=with_tail(f"Community: {name}", {"kind": "community"}))
        _value(case, variables["community"], name)
        paths = sorted(p for e in communities[name] for p in by_event.get(e, []) if p in exported)
        for path in paths:
            _el(case, "SourceRef", targetGUID=guid("source", path))
    spans = {uid: sp for w in written for uid, sp in w.spans.items()}
    for (eid, sid), units in _speakers(corpus).items():
        first = units[0]
        case = _el(cases, "Case", guid=guid("speaker", eid, sid), name=f"{sid} ({eid})")
        _el(case, "Description", text=with_tail(
            f"Speaker {sid} at {eid}: {first.role}, consent {first.consent}",
            {"kind": "speaker", "event_id": eid}))
        for k, v in (("speaker", sid), ("role", first.role), ("consent", first.consent),
                     ("event_id", eid)):
            _value(case, variables[k], v)
        for u in units:
            for i in range(len(spans.get(u.unit_id, ()))):
                _el(case, "SelectionRef", targetGUID=guid("selection", u.unit_id, i))


# --- sources, selections and codings ----------------------------------------------------------
def _unit_codings(themes: Any) -> dict[str, list[tuple[str, float, bool]]]:
    """unit id -> [(theme id, probability, primary)], primary first then by probability."""
    out: dict[str, list[tuple[str, float, bool]]] = {}
    for r in themes.assignments.itertuples(index=False):
        out.setdefault(r.unit_id, []).append((r.theme_id, float(r.probability), bool(r.primary)))
    for rows in out.values():
        rows.sort(key=lambda t: (not t[2], -t[1], t[0]))
    return out


def _selection_text(u: Unit, codings: list[tuple[str, float, bool]], labels: dict[str, str],
                    who: str) -> str:
    parts = [f"listenlens unit {u.unit_id} ({u.kind}, line {u.line})"]
    if u.speaker_id:
        parts.append(f"speaker {u.speaker_id} ({u.role}, consent {u.consent})")
    coded = "; ".join(f"{labels.get(t, t)} {p:.2f}{' primary' if prim else ''}"
                      for t, p, prim in codings if t != UNASSIGNED)
    parts.append(f"themes: {coded}" if coded else "not assigned to a theme")
    if who:
        parts.append(f"decided by {who}")
    return "; ".join(parts)


def _selection_data(u: Unit, codings: list[tuple[str, float, bool]], i: int, n: int
                    ) -> dict[str, Any]:
    data: dict[str, Any] = {"unit_id": u.unit_id, "part": i, "parts": n, "kind": u.kind,
                            "line": u.line, "speaker_id": u.speaker_id, "role": u.role,
                            "consent": u.consent, "event_id": u.event_id,
                            "codings": [[t, p, prim] for t, p, prim in codings]}
    if u.time_start is not None:
        data["time"] = [u.time_start, u.time_end]
    if u.parent_id:
        data["parent_id"] = u.parent_id
    return data


def _source_el(holder: ET.Element, w: WrittenSource, corpus: Corpus, ctx: dict[str, Any]
               ) -> tuple[str, bytes]:
    rec = next(s for s in corpus.source_records if s.path == w.path)
    sguid = guid("source", w.path)
    src = _el(holder, "TextSource", guid=sguid, name=w.path,
              plainTextPath=f"internal://{sguid}.txt", creatingUser=ctx["users"][MODEL_USER])
    _el(src, "Description", text=with_tail(
        f"Transcript of event {rec.event_id} ({rec.format}, {rec.encoding})"
        + (", redacted for sharing" if w.redacted else ""),
        {"path": w.path, "event_id": rec.event_id, "format": rec.format,
         "encoding": rec.encoding, "escape": rec.escape, "sha256": rec.sha256,
         "redacted": w.redacted, "offsets": ctx["offsets"]}))
    table = utf16_table(w.text) if ctx["offsets"] == "utf16" else None
    rows = sorted(((s, e, uid, i, len(sp)) for uid, sp in w.spans.items()
                   for i, (s, e) in enumerate(sp)), key=lambda t: (t[0], t[1], t[2], t[3]))
    for s, e, uid, i, n in rows:
        u = corpus.unit(uid)
        codings = ctx["codings"].get(uid, [])
        who, when = ctx["human"].get(uid, ("", ""))
        user = ctx["users"][who or MODEL_USER]
        stamp = _datetime(when) if who else None
        start, end = (table[s], table[e]) if table is not None else (s, e)
        sel = _el(src, "PlainTextSelection", guid=guid("selection", uid, i),
                  name=uid if n == 1 else f"{uid} ({i + 1}/{n})", startPosition=start,
                  endPosition=end, creatingUser=user, creationDateTime=stamp)
        _el(sel, "Description", text=with_tail(
            _selection_text(u, codings, ctx["labels"], who), _selection_data(u, codings, i, n)))
        for tid, _p, _prim in codings:
            if tid == UNASSIGNED:
                continue
            coding = _el(sel, "Coding", guid=guid("coding", uid, i, tid), creatingUser=user,
                         creationDateTime=stamp)
            _el(coding, "CodeRef", targetGUID=guid("theme", tid))
    ev = ctx["events"].get(rec.event_id, {})
    for k in ("event_id", "community", "date"):
        if k in ev:
            _value(src, ctx["variables"][k], ev[k])
    return f"sources/{sguid}.txt", w.text.encode("utf-8")


# --- the project ------------------------------------------------------------------------------
def _users(project: ET.Element, human: dict[str, tuple[str, str]]) -> dict[str, str]:
    names = [MODEL_USER, *sorted({who for who, _ in human.values()} - {MODEL_USER})]
    holder = _el(project, "Users")
    out = {}
    for name in names:
        out[name] = guid("user", name)
        _el(holder, "User", guid=out[name], name=name + (" (model)" if name == MODEL_USER
                                                         else ""), id=name)
    return out


def _serialise(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def project_xml(themes: Any, *, redact: bool = False, parents: Mapping[str, str] | None = None,
                codebook: Any = None, offsets: str = "characters", name: str | None = None,
                nlp: Any = None) -> dict[str, bytes]:
    """The entries of the ``.qdpx`` of ``themes``: ``project.qde`` and ``sources/*.txt``.

    ``redact``: write sources redacted for sharing (see :mod:`listenlens.exchange.sources`);
    ``parents``: child theme id -> parent theme id, nesting codes; ``codebook``: the codebook
    the analysis was seeded with (file or :class:`~listenlens.themes.codebook.Codebook`), whose
    descriptions codebook themes keep (by default the file recorded in the analysis, if it is
    still there); ``offsets``: ``"characters"`` (the standard) or ``"utf16"``.
    """
    import listenlens

    check_choice("offsets", offsets, OFFSET_UNITS)
    corpus = themes.corpus
    written = written_sources(corpus, redact=redact, nlp=nlp)
    human = _human_decisions(themes)
    events = _event_values(corpus)
    project = _el(None, "Project", name=name or _project_name(corpus),
                  origin=f"listenlens {listenlens.__version__}",
                  creatingUserGUID=guid("user", MODEL_USER))
    users = _users(project, human)
    rows = _code_rows(themes, codebook)
    if rows:
        _codebook_el(project, rows, dict(parents or {}))
    extra = sorted({k for v in events.values() for k in v} - set(_EVENT_VARS))
    var_names = [*(k for k in _EVENT_VARS if any(k in v for v in events.values())), *extra]
    if _speakers(corpus):
        var_names += [k for k in _SPEAKER_VARS if k not in var_names]
        var_names += [] if "event_id" in var_names else ["event_id"]
    variables = _variables(project, var_names)
    if events:
        _cases(project, corpus, written, variables, events)
    ctx = {"users": users, "human": human, "codings": _unit_codings(themes), "events": events,
           "labels": {r["theme_id"]: r["name"] for r in rows}, "variables": variables,
           "offsets": offsets}
    entries: dict[str, bytes] = {}
    if written:
        holder = _el(project, "Sources")
        for w in written:
            path, data = _source_el(holder, w, corpus, ctx)
            entries[path] = data
    _el(project, "Description", text=with_tail(
        f"listenlens analysis: {corpus.report()}; {len(themes.table)} themes"
        + (". Sources redacted for sharing." if redact else "."),
        {"input_hash": corpus.input_hash, "redacted": redact, "offsets": offsets}))
    entries["project.qde"] = _serialise(project, NS)
    return entries


def _project_name(corpus: Corpus) -> str:
    dates = sorted(e.date for e in corpus.event_records if e.date is not None)
    span = f", {dates[0]:%B %Y} to {dates[-1]:%B %Y}" if dates else ""
    return f"listenlens analysis of {len(corpus.event_records)} events{span}"


def write_qdpx(themes: Any, path: str | Path, **options: Any) -> Path:
    """Write ``themes`` as a REFI-QDA project archive; options as :func:`project_xml`.

    Returns the path written. The same analysis and options give the same bytes.
    """
    out = Path(path)
    if out.suffix.lower() != ".qdpx":
        raise ValueError(f"a REFI-QDA project file ends in .qdpx, not {out.name!r}")
    return write_archive(out, project_xml(themes, **options))


def write_qdc(themes: Any, path: str | Path, *, parents: Mapping[str, str] | None = None,
              codebook: Any = None) -> Path:
    """Write the themes alone as a REFI-QDA codebook (``.qdc``: ``CodeBook`` in the codebook
    namespace, same codes, GUIDs and descriptions as in :func:`write_qdpx`)."""
    import listenlens

    rows = _code_rows(themes, codebook)
    if not rows:
        raise AnalysisError("no themes to write as a codebook")
    root = _el(None, "CodeBook", CODEBOOK_NS, origin=f"listenlens {listenlens.__version__}")
    root.append(_codebook_el(None, rows, dict(parents or {}), CODEBOOK_NS))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_serialise(root, CODEBOOK_NS))
    return out
