"""A Pygments lexer for `.req` files, registered as `req` through the `pygments.lexers`
entry point, so that ```` ```req ```` code blocks are highlighted by MkDocs (and anything
else built on Pygments).

It follows the spec's lexical structure (section 1): keywords are reserved except as
field names (`zone:`) and values, compliance references are one token, and `-` followed
by a digit starts a number.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any, ClassVar

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

from .parse.lexicon import lexicon

__all__ = ["ReqLexer"]

_LEXICON = lexicon()
_ID = _LEXICON.patterns["ID"]
_DECLARATIONS = _LEXICON.declarations  # element keywords followed by an ID or a title
_OTHER_KEYWORDS = tuple(word for word in _LEXICON.keywords if word not in _DECLARATIONS)
_FIELD = rf"({_ID})([ \t]*)(:)(?=\s|$)"
_PUNCTUATION = "[" + "".join(re.escape(char) for char in _LEXICON.punctuation) + "]"
_ESCAPE = r"\\[" + "".join(re.escape(char) for char in _LEXICON.escapes) + "]"


def _keywords(chosen: tuple[str, ...]) -> str:
    """The words, each only as a whole ID (`review` but not the ID `review-1`)."""
    return rf"\b(?:{'|'.join(chosen)})" + _LEXICON.keyword_end


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
            (_LEXICON.patterns["COMMENT"], Comment.Single),
            (_LEXICON.patterns["TEXT_BLOCK"], String.Doc),
            (r'"', String.Double, "string"),
            # `A -> B: "label"`: a scenario message, whose ends are IDs, not a field
            (
                rf"({_ID})(\s*)({_LEXICON.patterns['ARROW']})(\s*)({_ID})(\s*)(:)",
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
                rf"\b({'|'.join(_DECLARATIONS)})\b([ \t]+)({_ID})",
                bygroups(Keyword.Declaration, Whitespace, Name.Class),
            ),
            (_keywords(_DECLARATIONS), Keyword.Declaration),
            (_keywords(_OTHER_KEYWORDS), Keyword),
            (_LEXICON.patterns["MULTIPLICITY"], Number),  # [0..*]
            (_LEXICON.patterns["NUMBER"], Number),
            (_LEXICON.patterns["ARROW"], Operator),
            (_PUNCTUATION, Punctuation),
            (_ID, Name),
            (r".", Text),
        ],
        # A field's values, up to the end of the line (a list goes on after a comma).
        "value": [
            (r"[ \t]+", Whitespace),
            (r"(,)(\s*)", bygroups(Punctuation, Whitespace)),
            (_LEXICON.patterns["COMMENT"], Comment.Single),
            (_LEXICON.patterns["TEXT_BLOCK"], String.Doc),
            (r'"', String.Double, "string"),
            (_LEXICON.patterns["COMPLIANCE_REF"], Name.Constant),  # compliance reference
            (rf"(?={_FIELD})", Whitespace, "#pop"),  # the next field of a one-line block
            (words(("true", "false", "yes", "no"), prefix=r"\b", suffix=r"\b"), Keyword.Constant),
            (_LEXICON.patterns["NUMBER"], Number),
            (_ID, Name),
            default("#pop"),
        ],
        "string": [
            (_ESCAPE, String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\\.", String.Escape),
            (r"\n", Whitespace, "#pop"),  # strings end at the line's end
        ],
    }


def textmate_grammar(grammar: dict[str, Any]) -> dict[str, Any]:
    """The VS Code TextMate grammar (editors/vscode/syntaxes/req.tmLanguage.json) with
    every pattern that states the syntax (IDs, keywords, escapes, terminals) rewritten
    from the lexicon; scopes and structure are kept as they are."""
    patterns = _LEXICON.patterns
    updated = copy.deepcopy(grammar)
    repository = updated["repository"]
    repository["string"]["patterns"][0]["match"] = _ESCAPE
    repository["message"]["match"] = rf"({_ID})\s*({patterns['ARROW']})\s*({_ID})\s*(:)"
    field = repository["field"]
    field["begin"] = rf"({_ID})[ \t]*(:)(?=\s|$)"
    field["end"] = (
        r"(?<![,\n])(?<!,[ \t])(?<!,[ \t][ \t])$|(?=\})"
        rf"|(?=[ \t]+{_ID}[ \t]*:(?:\s|$))"
    )
    field["patterns"][-1]["match"] = _ID
    repository["compliance"]["match"] = patterns["COMPLIANCE_REF"]
    repository["declaration"]["match"] = rf"\b({'|'.join(_DECLARATIONS)})\b[ \t]+({_ID})"
    declarations, others = repository["keyword"]["patterns"]
    declarations["match"] = _keywords(_DECLARATIONS)
    others["match"] = _keywords(_OTHER_KEYWORDS)
    repository["multiplicity"]["match"] = patterns["MULTIPLICITY"]
    repository["number"]["match"] = patterns["NUMBER"]
    repository["punctuation"]["patterns"][0]["match"] = patterns["ARROW"]
    repository["identifier"]["match"] = _ID
    return updated


def main(argv: list[str] | None = None) -> int:
    """`python -m reqdsl.highlight --textmate PATH`: bring a TextMate grammar in line with
    the grammar (after a keyword or a terminal changed in grammar/reqdsl.lark)."""
    parser = argparse.ArgumentParser(prog="python -m reqdsl.highlight")
    parser.add_argument("--textmate", type=Path, required=True, metavar="PATH")
    path = parser.parse_args(argv).textmate
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(textmate_grammar(current), indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"python -m reqdsl.highlight: {path}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
