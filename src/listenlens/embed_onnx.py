"""Running a sentence-transformers model folder through ONNX Runtime.

The model's transformer is exported once to ONNX (with ``torch.onnx``, needs ``torch`` and
``onnx``) into a cache folder named by the hash of the model files, and from then on runs on
``onnxruntime`` alone: tokenise with the model's own tokenizer, run the graph, mean-pool over the
attention mask and scale to unit length, as the model's ``modules.json`` / ``1_Pooling`` say.
Vectors agree with the PyTorch path to float rounding (tested).

The export is atomic (written under a temporary name, then renamed), so processes sharing the
cache folder never see half a file; two processes starting at once may both export, and the
second rename simply replaces an identical graph.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .embeddings import l2_normalise

__all__ = ["ONNX_OPSET", "OnnxEncoder", "export_onnx", "onnx_model_file", "load_encoder"]

#: ONNX operator set of the exported graph (part of the cache folder's name).
ONNX_OPSET = 17

_ENCODERS: dict[str, OnnxEncoder] = {}
_LOCK = threading.Lock()


def _pooling_config(model_dir: Path) -> dict[str, Any]:
    cfg = model_dir / "1_Pooling" / "config.json"
    pooling = json.loads(cfg.read_text(encoding="utf-8")) if cfg.is_file() else {}
    modes = {k: v for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if set(modes) != {"pooling_mode_mean_tokens"}:
        raise ValueError(f"{cfg}: the ONNX backend supports mean pooling only, this model uses "
                         f"{sorted(modes) or 'no pooling config'}; use backend='torch'")
    return pooling


def _max_length(model_dir: Path) -> int:
    cfg = model_dir / "sentence_bert_config.json"
    if cfg.is_file():
        value = json.loads(cfg.read_text(encoding="utf-8")).get("max_seq_length")
        if value:
            return int(value)
    return 512


def _tokenizer(model_dir: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)


def export_onnx(model_dir: str | Path, target: str | Path) -> Path:
    """Export the transformer of ``model_dir`` to ``target`` (an ``.onnx`` file), atomically.

    Inputs are the tokenizer's (``input_ids``, ``attention_mask``, ``token_type_ids`` for BERT)
    with dynamic batch and sequence axes; the output is ``last_hidden_state``.
    """
    import torch
    from transformers import AutoModel

    model_dir, target = Path(model_dir), Path(target)
    _pooling_config(model_dir)  # refuse before spending the export time
    tok = _tokenizer(model_dir)
    names = list(tok.model_input_names)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True,
                                      attn_implementation="eager").eval()

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any):
            super().__init__()
            self.inner = inner

        def forward(self, *args: Any) -> Any:
            return self.inner(**dict(zip(names, args))).last_hidden_state

    sample = tok(["a short one", "a somewhat longer sentence to pad the other"],
                 padding=True, return_tensors="pt")
    args = tuple(sample[n] for n in names)
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=target.parent)
    os.close(fd)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes on shapes fixed for an encoder
            torch.onnx.export(_Hidden(model), args, tmp, input_names=names,
                              output_names=["last_hidden_state"], dynamic_axes=axes,
                              opset_version=ONNX_OPSET, dynamo=False)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def onnx_model_file(model_dir: str | Path, digest: str, cache_dir: str | Path) -> Path:
    """The exported graph of a model folder whose files hash to ``digest``: exported into
    ``<cache_dir>/onnx/<digest>-opset<N>/model.onnx`` the first time, read from there after."""
    target = Path(cache_dir) / "onnx" / f"{digest}-opset{ONNX_OPSET}" / "model.onnx"
    if not target.is_file():
        export_onnx(model_dir, target)
    return target


class OnnxEncoder:
    """Tokenizer + ONNX Runtime session + mean pooling for one exported model.

    ``encode`` sorts a batch's texts by length (as sentence-transformers does, so padding is
    small) and returns ``float32`` rows of unit length in the input order.
    """

    def __init__(self, model_dir: str | Path, onnx_file: str | Path, batch_size: int = 64):
        import onnxruntime as ort

        self.model_dir = Path(model_dir)
        self.onnx_file = Path(onnx_file)
        self.batch_size = batch_size
        _pooling_config(self.model_dir)
        self.max_length = _max_length(self.model_dir)
        self.tokenizer = _tokenizer(self.model_dir)
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(self.onnx_file), options,
                                            providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]

    def _batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_length,
                             return_tensors="np")
        feeds = {n: np.asarray(enc[n], dtype=np.int64) for n in self.input_names}
        hidden = self.session.run(None, feeds)[0]
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return l2_normalise(pooled)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length ``float32`` vectors for ``texts``, in order."""
        texts = list(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out: np.ndarray | None = None
        for start in range(0, len(texts), self.batch_size):
            rows = order[start:start + self.batch_size]
            vectors = self._batch([texts[i] for i in rows])
            if out is None:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)


def load_encoder(model_dir: str | Path, digest: str, cache_dir: str | Path,
                 batch_size: int = 64) -> OnnxEncoder:
    """An :class:`OnnxEncoder` for a model folder, exported if needed; one per process and
    exported file."""
    with _LOCK:
        onnx_file = onnx_model_file(model_dir, digest, cache_dir)
        memo = f"{onnx_file}|{batch_size}"
        if memo not in _ENCODERS:
            _ENCODERS[memo] = OnnxEncoder(model_dir, onnx_file, batch_size)
        return _ENCODERS[memo]
