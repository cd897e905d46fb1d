"""One lexicon: keywords, the ID pattern, string escapes and element kinds come from the
grammar once (reqdsl/parse/lexicon.py), and every module that needs them agrees with it:
the fast lexer, the recovering parser, the Pygments lexer, the VS Code TextMate grammar,
the language server, the importers and the quality rules' string offsets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lark import Lark
from pygments import lex
from pygments.token import Keyword, Name

from reqdsl.checks.quality import statement_offsets
from reqdsl.highlight import ReqLexer
from reqdsl.interop.importing import IdMaker, ImportResult, valid_id
from reqdsl.parse.lexer import FastLexer
from reqdsl.parse.lexicon import build_lexicon, lexicon
from reqdsl.parse.parser import parse_text
from reqdsl.parse.text import cook_string, cook_string_with_offsets
from reqdsl.resources import grammar_path

ROOT = Path(__file__).resolve().parents[1]
GRAMMAR = grammar_path().read_text(encoding="utf-8")
TEXTMATE = ROOT / "editors" / "vscode" / "syntaxes" / "req.tmLanguage.json"
HEADER = 'document D "Doc" { level: software }\n'

# Valid and invalid IDs, keywords and near-keywords, letters of other scripts.
ID_SAMPLES = [
    "a", "R-1", "SYS.2", "x1", "é", "Ωmega", "Ü-3.1", "a_b", "a.", "a--b", "a-.b",
    "zone", "zones", "Zone", "requirement2", "review-1", "test.x", "and-", "note_",
    "a-", "_a", "1a", "-a", "a:b", "a b", ".a", "a-\u00e9-", "",
]  # fmt: skip


def _grammar_with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


# ------------------------------------------------------------------ the lexicon itself


def test_keywords_are_the_grammars_keyword_terminals() -> None:
    written = dict(re.findall(r'^(KW_\w+): "(\w+)"$', GRAMMAR, re.MULTILINE))
    assert lexicon().keywords == {word: name for name, word in written.items()}


def test_id_and_escapes_come_from_the_grammars_terminals() -> None:
    ident = re.search(r"^ID: /(.*)/$", GRAMMAR, re.MULTILINE)
    assert ident is not None and lexicon().patterns["ID"] == ident.group(1)
    assert lexicon().escapes == {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def test_element_kinds_and_steps_follow_the_rules() -> None:
    found = lexicon()
    assert found.element_kinds[:3] == ("stakeholder", "goal", "requirement")
    assert "criterion" not in found.element_kinds  # only inside a decision
    assert set(found.element_keywords.values()) == {
        "document", "section", "text", "term", "criterion", "option", *found.element_kinds
    }  # fmt: skip
    assert "text" not in found.declarations  # a prose block: no ID, no title
    assert found.scenario_steps == ("alt", "opt", "loop", "note")
    assert set(found.activity_steps) == {"start", "stop", "action", "if", "fork", "while", "note"}


def test_a_new_kind_in_the_grammar_reaches_every_list() -> None:
    """Adding a kind is a grammar edit: the lexicon of the edited grammar has it."""
    grammar = _grammar_with(GRAMMAR, "?plain_kind: ", "?plain_kind: KW_HAZARD | ")
    grammar = _grammar_with(grammar, "?keyword: ", "?keyword: KW_HAZARD | ")
    grammar += 'KW_HAZARD: "hazard"\n'
    parser = Lark(grammar, parser="lalr", lexer="contextual")
    edited = build_lexicon(parser.terminals, parser.rules)
    assert edited.keywords["hazard"] == "KW_HAZARD"
    assert edited.element_keywords["KW_HAZARD"] == "hazard"
    assert edited.element_kinds[-1] == "hazard" and "hazard" in edited.declarations
    assert not edited.is_id("hazard") and "hazard" not in lexicon().keywords


def test_a_string_escape_the_cooker_cannot_give_is_refused() -> None:
    grammar = _grammar_with(GRAMMAR, r'\\["\\nt]', r'\\["\\ntx]')
    parser = Lark(grammar, parser="lalr", lexer="contextual")
    with pytest.raises(ValueError, match=r"`\\x`"):
        build_lexicon(parser.terminals, parser.rules)


# ------------------------------------------------------------------ the parser's users


def test_fast_lexer_takes_its_patterns_from_the_grammar() -> None:
    """The fast lexer compiles the terminals Lark hands it, not a copy of them: a
    grammar whose IDs may start with `_` lexes `_x` as an ID."""
    grammar = _grammar_with(GRAMMAR, r"ID: /[^\W\d_]", r"ID: /[^\W\d]")
    parser = Lark(grammar, parser="lalr", lexer=FastLexer, maybe_placeholders=False)
    tree = parser.parse('document _D "Doc"\nrequirement _R "T"\n')
    idents = [str(token) for token in tree.scan_values(lambda token: token.type == "ID")]
    assert idents == ["_D", "_R"]


def test_the_invalid_escape_message_lists_the_grammars_escapes() -> None:
    parsed = parse_text(HEADER + 'stakeholder S "bad \\q"\n', "t.req")
    allowed = " ".join(f"\\{char}" for char in lexicon().escapes)
    assert parsed.problems[0].message.startswith("invalid escape `\\q`")
    assert allowed.rsplit(" ", 1)[0] in parsed.problems[0].message


@pytest.mark.parametrize("token", ['"plain"', '"a\\"b\\\\c\\nd\\te"', '"\\q"', '""', '"end\\\\"'])
def test_one_string_cooker_for_values_and_offsets(token: str) -> None:
    """The parser's cooking and the quality rules' offsets are one function: the text
    they give is the same, and each character maps back to its own escape."""
    text, starts, ends = cook_string_with_offsets(token)
    assert text == cook_string(token)
    assert statement_offsets(token, text) == (text, starts, ends)
    for char, start, end in zip(text, starts, ends, strict=True):
        written = token[start:end]
        assert written == char or (written[0] == "\\" and cook_string(f'"{written}"') == char)


@pytest.mark.parametrize("sample", ID_SAMPLES)
def test_importer_makes_exactly_the_ids_the_grammar_accepts(sample: str) -> None:
    assert valid_id(sample) == lexicon().is_id(sample)
    made = IdMaker(ImportResult()).make(sample, "R")
    assert (made == sample) == lexicon().is_id(sample)
    assert lexicon().is_id(made)


# ------------------------------------------------------------------ highlighters


def _pygments_class(word: str) -> object | None:
    """The one token type the Pygments lexer gives `word`, or None if it splits it."""
    lexed = [(kind, text) for kind, text in lex(word, ReqLexer()) if text.strip()]
    return lexed[0][0] if len(lexed) == 1 and lexed[0][1] == word else None


def test_pygments_keywords_are_the_lexicons() -> None:
    found = lexicon()
    for word in found.keywords:
        expected = Keyword.Declaration if word in found.declarations else Keyword
        assert _pygments_class(word) is expected, word


@pytest.mark.parametrize("sample", ID_SAMPLES)
def test_pygments_ids_are_the_grammars(sample: str) -> None:
    assert (_pygments_class(sample) in (Name, Keyword, Keyword.Declaration)) == bool(
        lexicon().id.fullmatch(sample)
    )


def _textmate() -> dict:  # type: ignore[type-arg]
    return json.loads(TEXTMATE.read_text(encoding="utf-8"))["repository"]


def _words_matched(pattern: str, words: list[str]) -> set[str]:
    return {word for word in words if re.fullmatch(pattern, word)}


def test_textmate_keywords_are_the_lexicons() -> None:
    found = lexicon()
    candidates = [*found.keywords, "zones", "tests", "id", "statement", "true"]
    declaration, other = (entry["match"] for entry in _textmate()["keyword"]["patterns"])
    assert _words_matched(declaration, candidates) == set(found.declarations)
    assert _words_matched(other, candidates) == set(found.keywords) - set(found.declarations)
    declared = re.compile(_textmate()["declaration"]["match"])
    assert {word for word in found.keywords if declared.fullmatch(f"{word} X-1")} == set(
        found.declarations
    )


@pytest.mark.parametrize("sample", ID_SAMPLES)
def test_textmate_ids_are_the_grammars(sample: str) -> None:
    repository = _textmate()
    expected = bool(lexicon().id.fullmatch(sample))
    assert bool(re.fullmatch(repository["identifier"]["match"], sample)) == expected
    field = re.compile(repository["field"]["begin"])
    assert bool(field.fullmatch(f"{sample}:")) == expected
    message = re.compile(repository["message"]["match"])
    assert bool(message.fullmatch(f"{sample} -> {sample}:")) == expected
    for keywords in repository["keyword"]["patterns"]:  # never a keyword inside an ID
        found = re.match(keywords["match"], sample)
        assert found is None or not expected or found.end() == len(sample)


def test_textmate_escapes_are_the_grammars() -> None:
    escape = _textmate()["string"]["patterns"][0]["match"]
    printable = [chr(code) for code in range(32, 127)]
    assert {c for c in printable if re.fullmatch(escape, "\\" + c)} == set(lexicon().escapes)


def test_textmate_grammar_is_in_sync_with_the_lexicon() -> None:
    """The TextMate grammar is generated from the lexicon where it states the syntax:
    `python -m reqdsl.highlight --textmate` rewrites it after a grammar change."""
    from reqdsl.highlight import textmate_grammar

    current = json.loads(TEXTMATE.read_text(encoding="utf-8"))
    assert textmate_grammar(current) == current


# ------------------------------------------------------------------ no second copy


def test_no_module_repeats_the_syntax() -> None:
    """The ID pattern, the keyword list and the escapes are written in the grammar only:
    no Python module of reqdsl holds a copy or re-reads the grammar's terminals."""
    ident = lexicon().patterns["ID"]
    offenders = []
    for path in sorted((ROOT / "reqdsl").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if ident in source or "KW_\\w+" in source or '["\\\\nt]' in source:
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_outline_icons_name_only_kinds() -> None:
    from reqdsl.lsp.symbols import _KINDS

    assert set(_KINDS) <= set(lexicon().element_keywords.values())


def test_the_language_reference_lists_the_grammars_keywords() -> None:
    """docs/language.md lists the keywords by hand (it is prose): it must list these."""
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    found = lexicon()
    listed = re.search(r"- element kinds: (.*?);\n- other words: (.*?)\.\n", text, re.DOTALL)
    assert listed is not None
    kinds, others = (re.findall(r"[a-z]+", group) for group in listed.groups())
    assert kinds == list(found.element_keywords.values())
    assert set(others) == set(found.keywords) - set(kinds)
