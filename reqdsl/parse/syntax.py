"""The syntax tree: what a `.req` file says, with a span on every node.

These are plain slotted dataclasses rather than pydantic models: a 10,000-requirement
project has a few hundred thousand of them, they are built in the parser's hot loop and
kept in the parse cache (as msgpack, reqdsl.model.cached), and they carry no validation
of their own. The typed, validated project model (reqdsl.model) is built from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..source import Span

ValueKind = Literal["id", "keyword", "string", "text", "number", "ref", "pair"]


@dataclass
class Value:
    """One field value. Strings are unescaped and text blocks dedented.

    A `pair` (only meaningful in `scores:`) is `ID NUMBER`: `text` holds the ID and
    `number` / `number_span` the number.
    """

    kind: ValueKind
    text: str
    span: Span
    number: str | None = None
    number_span: Span | None = None


@dataclass
class Field:
    name: str
    name_span: Span
    values: list[Value]
    span: Span


@dataclass
class Flag:
    name: str
    span: Span


@dataclass
class Attribute:
    """`attribute NAME: TYPE [multiplicity]? [flags]?` in a `data` element."""

    name: str
    name_span: Span
    type: str
    type_span: Span
    multiplicity: str | None
    multiplicity_span: Span | None
    flags: list[Flag]
    span: Span


@dataclass
class Branch:
    """A block of steps with an optional guard: an `alt`/`else`/`opt`/`loop` branch of a
    scenario, an `if`/`else`/`while` branch or a `fork`/`and` branch of an activity."""

    keyword: str
    guard: str | None
    guard_span: Span | None
    steps: list[Step]
    span: Span


@dataclass
class Message:
    """`A -> B: "label" via FLOW` (a call) or `A --> B: "label"` (a reply)."""

    source: str
    source_span: Span
    target: str
    target_span: Span
    reply: bool
    label: str
    label_span: Span
    via: str | None
    via_span: Span | None
    span: Span


@dataclass
class Fragment:
    """`alt` (with its `else` branches), `opt` or `loop`."""

    kind: str
    branches: list[Branch]
    span: Span


@dataclass
class Note:
    text: str
    text_span: Span
    span: Span


@dataclass
class ActivityStep:
    """An activity step: start, stop, action (with `by`), if, fork, while."""

    kind: str
    span: Span
    text: str | None = None
    text_span: Span | None = None
    by: str | None = None
    by_span: Span | None = None
    branches: list[Branch] = field(default_factory=list)


Step = Message | Fragment | Note | ActivityStep


@dataclass
class Element:
    """Any element: document, section, text, term, or a model element.

    `children` holds a section's items and a decision's criteria and options.
    `broken` marks an element with a syntax error: only its kind and ID count.
    """

    kind: str
    id: str | None
    id_span: Span | None
    title: str | None
    title_span: Span | None
    keyword_span: Span
    span: Span
    fields: list[Field] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    body: str | None = None
    broken: bool = False

    @property
    def anchor(self) -> Span:
        """Where a diagnostic about the whole element points: its ID, else its keyword."""
        return self.id_span or self.keyword_span

    def walk(self) -> list[Element]:
        """This element and every element nested in it, in source order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class RelatedPlace:
    """Another place of the same file that explains a syntax error (where a block that
    is never closed was opened)."""

    message: str
    span: Span


@dataclass
class SyntaxProblem:
    """A syntax error found by the parser (rendered as SY001)."""

    message: str
    span: Span
    hint: str | None = None
    related: list[RelatedPlace] = field(default_factory=list)


@dataclass
class ParsedFile:
    """The syntax of one file: its document header, its items in order, its errors."""

    relpath: str
    document: Element | None
    items: list[Element]
    problems: list[SyntaxProblem]

    def elements(self) -> list[Element]:
        """Every element of the file (document first), nested ones included, in order."""
        out: list[Element] = []
        if self.document is not None:
            out.append(self.document)
        for item in self.items:
            out.extend(item.walk())
        return out
