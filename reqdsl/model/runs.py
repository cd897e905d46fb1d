"""Facts of each file's elements, kept while the file's elements are the same objects.

The file-at-a-time way (the language server) re-binds the edited file only: the other
files' elements are the very objects of the last model. A whole-project fact made of
per-file parts (the trace facts' sets and lists, a relation's edges) is then computed
again for the edited file only and merged: `PerFile`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from .elements import ModelElement

T = TypeVar("T")


def file_runs(elements: list[ModelElement]) -> Iterator[list[ModelElement]]:
    """The elements in runs of one file each, in order."""
    start = 0
    for index in range(1, len(elements) + 1):
        if index == len(elements) or elements[index].path != elements[start].path:
            yield elements[start:index]
            start = index


class PerFile(Generic[T]):
    """`compute(run, *args)` over each file's run of elements, reused for a run of the
    same element objects and the same `args` (what else the part depends on: a setting,
    the JUnit results; compared by identity). Only the parts of the last call are kept;
    the first element and the args are held, so that no id is reused while a key."""

    def __init__(self, compute: Callable[..., T]) -> None:
        self._compute = compute
        self._parts: dict[int, tuple[ModelElement, int, tuple[object, ...], T]] = {}

    def parts(self, elements: list[ModelElement], *args: object) -> list[T]:
        parts: dict[int, tuple[ModelElement, int, tuple[object, ...], T]] = {}
        found: list[T] = []
        for run in file_runs(elements):
            first = run[0]
            kept = self._parts.get(id(first))
            if (
                kept is not None
                and kept[0] is first
                and kept[1] == len(run)
                and _same(kept[2], args)
            ):
                part = kept[3]
            else:
                part = self._compute(run, *args)
            parts[id(first)] = (first, len(run), args, part)
            found.append(part)
        self._parts = parts
        return found


def _same(these: tuple[object, ...], those: tuple[object, ...]) -> bool:
    return len(these) == len(those) and all(a is b for a, b in zip(these, those, strict=True))
