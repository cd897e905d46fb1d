"""Fuzzing `reqdsl check` and the site's page generation (issue #10).

Four generators, each with a small fixed budget in CI and a reproducible choice of
examples (`derandomize`, no example database):

- programs generated from the grammar itself (`hypothesis.extra.lark.from_lark`): valid
  by the grammar, so they must parse without SY001, with the fast and the recovering
  parser agreeing, and every later stage must take them;
- byte-level mutations of the conformance files (cut, repeat, move, splice tokens, stray
  quotes and braces, control characters, NUL, invalid UTF-8, BOMs, truncation), checked
  as a multi-file project next to a witness file whose diagnostics must all survive;
- the same mutations through page generation (diagram sources, site pages and the fast
  Markdown renderer), which `reqdsl build` runs before MkDocs, and through the exports
  (JSON, CSV, ReqIF, which must stay well-formed XML) and the reports;
- the same mutations of reqdsl.toml and catalogue files: checked, or exit 2 with a
  message naming reqdsl.toml.

Properties: nothing raises; every diagnostic lies inside its file (line within the line
count, column within that line plus one, for its start, its end, its related places and
its fixes); a file's errors never hide another file's diagnostics.

REQDSL_FUZZ_EXAMPLES=N raises every budget to N examples and draws new random examples
on each run (a long local campaign). An input that ever fails goes into tests/data/fuzz/
(see the README there); tests/test_fuzz_corpus.py replays them all.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark
from lark.exceptions import LarkError

from reqdsl.commands.check import check_project
from reqdsl.diagnostics import Diagnostic, Summary
from reqdsl.model.project import Project
from reqdsl.model.sources import scan_project
from reqdsl.parse.lexicon import lexicon
from reqdsl.parse.parser import get_fast_parser, get_parser, parse_text
from reqdsl.render import render_json, render_sarif, render_text
from reqdsl.resources import grammar_path
from reqdsl.source import SourceFile, Span, normalise_text

from .conftest import SHARED

CONFORMANCE = SHARED / "conformance"

# ------------------------------------------------------------------- budgets

LONG_RUN = int(os.environ.get("REQDSL_FUZZ_EXAMPLES", "0") or 0)


def budget(examples: int, *, share: float = 1.0) -> settings:
    """`examples` in CI (the same ones on every run); REQDSL_FUZZ_EXAMPLES (times
    `share`, for slow tests) in a long local campaign (new random ones on every run)."""
    return settings(
        max_examples=max(examples, int(LONG_RUN * share)),
        deadline=None,
        derandomize=not LONG_RUN,
        database=None if not LONG_RUN else settings.default.database,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# ------------------------------------------------------------------- properties


def sources_of(folder: Path) -> dict[str, SourceFile]:
    """Every file a diagnostic may name: the scanned `.req` files and reqdsl.toml."""
    scan = scan_project(folder)
    found = {scanned.relpath: scanned.source for scanned in scan.files}
    if scan.config.source is not None:
        found[scan.config.source.relpath] = scan.config.source
    return found


def assert_span_inside(path: str, span: Span, sources: dict[str, SourceFile], what: str) -> None:
    assert path in sources, f"{what}: `{path}` is not a file of the project"
    lines = sources[path].text.split("\n")
    for line, column in ((span.line, span.column), (span.end_line, span.end_column)):
        assert 1 <= line <= len(lines), f"{what}: line {line} of {len(lines)} in {path}"
        assert 1 <= column <= len(lines[line - 1]) + 1, (
            f"{what}: column {column} of line {line} ({len(lines[line - 1])} characters) in {path}"
        )
    assert (span.line, span.column) <= (span.end_line, span.end_column), f"{what}: end before start"


def assert_inside(diagnostics: Iterable[Diagnostic], sources: dict[str, SourceFile]) -> None:
    for diagnostic in diagnostics:
        what = f"{diagnostic.code} {diagnostic.message!r}"
        assert_span_inside(diagnostic.path, diagnostic.span, sources, what)
        for related in diagnostic.related:
            assert_span_inside(related.path, related.span, sources, what + " (related)")
        for fix in diagnostic.fixes:
            assert_span_inside(fix.path, fix.span, sources, what + " (fix)")


def check_folder(folder: Path) -> list[Diagnostic]:
    """`reqdsl check` in this process (an exception surfaces with its traceback, where
    the CLI would turn it into exit 2): load, check, and all three renderings."""
    sources = sources_of(folder)
    _project, diagnostics, summary = check_project(folder, use_cache=False)
    render_text(diagnostics, sources, summary, color=True)
    render_json(diagnostics, summary)
    render_sarif(diagnostics, [], tool_version="fuzz", root_uri="file:///fuzz/")
    assert_inside(diagnostics, sources)
    return diagnostics


def export_everything(project: Project, summary: Summary) -> None:
    """`reqdsl export` (JSON, CSV matrix, ReqIF) and `reqdsl report` (every report, every
    format) in this process; the ReqIF must be well-formed XML whatever the text held."""
    from defusedxml.ElementTree import fromstring

    from reqdsl.interop.csv_export import matrix_csv
    from reqdsl.interop.json_export import export_json
    from reqdsl.interop.matrix import matrix_rows
    from reqdsl.interop.reqif import export_reqif
    from reqdsl.reports import FORMATS, REPORT_NAMES, build_report, render_report

    export_json(project, summary)
    matrix_csv(matrix_rows(project))
    fromstring(export_reqif(project).encode("utf-8"))
    for name in REPORT_NAMES:
        report = build_report(name, project)
        for output_format in FORMATS:
            render_report(report, output_format)


def generate_pages(folder: Path) -> dict[str, str]:
    """The stage of `reqdsl build` before MkDocs, in this process: check, every diagram's
    PlantUML source, every page, and the fast renderer on the pages it renders; and the
    exports and reports of the same model."""
    from mkdocs.utils import meta

    from reqdsl.diagrams.generate import generate_diagrams
    from reqdsl.site.context import SiteContext
    from reqdsl.site.diagrams import SiteDiagrams
    from reqdsl.site.fastpages import render_page
    from reqdsl.site.generate import generate_site
    from reqdsl.site.junit import test_results as shown_results  # not a test

    project, diagnostics, summary = check_project(folder, use_cache=False)
    export_everything(project, summary)
    sources = generate_diagrams(project)  # site_diagrams() would turn a crash into a note
    ctx = SiteContext(
        project, diagnostics, summary, SiteDiagrams(sources=sources), shown_results(None)
    )
    files = generate_site(ctx)
    for name, text in files.items():
        if name.endswith(".md"):
            body, data = meta.get_data(text)
            if data.get("reqdsl"):
                render_page(body)
    return files


# ------------------------------------------------------------------- 1. from the grammar

_GRAMMAR = grammar_path().read_text(encoding="utf-8")
_KEYWORDS = frozenset(lexicon().keywords)
# Words the checks know (field names, enumeration values, kinds) and IDs that recur, so
# that generated programs reach the semantic checks and not only unknown-field errors.
_WORDS = [
    "statement", "verification", "derives-from", "satisfies", "refines", "mitigates", "verifies",
    "compliance", "level", "status", "priority", "risk", "rationale", "zone", "kind", "trust",
    "from", "to", "carries", "protocol", "category", "subjects", "purpose", "lawful-basis",
    "retention", "transfer", "stores", "threat-type", "likelihood", "impact", "chosen",
    "addresses", "weight", "scores", "evidence", "covers", "reviewers", "outcome", "date",
    "version", "owner", "tags", "ignore", "method", "automated-by", "definition", "description",
    "software", "system", "human", "process", "datastore", "trusted", "untrusted", "must",
    "should", "accepted", "approved", "draft", "personal", "special", "none", "yes", "true",
    "inspection", "analysis", "demonstration", "R-1", "R-2", "S-1", "Z-1", "C-1", "F-1", "T-1",
    "A-1", "D-1", "G-1", "X",
]  # fmt: skip
_WORDS = [word for word in _WORDS if word not in _KEYWORDS]  # `zone`, `data`, `test`
_STRINGS = ('"The system shall start within 2 s."', '"2026-01-02"', '"x"', '""', '"1.0"')

_NO_CR = st.characters(codec="utf-8", exclude_characters="\r")  # CR is a line end
_SEPARATOR = st.sampled_from([" ", "\n", "\t", "  \n    ", " # c\n"])


def _terminal(pattern: str, *, avoid: frozenset[str] = frozenset()) -> st.SearchStrategy[str]:
    compiled = re.compile(pattern)
    return (
        st.from_regex(compiled, fullmatch=True, alphabet=_NO_CR)
        .filter(lambda text: compiled.match(text).end() == len(text))  # type: ignore[union-attr]
        .filter(lambda text: text not in avoid)
    )


def _explicit_terminals(grammar: Lark) -> dict[str, st.SearchStrategy[str]]:
    """One strategy a terminal, each followed by a separator.

    from_lark joins terminals with whitespace only now and then, and ignores the lexer,
    so `document` + `D` would lex as the ID `documentD`, `""` + `"x"` as a text block,
    and a comment would swallow the rest of its line. Every terminal here ends with
    whitespace (a comment with a line end), IDs are never keywords (keywords are
    reserved: they never lex as an ID), and IDs and strings are often drawn from words
    the checks know."""
    explicit: dict[str, st.SearchStrategy[str]] = {}
    for terminal in grammar.terminals:
        pattern = terminal.pattern.to_regexp()
        if terminal.name == "COMMENT":
            explicit[terminal.name] = _terminal(pattern).map(lambda text: text + "\n")
            continue
        if terminal.name == "WS":
            explicit[terminal.name] = _SEPARATOR
            continue
        strategy = _terminal(pattern, avoid=_KEYWORDS if terminal.name == "ID" else frozenset())
        if terminal.name == "ID":
            strategy = st.one_of(st.sampled_from(_WORDS), strategy)
        elif terminal.name == "STRING":
            strategy = st.one_of(st.sampled_from(_STRINGS), strategy)
        explicit[terminal.name] = st.tuples(strategy, _SEPARATOR).map("".join)
    return explicit


_STARTS = ["start", "document", "element", "section", "term", "text"]


def _programs() -> st.SearchStrategy[str]:
    """Whole files from `start`, and files made of a header and up to ten items (from
    `start` alone, Hypothesis draws few items: mostly a header and a field or two)."""
    grammar = Lark(_GRAMMAR, parser="lalr", lexer="contextual", start=_STARTS)
    explicit = _explicit_terminals(grammar)

    def rule(name: str) -> st.SearchStrategy[str]:
        return from_lark(grammar, start=name, explicit=explicit)

    items = st.one_of(rule("element"), rule("element"), rule("section"), rule("term"), rule("text"))
    headed = st.tuples(rule("document"), st.lists(items, max_size=10).map("".join))
    return st.one_of(rule("start"), headed.map("".join))


def parse_both(text: str) -> tuple[object, object]:
    results = []
    for parser in (get_parser(), get_fast_parser()):
        try:
            results.append(parser.parse(text))
        except LarkError as error:
            results.append(f"error: {error}")
    return results[0], results[1]


@budget(80)
@given(_programs())
def test_programs_from_the_grammar_parse_and_check(program: str) -> None:
    text = normalise_text(program)
    contextual, fast = parse_both(text)
    assert not str(contextual).startswith("error"), contextual
    assert contextual == fast  # the fast lexer agrees with Lark's on every valid program
    parsed = parse_text(text, "generated.req")
    assert parsed.problems == []
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "generated.req").write_text(program, encoding="utf-8")
        diagnostics = check_folder(Path(folder))
        assert not [d for d in diagnostics if d.code == "SY001"], diagnostics
        generate_pages(Path(folder))


def test_fast_lexer_reads_a_scheme_ending_with_a_dash() -> None:
    """Found by the grammar fuzzer: `A-:0` is one COMPLIANCE_REF for Lark's contextual
    lexer (a scheme may end with `-`, an ID may not); the fast lexer stopped at the `-`,
    so such files always took the slow recovering path."""
    text = 'document D "d" { compliance: A-:0, gdpr-x--:6(1)(b) statement: "s" }\n'
    contextual, fast = parse_both(text)
    assert not str(contextual).startswith("error"), contextual
    assert contextual == fast


# ------------------------------------------------------------------- 2. byte mutations

_STRAY = [b'"', b'"""', b"{", b"}", b"[", b"]", b":", b",", b"#", b"\\", b"->", b"\n", b"@"]
_CONTROL = [bytes([code]) for code in (*range(0x00, 0x20), 0x7F)] + [
    b"\r\n",
    b"\xc2\x85",  # NEL
    b"\xe2\x80\xa8",  # LINE SEPARATOR
    b"\xef\xbb\xbf",  # a BOM, not at the start
    b"\xe2\x80\xae",  # RIGHT-TO-LEFT OVERRIDE
    b"\x1b[2J",
]
_INVALID_UTF8 = [
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc3",  # a lead byte alone
    b"\xe2\x82",  # a three-byte character cut short
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xc0\xaf",  # overlong
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
]
_TOKEN = re.compile(rb'"""|"(?:[^"\\\n]|\\.)*"|[\w.\-]+|\S')
_OPERATIONS = ("cut", "repeat", "move", "splice", "stray", "control", "invalid", "truncate", "byte")


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """1 to 4 byte-level edits of `data`."""
    tokens = _TOKEN.findall(data) or [b"x"]
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(_OPERATIONS))
        at = draw(st.integers(0, len(data)))
        if operation in ("cut", "repeat", "move"):
            end = min(len(data), at + draw(st.integers(1, 80)))
            piece = data[at:end]
            if operation == "cut":
                data = data[:at] + data[end:]
            elif operation == "repeat":
                data = data[:end] + piece * draw(st.integers(1, 3)) + data[end:]
            else:
                rest = data[:at] + data[end:]
                to = draw(st.integers(0, len(rest)))
                data = rest[:to] + piece + rest[to:]
        elif operation == "truncate":
            data = data[:at]
        elif operation == "byte":
            if data:
                at = min(at, len(data) - 1)
                data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        else:
            pool = {
                "splice": tokens,
                "stray": _STRAY,
                "control": _CONTROL,
                "invalid": _INVALID_UTF8,
            }[operation]
            data = data[:at] + draw(st.sampled_from(pool)) + data[at:]
    return data


