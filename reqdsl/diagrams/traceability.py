"""The traceability graph, one per document so that it stays readable: the document's
goals, requirements, use cases, tests, threats and decisions, the elements of other
documents they link to or that link to them, and those links as written (goals <-
stakeholder <- system <- software requirements <- tests; threats <- mitigating
requirements; requirements and goals <- the decisions that address them).

A graph of more elements than `[diagrams] traceability_limit` (reqdsl.toml, default 80)
cannot be read and takes PlantUML minutes to lay out: such a document gets a condensed
graph instead, one box per section of the document and per other document, each arrow
labelled with the field and the number of links it stands for. The traceability matrix
on the site holds every single link."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..i18n import _
from ..labels import field_label
from ..model.elements import ModelElement
from ..model.project import Project
from .escape import display, escape
from .puml import frame, live, ref, targets

FOLDER = "traceability"
KINDS = ("goal", "requirement", "usecase", "test", "threat", "decision")
ANALYSIS = frozenset({"threat", "decision"})  # kept apart from requirements in one document
# Upward links (toward needs and goals) are drawn pointing up; lateral ones sideways.
FIELDS = {
    "derives-from": "-up->",
    "satisfies": "-up->",
    "refines": "-up->",
    "verifies": "-up->",
    "mitigates": "-up->",
    "addresses": "-up->",
    "depends-on": ".right.>",
    "conflicts-with": ".right.>",
}
# A full graph names the field of a link by its colour, explained in a legend, not by a
# label on every arrow: dozens of `verifies` labels side by side overlap one another
# and widen the graph. Colours are told apart by people with red-green colour blindness
# too (blue, orange, purple, teal, red, brown and greys), and the dashed ones stay dashed.
COLOURS = {
    "derives-from": "#1565C0",
    "satisfies": "#2E7D32",
    "refines": "#6A1B9A",
    "verifies": "#00838F",
    "mitigates": "#C62828",
    "addresses": "#EF6C00",
    "depends-on": "#616161",
    "conflicts-with": "#AD1457",
}
# A level (a document's worth of elements) wider than this many boxes side by side
# would make the graph wider than a page: the levels are then laid out as columns,
# left to right, and the page scrolls down instead of squeezing the picture.
WIDE_LEVEL = 4
STYLE = [
    "skinparam rectangle {",
    "  BackgroundColor<<goal>> #E3F2FD",
    "  BackgroundColor<<stakeholder-level>> #FFFFFF",
    "  BackgroundColor<<system-level>> #F1F8E9",
    "  BackgroundColor<<software-level>> #FFFDE7",
    "  BackgroundColor<<test>> #E0F2F1",
    "  BackgroundColor<<threat>> #FDE2E2",
    "  BackgroundColor<<decision>> #F3E5F5",
    "}",
]


@dataclass(frozen=True)
class Link:
    source: ModelElement
    field: str
    target: ModelElement


def _links(project: Project) -> list[Link]:
    links: list[Link] = []
    for element in live(project, *KINDS):
        for field in FIELDS:
            if element.has(field):
                links.extend(
                    Link(element, field, aim) for aim in targets(project, element, field, *KINDS)
                )
    return links


def _stereotype(element: ModelElement) -> str:
    if element.kind == "requirement":
        return f"{element.level}-level" if element.level else "requirement"
    return element.kind


def _node(element: ModelElement) -> str:
    text = f"<b>{escape(element.id or '')}</b>\\n{display(element.title or '', 26)}"
    shape = "usecase" if element.kind == "usecase" else "rectangle"
    return f'{shape} "{text}" as {ref(element)} <<{escape(_stereotype(element))}>>'


def document_graph(
    project: Project, document: ModelElement, core: list[ModelElement], links: list[Link]
) -> str:
    """The graph of `document`, whose own elements are `core`; `links` holds at least
    every link that touches one of them."""
    mine = set(map(id, core))
    shown = [link for link in links if id(link.source) in mine or id(link.target) in mine]
    nodes = {id(e): e for e in core}
    for link in shown:
        nodes.setdefault(id(link.source), link.source)
        nodes.setdefault(id(link.target), link.target)
    if 0 < project.config.traceability_limit < len(nodes):
        return condensed_graph(project, document, shown, len(nodes))
    # One package per document, and apart in it the threats and decisions: they link to
    # the requirements beside them, and in one package with them those links turn back
    # across the package, around it and through the title.
    groups: dict[tuple[str | None, bool], list[ModelElement]] = {}
    for element in sorted(nodes.values(), key=lambda e: e.order):
        groups.setdefault((element.document, element.kind in ANALYSIS), []).append(element)

    body = [*STYLE]
    if max(map(len, groups.values())) > WIDE_LEVEL:
        body.insert(0, "left to right direction")
    order = sorted(groups, key=lambda g: (g[0] != document.id, _doc_order(project, g[0]), g[1]))
    for doc_id, analysis in order:
        doc = project.index.get(doc_id) if doc_id is not None else None
        heading = f"{escape(doc_id)}: {display(doc.title or '', 50)}" if doc and doc_id else "-"
        alias = ref(doc) if doc else "x_nodoc"
        if analysis and (doc_id, False) in groups:
            heading = f"{heading} " + _("(threats, decisions)")
            alias = f"{alias}_analysis"
        body.append(f'package "{heading}" as {alias} {{')
        body.extend("  " + _node(element) for element in groups[doc_id, analysis])
        body.append("}")
    body.extend(_arrow(link) for link in shown)
    body.extend(_legend({link.field for link in shown}))
    return frame(_title(document), body)


def _arrow(link: Link) -> str:
    """`a -[#1565C0]up-> b`: the field's direction and colour, no label."""
    return _arrow_between(ref(link.source), link.field, ref(link.target))


