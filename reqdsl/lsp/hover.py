"""Hover text (Markdown): an element's title, statement, level, links both ways and
coverage; a compliance reference's catalogue title; a field's meaning."""

from __future__ import annotations

from collections import defaultdict

from ..catalogs import Catalog
from ..model.elements import ModelElement
from ..model.facts.trace import NEED_LINK_FIELDS, UPWARD_FIELDS
from ..model.project import Project
from ..model.schema import FIELD_SPECS, FieldSpec, inverse_label


def _ids(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def incoming(project: Project, element_id: str) -> dict[str, list[str]]:
    """Back-links to an element, by field."""
    graph = project.graph()
    found: dict[str, list[str]] = defaultdict(list)
    if element_id in graph:
        for source, _target, key in graph.in_edges(element_id, keys=True):
            if source not in found[key]:
                found[key].append(source)
    return dict(found)


def element_hover(project: Project, element: ModelElement) -> str:
    lines = [
        f"**{element.kind}** `{element.id}`" + (f" — {element.title}" if element.title else "")
    ]
    for name in ("statement", "description", "definition"):
        text = element.word(name) if element.has(name) else None
        if text:
            lines += ["", "> " + text.replace("\n", "\n> ")]
            break
    facts = []
    if element.kind == "requirement" and element.level:
        facts.append(f"level: {element.level}")
    for name in ("type", "priority", "status", "category", "kind", "trust"):
        spec = FIELD_SPECS.get(element.kind, {}).get(name)
        if spec is not None and spec.values and element.word(name):  # an enumeration
            facts.append(f"{name}: {element.word(name)}")
    where = element.path + (f" ({' › '.join(element.section)})" if element.section else "")
    facts.append(f"in {where}")
    lines += ["", " · ".join(facts)]
    outgoing = _outgoing(element)
    if outgoing:
        lines += ["", "**Links:** " + "; ".join(f"{k} {_ids(v)}" for k, v in outgoing.items())]
    back = incoming(project, element.id or "")
    if back:
        lines += [
            "",
            "**Linked from:** "
            + "; ".join(f"{inverse_label(k)} {_ids(v)}" for k, v in back.items()),
        ]
    coverage = _coverage(element, back, outgoing)
    if coverage:
        lines += ["", "**Coverage:** " + coverage]
    return "\n".join(lines)


def _outgoing(element: ModelElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for spec in FIELD_SPECS.get(element.kind, {}).values():
        if spec.value_kind.cites and element.has(spec.name):
            values = [value.raw for value in element.refs(spec.name)]
            if values:
                out[spec.name] = values
    return out


def _coverage(
    element: ModelElement, back: dict[str, list[str]], outgoing: dict[str, list[str]]
) -> str | None:
    if element.kind == "threat":
        mitigated = back.get("mitigates", [])
        if not mitigated:
            return "no requirement mitigates it"
        return f"{inverse_label('mitigates')} {_ids(mitigated)}"
    if element.kind == "goal" or (element.kind == "requirement" and element.level == "stakeholder"):
        linked = [i for key in NEED_LINK_FIELDS for i in back.get(key, [])]
        return f"addressed by {_ids(linked)}" if linked else "nothing links to it yet"
    if element.kind != "requirement":
        return None
    parts = []
    methods = [value.raw for value in element.refs("verification")]
    tests = back.get("verifies", [])
    if tests:
        parts.append(f"{inverse_label('verifies')} {_ids(tests)}")
    elif "test" in methods:
        parts.append("verification includes `test` but no test verifies it")
    elif not methods:
        parts.append("no verification method")
    if element.level in ("system", "software") and not any(n in outgoing for n in UPWARD_FIELDS):
        parts.append("no upward link")
    return "; ".join(parts) or None


def compliance_hover(catalogs: dict[str, Catalog], reference: str) -> str:
    scheme, _, ref = reference.partition(":")
    catalog = catalogs.get(scheme)
    if catalog is None:
        return f"`{reference}`: unknown catalogue `{scheme}`"
    entry = catalog.lookup(ref)
    if entry is None:
        return f"`{reference}`: {catalog.problem(ref) or 'not in the catalogue'}"
    return f"**{reference}** — {entry.title}\n\n{catalog.title}"


def technique_hover(catalogs: dict[str, Catalog], technique: str) -> str | None:
    catalog = catalogs.get("attack")
    entry = catalog.lookup(technique) if catalog is not None else None
    if entry is None:
        return None
    return f"**{technique}** — {entry.title}\n\nMITRE ATT&CK Enterprise"


class ValueHovers:
    """The hovers a value kind asks for (model/value_kinds.py)."""

    def __init__(self, catalogs: dict[str, Catalog]) -> None:
        self.catalogs = catalogs

    def technique(self, text: str) -> str | None:
        return technique_hover(self.catalogs, text)


def field_hover(kind: str, spec: FieldSpec) -> str:
    what = spec.value_kind.describe(spec)
    flags = ["required"] if spec.required else []
    flags.append("a list" if spec.many else "one value")
    text = f"**{spec.name}** on a {kind}: {what} ({', '.join(flags)})"
    if spec.description:
        text += f"\n\n{spec.description}"
    return text
