"""The rule framework: one small function per rule, registered with its stable code.

A rule is a generator over a `CheckContext` that yields `Finding`s; it never prints. A
rule whose problems are found while loading (SY001 by the parser and the decoder,
SM001-SM005 by the binder and the resolver) is registered with `at_load=True`: the
framework hands on what loading found under its code. Every diagnostic is made by
`emit`, which knows only registered codes; `run_checks` grades each with its rule's
severity as re-graded in reqdsl.toml (`_graded`, the one place), drops disabled rules and
what an element's `ignore:` silences. The docstring of a rule has fixed headings
(What it checks / Why it matters / Example / Fix / Reference): `reqdsl rules` and the
docs' rule reference are generated from it, so they cannot drift.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Diagnostic, Fix, Related, RuleInfo, Severity
from ..source import Span

if TYPE_CHECKING:  # the model emits through this module: no import of it at run time
    from ..model.elements import ModelElement
    from ..model.project import Project
    from ..model.runs import PerFile

HEADINGS = ("What it checks", "Why it matters", "Example", "Fix", "Reference")


@dataclass
class Finding:
    """What a rule found; the framework adds code and severity."""

    message: str
    path: str
    span: Span
    hint: str | None = None
    related: list[Related] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)

    @classmethod
    def at(cls, element: ModelElement, span: Span | None, message: str, **extra: object) -> Finding:
        return cls(message, element.path, span or element.anchor, **extra)  # type: ignore[arg-type]


CheckFunction = Callable[["CheckContext"], Iterable[Finding]]
Scope = Literal["file", "links", "project"]
SCOPES: tuple[Scope, ...] = ("file", "links", "project")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: CheckFunction
    at_load: bool = False  # its problems are found while loading (Project.found)
    # What its findings in a file depend on, for incremental checking (reqdsl.checks.
    # incremental): "file", that file's elements only; "links", those and the elements
    # they name or that name them (one link away); "project", anything (run in full).
    scope: Scope = "project"
    # Its findings only come from links that are there, never from links that are not
    # (SM006: a cycle). Ignoring a broken element's fields removes links, so no finding
    # of such a rule is caused by a syntax error: the withheld-findings check
    # (reqdsl.checks.withheld) neither withholds its findings nor runs it a second time.
    made_by_links: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    def section(self, heading: str) -> str:
        """The text under one docstring heading ('' when absent)."""
        lines = self.doc.split("\n")
        out: list[str] = []
        inside = False
        for line in lines:
            stripped = line.strip().rstrip(":")
            if stripped in HEADINGS:
                inside = stripped == heading
                continue
            if inside:
                out.append(line)
        return inspect.cleandoc("\n".join(out)).strip()

    def info(self) -> RuleInfo:
        return RuleInfo(
            self.code,
            self.name,
            self.severity,
            self.summary,
            self.section("What it checks") + "\n\n" + self.section("Why it matters"),
        )


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    at_load: bool = False,
    scope: Scope = "project",
    made_by_links: bool = False,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a rule function under a stable code; with `at_load`, the diagnostics
    loading found under that code are the rule's too. `scope` says what the findings in
    one file depend on (see `Rule.scope`); an at-load rule is always "project".
    `made_by_links`: see `Rule.made_by_links`."""

    def register(function: CheckFunction) -> CheckFunction:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        if scope not in SCOPES or (at_load and scope != "project"):
            raise ValueError(f"rule {code}: scope {scope!r} is not one it can have")
        RULES[code] = Rule(code, name, severity, summary, function, at_load, scope, made_by_links)
        return function

    return register


def registered(code: str) -> Rule:
    """The rule of a code (the families are loaded on first need); KeyError for a code
    no rule owns."""
    found = RULES.get(code)
    if found is None:
        from . import load_rule_modules

        load_rule_modules()
        found = RULES.get(code)
    if found is None:
        raise KeyError(f"{code!r} is not the code of a registered rule")
    return found


def emit(
    code: str,
    message: str,
    path: str,
    span: Span,
    *,
    hint: str | None = None,
    related: Sequence[Related] = (),
    fixes: Sequence[Fix] = (),
) -> Diagnostic:
    """THE way a diagnostic is made, by loading (SY001, SM001-SM005, where the
    configuration may not be known yet) and by `run_checks` alike: the code must be a
    registered rule's, and the diagnostic has that rule's default severity until
    `run_checks` grades it with the configured one."""
    owner = registered(code)
    return Diagnostic(
        owner.code,
        owner.severity,
        message,
        path,
        span,
        hint=hint,
        related=list(related),
        fixes=list(fixes),
    )


class CheckContext:
    """What rules read: the project, its configuration, and shared derived facts
    (computed once, so no rule repeats another's walk)."""

    def __init__(self, project: Project, kept: dict[str, Any] | None = None) -> None:
        self.project = project
        self.config = project.config
        self._cited: set[str] | None = None
        self.memo: dict[str, Any] = {}  # facts rules share, by name (computed once)
        # What a rule keeps from one run to the next of the same session (the language
        # server's rechecks), by the rule's code; empty for a one-off check.
        self.kept: dict[str, Any] = {} if kept is None else kept

    def cited(self) -> set[str]:
        """Every compliance reference some requirement cites, as `scheme:ref`, parents
        included (`gdpr:17(1)(b)` also cites `gdpr:17(1)` and `gdpr:17`): each file's
        part kept while its elements are the same (an editor's recheck computes the
        edited file's part only)."""
        if self._cited is None:
            parts = _cited_parts().parts(self.project.elements, self.project.catalogs)
            self._cited = set().union(*parts)
        return self._cited


