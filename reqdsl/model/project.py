"""Loading a project: discover files, parse (cached, in parallel), bind, resolve.

One driver runs the phases in order (TRLC's Source_Manager.process): configuration ->
discovery -> parse -> bind -> index and resolve. Each phase keeps going after errors so
that one run reports every problem it can find.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from ..catalogs import Catalog, CatalogError, builtin_catalogs, load_tsv_catalog
from ..diagnostics import Diagnostic, Severity
from ..parse.cache import ParseCache, content_key
from ..parse.parser import decode_source, parse_text
from ..parse.syntax import ParsedFile, SyntaxProblem
from ..source import SourceFile, Span, normalise_text
from .binder import bind_file
from .config import Config, ConfigError, load_config
from .elements import ModelElement
from .resolve import Resolver, build_index
from .schema import TRACE_FIELDS

PARALLEL_BYTES = 1_500_000  # below this, starting worker processes costs more than it saves


class ProjectError(Exception):
    """The project cannot be loaded at all (no such folder, bad configuration)."""


@dataclass
class Project:
    root: Path
    config: Config
    sources: dict[str, SourceFile] = field(default_factory=dict)
    parsed: dict[str, ParsedFile] = field(default_factory=dict)
    elements: list[ModelElement] = field(default_factory=list)
    index: dict[str, ModelElement] = field(default_factory=dict)
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    # Diagnostics found while loading, by code (SY001, SM001-SM005): the rules that
    # document these codes hand them on.
    found: dict[str, list[Diagnostic]] = field(default_factory=dict)
    _graph: nx.MultiDiGraph | None = None

    @property
    def files(self) -> list[str]:
        return list(self.sources)

    def of_kind(self, *kinds: str) -> list[ModelElement]:
        return [e for e in self.elements if e.kind in kinds]

    def live(self, *kinds: str) -> list[ModelElement]:
        """Elements of these kinds without a syntax error (the ones checks look at)."""
        return [e for e in self.elements if e.kind in kinds and not e.broken]

    def graph(self) -> nx.MultiDiGraph:
        """Trace links as written, source -> target, one edge per link, keyed by field.
        Back-links are the graph's in-edges."""
        if self._graph is None:
            graph = nx.MultiDiGraph()
            for element in self.elements:
                if element.id is None or element.broken:
                    continue
                graph.add_node(element.id)
                for name in TRACE_FIELDS:
                    if not element.has(name):
                        continue
                    for value in element.refs(name):
                        graph.add_edge(element.id, value.raw, key=name, span=value.span)
            self._graph = graph
        return self._graph

    def report(self, diagnostic: Diagnostic) -> None:
        self.found.setdefault(diagnostic.code, []).append(diagnostic)


def discover(root: Path, config: Config) -> list[tuple[str, Path]]:
    """Every `.req` file under the source folders, as (relative path, path), sorted by
    the relative path's code points. Symbolic links to folders are not followed (a link
    loop must not hang the run); linked files are read."""
    found: dict[str, Path] = {}
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
                        relpath = path.relative_to(root.resolve()).as_posix()
                    except ValueError:
                        relpath = path.as_posix()
                    found[relpath] = path
    return sorted(found.items())


def _parse_job(job: tuple[str, str]) -> ParsedFile:
    relpath, text = job
    return parse_text(text, relpath)


def _parse_all(jobs: list[tuple[str, str]]) -> list[ParsedFile]:
    """Parse files, on every core when there is enough text to pay for the processes."""
    size = sum(len(text) for _, text in jobs)
    workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and size >= PARALLEL_BYTES and len(jobs) > 1:
        import multiprocessing

        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            context = None
        if context is not None:
            from ..parse.parser import get_parser

            get_parser()  # build once, inherited by the forked workers
            chunk = max(1, len(jobs) // (workers * 4))
            with context.Pool(workers) as pool:
                return pool.map(_parse_job, jobs, chunksize=chunk)
    return [_parse_job(job) for job in jobs]


def load_project(root: Path, *, use_cache: bool = True) -> Project:
    if not root.is_dir():
        raise ProjectError(f"`{root}` is not a folder")
    try:
        config = load_config(root)
    except ConfigError as error:
        raise ProjectError(str(error)) from error
    project = Project(root=root, config=config)
    _load_catalogs(project)

    jobs: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    gc_was_enabled = gc.isenabled()
    # Loading allocates millions of objects and no garbage cycles: collections would
    # scan them again and again (superlinear time). Frozen afterwards, they are never
    # scanned again by the checks or a long-running language server.
    gc.disable()
    try:
        cache = ParseCache(root, enabled=use_cache)
        for relpath, path in discover(root, config):
            try:
                data = path.read_bytes()
            except OSError as error:
                project.sources[relpath] = SourceFile(relpath, "", path)
                project.report(
                    Diagnostic(
                        "SY001",
                        Severity.ERROR,
                        f"cannot read the file: {error.strerror or error}",
                        relpath,
                        Span(0, 0, 1, 1, 1, 1),
                        hint="check its permissions",
                    )
                )
                continue
            text, decode_problem = decode_source(data)
            text = normalise_text(text)
            project.sources[relpath] = SourceFile(relpath, text, path)
            key = content_key(data)
            keys[relpath] = key
            cached = cache.get(relpath, key)
            if cached is not None:
                project.parsed[relpath] = cached
            else:
                jobs.append((relpath, text))
            if decode_problem is not None:
                project.report(_syntax_diagnostic(relpath, decode_problem))
        for parsed in _parse_all(jobs):
            project.parsed[parsed.relpath] = parsed
            cache.put(parsed.relpath, keys[parsed.relpath], parsed)
        cache.keep_only(set(keys))
        cache.save()

        order = 0
        for relpath in project.sources:
            parsed_file = project.parsed.get(relpath)
            if parsed_file is None:
                continue
            for problem in parsed_file.problems:
                project.report(_syntax_diagnostic(relpath, problem))
            bound, diagnostics = bind_file(parsed_file, config.custom_fields, order)
            order += len(bound)
            project.elements.extend(bound)
            for diagnostic in diagnostics:
                project.report(diagnostic)
        project.index, duplicates = build_index(project.elements)
        for diagnostic in duplicates:
            project.report(diagnostic)
        for diagnostic in Resolver(project.index).resolve(project.elements):
            project.report(diagnostic)
    finally:
        gc.freeze()
        if gc_was_enabled:
            gc.enable()
    return project


def _syntax_diagnostic(relpath: str, problem: SyntaxProblem) -> Diagnostic:
    return Diagnostic(
        "SY001", Severity.ERROR, problem.message, relpath, problem.span, hint=problem.hint
    )


def _load_catalogs(project: Project) -> None:
    catalogs = dict(builtin_catalogs())
    for scheme, path in project.config.catalogs.items():
        try:
            catalogs[scheme] = load_tsv_catalog(scheme, path)
        except CatalogError as error:
            raise ProjectError(f"reqdsl.toml: catalogue `{scheme}`: {error}") from error
    project.catalogs = catalogs


__all__ = ["ConfigError", "Project", "ProjectError", "load_project"]
