"""`reqdsl export --format json`: every element with its fields, links both ways and
source location, plus the coverage summary (and test results when reports are given).

The shape is defined by the pydantic models below; `json_schema()` is the JSON Schema
(draft 2020-12) generated from them, published in docs/interop.md (a test keeps the
page and the models in step). Field values are given as written in the `.req` file:
a text, or a list of texts for list fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .. import __version__
from ..diagnostics import Summary
from ..model.elements import ModelElement
from ..model.project import Project
from .junit import JunitResults, automated_results, verification_statuses
from .model_view import TEXT_FIELD, FieldValue, LinkIndex, field_values, steps_source

FORMAT_VERSION = 1


class Location(BaseModel):
    """Where the element is written: path relative to the project, 1-based lines and
    columns of its whole text."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


class LinkOut(BaseModel):
    field: str = Field(description="the field that holds the link, on the linking element")
    id: str = Field(description="the element at the other end")
    kind: str | None = Field(description="that element's kind; null when the ID is unknown")
    resolved: bool


class Links(BaseModel):
    outgoing: list[LinkOut] = Field(description="IDs this element names in its fields")
    incoming: list[LinkOut] = Field(description="elements that name this one (back-links)")


class DataAttribute(BaseModel):
    name: str
    type: str
    multiplicity: str | None
    flags: list[str]


class TestResult(BaseModel):
    status: Literal["passed", "failed", "skipped", "not-run"]
    message: str | None = None


class Verification(BaseModel):
    status: Literal["failed", "not-run", "skipped", "passed", "not-automated", "untested"]
    tests: dict[str, str] = Field(description="test ID -> its status or not-automated")


class ElementOut(BaseModel):
    id: str | None = Field(description="null for terms, text blocks and sections without ID")
    kind: str
    title: str | None
    statement: str | None = Field(
        None, description="a requirement's or goal's statement, a term's definition"
    )
    document: str | None
    level: str | None = Field(description="stakeholder, system or software (requirements)")
    section: list[str] = Field(description="titles of the enclosing sections, outermost first")
    parent: str | None = Field(description="a criterion's or option's decision")
    fields: dict[str, FieldValue] = Field(description="every field given, as written")
    custom: list[str] = Field(description="which of `fields` are declared in reqdsl.toml")
    attributes: list[DataAttribute] = []
    steps: str | None = Field(None, description="scenario or activity steps, as written")
    body: str | None = Field(None, description="a text block's Markdown")
    broken: bool = Field(False, description="has a syntax error: only its ID and kind count")
    links: Links
    location: Location
    test_result: TestResult | None = Field(None, description="automated tests, with reports")
    verification: Verification | None = Field(None, description="requirements, with reports")


class ProjectInfo(BaseModel):
    name: str | None
    version: str | None
    files: int
    errors: int
    warnings: int


class Export(BaseModel):
    """The whole export."""

    format: Literal["reqdsl-export"] = "reqdsl-export"
    format_version: int = FORMAT_VERSION
    generator: str
    project: ProjectInfo
    coverage: dict[str, float | None] = Field(
        description="percentages, as `reqdsl check` computes; null when the figure measures "
        "nothing (0 of 0), never 100"
    )
    test_reports: list[str] = Field(description="the JUnit reports read, if any")
    elements: list[ElementOut]


def json_schema() -> dict[str, Any]:
    schema = Export.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "reqdsl export"
    return schema


def _link(project: Project, field: str, other: str) -> LinkOut:
    found = project.index.get(other)
    return LinkOut(field=field, id=other, kind=found.kind if found else None, resolved=bool(found))


def _element(
    project: Project,
    element: ModelElement,
    links: LinkIndex,
    extras: dict[str, Any],
) -> ElementOut:
    span = element.span
    fields = field_values(element)
    text_field = TEXT_FIELD.get(element.kind)
    statement = fields.get(text_field) if text_field else None
    first = element.id is not None and project.index.get(element.id) is element
    outgoing = links.outgoing(element.id) if first and element.id else []
    incoming = links.incoming(element.id) if first and element.id else []
    return ElementOut(
        id=element.id,
        kind=element.kind,
        title=element.title,
        statement=statement if isinstance(statement, str) else None,
        document=element.document,
        level=element.level,
        section=list(element.section),
        parent=element.parent,
        fields=fields,
        custom=list(element.custom),
        attributes=[
            DataAttribute(
                name=a.name,
                type=a.type,
                multiplicity=a.multiplicity,
                flags=[flag.name for flag in a.flags],
            )
            for a in element.attributes
        ],
        steps=steps_source(project, element),
        body=element.body,
        broken=element.broken,
        links=Links(
            outgoing=[_link(project, link.field, link.target) for link in outgoing],
            incoming=[_link(project, link.field, link.source) for link in incoming],
        ),
        location=Location(
            path=element.path,
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
        ),
        **(extras.get(element.id or "", {}) if first else {}),
    )


def build_export(project: Project, summary: Summary, results: JunitResults | None = None) -> Export:
    links = LinkIndex(project)
    extras: dict[str, dict[str, Any]] = {}
    if results is not None:
        for test_id, result in automated_results(project, results).items():
            extras.setdefault(test_id, {})["test_result"] = TestResult(
                status=result.status, message=result.message
            )
        for requirement_id, checked in verification_statuses(project, results).items():
            extras.setdefault(requirement_id, {})["verification"] = Verification(
                status=checked.status, tests=dict(checked.tests)
            )
    return Export(
        generator=f"reqdsl {__version__}",
        project=ProjectInfo(
            name=project.config.name,
            version=project.config.version,
            files=summary.files,
            errors=summary.errors,
            warnings=summary.warnings,
        ),
        coverage=dict(summary.coverage or {}),
        test_reports=list(results.reports) if results is not None else [],
        elements=[_element(project, element, links, extras) for element in project.elements],
    )


def export_json(project: Project, summary: Summary, results: JunitResults | None = None) -> str:
    export = build_export(project, summary, results)
    return export.model_dump_json(indent=2) + "\n"
