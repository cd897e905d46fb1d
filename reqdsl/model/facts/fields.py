"""Facts of a single field, as the rules and the reports read it."""

from __future__ import annotations

from ..elements import ModelElement


def is_written(element: ModelElement, field: str) -> bool:
    """The field is given and not blank (an invalid value counts: SM004 reports it)."""
    if not element.has(field):
        return False
    value = element.value(field)
    return value is None or value.raw.strip() != ""
