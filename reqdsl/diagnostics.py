"""One diagnostic model; text, JSON, SARIF and LSP are renderings of it.

Rules and the parser return `Diagnostic` objects and never print (TRLC's rule: "do not
use your own print statements"). A diagnostic names its file by the path relative to the
project folder, with `/` separators, and carries a `Span` with 1-based lines and columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .source import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Related:
    """Another place that explains the diagnostic (the first of two duplicates, say)."""

    message: str
    path: str
    span: Span


@dataclass(frozen=True)
class Fix:
    """A suggested edit: replace `span` in `path` by `replacement` (may be empty)."""

    description: str
    path: str
    span: Span
    replacement: str


@dataclass
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: str
    span: Span
    hint: str | None = None
    related: list[Related] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Diagnostic:
        """The inverse of `to_json` (offsets are not kept: 0)."""

        def span(item: dict[str, Any]) -> Span:
            return Span(0, 0, item["line"], item["column"], item["end_line"], item["end_column"])

        return cls(
            code=data["code"],
            severity=Severity(data["severity"]),
            message=data["message"],
            path=data["path"],
            span=span(data),
            hint=data.get("hint"),
            related=[Related(r["message"], r["path"], span(r)) for r in data.get("related", [])],
            fixes=[
                Fix(f["description"], f["path"], span(f), f["replacement"])
                for f in data.get("fixes", [])
            ],
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)

    def to_json(self) -> dict[str, object]:
        """The spec's JSON shape (section 5), plus optional hint/related/fixes."""
        data: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
        }
        if self.hint:
            data["hint"] = self.hint
        if self.related:
            data["related"] = [
                {
                    "message": r.message,
                    "path": r.path,
                    "line": r.span.line,
                    "column": r.span.column,
                    "end_line": r.span.end_line,
                    "end_column": r.span.end_column,
                }
                for r in self.related
            ]
        if self.fixes:
            data["fixes"] = [
                {
                    "description": f.description,
                    "path": f.path,
                    "line": f.span.line,
                    "column": f.span.column,
                    "end_line": f.span.end_line,
                    "end_column": f.span.end_column,
                    "replacement": f.replacement,
                }
                for f in self.fixes
            ]
        return data


@dataclass(frozen=True)
class RuleInfo:
    """What a renderer needs to know of a rule (SARIF's rule table, the docs' reference)."""

    code: str
    name: str
    severity: Severity
    summary: str
    description: str = ""


@dataclass
class Summary:
    """The `summary` object of the JSON report and the last line of the text report."""

    files: int = 0
    elements: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    coverage: dict[str, float | None] | None = None  # None: n/a, nothing to measure
    # Findings not reported because only a syntax error caused them (reqdsl.checks.withheld).
    withheld: int = 0

    @classmethod
    def count(
        cls,
        diagnostics: list[Diagnostic],
        files: int,
        elements: int,
        coverage: dict[str, float | None] | None = None,
        withheld: int = 0,
    ) -> Summary:
        summary = cls(files=files, elements=elements, coverage=coverage, withheld=withheld)
        for diagnostic in diagnostics:
            if diagnostic.severity is Severity.ERROR:
                summary.errors += 1
            elif diagnostic.severity is Severity.WARNING:
                summary.warnings += 1
            else:
                summary.infos += 1
        return summary

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "files": self.files,
            "elements": self.elements,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
        }
        if self.coverage is not None:
            data["coverage"] = dict(self.coverage)
        if self.withheld:
            data["withheld"] = self.withheld
        return data
