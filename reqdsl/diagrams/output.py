"""Writing diagram files into a folder the user names, without clobbering anything else.

A file is written only when its content changed (atomically), and a file written by an
earlier run that this run no longer produces is removed; both are known from a manifest
(`.reqdsl-diagrams`) in the folder, so files reqdsl did not write are never touched.

The folder may lie in a checkout someone else prepared, so:

- nothing is read, written or deleted through a symbolic link: every path is opened one
  component at a time without following links (util.nofollow); a link where reqdsl
  writes (`sequence -> ~/thesis`) stops the run with an error, a link in the manifest is
  left alone;
- the manifest is sealed with this user's key (util.integrity), and one that does not
  verify (planted, or written without a key) removes nothing;
- a name in it, as every name reqdsl writes, is a diagram file (`.svg`, `.puml`) in the
  folder or in one of its subfolders: plain names only, no `..`, no hidden file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..util.integrity import sign, verify
from ..util.nofollow import Folder, split

MANIFEST = ".reqdsl-diagrams"
_SUFFIXES = (".svg", ".puml")
_SEAL = "seal "
_MAX_DIAGRAM = 64 * 1024 * 1024  # larger than any diagram: such a file is rewritten
_MAX_MANIFEST = 4 * 1024 * 1024


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def _diagram_name(relpath: str) -> bool:
    try:
        parts = split(relpath)
    except ValueError:
        return False
    return relpath.endswith(_SUFFIXES) and not any(part.startswith(".") for part in parts)


def _manifest_text(names: list[str]) -> str:
    payload = "".join(f"{name}\n" for name in names)
    tag = sign(payload.encode("utf-8"))
    return payload if tag is None else f"{payload}{_SEAL}{tag}\n"


def _previous(folder: Folder) -> list[str]:
    """The names the manifest lists, if this user's reqdsl wrote it (its seal verifies)."""
    data = folder.read(MANIFEST, _MAX_MANIFEST)
    if data is None:
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    payload, _, last = text.removesuffix("\n").rpartition("\n")
    payload += "\n" if payload else ""
    if not last.startswith(_SEAL) or not verify(payload.encode("utf-8"), last[len(_SEAL) :]):
        return []
    return [line for line in payload.splitlines() if _diagram_name(line)]


def write_files(folder: Path, files: dict[str, str]) -> WriteReport:
    """Write `files` ({relative path: text}) under `folder`; remove what the previous
    run wrote and this one does not. OSError (LinkRefused for a link) or ValueError (a
    name that is not a diagram file's) when the folder cannot be written as asked."""
    for relpath in files:
        if not _diagram_name(relpath):
            raise ValueError(f"refusing to write `{relpath}`: not a diagram file's name")
    report = WriteReport()
    with Folder(folder) as out:
        for relpath, text in files.items():
            data = text.encode("utf-8")
            if out.read(relpath, _MAX_DIAGRAM) == data:
                report.unchanged += 1
                continue
            out.write(relpath, data)
            report.written += 1
        for relpath in _previous(out):
            if relpath not in files and out.remove(relpath):
                report.removed += 1
        out.write(MANIFEST, _manifest_text(sorted(files)).encode("utf-8"))
    return report
