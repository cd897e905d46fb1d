"""Reports as data: GDPR record of processing, ISO/IEC 27001 statement of applicability,
threat register and STRIDE/LINDDUN suggestions.

Each builder reads a loaded `Project` (checks need not have run, and errors in the model
do not stop a report) and returns a frozen pydantic model:

    report = build_report("gdpr", project)      # or build_gdpr_report(project), ...
    report.to_json()                             # plain JSON data
    render_report(report, "markdown")            # "text", "json" or "markdown"

The site renders the models with its own templates and escapes user text with
`reqdsl.reports.markdown.escape_markdown`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model.project import Project
from .base import Document, ElementRef, ReportModel
from .gdpr import GdprReport, build_gdpr_report
from .markdown import escape_markdown, render_markdown
from .risk import risk_level
from .soa import SoaReport, build_soa_report
from .text import render_text
from .threats import ThreatReport, build_threat_report

Report = GdprReport | SoaReport | ThreatReport
BUILDERS: dict[str, Callable[[Project], Report]] = {
    "gdpr": build_gdpr_report,
    "soa": build_soa_report,
    "threats": build_threat_report,
}
REPORT_NAMES = tuple(BUILDERS)
FORMATS = ("text", "json", "markdown")


def build_report(name: str, project: Project) -> Report:
    """The report called `name` (one of REPORT_NAMES); KeyError for any other name."""
    return BUILDERS[name](project)


def render_report(report: Report, output_format: str) -> str:
    """`report` as text, JSON or Markdown (ValueError for another format)."""
    if output_format == "json":  # as json.dumps(report.to_json(), indent=2), but fast
        return report.model_dump_json(indent=2) + "\n"
    if output_format == "markdown":
        return render_markdown(report.document())
    if output_format == "text":
        return render_text(report.document())
    raise ValueError(f"unknown report format `{output_format}`; use one of {', '.join(FORMATS)}")


__all__ = [
    "BUILDERS",
    "FORMATS",
    "REPORT_NAMES",
    "Document",
    "ElementRef",
    "GdprReport",
    "Report",
    "ReportModel",
    "SoaReport",
    "ThreatReport",
    "build_gdpr_report",
    "build_report",
    "build_soa_report",
    "build_threat_report",
    "escape_markdown",
    "render_markdown",
    "render_report",
    "render_text",
    "risk_level",
]
