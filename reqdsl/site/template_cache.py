"""A cache of compiled Jinja templates (Material's) between builds.

MkDocs compiles the theme's templates afresh in every build: about 0.4 s of a small or
incremental build. Jinja can keep the compiled code, but loading it means unmarshalling
code objects, so it goes through the one cache (reqdsl/util/cache.py): the `templates`
area of the user's own cache folder (shared by every project, never in a project a pull
request could write to), each entry named by the one cache's key (reqdsl's code salt and
Jinja's bucket key) and sealed with the user's key: an entry that does not verify is
ignored and the template compiled again. Jinja itself checks its bytecode version and
the template source's hash.
"""

from __future__ import annotations

from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from ..util.cache import CacheArea

AREA = "templates"


def template_cache_dir() -> Path:
    return CacheArea.of_user(AREA).folder


class SealedBytecodeCache(BytecodeCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.area = CacheArea(folder, "user", AREA)

    def _name(self, bucket: Bucket) -> str:
        return self.area.key(bucket.key) + ".jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        payload = self.area.read(self._name(bucket))
        if payload is not None:
            bucket.bytecode_from_string(payload)  # checks Jinja's magic and the source hash

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.area.write(self._name(bucket), bucket.bytecode_to_string())
