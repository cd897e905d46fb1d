"""Writing files without ever leaving half a file behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class ReadRefused(OSError):
    """A file reqdsl will not read: too large, not a regular file, or a symbolic link."""


def read_bounded(path: Path, limit: int, *, follow_symlinks: bool = False) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes, else ReadRefused (an
    OSError, so callers that tolerate unreadable files tolerate these too).

    For files reqdsl did not write itself: a symbolic link to `/dev/zero`, a FIFO or a
    gigabyte file must cost a refusal, never all the memory (open with O_NONBLOCK so a
    FIFO does not block, O_NOFOLLOW so a link is not followed)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ReadRefused(errno.ELOOP, "it is a symbolic link", str(path)) from error
        raise
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(errno.EINVAL, "it is not a regular file", str(path))
        if info.st_size > limit:
            raise ReadRefused(errno.EFBIG, f"it is larger than {limit:,} bytes", str(path))
        data = stream.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise ReadRefused(errno.EFBIG, f"it is larger than {limit:,} bytes", str(path))
    return data
