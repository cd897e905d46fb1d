"""The Pygments lexer `req`: found through the entry point, lossless, and right about
the language's tricky corners (keywords as field names and values, compliance refs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygments import highlight, lex
from pygments.formatters import HtmlFormatter
from pygments.lexers import find_lexer_class_for_filename, get_lexer_by_name
from pygments.token import Comment, Keyword, Name, Number, String, Token

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance"
FILES = sorted(CONFORMANCE.glob("*/*.req"))


def tokens(source: str) -> list[tuple[object, str]]:
    return [(kind, text) for kind, text in lex(source, get_lexer_by_name("req")) if text.strip()]


def test_registered_by_name_alias_and_filename() -> None:
    assert get_lexer_by_name("req").name == "req"
    assert get_lexer_by_name("reqdsl").name == "req"
    found = find_lexer_class_for_filename("srs.req")
    assert found is not None and found.name == "req"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lossless_and_error_free_on_the_corpus(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lexed = list(lex(source, get_lexer_by_name("req")))
    assert "".join(text for _, text in lexed) == source
    assert not [text for kind, text in lexed if kind in Token.Error]


def test_classifies_the_language() -> None:
    source = (
        "# a comment\n"
        'document SRS "Title \\"quoted\\"" {\n'
        "    level: software\n"
        '    purpose: """Why."""\n'
        "}\n"
        'component GW "Gateway" { kind: process zone: Z-1 }\n'
        'requirement R-1 "Title" {\n'
        "    verification: test, analysis\n"
        "    compliance: gdpr:6(1)(b), iso27001:A.8.24\n"
        "    weight: -0.5\n"
        "}\n"
        'data D "Data" { attribute items: ITEM [0..*] }\n'
    )
    found = tokens(source)
    assert (Comment.Single, "# a comment") in found
    assert (Keyword.Declaration, "document") in found
    assert (Name.Class, "SRS") in found
    assert (String.Escape, '\\"') in found
    assert (String.Doc, '"""Why."""') in found
    assert (Name.Attribute, "zone") in found  # a keyword used as a field name
    assert (Name, "test") in found  # a keyword used as a value
    assert (Keyword.Declaration, "test") not in found
    assert (Name.Constant, "gdpr:6(1)(b)") in found
    assert (Name.Constant, "iso27001:A.8.24") in found
    assert (Number, "-0.5") in found
    assert (Number, "[0..*]") in found


def test_html_rendering() -> None:
    html = highlight('zone Z "Zone" { trust: trusted }', get_lexer_by_name("req"), HtmlFormatter())
    assert 'class="k' in html and "Z" in html
