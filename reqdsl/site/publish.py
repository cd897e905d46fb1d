"""Publishing a built site into the output folder without ever leaving half a site, and
without touching a folder reqdsl did not make.

- Every folder reqdsl makes (the output, its staging and retired copies) holds a marker
  file, `.reqdsl-site`. An existing output folder that is not empty and has no marker is
  refused (`-o ~`, `-o .`), as is one that holds the project itself or is a symbolic link.
- A build happens in `<out>.reqdsl-staging-<pid>` beside the output, then is swapped in:
  on Linux with one `renameat2(RENAME_EXCHANGE)` (readers never see a missing folder),
  elsewhere by renaming the old site to `<out>.reqdsl-old-<pid>` and the new one in. The
  retired copy is deleted afterwards. A build killed at any point leaves the previous
  site in place; the next build deletes the leftovers (and puts back a retired site if a
  kill fell between the two renames).
- A lock file beside the output (`.<out>.reqdsl-lock`, `flock`) serialises builds of the
  same output: two builds started together both finish, one after the other, and the
  folder always holds one whole site. The kernel releases the lock of a killed build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..util.files import read_bounded, write_atomic
from ..util.integrity import sign, verify

MARKER = ".reqdsl-site"
STAGING = ".reqdsl-staging-"
RETIRED = ".reqdsl-old-"


class PublishError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


MARKER_LIMIT = 32 * 1024 * 1024  # bytes: a marker lists every file of the site and its hash


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The folder's marker: says the folder is reqdsl's to replace (any marker will do,
    since only the user can put a folder where `-o` points). Read only as a regular file
    of bounded size: `site/.reqdsl-site -> /dev/zero` in a checkout is no marker."""
    try:
        data = json.loads(read_bounded(folder / MARKER, MARKER_LIMIT).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("generator") == "reqdsl" else None


def read_trusted_marker(folder: Path) -> dict[str, Any] | None:
    """The marker only if this user's reqdsl wrote it (its seal verifies) and the folder
    still holds exactly the files it seals, byte for byte: what a build trusts to skip
    work ("up to date", "marker updated", an incremental build that starts from a copy of
    the published site). The default output, `site/`, lies inside the project, where a
    pull request can change a committed site's pages while keeping its genuine marker, or
    add a page or a symbolic link to it; any of these means a full build."""
    data = read_marker(folder)
    if data is None:
        return None
    record = {key: value for key, value in data.items() if key not in ("generator", "seal")}
    if not verify(_canonical(record), data.get("seal")):
        return None
    sealed = record.get("site")
    return data if isinstance(sealed, dict) and site_hashes(folder) == sealed else None


Stamp = tuple[int, int, int]  # a file's size, modification and change times (ns)
Known = dict[str, tuple[Stamp, str]]  # relative path -> (stamp, content hash)


def _stamp(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def site_hashes(folder: Path, known: Known | None = None) -> dict[str, str] | None:
    """{relative path: content hash} of every file in a built site but its marker, or None
    when the folder holds anything but plain files and folders (a symbolic link, a FIFO):
    reqdsl's MkDocs build makes neither, and a link would lead a copy of the site out of it.
    A file of `known` (see `stamped`) whose size and times are unchanged keeps its hash
    unread: an incremental build hashes only the files MkDocs wrote into the copy."""
    hashes: dict[str, str] = {}
    known = known or {}
    for directory, folders, names in os.walk(folder):
        base = Path(directory)
        for name in folders:
            if (base / name).is_symlink():
                return None
        for name in names:
            path = base / name
            relpath = path.relative_to(folder).as_posix()
            if relpath == MARKER:
                continue
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode):
                    return None
                before = known.get(relpath)
                if before is not None and before[0] == _stamp(info):
                    hashes[relpath] = before[1]
                    continue
                digest = hashlib.blake2b(digest_size=16)
                with open(path, "rb") as stream:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(chunk)
            except OSError:
                return None
            hashes[relpath] = digest.hexdigest()
    return hashes


def stamped(copy: Path, sealed: dict[str, str]) -> Known:
    """The files of `copy`, a copy of a site whose files were just verified against their
    `sealed` hashes, with their stamps as copied: what `site_hashes` may take as known.
    Any write afterwards changes a file's change time (and a rewrite its modification
    time), so a file MkDocs rewrites is hashed again; a coarse clock can at worst seal a
    stale hash, which makes the next build distrust the site and build it all."""
    known: Known = {}
    for directory, _folders, names in os.walk(copy):
        base = Path(directory)
        for name in names:
            relpath = (base / name).relative_to(copy).as_posix()
            digest = sealed.get(relpath)
            if digest is None:
                continue
            with contextlib.suppress(OSError):
                info = (base / name).lstat()
                if stat.S_ISREG(info.st_mode):
                    known[relpath] = (_stamp(info), digest)
    return known


def _canonical(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":")).encode()


