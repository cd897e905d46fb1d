"""Finding and reading a project's files: the first phase, and a cheap one.

It imports neither the parser nor the model, so `reqdsl check` on an unchanged project
can answer from its result cache after reading and hashing the files (see
reqdsl/result_cache.py) without paying for the rest.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..resources import grammar_path
from ..source import DecodeProblem, SourceFile, decode_source, normalise_text
from .config import Config, ConfigError, load_config


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
        """A hash of everything a check result depends on: reqdsl and its grammar, the
        configuration and custom catalogues, and every file's path and content."""
        digest = hashlib.blake2b(digest_size=20)
        digest.update(__version__.encode())
        digest.update(grammar_path().read_bytes())
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


def scan_project(root: Path) -> Scan:
    """Read the configuration and every file (bytes decoded, line endings normalised)."""
    if not root.is_dir():
        raise ProjectError(f"`{root}` is not a folder")
    try:
        config = load_config(root)
    except ConfigError as error:
        raise ProjectError(str(error)) from error
    scan = Scan(root=root, config=config)
    resolved_root = root.resolve()
    for relpath, path in discover(root, config):
        if not path.resolve().is_relative_to(resolved_root):
            # A `.req` link to /proc/self/environ or ~/.ssh would be quoted in
            # diagnostics, and from there in a public CI log: never read outside.
            scan.files.append(
                ScannedFile(relpath, path, SourceFile(relpath, "", path), "",
                            unreadable="it is a symbolic link to a file outside the project")
            )
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            scan.files.append(
                ScannedFile(
                    relpath,
                    path,
                    SourceFile(relpath, "", path),
                    "",
                    unreadable=error.strerror or str(error),
                )
            )
            continue
        text, problem = decode_source(data)
        source = SourceFile(relpath, normalise_text(text), path)
        scan.files.append(ScannedFile(relpath, path, source, content_key(data), problem))
    return scan
