"""Caches that a checked-out repository cannot forge.

reqdsl keeps its caches in the user's cache folder (reqdsl/util/cache_dirs.py), never in
a project, but other programs of the same user can write there too, and the published
site's marker lies in the output folder, often inside the project. Unpickling a planted
parse-cache entry would run its code, and a planted check result would make `reqdsl check`
pass without checking. Every cache file therefore carries an HMAC-SHA256 made with a key
that lives outside any project, in the user's own cache folder (`$XDG_CACHE_HOME/reqdsl/
key`, mode 0600), and a file whose tag does not verify is ignored before it is parsed.
Without a usable key there is no caching at all.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from .cache_dirs import ensure_private_dir, user_cache_dir

_TAG = 32  # bytes of HMAC-SHA256


def _key_file() -> Path:
    return user_cache_dir() / "key"


@functools.cache
def _key() -> bytes | None:
    path = _key_file()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        ensure_private_dir(path.parent)
        key = secrets.token_bytes(32)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(key)
        return key
    except FileExistsError:  # another process made it first
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if len(data) >= 32 else None
    except OSError:
        return None


def caching_possible() -> bool:
    return _key() is not None


def _tag(payload: bytes) -> bytes | None:
    """HMAC-SHA256 of `payload` with this user's key, or None when no key can be had."""
    key = _key()
    return None if key is None else hmac.new(key, payload, hashlib.sha256).digest()


def seal(payload: bytes) -> bytes | None:
    """`payload` with its tag in front, or None when no key can be had."""
    tag = _tag(payload)
    return None if tag is None else tag + payload


def sealer() -> hmac.HMAC | None:
    """What makes the tag of a payload given in pieces (`update` each, then `digest`):
    the tag `seal` would give the pieces joined; None when no key can be had."""
    key = _key()
    return None if key is None else hmac.new(key, digestmod=hashlib.sha256)


def unseal(sealed: bytes) -> bytes | None:
    """The payload if its tag verifies with this user's key, else None."""
    if len(sealed) < _TAG:
        return None
    tag, payload = sealed[:_TAG], sealed[_TAG:]
    expected = _tag(payload)
    return payload if expected is not None and hmac.compare_digest(tag, expected) else None


def sign(payload: bytes) -> str | None:
    """The tag of `payload` as hex (for records that stay readable JSON), or None."""
    tag = _tag(payload)
    return None if tag is None else tag.hex()


def verify(payload: bytes, tag: object) -> bool:
    """Whether `tag` (from `sign`) is this user's tag of `payload`."""
    expected = sign(payload)
    return expected is not None and isinstance(tag, str) and hmac.compare_digest(tag, expected)
