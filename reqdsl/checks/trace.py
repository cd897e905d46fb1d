"""Traceability rules (TR) and the four coverage figures (spec section 4).

Links count as written, whether or not they resolve (an unresolved one is already
SM002): a link is an ID in a trace field of an element without a syntax error. Values
the binder rejected (a string where an ID belongs, SM004) are not links. Everything here
is computed in one pass over the elements (`TraceFacts`), so that a project of tens of
thousands of requirements costs a few milliseconds; no rule scans all elements per
requirement.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..diagnostics import Severity
from ..model.config import CONFIG_NAME
from ..model.config_schema import COVERAGE_KEYS
from ..model.elements import ModelElement
from ..model.project import Project
from .registry import CheckContext, Finding, rule

UPWARD_FIELDS = ("derives-from", "satisfies", "refines", "mitigates", "compliance")
NEED_LINK_FIELDS = ("derives-from", "satisfies", "refines")
JUSTIFIED_STATUSES = frozenset({"accepted", "transferred", "not-applicable"})
LOWER_LEVELS = frozenset({"system", "software"})

# What each figure measures, for TR004's message and hint.
_FIGURE_TEXT = {
    "verification": ("requirements verified by tests", "see the TR003 warnings"),
    "derivation": (
        "system and software requirements with an upward link",
        "see the TR001 warnings",
    ),
    "satisfaction": ("stakeholder needs and goals linked to", "see the TR002 warnings"),
    "mitigation": ("threats mitigated or justified", "see the TM003 and TM004 warnings"),
}


@dataclass
class TraceFacts:
    """What the TR rules and the coverage figures read, from one pass over the model."""

    # IDs some live test `verifies`.
    verified: set[str] = field(default_factory=set)
    # IDs some live element (other than themselves) links to through derives-from,
    # satisfies or refines.
    needed: set[str] = field(default_factory=set)
    # IDs some live requirement `mitigates`.
    mitigated: set[str] = field(default_factory=set)
    # Live requirements whose verification includes `test`.
    tested: list[ModelElement] = field(default_factory=list)
    # Live system- and software-level requirements, and whether each links upward.
    lower: list[tuple[ModelElement, bool]] = field(default_factory=list)
    # Live stakeholder-level requirements and goals.
    needs: list[ModelElement] = field(default_factory=list)
    # Live threats.
    threats: list[ModelElement] = field(default_factory=list)
    _gap_sets: tuple[dict[int, bool], set[int], set[int]] | None = None

    def gaps(self, requirement: ModelElement) -> list[str]:
        """The traceability gaps of one requirement, as the matrices show them (the
        TR001, TR002 and TR003 conditions)."""
        if self._gap_sets is None:
            self._gap_sets = (
                {id(element): links for element, links in self.lower},
                {id(element) for element in self.needs},
                {id(element) for element in self.tested},
            )
        upward, needs, tested = self._gap_sets
        key = id(requirement)
        found = []
        if key in upward and not upward[key]:
            found.append("no upward link")
        if key in needs and requirement.id not in self.needed:
            found.append("nothing links to it")
        if key in tested and requirement.id not in self.verified:
            found.append("no test")
        return found


_last: tuple[weakref.ref[Project], int, TraceFacts] | None = None


def trace_facts(project: Project) -> TraceFacts:
    """The facts of a project, computed once: the TR rules and `compute_coverage` of
    one check run share them (the project is held weakly, so nothing is kept alive)."""
    global _last
    if _last is not None:
        reference, count, facts = _last
        if reference() is project and count == len(project.elements):
            return facts
    facts = _collect(project)
    _last = (weakref.ref(project), len(project.elements), facts)
    return facts


def _collect(project: Project) -> TraceFacts:
    facts = TraceFacts()
    for element in project.elements:
        if element.broken:
            continue
        kind = element.kind
        for name in NEED_LINK_FIELDS:
            if element.has(name):
                for value in element.refs(name):
                    if value.raw != element.id:  # a self-link (SM006) serves no need
                        facts.needed.add(value.raw)
        if kind == "requirement":
            if element.has("mitigates"):
                facts.mitigated.update(value.raw for value in element.refs("mitigates"))
            if element.has("verification") and any(
                value.raw == "test" for value in element.refs("verification")
            ):
                facts.tested.append(element)
            if element.level in LOWER_LEVELS:
                facts.lower.append((element, _links_upward(element)))
            elif element.level == "stakeholder":
                facts.needs.append(element)
        elif kind == "test":
            if element.has("verifies"):
                facts.verified.update(value.raw for value in element.refs("verifies"))
        elif kind == "goal":
            facts.needs.append(element)
        elif kind == "threat":
            facts.threats.append(element)
    return facts


def _links_upward(element: ModelElement) -> bool:
    return any(element.has(name) and element.refs(name) for name in UPWARD_FIELDS)


def threat_handled(threat: ModelElement, mitigated: set[str]) -> bool:
    if threat.id in mitigated:
        return True
    if threat.word("status") not in JUSTIFIED_STATUSES:
        return False
    justification = threat.value("justification")
    return justification is not None and bool(justification.raw.strip())


def coverage_counts(facts: TraceFacts) -> dict[str, tuple[int, int]]:
    """Each figure as (covered, total)."""
    return {
        "verification": (
            sum(1 for element in facts.tested if element.id in facts.verified),
            len(facts.tested),
        ),
        "derivation": (sum(1 for _, upward in facts.lower if upward), len(facts.lower)),
        "satisfaction": (
            sum(1 for element in facts.needs if element.id in facts.needed),
            len(facts.needs),
        ),
        "mitigation": (
            sum(1 for threat in facts.threats if threat_handled(threat, facts.mitigated)),
            len(facts.threats),
        ),
    }


def percentage(covered: int, total: int) -> float | None:
    """`covered` of `total` in percent, rounded half up to one decimal; None ("n/a") when
    there is nothing to measure. The contract counts a figure over an empty set as 100
    for TR004; reqdsl never *shows* 100 % of nothing, and TR005 reports a threshold set
    on such a figure."""
    if total == 0:
        return None
    exact = Decimal(covered * 100) / Decimal(total)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def compute_coverage(project: Project) -> dict[str, float | None]:
    """The four coverage figures of spec section 4, in percent (one decimal)."""
    counts = coverage_counts(trace_facts(project))
    return {key: percentage(*counts[key]) for key in COVERAGE_KEYS}


# ---------------------------------------------------------------------- rules
@rule(
    "TR001",
    "trace.no-upward-link",
    Severity.WARNING,
    "system or software requirement with no upward link",
)
def no_upward_link(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement in a system- or software-level document with none of the fields
        `derives-from`, `satisfies`, `refines`, `mitigates` or `compliance` holding a
        value. Links count as written, whether or not they resolve. Stakeholder-level
        requirements are the top of the hierarchy and are not checked.

    Why it matters:
        ISO/IEC/IEEE 29148:2018 asks that each requirement be traceable upwards
        to the stakeholder need, goal, threat or regulation it comes from. A requirement
        with no origin cannot be justified when it is challenged, nor found when its
        origin changes (impact analysis), and it may be gold plating. The derivation
        coverage figure counts the requirements that pass this rule.

    Example:
        # in a software-level document
        requirement S-2 "History" {
            statement: "The desk software shall keep a history of each ticket."
        }

    Fix:
        Link the requirement to where it comes from: `derives-from` a system or
        stakeholder requirement, `satisfies` a goal, `mitigates` a threat, or cite the
        regulation in `compliance`. If it has no origin, ask whether it is needed.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (requirement attributes: trace to source) and
        its traceability provisions.
    """
    for element, upward in trace_facts(context.project).lower:
        if not upward:
            yield Finding.at(
                element,
                None,
                f"{element.level}-level requirement `{element.id}` has no upward link",
                hint="add `derives-from`, `satisfies`, `refines`, `mitigates` or `compliance`",
            )


