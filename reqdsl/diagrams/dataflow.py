"""The data-flow diagram of the threat model (DFD notation as in the Microsoft SDL threat
modelling tool): external entities (actors) as boxes, processes as bubbles, data stores
as cylinders, trust zones as dashed boundaries, flows labelled with their title and
protocol, threats as notes on what they target.

A flow that crosses a boundary (its ends sit in two different zones, as rule TM001 counts
it) while `encrypted` is not true is drawn red and bold, and says so: that is the first
thing a reviewer of a threat model looks for.
"""

from __future__ import annotations

from ..model.elements import ModelElement
from ..model.facts.zones import crossing
from ..model.project import Project
from .escape import display, escape
from .puml import flow_ends, frame, heading, label, live, ref, target, targets
from .zones import build_zone_tree

PATH = "data-flow.puml"
ALERT = "#B00020"
THREAT_COLOUR = {
    "open": "#FDE2E2",
    "mitigated": "#E3F2E1",
    "accepted": "#FFF6D5",
    "transferred": "#FFF6D5",
    "not-applicable": "#EEEEEE",
}
LEGEND = [
    "legend right",
    "  |= notation |= meaning |",
    "  | box | external entity (actor) |",
    "  | ellipse | process |",
    "  | cylinder | data store |",
    "  | dashed frame | trust boundary (zone) |",
    f"  | <color:{ALERT}><b>red, bold flow</b></color> | not encrypted, crosses a trust boundary |",
    "  | note | threat on the element or flow it targets |",
    "endlegend",
]


def _node(element: ModelElement) -> list[str]:
    if element.kind == "actor":
        return [f'agent "{label(element, 20)}" as {ref(element)}']
    shape = "database" if element.word("kind") == "datastore" else "usecase"
    return [f'{shape} "{label(element)}" as {ref(element)}']


def _zone(zone: ModelElement) -> str:
    trust = zone.word("trust")
    text = label(zone, 30)
    if trust:
        text += f"\\n<size:10>{escape(trust)}</size>"
    return f'rectangle "{text}" as {ref(zone)} #line.dashed;line:{ALERT[1:]};text:{ALERT[1:]}'


def is_exposed(project: Project, flow: ModelElement) -> bool:
    """Crosses a trust boundary and is not declared encrypted."""
    encrypted = flow.value("encrypted")
    return crossing(project, flow) is not None and not (
        encrypted is not None and encrypted.value is True
    )


def _flow_line(project: Project, flow: ModelElement, ends: tuple[ModelElement, ...]) -> str:
    protocol = flow.word("protocol")
    small = ("<size:10>", "</size>")
    if is_exposed(project, flow):
        arrow = f"-[{ALERT},bold]->"
        lines = [
            display(flow.title or flow.id or "", 30, style=(f"<color:{ALERT}><b>", "</b></color>"))
        ]
        if protocol:
            lines.append(display(protocol, 30, style=small))
        lines.append(f"<size:10><color:{ALERT}><b>NOT ENCRYPTED</b></color></size>")
    else:
        arrow = "-->"
        lines = [display(flow.title or flow.id or "", 30)]
        if protocol:
            lines.append(display(protocol, 30, style=small))
    return f"{ref(ends[0])} {arrow} {ref(ends[1])} : " + "\\n".join(lines)


def _threat_text(threat: ModelElement, *, on_data: ModelElement | None = None) -> str:
    parts = [f"<b>{escape(threat.id or '')}</b> {display(threat.title or '', 28)}"]
    facts = [
        escape(word)
        for word in (threat.word("category"), threat.word("status"))
        if word is not None
    ]
    likelihood, impact = threat.word("likelihood"), threat.word("impact")
    if likelihood or impact:
        facts.append(f"L {escape(likelihood or '?')} / I {escape(impact or '?')}")
    if facts:
        parts.append("<size:10>" + ", ".join(facts) + "</size>")
    if on_data is not None:
        parts.append(
            display("on data: " + (on_data.title or ""), 28, style=("<size:10>", "</size>"))
        )
    return "\\n".join(parts)


def _colour(threat: ModelElement) -> str:
    return THREAT_COLOUR.get(threat.word("status") or "open", THREAT_COLOUR["open"])


def _threat_target(project: Project, threat: ModelElement) -> ModelElement | None:
    value = threat.value("target")
    if value is None:
        return None
    return target(project, value.raw, "actor", "component", "flow", "data")


def generate_data_flow(project: Project) -> dict[str, str]:
    nodes = list(live(project, "actor", "component"))
    flows = list(live(project, "flow"))
    if not flows:
        return {}
    threats = [(threat, _threat_target(project, threat)) for threat in live(project, "threat")]
    body = ["skinparam usecase {", "  BackgroundColor #FFFFFF", "}"]
    body.extend(build_zone_tree(project, nodes).emit(_zone, _node))
    for flow in flows:
        ends = flow_ends(project, flow)
        if ends is None:
            continue
        body.append(_flow_line(project, flow, ends))
        on_flow = [threat for threat, aimed in threats if aimed is flow]
        if on_flow:
            text = "\\n".join(_threat_text(threat) for threat in on_flow)
            body.append(f"note on link {_colour(on_flow[0])} : {text}")
    for threat, aimed in threats:
        if aimed is None or aimed.kind == "flow":
            continue
        note = ref(threat)
        if aimed.kind == "data":
            holders = [c for c in nodes if c.kind == "component" and aimed in _stored(project, c)]
            body.append(f'note "{_threat_text(threat, on_data=aimed)}" as {note} {_colour(threat)}')
            body.extend(f"{note} .. {ref(holder)}" for holder in holders)
        else:
            body.append(f'note "{_threat_text(threat)}" as {note} {_colour(threat)}')
            body.append(f"{note} .. {ref(aimed)}")
    body.extend(LEGEND)
    return {PATH: frame(heading(project, "data flows and threats"), body)}


def _stored(project: Project, component: ModelElement) -> list[ModelElement]:
    return targets(project, component, "stores", "data")
