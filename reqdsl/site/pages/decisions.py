"""The Decisions page: one section per decision with its context, the weighted matrix
(criteria as rows, options as columns, totals, the chosen option marked), evidence,
rationale, consequences, and the decisions it supersedes or is superseded by."""

from __future__ import annotations

from ...i18n import N_, _
from ...model.elements import ModelElement
from ..context import SiteContext
from ..decision_view import decision_matrix
from ..html import block, esc, field_table, front_matter, heading, md_text

PAGE = "decisions.md"
TITLE = N_("Decisions")
_STATUS_CSS = {"accepted": "ok", "proposed": "warning", "rejected": "muted", "superseded": "muted"}


def decisions_page(ctx: SiteContext) -> dict[str, str]:
    decisions = ctx.project.of_kind("decision")
    parts = [front_matter(_(TITLE)), f"# {_(TITLE)}"]
    if not decisions:
        parts.append(block('<p class="rq-muted">No decisions are recorded.</p>'))
        return {PAGE: "\n\n".join(parts) + "\n"}
    summary = []
    for decision in decisions:
        status = decision.word("status") or "unset"
        chosen = decision.word("chosen")
        summary.append(
            "<tr>"
            f"<td>{ctx.index.ref(PAGE, decision.id or '')}</td><td>{esc(decision.title or '')}</td>"
            f"<td>{_status(status)}</td>"
            f"<td>{ctx.index.ref(PAGE, chosen) if chosen else ''}</td>"
            f"<td>{ctx.index.refs(PAGE, [v.raw for v in decision.refs('addresses')])}</td></tr>"
        )
    parts.append(
        block(
            '<table data-rq="sortable"><thead><tr><th>decision</th><th>title</th><th>status</th>'
            f"<th>chosen</th><th>addresses</th></tr></thead><tbody>{''.join(summary)}</tbody></table>"
        )
    )
    seen: set[str] = set()
    for decision in decisions:
        parts.append(_decision(ctx, decision, seen))
    return {PAGE: "\n\n".join(parts) + "\n"}


def _status(status: str) -> str:
    return f'<span class="rq-badge rq-{_STATUS_CSS.get(status, "muted")}">{esc(status)}</span>'


def _decision(ctx: SiteContext, decision: ModelElement, seen: set[str]) -> str:
    # An anchor per decision on this page too (the first of a duplicated ID only).
    anchor = decision.id if decision.id and decision.id not in seen else None
    if decision.id:
        seen.add(decision.id)
    label = f"{decision.id or ''} {decision.title or ''}".strip()
    home = ctx.index.href(PAGE, decision)
    rows = [
        ("status", _status(decision.word("status") or "unset")),
        ("defined in", f'<a href="{esc(home)}">{esc(decision.path)}</a>'),
    ]
    if decision.broken:
        rows.append(("note", '<span class="rq-badge rq-error">syntax error</span>'))
    addresses = [v.raw for v in decision.refs("addresses")]
    rows.append(("addresses", ctx.index.refs(PAGE, addresses, with_title=True) or "nothing"))
    supersedes = [v.raw for v in decision.refs("supersedes")]
    if supersedes:
        rows.append(("supersedes", ctx.index.refs(PAGE, supersedes, with_title=True)))
    superseded_by = [
        back.source.id or ""
        for back in ctx.index.back_links.get(decision.id or "", [])
        if back.field == "supersedes"
    ]
    if superseded_by:
        rows.append(("superseded by", ctx.index.refs(PAGE, superseded_by, with_title=True)))
    chosen = decision.word("chosen")
    rows.append(("chosen", ctx.index.ref(PAGE, chosen, with_title=True) if chosen else "none"))
    for name in ("context", "rationale", "consequences", "description"):
        text = ctx.field_text_html(PAGE, decision, name)
        if text:
            rows.append((name, text))
    found = ctx.by_element.get(decision.order, [])
    return f"{heading(2, md_text(label), anchor)}\n\n" + block(
        field_table(rows),
        decision_matrix(ctx, PAGE, decision, with_ids=False),
        ctx.diagnostics_html(PAGE, found),
    )
