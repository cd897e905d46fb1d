"""The WCAG 2.2 catalogue: success criteria such as `1.4.3` (titles only).

4.1.1 Parsing, removed from WCAG 2.2, is kept as a valid but obsolete reference
(`details["status"] == "obsolete"`, `is_obsolete("4.1.1")`): warn rather than reject.
"""

from __future__ import annotations

import re

from reqdsl.catalogs.base import Catalog, CatalogEntry, read_data
from reqdsl.i18n import _

_NAME = "WCAG 2.2"
# A number with its leading zeros apart, split one way only (`0*([0-9]+)` splits a run of
# zeros every way, and backtracks through them all: cubic on a long reference).
_NUMBER = r"0*(0|[1-9][0-9]*+)"
_LOOSE = re.compile(rf"(?:SC)?{_NUMBER}\.{_NUMBER}\.{_NUMBER}", re.IGNORECASE)


class WcagCatalog(Catalog):
    """Success criteria `P.G.N`, grouped by guideline `P.G` and principle `P`."""

    def __init__(self, entries: list[CatalogEntry], guidelines: dict[str, str]) -> None:
        super().__init__("wcag", "WCAG 2.2 success criteria", entries)
        self._guidelines = guidelines
        self._principles: dict[str, str] = {}
        self._criteria: dict[str, list[str]] = {g: [] for g in guidelines}
        for entry in entries:
            guideline = entry.ref.rsplit(".", 1)[0]
            self._criteria.setdefault(guideline, []).append(entry.ref)
            self._principles[entry.ref.split(".", 1)[0]] = entry.details["principle"]

    def guidelines(self) -> dict[str, str]:
        """Guideline id (`1.4`) to its title (`Distinguishable`)."""
        return dict(self._guidelines)

    def canonical(self, ref: str) -> str | None:
        match = _LOOSE.fullmatch(ref.replace(" ", ""))
        if match is None:
            return None
        fixed = ".".join(str(int(part)) for part in match.groups())
        return fixed if fixed in self else None

    def problem(self, ref: str) -> str | None:
        if ref in self:
            return None
        fixed = self.canonical(ref)
        if fixed is not None:
            return _(
                "`{ref}` is not written as a {catalogue} success criterion; write `{fixed}`"
            ).format(ref=ref, catalogue=_NAME, fixed=fixed)
        parts = ref.split(".")
        if not all(part.isdigit() for part in parts) or len(parts) > 3:
            return _(
                "`{ref}` is not a {catalogue} success criterion (they are written as `1.4.3`)"
            ).format(ref=ref, catalogue=_NAME)
        principle, guideline = parts[0], ".".join(parts[:2])
        if len(parts) == 1 and principle in self._principles:
            return _("`{ref}` is a {catalogue} principle ({name}), not a success criterion").format(
                ref=ref, catalogue=_NAME, name=self._principles[principle]
            )
        if len(parts) == 2 and guideline in self._guidelines:
            return _(
                "`{ref}` is a {catalogue} guideline ({name}), not a "
                "success criterion; cite one of {criteria}"
            ).format(
                ref=ref,
                catalogue=_NAME,
                name=self._guidelines[guideline],
                criteria=self._range(guideline),
            )
        where = _("no success criterion `{ref}` in {catalogue}").format(ref=ref, catalogue=_NAME)
        if guideline in self._guidelines:
            name = self._guidelines[guideline]
            return _("{problem} (guideline {guideline} {name} has {criteria})").format(
                problem=where, guideline=guideline, name=name, criteria=self._range(guideline)
            )
        if principle in self._principles:
            guidelines = [g for g in self._guidelines if g.split(".")[0] == principle]
            return _(
                "{problem} (principle {principle} {name} has guidelines {first} to {last})"
            ).format(
                problem=where,
                principle=principle,
                name=self._principles[principle],
                first=guidelines[0],
                last=guidelines[-1],
            )
        principles = list(self._principles)
        return _("{problem} (its principles are {first} to {last})").format(
            problem=where, first=principles[0], last=principles[-1]
        )

    def _range(self, guideline: str) -> str:
        criteria = self._criteria[guideline]
        if len(criteria) == 1:
            return criteria[0]
        return _("{first} to {last}").format(first=criteria[0], last=criteria[-1])


def load_wcag() -> WcagCatalog:
    entries = [
        CatalogEntry(
            row["id"],
            row["title"],
            {
                "level": row["level"],
                "principle": row["principle"],
                "guideline": row["guideline"],
                "new_in": row["new_in"],
                "status": "obsolete" if row["level"] == "obsolete" else "active",
            },
        )
        for row in read_data("wcag22.tsv")
    ]
    guidelines = {row["id"]: row["title"] for row in read_data("wcag22_guidelines.tsv")}
    return WcagCatalog(entries, guidelines)
