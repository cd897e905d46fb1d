"""The one cache: every entry reqdsl keeps between runs is named, read and written here.

Where: the user's cache folder (reqdsl/util/cache_dirs.py), one folder per project
(check result, parsed files, rendered diagrams, the site's sources) and a few shared by
every project (compiled templates, the grammar's parse tables). Never in a project: what
a checkout holds is its author's to choose.

Keys: one function, `CacheArea.key`, names every entry. It folds in the code salt
(reqdsl's version and the digest of its own code and shipped grammar and templates,
reqdsl.resources.code_digest), the area's owner (the project's key, or "user"), the
area's name and the entry's own inputs. A development checkout changes without changing
its version: a rule added there, or a binder or renderer changed, changes every key, and
the next run computes afresh instead of answering from an older code's entry.

Format: bytes that cannot run code. Entries are JSON, msgpack (msgspec) or plain text
(an SVG); nothing is ever unpickled, so a planted file could at worst be read as a wrong
value, and the seal rules that out too. The one exception is what Jinja keeps of a
compiled template: marshalled code by nature, loaded only when its seal verifies.

One read path and one write path: a read opens the entry without following a link
(nofollow.Folder), takes at most `limit` bytes of a regular file, and returns the payload
only if its HMAC seal (util/integrity.py, a per-user key) verifies; a write seals, then
writes a temporary file renamed over the entry, never through a link. Any failure is a
miss: the cache can make reqdsl faster, never wrong, and a disabled or unusable cache
(`--no-cache`, no key, a read-only cache folder) only costs time. Nothing is written
into the project.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path

from .cache_dirs import ensure_private_dir, project_cache_dir, project_key, user_cache_dir
from .integrity import caching_possible, seal, sealer, unseal
from .nofollow import Folder, plain_name

# The most one entry may take: far above any real one (a parsed 64 MB file), and a bound
# on the memory a planted or damaged entry can cost.
MAX_ENTRY_BYTES = 512 * 1024 * 1024


@functools.cache
def code_salt() -> str:
    """reqdsl's version and the digest of its code and shipped files: part of every key."""
    from .. import __version__
    from ..resources import code_digest

    return hashlib.blake2b(f"{__version__}\0{code_digest()}".encode(), digest_size=16).hexdigest()


class CacheArea:
    """One folder of cache entries (`parse`, `diagrams`, ...) of a project or of the user.

    Holds no open file: a parse cache is handed to worker processes."""

    def __init__(self, folder: Path, owner: str, area: str, *, enabled: bool = True) -> None:
        self.folder = folder
        self.owner = owner
        self.area = area
        self.enabled = enabled and caching_possible()

    @classmethod
    def of_project(cls, root: Path, area: str, *, enabled: bool = True) -> CacheArea:
        """The area `area` of the project at `root` (`<user cache>/projects/<key>/area`)."""
        return cls(project_cache_dir(root) / area, project_key(root), area, enabled=enabled)

    @classmethod
    def of_user(cls, area: str, *, enabled: bool = True) -> CacheArea:
        """An area shared by every project of this user (`<user cache>/area`)."""
        return cls(user_cache_dir() / area, "user", area, enabled=enabled)

    def key(self, *parts: str | bytes) -> str:
        """The name of the entry made from `parts`: code salt + owner + area + inputs."""
        digest = hashlib.blake2b(digest_size=20)
        for part in (code_salt(), self.owner, self.area, *parts):
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))  # no two part lists collide
            digest.update(data)
        return digest.hexdigest()

    def read(self, name: str, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
        """The payload of entry `name` if this user's reqdsl wrote it, else None."""
        if not self.enabled or not plain_name(name):
            return None
        try:
            with Folder(self.folder, create=False) as folder:
                sealed = folder.read(name, limit)
        except OSError:  # no folder yet, or the folder is a link
            return None
        return unseal(sealed) if sealed is not None else None

    def write(self, name: str, payload: bytes) -> bool:
        """Seal `payload` and write it as entry `name`, atomically; False if not kept."""
        return self.write_pieces(name, [payload])

    def write_pieces(self, name: str, pieces: Iterable[bytes]) -> bool:
        """`write` of a payload made in pieces, each written as it comes (the whole
        payload is never held: a check result of 170,000 diagnostics is 50 MB); the
        same entry as `write` of the pieces joined."""
        if not self.enabled or not plain_name(name):
            return False
        mac = sealer()
        if mac is None:
            return False
        try:
            ensure_private_dir(self.folder)
            with Folder(self.folder, create=False) as folder:
                folder.write_sealed(name, pieces, mac)
        except OSError:  # a read-only or full cache folder: compute again next time
            return False
        return True

    def pack(self, payload: bytes) -> bytes | None:
        """The sealed bytes of an entry that another atomic, link-refusing writer puts in
        place (the site writer writes the page record with the site's sources)."""
        return seal(payload) if self.enabled else None

    def keep_only(self, names: Iterable[str]) -> int:
        """Delete every entry but `names` (entries of changed files, of older code);
        returns how many went. Links and folders in the area are removed, never followed."""
        if not self.enabled:
            return 0
        wanted = set(names)
        removed = 0
        try:
            with Folder(self.folder, create=False) as folder:
                for entry in list(self.folder.iterdir()):
                    if entry.name in wanted:
                        continue
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                        removed += 1
                    elif folder.remove(entry.name) or _unlink_link(entry):
                        removed += 1
        except OSError:
            return removed
        return removed


def _unlink_link(path: Path) -> bool:
    if not path.is_symlink():
        return False
    with contextlib.suppress(OSError):
        path.unlink()
        return True
    return False
