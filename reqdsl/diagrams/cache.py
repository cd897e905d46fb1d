"""The SVG cache: one file per rendered diagram in the project's folder of the user's cache
(`diagrams/`, reqdsl/util/cache_dirs.py; never in the project), named by a
hash of the PlantUML text and the renderer version (jar, fonts, command line), so an
unchanged diagram is never rendered twice and an upgrade never serves a stale one.

Like the parse cache, it can make a build faster, never wrong: an unreadable entry is a
miss, and a failed write only costs a render next time.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from ..util.cache_dirs import project_cache_dir
from ..util.files import write_atomic
from ..util.integrity import seal, unseal

SUBDIR = "diagrams"
SUFFIX = ".svg"


def cache_dir(root: Path) -> Path:
    """Where a project keeps its rendered diagrams."""
    return project_cache_dir(root) / SUBDIR


def cache_key(text: str, renderer_version: str) -> str:
    digest = hashlib.sha256(renderer_version.encode())
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class SvgCache:
    """Keyed SVGs in a folder; a cache without a folder holds nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path | None:
        return self.folder / (key + SUFFIX) if self.folder is not None else None

    def get(self, key: str) -> str | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            payload = unseal(path.read_bytes())
            # An SVG planted in the repository's cache would reach the site as is: only
            # entries sealed with this user's key are used (reqdsl/util/integrity.py).
            return payload.decode("utf-8") if payload is not None else None
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, svg: str) -> None:
        path = self._path(key)
        if path is None:
            return
        sealed = seal(svg.encode("utf-8"))
        if sealed is None:
            return
        with contextlib.suppress(OSError):  # a read-only project: render again next time
            write_atomic(path, sealed)

    def prune(self, keep: set[str]) -> int:
        """Remove entries other than `keep`; returns how many went."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*" + SUFFIX):
            if path.stem not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed
