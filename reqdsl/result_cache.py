"""The check-result cache: an unchanged project is answered without parsing anything.

Keyed by `Scan.fingerprint()` (reqdsl.toml, custom catalogues, every file's path and
content hash) through the one cache's key (reqdsl/util/cache.py, reqdsl's code salt
first), it stores the diagnostics and summary of the last `reqdsl check`. Like ruff's
cache, it can make a run faster, never different: any change to any input, or to
reqdsl's code, changes the key, and a corrupt entry is ignored. It is read and written
through the one cache, in the user's cache folder, never in the project, and sealed with
a per-user key (reqdsl/util/integrity.py): a result committed to a repository is never
read, and one planted by another program cannot make a check pass.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import msgspec

from . import i18n
from .diagnostics import Diagnostic, Summary
from .util.batches import batches
from .util.cache import CacheArea

AREA = "result"
ENTRY = "check-result.json"


class _Result(msgspec.Struct):
    """The entry: JSON, each diagnostic as its dataclass's fields (spans as arrays).

    Encoded by msgspec straight from the diagnostics, and written in pieces
    (`result_pieces`): the spec's JSON shape made a dict per diagnostic and one string
    of the whole result, then its bytes and a sealed copy (125 MiB above the checked
    model at 170,000 diagnostics, the peak of `reqdsl check`; docs/performance.md).
    Read back typed, spans with their offsets: a kept result equals the check's."""

    key: str
    diagnostics: list[Diagnostic]
    summary: Summary


@functools.cache
def _decoder() -> msgspec.json.Decoder[_Result]:
    return msgspec.json.Decoder(_Result)


def _area(root: Path) -> CacheArea:
    return CacheArea.of_project(root, AREA)


def load_result(root: Path, fingerprint: str) -> tuple[list[Diagnostic], Summary] | None:
    area = _area(root)
    payload = area.read(ENTRY)
    if payload is None:  # none, or not written by this user's reqdsl: a planted result
        return None
    try:
        data = _decoder().decode(payload)
    except (msgspec.DecodeError, ValueError, TypeError):
        return None
    if data.key != area.key(fingerprint, i18n.current()):
        return None
    return data.diagnostics, data.summary


def save_result(
    root: Path, fingerprint: str, diagnostics: list[Diagnostic], summary: Summary
) -> None:
    area = _area(root)
    key = area.key(fingerprint, i18n.current())  # messages are in that language
    area.write_pieces(ENTRY, result_pieces(key, diagnostics, summary))


def result_pieces(key: str, diagnostics: list[Diagnostic], summary: Summary) -> Iterator[bytes]:
    """The entry's bytes, `msgspec.json.encode(_Result(key, diagnostics, summary))`, a
    batch of diagnostics at a time (reqdsl.util.batches): written as they come, the
    whole entry (50 MB at 170,000 diagnostics, the peak of a 100,000-requirement check)
    is never held."""
    encode = msgspec.json.encode
    yield b'{"key":' + encode(key) + b',"diagnostics":['
    for number, batch in enumerate(batches(diagnostics)):
        listed = encode(batch)  # `[...]`
        yield (b"," if number else b"") + listed[1:-1]
    yield b'],"summary":' + encode(summary) + b"}"
