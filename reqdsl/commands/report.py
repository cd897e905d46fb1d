"""`reqdsl report NAME [--format text|json|markdown] [PATH]`: print a report.

Reports print whatever the checks would say (a model with errors still has a record of
processing); the exit code is 0 once printed, 2 for an unknown report name or a project
that cannot be loaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import error_line

NAME = "report"
HELP = "print a report: gdpr (record of processing), soa (ISO 27001), threats"
_NAMES = ("gdpr", "soa", "threats")  # kept equal to reqdsl.reports.REPORT_NAMES (tested)


class _IntermixedParser(argparse.ArgumentParser):
    """Lets options stand between the two positionals (`report gdpr --format json PATH`):
    plain argparse binds the optional PATH to nothing as soon as it meets `--format`
    (a known argparse limitation), then rejects PATH as unrecognised."""

    _inside = False

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def]
        if self._inside:
            return super().parse_known_args(args, namespace)
        self._inside = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inside = False


def configure(parser: argparse.ArgumentParser) -> None:
    parser.__class__ = _IntermixedParser
    parser.add_argument("name", metavar="NAME", help=f"one of {', '.join(_NAMES)}")
    parser.add_argument(
        "path", nargs="?", default=".", type=Path, metavar="PATH", help="project folder"
    )
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument("--no-cache", action="store_true", help="parse every file afresh")
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file")
    from .check import add_junit_option

    add_junit_option(parser, "passing tests verify controls (soa) and mitigations (threats)")


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, project_root

    if (root := project_root(Path(args.path))) is None:
        return EXIT_FAILURE
    args.path = root
    from ..cli import EXIT_FAILURE, EXIT_OK, emit
    from ..i18n import language
    from ..model.sources import ProjectError
    from ..pipeline import Session
    from ..reports import REPORT_NAMES, build_report, render_report

    if args.name not in REPORT_NAMES:
        error_line(
            f"unknown report `{args.name}`; use one of {', '.join(REPORT_NAMES)}", "reqdsl report"
        )
        return EXIT_FAILURE
    try:
        # Test results are evidence here as in check and build: the reports reqdsl.toml
        # names under [tests] junit, and --junit.
        project = Session(args.path, use_cache=not args.no_cache, junit=list(args.junit)).load()
    except ProjectError as error:
        error_line(str(error))
        return EXIT_FAILURE
    report = build_report(args.name, project)  # data: its JSON keys and values never change
    with language(project.config.language):  # a report is in its project's language
        emit(render_report(report, args.format), args.output)
    return EXIT_OK
