"""The ISO/IEC 27001:2022 statement of applicability: every Annex A control with the
requirements and components citing it and its status.

Status, for each of the 93 controls:
- `excluded`: the control is a key of `[compliance.iso27001] excluded` in reqdsl.toml; the
  value is the justification. An exclusion wins over citations (which are still listed,
  and a note points out the contradiction).
- `addressed`: some requirement or component cites the control in `compliance`.
- `not-addressed`: neither.
An exclusion key that is not a control is reported in `notes`, with the closest controls.

What an SoA states per control (ISO/IEC 27001:2022, 6.1.3 d)) is derived too:
- `applicability`: `applicable` when cited, `excluded` when excluded (the exclusion
  wins; IS001 reports the contradiction), `not-decided` otherwise;
- `inclusion`: the justification for including it: the citing requirements and
  components, the threats those requirements mitigate, and the other obligations
  (`gdpr:32(1)(a)`, a custom catalogue's references) they cite;
- `implementation`: from the citing requirements' `status` and test results
  (reqdsl.model.facts.implementation), None when the control is not applicable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from ..catalogs import Iso27001Catalog, builtin_catalogs
from ..i18n import N_, _, format_count
from ..model.elements import ModelElement
from ..model.facts.implementation import IMPLEMENTATION_LABELS, Implementation, implementation
from ..model.facts.trace import TraceFacts, trace_facts
from ..model.project import Project
from .base import (
    Block,
    Citations,
    Document,
    ElementRef,
    ProjectInfo,
    ReportModel,
    Table,
    element_ref,
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
Applicability = Literal["applicable", "excluded", "not-decided"]
APPLICABILITY = {"addressed": "applicable", "excluded": "excluded", "not-addressed": "not-decided"}
APPLICABILITY_LABELS = {
    "applicable": N_("applicable"),
    "excluded": N_("excluded"),
    "not-decided": N_("not decided"),
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
    applicability: Applicability
    threats: list[ElementRef]  # threats the citing requirements mitigate
    obligations: list[str]  # other references the citing requirements cite
    inclusion: str | None  # the justification for inclusion, in one sentence
    implementation: Implementation | None  # None when not applicable

    @property
    def implementation_label(self) -> str:
        return IMPLEMENTATION_LABELS[self.implementation] if self.implementation else ""


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
    # Applicable controls per implementation status (every status, 0 included).
    implementation: dict[str, int]
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
    facts = trace_facts(project)
    controls = []
    for entry in catalog.entries():
        ref = f"iso27001:{entry.ref}"
        citing = citations.citing(ref, "requirement")
        requirements = [element_ref(element) for element in citing]
        components = citations.refs_citing(ref, "component")
        status: Status = "addressed" if requirements or components else "not-addressed"
        if entry.ref in excluded:
            if status == "addressed":
                notes.append(
                    f"{entry.ref} is excluded in reqdsl.toml but cited by "
                    f"{ids([*requirements, *components])}"
                )
            status = "excluded"
        threats = _threats(project, citing)
        obligations = _obligations(project, citing)
        applicable = status == "addressed"
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
                applicability=APPLICABILITY[status],  # type: ignore[arg-type]
                threats=threats,
                obligations=obligations,
                inclusion=_inclusion(requirements, components, threats, obligations)
                if applicable
                else None,
                implementation=_implementation(facts, citing) if applicable else None,
            )
        )
    return SoaReport(
        project=project_info(project),
        controls=controls,
        themes=_summaries(catalog, controls),
        implementation={
            key: sum(1 for c in controls if c.implementation == key)
            for key in IMPLEMENTATION_LABELS
        },
        notes=notes,
    )


def _threats(project: Project, citing: list[ModelElement]) -> list[ElementRef]:
    """The threats the citing requirements mitigate, as written, first mention first."""
    found: dict[str, ElementRef] = {}
    for element in citing:
        for value in element.refs("mitigates"):
            if value.raw not in found:
                target = project.index.get(value.raw)
                found[value.raw] = element_ref(target) if target else ElementRef(id=value.raw)
    return list(found.values())


def _obligations(project: Project, citing: list[ModelElement]) -> list[str]:
    """The references other than ISO/IEC 27001 that the citing requirements cite: the
    legal and contractual obligations the control serves (`gdpr:32(1)(a)`)."""
    found: dict[str, None] = {}
    for element in citing:
        for value in element.refs("compliance"):
            if value.value is not None and value.value[0] != "iso27001":
                found[value.raw] = None
    return list(found)


def _inclusion_in_language(control: ControlRow) -> str:
    """`control.inclusion` in the reader's language ("" for a control not applicable)."""
    if control.inclusion is None:
        return ""
    return _inclusion(
        control.requirements, control.components, control.threats, control.obligations, _
    )


def _inclusion(
    requirements: list[ElementRef],
    components: list[ElementRef],
    threats: list[ElementRef],
    obligations: list[str],
    say: Callable[[str], str] = N_,
) -> str:
    """Why a control is included, in one sentence: in English for the JSON (`say` keeps
    the message), in the reader's language for documents (`say` is gettext)."""
    parts = []
    if requirements:
        parts.append(say(N_("required by {refs}")).format(refs=ids(requirements)))
    if components:
        parts.append(say(N_("built into {refs}")).format(refs=ids(components)))
    if threats:
        parts.append(say(N_("counters {refs}")).format(refs=ids(threats)))
    if obligations:
        parts.append(say(N_("serves {obligations}")).format(obligations=", ".join(obligations)))
    return "; ".join(parts)


def _implementation(facts: TraceFacts, citing: list[ModelElement]) -> Implementation:
    """From the citing requirements; cited by components alone, a control is planned
    (a design element says where it goes, not that it works)."""
    return implementation(facts, citing)


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
                        format_count(s.total),
                        format_count(s.addressed),
                        format_count(s.not_addressed),
                        format_count(s.excluded),
                    ]
                    for s in report.themes
                ],
            ),
        ),
        Block(
            title="Implementation of the applicable controls",
            text="From the citing requirements' status and test results: implemented and "
            "verified when every citing requirement's automated tests passed.",
            table=Table(
                columns=[_("implementation"), _("controls")],
                rows=[
                    [_(IMPLEMENTATION_LABELS[key]), format_count(count)]
                    for key, count in report.implementation.items()
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
                    _("applicability"),
                    _("justification"),
                    _("implementation"),
                ],
                rows=[
                    [
                        c.id,
                        c.title,
                        c.theme,
                        _(APPLICABILITY_LABELS[c.applicability]),
                        c.justification or _inclusion_in_language(c),
                        _(c.implementation_label),
                    ]
                    for c in report.controls
                ],
            ),
        )
    )
    title = _("ISO/IEC 27001:2022 statement of applicability: {name}").format(name=name)
    return Document(title=title, blocks=blocks)
