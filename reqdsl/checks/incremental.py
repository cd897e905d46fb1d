"""Incremental checking: after some files changed, run again only what they can affect.

Each rule declares its scope (`rule(..., scope=...)`): what its findings in one file
depend on, besides the configuration, the catalogues and the JUnit results.

- "file": that file's elements only (a statement's wording, a field of the element).
  After an edit the rule runs over the changed files' elements only.
- "links": those and the elements one link away, either way: the elements they name
  (`project.index`) and those that name them. After an edit the rule runs over the
  changed files and the files *linked* to them: a file that mentions an ID some changed
  file defines (defined before the edit or after it), and a file that defines an ID a
  changed file mentions (before or after). "Mentions" is read from the text: every word
  that could be an ID (the grammar's ID), so a link in any field, a scenario's `via`, a
  type, counts without the rule saying how it reads it.
- "project" (the default): anything, a walk over the whole model (cycles, coverage,
  "no test verifies it", the first definition of a duplicate): the rule runs in full.

A scoped rule runs over a `ScopedProject`: the same model (index, sources, syntax trees,
back-links, graph, JUnit results) whose `elements` and `live()` hold the affected files'
elements only. Its findings there replace its findings kept for those files; the other
files' findings are kept. The result is the full check's: `tests/test_incremental.py`
compares both after every step of random edit sequences.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..parse.lexicon import lexicon
from .registry import CheckContext, Rule, enabled_rules, run_rules

if TYPE_CHECKING:
    from ..model.elements import ModelElement
    from ..model.project import Project


@functools.cache
def _word() -> re.Pattern[str]:
    """The grammar's ID terminal, unanchored: every word of a text an ID could be."""
    return re.compile(lexicon().patterns["ID"])


ByRule = dict[str, list[Diagnostic]]


def mentioned(text: str) -> frozenset[str]:
    """Every word of a file's text that could name an element."""
    return frozenset(_word().findall(text))


@dataclasses.dataclass
class FileFacts:
    """What incremental checking needs to know of one file: the IDs it defines and the
    words it mentions."""

    defines: frozenset[str]
    mentions: frozenset[str]


def linked_files(
    changed: Iterable[str], before: dict[str, FileFacts], after: dict[str, FileFacts]
) -> set[str]:
    """The changed files and the files one link away from them, before or after."""
    changed = set(changed)
    ids: set[str] = set()
    words: set[str] = set()
    for relpath in changed:
        for facts in (before.get(relpath), after.get(relpath)):
            if facts is not None:
                ids |= facts.defines
                words |= facts.mentions
    linked = set(changed)
    for relpath, facts in after.items():
        if relpath in linked:
            continue
        if not facts.mentions.isdisjoint(ids) or not facts.defines.isdisjoint(words):
            linked.add(relpath)
    return linked


class ScopedProject:
    """A project seen through some of its files: `elements`, `live` and `of_kind` hold
    those files' elements; everything else (index, sources, back-links, ...) is the whole
    project's."""

    def __init__(self, project: Project, files: set[str]) -> None:
        self._whole = project
        self.scope_files = files
        self.memo: dict[str, Any] = {}  # facts of this view, computed once (trace facts)
        self.elements: list[ModelElement] = [e for e in project.elements if e.path in files]
        by_kind: dict[str, list[ModelElement]] = {}
        for element in self.elements:
            by_kind.setdefault(element.kind, []).append(element)
        self._by_kind = by_kind

    @property
    def whole(self) -> Project:
        return self._whole

    def __getattr__(self, name: str) -> Any:
        return getattr(self._whole, name)

    def of_kind(self, *kinds: str) -> list[ModelElement]:
        return [e for e in self.elements if e.kind in kinds]

    def live(self, *kinds: str) -> list[ModelElement]:
        return [e for e in self.elements if e.kind in kinds and not e.broken]


class _ScopedContext(CheckContext):
    """A context over a scoped project whose shared facts of the whole project (the
    cited references) are the whole project's."""

    def __init__(self, scoped: ScopedProject, whole: Project) -> None:
        super().__init__(scoped)  # type: ignore[arg-type]
        self._whole = whole

    def cited(self) -> set[str]:
        if self._cited is None:
            self._cited = CheckContext(self._whole).cited()
        return self._cited


def run_incremental(
    project: Project,
    kept: ByRule,
    changed: set[str],
    linked: set[str],
    store: dict[str, Any] | None = None,
    *,
    withheld_run: bool = False,
) -> ByRule:
    """Every enabled rule's diagnostics, as `run_rules` over the whole project gives
    them, from those `kept` of the last run: "project" rules run in full (with the
    session's `store`, where a rule may keep what spares it work), "file" rules over the
    `changed` files, "links" rules over the `linked` ones."""
    rules = enabled_rules(project, withheld_run=withheld_run)
    whole = run_rules(project, [r for r in rules if r.scope == "project"], kept=store)
    partial: dict[str, ByRule] = {}
    for scope, files in (("file", changed), ("links", linked)):
        scoped = [r for r in rules if r.scope == scope]
        if scoped:
            view = ScopedProject(project, files)
            context = _ScopedContext(view, project)
            partial[scope] = run_rules(view, scoped, context)  # type: ignore[arg-type]
    by_rule: ByRule = {}
    for current in rules:  # the rules' order: the order of a full run, kept for sorting
        by_rule[current.code] = (
            whole[current.code]
            if current.scope == "project"
            else _merged(current, kept, partial[current.scope][current.code], changed, linked)
        )
    return by_rule


def _merged(
    current: Rule, kept: ByRule, fresh: list[Diagnostic], changed: set[str], linked: set[str]
) -> list[Diagnostic]:
    files = changed if current.scope == "file" else linked
    old = [d for d in kept.get(current.code, ()) if d.path not in files]
    return old + [d for d in fresh if d.path in files]
