"""Finding and reading a project's files: the first phase, and a cheap one.

It imports neither the parser nor the model, so `reqdsl check` on an unchanged project
can answer from its result cache after reading and hashing the files (see
reqdsl/result_cache.py) without paying for the rest.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..checks.registry import emit
from ..diagnostics import Diagnostic
from ..i18n import DEFAULT_LANGUAGE, N_, _, adopt_project_language
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


@dataclass(frozen=True)
class Report:
    """A JUnit report read for the check: its name as shown (relative to the project
    when reqdsl.toml names it, as given on the command line otherwise) and its bytes."""

    name: str
    data: bytes


@dataclass
class Scan:
    root: Path
    config: Config
    files: list[ScannedFile] = field(default_factory=list)
    # The JUnit reports, read for check, build and export; None: not read (the language
    # server, diagrams, reports: they show no test evidence).
    reports: list[Report] | None = None

    def fingerprint(self) -> str:
        """A hash of everything a check result depends on: reqdsl's version, code and
        grammar, the configuration and custom catalogues, every file's path and content,
        and the JUnit reports (a fixed or newly failing test is never answered from the
        cache)."""
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
        if self.reports is not None:
            digest.update(b"\0reports")
            for report in self.reports:
                digest.update(f"\0{report.name}\0{content_key(report.data)}".encode())
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


class MissingReport(ProjectError):
    """A JUnit report reqdsl.toml names is not there (or cannot be read): the check would
    otherwise pass without the evidence it was configured to weigh."""


def read_reports(root: Path, config: Config, extra: Sequence[Path] = ()) -> list[Report]:
    """The reports `[tests] junit` names (patterns expanded, in sorted order), then
    `extra` (`--junit FILE`, as given). A named report must exist and resolve inside the
    project (a link to /proc/self/environ or ~/.ssh would be read and quoted); every read
    is bounded. Raises MissingReport."""
    resolved_root = root.resolve()
    reports: list[Report] = []
    seen: set[Path] = set()
    for pattern in config.junit:
        wildcard = any(char in pattern for char in "*?[")
        if wildcard:
            paths = sorted(path for path in root.glob(pattern) if path.is_file())
        else:
            paths = [root / pattern] if (root / pattern).is_file() else []
        if not paths:
            message = (
                N_(
                    "{config}: `tests.junit` names `{pattern}`, which matches no report file "
                    "of `{root}`; run the tests first, or correct the entry"
                )
                if wildcard
                else N_(
                    "{config}: `tests.junit` names `{pattern}`, which is not a file of "
                    "`{root}`; run the tests first, or correct the entry"
                )
            )
            raise MissingReport(_(message).format(config=CONFIG_NAME, pattern=pattern, root=root))
        for path in paths:
            if path in seen:
                continue
            seen.add(path)
            relpath = path.relative_to(root).as_posix()
            try:
                data = read_source(resolved_root, path)
            except OSError as error:
                why = error.strerror or str(error)
                raise MissingReport(
                    _("{config}: `tests.junit`: cannot read `{path}`: {why}").format(
                        config=CONFIG_NAME, path=relpath, why=why
                    )
                ) from error
            reports.append(Report(relpath, data))
    for path in extra:
        try:
            data = read_bounded(path, follow_links=True)
        except OSError as error:
            why = error.strerror or str(error)
            raise MissingReport(
                _("--junit: cannot read `{path}`: {why}").format(path=path, why=why)
            ) from error
        reports.append(Report(str(path), data))
    return reports


def scan_project(
    root: Path,
    *,
    allow_empty: bool = False,
    junit: Sequence[Path] | None = None,
    config: Config | None = None,
) -> Scan:
    """Read the configuration (unless given) and every file (bytes decoded, line endings
    normalised). Raises EmptyProject when a configured `sources` folder does not exist or
    when there is no `.req` file at all (exit 2, like any configuration failure: "0
    files, coverage 100 %" is no check), unless `allow_empty` (an old git revision, an
    editor's folder before its first file is saved). With `junit` (check, build,
    export), the JUnit reports reqdsl.toml names and those given are read too
    (read_reports)."""
    adopt_project_language(config.language if config is not None else DEFAULT_LANGUAGE)
    if not root.is_dir():
        raise ProjectError(_("`{root}` is not a folder").format(root=root))
    if config is None:
        try:
            config = load_config(root)
        except ConfigError as error:
            raise ProjectError(str(error)) from error
    # The language of diagnostics is known once the project's is (every command scans
    # first): the user's locale if reqdsl speaks it, else the project's (reqdsl/i18n.py).
    adopt_project_language(config.language)
    missing = [source for source in config.sources if not (root / source).is_dir()]
    if missing and not allow_empty:
        raise EmptyProject(
            _(
                "{config}: `project.sources` names `{source}`, which is not a folder of "
                "`{root}`; correct the entry or create the folder"
            ).format(config=CONFIG_NAME, source=missing[0], root=root)
        )
    scan = Scan(root=root, config=config)
    if junit is not None:
        scan.reports = read_reports(root, config, junit)
    resolved_root = root.resolve()
    found = discover(root, config)
    if not allow_empty and not found:
        where = ", ".join(f"`{source}`" for source in config.sources)
        raise EmptyProject(
            _(
                "no .req file in `{root}` (searched {where}); give the project folder, or "
                "`reqdsl init` to start one"
            ).format(root=root, where=where)
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


FILE_START = Span(0, 0, 1, 1, 1, 1)  # a diagnostic about a whole file


def read_problems(scanned: ScannedFile) -> list[Diagnostic]:
    """SY001 for a file that could not be read, or for its first byte that is not UTF-8
    (at that byte)."""
    if scanned.unreadable is not None:
        message = f"cannot read the file: {scanned.unreadable}"
        return [emit("SY001", message, scanned.relpath, FILE_START, hint="check its permissions")]
    problem = scanned.decode_problem
    if problem is None:
        return []
    return [emit("SY001", problem.message, scanned.relpath, problem.span, hint=problem.hint)]
