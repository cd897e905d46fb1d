"""XHTML attribute values (ReqIF.Text) to plain text with light Markdown.

Block elements (p, div, headings, list items, table rows) become lines separated by a
blank line (list items by a single newline, with `- `); `<br/>` is a newline; inline
markup keeps only its text. Whitespace that only indents the XML between blocks is
dropped; text inside a block is kept as it is, so reqdsl's own export (a div with
`<br/>` between lines) reads back exactly.
"""

from __future__ import annotations

import re
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
    # Blank lines stay as they are: blocks are separated by one already, and more come
    # from `<br/>`s, which say so (reqdsl's own export writes a text's blank lines so).
    return "\n".join(line if line.strip() else "" for line in lines)


def reqdsl_text(node: Any) -> str | None:
    """The text of a value in reqdsl's own shape (one div holding only text and bare
    `<br/>`s, each followed by a line break: `reqif._xhtml`), exactly, indentation
    included; None for any other shape. Files of earlier reqdsl versions have no line
    break after `<br/>` and read the same."""
    children = list(node)
    if len(children) != 1 or (node.text or "").strip() or (children[0].tail or "").strip():
        return None
    div = children[0]
    if _local(div.tag) != "div" or div.attrib:
        return None
    parts = [div.text or ""]
    for br in div:
        if _local(br.tag) != "br" or br.attrib or len(br) or br.text:
            return None
        tail = br.tail or ""
        parts.append("\n" + (tail[1:] if tail.startswith("\n") else tail))
    return "".join(parts)


_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n][ \t\r\n]*")


def _flow(text: str, pre: bool) -> str:
    """XHTML text as shown: outside `<pre>`, a line break in the source and the
    indentation around it are one space (reqdsl's export never puts a raw line break in
    text: it writes `<br/>`)."""
    return text if pre else _SOURCE_BREAK.sub(" ", text)


class _Text:
    """The text written so far, and what a separator needs to know of it (whether it
    holds anything but whitespace, how many newlines end it), kept up to date as it
    grows: looking at the whole text at each block was quadratic (16 s for 40,000 `<p>`).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.flowed = False  # the next text was flowed from source line breaks
        self.blank = True
        self.newlines = 0  # at the end

    def write(self, text: str) -> None:
        if not text:
            return
        if self.newlines or not self.parts:  # no indentation at the start of a line
            text = text.lstrip(" ") if text[:1] == " " and self.flowed else text
        self.flowed = False
        self.parts.append(text)
        self.blank = self.blank and not text.strip()
        kept = text.rstrip("\n")
        self.newlines = len(text) - len(kept) + (0 if kept else self.newlines)

    def separate(self, separator: str) -> None:
        """End what was written with `separator` (newlines), unless nothing was written."""
        if not self.blank and self.newlines < len(separator):
            if not self.newlines and self.parts:  # a space flowed from the source's indent
                self.parts[-1] = self.parts[-1].rstrip(" ")
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
        elif what == "flow":
            out.flowed = _SOURCE_BREAK.search(item) is not None
            out.write(_flow(item, pre=False))
        elif what == "separate":
            out.separate(item)
        else:
            pre = what == "pre"
            tasks.extend(reversed(_element_tasks(item, out, top=what == "top", pre=pre)))
    return "".join(out.parts)


def _table(node: Any) -> str:
    """A table as Markdown: a line per row, `|` between cells, the rule after the first."""
    rows: list[list[str]] = []
    stack = [node]
    while stack:  # rows in document order, in thead/tbody/tfoot or not
        item = stack.pop()
        for child in reversed(list(item)):
            tag = _local(child.tag)
            if tag in ("tr", "thead", "tbody", "tfoot"):
                stack.append(child)
        if _local(item.tag) == "tr":
            cells = [c for c in item if _local(c.tag) in ("td", "th")]
            rows.append([_walk(cell).strip().replace("\n", " ").replace("|", "\\|")
                         for cell in cells])  # fmt: skip
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _element_tasks(node: Any, out: _Text, top: bool, pre: bool = False) -> list[_Task]:
    """Write the element's own text; return the tasks for its children, in order."""
    children = list(node)
    block_container = top or any(_local(child.tag) in _BLOCKS | {"li"} for child in children)
    text_task = "text" if pre else "flow"
    text = node.text or ""
    tasks: list[_Task] = []
    if not (block_container and not text.strip()):
        tasks.append((text_task, text))
    for child in children:
        tag = _local(child.tag)
        inner = "pre" if pre or tag == "pre" else "element"
        if tag == "br":
            tasks.append(("text", "\n"))
        elif tag == "table":
            tasks += [("separate", "\n\n"), ("text", _table(child)), ("separate", "\n\n")]
        elif tag in _BLOCKS:
            tasks += [("separate", "\n\n"), (inner, child), ("separate", "\n\n")]
        elif tag == "li":
            tasks += [("separate", "\n"), ("text", "- "), (inner, child), ("separate", "\n")]
        else:
            tasks.append((inner, child))
        tail = child.tail or ""
        if not (block_container and not tail.strip()):
            tasks.append((text_task, tail))
    return tasks
