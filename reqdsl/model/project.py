"""Loading a project: discover files, parse (cached, in parallel), bind, resolve.

The at-once phases of the pipeline (reqdsl.pipeline.Session.load, TRLC's
Source_Manager.process): configuration -> discovery -> parse -> bind -> index and
resolve. Each phase keeps going after errors so that one run reports every problem it
can find. Entry points go through the session, not here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..catalogs import Catalog, CatalogError, builtin_catalogs, load_tsv_catalog
from ..checks.registry import emit
from ..diagnostics import Diagnostic, Related
from ..i18n import _
from ..parse.cache import ParseCache
from ..parse.parser import parse_text
from ..parse.syntax import ParsedFile, SyntaxProblem
from ..source import DecodeProblem, SourceFile
from ..util.gc_pause import paused_gc
from .config import Config, ConfigError
from .elements import ModelElement
from .loaded import CustomFields, LoadedFile, custom_fields_key, elements_of, load_file
from .resolve import MAX_HINTED, Resolver, build_index
from .schema import TRACE_FIELDS
from .sources import ProjectError, Scan, discover, read_problems, scan_project

if TYPE_CHECKING:
    from ..interop.junit import JunitResults

PARALLEL_BYTES = 1_500_000  # below this, starting worker processes costs more than it saves


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
    # Test results of the JUnit reports read with the project (check, build, export);
    # None when none were read. The TR rules and the coverage figures weigh them.
    junit: JunitResults | None = None
    _graph: Any = None  # networkx.MultiDiGraph, built on first use
    _back_links: dict[tuple[str, str], dict[str, list[ModelElement]]] = field(default_factory=dict)
    _by_kind: dict[str, list[ModelElement]] | None = None  # built on first use after linking

    def _kinds(self) -> dict[str, list[ModelElement]]:
        """Elements by kind, in order; rules ask for kinds ~30 times per check."""
        if self._by_kind is None:
            by_kind: dict[str, list[ModelElement]] = {}
            for element in self.elements:
                by_kind.setdefault(element.kind, []).append(element)
            self._by_kind = by_kind
        return self._by_kind

    @property
    def files(self) -> list[str]:
        return list(self.sources)

    def of_kind(self, *kinds: str) -> list[ModelElement]:
        if len(kinds) == 1:
            return list(self._kinds().get(kinds[0], ()))
        return [e for e in self.elements if e.kind in kinds]

    def live(self, *kinds: str) -> list[ModelElement]:
        """Elements of these kinds without a syntax error (the ones checks look at)."""
        if len(kinds) == 1:
            return [e for e in self._kinds().get(kinds[0], ()) if not e.broken]
        return [e for e in self.elements if e.kind in kinds and not e.broken]

    def graph(self) -> Any:
        """Trace links as written, source -> target, one edge per link, keyed by field
        (a networkx MultiDiGraph). Back-links are the graph's in-edges."""
        if self._graph is None:
            import networkx as nx

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

    def back_links(self, kind: str, field: str) -> dict[str, list[ModelElement]]:
        """Target ID -> the live elements of `kind` whose `field` names it, as written
        (links count whether or not they resolve); computed once per (kind, field)."""
        key = (kind, field)
        found = self._back_links.get(key)
        if found is None:
            found = {}
            for element in self.live(kind):
                for value in element.refs(field):
                    found.setdefault(value.raw, []).append(element)
            self._back_links[key] = found
        return found

    def report(self, diagnostic: Diagnostic) -> None:
        self.found.setdefault(diagnostic.code, []).append(diagnostic)


class SyntaxTrees(dict[str, ParsedFile]):
    """`Project.parsed`: the syntax tree of a file, parsed when first asked for. Loading
    keeps bound elements, not trees (reqdsl.model.loaded); few need a tree afterwards
    (the language server's first load, DE002 on a malformed `scores`)."""

    def __init__(self, sources: dict[str, SourceFile]) -> None:
        super().__init__()
        self._sources = sources

    def get(self, relpath: str, default: Any = None) -> Any:  # type: ignore[override]
        found = super().get(relpath)
        if found is not None:
            return found
        source = self._sources.get(relpath)
        if source is None:
            return default
        parsed = self[relpath] = parse_text(source.text, relpath)
        return parsed

    def fill(self) -> None:
        """Parse every file not parsed yet, on every core when there is enough text (the
        language server's first load wants all of them)."""
        missing = [(relpath, s.text) for relpath, s in self._sources.items() if relpath not in self]
        self.update(parse_all(missing))


