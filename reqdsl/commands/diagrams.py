"""`reqdsl diagrams`: write every diagram of a project, as SVG or PlantUML, without a site.

Nothing is written or deleted through a symbolic link (see diagrams/output.py): a link
as the output folder or below it where a diagram goes is refused with exit status 2.

Exit status: 0 when the files are written (also when SVG was asked for but rendering is
unavailable on this machine: the `.puml` sources are written instead and one warning on
stderr says why; `reqdsl doctor` explains further); 2 when the project cannot be loaded,
the arguments are wrong, or PlantUML failed on a diagram (a bug in reqdsl: that diagram's
`.puml` is written and the error named).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import error_line

NAME = "diagrams"
HELP = "write the project's diagrams (use case, data model, components, data flow, ...)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project folder")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="folder to write the diagrams to"
    )
    parser.add_argument(
        "--format",
        choices=("svg", "puml"),
        default="svg",
        help="svg: rendered locally (default); puml: the PlantUML sources",
    )
    parser.add_argument("--no-cache", action="store_true", help="render every diagram afresh")


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, project_root

    if (root := project_root(Path(args.path))) is None:
        return EXIT_FAILURE
    args.path = root
    from ..cli import EXIT_FAILURE, EXIT_OK
    from ..diagrams.output import write_files
    from ..diagrams.render import build_diagrams
    from ..model.sources import ProjectError
    from ..pipeline import Session

    try:
        project = Session(args.path, use_cache=not args.no_cache).load()
    except ProjectError as error:
        error_line(str(error))
        return EXIT_FAILURE
    errors = sum(len(found) for found in project.found.values())
    if errors:
        error_line(
            f"warning: the project has {errors} loading error(s); the diagrams show "
            "what could be read (run `reqdsl check`)"
        )
    build = build_diagrams(project, use_cache=not args.no_cache, render=args.format == "svg")
    if build.unavailable is not None:
        error_line(
            f"warning: diagrams not rendered, writing PlantUML sources instead: "
            f"{build.unavailable} (run `reqdsl doctor`)"
        )
    for path, reason in build.result.failed.items():
        error_line(f"error: diagram `{path}` could not be rendered: {reason}")
    try:
        report = write_files(args.output, build.files(args.format))
    except OSError as error:
        error_line(f"cannot write to `{args.output}`: {error.strerror or error}")
        return EXIT_FAILURE
    except ValueError as error:
        error_line(f"cannot write to `{args.output}`: {error}")
        return EXIT_FAILURE
    result = build.result
    rendering = (
        f" ({len(result.rendered)} rendered, {len(result.cached)} from the cache)"
        if args.format == "svg" and build.unavailable is None
        else ""
    )
    print(
        f"{len(build.sources)} diagrams in {args.output}{rendering}: {report.written} "
        f"written, {report.unchanged} unchanged, {report.removed} removed"
    )
    return EXIT_FAILURE if result.failed else EXIT_OK
