"""One pipeline behind every entry point (reqdsl.pipeline): the CLI and the language
server read, bind and check a project the same way, so they report the same diagnostics
for the same bytes.

The language server is the real one, spoken to over stdio (as tests/test_lsp.py does);
the CLI is the real `reqdsl check --format json`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from reqdsl.diagnostics import Diagnostic
from reqdsl.model.sources import ProjectError
from reqdsl.pipeline import Session

from .conftest import ROOT, SHARED, open_lsp_session, reqdsl_command, run_reqdsl
from .expect_cases import make_project
from .test_syntax_truth import THREAT_MODEL

CASES = ROOT / "tests" / "cases"
PROJECTS = [
    *sorted(p for p in (SHARED / "conformance").iterdir() if p.is_dir()),
    *sorted(p for p in (ROOT / "samples").iterdir() if p.is_dir()),
    *sorted(p for p in CASES.iterdir() if p.suffix == ".req" or p.is_dir()),
]

Seen = set[tuple[str, str, int, int, str]]  # code, path, line, column, message

# A coverage threshold (so that a syntax error withholds findings) and a misspelt table.
CONFIG = '[project]\nname = "Parity"\n\n[checks.coverage]\nmitigation = 100\n\n[check]\nx = 1\n'
NEEDS = """\
document NEEDS "Needs" { level: stakeholder }
stakeholder ST-OPS "Operations"
requirement N-HA "Always available" {
    statement: "The gateway shall stay available when one server fails."
    source: ST-OPS
    verification: inspection
}
"""
# `statement` lacks its colon: SY001, and the threat's TM003/TR004 are withheld.
MODEL = THREAT_MODEL + 'test T-1 "Expiry test" { verifies: N-HAX }\n'
# Line 4 is `    statement: "Th` (18 characters) and a byte that is not UTF-8: 4:19.
LATIN = (
    b'document L "L" { level: system }\n'
    b"\n"
    b'requirement R-L "Latin" {\n'
    b'    statement: "Th\xe9 gateway shall log each request."\n'
    b"    verification: inspection\n"
    b"}\n"
)


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[*reqdsl_command(), "lsp"]),
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    await open_lsp_session(lsp_client, tmp_path_factory.mktemp("parity"), "parity")
    yield
    await lsp_client.shutdown_session()


def cli_seen(folder: Path) -> Seen:
    done = run_reqdsl("check", "--format", "json", str(folder))
    assert done.returncode in (0, 1), done.stderr
    return {
        (d["code"], d["path"], d["line"], d["column"], d["message"])
        for d in json.loads(done.stdout)["diagnostics"]
    }


def server_seen(client: LanguageClient, folder: Path) -> Seen:
    """What the server last published for the files of `folder`. Every place in these
    files is preceded by ASCII on its line, so UTF-16 characters are columns - 1; the
    server appends the hint to the message after a line break."""
    seen: Seen = set()
    for uri, diagnostics in client.diagnostics.items():
        path = Path(uri.removeprefix("file://"))
        if folder not in path.parents:
            continue
        relpath = path.relative_to(folder).as_posix()
        for d in diagnostics:
            start = d.range.start
            message = d.message.split("\n", 1)[0]
            seen.add((str(d.code), relpath, start.line + 1, start.character + 1, message))
    return seen


async def server_agrees(client: LanguageClient, folder: Path, expected: Seen) -> Seen:
    """The server's diagnostics once they equal `expected`, or as they are after a
    generous wait (then the caller's assertion shows the difference)."""
    deadline = time.monotonic() + 20
    while (seen := server_seen(client, folder)) != expected and time.monotonic() < deadline:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 1
            )
    return seen


def watched(client: LanguageClient, *changes: tuple[Path, types.FileChangeType]) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=kind) for path, kind in changes]
        )
    )


