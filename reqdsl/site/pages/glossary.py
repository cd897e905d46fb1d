"""The Glossary page: every `term`, alphabetically, with its definition and where it is
defined; and the stakeholders, who are the other vocabulary reviewers look up."""

from __future__ import annotations

from ...i18n import N_, _
from ..context import SiteContext
from ..html import block, esc, front_matter, link, relative_url

PAGE = "glossary.md"
TITLE = N_("Glossary")


def glossary_page(ctx: SiteContext) -> dict[str, str]:
    terms = sorted(
        ctx.project.of_kind("term"), key=lambda term: ((term.title or "").casefold(), term.order)
    )
    parts = [front_matter(_(TITLE)), f"# {_(TITLE)}"]
    if terms:
        items = []
        for term in terms:
            where = link(
                relative_url(PAGE, ctx.index.page_of(term)), esc(term.path), css="rq-muted"
            )
            definition = ctx.field_text_html(PAGE, term, "definition") or (
                '<span class="rq-muted">no definition</span>'
            )
            items.append(f"<dt>{esc(term.title or '')}</dt><dd>{definition} ({where})</dd>")
        parts.append(block(f'<dl class="rq-glossary">{"".join(items)}</dl>'))
    else:
        parts.append(block('<p class="rq-muted">No terms are defined.</p>'))
    stakeholders = ctx.project.of_kind("stakeholder")
    if stakeholders:
        parts.append("## Stakeholders")
        rows = "".join(
            f"<tr><td>{ctx.index.ref(PAGE, s.id or '')}</td><td>{esc(s.title or '')}</td>"
            f"<td>{ctx.field_text_html(PAGE, s, 'description')}</td></tr>"
            for s in stakeholders
        )
        parts.append(
            block(
                "<table><thead><tr><th>stakeholder</th><th>name</th><th>description</th></tr>"
                f"</thead><tbody>{rows}</tbody></table>"
            )
        )
    return {PAGE: "\n\n".join(parts) + "\n"}
