"""Writing generated files into a folder: only what changed, atomically, and removing
everything else.

A file is rewritten only when its bytes on disk differ from the new content (reading is
cheaper than writing, and unchanged files keep their modification times). The folder is
reqdsl's own (`site/<key>` in the project's folder of the user's cache) and what it holds
is published by MkDocs, so it trusts nothing it did not just compare or write: there is no
manifest to forge, any file this run does not produce is deleted (a page planted there by
another program would otherwise be published), and so is every symbolic link
(reqdsl writes none; one could lead a write, or MkDocs, out of the folder).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..util.files import write_atomic


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    hashes: dict[str, str] = field(default_factory=dict)  # path -> content hash

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)

    @property
    def digest(self) -> str:
        """Of every file's path and hash: equal digests, equal trees."""
        return tree_digest(self.hashes)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def tree_digest(hashes: dict[str, str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(hashes):
        digest.update(f"{path}\0{hashes[path]}\n".encode())
    return digest.hexdigest()


def _safe(relpath: str) -> bool:
    path = PurePosixPath(relpath)
    return bool(path.parts) and not path.is_absolute() and ".." not in path.parts


def write_tree(folder: Path, files: dict[str, str | bytes]) -> WriteReport:
    """Make `folder` hold exactly `files` ({relative path: content}); see the module
    docstring."""
    report = WriteReport()
    for relpath in files:
        if not _safe(relpath):
            raise ValueError(f"refusing to write outside the folder: `{relpath}`")
    for relpath, is_link in sorted(_on_disk(folder)):
        if relpath in files and not is_link:
            continue
        path = folder / relpath
        path.unlink(missing_ok=True)
        if relpath not in files:
            report.removed.append(relpath)
        _remove_empty_parents(folder, path.parent)
    hashes: dict[str, str] = {}
    for relpath, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        hashes[relpath] = content_hash(data)
        path = folder / relpath
        if _holds(path, data):
            report.unchanged += 1
            continue
        write_atomic(path, data)
        report.written.append(relpath)
    report.hashes = hashes
    return report


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _on_disk(folder: Path) -> list[tuple[str, bool]]:
    """Every file and symbolic link under `folder` (links not followed): (relative POSIX
    path, is a link)."""
    found = []
    for directory, folders, names in os.walk(folder):
        base = Path(directory)
        for name in names + [f for f in folders if (base / f).is_symlink()]:
            path = base / name
            found.append((path.relative_to(folder).as_posix(), path.is_symlink()))
    return found


def _remove_empty_parents(folder: Path, directory: Path) -> None:
    root = folder.resolve()
    while directory.resolve() != root and root in directory.resolve().parents:
        try:
            directory.rmdir()  # only when empty
        except OSError:
            return
        directory = directory.parent
