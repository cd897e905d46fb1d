"""Nesting actors and components in their trust zones, for the component diagram and the
data-flow diagram. A zone sits in the zone it is `inside`; a zone whose `inside` chain
loops (SM006) or names no live zone is drawn at the top level."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.elements import ModelElement
from ..model.project import Project
from .puml import first_of, live


@dataclass
class ZoneTree:
    zones: dict[str, ModelElement] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    members: dict[str | None, list[ModelElement]] = field(default_factory=dict)

    def children(self, zone_id: str | None) -> list[ModelElement]:
        return [zone for key, zone in self.zones.items() if self.parent[key] == zone_id]

    def emit(
        self,
        open_zone: Callable[[ModelElement], str],
        node: Callable[[ModelElement], list[str]],
    ) -> list[str]:
        """Lines for every zone and node: a zone's block holds its nodes, then the zones
        inside it; nodes without a zone come last, outside every block."""
        lines: list[str] = []
        self._emit(None, 0, open_zone, node, lines)
        return lines

    def _emit(
        self,
        zone_id: str | None,
        depth: int,
        open_zone: Callable[[ModelElement], str],
        node: Callable[[ModelElement], list[str]],
        lines: list[str],
    ) -> None:
        indent = "  " * depth
        children = self.children(zone_id)
        if zone_id is not None:
            for member in self.members.get(zone_id, []):
                lines.extend(indent + line for line in node(member))
        for zone in children:
            lines.append(indent + open_zone(zone) + " {")
            self._emit(zone.id, depth + 1, open_zone, node, lines)
            lines.append(indent + "}")
        if zone_id is None:
            for member in self.members.get(None, []):
                lines.extend(node(member))


def _parent(project: Project, zone: ModelElement) -> str | None:
    """The zone this one is drawn inside, or None when its chain does not end at the top."""
    parent = first_of(project, zone, "inside", "zone")
    seen = {zone.id}
    current = parent
    while current is not None:
        if current in seen:
            return None
        seen.add(current)
        current = first_of(project, project.index[current], "inside", "zone")
    return parent


def zone_of(project: Project, element: ModelElement) -> str | None:
    """The ID of the live zone an actor or component sits in, or None."""
    return first_of(project, element, "zone", "zone")


def build_zone_tree(project: Project, nodes: list[ModelElement]) -> ZoneTree:
    tree = ZoneTree()
    for zone in live(project, "zone"):
        tree.zones[zone.id or ""] = zone
    for key, zone in tree.zones.items():
        tree.parent[key] = _parent(project, zone)
    for element in nodes:
        tree.members.setdefault(zone_of(project, element), []).append(element)
    return tree
