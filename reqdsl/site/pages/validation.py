"""The Validation page: each document with its version and status and the reviews
covering it; each review with who reviewed, when, the outcome and the findings; and the
stale approvals: approving reviews of an older version than the document's current one,
and approved documents with no approving review of their current version (RV001).

Versions compare as written text, and two absent versions are equal (the language's
rule, as RV001 reads it).
"""

from __future__ import annotations

from ...i18n import N_, _
from ...model.elements import ModelElement
from ...model.facts.reviews import APPROVING_OUTCOMES
from ..context import SiteContext
from ..html import block, esc, field_table, front_matter, heading, md_text, table

PAGE = "validation.md"
TITLE = N_("Validation")
_OUTCOME_CSS = {"approved": "ok", "approved-with-changes": "warning", "rejected": "error"}


def _outcome(outcome: str | None) -> str:
    if outcome is None:
        return '<span class="rq-badge rq-muted">unset</span>'
    return f'<span class="rq-badge rq-{_OUTCOME_CSS.get(outcome, "muted")}">{esc(outcome)}</span>'


def _version(text: str | None) -> str:
    return f"<code>{esc(text)}</code>" if text is not None else '<span class="rq-muted">none</span>'


def validation_page(ctx: SiteContext) -> dict[str, str]:
    reviews = ctx.project.live("review")
    documents = [head for _, head in ctx.index.documents if head is not None]
    covering: dict[str, list[ModelElement]] = {}
    for review in reviews:
        for covered in review.refs("covers"):
            covering.setdefault(covered.raw, []).append(review)
    parts = [front_matter(_(TITLE)), f"# {_(TITLE)}"]
    parts.append(
        block(
            "<p>Stakeholder validation of each document version (ISO/IEC/IEEE 29148, 6.2.5). "
            "An approval is <em>stale</em> when the approving review was of another version "
            "than the document's current one.</p>"
        )
    )
    parts.append("## Documents")
    rows, stale_rows = [], []
    for document in documents:
        version = document.word("version")
        status = document.word("status")
        mine = covering.get(document.id or "", [])
        approving = [r for r in mine if r.word("outcome") in APPROVING_OUTCOMES]
        current = [r for r in approving if r.word("version") == version]
        for review in approving:
            if review.word("version") != version:
                stale_rows.append(
                    [ctx.index.ref(PAGE, document.id or "", with_title=True), _version(version),
                     ctx.index.ref(PAGE, review.id or ""), _version(review.word("version")),
                     esc(review.word("date") or ""), _outcome(review.word("outcome"))]
                )  # fmt: skip
        if status == "approved" and not current:
            state = '<span class="rq-badge rq-gap">approved, no review of this version</span>'
        elif current:
            state = '<span class="rq-badge rq-ok">validated</span>'
        elif mine:
            state = (
                '<span class="rq-badge rq-warning">reviewed, not approved at this version</span>'
            )
        else:
            state = '<span class="rq-badge rq-muted">not reviewed</span>'
        reviewed = "<br>".join(
            f"{ctx.index.ref(PAGE, r.id or '')} {_version(r.word('version'))} "
            f"{esc(r.word('date') or '')} {_outcome(r.word('outcome'))}"
            for r in mine
        )
        rows.append(
            [ctx.index.ref(PAGE, document.id or "", with_title=True), _version(version),
             esc(status or ""), reviewed or '<span class="rq-muted">none</span>', state]
        )  # fmt: skip
    parts.append(
        block(
            table(["document", "version", "status", "reviews", "validation"], rows)
            if rows
            else '<p class="rq-muted">No documents.</p>'
        )
    )
    parts.append("## Stale approvals")
    parts.append(
        block(
            table(
                ["document", "current version", "review", "reviewed version", "date", "outcome"],
                stale_rows,
            )
            if stale_rows
            else '<p class="rq-muted">None: every approving review is of the current version.</p>'
        )
    )
    parts.append("## Reviews")
    if not ctx.project.of_kind("review"):
        parts.append(block('<p class="rq-muted">No reviews are recorded.</p>'))
    for review in ctx.project.of_kind("review"):
        parts.append(_review(ctx, review))
    return {PAGE: "\n\n".join(parts) + "\n"}


def _review(ctx: SiteContext, review: ModelElement) -> str:
    label = f"{review.id or ''} {review.title or ''}".strip()
    home = ctx.index.href(PAGE, review)
    rows = [
        ("covers", ctx.index.refs(PAGE, [v.raw for v in review.refs("covers")], with_title=True)),
        ("version", _version(review.word("version"))),
        ("date", esc(review.word("date") or "")),
        (
            "reviewers",
            ctx.index.refs(PAGE, [v.raw for v in review.refs("reviewers")], with_title=True),
        ),
        ("outcome", _outcome(review.word("outcome"))),
        ("defined in", f'<a href="{esc(home)}">{esc(review.path)}</a>'),
    ]
    findings = ctx.field_text_html(PAGE, review, "findings")
    if findings:
        rows.append(("findings", findings))
    if review.value("stamp") is not None:  # `reqdsl review stamp`; RV002 checks it
        revision = review.word("revision")
        at = f", at commit <code>{esc(revision[:12])}</code>" if revision else ""
        rows.append(("content", f"bound by a stamp{at}"))
    if review.broken:
        rows.append(("note", '<span class="rq-badge rq-error">syntax error</span>'))
    found = ctx.by_element.get(review.order, [])
    return f"{heading(3, md_text(label))}\n\n" + block(
        field_table(rows), ctx.diagnostics_html(PAGE, found)
    )
