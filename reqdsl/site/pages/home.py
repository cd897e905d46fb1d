"""The home page, a dashboard: counts per kind and level, the coverage figures with
bars, diagnostics per family, and links into every gap (the elements behind each
figure that falls short, and the Diagnostics page for the full lists)."""

from __future__ import annotations

from ...diagnostics import Severity
from ...model.config_schema import COVERAGE_KEYS
from ...model.elements import ModelElement
from ...model.facts.trace import NOTHING_TO_MEASURE, coverage_counts, trace_facts
from ...model.schema import LEVELS
from ..context import FAMILIES, SiteContext, family_of
from ..html import block, esc, front_matter, link, relative_url, table
from ..pages.documents import INDEX as DOCUMENTS_PAGE

PAGE = "index.md"
TITLE = "Home"
GAP_LIST_LIMIT = 25  # links shown per gap here; the Diagnostics page lists them all
_FIGURES = {
    "verification": ("Verification", "requirements to be tested that a test verifies", "TR003"),
    "derivation": ("Derivation", "system and software requirements with an upward link", "TR001"),
    "satisfaction": ("Satisfaction", "stakeholder needs and goals something links to", "TR002"),
    "mitigation": ("Mitigation", "threats mitigated, or accepted with a justification", "TM003"),
    "evidence": (
        "Evidence",
        "requirements verified by automated tests whose automated tests all passed",
        "TR008",
    ),
}
_GAPS = {
    "TR001": "No upward link",
    "TR002": "Needs and goals nothing links to",
    "TR003": "Requirements to be tested with no test",
    "TR006": "Requirements to be inspected, analysed or demonstrated with no test element",
    "TR007": "Tests whose method is not the one asked for",
    "TR008": "Failed tests",
    "TR009": "Skipped tests",
    "TR010": "Automated tests in no report",
    "TM003": "Threats no requirement mitigates",
    "TM004": "Threats accepted without justification",
    "DE004": "Decisions that address nothing",
    "RV001": "Approved documents without a review of their version",
}
PAGES = (
    ("documents/index.md", "Documents", "every document, with sections and elements"),
    ("traceability.md", "Traceability matrix", "a row per requirement, sortable and filterable"),
    ("gdpr.md", "GDPR", "record of processing, lawful bases, rights, DPIA indicators"),
    ("iso27001.md", "ISO 27001", "statement of applicability of the 93 Annex A controls"),
    ("threats.md", "Threat model", "data-flow diagram, register, risk matrix, STRIDE/LINDDUN"),
    ("decisions.md", "Decisions", "weighted decision matrices and their outcome"),
    ("validation.md", "Validation", "document versions, reviews and stale approvals"),
    ("diagrams.md", "Diagrams", "every diagram of the model"),
    ("glossary.md", "Glossary", "terms and stakeholders"),
    ("diagnostics.md", "Diagnostics", "every problem the checks found"),
)


def home_page(ctx: SiteContext) -> dict[str, str]:
    project = ctx.project
    name = project.config.name or project.root.resolve().name or "project"
    version = f" {project.config.version}" if project.config.version else ""
    summary = ctx.summary
    status = (
        f'<span class="rq-badge rq-error">{summary.errors} errors</span>'
        if summary.errors
        else '<span class="rq-badge rq-ok">no errors</span>'
    )
    intro = (
        f"<p><strong>{esc(name)}{esc(version)}</strong>: {summary.files} files, "
        f"{summary.elements} elements. {status} "
        f'<span class="rq-badge rq-{"warning" if summary.warnings else "ok"}">'
        f"{summary.warnings} warnings</span> "
        f'<span class="rq-badge rq-muted">{summary.infos} infos</span>'
        + (
            f' <span class="rq-badge rq-muted">{summary.withheld} findings withheld until '
            "the syntax errors are fixed</span>"
            if summary.withheld
            else ""
        )
        + "</p>"
    )
    pages = "".join(
        f"<li>{link(relative_url(PAGE, page), esc(label))}: {esc(text)}</li>"
        for page, label, text in PAGES
    )
    parts = [
        front_matter(TITLE),
        "# Specification dashboard",
        block(intro, f'<ul class="rq-pages">{pages}</ul>'),
        "## Coverage",
        block(_coverage(ctx)),
        "## Contents",
        block(_counts(ctx)),
        "## Diagnostics per family",
        block(_families(ctx)),
        "## Gaps",
        block(_gaps(ctx)),
    ]
    return {PAGE: "\n\n".join(parts) + "\n"}


