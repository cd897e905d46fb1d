"""Semantic rules (SM): IDs, references, fields and values, cycles, levels, catalogues.

SM001-SM005 are found while the model is built (binder and resolver, through `emit`);
their rules are registered `at_load`, and the framework hands those diagnostics on.
SM006-SM008 are computed here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import networkx as nx

from ..diagnostics import Related, Severity
from ..i18n import _
from ..model.elements import ModelElement
from ..model.runs import PerFile
from ..model.schema import FIELD_SPECS, LEVEL_RANK
from ..model.value_kinds import ComplianceKind
from .registry import CheckContext, Finding, rule

if TYPE_CHECKING:
    from ..model.project import Project


@rule("SM001", "semantic.duplicate-id", Severity.ERROR, "duplicate ID", at_load=True)
def duplicate_id(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        Two elements anywhere in the project with the same ID (documents and sections
        with an ID included). The second definition, in project order (files sorted by
        path, then position), is reported; the first is named as a related location.

    Why it matters:
        IDs are how requirements are cited in contracts, tests and tickets. A reference
        to a duplicated ID resolves to the first definition, which may not be the one the
        writer meant.

    Example:
        requirement R-1 "First" { statement: "The system shall log every login." }
        requirement R-1 "Duplicate" { statement: "The system shall log every logout." }

    Fix:
        Give the second element its own ID.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (requirement attributes: identification).
    """
    yield from ()  # found by the resolver's index while loading (at_load)


