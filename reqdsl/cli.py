"""The `reqdsl` command: argument parsing and exit codes only; the work is elsewhere.

Each subcommand is a module of `reqdsl.commands` defining `NAME`, `HELP`,
`configure(parser)` and `run(args) -> int`; modules are found by name, so adding a command
is adding a file. Command modules keep heavy imports inside `run`, so `reqdsl check`
never pays for the language server or the site builder.

Exit codes (as ruff and black): 0 no error, 1 errors found (or warnings with --strict),
2 usage, configuration or internal failure. Results go to stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import contextvars
import importlib
import json
import pkgutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from . import __version__, commands

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2


def _command_modules() -> list[ModuleType]:
    found = []
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "configure") and hasattr(module, "run"):
            found.append(module)
    return found


def _parser(modules: list[ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reqdsl",
        description="Requirements, compliance and threat models in one checked, traced model.",
    )
    parser.add_argument("--version", action="version", version=f"reqdsl {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in modules:
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # One command, one context: the language it chooses (reqdsl/i18n.py) ends with it.
    return contextvars.copy_context().run(_main, argv)


def _main(argv: Sequence[str] | None) -> int:
    from .i18n import follow_projects

    follow_projects()
    parser = _parser(_command_modules())
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_FAILURE if exit_.code else EXIT_OK
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_FAILURE
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("reqdsl: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_FAILURE
    except Exception as error:  # the last line of defence: never a traceback
        print(internal_error_message(error), file=sys.stderr)
        return EXIT_FAILURE


def internal_error_message(error: BaseException) -> str:
    """What an unexpected exception prints. Its message may quote user text (openpyxl's
    IllegalCharacterError quotes the whole cell), so it is made inert like any other."""
    from .render.text import printable

    return (
        f"reqdsl: internal error: {type(error).__name__}: {printable(str(error))}\n"
        "please report this with the input that caused it"
    )


def error_line(message: str, prefix: str = "reqdsl") -> None:
    """Print `prefix: message` on stderr. Messages quote user text (a path, a value from
    reqdsl.toml, an imported attribute name): every terminal control and bidi character
    in it is made visible and inert, line by line, by the one function that does this
    for diagnostics."""
    print(printable_lines(f"{prefix}: {message}"), file=sys.stderr)


def project_root(path: Path) -> Path | None:
    """The project folder `path` belongs to (reqdsl.toml looked for upwards, as every
    command does: reqdsl.model.locate); None, after one error line, when `path` names no
    project folder (a file, or nothing)."""
    from .model.locate import NotAProject, locate_project

    try:
        return locate_project(path, allow_file=False).root
    except NotAProject as error:
        error_line(str(error))  # it quotes the path given
        return None


def printable_lines(text: str) -> str:
    """`text` with its line breaks kept and every other control character made inert."""
    from .render.text import printable

    return "\n".join(printable(line) for line in text.split("\n"))


def emit(text: str, output: Path | None = None) -> None:
    """Write a result to stdout, or to a file (atomically) when `-o` was given."""
    emit_pieces((text,), output)


def emit_pieces(pieces: Iterable[str], output: Path | None = None) -> None:
    """`emit` of a result made in pieces: each is written as it comes, so the whole
    text is never held (a large report)."""
    if output is None:
        write = sys.stdout.write
        for piece in pieces:
            write(piece)
        sys.stdout.flush()
        return
    from .util.files import write_atomic

    write_atomic(output, pieces)


def dump_json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
