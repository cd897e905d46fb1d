"""The threat report: the register (one row per threat, with its ATT&CK techniques, risk
level, status and mitigating requirements with their verification status), the
likelihood x impact matrix, and the STRIDE-per-element / LINDDUN suggestions.

A mitigating requirement is one whose `mitigates` names the threat (as written); it is
verified when some `test` element `verifies` it, and `passed` when its automated tests all
passed in the JUnit reports read (reqdsl.model.facts.implementation). A threat marked
`mitigated` is "mitigated and verified" only when every mitigating requirement passed;
otherwise "mitigation not verified". The residual risk is the rating after mitigation
(`residual-likelihood` x `residual-impact`), shown beside the initial one. A threat is
handled as the `mitigation` coverage figure counts it: mitigated by a requirement, or
accepted, transferred or not-applicable with a justification. The risk matrix is
defined in `reqdsl.reports.risk`.
"""

from __future__ import annotations

from typing import Literal

from ..catalogs import AttackCatalog, attack_catalog
from ..i18n import N_, _, format_count, plural
from ..labels import word_label
from ..model.elements import ModelElement
from ..model.facts.implementation import evidence
from ..model.facts.trace import TraceFacts, threat_handled, trace_facts
from ..model.project import Project
from ..model.schema import RATINGS, inverse_label
from .base import (
    Block,
    Document,
    ElementRef,
    ProjectInfo,
    ReportModel,
    Table,
    element_ref,
    ids,
    project_info,
    ref_to,
)
from .risk import RISK_LEVELS, risk_level, risk_score
from .stride import (
    CategoryRow,
    ElementSuggestions,
    build_suggestions,
    category_info,
    category_rows,
    element_type,
)


class Technique(ReportModel):
    id: str  # `T1110.004`
    name: str  # `Brute Force: Credential Stuffing`; '' when not in the catalogue
    tactics: list[str]
    known: bool  # an active technique of the catalogue (else SM008 reports it)


class Mitigation(ReportModel):
    requirement: ElementRef
    verified: bool  # some test verifies the requirement
    tests: list[ElementRef]
    # True: its automated tests all passed; False: one failed, was skipped or did not
    # run; None: no automated test result was read.
    passed: bool | None = None


MitigationState = Literal["verified", "not-verified"]
MITIGATION_STATE_LABELS = {
    "verified": N_("mitigated and verified"),
    "not-verified": N_("mitigation not verified"),
}


class ThreatRow(ReportModel):
    threat: ElementRef
    category: str | None
    family: Literal["STRIDE", "LINDDUN"] | None
    category_label: str | None
    target: ElementRef | None
    target_kind: str | None  # the target's element kind: actor, component, flow, data
    target_type: str | None  # external entity, process, data store, data flow, data
    attack: list[Technique]
    likelihood: str | None
    impact: str | None
    risk_score: int | None  # likelihood x impact, 1 to 16
    risk: str | None  # low, medium, high, critical; None when unrated
    status: str | None  # as written; None when unset (the rules read it as open)
    justification: str | None
    mitigations: list[Mitigation]
    handled: bool
    # Status `mitigated` only: every mitigating requirement passed its tests, or not.
    mitigation_state: MitigationState | None = None
    residual_likelihood: str | None = None
    residual_impact: str | None = None
    residual_score: int | None = None
    residual_risk: str | None = None  # low to critical; None when not rated

    @property
    def status_label(self) -> str:
        """The status as the register shows it: `mitigated` split by its evidence."""
        if self.mitigation_state is not None:
            return MITIGATION_STATE_LABELS[self.mitigation_state]
        return self.status or "unset"


class MatrixCell(ReportModel):
    impact: str
    risk: str
    threats: list[str]


class MatrixRow(ReportModel):
    likelihood: str
    cells: list[MatrixCell]  # impact low to critical


class ThreatReport(ReportModel):
    report: Literal["threats"] = "threats"
    project: ProjectInfo
    threats: list[ThreatRow]  # the register, in project order
    matrix: list[MatrixRow]  # likelihood critical (top) to low (bottom)
    risk_counts: dict[str, int]  # low, medium, high, critical, unrated
    categories: list[CategoryRow]  # the STRIDE/LINDDUN-per-element table
    suggestions: list[ElementSuggestions]

    def document(self) -> Document:
        return _document(self)


