"""`reqdsl serve [PATH]`: build the site, serve it on 127.0.0.1 with live reload, and
rebuild when a file of the project changes.

MkDocs' own live-reload server serves a temporary site folder; its builder is reqdsl's
(check, generate, `mkdocs build`), which skips everything when no input changed. The
project's session stays in memory between builds: a rebuild reads the files again,
re-parses those whose text changed and rechecks incrementally; its
caches live outside the project (reqdsl/util/cache_dirs.py), so they cause no rebuild
loop. The site is published even when the model has errors: a preview is for seeing
them. Stop with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import error_line

NAME = "serve"
HELP = "serve the site on 127.0.0.1, rebuilding and reloading on every change"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=Path("."), type=Path, help="project folder")
    parser.add_argument("-p", "--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--junit", action="append", default=[], type=Path, metavar="FILE")
    parser.add_argument("--no-diagrams", action="store_true", help="do not render diagrams")
    parser.add_argument("--open", action="store_true", help="open the site in a browser")


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, project_root

    if (root := project_root(Path(args.path))) is None:
        return EXIT_FAILURE
    args.path = root
    import logging
    import shutil
    import tempfile

    from mkdocs.livereload import LiveReloadServer

    from ..cli import EXIT_FAILURE, EXIT_OK
    from ..pipeline import Session
    from ..site.builder import BuildOptions, SiteError, build_site

    if not args.path.is_dir():
        error_line(f"`{args.path}` is not a folder")
        return EXIT_FAILURE
    workspace = Path(tempfile.mkdtemp(prefix="reqdsl-serve-"))
    options = BuildOptions(
        project=args.path,
        output=workspace / "site",
        allow_errors=True,
        junit=list(args.junit),
        diagrams=not args.no_diagrams,
        sources=workspace / "sources",
        # Kept in memory: a saved edit re-parses the changed file and rechecks what it
        # can affect (reqdsl.checks.incremental), not the whole project.
        session=Session(args.path, junit=list(args.junit)),
    )

    def rebuild() -> None:
        try:
            result = build_site(options, stream=sys.stderr)
        except SiteError as error:
            error_line(str(error))
            return
        for warning in result.mkdocs_warnings:
            error_line(f"warning: mkdocs: {warning}")

    try:
        result = build_site(options, stream=sys.stderr)
    except SiteError as error:
        error_line(str(error))
        shutil.rmtree(workspace, ignore_errors=True)
        return EXIT_FAILURE
    del result
    logging.basicConfig(level=logging.INFO, format="reqdsl serve: %(message)s")
    server = LiveReloadServer(
        builder=rebuild, host="127.0.0.1", port=args.port, root=str(options.output)
    )
    server.watch(str(args.path.resolve()))
    try:
        server.serve(open_in_browser=args.open)  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        print("reqdsl serve: stopped", file=sys.stderr)
    except OSError as error:
        error_line(f"cannot serve on 127.0.0.1:{args.port}: {error}")
        return EXIT_FAILURE
    finally:
        server.shutdown()
        shutil.rmtree(workspace, ignore_errors=True)
    return EXIT_OK
