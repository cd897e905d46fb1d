"""The impact tree of one element (`reqdsl trace ID`).

*Down* is what depends on the element: the elements that link to it (tests that verify
it, requirements that derive from it or refine it, flows that carry it...), then what
links to those, and so on: what a change to it may affect. *Up* is what it rests on:
the elements it links to, and theirs. Links are every reference field, as in the JSON
export. An element already shown is shown again marked `repeated` and not expanded
(cycles and shared parents stay finite).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..model.project import Project
from .model_view import LinkIndex

Direction = Literal["up", "down"]


@dataclass
class TraceNode:
    id: str
    kind: str | None  # None: the ID is unknown (a dangling link)
    title: str | None
    via: str | None = None  # the link field that leads here from the parent node
    repeated: bool = False
    children: list[TraceNode] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"id": self.id, "kind": self.kind, "title": self.title}
        if self.via is not None:
            data["via"] = self.via
        if self.repeated:
            data["repeated"] = True
        data["children"] = [child.to_json() for child in self.children]
        return data


def impact_tree(project: Project, element_id: str, direction: Direction) -> TraceNode:
    """The tree from `element_id` (which must exist) following links `direction`."""
    links = LinkIndex(project)
    seen: set[str] = set()

    def node(node_id: str, via: str | None) -> TraceNode:
        found = project.index.get(node_id)
        made = TraceNode(
            node_id, found.kind if found else None, found.title if found else None, via
        )
        if node_id in seen:
            made.repeated = True
            return made
        seen.add(node_id)
        if direction == "down":
            nexts = [(link.source, link.field) for link in links.incoming(node_id)]
        else:
            nexts = [(link.target, link.field) for link in links.outgoing(node_id)]
        made.children = [node(other, field_name) for other, field_name in nexts]
        return made

    return node(element_id, None)


def _label(node: TraceNode) -> str:
    kind = node.kind or "unknown ID"
    title = f' "{node.title}"' if node.title else ""
    via = f"({node.via}) " if node.via else ""
    more = " (repeated, see above)" if node.repeated else ""
    return f"{via}{node.id} [{kind}]{title}{more}"


def tree_text(tree: TraceNode, heading: str) -> str:
    lines = [heading, _label(tree)]

    def walk(node: TraceNode, prefix: str) -> None:
        for index, child in enumerate(node.children):
            last = index == len(node.children) - 1
            lines.append(prefix + ("└── " if last else "├── ") + _label(child))
            walk(child, prefix + ("    " if last else "│   "))

    walk(tree, "")
    if not tree.children:
        lines.append("    (nothing)")
    return "\n".join(lines) + "\n"
