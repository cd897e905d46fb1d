"""The pdf and docx formats of `reqdsl export` (reqdsl.interop.documents): gather the
views, build the books, render them, write them. A module of its own, so that `export`
stays a dispatcher; its name starts with `_`, so the CLI does not take it for a command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import EXIT_FAILURE, EXIT_OK, error_line
from ..interop.junit import JunitResults
from ..model.project import Project


def export_documents(
    project: Project, results: JunitResults | None, args: argparse.Namespace, *, use_cache: bool
) -> int:
    """Write the documents; 0 when written, 2 (after one error line) otherwise."""
    try:
        if args.format == "pdf":
            from ..interop.pdf_export import render_pdf as render
        else:
            from ..interop.docx_export import render_docx as render
    except ImportError as error:  # an installation without the dependency
        error_line(f"--format {args.format} needs the package `{error.name}`: {error}")
        return EXIT_FAILURE
    from ..i18n import language
    from ..interop.documents import build_books, gather
    from ..interop.pdf_export import DocumentError

    # The documents are in the project's language; the terminal keeps the user's.
    with language(project.config.language):
        sources = gather(project, results, diagrams=not args.no_diagrams, use_cache=use_cache)
        books = build_books(sources, combined=args.combined)
    if sources.diagram_note and not args.no_diagrams:
        print(
            f"reqdsl: warning: {sources.diagram_note}; the documents show those diagrams' "
            "PlantUML source instead",
            file=sys.stderr,
        )
    try:
        with language(project.config.language):
            files = {f"{book.name}.{args.format}": render(book) for book in books}
        _write(args.output, files, combined=args.combined)
    except DocumentError as error:
        error_line(f"cannot make the {args.format.upper()} file: {error}")
        return EXIT_FAILURE
    except OSError as error:
        error_line(f"cannot write {args.output}: {error.strerror or error}")
        return EXIT_FAILURE
    print(
        f"reqdsl: wrote {len(files)} {args.format.upper()} file(s) to {args.output}",
        file=sys.stderr,
    )
    return EXIT_OK


def _write(output: Path, files: dict[str, bytes], *, combined: bool) -> None:
    """One file at `output`, atomically; or each file inside the folder `output`, which
    reqdsl makes if needed and never enters through a symbolic link (util.nofollow)."""
    if combined:
        from ..util.files import write_atomic

        (data,) = files.values()
        write_atomic(output, data)
        return
    from ..util.nofollow import Folder

    with Folder(output) as folder:
        for name, data in files.items():
            folder.write(name, data)
