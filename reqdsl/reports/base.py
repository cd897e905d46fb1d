"""What every report shares: the view-model base class, element references, the
citation index, and the neutral document (headings, paragraphs, tables) that the text and
Markdown renderers print.

Reports are data: a builder reads a loaded `Project` once and returns a frozen pydantic
model whose rows are ready for tables (strings, IDs and flags; nothing left to query). The
site renders the models with its own templates; the CLI prints `document()` through
`reqdsl.reports.text` or `reqdsl.reports.markdown`, or `to_json()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..i18n import N_, _
from ..model.elements import ModelElement
from ..model.project import Project


class ReportModel(BaseModel):
    """Base of every report model: immutable, and JSON-ready through `to_json()`."""

    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types only (str, int, bool, None, lists, dicts), in field order."""
        return self.model_dump(mode="json")


class ElementRef(ReportModel):
    """A link to an element, as the site needs it. `kind` is None when no element of the
    project has this ID (links count as written, so a report may name an unresolved one:
    SM002 reports it)."""

    id: str
    title: str | None = None
    kind: str | None = None
    path: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """`ID (Title)`, or the ID alone."""
        return f"{self.id} ({self.title})" if self.title else self.id


def element_ref(element: ModelElement) -> ElementRef:
    return ElementRef(
        id=element.id or "",
        title=element.title,
        kind=element.kind,
        path=element.path,
        line=element.anchor.line,
    )


def ref_to(project: Project, element_id: str) -> ElementRef:
    """A reference to the element with this ID (its first definition), resolved or not."""
    element = project.index.get(element_id)
    return element_ref(element) if element is not None else ElementRef(id=element_id)


def ids(refs: Iterable[ElementRef]) -> str:
    """`A, B, C` for a table cell ('' when empty)."""
    return ", ".join(ref.id for ref in refs)


class ProjectInfo(ReportModel):
    name: str  # `[project] name` of reqdsl.toml, else the folder's name
    version: str | None = None


def project_info(project: Project) -> ProjectInfo:
    name = project.config.name or project.root.resolve().name or "project"
    return ProjectInfo(name=name, version=project.config.version)


class Citations:
    """Which elements cite which compliance references, parents included: an element
    citing `gdpr:17(1)(b)` cites `gdpr:17(1)` and `gdpr:17` too (the rule of
    `CheckContext.cited()`, kept per element here). Built in one pass over the elements."""

    def __init__(self, project: Project, kinds: tuple[str, ...]) -> None:
        self._by_ref: dict[str, list[ModelElement]] = {}
        for element in project.live(*kinds):
            for ref in cited_refs(project, element):
                self._by_ref.setdefault(ref, []).append(element)

    def citing(self, ref: str, *kinds: str) -> list[ModelElement]:
        """Elements citing `ref` (`scheme:ref`), in project order; only `kinds` if given."""
        found = self._by_ref.get(ref, [])
        return [e for e in found if e.kind in kinds] if kinds else list(found)

    def refs_citing(self, ref: str, *kinds: str) -> list[ElementRef]:
        return [element_ref(element) for element in self.citing(ref, *kinds)]


def cited_refs(project: Project, element: ModelElement) -> list[str]:
    """Every `scheme:ref` an element's `compliance` cites, with the references each is
    part of, without repeats."""
    found: dict[str, None] = {}
    for value in element.refs("compliance"):
        if value.value is None:
            continue
        scheme, ref = value.value
        catalog = project.catalogs.get(scheme)
        parents = catalog.cited(ref) if catalog is not None else [ref]
        for parent in parents:
            found[f"{scheme}:{parent}"] = None
    return list(found)


# The neutral document that the text and Markdown renderers print.


class Table(ReportModel):
    columns: list[str]
    rows: list[list[str]]


class Block(ReportModel):
    """A heading with an optional paragraph and an optional table (`empty` is said when
    the table has no rows)."""

    title: str
    level: int = 2
    text: str | None = None
    table: Table | None = None
    empty: str = N_("None.")  # translated where it is shown


class Document(ReportModel):
    title: str
    blocks: list[Block]


def fields_table(pairs: Iterable[tuple[str, str | None]]) -> Table:
    """A two-column field/value table, for one record."""
    columns = [_("field"), _("value")]
    return Table(columns=columns, rows=[[name, value or ""] for name, value in pairs])
