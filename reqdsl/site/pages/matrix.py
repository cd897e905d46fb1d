"""The traceability matrix: a row per requirement with its level, parents, children,
goals and needs satisfied, tests and their results, threats mitigated and compliance
references; gaps highlighted. Rows go by document, level, then ID. Sorting, filtering and
the column chooser are done in the browser by `assets/reqdsl/tables.js` (local, no
network); without JavaScript the table is complete. Above `SPLIT_ROWS` requirements the
matrix is one page per document under `traceability/`, and `traceability.html` lists them.

Gaps follow the rules: no upward link (TR001), a stakeholder need or goal nothing links
to (TR002), verification by test with no test (TR003).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from functools import partial

from ...i18n import N_, _, format_count, plural
from ...labels import word_label
from ...model.elements import ModelElement
from ...model.facts.trace import trace_facts
from ...model.schema import LEVELS
from ..context import SiteContext
from ..elements import compliance_html, result_badge
from ..html import block, esc, front_matter, link, md_text, relative_url, table

PAGE = "traceability.md"
FOLDER = "traceability"  # one page per document there, for a large project
TITLE = N_("Traceability matrix")
COLUMNS = (N_("requirement"), N_("title"), N_("level"), N_("status"), N_("document"),
           N_("parents"), N_("children"), N_("satisfies"), N_("tests"),
           N_("threats mitigated"), N_("compliance"), N_("gaps"))  # fmt: skip
# Headings with a drop-down filter (tables.js): the values a reviewer narrows down by.
FILTERED = frozenset({"level", "status", "document"})
# Above this many requirements the matrix is one page per document: a row is about 500
# bytes of HTML, so one page of 10,000 was 4.9 MB and took 16 s to open.
SPLIT_ROWS = 1000
_PARENT_FIELDS = ("derives-from", "refines")
_CHILD_FIELDS = ("derives-from", "refines")
_HELP = N_(
    "Click a column heading to sort; type in the filter box to keep the rows that contain "
    "the text (all words must match); pick a document, level or status to keep those rows; "
    "tick <em>gaps only</em> to keep the rows with a gap; <em>Columns</em> hides columns "
    "(on screen only: printing keeps them all)."
)


def matrix_page(ctx: SiteContext) -> dict[str, str]:
    facts = trace_facts(ctx.project)
    every = ctx.project.of_kind("requirement")
    if len(every) <= SPLIT_ROWS:
        requirements = ordered_requirements(ctx, every)
        return {PAGE: _matrix(ctx, PAGE, _(TITLE), requirements, facts.gaps)}
    # A page per document, each kept from the previous build while what it shows is
    # unchanged (reqdsl.site.page_cache): its file, and what its rows read of the others.
    found_gaps = {id(requirement): facts.gaps(requirement) for requirement in every}
    by_page: dict[str, list[ModelElement]] = {}
    for requirement in every:
        by_page.setdefault(ctx.index.page_of(requirement), []).append(requirement)
    paths = {page: path for path, page in ctx.index.document_pages.items()}
    cache = ctx.page_cache
    pages, rows = {}, []
    for document_page, head in ctx.index.documents:
        found = by_page.get(document_page)
        if not found:
            continue
        page = f"{FOLDER}/{posixpath.basename(document_page)}"
        label = head.id if head is not None and head.id else posixpath.basename(document_page)
        make = partial(_split_page, ctx, page, f"{_(TITLE)}: {label}", found, found_gaps)
        path = paths.get(document_page)
        if cache is None or path is None:
            pages[page] = make()
        else:
            # The gaps come from other files' links and tests: part of the page's own key.
            shown = (f"{r.order}:{'|'.join(found_gaps[id(r)])}" for r in found)
            pages[page] = cache.page(ctx, page, path, ctx.by_file.get(path, []), make, shown)
        gaps = sum(bool(found_gaps[id(requirement)]) for requirement in found)
        css = "gap" if gaps else "ok"
        rows.append(
            [link(relative_url(PAGE, page), esc(label)),
             esc(head.title or "") if head is not None else "",
             esc(word_label(head.word("level") or "")) if head is not None else "",
             format_count(len(found)),
             f'<span class="rq-badge rq-{css}">{format_count(gaps)}</span>']
        )  # fmt: skip
    requirements = every
    gaps_total = sum(bool(found_gaps[id(requirement)]) for requirement in requirements)
    intro = (
        "<p>"
        + _("{n} requirements in {d} documents").format(
            n=format_count(len(requirements)), d=format_count(len(rows))
        )
        + f"; {_gap_badge(gaps_total)}. "
        + _("The matrix has a page per document:")
        + f" {_(_HELP)}</p>"
    )
    overview = table(
        [_("document"), _("title"), _("level"), _("requirements"), _("with gaps")],
        rows,
        css="sortable filterable",
    )
    pages[PAGE] = (
        "\n\n".join(
            [front_matter(_(TITLE), hide=("toc",)), f"# {_(TITLE)}", block(intro), block(overview)]
        )
        + "\n"
    )
    return pages


def ordered_requirements(ctx: SiteContext, requirements: list[ModelElement]) -> list[ModelElement]:
    """By document (the site's document order), level (stakeholder, system, software),
    then ID in natural order (REQ-2 before REQ-10)."""
    documents = {page: rank for rank, (page, _) in enumerate(ctx.index.documents)}
    levels = {level: rank for rank, level in enumerate(LEVELS)}

    def key(requirement: ModelElement) -> tuple[int, int, list[tuple[int, str]], int]:
        return (
            documents.get(ctx.index.page_of(requirement), len(documents)),
            levels.get(requirement.level or "", len(levels)),
            natural_key(requirement.id or ""),
            requirement.order,
        )

    return sorted(requirements, key=key)


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> list[tuple[int, str]]:
    """`REQ-10` after `REQ-2`: digit runs compare as numbers (one linear split)."""
    return [
        (int(part), "") if index % 2 else (-1, part.casefold())
        for index, part in enumerate(_DIGITS.split(text))
    ]


def _gap_badge(count: int) -> str:
    css = "gap" if count else "ok"
    return (
        f'<span class="rq-badge rq-{css}">{_("{n} with gaps").format(n=format_count(count))}</span>'
    )


def _split_page(
    ctx: SiteContext,
    page: str,
    title: str,
    requirements: list[ModelElement],
    found_gaps: dict[int, list[str]],
) -> str:
    ordered = ordered_requirements(ctx, requirements)
    return _matrix(ctx, page, title, ordered, lambda requirement: found_gaps[id(requirement)])


def _matrix(
    ctx: SiteContext,
    page: str,
    title: str,
    requirements: list[ModelElement],
    gaps_of: Callable[[ModelElement], list[str]],
) -> str:
    rows = []
    gaps_total = 0
    for requirement in requirements:
        gaps = gaps_of(requirement)
        gaps_total += bool(gaps)
        rows.append(_row(ctx, page, requirement, gaps))
    marks = {column: " data-rq-filter" if column in FILTERED else "" for column in COLUMNS}
    head = "".join(f"<th{marks[column]}>{esc(_(column))}</th>" for column in COLUMNS)
    table_html = (
        f'<table data-rq="matrix sortable filterable audit gaps"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{''.join(rows)}</tbody></table>"
    )
    count = plural("{n} requirement", "{n} requirements", len(requirements))
    intro = f"<p>{count}; {_gap_badge(gaps_total)}. {_(_HELP)}</p>"
    parts = [
        front_matter(title, hide=("navigation", "toc")),  # the table needs the width
        f"# {md_text(title)}",
        block(intro, css="rq-page-wide"),
        block(table_html, search=False),
    ]
    return "\n\n".join(parts) + "\n"


def _refs(ctx: SiteContext, page: str, ids: list[str]) -> str:
    return ", ".join(ctx.index.ref(page, element_id) for element_id in ids)


def _row(ctx: SiteContext, page: str, requirement: ModelElement, gaps: list[str]) -> str:
    parents = [v.raw for name in _PARENT_FIELDS for v in requirement.refs(name)]
    satisfies = [v.raw for v in requirement.refs("satisfies")]
    mitigates = [v.raw for v in requirement.refs("mitigates")]
    children: list[str] = []
    tests: list[str] = []
    back = ctx.index.back_links_of(requirement.id or "")
    if ctx.index.anchor_of(requirement) != requirement.id:
        back = []  # a duplicate: back-links belong to the first definition
    for link_back in back:
        source = link_back.source
        if link_back.field in _CHILD_FIELDS and source.kind == "requirement":
            children.append(ctx.index.ref(page, source.id or ""))
        elif link_back.field == "verifies":
            result = ctx.tests.result_of(source)
            badge = " " + result_badge(result) if result is not None else ""
            tests.append(ctx.index.ref(page, source.id or "") + badge)
    head = ctx.index.document_of(requirement)
    document = (
        link(relative_url(page, ctx.index.page_of(requirement)), esc(head.id or ""))
        if head is not None
        else ""
    )
    anchor_link = (
        ctx.index.ref(page, requirement.id)
        if requirement.id and ctx.index.anchor_of(requirement) == requirement.id
        else link(ctx.index.href(page, requirement), esc(requirement.id or "?"))
    )
    gap_cell = "".join(f'<span class="rq-badge rq-gap">{esc(_(gap))}</span> ' for gap in gaps)
    cells = [
        anchor_link,
        esc(requirement.title or ""),
        esc(word_label(requirement.level or "")),
        esc(word_label(requirement.word("status") or "")),
        document,
        _refs(ctx, page, parents),
        ", ".join(children),
        _refs(ctx, page, satisfies),
        ", ".join(tests),
        _refs(ctx, page, mitigates),
        ", ".join(compliance_html(ctx, page, v.raw) for v in requirement.refs("compliance")),
        gap_cell,
    ]
    css = ' class="rq-gap-row"' if gaps else ""
    return f"<tr{css}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>\n"
