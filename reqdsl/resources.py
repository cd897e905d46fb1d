"""Find the files reqdsl ships (grammar, templates, catalogue data).

An installed wheel carries `grammar/` and `generators/` under `reqdsl/_shipped/`; an
editable install (a checkout) has them at the top of the repository. One helper hides
the difference so that no other module guesses paths.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder `name` (`grammar` or `generators`), wherever this install keeps it."""
    for candidate in (_PACKAGE_DIR / "_shipped" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"reqdsl is installed without its `{name}` folder")


def grammar_path() -> Path:
    return shipped_dir("grammar") / "reqdsl.lark"


def catalog_data_dir() -> Path:
    return _PACKAGE_DIR / "catalogs" / "data"


_CODE_SUFFIXES = (".py", ".js", ".css", ".txt", ".tsv", ".json", ".lark", ".mo")


@functools.cache
def code_digest() -> str:
    """A hash of reqdsl's own code and shipped files: every result reqdsl keeps (a check
    result, a site) depends on the code that made it too, and a development checkout
    changes without changing its version (a new rule must be seen by the next check)."""
    digest = hashlib.blake2b(digest_size=16)
    for root in (_PACKAGE_DIR, shipped_dir("generators"), shipped_dir("grammar")):
        for path in sorted(root.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
