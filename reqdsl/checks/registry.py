"""The rule framework: one small function per rule, registered with its stable code.

A rule is a generator over a `CheckContext` that yields `Finding`s (or, for codes found
while loading, ready `Diagnostic`s); it never prints. The framework gives each finding
the rule's code and severity (as re-graded in reqdsl.toml), drops disabled rules and
what an element's `ignore:` silences. The docstring of a rule has fixed headings
(What it checks / Why it matters / Example / Fix / Reference): `reqdsl rules` and the
docs' rule reference are generated from it, so they cannot drift.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Fix, Related, RuleInfo, Severity
from ..model.elements import ModelElement
from ..model.project import Project
from ..source import Span

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


CheckFunction = Callable[["CheckContext"], Iterable[Finding | Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: CheckFunction

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
    code: str, name: str, severity: Severity, summary: str
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a rule function under a stable code."""

    def register(function: CheckFunction) -> CheckFunction:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, name, severity, summary, function)
        return function

    return register


class CheckContext:
    """What rules read: the project, its configuration, and shared derived facts
    (computed once, so no rule repeats another's walk)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.config = project.config
        self._cited: set[str] | None = None
        self.memo: dict[str, Any] = {}  # facts rules share, by name (computed once)

    def cited(self) -> set[str]:
        """Every compliance reference some requirement cites, as `scheme:ref`, parents
        included (`gdpr:17(1)(b)` also cites `gdpr:17(1)` and `gdpr:17`)."""
        if self._cited is None:
            cited: set[str] = set()
            for element in self.project.live("requirement"):
                for value in element.refs("compliance"):
                    scheme, ref = value.value
                    catalog = self.project.catalogs.get(scheme)
                    parents = catalog.cited(ref) if catalog is not None else [ref]
                    cited.update(f"{scheme}:{parent}" for parent in parents)
            self._cited = cited
        return self._cited


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
    """Every enabled rule over the project, sorted by place."""
    context = CheckContext(project)
    config = project.config
    diagnostics: list[Diagnostic] = []
    for current in all_rules():
        if current.code in config.disable:
            continue
        severity = config.severity.get(current.code, current.severity)
        for item in current.check(context):
            if isinstance(item, Diagnostic):
                item.severity = severity
                diagnostics.append(item)
            else:
                diagnostics.append(
                    Diagnostic(
                        current.code,
                        severity,
                        item.message,
                        item.path,
                        item.span,
                        hint=item.hint,
                        related=item.related,
                        fixes=item.fixes,
                    )
                )
    diagnostics = list(_without_ignored(project, diagnostics))
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics


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
