"""End-to-end tests of `reqdsl lsp`: a real server process spoken to over stdio.

One server serves the whole module (starting it is the slow part); each test works in a
project folder of its own (its own reqdsl.toml), so tests do not see each other's edits.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import open_lsp_session, reqdsl_command

pytestmark = pytest.mark.asyncio(loop_scope="module")

NEEDS = """\
document NEEDS "Stakeholder needs" {
    level: stakeholder
}

stakeholder ST-OPS "Operations"

requirement N-HA "Always available" {
    statement: "The gateway shall stay available when one server fails."
    source: ST-OPS
    verification: inspection
}
"""

SRS = """\
# Software requirements.
document SRS "Gateway 🚀 software" {
    level: software
}

component GW "Gateway" { kind: process }

requirement SYS-HA "Replicated sessions" {
    statement: "The gateway shall replicate each session within 1 second."
    verification: test
    derives-from: N-HA
    compliance: gdpr:32(1)(b)
}

test T-HA "Failover drill" { verifies: SYS-HA }

threat TH-1 "Session theft" {
    category: spoofing
    target: GW
    status: accepted
    justification: "Sessions are short."
}
"""


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[*reqdsl_command(), "lsp"]),
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    await open_lsp_session(lsp_client, tmp_path_factory.mktemp("lsp"), "lsp")
    yield
    await lsp_client.shutdown_session()


def make_project(client: LanguageClient, name: str, files: dict[str, str]) -> Path:
    folder = client.root / name  # type: ignore[attr-defined]
    folder.mkdir()
    (folder / "reqdsl.toml").write_text('[project]\nname = "test"\n', encoding="utf-8")
    for relpath, text in files.items():
        (folder / relpath).write_text(text, encoding="utf-8")
    return folder


def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="req",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def change_doc(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def position(text: str, needle: str, nth: int = 0, delta: int = 0) -> types.Position:
    """The LSP position (UTF-16) of the nth occurrence of `needle`, plus `delta`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += delta
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    character = len(text[line_start:offset].encode("utf-16-le")) // 2
    return types.Position(line=line, character=character)


async def wait_for(client: LanguageClient, uri: str, predicate, timeout: float = 20.0):  # type: ignore[no-untyped-def]
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


def codes(diagnostics) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(d.code) for d in diagnostics)


async def test_diagnostics_cover_the_whole_project(client: LanguageClient) -> None:
    folder = make_project(client, "diagnostics", {"needs.req": NEEDS, "srs.req": SRS})
    broken = SRS.replace("derives-from: N-HA", "derives-from: N-HAX")
    uri = open_doc(client, folder / "srs.req", broken)
    found = await wait_for(client, uri, lambda ds: "SM002" in codes(ds))
    unknown = next(d for d in found if d.code == "SM002")
    assert unknown.range.start == position(broken, "N-HAX")
    assert "did you mean `N-HA`" in unknown.message
    needs_uri = (folder / "needs.req").as_uri()
    # (TR006 is an info on N-HA throughout: no `test` element records its inspection.)
    assert codes(await wait_for(client, needs_uri, lambda ds: True)) == ["TR002", "TR006"]
    change_doc(client, uri, 2, SRS)  # the link now reaches N-HA: TR002 goes away
    await wait_for(client, uri, lambda ds: "SM002" not in codes(ds))
    await wait_for(client, needs_uri, lambda ds: codes(ds) == ["TR006"])


async def test_definition_across_files(client: LanguageClient) -> None:
    folder = make_project(client, "definition", {"needs.req": NEEDS, "srs.req": SRS})
    uri = open_doc(client, folder / "srs.req")
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(SRS, "N-HA", delta=2),
        )
    )
    assert isinstance(result, types.Location)
    assert result.uri == (folder / "needs.req").as_uri()
    assert result.range.start == position(NEEDS, "N-HA")


async def test_references_across_files(client: LanguageClient) -> None:
    folder = make_project(client, "references", {"needs.req": NEEDS, "srs.req": SRS})
    uri = open_doc(client, folder / "needs.req")
    result = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(NEEDS, "N-HA"),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert result is not None
    places = sorted((Path(loc.uri).name, loc.range.start.line) for loc in result)
    assert places == [("needs.req", 6), ("srs.req", 10)]


async def test_hover_shows_title_statement_links_and_coverage(client: LanguageClient) -> None:
    folder = make_project(client, "hover", {"needs.req": NEEDS, "srs.req": SRS})
    uri = open_doc(client, folder / "srs.req")
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(SRS, "SYS-HA"),
        )
    )
    assert result is not None
    text = result.contents.value  # type: ignore[union-attr]
    assert "Replicated sessions" in text
    assert "replicate each session" in text
    assert "level: software" in text
    assert "derives-from `N-HA`" in text
    assert "verified by `T-HA`" in text
    compliance = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(SRS, "gdpr:32", delta=3),
        )
    )
    assert compliance is not None
    assert "Security of processing" in compliance.contents.value  # type: ignore[union-attr]


