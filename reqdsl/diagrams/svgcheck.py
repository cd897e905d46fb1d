"""Is an SVG inert? A check of its structure, made before any SVG is shipped.

The site shows a diagram through `<img>`, where a browser runs no script and loads
nothing, but it also links to the SVG file, which a reader may open on its own: then it is
a document like any other. PlantUML emits no active markup for the diagrams reqdsl writes;
should it ever (a new PlantUML, a bug, a label it misreads), the SVG is refused.

The SVG is parsed (defusedxml: no DTD, no entity) and every element, attribute and
processing instruction is judged by what it is, never by the words it shows: a label
saying "javascript: SPA" or "onload=" is text, and text content is not looked at. Refused:
- anything not well-formed, a DTD or an entity;
- an element outside the SVG namespace (an XHTML `<script>` or `<iframe>`), or one that
  runs script, embeds another document or changes attributes over time (`script`,
  `foreignObject`, `iframe`, `object`, `embed`, `handler`, `listener`, the SMIL animation
  elements, which can set an `href` to `javascript:`);
- an event handler attribute (`on...`);
- an `href` or `xlink:href` (on any element, in any namespace) that is not a `#fragment` of
  the same file;
- in CSS (a `style` attribute, a `<style>` element, a presentation attribute), `url(...)`
  other than `url(#fragment)`, `@import`, `image-set(...)` or a backslash escape (which
  can spell any of these);
- a processing instruction other than PlantUML's own `<?plantuml VERSION?>` (an
  `<?xml-stylesheet?>` fetches a style sheet).
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_ACTIVE = frozenset(
    {
        "script", "foreignobject", "iframe", "object", "embed", "handler", "listener",
        "animate", "animatecolor", "animatemotion", "animatetransform", "set",
    }
)  # fmt: skip
# Presentation attributes whose value is CSS that may hold a `url(...)`.
_CSS_ATTRIBUTES = frozenset(
    {
        "style", "fill", "stroke", "clip-path", "mask", "filter", "marker", "marker-start",
        "marker-mid", "marker-end", "cursor", "src",
    }
)  # fmt: skip
_LOCAL_URL = re.compile(r"""url\(\s*(["']?)#[^"')\\]*\1\s*\)""", re.IGNORECASE)
_FETCHING_CSS = re.compile(r"url\(|@import|image-set\(|image\(|\\", re.IGNORECASE)
_PROCESSING_INSTRUCTIONS = frozenset({"plantuml"})


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    """`{namespace}name` -> `name`."""
    return name.rsplit("}", 1)[-1]


def _check_css(css: str, where: str) -> None:
    if _FETCHING_CSS.search(_LOCAL_URL.sub("", css)):
        raise _Refused(f"holds CSS that may fetch something (in {where})")


class _Checker:
    """An XML parser target that raises _Refused at the first piece of active markup."""

    def __init__(self) -> None:
        self._in_style = 0
        self._css: list[str] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if not tag.startswith("{" + SVG_NAMESPACE + "}"):
            raise _Refused(f"holds an element outside SVG (`{tag}`)")
        name = _local(tag)
        if name.lower() in _ACTIVE:
            raise _Refused(f"holds a `{name}` element")
        if name == "style":
            self._in_style += 1
        for key, value in attrib.items():
            self._check_attribute(name, _local(key).lower(), value)

    @staticmethod
    def _check_attribute(element: str, attribute: str, value: str) -> None:
        if attribute.startswith("on"):
            raise _Refused(f"holds an event handler (`{attribute}` on `{element}`)")
        if attribute == "href" and not value.strip().startswith("#"):
            raise _Refused(f"links outside itself (`href` on `{element}`)")
        if attribute in _CSS_ATTRIBUTES:
            _check_css(value, f"`{attribute}` on `{element}`")

    def end(self, tag: str) -> None:
        if self._in_style and tag == "{" + SVG_NAMESPACE + "}style":
            self._in_style -= 1
            _check_css("".join(self._css), "a `style` element")
            self._css.clear()

    def data(self, text: str) -> None:
        if self._in_style:  # labels are never looked at; a style sheet is
            self._css.append(text)

    def pi(self, target: str, _text: str) -> None:
        if target.lower() not in _PROCESSING_INSTRUCTIONS:
            raise _Refused(f"holds a processing instruction (`<?{target}`)")

    def comment(self, _text: str) -> None:
        return None

    def close(self) -> None:
        return None


def svg_problem(svg: str) -> str | None:
    """None for an inert SVG; else why it is refused, e.g. "holds a `script` element"."""
    parser = DefusedXMLParser(target=_Checker(), forbid_dtd=True)
    try:
        parser.feed(svg)
        parser.close()
    except _Refused as refused:
        return str(refused)
    except DefusedXmlException:
        return "holds a DTD or an entity"
    except ParseError as error:
        return f"is not well-formed XML ({error})"
    return None
