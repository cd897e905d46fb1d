"""A project diff as text, JSON or Markdown (the Markdown is what the site's "Changes
since REV" page shows: every piece of user text escaped)."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..reports.markdown import escape_cell, escape_markdown
from .diff import ElementRef, ProjectDiff
from .model_view import FieldValue


def _value(value: FieldValue | None) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(value)
    return value


def _name(item: ElementRef) -> str:
    title = f' "{item.title}"' if item.title and not item.id.startswith("term:") else ""
    return f"{item.kind} {item.id}{title}"


def diff_text(diff: ProjectDiff) -> str:
    lines = [f"changes from {diff.old_label} to {diff.new_label}"]
    if diff.empty:
        return lines[0] + ": none\n"
    for label, items in (("added", diff.added), ("removed", diff.removed)):
        if items:
            lines += ["", f"{label} ({len(items)}):"]
            lines += [f"  {'+' if label == 'added' else '-'} {_name(item)}" for item in items]
    if diff.changed:
        lines += ["", f"changed ({len(diff.changed)}):"]
        for change in diff.changed:
            lines.append(f"  ~ {_name(change.element)}")
            for item in change.changes:
                lines.append(f"      {item.field}: {_value(item.old)!r} -> {_value(item.new)!r}")
    if diff.suspect:
        lines += ["", f"suspect links ({len(diff.suspect)}): review these elements"]
        for link in diff.suspect:
            because = f"({link.target} {link.reason})"
            lines.append(f"  ! {_name(link.source)}: {link.field} {link.target} {because}")
    return "\n".join(lines) + "\n"


def diff_json(diff: ProjectDiff) -> str:
    return json.dumps(diff.to_json(), indent=2, ensure_ascii=False) + "\n"


# The URL of an element's page from its ID (None: no such element now); a URL built by
# reqdsl.site.html.relative_url, made of URL-safe characters only.
Href = Callable[[str], "str | None"]


def _md_id(element_id: str, href: Href | None) -> str:
    code = f"`{element_id.replace('`', '')}`"
    url = href(element_id) if href is not None else None
    return f"[{code}]({url})" if url else code


def _md_name(item: ElementRef, href: Href | None = None) -> str:
    title = f" {escape_markdown(item.title, newline=' ')}" if item.title else ""
    return f"{_md_id(item.id, href)} ({item.kind}){title}"


def diff_markdown(diff: ProjectDiff, title: str | None = None, href: Href | None = None) -> str:
    """The diff as a Markdown page: summary, added, removed, changed field by field
    (a table per element) and suspect links. With `href` (the site), IDs of elements
    that exist link to them."""
    heading = title or f"Changes from {diff.old_label} to {diff.new_label}"
    parts = ["# " + escape_markdown(heading, newline=" ")]
    parts.append(
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed; "
        f"{len(diff.suspect)} suspect links."
    )
    if diff.empty:
        parts.append("No element changed.")
    for label, items in (("Added", diff.added), ("Removed", diff.removed)):
        if items:
            parts.append(f"## {label}\n\n" + "\n".join(f"- {_md_name(i, href)}" for i in items))
    if diff.changed:
        parts.append("## Changed")
        for change in diff.changed:
            rows = [
                f"| {escape_cell(c.field)} | {escape_cell(_value(c.old))} | "
                f"{escape_cell(_value(c.new))} |"
                for c in change.changes
            ]
            table = "| field | before | after |\n|---|---|---|\n" + "\n".join(rows)
            parts.append(f"### {_md_name(change.element, href)}\n\n{table}")
    if diff.suspect:
        rows = [
            f"| {_md_name(s.source, href)} | {escape_cell(s.field)} | {_md_id(s.target, href)} "
            f"| {s.reason} |"
            for s in diff.suspect
        ]
        parts.append(
            "## Suspect links\n\nThese elements link to an element that changed or was removed: "
            "review them.\n\n| element | link | to | because it was |\n|---|---|---|---|\n"
            + "\n".join(rows)
        )
    return "\n\n".join(parts) + "\n"
