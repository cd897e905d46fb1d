"""`reqdsl diff OLD NEW` or `reqdsl diff --git REV1..REV2 [PATH]`: added, removed and
changed elements (field by field) and suspect links. `--git REV` alone compares REV
with the work tree. Exit 0 when nothing changed, 1 when something did (as `diff`), 2
on usage or an unreadable project or revision.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..cli import error_line

NAME = "diff"
HELP = "compare two versions of a project: changed elements and suspect links"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="OLD NEW project folders")
    parser.add_argument(
        "--git", metavar="REV1..REV2", help="compare git revisions of the project at PATH"
    )
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument("-o", "--output", type=Path, help="write the result to this file")
    parser.add_argument("--no-cache", action="store_true", help="parse every file afresh")


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, emit
    from ..interop.diff import diff_projects
    from ..interop.diff_render import diff_json, diff_markdown, diff_text
    from ..interop.git_revisions import RevisionError, load_revision, split_range
    from ..model.sources import ProjectError
    from ..pipeline import Session

    use_cache = not (args.no_cache or os.environ.get("REQDSL_NO_CACHE"))
    try:
        if args.git is not None:
            if len(args.paths) > 1:
                print("reqdsl: with --git, give at most one project folder", file=sys.stderr)
                return EXIT_FAILURE
            folder = args.paths[0] if args.paths else Path(".")
            old_rev, new_rev = split_range(args.git)
            old = load_revision(folder, old_rev)
            if new_rev is None:
                new, new_label = Session(folder, use_cache=use_cache).load(), "the work tree"
            else:
                new, new_label = load_revision(folder, new_rev), new_rev
            diff = diff_projects(old, new, old_rev, new_label)
        else:
            if len(args.paths) != 2:
                print(
                    "reqdsl: give OLD and NEW project folders, or --git REV1..REV2", file=sys.stderr
                )
                return EXIT_FAILURE
            for folder in args.paths:
                if not folder.is_dir():
                    error_line(f"`{folder}` is not a folder")
                    return EXIT_FAILURE
            # A diff is no check: an empty side means "everything added" (or removed).
            old, new = (
                Session(folder, use_cache=use_cache, allow_empty=True).load()
                for folder in args.paths
            )
            diff = diff_projects(old, new, str(args.paths[0]), str(args.paths[1]))
    except (RevisionError, ProjectError) as error:
        error_line(str(error))
        return EXIT_FAILURE
    if args.format == "json":
        emit(diff_json(diff), args.output)
    elif args.format == "markdown":
        emit(diff_markdown(diff), args.output)
    else:
        emit(diff_text(diff), args.output)
    return EXIT_OK if diff.empty else EXIT_FINDINGS
