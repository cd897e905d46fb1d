"""Quality rules (QU001-QU007): the case files in tests/cases/, and the details the case
files cannot pin down (exact spans of terms behind escapes and in text blocks, the
configured term list, the EARS patterns, the suggested fix)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reqdsl.checks.quality import (
    DEFAULT_VAGUE_TERMS,
    is_ears,
    statement_offsets,
    vague_matcher,
    vague_terms,
)
from reqdsl.checks.registry import run_checks
from reqdsl.diagnostics import Diagnostic
from reqdsl.model.project import load_project
from reqdsl.parse.text import cook_string, dedent_text_block

from .expect_cases import case_ids, cases, check_case

HEADER = 'document D "D" {\n    level: software\n}\n'


@pytest.mark.parametrize("case", cases("QU"), ids=case_ids)
def test_case(case: Path, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def check(tmp_path: Path, body: str, toml: str | None = None) -> tuple[str, list[Diagnostic]]:
    text = HEADER + body
    (tmp_path / "d.req").write_text(text, encoding="utf-8")
    if toml is not None:
        (tmp_path / "reqdsl.toml").write_text(toml, encoding="utf-8")
    project = load_project(tmp_path, use_cache=False)
    return text, run_checks(project)


def requirement(statement: str, extra: str = "") -> str:
    return (
        f'requirement R-1 "R" {{\n    statement: {statement}\n'
        f"    verification: inspection\n    compliance: iso27001:A.8.26\n{extra}}}\n"
    )


def at(text: str, diagnostic: Diagnostic) -> str:
    """The file text a diagnostic's span covers, found from its lines and columns."""
    lines = text.split("\n")
    span = diagnostic.span
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    first = lines[span.line - 1][span.column - 1 :]
    middle = lines[span.line : span.end_line - 1]
    last = lines[span.end_line - 1][: span.end_column - 1]
    return "\n".join([first, *middle, last])


def of(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


# ---------------------------------------------------------------------- QU001 / QU004 spans
def test_term_spans_behind_escapes(tmp_path: Path) -> None:
    text, found = check(
        tmp_path,
        requirement(r'"The \"editor\"\tshall be \\fast\\ and\nsimple, \"user friendly\" tbd."'),
    )
    vague = of(found, "QU001")
    assert [at(text, d) for d in vague] == ["fast", "simple", "user friendly"]
    assert [(d.line, d.column) for d in vague] == [(5, 44), (5, 56), (5, 66)]
    assert [at(text, d) for d in of(found, "QU004")] == ["tbd"]


def test_term_spans_in_text_blocks(tmp_path: Path) -> None:
    statement = (
        '"""   The editor shall be easy\n'
        "          to use and\n"
        "          easy, TBC.\n"
        "            Some forms: quick.\n"
        '    """'
    )
    text, found = check(tmp_path, requirement(statement))
    vague = of(found, "QU001")
    assert [at(text, d) for d in vague] == [
        "easy\n          to use",
        "easy",
        "Some",
        "quick",
    ]
    assert [(d.line, d.column, d.span.end_line) for d in vague] == [
        (5, 42, 6),
        (7, 11, 7),
        (8, 13, 8),
        (8, 25, 8),
    ]
    assert "`easy to use`" in vague[0].message  # whitespace shown as written in the value
    assert [(d.line, d.column) for d in of(found, "QU004")] == [(7, 17)]


def test_unicode_columns_count_code_points(tmp_path: Path) -> None:
    text, found = check(tmp_path, requirement('"Le début: the système shall be déjàfast, fast."'))
    vague = of(found, "QU001")
    assert [at(text, d) for d in vague] == ["fast"]
    assert vague[0].column == text.split("\n")[4].index("fast.") + 1


def test_one_diagnostic_per_occurrence_longest_wins(tmp_path: Path) -> None:
    _, found = check(tmp_path, requirement('"The editor shall be easy to use, easy and fast."'))
    assert [d.message for d in of(found, "QU001")] == [
        "vague term `easy to use` in the statement",
        "vague term `easy` in the statement",
        "vague term `fast` in the statement",
    ]


def test_configured_terms(tmp_path: Path) -> None:
    toml = '[checks]\nvague_terms = { add = ["blazing", "in  a jiffy"], remove = ["FAST"] }\n'
    text, found = check(
        tmp_path, requirement('"The editor shall be blazing and fast, in a jiffy."'), toml
    )
    assert [at(text, d) for d in of(found, "QU001")] == ["blazing", "in a jiffy"]


def test_vague_term_list() -> None:
    assert vague_terms() == list(DEFAULT_VAGUE_TERMS)
    terms = vague_terms(("Blazing", "fast"), ("some", "User  Friendly"))
    assert "Blazing" in terms and "some" not in terms and "user friendly" not in terms
    assert terms.count("fast") == 1
    matcher = vague_matcher((), ())
    assert matcher.find("all any or it that") == []
    assert matcher.find("x etc.") == [(2, 6)]


@pytest.mark.parametrize(
    "token",
    [
        '"plain"',
        r'"a \"quoted\" word"',
        r'"tab\there, newline\nthere, backslash \\ end"',
        '""',
    ],
)
def test_offsets_of_strings(token: str) -> None:
    text, starts, ends = statement_offsets(token, cook_string(token))
    assert text == cook_string(token)
    for index, char in enumerate(text):
        written = token[starts[index] : ends[index]]
        assert written == char or written.startswith("\\")


lines = st.lists(st.text(alphabet=st.sampled_from(" \tab.x"), max_size=8), min_size=0, max_size=5)


@given(first=st.text(alphabet=st.sampled_from(" ab"), max_size=6), rest=lines)
def test_offsets_of_text_blocks(first: str, rest: list[str]) -> None:
    token = '"""' + "\n".join([first, *rest]) + '"""'
    cooked = dedent_text_block(token)
    text, starts, ends = statement_offsets(token, cooked)
    assert text == cooked
    for index, char in enumerate(text):
        if char != "\n":
            assert token[starts[index] : ends[index]] == char


def test_unmappable_value_falls_back_to_the_written_text() -> None:
    text, starts, _ = statement_offsets('"abc"', "something else")
    assert text == '"abc"' and starts[1] == 1


# ---------------------------------------------------------------------- QU002 / QU003 / QU006
def test_statement_rules_point_at_the_statement(tmp_path: Path) -> None:
    text, found = check(tmp_path, requirement('"The editor shall print and shall not e-mail."'))
    for code in ("QU003", "QU006"):
        (diagnostic,) = of(found, code)
        assert at(text, diagnostic) == '"The editor shall print and shall not e-mail."'
    assert "2 `shall`/`must`" in of(found, "QU003")[0].message


def test_quality_rules_skip_requirements_without_a_statement(tmp_path: Path) -> None:
    _, found = check(tmp_path, 'requirement R-1 "R" { compliance: iso27001:A.8.26 }\n')
    assert [d.code for d in found] == ["SM005"]


# ---------------------------------------------------------------------- QU005
@pytest.mark.parametrize(
    "statement",
    [
        "The editor shall number each page.",
        "  the   editor MUST number\neach page.",
        "When a user saves a form, the editor shall store it.",
        "While a form is open, the editor shall lock it.",
        "If the disk is full, then the editor shall warn the user.",
        "Where a printer is installed, the editor shall offer printing.",
        "While a form is open, when the user presses F5, the editor shall reload it.",
        "While offline, if a save fails, then the editor shall keep a copy.",
    ],
)
def test_ears_patterns(statement: str) -> None:
    assert is_ears(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "Reports shall be kept for 30 days.",
        "If the disk is full, the editor shall warn the user.",
        "When a user saves the editor shall store it.",
        "The shall number each page.",
        "The editor shall",
        "Whenever a user saves, the editor shall store it.",
    ],
)
def test_not_ears(statement: str) -> None:
    assert not is_ears(statement)


