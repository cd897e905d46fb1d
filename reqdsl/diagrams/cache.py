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


class SvgCache:
    """Keyed SVGs in a cache area (a project's `diagrams` area); a cache without an area
    holds nothing."""

    def __init__(self, area: CacheArea | None) -> None:
        self.area = area

    @classmethod
    def for_project(cls, root: Path, *, enabled: bool = True) -> SvgCache:
        return cls(CacheArea.of_project(root, SUBDIR) if enabled else None)

    def key(self, text: str, renderer_version: str) -> str:
        area = self.area or CacheArea.of_user(SUBDIR, enabled=False)  # the same salted key
        return area.key(renderer_version, text)

    def get(self, key: str) -> str | None:
        if self.area is None:
            return None
        payload = self.area.read(key + SUFFIX, _MAX_SVG)
        try:
            return payload.decode("utf-8") if payload is not None else None
        except UnicodeDecodeError:
            return None

    def put(self, key: str, svg: str) -> None:
        if self.area is not None:
            self.area.write(key + SUFFIX, svg.encode("utf-8"))

    def prune(self, keep: set[str]) -> int:
        """Remove entries other than `keep`; returns how many went."""
        if self.area is None or not self.area.folder.is_dir():
            return 0
        return self.area.keep_only(key + SUFFIX for key in keep)