def parse_all(jobs: list[tuple[str, str]]) -> dict[str, ParsedFile]:
    """(relpath, text) -> syntax trees, parsed on every core when there is enough text."""
    trees = in_workers(_parse_job, jobs, sum(len(text) for _, text in jobs))
    return {
        relpath: tree or parse_text(text, relpath)
        for (relpath, text), tree in zip(jobs, trees or [None] * len(jobs), strict=True)
    }


def in_workers(function: Callable[[Any], Any], jobs: list[Any], size: int) -> list[Any] | None:
    """`function` over `jobs` in forked worker processes, one per core, when there is
    enough text (`size` characters) to pay for them; None when it is not worth it or
    processes cannot be forked (the caller then works alone). The parsers are built
    first, and the rule registry `emit` consults is filled, so that every worker
    inherits them (the checks load the same families right after loading anyway)."""
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or size < PARALLEL_BYTES or len(jobs) < 2:
        return None
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return None
    from ..checks import load_rule_modules
    from ..parse.parser import get_fast_parser, get_parser

    get_fast_parser()
    get_parser()
    load_rule_modules()
    language = i18n.current()
    work = [(language, function, job) for job in jobs]
    with context.Pool(workers) as pool:
        return pool.map(_in_language, work, chunksize=max(1, len(jobs) // (workers * 4)))


def _in_language(work: tuple[str, Callable[[Any], Any], Any]) -> Any:
    """One job in the caller's language: a syntax message is made (and cached) in the
    worker. A forked worker inherits the language, but a context variable does not cross
    other start methods: it is passed, not assumed."""
    language, function, job = work
    with i18n.language(language):
        return function(job)


def _parse_job(job: tuple[str, str]) -> ParsedFile:
    relpath, text = job
    return parse_text(text, relpath)


_Job = tuple[str, str, str]  # relpath, cache key, text


def _load_job(job: tuple[str, str, str, CustomFields, ParseCache | None]) -> LoadedFile | None:
    """Parse and bind one file in a worker. With a cache the worker writes the entry
    itself and returns nothing: the parent reads it back, and nothing is pickled twice."""
    relpath, key, text, custom_fields, cache = job
    loaded = load_file(text, relpath, custom_fields)
    if cache is None:
        return loaded
    cache.put(relpath, key, loaded)
    return None


def _load_all(jobs: list[_Job], cache: ParseCache, custom_fields: CustomFields) -> list[LoadedFile]:
    """Parse and bind files (in workers when that pays), through the cache."""
    return [found.read() for found in _load_all_deferred(jobs, cache, custom_fields)]


class Deferred:
    """A file parsed and bound, or its cache entry, to be read and decoded when its
    elements are made (`read`, once).

    Loading makes a file's elements from its entry one file at a time: decoding every
    entry first held the whole project twice over at once, as the decoder's per-element
    dicts and then as elements (about 100 MiB of peak at 100,000 requirements, which
    the allocator keeps after the dicts are freed; docs/performance.md). An entry gone
    or damaged by then is parsed again here: the cache can make loading faster, never
    different."""

    __slots__ = ("cache", "custom_fields", "key", "loaded", "relpath", "text")

    def __init__(
        self,
        relpath: str,
        key: str,
        text: str,
        cache: ParseCache,
        custom_fields: CustomFields,
        loaded: LoadedFile | None = None,
    ) -> None:
        self.relpath = relpath
        self.key = key
        self.text = text
        self.cache = cache
        self.custom_fields = custom_fields
        self.loaded = loaded

    def read(self) -> LoadedFile:
        found, self.loaded = self.loaded, None
        if found is None:
            found = self.cache.get(self.relpath, self.key)
        if found is None:
            found = load_file(self.text, self.relpath, self.custom_fields)
            self.cache.put(self.relpath, self.key, found)
        return found


def _load_all_deferred(
    jobs: list[_Job], cache: ParseCache, custom_fields: CustomFields
) -> list[Deferred]:
    """`_load_all`, each file read back from the cache only when asked (`Deferred`)."""
    shared = cache if cache.enabled else None
    work = [(*job, custom_fields, shared) for job in jobs]
    results = in_workers(_load_job, work, sum(len(text) for _, _, text in jobs))
    if results is None:
        results = [None] * len(jobs)
        shared = None  # working alone: parse and write the entries as they are read
    # A worker with a cache wrote its entry and returned None: read when asked.
    return [
        Deferred(relpath, key, text, cache, custom_fields, result)
        for (relpath, key, text), result in zip(jobs, results, strict=True)
    ]


def load_project(
    root: Path, *, use_cache: bool = True, scan: Scan | None = None, allow_empty: bool = False
) -> Project:
    """Parse (through the cache), bind and resolve a project; `scan` if already read.
    `allow_empty`: a project with no `.req` file is loaded, not refused (scan_project)."""
    scan = scan or scan_project(root, allow_empty=allow_empty)
    project = Project(root=root, config=scan.config)
    _load_catalogs(project)
    if scan.reports is not None:
        project.junit = _junit_results(scan)
    with paused_gc(freeze=True):  # the loaded model, frozen afterwards
        loaded = _load_files(project, scan, use_cache)
        project.parsed = SyntaxTrees(project.sources)
        order = 0
        for relpath in project.sources:
            deferred = loaded.pop(relpath, None)
            if deferred is None:
                continue
            found = deferred.read()  # its values move into the elements
            for problem in found.problems:
                project.report(syntax_diagnostic(relpath, problem))
            bound = elements_of(found, order)
            order += len(bound)
            project.elements.extend(bound)
            for diagnostic in found.diagnostics:
                project.report(diagnostic)
        link_project(project)
    return project


def link_project(project: Project) -> None:
    """Index the bound elements by ID (SM001) and resolve their references (SM002,
    SM003); the last phase of loading, shared with the language server."""
    project._by_kind = None  # the elements are final now: index them by kind on demand
    project.index, duplicates = build_index(project.elements)
    for diagnostic in duplicates:
        project.report(diagnostic)
    for diagnostic in Resolver(project.index).resolve(project.elements):
        project.report(diagnostic)


@dataclass
class Linking:
    """How the files of a model were resolved (the file-at-a-time way keeps it): each
    file's resolver diagnostics and the names it asked hints for, the IDs' kinds, and
    the resolver's candidate pools (valid while the IDs and their kinds are the same)."""

    kinds: dict[str, str]
    diagnostics: dict[str, list[Diagnostic]]
    asked: dict[str, set[tuple[str, tuple[str, ...]]]]
    pools: dict[tuple[str, ...], Any]


def link_files(project: Project, last: Linking | None, files: set[str]) -> Linking:
    """`link_project` that resolves again only the elements of `files` when the rest
    of the resolution can be kept from `last`: the same IDs of the same kinds (so the
    same targets outside `files` and the same hints), and no more names to hint than the
    cap (so every name gets its hint, in whatever order). Else everything is resolved."""
    project._by_kind = None
    project.index, duplicates = build_index(project.elements)
    for diagnostic in duplicates:
        project.report(diagnostic)
    kinds = {identifier: element.kind for identifier, element in project.index.items()}
    linking = None
    if last is not None and last.kinds == kinds:
        kept = Linking(kinds, dict(last.diagnostics), dict(last.asked), last.pools)
        linking = _resolved(project, kept, files)
        if len(set().union(*linking.asked.values())) > MAX_HINTED:
            linking = None
    if linking is None:
        linking = _resolved(project, Linking(kinds, {}, {}, {}), set(project.sources))
    for relpath in project.sources:
        for diagnostic in linking.diagnostics.get(relpath, ()):
            project.report(diagnostic)
    return linking


def _resolved(project: Project, linking: Linking, files: set[str]) -> Linking:
    """The resolution of `files` (in project order, each file with a resolver of its own
    sharing the candidate pools and hints) put into `linking`."""
    resolver = Resolver(project.index)
    resolver._candidates = linking.pools
    for relpath in files | (set(linking.diagnostics) - set(project.sources)):
        linking.diagnostics.pop(relpath, None)
        linking.asked.pop(relpath, None)
    elements = [e for e in project.elements if e.path in files]
    for run in _file_runs(elements):
        resolver.diagnostics, resolver.asked = [], set()
        resolver.resolve(run)
        linking.diagnostics[run[0].path] = resolver.diagnostics
        linking.asked[run[0].path] = resolver.asked
    return linking


def _file_runs(elements: list[ModelElement]) -> list[list[ModelElement]]:
    runs: list[list[ModelElement]] = []
    for element in elements:
        if runs and runs[-1][0].path == element.path:
            runs[-1].append(element)
        else:
            runs.append([element])
    return runs


def _load_files(project: Project, scan: Scan, use_cache: bool) -> dict[str, Deferred]:
    """Every readable file parsed and bound (through the cache), to be read when its
    elements are made: relpath -> Deferred. A file with an entry in the cache is not
    parsed (an entry that turns out unreadable is parsed when read, alone)."""
    cache = ParseCache(scan.root, enabled=use_cache)
    custom_fields = project.config.custom_fields
    fields_key = custom_fields_key(custom_fields)
    loaded: dict[str, Deferred] = {}
    jobs: list[_Job] = []
    for scanned in scan.files:
        relpath = scanned.relpath
        project.sources[relpath] = scanned.source
        for problem in read_problems(scanned):
            project.report(problem)
        if scanned.unreadable is not None:
            continue
        key = f"{scanned.key}-{fields_key}"
        if cache.has(relpath, key):
            loaded[relpath] = Deferred(relpath, key, scanned.source.text, cache, custom_fields)
        else:
            jobs.append((relpath, key, scanned.source.text))
    for found in _load_all_deferred(jobs, cache, custom_fields):
        loaded[found.relpath] = found
    if jobs:
        cache.keep_only(
            {(f.relpath, f"{f.key}-{fields_key}") for f in scan.files if f.unreadable is None}
        )
    return loaded


def syntax_diagnostic(relpath: str, problem: SyntaxProblem | DecodeProblem) -> Diagnostic:
    """SY001 for a problem of the parser or the decoder, with its related places."""
    related = [
        Related(place.message, relpath, place.span) for place in getattr(problem, "related", ())
    ]
    return emit(
        "SY001",
        problem.message,
        relpath,
        problem.span,
        hint=problem.hint,
        related=related,
    )


def _junit_results(scan: Scan) -> JunitResults:
    """The reports the scan read, parsed (defusedxml); an unusable one is ProjectError."""
    from ..interop.junit import JunitError, junit_results

    try:
        return junit_results((report.name, report.data) for report in scan.reports or ())
    except JunitError as error:
        raise ProjectError(str(error)) from error


def _load_catalogs(project: Project) -> None:
    catalogs, errors = load_catalogs(project.config)
    if errors:
        raise ProjectError(errors[0])
    project.catalogs = catalogs


def load_catalogs(config: Config) -> tuple[dict[str, Catalog], list[str]]:
    """The built-in catalogues and the project's own, and why any of its own could not
    be loaded (those are left out)."""
    catalogs = dict(builtin_catalogs())
    errors: list[str] = []
    for scheme, path in config.catalogs.items():
        try:
            catalogs[scheme] = load_tsv_catalog(scheme, path)
        except CatalogError as error:
            errors.append(
                _("{config}: catalogue `{scheme}`: {error}").format(
                    config="reqdsl.toml", scheme=scheme, error=error
                )
            )
    return catalogs, errors


__all__ = [
    "ConfigError",
    "Project",
    "ProjectError",
    "discover",
    "link_files",
    "link_project",
    "load_catalogs",
    "load_project",
    "parse_all",
    "scan_project",
    "syntax_diagnostic",
]
