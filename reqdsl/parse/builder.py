"""Build the syntax tree while parsing.

The builder is handed to Lark as an inline transformer (`Lark(transformer=...)`), so the
LALR parser calls these methods at each reduction and no intermediate `Tree` is built:
that halves the parse time of large projects. Spans come from the tokens themselves.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from ..source import Span
from .syntax import (
    ActivityStep,
    Attribute,
    Branch,
    Element,
    Field,
    Flag,
    Fragment,
    Message,
    Note,
    Value,
)
from .text import cook_string, dedent_text_block


def token_span(token: Token) -> Span:
    return Span(
        token.start_pos,  # type: ignore[arg-type]
        token.end_pos,  # type: ignore[arg-type]
        token.line,  # type: ignore[arg-type]
        token.column,  # type: ignore[arg-type]
        token.end_line,  # type: ignore[arg-type]
        token.end_column,  # type: ignore[arg-type]
    )


def _join(first: Span, last: Span) -> Span:
    return Span(first.start, last.end, first.line, first.column, last.end_line, last.end_column)


_VALUE_KINDS = {
    "ID": "id",
    "STRING": "string",
    "TEXT_BLOCK": "text",
    "NUMBER": "number",
    "COMPLIANCE_REF": "ref",
}


class Block:
    """The contents of `{ ... }` while the enclosing element is being built."""

    __slots__ = ("attributes", "children", "end", "fields", "steps")

    def __init__(self, end: Span) -> None:
        self.fields: list[Field] = []
        self.children: list[Element] = []
        self.attributes: list[Attribute] = []
        self.steps: list[Any] = []
        self.end = end

    @classmethod
    def collect(cls, items: list[Any]) -> Block:
        block = cls(token_span(items[-1]))
        for item in items[1:-1]:
            if isinstance(item, Field):
                block.fields.append(item)
            elif isinstance(item, Element):
                block.children.append(item)
            elif isinstance(item, Attribute):
                block.attributes.append(item)
            else:
                block.steps.append(item)
        return block


def _element(kind: str, items: list[Any]) -> Element:
    """`KW ID STRING block?` -> Element (items as Lark hands them over)."""
    keyword, ident, title = items[0], items[1], items[2]
    keyword_span = token_span(keyword)
    title_span = token_span(title)
    block: Block | None = items[3] if len(items) > 3 else None
    element = Element(
        kind=kind,
        id=str(ident),
        id_span=token_span(ident),
        title=cook_string(str(title)),
        title_span=title_span,
        keyword_span=keyword_span,
        span=_join(keyword_span, block.end if block else title_span),
    )
    if block is not None:
        element.fields = block.fields
        element.children = block.children
        element.attributes = block.attributes
        element.steps = block.steps
    return element


def _steps_and_span(items: list[Any]) -> tuple[list[Any], Span]:
    """A `{ steps }` block: the steps and the span of the braces."""
    return list(items[1:-1]), _join(token_span(items[0]), token_span(items[-1]))


class SyntaxTreeBuilder(Transformer):  # type: ignore[type-arg]
    """Lark callbacks, one per grammar rule (see grammar/reqdsl.lark)."""

    def start(self, items: list[Any]) -> tuple[Element, list[Element]]:
        return items[0], items[1:]

    def document(self, items: list[Any]) -> Element:
        return _element("document", items)

    def section(self, items: list[Any]) -> Element:
        keyword_span = token_span(items[0])
        if items[1].type == "ID":
            ident: Token | None = items[1]
            rest = items[2:]
        else:
            ident, rest = None, items[1:]
        title = rest[0]
        block = Block.collect(rest[1:])
        return Element(
            kind="section",
            id=str(ident) if ident is not None else None,
            id_span=token_span(ident) if ident is not None else None,
            title=cook_string(str(title)),
            title_span=token_span(title),
            keyword_span=keyword_span,
            span=_join(keyword_span, block.end),
            fields=block.fields,
            children=block.children,
        )

    def text(self, items: list[Any]) -> Element:
        keyword_span, body = token_span(items[0]), items[1]
        body_span = token_span(body)
        return Element(
            kind="text",
            id=None,
            id_span=None,
            title=None,
            title_span=None,
            keyword_span=keyword_span,
            span=_join(keyword_span, body_span),
            body=dedent_text_block(str(body)),
        )

    def term(self, items: list[Any]) -> Element:
        keyword_span, word = token_span(items[0]), items[1]
        word_span = token_span(word)
        block: Block | None = items[2] if len(items) > 2 else None
        return Element(
            kind="term",
            id=None,
            id_span=None,
            title=cook_string(str(word)),
            title_span=word_span,
            keyword_span=keyword_span,
            span=_join(keyword_span, block.end if block else word_span),
            fields=block.fields if block else [],
        )

    def element(self, items: list[Any]) -> Element:
        return _element(str(items[0]), items)

    def criterion(self, items: list[Any]) -> Element:
        return _element("criterion", items)

    def option(self, items: list[Any]) -> Element:
        return _element("option", items)

    def field_block(self, items: list[Any]) -> Block:
        return Block.collect(items)

    data_block = decision_block = scenario_block = activity_block = field_block

    def field(self, items: list[Any]) -> Field:
        name = items[0]
        values = [item for item in items[2:] if isinstance(item, Value)]
        name_span = token_span(name)
        return Field(str(name), name_span, values, _join(name_span, values[-1].span))

    def value(self, items: list[Any]) -> Value:
        token = items[0]
        kind = _VALUE_KINDS.get(token.type, "keyword")
        text = str(token)
        if kind == "string":
            text = cook_string(text)
        elif kind == "text":
            text = dedent_text_block(text)
        return Value(kind, text, token_span(token))  # type: ignore[arg-type]

    def pair(self, items: list[Any]) -> Value:
        ident, number = items
        number_span = token_span(number)
        return Value(
            "pair",
            str(ident),
            _join(token_span(ident), number_span),
            number=str(number),
            number_span=number_span,
        )

    def attribute(self, items: list[Any]) -> Attribute:
        keyword, name, _colon, type_token = items[:4]
        multiplicity: Token | None = None
        flags: list[Flag] = []
        end = token_span(type_token)
        for item in items[4:]:
            if isinstance(item, Token):
                multiplicity = item
                end = token_span(item)
            else:
                flags, end = item
        return Attribute(
            name=str(name),
            name_span=token_span(name),
            type=str(type_token),
            type_span=token_span(type_token),
            multiplicity="".join(str(multiplicity).split()) if multiplicity else None,
            multiplicity_span=token_span(multiplicity) if multiplicity else None,
            flags=flags,
            span=_join(token_span(keyword), end),
        )

    def flags(self, items: list[Any]) -> tuple[list[Flag], Span]:
        names = [Flag(str(t), token_span(t)) for t in items[1:-1] if t.type != "COMMA"]
        return names, token_span(items[-1])

    # ------------------------------------------------------------ scenario steps
    def message(self, items: list[Any]) -> Message:
        source, arrow, target, _colon, label = items[:5]
        via: tuple[str, Span] | None = items[5] if len(items) > 5 else None
        label_span = token_span(label)
        source_span = token_span(source)
        return Message(
            source=str(source),
            source_span=source_span,
            target=str(target),
            target_span=token_span(target),
            reply=str(arrow) == "-->",
            label=cook_string(str(label)),
            label_span=label_span,
            via=via[0] if via else None,
            via_span=via[1] if via else None,
            span=_join(source_span, via[1] if via else label_span),
        )

    def via(self, items: list[Any]) -> tuple[str, Span]:
        return str(items[1]), token_span(items[1])

    def _branch(self, items: list[Any]) -> Branch:
        keyword = items[0]
        guard: Token | None = items[1] if items[1].__class__ is Token else None
        steps, block_span = items[-1]
        return Branch(
            keyword=str(keyword),
            guard=cook_string(str(guard)) if guard is not None else None,
            guard_span=token_span(guard) if guard is not None else None,
            steps=steps,
            span=_join(token_span(keyword), block_span),
        )

    def step_block(self, items: list[Any]) -> tuple[list[Any], Span]:
        return _steps_and_span(items)

    astep_block = step_block

    def else_branch(self, items: list[Any]) -> Branch:
        return self._branch(items)

    else_astep = and_branch = else_branch

    def fragment(self, items: list[Any]) -> Fragment:
        first = self._branch([item for item in items if not isinstance(item, Branch)])
        branches = [first, *(item for item in items if isinstance(item, Branch))]
        return Fragment(str(items[0]), branches, _join(first.span, branches[-1].span))

    def note(self, items: list[Any]) -> Note:
        text_span = token_span(items[1])
        return Note(cook_string(str(items[1])), text_span, _join(token_span(items[0]), text_span))

    # ------------------------------------------------------------ activity steps
    def start_step(self, items: list[Any]) -> ActivityStep:
        return ActivityStep("start", token_span(items[0]))

    def stop_step(self, items: list[Any]) -> ActivityStep:
        return ActivityStep("stop", token_span(items[0]))

    def action(self, items: list[Any]) -> ActivityStep:
        text_span = token_span(items[1])
        by: tuple[str, Span] | None = items[2] if len(items) > 2 else None
        return ActivityStep(
            "action",
            _join(token_span(items[0]), by[1] if by else text_span),
            text=cook_string(str(items[1])),
            text_span=text_span,
            by=by[0] if by else None,
            by_span=by[1] if by else None,
        )

    by = via

    def _compound(self, kind: str, items: list[Any]) -> ActivityStep:
        first = self._branch([item for item in items if not isinstance(item, Branch)])
        branches = [first, *(item for item in items if isinstance(item, Branch))]
        return ActivityStep(
            kind,
            _join(first.span, branches[-1].span),
            text=first.guard,
            text_span=first.guard_span,
            branches=branches,
        )

    def if_step(self, items: list[Any]) -> ActivityStep:
        return self._compound("if", items)

    def fork_step(self, items: list[Any]) -> ActivityStep:
        return self._compound("fork", items)

    def while_step(self, items: list[Any]) -> ActivityStep:
        return self._compound("while", items)
