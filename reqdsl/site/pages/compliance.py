"""The GDPR page (Art. 30 record of processing, lawful bases, special categories and
their Art. 9(2) conditions, transfers, retention, rights coverage, DPIA indicators) and the
ISO/IEC 27001:2022 statement of applicability (all 93 Annex A controls), from the report
models of `reqdsl.reports`."""

from __future__ import annotations

from ...reports.base import ElementRef
from ...reports.gdpr import LegalReference, ProcessingRecord
from ...reports.soa import STATUS_LABELS
from ..context import SiteContext
from ..html import block, esc, field_table, front_matter, heading, md_text, table

GDPR_PAGE = "gdpr.md"
GDPR_TITLE = "GDPR record of processing"
SOA_PAGE = "iso27001.md"
SOA_TITLE = "ISO 27001 statement of applicability"
_STATUS_CSS = {"addressed": "ok", "not-addressed": "gap", "excluded": "muted"}


def _refs(ctx: SiteContext, page: str, refs: list[ElementRef]) -> str:
    return (
        ", ".join(ctx.index.ref(page, ref.id) for ref in refs)
        or '<span class="rq-muted">none</span>'
    )


def _legal(reference: LegalReference | None) -> str:
    if reference is None:
        return '<span class="rq-badge rq-gap">missing</span>'
    topic = f"; {esc(reference.topic)}" if reference.topic else ""
    article = f"Art. {esc(reference.article)} {esc(reference.title)}{topic}"
    return f"<code>{esc(reference.ref)}</code> ({article})"


def _text(value: str | None) -> str:
    return esc(value) if value else '<span class="rq-badge rq-gap">missing</span>'


def _record(ctx: SiteContext, record: ProcessingRecord) -> str:
    page = GDPR_PAGE
    items = ", ".join(
        f"<code>{esc(item.name)}</code> ({esc(item.sensitivity)})"
        for item in record.data_items
        if item.sensitivity
    )
    recipients = "; ".join(
        f"{ctx.index.ref(page, r.element.id)} via {ctx.index.refs(page, r.flows)}"
        for r in record.recipients
    )
    transfer = (
        esc(record.transfer) if record.transfer else '<span class="rq-muted">not stated</span>'
    )
    if record.transferred:
        transfer += ' <span class="rq-badge rq-warning">transfer</span>'
    rows = [
        ("category", esc(record.category)),
        ("purpose (Art. 30(1)(b))", _text(record.purpose)),
        ("data subjects (Art. 30(1)(c))", _text(record.subjects)),
        (
            "personal data items (Art. 30(1)(c))",
            items or '<span class="rq-muted">none flagged</span>',
        ),
        ("lawful basis (Art. 6)", _legal(record.lawful_basis)),
    ]
    if record.category == "special" or record.special_condition is not None:
        rows.append(("special-category condition (Art. 9(2))", _legal(record.special_condition)))
    rows += [
        ("recipients (Art. 30(1)(d))", recipients or '<span class="rq-muted">none</span>'),
        ("stored in", _refs(ctx, page, record.stored_in)),
        ("transfer (Art. 30(1)(e))", transfer),
        ("retention (Art. 30(1)(f))", _text(record.retention)),
        ("security measures (Art. 30(1)(g), Art. 32)", _refs(ctx, page, record.security_measures)),
    ]
    title = f"{record.data.id} {record.data.title or ''}".strip()
    return f"{heading(3, md_text(title))}\n\n{block(field_table(rows))}"


