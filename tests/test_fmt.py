"""`reqdsl fmt`: lossless (same syntax tree, every comment kept), idempotent, canonical,
and refusing files with syntax errors. Checked on the conformance corpus, through the
CLI, and on generated documents (hypothesis)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lark import Lark

from reqdsl.format import FormatError, format_source, format_text
from reqdsl.parse.lexicon import keywords_everywhere
from reqdsl.parse.parser import parse_text
from reqdsl.resources import grammar_path
from reqdsl.source import Span

from .conftest import run_reqdsl

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance"
FILES = sorted(CONFORMANCE.glob("*/*.req"))


# ---------------------------------------------------------------------- oracles
_COMMENTS: list[str] = []
_GRAMMAR = grammar_path().read_text(encoding="utf-8")
_LEXER = Lark(
    _GRAMMAR,
    parser="lalr",
    lexer="contextual",
    lexer_callbacks={"COMMENT": lambda token: _COMMENTS.append(str(token).rstrip())},
    postlex=keywords_everywhere(),
)


def comments(text: str) -> list[str]:
    """Every comment, in order, as the grammar's own lexer sees them."""
    _COMMENTS.clear()
    _LEXER.parse(text)
    return list(_COMMENTS)


def without_positions(value: Any) -> Any:
    if isinstance(value, Span):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: without_positions(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if "span" not in f.name and f.name != "relpath"
        }
    if isinstance(value, list | tuple):
        return [without_positions(item) for item in value]
    return value


def syntax(text: str) -> Any:
    parsed = parse_text(text, "x.req")
    assert not parsed.problems
    return without_positions(parsed)


def assert_lossless(before: str, after: str) -> None:
    assert syntax(after) == syntax(before)
    assert comments(after) == comments(before)
    assert format_text(after) == after  # idempotent


def has_syntax_errors(text: str) -> bool:
    parsed = parse_text(text, "x.req")
    return bool(parsed.problems) or parsed.document is None


