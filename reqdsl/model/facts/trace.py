"""The traceability facts: what the TR rules, the coverage figures, the site's home
page and matrices, and the exports read, from one pass over the model.

Links count as written, whether or not they resolve (an unresolved one is already
SM002): a link is an ID in a trace field of an element without a syntax error. Values
the binder rejected (a string where an ID belongs, SM004) are not links. Everything here
is computed in one pass over the elements (`TraceFacts`), so that a project of tens of
thousands of requirements costs a few milliseconds.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ...i18n import N_
from ..config_schema import COVERAGE_KEYS
from ..elements import ModelElement
from ..project import Project
from ..runs import PerFile

if TYPE_CHECKING:
    from ...interop.junit import CaseResult, JunitResults

UPWARD_FIELDS = ("derives-from", "satisfies", "refines", "mitigates", "compliance")
NEED_LINK_FIELDS = ("derives-from", "satisfies", "refines")
JUSTIFIED_STATUSES = frozenset({"accepted", "transferred", "not-applicable"})
LOWER_LEVELS = frozenset({"system", "software"})
OTHER_METHODS = ("inspection", "analysis", "demonstration")
# How a test's status reads in a requirement's gap ("test T-1 failed").
_STATUS_GAP = {"failed": "failed", "skipped": "skipped", "not-run": "not run"}

# Why a figure is n/a (the home page; TR005's message).
NOTHING_TO_MEASURE = {
    "verification": N_("no requirement is to be verified by test"),
    "derivation": N_("there is no system- or software-level requirement"),
    "satisfaction": N_("there is no stakeholder-level requirement or goal"),
    "mitigation": N_("there is no threat"),
    "evidence": N_("no JUnit report was read, or no automated test verifies a requirement"),
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
            found.append(N_("no upward link"))
        if key in needs and requirement.id not in self.needed:
            found.append(N_("nothing links to it"))
        if key in tested and requirement.id not in self.verified:
            found.append(N_("no test"))
        if key in other and requirement.id not in self.verified:
            found.append(N_("no test element"))
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
_LIST_FIELDS = ("requirements", "tested", "lower", "needs", "threats", "other_methods", "automated")


def trace_facts(project: Project) -> TraceFacts:
    """The facts of a project, computed once: the TR rules and `compute_coverage` of
    one check run share them (the project is held weakly, so nothing is kept alive).
    For a project seen through some of its files (incremental checking), the whole
    project's facts with the element lists cut to those files."""
    global _last
    from ...checks.incremental import ScopedProject

    if isinstance(project, ScopedProject):
        scoped = project.memo.get("trace-facts")
        if scoped is None:
            scoped = project.memo["trace-facts"] = _scoped(
                trace_facts(project.whole), project.scope_files
            )
        return scoped
    if _last is not None:
        reference, count, facts = _last
        if reference() is project and count == len(project.elements):
            return facts
    facts = _collect(project)
    _last = (weakref.ref(project), len(project.elements), facts)
    return facts


def _scoped(whole: TraceFacts, files: set[str]) -> TraceFacts:
    facts = TraceFacts(whole.verified, whole.needed, whole.mitigated, evidence=whole.evidence)
    for name in _LIST_FIELDS:
        items: list[Any] = getattr(whole, name)
        setattr(facts, name, [i for i in items if (i[0] if type(i) is tuple else i).path in files])
    return facts


def _collect(project: Project) -> TraceFacts:
    """The facts of each file's elements (kept while they are the same: an edit
    collects the edited file's again), merged in project order."""
    results = project.junit if project.junit is not None and project.junit.reports else None
    tr006 = "TR006" not in project.config.disable
    facts = TraceFacts()
    for part in _PARTS.parts(project.elements, results, tr006):
        _merge(facts, part)
    return facts


def _merge(facts: TraceFacts, part: TraceFacts) -> None:
    facts.verified |= part.verified
    facts.needed |= part.needed
    facts.mitigated |= part.mitigated
    for name in _LIST_FIELDS:
        getattr(facts, name).extend(getattr(part, name))
    for requirement_id, statuses in part.evidence.items():
        merged = facts.evidence.setdefault(requirement_id, [])
        merged.extend(status for status in statuses if status not in merged)


def _collect_run(
    elements: list[ModelElement], results: JunitResults | None, tr006: bool
) -> TraceFacts:
    """The facts of one file's elements."""
    facts = TraceFacts()
    for element in elements:
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


_PARTS: PerFile[TraceFacts] = PerFile(_collect_run)


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
