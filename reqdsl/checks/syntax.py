"""Syntax (SY): errors found by the recovering parser."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from .registry import CheckContext, Finding, rule


@rule("SY001", "syntax.error", Severity.ERROR, "syntax error", at_load=True)
def syntax_error(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        Text that does not follow the grammar of the `.req` language: a missing `:` or
        `}`, an unterminated string, an invalid escape, a keyword used as an ID, a file
        without its `document` header, bytes that are not UTF-8. The message names what
        was allowed at that place ("expected one of ':', '}' or a field name"); a block
        left open says that its `}` is missing and where the block was opened.

    Why it matters:
        An element with a syntax error keeps only its kind and ID (so references to it
        still resolve); its fields are ignored and no other check looks at it. Every
        error of a file is reported in one run, and an error never hides the errors of
        other elements or files. A finding that exists only because a broken element's
        fields are ignored (a threat its requirement mitigates reported as unmitigated)
        is withheld and counted in the summary until the syntax errors are fixed.

    Example:
        requirement REQ-1 "Missing colon" {
            statement "The system shall start."
        }

    Fix:
        Write what the message expects: `statement: "The system shall start."`.

    Reference:
        The `.req` language reference (docs/language.md), sections 1 to 3.
    """
    yield from ()  # found by the parser and the decoder (at_load)
