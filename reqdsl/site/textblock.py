"""`.req` text blocks (`\"\"\"...\"\"\"`, Markdown) to HTML that cannot run or fetch anything.

A text block is rendered here, at generation time, by a Python-Markdown instance with
raw HTML turned off (the `html_block` preprocessor and the inline `html` pattern are
removed, so `<script>` is shown as text) and no `attr_list` (which would let `{: onclick=…}`
through). Fenced code is rendered as a plain `<pre><code>`: what follows the opening fence
(a language, or `{#id .class key=value}`) is ignored. Python-Markdown's `fenced_code`
extension would make it an id and classes, and Material reads some as its own: `<pre
id="__config">` would replace the theme's configuration, `<pre class="mermaid">` loads
mermaid from a CDN. A tree processor then keeps only links to `http:`, `https:` and
`mailto:` and to `#ID` of an element of the project (rewritten to that element's page),
turns images into their alternative text (a site that works offline fetches nothing from
another host, and `.req` files carry no image files), and demotes headings so that a text
block cannot add entries to the page's table of contents.

Last, the HTML goes through nh3 (the Ammonia sanitiser) with an allowlist of exactly what
this renderer emits: its tags, `href`/`title` on links, `start` on lists, `align` on table
cells, and reqdsl's own `rq-*` classes. Whatever a Python-Markdown extension might let
through one day, user text cannot choose an id, a class or an attribute. The result is
embedded in a page's raw HTML. Bidirectional controls and noncharacters become U+FFFD
first (`reqdsl.util.unicode.visible`), as everywhere on the site.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
import nh3
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.treeprocessors import Treeprocessor

from ..util.unicode import visible

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_EXTERNAL = ("http://", "https://", "mailto:")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_REL = "noopener noreferrer nofollow"
_ALIGN = {"left", "center", "right"}
# Exactly what Python-Markdown (with the extensions below) and `_Sanitiser` emit.
_CLEANER = nh3.Cleaner(
    tags={"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
          "a", "span", "table", "thead", "tbody", "tr", "th", "td"},
    attributes={"a": {"href", "title"}, "span": {"title"}, "ol": {"start"}},
    tag_attribute_values={"a": {"rel": {_REL}}, "th": {"align": _ALIGN}, "td": {"align": _ALIGN}},
    allowed_classes={
        "a": {"rq-external"},
        "span": {"rq-dead-link", "rq-image-omitted"},
        "p": {"rq-text-heading"},
    },
    link_rel=None,  # `_Sanitiser` sets `rel` on external links only
    url_schemes={"http", "https", "mailto"},
)  # fmt: skip

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
            element.set("rel", _REL)
            element.set("class", "rq-external")
            return
        target = self.resolve(href[1:]) if href.startswith("#") and len(href) > 1 else None
        if target is not None:
            element.set("href", target)
        else:  # a relative path, an unknown anchor, `javascript:`, `data:`, ...
            element.tag = "span"
            element.set("class", "rq-dead-link")


# The opening and closing lines of a fenced block, as FencedBlockPreprocessor reads them
# (what follows an opening fence is dropped below, never made into attributes).
_OPEN = re.compile(
    r"((?:~{3,}|`{3,}))[ ]*(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?"
    r"(?:hl_lines=(?P<quot>\"|')[^\n]*?(?P=quot)[ ]*)?)"
)
_CLOSE = re.compile(r"((?:~{3,}|`{3,}))[ ]*")


class _PlainFences(FencedBlockPreprocessor):  # type: ignore[misc]  # no types
    """Fenced code as `<pre><code>` and nothing else: the text after the opening fence
    (a language, `{#id .class key=value}`) is dropped, never made into attributes."""

    def run(self, lines: list[str]) -> list[str]:
        """What Python-Markdown's FENCED_BLOCK_RE finds (an opening fence line, then the
        first later line that is the same fence), found line by line: the regex, searched
        again after each block over a text rebuilt each time, was quadratic in the number
        of fences (thousands of unclosed ``` lines took seconds, then minutes)."""
        closing: dict[str, list[int]] = {}  # fence -> indexes of lines that close it
        for number, line in enumerate(lines):
            fence = _CLOSE.fullmatch(line)
            if fence is not None:
                closing.setdefault(fence.group(1), []).append(number)
        out: list[str] = []
        number = 0
        while number < len(lines):
            opening = _OPEN.fullmatch(lines[number])
            candidates = closing.get(opening.group(1), []) if opening is not None else []
            end = (
                candidates[bisect.bisect_right(candidates, number)]
                if candidates and (candidates[-1] > number)
                else None
            )
            if end is None:
                out.append(lines[number])
                number += 1
                continue
            code = "".join(line + "\n" for line in lines[number + 1 : end])
            placeholder = self.md.htmlStash.store(f"<pre><code>{self._escape(code)}</code></pre>")
            out += ["", placeholder, ""]
            number = end + 1
        return out


class TextBlockRenderer:
    """Renders text blocks; one instance serves a whole site generation."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=["tables", "sane_lists"],
            extension_configs={"tables": {"use_align_attribute": True}},  # no `style`
            output_format="html",
        )
        # Where the `fenced_code` extension would put its own preprocessor.
        self._md.preprocessors.register(_PlainFences(self._md, {}), "fenced_code_block", 25)
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._sanitiser = _Sanitiser(self._md)
        self._md.treeprocessors.register(self._sanitiser, "rq-sanitise", 0)

    def render(self, text: str, resolve: Resolver | None = None) -> str:
        """`text` (Markdown) as HTML; `#ID` links go through `resolve`."""
        self._sanitiser.resolve = resolve or _nowhere
        try:
            html = str(self._md.reset().convert(_CONTROL.sub("", visible(text))))
            return _CLEANER.clean(html)
        finally:
            self._sanitiser.resolve = _nowhere
