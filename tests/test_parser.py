"""The parser: positions, recovery without cascades, robustness on any input."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reqdsl.model.project import load_project
from reqdsl.parse.parser import decode_source, parse_text
from reqdsl.source import normalise_text

HEADER = 'document D "Doc" { level: software }\n'


def problems(text: str) -> list[tuple[int, int, str]]:
    parsed = parse_text(normalise_text(text), "t.req")
    return [(p.span.line, p.span.column, p.message) for p in parsed.problems]


def elements(text: str) -> list[tuple[str, str | None, bool]]:
    parsed = parse_text(normalise_text(text), "t.req")
    return [(e.kind, e.id, e.broken) for e in parsed.elements()]


def test_valid_file_has_no_problem_and_spans_point_at_ids() -> None:
    parsed = parse_text(
        HEADER + 'requirement R-1 "T" { statement: "The system shall start." }\n', "t.req"
    )
    assert parsed.problems == []
    requirement = parsed.items[0]
    assert (requirement.id_span.line, requirement.id_span.column) == (2, 13)
    statement = requirement.fields[0].values[0]
    assert statement.text == "The system shall start."
    assert (statement.span.line, statement.span.column) == (2, 34)


def test_missing_colon_is_one_error_naming_the_colon() -> None:
    text = HEADER + 'requirement R-1 "T" {\n    statement "x"\n}\nrequirement R-2 "U"\n'
    assert problems(text) == [(3, 15, "unexpected `\"x\"`, expected ':'")]
    assert elements(text)[1:] == [("requirement", "R-1", True), ("requirement", "R-2", False)]


def test_missing_closing_brace_does_not_cascade() -> None:
    text = HEADER + 'requirement A "a" {\n statement: "s"\nrequirement B "b" { statement: "t" }\n'
    assert len(problems(text)) == 1
    assert elements(text)[1:] == [("requirement", "A", True), ("requirement", "B", False)]


def test_missing_title_keeps_the_id_and_skips_the_block() -> None:
    text = HEADER + 'requirement R-X Stray {\n statement: "s"\n}\nactor A "ok"\n'
    assert [p[:2] for p in problems(text)] == [(2, 17)]
    assert elements(text)[1:] == [("requirement", "R-X", True), ("actor", "A", False)]


def test_every_error_of_a_file_is_reported() -> None:
    text = HEADER + (
        'requirement A "a" { statement "x" }\n'
        'component C "c" { kind: process,, }\n'
        'requirement B "b" { statement: "ok" }\n'
        'flow F "f" { from: @ }\n'
    )
    assert [p[0] for p in problems(text)] == [2, 3, 5]
    assert [e[2] for e in elements(text)[1:]] == [True, True, False, True]


def test_criterion_outside_a_decision_is_a_syntax_error() -> None:
    text = HEADER + 'criterion C "c" { weight: 1 }\nrequirement B "b"\n'
    assert problems(text) == [
        (2, 1, "`criterion` may appear only directly inside a `decision` block")
    ]
    assert elements(text)[1:] == [("criterion", "C", True), ("requirement", "B", False)]


def test_broken_decision_field_keeps_criteria_and_options() -> None:
    text = (
        HEADER
        + 'decision DE "d" {\n status: ,\n criterion C "c" { weight: 1 }\n option O "o" { scores: C 1 }\n}\n'
    )
    assert len(problems(text)) == 1
    assert elements(text)[1:] == [
        ("decision", "DE", True),
        ("criterion", "C", False),
        ("option", "O", False),
    ]


def test_keywords_are_reserved_as_ids_but_usable_as_fields_and_values() -> None:
    assert (
        problems(HEADER + 'requirement zone "a"\n')[0][2]
        == "unexpected `zone`, expected an identifier"
    )
    ok = HEADER + 'actor A "a" { zone: Z kind: human }\ntest T "t" { verifies: A method: test }\n'
    assert problems(ok) == []


def test_strings_escapes_and_text_blocks() -> None:
    parsed = parse_text(
        HEADER
        + 'stakeholder S "a \\"b\\" \\\\ c" { description: """\n    one\n      two\n    """ }\n',
        "t",
    )
    stakeholder = parsed.items[0]
    assert stakeholder.title == 'a "b" \\ c'
    assert stakeholder.fields[0].values[0].text == "one\n  two"
    assert problems(HEADER + 'stakeholder S "bad \\q"\n')[0][2].startswith("invalid escape `\\q`")
    assert problems(HEADER + 'stakeholder S "open\n')[0][2].startswith("unterminated string")


def test_positions_with_crlf_bom_tabs_and_non_ascii() -> None:
    text = (
        "\ufeff"
        + HEADER.replace("\n", "\r\n")
        + 'stakeholder S-é "début"\r\n\tactor A "x" { kind: alien }\r\n'
    )
    parsed = parse_text(normalise_text(text), "t.req")
    actor = parsed.items[1]
    assert (actor.id_span.line, actor.id_span.column) == (3, 8)
    assert (parsed.items[0].id_span.line, parsed.items[0].id_span.column) == (2, 13)
    assert parsed.items[0].title == "début"


def test_non_utf8_bytes_are_a_problem_not_a_crash() -> None:
    text, problem = decode_source(b'document D "x"\nstakeholder S "caf\xe9"\n')
    assert problem is not None and (problem.span.line, problem.span.column) == (2, 19)
    assert parse_text(normalise_text(text), "t").items[0].id == "S"


def test_missing_document_header() -> None:
    assert problems('requirement A "a"\n')[0][:2] == (1, 1)
    assert problems("") == [(1, 1, "unexpected end of file, expected `document`")]


def test_deep_nesting_has_no_recursion_error(tmp_path: Path) -> None:
    depth = 3000
    text = HEADER + 'section "s" {\n' * depth + 'stakeholder S "x"\n' + "}\n" * depth
    (tmp_path / "deep.req").write_text(text, encoding="utf-8")
    project = load_project(tmp_path, use_cache=False)
    assert project.index["S"].section == ["s"] * depth


_TOKENS = [
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    '"',
    '"""',
    "#",
    "\\",
    "\n",
    "\t",
    " ",
    "->",
    "-->",
    "document",
    "requirement",
    "section",
    "decision",
    "criterion",
    "option",
    "R-1",
    "x",
    "1",
    "é",
    "gdpr:6(1)(b)",
    '"text"',
]
_ALPHABET = st.sampled_from(_TOKENS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=60).map(" ".join))
def test_arbitrary_token_soup_never_raises(text: str) -> None:
    parsed = parse_text(normalise_text(HEADER + text), "t.req")
    for problem in parsed.problems:
        assert 1 <= problem.span.line <= (HEADER + text).count("\n") + 2


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    parse_text(normalise_text(text), "t.req")


