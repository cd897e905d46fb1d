"""The home page, a dashboard: counts per kind and level, the coverage figures with
bars, diagnostics per family, and links into every gap (the elements behind each
figure that falls short, and the Diagnostics page for the full lists)."""

from __future__ import annotations

from ...diagnostics import Severity
from ...i18n import N_, _, format_count, format_percent, plural
from ...labels import word_label
from ...model.config_schema import COVERAGE_KEYS
from ...model.elements import ModelElement
from ...model.facts.trace import NOTHING_TO_MEASURE, coverage_counts, trace_facts
from ...model.schema import LEVELS
from ..context import FAMILIES, SiteContext, family_of
from ..html import block, esc, front_matter, link, relative_url, table
from ..pages.documents import INDEX as DOCUMENTS_PAGE

PAGE = "index.md"
TITLE = N_("Home")
GAP_LIST_LIMIT = 25  # links shown per gap here; the Diagnostics page lists them all
_FIGURES = {
    "verification": (
        N_("Verification"),
        N_("requirements to be tested that a test verifies"),
        "TR003",
    ),
    "derivation": (
        N_("Derivation"),
        N_("system and software requirements with an upward link"),
        "TR001",
    ),
    "satisfaction": (
        N_("Satisfaction"),
        N_("stakeholder needs and goals something links to"),
        "TR002",
    ),
    "mitigation": (
        N_("Mitigation"),
        N_("threats mitigated, or accepted with a justification"),
        "TM003",
    ),
    "evidence": (
        N_("Evidence"),
        N_("requirements verified by automated tests whose automated tests all passed"),
        "TR008",
    ),
}
_GAPS = {
    "TR001": N_("No upward link"),
    "TR002": N_("Needs and goals nothing links to"),
    "TR003": N_("Requirements to be tested with no test"),
    "TR006": N_("Requirements to be inspected, analysed or demonstrated with no test element"),
    "TR007": N_("Tests whose method is not the one asked for"),
    "TR008": N_("Failed tests"),
    "TR009": N_("Skipped tests"),
    "TR010": N_("Automated tests in no report"),
    "TM003": N_("Threats no requirement mitigates"),
    "TM004": N_("Threats accepted without justification"),
    "DE004": N_("Decisions that address nothing"),
    "RV001": N_("Approved documents without a review of their version"),
}
PAGES = (
    ("documents/index.md", N_("Documents"), N_("every document, with sections and elements")),
    (
        "traceability.md",
        N_("Traceability matrix"),
        N_("a row per requirement, sortable and filterable"),
    ),
    ("gdpr.md", N_("GDPR"), N_("record of processing, lawful bases, rights, DPIA indicators")),
    (
        "iso27001.md",
        N_("ISO 27001"),
        N_("statement of applicability of the 93 Annex A controls"),
    ),
    (
        "threats.md",
        N_("Threat model"),
        N_("data-flow diagram, register, risk matrix, STRIDE/LINDDUN"),
    ),
    ("decisions.md", N_("Decisions"), N_("weighted decision matrices and their outcome")),
    ("validation.md", N_("Validation"), N_("document versions, reviews and stale approvals")),
    ("diagrams.md", N_("Diagrams"), N_("every diagram of the model")),
    ("glossary.md", N_("Glossary"), N_("terms and stakeholders")),
    ("diagnostics.md", N_("Diagnostics"), N_("every problem the checks found")),
)


def home_page(ctx: SiteContext) -> dict[str, str]:
    project = ctx.project
    name = project.config.name or project.root.resolve().name or "project"
    version = f" {project.config.version}" if project.config.version else ""
    summary = ctx.summary
    errors = plural("{n} error", "{n} errors", summary.errors)
    status = (
        f'<span class="rq-badge rq-error">{errors}</span>'
        if summary.errors
        else f'<span class="rq-badge rq-ok">{_("no errors")}</span>'
    )
    files = plural("{n} file", "{n} files", summary.files)
    elements = plural("{n} element", "{n} elements", summary.elements)
    intro = (
        f"<p><strong>{esc(name)}{esc(version)}</strong>: {files}, "
        f"{elements}. {status} "
        f'<span class="rq-badge rq-{"warning" if summary.warnings else "ok"}">'
        f"{plural('{n} warning', '{n} warnings', summary.warnings)}</span> "
        f'<span class="rq-badge rq-muted">{plural("{n} info", "{n} infos", summary.infos)}</span>'
        + (
            ' <span class="rq-badge rq-muted">'
            + plural(
                "{n} finding withheld until the syntax errors are fixed",
                "{n} findings withheld until the syntax errors are fixed",
                summary.withheld,
            )
            + "</span>"
            if summary.withheld
            else ""
        )
        + "</p>"
    )
    pages = "".join(
        f"<li>{link(relative_url(PAGE, page), esc(_(label)))}: {esc(_(text))}</li>"
        for page, label, text in PAGES
    )
    parts = [
        front_matter(_(TITLE)),
        "# " + _("Specification dashboard"),
        block(intro, f'<ul class="rq-pages">{pages}</ul>'),
        "## " + _("Coverage"),
        block(_coverage(ctx)),
        "## " + _("Contents"),
        block(_counts(ctx)),
        "## " + _("Diagnostics per family"),
        block(_families(ctx)),
        "## " + _("Gaps"),
        block(_gaps(ctx)),
    ]
    return {PAGE: "\n\n".join(parts) + "\n"}