def gdpr_page(ctx: SiteContext) -> dict[str, str]:
    report = ctx.gdpr
    page = GDPR_PAGE
    parts = [front_matter(GDPR_TITLE, hide=("toc",)), f"# {GDPR_TITLE}"]  # tables need width
    count = len(report.records)
    parts.append(
        block(
            f"<p>{count} data element{'s' if count != 1 else ''} hold personal data "
            "(category personal or special): one record of processing each (GDPR Art. 30(1)).</p>",
            css="rq-page-wide",
        )
    )
    parts.append("## Record of processing activities")
    parts += [_record(ctx, record) for record in report.records] or [
        block('<p class="rq-muted">No personal data is declared.</p>')
    ]
    bases = [
        [ctx.index.ref(page, r.data.id), esc(r.category), _legal(r.lawful_basis),
         _legal(r.special_condition) if r.category == "special" else "",
         esc(r.retention or ""), esc(r.transfer or "")]
        for r in report.records
    ]  # fmt: skip
    parts.append("## Lawful bases, special categories, transfers and retention")
    parts.append(
        block(
            table(
                ["data", "category", "lawful basis (Art. 6)", "condition (Art. 9(2))",
                 "retention", "transfer"],
                bases,
                css="sortable filterable audit",
                filters=[1],
            )
        )
    )  # fmt: skip
    parts.append("## Data-subject rights (Art. 15 to 22)")
    rights = [
        [
            f"Art. {esc(r.article)}",
            esc(r.title),
            '<span class="rq-badge rq-ok">covered</span>'
            if r.covered
            else '<span class="rq-badge rq-gap">not covered</span>',
            _refs(ctx, page, r.requirements),
        ]
        for r in report.rights
    ]
    parts.append(block(table(["article", "right", "coverage", "requirements"], rights)))
    parts.append("## DPIA indicators")
    indicators = [
        [
            esc(i.indicator),
            ctx.index.ref(page, i.data.id),
            esc(i.detail),
            _refs(ctx, page, i.answered_by),
        ]
        for i in report.dpia.indicators
    ]
    parts.append(
        block(
            "<p>Requirements citing Art. 35 (data protection impact assessment): "
            f"{_refs(ctx, page, report.dpia.requirements)}.</p>",
            table(["indicator", "data", "detail", "answered by"], indicators)
            if indicators
            else '<p class="rq-muted">No indicator.</p>',
        )
    )
    parts.append("## Other data")
    others = [[ctx.index.ref(page, o.data.id), esc(o.category or "")] for o in report.other_data]
    parts.append(
        block(table(["data", "category"], others) if others else '<p class="rq-muted">None.</p>')
    )
    return {page: "\n\n".join(parts) + "\n"}


def soa_page(ctx: SiteContext) -> dict[str, str]:
    report = ctx.soa
    page = SOA_PAGE
    parts = [front_matter(SOA_TITLE, hide=("toc",)), f"# {SOA_TITLE}"]  # the table needs width
    summary = [
        [esc(s.theme if s.theme_id == "all" else f"{s.theme_id} {s.theme}"), str(s.total),
         str(s.addressed), str(s.not_addressed), str(s.excluded)]
        for s in report.themes
    ]  # fmt: skip
    parts.append(
        block(
            "<p>Every control of ISO/IEC 27001:2022 Annex A, with the requirements and "
            "components citing it in <code>compliance</code>, and exclusions from "
            "<code>[compliance.iso27001] excluded</code> in reqdsl.toml.</p>",
            table(["theme", "controls", "addressed", "not addressed", "excluded"], summary),
            css="rq-page-wide",
        )
    )
    if report.notes:
        parts.append("## Notes")
        parts.append(block("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>"))
    parts.append("## Controls")
    rows = []
    for control in report.controls:
        status = (
            f'<span class="rq-badge rq-{_STATUS_CSS[control.status]}">'
            f"{esc(STATUS_LABELS[control.status])}</span>"
        )
        rows.append(
            f'<tr id="{esc(control.id)}"><td><code>{esc(control.id)}</code></td>'
            f"<td>{esc(control.title)}</td><td>{esc(control.theme)}</td><td>{status}</td>"
            f"<td>{_refs(ctx, page, control.requirements)}</td>"
            f"<td>{_refs(ctx, page, control.components)}</td>"
            f"<td>{esc(control.justification or '')}</td></tr>"
        )
    parts.append(
        block(
            '<table data-rq="sortable filterable audit"><thead><tr><th>control</th><th>title</th>'
            "<th data-rq-filter>theme</th><th data-rq-filter>status</th><th>requirements</th>"
            "<th>components</th>"
            f"<th>justification</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    )
    return {page: "\n\n".join(parts) + "\n"}
