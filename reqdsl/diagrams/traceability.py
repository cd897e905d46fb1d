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

from ..model.elements import ModelElement
from ..model.project import Project
from .escape import display, escape
from .puml import frame, live, ref, targets

FOLDER = "traceability"
KINDS = ("goal", "requirement", "usecase", "test", "threat", "decision")
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
    groups: dict[str | None, list[ModelElement]] = {}
    for element in sorted(nodes.values(), key=lambda e: e.order):
        groups.setdefault(element.document, []).append(element)

    body = [*STYLE]
    for doc_id in sorted(groups, key=lambda d: (d != document.id, _doc_order(project, d))):
        doc = project.index.get(doc_id) if doc_id is not None else None
        heading = f"{escape(doc_id)}: {display(doc.title or '', 50)}" if doc and doc_id else "-"
        body.append(f'package "{heading}" as {ref(doc) if doc else "x_nodoc"} {{')
        body.extend("  " + _node(element) for element in groups[doc_id])
        body.append("}")
    body.extend(
        f"{ref(link.source)} {FIELDS[link.field]} {ref(link.target)} : {escape(link.field)}"
        for link in shown
    )
    return frame(f"Traceability: {document.id} {document.title or ''}", body)


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
    # Left to right, sections stacked: a document's ten or more sections side by side
    # with labelled arrows make a picture many screens wide.
    body = ["left to right direction", *STYLE]
    body.append(f'package "{escape(document.id or "")}" {{')
    for (what, name), alias in boxes.items():
        if what == "section":
            body.append(f'  rectangle "{display(name, 30)}" as {alias}')
    body.append("}")
    for (what, name), alias in boxes.items():
        if what == "document":
            doc = project.index.get(name)
            title = display(doc.title or "", 30) if doc is not None and doc.title else ""
            label = f"<b>{escape(name)}</b>" + (f"\\n{title}" if title else "")
            body.append(f'rectangle "{label}" as {alias}')
    body.extend(
        f"{target} <-- {source} : {escape(field)} ×{count}"
        for (source, field, target), count in counted.items()
    )
    title = f"Traceability: {document.id} {document.title or ''}"
    body.append(f'caption "{escape(f"{elements} elements: condensed to sections and documents")}"')
    return frame(title, body)


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
