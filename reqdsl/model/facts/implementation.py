"""Implementation status from the model and the test results: what the statement of
applicability says of each control and the threat register of each mitigation.

A requirement is *verified* when automated tests verify it and every one of them passed
in the JUnit reports read for the run (`TraceFacts.proven`): a `status: verified` as
written, or a test element with no result, is a claim, not evidence. It is *implemented*
when verified, or when its `status` is implemented or verified. A verification *failed*
when one of its automated tests failed, was skipped or did not run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from ...i18n import N_
from ..elements import ModelElement
from .trace import TraceFacts

IMPLEMENTED_STATUSES = ("implemented", "verified")
# Requirements that no longer count toward a control (or a mitigation).
WITHDRAWN_STATUSES = ("rejected", "deprecated")

Implementation = Literal["verified", "failed", "implemented", "partial", "planned"]
IMPLEMENTATION_LABELS: dict[str, str] = {
    "verified": N_("implemented and verified"),
    "failed": N_("verification failed"),
    "implemented": N_("implemented, not verified"),
    "partial": N_("partly implemented"),
    "planned": N_("planned"),
}


def evidence(facts: TraceFacts, requirement: ModelElement) -> bool | None:
    """True: verified by passing tests; False: a test failed, was skipped or did not run;
    None: no automated test result."""
    return facts.proven(requirement.id or "") if requirement.id else None


def is_implemented(facts: TraceFacts, requirement: ModelElement) -> bool:
    if requirement.word("status") in IMPLEMENTED_STATUSES:
        return True
    return evidence(facts, requirement) is True


def implementation(facts: TraceFacts, requirements: Iterable[ModelElement]) -> Implementation:
    """The status of what a set of requirements implements (a control), as documented in
    docs/compliance.md: a failure wins, then all verified, all implemented, some, none."""
    counted = [r for r in requirements if r.word("status") not in WITHDRAWN_STATUSES]
    if not counted:
        return "planned"
    proofs = [evidence(facts, r) for r in counted]
    if any(proof is False for proof in proofs):
        return "failed"
    if all(proof is True for proof in proofs):
        return "verified"
    done = sum(1 for r in counted if is_implemented(facts, r))
    if done == len(counted):
        return "implemented"
    return "partial" if done else "planned"
