"""The Diagnostics page: every diagnostic of the check run, by family and code, with a
link to the element it is about. The home page's gap lists link here."""

from __future__ import annotations

from ...diagnostics import Diagnostic
from ...i18n import N_, _
from ..context import SEVERITY_ORDER, SiteContext, family_of
from ..html import block, esc, front_matter, heading, md_text

PAGE = "diagnostics.md"
TITLE = N_("Diagnostics")


def diagnostics_page(ctx: SiteContext) -> dict[str, str]:
    parts = [front_matter(_(TITLE)), f"# {_(TITLE)}"]
    summary = ctx.summary
    parts.append(
        block(
            f"<p>{summary.errors} errors, {summary.warnings} warnings, {summary.infos} infos "
            f"in {summary.files} files ({summary.elements} elements), as "
            "<code>reqdsl check</code> reports them.</p>"
        )
    )
    by_code: dict[str, list[Diagnostic]] = {}
    for diagnostic in ctx.diagnostics:
        by_code.setdefault(diagnostic.code, []).append(diagnostic)
    if not by_code:
        parts.append(block('<p class="rq-muted">No diagnostics: the model checks clean.</p>'))
        return {PAGE: "\n\n".join(parts) + "\n"}
    rows = []
    for code in sorted(by_code):
        found = by_code[code]
        counts = {severity: 0 for severity in SEVERITY_ORDER}
        for diagnostic in found:
            counts[diagnostic.severity] += 1
        rows.append(
            f'<tr><td><a href="#{esc(code)}"><code>{esc(code)}</code></a></td>'
            f"<td>{esc(family_of(code))}</td>"
            + "".join(f"<td>{counts[severity] or ''}</td>" for severity in SEVERITY_ORDER)
            + "</tr>"
        )
    parts.append(
        block(
            "<table><thead><tr><th>code</th><th>family</th><th>errors</th><th>warnings</th>"
            f"<th>infos</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    )
    for code in sorted(by_code):
        found = sorted(by_code[code], key=Diagnostic.sort_key)
        parts.append(heading(2, md_text(f"{code} ({len(found)})"), code))
        items = "".join(ctx.diagnostic_item(PAGE, d, with_element=True) for d in found)
        parts.append(block(f'<ul class="rq-diagnostics">{items}</ul>', search=False))
    return {PAGE: "\n\n".join(parts) + "\n"}
