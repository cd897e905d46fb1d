"""Which project a path given on the command line belongs to.

Like ruff and black, reqdsl walks up from the path to the nearest folder holding
reqdsl.toml, stopping at a repository's root (a folder holding `.git` or `.hg`): `reqdsl
check docs/srs` inside a project checks that project, with its settings, and `reqdsl
check srs.req` checks the project holding the file and shows that file's diagnostics. A
path under no reqdsl.toml is its own project (a folder) or its folder's (a file). The
language server finds a document's project the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_NAME

_REPOSITORY_MARKERS = (".git", ".hg")


@dataclass(frozen=True)
class Located:
    root: Path  # the project folder
    file: str | None = None  # a `.req` file given on the command line, relative to root


class NotAProject(Exception):
    """The path cannot name a project; the message says what is expected."""


def nearest_config(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding reqdsl.toml, not above the
    repository root."""
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
        if any((candidate / marker).exists() for marker in _REPOSITORY_MARKERS):
            return None
    return None


def locate_project(path: Path, *, allow_file: bool = True) -> Located:
    """The project `path` belongs to (see the module docstring). Raises NotAProject for a
    path that does not exist, or a file where a folder is needed."""
    if path.is_dir():
        folder = path.absolute()
        found = nearest_config(folder)
        return Located(_relative_like(path, found) if found is not None else path)
    if not path.exists():
        raise NotAProject(f"`{path}` does not exist")
    if not allow_file or path.suffix != ".req":
        what = "a .req file" if path.suffix == ".req" else "a file"
        raise NotAProject(
            f"`{path}` is {what}; give the project folder (the one holding reqdsl.toml)"
        )
    folder = path.absolute().parent
    found = nearest_config(folder)
    root = found if found is not None else folder
    relpath = path.absolute().relative_to(root).as_posix()
    shown_root = _relative_like(path.parent, root)
    return Located(shown_root, relpath)


def _relative_like(given: Path, found: Path) -> Path:
    """`found` written as the user wrote `given` (relative stays relative), so that
    messages and reports keep the paths the user typed."""
    if given.is_absolute():
        return found
    try:
        return Path(found.relative_to(Path.cwd())) if found != Path.cwd() else Path(".")
    except ValueError:
        return found
