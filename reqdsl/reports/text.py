"""Plain-text rendering of a report's `Document`: underlined headings and aligned tables,
for a terminal. User text is kept on one line per cell, and control characters (escape
sequences a hostile file could use to rewrite the terminal) are shown as `\\xNN`."""

from __future__ import annotations

import re
import unicodedata

from ..i18n import _
from .base import Block, Document, Table

_UNDERLINE = {1: "=", 2: "-", 3: "~"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A run of whitespace holding a line break, matched from the run's start only: tried at
# every space of a long run without one, `\s*(?:\r\n?|\n)\s*` was quadratic.
_NEWLINES = re.compile(r"(?<!\s)[^\S\r\n]*+[\r\n]\s*+")


def clean(text: str) -> str:
    """One line, no control characters."""
    text = _NEWLINES.sub(" ", text).replace("\t", " ")
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def width(text: str) -> int:
    """Columns taken on a terminal (wide East Asian characters count 2)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def table_text(table: Table) -> str:
    rows = [[clean(cell) for cell in row] for row in table.rows]
    header = [clean(column) for column in table.columns]
    sizes = [width(column) for column in header]
    for row in rows:
        for index, cell in enumerate(row):
            sizes[index] = max(sizes[index], width(cell))
    lines = [header, ["-" * size for size in sizes], *rows]
    return "\n".join(
        "  ".join(_pad(cell, size) for cell, size in zip(line, sizes, strict=True)).rstrip()
        for line in lines
    )


def _heading(title: str, level: int) -> str:
    title = clean(title)
    return f"{title}\n{_UNDERLINE.get(level, '~') * width(title)}"


def _block(block: Block) -> str:
    parts = [_heading(block.title, block.level)]
    if block.text:
        parts.append(clean(block.text))
    if block.table is not None:
        parts.append(table_text(block.table) if block.table.rows else clean(_(block.empty)))
    return "\n\n".join(parts)


def render_text(document: Document) -> str:
    parts = [_heading(document.title, 1)]
    parts += [_block(block) for block in document.blocks]
    return "\n\n".join(parts) + "\n"
