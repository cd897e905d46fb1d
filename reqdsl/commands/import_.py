"""`reqdsl import reqif|strictdoc|doorstop SOURCE -o DIR [--level LEVEL] [--force]`.

Writes formatted `.req` files and a `reqdsl.toml` declaring the custom fields into DIR,
prints the mapping report on stdout, then checks the new project. Exit 0 when the
imported project has no error, 1 when it has some, 2 when the source cannot be read or
DIR already holds files the import would overwrite (without `--force`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import error_line

NAME = "import"
HELP = "import ReqIF, StrictDoc or Doorstop requirements as .req files"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source_format", choices=("reqif", "strictdoc", "doorstop"))
    parser.add_argument(
        "source",
        type=Path,
        help="a .reqif or .reqifz file, .sdoc file or folder, Doorstop tree",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write")
    parser.add_argument(
        "--level",
        choices=("stakeholder", "system", "software"),
        default="system",
        help="level of documents that do not say (ReqIF, StrictDoc); default system",
    )
    parser.add_argument("--name", help="project name for reqdsl.toml")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument(
        "--link",
        action="append",
        default=[],
        metavar="TYPE=FIELD",
        help="ReqIF: relations of this type become this link field (repeatable)",
    )
    parser.add_argument(
        "--report-json", type=Path, metavar="FILE", help="also write the mapping report as JSON"
    )


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK
    from ..interop.importing import ImportFailure, write_import
    from ..pipeline import Session

    try:
        if args.source_format == "reqif":
            from ..interop.importing import read_input
            from ..interop.reqif_import import import_reqif

            links = _link_map(args.link)
            data = read_input(args.source, follow_links=True)
            result = import_reqif(data, args.level, links)
        elif args.source_format == "strictdoc":
            from ..interop.strictdoc import import_strictdoc

            result = import_strictdoc(args.source, args.level)
        else:
            from ..interop.doorstop import import_doorstop

            result = import_doorstop(args.source)
        written = write_import(result, args.output, name=args.name, force=args.force)
    except ImportFailure as error:
        error_line(f"import: {error}")
        return EXIT_FAILURE
    sys.stdout.write(result.report())
    if args.report_json is not None:
        from ..cli import dump_json
        from ..util.files import write_atomic

        write_atomic(args.report_json, dump_json(result.report_data()))
    print(f"wrote {len(written)} files into {args.output}")
    summary = Session(args.output, use_cache=False).check().summary()
    counts = f"{summary.errors} errors, {summary.warnings} warnings"
    print(f"check: {counts} (run reqdsl check for details)")
    return EXIT_FINDINGS if summary.errors else EXIT_OK


def _link_map(pairs: list[str]) -> dict[str, str]:
    """`--link TYPE=FIELD` options as a mapping; raises ImportFailure for a bad one."""
    from ..interop.importing import ImportFailure
    from ..model.schema import TRACE_FIELDS

    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, field = pair.rpartition("=")
        if not sep or not name.strip() or field.strip() not in TRACE_FIELDS:
            raise ImportFailure(
                f"--link `{pair}`: write TYPE=FIELD, FIELD one of {', '.join(TRACE_FIELDS)}"
            )
        out[name.strip()] = field.strip()
    return out
