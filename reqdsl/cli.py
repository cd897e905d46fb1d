"""The `reqdsl` command: argument parsing and exit codes only; the work is elsewhere.

Exit codes (as ruff and black): 0 no error, 1 errors found (or warnings with --strict),
2 usage, configuration or internal failure. Results go to stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reqdsl",
        description="Requirements, compliance and threat models in one checked, traced model.",
    )
    parser.add_argument("--version", action="version", version=f"reqdsl {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check a project and report every problem")
    check.add_argument("path", nargs="?", default=".", type=Path, help="project folder")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail the run too")
    check.add_argument("--no-cache", action="store_true", help="parse every file afresh")
    check.add_argument("--output", "-o", type=Path, help="write the report to this file")

    rules = commands.add_parser("rules", help="list every check with its code and description")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    catalog = commands.add_parser("catalog", help="look up GDPR, ISO 27001, WCAG, ATT&CK entries")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION")
    listing = catalog_commands.add_parser("list", help="list a catalogue's entries")
    listing.add_argument("scheme", help="gdpr, iso27001, wcag, attack or a custom scheme")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument(
        "--project",
        type=Path,
        default=Path("."),
        help="project whose reqdsl.toml declares custom catalogues",
    )
    show = catalog_commands.add_parser("show", help="show one entry, e.g. gdpr:6(1)(b)")
    show.add_argument("ref", help="SCHEME:REF, e.g. iso27001:A.8.24 or attack:T1110.004")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument("--project", type=Path, default=Path("."))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_FAILURE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_FAILURE
    try:
        if args.command == "check":
            from .commands.check import run_check

            return run_check(
                args.path,
                args.format,
                strict=args.strict,
                use_cache=not args.no_cache,
                output=args.output,
            )
        if args.command == "rules":
            from .commands.rules import run_rules

            return run_rules(args.format)
        if args.command == "catalog":
            from .commands.catalog import run_catalog

            if args.catalog_command is None:
                print("reqdsl catalog: say `list SCHEME` or `show SCHEME:REF`", file=sys.stderr)
                return EXIT_FAILURE
            return run_catalog(args)
    except KeyboardInterrupt:
        print("reqdsl: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_FAILURE
    except Exception as error:  # the last line of defence: never a traceback
        print(
            f"reqdsl: internal error: {type(error).__name__}: {error}\n"
            "please report this with the input that caused it",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    parser.print_help(sys.stderr)
    return EXIT_FAILURE


def emit(text: str, output: Path | None = None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        output.write_text(text, encoding="utf-8")


def dump_json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
