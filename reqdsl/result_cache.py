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

import json
from pathlib import Path

from . import i18n
from .diagnostics import Diagnostic, Summary
from .util.cache import CacheArea

AREA = "result"
ENTRY = "check-result.json"


def _area(root: Path) -> CacheArea:
    return CacheArea.of_project(root, AREA)


def load_result(root: Path, fingerprint: str) -> tuple[list[Diagnostic], Summary] | None:
    area = _area(root)
    payload = area.read(ENTRY)
    if payload is None:  # none, or not written by this user's reqdsl: a planted result
        return None
    try:
        data = json.loads(payload.decode("utf-8"))
        if data.get("key") != area.key(fingerprint, i18n.current()):
            return None
        diagnostics = [Diagnostic.from_json(item) for item in data["diagnostics"]]
        summary = Summary(**data["summary"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return diagnostics, summary


def save_result(
    root: Path, fingerprint: str, diagnostics: list[Diagnostic], summary: Summary
) -> None:
    area = _area(root)
    data = {
        "key": area.key(fingerprint, i18n.current()),  # messages are in that language
        "diagnostics": [d.to_json() for d in diagnostics],
        "summary": summary.to_json(),
    }
    area.write(ENTRY, json.dumps(data, ensure_ascii=False).encode("utf-8"))