async def complete(client: LanguageClient, uri: str, text: str, at: types.Position) -> list[str]:
    change_doc(client, uri, 2, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert isinstance(result, types.CompletionList)
    return [item.label for item in result.items]


async def test_completion_of_ids_filtered_by_target_kind(client: LanguageClient) -> None:
    folder = make_project(client, "complete-ids", {"needs.req": NEEDS, "srs.req": SRS})
    uri = open_doc(client, folder / "srs.req")
    text = SRS.replace("derives-from: N-HA", "derives-from: N-HA, ")
    labels = await complete(client, uri, text, position(text, "N-HA, ", delta=6))
    assert "N-HA" in labels
    assert not {"SYS-HA", "T-HA", "TH-1", "GW", "ST-OPS"} & set(labels)  # itself, other kinds
    text = SRS.replace("target: GW", "target: ")
    labels = await complete(client, uri, text, position(text, "target: ", delta=8))
    assert "GW" in labels and "SYS-HA" not in labels


async def test_completion_of_field_names_and_enum_values(client: LanguageClient) -> None:
    folder = make_project(client, "complete-fields", {"srs.req": SRS})
    uri = open_doc(client, folder / "srs.req")
    text = SRS.replace("    verification: test\n", "    verification: test\n    pri\n")
    labels = await complete(client, uri, text, position(text, "    pri", delta=7))
    assert {"priority", "rationale", "derives-from", "statement"} <= set(labels)
    assert "trust" not in labels  # a zone's field
    text = SRS.replace("category: spoofing", "category: ")
    labels = await complete(client, uri, text, position(text, "category: ", delta=10))
    assert "spoofing" in labels and "linking" in labels and "must" not in labels


async def test_completion_of_compliance_references_with_titles(client: LanguageClient) -> None:
    folder = make_project(client, "complete-compliance", {"srs.req": SRS})
    uri = open_doc(client, folder / "srs.req")
    text = SRS.replace("compliance: gdpr:32(1)(b)", "compliance: gdpr:1")
    change_doc(client, uri, 2, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(text, "gdpr:1", delta=6),
        )
    )
    assert isinstance(result, types.CompletionList)
    by_label = {item.label: item for item in result.items}
    assert (by_label["gdpr:17"].detail or "").startswith("Right to erasure")
    edit = by_label["gdpr:17"].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range.start == position(text, "gdpr:1")
    text = SRS.replace("compliance: gdpr:32(1)(b)", "compliance: ")
    labels = await complete(client, uri, text, position(text, "compliance: ", delta=12))
    assert {"gdpr:", "iso27001:", "wcag:"} <= set(labels)


async def test_rename_across_files(client: LanguageClient) -> None:
    folder = make_project(client, "rename", {"needs.req": NEEDS, "srs.req": SRS})
    uri = open_doc(client, folder / "srs.req")
    where = position(SRS, "N-HA")
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=where
        )
    )
    assert prepared is not None
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=where,
            new_name="N-AVAIL",
        )
    )
    assert edit is not None and edit.changes is not None
    needs_uri = (folder / "needs.req").as_uri()
    assert [e.range.start for e in edit.changes[uri]] == [where]
    assert [e.range.start for e in edit.changes[needs_uri]] == [position(NEEDS, "N-HA")]
    assert all(e.new_text == "N-AVAIL" for es in edit.changes.values() for e in es)
    with pytest.raises(Exception, match="already defined"):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=where, new_name="GW"
            )
        )


async def test_document_symbols_nest_like_the_file(client: LanguageClient) -> None:
    text = SRS.replace(
        'component GW "Gateway" { kind: process }',
        'section S-ARCH "Architecture" {\n    component GW "Gateway" { kind: process }\n}',
    )
    folder = make_project(client, "symbols", {"srs.req": text})
    uri = open_doc(client, folder / "srs.req")
    result = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert result is not None
    names = [symbol.name for symbol in result]
    assert names == ["SRS", "S-ARCH", "SYS-HA", "T-HA", "TH-1"]
    section = result[1]
    assert isinstance(section, types.DocumentSymbol)
    assert [child.name for child in section.children or []] == ["GW"]
    assert section.children[0].selection_range.start == position(text, "GW")  # type: ignore[index]


async def test_formatting(client: LanguageClient) -> None:
    messy = (
        'document D "Doc" {\nlevel:   software   # the level\n}\nzone  Z "Zone"{trust:trusted}\n'
    )
    folder = make_project(client, "formatting", {"d.req": messy})
    uri = open_doc(client, folder / "d.req")
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits is not None and len(edits) == 1
    assert edits[0].new_text == (
        'document D "Doc" {\n    level: software  # the level\n}\n'
        'zone Z "Zone" { trust: trusted }\n'
    )
    change_doc(client, uri, 2, messy.replace("level:", "level"))
    refused = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert not refused  # a file with a syntax error is left alone


