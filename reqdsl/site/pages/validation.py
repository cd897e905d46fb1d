"""The Validation page: each document with its version and status and the reviews
covering it; each review with who reviewed, when, the outcome and the findings; and the
stale approvals: approving reviews of an older version than the document's current one,
and approved documents with no approving review of their current version (RV001).

Versions compare as written text, and two absent versions are equal (the language's
rule, as RV001 reads it).
"""

from __future__ import annotations

from ...i18n import N_, _, format_date
from ...labels import word_label
from ...model.elements import ModelElement
from ...model.facts.reviews import APPROVING_OUTCOMES
from ..context import SiteContext
from ..html import block, esc, field_table, front_matter, heading, md_text, table

PAGE = "validation.md"
TITLE = N_("Validation")
_OUTCOME_CSS = {"approved": "ok", "approved-with-changes": "warning", "rejected": "error"}


def _outcome(outcome: str | None) -> str:
    if outcome is None:
        return f'<span class="rq-badge rq-muted">{_("unset")}</span>'
    css = _OUTCOME_CSS.get(outcome, "muted")
    return f'<span class="rq-badge rq-{css}">{esc(word_label(outcome))}</span>'


def _version(text: str | None) -> str:
    none = _("none")
    return (
        f"<code>{esc(text)}</code>" if text is not None else f'<span class="rq-muted">{none}</span>'
    )


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
            "<p>"
            + _(
                "Stakeholder validation of each document version (ISO/IEC/IEEE 29148, "
                "6.2.5). An approval is <em>stale</em> when the approving review was of "
                "another version than the document's current one."
            )
            + "</p>"
        )
    )
    parts.append("## " + _("Documents"))
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
                     esc(format_date(review.word("date") or "")), _outcome(review.word("outcome"))]
                )  # fmt: skip
        if status == "approved" and not current:
            state = (
                f'<span class="rq-badge rq-gap">{_("approved, no review of this version")}</span>'
            )
        elif current:
            state = f'<span class="rq-badge rq-ok">{_("validated")}</span>'
        elif mine:
            label = _("reviewed, not approved at this version")
            state = f'<span class="rq-badge rq-warning">{label}</span>'
        else:
            state = f'<span class="rq-badge rq-muted">{_("not reviewed")}</span>'
        reviewed = "<br>".join(
            f"{ctx.index.ref(PAGE, r.id or '')} {_version(r.word('version'))} "
            f"{esc(format_date(r.word('date') or ''))} {_outcome(r.word('outcome'))}"
            for r in mine
        )
        rows.append(
            [ctx.index.ref(PAGE, document.id or "", with_title=True), _version(version),
             esc(word_label(status or "")),
             reviewed or f'<span class="rq-muted">{_("none")}</span>', state]
        )  # fmt: skip
    parts.append(
        block(
            table([_("document"), _("version"), _("status"), _("reviews"), _("validation")], rows)
            if rows
            else f'<p class="rq-muted">{_("No documents.")}</p>'
        )
    )
    parts.append("## " + _("Stale approvals"))
    none_stale = _("None: every approving review is of the current version.")
    parts.append(
        block(
            table(
                [_("document"), _("current version"), _("review"), _("reviewed version"),
                 _("date"), _("outcome")],
                stale_rows,
            )
            if stale_rows
            else f'<p class="rq-muted">{none_stale}</p>'
        )
    )  # fmt: skip
    parts.append("## " + _("Reviews"))
    if not ctx.project.of_kind("review"):
        parts.append(block(f'<p class="rq-muted">{_("No reviews are recorded.")}</p>'))
    for review in ctx.project.of_kind("review"):
        parts.append(_review(ctx, review))
    return {PAGE: "\n\n".join(parts) + "\n"}


def _review(ctx: SiteContext, review: ModelElement) -> str:
    label = f"{review.id or ''} {review.title or ''}".strip()
    home = ctx.index.href(PAGE, review)
    rows = [
        (
            _("covers"),
            ctx.index.refs(PAGE, [v.raw for v in review.refs("covers")], with_title=True),
        ),
        (_("version"), _version(review.word("version"))),
        (_("date"), esc(format_date(review.word("date") or ""))),
        (
            _("reviewers"),
            ctx.index.refs(PAGE, [v.raw for v in review.refs("reviewers")], with_title=True),
        ),
        (_("outcome"), _outcome(review.word("outcome"))),
        (_("defined in"), f'<a href="{esc(home)}">{esc(review.path)}</a>'),
    ]
    findings = ctx.field_text_html(PAGE, review, "findings")
    if findings:
        rows.append((_("findings"), findings))
    if review.value("stamp") is not None:  # `reqdsl review stamp`; RV002 checks it
        revision = review.word("revision")
        at = (
            _(", at commit {commit}").format(commit=f"<code>{esc(revision[:12])}</code>")
            if revision
            else ""
        )
        rows.append((_("content"), _("bound by a stamp{at}").format(at=at)))
    if review.broken:
        rows.append((_("note"), f'<span class="rq-badge rq-error">{_("syntax error")}</span>'))
    found = ctx.by_element.get(review.order, [])
    return f"{heading(3, md_text(label))}\n\n" + block(
        field_table(rows), ctx.diagnostics_html(PAGE, found)
    )
