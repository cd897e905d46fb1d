"""A cache of compiled Jinja templates (Material's) between builds.

MkDocs compiles the theme's templates afresh in every build: about 0.4 s of a small or
incremental build. Jinja can keep the compiled code, but loading it means unmarshalling
code objects, so the cache lives in the user's own cache folder (beside the key of
reqdsl.util.integrity, never in a project a pull request could write to) and every entry
is sealed with that key: an entry that does not verify is ignored and compiled again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from ..util.cache_dirs import user_cache_dir
from ..util.files import write_atomic
from ..util.integrity import seal, unseal


def template_cache_dir() -> Path:
    return user_cache_dir() / "templates"


class SealedBytecodeCache(BytecodeCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            sealed = self._path(bucket).read_bytes()
        except OSError:
            return
        payload = unseal(sealed)
        if payload is not None:
            bucket.bytecode_from_string(payload)  # checks Jinja's magic and the source hash

    def dump_bytecode(self, bucket: Bucket) -> None:
        sealed = seal(bucket.bytecode_to_string())
        if sealed is None:
            return
        with contextlib.suppress(OSError):  # a read-only cache folder costs compile time
            write_atomic(self._path(bucket), sealed)
