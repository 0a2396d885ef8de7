"""The notebooks in notebooks/ run top to bottom on the example corpus and are committed clean.

Each notebook is executed with nbclient in a fresh ``python3`` kernel of this interpreter: the
kernel spec ipykernel installs into the environment, or, when there is none, the one
jupyter_client derives from ipykernel itself; either way it is launched with ``sys.executable``,
and a first in-memory cell checks that. Nothing is registered globally. ``TMPDIR`` points the
kernels at one temporary folder, so the notebooks' outputs and their shared embedding cache stay
out of the repository and out of the user's temporary folder, and the first notebook pays for
embedding the corpus once.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK_DIR = PROJECT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = {"01_quickstart.ipynb", "02_curating_themes.ipynb", "03_priority_shifts.ipynb",
            "04_provenance_and_consent.ipynb", "05_living_analysis.ipynb",
            "06_assisted_coding.ipynb"}


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_every_documented_notebook_is_there():
    assert {p.name for p in NOTEBOOKS} >= EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state; clear it"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.fixture(scope="module")
def kernel_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One temporary folder for every kernel of this module (outputs and embedding cache)."""
    return tmp_path_factory.mktemp("notebooks")


def _repository_files() -> set[str]:
    """Files under notebooks/ and the example corpus: the notebooks must not add any."""
    roots = [NOTEBOOK_DIR, PROJECT / "corpora" / "examples" / "riverside"]
    return {p.relative_to(PROJECT).as_posix() for r in roots for p in r.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
            and ".ipynb_checkpoints" not in p.parts}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs_top_to_bottom(path: Path, kernel_tmp: Path):
    nb = nbformat.read(path, as_version=4)
    n_code = sum(1 for cell in nb.cells if cell.cell_type == "code")
    # first, in memory only: the kernel must be this environment's Python, so the notebook
    # exercises the listenlens under test and not another installation
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "import os, sys\n"
        f"assert os.path.realpath(sys.prefix) == {os.path.realpath(sys.prefix)!r}, sys.prefix"))
    env = {**os.environ, "TMPDIR": str(kernel_tmp), "LISTENLENS_PROGRESS": "0",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false"}
    before = _repository_files()
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    started = time.perf_counter()
    client.execute(env=env)  # raises CellExecutionError on the first failing cell
    elapsed = time.perf_counter() - started
    print(f"{path.name}: {elapsed:.1f} s")

    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
              if o.output_type == "error"]
    assert errors == []
    ran = [cell for cell in nb.cells[1:] if cell.cell_type == "code"]
    assert len(ran) == n_code and all(cell.execution_count for cell in ran)
    assert any(cell.outputs for cell in ran), f"{path.name} displayed nothing"
    assert _repository_files() == before, f"{path.name} wrote into the repository"
