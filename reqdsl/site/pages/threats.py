"""The threat model page: the data-flow diagram, the register, the likelihood x impact
matrix and the STRIDE/LINDDUN-per-element suggestions (`reqdsl.reports.threats`)."""

from __future__ import annotations

from ...i18n import N_, _, format_count, plural
from ...labels import word_label
from ...reports.threats import Mitigation, ThreatRow
from ..context import SiteContext
from ..elements import technique_html
from ..html import block, esc, front_matter, table

PAGE = "threats.md"
TITLE = N_("Threat model")
_RISK_CSS = {"low": "ok", "medium": "warning", "high": "error", "critical": "critical"}
_STATE_CSS = {"verified": "ok", "not-verified": "warning"}


def _evidence(mitigation: Mitigation) -> str:
    """A mitigating requirement's evidence: a test element, and its result when read."""
    if mitigation.passed is True:
        return f' <span class="rq-badge rq-ok">{_("tests passed")}</span>'
    if mitigation.passed is False:
        return f' <span class="rq-badge rq-gap">{_("test failed")}</span>'
    if mitigation.verified:
        return f' <span class="rq-badge rq-warning">{_("test, no result")}</span>'
    return f' <span class="rq-badge rq-warning">{_("no test")}</span>'


def _status(row: ThreatRow) -> str:
    if row.mitigation_state is None:
        return esc(word_label(row.status or "unset"))
    css = _STATE_CSS[row.mitigation_state]
    return f'<span class="rq-badge rq-{css}">{esc(_(row.status_label))}</span>'


def _rating(likelihood: str | None, impact: str | None, level: str | None) -> str:
    if likelihood is None and impact is None:
        return f'<span class="rq-muted">{_("not rated")}</span>'
    return f"{esc(word_label(likelihood or '?'))} × {esc(word_label(impact or '?'))} {_risk(level)}"


def _risk(level: str | None) -> str:
    if level is None:
        return f'<span class="rq-badge rq-muted">{_("unrated")}</span>'
    css = _RISK_CSS.get(level, "muted")
    return f'<span class="rq-badge rq-{css}">{esc(word_label(level))}</span>'


def _register_row(ctx: SiteContext, row: ThreatRow) -> list[str]:
    category = esc(row.category_label or row.category or "")
    if row.family:
        category += f' <span class="rq-muted">({esc(row.family)})</span>'
    target = ""
    if row.target is not None:
        target = ctx.index.ref(PAGE, row.target.id)
        if row.target_type:
            target += f' <span class="rq-muted">({esc(_(row.target_type))})</span>'
    attack = "<br>".join(
        f"<code>{technique_html(ctx, PAGE, t.id)}</code> {esc(t.name)}" + ("" if t.known else " ⚠")
        for t in row.attack
    )
    mitigations = "<br>".join(
        ctx.index.ref(PAGE, m.requirement.id) + _evidence(m) for m in row.mitigations
    )
    handled = (
        f'<span class="rq-badge rq-ok">{_("handled")}</span>'
        if row.handled
        else f'<span class="rq-badge rq-gap">{_("open")}</span>'
    )
    return [
        ctx.index.ref(PAGE, row.threat.id),
        esc(row.threat.title or ""),
        category,
        target,
        attack,
        f"{esc(word_label(row.likelihood or '?'))} × {esc(word_label(row.impact or '?'))}",
        _risk(row.risk),
        _rating(row.residual_likelihood, row.residual_impact, row.residual_risk),
        _status(row),
        mitigations or f'<span class="rq-muted">{_("none")}</span>',
        esc(row.justification or ""),
        handled,
    ]


