"""`reqdsl build`: check the project, generate the pages, run a real `mkdocs build` with
Material into a staging folder, and swap the result into the output folder.

The steps, each skipped when it has nothing to do:

1. Under the output's lock (`publish.output_lock`), read the project's files and compute
   a fingerprint of everything the site depends on (the files, reqdsl.toml, catalogues,
   JUnit reports, reqdsl's own code and assets, the MkDocs and Material versions). When
   the published site's marker holds the same fingerprint, the site is up to date: done.
2. Check the project. Errors (and warnings with `--strict`) fail the build with exit 1
   and leave the previous site untouched, unless `--allow-errors` asks to publish a site
   that shows them (exit 1 all the same).
3. Render the diagrams (cached), generate the pages, and write the MkDocs project
   (`mkdocs.yml` and `docs/`) into a persistent folder in the project's folder of the
   user's cache (`site/<key>`, reqdsl/util/cache_dirs.py; never in the project),
   writing only files whose content changed. When the generated tree equals the one the
   published site was built from, only the marker is updated.
4. Otherwise run `mkdocs build` in this process into `<out>.reqdsl-staging-<pid>` and swap
   it in (`publish.swap_in`). A failure of MkDocs is exit 2, and the previous site stays.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import __version__
from ..diagnostics import Diagnostic, Severity, Summary
from ..pipeline import Session
from ..util.cache_dirs import ensure_private_dir, project_cache_dir
from ..util.gc_pause import paused_gc
from .publish import (
    PublishError,
    check_output,
    output_lock,
    read_trusted_marker,
    recover,
    remove_marked,
    site_hashes,
    staging_folder,
    stamped,
    swap_in,
    write_marker,
)

if TYPE_CHECKING:
    from ..model.project import Project

SOURCES = "site"  # in the project's cache folder (reqdsl.util.cache_dirs)


class SiteError(Exception):
    """The site cannot be built (bad output folder, unreadable report, MkDocs failed)."""


@dataclass
class BuildOptions:
    project: Path
    output: Path
    strict: bool = False
    allow_errors: bool = False
    junit: list[Path] = field(default_factory=list)
    diagrams: bool = True
    use_cache: bool = True
    force: bool = False  # build even when the site looks up to date
    sources: Path | None = None  # where the MkDocs project is written (default: the cache)
    baseline: str | None = None  # git revision: add a "Changes since REV" page
    # A session kept between builds (`reqdsl serve`): each build refreshes it from disk
    # and rechecks incrementally, instead of loading the project again.
    session: Session | None = None


@dataclass
class BuildResult:
    exit_code: int
    state: str  # "built", "up to date", "marker updated", "not published"
    summary: Summary | None = None
    pages_written: int = 0
    rendered: int | None = None  # files MkDocs rendered in an incremental build; None: all
    pages_kept: int = 0  # document pages reused from the previous build (page_cache)
    mkdocs_warnings: list[str] = field(default_factory=list)
    diagram_note: str | None = None
    report: str | None = None  # the failing diagnostics as text, when not published
    timings: dict[str, float] = field(default_factory=dict)


class Progress:
    """Progress lines on stderr (`reqdsl build: checked 10100 elements (3.1 s)`)."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.start = self.last = time.perf_counter()
        self.timings: dict[str, float] = {}

    def step(self, name: str, message: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self.last
        self.last = now
        if self.stream is not None:
            print(
                f"reqdsl build: {message} ({now - self.start:.1f} s)", file=self.stream, flush=True
            )


def build_site(options: BuildOptions, stream: TextIO | None = sys.stderr) -> BuildResult:
    """Build and publish the site; raises SiteError (exit 2) when it cannot."""
    from ..model.sources import ProjectError

    progress = Progress(stream)
    out = options.output.absolute()
    try:
        check_output(out, options.project)
    except PublishError as error:
        raise SiteError(str(error)) from error

    def waiting() -> None:
        if stream is not None:
            print(f"reqdsl build: waiting for another build of `{out}`", file=stream, flush=True)

    try:
        with output_lock(out, waiting):
            recover(out)
            check_output(out, options.project)  # again: it may have changed meanwhile
            session = options.session or Session(
                options.project, use_cache=options.use_cache, junit=list(options.junit)
            )
            try:
                if options.session is not None:
                    session.refresh()
                session.scan()
            except ProjectError as error:
                raise SiteError(str(error)) from error
            with paused_gc():
                return _build_locked(options, out, session, progress)
    except PublishError as error:
        raise SiteError(str(error)) from error
    except OSError as error:
        raise SiteError(f"cannot write the site to `{out}`: {error}") from error


def _failing(summary: Summary, strict: bool) -> bool:
    return summary.errors > 0 or (strict and summary.warnings > 0)


def _build_locked(
    options: BuildOptions, out: Path, session: Session, progress: Progress
) -> BuildResult:
    from .junit import test_results

    baseline_commit = ""
    if options.baseline is not None:
        from ..interop.git_revisions import RevisionError, resolve_commit

        try:
            baseline_commit = resolve_commit(options.project, options.baseline)
        except RevisionError as error:
            raise SiteError(f"--baseline {options.baseline}: {error}") from error
    # The scan's fingerprint holds the JUnit reports (reqdsl.toml's and --junit's).
    fingerprint = site_fingerprint(session.scan().fingerprint(), baseline_commit, options)
    marker = read_trusted_marker(out) if out.is_dir() else None
    if (
        not options.force
        and marker is not None
        and marker.get("fingerprint") == fingerprint
        and marker.get("diagrams_complete", False)
        and (out / "index.html").is_file()
    ):
        summary = Summary(errors=marker.get("errors", 0), warnings=marker.get("warnings", 0))
        progress.step("total", "the site is up to date")
        code = 1 if _failing(summary, options.strict) else 0
        return BuildResult(code, "up to date", summary, timings=progress.timings)

    checked = session.recheck() if options.session is not None else session.check()
    project, diagnostics, summary = checked.project, checked.diagnostics, checked.summary()
    tests = test_results(project.junit)
    counts = f"{summary.errors} errors, {summary.warnings} warnings"
    progress.step("check", f"checked {summary.elements} elements: {counts}")
    failing = _failing(summary, options.strict)
    if failing and not options.allow_errors:
        from ..render import render_text

        shown = [d for d in diagnostics if d.severity is Severity.ERROR or options.strict]
        shown = [d for d in shown if d.severity is not Severity.INFO]
        texts = dict(project.sources)
        if project.config.source is not None:
            texts[project.config.source.relpath] = project.config.source
        text = render_text(shown, texts, summary, color=False)
        progress.step("total", "the site was not updated (fix the errors, or use --allow-errors)")
        return BuildResult(1, "not published", summary, report=text, timings=progress.timings)

    from .context import SiteContext
    from .diagrams import site_diagrams
    from .generate import generate_site
    from .writer import write_tree

    diagrams = site_diagrams(project, render=options.diagrams, use_cache=options.use_cache)
    progress.step("diagrams", f"{len(diagrams.svgs)} of {len(diagrams.sources)} diagrams drawn")
    baseline = None
    if options.baseline is not None:
        from ..interop.git_revisions import RevisionError, baseline_diff

        try:
            diff = baseline_diff(options.project, baseline_commit, project)
        except RevisionError as error:
            raise SiteError(f"--baseline {options.baseline}: {error}") from error
        baseline = (options.baseline, diff)
        progress.step("baseline", f"compared with {options.baseline}: {diff_counts(diff)}")
    sources, temporary = _sources_folder(options, out)
    from .page_cache import RECORD, PageCache

    page_cache = None
    if not temporary and options.use_cache:
        page_cache = PageCache(sources, pages_key(project, tests.digest, options))
    site_diagnostics = _in_site_language(project, diagnostics)
    ctx = SiteContext(project, site_diagnostics, summary, diagrams, tests, baseline, page_cache)
    files: dict[str, str | bytes] = dict(generate_site(ctx))
    pages_record = page_cache.record() if page_cache is not None else None
    if pages_record is not None:
        files[RECORD] = pages_record
    try:
        report = write_tree(sources, files)
        kept = f" ({page_cache.reused} pages kept)" if page_cache and page_cache.reused else ""
        progress.step(
            "generate", f"generated {len(files)} files{kept}, {len(report.written)} changed"
        )
        # What the site is built from (the page cache's record is bookkeeping).
        published = {path: h for path, h in report.hashes.items() if path != RECORD}
        record = {
            "version": __version__,
            "fingerprint": fingerprint,
            "renderer": renderer_digest(),
            "files": published,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "diagrams_complete": diagrams.note is None or not options.diagrams,
        }
        result = BuildResult(
            1 if failing else 0,
            "built",
            summary,
            pages_written=len(report.written),
            pages_kept=page_cache.reused if page_cache is not None else 0,
            diagram_note=diagrams.note,
        )
        if (
            not options.force
            and marker is not None
            and marker.get("files") == published
            # Same pages, another MkDocs, Material or reqdsl: other HTML, so rebuild.
            and marker.get("renderer") == record["renderer"]
        ):
            record["site"] = marker["site"]  # the published files, verified as unchanged
            write_marker(out, record)
            result.state = "marker updated"
            progress.step("total", "no page changed; the site is up to date")
        else:
            changed = None if options.force else changed_pages(marker, record, out)
            sealed = marker.get("site") if marker is not None and changed is not None else None
            result.mkdocs_warnings = _publish(
                sources, out, record, progress, changed, options.use_cache, sealed
            )
            result.rendered = None if changed is None else len(changed)
    finally:
        if temporary:
            shutil.rmtree(sources, ignore_errors=True)
    result.timings = progress.timings
    return result


def changed_pages(
    marker: dict[str, Any] | None, record: dict[str, Any], out: Path
) -> set[str] | None:
    """The files under docs/ whose content differs from what the published site was
    built from, when only they need rendering; None when the whole site must be built:
    no previous site, another reqdsl/MkDocs/Material, another mkdocs.yml (navigation,
    titles), or a file added or removed (MkDocs would leave a stale page behind)."""
    if marker is None or not (out / "search" / "search_index.json").is_file():
        return None
    before, now = marker.get("files"), record["files"]
    if not isinstance(before, dict) or marker.get("renderer") != record["renderer"]:
        return None
    if before.keys() != now.keys() or before.get("mkdocs.yml") != now.get("mkdocs.yml"):
        return None
    prefix = "docs/"
    return {
        path[len(prefix) :]
        for path, digest in now.items()
        if path.startswith(prefix) and before[path] != digest
    }


def diff_counts(diff: Any) -> str:
    return f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"


def _publish(
    sources: Path,
    out: Path,
    record: dict[str, object],
    progress: Progress,
    changed: set[str] | None = None,
    template_cache: bool = False,
    sealed: dict[str, str] | None = None,
) -> list[str]:
    """Build into a staging folder and swap it in. With `changed`, the staging folder
    starts as a copy of the published site (whose files were verified against `sealed`,
    their hashes in its marker) and MkDocs renders only those files."""
    staging = staging_folder(out)
    known = None
    try:
        if changed is not None:
            # `out` was verified file by file against its sealed marker (no link in it);
            # links would be copied as links all the same, never followed.
            shutil.copytree(
                out, staging, dirs_exist_ok=True, copy_function=shutil.copy2, symlinks=True
            )
            if sealed is not None:  # the copies keep their verified hashes until written
                known = stamped(staging, sealed)
        warnings = run_mkdocs(
            sources / "mkdocs.yml", staging, changed=changed, template_cache=template_cache
        )
        what = "mkdocs build done" if changed is None else f"mkdocs rendered {len(changed)} files"
        progress.step("mkdocs", what + (f", {len(warnings)} warnings" if warnings else ""))
        # The marker seals every published file's hash: a page changed in the output
        # folder afterwards (a pull request to a committed site) is never trusted.
        published = site_hashes(staging, known)
        if published is None:  # MkDocs writes plain files only: never seal "no files"
            raise PublishError(f"the built site in `{staging}` holds a link or a special file")
        record["site"] = published
        write_marker(staging, record)
        swap_in(staging, out)
    except BaseException:
        remove_marked(staging)
        raise
    progress.step("publish", f"site written to {out}")
    return warnings


def _sources_folder(options: BuildOptions, out: Path) -> tuple[Path, bool]:
    """The MkDocs project's folder, kept between builds so that unchanged pages are not
    rewritten; a temporary one with --no-cache or when the project is read-only."""
    if options.sources is not None:
        options.sources.mkdir(parents=True, exist_ok=True)
        return options.sources, False
    if options.use_cache:
        key = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
        folder = project_cache_dir(options.project) / SOURCES / key
        try:
            ensure_private_dir(folder)
            if os.access(folder, os.W_OK):
                return folder, False
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="reqdsl-site-")), True


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_DIRTY_WARNING):  # our incremental build is exact
            self.messages.append(message)


