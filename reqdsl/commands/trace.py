"""`reqdsl trace ID [PATH] [--up|--down] [--format text|json]`: the impact tree of one
element; both directions unless one is asked for. Exit 2 when the ID is unknown."""

from __future__ import annotations

import argparse
import difflib
import os
from pathlib import Path

from ..cli import error_line

NAME = "trace"
HELP = "show what an element rests on (up) and what depends on it (down)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="element ID")
    parser.add_argument("path", nargs="?", default=Path("."), type=Path, help="project folder")
    direction = parser.add_mutually_exclusive_group()
    direction.add_argument("--up", action="store_true", help="what the element links to")
    direction.add_argument("--down", action="store_true", help="what links to the element")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--no-cache", action="store_true", help="parse every file afresh")


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, project_root

    if (root := project_root(Path(args.path))) is None:
        return EXIT_FAILURE
    args.path = root
    from ..cli import EXIT_FAILURE, EXIT_OK, dump_json, emit
    from ..interop.trace import impact_tree, tree_text
    from ..model.sources import ProjectError
    from ..pipeline import Session

    use_cache = not (args.no_cache or os.environ.get("REQDSL_NO_CACHE"))
    try:
        project = Session(args.path, use_cache=use_cache).load()
    except ProjectError as error:
        error_line(str(error))
        return EXIT_FAILURE
    if args.id not in project.index:
        close = difflib.get_close_matches(args.id, list(project.index), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
        error_line(f"no element `{args.id}` in the project{hint}")
        return EXIT_FAILURE
    directions = ["up"] if args.up else ["down"] if args.down else ["up", "down"]
    trees = {name: impact_tree(project, args.id, name) for name in directions}  # type: ignore[arg-type]
    if args.format == "json":
        emit(dump_json({"id": args.id, **{k: t.to_json() for k, t in trees.items()}}))
        return EXIT_OK
    headings = {
        "up": "up: what it links to, and what that links to",
        "down": "down: what links to it (impact of a change)",
    }
    emit("\n".join(tree_text(tree, headings[name]) for name, tree in trees.items()))
    return EXIT_OK
