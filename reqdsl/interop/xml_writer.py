"""Indent and serialise an ElementTree without recursion.

ElementTree's `indent` and `tostring` recurse once per XML level, so a ReqIF export of
sections nested a few hundred deep (two XML levels per section) ended in a
RecursionError. These two walk the tree with an explicit stack and write what
ElementTree writes (same indentation, escaping, `<TAG />` for empty elements, namespace
declarations on the root, sorted by prefix), so the output does not change.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building and writing only: parsing uses defusedxml


def indent(root: ET.Element, space: str = "  ") -> None:
    """What `ET.indent(root, space)` does: whitespace-only text and tails become a line
    break and the element's depth in `space`."""
    stack: list[tuple[ET.Element, int]] = [(root, 0)]
    while stack:
        element, level = stack.pop()
        if not len(element):
            continue
        inner = "\n" + space * (level + 1)
        if not element.text or not element.text.strip():
            element.text = inner
        for child in element:
            if not child.tail or not child.tail.strip():
                child.tail = inner
            stack.append((child, level + 1))
        last = element[-1]
        if not (last.tail or "").strip():
            last.tail = "\n" + space * level


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return (
        _escape_text(value)
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        return namespace, local
    return "", tag


def serialize(root: ET.Element, prefixes: dict[str, str]) -> str:
    """The tree as text, like `ET.tostring(root, encoding="unicode")` with
    `ET.register_namespace(prefix, uri)` for each of `prefixes` (uri -> prefix, "" for
    the default namespace). Only the namespaces the tree uses are declared."""
    used: set[str] = set()
    for element in root.iter():  # iterative in CPython
        namespace, _ = _split(element.tag)
        if namespace:
            used.add(namespace)
    unknown = used - prefixes.keys()
    if unknown:
        raise ValueError(f"no prefix for the namespaces {sorted(unknown)}")

    def name(tag: str) -> str:
        namespace, local = _split(tag)
        prefix = prefixes.get(namespace, "") if namespace else ""
        return f"{prefix}:{local}" if prefix else local

    parts: list[str] = []
    declarations = "".join(
        f' xmlns{":" + prefixes[uri] if prefixes[uri] else ""}="{_escape_attribute(uri)}"'
        for uri in sorted(used, key=lambda uri: prefixes[uri])
    )
    # Each entry: an element to open, or (closing text) to write when its subtree ends.
    stack: list[ET.Element | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = name(item.tag)
        parts.append("<" + tag)
        if item is root:
            parts.append(declarations)
        for key, value in item.attrib.items():
            parts.append(f' {name(key)}="{_escape_attribute(value)}"')
        tail = _escape_text(item.tail) if item.tail else ""
        if item.text or len(item):
            parts.append(">")
            if item.text:
                parts.append(_escape_text(item.text))
            stack.append(f"</{tag}>{tail}")
            stack.extend(list(item)[::-1])
        else:
            parts.append(" />" + tail)
    return "".join(parts)
