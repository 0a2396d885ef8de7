"""Reading input files: one reader per format, the registry, and the corpus-folder loader.

The only place untrusted files are parsed.
"""

from ._base import Decoded, Notice, Piece, Reader, Skipped
from .registry import get_reader, reader_for_path, readers

__all__ = ["Piece", "Skipped", "Notice", "Decoded", "Reader", "readers", "get_reader",
           "reader_for_path"]
