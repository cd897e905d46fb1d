"""`reqdsl fmt`: lay `.req` files out in the one canonical layout, comments kept.

Paths may be files or folders (searched recursively for `*.req`, hidden folders and
`node_modules` skipped); `-` formats standard input to standard output. A file with a
syntax error is refused and left untouched. Exit status: 0 when every file is (or, with
`--check`, already was) formatted; 1 when a file has syntax errors or `--check` found
a file to reformat; 2 for a path that does not exist.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from ..cli import error_line, printable_lines

NAME = "fmt"
HELP = "format .req files in the canonical layout (comments kept)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="files or folders; - for stdin"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file would change"
    )
    parser.add_argument(
        "--diff", action="store_true", help="write nothing; print a unified diff of the changes"
    )


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK

    if "-" in args.paths:
        if len(args.paths) > 1:
            print("reqdsl fmt: `-` cannot be combined with other paths", file=sys.stderr)
            return EXIT_FAILURE
        return _stdin(args)
    files: list[Path] = []
    for name in args.paths:
        path = Path(name)
        if path.is_dir():
            files.extend(_req_files(path))
        elif path.is_file():
            files.append(path)
        else:
            error_line(f"`{name}`: no such file or folder", "reqdsl fmt")
            return EXIT_FAILURE
    refused = changed = 0
    for path in files:
        outcome = _one(path, args)
        refused += outcome == "refused"
        changed += outcome == "changed"
    _summary(len(files), changed, refused, args)
    if refused or (args.check and changed):
        return EXIT_FINDINGS
    return EXIT_OK


def _req_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        found.extend(Path(parent) / name for name in sorted(names) if name.endswith(".req"))
    return found


def _one(path: Path, args: argparse.Namespace) -> str:
    """Format one file: 'unchanged', 'changed' or 'refused'."""
    from ..format import FormatError, format_source
    from ..util.files import write_atomic

    try:
        raw = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        error_line(f"error: cannot read the file as UTF-8: {error}", str(path))
        return "refused"
    try:
        formatted = format_source(raw)
    except FormatError as error:
        _report(str(path), error)
        return "refused"
    if formatted == raw:
        return "unchanged"
    if args.diff:
        _print_diff(str(path), raw, formatted)
    if args.check or args.diff:
        if args.check:
            print(printable_lines(f"would reformat {path}"), file=sys.stderr)
        return "changed"
    write_atomic(path, formatted)
    print(printable_lines(f"reformatted {path}"), file=sys.stderr)
    return "changed"


def _stdin(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FINDINGS, EXIT_OK
    from ..format import FormatError, format_source

    raw = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        formatted = format_source(raw)
    except FormatError as error:
        _report("<stdin>", error)
        return EXIT_FINDINGS
    if args.diff:
        _print_diff("<stdin>", raw, formatted)
    elif not args.check:
        sys.stdout.write(formatted)
    return EXIT_FINDINGS if args.check and formatted != raw else EXIT_OK


def _report(name: str, error: Exception) -> None:
    problems = getattr(error, "problems", [])
    if not problems:
        error_line(f"error: {error}", name)
    for problem in problems:
        where = f"{name}:{problem.span.line}:{problem.span.column}"
        error_line(f"error[SY001] {problem.message}", where)
    error_line("not formatted (fix the syntax errors first)", name)


def _print_diff(name: str, before: str, after: str) -> None:
    diff = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{name} (original)",
        tofile=f"{name} (formatted)",
    )
    sys.stdout.writelines(diff)
    sys.stdout.flush()


def _summary(total: int, changed: int, refused: int, args: argparse.Namespace) -> None:
    verb = "would be reformatted" if args.check or args.diff else "reformatted"
    parts = [f"{changed} file{'s' if changed != 1 else ''} {verb}"]
    parts.append(f"{total - changed - refused} unchanged")
    if refused:
        parts.append(f"{refused} refused (syntax errors)")
    print(", ".join(parts), file=sys.stderr)
