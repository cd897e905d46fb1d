"""`reqdsl cache dir [PATH]` and `reqdsl cache clean`: where reqdsl keeps a project's
caches (in the user's cache folder, never in the project), and deleting them all."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "cache"
HELP = "show where a project's caches are kept, or delete every cache (`clean`)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=("dir", "clean"),
        help="`dir`: print the folder; `clean`: delete every project's cache",
    )
    parser.add_argument(
        "path", nargs="?", default=Path("."), type=Path, help="project folder (for `dir`)"
    )


def run(args: argparse.Namespace) -> int:
    from ..util.cache_dirs import clean_all, project_cache_dir

    if args.action == "dir":
        from ..cli import EXIT_FAILURE, project_root

        if (root := project_root(Path(args.path))) is None:
            return EXIT_FAILURE
        print(project_cache_dir(root))
        return 0
    count = clean_all()
    print(f"reqdsl cache: removed the caches of {count} project{'s' if count != 1 else ''}")
    return 0
