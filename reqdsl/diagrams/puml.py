"""What every generator shares: the diagram frame, labels for elements, safe look-ups.

Generators read the model only through these helpers and `escape`, so that no user text
reaches PlantUML unescaped and no dangling reference (an unknown or broken target, which
`reqdsl check` reports) can break a diagram: it is simply left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from ..i18n import gettext
from ..model.elements import ModelElement
from ..model.project import Project
from .escape import alias, display, escape

ID_STYLE = "<size:10><color:#555555>{}</color></size>"


def frame(title: str, body: Iterable[str], *, layout: bool = True) -> str:
    """A whole diagram. `!pragma layout smetana` makes the source render the same with
    any PlantUML, with or without Graphviz; our renderer passes `-Playout=smetana` too."""
    lines = ["@startuml"]
    if layout:
        lines.append("!pragma layout smetana")
    lines.append("skinparam shadowing false")
    lines.append(f"title {escape(title)}")
    lines.extend(body)
    lines.append("@enduml")
    return "\n".join(lines) + "\n"


def heading(project: Project, what: str) -> str:
    """A diagram's title: `Clinic booking: use cases` (`[project] name`), else `Use cases`.
    `what` is a gettext message (marked with `N_` by the caller)."""
    what = gettext(what)
    name = project.config.name
    return f"{name}: {what}" if name else what[:1].upper() + what[1:]


def name_of(element: ModelElement) -> str:
    """What a diagram calls an element: its title, else its ID."""
    return element.title or element.id or element.kind


def label(element: ModelElement, width: int = 24, *, with_id: bool = True) -> str:
    """An element's title, wrapped, with its ID below in small grey type."""
    text = display(name_of(element), width)
    if with_id and element.id is not None and element.title:
        text += "\\n" + ID_STYLE.format(escape(element.id))
    return text


def ref(element: ModelElement) -> str:
    """The element's PlantUML alias (elements always have an ID here)."""
    return alias(element.id or "")


def target(project: Project, ref_id: str, *kinds: str) -> ModelElement | None:
    """The live element `ref_id` names when it is of one of `kinds`, else None."""
    found = project.index.get(ref_id)
    if found is None or found.broken or found.id is None or found.kind not in kinds:
        return None
    return found


def targets(project: Project, element: ModelElement, field: str, *kinds: str) -> list[ModelElement]:
    """The live elements of `kinds` that a reference field names, in written order,
    each once."""
    found: list[ModelElement] = []
    for value in element.refs(field):
        hit = target(project, value.raw, *kinds)
        # By identity: `in` would compare pydantic models field by field.
        if hit is not None and all(hit is not other for other in found):
            found.append(hit)
    return found


def live(project: Project, *kinds: str) -> Iterator[ModelElement]:
    """Live elements with an ID, in source order; of a duplicated ID, the first
    definition only (the one references resolve to), so an alias is never declared twice."""
    for element in project.live(*kinds):
        if element.id is not None and project.index.get(element.id) is element:
            yield element


def first_of(project: Project, element: ModelElement, field: str, *kinds: str) -> str | None:
    """The ID a single reference field names when it resolves to one of `kinds`."""
    value = element.value(field)
    if value is None:
        return None
    hit = target(project, value.raw, *kinds)
    return hit.id if hit is not None else None


def flow_ends(project: Project, flow: ModelElement) -> tuple[ModelElement, ModelElement] | None:
    """A flow's `from` and `to` ends when both resolve to live actors or components."""
    ends = []
    for field in ("from", "to"):
        value = flow.value(field)
        end = target(project, value.raw, "actor", "component") if value is not None else None
        if end is None:
            return None
        ends.append(end)
    return ends[0], ends[1]


def rank_shape(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """(nodes in the widest rank, number of ranks) of a top-to-bottom layout of `nodes`
    (aliases) in which each edge's second end lies a rank below its first, as Graphviz
    ranks them: edges that close a cycle (found depth first) are left out, then each
    node's rank is its longest path from a source. Linear in nodes and edges."""
    rank = dict.fromkeys(nodes, 0)
    below: dict[str, list[str]] = {}
    for upper, lower in edges:
        if upper in rank and lower in rank and upper != lower:
            below.setdefault(upper, []).append(lower)
    order: list[str] = []  # reverse post-order of a depth-first walk: a topological order
    state: dict[str, int] = {}  # 1 on the walk's path, 2 done
    kept: dict[str, list[str]] = {}
    for start in rank:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(below.get(start, [])))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(child) != 1:  # an edge to a node on the path closes a cycle
                kept.setdefault(node, []).append(child)
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(below.get(child, []))))
    for node in reversed(order):
        for lower in kept.get(node, []):
            rank[lower] = max(rank[lower], rank[node] + 1)
    widths = Counter(rank.values())
    return max(widths.values(), default=0), len(widths)


def direction_for(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """`["left to right direction"]` when a top-to-bottom layout would make few ranks of
    many nodes each (a goal satisfied by a dozen needs, one process feeding many stores):
    side by side those make a picture many times wider than the page, which scrolls
    down, not across. Otherwise `[]`: PlantUML's top to bottom."""
    widest, depth = rank_shape(nodes, edges)
    return ["left to right direction"] if widest >= 2 * depth else []
