"""The view of one element on its document page: a field table, links in both directions,
steps or attributes, its diagram, its diagnostics. Views hold ready, escaped HTML
fragments; `render_element` only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import N_, _
from ..labels import field_label, word_label
from ..model.elements import ModelElement
from ..model.facts.decisions import decision_members
from ..model.schema import FIELD_SPECS, FieldSpec, inverse_label
from ..parse.syntax import ActivityStep, Branch, Fragment, Message, Note, Step
from .context import SiteContext
from .decision_view import decision_matrix
from .html import block, esc, field_table, heading, md_text, relative_url

RESULT_CSS = {"passed": "ok", "failed": "error", "skipped": "warning", "not-run": "muted"}


@dataclass
class ElementView:
    element: ModelElement
    level: int
    anchor: str | None
    heading_md: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    incoming: list[tuple[str, str]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # matrices, steps, attributes, figures
    diagnostics: str = ""


def heading_level(element: ModelElement) -> int:
    return min(2 + len(element.section), 6)


def element_view(ctx: SiteContext, page: str, element: ModelElement) -> ElementView:
    anchor = ctx.index.anchor_of(element)
    title = element.title or ""
    label = f"{element.id} {title}".strip() if element.id else title or element.kind
    view = ElementView(element, heading_level(element), anchor, md_text(label))
    kind = f'<span class="rq-kind">{esc(word_label(element.kind))}</span>'
    view.fields.append((_("kind"), kind))
    if element.broken:
        error = _("syntax error")
        view.fields.append(
            (
                _("note"),
                f'<span class="rq-badge rq-error">{error}</span> ' + _("only the ID counts"),
            )
        )
    else:
        view.fields.extend(field_rows(ctx, page, element))
        view.extra.extend(_extras(ctx, page, element))
    view.incoming = incoming_rows(ctx, page, element)
    found = list(ctx.by_element.get(element.order, []))
    for member in _members(ctx, element):  # a decision's criteria and options
        found.extend(ctx.by_element.get(member.order, []))
    view.diagnostics = ctx.diagnostics_html(page, found)
    return view


def render_element(view: ElementView) -> str:
    """The heading, then the fields and extras (searchable), then back-links and
    diagnostics in a second block kept out of the search index (they name other
    elements, whose own entries are found anyway)."""
    css = f"rq-element rq-{view.element.kind}"
    parts = [
        heading(view.level, view.heading_md, view.anchor),
        block(field_table(view.fields), *view.extra, css=css),
    ]
    if view.incoming or view.diagnostics:
        incoming = field_table(view.incoming, css="rq-fields rq-incoming") if view.incoming else ""
        parts.append(block(incoming, view.diagnostics, css=f"{css} rq-links", search=False))
    return "\n\n".join(parts)


def _members(ctx: SiteContext, element: ModelElement) -> list[ModelElement]:
    if element.kind != "decision":
        return []
    return decision_members(element, ctx.project)


def field_rows(ctx: SiteContext, page: str, element: ModelElement) -> list[tuple[str, str]]:
    """One (label, HTML) row per field written on the element, in the language's order."""
    specs = FIELD_SPECS.get(element.kind, {})
    rows = []
    for name, spec in specs.items():
        if not element.has(name) or (element.kind == "decision" and name == "chosen"):
            continue
        rows.append((field_label(name), value_html(ctx, page, element, spec)))
    for name, values in element.custom.items():
        rows.append((name, ", ".join(esc(value.raw) for value in values)))
    if element.kind == "decision" and element.has("chosen"):
        rows.append((field_label("chosen"), value_html(ctx, page, element, specs["chosen"])))
    if element.kind == "test":
        result = ctx.tests.result_of(element)
        if result is not None:
            rows.append((field_label("result"), result_badge(result)))
    return rows


def result_badge(result: str) -> str:
    css = RESULT_CSS.get(result, "muted")
    return f'<span class="rq-badge rq-{css}">{esc(word_label(result))}</span>'


def value_html(ctx: SiteContext, page: str, element: ModelElement, spec: FieldSpec) -> str:
    return spec.value_kind.html(spec, element, _View(ctx, page))


class _View:
    """The site's pieces a value kind composes a value from (model/value_kinds.py)."""

    def __init__(self, ctx: SiteContext, page: str) -> None:
        self.ctx = ctx
        self.page = page

    def ref(self, element_id: str) -> str:
        return self.ctx.index.ref(self.page, element_id)

    def compliance(self, raw: str) -> str:
        return compliance_html(self.ctx, self.page, raw)

    def technique(self, raw: str) -> str:
        return technique_html(self.ctx, self.page, raw)

    def text(self, element: ModelElement, field: str) -> str:
        return self.ctx.field_text_html(self.page, element, field)

    def plain(self, text: str) -> str:
        return esc(text)