def _coverage(ctx: SiteContext) -> str:
    counts = coverage_counts(trace_facts(ctx.project))
    figures = ctx.summary.coverage or {}
    thresholds = ctx.project.config.coverage
    rows = []
    for key in COVERAGE_KEYS:
        label, meaning, _code = _FIGURES[key]
        label, meaning = _(label), _(meaning)
        covered, total = counts[key]
        value = figures.get(key)
        threshold = thresholds.get(key)
        goal = (
            _(" (threshold {value})").format(value=format_percent(threshold, trim=True, page=True))
            if threshold is not None
            else ""
        )
        if value is None or total == 0:
            # 0 of 0 is no coverage at all: "n/a", explained, never a green 100 %.
            css = "rq-gap" if threshold is not None else "rq-muted"
            rows.append(
                f"<tr><th>{esc(label)}</th><td></td>"
                f'<td><span class="rq-badge {css}">{_("n/a")}</span></td>'
                f"<td>{_('nothing to measure: {why}').format(why=esc(_(NOTHING_TO_MEASURE[key])))}"
                f"{esc(goal)}</td></tr>"
            )
            continue
        below = threshold is not None and value < threshold
        css = "rq-gap" if below else ("rq-ok" if value >= 100 else "rq-warning")
        # The meter's `value` is HTML's number (94.7 in every language); its text and the
        # badge are the reader's ("94,7 %" in French).
        shown = format_percent(value, trim=True, page=True)
        of_total = _("{covered} of {total}").format(
            covered=format_count(covered), total=format_count(total)
        )
        rows.append(
            f'<tr><th>{esc(label)}</th><td><meter class="rq-meter" min="0" max="100" '
            f'low="60" high="99.9" optimum="100" value="{value:g}">{shown}</meter></td>'
            f'<td><span class="rq-badge {css}">{shown}</span></td>'
            f"<td>{of_total} "
            f"{esc(meaning)}{esc(goal)}</td></tr>"
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
            level = element.level or _("no level")
            levels[level] = levels.get(level, 0) + 1
    kind_table = table(
        [_("kind"), _("count")],
        [[esc(word_label(k)), format_count(n)] for k, n in sorted(kinds.items())],
    )
    order = [*LEVELS, *sorted(set(levels) - set(LEVELS))]
    level_table = table(
        [_("requirement level"), _("count")],
        [[esc(word_label(lv)), format_count(levels[lv])] for lv in order if lv in levels],
    )
    documents = link(relative_url(PAGE, DOCUMENTS_PAGE), _("all documents"))
    count = plural("{n} document", "{n} documents", len(ctx.index.documents))
    return (
        f'<div class="rq-columns">{kind_table}{level_table}</div>'
        f"<p>{_('{count}: see {link}.').format(count=count, link=documents)}</p>"
    )


def _families(ctx: SiteContext) -> str:
    counts: dict[str, dict[Severity, int]] = {}
    for diagnostic in ctx.diagnostics:
        family = diagnostic.code[:2]
        counts.setdefault(family, {s: 0 for s in Severity})[diagnostic.severity] += 1
    if not counts:
        return (
            f'<p><span class="rq-badge rq-ok">{_("clean")}</span> '
            f"{_('The checks found nothing.')}</p>"
        )
    order = [*FAMILIES, *sorted(set(counts) - set(FAMILIES))]
    rows = [
        [esc(f"{family} ({_(family_of(family))})")]
        + [
            format_count(counts[family][s]) if counts[family][s] else ""
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        ]
        for family in order
        if family in counts
    ]
    link_all = link(relative_url(PAGE, "diagnostics.md"), _("Diagnostics page"))
    columns = [_("family"), _("errors"), _("warnings"), _("infos")]
    return table(columns, rows) + f"<p>{_('Details: {link}.').format(link=link_all)}</p>"


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
                relative_url(PAGE, "diagnostics.md", code),
                _("{n} more").format(n=format_count(len(elements) - GAP_LIST_LIMIT)),
            )
            more = _(" and {rest}").format(rest=rest)
        count = format_count(len(elements))
        label = f"<strong>{esc(_(title))}</strong> (<code>{code}</code>, {count})"
        sections.append(f"<p>{label}: {shown}{more}</p>")
    if not sections:
        return (
            f'<p><span class="rq-badge rq-ok">{_("none")}</span> '
            f"{_('No traceability, threat or review gap.')}</p>"
        )
    return "".join(sections)
