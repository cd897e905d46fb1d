"""The component diagram: components (datastores as databases) and actors grouped by
trust zone, flows as labelled dependencies."""

from __future__ import annotations

from ..i18n import N_
from ..model.elements import ModelElement
from ..model.project import Project
from .escape import display, escape
from .puml import ID_STYLE, flow_ends, frame, heading, label, live, ref
from .zones import build_zone_tree

PATH = "components.puml"


def node_label(element: ModelElement) -> str:
    """Title, technology (when given) in small type, then the ID."""
    text = display(element.title or element.id or "", 24)
    technology = element.word("technology") if element.kind == "component" else None
    if technology:
        text += "\\n" + display(technology, 30, style=("<size:10>", "</size>"))
    if element.title and element.id:
        text += "\\n" + ID_STYLE.format(escape(element.id))
    return text


def _node(element: ModelElement) -> list[str]:
    if element.kind == "actor":
        return [f'actor "{label(element, 20)}" as {ref(element)}']
    shape = "database" if element.word("kind") == "datastore" else "component"
    return [f'{shape} "{node_label(element)}" as {ref(element)}']


def _zone(zone: ModelElement) -> str:
    trust = zone.word("trust")
    stereotype = f" <<{escape(trust)}>>" if trust else ""
    return f'rectangle "{label(zone, 30)}" as {ref(zone)}{stereotype}'


def generate_components(project: Project) -> dict[str, str]:
    nodes = list(live(project, "actor", "component"))
    if not any(node.kind == "component" for node in nodes):
        return {}
    body = ["skinparam componentStyle uml2"]
    body.extend(build_zone_tree(project, nodes).emit(_zone, _node))
    for flow in live(project, "flow"):
        ends = flow_ends(project, flow)
        if ends is not None:
            body.append(f"{ref(ends[0])} ..> {ref(ends[1])} : {display(flow.title or '', 30)}")
    return {PATH: frame(heading(project, N_("components")), body)}
