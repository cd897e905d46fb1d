"""STRIDE-per-element and LINDDUN suggestions: for each element of the data-flow model,
the threat categories that apply to its type and the declared threats that cover each.

Element types follow the data-flow diagram: an actor is an external entity, a component
is a process or a data store (its `kind`), a flow is a data flow. A component without a
valid `kind` gets no suggestions (SM004/SM005 already report it). LINDDUN categories are
suggested only where personal data is involved: a flow that carries data of category
personal or special, a component that stores such data, and any actor or component at an
end of such a flow. A threat covers a category of an element when it targets that element
(as written) with that category, whatever its status: a threat declared not-applicable
with a justification records that the category was examined. Threats on `data` elements
stay in the register only. These are report rows, never diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..catalogs import stride_linddun_table
from ..i18n import N_
from ..model.elements import ModelElement
from ..model.facts.data import is_personal
from ..model.project import Project
from ..model.schema import LINDDUN, STRIDE
from .base import ElementRef, ReportModel, element_ref

Family = Literal["STRIDE", "LINDDUN"]
ELEMENT_TYPES = {
    "actor": N_("external entity"),
    "process": N_("process"),
    "datastore": N_("data store"),
    "flow": N_("data flow"),
}
_COLUMNS = {
    "external entity": "external_entity",
    "process": "process",
    "data store": "data_store",
    "data flow": "data_flow",
}
_QUALIFIER = re.compile(r"X\s*\((.*)\)\s*$")


@dataclass(frozen=True)
class CategoryInfo:
    category: str  # the enumeration value, e.g. `information-disclosure`
    family: Family
    label: str  # `Information disclosure`
    definition: str
    applies: dict[str, str]  # element type -> condition ('' when unconditional)


def _normal(text: str) -> str:
    return text.lower().replace("-", " ")


def _category_of(label: str, family: str) -> str:
    """The enumeration value a table row names (`Linking (Linkability)` -> `linking`)."""
    values = STRIDE if family == "STRIDE" else LINDDUN
    name = _normal(label.split("(")[0].strip())
    matches = [value for value in values if name.startswith(_normal(value))]
    if not matches:
        raise ValueError(f"stride_linddun_per_element.tsv: unknown category `{label}`")
    return max(matches, key=len)


@cache
def category_table() -> tuple[CategoryInfo, ...]:
    """The 13 rows of the STRIDE/LINDDUN-per-element table, as enumeration values."""
    rows = []
    for row in stride_linddun_table():
        applies: dict[str, str] = {}
        for element_type, column in _COLUMNS.items():
            cell = row[column].strip()
            if not cell:
                continue
            match = _QUALIFIER.match(cell)
            applies[element_type] = match.group(1).strip() if match else ""
        family: Family = "STRIDE" if row["framework"] == "STRIDE" else "LINDDUN"
        rows.append(
            CategoryInfo(
                category=_category_of(row["category"], row["framework"]),
                family=family,
                label=row["category"].split("(")[0].strip(),
                definition=row["one_line_definition"],
                applies=applies,
            )
        )
    return tuple(rows)


@cache
def category_info() -> dict[str, CategoryInfo]:
    return {info.category: info for info in category_table()}


class CategoryRow(ReportModel):
    """One row of the STRIDE/LINDDUN-per-element table, as the report shows it once."""

    category: str
    family: Family
    label: str
    definition: str
    applies_to: list[str]  # element types
    conditions: dict[str, str]  # element type -> condition, where qualified


def category_rows() -> list[CategoryRow]:
    return [
        CategoryRow(
            category=info.category,
            family=info.family,
            label=info.label,
            definition=info.definition,
            applies_to=list(info.applies),
            conditions={kind: text for kind, text in info.applies.items() if text},
        )
        for info in category_table()
    ]


class CategorySuggestion(ReportModel):
    category: str
    family: Family
    label: str
    condition: str | None  # e.g. `if it holds logs/audit`
    threats: list[ElementRef]  # declared threats on the element with this category
    covered: bool


class ElementSuggestions(ReportModel):
    element: ElementRef
    element_type: str  # external entity, process, data store, data flow
    personal_data: list[str]  # IDs of the personal or special data involved
    categories: list[CategorySuggestion]
    other_threats: list[ElementRef]  # threats on the element in a category not suggested
    covered: int
    applicable: int


def element_type(element: ModelElement) -> str | None:
    if element.kind == "component":
        return ELEMENT_TYPES.get(element.word("kind") or "")
    return ELEMENT_TYPES.get(element.kind)


def personal_involvement(project: Project) -> dict[str, list[str]]:
    """Element ID -> the personal or special data it stores, carries or sends/receives."""
    found: dict[str, dict[str, None]] = {}
    for flow in project.live("flow"):
        personal = [v.raw for v in flow.refs("carries") if is_personal(project.index.get(v.raw))]
        for end in (flow.id, flow.word("from"), flow.word("to")):
            if personal and end is not None:
                found.setdefault(end, {}).update(dict.fromkeys(personal))
    for component in project.live("component"):
        for value in component.refs("stores"):
            if is_personal(project.index.get(value.raw)) and component.id is not None:
                found.setdefault(component.id, {})[value.raw] = None
    return {element_id: list(data) for element_id, data in found.items()}


def build_suggestions(project: Project) -> list[ElementSuggestions]:
    table = category_table()
    involvement = personal_involvement(project)
    threats_by_target: dict[str, list[ModelElement]] = {}
    for threat in project.live("threat"):
        target = threat.word("target")
        if target is not None:
            threats_by_target.setdefault(target, []).append(threat)
    rows = []
    for element in project.live("actor", "component", "flow"):
        kind = element_type(element)
        if kind is None or element.id is None:
            continue
        personal = involvement.get(element.id, [])
        on_element = threats_by_target.get(element.id, [])
        suggested = [
            info for info in table if kind in info.applies and (info.family == "STRIDE" or personal)
        ]
        categories = [
            _suggestion(info, kind, [t for t in on_element if t.word("category") == info.category])
            for info in suggested
        ]
        names = {info.category for info in suggested}
        rows.append(
            ElementSuggestions(
                element=element_ref(element),
                element_type=kind,
                personal_data=personal,
                categories=categories,
                other_threats=[
                    element_ref(t) for t in on_element if t.word("category") not in names
                ],
                covered=sum(1 for c in categories if c.covered),
                applicable=len(categories),
            )
        )
    return rows


def _suggestion(info: CategoryInfo, kind: str, threats: list[ModelElement]) -> CategorySuggestion:
    return CategorySuggestion(
        category=info.category,
        family=info.family,
        label=info.label,
        condition=info.applies[kind] or None,
        threats=[element_ref(threat) for threat in threats],
        covered=bool(threats),
    )
