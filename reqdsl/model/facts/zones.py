"""Trust-zone facts: the zone of a flow's end, the flows that cross a trust boundary, and
a zone's trust level. The TM rules check them; the data-flow diagrams draw them.

A flow's ends are the actors or components named by `from` and `to`; an end's zone is its
`zone` field as written. Elements without a zone never cross a boundary (spec section 5).
A zone's trust is its own `trust`, else that of the nearest zone it is `inside`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..elements import ModelElement
from ..project import Project
from ..schema import TRUST_LEVELS

TRUST_RANK = {level: rank for rank, level in enumerate(TRUST_LEVELS)}


def end_zone(project: Project, flow: ModelElement, field: str) -> str | None:
    """The zone (ID as written) of a flow's `from` or `to` end, or None."""
    end = flow.value(field)
    if end is None:
        return None
    element = project.index.get(end.raw)
    if element is None or element.broken or element.kind not in ("actor", "component"):
        return None
    return element.word("zone")


def crossing(project: Project, flow: ModelElement) -> tuple[str, str] | None:
    """(from zone, to zone) when the flow joins two different zones, else None."""
    source, target = end_zone(project, flow, "from"), end_zone(project, flow, "to")
    if source is None or target is None or source == target:
        return None
    return source, target


def crossing_flows(
    project: Project, unless: str | None = None
) -> Iterator[tuple[ModelElement, tuple[str, str]]]:
    """The live flows that join two different zones, each with (from zone, to zone); with
    `unless` (`encrypted`, `authenticated`), not the flows where that field is true."""
    for flow in project.live("flow"):
        zones = crossing(project, flow)
        if zones is None:
            continue
        declared = flow.value(unless) if unless is not None else None
        if declared is not None and declared.value is True:
            continue
        yield flow, zones


def zone_trust(project: Project, zone_id: str) -> str | None:
    """A zone's trust level: its own, else the nearest enclosing zone's (`inside`)."""
    seen: set[str] = set()
    current: str | None = zone_id
    while current is not None and current not in seen:
        seen.add(current)
        zone = project.index.get(current)
        if zone is None or zone.kind != "zone" or zone.broken:
            return None
        trust = zone.word("trust")
        if trust is not None:
            return trust
        current = zone.word("inside")
    return None
