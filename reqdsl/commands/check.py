"""`reqdsl check`: load, check, render; the exit code says whether errors were found."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__
from ..checks.registry import all_rules, run_checks
from ..diagnostics import Diagnostic, Severity, Summary
from ..model.project import Project, ProjectError, load_project
from ..render import render_json, render_sarif, render_text, use_color


NAME = "check"
HELP = "check a project and report every problem"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project folder")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--strict", action="store_true", help="warnings fail the run too")
    parser.add_argument("--no-cache", action="store_true", help="parse every file afresh")
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file")


def run(args: argparse.Namespace) -> int:
    return run_check(
        args.path, args.format, strict=args.strict, use_cache=not args.no_cache, output=args.output
    )


def check_project(
    path: Path, *, use_cache: bool = True
) -> tuple[Project, list[Diagnostic], Summary]:
    """Load and check a project: the one pipeline behind check, the LSP and build."""
    from ..checks.trace import compute_coverage

    project = load_project(path, use_cache=use_cache)
    diagnostics = run_checks(project)
    elements = sum(1 for element in project.elements if element.id is not None)
    summary = Summary.count(
        diagnostics, len(project.sources), elements, coverage=compute_coverage(project)
    )
    return project, diagnostics, summary


def run_check(
    path: Path, output_format: str, *, strict: bool, use_cache: bool, output: Path | None
) -> int:
    from ..cli import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, emit

    try:
        project, diagnostics, summary = check_project(path, use_cache=use_cache)
    except ProjectError as error:
        print(f"reqdsl: {error}", file=sys.stderr)
        return EXIT_FAILURE
    if output_format == "json":
        text = render_json(diagnostics, summary)
    elif output_format == "sarif":
        text = render_sarif(
            diagnostics,
            [rule.info() for rule in all_rules()],
            tool_version=__version__,
            root_uri=path.resolve().as_uri() + "/",
        )
    else:
        sources = dict(project.sources)
        if project.config.source is not None:
            sources[project.config.source.relpath] = project.config.source
        stream = sys.stdout if output is None else None
        text = render_text(
            diagnostics, sources, summary, color=stream is not None and use_color(stream)
        )
    emit(text, output)
    failing = {Severity.ERROR} | ({Severity.WARNING} if strict else set())
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK
