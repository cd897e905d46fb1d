"""The project model: one pydantic model per element kind, a span on every value.

The per-kind models are made from the field table in `schema.py` (one source of truth
for the binder, the checks and the docs): a requirement has `statement: Val | None`,
`derives_from: list[Val]`, and so on. Values keep what was written (`raw`) and its typed
meaning (`value`): a bool, a Decimal, a (scheme, ref) pair, a date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from pydantic import BaseModel, ConfigDict, create_model

from ..parse.syntax import Attribute, Step
from ..source import Span
from .schema import KIND_FIELDS, FieldSpec, attr_name


@dataclass(frozen=True, slots=True)
class Val:
    """One field value: the text as written (strings unescaped) and where it stands.

    A slotted dataclass rather than a pydantic model: a 10,000-requirement project has
    ~60,000 of them, all made from values the binder has already checked, and pydantic
    validates stdlib dataclasses fine where an element is dumped."""

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


class ModelElement(BaseModel):
    """What every element has, whatever its kind."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    kind: str
    id: str | None
    title: str | None = None
    path: str
    order: int
    span: Span
    anchor: Span  # where a diagnostic about the whole element points (its ID)
    document: str | None = None  # the ID of the file's document
    level: str | None = None  # the document's level (requirements)
    section: SectionPath = NO_SECTION  # titles of the enclosing sections, outermost first
    parent: str | None = None  # a criterion's or option's decision
    broken: bool = False
    field_spans: dict[str, Span] = {}  # field name -> span of the name, for fields given
    custom: dict[str, list[Val]] = {}  # fields declared in reqdsl.toml
    children: list[str] = []  # a decision's criteria and options, a section's elements
    attributes: list[Attribute] = []
    steps: list[Step] = []
    body: str | None = None  # a `text` element's Markdown
    ignore: list[Val] = []
    tags: list[Val] = []

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


class _Models(dict[str, type[ModelElement]]):
    """The model class of each kind, made on first use: building all twenty pydantic
    classes costs 0.2 s at start-up, and most projects use a few kinds."""

    def __missing__(self, kind: str) -> type[ModelElement]:
        specs = KIND_FIELDS[kind]
        fields = {spec.attr: _annotation(spec) for spec in specs}
        name = "".join(part.capitalize() for part in kind.split("-"))
        model: type[ModelElement] = create_model(name, __base__=ModelElement, **fields)  # type: ignore[call-overload]
        self[kind] = model
        return model


MODELS: dict[str, type[ModelElement]] = _Models()


def _defaults(model: type[ModelElement]) -> tuple[dict[str, Any], tuple[tuple[str, type], ...]]:
    """Immutable defaults, and the fields whose default is a fresh empty list or dict."""
    plain: dict[str, Any] = {}
    fresh: list[tuple[str, type]] = []
    for name, info in model.model_fields.items():
        if info.is_required():
            continue
        default = info.get_default(call_default_factory=True)
        if isinstance(default, (list, dict)):
            fresh.append((name, type(default)))
        else:
            plain[name] = default
    return plain, tuple(fresh)


_DEFAULTS: dict[str, tuple[dict[str, Any], tuple[tuple[str, type], ...]]] = {}


def construct(kind: str, values: dict[str, Any]) -> ModelElement:
    """Build an element without validation, like `model_construct` but ten times faster:
    the binder has already checked every value, and a 10,000-requirement project builds
    10,000 of these on every run."""
    model = MODELS[kind]
    defaults = _DEFAULTS.get(kind)
    if defaults is None:
        defaults = _DEFAULTS[kind] = _defaults(model)
    plain, fresh = defaults
    data = dict(plain)
    for name, container in fresh:
        data[name] = container()
    data.update(values)
    return restore(kind, data, set(values))


def restore(kind: str, data: dict[str, Any], fields_set: set[str]) -> ModelElement:
    """An element of `kind` holding `data` as its attributes, without validation (what
    `construct` builds, and what the cache gives back)."""
    model = MODELS[kind]
    element = model.__new__(model)
    object.__setattr__(element, "__dict__", data)
    object.__setattr__(element, "__pydantic_fields_set__", fields_set)
    object.__setattr__(element, "__pydantic_extra__", None)
    object.__setattr__(element, "__pydantic_private__", None)
    return element
