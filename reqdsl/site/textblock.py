"""`.req` text blocks (`\"\"\"...\"\"\"`, Markdown) to HTML that cannot run or fetch anything.

A text block is rendered here, at generation time, by a Python-Markdown instance with
raw HTML turned off (the `html_block` preprocessor and the inline `html` pattern are
removed, so `<script>` is shown as text) and no `attr_list` (which would let `{: onclick=…}`
through). A tree processor then keeps only links to `http:`, `https:` and `mailto:` and
to `#ID` of an element of the project (rewritten to that element's page), turns images
into their alternative text (a site that works offline fetches nothing from another host,
and `.req` files carry no image files), and demotes headings so that a text block cannot
add entries to the page's table of contents. The result is embedded in a page's raw HTML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.treeprocessors import Treeprocessor

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_EXTERNAL = ("http://", "https://", "mailto:")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

Resolver = Callable[[str], str | None]  # `ID` -> URL of its anchor, or None


def _nowhere(_anchor: str) -> str | None:
    return None


class _Sanitiser(Treeprocessor):  # type: ignore[misc]  # Python-Markdown has no types
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.resolve: Resolver = _nowhere

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                self._link(element)
            elif element.tag == "img":
                alt = element.get("alt") or ""
                element.attrib.clear()
                element.tag = "span"
                element.set("class", "rq-image-omitted")
                element.text = f"[image: {alt}]" if alt else "[image]"
            elif element.tag in _HEADINGS:
                element.tag = "p"
                element.set("class", "rq-text-heading")

    def _link(self, element: etree.Element) -> None:
        href = _SPACES.sub("", element.get("href") or "")
        title = element.get("title")
        element.attrib.clear()
        if title:
            element.set("title", title)
        if href.lower().startswith(_EXTERNAL):
            element.set("href", href)
            element.set("rel", "noopener noreferrer nofollow")
            element.set("class", "rq-external")
            return
        target = self.resolve(href[1:]) if href.startswith("#") and len(href) > 1 else None
        if target is not None:
            element.set("href", target)
        else:  # a relative path, an unknown anchor, `javascript:`, `data:`, ...
            element.tag = "span"
            element.set("class", "rq-dead-link")


class TextBlockRenderer:
    """Renders text blocks; one instance serves a whole site generation."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=["tables", "sane_lists", "fenced_code"], output_format="html"
        )
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._sanitiser = _Sanitiser(self._md)
        self._md.treeprocessors.register(self._sanitiser, "rq-sanitise", 0)

    def render(self, text: str, resolve: Resolver | None = None) -> str:
        """`text` (Markdown) as HTML; `#ID` links go through `resolve`."""
        self._sanitiser.resolve = resolve or _nowhere
        try:
            return str(self._md.reset().convert(_CONTROL.sub("", text)))
        finally:
            self._sanitiser.resolve = _nowhere
