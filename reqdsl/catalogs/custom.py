"""Custom catalogues declared under `[catalogs]` in reqdsl.toml.

File format: UTF-8 (a BOM is allowed), a header line, then `id<TAB>title` per line. Extra
columns named in the header become `details`; blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from reqdsl.catalogs.base import Catalog, CatalogEntry, CatalogError

# What a compliance reference's REF may contain (language.md section 1).
_REF = re.compile(r"[A-Za-z0-9.()\-]+")


class TsvCatalog(Catalog):
    """A catalogue read from a user's TSV file; `problem()` names the scheme."""


def load_tsv_catalog(scheme: str, path: Path) -> Catalog:
    """Read a custom catalogue; raise CatalogError on an unreadable or malformed file."""
    where = f"catalogue `{scheme}` ({path})"
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogError(f"{where}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise CatalogError(f"cannot read {where}: {error.strerror or error}") from error
    try:
        rows = list(
            csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
        )
    except csv.Error as error:
        raise CatalogError(f"{where}: {error}") from error
    if not rows or not "".join(rows[0]).strip():
        raise CatalogError(f"{where}: empty file; expected a header line, then id<TAB>title")
    header = rows[0]
    if len(header) < 2:
        raise CatalogError(f"{where}:1: the header must have at least two tab-separated columns")
    entries: list[CatalogEntry] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not "".join(cells).strip():
            continue
        if len(cells) < 2:
            raise CatalogError(f"{where}:{number}: expected id<TAB>title, found no tab")
        if len(cells) > len(header):
            raise CatalogError(
                f"{where}:{number}: {len(cells)} columns, but the header names {len(header)}"
            )
        ref, title = cells[0].strip(), cells[1].strip()
        if not _REF.fullmatch(ref):
            raise CatalogError(
                f"{where}:{number}: id `{ref}` may only contain letters, digits, `.`, `(`, `)`, `-`"
            )
        if ref in seen:
            raise CatalogError(
                f"{where}:{number}: duplicate id `{ref}` (first on line {seen[ref]})"
            )
        seen[ref] = number
        details = {name: cell.strip() for name, cell in zip(header[2:], cells[2:], strict=False)}
        entries.append(CatalogEntry(ref, title, details))
    return TsvCatalog(scheme, scheme, entries)
