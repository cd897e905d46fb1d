"""The SVG cache: one entry per rendered diagram in the project's `diagrams` area of the
one cache (reqdsl/util/cache.py: in the user's cache folder, never in the project), named
by the one cache's key over the renderer version (jar, fonts, command line) and the
PlantUML text, with reqdsl's code salt folded in: an unchanged diagram is never rendered
twice, and an upgrade or a change of reqdsl's code never serves a stale one.

Like the parse cache, it can make a build faster, never wrong: an unreadable or unsealed
entry is a miss (an SVG planted there would reach the site as is), and a failed write
only costs a render next time.
"""

from __future__ import annotations

from pathlib import Path

from ..util.cache import CacheArea

SUBDIR = "diagrams"
SUFFIX = ".svg"
_MAX_SVG = 64 * 1024 * 1024


def cache_dir(root: Path) -> Path:
    """Where a project keeps its rendered diagrams."""
    return CacheArea.of_project(root, SUBDIR).folder


def cache_key(text: str, renderer_version: str, root: Path | None = None) -> str:
    """The entry name (without suffix) of `text` rendered by `renderer_version`."""
    return SvgCache(cache_dir(root) if root is not None else None).key(text, renderer_version)


class SvgCache:
    """Keyed SVGs in a folder (a project's `diagrams` area); a cache without a folder
    holds nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        # The owner of `<user cache>/projects/<project key>/diagrams` is that project.
        owner = folder.parent.name if folder is not None else "none"
        self.area = CacheArea(folder or Path(), owner, SUBDIR, enabled=folder is not None)

    def key(self, text: str, renderer_version: str) -> str:
        return self.area.key(renderer_version, text)

    def get(self, key: str) -> str | None:
        payload = self.area.read(key + SUFFIX, _MAX_SVG)
        try:
            return payload.decode("utf-8") if payload is not None else None
        except UnicodeDecodeError:
            return None

    def put(self, key: str, svg: str) -> None:
        self.area.write(key + SUFFIX, svg.encode("utf-8"))

    def prune(self, keep: set[str]) -> int:
        """Remove entries other than `keep`; returns how many went."""
        if not self.area.folder.is_dir():
            return 0
        return self.area.keep_only(key + SUFFIX for key in keep)
