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

_ID = r"[^\W\d_](?:[\w.\-]*[\w.])?"
_MASTER = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<text>\"\"\"[\s\S]*?\"\"\")
  | (?P<string>"(?!"")(?:[^"\\\n]|\\["\\nt])*")
  | (?P<id>"""
    + _ID
    + r""")
  | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
  | (?P<arrow>-->|->)
  | (?P<punct>[{}\[\]:,])
    """,
    re.VERBOSE,
)
_REF = re.compile(r"[^\W\d_][\w\-]*:[A-Za-z0-9.()\-]+")
_MULTIPLICITY = re.compile(r"\[[ \t]*(?:\d+|\*)(?:[ \t]*\.\.[ \t]*(?:\d+|\*))?[ \t]*\]")
_PUNCTUATION = {"{": "LBRACE", "}": "RBRACE", "[": "LSQB", "]": "RSQB", ":": "COLON",
                ",": "COMMA"}  # fmt: skip
_new_token: Callable[..., Token] = Token._future_new


class FastLexer(Lexer):
    """Lark custom lexer (`Lark(lexer=FastLexer)`); see the module docstring."""

    __future_interface__ = 2  # lex(lexer_state, parser_state), the parser state for context

    def __init__(self, lexer_conf: Any) -> None:
        self.keywords: dict[str, str] = {}
        for terminal in lexer_conf.terminals:
            if terminal.name.startswith("KW_"):
                self.keywords[terminal.pattern.value] = terminal.name

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        text: str = lexer_state.text.text
        states = parser_state.parse_conf.states
        keywords = self.keywords
        match_master = _MASTER.match
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
            if kind == "ws" or kind == "comment":
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = pos + value.rfind("\n") + 1
                pos = stop
                continue
            if kind == "id":
                # An ID never ends with `-`, a scheme may: `A-:0` is one COMPLIANCE_REF.
                if stop < end and text[stop] in ":-":
                    table = states[parser_state.position]
                    if "COMPLIANCE_REF" in table:
                        ref = _REF.match(text, pos)
                        if ref is not None:
                            kind, value, stop = "COMPLIANCE_REF", ref.group(), ref.end()
                if kind == "id":
                    kind = keywords.get(value, "ID")
            elif kind == "string":
                kind = "STRING"
            elif kind == "text":
                kind = "TEXT_BLOCK"
            elif kind == "number":
                kind = "NUMBER"
            elif kind == "arrow":
                kind = "ARROW"
            else:
                kind = _PUNCTUATION[value]
                if value == "[" and "MULTIPLICITY" in states[parser_state.position]:
                    multiplicity = _MULTIPLICITY.match(text, pos)
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