def _arrow_between(source: str, field: str, target: str) -> str:
    arrow = FIELDS[field]
    body, head = arrow[:-1], arrow[-1]  # `-up-` / `.right.` and `>`
    return f"{source} {body[0]}[{COLOURS[field]}]{body[1:]}{head} {target}"


def _legend(fields: set[str]) -> list[str]:
    """What each colour of arrow means, for the fields this graph draws (our own words
    only: no user text)."""
    if not fields:
        return []
    rows = [
        f"  | <color:{COLOURS[f]}><b>{'....' if FIELDS[f][0] == '.' else '——'}</b></color> | "
        f"{field_label(f)} |"
        for f in FIELDS
        if f in fields
    ]
    header = f"  |= {_('arrow')} |= {_('link')} |"
    return ["legend bottom left", header, *rows, "endlegend"]


def _title(document: ModelElement) -> str:
    return _("Traceability: {id} {title}").format(id=document.id, title=document.title or "")


def condensed_graph(
    project: Project, document: ModelElement, shown: list[Link], elements: int
) -> str:
    """One box per section of `document` and per other document; one arrow per (box,
    field, box) with the number of links."""
    boxes: dict[tuple[str, str], str] = {}  # (what, name) -> alias

    def box(element: ModelElement) -> str:
        if element.document == document.id:
            key = ("section", " / ".join(element.section) or "(outside any section)")
        else:
            key = ("document", element.document or "-")
        return boxes.setdefault(key, f"x_box{len(boxes)}")

    ends = {id(e): e for link in shown for e in (link.source, link.target)}
    alias_of = {
        key: box(element) for key, element in sorted(ends.items(), key=lambda item: item[1].order)
    }  # boxes in the document's order
    counted = Counter(
        (alias_of[id(link.source)], link.field, alias_of[id(link.target)]) for link in shown
    )
    names = {alias: _box_name(what, name) for (what, name), alias in boxes.items()}
    counts: dict[str, list[str]] = {}  # section -> its links, counted, in words
    for (source, field, target), count in counted.items():
        if source == target:
            counts.setdefault(source, []).append(f"within: {escape(field)} ×{count}")
        if source in names and boxes_section(boxes, source) and source != target:
            counts.setdefault(source, []).append(f"{escape(field)} {names[target]} ×{count}")
        if target in names and boxes_section(boxes, target) and source != target:
            counts.setdefault(target, []).append(f"{names[source]} {escape(field)} ×{count}")
    # Left to right, the document's sections in one column, the other documents in
    # another; the numbers are written in the section boxes and the arrows only carry
    # their field's colour. Labels on the arrows (as before) stood side by side in a
    # top-to-bottom layout (thousands of px wide), and in a left-to-right one Smetana
    # drew boxes above the title and lines through it.
    body = ["left to right direction", *STYLE]
    body.append(f'package "{escape(document.id or "")}" {{')
    for (what, name), alias in boxes.items():
        if what == "section":
            body.append(f'  rectangle "{display(name, 30)}{_counts(counts, alias)}" as {alias}')
    body.append("}")
    for (what, name), alias in boxes.items():
        if what == "document":
            doc = project.index.get(name)
            title = display(doc.title or "", 30) if doc is not None and doc.title else ""
            label = f"<b>{escape(name)}</b>" + (f"\\n{title}" if title else "")
            body.append(f'rectangle "{label}" as {alias}')
    body.extend(
        _arrow_between(source, field, target)
        for (source, field, target) in counted
        if source != target
    )
    body.extend(_legend({field for (_source, field, _target) in counted}))
    title = _title(document)
    caption = _("{n} elements: condensed to sections and documents").format(n=elements)
    body.append(f'caption "{escape(caption)}"')
    return frame(title, body)


def boxes_section(boxes: dict[tuple[str, str], str], alias: str) -> bool:
    return any(a == alias and what == "section" for (what, _), a in boxes.items())


def _box_name(what: str, name: str) -> str:
    """How a box is named in another box's counts: a document by its ID, a section by
    its own heading (the last part of its path)."""
    return escape(name if what == "document" else name.rsplit(" / ", 1)[-1], 40)


def _counts(counts: dict[str, list[str]], alias: str) -> str:
    """A section's links, counted, one per line in small type under its name."""
    return "".join(f"\\n<size:10>{line}</size>" for line in counts.get(alias, []))


def _doc_order(project: Project, doc_id: str | None) -> int:
    doc = project.index.get(doc_id) if doc_id is not None else None
    return doc.order if doc is not None else 1 << 30


def generate_traceability(project: Project) -> dict[str, str]:
    cores: dict[str, list[ModelElement]] = {}
    for element in live(project, *KINDS):
        if element.document is not None:
            cores.setdefault(element.document, []).append(element)
    touching: dict[str, list[Link]] = {}  # document -> the links with an end in it
    for link in _links(project):
        for doc_id in {link.source.document, link.target.document}:
            if doc_id is not None:
                touching.setdefault(doc_id, []).append(link)
    out = {}
    for document in live(project, "document"):
        core = cores.get(document.id or "")
        if core:
            text = document_graph(project, document, core, touching.get(document.id or "", []))
            out[f"{FOLDER}/{document.id}.puml"] = text
    return out