def _coverage(ctx: SiteContext) -> str:
    counts = coverage_counts(trace_facts(ctx.project))
    figures = ctx.summary.coverage or {}
    thresholds = ctx.project.config.coverage
    rows = []
    for key in COVERAGE_KEYS:
        label, meaning, _ = _FIGURES[key]
        covered, total = counts[key]
        value = figures.get(key)
        threshold = thresholds.get(key)
        goal = f" (threshold {threshold:g} %)" if threshold is not None else ""
        if value is None or total == 0:
            # 0 of 0 is no coverage at all: "n/a", explained, never a green 100 %.
            css = "rq-gap" if threshold is not None else "rq-muted"
            rows.append(
                f"<tr><th>{esc(label)}</th><td></td>"
                f'<td><span class="rq-badge {css}">n/a</span></td>'
                f"<td>nothing to measure: {esc(NOTHING_TO_MEASURE[key])}{esc(goal)}</td></tr>"
            )
            continue
        below = threshold is not None and value < threshold
        css = "rq-gap" if below else ("rq-ok" if value >= 100 else "rq-warning")
        rows.append(
            f'<tr><th>{esc(label)}</th><td><meter class="rq-meter" min="0" max="100" '
            f'low="60" high="99.9" optimum="100" value="{value:g}">{value:g} %</meter></td>'
            f'<td><span class="rq-badge {css}">{value:g} %</span></td>'
            f"<td>{covered} of {total} {esc(meaning)}{esc(goal)}</td></tr>"
        )
    return f'<table class="rq-coverage"><tbody>{"".join(rows)}</tbody></table>'


def _counts(ctx: SiteContext) -> str:
    kinds: dict[str, int] = {}
    levels: dict[str, int] = {}
    for element in ctx.project.elements:
        if element.id is None and element.kind not in ("term",):
            continue
        kinds[element.kind] = kinds.get(element.kind, 0) + 1
        if element.kind == "requirement":
            levels[element.level or "no level"] = levels.get(element.level or "no level", 0) + 1
    kind_table = table(["kind", "count"], [[esc(k), str(n)] for k, n in sorted(kinds.items())])
    order = [*LEVELS, *sorted(set(levels) - set(LEVELS))]
    level_table = table(
        ["requirement level", "count"], [[esc(lv), str(levels[lv])] for lv in order if lv in levels]
    )
    documents = link(relative_url(PAGE, DOCUMENTS_PAGE), "all documents")
    return (
        f'<div class="rq-columns">{kind_table}{level_table}</div>'
        f"<p>{len(ctx.index.documents)} documents: see {documents}.</p>"
    )


def _families(ctx: SiteContext) -> str:
    counts: dict[str, dict[Severity, int]] = {}
    for diagnostic in ctx.diagnostics:
        family = diagnostic.code[:2]
        counts.setdefault(family, {s: 0 for s in Severity})[diagnostic.severity] += 1
    if not counts:
        return '<p><span class="rq-badge rq-ok">clean</span> The checks found nothing.</p>'
    order = [*FAMILIES, *sorted(set(counts) - set(FAMILIES))]
    rows = [
        [esc(f"{family} ({family_of(family)})")]
        + [str(counts[family][s] or "") for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
        for family in order
        if family in counts
    ]
    link_all = link(relative_url(PAGE, "diagnostics.md"), "Diagnostics page")
    return table(["family", "errors", "warnings", "infos"], rows) + f"<p>Details: {link_all}.</p>"


def _gaps(ctx: SiteContext) -> str:
    by_code: dict[str, list[ModelElement]] = {}
    for found in ctx.by_element.values():
        for diagnostic in found:
            element = ctx.element_of.get(id(diagnostic))
            if element is not None and diagnostic.code in _GAPS:
                by_code.setdefault(diagnostic.code, []).append(element)
    sections = []
    for code, title in _GAPS.items():
        elements = sorted(by_code.get(code, []), key=lambda e: e.order)
        if not elements:
            continue
        shown = ", ".join(ctx.index.ref(PAGE, e.id or "") for e in elements[:GAP_LIST_LIMIT])
        more = ""
        if len(elements) > GAP_LIST_LIMIT:
            rest = link(
                relative_url(PAGE, "diagnostics.md", code), f"{len(elements) - GAP_LIST_LIMIT} more"
            )
            more = f" and {rest}"
        label = f"<strong>{esc(title)}</strong> (<code>{code}</code>, {len(elements)})"
        sections.append(f"<p>{label}: {shown}{more}</p>")
    if not sections:
        return (
            '<p><span class="rq-badge rq-ok">none</span> No traceability, threat or review gap.</p>'
        )
    return "".join(sections)
