"""Review rules (RV): approvals backed by a recorded stakeholder review, and bound to the
content they approved (review stamps, reqdsl.model.fingerprint).

Versions compare as written text (`3.0` equals `"3.0"`, not `3.00`), and two absent
versions are equal (spec section 3, "Version 1.1"). A review's `covers` counts as
written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ..diagnostics import Severity
from ..i18n import _, format_count, ngettext
from ..model.elements import ModelElement
from ..model.facts.reviews import APPROVING_OUTCOMES
from ..model.fingerprint import (
    ANONYMOUS_KINDS,
    DocumentPrint,
    StampError,
    fingerprint,
    members_by_document,
    parse_record,
    unmatched,
)
from ..model.schema import attr_name
from ..source import Span
from .registry import CheckContext, Finding, rule


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
        shown = (
            _("version `{version}`").format(version=version)
            if version is not None
            else _("its current version")
        )
        hint = (
            _('record a `review` with `covers: {id}` and `version: "{version}"`, or set '
              "`status: review`").format(id=document.id, version=version)
            if version is not None
            else _("record a `review` with `covers: {id}`, or set `status: review`").format(
                id=document.id
            )
        )  # fmt: skip
        yield Finding.at(
            document,
            status.span,
            _("document `{id}` is approved but no approving review covers {shown}").format(
                id=document.id, shown=shown
            ),
            hint=hint,
        )


# ---------------------------------------------------------------- stamps (RV002, RV003)

# A document in one of these states does not claim its approval still holds: it is being
# reworked or withdrawn, and differing from the approved text is expected.
REWORKED_STATUSES = ("draft", "review", "obsolete")


def _baselines(context: CheckContext) -> list[tuple[ModelElement, ModelElement]]:
    """(document, latest approving review covering it) for each document claiming an
    approval; the latest by `date`, then by place in the project. Computed once."""
    found = context.memo.get("review-baselines")
    if found is not None:
        return found  # type: ignore[no-any-return]
    project = context.project
    latest: dict[str, ModelElement] = {}
    for review in project.live("review"):
        if review.word("outcome") not in APPROVING_OUTCOMES:
            continue
        for covered in review.refs("covers"):
            held = latest.get(covered.raw)
            if held is None or _when(review) >= _when(held):
                latest[covered.raw] = review
    found = []
    for document in project.live("document"):
        approval = latest.get(document.id or "")
        if approval is not None and document.word("status") not in REWORKED_STATUSES:
            found.append((document, approval))
    context.memo["review-baselines"] = found
    return found


def _when(review: ModelElement) -> tuple[datetime.date, int]:
    date = review.value("date")
    day = date.value if date is not None and isinstance(date.value, datetime.date) else None
    return (day or datetime.date.min, review.order)


def _approval(review: ModelElement) -> str:
    """`review `RV-1` approved it (2026-11-20, commit abc1234)` without the verb's object."""
    details = [review.word("date") or _("undated")]
    revision = review.word("revision")
    if revision:
        details.append(_("commit {revision}").format(revision=revision[:12]))
    return _("review `{id}` approved it ({details})").format(
        id=review.id, details=", ".join(details)
    )


