"""What changed between two versions of a project, and which links became suspect.

Elements are matched by ID (a term by its word); an element is *changed* when its kind,
title, document, enclosing sections, any field (custom fields included), data
attributes or steps differ, compared as written (layout, comments and positions do
not count). Text blocks without an ID count as part of their document (`text`).

A link is *suspect* when an element of the new version names, in any reference field,
an element that changed or was removed: a test that `verifies` a changed requirement,
a requirement that `derives-from` a changed need, a flow that `carries` changed data.
Whoever owns the linking element should review it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.elements import ModelElement
from ..model.project import Project
from .model_view import FieldValue, LinkIndex, attributes_source, field_values, steps_source

Properties = dict[str, FieldValue]


@dataclass(frozen=True)
class ElementRef:
    id: str
    kind: str
    title: str | None


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: FieldValue | None
    new: FieldValue | None


@dataclass(frozen=True)
class ElementChange:
    element: ElementRef
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class SuspectLink:
    source: ElementRef  # the element to review
    field: str
    target: str
    reason: str  # "changed" or "removed"


@dataclass
class ProjectDiff:
    old_label: str
    new_label: str
    added: list[ElementRef] = field(default_factory=list)
    removed: list[ElementRef] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)
    suspect: list[SuspectLink] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, object]:
        def ref(item: ElementRef) -> dict[str, object]:
            return {"id": item.id, "kind": item.kind, "title": item.title}

        return {
            "old": self.old_label,
            "new": self.new_label,
            "added": [ref(item) for item in self.added],
            "removed": [ref(item) for item in self.removed],
            "changed": [
                {
                    **ref(change.element),
                    "changes": [
                        {"field": c.field, "old": c.old, "new": c.new} for c in change.changes
                    ],
                }
                for change in self.changed
            ],
            "suspect": [
                {**ref(s.source), "field": s.field, "target": s.target, "reason": s.reason}
                for s in self.suspect
            ],
        }


def element_key(element: ModelElement) -> str | None:
    if element.id is not None:
        return element.id
    if element.kind == "term" and element.title is not None:
        return f"term:{element.title}"
    return None


def snapshot(project: Project) -> dict[str, tuple[ModelElement, Properties]]:
    """The comparable properties of every element, by key (first definitions only)."""
    out: dict[str, tuple[ModelElement, Properties]] = {}
    texts: dict[str, list[str]] = {}
    for element in project.elements:
        if element.kind == "text" and element.document is not None:
            texts.setdefault(element.document, []).append(element.body or "")
        key = element_key(element)
        if key is None or key in out:
            continue
        properties: Properties = {"kind": element.kind}
        if element.title is not None:
            properties["title"] = element.title
        if element.document is not None and element.kind != "document":
            properties["document"] = element.document
        if element.section:
            properties["section"] = " / ".join(element.section)
        properties.update(field_values(element))
        if element.attributes:
            properties["attributes"] = attributes_source(project, element)
        steps = steps_source(project, element)
        if steps is not None:
            properties["steps"] = steps
        if element.broken:
            properties["broken"] = "true"
        out[key] = (element, properties)
    for document_id, bodies in texts.items():
        if document_id in out:
            out[document_id][1]["text"] = bodies
    return out


def _ref(key: str, element: ModelElement) -> ElementRef:
    return ElementRef(key, element.kind, element.title)


def diff_projects(
    old: Project, new: Project, old_label: str = "old", new_label: str = "new"
) -> ProjectDiff:
    before, after = snapshot(old), snapshot(new)
    result = ProjectDiff(old_label, new_label)
    for key, (element, properties) in after.items():
        if key not in before:
            result.added.append(_ref(key, element))
            continue
        previous = before[key][1]
        changes = [
            FieldChange(name, previous.get(name), properties.get(name))
            for name in _ordered(previous, properties)
            if previous.get(name) != properties.get(name)
        ]
        if changes:
            result.changed.append(ElementChange(_ref(key, element), tuple(changes)))
    result.removed = [
        _ref(key, element) for key, (element, _) in before.items() if key not in after
    ]
    reasons = {change.element.id: "changed" for change in result.changed}
    reasons.update({item.id: "removed" for item in result.removed})
    for link in LinkIndex(new).links():
        reason = reasons.get(link.target)
        if reason is None or link.source == link.target:
            continue
        source = new.index[link.source]
        result.suspect.append(
            SuspectLink(_ref(link.source, source), link.field, link.target, reason)
        )
    return result


def _ordered(first: Properties, second: Properties) -> list[str]:
    names = list(second)
    names += [name for name in first if name not in second]
    return names
