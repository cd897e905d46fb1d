"""From syntax to model: typed values, unknown fields and bad values (SM004), missing
required fields (SM005). One element at a time; references are resolved later.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..checks.registry import emit
from ..diagnostics import Diagnostic
from ..i18n import _
from ..parse.syntax import Element, Field, ParsedFile
from ..source import Span
from .elements import NO_SECTION, ModelElement, SectionPath, Val, construct
from .resolve import article
from .schema import FIELD_SPECS, FieldSpec


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
            bound = self._bind_values(spec, field)
            if bound:
                out[spec.attr] = spec.value_kind.stored(spec, bound)
        for spec in specs.values():
            if spec.required and spec.name not in field_spans:
                self.diagnostics.append(
                    emit(
                        "SM005",
                        (
                            _("{kind} needs `{field}`: `{id}` has none")
                            if element.id
                            else _("{kind} needs `{field}`")
                        ).format(kind=article(element.kind), field=spec.name, id=element.id),
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
            _("did you mean `{key}`?").format(key=close[0])
            if close
            else _(
                "fields of {kind}: {fields}; declare custom fields under [fields.{name}] in "
                "reqdsl.toml"
            ).format(kind=article(element.kind), fields=", ".join(sorted(known)), name=element.kind)
        )
        message = _("unknown field `{field}` on {kind}").format(
            field=field.name, kind=article(element.kind)
        )
        self._error(field.name_span, message, hint)

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
            out.append(Val(value.text, value.span, value.text, value.kind == "text"))
        return out

    def _bind_values(self, spec: FieldSpec, field: Field) -> Any:
        bound, problems = spec.value_kind.bind(spec, field.values)
        for problem in problems:
            self._error(problem.span, problem.message, problem.hint)
        return bound

    # ------------------------------------------------------------------ reporting
    def _error(self, span: Span, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(emit("SM004", message, self.path, span, hint=hint))


def _required_hint(spec: FieldSpec) -> str:
    if spec.values:
        return _("add `{field}: ` with one of: {values}").format(
            field=spec.name, values=", ".join(spec.values)
        )
    return _("add a `{field}:` field").format(field=spec.name)


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
