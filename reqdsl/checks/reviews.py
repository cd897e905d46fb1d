"""Review rules (RV): approvals backed by a recorded stakeholder review.

Versions compare as written text (`3.0` equals `"3.0"`, not `3.00`), and two absent
versions are equal (spec section 3, "Version 1.1"). A review's `covers` counts as
written.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from .registry import CheckContext, Finding, rule

APPROVING_OUTCOMES = ("approved", "approved-with-changes")


@rule(
    "RV001",
    "review.stale-approval",
    Severity.WARNING,
    "approved document with no approving review of its current version",
)
def stale_approval(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        A document with `status: approved` that no review with outcome approved or
        approved-with-changes covers at the document's current `version`. Versions compare
        as written text; a document and a review that both leave `version` out match. The
        diagnostic points at the document's `status` value.

    Why it matters:
        ISO/IEC/IEEE 29148 asks for requirements to be validated with the stakeholders
        and the results recorded: an approval is a claim that the stakeholders accepted
        this text. When the document changes version after its review, or was never
        reviewed, the approval covers a text nobody signed off, and a baseline built on
        it is not the validated one.

    Example:
        document SRS "Booking SRS" {
            version: "3.0"
            status: approved            # RV001: the last approving review was of 2.0
        }
        review RV-1 "Sign-off" {
            covers: SRS
            version: "2.0"
            date: "2026-11-20"
            reviewers: ST-OWNER
            outcome: approved
        }

    Fix:
        Hold a review of the current version and record it as a `review` that `covers`
        the document with its `version`; or set the document's status back to `review`
        until that happens.

    Reference:
        ISO/IEC/IEEE 29148, 6.2.5 (stakeholder requirements validation: the stakeholders
        confirm that the requirements express their needs, and the result is recorded);
        ISO/IEC/IEEE 15288 (validation process).
    """
    project = context.project
    approved_versions: dict[str, set[str | None]] = {}
    for review in project.live("review"):
        if review.word("outcome") not in APPROVING_OUTCOMES:
            continue
        version = review.word("version")
        for covered in review.refs("covers"):
            approved_versions.setdefault(covered.raw, set()).add(version)
    for document in project.live("document"):
        status = document.value("status")
        if status is None or status.raw != "approved":
            continue
        version = document.word("version")
        if version in approved_versions.get(document.id or "", set()):
            continue
        shown = f"version `{version}`" if version is not None else "its current version"
        yield Finding.at(
            document,
            status.span,
            f"document `{document.id}` is approved but no approving review covers {shown}",
            hint=f"record a `review` with `covers: {document.id}`"
            + (f' and `version: "{version}"`' if version is not None else "")
            + ", or set `status: review`",
        )
