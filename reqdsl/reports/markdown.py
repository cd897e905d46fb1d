"""Markdown that keeps user text inert: escaping for cells, headings and paragraphs, and
the Markdown rendering of a report's `Document`.

Everything a `.req` file says (titles, statements, purposes, justifications, even IDs)
passes through `escape_markdown` before it reaches Markdown, so that no file can inject
HTML, links, images, emphasis or table cells into a report or a site page. The site
generator imports `escape_markdown` from here.
"""

from __future__ import annotations

import re

from ..i18n import _
from .base import Block, Document, Table

# CommonMark allows a backslash before any ASCII punctuation, and Python-Markdown and GFM
# tables honour `\|` inside cells; `~ ^ $` cover the strike, insert and maths extensions
# of pymdown-extensions. `& < >` become entities, so no raw HTML gets through. Control
# characters (but tab, newline and carriage return) are dropped.
_ESCAPES: dict[int, str | None] = {
    **{ord(char): "\\" + char for char in "\\`*_[]{}|~^$"},
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord("\t"): " ",
    **{code: None for code in (*range(32), *range(0x7F, 0xA0)) if code not in (9, 10, 13)},
}
# Marks that matter at a line's start only.
_BLOCK_MARK = re.compile(r"^(\s*)([#+\-=])")  # heading, list item, setext underline
_NUMBER_MARK = re.compile(r"^(\s*\d+)([.)])")  # ordered list item
_NEWLINES = re.compile(r"\r\n?|\n")
# Text that none of the above touches (most IDs, numbers and plain words): left as it is.
_PLAIN = re.compile(r"[^\\`*_\[\]{}|~^$&<>\x00-\x1f\x7f-\x9f#+\-=.)]*")


def escape_markdown(text: str, *, newline: str = "<br>") -> str:
    """`text` as literal Markdown inline content: special characters escaped, `&`, `<`
    and `>` as entities (so no raw HTML), newlines replaced by `newline` (`<br>` keeps a
    line break inside a table cell; pass `" "` for headings)."""
    if _PLAIN.fullmatch(text):
        return text
    lines = []
    for line in _NEWLINES.split(text):
        escaped = _BLOCK_MARK.sub(r"\1\\\2", line.translate(_ESCAPES), count=1)
        lines.append(_NUMBER_MARK.sub(r"\1\\\2", escaped, count=1))
    return newline.join(lines)


def escape_cell(text: str) -> str:
    """Escaped for a table cell: line breaks become `<br>`."""
    return escape_markdown(text, newline="<br>")


def table_markdown(table: Table) -> str:
    header = "| " + " | ".join(escape_cell(column) for column in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(escape_cell(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join([header, rule, *rows])


def _block(block: Block) -> str:
    parts = ["#" * block.level + " " + escape_markdown(block.title, newline=" ")]
    if block.text:
        parts.append(escape_markdown(block.text))
    if block.table is not None:
        rows = block.table.rows
        parts.append(table_markdown(block.table) if rows else escape_markdown(_(block.empty)))
    return "\n\n".join(parts)


def render_markdown(document: Document) -> str:
    """The whole report as Markdown, every piece of user text escaped."""
    parts = ["# " + escape_markdown(document.title, newline=" ")]
    parts += [_block(block) for block in document.blocks]
    return "\n\n".join(parts) + "\n"
