"""The traceability matrix: a row per requirement with its level, parents, children,
goals and needs satisfied, tests and their results, threats mitigated and compliance
references; gaps highlighted. Sorting and filtering are done in the browser by
`assets/reqdsl/matrix.js` (local, no network); without JavaScript the table is complete.

Gaps follow the rules: no upward link (TR001), a stakeholder need or goal nothing links
to (TR002), verification by test with no test (TR003).
"""

from __future__ import annotations

from ...i18n import N_, _, ngettext
from ...labels import word_label
from ...model.elements import ModelElement
from ...model.facts.trace import trace_facts
from ..context import SiteContext
from ..elements import compliance_html, result_badge
from ..html import block, esc, front_matter, link, relative_url

PAGE = "traceability.md"
TITLE = N_("Traceability matrix")
COLUMNS = (N_("requirement"), N_("title"), N_("level"), N_("document"), N_("parents"),
           N_("children"), N_("satisfies"), N_("tests"), N_("threats mitigated"),
           N_("compliance"), N_("gaps"))  # fmt: skip
_PARENT_FIELDS = ("derives-from", "refines")
_CHILD_FIELDS = ("derives-from", "refines")


def matrix_page(ctx: SiteContext) -> dict[str, str]:
    facts = trace_facts(ctx.project)
    rows = []
    gaps_total = 0
    requirements = ctx.project.of_kind("requirement")
    for requirement in requirements:
        gaps = facts.gaps(requirement)
        gaps_total += bool(gaps)
        rows.append(_row(ctx, requirement, gaps))
    head = "".join(f"<th>{esc(_(column))}</th>" for column in COLUMNS)
    table = (
        f'<table data-rq="matrix sortable filterable"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{''.join(rows)}</tbody></table>"
    )
    css = "gap" if gaps_total else "ok"
    count = ngettext("{n} requirement", "{n} requirements", len(requirements))
    intro = (
        f"<p>{count.format(n=len(requirements))}; "
        f'<span class="rq-badge rq-{css}">{_("{n} with gaps").format(n=gaps_total)}</span>. '
        + _(
            "Click a column heading to sort; type in the filter box to keep the rows that "
            "contain the text (all words must match); tick <em>gaps only</em> to keep the "
            "rows with a gap."
        )
        + "</p>"
    )
    parts = [
        front_matter(_(TITLE), hide=("navigation", "toc")),  # the table needs the width
        f"# {_(TITLE)}",
        block(intro),
        block(table, search=False),
    ]
    return {PAGE: "\n\n".join(parts) + "\n"}


def _refs(ctx: SiteContext, ids: list[str]) -> str:
    return ", ".join(ctx.index.ref(PAGE, element_id) for element_id in ids)


def _row(ctx: SiteContext, requirement: ModelElement, gaps: list[str]) -> str:
    parents = [v.raw for name in _PARENT_FIELDS for v in requirement.refs(name)]
    satisfies = [v.raw for v in requirement.refs("satisfies")]
    mitigates = [v.raw for v in requirement.refs("mitigates")]
    children: list[str] = []
    tests: list[str] = []
    back = ctx.index.back_links.get(requirement.id or "", [])
    if ctx.index.anchor_of(requirement) != requirement.id:
        back = []  # a duplicate: back-links belong to the first definition
    for link_back in back:
        source = link_back.source
        if link_back.field in _CHILD_FIELDS and source.kind == "requirement":
            children.append(ctx.index.ref(PAGE, source.id or ""))
        elif link_back.field == "verifies":
            result = ctx.tests.result_of(source)
            badge = " " + result_badge(result) if result is not None else ""
            tests.append(ctx.index.ref(PAGE, source.id or "") + badge)
    head = ctx.index.document_of(requirement)
    document = (
        link(relative_url(PAGE, ctx.index.page_of(requirement)), esc(head.id or ""))
        if head is not None
        else ""
    )
    anchor_link = (
        ctx.index.ref(PAGE, requirement.id)
        if requirement.id and ctx.index.anchor_of(requirement) == requirement.id
        else link(ctx.index.href(PAGE, requirement), esc(requirement.id or "?"))
    )
    gap_cell = "".join(f'<span class="rq-badge rq-gap">{esc(_(gap))}</span> ' for gap in gaps)
    cells = [
        anchor_link,
        esc(requirement.title or ""),
        esc(word_label(requirement.level or "")),
        document,
        _refs(ctx, parents),
        ", ".join(children),
        _refs(ctx, satisfies),
        ", ".join(tests),
        _refs(ctx, mitigates),
        ", ".join(compliance_html(ctx, PAGE, v.raw) for v in requirement.refs("compliance")),
        gap_cell,
    ]
    css = ' class="rq-gap-row"' if gaps else ""
    return f"<tr{css}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>\n"