# Every conformance file, with the project it belongs to (its folder: reqdsl.toml,
# catalogues and the other files it links to).
_CORPUS = sorted(CONFORMANCE.rglob("*.req"))

WITNESS_NAME = "zz-witness.req"
WITNESS = """\
# The witness file of tests/test_fuzz.py: its diagnostics must survive any damage to
# the other files of the project (its IDs appear nowhere else).
document WITNESS-DOC "Witness" { level: software }

requirement WITNESS-R1 "Unknown field and bad value" {
    statement: "The system shall keep the witness."
    verification: test
    priorty: must
    risk: huge
}

requirement WITNESS-R2 "Unresolved link" {
    statement: "The system shall be fast and user-friendly."
    verification: test
    derives-from: WITNESS-NOWHERE
}

requirement WITNESS-R2 "Duplicate" { statement: "The system shall repeat." }

requirement WITNESS-R3 "Syntax error" {
    statement "The system shall lack a colon."
}
"""


def _key(diagnostic: Diagnostic) -> tuple[str, str, int, int, str]:
    return (
        diagnostic.path,
        diagnostic.code,
        diagnostic.line,
        diagnostic.column,
        diagnostic.message,
    )


def _baseline(project: Path) -> set[tuple[str, str, int, int, str]]:
    """What must survive: the witness's diagnostics and every file's syntax errors."""
    kept = {_key(d) for d in check_folder(project) if d.path == WITNESS_NAME or d.code == "SY001"}
    witness_codes = {code for path, code, *_ in kept if path == WITNESS_NAME}
    assert {"SY001", "SM001", "SM002", "SM004", "QU001"} <= witness_codes, witness_codes
    return kept


