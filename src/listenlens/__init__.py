"""listenlens: qualitative insight analysis of listening-event transcripts.

Turns transcripts and notes from community listening events into themes, priority shifts and
briefings that stay attributable to the communities who spoke.

>>> import listenlens as ll
>>> corpus = ll.load("corpora/examples/riverside")
>>> corpus.check_spans()          # every unit re-derives from its source file
[]
"""

from .briefing import Briefing, brief, community_summaries, save_summaries
from .corpus import Corpus, load, open_corpus
from .errors import (
    AnalysisError,
    ConsentError,
    CorpusError,
    InputError,
    LimitError,
    ListenlensError,
    NotFittedError,
    OutputError,
    ParameterError,
    ParseError,
    UnknownFormatError,
    VerificationError,
)
from .exchange import load_qdpx
from .project import Project, init_project, open_project
from .provenance import (
    RunManifest,
    attribution,
    build_manifest,
    evidence,
    redact,
    verify,
    withdraw,
)
from .records import CONSENT_LEVELS, Event, Skip, Source, Unit
from .themes import Themes, find_themes, open_themes
from .themes.codebook import load_codebook
from .trends import Trends, theme_colours, track

__version__ = "0.1.0.dev0"

__all__ = [
    "__version__",
    "load",
    "open_corpus",
    "Corpus",
    "Event",
    "Unit",
    "Source",
    "Skip",
    "CONSENT_LEVELS",
    "find_themes",
    "open_themes",
    "Themes",
    "load_codebook",
    "load_qdpx",
    "brief",
    "Briefing",
    "community_summaries",
    "save_summaries",
    "track",
    "Trends",
    "theme_colours",
    "init_project",
    "open_project",
    "Project",
    "verify",
    "withdraw",
    "evidence",
    "attribution",
    "redact",
    "RunManifest",
    "build_manifest",
    "ListenlensError",
    "ParameterError",
    "InputError",
    "ParseError",
    "UnknownFormatError",
    "LimitError",
    "CorpusError",
    "ConsentError",
    "NotFittedError",
    "AnalysisError",
    "VerificationError",
    "OutputError",
]
