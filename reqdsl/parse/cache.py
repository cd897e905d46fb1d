"""The parse cache: one pickled, bound file per source file (reqdsl.model.loaded), named
by a hash of the file's path, its bytes and the custom fields it was bound with.

The cache lives in the project's folder of the user's cache (reqdsl/util/cache_dirs.py),
never in the project itself, in a folder named after reqdsl's version, grammar and the
code that parses and binds (a development checkout changes without changing its
version), so an upgrade never reads stale entries. One file per source file lets
parallel workers write their own entries (no second pickling in the parent) and an edit
rewrite one entry. A missing, unreadable or corrupt entry is ignored and the file parsed
again: the cache can make reqdsl faster, never wrong. Entries are sealed with a per-user
key (reqdsl/util/integrity.py): a file planted there by another program is never
unpickled.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..resources import grammar_path
from ..util.cache_dirs import ensure_private_dir, project_cache_dir
from ..util.integrity import caching_possible, seal, unseal

if TYPE_CHECKING:
    from ..model.loaded import LoadedFile


@functools.cache
def _salt() -> str:
    digest = hashlib.blake2b(digest_size=8)
    digest.update(__version__.encode())
    digest.update(grammar_path().read_bytes())
    package = Path(__file__).resolve().parents[1]
    for folder in ("parse", "model"):
        for path in sorted((package / folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class ParseCache:
    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = project_cache_dir(root)
        self.enabled = enabled and caching_possible()
        self.folder = self.root / f"parse-{_salt()}" if enabled else self.root

    def _entry(self, relpath: str, key: str) -> Path:
        name = hashlib.blake2b(f"{relpath}\0{key}".encode(), digest_size=16).hexdigest()
        return self.folder / f"{name}.pickle"

    def get(self, relpath: str, key: str) -> LoadedFile | None:
        if not self.enabled:
            return None
        try:
            payload = unseal(self._entry(relpath, key).read_bytes())
            if payload is None:  # not written by this user's reqdsl: never unpickle it
                return None
            loaded = pickle.loads(payload)
        except Exception:  # missing, truncated, from another Python: parse again
            return None
        from ..model.loaded import LoadedFile

        return loaded if isinstance(loaded, LoadedFile) and loaded.relpath == relpath else None

    def put(self, relpath: str, key: str, parsed: LoadedFile) -> None:
        """Write one entry atomically; a read-only project just goes without a cache."""
        if not self.enabled:
            return
        try:
            self._prepare()
            sealed = seal(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
            if sealed is None:
                return
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".entry-", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(sealed)
            os.replace(temp, self._entry(relpath, key))
        except OSError:
            return

    def _prepare(self) -> None:
        if not self.folder.is_dir():
            ensure_private_dir(self.folder)

    def keep_only(self, entries: set[tuple[str, str]]) -> None:
        """Remove entries of files that changed or went, and caches of other versions."""
        if not self.enabled or not self.root.is_dir():
            return
        wanted = {self._entry(relpath, key).name for relpath, key in entries}
        try:
            for child in self.root.iterdir():
                if child.is_dir() and child.name.startswith("parse-") and child != self.folder:
                    shutil.rmtree(child, ignore_errors=True)
            if self.folder.is_dir():
                for entry in self.folder.iterdir():
                    if entry.suffix == ".pickle" and entry.name not in wanted:
                        entry.unlink(missing_ok=True)
        except OSError:
            return
