"""A parsed and bound file (reqdsl.model.loaded.LoadedFile) as msgpack, and back.

The parse cache used to pickle these; unpickling a file runs whatever code it names, so a
cache anyone else could write to was a way into the next `reqdsl check`. msgpack is data
only. msgspec decodes it straight into reqdsl's own classes (Span, Val, Score, Attribute,
Diagnostic, SyntaxProblem) in C, from a schema made here out of the field table
(reqdsl.model.schema): one array-like struct per element kind, tagged by the kind, with
the kind's fields in a fixed order, so reading a file back costs no more than unpickling
it did (docs/performance.md). Where a value's Python type is not what msgpack keeps:

- an element's section path, a chain of shared links (reqdsl.model.elements.SectionPath),
  is a per-file table of (outer link, title) pairs, and each element holds its index;
- scenario and activity steps (a union of four classes, nested in branches) go through
  tagged mirror structs;
- a `Val`'s typed value (`value: Any`) comes back as msgpack has it: a compliance
  reference's (scheme, ref) pair, a number (Decimal) and a date are restored from the
  field's kind in the schema.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Union

import msgspec

from ..diagnostics import Diagnostic
from ..parse.syntax import ActivityStep, Branch, Fragment, Message, Note, SyntaxProblem
from ..source import Span
from .elements import BASE_FIELDS, NO_SECTION, SectionPath, Val, _annotation
from .loaded import LoadedFile
from .schema import KIND_FIELDS

# ---------------------------------------------------------------------- steps


class _Branch(msgspec.Struct, array_like=True, tag="b"):
    keyword: str
    guard: str | None
    guard_span: Span | None
    steps: list[_Step]
    span: Span


class _Message(msgspec.Struct, array_like=True, tag="m"):
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


class _Fragment(msgspec.Struct, array_like=True, tag="f"):
    kind: str
    branches: list[_Branch]
    span: Span


class _Note(msgspec.Struct, array_like=True, tag="n"):
    text: str
    text_span: Span
    span: Span


class _Activity(msgspec.Struct, array_like=True, tag="a"):
    kind: str
    span: Span
    text: str | None
    text_span: Span | None
    by: str | None
    by_span: Span | None
    branches: list[_Branch]


_Step = Union[_Message, _Fragment, _Note, _Activity]  # noqa: UP007 (a runtime union for msgspec)

_MIRRORS: dict[type, type] = {
    Branch: _Branch,
    Message: _Message,
    Fragment: _Fragment,
    Note: _Note,
    ActivityStep: _Activity,
}
_ORIGINALS = {mirror: original for original, mirror in _MIRRORS.items()}
_NESTED = ("steps", "branches")


def _to_mirror(node: Any) -> Any:
    mirror = _MIRRORS[type(node)]
    values = []
    for name in mirror.__struct_fields__:  # type: ignore[attr-defined]
        value = getattr(node, name)
        values.append([_to_mirror(v) for v in value] if name in _NESTED else value)
    return mirror(*values)


def _from_mirror(node: Any) -> Any:
    original = _ORIGINALS[type(node)]
    values = {}
    for name in node.__struct_fields__:
        value = getattr(node, name)
        values[name] = [_from_mirror(v) for v in value] if name in _NESTED else value
    return original(**values)


# ---------------------------------------------------------------------- elements


@dataclasses.dataclass(frozen=True)
class _Kind:
    struct: type[msgspec.Struct]
    names: tuple[str, ...]
    typed: tuple[tuple[str, Any], ...]  # attributes whose values need restoring


@functools.cache
def _kinds() -> dict[str, _Kind]:
    """One struct per element kind: ModelElement's fields, then the kind's own."""
    common: dict[str, Any] = {name: kind for name, (kind, _default) in BASE_FIELDS.items()}
    common["section"] = int  # an index into the file's table of section paths
    common["steps"] = list[_Step]
    kinds = {}
    for kind, specs in KIND_FIELDS.items():
        fields = dict(common)
        typed = []
        for spec in specs:
            if spec.attr not in fields:  # a base attribute keeps its own type
                fields[spec.attr] = _annotation(spec)[0]
            # A Val's value, restored from what msgpack gives back, by its value kind.
            restore = spec.value_kind.restorer()
            if restore is not None:
                typed.append((spec.attr, restore))
        struct = msgspec.defstruct(
            f"_Cached_{kind.replace('-', '_')}",
            list(fields.items()),
            array_like=True,
            tag=kind,
            tag_field="__kind__",  # "type" is a field of some kinds
        )
        kinds[kind] = _Kind(struct, tuple(fields), tuple(typed))
    return kinds


def _restored(value: Any, restore: Any) -> Any:
    if isinstance(value, Val):
        return Val(value.raw, value.span, restore(value.value), value.block)
    if isinstance(value, list):
        return [Val(v.raw, v.span, restore(v.value), v.block) for v in value]
    return value


# ---------------------------------------------------------------------- files


class _Codec:
    def __init__(self) -> None:
        self.kinds = _kinds()
        element = Union[tuple(kind.struct for kind in self.kinds.values())]  # type: ignore[valid-type]  # noqa: UP007
        self.file = msgspec.defstruct(
            "_CachedFile",
            [
                ("relpath", str),
                ("problems", list[SyntaxProblem]),
                ("diagnostics", list[Diagnostic]),
                ("sections", list[tuple[int, str]]),  # (index of the outer path or -1, title)
                ("elements", list[element]),  # type: ignore[valid-type]
            ],
            array_like=True,
        )
        self.encoder = msgspec.msgpack.Encoder()
        self.decoder = msgspec.msgpack.Decoder(self.file)


@functools.cache
def _codec() -> _Codec:
    return _Codec()


def _section_table(loaded: LoadedFile) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """Every section path of the file, outer links first: (outer index, title) rows and
    the index of each path object."""
    rows: list[tuple[int, str]] = []
    index: dict[int, int] = {id(NO_SECTION): -1}
    for _kind, data in loaded.elements:
        path = data["section"]
        pending: list[SectionPath] = []
        while id(path) not in index:  # iterative: sections nest thousands deep
            pending.append(path)
            path = path.outer if path.outer is not None else NO_SECTION
        for link in reversed(pending):
            outer = link.outer if link.outer is not None else NO_SECTION
            index[id(link)] = len(rows)
            rows.append((index[id(outer)], link.title))
    return rows, index


def encode(loaded: LoadedFile) -> bytes:
    codec = _codec()
    rows, index = _section_table(loaded)
    elements = []
    for kind, data in loaded.elements:
        values = dict(data)
        values["section"] = index[id(data["section"])]
        if values["steps"]:
            values["steps"] = [_to_mirror(step) for step in values["steps"]]
        elements.append(codec.kinds[kind].struct(**values))
    file = codec.file(
        loaded.relpath,
        loaded.problems,
        loaded.diagnostics,
        rows,
        elements,
    )
    return codec.encoder.encode(file)


def decode(payload: bytes) -> LoadedFile:
    """The file `encode` wrote; raises msgspec.DecodeError (or ValueError) otherwise."""
    codec = _codec()
    file: Any = codec.decoder.decode(payload)  # the file struct made in _codec()
    paths: list[SectionPath] = []
    for outer, title in file.sections:
        if outer >= len(paths):
            raise ValueError("a section path names a later one")
        paths.append((paths[outer] if outer >= 0 else NO_SECTION).inside(title))
    elements = []
    astuple = msgspec.structs.astuple
    relpath = file.relpath
    shared: dict[str | None, str | None] = {None: None}
    for struct in file.elements:
        kind = type(struct).__struct_config__.tag
        info = codec.kinds[kind]
        data = dict(zip(info.names, astuple(struct), strict=True))
        # msgpack keeps no shared objects: the strings every element of a file repeats
        # are made one object again (pickle's memo did that; 2.5 MB at 10,000).
        data["kind"], data["path"] = kind, relpath
        for name in ("document", "level"):
            value = data[name]
            data[name] = shared.setdefault(value, value)
        section = data["section"]
        data["section"] = paths[section] if section >= 0 else NO_SECTION
        if data["steps"]:
            data["steps"] = [_from_mirror(step) for step in data["steps"]]
        for attr, restore in info.typed:
            data[attr] = _restored(data[attr], restore)
        elements.append((kind, data))
    return LoadedFile(file.relpath, file.problems, elements, file.diagnostics)