def build_threat_report(project: Project) -> ThreatReport:
    tests = project.back_links("test", "verifies")
    mitigators = project.back_links("requirement", "mitigates")
    mitigated = set(mitigators)
    attack = attack_catalog()
    facts = trace_facts(project)
    register = [
        _row(project, attack, threat, mitigators.get(threat.id or "", []), tests, mitigated, facts)
        for threat in project.live("threat")
    ]
    counts = {level: 0 for level in (*RISK_LEVELS, "unrated")}
    for row in register:
        counts[row.risk or "unrated"] += 1
    return ThreatReport(
        project=project_info(project),
        threats=register,
        matrix=_matrix(register),
        risk_counts=counts,
        categories=category_rows(),
        suggestions=build_suggestions(project),
    )


def _technique(attack: AttackCatalog, technique_id: str) -> Technique:
    entry = attack.lookup(technique_id)
    tactics = entry.details.get("tactics", "") if entry is not None else ""
    return Technique(
        id=technique_id,
        name=attack.full_name(technique_id),
        tactics=[t.strip() for t in tactics.split(",") if t.strip()],
        known=entry is not None,
    )


def _target_type(target: ModelElement | None) -> str | None:
    if target is None:
        return None
    return "data" if target.kind == "data" else element_type(target)


def _row(
    project: Project,
    attack: AttackCatalog,
    threat: ModelElement,
    requirements: list[ModelElement],
    tests: dict[str, list[ModelElement]],
    mitigated: set[str],
    facts: TraceFacts,
) -> ThreatRow:
    category = threat.word("category")
    info = category_info().get(category or "")
    target_id = threat.word("target")
    target = project.index.get(target_id) if target_id is not None else None
    likelihood, impact = threat.word("likelihood"), threat.word("impact")
    mitigations = [
        Mitigation(
            requirement=element_ref(requirement),
            verified=bool(tests.get(requirement.id or "")),
            tests=[element_ref(test) for test in tests.get(requirement.id or "", [])],
            passed=evidence(facts, requirement),
        )
        for requirement in requirements
    ]
    state: MitigationState | None = None
    if threat.word("status") == "mitigated":
        proven = bool(mitigations) and all(m.passed is True for m in mitigations)
        state = "verified" if proven else "not-verified"
    after = threat.word("residual-likelihood"), threat.word("residual-impact")
    return ThreatRow(
        threat=element_ref(threat),
        category=category,
        family=info.family if info else None,
        category_label=info.label if info else None,
        target=ref_to(project, target_id) if target_id is not None else None,
        target_kind=target.kind if target is not None else None,
        target_type=_target_type(target),
        attack=[_technique(attack, value.raw) for value in threat.refs("attack")],
        likelihood=likelihood,
        impact=impact,
        risk_score=risk_score(likelihood, impact),
        risk=risk_level(likelihood, impact),
        status=threat.word("status"),
        justification=threat.word("justification"),
        mitigations=mitigations,
        handled=threat_handled(threat, mitigated),
        mitigation_state=state,
        residual_likelihood=after[0],
        residual_impact=after[1],
        residual_score=risk_score(*after),
        residual_risk=risk_level(*after),
    )


def _matrix(register: list[ThreatRow]) -> list[MatrixRow]:
    rows = []
    for likelihood in reversed(RATINGS):
        cells = []
        for impact in RATINGS:
            level = risk_level(likelihood, impact)
            assert level is not None
            threats = [
                row.threat.id
                for row in register
                if row.likelihood == likelihood and row.impact == impact
            ]
            cells.append(MatrixCell(impact=impact, risk=level, threats=threats))
        rows.append(MatrixRow(likelihood=likelihood, cells=cells))
    return rows


# Rendering as a neutral document (text and Markdown).


def _mitigation_cell(row: ThreatRow) -> str:
    parts = []
    for mitigation in row.mitigations:
        state = (
            f"{_(inverse_label('verifies'))} {ids(mitigation.tests)}"
            if mitigation.verified
            else _("no test")
        )
        if mitigation.passed is not None:
            state += ", passed" if mitigation.passed else ", failed"
        parts.append(f"{mitigation.requirement.id} ({state})")
    return "; ".join(parts)