def test_not_ears_offers_a_fix(tmp_path: Path) -> None:
    _, found = check(tmp_path, requirement('"Reports   shall be \\"kept\\"."'))
    (diagnostic,) = of(found, "QU005")
    assert "`When <trigger>, the <system> shall <response>`" in (diagnostic.hint or "")
    (fix,) = diagnostic.fixes
    assert fix.span == diagnostic.span
    assert fix.replacement == '"The <system> shall be \\"kept\\"."'


# ---------------------------------------------------------------------- QU007
def test_no_verification_points_at_the_id(tmp_path: Path) -> None:
    text, found = check(
        tmp_path,
        'requirement R-7 "R" {\n    statement: "The editor shall number pages."\n'
        "    compliance: iso27001:A.8.26\n}\n",
    )
    (diagnostic,) = of(found, "QU007")
    assert at(text, diagnostic) == "R-7"


# ---------------------------------------------------------------------- the rule table
def test_rules_are_documented(reqdsl) -> None:
    import json

    process = reqdsl("rules", "--format", "json")
    assert process.returncode == 0
    rules = {r["code"]: r for r in json.loads(process.stdout)["rules"]}
    names = {
        "QU001": "quality.vague-term",
        "QU002": "quality.no-shall",
        "QU003": "quality.not-singular",
        "QU004": "quality.open-placeholder",
        "QU005": "quality.not-ears",
        "QU006": "quality.negative-without-rationale",
        "QU007": "quality.no-verification",
    }
    for code, name in names.items():
        assert rules[code]["name"] == name
        for part in ("description", "why", "example", "fix", "reference"):
            assert rules[code][part], f"{code} has no {part}"
        assert "29148" in rules[code]["reference"] or "EARS" in rules[code]["reference"]
    assert rules["QU005"]["severity"] == "info"
    assert "RE 2009" in rules["QU005"]["reference"]


_PIECES = [
    "fast",
    "Fast",
    "FAST-ish",
    "as appropriate",
    "etc.",
    "user-friendly",
    "TBD",
    "tbd",
    "easy to use",
    "easy",
    "the",
    "shall",
    "x_y",
    "\n",
    "  ",
    "é",
    "İ",
    "some",
    "quickly",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=14))
def test_term_search_by_first_words_equals_the_word_scan(pieces: list[str]) -> None:
    """QU001/QU004 search only the first words a statement holds (`find(text, words)`);
    that must find exactly what scanning every word finds."""
    from reqdsl.checks.quality import _WORD, OPEN_MATCHER, _longest_first, vague_matcher

    text = " ".join(pieces)
    words = frozenset(_WORD.findall(text.lower()))
    for matcher in (vague_matcher(), OPEN_MATCHER):
        assert _longest_first(matcher.find(text, words)) == _longest_first(matcher.find(text))
