"""The ISO/IEC 27001:2022 statement of applicability: every Annex A control with the
requirements and components citing it and its status.

Status, for each of the 93 controls:
- `excluded`: the control is a key of `[compliance.iso27001] excluded` in reqdsl.toml; the
  value is the justification. An exclusion wins over citations (which are still listed,
  and a note points out the contradiction).
- `addressed`: some requirement or component cites the control in `compliance`.
- `not-addressed`: neither.
An exclusion key that is not a control is reported in `notes`, with the closest controls.
"""

from __future__ import annotations

from typing import Literal

from ..catalogs import Iso27001Catalog, builtin_catalogs
from ..i18n import N_, _
from ..model.project import Project
from .base import (
    Block,
    Citations,
    Document,
    ElementRef,
    ProjectInfo,
    ReportModel,
    Table,
    ids,
    project_info,
)

Status = Literal["addressed", "not-addressed", "excluded"]
STATUSES: tuple[Status, ...] = ("addressed", "not-addressed", "excluded")
STATUS_LABELS = {
    "addressed": N_("addressed"),
    "not-addressed": N_("not addressed"),
    "excluded": N_("excluded"),
}


class ControlRow(ReportModel):
    id: str  # `A.8.24`
    ref: str  # `iso27001:A.8.24`
    title: str
    theme: str  # `technological`
    theme_id: str  # `A.8`
    status: Status
    justification: str | None  # the exclusion's, from reqdsl.toml
    requirements: list[ElementRef]
    components: list[ElementRef]


class ThemeSummary(ReportModel):
    theme_id: str
    theme: str
    total: int
    addressed: int
    not_addressed: int
    excluded: int


class SoaReport(ReportModel):
    report: Literal["soa"] = "soa"
    project: ProjectInfo
    controls: list[ControlRow]
    themes: list[ThemeSummary]  # per theme, then the total as theme_id "all"
    notes: list[str]

    def document(self) -> Document:
        return _document(self)


def _catalog(project: Project) -> Iso27001Catalog:
    catalog = project.catalogs.get("iso27001")
    if not isinstance(catalog, Iso27001Catalog):  # a custom scheme may not replace it
        catalog = builtin_catalogs()["iso27001"]
    assert isinstance(catalog, Iso27001Catalog)
    return catalog


def build_soa_report(project: Project) -> SoaReport:
    catalog = _catalog(project)
    citations = Citations(project, ("requirement", "component"))
    excluded = project.config.iso27001_excluded
    notes = _unknown_exclusions(catalog, excluded)
    controls = []
    for entry in catalog.entries():
        ref = f"iso27001:{entry.ref}"
        requirements = citations.refs_citing(ref, "requirement")
        components = citations.refs_citing(ref, "component")
        status: Status = "addressed" if requirements or components else "not-addressed"
        if entry.ref in excluded:
            if status == "addressed":
                notes.append(
                    f"{entry.ref} is excluded in reqdsl.toml but cited by "
                    f"{ids([*requirements, *components])}"
                )
            status = "excluded"
        controls.append(
            ControlRow(
                id=entry.ref,
                ref=ref,
                title=entry.title,
                theme=entry.details["theme"],
                theme_id=entry.details["theme_id"],
                status=status,
                justification=excluded.get(entry.ref),
                requirements=requirements,
                components=components,
            )
        )
    return SoaReport(
        project=project_info(project),
        controls=controls,
        themes=_summaries(catalog, controls),
        notes=notes,
    )


def _unknown_exclusions(catalog: Iso27001Catalog, excluded: dict[str, str]) -> list[str]:
    notes = []
    for key in excluded:
        if key in catalog:
            continue
        hint = catalog.suggestions(key)
        closest = f"; did you mean {', '.join(hint)}?" if hint else ""
        notes.append(
            f"reqdsl.toml excludes `{key}`, which is not an ISO/IEC 27001:2022 control{closest}"
        )
    return notes


def _summary(theme_id: str, theme: str, rows: list[ControlRow]) -> ThemeSummary:
    return ThemeSummary(
        theme_id=theme_id,
        theme=theme,
        total=len(rows),
        addressed=sum(1 for row in rows if row.status == "addressed"),
        not_addressed=sum(1 for row in rows if row.status == "not-addressed"),
        excluded=sum(1 for row in rows if row.status == "excluded"),
    )


def _summaries(catalog: Iso27001Catalog, controls: list[ControlRow]) -> list[ThemeSummary]:
    summaries = [
        _summary(theme_id, theme, [row for row in controls if row.theme_id == theme_id])
        for theme_id, theme in catalog.themes().items()
    ]
    summaries.append(_summary("all", N_("all themes"), controls))
    return summaries


def _document(report: SoaReport) -> Document:
    name = report.project.name
    blocks = [
        Block(
            title=_("Summary"),
            table=Table(
                columns=[
                    _("theme"),
                    _("controls"),
                    _("addressed"),
                    _("not addressed"),
                    _("excluded"),
                ],
                rows=[
                    [
                        _(s.theme) if s.theme_id == "all" else f"{s.theme_id} {s.theme}",
                        str(s.total),
                        str(s.addressed),
                        str(s.not_addressed),
                        str(s.excluded),
                    ]
                    for s in report.themes
                ],
            ),
        ),
    ]
    if report.notes:
        blocks.append(
            Block(
                title=_("Notes"),
                table=Table(columns=[_("note")], rows=[[note] for note in report.notes]),
            )
        )
    blocks.append(
        Block(
            title=_("Controls"),
            table=Table(
                columns=[
                    _("control"),
                    _("title"),
                    _("theme"),
                    _("status"),
                    _("requirements"),
                    _("components"),
                    _("justification"),
                ],
                rows=[
                    [
                        c.id,
                        c.title,
                        c.theme,
                        _(STATUS_LABELS[c.status]),
                        ids(c.requirements),
                        ids(c.components),
                        c.justification or "",
                    ]
                    for c in report.controls
                ],
            ),
        )
    )
    title = _("ISO/IEC 27001:2022 statement of applicability: {name}").format(name=name)
    return Document(title=title, blocks=blocks)
