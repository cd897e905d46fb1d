"""Where IDs are written: definitions and references, found in the syntax tree.

A reference is an ID in a field whose value kind is `ref` or `pairs` (schema.py), a
scenario message's ends and `via`, an activity step's `by`, or an attribute type that is
not a primitive. Elements with a syntax error count too: renaming an ID should rename
every place it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model.resolve import iter_activity_steps, iter_messages
from ..model.schema import FIELD_SPECS, PRIMITIVE_TYPES
from ..parse.syntax import Element, Field, ParsedFile, Value
from ..source import Span


@dataclass(frozen=True)
class Occurrence:
    name: str
    span: Span
    definition: bool
    element: Element


def _sub_span(span: Span, length: int) -> Span:
    """The first `length` characters of a one-line span (the ID of an `ID NUMBER` pair)."""
    return Span(
        span.start, span.start + length, span.line, span.column, span.line, span.column + length
    )


def element_occurrences(element: Element) -> Iterator[Occurrence]:
    if element.id is not None and element.id_span is not None:
        yield Occurrence(element.id, element.id_span, True, element)
    specs = FIELD_SPECS.get(element.kind, {})
    for item in element.fields:
        spec = specs.get(item.name)
        if spec is None or not spec.value_kind.links:
            continue
        for value in item.values:
            if value.kind == "id":
                yield Occurrence(value.text, value.span, False, element)
            elif value.kind == "pair":
                yield Occurrence(value.text, _sub_span(value.span, len(value.text)), False, element)
    for attribute in element.attributes:
        if attribute.type not in PRIMITIVE_TYPES:
            yield Occurrence(attribute.type, attribute.type_span, False, element)
    for message in iter_messages(element.steps):
        yield Occurrence(message.source, message.source_span, False, element)
        yield Occurrence(message.target, message.target_span, False, element)
        if message.via is not None and message.via_span is not None:
            yield Occurrence(message.via, message.via_span, False, element)
    for step in iter_activity_steps(element.steps):
        if step.by is not None and step.by_span is not None:
            yield Occurrence(step.by, step.by_span, False, element)


def file_occurrences(parsed: ParsedFile) -> list[Occurrence]:
    out: list[Occurrence] = []
    for element in parsed.elements():
        out.extend(element_occurrences(element))
    return out


def _touches(span: Span, offset: int) -> bool:
    """The cursor is on a span when inside it or just after its last character."""
    return span.start <= offset <= span.end


def occurrence_at(parsed: ParsedFile, offset: int) -> Occurrence | None:
    for occurrence in file_occurrences(parsed):
        if _touches(occurrence.span, offset):
            return occurrence
    return None


def innermost_element(parsed: ParsedFile, offset: int) -> Element | None:
    found: Element | None = None
    for element in parsed.elements():
        if element.span.start <= offset <= element.span.end and (
            found is None or element.span.start >= found.span.start
        ):
            found = element
    return found


@dataclass(frozen=True)
class FieldSpot:
    """The field under the cursor, and the value under it (None on the field's name)."""

    element: Element
    field: Field
    value: Value | None


def field_at(parsed: ParsedFile, offset: int) -> FieldSpot | None:
    element = innermost_element(parsed, offset)
    if element is None:
        return None
    for item in element.fields:
        if _touches(item.name_span, offset):
            return FieldSpot(element, item, None)
        for value in item.values:
            if _touches(value.span, offset):
                return FieldSpot(element, item, value)
    return None
