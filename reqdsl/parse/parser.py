"""The Lark front end: one LALR parser for the grammar, a fast path and a recovering path.

Most files have no syntax error, so each file is first parsed by Lark's plain LALR loop
(with the syntax tree built inline, no intermediate `Tree`); only a file that fails is
parsed again by the recovering driver, which reports every error of the file.
"""

from __future__ import annotations

import functools
from typing import cast

from lark import Lark
from lark.exceptions import LarkError

from ..resources import grammar_path
from .builder import SyntaxTreeBuilder
from .lexer import FastLexer
from .lexicon import keywords_everywhere
from .recovery import parse_with_recovery
from .syntax import Element, ParsedFile
from .tables import cached_lark


@functools.cache
def get_parser() -> Lark:
    grammar_text = grammar_path().read_text(encoding="utf-8")
    options = dict(
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,  # spans come from tokens (builder.py): no meta needed
        maybe_placeholders=False,
        transformer=SyntaxTreeBuilder(),
        postlex=keywords_everywhere(),  # keywords are reserved: see the lexicon
    )
    return cached_lark("check", grammar_text, **options)  # tables kept as data (tables.py)


@functools.cache
def get_fast_parser() -> Lark:
    """The same grammar and tables with reqdsl's fast lexer, for files without errors."""
    grammar_text = grammar_path().read_text(encoding="utf-8")
    options = dict(
        parser="lalr",
        lexer=FastLexer,
        propagate_positions=False,
        maybe_placeholders=False,
        transformer=SyntaxTreeBuilder(),
    )
    return cached_lark("fast", grammar_text, **options)


def parse_text(text: str, relpath: str) -> ParsedFile:
    """Parse normalised text (see reqdsl.source.normalise_text) into a ParsedFile."""
    try:
        # SyntaxTreeBuilder.start makes the result a (document, items) pair, not a Tree.
        fast = cast(tuple[Element, list[Element]], get_fast_parser().parse(text))
        return ParsedFile(relpath, fast[0], list(fast[1]), [])
    except LarkError:
        pass
    parser = get_parser()
    document, items, problems, broken_starts, dropped, no_header = parse_with_recovery(parser, text)
    if no_header:
        document = None
    parsed = ParsedFile(relpath, document, items, problems)
    _mark_broken(parsed, broken_starts, dropped)
    return parsed


def _mark_broken(parsed: ParsedFile, broken_starts: set[int], dropped: list[Element]) -> None:
    for element in parsed.elements():
        if element.keyword_span.start in broken_starts:
            element.broken = True
    if dropped:
        parsed.items.extend(dropped)
        parsed.items.sort(key=lambda element: element.span.start)


# Kept here for callers that parse bytes; the function lives with the source model.
from ..source import decode_source  # noqa: E402

__all__ = ["decode_source", "get_parser", "parse_text"]
