"""The MITRE ATT&CK Enterprise v18.1 catalogue: techniques and sub-techniques.

Revoked and deprecated IDs are not valid references; `problem()` says so, and names the
replacement of a revoked one (following chains of revocations to an active technique).
"""

from __future__ import annotations

import re

from reqdsl.catalogs.base import Catalog, CatalogEntry, read_data
from reqdsl.i18n import _

ATTACK_VERSION = "v18.1"
_NAME = f"MITRE ATT&CK Enterprise {ATTACK_VERSION}"
_ID = re.compile(r"T[0-9]{4}(?:\.[0-9]{3})?")


class AttackCatalog(Catalog):
    """Technique IDs `T1110` and sub-technique IDs `T1110.004`."""

    def __init__(self, entries: list[CatalogEntry], excluded: list[dict[str, str]]) -> None:
        super().__init__("attack", f"{_NAME} techniques", entries)
        self._excluded = {row["id"]: row for row in excluded}

    def canonical(self, ref: str) -> str | None:
        fixed = ref.strip().upper()
        return fixed if fixed in self else None

    def status(self, ref: str) -> str | None:
        """`active`, `revoked`, `deprecated`, or None for an unknown ID."""
        if ref in self:
            return "active"
        row = self._excluded.get(ref)
        return row["status"] if row is not None else None

    def replacement(self, ref: str) -> str | None:
        """The active technique that replaces a revoked `ref`, else None."""
        seen: set[str] = set()
        current = ref
        while current not in self and current not in seen:
            seen.add(current)
            row = self._excluded.get(current)
            if row is None or row["status"] != "revoked" or not row["revoked_by"]:
                return None
            current = row["revoked_by"]
        return current if current != ref and current in self else None

    def full_name(self, ref: str) -> str:
        """`Brute Force: Password Spraying` for a sub-technique, the name for a technique."""
        entry = self.lookup(ref)
        if entry is None:
            row = self._excluded.get(ref)
            return row["name"] if row is not None else ""
        return entry.details["full_name"]

    def excluded(self) -> list[dict[str, str]]:
        """Rows of attack_enterprise_excluded.tsv (id, name, tactics, status, revoked_by)."""
        return [dict(row) for row in self._excluded.values()]

    def problem(self, ref: str) -> str | None:
        if ref in self:
            return None
        row = self._excluded.get(ref)
        if row is not None and row["status"] == "revoked":
            new = self.replacement(ref)
            if new is None:
                return _("`{ref}` is revoked in ATT&CK {version}").format(
                    ref=ref, version=ATTACK_VERSION
                )
            name = self.full_name(new)
            return _("`{ref}` is revoked in ATT&CK {version}; use `{new}` ({name})").format(
                ref=ref, version=ATTACK_VERSION, new=new, name=name
            )
        if row is not None:
            return _(
                "`{ref}` is deprecated in ATT&CK {version} ({name}; it has no replacement)"
            ).format(ref=ref, version=ATTACK_VERSION, name=row["name"])
        fixed = self.canonical(ref)
        if fixed is not None:
            return _("`{ref}` is not written as an ATT&CK technique ID; write `{fixed}`").format(
                ref=ref, fixed=fixed
            )
        message = _("no technique `{ref}` in {catalogue}").format(ref=ref, catalogue=_NAME)
        if _ID.fullmatch(ref) and "." in ref:
            parent = ref.split(".")[0]
            subs = [e.ref for e in self._entries if e.ref.startswith(parent + ".")]
            if parent in self and subs:
                name = self.full_name(parent)
                return _("{message} ({parent} {name} has sub-techniques {first} to {last})").format(
                    message=message, parent=parent, name=name, first=subs[0], last=subs[-1]
                )
            if parent in self:
                return _("{message} ({parent} {name} has no sub-techniques)").format(
                    message=message, parent=parent, name=self.full_name(parent)
                )
        return message

    def suggestions(self, ref: str, limit: int = 3) -> list[str]:
        """The replacement of a revoked ID first, then close IDs."""
        new = self.replacement(ref)
        if new is None:
            return super().suggestions(ref, limit)
        rest = [r for r in super().suggestions(ref, limit) if r != new]
        return [new, *rest][:limit]

    def cited(self, ref: str) -> list[str]:
        """A sub-technique is part of its technique: `T1110.004` -> [`T1110.004`, `T1110`]."""
        if _ID.fullmatch(ref) and "." in ref:
            return [ref, ref.split(".")[0]]
        return [ref]


def load_attack() -> AttackCatalog:
    rows = read_data("attack_enterprise.tsv")
    names = {row["id"]: row["name"] for row in rows}
    entries: list[CatalogEntry] = []
    for row in rows:
        sub = row["is_subtechnique"] == "true"
        parent = row["id"].split(".")[0] if sub else ""
        details = {
            "name": row["name"],
            "full_name": f"{names.get(parent, parent)}: {row['name']}" if sub else row["name"],
            "tactics": row["tactics"],
            "is_subtechnique": row["is_subtechnique"],
            "parent": parent,
            "status": "active",
        }
        entries.append(CatalogEntry(row["id"], row["name"], details))
    return AttackCatalog(entries, read_data("attack_enterprise_excluded.tsv"))


def attack_tactics() -> list[dict[str, str]]:
    """The 14 Enterprise tactics in matrix order: order, id, shortname, name."""
    return read_data("attack_enterprise_tactics.tsv")
