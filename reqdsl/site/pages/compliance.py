"""The GDPR page (Art. 30 record of processing, lawful bases, special categories and
their Art. 9(2) conditions, transfers, retention, rights coverage, DPIA indicators) and the
ISO/IEC 27001:2022 statement of applicability (all 93 Annex A controls), from the report
models of `reqdsl.reports`."""

from __future__ import annotations

from ...i18n import N_, _, format_count, plural
from ...labels import word_label
from ...model.facts.implementation import IMPLEMENTATION_LABELS
from ...reports.base import ElementRef
from ...reports.gdpr import (
    RIGHT_STATUS_LABELS,
    Dpia,
    LegalReference,
    PartyInfo,
    ProcessingRecord,
    ProcessorRecord,
    Recipient,
    RecordParties,
)
from ...reports.soa import APPLICABILITY_LABELS, ControlRow
from ..context import SiteContext
from ..html import block, esc, field_table, front_matter, heading, md_text, table

GDPR_PAGE = "gdpr.md"
GDPR_TITLE = N_("GDPR record of processing")
SOA_PAGE = "iso27001.md"
SOA_TITLE = N_("ISO 27001 statement of applicability")
_APPLICABILITY_CSS = {"applicable": "ok", "not-decided": "gap", "excluded": "muted"}
_IMPLEMENTATION_CSS = {
    "verified": "ok",
    "failed": "gap",
    "implemented": "warning",
    "partial": "warning",
    "planned": "muted",
}
_SOA_COLUMNS = (N_("control"), N_("title"), N_("theme"), N_("applicability"),
                N_("requirements"), N_("components"), N_("justification"),
                N_("implementation"))  # fmt: skip
_SOA_FILTERED = frozenset({"theme", "applicability", "implementation"})
_RIGHT_CSS = {"covered": "ok", "not-applicable": "muted", "not-covered": "gap"}


def _missing() -> str:
    return f'<span class="rq-badge rq-gap">{_("missing")}</span>'


def _none() -> str:
    return f'<span class="rq-muted">{_("none")}</span>'


def _refs(ctx: SiteContext, page: str, refs: list[ElementRef]) -> str:
    return ", ".join(ctx.index.ref(page, ref.id) for ref in refs) or _none()


def _legal(reference: LegalReference | None) -> str:
    if reference is None:
        return _missing()
    topic = f"; {esc(reference.topic)}" if reference.topic else ""
    article = f"Art. {esc(reference.article)} {esc(reference.title)}{topic}"
    return f"<code>{esc(reference.ref)}</code> ({article})"


def _text(value: str | None) -> str:
    return esc(value) if value else _missing()


def _party(party: PartyInfo | None, missing: str | None = None) -> str:
    missing = _missing() if missing is None else missing
    if party is None:
        return missing
    return "<br>".join(esc(part) for part in (party.name, party.contact) if part) or missing


def _parties(parties: RecordParties) -> str:
    muted = _none()
    rows = [(_("role"), esc(word_label(parties.role)))]
    if parties.role == "processor":
        rows.append((_("processor (Art. 30(2)(a))"), _party(parties.processor)))
    rows += [
        (_("controller (Art. 30(1)(a))"), _party(parties.controller)),
        (
            _("joint controllers (Art. 26)"),
            "<br>".join(_party(p) for p in parties.joint_controllers) or muted,
        ),
        (_("representative (Art. 27)"), _party(parties.representative, muted)),
        (_("data protection officer (Art. 37)"), _party(parties.dpo, muted)),
    ]
    return block(field_table(rows))


def _recipient(ctx: SiteContext, recipient: Recipient) -> str:
    page = GDPR_PAGE
    role = (
        esc(word_label(recipient.role))
        if recipient.role
        else f'<span class="rq-badge rq-warning">{_("role not stated")}</span>'
    )
    parts = [ctx.index.ref(page, recipient.element.id), role]
    if recipient.role in ("processor", "sub-processor"):
        contract = esc(recipient.contract) if recipient.contract else _missing()
        parts.append(_("contract {contract}").format(contract=contract))
    if recipient.third_country:
        basis = _legal(recipient.transfer_basis)
        parts.append(f"{esc(recipient.third_country)}: {basis}")
    via = _("via {flows}").format(flows=ctx.index.refs(page, recipient.flows))
    return ", ".join(parts) + f" {via}"


def _processor_record(ctx: SiteContext, record: ProcessorRecord) -> list[str]:
    page = GDPR_PAGE
    rows = [[ctx.index.ref(page, c.data.id), _text(c.purpose)] for c in record.categories]
    transfers = "".join(f"<li>{esc(t)}</li>" for t in record.transfers)
    return [
        "## " + _("Processor's record (Art. 30(2))"),
        block(
            table([_("data"), _("processing on behalf of the controller (Art. 30(2)(b))")], rows)
            if rows
            else f'<p class="rq-muted">{_("No personal data is declared.")}</p>',
            f"<p>{_('Transfers to third countries (Art. 30(2)(c)):')}</p>"
            + (f"<ul>{transfers}</ul>" if transfers else f'<p class="rq-muted">{_("None.")}</p>'),
            "<p>"
            + _("Security measures (Art. 30(2)(d), Art. 32): {refs}.").format(
                refs=_refs(ctx, page, record.security_measures)
            )
            + "</p>",
        ),
    ]