_BASELINES: dict[Path, set[tuple[str, str, int, int, str]]] = {}


def _copy_with_witness(folder: Path, into: Path) -> Path:
    project = into / folder.name
    shutil.copytree(folder, project)
    (project / WITNESS_NAME).write_text(WITNESS, encoding="utf-8")
    return project


@budget(150)
@given(st.data())
def test_mutated_conformance_files_never_hide_other_files(data: st.DataObject) -> None:
    assert _CORPUS, f"no conformance corpus under {CONFORMANCE}"
    original = data.draw(st.sampled_from(_CORPUS), label="file")
    mutated = data.draw(mutations(original.read_bytes()), label="bytes")
    with tempfile.TemporaryDirectory() as temporary:
        project = _copy_with_witness(original.parent, Path(temporary))
        if original.parent not in _BASELINES:
            _BASELINES[original.parent] = _baseline(project)
        relpath = original.relative_to(original.parent).as_posix()
        (project / relpath).write_bytes(mutated)
        diagnostics = check_folder(project)
        reported = {_key(d) for d in diagnostics}
        expected = {key for key in _BASELINES[original.parent] if key[0] != relpath}
        assert expected <= reported, f"hidden by damage to {relpath}: {expected - reported}"


@budget(60)
@given(st.data())
def test_mutated_projects_generate_pages_and_exports(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(_CORPUS), label="file")
    mutated = data.draw(mutations(original.read_bytes()), label="bytes")
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary) / original.parent.name
        shutil.copytree(original.parent, project)
        (project / original.relative_to(original.parent)).write_bytes(mutated)
        files = generate_pages(project)
        assert "docs/index.md" in files


