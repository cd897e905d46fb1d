"""Finding and reading a project's files: the first phase, and a cheap one.

It imports neither the parser nor the model, so `reqdsl check` on an unchanged project
can answer from its result cache after reading and hashing the files (see
reqdsl/result_cache.py) without paying for the rest.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from ..resources import code_digest
from ..source import DecodeProblem, SourceFile, Span, decode_source, normalise_text
from ..util.files import read_bounded
from .config import CONFIG_NAME, Config, ConfigError, load_config


class ProjectError(Exception):
    """The project cannot be loaded at all (no such folder, bad configuration)."""


def content_key(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class ScannedFile:
    relpath: str
    path: Path
    source: SourceFile
    key: str  # hash of the file's bytes ('' when unreadable)
    decode_problem: DecodeProblem | None = None
    unreadable: str | None = None  # why the file could not be read


@dataclass
class Scan:
    root: Path
    config: Config
    files: list[ScannedFile] = field(default_factory=list)

    def fingerprint(self) -> str:
        """A hash of everything a check result depends on: reqdsl's version, code and
        grammar, the configuration and custom catalogues, and every file's path and
        content."""
        digest = hashlib.blake2b(digest_size=20)
        digest.update(__version__.encode())
        digest.update(code_digest().encode())
        if self.config.source is not None:
            digest.update(self.config.source.text.encode())
        for scheme, path in sorted(self.config.catalogs.items()):
            digest.update(scheme.encode())
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"<unreadable>")
        for scanned in self.files:
            digest.update(f"\0{scanned.relpath}\0{scanned.key}\0{scanned.unreadable}".encode())
        return digest.hexdigest()


def discover(root: Path, config: Config) -> list[tuple[str, Path]]:
    """Every `.req` file under the source folders, as (relative path, path), sorted by
    the relative path's code points. Symbolic links to folders are not followed (a link
    loop must not hang the run); linked files are read. Hidden folders are skipped."""
    found: dict[str, Path] = {}
    resolved_root = root.resolve()
    for source in config.sources:
        base = (root / source).resolve()
        if not base.is_dir():
            continue
        for folder, dirs, files in os.walk(base, followlinks=False):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
            for name in files:
                if name.endswith(".req"):
                    path = Path(folder) / name
                    try:
                        relpath = path.relative_to(resolved_root).as_posix()
                    except ValueError:
                        relpath = path.as_posix()
                    found[relpath] = path
    return sorted(found.items())


class EmptyProject(ProjectError):
    """The project has no `.req` file, or a `sources` folder does not exist: nothing (or
    less than configured) would be checked, and a clean result would mean nothing."""


OUTSIDE = "it is a symbolic link to a file outside the project"


def read_source(resolved_root: Path, path: Path) -> bytes:
    """The bytes of a `.req` file found in the project: the one way every entry point
    reads one (check, build, the language server). A link that resolves outside the
    project is not read: a `.req` link to /proc/self/environ or ~/.ssh would be quoted in
    diagnostics, and from there in a public CI log. Reads are bounded (a planted
    /dev/zero or FIFO costs a refusal, never the memory); links inside the project are
    followed."""
    if not path.resolve().is_relative_to(resolved_root):
        raise OSError(errno.EACCES, OUTSIDE, str(path))
    return read_bounded(path, follow_links=True)


def scan_project(root: Path, *, allow_empty: bool = False, config: Config | None = None) -> Scan:
    """Read the configuration (unless given) and every file (bytes decoded, line endings
    normalised). Raises EmptyProject when a configured `sources` folder does not exist
    or when there is no `.req` file at all (exit 2, like any configuration failure: "0
    files, coverage 100 %" is no check), unless `allow_empty` (an old git revision, an
    editor's folder before its first file is saved)."""
    if not root.is_dir():
        raise ProjectError(f"`{root}` is not a folder")
    if config is None:
        try:
            config = load_config(root)
        except ConfigError as error:
            raise ProjectError(str(error)) from error
    missing = [source for source in config.sources if not (root / source).is_dir()]
    if missing and not allow_empty:
        raise EmptyProject(
            f"{CONFIG_NAME}: `project.sources` names `{missing[0]}`, which is not a folder "
            f"of `{root}`; correct the entry or create the folder"
        )
    scan = Scan(root=root, config=config)
    resolved_root = root.resolve()
    found = discover(root, config)
    if not allow_empty and not found:
        where = ", ".join(f"`{source}`" for source in config.sources)
        raise EmptyProject(
            f"no .req file in `{root}` (searched {where}); give the project folder, or "
            "`reqdsl init` to start one"
        )
    scan.files = [read_scanned(resolved_root, relpath, path) for relpath, path in found]
    return scan


def read_scanned(resolved_root: Path, relpath: str, path: Path) -> ScannedFile:
    """One file of the project read (read_source) and decoded: how a scan reads each
    file, and how the language server reads one again when it changes on disk."""
    try:
        data = read_source(resolved_root, path)
    except OSError as error:
        source = SourceFile(relpath, "", path)
        return ScannedFile(relpath, path, source, "", unreadable=error.strerror or str(error))
    text, problem = decode_source(data)
    source = SourceFile(relpath, normalise_text(text), path)
    return ScannedFile(relpath, path, source, content_key(data), problem)


_START = Span(0, 0, 1, 1, 1, 1)


def read_problems(scanned: ScannedFile) -> list[Diagnostic]:
    """SY001 for a file that could not be read, or for its first byte that is not UTF-8
    (at that byte)."""
    if scanned.unreadable is not None:
        message = f"cannot read the file: {scanned.unreadable}"
        return [
            Diagnostic(
                "SY001", Severity.ERROR, message, scanned.relpath, _START,
                hint="check its permissions",
            )
        ]  # fmt: skip
    problem = scanned.decode_problem
    if problem is None:
        return []
    return [
        Diagnostic(
            "SY001", Severity.ERROR, problem.message, scanned.relpath, problem.span,
            hint=problem.hint,
        )
    ]  # fmt: skip
