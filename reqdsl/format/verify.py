"""What "meaning unchanged" means for the formatter: the same syntax tree, positions
aside, and the same comments in the same order."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..parse.syntax import ParsedFile
from ..source import Span


def syntax_shape(value: Any) -> Any:
    """A comparable copy of a syntax tree with every position left out."""
    if isinstance(value, Span):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple(
                (item.name, syntax_shape(getattr(value, item.name)))
                for item in dataclasses.fields(value)
                if not item.name.endswith("span") and item.name != "relpath"
            ),
        )
    if isinstance(value, list | tuple):
        return tuple(syntax_shape(item) for item in value)
    return value


def same_syntax(first: ParsedFile, second: ParsedFile) -> bool:
    return syntax_shape(first) == syntax_shape(second)
