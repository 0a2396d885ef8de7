"""The ``listenlens`` command. Thin: every subcommand calls the public functions a notebook calls.

User mistakes (a bad file, a missing folder, a malformed events.csv) print one clear line to
stderr and exit with status 2; they never print a traceback. ``LISTENLENS_DEBUG=1`` shows it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .errors import ListenlensError

__all__ = ["main", "build_parser"]


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _cmd_load(args: argparse.Namespace) -> int:
    from .corpus import load

    corpus = load(args.corpus, default_consent=args.default_consent,
                    progress=False if args.quiet else None)
    print(corpus.report())
    if args.verbose:
        print()
        print(corpus.events[["event_id", "community", "date", "n_units", "n_speakers",
                             "n_skipped"]].to_string(index=False))
        if len(corpus.skip_records):
            print()
            print(corpus.skipped[["source", "line", "reason", "detail"]].to_string(index=False))
    if args.save:
        corpus.save(args.save)
        print(f"saved to {args.save}")
    return 0


def _cmd_analyse(args: argparse.Namespace) -> int:
    from .pipeline import analyse

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    log = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    result = analyse(args.corpus, out=args.out, formats=formats, codebook=args.codebook,
                     period=args.period, seed=args.seed, title=args.title,
                     default_consent=args.default_consent, progress=False if args.quiet else None,
                     cache_dir=False if args.no_cache else (args.cache_dir or True), log=log)
    print(f"{result.corpus.report()}")
    print(f"{len(result.themes.table)} themes; outputs in {args.out}:")
    for path in result.files:
        print(f"  {path}")
    print(f"check them with: listenlens verify {args.out}/briefing.html {args.corpus}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .corpus import load, open_corpus
    from .provenance import verify

    path = Path(args.corpus)
    corpus = (open_corpus(path) if (path / "manifest.json").is_file()
              else load(path, default_consent=args.default_consent, progress=False))
    report = verify(args.output, corpus, strict=False)
    print(report)
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommands: load, analyse, verify)."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="listenlens",
        description="Qualitative insight analysis of listening-event transcripts.")
    parser.add_argument("--version", action="version", version=f"listenlens {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("load", help="read a corpus folder and print the load report",
                       description="Read a corpus folder (events.csv [+ consent.csv] and "
                                   "transcripts) and report units loaded and skipped.")
    p.add_argument("corpus", help="corpus folder (with events.csv) or one transcript file")
    p.add_argument("--default-consent", default="paraphrase",
                   choices=["quote", "paraphrase", "aggregate", "withdrawn"],
                   help="consent for speakers consent.csv does not mention (default: paraphrase)")
    p.add_argument("--save", metavar="DIR", help="also save the loaded corpus (Parquet) to DIR")
    p.add_argument("-v", "--verbose", action="store_true", help="list events and skips")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_load)

    p = sub.add_parser("analyse", aliases=["analyze"],
                       help="load, find themes, track shifts and write the briefing",
                       description="The main job: load a corpus, find themes, track priority "
                                   "shifts, and write briefings, community summaries, tables, "
                                   "charts and the run manifest into OUT.")
    p.add_argument("corpus", help="corpus folder (with events.csv)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs")
    p.add_argument("--format", default="html,docx,md",
                   help="briefing formats, comma-separated (default: html,docx,md)")
    p.add_argument("--codebook", metavar="FILE", help="YAML or CSV codebook of deductive themes")
    p.add_argument("--period", default="quarter", choices=["month", "quarter", "year", "event"],
                   help="time period for trends (default: quarter)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--title", help="briefing title")
    p.add_argument("--default-consent", default="paraphrase",
                   choices=["quote", "paraphrase", "aggregate", "withdrawn"],
                   help="consent for speakers consent.csv does not mention (default: paraphrase)")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="embedding cache (default: $LISTENLENS_CACHE or ~/.cache/listenlens)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=_cmd_analyse)

    p = sub.add_parser("verify", help="re-derive every quote and figure of an output",
                       description="Check an exported briefing or table against its corpus: "
                                   "every quote must equal its source span after redaction, "
                                   "every count must recompute, every consent rule must hold.")
    p.add_argument("output", help="an exported file (briefing.html, .md, .docx, tables/*.csv)")
    p.add_argument("corpus", help="the corpus folder it was made from")
    p.add_argument("--default-consent", default="paraphrase",
                   choices=["quote", "paraphrase", "aggregate", "withdrawn"],
                   help="must match the value the output was made with")
    p.set_defaults(func=_cmd_verify)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


#: Other modules add subcommands here (``analyse``, ``verify``, ...), keeping this file thin.
_EXTRA_COMMANDS: list = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _offline()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ListenlensError as exc:
        if os.environ.get("LISTENLENS_DEBUG"):
            raise
        print(f"listenlens: error [{exc.code}]: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if os.environ.get("LISTENLENS_DEBUG"):
            raise
        print(f"listenlens: error: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`: not an error of the user's
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("listenlens: interrupted", file=sys.stderr)
        return 130
