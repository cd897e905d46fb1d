"""The formatter's view of a file: a concrete syntax tree (every token kept) and the
comments, which the grammar ignores.

The grammar `%ignore`s comments, so the project's parser never sees them. The formatter
builds its own Lark instance from the same grammar file (no tree builder, every token
kept) and recovers the comments from the gaps between tokens: between two consecutive
tokens there is only whitespace and comments, so a `#` there always starts a comment.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lark import Lark, Token, Tree

from ..parse.lexicon import keywords_everywhere
from ..parse.tables import cached_lark
from ..resources import grammar_path

_COMMENT = re.compile(r"#[^\n]*")


@dataclass(frozen=True)
class Comment:
    """A `# ...` comment: its text (trailing whitespace removed) and its offsets."""

    text: str
    start: int
    end: int


@functools.cache
def concrete_parser() -> Lark:
    grammar_text = grammar_path().read_text(encoding="utf-8")
    options = dict(
        parser="lalr",
        lexer="contextual",
        keep_all_tokens=True,
        maybe_placeholders=False,
        # the same text lexes to the same tokens as in the project's parser
        postlex=keywords_everywhere(),
    )
    return cached_lark("format", grammar_text, **options)  # tables kept as data, sealed


def parse_concrete(text: str) -> Tree[Token]:
    """The concrete tree of normalised text; raises a LarkError on a syntax error."""
    return concrete_parser().parse(text)


def tokens_of(tree: Tree[Token] | Token) -> list[Token]:
    """Every token of the tree, in source order. A loop over a stack, not Lark's
    `scan_values`, which calls itself per level: sections nested 1,000 deep are valid."""
    found: list[Token] = []
    stack: list[Tree[Token] | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            found.append(node)
        else:
            stack.extend(reversed(node.children))
    return found


def comments_of(text: str, tokens: list[Token]) -> list[Comment]:
    """Every comment of the text, in order (found in the gaps between tokens)."""
    found: list[Comment] = []
    gap_start = 0
    for token in [*tokens, None]:
        gap_end = len(text) if token is None else token.start_pos
        assert gap_end is not None
        for match in _COMMENT.finditer(text, gap_start, gap_end):
            found.append(Comment(match.group(0).rstrip(), match.start(), match.end()))
        if token is not None:
            assert token.end_pos is not None
            gap_start = token.end_pos
    return found
