"""What "meaning unchanged" means for the formatter: the same syntax tree, positions
aside, and the same comments in the same order."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..parse.syntax import ParsedFile
from ..source import Span

_END = ("end",)  # closes a dataclass or a list in the flattened shape


def syntax_shape(value: Any) -> tuple[Any, ...]:
    """A comparable copy of a syntax tree with every position left out: the tree
    flattened in document order, each dataclass and list opened by its name and closed
    by `_END`, so that two trees are equal exactly when their shapes are. Built with a
    stack rather than a call per level: sections nested 1,000 deep are valid."""
    out: list[Any] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if item is _END:
            out.append(_END)
        elif isinstance(item, _Name):
            out.append(("field", item.name))
        elif isinstance(item, Span):
            out.append(None)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            out.append(("dataclass", type(item).__name__))
            stack.append(_END)
            for field in reversed(dataclasses.fields(item)):
                if not field.name.endswith("span") and field.name != "relpath":
                    stack.append(getattr(item, field.name))
                    stack.append(_Name(field.name))
        elif isinstance(item, list | tuple):
            out.append(("list", len(item)))
            stack.append(_END)
            stack.extend(reversed(item))
        else:
            out.append(item)
    return tuple(out)


class _Name:
    """A field's name on the stack of `syntax_shape` (never part of a tree)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def same_syntax(first: ParsedFile, second: ParsedFile) -> bool:
    return syntax_shape(first) == syntax_shape(second)
