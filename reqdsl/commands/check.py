"""`reqdsl check`: load, check, render; the exit code says whether errors were found."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..cli import error_line
from ..diagnostics import Diagnostic, Severity, Summary
from ..model.sources import ProjectError
from ..pipeline import Session, check_project
from ..render import render_sarif, use_color
from ..render.json_report import json_report_pieces
from ..render.text import text_report_pieces
from ..result_cache import load_result, save_result

__all__ = ["check_project", "run_check"]  # check_project: reqdsl.pipeline's, for callers

NAME = "check"
HELP = "check a project and report every problem"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        type=Path,
        help="project folder, or a folder or .req file inside it (reqdsl.toml is looked for "
        "upwards); for a file, only its diagnostics are shown",
    )
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--strict", action="store_true", help="warnings fail the run too")
    parser.add_argument("--no-cache", action="store_true", help="parse every file afresh")
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file")
    add_junit_option(parser, "failed tests are errors, and gaps of what they verify")


def add_junit_option(parser: argparse.ArgumentParser, effect: str) -> None:
    """`--junit FILE` of check, build and export: reports added to `[tests] junit`."""
    parser.add_argument(
        "--junit",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help=f"JUnit XML test report, besides those reqdsl.toml names in [tests] junit "
        f"(repeat for several): {effect}",
    )


def run(args: argparse.Namespace) -> int:
    # REQDSL_NO_CACHE=1 is --no-cache for runs one cannot pass flags to (test harnesses).
    use_cache = not (args.no_cache or os.environ.get("REQDSL_NO_CACHE"))
    return run_check(
        args.path,
        args.format,
        strict=args.strict,
        use_cache=use_cache,
        output=args.output,
        junit=list(args.junit),
    )


def run_check(
    path: Path,
    output_format: str,
    *,
    strict: bool,
    use_cache: bool,
    output: Path | None,
    junit: Sequence[Path] = (),
) -> int:
    from ..cli import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, emit, emit_pieces
    from ..model.locate import NotAProject, locate_project

    try:
        located = locate_project(path)
    except NotAProject as error:
        error_line(str(error))  # it quotes the path given
        return EXIT_FAILURE
    path = located.root
    session = Session(path, use_cache=use_cache, junit=junit)
    try:
        scan = session.scan()
        fingerprint = scan.fingerprint() if use_cache else ""  # hashes every input: once
        cached = load_result(path, fingerprint) if use_cache else None
        if cached is not None:
            diagnostics, summary = cached
        else:
            checked = session.check()
            diagnostics, summary = checked.diagnostics, checked.summary()
            if use_cache:
                save_result(path, fingerprint, diagnostics, summary)
    except ProjectError as error:
        error_line(str(error))
        return EXIT_FAILURE
    if located.file is not None:
        diagnostics, summary = _of_file(located.file, diagnostics, summary)
    # The reports are written in pieces as they are made: at 170,000 diagnostics, the
    # whole text is 50 MB or more above the checked model (docs/performance.md).
    if output_format == "json":
        emit_pieces(json_report_pieces(diagnostics, summary), output)
    elif output_format == "sarif":
        from ..checks.registry import all_rules

        text = render_sarif(
            diagnostics,
            [rule.info() for rule in all_rules()],
            tool_version=__version__,
            root_uri=path.resolve().as_uri() + "/",
        )
        emit(text, output)
    else:
        sources = {scanned.relpath: scanned.source for scanned in scan.files}
        if scan.config.source is not None:
            sources[scan.config.source.relpath] = scan.config.source
        stream = sys.stdout if output is None else None
        color = stream is not None and use_color(stream)
        emit_pieces(text_report_pieces(diagnostics, sources, summary, color=color), output)
    failing = {Severity.ERROR} | ({Severity.WARNING} if strict else set())
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK


def _of_file(
    relpath: str, diagnostics: list[Diagnostic], summary: Summary
) -> tuple[list[Diagnostic], Summary]:
    """Only the diagnostics of one file (the project was checked whole: links into other
    files resolve as usual), counted again so that the summary and the exit code are
    about what is shown."""
    shown = [d for d in diagnostics if d.path == relpath]
    counted = Summary.count(
        shown, summary.files, summary.elements, coverage=summary.coverage, withheld=summary.withheld
    )
    return shown, counted
