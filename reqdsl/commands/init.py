"""`reqdsl init [DIR]`: scaffold a project a newcomer can check and build at once."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from ..cli import error_line

NAME = "init"
HELP = "create a new project (reqdsl.toml, two documents, a model, a test, a decision, a review)"

_FILES = ("reqdsl.toml", "stakeholders.req", "system.req")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", type=Path, help="folder to create it in")
    parser.add_argument("--name", help="project name (default: the folder's name)")


def scaffold(folder: Path, name: str, today: datetime.date) -> list[Path]:
    """Write the starter files; refuse (FileExistsError) if any of them exists."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from ..resources import shipped_dir

    targets = [folder / file_name for file_name in _FILES]
    existing = [t for t in targets if t.exists()]
    if existing:
        raise FileExistsError(", ".join(str(t) for t in existing))
    environment = Environment(
        loader=FileSystemLoader(shipped_dir("generators") / "init"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # .req and TOML text; the name is quoted below
    )
    safe_name = name.replace("\\", "").replace('"', "'").replace("\n", " ")
    folder.mkdir(parents=True, exist_ok=True)
    for target in targets:
        text = environment.get_template(target.name).render(name=safe_name, today=today.isoformat())
        with open(target, "x", encoding="utf-8") as stream:  # never overwrite
            stream.write(text)
    return targets


def run(args: argparse.Namespace) -> int:
    folder: Path = args.path
    name = args.name or folder.resolve().name or "New project"
    try:
        written = scaffold(folder, name, datetime.date.today())
    except FileExistsError as error:
        error_line(f"refusing to overwrite existing files: {error}", "reqdsl init")
        return 2
    except OSError as error:
        error_line(f"cannot write the project: {error}", "reqdsl init")
        return 2
    for path in written:
        print(f"created {path}", file=sys.stderr)
    print(f"next: reqdsl check {folder}", file=sys.stderr)
    return 0
