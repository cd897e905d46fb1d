"""The model as plain data, shared by the exports, the diff and the impact tree.

- `field_values`: every field an element gives, as written (text, or a list of texts
  for list fields), in the schema's order, then the custom fields of reqdsl.toml;
- `LinkIndex`: every reference between elements, both ways. A link is any field whose
  values are element IDs (the trace fields and the model's references such as `zone`,
  `from`, `carries`), as written, whether or not the target exists;
- `attributes_source` / `steps_source`: a data element's attribute lines and a
  scenario's or activity's steps, as the `.req` text that wrote them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model.elements import ModelElement
from ..model.project import Project
from ..model.schema import FIELD_SPECS, KIND_FIELDS, TRACE_FIELDS

FieldValue = str | list[str]

# Fields whose values are element IDs, per kind (scores name criteria: pairs, not links).
REF_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(spec.name for spec in specs if spec.value_kind.ids)
    for kind, specs in KIND_FIELDS.items()
}
# Where the statement-like text of a kind lives (the JSON `statement`, ReqIF.Text).
TEXT_FIELD = {"requirement": "statement", "goal": "statement", "term": "definition"}


def field_values(element: ModelElement, *, custom: bool = True) -> dict[str, FieldValue]:
    """The fields the element gives, as written; list fields as lists."""
    out: dict[str, FieldValue] = {}
    if element.broken:
        return out
    for name, spec in FIELD_SPECS[element.kind].items():
        if not element.has(name):
            continue
        if spec.value_kind.listed(spec):
            out[name] = spec.value_kind.written(element, spec)
        else:
            found = element.value(name)
            if found is not None:
                out[name] = found.raw
    if custom:
        for name, values in element.custom.items():
            out[name] = [value.raw for value in values]
    return out


@dataclass(frozen=True, slots=True)
class Link:
    """`source` names `target` in its field `field`."""

    source: str
    field: str
    target: str

    @property
    def is_trace(self) -> bool:
        return self.field in TRACE_FIELDS


class LinkIndex:
    """Every link of a project, by source and by target (duplicates: the first wins)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._out: dict[str, list[Link]] = {}
        self._in: dict[str, list[Link]] = {}
        for element in project.elements:
            if element.id is None or element.broken:
                continue
            if project.index.get(element.id) is not element:
                continue  # a second definition of a duplicate ID (SM001)
            for name in REF_FIELDS.get(element.kind, ()):
                if not element.has(name):
                    continue
                for value in element.refs(name):
                    link = Link(element.id, name, value.raw)
                    self._out.setdefault(element.id, []).append(link)
                    self._in.setdefault(value.raw, []).append(link)

    def outgoing(self, element_id: str) -> list[Link]:
        return self._out.get(element_id, [])

    def incoming(self, element_id: str) -> list[Link]:
        return self._in.get(element_id, [])

    def links(self) -> Iterable[Link]:
        for links in self._out.values():
            yield from links


def _source_slice(project: Project, element: ModelElement, start: int, end: int) -> str:
    source = project.sources.get(element.path)
    return source.text[start:end] if source is not None else ""


def attributes_source(project: Project, element: ModelElement) -> list[str]:
    """A data element's `attribute` lines, as written."""
    return [
        _source_slice(project, element, attribute.span.start, attribute.span.end)
        for attribute in element.attributes
    ]


def steps_source(project: Project, element: ModelElement) -> str | None:
    """A scenario's or activity's steps as written (comments between them included),
    their common indentation removed; None when it has none."""
    if not element.steps:
        return None
    start, end = element.steps[0].span.start, element.steps[-1].span.end
    source = project.sources.get(element.path)
    if source is None:
        return None
    line_start = source.text.rfind("\n", 0, start) + 1
    text = source.text[line_start:end]
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    margin = min(indents) if indents else 0
    return "\n".join(line[margin:] for line in lines)
