"""Writing generated files into a folder: only what changed, atomically, and removing what
is no longer produced.

A manifest (`.reqdsl-manifest.json`) in the folder records each file's content hash, so
deciding what changed costs one hash per file and no read. A file is rewritten when its
hash differs from the manifest's or when it is missing on disk (someone deleted it); a
file the manifest lists and this run does not produce is removed. Files the manifest
does not list are never touched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..util.files import write_atomic

MANIFEST = ".reqdsl-manifest.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    digest: str = ""  # of every file's path and hash: equal digests, equal trees
    hashes: dict[str, str] = field(default_factory=dict)  # path -> content hash

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


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


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and _safe(k)}


def write_tree(folder: Path, files: dict[str, str | bytes]) -> WriteReport:
    """Make `folder` hold `files` ({relative path: content}); see the module docstring."""
    report = WriteReport()
    previous = _read_manifest(folder)
    hashes: dict[str, str] = {}
    for relpath, content in files.items():
        if not _safe(relpath):
            raise ValueError(f"refusing to write outside the folder: `{relpath}`")
        data = content.encode("utf-8") if isinstance(content, str) else content
        hashes[relpath] = digest = content_hash(data)
        path = folder / relpath
        if previous.get(relpath) == digest and path.is_file():
            report.unchanged += 1
            continue
        write_atomic(path, data)
        report.written.append(relpath)
    for relpath in sorted(set(previous) - set(hashes)):
        path = folder / relpath
        if path.is_file():
            path.unlink()
        report.removed.append(relpath)
        _remove_empty_parents(folder, path.parent)
    if report.changed or previous != hashes:
        write_atomic(folder / MANIFEST, json.dumps(hashes, indent=0, sort_keys=True) + "\n")
    report.digest = tree_digest(hashes)
    report.hashes = hashes
    return report


def _remove_empty_parents(folder: Path, directory: Path) -> None:
    root = folder.resolve()
    while directory.resolve() != root and root in directory.resolve().parents:
        try:
            directory.rmdir()  # only when empty
        except OSError:
            return
        directory = directory.parent