@rule(
    "TR002",
    "trace.unreferenced-need",
    Severity.WARNING,
    "stakeholder requirement or goal that nothing links to",
)
def unreferenced_need(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement in a stakeholder-level document, or a goal, that no element links
        to through `derives-from`, `satisfies` or `refines` (from a requirement, a goal
        or a use case). Links count as written, whether or not they resolve; a link from
        an element to itself does not count.

    Why it matters:
        Traceability runs both ways (ISO/IEC/IEEE 29148:2018): a stakeholder
        need that nothing derives from, satisfies or refines is not addressed by the
        system, and the gap is invisible until acceptance. The satisfaction coverage
        figure counts the needs and goals that pass this rule.

    Example:
        # in a stakeholder-level document
        goal G-2 "No waiting" { statement: "Users never wait." }   # nothing links here

    Fix:
        Derive a system or software requirement from the need (`derives-from`), let a
        requirement or use case `satisfies` the goal, or refine the goal into subgoals;
        or remove the need if it was dropped.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.6 (characteristics of a set of requirements:
        complete) and its traceability provisions.
    """
    facts = trace_facts(context.project)
    for element in facts.needs:
        if element.id not in facts.needed:
            what = "goal" if element.kind == "goal" else "stakeholder requirement"
            yield Finding.at(
                element,
                None,
                f"{what} `{element.id}` is not linked to by any element",
                hint="let a requirement `derives-from` or `satisfies` it, or a use case "
                "`satisfies` it",
            )


@rule(
    "TR003",
    "trace.untested",
    Severity.WARNING,
    "requirement to be verified by test that no test verifies",
)
def untested(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement whose `verification` includes `test` while no `test` element
        lists it in `verifies` (links count as written, whether or not they resolve).
        Reported at the requirement's ID.

    Why it matters:
        The verification method says how the requirement will be shown to be met
        (ISO/IEC/IEEE 29148:2018, 5.2.8); a requirement promised to be tested without a
        test is an open verification obligation, found too late if only at acceptance.
        The verification coverage figure counts the requirements that pass this rule.

    Example:
        requirement S-3 "Close" {
            statement: "When a ticket is closed, the desk software shall e-mail the requester."
            verification: test
        }

    Fix:
        Add a `test` element with `verifies: S-3` (and `automated-by` naming the
        automated test), or change the verification method if it is not tested.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (requirement attributes: verification method)
        and its traceability to verification.
    """
    facts = trace_facts(context.project)
    for element in facts.tested:
        if element.id in facts.verified:
            continue
        yield Finding.at(
            element,
            None,
            f"requirement `{element.id}` is to be verified by test, but no `test` verifies it",
            hint=f"add a `test` element with `verifies: {element.id}`",
        )


@rule("TR004", "trace.coverage-threshold", Severity.ERROR, "coverage threshold not met")
def coverage_threshold(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        Each threshold set in reqdsl.toml under `[checks] coverage` (verification,
        derivation, satisfaction, mitigation, in percent) against the project's figure;
        a figure below its threshold is an error, reported at the threshold's line in
        reqdsl.toml. The figure is compared unrounded, so 999 of 1,000 does not meet a
        threshold of 100 even though it is shown as 99.9.

    Why it matters:
        A threshold turns a traceability policy ("every requirement to be tested has a
        test") into a gate that a build or a pull request cannot pass silently. ISO/IEC/
        IEEE 29148:2018 asks for traceability; the figures measure how far the
        project has it.

    Example:
        [checks]
        coverage = { verification = 100, derivation = 90 }

    Fix:
        Close the gaps the other trace rules report (TR001, TR002, TR003; TM003 and
        TM004 for mitigation), or lower the threshold deliberately.

    Reference:
        ISO/IEC/IEEE 29148:2018 (traceability); the `.req` language reference,
        section 4 (coverage figures).
    """
    config = context.config
    if not config.coverage:
        return
    counts = coverage_counts(trace_facts(context.project))
    path = config.source.relpath if config.source is not None else CONFIG_NAME
    for key in COVERAGE_KEYS:
        threshold = config.coverage.get(key)
        if threshold is None:
            continue
        covered, total = counts[key]
        if total == 0 or Decimal(covered * 100) >= Decimal(repr(threshold)) * total:
            continue
        what, see = _FIGURE_TEXT[key]
        yield Finding(
            f"{key} coverage is {percentage(covered, total) or 0.0:.1f}% ({covered} of {total} "
            f"{what}), below the threshold of {threshold:g}%",
            path,
            config.key_span(("checks", "coverage", key)),
            hint=f"close the gaps ({see}) or lower `{key}` in [checks] coverage",
        )


NOTHING_TO_MEASURE = {
    "verification": "no requirement is to be verified by test",
    "derivation": "there is no system- or software-level requirement",
    "satisfaction": "there is no stakeholder-level requirement or goal",
    "mitigation": "there is no threat",
}


@rule(
    "TR005",
    "trace.threshold-on-nothing",
    Severity.ERROR,
    "coverage threshold set on a figure that measures nothing",
)
def threshold_on_nothing(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A threshold under `[checks] coverage` in reqdsl.toml whose figure counts nothing:
        `verification` when no requirement asks to be verified by test, `derivation`
        with no system- or software-level requirement, `satisfaction` with no
        stakeholder-level requirement or goal, `mitigation` with no threat. Reported at
        the threshold's key in reqdsl.toml.

    Why it matters:
        "100 % of nothing" is not coverage. A project whose threat model was never
        written would otherwise pass `mitigation = 100`, and one whose requirements lost
        their `verification: test` would pass `verification = 100`: the gate the
        threshold was set up to be would be green without measuring anything. reqdsl
        shows such a figure as "n/a" (JSON `null`), and a threshold on it fails.

    Example:
        [checks]
        coverage = { mitigation = 100 }    # TR005 when the project has no threat

    Fix:
        Write what the figure measures (the threat model, the tests to run), or remove
        the threshold until the project has it.

    Reference:
        The `.req` language reference, section 4 (coverage figures); ISO/IEC/IEEE
        29148:2018 (traceability).
    """
    config = context.config
    if not config.coverage:
        return
    counts = coverage_counts(trace_facts(context.project))
    path = config.source.relpath if config.source is not None else CONFIG_NAME
    for key in COVERAGE_KEYS:
        threshold = config.coverage.get(key)
        if threshold is None or counts[key][1] != 0:
            continue
        yield Finding(
            f"the {key} coverage threshold of {threshold:g}% measures nothing: "
            f"{NOTHING_TO_MEASURE[key]} (the figure is n/a, not {threshold:g}%)",
            path,
            config.key_span(("checks", "coverage", key)),
            hint=f"write what `{key}` measures, or remove the threshold until the project has it",
        )