_FRAGMENTS = [
    'requirement R-1 "t" {',
    "statement:",
    '"The system shall run."',
    "}",
    "{",
    'section "S" {',
    "derives-from: R-1,",
    "verification: test",
    "zone: Z",
    'decision D "d" {',
    'criterion C "c" { weight: 1 }',
    "scores: C 3",
    'scenario SC "s" {',
    'A -> B: "m" via F',
    'alt "g" {',
    "else",
    'activity AC "a" {',
    "fork {",
    "and",
    "start",
    'text """x',
    '"""',
    "attribute a: string [personal]",
    "# comment",
    "\n",
    ",",
    ":",
    "gdpr:6(1)(b)",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map(" ".join))
def test_fragment_soup_recovers_inside_the_file(text: str) -> None:
    full = HEADER + text
    parsed = parse_text(normalise_text(full), "t.req")
    last_line = full.count("\n") + 1
    for problem in parsed.problems:
        assert 1 <= problem.span.line <= last_line
    for element in parsed.elements():
        assert 0 <= element.span.start <= element.span.end <= len(full)


_CORPUS = sorted((Path(__file__).resolve().parents[2] / "shared" / "conformance").rglob("*.req"))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_corpus_files_never_raise(data: st.DataObject) -> None:
    if not _CORPUS:
        return
    text = data.draw(st.sampled_from(_CORPUS)).read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    length = data.draw(st.integers(0, 40))
    insert = data.draw(st.sampled_from(["", "{", "}", '"', ":", ",", "\x00", "\\", "\n", "é"]))
    mutated = text[:start] + insert + text[start + length :]
    parsed = parse_text(normalise_text(mutated), "t.req")
    for problem in parsed.problems:
        assert 1 <= problem.span.line <= mutated.count("\n") + 1


def _both_parsers(text: str) -> tuple[object, object]:
    from lark.exceptions import LarkError

    from reqdsl.parse.parser import get_fast_parser, get_parser

    results = []
    for parser in (get_parser(), get_fast_parser()):
        try:
            results.append(parser.parse(text))
        except LarkError:
            results.append("error")
    return results[0], results[1]


def test_fast_lexer_equals_the_contextual_lexer_on_the_corpus() -> None:
    root = Path(__file__).resolve().parents[1]
    files = [
        *_CORPUS,
        *sorted((root / "tests").rglob("*.req")),
        *sorted((root / "samples").rglob("*.req")),
    ]
    assert files
    for path in files:
        contextual, fast = _both_parsers(normalise_text(path.read_text(encoding="utf-8")))
        assert contextual == fast, path
    tricky = [
        'actor A "a" { kind:human zone:Z }',
        'requirement R "r" { compliance:gdpr:6(1)(b),iso27001:A.8.24 statement:"x" }',
        'data D "d" { category: personal attribute a: text[0..*][personal,unique] attribute b: D [ 1 .. * ] }',
        'scenario S "s" { A->B:"m" via F B-->A: "r" }',
        'decision X "x" { status: accepted criterion C "c" { weight: -0.5 } option O "o" { scores: C 3.5 } }',
        'requirement R "r" { statement: """\n  a\n   b\n  """ # c\n }',
    ]
    for snippet in tricky:
        contextual, fast = _both_parsers(HEADER + snippet + "\n")
        assert contextual != "error", snippet
        assert contextual == fast, snippet


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                *_FRAGMENTS,
                "kind:process",
                "zone:Z",
                "a:b",
                "[0..*]",
                "[ 1 .. 2 ]",
                "[personal]",
                "-1",
                "3.5",
                "x-",
                "A->B",
                "A-->B",
            ]
        ),
        max_size=40,
    ).map(" ".join)
)
def test_fast_lexer_equals_the_contextual_lexer_on_any_input(text: str) -> None:
    contextual, fast = _both_parsers(normalise_text(HEADER + text))
    assert contextual == fast


def test_inputs_that_once_failed_parse_to_the_end() -> None:
    """Inputs the fuzzers found (a resume loop, a header repair the parser refused): kept
    as regression tests in tests/data/fuzz/."""
    folder = Path(__file__).resolve().parent / "data" / "fuzz"
    cases = sorted(folder.glob("*.req"))
    assert cases
    for case in cases:
        parsed = parse_text(normalise_text(HEADER + case.read_text(encoding="utf-8")), case.name)
        assert parsed.problems, case.name
        assert not any("could not recover" in p.message for p in parsed.problems), case.name
