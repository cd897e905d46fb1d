"""The GDPR page (Art. 30 record of processing, lawful bases, special categories and
their Art. 9(2) conditions, transfers, retention, rights coverage, DPIA indicators) and the
ISO/IEC 27001:2022 statement of applicability (all 93 Annex A controls), from the report
models of `reqdsl.reports`."""

from __future__ import annotations

from ...i18n import N_, _, ngettext
from ...labels import word_label
from ...reports.base import ElementRef
from ...reports.gdpr import LegalReference, ProcessingRecord
from ...reports.soa import STATUS_LABELS
from ..context import SiteContext
from ..html import block, esc, field_table, front_matter, heading, md_text, table

GDPR_PAGE = "gdpr.md"
GDPR_TITLE = N_("GDPR record of processing")
SOA_PAGE = "iso27001.md"
SOA_TITLE = N_("ISO 27001 statement of applicability")
_STATUS_CSS = {"addressed": "ok", "not-addressed": "gap", "excluded": "muted"}


def _refs(ctx: SiteContext, page: str, refs: list[ElementRef]) -> str:
    return (
        ", ".join(ctx.index.ref(page, ref.id) for ref in refs)
        or f'<span class="rq-muted">{_("none")}</span>'
    )


def _legal(reference: LegalReference | None) -> str:
    if reference is None:
        return f'<span class="rq-badge rq-gap">{_("missing")}</span>'
    topic = f"; {esc(reference.topic)}" if reference.topic else ""
    article = f"Art. {esc(reference.article)} {esc(reference.title)}{topic}"
    return f"<code>{esc(reference.ref)}</code> ({article})"


def _text(value: str | None) -> str:
    return esc(value) if value else f'<span class="rq-badge rq-gap">{_("missing")}</span>'


def _record(ctx: SiteContext, record: ProcessingRecord) -> str:
    page = GDPR_PAGE
    items = ", ".join(
        f"<code>{esc(item.name)}</code> ({esc(word_label(item.sensitivity))})"
        for item in record.data_items
        if item.sensitivity
    )
    recipients = "; ".join(
        _("{recipient} via {flows}").format(
            recipient=ctx.index.ref(page, r.element.id), flows=ctx.index.refs(page, r.flows)
        )
        for r in record.recipients
    )
    transfer = (
        esc(record.transfer)
        if record.transfer
        else f'<span class="rq-muted">{_("not stated")}</span>'
    )
    if record.transferred:
        transfer += f' <span class="rq-badge rq-warning">{_("transfer")}</span>'
    rows = [
        (_("category"), esc(word_label(record.category))),
        (_("purpose (Art. 30(1)(b))"), _text(record.purpose)),
        (_("data subjects (Art. 30(1)(c))"), _text(record.subjects)),
        (
            _("personal data items (Art. 30(1)(c))"),
            items or f'<span class="rq-muted">{_("none flagged")}</span>',
        ),
        (_("lawful basis (Art. 6)"), _legal(record.lawful_basis)),
    ]
    if record.category == "special" or record.special_condition is not None:
        rows.append((_("special-category condition (Art. 9(2))"), _legal(record.special_condition)))
    rows += [
        (
            _("recipients (Art. 30(1)(d))"),
            recipients or f'<span class="rq-muted">{_("none")}</span>',
        ),
        (_("stored in"), _refs(ctx, page, record.stored_in)),
        (_("transfer (Art. 30(1)(e))"), transfer),
        (_("retention (Art. 30(1)(f))"), _text(record.retention)),
        (
            _("security measures (Art. 30(1)(g), Art. 32)"),
            _refs(ctx, page, record.security_measures),
        ),
    ]
    title = f"{record.data.id} {record.data.title or ''}".strip()
    return f"{heading(3, md_text(title))}\n\n{block(field_table(rows))}"


