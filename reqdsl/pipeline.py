"""The pipeline: one project read, bound and checked the same way by every entry point.

A `Session` holds a project on its way through the phases (TRLC's Source_Manager):
configuration -> sources (files on disk, or an editor's unsaved text: overlays) -> parse
-> bind -> index and resolve -> checks -> findings only a syntax error causes withheld.
`reqdsl check`, `build` (and `serve`), `export`, `import`, `diff`, `report`, `diagrams`,
`trace`, `review stamp` and the language server all go through it: a file is read by
one function (reqdsl.model.sources.read_scanned), whatever asks.

Two ways through the same phases:

- at once (`scan`, `load`, `check`): every file parsed and bound through the parse
  cache, on every core for a large project; syntax trees are not kept;
- one file at a time (`open_files`, `edit`, `reread`, then `recheck`): syntax trees are
  kept; a change re-parses the changed file only, and `recheck` re-binds the files whose
  tree changed (the others keep their bound elements: `BindCache`), resolves, and runs
  the checks again. The language server works this way.

This module imports neither the parser nor the model at import time: `reqdsl check` on
an unchanged project answers from its result cache after `scan` alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks.registry import emit
from .diagnostics import Diagnostic, Summary
from .model.config import CONFIG_NAME, Config, ConfigError, load_config
from .model.sources import (
    FILE_START,
    ProjectError,
    Scan,
    discover,
    read_problems,
    read_scanned,
    scan_project,
)
from .source import SourceFile, normalise_text
from .util.gc_pause import paused_gc

if TYPE_CHECKING:
    from .catalogs import Catalog
    from .checks.incremental import FileFacts
    from .checks.withheld import SecondRun
    from .interop.junit import JunitResults
    from .model.elements import ModelElement
    from .model.loaded import LoadedFile
    from .model.project import Linking, Project
    from .parse.syntax import ParsedFile, SyntaxProblem


class FileState:
    """One `.req` file of the file-at-a-time way: its text (the editor's when overlaid),
    the problems found while reading it (unreadable, not UTF-8), and its syntax tree.
    A file read through the parse cache comes with its bound elements (`loaded`) and
    no tree: the tree is parsed when first asked for (`parsed`; few files ever are:
    the one being navigated, a file with a syntax error)."""

    def __init__(
        self,
        relpath: str,
        source: SourceFile,
        parsed: ParsedFile | None,
        load_problems: list[Diagnostic] | None = None,
        loaded: LoadedFile | None = None,
    ) -> None:
        self.relpath = relpath
        self.source = source
        self._parsed = parsed
        self.load_problems = load_problems or []
        self.loaded = loaded  # bound elements from the cache, until bound (used once)
        self.problems = loaded.problems if loaded is not None else None  # its SY001s
        self._lazy = loaded is not None
        self.facts: FileFacts | None = None  # for incremental checking, once bound

    @property
    def readable(self) -> bool:
        return self._parsed is not None or self._lazy

    @property
    def parsed(self) -> ParsedFile | None:
        """The syntax tree (None when the file could not be read), parsed on first use
        for a file read through the cache."""
        if self._parsed is None and self._lazy:
            from .parse.parser import parse_text

            self._parsed = parse_text(self.source.text, self.relpath)
        return self._parsed

    def syntax_problems(self) -> list[SyntaxProblem]:
        if self.problems is not None:
            return self.problems
        return list(self._parsed.problems) if self._parsed is not None else []


class _StateTrees(dict[str, "ParsedFile"]):
    """`Project.parsed` of the file-at-a-time way: the files' trees, parsed when asked."""

    def __init__(self, files: dict[str, FileState]) -> None:
        super().__init__()
        self._files = files

    def get(self, relpath: str, default: Any = None) -> Any:  # type: ignore[override]
        state = self._files.get(relpath)
        parsed = state.parsed if state is not None else None
        return default if parsed is None else parsed


@dataclass
class _LastCheck:
    """The last check of the file-at-a-time way: its inputs besides the files (the
    configuration, catalogues, JUnit reports), the files' states and facts, and each
    rule's diagnostics."""

    inputs: tuple[object, ...]
    files: dict[str, FileState]
    facts: dict[str, FileFacts]
    linking: Linking
    by_rule: dict[str, list[Diagnostic]]

    def second_run(self, other: Project, rebound: set[str]) -> list[Diagnostic]:
        """The checks of the model as if its broken elements parsed (withheld.py),
        incrementally from this check: it differs only in the `rebound` files."""
        from .checks.incremental import FileFacts, linked_files, run_incremental
        from .checks.registry import finish
        from .model.project import link_files

        facts = dict(self.facts)
        for relpath in rebound:
            ids = frozenset(e.id for e in other.elements if e.path == relpath and e.id)
            facts[relpath] = FileFacts(ids, self.facts[relpath].mentions)
        linked = linked_files(rebound, self.facts, facts)
        link_files(other, self.linking, linked)
        # withheld.py compares findings by place, in any order: no sort needed
        found = run_incremental(other, self.by_rule, rebound, linked, withheld_run=True)
        return finish(other, found, ordered=False)


# relpath -> (the file's state it was bound from, its elements, the binder's diagnostics)
BindCache = dict[str, tuple["FileState", list["ModelElement"], list[Diagnostic]]]


@dataclass
class Checked:
    """The checked model: the diagnostics to report, and how many were withheld."""

    project: Project
    diagnostics: list[Diagnostic]
    withheld: int

    def summary(self) -> Summary:
        from .model.facts.trace import compute_coverage

        project = self.project
        elements = sum(1 for element in project.elements if element.id is not None)
        return Summary.count(
            self.diagnostics,
            len(project.sources),
            elements,
            coverage=compute_coverage(project),
            withheld=self.withheld,
        )


class Session:
    """One project through the pipeline.

    `use_cache`: parse through the parse cache (the at-once way). `allow_empty`: a
    project without any `.req` file is loaded, not refused (an old git revision, a diff,
    an editor's new folder). `tolerant`: a broken reqdsl.toml or catalogue becomes a
    diagnostic (`config_problem`) and the files are read with the defaults, instead of
    ProjectError (an editor keeps working while the file is being fixed). `junit`: the
    JUnit reports reqdsl.toml names, plus these, are read with the project and weighed
    by the TR rules (check, build, export); None: no report is read (the editor,
    diagrams, reports: a report CI has not written yet never breaks them).
    """

    def __init__(
        self,
        root: Path,
        *,
        use_cache: bool = True,
        allow_empty: bool = False,
        tolerant: bool = False,
        junit: Sequence[Path] | None = None,
    ) -> None:
        self.root = root
        self.use_cache = use_cache
        self.allow_empty = allow_empty
        self.tolerant = tolerant
        self.junit = None if junit is None else list(junit)
        self.config = Config(root=root)
        self.catalogs: dict[str, Catalog] = {}
        self.config_problem: Diagnostic | None = None
        self.files: dict[str, FileState] = {}  # the one-file-at-a-time way's sources
        self.overlays: set[str] = set()  # files whose text is the editor's, not the disk's
        self.bound: BindCache = {}
        self._scan: Scan | None = None
        self._project: Project | None = None
        self.checked: Checked | None = None
        self._last: _LastCheck | None = None  # what the next recheck can start from
        self.checked_files: dict[str, FileState] = {}  # the files' states last rechecked
        self._store: dict[str, Any] = {}  # what rules keep between rechecks (CheckContext)
        self._junit: tuple[object, JunitResults] | None = None  # the reports, parsed

    @property
    def project(self) -> Project:
        """The model last built (an empty one before any)."""
        if self._project is None:
            from .model.project import Project, link_project

            self._project = Project(root=self.root, config=self.config)
            link_project(self._project)
        return self._project

    # ------------------------------------------------------------------ at once
    def scan(self) -> Scan:
        """The configuration and every file's bytes, read once (ProjectError)."""
        if self._scan is None:
            self._scan = scan_project(self.root, allow_empty=self.allow_empty, junit=self.junit)
            self.config = self._scan.config
        return self._scan

    def load(self) -> Project:
        """Parse (through the cache), bind and resolve every file (ProjectError)."""
        from .model.project import load_project

        scan = self.scan()
        self._project = load_project(self.root, use_cache=self.use_cache, scan=scan)
        self.catalogs = self._project.catalogs
        return self._project

    def check(self) -> Checked:
        """Load, then run the checks (ProjectError)."""
        return self._run_checks(self.load())

    # ------------------------------------------------------------ file at a time
    def open_files(self) -> None:
        """(Re)read the configuration and every file from disk, bound through the parse
        cache (with `use_cache`; a file not in it is parsed, on every core when there is
        enough text, and written to it); overlaid files keep the editor's text. Syntax
        trees are parsed when first asked for. Tolerant of a broken configuration when
        the session is (else ProjectError)."""
        from .model.loaded import custom_fields_key
        from .model.project import _load_all
        from .parse.cache import ParseCache

        kept = {relpath: self.files[relpath] for relpath in self.overlays if relpath in self.files}
        self.bound = {}
        scan = self._tolerant_scan() if self.tolerant else self._strict_scan()
        cache = ParseCache(self.root, enabled=self.use_cache)
        custom_fields = self.config.custom_fields
        fields_key = custom_fields_key(custom_fields)
        loaded: dict[str, LoadedFile] = {}
        jobs: list[tuple[str, str, str]] = []
        for scanned in scan.files:
            if scanned.unreadable is not None or scanned.relpath in kept:
                continue
            key = f"{scanned.key}-{fields_key}"
            found = cache.get(scanned.relpath, key)
            if found is not None:
                loaded[scanned.relpath] = found
            else:
                jobs.append((scanned.relpath, key, scanned.source.text))
        with paused_gc(freeze=True):
            for found in _load_all(jobs, cache, custom_fields):
                loaded[found.relpath] = found
        self.files = {
            s.relpath: FileState(
                s.relpath, s.source, None, read_problems(s), loaded=loaded.get(s.relpath)
            )
            for s in scan.files
        }
        self.files.update(kept)

    def _strict_scan(self) -> Scan:
        """The configuration, the catalogues it declares and every file, read afresh
        (as `load` reads them); ProjectError on any problem."""
        from .model.project import load_catalogs

        self._scan = None
        scan = self.scan()
        self.catalogs, errors = load_catalogs(self.config)
        if errors:
            raise ProjectError(errors[0])
        return scan

    def _tolerant_scan(self) -> Scan:
        from .model.project import load_catalogs

        self._scan, problem = None, None
        try:
            self.config = load_config(self.root)
        except ConfigError as error:
            problem, self.config = str(error), Config(root=self.root)
        self.catalogs, errors = load_catalogs(self.config)
        try:
            scan = scan_project(self.root, allow_empty=True, config=self.config, junit=self.junit)
            self._scan = scan
        except ProjectError as error:  # the folder itself is gone
            problem, scan = problem or str(error), Scan(root=self.root, config=self.config)
        problem = problem or (errors[0] if errors else None)
        self.config_problem = None
        if problem is not None:
            self.config_problem = emit(
                "SY001",
                problem,
                CONFIG_NAME,
                FILE_START,
                hint="reqdsl.toml is ignored until this is fixed",
            )
        return scan

    def refresh(self) -> None:
        """Read the project from disk again, a file at a time (`reqdsl serve` after a
        save): one scan (every file's bytes), then only the files whose text changed are
        parsed again, so that `recheck` is incremental. A changed configuration,
        catalogue or JUnit report reads everything again (`open_files`). ProjectError
        as `open_files`."""
        from .parse.parser import parse_text

        before = self._scan
        if before is None or not self.files or self.tolerant:
            self.open_files()
            return
        self._scan = None
        config, catalogs = self.config, self.catalogs
        scan = self.scan()
        if _settings(scan) != _settings(before):
            self.open_files()
            return
        self.config, self.catalogs = config, catalogs  # the same: incremental recheck
        scan.config = config
        if scan.reports == before.reports:
            scan.reports = before.reports
        current = {s.relpath: s for s in scan.files}
        for relpath in set(self.files) - set(current) - self.overlays:
            del self.files[relpath]
        for relpath, scanned in current.items():
            state = self.files.get(relpath)
            if relpath in self.overlays or (
                state is not None
                and state.source.text == scanned.source.text
                and state.load_problems == read_problems(scanned)
            ):
                continue
            parsed = None if scanned.unreadable else parse_text(scanned.source.text, relpath)
            self.files[relpath] = FileState(relpath, scanned.source, parsed, read_problems(scanned))

    def edit(self, relpath: str, text: str, path: Path | None) -> None:
        """The editor's text of a file (an overlay) changed: re-parse that file only."""
        from .parse.parser import parse_text

        self.overlays.add(relpath)
        text = normalise_text(text)
        self.files[relpath] = FileState(
            relpath, SourceFile(relpath, text, path), parse_text(text, relpath)
        )

    def revert(self, relpath: str) -> None:
        """The editor closed the file: back to the text on disk (if any)."""
        self.overlays.discard(relpath)
        self.reread(relpath)

    def reread(self, *relpaths: str) -> None:
        """Files changed on disk (or were created or deleted): read again those that
        `reqdsl check` reads (not overlaid); forget the others."""
        from .parse.parser import parse_text

        wanted = [relpath for relpath in relpaths if relpath not in self.overlays]
        if not wanted:
            return
        found = dict(discover(self.root, self.config))
        resolved_root = self.root.resolve()
        for relpath in wanted:
            path = found.get(relpath)
            if path is None:
                self.files.pop(relpath, None)
                continue
            scanned = read_scanned(resolved_root, relpath, path)
            parsed = None if scanned.unreadable else parse_text(scanned.source.text, relpath)
            self.files[relpath] = FileState(relpath, scanned.source, parsed, read_problems(scanned))

    def recheck(self) -> Checked:
        """Re-bind the files whose syntax tree changed, resolve, and run the checks:
        after a check of the same configuration, incrementally (the references of, and
        the rules over, only the files the changed files can affect:
        reqdsl.checks.incremental)."""
        from .checks.incremental import linked_files, run_incremental
        from .checks.registry import enabled_rules, finish, run_rules
        from .model.project import link_files

        for relpath in set(self.bound) - set(self.files):
            del self.bound[relpath]
        project = self._bind_all()
        facts = self._file_facts()
        last = self._last
        inputs = (self.config, self.catalogs, self._scan and self._scan.reports)
        if last is not None and all(a is b for a, b in zip(last.inputs, inputs, strict=True)):
            changed = {
                relpath
                for relpath in set(last.files) | set(self.files)
                if last.files.get(relpath) is not self.files.get(relpath)
            }
            linked = linked_files(changed, last.facts, facts)
            linking = link_files(project, last.linking, linked)
            by_rule = run_incremental(project, last.by_rule, changed, linked, self._store)
        else:
            linking = link_files(project, None, set())
            by_rule = run_rules(project, enabled_rules(project), kept=self._store)
        self._last = _LastCheck(inputs, dict(self.files), facts, linking, by_rule)
        self.checked_files = self._last.files
        # The model as if its broken elements parsed is checked from this check, but in
        # full on a first check (what the incremental one is proven equal to).
        second_run = self._last.second_run if last is not None else None
        checked = self._withheld(project, finish(project, by_rule), second_run)
        if self.config_problem is not None:
            checked.diagnostics.append(self.config_problem)
        return checked

    def _file_facts(self) -> dict[str, FileFacts]:
        """Each file's defined IDs and mentioned words (kept with its state)."""
        from .checks.incremental import FileFacts, mentioned

        found: dict[str, FileFacts] = {}
        for relpath, state in self.files.items():
            if state.facts is None:
                cached = self.bound.get(relpath)
                bound = cached[1] if cached is not None and cached[0] is state else []
                defines = frozenset(e.id for e in bound if e.id is not None)
                state.facts = FileFacts(defines, mentioned(state.source.text))
            found[relpath] = state.facts
        return found

    def _bind_all(self) -> Project:
        """The model's elements from the files' syntax trees (no file is read), not yet
        linked: each file bound, or its elements reused when its tree is the one bound
        last time."""
        from .catalogs import builtin_catalogs
        from .model.project import Project, _junit_results, syntax_diagnostic

        if not self.catalogs:  # a file at a time, without open_files (an unsaved buffer)
            self.catalogs = dict(builtin_catalogs())
        project = Project(root=self.root, config=self.config)
        project.catalogs = self.catalogs
        project.parsed = _StateTrees(self.files)
        reports = self._scan.reports if self._scan is not None else None
        if reports is not None:  # as load_project: the same TR rules
            if self._junit is None or self._junit[0] is not reports:
                self._junit = (reports, _junit_results(self._scan))  # type: ignore[arg-type]
            project.junit = self._junit[1]
        order = 0
        for relpath in sorted(self.files):
            state = self.files[relpath]
            project.sources[relpath] = state.source
            for problem in state.load_problems:
                project.report(problem)
            if not state.readable:
                continue
            for syntax in state.syntax_problems():
                project.report(syntax_diagnostic(relpath, syntax))
            bound, diagnostics = self._bind(state, order)
            order += len(bound)
            project.elements.extend(bound)
            for diagnostic in diagnostics:
                project.report(diagnostic)
        self._project = project
        return project

    def _bind(self, state: FileState, order: int) -> tuple[list[ModelElement], list[Diagnostic]]:
        """Bind one file (or take its elements from the parse cache), or reuse its
        elements when it has not changed since (only their place in project order is
        updated)."""
        from .model.binder import bind_file
        from .model.loaded import elements_of

        cached = self.bound.get(state.relpath)
        if cached is not None and cached[0] is state:
            _, bound, diagnostics = cached
            for index, element in enumerate(bound):
                element.order = order + index
            return bound, diagnostics
        if state.loaded is not None:
            bound, diagnostics = elements_of(state.loaded, order), state.loaded.diagnostics
            state.loaded = None  # elements_of takes its values over: used once
        else:
            assert state.parsed is not None
            bound, diagnostics = bind_file(state.parsed, self.config.custom_fields, order)
        self.bound[state.relpath] = (state, bound, diagnostics)
        return bound, diagnostics

    # ------------------------------------------------------------------ checks
    def _run_checks(self, project: Project) -> Checked:
        from .checks.registry import run_checks

        return self._withheld(project, run_checks(project))

    def _withheld(
        self,
        project: Project,
        diagnostics: list[Diagnostic],
        second_run: SecondRun | None = None,
    ) -> Checked:
        from .checks.withheld import withhold_syntax_caused

        if second_run is None:
            diagnostics, withheld = withhold_syntax_caused(project, diagnostics)
        else:
            diagnostics, withheld = withhold_syntax_caused(project, diagnostics, second_run)
        self.checked = Checked(project, diagnostics, withheld)
        return self.checked


def _settings(scan: Scan) -> tuple[str, list[tuple[str, bytes]]]:
    """What of a scan, besides the `.req` files, the model depends on: reqdsl.toml's
    text and the custom catalogues' bytes."""
    config = scan.config
    catalogs = []
    for scheme, path in sorted(config.catalogs.items()):
        try:
            catalogs.append((scheme, path.read_bytes()))
        except OSError:
            catalogs.append((scheme, b""))
    return (config.source.text if config.source is not None else "", catalogs)


def check_project(
    path: Path, *, use_cache: bool = True, junit: Sequence[Path] = ()
) -> tuple[Project, list[Diagnostic], Summary]:
    """Load and check a project at once, with its JUnit reports (those reqdsl.toml names,
    and `junit`): (model, diagnostics, summary)."""
    checked = Session(path, use_cache=use_cache, junit=junit).check()
    return checked.project, checked.diagnostics, checked.summary()
