"""A decision's weighted matrix as HTML: criteria as rows, options as columns, the
weighted totals (`reqdsl.model.facts.decisions.weighted_totals`, exact decimals), the chosen
option marked, the best total marked, each option's evidence.

On the document page (`with_ids=True`) the criterion rows and option columns carry the
anchors of the criteria and options (their home); elsewhere they link to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _
from ..model.elements import ModelElement
from ..model.facts.decisions import decision_members, scores_of, show_number, weight_of
from .html import esc

if TYPE_CHECKING:
    from .context import SiteContext


def decision_matrix(ctx: SiteContext, page: str, decision: ModelElement, *, with_ids: bool) -> str:
    members = decision_members(decision, ctx.project)
    criteria = [m for m in members if m.kind == "criterion"]
    options = [m for m in members if m.kind == "option"]
    if not criteria and not options:
        return '<p class="rq-muted">No criteria or options.</p>'
    totals = ctx.weighted_totals(decision)
    chosen = decision.word("chosen")
    best = max(totals.values()) if totals else None

    def head(element: ModelElement) -> tuple[str, str]:
        if with_ids:
            anchor = ctx.index.anchor_of(element)
            id_attr = f' id="{esc(anchor)}"' if anchor else ""
            label = f"<code>{esc(element.id or '')}</code>"
        else:
            id_attr, label = "", ctx.index.ref(page, element.id or "")
        return id_attr, f"{label}<br>{esc(element.title or '')}"

    columns = []
    for option in options:
        id_attr, label = head(option)
        marks = []
        if option.id is not None and option.id == chosen:
            marks.append(f'<span class="rq-badge rq-ok">{_("chosen")} ✓</span>')
        css = ' class="rq-chosen"' if option.id == chosen else ""
        columns.append(f"<th{id_attr}{css}>{label}{'<br>' + ' '.join(marks) if marks else ''}</th>")
    rows = []
    scores = {option.order: scores_of(option) for option in options}
    for criterion in criteria:
        id_attr, label = head(criterion)
        description = criterion.word("description")
        if description:
            label += f'<br><span class="rq-muted">{esc(description)}</span>'
        weight = show_number(weight_of(criterion))
        cells = []
        for option in options:
            score = scores[option.order].get(criterion.id or "", None)
            missing = criterion.id not in scores[option.order]
            shown = "–" if missing else ("?" if score is None else show_number(score))
            css = ' class="rq-gap-cell"' if missing or score is None else ""
            cells.append(f"<td{css}>{esc(shown)}</td>")
        rows.append(f"<tr{id_attr}><th>{label}</th><td>{weight}</td>{''.join(cells)}</tr>")
    total_cells = []
    for option in options:
        total = totals.get(option.id or "")
        text = show_number(total) if total is not None else ""
        star = " ★" if total is not None and total == best and len(options) > 1 else ""
        total_cells.append(f"<td><strong>{esc(text)}</strong>{star}</td>")
    rows.append(
        f'<tr class="rq-totals"><th>{_("weighted total")}</th><td></td>{"".join(total_cells)}</tr>'
    )
    evidence = [ctx.field_text_html(page, option, "evidence") for option in options]
    if any(evidence):
        shown = "".join(f"<td>{text}</td>" for text in evidence)
        rows.append(f'<tr class="rq-evidence"><th>{_("evidence")}</th><td></td>{shown}</tr>')
    return (
        f'<table data-rq="decision"><thead><tr><th>{_("criterion")}</th><th>{_("weight")}</th>'
        f"{''.join(columns)}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        '<p class="rq-muted">'
        + _(
            "Weighted total = Σ weight × score (scores 0 to 5); ★ the highest total; – no "
            "score given."
        )
        + "</p>"
    )
