"""The catalogue model shared by the built-in and custom catalogues, and a TSV reader."""

from __future__ import annotations

import csv
import difflib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reqdsl.i18n import N_, _
from reqdsl.resources import catalog_data_dir


class CatalogError(Exception):
    """A catalogue file that cannot be read or is malformed."""


@dataclass(frozen=True)
class CatalogEntry:
    """One citable reference of a catalogue, as written after `scheme:`."""

    ref: str
    title: str
    details: dict[str, str] = field(default_factory=dict, hash=False, compare=True)


class Catalog:
    """A scheme's references in catalogue order.

    Subclasses refine `problem()` (precise SM008 messages), `cited()` (the references a
    reference is part of) and `canonical()` (a corrected spelling used for hints).
    """

    def __init__(self, scheme: str, title: str, entries: Iterable[CatalogEntry]) -> None:
        self.scheme = scheme
        self.title = title
        self._entries: list[CatalogEntry] = list(entries)
        self._by_ref: dict[str, CatalogEntry] = {e.ref: e for e in self._entries}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.scheme!r}: {len(self._entries)} entries>"

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, ref: object) -> bool:
        return ref in self._by_ref

    def lookup(self, ref: str) -> CatalogEntry | None:
        return self._by_ref.get(ref)

    def entries(self) -> list[CatalogEntry]:
        return list(self._entries)

    def problem(self, ref: str) -> str | None:
        """None when `ref` is a valid reference, else a message for SM008."""
        if ref in self._by_ref:
            return None
        return _("no entry `{ref}` in catalogue `{scheme}`").format(ref=ref, scheme=self.scheme)

    def canonical(self, ref: str) -> str | None:
        """A valid reference that `ref` is a misspelling of (case, prefix), or None."""
        return None

    def suggestions(self, ref: str, limit: int = 3) -> list[str]:
        """Close valid references, best first, for hints."""
        found: list[str] = []
        fixed = self.canonical(ref)
        if fixed is not None and fixed != ref and fixed in self._by_ref:
            found.append(fixed)
        for candidate in difflib.get_close_matches(ref, list(self._by_ref), n=limit + 1):
            if candidate not in found and candidate != ref:
                found.append(candidate)
        return found[:limit]

    def cited(self, ref: str) -> list[str]:
        """`ref` and every reference it is part of, most specific first."""
        return [ref]

    def is_obsolete(self, ref: str) -> bool:
        """True for a valid but obsolete reference (warn rather than reject)."""
        entry = self._by_ref.get(ref)
        return entry is not None and entry.details.get("status") == "obsolete"


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header line (no quoting)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_data(name: str) -> list[dict[str, str]]:
    """Rows of one of the package's own data files (`reqdsl/catalogs/data/NAME`)."""
    return read_tsv(catalog_data_dir() / name)


# Whole phrases per unit, so that a translation can give each its own grammar.
_SPANS = {
    "paragraph": (N_("paragraph {value}"), N_("paragraphs {first} to {last}"),
                  N_("paragraphs {values}")),
    "point": (N_("point {value}"), N_("points {first} to {last}"), N_("points {values}")),
}  # fmt: skip


def span(values: list[str], unit: str, fmt: str = "{}") -> str:
    """'paragraphs 1 to 4', 'point (a)', 'points (a), (c)' from an ordered list; `unit`
    is `paragraph` or `point`."""
    one, run, several = _SPANS[unit]
    shown = [fmt.format(v) for v in values]
    if len(shown) == 1:
        return _(one).format(value=shown[0])
    if _contiguous(values):
        return _(run).format(first=shown[0], last=shown[-1])
    return _(several).format(values=", ".join(shown))


def _contiguous(values: list[str]) -> bool:
    if all(v.isdigit() for v in values):
        keys = [int(v) for v in values]
    elif all(len(v) == 1 for v in values):
        keys = [ord(v) for v in values]
    else:
        return False
    return all(b - a == 1 for a, b in itertools.pairwise(keys))