def threat_page(ctx: SiteContext) -> dict[str, str]:
    report = ctx.threats
    parts = [front_matter(_(TITLE), hide=("toc",)), f"# {_(TITLE)}"]  # the register needs the width
    counts = ", ".join(
        f"{format_count(count)} {word_label(level)}" for level, count in report.risk_counts.items()
    )
    threats = plural("{n} threat", "{n} threats", len(report.threats))
    parts.append(block(f"<p>{threats}: {esc(counts)}.</p>", css="rq-page-wide"))
    parts.append("## " + _("Data-flow diagram"))
    figure = ctx.diagrams.figure(PAGE, "data-flow.puml")
    if not figure:
        figure = (
            f'<p class="rq-note">{esc(ctx.diagrams.note)}</p>'
            if ctx.diagrams.note
            else '<p class="rq-muted">'
            + _("No data flows are declared, so there is no diagram.")
            + "</p>"
        )
    parts.append(block(figure))
    parts.append("## " + _("Threat register"))
    columns = [_("threat"), _("title"), _("category"), _("target"), "ATT&CK",
               _("likelihood × impact"), _("risk"), _("residual risk"), _("status"),
               _("mitigated by"), _("justification"), _("handled")]  # fmt: skip
    rows = [_register_row(ctx, row) for row in report.threats]
    parts.append(
        block(
            table(
                [esc(c) for c in columns],
                rows,
                css="sortable filterable audit",
                filters=[2, 6, 8, 11],  # category, risk, status, handled
            )
            if rows
            else f'<p class="rq-muted">{_("No threats are declared.")}</p>'
        )
    )
    parts.append("## " + _("Risk matrix"))
    header = "".join(
        f"<th>{esc(_('impact: {level}').format(level=word_label(cell.impact)))}</th>"
        for cell in report.matrix[0].cells
    )
    body = []
    for matrix_row in report.matrix:
        cells = []
        for cell in matrix_row.cells:
            threats = ", ".join(ctx.index.ref(PAGE, threat) for threat in cell.threats)
            css = _RISK_CSS.get(cell.risk, "muted")
            cells.append(
                f'<td class="rq-risk rq-risk-{css}">'
                f'<span class="rq-muted">{esc(word_label(cell.risk))}</span>'
                f"{'<br>' + threats if threats else ''}</td>"
            )
        likelihood = _("likelihood: {level}").format(level=word_label(matrix_row.likelihood))
        body.append(f"<tr><th>{esc(likelihood)}</th>{''.join(cells)}</tr>")
    parts.append(
        block(
            f'<table data-rq="risk-matrix"><thead><tr><th></th>{header}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>",
            '<p class="rq-muted">'
            + _(
                "Risk = likelihood × impact (each low = 1 to critical = 4): "
                "1-2 low, 3-4 medium, 6-9 high, 12-16 critical."
            )
            + "</p>",
        )
    )
    parts.append("## " + _("STRIDE and LINDDUN per element"))
    parts.append(
        block(
            "<p>"
            + _(
                "The categories that apply to each element of the data-flow model (LINDDUN "
                "only where personal data is involved) and the declared threats covering "
                "each. Suggestions, not findings."
            )
            + "</p>"
        )
    )
    for suggestion in report.suggestions:
        rows = [
            [
                esc(c.label)
                + (f' <span class="rq-muted">({esc(c.condition)})</span>' if c.condition else ""),
                esc(c.family),
                f'<span class="rq-badge rq-ok">{_("covered")}</span>'
                if c.covered
                else f'<span class="rq-badge rq-gap">{_("no threat")}</span>',
                ", ".join(ctx.index.ref(PAGE, t.id) for t in c.threats),
            ]
            for c in suggestion.categories
        ]
        covered = _("{covered} of {total} categories covered").format(
            covered=format_count(suggestion.covered), total=format_count(suggestion.applicable)
        )
        summary = (
            f"<p>{ctx.index.ref(PAGE, suggestion.element.id, with_title=True)}: "
            f"{esc(_(suggestion.element_type))}; {covered}.</p>"
        )
        columns = [_("category"), _("family"), _("covered"), _("threats")]
        parts.append(block(summary, table(columns, rows)))
    return {PAGE: "\n\n".join(parts) + "\n"}
