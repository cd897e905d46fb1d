"""The language server's projects: sessions of the one pipeline (reqdsl.pipeline), kept
file at a time.

A project is read once (`Session.open_files`); after that an edit re-parses only the
edited document and `recheck` re-binds only the files whose syntax tree changed. Open
documents take their text from the editor (overlays), every other file from disk, read
as `reqdsl check` reads it. What is added here is the editor's view of the result:
diagnostics by file, each syntax error saying what it withholds, and the text a
diagnostic's position refers to.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..model.config import CONFIG_NAME
from ..pipeline import FileState, Session
from ..source import normalise_text

if TYPE_CHECKING:
    from ..model.project import Project

log = logging.getLogger(__name__)

__all__ = ["FileState", "ProjectState", "find_root"]


class ProjectState(Session):
    """One project folder as the server sees it: a tolerant session (a broken
    reqdsl.toml is a diagnostic on it) that reads the project through the parse cache
    (a warm cache answers the first request without parsing; trees are parsed when a
    request needs one)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, use_cache=True, allow_empty=True, tolerant=True)
        self.diagnostics: dict[str, list[Diagnostic]] = {}

    def load(self) -> Project:
        """(Re)load every file from disk and check; open documents keep the editor's
        text. Returns the model, as Session.load does."""
        self.open_files()
        if self.config_problem is not None:
            log.warning("%s: %s", self.root, self.config_problem.message)
        self.rebuild()
        return self.project

    def relpath(self, path: Path) -> str:
        """A document's path in the project, as a scan names it: its folder resolved, not
        the file itself (a `.req` link keeps its own name)."""
        try:
            return (path.parent.resolve() / path.name).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def rebuild(self) -> list[Diagnostic]:
        """Rebuild the model and run the checks; returns every diagnostic."""
        checked = self.recheck()
        diagnostics = checked.diagnostics
        if checked.withheld:
            diagnostics = [
                d if d is self.config_problem else _note_withheld(d, checked.withheld)
                for d in diagnostics
            ]
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