@rule(
    "RV002",
    "review.content-changed",
    Severity.WARNING,
    "content of an approved document changed since its stamped approving review",
)
def content_changed(context: CheckContext) -> Iterator[Finding]:
    '''
    What it checks:
        For each document that an approving review covers (and whose `status` is not
        `draft`, `review` or `obsolete`), the latest approving review by `date`: when it
        carries a `stamp` (written by `reqdsl review stamp`), the document's content is
        fingerprinted again and compared with the stamp. Each difference is reported
        once, naming the element, the field and the review: a changed field at its value,
        an added field at its name, a removed field or an added element at the element,
        a removed element at the document's ID, changed or added prose (`text`, `term`,
        an untitled `section`) at that element. A stamp that cannot be read is reported
        at the stamp. What counts as content, and what does not (layout, comments, the
        order of fields and elements, review elements, `ignore`, a document's `status`
        and `version`, a requirement's `status`), is set out in the language reference,
        "Review stamps".

    Why it matters:
        An approval is a claim about a text. A version string only moves when its author
        remembers to bump it, so an approved document can change under its approval
        without any tool noticing. Binding the approval to a fingerprint of the approved
        content, as Doorstop's review stamps do, makes every later change visible until
        the change itself is reviewed.

    Example:
        document SRS "Booking SRS" {
            level: software
            version: "3.0"
            status: approved
        }
        requirement REQ-7 "Confirmation" {
            # RV002: the statement was edited after RV-1 stamped it
            statement: "The system shall confirm a booking within 5 seconds."
        }
        review RV-1 "Sign-off" {
            covers: SRS
            version: "3.0"
            date: "2026-11-20"
            reviewers: ST-OWNER
            outcome: approved
            stamp: """
                document SRS v1:...
                REQ-7 statement=... title=...
            """
        }

    Fix:
        Have the change reviewed and run `reqdsl review stamp RV-ID` on the review that
        approved it (or record a new review and stamp that one); or undo the change.

    Reference:
        ISO/IEC/IEEE 29148, 6.2.5 and 6.4.5 (requirements validation; the approved
        baseline is managed under configuration control); ISO/IEC/IEEE 15288, 6.3.5
        (configuration management: changes to a baseline are controlled).
    '''
    for document, review in _baselines(context):
        stamp = review.value("stamp")
        if stamp is None:
            continue  # RV003
        try:
            recorded = parse_record(stamp.raw).get(document.id or "")
        except StampError as error:
            yield Finding.at(
                review,
                stamp.span,
                _("the stamp of review `{id}` cannot be read: {error}").format(
                    id=review.id, error=error
                ),
                hint=_("run `reqdsl review stamp {id}` after reviewing the content again").format(
                    id=review.id
                ),
            )
            continue
        if recorded is not None:
            yield from _differences(context, document, review, recorded)


def _differences(
    context: CheckContext, document: ModelElement, review: ModelElement, recorded: DocumentPrint
) -> Iterator[Finding]:
    members = context.memo.get("document-members")
    if members is None:
        members = context.memo["document-members"] = members_by_document(context.project.elements)
    current = fingerprint(members.get(document.id or "", []), document.id or "")
    if current.digest == recorded.digest:
        return
    since = _approval(review)
    hint = _("have the change reviewed, then run `reqdsl review stamp {id}`").format(id=review.id)
    found = 0
    for ident, fields in current.elements.items():
        element = current.members[ident]
        before = recorded.elements.get(ident)
        if before is None:
            found += 1
            yield Finding.at(
                element,
                None,
                _("`{id}` was added to `{document}` after {since}").format(
                    id=ident, document=document.id, since=since
                ),
                hint=hint,
            )
            continue
        for name in sorted(fields.keys() | before.keys()):
            message = _field_change(ident, name, before.get(name), fields.get(name), since)
            if message is not None:
                found += 1
                yield Finding.at(element, _field_span(element, name), message, hint=hint)
    for ident in sorted(recorded.elements.keys() - current.members.keys()):  # a stable order
        found += 1
        yield Finding.at(
            document,
            None,
            _("`{id}` was removed from `{document}` after {since}").format(
                id=ident, document=document.id, since=since
            ),
            hint=hint,
        )
    for kind in ANONYMOUS_KINDS:
        mine = [(e, h) for e, h in current.prose if e.kind == kind]
        changed, removed = unmatched(recorded.anonymous.get(kind, []), mine)
        for element in changed:
            found += 1
            yield Finding.at(
                element,
                None,
                _("a `{kind}` of `{document}` changed or was added after {since}").format(
                    kind=kind, document=document.id, since=since
                ),
                hint=hint,
            )
        if removed:
            found += 1
            yield Finding.at(
                document,
                None,
                ngettext(
                    "{n} `{kind}` element of `{document}` removed after {since}",
                    "{n} `{kind}` elements of `{document}` removed after {since}",
                    removed,
                ).format(n=format_count(removed), kind=kind, document=document.id, since=since),
                hint=hint,
            )
    if not found and not current.broken:
        stamp = review.value("stamp")
        yield Finding.at(
            review,
            stamp.span if stamp is not None else None,
            _(
                "the content of `{document}` differs from what review `{review}` stamped, "
                "but the stamp names no changed element (was it edited by hand?)"
            ).format(document=document.id, review=review.id),
            hint=hint,
        )