_DIRTY_WARNING = "A 'dirty' build is being performed"


def run_mkdocs(
    config_file: Path,
    site_dir: Path,
    *,
    changed: set[str] | None = None,
    template_cache: bool = False,
) -> list[str]:
    """A real `mkdocs build` in this process, with the plugin of reqdsl.site.fastpages
    (same pages, rendered without re-parsing their HTML); returns MkDocs' warnings.
    Raises SiteError when MkDocs fails. `changed` (paths under docs/) makes it
    MkDocs' dirty build into a copy of the previous site, rendering only those files.
    `template_cache` keeps Material's compiled templates (reqdsl.site.template_cache)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    saved = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        from .fastpages import FastPages

        config.plugins["reqdsl-fast-pages"] = FastPages(changed, template_cache)
        build(config, dirty=changed is not None)
    except MkDocsException as error:
        raise SiteError(f"mkdocs build failed: {error}") from error
    except SystemExit as error:  # mkdocs' Abort
        raise SiteError(f"mkdocs build failed: {error}") from error
    finally:
        logger.removeHandler(handler)
        logger.propagate, level = saved
        logger.setLevel(level)
    return handler.messages


@cache
def renderer_digest() -> str:
    """What turns the same Markdown into other HTML: reqdsl, MkDocs and Material."""
    from importlib.metadata import PackageNotFoundError, version

    from ..resources import code_digest

    parts = [__version__, code_digest()]
    for package in ("mkdocs", "mkdocs-material"):
        try:
            parts.append(version(package))
        except PackageNotFoundError:
            parts.append("?")
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def pages_key(project: Any, junit_digest: str, options: BuildOptions) -> str:
    """What every page depends on besides the model: reqdsl, the JUnit reports,
    reqdsl.toml, custom catalogues, whether diagrams are drawn."""
    parts = [renderer_digest(), junit_digest, str(options.diagrams)]
    config = project.config
    parts.append(config.source.text if config.source is not None else "")
    for scheme, path in sorted(config.catalogs.items()):
        try:
            parts.append(f"{scheme}:{hashlib.blake2b(Path(path).read_bytes()).hexdigest()}")
        except OSError:
            parts.append(f"{scheme}:?")
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def site_fingerprint(scan_fingerprint: str, baseline: str, options: BuildOptions) -> str:
    """Everything a published site depends on: equal fingerprints, nothing to do (the
    scan's fingerprint holds the JUnit reports; `baseline` is the --baseline commit)."""
    parts = (scan_fingerprint, baseline, renderer_digest(), str(options.diagrams))
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


def _in_site_language(project: Project, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics as the site shows them: in the project's language. The terminal
    speaks the user's locale; when the two differ, the rules run again in the site's
    language (the same findings, worded for its readers; what loading found, such as a
    syntax error, keeps the terminal's wording)."""
    from ..checks.registry import run_checks
    from ..checks.withheld import withhold_syntax_caused
    from ..i18n import current, language

    site_language = project.config.language
    if site_language == current():
        return diagnostics
    with language(site_language):
        worded, _withheld = withhold_syntax_caused(project, run_checks(project))
    return worded
