"""Syntax trees as plain tuples, for the parse cache and for worker processes.

Pickling the tree directly costs more than parsing it: every `Span` is a named tuple,
which pickle can only rebuild through a Python-level constructor (measured: 3 us per
span, against 0.5 us for a plain tuple). Here a node becomes `(tag, field, ...)` with
spans as plain 6-tuples, which `marshal` writes and reads at C speed; rebuilding makes
each span with `tuple.__new__`, without Python code.
"""

from __future__ import annotations

import dataclasses
import marshal
from typing import Any

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
    ParsedFile,
    SyntaxProblem,
    Value,
)

_CLASSES = (Value, Field, Flag, Attribute, Branch, Message, Fragment, Note, ActivityStep,
            Element, SyntaxProblem, ParsedFile)  # fmt: skip
_TAG = {cls: str(index) for index, cls in enumerate(_CLASSES)}
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _CLASSES}
_BY_TAG = {tag: (cls, _FIELDS[cls]) for cls, tag in _TAG.items()}
_new_span = tuple.__new__


def _encode(item: Any) -> Any:
    kind = item.__class__
    if kind is Span:
        return tuple(item)
    if kind is list:
        return [_encode(x) for x in item]
    tag = _TAG.get(kind)
    if tag is None:
        return item  # str, int, bool, None
    values = item.__dict__
    return (tag, *[_encode(values[name]) for name in _FIELDS[kind]])


def _decode(item: Any) -> Any:
    kind = item.__class__
    if kind is tuple:
        head = item[0]
        if head.__class__ is str:
            cls, names = _BY_TAG[head]
            node = cls.__new__(cls)
            node.__dict__.update(zip(names, [_decode(x) for x in item[1:]], strict=True))
            return node
        return _new_span(Span, item)
    if kind is list:
        return [_decode(x) for x in item]
    return item


def encode(parsed: ParsedFile) -> Any:
    """A plain-data form of a parsed file (tuples, lists, str, int, bool, None)."""
    return _encode(parsed)


def decode(data: Any) -> ParsedFile:
    parsed = _decode(data)
    if not isinstance(parsed, ParsedFile):
        raise ValueError("not an encoded parsed file")
    return parsed


def dumps(data: Any) -> bytes:
    return marshal.dumps(data)


def loads(data: bytes) -> Any:
    return marshal.loads(data)
