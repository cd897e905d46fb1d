"""`reqdsl lsp` as an editor meets it on a large project: completion bounded to what
was typed, quick fixes of the right kind, and files changed outside the editor.

A real server process over stdio (pytest-lsp), as tests/test_lsp.py; each test works in
a project folder of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import open_lsp_session, reqdsl_command

pytestmark = pytest.mark.asyncio(loop_scope="module")

COMPLETION_LIMIT = 200


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[*reqdsl_command(), "lsp"]),
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    capabilities = client_capabilities("visual-studio-code")
    assert capabilities.workspace and capabilities.workspace.did_change_watched_files
    assert capabilities.workspace.did_change_watched_files.dynamic_registration
    root = tmp_path_factory.mktemp("lsp-editor")
    registrations = await open_lsp_session(lsp_client, root, "lsp-editor")
    lsp_client.registrations = registrations  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def make_project(client: LanguageClient, name: str, files: dict[str, str]) -> Path:
    folder = client.root / name  # type: ignore[attr-defined]
    folder.mkdir()
    (folder / "reqdsl.toml").write_text('[project]\nname = "test"\n', encoding="utf-8")
    for relpath, text in files.items():
        (folder / relpath).write_text(text, encoding="utf-8")
    return folder


def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="req", version=1, text=text)
        )
    )
    return uri


def position(text: str, needle: str, delta: int = 0) -> types.Position:
    offset = text.index(needle) + delta
    line = text.count("\n", 0, offset)
    character = len(text[text.rfind("\n", 0, offset) + 1 : offset].encode("utf-16-le")) // 2
    return types.Position(line=line, character=character)


def codes(diagnostics) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(d.code) for d in diagnostics)


async def wait_for(client: LanguageClient, uri: str, predicate, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    """The diagnostics of `uri` once `predicate` holds for them."""
    deadline = time.monotonic() + timeout
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and predicate(found):
            return found
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"diagnostics of {uri} never matched: {found}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), remaining
            )


def many_requirements(count: int) -> str:
    """A document of `count` requirements REQ-0001... and a few tests whose IDs share
    the requirements' prefix (REQ-04-T1...), so only the kind tells them apart."""
    lines = ['document D "Many" { level: system }', ""]
    for k in range(1, count + 1):
        lines.append(f'requirement REQ-{k:04d} "Requirement {k}" {{')
        lines.append(f'    statement: "The system shall do thing {k}."')
        lines.append("    verification: test")
        lines.append("}")
    for k in range(1, 10):
        lines.append(f'test REQ-04-T{k} "Test {k}" {{ verifies: REQ-04{k:02d} }}')
    return "\n".join(lines) + "\n"


async def complete_at(
    client: LanguageClient, uri: str, version: int, text: str, at: types.Position
) -> types.CompletionList:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert isinstance(result, types.CompletionList)
    return result


async def test_link_completion_is_bounded_by_prefix_kind_and_never_self(
    client: LanguageClient,
) -> None:
    base = many_requirements(500)
    folder = make_project(client, "complete-many", {"many.req": base})
    uri = open_doc(client, folder / "many.req", base)
    anchor = '    statement: "The system shall do thing 250."\n'
    version = 1
    for typed, expected in (
        ("", None),
        ("REQ-04", [f"REQ-04{k:02d}" for k in range(100)]),
        ("req-025", [f"REQ-025{k}" for k in range(10) if k != 0]),
        ("REQ-0250", []),
    ):
        text = base.replace(anchor, anchor + f"    derives-from: {typed}")
        version += 1
        at = position(text, "derives-from: ", delta=len("derives-from: ") + len(typed))
        result = await complete_at(client, uri, version, text, at)
        labels = [item.label for item in result.items]
        assert "REQ-0250" not in labels  # the element itself
        assert not [label for label in labels if "-T" in label]  # tests: the wrong kind
        if expected is None:  # 500 requirements match: a bounded, incomplete list
            assert result.is_incomplete
            assert len(labels) == COMPLETION_LIMIT
            assert all(label.startswith("REQ-") for label in labels)
        else:
            assert not result.is_incomplete
            assert sorted(labels) == expected
        for item in result.items:  # the typed prefix is what gets replaced
            assert isinstance(item.text_edit, types.TextEdit)
            assert item.text_edit.range.start == position(text, "derives-from: ", delta=14)


BOOKING = """\
document D "Booking" { level: system }

requirement SYS-BOOKING "Booking" {
    statement: "The system shall book a seat."
    verification: test
}

test TC-SYS-BOOK "Booking test" { verifies: SYS-BOOKING }

requirement SYS-PAY "Payment" {
    statement: "The system shall take the payment."
    verification: test
    derives-from: SYS-BOOK
}
"""


async def test_did_you_mean_offers_only_ids_of_the_kinds_the_field_accepts(
    client: LanguageClient,
) -> None:
    folder = make_project(client, "quickfix-kind", {"booking.req": BOOKING})
    uri = open_doc(client, folder / "booking.req", BOOKING)
    found = await wait_for(client, uri, lambda ds: "SM002" in codes(ds))
    diagnostic = next(d for d in found if d.code == "SM002")
    assert "TC-SYS-BOOK" not in diagnostic.message
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions
    new_texts = []
    for action in actions:
        assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
        [edit] = action.edit.changes[uri]
        new_texts.append(edit.new_text)
    assert new_texts == ["SYS-BOOKING"]
    assert actions[0].is_preferred  # type: ignore[union-attr]


async def test_files_changed_outside_the_editor_are_watched_and_seen(
    client: LanguageClient,
) -> None:
    registrations = client.registrations  # type: ignore[attr-defined]
    deadline = time.monotonic() + 20
    while not registrations and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    [watch] = [r for r in registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[
            types.FileSystemWatcher(glob_pattern=w["globPattern"])
            for w in watch.register_options["watchers"]
        ]
    )
    assert {w.glob_pattern for w in options.watchers} == {"**/*.req", "**/reqdsl.toml"}

    a = 'document A "A" { level: system }\nrequirement R-1 "One" {\n' + (
        '    statement: "The system shall work."\n    verification: test\n    depends-on: R-2\n}\n'
    )
    folder = make_project(client, "watched", {"a.req": a})
    uri = open_doc(client, folder / "a.req", a)
    await wait_for(client, uri, lambda ds: "SM002" in codes(ds))

    b = folder / "b.req"
    b.write_text('requirement R-2 "Two" { statement: "The system shall rest." }\n', "utf-8")
    notify(client, b, types.FileChangeType.Created)
    await wait_for(client, uri, lambda ds: "SM002" not in codes(ds))
    b.write_text('requirement R-3 "Three" { statement: "The system shall rest." }\n', "utf-8")
    notify(client, b, types.FileChangeType.Changed)
    await wait_for(client, uri, lambda ds: "SM002" in codes(ds))
    b.write_text('requirement R-2 "Two" { statement: "The system shall rest." }\n', "utf-8")
    notify(client, b, types.FileChangeType.Changed)
    await wait_for(client, uri, lambda ds: "SM002" not in codes(ds))
    b.unlink()
    notify(client, b, types.FileChangeType.Deleted)
    await wait_for(client, uri, lambda ds: "SM002" in codes(ds))


def notify(client: LanguageClient, path: Path, change: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=change)])
    )
