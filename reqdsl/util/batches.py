"""Long outputs made and written a batch at a time.

A report or cache entry of 170,000 diagnostics is 50 MB; made as one string it sits, with
its bytes, above the checked model (the peak of a 100,000-requirement check,
docs/performance.md). Its writers make it `BATCH` diagnostics at a time instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

BATCH = 1000  # items per batch: pieces of a few hundred KB


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of `size` (the last one shorter); none if empty."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