def compliance_html(ctx: SiteContext, page: str, raw: str) -> str:
    """A known catalogue reference links into the site, its title as a tooltip:
    `iso27001:A.8.24` to its row of the statement of applicability, the others
    (`gdpr:`, `wcag:`, `attack:`, custom catalogues) to the Catalogue references page.
    An unknown one is plain text."""
    from .pages.references import PAGE as REFERENCES
    from .pages.references import reference_anchor

    scheme, _, ref = raw.partition(":")
    catalog = ctx.project.catalogs.get(scheme)
    entry = catalog.lookup(ref) if catalog is not None else None
    text = f'<span class="rq-ref">{esc(raw)}</span>'
    if entry is None:
        return text
    if scheme == "iso27001":
        href = relative_url(page, "iso27001.md", entry.ref)
    else:
        href = relative_url(page, REFERENCES, reference_anchor(scheme, entry.ref))
    return f'<a href="{esc(href)}" title="{esc(entry.title)}">{text}</a>'


def technique_html(ctx: SiteContext, page: str, raw: str) -> str:
    """An ATT&CK technique ID (a threat's `attack`), linked like `attack:` references."""
    from ..catalogs import attack_catalog

    catalog = attack_catalog()
    if catalog.lookup(raw) is None:
        return esc(raw)
    from .pages.references import PAGE as REFERENCES
    from .pages.references import reference_anchor

    href = relative_url(page, REFERENCES, reference_anchor("attack", raw))
    return f'<a href="{esc(href)}" title="{esc(catalog.full_name(raw))}">{esc(raw)}</a>'


def incoming_rows(ctx: SiteContext, page: str, element: ModelElement) -> list[tuple[str, str]]:
    """Back-links, grouped by field: "derived by REQ-2, REQ-3". Only the first definition
    of a duplicated ID receives them (references resolve to it)."""
    if element.id is None or ctx.index.anchor_of(element) != element.id:
        return []
    grouped: dict[str, list[str]] = {}
    for back in ctx.index.back_links_of(element.id):
        label = _(inverse_label(back.field))
        html = ctx.index.ref(page, back.source.id or "")
        if back.field == "verifies":
            result = ctx.tests.result_of(back.source)
            if result is not None:
                html += " " + result_badge(result)
        grouped.setdefault(label, []).append(html)
    return [(label, ", ".join(items)) for label, items in grouped.items()]


def _extras(ctx: SiteContext, page: str, element: ModelElement) -> list[str]:
    extras = []
    if element.attributes:
        extras.append(_attributes(ctx, page, element))
    if element.steps:
        extras.append(f'<div class="rq-steps">{_steps(ctx, page, element.steps)}</div>')
    if element.kind == "decision":
        extras.append(decision_matrix(ctx, page, element, with_ids=True))
    folder = {"scenario": "sequence", "activity": "activity"}.get(element.kind)
    if folder and element.id:
        extras.append(ctx.diagrams.figure(page, f"{folder}/{element.id}.puml"))
    return [extra for extra in extras if extra]


def _attributes(ctx: SiteContext, page: str, element: ModelElement) -> str:
    rows = []
    for attribute in element.attributes:
        kind = (
            ctx.index.ref(page, attribute.type)
            if ctx.index.exists(attribute.type)
            else esc(attribute.type)
        )
        flags = ", ".join(esc(word_label(flag.name)) for flag in attribute.flags)
        rows.append(
            f"<tr><td><code>{esc(attribute.name)}</code></td><td>{kind}</td>"
            f"<td>{esc(attribute.multiplicity or '')}</td><td>{flags}</td></tr>"
        )
    return (
        '<table data-rq="attributes"><thead><tr>'
        + "".join(
            f"<th>{esc(_(column))}</th>"
            for column in (N_("attribute"), N_("type"), N_("multiplicity"), N_("flags"))
        )
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _steps(ctx: SiteContext, page: str, steps: list[Step]) -> str:
    return "<ol>" + "".join(f"<li>{_step(ctx, page, step)}</li>" for step in steps) + "</ol>"


def _branch(ctx: SiteContext, page: str, branch: Branch) -> str:
    guard = f" <em>[{esc(branch.guard)}]</em>" if branch.guard else ""
    return f"<strong>{esc(branch.keyword)}</strong>{guard}{_steps(ctx, page, branch.steps)}"


def _step(ctx: SiteContext, page: str, step: Step) -> str:
    if isinstance(step, Message):
        arrow = "⇠" if step.reply else "→"
        via = f" <em>via</em> {ctx.index.ref(page, step.via)}" if step.via else ""
        return (
            f"{ctx.index.ref(page, step.source)} {arrow} {ctx.index.ref(page, step.target)}: "
            f"{esc(step.label)}{via}"
        )
    if isinstance(step, Note):
        return f"<em>note</em>: {esc(step.text)}"
    if isinstance(step, Fragment):
        return "".join(f"<div>{_branch(ctx, page, branch)}</div>" for branch in step.branches)
    if isinstance(step, ActivityStep):
        if step.kind in ("start", "stop"):
            return f"<strong>{esc(step.kind)}</strong>"
        if step.kind == "action":
            by = f" <em>by</em> {ctx.index.ref(page, step.by)}" if step.by else ""
            return f"{esc(step.text or '')}{by}"
        if step.kind == "note":
            return f"<em>note</em>: {esc(step.text or '')}"
        return "".join(f"<div>{_branch(ctx, page, branch)}</div>" for branch in step.branches)
    return esc(str(step))