@pytest.mark.asyncio(loop_scope="module")
async def test_the_cli_and_the_language_server_report_the_same_diagnostics(
    client: LanguageClient,
) -> None:
    base = client.root  # type: ignore[attr-defined]
    (base / "secret.req").write_text('document LEAK "API_TOKEN=hunter2" { level: system }\n')
    folder = base / "project"
    folder.mkdir()
    (folder / "reqdsl.toml").write_text(CONFIG)
    (folder / "needs.req").write_text(NEEDS)
    (folder / "model.req").write_text(MODEL)
    (folder / "latin.req").write_bytes(LATIN)
    (folder / "leak.req").symlink_to(base / "secret.req")

    # The editor opens one document: the server loads the whole project.
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=(folder / "model.req").as_uri(), language_id="req", version=1, text=MODEL
            )
        )
    )
    expected = cli_seen(folder)
    codes = {code for code, *_ in expected}
    assert {"SY001", "SM002", "CF001"} <= codes, expected
    assert ("SY001", "latin.req", 4, 19) in {item[:4] for item in expected}, expected
    assert any(path == "leak.req" and "outside the project" in m for _, path, *_, m in expected)
    assert await server_agrees(client, folder, expected) == expected

    # Files change on disk, the client's watcher says so: the bad byte moves within its
    # line, a file appears where `reqdsl check` looks and one where it does not
    # (node_modules); then reqdsl.toml gains a second misspelt table.
    (folder / "latin.req").write_bytes(LATIN.replace(b"Th\xe9 gateway", b"The g\xe1teway"))
    (folder / "extra.req").write_text('document X "X" { level: system }\nrequirement R-X "x" {\n')
    (folder / "node_modules").mkdir()
    (folder / "node_modules" / "dep.req").write_text("requirement {\n")
    created, changed = types.FileChangeType.Created, types.FileChangeType.Changed
    watched(
        client,
        (folder / "latin.req", changed),
        (folder / "extra.req", created),
        (folder / "node_modules" / "dep.req", created),
    )
    expected = cli_seen(folder)
    assert ("SY001", "latin.req", 4, 22) in {item[:4] for item in expected}, expected
    assert await server_agrees(client, folder, expected) == expected
    assert len({m for code, *_, m in expected if code == "CF001"}) == 1
    (folder / "reqdsl.toml").write_text(CONFIG + "\n[checkz]\ny = 2\n")
    watched(client, (folder / "reqdsl.toml", changed))
    expected = cli_seen(folder)
    assert len({m for code, *_, m in expected if code == "CF001"}) == 2
    assert await server_agrees(client, folder, expected) == expected

    # reqdsl.toml no longer parses: the CLI refuses the project in one line (exit 2);
    # the server says the same on reqdsl.toml (and checks the files without it).
    (folder / "reqdsl.toml").write_text("[project\nname = 1\n")
    watched(client, (folder / "reqdsl.toml", changed))
    done = run_reqdsl("check", "--format", "json", str(folder))
    assert done.returncode == 2 and done.stdout == "", done
    message = done.stderr.strip().removeprefix("reqdsl: ")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        on_config = {item for item in server_seen(client, folder) if item[1] == "reqdsl.toml"}
        if on_config == {("SY001", "reqdsl.toml", 1, 1, message)}:
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 1
            )
    assert on_config == {("SY001", "reqdsl.toml", 1, 1, message)}


def _seen(diagnostics: list[Diagnostic]) -> list[tuple[object, ...]]:
    return sorted(
        (d.code, d.path, tuple(d.span), d.message, d.hint or "", len(d.related))
        for d in diagnostics
    )


@pytest.mark.parametrize("case", PROJECTS, ids=lambda p: p.name)
def test_at_once_and_a_file_at_a_time_give_the_same_diagnostics(case: Path, tmp_path: Path) -> None:
    """The session's two ways through the phases (the commands' and the language
    server's) agree on every project of the corpus, the samples and the rule cases."""
    project = make_project(case, tmp_path)
    editor = Session(project, use_cache=False, allow_empty=True, tolerant=True)
    editor.open_files()
    file_at_a_time = editor.recheck()
    try:
        at_once = Session(project, use_cache=False).check()
    except ProjectError as error:  # a broken reqdsl.toml: a diagnostic on it instead
        assert editor.config_problem is not None and editor.config_problem.message == str(error)
        return
    assert editor.config_problem is None
    assert _seen(file_at_a_time.diagnostics) == _seen(at_once.diagnostics)
    assert file_at_a_time.withheld == at_once.withheld
    assert file_at_a_time.summary() == at_once.summary()
    # Not tolerant, with the JUnit reports reqdsl.toml names (check, build, export):
    # custom catalogues and test results reach the file-at-a-time model too.
    with_reports = Session(project, use_cache=False, junit=[]).check()
    strict = Session(project, use_cache=False, junit=[])
    strict.open_files()
    assert _seen(strict.recheck().diagnostics) == _seen(with_reports.diagnostics)


def test_an_edit_rebinds_only_the_edited_file(tmp_path: Path) -> None:
    (tmp_path / "reqdsl.toml").write_text(CONFIG)
    (tmp_path / "needs.req").write_text(NEEDS)
    (tmp_path / "model.req").write_text(MODEL)
    session = Session(tmp_path, use_cache=False, tolerant=True)
    session.open_files()
    first = session.recheck()
    needs = [e for e in first.project.elements if e.path == "needs.req"]
    model = [e for e in first.project.elements if e.path == "model.req"]
    assert ("SM002", "model.req") in {(d.code, d.path) for d in first.diagnostics}
    fixed = MODEL.replace("N-HAX", "N-HA")
    session.edit("model.req", fixed, tmp_path / "model.req")
    second = session.recheck()
    kept = [e for e in second.project.elements if e.path == "needs.req"]
    assert len(kept) == len(needs) and all(a is b for a, b in zip(kept, needs, strict=True))
    rebound = [e for e in second.project.elements if e.path == "model.req"]
    assert rebound and not any(a is b for a in model for b in rebound)
    assert ("SM002", "model.req") not in {(d.code, d.path) for d in second.diagnostics}
    # The overlay wins over the disk until the editor lets it go.
    session.reread("model.req")
    assert session.files["model.req"].source.text == fixed
    session.revert("model.req")
    assert session.files["model.req"].source.text == MODEL
