"""The language server: projects, documents, and publishing diagnostics.

Documents map to projects (reqdsl.lsp.workspace.find_root). An edit marks its document
dirty and schedules a recheck a moment later (REBUILD_DELAY), so a burst of keystrokes
costs one; the recheck is incremental (reqdsl.pipeline.Session.recheck: the edited
file re-parsed and re-bound, only what it can affect checked again). A request that
needs the model to reflect the edit (hover, rename, actions) first applies its pending
edits. Navigation (definition, references) and completion only re-parse the edited
files (`parse_pending`, a few milliseconds) and answer from their text and syntax trees
and the last consistent model, without waiting for the recheck. A scheduled recheck
that a newer edit supersedes is cancelled before it starts (its timer). After each
recheck, diagnostics are published for the files whose diagnostics changed: the open
documents at once, the other files a slice at a time from the event loop, so that a
keystroke arriving meanwhile (right after a project of 10,000 requirements opened, 17,000
diagnostics in 100 files) waits for one slice, not for all of them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from ..model.config import CONFIG_NAME
from ..source import normalise_text
from .positions import PositionMap
from .workspace import ProjectState, find_root

log = logging.getLogger(__name__)

# Seconds of quiet after an edit before the project is rechecked: the recheck is
# incremental (tens of milliseconds), so a short pause only merges a burst of keys.
REBUILD_DELAY = 0.02
# Seconds of publishing (converting and sending the diagnostics of files not open in the
# editor) before the event loop may take the next message, and the pause after it: pygls
# reads a message in three steps (header, blank line, body) on a thread, each needing a
# turn of the loop, so a loop that is never idle would take a keystroke 20 slices late.
PUBLISH_SLICE = 0.01
PUBLISH_PAUSE = 0.005
# What the client's file watcher reports: files changed by git, a generator or another
# editor. Neovim, Emacs and Helix watch only when the server asks (dynamic registration).
WATCHED = ("**/*.req", f"**/{CONFIG_NAME}")

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass
class _Publishing:
    """A publication under way: the files still to publish, and what they are converted
    with (the texts changed since the last publication, the position maps, the files'
    states when it began: a file edited since stops it)."""

    relpaths: list[str]
    retexted: set[str]
    positions: Callable[[str], PositionMap]
    files: dict[str, object]
    forced: set[str]  # owed by a publication that stopped: converted whatever was sent
    handle: asyncio.Handle | None = None

    def stale(self, files: Mapping[str, object]) -> bool:
        """Whether a file was re-parsed (or added, or removed) since it began."""
        return len(files) != len(self.files) or any(
            files.get(relpath) is not state for relpath, state in self.files.items()
        )


@dataclass(frozen=True)
class Doc:
    """A document as the server addresses it: its project, path in it, and URI."""

    state: ProjectState
    relpath: str
    uri: str


class ReqdslServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("reqdsl", __version__)
        self.projects: dict[Path, ProjectState] = {}
        self.uris: dict[tuple[Path, str], str] = {}  # open documents' URIs as the client wrote them
        self.dirty: dict[Path, set[str]] = {}
        self.timers: dict[Path, asyncio.TimerHandle] = {}
        self.published: dict[str, tuple[object, ...]] = {}  # what each URI last got
        # The diagnostics each URI last got, and the files' states they were converted
        # with: a file whose diagnostics and texts are the same is not converted again.
        self.sent: dict[str, list[Diagnostic]] = {}
        self.sent_states: dict[Path, dict[str, object]] = {}
        self.by_root: dict[Path, set[str]] = {}  # URIs published for each project
        # Files whose publication is under way, or was stopped by an edit: the next
        # publication converts them whatever they were sent before.
        self.publishing: dict[Path, _Publishing] = {}

    # ------------------------------------------------------------------ documents
    def folders(self) -> list[Path]:
        found = []
        for folder in self.workspace.folders.values():
            path = to_fs_path(folder.uri)
            if path:
                found.append(Path(path))
        if self.workspace.root_path:
            found.append(Path(self.workspace.root_path))
        return found

    def doc(self, uri: str) -> Doc:
        """The project and relative path of a document (loading the project once)."""
        fs_path = to_fs_path(uri)
        if fs_path is None:  # an unsaved buffer: a project of its own, nothing from disk
            root = Path(f"/<{uri}>")
            alone = self.projects.setdefault(root, ProjectState(root))
            return Doc(alone, uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1] + ".req", uri)
        path = Path(fs_path)
        root = find_root(path, self.folders())
        state = self.projects.get(root)
        if state is None:
            log.info("loading project %s", root)
            state = ProjectState(root)
            self.projects[root] = state
            state.load()
            self.when_idle(_warm_parser)
        return Doc(state, state.relpath(path), uri)

    def when_idle(self, work: Callable[[], None]) -> None:
        """Run `work` a moment from now, after the pending recheck and its publication
        (at once without a running loop)."""
        try:
            asyncio.get_running_loop().call_later(4 * REBUILD_DELAY, work)
        except RuntimeError:
            work()

    def edited(self, uri: str) -> None:
        """An open document changed: re-parse it soon. A publication under way pauses:
        the publication after the recheck takes up what it left."""
        doc = self.doc(uri)
        publishing = self.publishing.get(doc.state.root)
        if publishing is not None and publishing.handle is not None:
            publishing.handle.cancel()
            publishing.handle = None
        self.uris[(doc.state.root, doc.relpath)] = uri
        doc.state.overlays.add(doc.relpath)
        self.dirty.setdefault(doc.state.root, set()).add(doc.relpath)
        self.schedule(doc.state)

    def closed(self, uri: str) -> None:
        doc = self.doc(uri)
        self.flush(doc.state)
        self.uris.pop((doc.state.root, doc.relpath), None)
        doc.state.revert(doc.relpath)
        self.rebuild(doc.state)

    def schedule(self, state: ProjectState) -> None:
        timer = self.timers.pop(state.root, None)
        if timer is not None:
            timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush(state)
            return
        self.timers[state.root] = loop.call_later(REBUILD_DELAY, self.flush, state)

    def flush(self, state: ProjectState) -> None:
        """Apply pending edits of a project, then rebuild and publish."""
        timer = self.timers.pop(state.root, None)
        if timer is not None:
            timer.cancel()
        dirty = self.dirty.pop(state.root, set())
        if not dirty:
            return
        stale = state.checked is None
        for relpath in dirty:
            uri = self.uris.get((state.root, relpath))
            if uri is None:
                continue
            document = self.workspace.get_text_document(uri)
            if not _holds(state, relpath, document.source):  # parse_pending may have
                state.edit(relpath, document.source, Path(document.path))
            if state.files.get(relpath) is not state.checked_files.get(relpath):
                stale = True
        if stale:
            self.rebuild(state)
        else:  # opened as it is on disk (or parsed by parse_pending and checked since)
            self.publish(state)

    def parse_pending(self, state: ProjectState) -> None:
        """Re-parse the files edited since the last rebuild, so that their syntax trees
        hold the editor's text, without rebuilding the model (the scheduled rebuild still
        comes; it does not parse them again)."""
        for relpath in self.dirty.get(state.root, ()):
            uri = self.uris.get((state.root, relpath))
            if uri is None:
                continue
            document = self.workspace.get_text_document(uri)
            if not _holds(state, relpath, document.source):
                state.edit(relpath, document.source, Path(document.path))

    def navigable(self, uri: str) -> Doc:
        """A document's project with the edited files' syntax trees current and the model
        as last built: for requests that syntax trees and the index answer."""
        doc = self.doc(uri)
        self.parse_pending(doc.state)
        return doc

    def fresh(self, uri: str) -> Doc:
        """A document's project with every pending edit applied (for requests)."""
        doc = self.doc(uri)
        self.flush(doc.state)
        return doc

    def rebuild(self, state: ProjectState) -> None:
        try:
            state.rebuild()
        except Exception:  # a bug in a check must not take the server down
            log.exception("rebuilding %s failed", state.root)
            return
        self.publish(state)

    async def watch_files(self) -> None:
        """Ask the client to report changes to project files on disk, when it takes
        dynamic registrations (a client that cannot is not asked)."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration):
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED]
        )
        registration = types.Registration(
            id="reqdsl-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        try:
            await self.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as error:  # a refusal leaves the server as it was: no watcher
            log.warning("the client did not register the file watcher: %s", error)

    # ------------------------------------------------------------------ positions
    def uri_of(self, state: ProjectState, relpath: str) -> str:
        uri = self.uris.get((state.root, relpath))
        if uri is not None:
            return uri
        return from_fs_path(str(state.root / relpath)) or (state.root / relpath).as_uri()

    def positions(self, state: ProjectState, relpath: str) -> PositionMap:
        """The file's text as the project last parsed it, mapped to LSP positions."""
        uri = self.uris.get((state.root, relpath))
        source = self.workspace.get_text_document(uri).source if uri is not None else ""
        return self._position_map(state.text_of(relpath), source)

    def editor_positions(self, uri: str) -> PositionMap:
        """The document's text as the editor holds it now, edits not yet parsed
        included (for a request that reads only the text around the cursor)."""
        source = self.workspace.get_text_document(uri).source
        return self._position_map(normalise_text(source), source)

    def _position_map(self, text: str, editor_source: str) -> PositionMap:
        """`text` mapped in the client's position encoding; the editor's own text says
        whether it starts with a byte order mark (which the normalised text drops)."""
        encoding = str(self.workspace.position_encoding or "utf-16")
        return PositionMap(text, encoding, bom=editor_source.startswith("\ufeff"))

    def offset(self, doc: Doc, position: types.Position) -> int:
        return self.positions(doc.state, doc.relpath).offset(position)

    # ------------------------------------------------------------------ diagnostics
    def publish(self, state: ProjectState) -> None:
        """Publish the diagnostics of each file whose diagnostics changed: the open
        documents now, the others a slice at a time (`_publish_rest`). A file whose
        diagnostics are the same objects (or equal) and whose related places lie in
        unchanged texts is not converted again: after an incremental recheck that is
        nearly every file."""
        maps: dict[str, PositionMap] = {}

        def positions(relpath: str) -> PositionMap:
            if relpath not in maps:
                maps[relpath] = self.positions(state, relpath)
            return maps[relpath]

        owed = self.publishing.pop(state.root, None)
        if owed is not None and owed.handle is not None:
            owed.handle.cancel()
        before = self.sent_states.get(state.root, {})
        retexted = {r for r, s in state.files.items() if before.get(r) is not s}
        retexted |= set(before) - set(state.files)
        self.sent_states[state.root] = dict(state.files)
        forced = set(owed.relpaths) if owed is not None else set()
        now: list[str] = []
        later: list[str] = []
        for relpath in sorted(state.diagnostics, key=lambda r: r not in retexted):
            (now if (state.root, relpath) in self.uris else later).append(relpath)
        for relpath in now:
            self._publish_file(state, relpath, retexted, positions, relpath in forced)
        rest = _Publishing(later, retexted, positions, dict(state.files), forced)
        current = {self.uri_of(state, relpath) for relpath in state.diagnostics}
        for uri in self.by_root.get(state.root, set()) - current:
            self.sent.pop(uri, None)
            if self.published.pop(uri, ()):
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
                )
        self.by_root[state.root] = current
        self._publish_rest(state, rest)

    def _publish_rest(self, state: ProjectState, rest: _Publishing) -> None:
        """Publish the files of `rest` for PUBLISH_SLICE seconds, then give the event
        loop back and go on from there (at once, without a running loop). An edit applied
        meanwhile stops it: the publication after that edit's recheck converts what is
        left."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        deadline = time.perf_counter() + PUBLISH_SLICE
        while rest.relpaths:
            if rest.stale(state.files):  # an edit re-parsed a file: positions changed
                rest.handle = None
                self.publishing[state.root] = rest
                return
            if loop is not None and time.perf_counter() > deadline:
                rest.handle = loop.call_later(PUBLISH_PAUSE, self._publish_rest, state, rest)
                self.publishing[state.root] = rest
                return
            relpath = rest.relpaths.pop(0)
            forced = relpath in rest.forced
            self._publish_file(state, relpath, rest.retexted, rest.positions, forced)
        self.publishing.pop(state.root, None)

    def _publish_file(
        self,
        state: ProjectState,
        relpath: str,
        retexted: set[str],
        positions: Callable[[str], PositionMap],
        forced: bool,
    ) -> None:
        diagnostics = state.diagnostics.get(relpath)
        if diagnostics is None:  # gone since the publication began
            return
        uri = self.uri_of(state, relpath)
        if (
            not forced
            and self.sent.get(uri) == diagnostics
            and not _refers_to(relpath, diagnostics, retexted)
        ):
            return
        self.sent[uri] = diagnostics
        converted = [self.lsp_diagnostic(state, d, positions) for d in diagnostics]
        key = tuple((d.range, d.code, d.message, d.severity) for d in converted)
        if self.published.get(uri, ()) == key:
            return
        self.published[uri] = key
        version = None
        if (state.root, relpath) in self.uris:
            version = self.workspace.get_text_document(uri).version
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=converted, version=version)
        )

    def lsp_diagnostic(
        self,
        state: ProjectState,
        diagnostic: Diagnostic,
        positions: Callable[[str], PositionMap],
    ) -> types.Diagnostic:
        message = diagnostic.message + (f"\n{diagnostic.hint}" if diagnostic.hint else "")
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=self.uri_of(state, item.path), range=positions(item.path).range(item.span)
                ),
                message=item.message,
            )
            for item in diagnostic.related
        ]
        return types.Diagnostic(
            range=positions(diagnostic.path).range(diagnostic.span),
            severity=_SEVERITY[diagnostic.severity],
            code=diagnostic.code,
            source="reqdsl",
            message=message,
            related_information=related or None,
        )


def project_files_changed(server: ReqdslServer, paths: list[Path]) -> None:
    """Files changed on disk (the client's file watcher): re-read them, or the whole
    project when its reqdsl.toml changed."""
    for root, state in server.projects.items():
        mine = [path for path in paths if root == path.parent or root in path.parents]
        if not mine:
            continue
        if any(path.name == CONFIG_NAME and path.parent == root for path in mine):
            state.open_files()
        else:
            state.reread(*(state.relpath(path) for path in mine if path.suffix == ".req"))
        server.rebuild(state)


def _warm_parser() -> None:
    """Build the parser while the editor is idle: a project read from the parse cache
    parsed nothing, and the first keystroke would pay for building it."""
    from ..parse.parser import parse_text

    parse_text("", "<warm>")
    parse_text("}", "<warm>")  # the error path's parser too


def _refers_to(relpath: str, diagnostics: list[Diagnostic], relpaths: set[str]) -> bool:
    """Whether the diagnostics of `relpath`, or one of their related places, lie in one
    of `relpaths` (whose text changed: their positions must be converted again)."""
    if not relpaths:
        return False
    if relpath in relpaths:
        return bool(diagnostics)
    return any(r.path in relpaths for d in diagnostics if d.related for r in d.related)


def _holds(state: ProjectState, relpath: str, text: str) -> bool:
    """Whether the file's syntax tree was parsed from `text` already."""
    current = state.files.get(relpath)
    return current is not None and current.source.text == normalise_text(text)
