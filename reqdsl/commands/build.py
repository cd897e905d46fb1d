"""`reqdsl build [PATH] [-o DIR] [--strict] [--junit FILE]... [--baseline REV]`: the site.

Checks the project, generates the pages and runs a real `mkdocs build` (Material) into a
staging folder, then swaps the result into the output folder (see reqdsl/site/builder.py
and docs/site.md). Exit status:

- 0: the site is built (or already up to date) and the model has no error;
- 1: the model has errors (or warnings, with `--strict`): the previous site is left
  untouched, and the failing diagnostics are printed on stderr; with `--allow-errors` the
  site is published all the same (it shows the errors) and the exit status is still 1;
- 2: usage, an unusable output folder (one reqdsl did not make), an unreadable JUnit
  report (`--junit`, or one `[tests] junit` in reqdsl.toml names: missing is exit 2
  too), a `--baseline` revision git cannot find, a project that cannot be loaded, or
  MkDocs failing; the previous site stays.

Progress goes to stderr (`-q` silences it); the one-line result goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import error_line
from .check import add_junit_option

NAME = "build"
HELP = "build the specification site (MkDocs Material, works offline)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default=Path("."),
        type=Path,
        help="project folder, or a folder inside it (reqdsl.toml is looked for upwards)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="site folder (default: [build] site_dir, `site`)"
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail the build too")
    add_junit_option(parser, "results on the site, failed tests are errors and gaps")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="add a page of what changed since this git revision (tag, branch, commit)",
    )
    parser.add_argument(
        "--allow-errors",
        action="store_true",
        help="publish the site even when the model has errors (exit status stays 1)",
    )
    parser.add_argument(
        "--no-diagrams", action="store_true", help="do not render diagrams (faster)"
    )
    parser.add_argument("--no-cache", action="store_true", help="parse and render afresh")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def output_folder(project: Path, output: Path | None) -> Path:
    """`-o` wins; else `[build] site_dir` of reqdsl.toml, relative to the project."""
    if output is not None:
        return output
    from ..model.config import ConfigError, load_config

    try:
        site_dir = load_config(project).site_dir
    except ConfigError:
        site_dir = "site"
    return project / site_dir


def run(args: argparse.Namespace) -> int:
    import os

    from ..cli import EXIT_FAILURE, project_root
    from ..site.builder import BuildOptions, SiteError, build_site

    if (project := project_root(args.path)) is None:  # a whole project, never one file
        return EXIT_FAILURE
    use_cache = not (args.no_cache or os.environ.get("REQDSL_NO_CACHE"))
    options = BuildOptions(
        project=project,
        output=output_folder(project, args.output),
        strict=args.strict,
        allow_errors=args.allow_errors,
        junit=list(args.junit),
        diagrams=not args.no_diagrams,
        use_cache=use_cache,
        force=args.force,
        baseline=args.baseline,
    )
    try:
        result = build_site(options, stream=None if args.quiet else sys.stderr)
    except SiteError as error:
        error_line(str(error))
        return EXIT_FAILURE
    for warning in result.mkdocs_warnings:
        error_line(f"warning: mkdocs: {warning}")
    if result.diagram_note and not args.no_diagrams:
        error_line(
            f"warning: some diagrams are shown as PlantUML source: {result.diagram_note} "
            "(run `reqdsl doctor`)"
        )
    if result.report:
        sys.stderr.write(result.report)
    if result.state == "not published":
        print(f"site not updated: {options.output} (the model has errors)")
    else:
        print(f"site {result.state}: {options.output}")
    return result.exit_code
