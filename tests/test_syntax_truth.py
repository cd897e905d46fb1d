"""A syntax error never invents or hides findings (issue 17, part 5).

- A stray `}` must not make an element count twice (it did: SM001 pointing at itself).
- A block left open says that a `}` is missing, where, and where the block was opened.
- An element with a syntax error (its fields ignored, spec section 5) must not make the
  checks report what its fields answer: such findings are withheld and counted.
- Property: on mutated conformance files, no element is produced twice.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reqdsl.commands.check import check_project
from reqdsl.lsp.workspace import ProjectState
from reqdsl.parse.parser import parse_text
from reqdsl.source import decode_source, normalise_text

from .conftest import run_reqdsl
from .test_fuzz import _CORPUS, CONFORMANCE, budget, generate_pages, mutations


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _check_json(folder: Path) -> tuple[int, dict[str, object]]:
    result = run_reqdsl("check", "--no-cache", "--format", "json", str(folder))
    assert result.stderr == "", result.stderr
    return result.returncode, json.loads(result.stdout)


def _codes(data: dict[str, object]) -> list[str]:
    return [d["code"] for d in data["diagnostics"]]  # type: ignore[index, union-attr]


# ------------------------------------------------------------------ 1. a stray `}`

STRAY_BRACE = """\
document D "D" { level: system }
requirement R-1 "One" { statement: "The system shall one." verification: test }
requirement R-2 "Two" { statement: "The system shall two." verification: test }
}
"""


def test_stray_closing_brace_does_not_make_an_element_count_twice(tmp_path: Path) -> None:
    parsed = parse_text(STRAY_BRACE, "a.req")
    assert [e.id for e in parsed.elements()] == ["D", "R-1", "R-2"]
    code, data = _check_json(_write(tmp_path, {"a.req": STRAY_BRACE}))
    assert code == 1
    assert "SM001" not in _codes(data), data
    sy001 = [d for d in data["diagnostics"] if d["code"] == "SY001"]  # type: ignore[union-attr]
    assert [(d["line"], d["column"]) for d in sy001] == [(4, 1)]
    assert data["summary"]["elements"] == 3  # type: ignore[index]


def test_stray_closing_brace_exports_each_element_once(tmp_path: Path) -> None:
    _write(tmp_path, {"a.req": STRAY_BRACE})
    result = run_reqdsl("export", "--no-cache", "--format", "json", str(tmp_path))
    ids = [e["id"] for e in json.loads(result.stdout)["elements"]]
    assert ids.count("R-2") == 1, ids


# ------------------------------------------------------------------ 2. an unclosed block

UNCLOSED = """\
document D "D" { level: system }
requirement A "Alpha" {
    statement: "The system shall alpha."
    verification: test

requirement B "Beta" {
    statement: "The system shall beta."
    verification: test
}
"""


def test_unclosed_block_says_a_brace_is_missing_and_where_the_block_opened(
    tmp_path: Path,
) -> None:
    code, data = _check_json(_write(tmp_path, {"a.req": UNCLOSED}))
    assert code == 1
    syntax = [d for d in data["diagnostics"] if d["code"] == "SY001"]  # type: ignore[union-attr]
    assert len(syntax) == 1, syntax
    (error,) = syntax
    # At the place the `}` is expected: before `requirement B`, not at `B`.
    assert (error["line"], error["column"]) == (6, 1), error
    assert "missing `}`" in error["message"], error
    assert "requirement `A`" in error["message"], error
    assert "2:23" in error["message"], error
    assert [(r["path"], r["line"], r["column"]) for r in error["related"]] == [("a.req", 2, 23)]


def test_block_open_at_the_end_of_the_file_says_a_brace_is_missing() -> None:
    text = 'document D "D" { level: system }\nrequirement A "Alpha" {\n    verification: test\n'
    (problem,) = parse_text(text, "a.req").problems
    assert "missing `}`" in problem.message and "2:23" in problem.message, problem
    assert [(r.span.line, r.span.column) for r in problem.related] == [(2, 23)]


def test_unclosed_nested_blocks_name_each_open_block() -> None:
    text = (
        'document D "D" { level: system }\nscenario SC "S" {\n    alt "ok" {\n'
        '        U -> S: "login"\nrequirement B "Beta"\n'
    )
    parsed = parse_text(text, "a.req")
    (problem,) = parsed.problems
    assert (problem.span.line, problem.span.column) == (5, 1)
    assert "missing 2 `}`" in problem.message, problem
    assert [(r.span.line, r.span.column) for r in problem.related] == [(3, 14), (2, 17)]
    assert [(e.id, e.broken) for e in parsed.elements()] == [
        ("D", False),
        ("SC", True),
        ("B", False),
    ]


def test_a_section_left_open_keeps_its_last_element() -> None:
    """Closing what is open at the end went back to the last boundary, which dropped a
    header-only element just before the end: references to it then failed (SM002)."""
    text = (
        'document D "D" { level: system }\nsection S "S" {\n'
        'requirement A "Alpha" {\n    verification: test\nrequirement B "Beta"\n'
    )
    parsed = parse_text(text, "a.req")
    assert [(p.span.line, p.span.column) for p in parsed.problems] == [(5, 1), (6, 1)]
    assert [(e.id, e.broken) for e in parsed.elements()] == [
        ("D", False),
        ("S", True),
        ("A", True),
        ("B", False),
    ]


# ------------------------------------------------------------------ 3. no false findings

THREAT_MODEL = """\
document D "D" { level: system }
component API "API" { kind: process }
threat TH-SESSION "Session hijack" {
    category: spoofing
    target: API
    status: open
}
requirement R-1 "Session expiry" {
    statement "The API shall expire a session after 15 minutes of inactivity."
    verification: inspection
    mitigates: TH-SESSION
}
"""
COVERAGE = '[project]\nname = "Sessions"\n\n[checks.coverage]\nmitigation = 100\n'


def test_a_broken_element_does_not_make_its_threat_unmitigated(tmp_path: Path) -> None:
    _write(tmp_path, {"model.req": THREAT_MODEL, "reqdsl.toml": COVERAGE})
    code, data = _check_json(tmp_path)
    assert code == 1  # a syntax error is an error
    assert _codes(data) == ["SY001"], data
    assert data["summary"]["withheld"] == 2, data["summary"]  # type: ignore[index]
    text = run_reqdsl("check", "--no-cache", str(tmp_path)).stdout
    assert "2 findings withheld until the syntax errors are fixed" in text, text


def test_the_site_home_page_says_what_is_withheld(tmp_path: Path) -> None:
    _write(tmp_path, {"model.req": THREAT_MODEL, "reqdsl.toml": COVERAGE})
    home = generate_pages(tmp_path)["docs/index.md"]
    assert "2 findings withheld until the syntax errors are fixed" in home


def test_the_language_server_withholds_them_too_and_says_so(tmp_path: Path) -> None:
    _write(tmp_path, {"model.req": THREAT_MODEL, "reqdsl.toml": COVERAGE})
    state = ProjectState(tmp_path)
    state.load()
    diagnostics = state.rebuild()
    assert [d.code for d in diagnostics] == ["SY001"], diagnostics
    assert "2 findings withheld until the syntax errors are fixed" in (diagnostics[0].hint or "")
    assert [d.hint for d in state.rebuild()] == [diagnostics[0].hint]  # said once, not again


def test_findings_that_do_not_depend_on_the_broken_element_are_kept(tmp_path: Path) -> None:
    model = THREAT_MODEL + 'threat TH-OTHER "Replay" {\n category: spoofing\n target: API\n}\n'
    _write(tmp_path, {"model.req": model, "reqdsl.toml": COVERAGE})
    _code, data = _check_json(tmp_path)
    # TH-OTHER is unmitigated whatever R-1 says; coverage stays below 100% either way.
    assert sorted(_codes(data)) == ["SY001", "TM003", "TR004"], data
    tm003 = [d for d in data["diagnostics"] if d["code"] == "TM003"]  # type: ignore[union-attr]
    assert "TH-OTHER" in tm003[0]["message"]
    assert data["summary"]["withheld"] == 1, data["summary"]  # type: ignore[index]


def test_a_clean_project_reports_nothing_withheld(tmp_path: Path) -> None:
    fixed = THREAT_MODEL.replace("statement ", "statement: ")
    _write(tmp_path, {"model.req": fixed, "reqdsl.toml": COVERAGE})
    code, data = _check_json(tmp_path)
    errors_and_warnings = [
        d
        for d in data["diagnostics"]
        if d["severity"] != "info"  # type: ignore[index, union-attr]
    ]
    assert code == 0 and errors_and_warnings == [], data
    assert "withheld" not in data["summary"]  # type: ignore[operator]


# ------------------------------------------------------------------ property

_TOKEN = re.compile(rb'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|[\w.\-]+|\S')
_PUNCTUATION = [b"}", b"{", b":", b",", b'"x"', b"requirement", b"R-1", b"\n"]


@st.composite
def token_edits(draw: st.DrawFn, data: bytes) -> bytes:
    """1 to 4 edits at token boundaries: insert a brace, a colon, a string, a keyword or
    a token of the file; delete a token; repeat a line. Byte-level mutations (test_fuzz)
    rarely put a stray `}` between two elements, where it once doubled one."""
    for _ in range(draw(st.integers(1, 4))):
        bounds = [m.span() for m in _TOKEN.finditer(data)] or [(0, 0)]
        start, end = draw(st.sampled_from(bounds))
        operation = draw(st.sampled_from(("insert", "insert", "delete", "line")))
        if operation == "insert":
            pool = _PUNCTUATION + [data[a:b] for a, b in bounds[:200]]
            piece = draw(st.sampled_from(pool))
            at = draw(st.sampled_from((start, end)))
            data = data[:at] + b" " + piece + b" " + data[at:]
        elif operation == "delete":
            data = data[:start] + data[end:]
        else:
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", start) + 1 or len(data)
            data = data[:line_end] + data[line_start:line_end] + data[line_end:]
    return data


def _damaged(data: st.DataObject) -> bytes:
    original = data.draw(st.sampled_from(_CORPUS), label="file")
    raw = original.read_bytes()
    return data.draw(st.one_of(token_edits(raw), mutations(raw)), label="bytes")


@budget(150)
@given(st.data())
def test_no_element_is_produced_twice_from_a_mutated_corpus_file(data: st.DataObject) -> None:
    assert _CORPUS, f"no conformance corpus under {CONFORMANCE}"
    parsed = parse_text(normalise_text(decode_source(_damaged(data))[0]), "m.req")
    starts = [element.keyword_span.start for element in parsed.elements()]
    assert len(starts) == len(set(starts)), [
        (e.kind, e.id, e.keyword_span) for e in parsed.elements()
    ]


@budget(50)
@given(st.data())
def test_no_duplicate_id_points_at_itself_in_a_mutated_project(data: st.DataObject) -> None:
    mutated = _damaged(data)
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary) / "p"
        project.mkdir()
        (project / "m.req").write_bytes(mutated)
        _project, diagnostics, _summary = check_project(project, use_cache=False)
    for diagnostic in diagnostics:
        if diagnostic.code == "SM001":
            first = diagnostic.related[0]
            assert (first.path, first.span) != (diagnostic.path, diagnostic.span), diagnostic


def test_failed_tests_are_never_withheld_by_a_syntax_error_elsewhere(tmp_path: Path) -> None:
    """The second run that decides what a syntax error causes weighs the same JUnit
    results: a failed test (TR008) is the project's finding, not the error's."""
    import shutil

    shutil.copytree(Path(__file__).parent / "cases" / "TR008", tmp_path / "p")
    project = tmp_path / "p"
    failed = _codes(_check_json(project)[1]).count("TR008")
    assert failed > 0
    broken = 'requirement R-BROKEN "Broken" {\n    statement "x"\n    verification: inspection\n}\n'
    with (project / "model.req").open("a", encoding="utf-8") as model:
        model.write(broken)
    code, data = _check_json(project)
    assert code == 1
    assert "SY001" in _codes(data)
    assert _codes(data).count("TR008") == failed  # every failed case still reported
    assert data["summary"].get("withheld", 0) == 0  # type: ignore[union-attr]


CYCLE_BESIDE_A_BROKEN_ELEMENT = """\
document SYRS "System" { level: system }
requirement Z "Zed" {
    statement "The system shall zed."
    refines: A
}
requirement A "Ay" { statement: "The system shall ay." refines: B }
requirement B "Bee" { statement: "The system shall bee." refines: A, Z }
"""


@pytest.mark.parametrize("way", ["cli", "editor"])
def test_a_cycle_is_never_withheld_by_a_syntax_error(tmp_path: Path, way: str) -> None:
    """A <-> B is a cycle whatever Z says: ignoring Z's fields removes links, and removing
    links makes no cycle. With Z's `refines: A` the cycle grows to Z, A, B and is reported
    at Z, so comparing places withheld the real one at A (the check said "1 finding
    withheld" and no SM006). SM006 is `made_by_links`: never withheld, not run twice."""
    folder = _write(tmp_path, {"a.req": CYCLE_BESIDE_A_BROKEN_ELEMENT})
    if way == "cli":
        code, data = _check_json(folder)
        assert code == 1
        found = data["diagnostics"]
        assert data["summary"].get("withheld", 0) == 0  # type: ignore[union-attr]
        places = [(d["code"], d["line"]) for d in found]  # type: ignore[index, union-attr]
    else:
        state = ProjectState(folder)
        state.load()
        places = [(d.code, d.line) for d in state.rebuild()]
    assert ("SY001", 3) in places
    assert ("SM006", 6) in places  # at A, the cycle's first member in order


@pytest.mark.parametrize("setting", ['disable = ["SY001"]', 'severity = { SY001 = "warning" }'])
def test_nothing_is_withheld_when_syntax_errors_do_not_fail_the_run(
    tmp_path: Path, setting: str
) -> None:
    """Withholding is fair only while the syntax error fails the run: with SY001 disabled
    or re-graded, the threshold error TR004 is reported and the run still fails."""
    _write(
        tmp_path, {"model.req": THREAT_MODEL, "reqdsl.toml": COVERAGE + f"\n[checks]\n{setting}\n"}
    )
    code, data = _check_json(tmp_path)
    assert "TR004" in _codes(data) and "withheld" not in data["summary"]  # type: ignore[operator]
    assert code == 1
