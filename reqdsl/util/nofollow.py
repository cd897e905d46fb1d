"""Reading, writing and deleting inside a folder without ever following a symbolic link.

A folder reqdsl writes into may lie in a checkout someone else prepared, where any name
may be a link (`sequence -> ~/thesis`). Every path below the folder is therefore opened
one component at a time, relative to its parent's file descriptor and with O_NOFOLLOW:
a link is met as a link and refused, never followed, even if one is swapped in between
two calls. (POSIX only: it needs `dir_fd` support, which Windows lacks.)
"""

from __future__ import annotations

import contextlib
import errno
import hmac
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .files import read_upto

_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_FILE = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class LinkRefused(OSError):
    """A path below the folder is a symbolic link (or not a folder where one is needed)."""


def plain_name(name: str) -> bool:
    """A single file or folder name: no separator, not `.` or `..`."""
    return name not in ("", ".", "..") and not any(char in name for char in "/\\\0")


def split(relpath: str) -> list[str]:
    """The components of a relative path made of plain names only; ValueError otherwise."""
    parts = relpath.split("/")
    if not all(plain_name(part) for part in parts) or PurePosixPath(relpath).is_absolute():
        raise ValueError(f"refusing the path `{relpath}`: not a plain relative path")
    return parts


class Folder:
    """An open folder (itself not a link); every method takes a path relative to it."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        if create:
            path.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            raise LinkRefused(errno.ELOOP, "it is a symbolic link; name its target", str(path))
        self.path = path
        self.fd = os.open(path, _DIRECTORY)

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _parent(self, parts: list[str], *, create: bool) -> Iterator[int]:
        """A descriptor of the folder holding `parts[-1]`, made when `create`."""
        fd = os.dup(self.fd)
        try:
            for index, part in enumerate(parts[:-1]):
                if create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, dir_fd=fd)
                if stat.S_ISLNK(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode):
                    where = "/".join(parts[: index + 1])
                    raise LinkRefused(
                        errno.ELOOP,
                        f"`{where}` is a symbolic link; reqdsl does not write through links",
                    )
                inner = os.open(part, _DIRECTORY, dir_fd=fd)  # O_NOFOLLOW: no race either
                os.close(fd)
                fd = inner
            yield fd
        finally:
            os.close(fd)

    def read(self, relpath: str, limit: int) -> bytes | None:
        """The bytes of a regular file (at most `limit`), or None: missing, a link, or
        anything else."""
        parts = split(relpath)
        try:
            with self._parent(parts, create=False) as parent:
                handle = os.open(parts[-1], _FILE, dir_fd=parent)
                with os.fdopen(handle, "rb") as stream:
                    status = os.fstat(handle)
                    if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
                        return None
                    data = read_upto(stream, status.st_size, limit)
        except OSError:
            return None
        return data if len(data) <= limit else None

    def write(self, relpath: str, data: bytes, *more: bytes) -> None:
        """Write a file atomically (a temporary file renamed over it): `data`, then each
        of `more`. A link of that name is replaced by the file, never written through."""
        with self._replacing(relpath) as stream:
            stream.write(data)
            for chunk in more:
                stream.write(chunk)

    def write_sealed(self, relpath: str, pieces: Iterable[bytes], mac: hmac.HMAC) -> None:
        """`write` of a sealed entry made in pieces: room for the tag, each piece written
        as it comes and fed to `mac`, then the tag written in front before the file is
        renamed into place (so it is never seen without its tag)."""
        with self._replacing(relpath) as stream:
            stream.write(bytes(mac.digest_size))
            for piece in pieces:
                mac.update(piece)
                stream.write(piece)
            stream.seek(0)
            stream.write(mac.digest())

    @contextlib.contextmanager
    def _replacing(self, relpath: str) -> Iterator[BinaryIO]:
        """A new temporary file beside `relpath` (created, never opened through a link),
        renamed over it once the block has written it; removed if the block fails."""
        parts = split(relpath)
        with self._parent(parts, create=True) as parent:
            temp = f".{parts[-1]}.{secrets.token_hex(6)}.tmp"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            handle = os.open(temp, flags, 0o666, dir_fd=parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    yield stream
                os.replace(temp, parts[-1], src_dir_fd=parent, dst_dir_fd=parent)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp, dir_fd=parent)
                raise

    def remove(self, relpath: str) -> bool:
        """Delete a regular file; anything else (a link, a folder, nothing) is left."""
        parts = split(relpath)
        try:
            with self._parent(parts, create=False) as parent:
                mode = os.stat(parts[-1], dir_fd=parent, follow_symlinks=False).st_mode
                if not stat.S_ISREG(mode):
                    return False
                os.unlink(parts[-1], dir_fd=parent)
        except OSError:
            return False
        return True
