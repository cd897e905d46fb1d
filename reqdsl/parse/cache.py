"""The parse cache: syntax trees keyed by a hash of the file's bytes.

One pickle per project in `.reqdsl_cache/` (like `.ruff_cache`), holding
{relative path: (content hash, ParsedFile)}. The key also covers reqdsl's version and
the grammar, so an upgrade never reads stale trees. A missing, unreadable or corrupt
cache is ignored and rebuilt: the cache can make reqdsl faster, never wrong.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .. import __version__
from ..resources import grammar_path
from .syntax import ParsedFile

CACHE_DIR = ".reqdsl_cache"
_CACHE_FILE = "parse.pickle"


def _salt() -> str:
    return __version__ + hashlib.blake2b(grammar_path().read_bytes(), digest_size=16).hexdigest()


class ParseCache:
    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.folder = root / CACHE_DIR
        self.enabled = enabled
        self.entries: dict[str, tuple[str, ParsedFile]] = {}
        self.dirty = False
        self.salt = _salt() if enabled else ""
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            with open(self.folder / _CACHE_FILE, "rb") as stream:
                salt, entries = pickle.load(stream)
        except Exception:  # corrupt, truncated, from another version: start afresh
            return
        if salt == self.salt and isinstance(entries, dict):
            self.entries = entries

    def get(self, relpath: str, key: str) -> ParsedFile | None:
        entry = self.entries.get(relpath)
        if entry is not None and entry[0] == key:
            return entry[1]
        return None

    def put(self, relpath: str, key: str, parsed: ParsedFile) -> None:
        self.entries[relpath] = (key, parsed)
        self.dirty = True

    def keep_only(self, relpaths: set[str]) -> None:
        for relpath in list(self.entries):
            if relpath not in relpaths:
                del self.entries[relpath]
                self.dirty = True

    def save(self) -> None:
        """Write atomically; a read-only project just goes without a cache."""
        if not (self.enabled and self.dirty):
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by reqdsl\n*\n", encoding="utf-8")
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".parse-", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((self.salt, self.entries), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.folder / _CACHE_FILE)
        except OSError:
            return
