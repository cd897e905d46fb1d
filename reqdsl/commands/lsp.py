"""`reqdsl lsp`: the language server, speaking LSP over standard input and output.

Everything but protocol messages goes to standard error: a stray line on standard
output would corrupt the stream, so standard output is handed to the server and
`sys.stdout` is pointed at standard error for the rest of the process.
"""

from __future__ import annotations

import argparse
import logging
import sys

NAME = "lsp"
HELP = "run the language server (LSP over stdio) for editors"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdio", action="store_true", help="use standard input and output (the default)"
    )
    parser.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        default="warning",
        help="what to log to standard error",
    )


def run(args: argparse.Namespace) -> int:
    from ..lsp.features import create_server

    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, args.log_level.upper()),
        format="reqdsl-lsp %(levelname)s %(name)s: %(message)s",
    )
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    create_server().start_io(stdin, stdout)
    return 0
