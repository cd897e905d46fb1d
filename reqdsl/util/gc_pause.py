"""Pausing Python's cyclic garbage collector around work that allocates millions of
objects and no garbage cycles (loading a project, checking it again, generating pages):
its full passes would scan the same live objects again and again (superlinear time).
Reference counting still frees everything that goes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """The collector off for the block (as it was afterwards). `freeze`: what the block
    allocated and kept (a loaded model) is moved to the permanent generation, so later
    collections, in the checks or a long-running language server, never scan it again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
