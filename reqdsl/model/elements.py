"""The project model: one plain slotted class per element kind, a span on every value.

The per-kind models are made from the field table in `schema.py` (one source of truth
for the binder, the checks and the docs): a requirement has `statement: Val | None`,
`derives_from: list[Val]`, and so on. Values keep what was written (`raw`) and its typed
meaning (`value`): a bool, a Decimal, a (scheme, ref) pair, a date.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from ..parse.syntax import Attribute, Step
from ..source import Span
from .schema import KIND_FIELDS, FieldSpec, attr_name


@dataclass(frozen=True, slots=True)
class Val:
    """One field value: the text as written (strings unescaped) and where it stands.

    A slotted dataclass: a 10,000-requirement project has ~60,000 of them, all made from
    values the binder has already checked."""

    raw: str
    span: Span
    value: Any = None
    # Written as a `"""` text block (Markdown on the site), not a string: known here so
    # that no reader goes back to the source to find out.
    block: bool = False

    def __reduce__(self) -> tuple[type[Val], tuple[str, Span, Any, bool]]:
        # Parse workers without a cache send hundreds of thousands of these back by
        # pickle (multiprocessing): dataclasses' own pickling of slotted classes asks
        # for the field list on every object (5x slower).
        return (Val, (self.raw, self.span, self.value, self.block))


@dataclass(frozen=True, slots=True)
class Score:
    """One `CRITERION NUMBER` pair of an option's `scores`."""

    criterion: str
    criterion_span: Span
    score: Decimal | None  # None when out of range or not a number (reported as SM004)
    score_span: Span
    span: Span

    def __reduce__(self) -> tuple[type[Score], tuple[Any, ...]]:
        return (
            Score,
            (self.criterion, self.criterion_span, self.score, self.score_span, self.span),
        )


class SectionPath(Sequence[str]):
    """The titles of the sections enclosing an element, outermost first: a list of
    strings to its readers, held as the innermost title and a link to the path around it.

    Every element inside a section shares that section's path, and a nested section adds
    one link to it: n nested sections take n links, where a list per element took n²/2
    titles (1.7 GB for 20,000 levels). `len` is immediate; iterating builds the titles.
    """

    __slots__ = ("depth", "outer", "title")

    def __init__(self, outer: SectionPath | None, title: str, depth: int) -> None:
        self.outer = outer
        self.title = title
        self.depth = depth

    def inside(self, title: str) -> SectionPath:
        """The path of what a section titled `title`, enclosed by this path, holds."""
        return SectionPath(self, title, self.depth + 1)

    def titles(self) -> list[str]:
        out: list[str] = []
        link: SectionPath | None = self
        while link is not None and link.depth > 0:
            out.append(link.title)
            link = link.outer
        out.reverse()
        return out

    def __len__(self) -> int:
        return self.depth

    def __iter__(self) -> Iterator[str]:
        return iter(self.titles())

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self.titles()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (SectionPath, list, tuple)):
            return self is other or (len(self) == len(other) and self.titles() == list(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.titles()))

    def __repr__(self) -> str:
        return f"SectionPath({self.titles()!r})"

    def __reduce__(self) -> tuple[type[SectionPath], tuple[SectionPath | None, str, int]]:
        # One link at a time: a worker's result is pickled in source order, so the path
        # around this one is already in the pickle's memo. (A list of titles would make
        # it quadratic in the nesting again; the cache keeps a table, model/cached.py.)
        return (SectionPath, (self.outer, self.title, self.depth))


NO_SECTION = SectionPath(None, "", 0)


# What every element has, whatever its kind: (type, default); `_REQUIRED` has none and a
# list or dict default is made fresh for each element. One table for the class's slots,
# its defaults and the cache's structs (model/cached.py).
_REQUIRED = object()
BASE_FIELDS: dict[str, tuple[Any, Any]] = {
    "kind": (str, _REQUIRED),
    "id": (str | None, _REQUIRED),
    "title": (str | None, None),
    "path": (str, _REQUIRED),
    "order": (int, _REQUIRED),
    "span": (Span, _REQUIRED),
    "anchor": (Span, _REQUIRED),  # where a diagnostic about the whole element points (its ID)
    "document": (str | None, None),  # the ID of the file's document
    "level": (str | None, None),  # the document's level (requirements)
    "section": (SectionPath, NO_SECTION),  # titles of the enclosing sections, outermost first
    "parent": (str | None, None),  # a criterion's or option's decision
    "broken": (bool, False),
    "field_spans": (dict[str, Span], {}),  # field name -> span of the name, for fields given
    "custom": (dict[str, list[Val]], {}),  # fields declared in reqdsl.toml
    "children": (list[str], []),  # a decision's criteria and options, a section's elements
    "attributes": (list[Attribute], []),
    "steps": (list[Step], []),
    "body": (str | None, None),  # a `text` element's Markdown
    "ignore": (list[Val], []),
    "tags": (list[Val], []),
}


class ModelElement:
    """What every element has, whatever its kind; each kind's class (`MODELS`) adds a slot
    per field of the field table.

    Plain slotted classes, not pydantic models: every value was checked by the binder or
    comes from the cache, so validation was bypassed anyway, and a slotted element holds
    no `__dict__` and no set of the fields given (docs/performance.md)."""

    __slots__ = tuple(BASE_FIELDS)

    kind: str
    id: str | None
    title: str | None
    path: str
    order: int
    span: Span
    anchor: Span
    document: str | None
    level: str | None
    section: SectionPath
    parent: str | None
    broken: bool
    field_spans: dict[str, Span]
    custom: dict[str, list[Val]]
    children: list[str]
    attributes: list[Attribute]
    steps: list[Step]
    body: str | None
    ignore: list[Val]
    tags: list[Val]

    def __init__(self, **values: Any) -> None:
        _fill(self, values)

    def fields(self) -> dict[str, Any]:
        """Every attribute and its value (what the cache keeps of an element)."""
        return {name: getattr(self, name) for name in _SLOTS[type(self)]}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.fields() == other.fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, id={self.id!r}, path={self.path!r})"

    def has(self, field: str) -> bool:
        return field in self.field_spans

    def value(self, field: str) -> Val | None:
        """The value of a single-value field (None when absent or invalid)."""
        found = getattr(self, attr_name(field), None)
        return found if isinstance(found, Val) else None

    def word(self, field: str) -> str | None:
        """The text of a single-value field, or None."""
        found = self.value(field)
        return found.raw if found is not None else None

    def refs(self, field: str) -> list[Val]:
        """The values of a reference field as a list, whether it takes one or many."""
        value = getattr(self, attr_name(field), None)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def _annotation(spec: FieldSpec) -> tuple[Any, Any]:
    return spec.value_kind.annotation(spec)


# The slots of each class, base first, and their defaults as (plain, fresh containers).
_SLOTS: dict[type, tuple[str, ...]] = {ModelElement: tuple(BASE_FIELDS)}
_DEFAULTS: dict[type, tuple[dict[str, Any], tuple[tuple[str, type], ...]]] = {}


def _defaults_of(
    fields: dict[str, tuple[Any, Any]],
) -> tuple[dict[str, Any], tuple[tuple[str, type], ...]]:
    plain = {
        n: d
        for n, (_t, d) in fields.items()
        if d is not _REQUIRED and not isinstance(d, (list, dict))
    }
    fresh = tuple((n, type(d)) for n, (_t, d) in fields.items() if isinstance(d, (list, dict)))
    return plain, fresh


_DEFAULTS[ModelElement] = _defaults_of(BASE_FIELDS)


def _fill(element: ModelElement, values: dict[str, Any]) -> None:
    plain, fresh = _DEFAULTS[type(element)]
    setter = setattr  # the builtin: faster than object.__setattr__
    for name, value in plain.items():
        setter(element, name, value)
    for name, container in fresh:
        setter(element, name, container())
    for name, value in values.items():
        setter(element, name, value)  # an unknown name has no slot: AttributeError


class _Models(dict[str, type[ModelElement]]):
    """The class of each kind, made on first use from the field table."""

    def __missing__(self, kind: str) -> type[ModelElement]:
        own = {spec.attr: _annotation(spec) for spec in KIND_FIELDS[kind]}
        name = "".join(part.capitalize() for part in kind.split("-"))
        model = type(name, (ModelElement,), {"__slots__": tuple(own), "__module__": __name__})
        _SLOTS[model] = (*BASE_FIELDS, *own)
        _DEFAULTS[model] = _defaults_of({**BASE_FIELDS, **own})
        self[kind] = model
        return model


MODELS: dict[str, type[ModelElement]] = _Models()


def kind_fields(kind: str) -> dict[str, tuple[Any, Any]]:
    """The type and default of each attribute of `kind`'s elements (model/cached.py)."""
    return {**BASE_FIELDS, **{spec.attr: _annotation(spec) for spec in KIND_FIELDS[kind]}}


def construct(kind: str, values: dict[str, Any]) -> ModelElement:
    """An element of `kind` holding `values`, the rest defaults, without validation: the
    binder has already checked every value, and the cache gives back what it stored."""
    model = MODELS[kind]
    element = model.__new__(model)
    _fill(element, values)
    return element


def restore(kind: str, data: dict[str, Any]) -> ModelElement:
    """An element of `kind` holding `data`, every attribute of it (what `fields` gave: the
    parse workers and the cache keep elements so)."""
    return _RESTORERS[kind](data)


def _restorer(model: type[ModelElement]) -> Callable[[dict[str, Any]], ModelElement]:
    """A function that makes an element of `model` from a dict of all its attributes.

    Generated, as dataclasses generate `__init__`: the warm check restores 10,000
    elements of ~30 attributes each, and plain attribute stores are three times faster
    than a loop of `object.__setattr__` (22 ms against 64 ms). The names are the slots,
    made from the field table, never from input; a Python keyword (`from`) goes through
    `setattr`."""
    lines = ["def make(d):", "    e = new(cls)"]
    for name in _SLOTS[model]:
        assert name.isidentifier(), name
        if keyword.iskeyword(name):
            lines.append(f"    setattr(e, {name!r}, d[{name!r}])")
        else:
            lines.append(f"    e.{name} = d[{name!r}]")
    lines.append("    return e")
    namespace: dict[str, Any] = {"new": object.__new__, "cls": model}
    exec("\n".join(lines), namespace)  # the slots: names from the field table
    made: Callable[[dict[str, Any]], ModelElement] = namespace["make"]
    return made


class _Restorers(dict[str, Callable[[dict[str, Any]], ModelElement]]):
    def __missing__(self, kind: str) -> Callable[[dict[str, Any]], ModelElement]:
        made = self[kind] = _restorer(MODELS[kind])
        return made


_RESTORERS = _Restorers()
