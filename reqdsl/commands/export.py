"""`reqdsl export [PATH] --format json|csv|xlsx|reqif|pdf|docx [-o FILE] [--junit FILE]...`.

`pdf` and `docx` print the specification (reqdsl.interop.documents): one file per
ISO/IEC/IEEE 29148 document plus `reports.pdf` in the folder `-o` names, or with
`--combined` one file.

The model is exported even when it has errors (they are counted on stderr, and in the
JSON export); exit 0 when written, 2 on usage, an unreadable project or report (`--junit`, or one
`[tests] junit` in reqdsl.toml names).
`--schema` prints the JSON Schema of the JSON export instead.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

from ..cli import error_line
from .check import add_junit_option

NAME = "export"
HELP = (
    "export the model: JSON, traceability matrix (CSV, XLSX), ReqIF 1.2, or documents (PDF, DOCX)"
)
DOCUMENT_FORMATS = ("pdf", "docx")
EPILOG = """\
pdf and docx print the specification for signing: per ISO/IEC/IEEE 29148 document (StRS,
SyRS, SRS, ...) a title page with version, status, owner and approvals (reviews), a table
of contents, purpose and scope, the sections, every element with its fields and its links
both ways, and its diagrams; the reports (traceability matrix, GDPR record of processing,
statement of applicability, threat register) as annexes. By default -o names a folder
that gets one file per document (with its requirements' rows of the matrix) and
reports.pdf|docx (the three reports); with --combined, -o names one file holding
everything, the whole matrix included. PDF is made by Typst (the typst
package, fonts embedded, diagrams as vectors), DOCX by python-docx (Word headings, Word
tables). Diagrams are drawn by the bundled PlantUML; when it cannot run, the documents
and stderr say so and show each diagram's PlantUML source instead.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=Path("."), type=Path, help="project folder")
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    formats = ("json", "csv", "xlsx", "reqif", *DOCUMENT_FORMATS)
    parser.add_argument("--format", choices=formats, default="json")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write to this file (xlsx needs it); for pdf and docx, the folder to write "
        "the documents in (a file with --combined)",
    )
    parser.add_argument(
        "--combined",
        action="store_true",
        help="pdf, docx: one file with every document and the annexes",
    )
    parser.add_argument(
        "--no-diagrams", action="store_true", help="pdf, docx: leave the diagrams out"
    )
    add_junit_option(parser, "results and gaps in the matrix and JSON")
    parser.add_argument("--schema", action="store_true", help="print the JSON export's schema")
    parser.add_argument("--no-cache", action="store_true", help="parse every file afresh")


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, project_root

    if (root := project_root(Path(args.path))) is None:
        return EXIT_FAILURE
    args.path = root
    from ..cli import EXIT_FAILURE, EXIT_OK, dump_json, emit

    if args.schema:
        from ..interop.json_export import json_schema

        emit(dump_json(json_schema()), args.output)
        return EXIT_OK
    if args.format == "xlsx" and args.output is None:
        print("reqdsl: --format xlsx writes a workbook: give -o FILE.xlsx", file=sys.stderr)
        return EXIT_FAILURE
    if args.format in DOCUMENT_FORMATS and args.output is None:
        where = f"FILE.{args.format}" if args.combined else "FOLDER"
        error_line(f"--format {args.format} writes documents: give -o {where}")
        return EXIT_FAILURE
    if (args.combined or args.no_diagrams) and args.format not in DOCUMENT_FORMATS:
        error_line("--combined and --no-diagrams apply to --format pdf and docx only")
        return EXIT_FAILURE
    from ..model.sources import ProjectError
    from ..pipeline import Session

    use_cache = not (args.no_cache or os.environ.get("REQDSL_NO_CACHE"))
    try:
        checked = Session(args.path, use_cache=use_cache, junit=list(args.junit)).check()
        project, summary = checked.project, checked.summary()
    except ProjectError as error:
        error_line(str(error))
        return EXIT_FAILURE
    results = project.junit if project.junit is not None and project.junit.given else None
    if summary.errors:
        print(
            f"reqdsl: warning: the model has {summary.errors} errors (see reqdsl check); "
            "exported as it is",
            file=sys.stderr,
        )
    if args.format == "json":
        from ..interop.json_export import export_json

        emit(export_json(project, summary, results), args.output)
    elif args.format in DOCUMENT_FORMATS:
        from ._documents import export_documents

        return export_documents(project, results, args, use_cache=use_cache)
    elif args.format == "reqif":
        from ..interop.reqif import export_reqif

        emit(export_reqif(project, _build_time()), args.output)
    else:
        from ..interop.matrix import matrix_rows

        rows = matrix_rows(project, results)
        if args.format == "csv":
            from ..interop.csv_export import matrix_csv

            emit(matrix_csv(rows), args.output)
        else:
            from ..interop.xlsx_export import matrix_xlsx
            from ..util.files import write_atomic

            write_atomic(args.output, matrix_xlsx(rows, project.config.name or "Traceability"))
    return EXIT_OK


def _build_time() -> datetime.datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds) when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return None
