"""Traceability rules (TR) and the coverage figures: the four of spec section 4, and
`evidence` (reqdsl's extension: of the requirements automated tests verify, those whose
automated tests all passed in the JUnit reports read with the project).

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
from typing import TYPE_CHECKING

from ..diagnostics import Severity
from ..model.config import CONFIG_NAME
from ..model.config_schema import COVERAGE_KEYS
from ..model.elements import ModelElement
from ..model.project import Project
from ..source import Span
from .registry import CheckContext, Finding, rule

if TYPE_CHECKING:
    from ..interop.junit import CaseResult, JunitResults

UPWARD_FIELDS = ("derives-from", "satisfies", "refines", "mitigates", "compliance")
NEED_LINK_FIELDS = ("derives-from", "satisfies", "refines")
JUSTIFIED_STATUSES = frozenset({"accepted", "transferred", "not-applicable"})
LOWER_LEVELS = frozenset({"system", "software"})
OTHER_METHODS = ("inspection", "analysis", "demonstration")
# How a test's status reads in a requirement's gap ("test T-1 failed").
_STATUS_GAP = {"failed": "failed", "skipped": "skipped", "not-run": "not run"}
_MESSAGE_LIMIT = 200  # characters of a report's failure message quoted in a diagnostic

# What each figure measures, for TR004's message and hint.
_FIGURE_TEXT = {
    "verification": ("requirements verified by tests", "see the TR003 warnings"),
    "derivation": (
        "system and software requirements with an upward link",
        "see the TR001 warnings",
    ),
    "satisfaction": ("stakeholder needs and goals linked to", "see the TR002 warnings"),
    "mitigation": ("threats mitigated or justified", "see the TM003 and TM004 warnings"),
    "evidence": (
        "requirements whose automated tests all passed",
        "see the TR008, TR009 and TR010 diagnostics",
    ),
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
    # Live requirements.
    requirements: list[ModelElement] = field(default_factory=list)
    # Live requirements whose verification includes `test`.
    tested: list[ModelElement] = field(default_factory=list)
    # Live system- and software-level requirements, and whether each links upward.
    lower: list[tuple[ModelElement, bool]] = field(default_factory=list)
    # Live stakeholder-level requirements and goals.
    needs: list[ModelElement] = field(default_factory=list)
    # Live threats.
    threats: list[ModelElement] = field(default_factory=list)
    # Live requirements whose verification names inspection, analysis or demonstration
    # and not test (TR006; a requirement that names test is TR003's), unless TR006 is
    # disabled in reqdsl.toml (then the project does not ask for such test elements).
    other_methods: list[ModelElement] = field(default_factory=list)
    # With JUnit reports: each live automated test and its result, in project order.
    automated: list[tuple[ModelElement, CaseResult]] = field(default_factory=list)
    # With JUnit reports: requirement ID -> (test ID, status) of the automated tests that
    # verify it (the evidence figure and the evidence gaps).
    evidence: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    _gap_sets: tuple[dict[int, bool], set[int], set[int], set[int]] | None = None

    def gaps(self, requirement: ModelElement) -> list[str]:
        """The gaps of one requirement, as the matrices show them: THE one place they are
        decided (the TR001, TR002, TR003 and TR006 conditions, and every automated test
        verifying it that failed, was skipped or was not run: TR008 to TR010)."""
        if self._gap_sets is None:
            self._gap_sets = (
                {id(element): links for element, links in self.lower},
                {id(element) for element in self.needs},
                {id(element) for element in self.tested},
                {id(element) for element in self.other_methods},
            )
        upward, needs, tested, other = self._gap_sets
        key = id(requirement)
        found = []
        if key in upward and not upward[key]:
            found.append("no upward link")
        if key in needs and requirement.id not in self.needed:
            found.append("nothing links to it")
        if key in tested and requirement.id not in self.verified:
            found.append("no test")
        if key in other and requirement.id not in self.verified:
            found.append("no test element")
        if not requirement.broken and requirement.id is not None:
            for test_id, status in self.evidence.get(requirement.id, ()):
                if status in _STATUS_GAP:
                    found.append(f"test {test_id} {_STATUS_GAP[status]}")
        return found

    def proven(self, requirement_id: str) -> bool | None:
        """Whether every automated test verifying the requirement passed; None when no
        automated test verifies it (or no report was read)."""
        statuses = self.evidence.get(requirement_id)
        if not statuses:
            return None
        return all(status == "passed" for _, status in statuses)


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
    results = project.junit if project.junit is not None and project.junit.reports else None
    tr006 = "TR006" not in project.config.disable
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
            facts.requirements.append(element)
            if element.has("mitigates"):
                facts.mitigated.update(value.raw for value in element.refs("mitigates"))
            methods = {value.raw for value in element.refs("verification")}
            if "test" in methods:
                facts.tested.append(element)
            elif tr006 and methods.intersection(OTHER_METHODS):
                facts.other_methods.append(element)
            if element.level in LOWER_LEVELS:
                facts.lower.append((element, _links_upward(element)))
            elif element.level == "stakeholder":
                facts.needs.append(element)
        elif kind == "test":
            if element.has("verifies"):
                facts.verified.update(value.raw for value in element.refs("verifies"))
            if results is not None:
                _weigh(facts, element, results)
        elif kind == "goal":
            facts.needs.append(element)
        elif kind == "threat":
            facts.threats.append(element)
    return facts


def _weigh(facts: TraceFacts, test: ModelElement, results: JunitResults) -> None:
    """Record an automated test's result, for itself and the requirements it verifies."""
    result = results.result_of(test)
    if result is None:
        return
    facts.automated.append((test, result))
    if test.id is None:
        return
    for value in test.refs("verifies"):
        statuses = facts.evidence.setdefault(value.raw, [])
        if (test.id, result.status) not in statuses:
            statuses.append((test.id, result.status))


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
        "evidence": _evidence_counts(facts),
    }