@rule(
    "SM002",
    "semantic.unknown-reference",
    Severity.ERROR,
    "reference to an unknown ID",
    at_load=True,
)
def unknown_reference(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A reference (a trace link, a zone, a flow end, a scenario participant, `via`,
        `by`, an attribute type, a scored criterion) to an ID no element defines. The
        hint names the closest existing IDs.

    Why it matters:
        A dangling link breaks traceability silently: coverage counts it, but nobody can
        follow it.

    Example:
        derives-from: R-99

    Fix:
        Correct the ID or define the missing element.

    Reference:
        ISO/IEC/IEEE 29148:2018 (traceability).
    """
    yield from ()  # found by the resolver while loading (at_load)


@rule(
    "SM003",
    "semantic.wrong-kind",
    Severity.ERROR,
    "reference to the wrong kind of element",
    at_load=True,
)
def wrong_kind(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A reference to an element of the wrong kind for its field (`derives-from` a
        zone), `satisfies` pointing at something other than a goal or a stakeholder-level
        requirement, a scenario participant or activity `by` that is not an actor or
        component, a `chosen` option or scored criterion of another decision.

    Why it matters:
        Each link has a meaning (spec section 3): a requirement cannot derive from a
        zone. A wrong-kind link is almost always a typo for another ID.

    Example:
        derives-from: Z-1      # Z-1 is a zone

    Fix:
        Point the link at an element of the kind the field takes.

    Reference:
        The `.req` language reference, "Trace fields".
    """
    yield from ()  # found by the resolver while loading (at_load)


@rule("SM004", "semantic.bad-field", Severity.ERROR, "unknown field or bad value", at_load=True)
def bad_field(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        An unknown field (with a "did you mean" hint), a field given twice, a list given
        to a single-value field, and values of the wrong kind: a word not in the field's
        enumeration, a string where an ID is expected, a negative weight, a score outside
        0 to 5, a date that is not YYYY-MM-DD. Custom fields declared in `reqdsl.toml`
        are checked against their declared values.

    Why it matters:
        A misspelt field (`priorty`) is otherwise silently ignored, and the requirement
        looks as if it had no priority.

    Example:
        priorty: must
        risk: extreme

    Fix:
        Use a field and a value the language defines, or declare the field under
        `[fields.KIND]` in reqdsl.toml.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (requirement attributes).
    """
    yield from ()  # found by the binder and the resolver while loading (at_load)


@rule("SM005", "semantic.missing-field", Severity.ERROR, "required field missing", at_load=True)
def missing_field(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A required field left out: a requirement's `statement`, a component's `kind`,
        a data element's `category`, a flow's `from` and `to`, a threat's `category` and
        `target`, a test's `verifies`, a decision's `status`, a criterion's `weight`, a
        review's `covers`, `date`, `reviewers` and `outcome`; and `level` in a document
        that holds requirements.

    Why it matters:
        Without these the element means nothing: a requirement without a statement, a
        component that is neither a process nor a data store.

    Example:
        requirement R-5 "No statement" { verification: inspection }

    Fix:
        Add the field.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.4 and 5.2.8.
    """
    # A missing field of an element is found by the binder (at_load); a document's is here.
    documents_with_requirements = {
        element.document for element in context.project.elements if element.kind == "requirement"
    }
    for document in context.project.live("document"):
        if document.id in documents_with_requirements and document.word("level") is None:
            yield Finding.at(
                document,
                None,
                _("document `{id}` holds requirements but has no `level`").format(id=document.id),
                hint=_("add `level: stakeholder`, `level: system` or `level: software`"),
            )


_CYCLE_FIELDS = {
    "derives-from": ("requirement",),
    "refines": ("goal", "requirement"),
    "includes": ("usecase",),
    "supersedes": ("decision",),
}


@rule(
    "SM006",
    "semantic.cycle",
    Severity.ERROR,
    "cycle in derives-from, refines, includes or supersedes",
    made_by_links=True,
)
def cycle(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A cycle in one of the relations `derives-from`, `refines`, `includes` or
        `supersedes`, each relation on its own. One diagnostic per strongly connected
        component (or self-loop), at the member that comes first in project order; the
        message lists the cycle.

    Why it matters:
        These relations are hierarchies: a requirement that derives, through others, from
        itself has no real origin, and coverage and impact analysis loop.

    Example:
        requirement R-6 "A" { refines: R-7 }
        requirement R-7 "B" { refines: R-6 }

    Fix:
        Remove the link that closes the loop; use `depends-on` for a lateral relation.

    Reference:
        ISO/IEC/IEEE 29148:2018 (bidirectional traceability).
    """
    project = context.project
    parts = _RELATION_LINKS.parts(project.elements)
    last: _CycleRun | None = context.kept.get("SM006")
    if last is not None and _same_graph(parts, last):
        context.kept["SM006"] = _CycleRun(
            parts, last.findings, last.member_paths, last.resolved, last.graph
        )
        yield from last.findings
        return
    if last is not None and _same_definitions(parts, last):
        resolved, graph, added = _updated(project, parts, last)
        if not last.findings and not _closes_a_cycle(graph, added):
            # The graph was acyclic and only the edges a changed file added can close a
            # cycle: through a path back from their target to their source.
            context.kept["SM006"] = _CycleRun(parts, [], set(), resolved, graph)
            return
    else:
        resolved = [_resolve(project, part) for part in parts]
        graph = _Graph()
        for edges in resolved:
            graph.add(edges)
    findings = list(_cycles(project, graph))
    paths = {f.path for f in findings} | {r.path for f in findings for r in f.related}
    context.kept["SM006"] = _CycleRun(parts, findings, paths, resolved, graph)
    yield from findings


# relation -> the edges (source ID, target ID) of one file whose target is an element of
# a kind the relation links
_Edges = dict[str, list[tuple[str, str]]]


def _resolve(project: Project, part: _Links) -> _Edges:
    edges: _Edges = {}
    for relation, kinds in _CYCLE_FIELDS.items():
        for source, raw in part.links.get(relation, ()):
            target = project.index.get(raw)
            if target is not None and target.kind in kinds:
                edges.setdefault(relation, []).append((source, raw))
    return edges


class _Graph:
    """Each relation's edges, counted (two files may give the same edge: an ID defined
    twice), so that a file's edges can be taken out again."""

    def __init__(self) -> None:
        self.edges: dict[str, dict[str, dict[str, int]]] = {r: {} for r in _CYCLE_FIELDS}

    def add(self, edges: _Edges, step: int = 1) -> None:
        for relation, pairs in edges.items():
            outgoing = self.edges[relation]
            for source, target in pairs:
                targets = outgoing.setdefault(source, {})
                count = targets.get(target, 0) + step
                if count:
                    targets[target] = count
                else:
                    del targets[target]


def _same_definitions(parts: list[_Links], last: _CycleRun) -> bool:
    """Whether every file defines the same IDs, of the same kinds, in the same order as
    last time: then the index resolves every link as it did."""
    return len(parts) == len(last.parts) and all(
        part is before or (part.path == before.path and part.defined == before.defined)
        for part, before in zip(parts, last.parts, strict=True)
    )


def _updated(
    project: Project, parts: list[_Links], last: _CycleRun
) -> tuple[list[_Edges], _Graph, list[tuple[str, str, str]]]:
    """The last graph with the changed files' edges taken out and put in again (it is
    the session's own: updated in place), and the edges that are new."""
    graph = last.graph
    resolved: list[_Edges] = []
    added: list[tuple[str, str, str]] = []
    for part, before, old in zip(parts, last.parts, last.resolved, strict=True):
        if part is before:
            resolved.append(old)
            continue
        new = _resolve(project, part)
        graph.add(old, -1)
        graph.add(new)
        for relation, pairs in new.items():
            known = set(old.get(relation, ()))
            added.extend((relation, s, t) for s, t in pairs if (s, t) not in known)
        resolved.append(new)
    return resolved, graph, added


def _closes_a_cycle(graph: _Graph, added: list[tuple[str, str, str]]) -> bool:
    """Whether one of the `added` edges lies on a cycle: its target leads back to its
    source."""
    for relation, source, target in added:
        outgoing = graph.edges[relation]
        seen = {target}
        stack = [target]
        while stack:
            node = stack.pop()
            if node == source:
                return True
            for following in outgoing.get(node, ()):
                if following not in seen:
                    seen.add(following)
                    stack.append(following)
    return False


def _cycles(project: Project, graph: _Graph) -> Iterator[Finding]:
    for relation in _CYCLE_FIELDS:
        edges = {s: list(targets) for s, targets in graph.edges[relation].items() if targets}
        found = nx.DiGraph()
        found.add_edges_from(_on_or_after_cycles(edges))
        for component in nx.strongly_connected_components(found):
            if len(component) == 1:
                (node,) = component
                if not found.has_edge(node, node):
                    continue
            members = sorted((project.index[node] for node in component), key=lambda e: e.order)
            first = members[0]
            path = _cycle_path(found, first.id, set(component))
            yield Finding.at(
                first,
                None,
                _("`{relation}` cycle: {path}").format(relation=relation, path=" -> ".join(path)),
                hint=_("remove the link that closes the cycle"),
                related=[
                    Related(_("`{id}` is in the cycle").format(id=m.id), m.path, m.anchor)
                    for m in members[1:]
                ],
            )


class _Links(NamedTuple):
    """One file's part of the cycle relations: its path, the IDs it defines with their
    kinds (in order: they decide the index), and its live elements' links in each
    relation, (source ID, target as written)."""

    path: str
    defined: tuple[tuple[str, str], ...]
    links: dict[str, list[tuple[str, str]]]


def _relation_links(elements: list[ModelElement]) -> _Links:
    links: dict[str, list[tuple[str, str]]] = {}
    for element in elements:
        if element.broken or element.id is None:
            continue
        for relation, kinds in _CYCLE_FIELDS.items():
            if element.kind in kinds and element.has(relation):
                found = links.setdefault(relation, [])
                found.extend((element.id, value.raw) for value in element.refs(relation))
    defined = tuple((e.id, e.kind) for e in elements if e.id is not None)
    return _Links(elements[0].path, defined, links)


# Kept per file: an edit reads the edited file's links again.
_RELATION_LINKS: PerFile[_Links] = PerFile(_relation_links)


@dataclass
class _CycleRun:
    """The last run of SM006 in a session (CheckContext.kept): the files' parts, the
    findings, and the files the findings (and their related places) lie in."""

    parts: list[_Links]
    findings: list[Finding]
    member_paths: set[str]
    resolved: list[_Edges]  # each file's edges, as `parts`
    graph: _Graph


def _same_graph(parts: list[_Links], last: _CycleRun) -> bool:
    """Whether the last findings still stand: every file's links and definitions are
    as last time (so the graph and the index's kinds are the same), and no finding lies
    in a file whose elements were bound again (its places may have moved)."""
    if len(parts) != len(last.parts):
        return False
    for part, before in zip(parts, last.parts, strict=True):
        if part is before:
            continue
        if part != before or part.path in last.member_paths:
            return False
    return True


def _on_or_after_cycles(edges: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The edges left once nodes without incoming edges are peeled off, again and again
    (Kahn): every cycle survives, and in a hierarchy, the usual case, nothing does, so
    networkx only sees the few nodes that can be in a cycle."""
    incoming: dict[str, int] = {}
    for targets in edges.values():
        for target in targets:
            incoming[target] = incoming.get(target, 0) + 1
    ready = [node for node in edges if node not in incoming]
    while ready:
        node = ready.pop()
        for target in edges.get(node, ()):
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    left = {node for node, count in incoming.items() if count > 0}
    return [(s, t) for s, targets in edges.items() if s in left for t in targets if t in left]


def _cycle_path(graph: nx.DiGraph, start: str | None, members: set[str]) -> list[str]:
    path = [start]
    current = start
    seen = {start}
    while True:
        following = sorted(n for n in graph.successors(current) if n in members)
        if not following:
            return [str(p) for p in path]
        nxt = next((n for n in following if n not in seen), following[0])
        path.append(nxt)
        if nxt in seen:
            return [str(p) for p in path]
        seen.add(nxt)
        current = nxt


@rule(
    "SM007",
    "semantic.derivation-level",
    Severity.ERROR,
    "derives-from a requirement of the same or a lower level",
    scope="links",
)
def derivation_level(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        `derives-from` pointing to a requirement of the same or a lower level
        (stakeholder > system > software). A requirement's level is its document's.

    Why it matters:
        Derivation runs downwards: software requirements derive from system requirements,
        which derive from stakeholder needs (ISO/IEC/IEEE 29148's StRS -> SyRS -> SRS). A
        link the other way round inverts the hierarchy and corrupts coverage figures.

    Example:
        # in a system-level document
        requirement R-8 "..." { derives-from: R-LOW }   # R-LOW is software-level

    Fix:
        Reverse the link (the lower-level requirement derives from the higher one), or
        use `refines` / `depends-on` for requirements of one level.

    Reference:
        ISO/IEC/IEEE 29148:2018, 6.2 to 6.4 (StRS, SyRS, SRS).
    """
    project = context.project
    for element in project.live("requirement"):
        rank = LEVEL_RANK.get(element.level or "")
        if rank is None:
            continue
        for value in element.refs("derives-from"):
            target = project.index.get(value.raw)
            if target is None or target.kind != "requirement":
                continue
            target_rank = LEVEL_RANK.get(target.level or "")
            if target_rank is not None and target_rank <= rank:
                yield Finding.at(
                    element,
                    value.span,
                    _(
                        "`{id}` ({level}) derives from `{target}` ({target_level}), which is "
                        "not of a higher level"
                    ).format(
                        id=element.id,
                        level=element.level,
                        target=target.id,
                        target_level=target.level,
                    ),
                    hint=_(
                        "derive from a requirement of a higher level (stakeholder > system > "
                        "software), or use `refines` or `depends-on`"
                    ),
                    related=[
                        Related(
                            _("`{id}` is defined here").format(id=target.id),
                            target.path,
                            target.anchor,
                        )
                    ],
                )


@rule(
    "SM008",
    "semantic.unknown-catalog-reference",
    Severity.ERROR,
    "unknown catalogue reference",
    scope="file",
)
def unknown_catalog_reference(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A compliance reference whose scheme is not a catalogue (built-in `gdpr`,
        `iso27001`, `wcag`, or one declared under `[catalogs]`), a GDPR article,
        paragraph or point that does not exist, an ISO/IEC 27001:2022 Annex A control
        that does not exist (2013 numbering such as A.9.1 included), a WCAG 2.2 success
        criterion that does not exist, and a MITRE ATT&CK Enterprise technique in a
        threat's `attack` that does not exist or is revoked (the message names its
        replacement) or deprecated. Also a key of `[compliance.iso27001] excluded` in
        reqdsl.toml that is not an ISO/IEC 27001:2022 control (at the key): the statement
        of applicability would exclude nothing while the control meant is left without
        its justification.

    Why it matters:
        Compliance pages (GDPR record of processing, statement of applicability) are
        built from these references; an auditor who looks up `gdpr:6(1)(g)` finds
        nothing. ISO/IEC 27001 was renumbered in 2022.

    Example:
        compliance: gdpr:6(1)(g), iso27001:A.9.1

    Fix:
        Look the reference up with `reqdsl catalog show gdpr:6(1)` or
        `reqdsl catalog list iso27001` and correct it.

    Reference:
        Regulation (EU) 2016/679; ISO/IEC 27001:2022 Annex A; WCAG 2.2; MITRE ATT&CK
        Enterprise v18.1.
    """
    project = context.project
    catalogs = project.catalogs
    for element in project.elements:
        if element.broken:
            continue
        for name in _compliance_fields(element.kind):
            if not element.has(name):
                continue
            for value in element.refs(name):
                scheme, ref = value.value
                catalog = catalogs.get(scheme)
                if catalog is None:
                    known = ", ".join(sorted(catalogs))
                    yield Finding.at(
                        element,
                        value.span,
                        _("unknown catalogue `{scheme}` in `{value}`").format(
                            scheme=scheme, value=value.raw
                        ),
                        hint=_(
                            "use one of: {known}, or declare it under [catalogs] in reqdsl.toml"
                        ).format(known=known),
                    )
                    continue
                problem = catalog.problem(ref)
                if problem is not None:
                    yield Finding.at(
                        element,
                        value.span,
                        problem,
                        hint=_suggest(catalog.suggestions(ref), scheme),
                    )
        if element.kind == "threat" and element.has("attack"):
            attack = catalogs["attack"]
            for value in element.refs("attack"):
                problem = attack.problem(value.raw)
                if problem is not None:
                    yield Finding.at(
                        element,
                        value.span,
                        problem,
                        hint=_suggest(attack.suggestions(value.raw), None),
                    )
    yield from _unknown_exclusions(context)


@functools.cache
def _compliance_fields(kind: str) -> tuple[str, ...]:
    """The fields of `kind` that hold catalogue references (`compliance`, `lawful-basis`,
    `transfer-basis`...): every one is checked, from the one table of fields."""
    return tuple(
        spec.name
        for spec in FIELD_SPECS.get(kind, {}).values()
        if isinstance(spec.value_kind, ComplianceKind)
    )


def _unknown_exclusions(context: CheckContext) -> Iterator[Finding]:
    """`[compliance.iso27001] excluded` keys that are not controls: the statement of
    applicability would exclude nothing while the control meant stays unjustified."""
    config = context.config
    iso = context.project.catalogs.get("iso27001")
    if iso is None or not config.iso27001_excluded:
        return
    path = config.relpath
    for control in config.iso27001_excluded:
        problem = iso.problem(control)
        if problem is not None:
            yield Finding(
                _(
                    "reqdsl.toml excludes `{control}` from the statement of applicability: "
                    "{problem}"
                ).format(control=control, problem=problem),
                path,
                config.key_span(("compliance", "iso27001", "excluded", control)),
                hint=_suggest(iso.suggestions(control), None),
            )


def _suggest(suggestions: list[str], scheme: str | None) -> str | None:
    if not suggestions:
        return None
    shown = [f"`{scheme}:{s}`" if scheme else f"`{s}`" for s in suggestions]
    return _("did you mean {names}?").format(names=_(" or ").join(shown))


__all__ = ["ModelElement"]
