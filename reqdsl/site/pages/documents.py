"""One page per document (sections in order, an anchor per element), and the list of
documents."""

from __future__ import annotations

from functools import partial

from ...i18n import N_, _, format_count
from ...labels import field_label, word_label
from ...model.elements import ModelElement
from ..context import SiteContext
from ..elements import element_view, field_rows, incoming_rows, render_element
from ..html import block, esc, field_table, front_matter, heading, link, md_text, relative_url

INDEX = "documents/index.md"
# Rendered inside their decision's matrix, not as elements of their own.
_INSIDE_DECISION = ("criterion", "option")


def document_pages(ctx: SiteContext) -> dict[str, str]:
    by_file = ctx.by_file
    pages = {INDEX: _index(ctx)}
    cache = ctx.page_cache
    for path, page in ctx.index.document_pages.items():
        elements = by_file.get(path, [])
        if cache is None:
            pages[page] = _document(ctx, page, path, elements)
            continue
        pages[page] = cache.page(
            ctx, page, path, elements, partial(_document, ctx, page, path, elements)
        )
    return pages


def document_label(head: ModelElement | None, page: str) -> str:
    if head is None:
        return page.rsplit("/", 1)[-1].removesuffix(".md")
    return f"{head.id}: {head.title}" if head.title else head.id or "document"


def _index(ctx: SiteContext) -> str:
    counts: dict[str, int] = {}
    for element in ctx.project.elements:
        if element.id and element.kind not in ("document", "section"):
            page = ctx.index.page_of(element)
            counts[page] = counts.get(page, 0) + 1
    rows = []
    for page, head in ctx.index.documents:
        label = esc(document_label(head, page))
        cells = [link(relative_url(INDEX, page), label)]
        if head is not None:
            cells += [
                esc(word_label(head.word(name) or "")) for name in ("level", "version", "status")
            ]
        else:
            cells += ["", "", ""]
        cells.append(format_count(counts.get(page, 0)))
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    columns = (N_("document"), N_("level"), N_("version"), N_("status"), N_("elements"))
    table = (
        '<table data-rq="sortable"><thead><tr>'
        + "".join(f"<th>{esc(_(column))}</th>" for column in columns)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    title = _("Documents")
    return "\n\n".join([front_matter(title), f"# {title}", block(table)]) + "\n"


def _document(ctx: SiteContext, page: str, path: str, elements: list[ModelElement]) -> str:
    head = next((e for e in elements if e.kind == "document"), None)
    title = document_label(head, page)
    parts = [front_matter(title)]
    anchor = ctx.index.anchor_of(head) if head is not None else None
    parts.append(heading(1, md_text(title), anchor or "_top"))
    parts.append(_header(ctx, page, path, head))
    for element in elements:
        if element is head or element.kind in _INSIDE_DECISION:
            continue
        parts.append(_item(ctx, page, element))
    return "\n\n".join(part for part in parts if part) + "\n"


def _header(ctx: SiteContext, page: str, path: str, head: ModelElement | None) -> str:
    rows = [(field_label("file"), f"<code>{esc(path)}</code>")]
    incoming: list[tuple[str, str]] = []
    diagnostics = ""
    if head is not None:
        rows += field_rows(ctx, page, head)
        incoming = incoming_rows(ctx, page, head)
        diagnostics = ctx.diagnostics_html(page, ctx.by_element.get(head.order, []))
    figure = ""
    if head is not None and head.id:
        source = f"traceability/{head.id}.puml"
        if ctx.diagrams.has(source):
            figure = (
                f'<details class="rq-details"><summary>{_("Traceability diagram")}</summary>'
                f"{ctx.diagrams.figure(page, source)}</details>"
            )
    return block(
        field_table(rows),
        field_table(incoming, css="rq-fields rq-incoming") if incoming else "",
        diagnostics,
        figure,
    )


def _item(ctx: SiteContext, page: str, element: ModelElement) -> str:
    if element.kind == "section":
        label = element.title or "Section"
        text = f"{element.id} {label}" if element.id else label
        anchor = ctx.index.anchor_of(element) or f"_s{element.order}"
        level = min(2 + len(element.section), 6)
        found = ctx.diagnostics_html(page, ctx.by_element.get(element.order, []))
        return heading(level, md_text(text), anchor) + (f"\n\n{block(found)}" if found else "")
    if element.kind == "text":
        found = ctx.diagnostics_html(page, ctx.by_element.get(element.order, []))
        body = ctx.text_html(page, element.body or "")
        return block(f'<div class="rq-text rq-prose">{body}</div>', found)
    if element.kind == "term":
        definition = ctx.field_text_html(page, element, "definition")
        found = ctx.diagnostics_html(page, ctx.by_element.get(element.order, []))
        return block(
            f'<dl class="rq-term"><dt>{esc(element.title or "")}</dt><dd>{definition}</dd></dl>',
            found,
        )
    return render_element(element_view(ctx, page, element))
