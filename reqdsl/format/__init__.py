"""`reqdsl fmt`'s engine: one canonical layout for `.req` files, comments kept.

`format_text` takes normalised text (LF line endings, no BOM) and returns it laid out;
`format_source` takes a file's text as read and keeps its BOM and line endings. Both
refuse text with a syntax error (FormatError carries the problems), and both check their
own output: the syntax tree, positions aside, and the comments must come out unchanged,
or the text is refused rather than changed.
"""

from __future__ import annotations

from lark.exceptions import LarkError

from ..parse.parser import parse_text
from ..parse.syntax import SyntaxProblem
from ..source import Span, normalise_text
from .printer import Printer
from .tokens import comments_of, parse_concrete, tokens_of
from .verify import same_syntax, syntax_shape
from .writer import Writer

__all__ = ["FormatError", "format_source", "format_text", "syntax_shape"]


class FormatError(Exception):
    """The text cannot be formatted: it has syntax errors (`problems`)."""

    def __init__(self, message: str, problems: list[SyntaxProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def format_text(text: str) -> str:
    """The canonical layout of normalised text; raises FormatError on a syntax error."""
    parsed = parse_text(text, "")
    if parsed.problems or parsed.document is None:
        problems = parsed.problems or [
            SyntaxProblem("the file has no `document` header", Span(0, 0, 1, 1, 1, 1))
        ]
        raise FormatError("the file has syntax errors", problems)
    try:
        tree = parse_concrete(text)
    except LarkError as error:  # the recovering parser accepted what Lark refuses
        raise FormatError(f"the file cannot be parsed: {error}") from error
    comments = comments_of(text, tokens_of(tree))
    writer = Writer(text, comments)
    Printer(writer).file(tree)
    result = writer.text()
    _verify(text, result, parsed, [comment.text for comment in comments])
    return result


def format_source(raw: str) -> str:
    """Format a file's text as read: a BOM and CRLF line endings are kept."""
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    crlf = "\r\n" in raw
    result = format_text(normalise_text(raw))
    if crlf:
        result = result.replace("\n", "\r\n")
    return bom + result


def _verify(before: str, after: str, parsed: object, comments: list[str]) -> None:
    if after == before:
        return
    reparsed = parse_text(after, "")
    kept = [comment.text for comment in comments_of(after, tokens_of(parse_concrete(after)))]
    if reparsed.problems or not same_syntax(parsed, reparsed) or kept != comments:  # type: ignore[arg-type]
        raise FormatError("internal error: formatting would change the file's meaning")
