"""The "Changes since REV" page (`reqdsl build --baseline REV`): what was added, removed
and changed since a git revision, field by field, and the links that became suspect."""

from __future__ import annotations

from ..context import SiteContext
from ..html import front_matter

PAGE = "changes.md"


def changes_title(revision: str) -> str:
    return f"Changes since {revision}"


def changes_page(ctx: SiteContext) -> dict[str, str]:
    if ctx.baseline is None:
        return {}
    from ...interop.diff_render import diff_markdown

    revision, diff = ctx.baseline
    title = changes_title(revision)
    # diff_markdown escapes every piece of user text (no raw HTML); the page is plain
    # Markdown, so MkDocs renders it (not reqdsl's fast path).
    # IDs link to the elements that exist (a removed one has no page to link to).
    body = diff_markdown(diff, title=title, href=lambda target: ctx.index.href_id(PAGE, target))
    return {PAGE: front_matter(title, fast=False) + "\n\n" + body}