def _register_table(report: ThreatReport) -> Table:
    rows = []
    for row in report.threats:
        category = row.category or ""
        if row.family:
            category += f" ({row.family})"
        target = ""
        if row.target is not None:
            target = row.target.id + (f" ({_(row.target_type)})" if row.target_type else "")
        attack = "; ".join(f"{t.id} {t.name}".strip() for t in row.attack)
        rating = f"{word_label(row.likelihood or '?')} x {word_label(row.impact or '?')}"
        residual = ""
        if row.residual_likelihood or row.residual_impact:
            residual = (
                f"{word_label(row.residual_likelihood or '?')} x "
                f"{word_label(row.residual_impact or '?')}"
            )
            residual += f" ({word_label(row.residual_risk)})" if row.residual_risk else ""
        rows.append(
            [
                row.threat.id,
                row.threat.title or "",
                category,
                target,
                attack,
                rating,
                word_label(row.risk or "unrated"),
                residual,
                _(row.status_label),
                _mitigation_cell(row),
                row.justification or "",
            ]
        )
    columns = [_("threat"), _("title"), _("category"), _("target"), "ATT&CK",
               _("likelihood x impact"), _("risk"), _("residual risk"), _("status"),
               _(inverse_label("mitigates")), _("justification")]  # fmt: skip
    return Table(columns=columns, rows=rows)


def _matrix_table(report: ThreatReport) -> Table:
    rows = []
    for matrix_row in report.matrix:
        cells = [
            f"{word_label(cell.risk)}: {', '.join(cell.threats)}"
            if cell.threats
            else word_label(cell.risk)
            for cell in matrix_row.cells
        ]
        rows.append([word_label(matrix_row.likelihood), *cells])
    columns = [_("likelihood \\ impact"), *(word_label(rating) for rating in RATINGS)]
    return Table(columns=columns, rows=rows)


def _suggestion_block(suggestion: ElementSuggestions) -> Block:
    personal = ", ".join(suggestion.personal_data)
    text = _("{type}; {covered} of {total} categories covered by a declared threat").format(
        type=_(suggestion.element_type),
        covered=format_count(suggestion.covered),
        total=format_count(suggestion.applicable),
    )
    text += (
        _("; personal data: {data}").format(data=personal)
        if personal
        else _("; no personal data (STRIDE only)")
    )
    if suggestion.other_threats:
        text += _("; threats in other categories: {ids}").format(ids=ids(suggestion.other_threats))
    rows = [
        [
            c.label + (f" ({c.condition})" if c.condition else ""),
            c.family,
            _("yes") if c.covered else _("no"),
            ids(c.threats),
        ]
        for c in suggestion.categories
    ]
    return Block(
        title=suggestion.element.label,
        level=3,
        text=text,
        table=Table(columns=[_("category"), _("family"), _("covered"), _("threats")], rows=rows),
    )


def _document(report: ThreatReport) -> Document:
    name = report.project.name
    counts = ", ".join(
        f"{format_count(count)} {word_label(level)}" for level, count in report.risk_counts.items()
    )
    threats = plural("{n} threat", "{n} threats", len(report.threats))
    blocks = [
        Block(
            title=_("Threat register"),
            text=f"{threats}: {counts}.",
            table=_register_table(report),
        ),
        Block(
            title=_("Risk matrix"),
            text=_(
                "Risk = likelihood x impact (each low=1 to critical=4): 1-2 low, 3-4 medium, "
                "6-9 high, 12-16 critical."
            ),
            table=_matrix_table(report),
        ),
        Block(
            title=_("STRIDE and LINDDUN per element"),
            text=_(
                "Categories that apply to each element's type (LINDDUN only where personal "
                "data is involved), and the declared threats covering each. Suggestions, "
                "not findings."
            ),
        ),
        *(_suggestion_block(s) for s in report.suggestions),
        Block(
            title=_("Threat categories per element type"),
            table=Table(
                columns=[_("category"), _("family"), _("applies to"), _("definition")],
                rows=[
                    [
                        c.label,
                        c.family,
                        ", ".join(
                            _(kind) + (f" ({c.conditions[kind]})" if kind in c.conditions else "")
                            for kind in c.applies_to
                        ),
                        c.definition,
                    ]
                    for c in report.categories
                ],
            ),
        ),
    ]
    return Document(title=_("Threat model: {name}").format(name=name), blocks=blocks)
