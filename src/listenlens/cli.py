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

    corpus = load(args.corpus, default_consent=args.default_consent, progress=not args.quiet)
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
    except KeyboardInterrupt:
        print("listenlens: interrupted", file=sys.stderr)
        return 130
