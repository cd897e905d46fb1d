"""Writing files without ever leaving half a file behind; reading files reqdsl did not
write within bounds."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`. `text` may
    come in pieces (strings), each encoded and written as it comes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(text, bytes):
                stream.write(text)
            else:
                for piece in (text,) if isinstance(text, str) else text:
                    stream.write(piece.encode("utf-8"))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class ReadRefused(OSError):
    """A file reqdsl will not read: too large, not a regular file, or a symbolic link."""


# The most reqdsl reads of one input file it did not write (an imported item, a ReqIF
# file): far above any real one, and a bound on the memory a planted file can take.
MAX_INPUT_BYTES = 64 * 1024 * 1024


def read_bounded(path: Path, limit: int = MAX_INPUT_BYTES, *, follow_links: bool = False) -> bytes:
    """The bytes of the regular file `path`, else ReadRefused (an OSError, so callers that
    tolerate unreadable files tolerate these too) if it is larger than `limit`, is not a
    regular file (a FIFO would block, /dev/zero never end), or, unless `follow_links`, is
    a symbolic link (checked by the kernel when opening, so a link swapped in after a
    walk saw a file is not followed either)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ReadRefused(errno.ELOOP, "it is a symbolic link", str(path)) from error
        raise
    too_large = f"larger than {limit:,} bytes, the most reqdsl reads"
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise ReadRefused(errno.EINVAL, "not a regular file", str(path))
        if status.st_size > limit:
            raise ReadRefused(errno.EFBIG, too_large, str(path))
        data = read_upto(stream, status.st_size, limit)
    if len(data) > limit:  # grew while being read
        raise ReadRefused(errno.EFBIG, too_large, str(path))
    return data


def read_upto(stream: BinaryIO, size: int, limit: int) -> bytes:
    """The rest of `stream`, a file fstat says holds `size` bytes, but at most `limit` + 1
    bytes (more than `limit` means too large). read(n) allocates n bytes up front, so
    the bound is asked for only if the file grew after the fstat."""
    data = stream.read(size + 1)
    if len(data) > size:
        data += stream.read(limit + 1 - len(data))
    return data
