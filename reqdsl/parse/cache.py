"""The parse cache: one entry per source file, holding the file parsed and bound
(reqdsl.model.loaded), as msgpack (reqdsl.model.cached), never a pickle.

An entry is named by the one cache's key (reqdsl/util/cache.py: reqdsl's code salt, the
project, and the file's path, bytes and the custom fields it was bound with), so an
upgrade or a change of reqdsl's code in a checkout never reads an older code's entry.
One entry per file lets parallel workers write their own (nothing is sent back to the
parent twice) and an edit rewrite one. A missing, unreadable, unsealed or malformed entry
is a miss and the file is parsed again: the cache can make reqdsl faster, never wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import i18n
from ..util.cache import CacheArea

if TYPE_CHECKING:
    from ..model.loaded import LoadedFile

AREA = "parse"
SUFFIX = ".msgpack"


class ParseCache:
    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.area = CacheArea.of_project(root, AREA, enabled=enabled)
        self.enabled = self.area.enabled

    def _name(self, relpath: str, key: str) -> str:
        # The language too: an entry holds the file's diagnostics, in that language.
        return self.area.key(relpath, key, i18n.current()) + SUFFIX

    def entry_path(self, relpath: str, key: str) -> Path:
        """Where the entry of this file and key lies."""
        return self.area.folder / self._name(relpath, key)

    def has(self, relpath: str, key: str) -> bool:
        """Whether an entry of this file and key lies in the cache (not whether it is
        readable: `get` says that)."""
        return self.enabled and self.entry_path(relpath, key).is_file()

    def get(self, relpath: str, key: str) -> LoadedFile | None:
        payload = self.area.read(self._name(relpath, key))
        if payload is None:
            return None
        from ..model.cached import decode

        try:
            loaded = decode(payload)
        except Exception:  # written by a reqdsl whose schema differed: parse again
            return None
        return loaded if loaded.relpath == relpath else None

    def put(self, relpath: str, key: str, parsed: LoadedFile) -> None:
        """Write one entry atomically; an entry that cannot be written costs a parse."""
        if not self.enabled:
            return
        from ..model.cached import encode

        try:
            payload = encode(parsed)
        except (TypeError, ValueError, RecursionError):  # not representable: no entry
            return
        self.area.write(self._name(relpath, key), payload)

    def keep_only(self, entries: set[tuple[str, str]]) -> None:
        """Remove the entries of files that changed or went, or of other code."""
        if not self.enabled:
            return
        self.area.keep_only(self._name(relpath, key) for relpath, key in entries)
