"""Lossless edits of `.req` text: set a field of one element, every other byte kept.

`reqdsl fmt` rewrites a whole file in the canonical layout; a tool that only records a
value (`reqdsl review stamp`) must leave the author's layout, comments, BOM and line
endings exactly as they were. Edits are worked out on the normalised text the parser
saw (positions are its offsets) and applied to the raw text through an offset map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..parse.syntax import Element, Field
from ..source import normalise_text

INDENT = "    "


@dataclass(frozen=True)
class Edit:
    """Replace normalised text [start, end) by `text` (LF line endings)."""

    start: int
    end: int
    text: str


def set_fields(text: str, element: Element, values: dict[str, str | None]) -> list[Edit]:
    """Edits giving `element` these fields: `name -> source text of the value` replaces
    the field or adds it after the element's last field; `name -> None` removes it.
    `text` is the normalised text `element` was parsed from; the element must have at
    least one field (where new ones go)."""
    assert element.fields, "set_fields needs an element with a field to insert after"
    given = {f.name: f for f in element.fields}
    indent = _field_indent(text, element)
    edits: list[Edit] = []
    added: list[str] = []
    for name, value in values.items():
        found = given.get(name)
        if value is None:
            if found is not None:
                edits.append(_removal(text, found))
        elif found is not None:
            edits.append(Edit(found.span.start, found.span.end, _field_text(name, value, indent)))
        else:
            added.append(_field_text(name, value, indent))
    if added:
        last = element.fields[-1].span.end
        at = _after_line_of(text, element.fields[-1])
        if at is None:  # the element goes on after its last field: add to that line
            edits.append(Edit(last, last, "".join(" " + item for item in added)))
        else:
            edits.append(Edit(at, at, "".join("\n" + indent + item for item in added)))
    return edits


def apply(raw: str, edits: list[Edit]) -> str:
    """`raw` (the file as read: BOM, CRLF or CR kept) with `edits` made; inserted line
    breaks follow the file's own."""
    newline = "\r\n" if "\r\n" in raw else "\r" if "\r" in raw else "\n"
    offsets = _raw_offsets(raw)
    out = raw
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        start, end = offsets(edit.start), offsets(edit.end)
        out = out[:start] + edit.text.replace("\n", newline) + out[end:]
    return out


def _raw_offsets(raw: str) -> Callable[[int], int]:
    """Normalised offset -> raw offset (normalise_text drops a BOM and folds CRLF)."""
    bom = 1 if raw.startswith("\ufeff") else 0
    if "\r" not in raw:
        return lambda offset: offset + bom
    table: list[int] = []
    index = bom
    while index < len(raw):
        table.append(index)
        index += 2 if raw.startswith("\r\n", index) else 1
    table.append(len(raw))
    assert len(table) == len(normalise_text(raw)) + 1
    return lambda offset: table[offset]


def _field_text(name: str, value: str, indent: str) -> str:
    """`name: value`; a multi-line value's later lines at the field's indentation, as
    `reqdsl fmt` lays out a text block, so that formatting a stamped file changes
    nothing."""
    lines = value.split("\n")
    return f"{name}: " + "\n".join(
        [lines[0], *(indent + line if line else "" for line in lines[1:])]
    )


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _field_indent(text: str, element: Element) -> str:
    """The indentation of the element's fields: that of its first field if the field
    starts its line, else the element's own plus one level."""
    first = element.fields[0].span.start
    start = _line_start(text, first)
    if not text[start:first].strip():
        return text[start:first]
    head = _line_start(text, element.span.start)
    own = text[head : element.span.start]
    return (own if not own.strip() else "") + INDENT


def _after_line_of(text: str, field: Field) -> int | None:
    """Where a field may be added on a new line after `field`: the end of its line, when
    only blanks or a comment follow it there; None when the element goes on."""
    end = field.span.end
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    rest = text[end:line_end].strip()
    return line_end if not rest or rest.startswith("#") else None


def _removal(text: str, field: Field) -> Edit:
    """Remove a field; the whole line when it stands alone on it."""
    start, end = field.span.start, field.span.end
    head = _line_start(text, start)
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if not text[head:start].strip() and not text[end:line_end].strip() and head > 0:
        return Edit(head - 1, line_end, "")
    return Edit(start, end, "")