def _evidence_counts(facts: TraceFacts) -> tuple[int, int]:
    """Of the requirements some automated test verifies (0 without a report), those
    whose automated tests all passed."""
    if not facts.evidence:
        return (0, 0)
    covered = total = 0
    for element in facts.requirements:
        proven = facts.proven(element.id or "")
        if proven is None:
            continue
        total += 1
        covered += proven
    return (covered, total)


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
    """The coverage figures (the four of spec section 4, and `evidence`), in percent
    (one decimal); None where nothing is measured."""
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
    "evidence": "no JUnit report was read, or no automated test verifies a requirement",
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


# ------------------------------------------------ every method, and test evidence
@rule(
    "TR006",
    "trace.unverified-method",
    Severity.INFO,
    "requirement to be verified by inspection, analysis or demonstration that no test verifies",
)
def unverified_method(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A requirement whose `verification` names inspection, analysis or demonstration
        (and not test: that is TR003's) while no `test` element lists it in `verifies`.
        A `test` element of any `method` closes it; links count as written. Reported at
        the requirement's ID. An info by default, so that a project the language
        reference calls clean stays clean; raise it in reqdsl.toml to make every
        verification method count (`reqdsl init` does):
        `[checks] severity = { TR006 = "warning" }`. Disabling it also removes the
        "no test element" gap from the matrices.

    Why it matters:
        An inspection, an analysis or a demonstration is verification work like a test
        (ISO/IEC/IEEE 29148:2018, 6.6): unless something records that it is planned
        (who inspects what, against which criteria), "verification: inspection" is a
        promise no one keeps, and the requirement looks verified on paper only. The
        `verification` coverage figure counts requirements to be tested only; this rule
        covers the other methods.

    Example:
        requirement S-4 "Readable" {
            statement: "The booking page shall use a font of at least 16 pixels."
            verification: inspection
        }                                   # no `test` element verifies S-4

    Fix:
        Add a `test` element that records the verification, with `method` naming how:
        `test TC-4 "Font review" { verifies: S-4  method: inspection }`.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (verification method) and 6.6 (verification
        process); the reqdsl language extensions (docs/language.md).
    """
    facts = trace_facts(context.project)
    for element in facts.other_methods:
        if element.id is None or element.id in facts.verified:
            continue
        methods = [v.raw for v in element.refs("verification") if v.raw in OTHER_METHODS]
        yield Finding.at(
            element,
            None,
            f"requirement `{element.id}` is to be verified by {' and '.join(methods)}, but no "
            "`test` element verifies it",
            hint=f"add a `test` element with `verifies: {element.id}` and `method: "
            f"{methods[0]}` recording the verification",
        )


@rule(
    "TR007",
    "trace.method-mismatch",
    Severity.WARNING,
    "test whose method is not one the requirement it verifies asks for",
)
def method_mismatch(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element with a `method` that verifies a requirement whose
        `verification` does not include that method (a test by analysis of a
        requirement to be verified by test). Requirements with no `verification` are
        QU007's and not checked here; an unresolved link is SM002's. Reported at the
        `verifies` item that names the requirement, once per test and requirement.

    Why it matters:
        The verification method is part of the requirement (ISO/IEC/IEEE 29148:2018,
        5.2.8): a requirement to be tested that is only analysed has not been verified as
        agreed, even though the matrix shows a test against it.

    Example:
        requirement S-5 "Load" { statement: "..." verification: test }
        test TC-5 "Load estimate" { verifies: S-5  method: analysis }   # TR007

    Fix:
        Verify the requirement the way it asks for (add a test with the right
        `method`), or change the requirement's `verification` if the agreed method
        changed.

    Reference:
        ISO/IEC/IEEE 29148:2018, 5.2.8 (verification method); the reqdsl language
        extensions (docs/language.md).
    """
    project = context.project
    for test in project.live("test"):
        method = test.word("method")
        if method is None:
            continue
        for value in test.refs("verifies"):
            requirement = project.index.get(value.raw)
            if requirement is None or requirement.kind != "requirement" or requirement.broken:
                continue
            asked = [v.raw for v in requirement.refs("verification")]
            if not asked or method in asked:
                continue
            yield Finding.at(
                test,
                value.span,
                f"test `{test.id}` verifies `{requirement.id}` by {method}, but "
                f"`{requirement.id}` is to be verified by {' or '.join(asked)}",
                hint=f"set `method` to {' or '.join(asked)}, or change the verification of "
                f"`{requirement.id}`",
            )


def _quoted(message: str | None) -> str:
    """A report's failure or skip message as a diagnostic quotes it: its first line,
    shortened (the whole message is in the report)."""
    if not message:
        return ""
    line = message.strip().split("\n", 1)[0].strip()
    if len(line) > _MESSAGE_LIMIT:
        line = line[: _MESSAGE_LIMIT - 1] + "…"
    return f": {line}" if line else ""


def _automated_span(test: ModelElement) -> Span | None:
    value = test.value("automated-by")
    return value.span if value is not None else None


def _verified_by(test: ModelElement) -> str:
    ids = [f"`{value.raw}`" for value in test.refs("verifies")]
    return ", ".join(ids) if ids else "nothing"


@rule("TR008", "trace.failed-test", Severity.ERROR, "automated test that failed")
def failed_test(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element whose `automated-by` names a test case that failed (a
        `<failure>`) or errored (an `<error>`) in a JUnit report read with the project:
        one named under `[tests] junit` in reqdsl.toml, or given with `--junit` to
        check, build or export. Several cases behind one name: the worst counts.
        Reported at the `automated-by` value, quoting the first line of the report's
        message. Every requirement the test verifies shows the gap "test ID failed" in
        the traceability matrices, and counts against the `evidence` coverage figure.

    Why it matters:
        A test is evidence that a requirement is met only when it passes. A build that
        reads a report with a failing test and still reports "0 with gaps" and exit 0
        gives a false green: the requirement looks verified while the evidence says it
        is not met.

    Example:
        test TC-1 "Reserve a free slot" {
            verifies: S-1
            automated-by: "tests.test_booking::test_reserve_free_slot"   # failed
        }

    Fix:
        Fix the code (or the test) until the case passes, then run the tests again so
        the report is new. If the requirement changed, change the test with it.

    Reference:
        ISO/IEC/IEEE 29148:2018, 6.6 (verification: evidence that requirements are
        met); ISO/IEC/IEEE 29119-3 (test completion reports).
    """
    for test, result in trace_facts(context.project).automated:
        if result.status != "failed":
            continue
        yield Finding.at(
            test,
            _automated_span(test),
            f"automated test `{test.id}` failed in the JUnit report{_quoted(result.message)}",
            hint=f"it verifies {_verified_by(test)}: each is a gap until the test passes",
        )


@rule("TR009", "trace.skipped-test", Severity.WARNING, "automated test that was skipped")
def skipped_test(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element whose `automated-by` names a test case that was skipped in the
        JUnit reports read with the project (for a parametrised test, or a case in
        several reports: some skipped and none failed). Reported at the `automated-by`
        value, quoting the skip reason. The requirements it verifies show the gap
        "test ID skipped" and count against the `evidence` figure.

    Why it matters:
        A skipped test proves nothing: the requirement it verifies has no evidence from
        this run, though a report was given. Skips that are meant (a platform the run
        did not cover) should be visible, not taken for passes.

    Example:
        test TC-2 "Confirmation mail" {
            verifies: S-2
            automated-by: "tests.test_mail::test_confirm"   # <skipped/> in the report
        }

    Fix:
        Run the test where it can run (another CI job whose report is also given), or
        fix what makes it skip.

    Reference:
        ISO/IEC/IEEE 29148:2018, 6.6 (verification); ISO/IEC/IEEE 29119-3 (test
        completion reports).
    """
    for test, result in trace_facts(context.project).automated:
        if result.status != "skipped":
            continue
        yield Finding.at(
            test,
            _automated_span(test),
            f"automated test `{test.id}` was skipped in the JUnit report{_quoted(result.message)}",
            hint=f"it verifies {_verified_by(test)}: a skipped test is no evidence; run it",
        )


@rule(
    "TR010",
    "trace.test-not-in-report",
    Severity.WARNING,
    "automated-by names no test case of the JUnit reports",
)
def test_not_in_report(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A `test` element whose `automated-by` matches no test case of the JUnit reports
        read with the project (as `classname::name`, `classname.name`, a pytest node ID,
        or a parametrised `name[...]`): the test did not run, or its name is misspelt.
        Reported at the `automated-by` value, with the closest case names of the
        reports as a did-you-mean. Only when some report is read. The requirements it
        verifies show the gap "test ID not run".

    Why it matters:
        A name that matches nothing links the requirement to no evidence at all, and
        nothing else would tell: a renamed test function, a typo, or a test left out of
        the CI run silently turns "verified by an automated test" into "verified by
        nothing".

    Example:
        test TC-3 "Confirm" {
            verifies: S-3
            automated-by: "tests.test_booking::test_confirms"   # the case is test_confirm
        }

    Fix:
        Correct `automated-by` to the case's name as the report writes it
        (`classname::name`), or make sure the test runs and its report is given.

    Reference:
        ISO/IEC/IEEE 29148:2018, 6.6 (verification: traceability to evidence).
    """
    results = context.project.junit
    if results is None:
        return
    for test, result in trace_facts(context.project).automated:
        if result.status != "not-run":
            continue
        named = test.word("automated-by") or ""
        close = results.close_names(test)
        reports = len(results.reports)
        hint = (
            "did you mean " + ", ".join(f"`{name}`" for name in close) + "?"
            if close
            else "write the case as the report names it (`classname::name`), or run that test"
        )
        yield Finding.at(
            test,
            _automated_span(test),
            f"`automated-by` of test `{test.id}` names `{named.strip()}`, which no test case of "
            f"the JUnit {'report' if reports == 1 else 'reports'} matches (not run)",
            hint=hint,
        )
