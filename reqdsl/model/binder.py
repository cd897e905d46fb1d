"""From syntax to model: typed values, unknown fields and bad values (SM004), missing
required fields (SM005). One element at a time; references are resolved later.
"""

from __future__ import annotations

import datetime
import difflib
import re
from decimal import Decimal

from ..checks.registry import emit
from ..diagnostics import Diagnostic
from ..parse.syntax import Element, Field, ParsedFile, Value
from ..source import Span
from .elements import NO_SECTION, ModelElement, Score, SectionPath, Val, construct
from .schema import BOOLEAN_WORDS, FIELD_SPECS, FieldSpec

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_A_OR_AN = {kind: ("an " if kind[0] in "aeiou" else "a ") + kind for kind in FIELD_SPECS}


class Binder:
    """Binds the elements of one file. `custom_fields` comes from reqdsl.toml."""

    def __init__(
        self,
        parsed: ParsedFile,
        custom_fields: dict[str, dict[str, tuple[str, ...] | None]],
        first_order: int,
        *,
        keep_broken: bool = False,
    ) -> None:
        self.parsed = parsed
        self.keep_broken = keep_broken  # bind what parsed of a broken element (see withheld)
        self.path = parsed.relpath
        self.custom_fields = custom_fields
        self.order = first_order
        self.diagnostics: list[Diagnostic] = []
        self.elements: list[ModelElement] = []

    # ------------------------------------------------------------------ walking
    def bind(self) -> list[ModelElement]:
        document = self.parsed.document
        document_id = document.id if document is not None else None
        level: str | None = None
        if document is not None:
            bound = self._bind_element(document, document_id, None, NO_SECTION, None)
            level = bound.word("level")
            bound.level = level
        stack: list[tuple[Element, SectionPath, str | None]] = [
            (item, NO_SECTION, None) for item in reversed(self.parsed.items)
        ]
        while stack:  # iterative: 3,000 nested sections must not exhaust recursion
            element, sections, parent = stack.pop()
            bound = self._bind_element(element, document_id, level, sections, parent)
            if element.children:
                # One shared link per section: a copied list per level was n² memory.
                inner = (
                    sections.inside(element.title or "") if element.kind == "section" else sections
                )
                owner = element.id if element.kind == "decision" else None
                bound.children = [child.id for child in element.children if child.id]
                stack.extend((child, inner, owner) for child in reversed(element.children))
        return self.elements

    def _bind_element(
        self,
        element: Element,
        document_id: str | None,
        level: str | None,
        sections: SectionPath,
        parent: str | None,
    ) -> ModelElement:
        values: dict[str, object] = {
            "kind": element.kind,
            "id": element.id,
            "title": element.title,
            "path": self.path,
            "order": self.order,
            "span": element.span,
            "anchor": element.anchor,
            "document": document_id,
            "level": level,
            "section": sections,
            "parent": parent,
            "broken": element.broken and not self.keep_broken,
        }
        self.order += 1
        if not element.broken or self.keep_broken:
            values.update(self._bind_fields(element))
            values["attributes"] = element.attributes
            values["steps"] = element.steps
            values["body"] = element.body
        bound = construct(element.kind, values)
        self.elements.append(bound)
        return bound

    # ------------------------------------------------------------------ fields
    def _bind_fields(self, element: Element) -> dict[str, object]:
        specs = FIELD_SPECS[element.kind]
        custom = self.custom_fields.get(element.kind, {})
        out: dict[str, object] = {}
        field_spans: dict[str, Span] = {}
        custom_values: dict[str, list[Val]] = {}
        for field in element.fields:
            if field.name in field_spans:
                self._error(
                    field.name_span,
                    f"field `{field.name}` is given twice",
                    "give each field once; list several values with commas",
                )
                continue
            spec = specs.get(field.name)
            if spec is None:
                if field.name in custom:
                    field_spans[field.name] = field.name_span
                    custom_values[field.name] = self._bind_custom(field, custom[field.name])
                else:
                    self._unknown_field(element, field, [*specs, *custom])
                continue
            field_spans[field.name] = field.name_span
            if not spec.many and len(field.values) > 1:
                self._error(
                    field.values[1].span,
                    f"`{field.name}` takes one value, not a list",
                    "keep one value",
                )
            bound = self._bind_values(spec, field, element)
            if spec.kind == "pairs" or spec.many:
                out[spec.attr] = bound
            elif bound:
                out[spec.attr] = bound[0]
        for spec in specs.values():
            if spec.required and spec.name not in field_spans:
                self.diagnostics.append(
                    emit(
                        "SM005",
                        f"{_A_OR_AN[element.kind]} needs `{spec.name}`"
                        + (f": `{element.id}` has none" if element.id else ""),
                        self.path,
                        element.anchor,
                        hint=_required_hint(spec),
                    )
                )
        out["field_spans"] = field_spans
        out["custom"] = custom_values
        return out

    def _unknown_field(self, element: Element, field: Field, known: list[str]) -> None:
        close = difflib.get_close_matches(field.name, known, n=1, cutoff=0.7)
        hint = (
            f"did you mean `{close[0]}`?"
            if close
            else (
                f"fields of {_A_OR_AN[element.kind]}: {', '.join(sorted(known))}; declare custom "
                "fields under [fields." + element.kind + "] in reqdsl.toml"
            )
        )
        self._error(
            field.name_span, f"unknown field `{field.name}` on {_A_OR_AN[element.kind]}", hint
        )

    def _bind_custom(self, field: Field, allowed: tuple[str, ...] | None) -> list[Val]:
        out = []
        for value in field.values:
            if allowed is not None and (
                value.kind not in ("id", "keyword") or value.text not in allowed
            ):
                self._error(
                    value.span,
                    f"`{value.text}` is not allowed for `{field.name}`",
                    f"use one of: {', '.join(allowed)}",
                )
                continue
            out.append(Val(raw=value.text, span=value.span, value=value.text))
        return out

    def _bind_values(self, spec: FieldSpec, field: Field, element: Element) -> list:  # type: ignore[type-arg]
        bound: list[object] = []
        scored: set[str] = set()
        for value in field.values:
            if spec.kind == "pairs":
                if value.kind == "pair" and value.text in scored:
                    self._error(
                        value.span,
                        f"criterion `{value.text}` is scored twice",
                        "score each criterion once per option",
                    )
                    continue
                scored.add(value.text)
                score = self._bind_pair(spec, value)
                if score is not None:
                    bound.append(score)
                continue
            typed = self._typed(spec, value)
            if typed is not _INVALID:
                bound.append(Val(raw=value.text, span=value.span, value=typed))
        return bound

    def _typed(self, spec: FieldSpec, value: Value) -> object:
        kind, text = value.kind, value.text
        word = kind in ("id", "keyword")
        if spec.kind == "text":
            if kind in ("string", "text"):
                return text
            return self._bad(value, f"`{spec.name}` takes a string", f'write "{text}"')
        if spec.kind == "enum":
            if word and text in spec.values:
                return text
            if kind == "string" and text in spec.values:
                return self._bad(
                    value,
                    f"`{spec.name}` takes a bare word, not a string",
                    f"write {text} without quotes",
                )
            close = difflib.get_close_matches(text, spec.values, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`? " if close else ""
            return self._bad(
                value,
                f"`{text}` is not a valid `{spec.name}`",
                f"{hint}use one of: {', '.join(spec.values)}",
            )
        if spec.kind == "ref":
            if kind == "id":
                return text
            return self._bad(
                value, f"`{spec.name}` takes element IDs", "write the ID without quotes"
            )
        if spec.kind == "compliance":
            if kind == "ref":
                scheme, _, ref = text.partition(":")
                if spec.gdpr_only and scheme != "gdpr":
                    return self._bad(
                        value,
                        f"`{spec.name}` takes a GDPR reference",
                        "write it as gdpr:ARTICLE(PARAGRAPH)(POINT), e.g. gdpr:6(1)(b)",
                    )
                return (scheme, ref)
            return self._bad(
                value,
                f"`{spec.name}` takes compliance references such as "
                "gdpr:6(1)(b) or iso27001:A.8.24",
                "write SCHEME:REF without spaces",
            )
        if spec.kind == "bool":
            if word and text in BOOLEAN_WORDS:
                return BOOLEAN_WORDS[text]
            return self._bad(value, f"`{spec.name}` takes true or false", "use true or false")
        if spec.kind == "number":
            return self._number(spec, value)
        if spec.kind == "version":
            if kind in ("string", "number", "id"):
                return text
            return self._bad(value, f"`{spec.name}` takes a version string", 'write "1.0.0"')
        if spec.kind == "date":
            return self._date(spec, value)
        if spec.kind == "transfer":
            if (word and text == "none") or kind in ("string", "text"):
                return text
            return self._bad(
                value,
                "`transfer` takes `none` or a string naming the destination and mechanism",
                'e.g. "United States, standard contractual clauses"',
            )
        if spec.kind == "technique":
            if kind in ("string", "id"):
                return text
            return self._bad(value, "`attack` takes ATT&CK technique IDs", 'write "T1110.004"')
        if spec.kind == "word":
            if kind in ("id", "keyword", "string"):
                return text
            return self._bad(value, f"`{spec.name}` takes names", "write a name")
        raise AssertionError(spec.kind)

    def _number(self, spec: FieldSpec, value: Value) -> object:
        if value.kind != "number":
            return self._bad(value, f"`{spec.name}` takes a number", "write a number such as 3")
        number = Decimal(value.text)
        if spec.minimum is not None and number < Decimal(str(spec.minimum)):
            return self._bad(
                value,
                f"`{spec.name}` must be at least {spec.minimum:g}, not {value.text}",
                f"use a number >= {spec.minimum:g}",
            )
        return number

    def _date(self, spec: FieldSpec, value: Value) -> object:
        if value.kind == "string" and _DATE.match(value.text):
            try:
                return datetime.date.fromisoformat(value.text)
            except ValueError:
                pass
        return self._bad(
            value,
            f"`{value.text}` is not a calendar date YYYY-MM-DD",
            'write the date as "2026-11-20"',
        )

    def _bind_pair(self, spec: FieldSpec, value: Value) -> Score | None:
        if value.kind != "pair" or value.number is None or value.number_span is None:
            self._error(
                value.span,
                "`scores` takes `CRITERION SCORE` pairs",
                "write e.g. scores: C-COST 4, C-AVAIL 3",
            )
            return None
        number: Decimal | None = Decimal(value.number)
        assert number is not None
        low, high = spec.minimum or 0, spec.maximum or 5
        if not Decimal(str(low)) <= number <= Decimal(str(high)):
            self._error(
                value.number_span,
                f"score `{value.number}` is out of range",
                f"scores run from {low:g} to {high:g}",
            )
            number = None
        return Score(
            criterion=value.text,
            criterion_span=value.span.__class__(
                value.span.start,
                value.span.start + len(value.text),
                value.span.line,
                value.span.column,
                value.span.line,
                value.span.column + len(value.text),
            ),
            score=number,
            score_span=value.number_span,
            span=value.span,
        )

    # ------------------------------------------------------------------ reporting
    def _bad(self, value: Value, message: str, hint: str) -> object:
        self._error(value.span, message, hint)
        return _INVALID

    def _error(self, span: Span, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(emit("SM004", message, self.path, span, hint=hint))


_INVALID = object()


def _required_hint(spec: FieldSpec) -> str:
    if spec.values:
        return f"add `{spec.name}: ` with one of: {', '.join(spec.values)}"
    return f"add a `{spec.name}:` field"


def bind_file(
    parsed: ParsedFile,
    custom_fields: dict[str, dict[str, tuple[str, ...] | None]],
    first_order: int,
    *,
    keep_broken: bool = False,
) -> tuple[list[ModelElement], list[Diagnostic]]:
    """The file's elements and the binder's diagnostics. `keep_broken` binds the fields
    that parsed of an element with a syntax error, as if it had none (the spec ignores
    them: only reqdsl.checks.withheld asks, to learn what the error alone causes)."""
    binder = Binder(parsed, custom_fields, first_order, keep_broken=keep_broken)
    elements = binder.bind()
    return elements, binder.diagnostics
