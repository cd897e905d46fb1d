"""A Pygments lexer for `.req` files, registered as `req` through the `pygments.lexers`
entry point, so that ```` ```req ```` code blocks are highlighted by MkDocs (and anything
else built on Pygments).

It follows the spec's lexical structure (section 1): keywords are reserved except as
field names (`zone:`) and values, compliance references are one token, and `-` followed
by a digit starts a number.
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, default, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

__all__ = ["ReqLexer"]

_ID = r"[^\W\d_](?:[\w.\-]*[\w.])?"
_ELEMENT_KINDS = (
    "document", "section", "term", "stakeholder", "goal", "requirement", "actor",
    "usecase", "zone", "component", "data", "flow", "scenario", "threat", "test",
    "decision", "criterion", "option", "activity", "review",
)  # fmt: skip
_STEP_KEYWORDS = (
    "text", "attribute", "alt", "else", "opt", "loop", "note", "via", "start", "stop",
    "action", "if", "fork", "and", "while", "by",
)  # fmt: skip
_FIELD = rf"({_ID})([ \t]*)(:)(?=\s|$)"


class ReqLexer(RegexLexer):
    """Lexer for the reqdsl requirements language."""

    name = "req"
    aliases: ClassVar[list[str]] = ["req", "reqdsl"]
    filenames: ClassVar[list[str]] = ["*.req"]
    mimetypes: ClassVar[list[str]] = ["text/x-req"]
    url = "https://pypi.org/project/reqdsl/"

    tokens: ClassVar[dict[str, list]] = {  # type: ignore[type-arg]
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"""[\s\S]*?"""', String.Doc),
            (r'"', String.Double, "string"),
            # `A -> B: "label"`: a scenario message, whose ends are IDs, not a field
            (
                rf"({_ID})(\s*)(-->|->)(\s*)({_ID})(\s*)(:)",
                bygroups(
                    Name.Variable,
                    Whitespace,
                    Operator,
                    Whitespace,
                    Name.Variable,
                    Whitespace,
                    Punctuation,
                ),
            ),
            # a field name (keywords included) followed by `:`; then its values
            (_FIELD, bygroups(Name.Attribute, Whitespace, Punctuation), "value"),
            (
                rf"\b({'|'.join(_ELEMENT_KINDS)})\b([ \t]+)({_ID})",
                bygroups(Keyword.Declaration, Whitespace, Name.Class),
            ),
            (words(_ELEMENT_KINDS, prefix=r"\b", suffix=r"\b"), Keyword.Declaration),
            (words(_STEP_KEYWORDS, prefix=r"\b", suffix=r"\b"), Keyword),
            (r"\[[ \t]*(?:\d+|\*)(?:[ \t]*\.\.[ \t]*(?:\d+|\*))?[ \t]*\]", Number),  # [0..*]
            (r"-?\d+(?:\.\d+)?(?![\w.])", Number),
            (r"-->|->", Operator),
            (r"[{}\[\],:]", Punctuation),
            (_ID, Name),
            (r".", Text),
        ],
        # A field's values, up to the end of the line (a list goes on after a comma).
        "value": [
            (r"[ \t]+", Whitespace),
            (r"(,)(\s*)", bygroups(Punctuation, Whitespace)),
            (r"#.*?$", Comment.Single),
            (r'"""[\s\S]*?"""', String.Doc),
            (r'"', String.Double, "string"),
            (r"[^\W\d_][\w\-]*:[A-Za-z0-9.()\-]+", Name.Constant),  # compliance reference
            (rf"(?={_FIELD})", Whitespace, "#pop"),  # the next field of a one-line block
            (words(("true", "false", "yes", "no"), prefix=r"\b", suffix=r"\b"), Keyword.Constant),
            (r"-?\d+(?:\.\d+)?(?![\w.])", Number),
            (_ID, Name),
            default("#pop"),
        ],
        "string": [
            (r'\\["\\nt]', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\\.", String.Escape),
            (r"\n", Whitespace, "#pop"),  # strings end at the line's end
        ],
    }
