"""Where reqdsl keeps its caches: in the user's own cache folder, never in a project.

A project folder often comes from someone else (a pull request, a supplier's archive), and
everything in it, a `.reqdsl_cache/` folder included, is theirs to choose: a symbolic link
committed there would lead reqdsl's cache writes and clean-ups anywhere on the machine.
So every cache (parsed files, the last check result, rendered diagrams, the MkDocs
sources of a site) lives under the user's cache folder (platformdirs: `$XDG_CACHE_HOME/
reqdsl` on Linux), one folder per project named by a hash of the project's absolute
path. Nothing in the project is read as a cache, so nothing planted there is ever used,
and a build of a read-only checkout writes nothing into it.

Every entry is named, read and written by one module, reqdsl/util/cache.py.
`reqdsl cache clean` deletes it all; the per-user HMAC key (reqdsl/util/integrity.py)
lives beside the projects' folders and still seals every entry, since another program of
the same user could write there too.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

PROJECTS = "projects"


def user_cache_dir() -> Path:
    """reqdsl's folder in the user's cache folder (`$XDG_CACHE_HOME/reqdsl` on Linux)."""
    return Path(platformdirs.user_cache_dir("reqdsl", appauthor=False))


def project_key(root: Path) -> str:
    """A project's name in the cache: a hash of its absolute, resolved path."""
    return hashlib.blake2b(
        str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=12
    ).hexdigest()


def project_cache_dir(root: Path) -> Path:
    """The cache folder of the project at `root` (not created here)."""
    return user_cache_dir() / PROJECTS / project_key(root)


def ensure_private_dir(folder: Path) -> Path:
    """Create `folder` (and its parents) for this user only (mode 0700 for what is made
    here); returns it. Raises OSError when that is impossible."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing.append(candidate)
    # Each folder made here is private (mkdir(parents=True) would give the parents the
    # umask's mode, and cache entries hold the text of the user's projects).
    for candidate in reversed(missing):
        candidate.mkdir(exist_ok=True, mode=0o700)
    if folder.is_symlink() or not folder.is_dir():
        raise NotADirectoryError(str(folder))
    return folder


# Areas of the one cache (reqdsl/util/cache.py) shared by every project: compiled
# templates, the grammar's parse tables, and what older versions kept beside them.
SHARED_AREAS = ("templates", "grammar")


def clean_all() -> int:
    """Delete every project's cache and the shared areas (`reqdsl cache clean`); the key
    stays. Returns how many project folders went."""
    import shutil

    top = user_cache_dir()
    for name in SHARED_AREAS:
        area = top / name
        if area.is_symlink():
            os.unlink(area)
        elif area.is_dir():
            shutil.rmtree(area, ignore_errors=True)
    folder = top / PROJECTS
    if not folder.is_dir() or folder.is_symlink():
        return 0
    count = 0
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            count += 1
        elif entry.is_symlink() or entry.is_file():
            os.unlink(entry)
    return count
