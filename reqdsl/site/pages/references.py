"""The Catalogue references page: every catalogue entry the project cites (GDPR articles,
WCAG success criteria, ATT&CK techniques, custom catalogues), with its title and the
elements citing it, so that `gdpr:`, `wcag:` and `attack:` references link somewhere in
the site, offline, as `iso27001:` ones link to the statement of applicability.

Anchors are digests of (scheme, reference): a custom catalogue is a user's file, and
user text never becomes an HTML id.
"""

from __future__ import annotations

import hashlib

from ...model.elements import ModelElement
from ...model.schema import FIELD_SPECS
from ..context import SiteContext
from ..html import block, esc, front_matter, md_text

PAGE = "references.md"
TITLE = "Catalogue references"
LINKED_ELSEWHERE = frozenset({"iso27001"})  # its page is the statement of applicability


def reference_anchor(scheme: str, ref: str) -> str:
    digest = hashlib.blake2b(f"{scheme}\0{ref}".encode(), digest_size=6).hexdigest()
    return f"ref-{digest}"


def _citations(ctx: SiteContext) -> dict[str, dict[str, list[ModelElement]]]:
    """scheme -> catalogue ref -> the elements citing it (known entries only)."""
    found: dict[str, dict[str, list[ModelElement]]] = {}
    for element in ctx.project.elements:
        if element.broken or element.id is None:
            continue
        for raw in _cited_by(element):
            scheme, _, ref = raw.partition(":")
            catalog = ctx.project.catalogs.get(scheme)
            if scheme in LINKED_ELSEWHERE or catalog is None or catalog.lookup(ref) is None:
                continue
            citing = found.setdefault(scheme, {}).setdefault(ref, [])
            if element not in citing:
                citing.append(element)
    return found


def _cited_by(element: ModelElement) -> list[str]:
    """`scheme:ref` of every catalogue reference the element writes: in every field of
    the compliance kind (`compliance`, a data element's `lawful-basis`, ...) and, as
    `attack:`, in every field of ATT&CK techniques."""
    found = []
    for name, spec in FIELD_SPECS.get(element.kind, {}).items():
        kind = spec.value_kind.name
        if kind not in ("compliance", "technique") or not element.has(name):
            continue
        prefix = "attack:" if kind == "technique" else ""
        found += [prefix + value.raw for value in element.refs(name)]
    return found


def references_page(ctx: SiteContext) -> dict[str, str]:
    parts = [front_matter(TITLE, hide=("toc",)), f"# {TITLE}"]
    cited = _citations(ctx)
    parts.append(
        block(
            "<p>The catalogue entries this project cites, with the elements citing them "
            "(ISO/IEC 27001 controls are in the statement of applicability).</p>",
            css="rq-page-wide",
        )
    )
    if not cited:
        parts.append(block('<p class="rq-muted">No catalogue reference is cited.</p>'))
    for scheme in sorted(cited):
        catalog = ctx.project.catalogs[scheme]
        parts.append(f"## {md_text(f'{scheme}: {catalog.title}')}")
        rows = []
        for entry in catalog.entries():
            citing = cited[scheme].get(entry.ref)
            if not citing:
                continue
            by = ", ".join(ctx.index.ref(PAGE, element.id or "") for element in citing)
            rows.append(
                f'<tr id="{reference_anchor(scheme, entry.ref)}">'
                f"<td><code>{esc(scheme)}:{esc(entry.ref)}</code></td>"
                f"<td>{esc(entry.title)}</td><td>{by}</td></tr>"
            )
        html = (
            '<table data-rq="sortable filterable audit"><thead><tr><th>reference</th>'
            f"<th>title</th><th>cited by</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        parts.append(block(html))
    return {PAGE: "\n\n".join(parts) + "\n"}
