"""The LSP features, each a small handler over the server's projects."""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path

from ..format import FormatError, format_source
from ..model.schema import FIELD_SPECS
from ..parse.lexicon import lexicon
from ..parse.syntax import ParsedFile
from ..source import Span, normalise_text
from .actions import quick_fixes
from .completion import Completer
from .hover import ValueHovers, compliance_hover, element_hover, field_hover
from .occurrences import Occurrence, field_at, file_occurrences, occurrence_at
from .positions import PositionMap
from .server import Doc, ReqdslServer, project_files_changed
from .symbols import document_symbols

log = logging.getLogger(__name__)

REQUEST_FAILED = -32803


def _parsed(doc: Doc) -> ParsedFile | None:
    state = doc.state.files.get(doc.relpath)
    return state.parsed if state is not None else None


def _id_at(
    ls: ReqdslServer, uri: str, position: types.Position, *, navigate: bool = False
) -> tuple[Doc, Occurrence | None]:
    """The document and the ID occurrence under the cursor (None when there is none).
    `navigate`: from the current syntax trees and the last model, without waiting for a
    rebuild (ReqdslServer.navigable)."""
    doc = ls.navigable(uri) if navigate else ls.fresh(uri)
    parsed = _parsed(doc)
    return doc, occurrence_at(parsed, ls.offset(doc, position)) if parsed else None


def _defined_at(doc: Doc, name: str, ls: ReqdslServer) -> tuple[str, Span] | None:
    """Where `name` is defined in the files' current syntax trees: first the files edited
    since the last rebuild (the definition may be new, or have moved), then the file
    the last model says defines it."""
    state = doc.state
    edited = ls.dirty.get(state.root, set())
    target = state.project.index.get(name)
    candidates = [*sorted(edited), *([target.path] if target is not None else [])]
    for relpath in candidates:
        file = state.files.get(relpath)
        if file is None or file.parsed is None:
            continue
        for occurrence in file_occurrences(file.parsed):
            if occurrence.definition and occurrence.name == name:
                return relpath, occurrence.span
    return (target.path, target.anchor) if target is not None else None


