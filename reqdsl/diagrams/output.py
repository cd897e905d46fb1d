"""Writing diagram files into a folder the user names, without clobbering anything else.

A file is written only when its content changed (atomically), and a file written by an
earlier run that this run no longer produces is removed; both are known from a manifest
(`.reqdsl-diagrams`) in the folder, so files reqdsl did not write are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..util.files import write_atomic

MANIFEST = ".reqdsl-diagrams"


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def _safe(relpath: str) -> bool:
    parts = PurePosixPath(relpath).parts
    return bool(parts) and not PurePosixPath(relpath).is_absolute() and ".." not in parts


def _previous(folder: Path) -> list[str]:
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [line for line in text.splitlines() if line and _safe(line)]


def write_files(folder: Path, files: dict[str, str]) -> WriteReport:
    """Write `files` ({relative path: text}) under `folder`; remove what the previous
    run wrote and this one does not."""
    report = WriteReport()
    for relpath, text in files.items():
        if not _safe(relpath):
            raise ValueError(f"refusing to write outside the output folder: `{relpath}`")
        path = folder / relpath
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                report.unchanged += 1
                continue
        except OSError:
            pass
        write_atomic(path, data)
        report.written += 1
    for relpath in _previous(folder):
        if relpath in files:
            continue
        path = folder / relpath
        if path.is_file():
            path.unlink()
            report.removed += 1
    write_atomic(folder / MANIFEST, "".join(f"{relpath}\n" for relpath in sorted(files)))
    return report