async def test_code_action_applies_did_you_mean(client: LanguageClient) -> None:
    text = SRS.replace("verification: test", "verfication: test").replace(
        "derives-from: N-HA", "derives-from: N-HB"
    )
    folder = make_project(client, "actions", {"needs.req": NEEDS, "srs.req": text})
    uri = open_doc(client, folder / "srs.req")
    found = await wait_for(client, uri, lambda ds: {"SM002", "SM004"} <= set(codes(ds)))
    for code, wrong, right in (("SM004", "verfication", "verification"), ("SM002", "N-HB", "N-HA")):
        diagnostic = next(d for d in found if d.code == code)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic]),
            )
        )
        assert actions
        action = actions[0]
        assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
        [edit] = action.edit.changes[uri]
        assert edit.new_text == right
        assert edit.range.start == position(text, wrong)


async def test_positions_are_utf16(client: LanguageClient) -> None:
    text = (
        'document D "Doc" { level: software }\n'
        'requirement R-1 "Émoji 😀 first" { statement: "The app shall run." }\n'
        'test T-1 "😀😀 test" { verifies: R-1 }\n'
        'test T-2 "x" { verifies: R-X }\n'
    )
    folder = make_project(client, "utf16", {"u.req": text})
    uri = open_doc(client, folder / "u.req")
    found = await wait_for(client, uri, lambda ds: "SM002" in codes(ds))
    unknown = next(d for d in found if d.code == "SM002")
    assert unknown.range.start == position(text, "R-X")
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(text, "R-1", nth=1),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert references is not None
    [reference] = references
    assert reference.range.start == position(text, "R-1", nth=1)
    assert reference.range.start.character == 33  # 31 code points, two of them astral


async def test_server_survives_broken_edits(client: LanguageClient) -> None:
    folder = make_project(client, "broken", {"needs.req": NEEDS, "srs.req": SRS})
    uri = open_doc(client, folder / "srs.req")
    broken = [
        "",
        "document",
        SRS[: len(SRS) // 2],
        SRS.replace('"Replicated sessions"', '"Replicated sessions'),
        SRS.replace("}", "", 1) + '"""never closed\n',
        "\ufeff\x00{{{ }}} :: ,, -> --> [0..*] 𝔘 \\",
        SRS.replace("requirement", "requirement requirement"),
    ]
    for version, text in enumerate(broken, start=2):
        change_doc(client, uri, version, text)
        for request in (
            client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=1, character=3),
                )
            ),
            client.text_document_completion_async(
                types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=2, character=4),
                )
            ),
            client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
            ),
        ):
            await request
    found = await wait_for(client, uri, lambda ds: "SY001" in codes(ds))
    assert found
    untitled = "untitled:Untitled-1"  # a buffer never saved: no folder, no project
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=untitled, language_id="req", version=1, text=SRS[:-3]
            )
        )
    )
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=untitled))
    )
    assert symbols and symbols[0].name == "SRS"
    change_doc(client, uri, 100, SRS)
    await wait_for(client, uri, lambda ds: "SY001" not in codes(ds))
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(SRS, "N-HA"),
        )
    )
    assert isinstance(result, types.Location)


NAVIGATE = (
    'document D "d" { level: system }\n'
    'requirement A-1 "One" {\n    statement: "The system shall log."\n}\n'
    'requirement A-2 "Two" {\n    statement: "The system shall log."\n    depends-on: A-1\n}\n'
)


async def test_definition_right_after_a_keystroke_answers_from_the_text_without_a_rebuild(
    client: LanguageClient,
) -> None:
    """Navigation does not wait for the rebuild a keystroke schedules (a second at 10,000
    requirements): it re-parses the edited file and answers from its syntax tree and the
    last model, so a definition that moved, or is new, in the edited text is found, and
    the edit's diagnostics come afterwards, from the scheduled rebuild."""
    folder = make_project(client, "navigate", {"a.req": NAVIGATE})
    uri = open_doc(client, folder / "a.req")
    await wait_for(client, uri, lambda ds: "SM002" not in codes(ds))
    before = client.diagnostics[uri]
    edited = (
        "\n\n\n"
        + NAVIGATE
        + 'requirement A-3 "Three" {\n    statement: "The system shall log."\n'
        + "    depends-on: A-NEW, NOPE\n}\n"
        + 'requirement A-NEW "New" {\n    statement: "The system shall log."\n}\n'
    )
    change_doc(client, uri, 2, edited)
    moved, new = await asyncio.gather(
        client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position(edited, "A-1", nth=1, delta=1),
            )
        ),
        client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position(edited, "A-NEW", delta=1),
            )
        ),
    )
    # Answered before the rebuild: the published diagnostics are still the old text's.
    assert client.diagnostics[uri] is before
    assert isinstance(moved, types.Location) and isinstance(new, types.Location)
    assert moved.range.start == position(edited, "A-1")  # three lines further down
    assert new.range.start == position(edited, "A-NEW", nth=1)  # not in the last model
    await wait_for(client, uri, lambda ds: "SM002" in codes(ds))  # the rebuild still comes
