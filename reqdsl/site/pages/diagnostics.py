"""The Diagnostics page: every diagnostic of the check run, by family and code, with a
link to the element it is about. The home page's gap lists link here.

Above `SPLIT_ROWS` diagnostics (a 10,000-requirement project had 7 MB of them on one
page), `diagnostics.html` keeps the counts and the diagnostics about no document, and
each document's diagnostics go to a page of their own under `diagnostics/`."""

from __future__ import annotations

import posixpath
from functools import partial

from ...diagnostics import Diagnostic
from ...i18n import N_, _
from ..context import SEVERITY_ORDER, SiteContext, family_of
from ..html import block, esc, front_matter, heading, link, md_text, relative_url, table

PAGE = "diagnostics.md"
FOLDER = "diagnostics"
TITLE = N_("Diagnostics")
SPLIT_ROWS = 1000  # a diagnostic is about 700 bytes of HTML


def diagnostics_page(ctx: SiteContext) -> dict[str, str]:
    parts = [front_matter(_(TITLE), hide=("toc",)), f"# {_(TITLE)}"]
    summary = ctx.summary
    parts.append(
        block(
            f"<p>{summary.errors} errors, {summary.warnings} warnings, {summary.infos} infos "
            f"in {summary.files} files ({summary.elements} elements), as "
            "<code>reqdsl check</code> reports them.</p>",
            css="rq-page-wide",
        )
    )
    if not ctx.diagnostics:
        parts.append(block('<p class="rq-muted">No diagnostics: the model checks clean.</p>'))
        return {PAGE: "\n\n".join(parts) + "\n"}
    if len(ctx.diagnostics) <= SPLIT_ROWS:
        parts.append(block(_counts(ctx.diagnostics, {d.code for d in ctx.diagnostics})))
        parts += _by_code(ctx, PAGE, ctx.diagnostics)
        return {PAGE: "\n\n".join(parts) + "\n"}
    pages: dict[str, str] = {}
    by_page: dict[str, list[Diagnostic]] = {}
    elsewhere: list[Diagnostic] = []
    for diagnostic in ctx.diagnostics:
        element = ctx.element_of.get(id(diagnostic))
        if element is None:
            elsewhere.append(diagnostic)
        else:
            by_page.setdefault(ctx.index.page_of(element), []).append(diagnostic)
    rows = []
    paths = {page: path for path, page in ctx.index.document_pages.items()}
    cache = ctx.page_cache
    for document_page, head in ctx.index.documents:
        found = by_page.get(document_page)
        if not found:
            continue
        page = f"{FOLDER}/{posixpath.basename(document_page)}"
        label = head.id if head is not None and head.id else posixpath.basename(document_page)
        make = partial(_document_page, ctx, page, f"{_(TITLE)}: {label}", found)
        path = paths.get(document_page)
        if cache is None or path is None:
            pages[page] = make()
        else:
            # The page shows the diagnostics placed on its file's elements: they are in the
            # file's part of the own key (reqdsl.site.page_cache), with its text.
            pages[page] = cache.page(ctx, page, path, ctx.by_file.get(path, []), make)
        counts = _severities(found)
        rows.append(
            [link(relative_url(PAGE, page), esc(label)), str(len(found))]
            + [str(counts[severity] or "") for severity in SEVERITY_ORDER]
        )
    parts.append(block(_counts(ctx.diagnostics, {d.code for d in elsewhere})))
    parts.append("## By document")
    parts.append(
        block(table(["document", "diagnostics", *SEVERITY_ORDER_LABELS], rows, css="sortable"))
    )
    if elsewhere:
        parts.append("## About no document")
        parts += _by_code(ctx, PAGE, elsewhere, level=3)
    pages[PAGE] = "\n\n".join(parts) + "\n"
    return pages


SEVERITY_ORDER_LABELS = ("errors", "warnings", "infos")


def _document_page(ctx: SiteContext, page: str, title: str, found: list[Diagnostic]) -> str:
    body = [front_matter(title, hide=("toc",)), f"# {md_text(title)}"]
    body.append(block(_counts(found, {d.code for d in found}), css="rq-page-wide"))
    body += _by_code(ctx, page, found)
    return "\n\n".join(body) + "\n"


def _severities(found: list[Diagnostic]) -> dict[object, int]:
    counts: dict[object, int] = {severity: 0 for severity in SEVERITY_ORDER}
    for diagnostic in found:
        counts[diagnostic.severity] += 1
    return counts


def _counts(found: list[Diagnostic], linked: set[str]) -> str:
    """The count table by code; the codes in `linked` have a section on this page."""
    by_code: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        by_code.setdefault(diagnostic.code, []).append(diagnostic)
    rows = []
    for code in sorted(by_code):
        counts = _severities(by_code[code])
        label = f"<code>{esc(code)}</code>"
        cell = f'<a href="#{esc(code)}">{label}</a>' if code in linked else label
        rows.append(
            f"<tr><td>{cell}</td><td>{esc(family_of(code))}</td>"
            + "".join(f"<td>{counts[severity] or ''}</td>" for severity in SEVERITY_ORDER)
            + "</tr>"
        )
    return (
        '<table data-rq="sortable"><thead><tr><th>code</th><th>family</th><th>errors</th>'
        f"<th>warnings</th><th>infos</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _by_code(ctx: SiteContext, page: str, found: list[Diagnostic], level: int = 2) -> list[str]:
    by_code: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        by_code.setdefault(diagnostic.code, []).append(diagnostic)
    parts = []
    for code in sorted(by_code):
        ordered = sorted(by_code[code], key=Diagnostic.sort_key)
        parts.append(heading(level, md_text(f"{code} ({len(ordered)})"), code))
        items = "".join(ctx.diagnostic_item(page, d, with_element=True) for d in ordered)
        parts.append(block(f'<ul class="rq-diagnostics">{items}</ul>', search=False))
    return parts