def gdpr_page(ctx: SiteContext) -> dict[str, str]:
    report = ctx.gdpr
    page = GDPR_PAGE
    parts = [front_matter(_(GDPR_TITLE)), f"# {_(GDPR_TITLE)}"]
    count = len(report.records)
    intro = ngettext(
        "{n} data element holds personal data (category personal or special): one record "
        "of processing each (GDPR Art. 30(1)).",
        "{n} data elements hold personal data (category personal or special): one record "
        "of processing each (GDPR Art. 30(1)).",
        count,
    ).format(n=count)
    parts.append(block(f"<p>{intro}</p>"))
    parts.append("## " + _("Record of processing activities (Art. 30)"))
    parts += [_record(ctx, record) for record in report.records] or [
        block(f'<p class="rq-muted">{_("No personal data is declared.")}</p>')
    ]
    bases = [
        [ctx.index.ref(page, r.data.id), esc(word_label(r.category)), _legal(r.lawful_basis),
         _legal(r.special_condition) if r.category == "special" else "",
         esc(r.retention or ""), esc(r.transfer or "")]
        for r in report.records
    ]  # fmt: skip
    parts.append("## " + _("Lawful bases, special categories, transfers and retention"))
    parts.append(
        block(
            table(
                [_("data"), _("category"), _("lawful basis (Art. 6)"),
                 _("condition (Art. 9(2))"), _("retention"), _("transfer")],
                bases,
            )
        )
    )  # fmt: skip
    parts.append("## " + _("Data-subject rights (Art. 15 to 22)"))
    rights = [
        [
            f"Art. {esc(r.article)}",
            esc(r.title),
            f'<span class="rq-badge rq-ok">{_("covered")}</span>'
            if r.covered
            else f'<span class="rq-badge rq-gap">{_("not covered")}</span>',
            _refs(ctx, page, r.requirements),
        ]
        for r in report.rights
    ]
    columns = [_("article"), _("right"), _("coverage"), _("requirements")]
    parts.append(block(table(columns, rights)))
    parts.append("## " + _("DPIA indicators"))
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
            "<p>"
            + _("Requirements citing Art. 35 (data protection impact assessment): {refs}.").format(
                refs=_refs(ctx, page, report.dpia.requirements)
            )
            + "</p>",
            table([_("indicator"), _("data"), _("detail"), _("answered by")], indicators)
            if indicators
            else f'<p class="rq-muted">{_("No indicator.")}</p>',
        )
    )
    parts.append("## " + _("Other data"))
    others = [
        [ctx.index.ref(page, o.data.id), esc(word_label(o.category or ""))]
        for o in report.other_data
    ]
    parts.append(
        block(
            table([_("data"), _("category")], others)
            if others
            else f'<p class="rq-muted">{_("None.")}</p>'
        )
    )
    return {page: "\n\n".join(parts) + "\n"}


def soa_page(ctx: SiteContext) -> dict[str, str]:
    report = ctx.soa
    page = SOA_PAGE
    parts = [front_matter(_(SOA_TITLE)), f"# {_(SOA_TITLE)}"]
    summary = [
        [esc(_(s.theme) if s.theme_id == "all" else f"{s.theme_id} {s.theme}"), str(s.total),
         str(s.addressed), str(s.not_addressed), str(s.excluded)]
        for s in report.themes
    ]  # fmt: skip
    parts.append(
        block(
            "<p>"
            + _(
                "Every control of ISO/IEC 27001:2022 Annex A, with the requirements and "
                "components citing it in <code>compliance</code>, and exclusions from "
                "<code>[compliance.iso27001] excluded</code> in reqdsl.toml."
            )
            + "</p>",
            table(
                [_("theme"), _("controls"), _("addressed"), _("not addressed"), _("excluded")],
                summary,
            ),
        )
    )
    if report.notes:
        parts.append("## " + _("Notes"))
        parts.append(block("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>"))
    parts.append("## " + _("Controls"))
    rows = []
    for control in report.controls:
        status = (
            f'<span class="rq-badge rq-{_STATUS_CSS[control.status]}">'
            f"{esc(_(STATUS_LABELS[control.status]))}</span>"
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
            '<table data-rq="sortable filterable"><thead><tr>'
            + "".join(
                f"<th>{esc(_(column))}</th>"
                for column in (
                    N_("control"),
                    N_("title"),
                    N_("theme"),
                    N_("status"),
                    N_("requirements"),
                    N_("components"),
                    N_("justification"),
                )
            )
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    )
    return {page: "\n\n".join(parts) + "\n"}
