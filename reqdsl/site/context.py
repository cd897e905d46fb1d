"""What every page generator reads: the checked project, its diagnostics placed on the
elements they are about, the site index, diagrams, test results and the reports.

Built once per generation; page generators only read it (they are pure functions of it).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity, Summary
from ..i18n import N_
from ..model.elements import ModelElement
from ..model.project import Project
from .diagrams import SiteDiagrams
from .html import esc, esc_code_spans, esc_lines
from .index import SiteIndex
from .junit import TestResults
from .textblock import TextBlockRenderer

if TYPE_CHECKING:
    from ..interop.diff import ProjectDiff
    from ..reports import GdprReport, SoaReport, ThreatReport
    from .page_cache import PageCache

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
FAMILIES = {
    "SY": N_("syntax"),
    "SM": N_("semantics"),
    "QU": N_("quality"),
    "TR": N_("traceability"),
    "GD": N_("GDPR"),
    "TM": N_("threat model"),
    "DE": N_("decisions"),
    "RV": N_("reviews"),
}


@dataclass
class SiteContext:
    project: Project
    diagnostics: list[Diagnostic]
    summary: Summary
    diagrams: SiteDiagrams = field(default_factory=SiteDiagrams)
    tests: TestResults = field(default_factory=TestResults)
    baseline: tuple[str, ProjectDiff] | None = None  # (revision, diff) of --baseline
    page_cache: PageCache | None = None  # document pages kept from the previous build
    index: SiteIndex = field(init=False)
    text: TextBlockRenderer = field(init=False)
    by_element: dict[int, list[Diagnostic]] = field(init=False)  # element order -> found
    unplaced: list[Diagnostic] = field(init=False)  # about no element (reqdsl.toml, ...)
    element_of: dict[int, ModelElement] = field(init=False)  # id(diagnostic) -> element
    by_file: dict[str, list[ModelElement]] = field(init=False)  # path -> its elements

    def __post_init__(self) -> None:
        self.index = SiteIndex.build(self.project)
        self.text = TextBlockRenderer()
        self._place_diagnostics()

    def _place_diagnostics(self) -> None:
        """Each diagnostic goes to the innermost element whose text holds its start."""
        by_file: dict[str, list[ModelElement]] = {}
        for each in self.project.elements:
            by_file.setdefault(each.path, []).append(each)
        self.by_file = by_file
        starts = {
            path: [(e.span.line, e.span.column) for e in elements]
            for path, elements in by_file.items()
        }
        heads = {
            path: next((e for e in elements if e.kind == "document"), None)
            for path, elements in by_file.items()
        }
        self.by_element, self.unplaced, self.element_of = {}, [], {}
        for diagnostic in sorted(self.diagnostics, key=Diagnostic.sort_key):
            element: ModelElement | None = _innermost(
                by_file.get(diagnostic.path, []), starts.get(diagnostic.path, []), diagnostic
            ) or heads.get(diagnostic.path)  # between elements: the file's document
            if element is None:
                self.unplaced.append(diagnostic)
                continue
            self.by_element.setdefault(element.order, []).append(diagnostic)
            self.element_of[id(diagnostic)] = element

    # ---------------------------------------------------------------- reports

    @cached_property
    def gdpr(self) -> GdprReport:
        from ..reports import build_gdpr_report

        return build_gdpr_report(self.project)

    @cached_property
    def soa(self) -> SoaReport:
        from ..reports import build_soa_report

        return build_soa_report(self.project)

    @cached_property
    def threats(self) -> ThreatReport:
        from ..reports import build_threat_report

        return build_threat_report(self.project)

    def weighted_totals(self, decision: ModelElement) -> dict[str, Decimal]:
        from ..model.facts.decisions import weighted_totals

        return weighted_totals(decision, self.project)

    # ---------------------------------------------------------------- helpers

    def text_html(self, page: str, text: str) -> str:
        """A `.req` text block as safe HTML; `#ID` links point at the element's home."""
        return self.text.render(text, lambda anchor: self.index.href_id(page, anchor))

    def field_text_html(self, page: str, element: ModelElement, name: str) -> str:
        """A text field as HTML: a text block as Markdown, a string escaped; '' if absent."""
        value = element.value(name)
        if value is None:
            return ""
        if value.block:
            return f'<div class="rq-text">{self.text_html(page, value.raw)}</div>'
        return esc_lines(value.raw)

    def diagnostics_html(self, page: str, found: list[Diagnostic]) -> str:
        if not found:
            return ""
        items = "".join(self.diagnostic_item(page, d, with_element=False) for d in found)
        return f'<ul class="rq-diagnostics">{items}</ul>'

    def diagnostic_item(self, page: str, diagnostic: Diagnostic, *, with_element: bool) -> str:
        severity = diagnostic.severity.value
        where = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
        parts = [
            f'<span class="rq-badge rq-{severity}">{severity}</span> ',
            f'<code class="rq-code">{esc(diagnostic.code)}</code> ',
        ]
        if with_element:
            element = self.element_of.get(id(diagnostic))
            if element is not None and self.index.anchor_of(element) is not None:
                parts.append(self.index.ref(page, element.id or "") + " ")
        parts.append(f"{esc_code_spans(diagnostic.message)} ")
        parts.append(f'<span class="rq-where">{esc(where)}</span>')
        if diagnostic.hint:
            parts.append(f'<br><span class="rq-hint">{esc_code_spans(diagnostic.hint)}</span>')
        return f'<li class="rq-diag rq-diag-{severity}">{"".join(parts)}</li>'


def _innermost(
    elements: list[ModelElement], starts: list[tuple[int, int]], diagnostic: Diagnostic
) -> ModelElement | None:
    point = (diagnostic.span.line, diagnostic.span.column)
    position = bisect.bisect_right(starts, point) - 1
    while position >= 0:
        element = elements[position]
        end = (element.span.end_line, element.span.end_column)
        if point < end or (element.span.line, element.span.column) == point:
            return element
        position -= 1
    return None


def family_of(code: str) -> str:
    return FAMILIES.get(code[:2], code[:2])
