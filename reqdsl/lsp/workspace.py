"""The language server's projects: parsed files kept in memory, the model rebuilt.

A project is loaded once (through `load_project`, so the parse cache and parallel parsing
apply). After that, an edit re-parses only the edited document (`parse_text`) and the
model is rebuilt from the parsed files already in memory: binding, indexing and
resolving, as `reqdsl.model.project.load_project` does after parsing, then the checks.
Open documents take their text from the editor, every other file from disk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..catalogs import Catalog, CatalogError, builtin_catalogs, load_tsv_catalog
from ..checks.registry import run_checks
from ..checks.withheld import withhold_syntax_caused
from ..diagnostics import Diagnostic, Severity
from ..model.binder import bind_file
from ..model.config import CONFIG_NAME, Config, ConfigError, load_config
from ..model.elements import ModelElement
from ..model.project import (
    Project,
    ProjectError,
    discover,
    link_project,
    load_project,
    syntax_diagnostic,
)
from ..model.sources import read_source, scan_project
from ..parse.parser import parse_text
from ..parse.syntax import ParsedFile
from ..source import SourceFile, Span, normalise_text

log = logging.getLogger(__name__)

_START = Span(0, 0, 1, 1, 1, 1)


@dataclass
class FileState:
    """One `.req` file: its text (from the editor when open), its syntax, and problems
    found while reading it (not UTF-8, unreadable)."""

    relpath: str
    source: SourceFile
    parsed: ParsedFile | None
    load_problems: list[Diagnostic] = field(default_factory=list)


def _syntax_diagnostic(relpath: str, message: str, span: Span, hint: str | None) -> Diagnostic:
    return Diagnostic("SY001", Severity.ERROR, message, relpath, span, hint=hint)


def read_file(root: Path, relpath: str, path: Path) -> FileState:
    """Read and parse one file from disk, as `reqdsl check` reads it (read_source: never
    a link out of the project, bounded)."""
    try:
        data = read_source(root.resolve(), path)
    except OSError as error:
        problem = _syntax_diagnostic(
            relpath, f"cannot read the file: {error.strerror or error}", _START,
            "check its permissions",
        )  # fmt: skip
        return FileState(relpath, SourceFile(relpath, "", path), None, [problem])
    problems: list[Diagnostic] = []
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raw = data.decode("utf-8", errors="replace")
        problems.append(
            _syntax_diagnostic(
                relpath,
                f"the file is not valid UTF-8: byte 0x{data[error.start]:02x} cannot be decoded",
                _START,
                "save the file as UTF-8",
            )
        )
    return parsed_state(relpath, normalise_text(raw), path, problems)


def parsed_state(
    relpath: str, text: str, path: Path | None, problems: list[Diagnostic] | None = None
) -> FileState:
    return FileState(
        relpath, SourceFile(relpath, text, path), parse_text(text, relpath), problems or []
    )


# relpath -> (the parsed file it was bound from, its elements, the binder's diagnostics)
BindCache = dict[str, tuple[ParsedFile, list[ModelElement], list[Diagnostic]]]


def _bind(
    state: FileState, config: Config, order: int, cache: BindCache | None
) -> tuple[list[ModelElement], list[Diagnostic]]:
    """Bind one file, or reuse its elements when its syntax has not changed (only their
    place in project order is updated)."""
    assert state.parsed is not None
    cached = cache.get(state.relpath) if cache is not None else None
    if cached is not None and cached[0] is state.parsed:
        _, bound, diagnostics = cached
        for index, element in enumerate(bound):
            element.__dict__["order"] = order + index
        return bound, diagnostics
    bound, diagnostics = bind_file(state.parsed, config.custom_fields, order)
    if cache is not None:
        cache[state.relpath] = (state.parsed, bound, diagnostics)
    return bound, diagnostics


def build_project(
    root: Path,
    config: Config,
    catalogs: dict[str, Catalog],
    files: dict[str, FileState],
    cache: BindCache | None = None,
) -> Project:
    """A Project from files already parsed: bind, index, resolve (no file is read).

    With a `cache`, files whose syntax tree is the one bound last time keep their
    elements: an edit re-binds only the edited file.
    """
    project = Project(root=root, config=config)
    project.catalogs = catalogs
    order = 0
    for relpath in sorted(files):
        state = files[relpath]
        project.sources[relpath] = state.source
        for problem in state.load_problems:
            project.report(problem)
        if state.parsed is None:
            continue
        project.parsed[relpath] = state.parsed
        for syntax in state.parsed.problems:
            project.report(syntax_diagnostic(relpath, syntax))
        bound, diagnostics = _bind(state, config, order, cache)
        order += len(bound)
        project.elements.extend(bound)
        for diagnostic in diagnostics:
            project.report(diagnostic)
    link_project(project)
    return project


class ProjectState:
    """One project folder as the server sees it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = Config(root=root)
        self.catalogs: dict[str, Catalog] = dict(builtin_catalogs())
        self.files: dict[str, FileState] = {}
        self.open: set[str] = set()
        self.config_problem: Diagnostic | None = None
        self.project = build_project(root, self.config, self.catalogs, {})
        self.diagnostics: dict[str, list[Diagnostic]] = {}
        self.bound: BindCache = {}

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        """(Re)load every file from disk; open documents keep the editor's text."""
        kept = {relpath: self.files[relpath] for relpath in self.open if relpath in self.files}
        self.config_problem = None
        self.bound = {}
        try:
            # An editor may open a folder before its first .req file is saved.
            project = load_project(self.root, scan=scan_project(self.root, allow_empty=True))
        except ProjectError as error:
            log.warning("%s: %s", self.root, error)
            self.config_problem = Diagnostic(
                "SY001", Severity.ERROR, str(error), CONFIG_NAME, _START,
                hint="reqdsl.toml is ignored until this is fixed",
            )  # fmt: skip
            self._load_without_config()
        else:
            self.config, self.catalogs = project.config, project.catalogs
            self.files = self._files_of(project)
        self.files.update(kept)
        self.rebuild()

    def _files_of(self, project: Project) -> dict[str, FileState]:
        files: dict[str, FileState] = {}
        fill = getattr(project.parsed, "fill", None)
        if fill is not None:  # every tree at once, in parallel for a large project
            fill()
        syntax = project.found.get("SY001", [])
        for relpath, source in project.sources.items():
            parsed = project.parsed.get(relpath)
            known = {
                (problem.message, problem.span) for problem in (parsed.problems if parsed else [])
            }
            problems = [d for d in syntax if d.path == relpath and (d.message, d.span) not in known]
            files[relpath] = FileState(relpath, source, parsed, problems)
        return files

    def _load_without_config(self) -> None:
        try:
            self.config = load_config(self.root)
        except ConfigError:
            self.config = Config(root=self.root)
        self.catalogs = dict(builtin_catalogs())
        for scheme, path in self.config.catalogs.items():
            try:
                self.catalogs[scheme] = load_tsv_catalog(scheme, path)
            except CatalogError as error:
                log.warning("catalogue %s: %s", scheme, error)
        self.files = {
            relpath: read_file(self.root, relpath, path)
            for relpath, path in discover(self.root, self.config)
        }

    # ------------------------------------------------------------------ editing
    def relpath(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def set_text(self, relpath: str, text: str, path: Path | None) -> None:
        """An open document's text changed: re-parse it (and only it)."""
        self.open.add(relpath)
        self.files[relpath] = parsed_state(relpath, normalise_text(text), path)

    def close(self, relpath: str) -> None:
        """The editor closed the document: back to the text on disk (if any)."""
        self.open.discard(relpath)
        self.reread(relpath)

    def reread(self, relpath: str) -> None:
        """A file changed on disk (or was created or deleted)."""
        if relpath in self.open:
            return
        path = self.root / relpath
        if path.is_file():
            self.files[relpath] = read_file(self.root, relpath, path)
        else:
            self.files.pop(relpath, None)

    def rebuild(self) -> list[Diagnostic]:
        """Rebuild the model and run the checks; returns every diagnostic."""
        for relpath in set(self.bound) - set(self.files):
            del self.bound[relpath]
        self.project = build_project(self.root, self.config, self.catalogs, self.files, self.bound)
        diagnostics, withheld = withhold_syntax_caused(self.project, run_checks(self.project))
        if withheld:
            diagnostics = [_note_withheld(d, withheld) for d in diagnostics]
        if self.config_problem is not None:
            diagnostics.append(self.config_problem)
        by_path: dict[str, list[Diagnostic]] = {relpath: [] for relpath in self.files}
        for diagnostic in diagnostics:
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
        self.diagnostics = by_path
        return diagnostics

    def text_of(self, relpath: str) -> str:
        """The text a diagnostic of `relpath` refers to (reqdsl.toml included)."""
        state = self.files.get(relpath)
        if state is not None:
            return state.source.text
        if relpath == CONFIG_NAME and self.config.source is not None:
            return self.config.source.text
        try:
            return normalise_text((self.root / relpath).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return ""


def _note_withheld(diagnostic: Diagnostic, withheld: int) -> Diagnostic:
    """An editor shows no summary line: each syntax error says what it withholds (a copy;
    a file's load problems are kept from one rebuild to the next)."""
    if diagnostic.code != "SY001":
        return diagnostic
    plural = "s" if withheld > 1 else ""
    note = f"{withheld} finding{plural} withheld until the syntax errors are fixed"
    hint = f"{diagnostic.hint}; {note}" if diagnostic.hint else note
    return replace(diagnostic, hint=hint)


def find_root(path: Path, folders: list[Path]) -> Path:
    """The project a file belongs to: the nearest folder above it holding reqdsl.toml
    (not above its repository's root, as the CLI: reqdsl.model.locate), else the
    workspace folder holding it, else its own folder."""
    from ..model.locate import nearest_config

    folder = path.parent
    found = nearest_config(folder)
    if found is not None:
        return found
    holding = [f for f in folders if f == folder or f in folder.parents]
    if holding:
        return max(holding, key=lambda f: len(f.parts))
    return folder
