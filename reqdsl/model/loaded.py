"""One file parsed and bound, in a form the cache can keep: what loading a project needs
of a file, without its syntax tree.

Binding a file depends on nothing but the file and the custom fields of reqdsl.toml, so
parse workers bind too, and the cache keeps the bound elements rather than the syntax
tree: reading them back is half the work of reading a tree, and binding is skipped
altogether. Elements are bound with orders starting at 0 and moved to their place in the
project when loaded. Elements are held as (kind, attribute values): their classes are
made at run time (reqdsl.model.elements), and `restore` makes them from these values.
The cache stores them as msgpack (reqdsl.model.cached).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic
from ..parse.parser import parse_text
from ..parse.syntax import ParsedFile, SyntaxProblem
from .binder import bind_file
from .elements import ModelElement, restore

CustomFields = dict[str, dict[str, tuple[str, ...] | None]]


@dataclass
class LoadedFile:
    relpath: str
    problems: list[SyntaxProblem]
    elements: list[tuple[str, dict[str, Any]]]
    diagnostics: list[Diagnostic]  # the binder's (SM004, SM005)


def custom_fields_key(custom_fields: CustomFields) -> str:
    """Part of a cache entry's name: binding depends on the declared custom fields."""
    text = repr(sorted((kind, sorted(fields.items())) for kind, fields in custom_fields.items()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def load_file(text: str, relpath: str, custom_fields: CustomFields) -> LoadedFile:
    return loaded_from(parse_text(text, relpath), custom_fields)


def loaded_from(parsed: ParsedFile, custom_fields: CustomFields) -> LoadedFile:
    bound, diagnostics = bind_file(parsed, custom_fields, 0)
    elements = [(e.kind, e.fields()) for e in bound]
    return LoadedFile(parsed.relpath, list(parsed.problems), elements, diagnostics)


def elements_of(loaded: LoadedFile, first_order: int) -> list[ModelElement]:
    """The file's elements, numbered from `first_order`. Takes the stored values over:
    a LoadedFile is used once."""
    out = []
    for kind, data in loaded.elements:
        data["order"] += first_order
        out.append(restore(kind, data))
    return out
