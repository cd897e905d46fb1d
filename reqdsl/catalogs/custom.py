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
from reqdsl.i18n import _

# What a compliance reference's REF may contain (language.md section 1).
_REF = re.compile(r"[A-Za-z0-9.()\-]+")


class TsvCatalog(Catalog):
    """A catalogue read from a user's TSV file; `problem()` names the scheme."""


def load_tsv_catalog(scheme: str, path: Path) -> Catalog:
    """Read a custom catalogue; raise CatalogError on an unreadable or malformed file."""
    where = _("catalogue `{scheme}` ({path})").format(scheme=scheme, path=path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogError(
            _("{where}: not UTF-8 text ({reason})").format(where=where, reason=error.reason)
        ) from error
    except OSError as error:
        raise CatalogError(
            _("cannot read {where}: {why}").format(where=where, why=error.strerror or error)
        ) from error
    try:
        rows = list(
            csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
        )
    except csv.Error as error:
        raise CatalogError(f"{where}: {error}") from error
    if not rows or not "".join(rows[0]).strip():
        raise CatalogError(
            _("{where}: empty file; expected a header line, then id<TAB>title").format(where=where)
        )
    header = rows[0]
    if len(header) < 2:
        raise CatalogError(
            _("{where}:1: the header must have at least two tab-separated columns").format(
                where=where
            )
        )
    entries: list[CatalogEntry] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not "".join(cells).strip():
            continue
        if len(cells) < 2:
            raise CatalogError(
                _("{where}:{line}: expected id<TAB>title, found no tab").format(
                    where=where, line=number
                )
            )
        if len(cells) > len(header):
            raise CatalogError(
                _("{where}:{line}: {count} columns, but the header names {header}").format(
                    where=where, line=number, count=len(cells), header=len(header)
                )
            )
        ref, title = cells[0].strip(), cells[1].strip()
        if not _REF.fullmatch(ref):
            raise CatalogError(
                _(
                    "{where}:{line}: id `{ref}` may only contain letters, digits, "
                    "`.`, `(`, `)`, `-`"
                ).format(where=where, line=number, ref=ref)
            )
        if ref in seen:
            raise CatalogError(
                _("{where}:{line}: duplicate id `{ref}` (first on line {first})").format(
                    where=where, line=number, ref=ref, first=seen[ref]
                )
            )
        seen[ref] = number
        details = {name: cell.strip() for name, cell in zip(header[2:], cells[2:], strict=False)}
        entries.append(CatalogEntry(ref, title, details))
    return TsvCatalog(scheme, scheme, entries)
