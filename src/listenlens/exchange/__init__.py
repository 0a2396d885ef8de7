"""Standard formats other tools read and write: REFI-QDA projects (``.qdpx``) and codebooks
(``.qdc``), both ways.

>>> themes.to_qdpx("out/analysis.qdpx").name
'analysis.qdpx'
>>> project = ll.load_qdpx("coded-in-nvivo.qdpx")          # doctest: +SKIP
>>> project.corpus, project.codebook, project.human_codings # doctest: +SKIP

Untrusted archives are parsed here only, with bounded sizes and defused XML
(:mod:`listenlens.exchange.archive`).
"""

from .agreement import agreement, cohen_kappa
from .archive import Limits, UnsafeArchiveError
from .codes import load_qda_codebook, read_qdc
from .export import project_xml, write_qdc, write_qdpx
from .load import QdaProject, load_qdpx

__all__ = ["write_qdpx", "write_qdc", "project_xml", "load_qdpx", "QdaProject",
           "load_qda_codebook", "read_qdc", "agreement", "cohen_kappa", "Limits",
           "UnsafeArchiveError"]