# ---------------------------------------------------------------------- the corpus
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_conformance_file(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    if has_syntax_errors(source):
        with pytest.raises(FormatError):
            format_source(source)
        return
    assert_lossless(source, format_source(source))


def test_formatted_corpus_still_conforms(tmp_path: Path) -> None:
    """Format a copy of the corpus with the CLI: every `# expect:` still holds, and the
    files with syntax errors are left byte for byte as they were."""
    copy = tmp_path / "conformance"
    shutil.copytree(CONFORMANCE, copy)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    result = run_reqdsl("fmt", str(copy))
    assert result.returncode == 1  # the syntax folder is refused
    assert "refused" in result.stderr
    for original in FILES:
        written = (copy / original.relative_to(CONFORMANCE)).read_bytes()
        if has_syntax_errors(original.read_text(encoding="utf-8")):
            assert written == original.read_bytes()
    check = subprocess.run(
        [sys.executable, str(copy / "run.py"), "--reqdsl", " ".join(_reqdsl()), *_dirs(copy)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def _reqdsl() -> list[str]:
    from .conftest import reqdsl_command

    return reqdsl_command()


def _dirs(root: Path) -> list[str]:
    return [str(p) for p in sorted(root.iterdir()) if p.is_dir()]


# ---------------------------------------------------------------------- the CLI
MESSY = """\
# header comment
document   D "Doc"{level:software   # trailing
}
requirement R-1 "One" {
  statement: "The system shall start."


  verification: test,analysis
}
"""
TIDY = """\
# header comment
document D "Doc" {
    level: software  # trailing
}
requirement R-1 "One" {
    statement: "The system shall start."

    verification: test, analysis
}
"""


def test_cli_rewrites_and_check_passes_afterwards(tmp_path: Path) -> None:
    path = tmp_path / "a.req"
    path.write_text(MESSY, encoding="utf-8")
    assert run_reqdsl("fmt", "--check", str(path)).returncode == 1
    assert path.read_text(encoding="utf-8") == MESSY  # --check writes nothing
    result = run_reqdsl("fmt", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == TIDY
    assert run_reqdsl("fmt", "--check", str(path)).returncode == 0


def test_cli_diff(tmp_path: Path) -> None:
    path = tmp_path / "a.req"
    path.write_text(MESSY, encoding="utf-8")
    result = run_reqdsl("fmt", "--diff", str(path))
    assert result.returncode == 0
    assert "-  verification: test,analysis" in result.stdout
    assert "+    verification: test, analysis" in result.stdout
    assert path.read_text(encoding="utf-8") == MESSY


def test_cli_refuses_syntax_errors_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.req"
    broken = MESSY.replace("statement:", "statement")
    path.write_bytes(broken.encode())
    result = run_reqdsl("fmt", str(path))
    assert result.returncode == 1
    assert "SY001" in result.stderr and "bad.req:5:" in result.stderr
    assert path.read_bytes() == broken.encode()


def test_cli_stdin_and_missing_path(tmp_path: Path) -> None:
    from .conftest import reqdsl_command

    result = subprocess.run(
        [*reqdsl_command(), "fmt", "-"], input=MESSY, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout == TIDY
    assert run_reqdsl("fmt", str(tmp_path / "nope.req")).returncode == 2


def test_bom_and_crlf_are_kept() -> None:
    raw = "\ufeff" + MESSY.replace("\n", "\r\n")
    assert format_source(raw) == "\ufeff" + TIDY.replace("\n", "\r\n")


def test_text_blocks_are_reindented_without_changing_their_text() -> None:
    source = (
        'document D "D" {\n'
        '        purpose: """\n'
        "          First line.\n"
        "\n"
        "            - indented item  \n"
        '        """\n'
        "}\n"
    )
    formatted = format_text(source)
    assert '    purpose: """\n    First line.\n\n      - indented item  \n    """' in formatted
    assert_lossless(source, formatted)


def test_comments_inside_a_list_and_before_braces() -> None:
    source = (
        'document D "D" { level: software }\n'
        'requirement R "R" {  # after the brace\n'
        "    derives-from: A, # first\n"
        "      B,\n"
        "      # own line\n"
        "      C\n"
        "    # before the closing brace\n"
        "}\n"
    )
    assert_lossless(source, format_text(source))


# ---------------------------------------------------------------------- properties
IDS = st.sampled_from(["R-1", "N.2", "Début", "X_y", "START", "ab-c.d", "Z9"])
KEYWORDS = st.sampled_from(["test", "zone", "data", "and", "note"])
FIELD_NAMES = st.sampled_from(["statement", "zone", "derives-from", "x", "kind", "tags"])
STRINGS = st.builds(
    lambda parts: '"' + "".join(parts) + '"',
    st.lists(
        st.one_of(
            st.sampled_from(["\\n", '\\"', "\\\\", "\\t", "#", " ", "é", "😀"]),
            st.text("abc XYZ", min_size=1, max_size=4),
        ),
        max_size=5,
    ),
)
TEXT_LINES = st.lists(
    st.builds(
        lambda indent, text: " " * indent + text,
        st.integers(0, 8),
        st.text("ab #-*é\t", max_size=10),
    ),
    min_size=0,
    max_size=4,
)
TEXT_BLOCKS = st.builds(
    lambda first, lines, close: (
        '"""'
        + first
        + "".join("\n" + line for line in lines)
        + ("\n" + " " * close if lines else "")
        + '"""'
    ),
    st.text("ab #", max_size=5),
    TEXT_LINES,
    st.integers(0, 8),
)
VALUES = st.one_of(
    IDS, KEYWORDS, STRINGS, TEXT_BLOCKS,
    st.sampled_from(["12", "-1", "3.5", "gdpr:6(1)(b)", "iso27001:A.8.24", "C-1 4"]),
)  # fmt: skip


@st.composite
def fields(draw: st.DrawFn) -> list[str]:
    values = draw(st.lists(VALUES, min_size=1, max_size=3))
    tokens = [draw(FIELD_NAMES), ":"]
    for index, value in enumerate(values):
        if index:
            tokens.append(",")
        tokens.extend(value.split(" ") if value.startswith("C-1") else [value])
    return tokens


ATTRIBUTE_TAILS = st.sampled_from(
    [[], ["[0..*]"], ["[", "personal", ",", "unique", "]"], ["[1]", "[", "x", "]"]]
)


def block(items: list[list[str]]) -> list[str]:
    return ["{", *[token for item in items for token in item], "}"]


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> list[str]:
    kind = draw(st.sampled_from(["requirement", "zone", "data", "scenario", "activity",
                                 "decision", "section", "text", "term"]))  # fmt: skip
    field_list = draw(st.lists(fields(), max_size=3))
    header = [kind, draw(IDS), draw(STRINGS)]
    if kind == "text":
        return ["text", draw(TEXT_BLOCKS)]
    if kind == "term":
        return ["term", draw(STRINGS), *block(field_list)]
    if kind == "section":
        inner = draw(st.lists(elements(depth + 1), max_size=2)) if depth < 2 else []
        return ["section", draw(IDS), draw(STRINGS), *block(inner)]
    if kind == "data":
        attributes = [
            ["attribute", draw(IDS), ":", draw(IDS), *draw(ATTRIBUTE_TAILS)]
            for _ in range(draw(st.integers(0, 2)))
        ]
        return [*header, *block(field_list + attributes)]
    if kind == "scenario":
        steps = [
            [draw(IDS), draw(st.sampled_from(["->", "-->"])), draw(IDS), ":", draw(STRINGS)],
            ["alt", draw(STRINGS), "{", "note", draw(STRINGS), "}", "else", "{", "}"],
            ["opt", "{", draw(IDS), "->", draw(IDS), ":", draw(STRINGS), "via", draw(IDS), "}"],
        ]
        return [*header, *block(field_list + draw(st.lists(st.sampled_from(steps), max_size=3)))]
    if kind == "activity":
        steps = [
            ["start"], ["stop"], ["action", draw(STRINGS), "by", draw(IDS)],
            ["if", draw(STRINGS), "{", "stop", "}", "else", draw(STRINGS), "{", "}"],
            ["fork", "{", "}", "and", "{", "start", "}"],
            ["while", draw(STRINGS), "{", "action", draw(STRINGS), "}"],
        ]  # fmt: skip
        return [*header, *block(field_list + draw(st.lists(st.sampled_from(steps), max_size=3)))]
    if kind == "decision":
        children = [["criterion", draw(IDS), draw(STRINGS), *block(draw(st.lists(fields(),
                     max_size=1)))], ["option", draw(IDS), draw(STRINGS)]]  # fmt: skip
        return [*header, *block(field_list + draw(st.lists(st.sampled_from(children), max_size=2)))]
    if draw(st.booleans()) and not field_list:
        return header  # an element without a block
    return [*header, *block(field_list)]


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[str], list[str | None]]:
    """Tokens, and for each gap before a token either a fixed comment gap or None (plain
    whitespace, drawn later)."""
    tokens = ["document", draw(IDS), draw(STRINGS), *block(draw(st.lists(fields(), max_size=2)))]
    for element in draw(st.lists(elements(), max_size=4)):
        tokens.extend(element)
    gaps: list[str | None] = []
    for _ in range(len(tokens) + 1):
        if draw(st.integers(0, 9)) == 0:
            before = draw(st.sampled_from([" ", "  ", "\n", "\n\n  "]))
            after = draw(st.sampled_from(["\n", "\n\n", "\n    "]))
            gaps.append(before + "# " + draw(st.text("ab #é", max_size=6)) + after)
        else:
            gaps.append(None)
    return tokens, gaps


def realise(
    tokens: list[str], gaps: list[str | None], data: st.DataObject, blank: list[bool]
) -> str:
    """Text of the document; plain gaps get random whitespace, keeping only whether
    they hold a blank line (`blank`)."""
    out = []
    for index, token in enumerate(tokens):
        gap = gaps[index]
        if gap is None:
            choices = ["\n\n", " \n\n\t", "\n  \n"] if blank[index] else [" ", "\n", "\t "]
            gap = data.draw(st.sampled_from(choices)) if index else ""
        out.append(gap + token)
    out.append(gaps[-1] or "\n")
    return "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_property_lossless_idempotent_canonical(
    document: tuple[list[str], list[str | None]], data: st.DataObject
) -> None:
    tokens, gaps = document
    blank = [data.draw(st.integers(0, 5)) == 0 for _ in tokens]
    first = realise(tokens, gaps, data, blank)
    assume(not has_syntax_errors(first))
    formatted = format_text(first)
    assert_lossless(first, formatted)
    # Canonical: other spaces and line breaks (blank lines and comments aside) give the
    # same layout.
    second = realise(tokens, gaps, data, blank)
    assert format_text(second) == formatted
