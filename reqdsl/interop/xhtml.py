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
    text = _walk(node)
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


class _Text:
    """The text written so far, and what a separator needs to know of it (whether it
    holds anything but whitespace, how many newlines end it), kept up to date as it
    grows: looking at the whole text at each block was quadratic (16 s for 40,000 `<p>`).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blank = True
        self.newlines = 0  # at the end

    def write(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text)
        self.blank = self.blank and not text.strip()
        kept = text.rstrip("\n")
        self.newlines = len(text) - len(kept) + (0 if kept else self.newlines)

    def separate(self, separator: str) -> None:
        """End what was written with `separator` (newlines), unless nothing was written."""
        if not self.blank and self.newlines < len(separator):
            self.write("\n" * (len(separator) - self.newlines))


# What `_walk` does next: an element to walk (and whether it is the top one), or text or a
# separator to write.
_Task = tuple[str, Any]


def _walk(top: Any) -> str:
    """The element's text with its blocks on their own lines. A loop over a stack of
    tasks rather than a call per element: XHTML nested 1,000 deep must not exhaust
    Python's recursion."""
    out = _Text()
    tasks: list[_Task] = [("top", top)]
    while tasks:
        what, item = tasks.pop()
        if what == "text":
            out.write(item)
        elif what == "separate":
            out.separate(item)
        else:
            tasks.extend(reversed(_element_tasks(item, out, top=what == "top")))
    return "".join(out.parts)


def _element_tasks(node: Any, out: _Text, top: bool) -> list[_Task]:
    """Write the element's own text; return the tasks for its children, in order."""
    children = list(node)
    block_container = top or any(_local(child.tag) in _BLOCKS | {"li"} for child in children)
    text = node.text or ""
    if not (block_container and not text.strip()):
        out.write(text)
    tasks: list[_Task] = []
    for child in children:
        tag = _local(child.tag)
        if tag == "br":
            tasks.append(("text", "\n"))
        elif tag in _BLOCKS:
            tasks += [("separate", "\n\n"), ("element", child), ("separate", "\n\n")]
        elif tag == "li":
            tasks += [("separate", "\n"), ("text", "- "), ("element", child), ("separate", "\n")]
        else:
            tasks.append(("element", child))
        tail = child.tail or ""
        if not (block_container and not tail.strip()):
            tasks.append(("text", tail))
    return tasks