def _cited_in(run: list[ModelElement], catalogs: dict[str, Any]) -> frozenset[str]:
    """One file's part of `CheckContext.cited`."""
    cited: set[str] = set()
    for element in run:
        if element.kind != "requirement" or element.broken:
            continue
        for value in element.refs("compliance"):
            scheme, ref = value.value
            catalog = catalogs.get(scheme)
            parents = catalog.cited(ref) if catalog is not None else [ref]
            cited.update(f"{scheme}:{parent}" for parent in parents)
    return frozenset(cited)


@functools.cache
def _cited_parts() -> PerFile[frozenset[str]]:
    """The kept parts (made on first use: the model imports this module)."""
    from ..model.runs import PerFile

    return PerFile(_cited_in)


def all_rules() -> list[Rule]:
    from . import load_rule_modules

    load_rule_modules()
    return [RULES[code] for code in sorted(RULES, key=_code_order)]


def _code_order(code: str) -> tuple[int, str]:
    """Families in the order of RULE_MODULES (the one list of them), codes in order
    within each: a new family is listed where its module is, with nothing else to edit."""
    from . import RULE_MODULES

    module = RULES[code].check.__module__.rpartition(".")[2]
    return (RULE_MODULES.index(module) if module in RULE_MODULES else len(RULE_MODULES), code)


def run_checks(project: Project) -> list[Diagnostic]:
    """Every enabled rule over the project (with what loading found under its code),
    graded as configured, sorted by place."""
    return finish(project, run_rules(project, enabled_rules(project)))


def enabled_rules(project: Project, *, withheld_run: bool = False) -> list[Rule]:
    """The rules the configuration enables; for the withheld-findings run, without those
    whose findings no syntax error causes (`Rule.made_by_links`)."""
    return [
        current
        for current in all_rules()
        if current.code not in project.config.disable
        and not (withheld_run and current.made_by_links)
    ]


def made_by_links() -> frozenset[str]:
    """The codes of the rules whose findings no syntax error causes."""
    return frozenset(current.code for current in all_rules() if current.made_by_links)


def run_rules(
    project: Project,
    rules: Iterable[Rule],
    context: CheckContext | None = None,
    kept: dict[str, Any] | None = None,
) -> dict[str, list[Diagnostic]]:
    """Each rule's diagnostics over the project (with what loading found under its
    code, for an at-load rule), graded as configured; not yet filtered by `ignore:`.
    `kept`: the session's store the rules keep things in between runs."""
    context = context or CheckContext(project, kept)
    by_rule: dict[str, list[Diagnostic]] = {}
    for current in rules:
        severity = project.config.severity.get(current.code, current.severity)
        found: list[Diagnostic] = project.found.get(current.code, []) if current.at_load else []
        items: Iterable[Finding | Diagnostic] = chain(found, current.check(context))
        by_rule[current.code] = [_graded(current, item, severity) for item in items]
    return by_rule


def finish(
    project: Project, by_rule: dict[str, list[Diagnostic]], *, ordered: bool = True
) -> list[Diagnostic]:
    """The rules' diagnostics without those an `ignore:` silences, sorted by place
    (`ordered`; a caller that only asks which findings were made, the withheld second
    run, spares the sort of every diagnostic)."""
    diagnostics = [d for found in by_rule.values() for d in found]
    diagnostics = list(_without_ignored(project, diagnostics))
    if ordered:
        diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics


def _graded(owner: Rule, item: Finding | Diagnostic, severity: Severity) -> Diagnostic:
    """A rule's finding, or a diagnostic loading found under its code, with the severity
    reqdsl.toml gives the rule: the one place the configured severity is applied. A
    loaded diagnostic is graded in place (it is the model's own: the withheld findings
    tell it from the checks' by identity), again on each run with that run's setting."""
    if isinstance(item, Finding):
        item = emit(
            owner.code,
            item.message,
            item.path,
            item.span,
            hint=item.hint,
            related=item.related,
            fixes=item.fixes,
        )
    if item.code != owner.code:  # loading handed a diagnostic to the wrong rule
        raise ValueError(f"{item.code} diagnostic graded as {owner.code}")
    item.severity = severity
    return item


def _without_ignored(project: Project, diagnostics: list[Diagnostic]) -> Iterator[Diagnostic]:
    """Drop diagnostics that an element's `ignore:` silences (those inside its text)."""
    silencing: dict[str, list[tuple[Span, set[str]]]] = {}
    for element in project.elements:
        if element.ignore and not element.broken:
            codes = {value.raw for value in element.ignore}
            silencing.setdefault(element.path, []).append((element.span, codes))
    if not silencing:
        yield from diagnostics
        return
    for diagnostic in diagnostics:
        spans = silencing.get(diagnostic.path, ())
        offset = diagnostic.span.start
        if any(
            diagnostic.code in codes and span.start <= offset < span.end for span, codes in spans
        ):
            continue
        yield diagnostic
