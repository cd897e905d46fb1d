"""A project as it was at a git revision: `git archive` of the project's folder into a
temporary folder (nothing in the work tree or the repository is touched).

`baseline_diff` is what `reqdsl build --baseline REV` calls: the project at REV against
the project as it is now.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .diff import ProjectDiff, diff_projects

if TYPE_CHECKING:
    from ..model.project import Project


class RevisionError(Exception):
    """The revision cannot be read (not a git repository, unknown revision)."""


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"cannot run git: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def split_range(text: str) -> tuple[str, str | None]:
    """`A..B` -> (A, B); `A..` or `A` -> (A, None): None is the work tree."""
    old, dots, new = text.partition("..")
    if not old or old.startswith("-") or new.startswith("-"):
        raise RevisionError(f"`{text}` is not a revision range; write REV1..REV2 or REV")
    return old, (new or None) if dots else None


def resolve_commit(project: Path, revision: str) -> str:
    """The full commit ID `revision` names in the project's repository."""
    if revision.startswith("-"):
        raise RevisionError(f"`{revision}` is not a revision")
    folder = project.resolve()
    found = _git(folder, "rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}")
    return found.decode().strip()


@contextlib.contextmanager
def checkout(project: Path, revision: str) -> Iterator[Path]:
    """The project folder as it was at `revision`, in a temporary folder."""
    folder = project.resolve()
    commit = resolve_commit(project, revision).encode()
    # Run from the project folder, `git archive` holds that folder only, paths relative
    # to it (empty when the folder did not exist at that revision).
    data = _git(folder, "archive", "--format=tar", commit.decode().strip())
    with tempfile.TemporaryDirectory(prefix="reqdsl-rev-") as temp:
        root = Path(temp)
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(root, filter=_inside_only)
        yield root


def _inside_only(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's `data` filter, except that a member it refuses (a link to an absolute
    path or out of the folder, a device) is left out instead of failing the whole
    revision: a repository may hold such a link, and reqdsl would never read through it
    (scan_project does not read a `.req` link that leads out of the project)."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def load_revision(project: Path, revision: str) -> Project:
    from ..pipeline import Session

    with checkout(project, revision) as folder:  # allow_empty: before the first .req
        return Session(folder, use_cache=False, allow_empty=True).load()


def baseline_diff(
    project_path: Path, revision: str, current: Project | None = None, *, use_cache: bool = True
) -> ProjectDiff:
    """The project at `revision` against `current` (loaded from `project_path` if not
    given); raises RevisionError."""
    from ..pipeline import Session

    old = load_revision(project_path, revision)
    new = current if current is not None else Session(project_path, use_cache=use_cache).load()
    return diff_projects(old, new, revision, "the work tree")