def write_marker(folder: Path, data: dict[str, Any]) -> None:
    record = {key: value for key, value in data.items() if key not in ("generator", "seal")}
    marker = {"generator": "reqdsl", **record, "seal": sign(_canonical(record))}
    write_atomic(folder / MARKER, json.dumps(marker, indent=2) + "\n")


def check_output(out: Path, project_root: Path) -> None:
    """Raise PublishError unless reqdsl may write `out` (see the module docstring)."""
    if out.is_symlink():
        raise PublishError(f"refusing to write to `{out}`: it is a symbolic link; name its target")
    if out.exists():
        if not out.is_dir():
            raise PublishError(f"refusing to write to `{out}`: it is a file")
        if read_marker(out) is None and any(out.iterdir()):
            raise PublishError(
                f"refusing to write to `{out}`: the folder is not empty and was not made by "
                "`reqdsl build` (it has no .reqdsl-site marker); choose a new or empty folder"
            )
    resolved, root = out.resolve(), project_root.resolve()
    if resolved == root or resolved in root.parents:
        raise PublishError(f"refusing to write to `{out}`: the folder holds the project")


@contextlib.contextmanager
def output_lock(out: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of `out` (blocking); see the module docstring."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.reqdsl-lock"
    # Never through a symbolic link: a dangling one committed beside `site/` would make
    # the lock's creation create its target, anywhere the user may write.
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise PublishError(
                f"refusing to lock `{path}`: it is a symbolic link (reqdsl makes a plain "
                "file there); remove it"
            ) from error
        raise
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise PublishError(f"refusing to lock `{path}`: it is not a regular file; remove it")
    try:
        _lock(handle, on_wait)
        yield
    finally:
        os.close(handle)  # releases the lock


def _lock(handle: int, on_wait: Callable[[], None] | None) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt
        import time

        while True:
            try:
                msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                if on_wait is not None:
                    on_wait()
                    on_wait = None
                time.sleep(0.2)
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if on_wait is not None:
            on_wait()
        fcntl.flock(handle, fcntl.LOCK_EX)


def staging_folder(out: Path) -> Path:
    """A fresh staging folder beside `out`, marked as reqdsl's before anything else."""
    staging = out.parent / f"{out.name}{STAGING}{os.getpid()}"
    if staging.exists():
        remove_marked(staging)
    staging.mkdir(parents=True)
    write_marker(staging, {"state": "staging"})
    return staging


def remove_marked(folder: Path) -> None:
    """Delete a folder reqdsl made (one with a marker); leave anything else alone."""
    if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
        shutil.rmtree(folder, ignore_errors=True)


def recover(out: Path) -> None:
    """Under the lock: put back a site retired by a build killed between its two renames,
    and delete every other staging or retired folder left by killed builds."""
    leftovers = sorted(
        (entry for entry in out.parent.iterdir()
         if (entry.name.startswith(out.name + STAGING) or entry.name.startswith(out.name + RETIRED))
         and not entry.is_symlink()),  # a link is not a folder reqdsl left behind
        key=lambda entry: entry.stat().st_mtime,
    )  # fmt: skip
    if not out.exists():
        retired = [e for e in leftovers if RETIRED in e.name and read_marker(e) is not None]
        if retired:
            os.rename(retired[-1], out)
            leftovers.remove(retired[-1])
    for entry in leftovers:
        remove_marked(entry)


def swap_in(staging: Path, out: Path) -> None:
    """Make the finished `staging` the output; delete the previous site."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        _discard(staging)  # now holds the previous site
        return
    retired = out.parent / f"{out.name}{RETIRED}{os.getpid()}"
    os.rename(out, retired)
    os.rename(staging, out)
    _discard(retired)


def _discard(previous: Path) -> None:
    """Delete the previous site: reqdsl's (marked), or the empty folder it replaced."""
    if (previous / MARKER).is_file():
        remove_marked(previous)
    else:
        with contextlib.suppress(OSError):
            previous.rmdir()


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where that is not supported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))