def _dpia_outcome(dpia: Dpia) -> str:
    if dpia.outcome is None:
        badge = "rq-gap" if dpia.indicated else "rq-muted"
        return f'<span class="rq-badge {badge}">{_("not recorded")}</span>'
    detail = dpia.reference if dpia.outcome == "required" else dpia.justification
    return f"{esc(word_label(dpia.outcome))}: " + (esc(detail) if detail else _missing())


def _record(ctx: SiteContext, record: ProcessingRecord) -> str:
    page = GDPR_PAGE
    items = ", ".join(
        f"<code>{esc(item.name)}</code> ({esc(word_label(item.sensitivity))})"
        for item in record.data_items
        if item.sensitivity
    )
    recipients = "; ".join(_recipient(ctx, r) for r in record.recipients)
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
            recipients or _none(),
        ),
        (_("within the controller"), _refs(ctx, page, record.internal)),
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
    parts = [front_matter(_(GDPR_TITLE), hide=("toc",)), f"# {_(GDPR_TITLE)}"]  # tables need width
    count = len(report.records)
    intro = plural(
        "{n} data element holds personal data (category personal or special): one record "
        "of processing each (GDPR Art. 30(1)).",
        "{n} data elements hold personal data (category personal or special): one record "
        "of processing each (GDPR Art. 30(1)).",
        count,
    )
    parts.append(block(f"<p>{intro}</p>", css="rq-page-wide"))
    parts.append("## " + _("Controller and contacts (Art. 30(1)(a))"))
    parts.append(_parties(report.parties))
    if report.processor_record is not None:
        parts += _processor_record(ctx, report.processor_record)
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
                css="sortable filterable audit",
                filters=[1],
            )
        )
    )  # fmt: skip
    parts.append("## " + _("Data-subject rights (Art. 15 to 22)"))
    rights = [
        [
            f"Art. {esc(r.article)}",
            esc(r.title),
            f'<span class="rq-badge rq-{_RIGHT_CSS[r.status]}">'
            f"{esc(_(RIGHT_STATUS_LABELS[r.status]))}</span>",
            _refs(ctx, page, r.requirements),
            esc(r.justification or ""),
        ]
        for r in report.rights
    ]
    columns = [_("article"), _("right"), _("coverage"), _("requirements"), _("justification")]
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
            "<p>"
            + _("DPIA outcome (Art. 35): {outcome}.").format(outcome=_dpia_outcome(report.dpia))
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


def _inclusion(ctx: SiteContext, control: ControlRow) -> str:
    """Why the control is included: the threats and obligations its requirements serve
    (the requirements and components have their own columns)."""
    parts = []
    if control.threats:
        parts.append(_("counters {refs}").format(refs=_refs(ctx, SOA_PAGE, control.threats)))
    if control.obligations:
        obligations = ", ".join(f"<code>{esc(o)}</code>" for o in control.obligations)
        parts.append(_("serves {obligations}").format(obligations=obligations))
    return "; ".join(parts)


def _control_row(ctx: SiteContext, control: ControlRow) -> str:
    page = SOA_PAGE
    applicability = (
        f'<span class="rq-badge rq-{_APPLICABILITY_CSS[control.applicability]}">'
        f"{esc(_(APPLICABILITY_LABELS[control.applicability]))}</span>"
    )
    implementation = (
        f'<span class="rq-badge rq-{_IMPLEMENTATION_CSS[control.implementation]}">'
        f"{esc(_(control.implementation_label))}</span>"
        if control.implementation
        else ""
    )
    justification = (
        esc(control.justification) if control.justification else _inclusion(ctx, control)
    )
    return (
        f'<tr id="{esc(control.id)}"><td><code>{esc(control.id)}</code></td>'
        f"<td>{esc(control.title)}</td><td>{esc(control.theme)}</td><td>{applicability}</td>"
        f"<td>{_refs(ctx, page, control.requirements)}</td>"
        f"<td>{_refs(ctx, page, control.components)}</td>"
        f"<td>{justification}</td><td>{implementation}</td></tr>"
    )


def soa_page(ctx: SiteContext) -> dict[str, str]:
    report = ctx.soa
    page = SOA_PAGE
    parts = [
        front_matter(_(SOA_TITLE), hide=("toc",)),
        f"# {_(SOA_TITLE)}",
    ]  # the table needs width
    summary = [
        [esc(_(s.theme) if s.theme_id == "all" else f"{s.theme_id} {s.theme}"),
         format_count(s.total), format_count(s.addressed), format_count(s.not_addressed),
         format_count(s.excluded)]
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
            css="rq-page-wide",
        )
    )
    implementation = [[esc(_(IMPLEMENTATION_LABELS[key])), format_count(count)]
                      for key, count in report.implementation.items()]  # fmt: skip
    parts.append("## " + _("Implementation of the applicable controls"))
    parts.append(
        block(
            "<p>"
            + _(
                "From the citing requirements' <code>status</code> and test results: "
                "implemented and verified when every citing requirement's automated tests "
                "passed."
            )
            + "</p>",
            table([_("implementation"), _("controls")], implementation),
        )
    )
    if report.notes:
        parts.append("## " + _("Notes"))
        parts.append(block("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>"))
    parts.append("## " + _("Controls"))
    rows = [_control_row(ctx, control) for control in report.controls]
    head = "".join(
        f"<th{' data-rq-filter' if column in _SOA_FILTERED else ''}>{esc(_(column))}</th>"
        for column in _SOA_COLUMNS
    )
    parts.append(
        block(
            f'<table data-rq="sortable filterable audit"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    )
    return {page: "\n\n".join(parts) + "\n"}
