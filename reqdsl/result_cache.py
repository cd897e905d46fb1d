"""The check-result cache: an unchanged project is answered without parsing anything.

Keyed by `Scan.fingerprint()` (reqdsl's version and grammar, reqdsl.toml, custom
catalogues, every file's path and content hash), it stores the diagnostics and summary
of the last `reqdsl check`. Like ruff's cache, it can make a run faster, never different:
any change to any input changes the key, and a corrupt file is ignored. It lives in the
user's cache folder, never in the project (reqdsl/util/cache_dirs.py), and is sealed with
a per-user key (reqdsl/util/integrity.py): a result committed to a repository is never
read, and one planted by another program cannot make a check pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from .diagnostics import Diagnostic, Summary
from .util.cache_dirs import project_cache_dir
from .util.files import write_atomic
from .util.integrity import seal, unseal

_FILE = "check-result.json"


def load_result(root: Path, fingerprint: str) -> tuple[list[Diagnostic], Summary] | None:
    try:
        payload = unseal((project_cache_dir(root) / _FILE).read_bytes())
        if payload is None:  # not written by this user's reqdsl: a planted result
            return None
        data = json.loads(payload.decode("utf-8"))
        if data.get("fingerprint") != fingerprint:
            return None
        diagnostics = [Diagnostic.from_json(item) for item in data["diagnostics"]]
        summary = Summary(**data["summary"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return diagnostics, summary


def save_result(
    root: Path, fingerprint: str, diagnostics: list[Diagnostic], summary: Summary
) -> None:
    data = {
        "fingerprint": fingerprint,
        "diagnostics": [d.to_json() for d in diagnostics],
        "summary": summary.to_json(),
    }
    sealed = seal(json.dumps(data, ensure_ascii=False).encode("utf-8"))
    if sealed is None:
        return
    try:
        write_atomic(project_cache_dir(root) / _FILE, sealed)
    except OSError:
        return
