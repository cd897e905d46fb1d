"""Findings that only a syntax error causes are withheld, and counted.

The spec ignores the fields of an element with a syntax error (section 5): a requirement
whose `statement` lacks its colon no longer `mitigates` its threat, so TM003 would say the
threat is unmitigated and a mitigation threshold (TR004) would fail, although the text
says otherwise. Such a finding is invented by the error, not by the project.

The checks run once more on the model as if every broken element kept the fields that
did parse; a finding of the real run that this run does not make exists only because
those fields were ignored, and is withheld. The summary counts it ("N findings withheld
until the syntax errors are fixed"), and the SY001 errors keep the run failing (with SY001
disabled or re-graded below error, nothing is withheld). Findings
made while loading (SY001, and SM001-SM005 of the binder and resolver) describe the text
itself and are never withheld. Text the parser skipped is lost to both runs: what it
held cannot be known, so it withholds nothing.

A rule whose findings only links that are there can make (`made_by_links`: SM006, a
cycle) is not run the second time and its findings are never withheld: the second model
only adds links, so each of its findings stands. Comparing places withheld a real cycle
when the broken element's links grew it and moved its report to another member.

Without broken elements (every clean project), nothing runs twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..model.binder import bind_file
from ..model.project import Project, link_project
from ..util.gc_pause import paused_gc

if TYPE_CHECKING:
    from ..model.elements import ModelElement

_Key = tuple[str, str, int, int, int, int]


def _key(diagnostic: Diagnostic) -> _Key:
    """A finding by rule and place: its message may quote figures that the ignored fields
    change (TR004's percentage) while the finding itself stands."""
    span = diagnostic.span
    return (
        diagnostic.code,
        diagnostic.path,
        span.line,
        span.column,
        span.end_line,
        span.end_column,
    )


# How the second run is made: the model as if parsed (not linked yet) and the files
# rebound in it -> its diagnostics. The default links and checks everything; the
# file-at-a-time way links and checks only what the rebound files can affect.
SecondRun = Callable[[Project, set[str]], list[Diagnostic]]


def _full_run(other: Project, _rebound: set[str]) -> list[Diagnostic]:
    from .registry import enabled_rules, finish, run_rules

    link_project(other)
    rules = enabled_rules(other, withheld_run=True)
    return finish(other, run_rules(other, rules), ordered=False)


def withhold_syntax_caused(
    project: Project, diagnostics: list[Diagnostic], second_run: SecondRun = _full_run
) -> tuple[list[Diagnostic], int]:
    """The diagnostics to report and how many were withheld."""
    if not any(element.broken for element in project.elements):
        return diagnostics, 0
    if not any(d.code == "SY001" and d.severity is Severity.ERROR for d in diagnostics):
        # Withholding is fair only while a syntax error fails the run: with SY001
        # disabled or re-graded in reqdsl.toml, every finding is reported.
        return diagnostics, 0
    with paused_gc():  # like loading, the second model makes many objects and no cycles
        as_if_parsed = _as_if_parsed(project)
        if as_if_parsed is None:
            return diagnostics, 0
        other, rebound = as_if_parsed
        still_found = {_key(d) for d in second_run(other, rebound)}
    from .registry import made_by_links

    loaded = {id(d) for found in project.found.values() for d in found}
    standing = made_by_links()  # rules the second run leaves out: never withheld
    kept = [
        d for d in diagnostics if id(d) in loaded or d.code in standing or _key(d) in still_found
    ]
    return kept, len(diagnostics) - len(kept)


def _as_if_parsed(project: Project) -> tuple[Project, set[str]] | None:
    """The project with each broken element's parsed fields bound, not linked yet, and
    the files rebound; None when no broken element has a field, attribute or step that
    parsed (the model would be the same)."""
    broken_files = sorted({e.path for e in project.elements if e.broken})
    rebound: dict[str, list[ModelElement]] = {}
    for relpath in broken_files:
        parsed = project.parsed.get(relpath)
        if parsed is None or not any(
            element.broken and (element.fields or element.attributes or element.steps)
            for element in parsed.elements()
        ):
            continue
        first = min(e.order for e in project.elements if e.path == relpath)
        custom_fields = project.config.custom_fields
        rebound[relpath], _binder_diagnostics = bind_file(
            parsed, custom_fields, first, keep_broken=True
        )
    if not rebound:
        return None
    elements = [e for e in project.elements if e.path not in rebound]
    for bound in rebound.values():
        elements.extend(bound)
    elements.sort(key=lambda element: element.order)
    # Everything else of the project as it is (catalogues, JUnit results, ...: a field
    # added to Project is carried over); the links are computed by the second run.
    other = dataclasses.replace(
        project, elements=elements, index={}, found={}, _graph=None, _back_links={}, _by_kind=None
    )
    return other, set(rebound)
