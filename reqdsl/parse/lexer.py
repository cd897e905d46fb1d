"""A fast lexer for the plain (error-free) parse, equivalent to Lark's contextual lexer.

Half of a Lark LALR parse is Lark's lexer: it tries the terminals of the current parser
state one regular expression at a time and builds each token through several layers.
This lexer reads a token with one master expression, then decides by the character that
follows and by the parser state exactly where the contextual lexer would:

- `SCHEME:REF` is a COMPLIANCE_REF only where the parser state accepts one (a value);
  elsewhere `zone:` is an ID (or keyword) followed by `:`; a scheme may end with `-`
  where an ID may not (`A-:0`);
- `[0..*]` is a MULTIPLICITY only where the state accepts one; elsewhere `[` is LSQB;
- keywords are keywords everywhere (as with `always_accept` on the contextual lexer).

Characters no terminal matches raise Lark's UnexpectedCharacters: the file then goes to
the recovering parser (reqdsl/parse/recovery.py), which uses Lark's own contextual lexer,
so error messages never depend on this module. tests/test_parser.py checks that both
lexers give the same syntax tree on every file of the conformance corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, LexerState, Token

from .lexicon import keyword_terminals, punctuation_terminals, terminal_patterns

_new_token: Callable[..., Token] = Token._future_new


def _master(patterns: dict[str, str], punctuation: dict[str, str]) -> re.Pattern[str]:
    """One expression for every token, a group per terminal (named after it), in the
    order that makes the first match the right one: a text block before a string,
    a number (`-1`) before an arrow (`->`). Punctuation is one group; which terminal it
    is, the character says."""
    groups = [
        f"(?P<{name}>{patterns[name]})"
        for name in ("WS", "COMMENT", "TEXT_BLOCK", "STRING", "ID", "NUMBER", "ARROW")
    ]
    characters = "".join(re.escape(char) for char in punctuation)
    return re.compile("|".join([*groups, f"(?P<punct>[{characters}])"]))


class FastLexer(Lexer):
    """Lark custom lexer (`Lark(lexer=FastLexer)`); see the module docstring."""

    __future_interface__ = 2  # lex(lexer_state, parser_state), the parser state for context

    def __init__(self, lexer_conf: Any) -> None:
        # The patterns are the terminals Lark compiled from the grammar (the lexicon's
        # reading of them), compiled here once per parser: the parser is built once.
        patterns = terminal_patterns(lexer_conf.terminals)
        self.keywords = keyword_terminals(lexer_conf.terminals)
        self.punctuation = punctuation_terminals(lexer_conf.terminals)
        self.master = _master(patterns, self.punctuation)
        self.ref = re.compile(patterns["COMPLIANCE_REF"])
        self.multiplicity = re.compile(patterns["MULTIPLICITY"])

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        text: str = lexer_state.text.text
        states = parser_state.parse_conf.states
        keywords = self.keywords
        punctuation = self.punctuation
        match_master = self.master.match
        pos, end = 0, len(text)
        line, line_start = 1, 0
        while pos < end:
            found = match_master(text, pos)
            if found is None:
                raise UnexpectedCharacters(  # type: ignore[no-untyped-call]
                    text, pos, line, pos - line_start + 1, state=parser_state
                )
            kind = found.lastgroup
            value = found.group()
            stop = found.end()
            if kind == "WS" or kind == "COMMENT":
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = pos + value.rfind("\n") + 1
                pos = stop
                continue
            if kind == "ID":
                # An ID never ends with `-`, a scheme may: `A-:0` is one COMPLIANCE_REF.
                if stop < end and text[stop] in ":-":
                    table = states[parser_state.position]
                    if "COMPLIANCE_REF" in table:
                        ref = self.ref.match(text, pos)
                        if ref is not None:
                            kind, value, stop = "COMPLIANCE_REF", ref.group(), ref.end()
                if kind == "ID":
                    kind = keywords.get(value, "ID")
            elif kind == "punct":
                kind = punctuation[value]
                if value == "[" and "MULTIPLICITY" in states[parser_state.position]:
                    multiplicity = self.multiplicity.match(text, pos)
                    if multiplicity is not None:
                        kind, value, stop = "MULTIPLICITY", multiplicity.group(), multiplicity.end()
            column = pos - line_start + 1
            if kind == "TEXT_BLOCK" and "\n" in value:
                end_line = line + value.count("\n")
                end_line_start = pos + value.rfind("\n") + 1
                token = _new_token(
                    kind, value, pos, line, column, end_line, stop - end_line_start + 1, stop
                )
                line, line_start = end_line, end_line_start
            else:
                token = _new_token(
                    kind, value, pos, line, column, line, column + (stop - pos), stop
                )
            pos = stop
            yield token