def _field_change(
    ident: str, name: str, before: str | None, after: str | None, since: str
) -> str | None:
    if before == after:
        return None
    if before is None:
        message = _("`{name}` of `{id}` was added after {since}")
    elif after is None:
        message = _("`{name}` of `{id}` was removed after {since}")
    else:
        message = _("`{name}` of `{id}` changed after {since}")
    return message.format(name=name, id=ident, since=since)


def _field_span(element: ModelElement, name: str) -> Span | None:
    """The changed field's value (its first item), else its name, else None (the ID)."""
    if name.startswith("attribute:"):
        wanted = name.partition(":")[2]
        return next((a.span for a in element.attributes if a.name == wanted), None)
    if name == "steps":
        return element.steps[0].span if element.steps else None
    if name in element.custom:
        values = element.custom[name]
        return values[0].span if values else element.field_spans.get(name)
    if not element.has(name):
        return None
    found = getattr(element, attr_name(name), None)
    if isinstance(found, list):
        found = found[0] if found else None
    span = getattr(found, "span", None)
    return span if isinstance(span, Span) else element.field_spans.get(name)


@rule(
    "RV003",
    "review.unstamped-approval",
    Severity.INFO,
    "approval not bound to content: the latest approving review of a document has no stamp",
)
def unstamped_approval(context: CheckContext) -> Iterator[Finding]:
    """
    What it checks:
        For each document that an approving review covers (and whose `status` is not
        `draft`, `review` or `obsolete`), whether the latest approving review by `date`
        carries a `stamp` that records the document. Reported once per review, at its
        `outcome` value, naming the documents whose content it does not bind.

    Why it matters:
        Without a stamp, RV002 cannot tell whether the approved text has changed since;
        only the hand-kept `version` (RV001) stands for it. The rule is an info by
        default because a review without a stamp is a complete record in the language
        (version 1.1), and a project that has never stamped must not turn red overnight.
        A project that requires every approval to be bound to its content raises it with
        `[checks] severity = { RV003 = "warning" }` in reqdsl.toml, so that a green
        `reqdsl check --strict` means exactly that.

    Example:
        review RV-1 "Sign-off" {
            covers: SRS
            version: "3.0"
            date: "2026-11-20"
            reviewers: ST-OWNER
            outcome: approved            # RV003: no `stamp`
        }

    Fix:
        Run `reqdsl review stamp RV-1` right after the review, on the content it
        approved, and commit the result.

    Reference:
        ISO/IEC/IEEE 29148, 6.2.5 (the result of validation is recorded); ISO/IEC/IEEE
        15288, 6.3.5 (configuration management: a baseline is identified).
    """
    missing: dict[str, tuple[ModelElement, list[str]]] = {}
    for document, review in _baselines(context):
        stamp = review.value("stamp")
        try:
            stamped = parse_record(stamp.raw) if stamp is not None else {}
        except StampError:
            continue  # RV002 reports the unreadable stamp
        if document.id not in stamped:
            missing.setdefault(review.id or "", (review, []))[1].append(document.id or "")
    for review, documents in missing.values():
        outcome = review.value("outcome")
        names = ", ".join(f"`{name}`" for name in documents)
        yield Finding.at(
            review,
            outcome.span if outcome is not None else None,
            _(
                "approving review `{id}` is not bound to the content of {names} it approved "
                "(no stamp)"
            ).format(id=review.id, names=names),
            hint=_("run `reqdsl review stamp {id}`").format(id=review.id),
        )