def register(server: ReqdslServer) -> None:
    @server.feature(types.INITIALIZED)
    async def initialized(ls: ReqdslServer, params: types.InitializedParams) -> None:
        await ls.watch_files()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ReqdslServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.edited(params.text_document.uri)
        ls.flush(ls.doc(params.text_document.uri).state)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ReqdslServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.edited(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ReqdslServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: ReqdslServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [Path(p) for change in params.changes if (p := to_fs_path(change.uri))]
        project_files_changed(ls, paths)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: ReqdslServer, params: types.DefinitionParams) -> types.Location | None:
        doc, found = _id_at(ls, params.text_document.uri, params.position, navigate=True)
        place = _defined_at(doc, found.name, ls) if found else None
        if place is None:
            return None
        relpath, span = place
        return types.Location(
            uri=ls.uri_of(doc.state, relpath), range=ls.positions(doc.state, relpath).range(span)
        )

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: ReqdslServer, params: types.ReferenceParams) -> list[types.Location] | None:
        doc, found = _id_at(ls, params.text_document.uri, params.position, navigate=True)
        if found is None:
            return None
        locations = []
        for relpath, state in sorted(doc.state.files.items()):
            if state.parsed is None:
                continue
            positions = ls.positions(doc.state, relpath)
            for occurrence in file_occurrences(state.parsed):
                if occurrence.name != found.name:
                    continue
                if occurrence.definition and not params.context.include_declaration:
                    continue
                locations.append(
                    types.Location(
                        uri=ls.uri_of(doc.state, relpath), range=positions.range(occurrence.span)
                    )
                )
        return locations

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ReqdslServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.fresh(params.text_document.uri)
        parsed = _parsed(doc)
        if parsed is None:
            return None
        offset = ls.offset(doc, params.position)
        positions = ls.positions(doc.state, doc.relpath)
        project = doc.state.project
        found = occurrence_at(parsed, offset)
        if found is not None:
            element = project.index.get(found.name)
            if element is None:
                return None
            return _hover(element_hover(project, element), positions.range(found.span))
        spot = field_at(parsed, offset)
        if spot is None:
            return None
        spec = FIELD_SPECS.get(spot.element.kind, {}).get(spot.field.name)
        if spot.value is None:
            if spec is None:
                return None
            text = field_hover(spot.element.kind, spec)
            return _hover(text, positions.range(spot.field.name_span))
        if spot.value.kind == "ref":
            text = compliance_hover(doc.state.catalogs, spot.value.text)
            return _hover(text, positions.range(spot.value.span))
        if spec is None:
            return None
        source = ValueHovers(doc.state.catalogs)
        said = spec.value_kind.value_hover(spot.value.text, source)
        return _hover(said, positions.range(spot.value.span)) if said else None

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", ",", " ", ">"]),
    )
    def completion(ls: ReqdslServer, params: types.CompletionParams) -> types.CompletionList:
        # The editor's text (completion reads only the text before the cursor: nothing is
        # parsed) and the last consistent model: the IDs a link may name do not wait for
        # the recheck the keystroke scheduled.
        doc = ls.doc(params.text_document.uri)
        positions = ls.editor_positions(params.text_document.uri)
        text = positions.text
        offset = positions.offset(params.position)
        found = Completer(doc.state.project, doc.state.catalogs).complete(text, offset)
        replaced = types.Range(start=positions.position(found.start), end=params.position)
        for item in found.items:
            new_text = item.insert_text or item.label
            item.insert_text = None
            item.text_edit = types.TextEdit(range=replaced, new_text=new_text)
        return types.CompletionList(is_incomplete=found.incomplete, items=found.items)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: ReqdslServer, params: types.PrepareRenameParams) -> types.Range | None:
        doc, found = _id_at(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        return ls.positions(doc.state, doc.relpath).range(found.span)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: ReqdslServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        doc, found = _id_at(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        new = params.new_name
        if not lexicon().is_id(new):
            raise JsonRpcException(f"`{new}` is not a valid ID", code=REQUEST_FAILED)
        if new != found.name and new in doc.state.project.index:
            raise JsonRpcException(f"`{new}` is already defined", code=REQUEST_FAILED)
        changes: dict[str, list[types.TextEdit]] = {}
        for relpath, state in sorted(doc.state.files.items()):
            if state.parsed is None:
                continue
            positions = ls.positions(doc.state, relpath)
            edits = [
                types.TextEdit(range=positions.range(occurrence.span), new_text=new)
                for occurrence in file_occurrences(state.parsed)
                if occurrence.name == found.name
            ]
            if edits:
                changes[ls.uri_of(doc.state, relpath)] = edits
        return types.WorkspaceEdit(changes=changes)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(
        ls: ReqdslServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | None:
        doc = ls.fresh(params.text_document.uri)
        parsed = _parsed(doc)
        if parsed is None:
            return None
        return document_symbols(parsed, ls.positions(doc.state, doc.relpath))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: ReqdslServer, params: types.DocumentFormattingParams
    ) -> list[types.TextEdit] | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        raw = document.source
        try:
            formatted = format_source(raw)
        except FormatError as error:
            log.info("not formatting %s: %s", params.text_document.uri, error)
            return None
        if formatted == raw:
            return []
        encoding = str(ls.workspace.position_encoding or "utf-16")
        end = PositionMap(normalise_text(raw), encoding, bom=raw.startswith("\ufeff")).end()
        whole = types.Range(start=types.Position(line=0, character=0), end=end)
        return [types.TextEdit(range=whole, new_text=formatted)]

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(
        ls: ReqdslServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        doc = ls.fresh(params.text_document.uri)
        positions = ls.positions(doc.state, doc.relpath)
        start, end = positions.offset(params.range.start), positions.offset(params.range.end)
        text = doc.state.text_of(doc.relpath)
        actions: list[types.CodeAction] = []
        for diagnostic in doc.state.diagnostics.get(doc.relpath, []):
            span = diagnostic.span
            if span.end < start or span.start > end:
                continue
            lsp = ls.lsp_diagnostic(
                doc.state, diagnostic, lambda path: ls.positions(doc.state, path)
            )
            for title, fix_start, fix_end, new_text in quick_fixes(diagnostic, text):
                edit = types.TextEdit(
                    range=types.Range(
                        start=positions.position(fix_start), end=positions.position(fix_end)
                    ),
                    new_text=new_text,
                )
                actions.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[lsp],
                        edit=types.WorkspaceEdit(changes={doc.uri: [edit]}),
                        is_preferred=len(actions) == 0,
                    )
                )
        return actions


def _hover(markdown: str, where: types.Range) -> types.Hover:
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown), range=where
    )


def create_server() -> ReqdslServer:
    server = ReqdslServer()
    register(server)
    return server
