"""The data-flow diagram of the threat model (DFD notation as in the Microsoft SDL threat
modelling tool): external entities (actors) as boxes, processes as bubbles, data stores
as cylinders, trust zones as dashed boundaries, flows labelled with their title and
protocol, threats as notes on what they target.

A flow that crosses a boundary (its ends sit in two different zones, as rule TM001 counts
it) while `encrypted` is not true is drawn red and bold, and says so: that is the first
thing a reviewer of a threat model looks for.
"""

from __future__ import annotations

from ..i18n import N_, _
from ..model.elements import ModelElement
from ..model.facts.zones import crossing
from ..model.project import Project
from .escape import display, escape
from .puml import (
    direction_for,
    flow_ends,
    frame,
    heading,
    label,
    live,
    name_of,
    ref,
    target,
    targets,
)
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
# The legend's rows: our own words, no user text (the catalogue is reqdsl's own, like its code).
_LEGEND_ROWS = (
    (N_("box"), N_("external entity (actor)")),
    (N_("ellipse"), N_("process")),
    (N_("cylinder"), N_("data store")),
    (N_("dashed frame"), N_("trust boundary (zone)")),
    (None, N_("not encrypted, crosses a trust boundary")),
    (N_("note"), N_("threat on the element or flow it targets")),
)


def legend() -> list[str]:
    """The data-flow legend in the current language."""
    lines = ["legend bottom left", f"  |= {_('notation')} |= {_('meaning')} |"]
    for notation, meaning in _LEGEND_ROWS:
        shown = (
            _(notation)
            if notation is not None
            else f"<color:{ALERT}><b>{_('red, bold flow')}</b></color>"
        )
        lines.append(f"  | {shown} | {_(meaning)} |")
    lines.append("endlegend")
    return lines


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


def _threat_text(threat: ModelElement, *, on_data: str | None = None) -> str:
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
        parts.append(display(on_data, 28, style=("<size:10>", "</size>")))
    return "\\n".join(parts)


def _colour(threat: ModelElement) -> str:
    return THREAT_COLOUR.get(threat.word("status") or "open", THREAT_COLOUR["open"])


# The status that colours a note holding several threats: the one that most needs a
# reviewer (each threat's own status is written in the note).
_URGENCY = ("open", "accepted", "transferred", "mitigated", "not-applicable")


def _note_colour(threats: list[ModelElement]) -> str:
    statuses = [threat.word("status") or "open" for threat in threats]
    for status in _URGENCY:
        if status in statuses:
            return THREAT_COLOUR[status]
    return THREAT_COLOUR["open"]


def _threat_target(project: Project, threat: ModelElement) -> ModelElement | None:
    value = threat.value("target")
    if value is None:
        return None
    return target(project, value.raw, "actor", "component", "flow", "data")


def _element_notes(
    project: Project,
    nodes: list[ModelElement],
    threats: list[tuple[ModelElement, ModelElement | None]],
) -> dict[int, list[str]]:
    """`id(node)` -> the texts of the threats drawn next to it: those aimed at it, and
    those aimed at data it stores (on the first store holding the data; the note names
    the others)."""
    texts: dict[int, list[str]] = {}
    aimed_at: dict[int, list[ModelElement]] = {}
    for threat, aimed in threats:
        if aimed is None or aimed.kind == "flow":
            continue
        if aimed.kind == "data":
            holders = [c for c in nodes if c.kind == "component" and aimed in _stored(project, c)]
            if not holders:
                continue
            others = ", ".join(name_of(holder) for holder in holders[1:])
            on_data = _("on data: {name}").format(name=aimed.title or aimed.id or "")
            if others:
                on_data += " " + _("(also in {names})").format(names=others)
            text = _threat_text(threat, on_data=on_data)
            texts.setdefault(id(holders[0]), []).append(text)
            aimed_at.setdefault(id(holders[0]), []).append(threat)
        else:
            texts.setdefault(id(aimed), []).append(_threat_text(threat))
            aimed_at.setdefault(id(aimed), []).append(threat)
    return {key: [_note_colour(aimed_at[key]), *found] for key, found in texts.items()}


def generate_data_flow(project: Project) -> dict[str, str]:
    nodes = list(live(project, "actor", "component"))
    flows = list(live(project, "flow"))
    if not flows:
        return {}
    threats = [(threat, _threat_target(project, threat)) for threat in live(project, "threat")]
    notes = _element_notes(project, nodes, threats)

    def node(element: ModelElement) -> list[str]:
        # The threats on an element sit right beside it, inside its zone: a floating
        # note linked from afar was placed by the layout in a long row of notes.
        lines = _node(element)
        found = notes.get(id(element))
        if found:
            colour, *texts = found
            lines.append(f"note right of {ref(element)} {colour} : " + "\\n".join(texts))
        return lines

    body = [
        *direction_for(map(ref, nodes), _flow_pairs(project, flows)),
        "skinparam usecase {",
        "  BackgroundColor #FFFFFF",
        "}",
    ]
    body.extend(build_zone_tree(project, nodes).emit(_zone, node))
    for flow in flows:
        ends = flow_ends(project, flow)
        if ends is None:
            continue
        body.append(_flow_line(project, flow, ends))
        on_flow = [threat for threat, aimed in threats if aimed is flow]
        if on_flow:
            text = "\\n".join(_threat_text(threat) for threat in on_flow)
            body.append(f"note on link {_note_colour(on_flow)} : {text}")
    body.extend(legend())
    return {PATH: frame(heading(project, N_("data flows and threats")), body)}


def _flow_pairs(project: Project, flows: list[ModelElement]) -> list[tuple[str, str]]:
    return [
        (ref(a), ref(b)) for flow in flows if (ends := flow_ends(project, flow)) for a, b in [ends]
    ]


def _stored(project: Project, component: ModelElement) -> list[ModelElement]:
    return targets(project, component, "stores", "data")
