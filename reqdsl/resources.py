"""Find the files reqdsl ships (grammar, templates, catalogue data).

An installed wheel carries `grammar/` and `generators/` under `reqdsl/_shipped/`; an
editable install (a checkout) has them at the top of the repository. One helper hides
the difference so that no other module guesses paths.
"""

from __future__ import annotations

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