_SETTINGS = sorted(path for pattern in ("*.toml", "*.tsv") for path in CONFORMANCE.rglob(pattern))


@budget(60)
@given(st.data())
def test_mutated_configuration_and_catalogues_are_checked_or_exit_2(data: st.DataObject) -> None:
    """reqdsl.toml and catalogue files, damaged: `reqdsl check` either checks the project
    (exit 0 or 1, every diagnostic inside its file: TR004 points into reqdsl.toml) or
    stops with exit 2 and a one-line message naming the file, never an internal error."""
    import contextlib
    import io

    from reqdsl.cli import main

    assert _SETTINGS, f"no reqdsl.toml under {CONFORMANCE}"
    original = data.draw(st.sampled_from(_SETTINGS), label="file")
    folder = next(p for p in original.parents if p.parent == CONFORMANCE)
    mutated = data.draw(mutations(original.read_bytes()), label="bytes")
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary) / folder.name
        shutil.copytree(folder, project)
        (project / original.relative_to(folder)).write_bytes(mutated)
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["check", "--no-cache", "--format", "json", str(project)])
        assert "internal error" not in stderr.getvalue(), stderr.getvalue()
        if code == 2:
            message = stderr.getvalue()
            assert message.startswith("reqdsl: reqdsl.toml"), message
            assert stdout.getvalue() == ""
        else:
            assert code in (0, 1)
            check_folder(project)
