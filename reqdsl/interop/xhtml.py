"""XHTML attribute values (ReqIF.Text) to plain text with light Markdown.

Block elements (p, div, headings, list items, table rows) become lines separated by a
blank line (list items by a single newline, with `- `); `<br/>` is a newline; inline
markup keeps only its text. Whitespace that only indents the XML between blocks is
dropped; text inside a block is kept as it is, so reqdsl's own export (a div with
`<br/>` between lines) reads back exactly.
"""

from __future__ import annotations

from typing import Any

_BLOCKS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "pre",
    "blockquote",
})  # fmt: skip


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def xhtml_text(node: Any) -> str:
    """The text of THE-VALUE (or any element holding XHTML)."""
    parts: list[str] = []
    _walk(node, parts, top=True)
    text = "".join(parts)
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    out: list[str] = []
    for line in lines:  # at most one blank line between blocks
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line if line.strip() else "")
    return "\n".join(out)


def _walk(node: Any, parts: list[str], top: bool = False) -> None:
    children = list(node)
    block_container = top or any(_local(child.tag) in _BLOCKS | {"li"} for child in children)
    text = node.text or ""
    if not (block_container and not text.strip()):
        parts.append(text)
    for child in children:
        tag = _local(child.tag)
        if tag == "br":
            parts.append("\n")
        elif tag in _BLOCKS:
            _separate(parts, "\n\n")
            _walk(child, parts)
            _separate(parts, "\n\n")
        elif tag == "li":
            _separate(parts, "\n")
            parts.append("- ")
            _walk(child, parts)
            _separate(parts, "\n")
        else:
            _walk(child, parts)
        tail = child.tail or ""
        if not (block_container and not tail.strip()):
            parts.append(tail)


def _separate(parts: list[str], separator: str) -> None:
    """End what was written with `separator` (newlines), unless nothing was written."""
    text = "".join(parts)
    if not text.strip():
        return
    trailing = len(text) - len(text.rstrip("\n"))
    if trailing < len(separator):
        parts.append("\n" * (len(separator) - trailing))
