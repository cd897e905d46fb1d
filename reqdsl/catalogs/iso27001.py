"""The ISO/IEC 27001:2022 Annex A catalogue: 93 controls, A.5.1 to A.8.34 (titles only)."""

from __future__ import annotations

import re

from reqdsl.catalogs.base import Catalog, CatalogEntry, read_data
from reqdsl.i18n import _

_NAME = "ISO/IEC 27001:2022 Annex A"
_STRICT = re.compile(r"A((?:\.[0-9]+)+)")
# A number with its leading zeros apart, split one way only (`0*([0-9]+)` splits a run of
# zeros every way, and backtracks through them all: cubic on a long reference).
_NUMBER = r"0*(0|[1-9][0-9]*+)"
_LOOSE = re.compile(rf"(?:A\.?)?{_NUMBER}\.{_NUMBER}", re.IGNORECASE)
# ISO/IEC 27001:2013 Annex A: clauses A.5 to A.18, objectives A.9.4, controls A.9.4.2.
_CLAUSES_2013 = range(5, 19)
_ONLY_2013 = range(9, 19)  # clauses 2022 does not have: A.9.4 can only be a 2013 number


class Iso27001Catalog(Catalog):
    """Controls `A.T.N` of the four 2022 themes (A.5 organizational to A.8 technological)."""

    def __init__(self, entries: list[CatalogEntry]) -> None:
        super().__init__("iso27001", _NAME, entries)
        self._themes: dict[str, list[str]] = {}
        self._theme_names: dict[str, str] = {}
        for entry in entries:
            theme = entry.ref.rsplit(".", 1)[0]
            self._themes.setdefault(theme, []).append(entry.ref)
            self._theme_names[theme] = entry.details["theme"]

    def canonical(self, ref: str) -> str | None:
        match = _LOOSE.fullmatch(ref.replace(" ", ""))
        if match is None:
            return None
        fixed = f"A.{int(match.group(1))}.{int(match.group(2))}"
        return fixed if fixed in self else None

    def is_2013_number(self, ref: str) -> bool:
        """A control (`A.9.4.2`), objective (`A.9.4`) or clause (`A.12`) number of
        ISO/IEC 27001:2013.

        The 2022 edition renumbered every control; ISO/IEC 27002:2022 Annex B gives the
        correspondence, which reqdsl does not ship (no source it may reproduce), so
        such a reference gets no "did you mean": a 2022 number that merely looks alike
        (A.8.4 for A.9.4.2) is another control."""
        match = _STRICT.fullmatch(ref)
        if match is None:
            return False
        parts = [int(part) for part in match.group(1)[1:].split(".")]
        if len(parts) == 3:
            return parts[0] in _CLAUSES_2013
        return len(parts) <= 2 and parts[0] in _ONLY_2013

    def suggestions(self, ref: str, limit: int = 3) -> list[str]:
        if self.is_2013_number(ref):
            return []  # see is_2013_number: closeness of the digits means nothing here
        return super().suggestions(ref, limit)

    def problem(self, ref: str) -> str | None:
        if ref in self:
            return None
        if self.is_2013_number(ref):
            return _(
                "`{ref}` is an ISO/IEC 27001:2013 number; the 2022 edition "
                "renumbered the controls (themes A.5 to A.8, correspondence in ISO/IEC "
                "27002:2022 Annex B): find the 2022 control with `reqdsl catalog list "
                "iso27001`"
            ).format(ref=ref)
        fixed = self.canonical(ref)
        if fixed is not None:
            return _("`{ref}` is not written as an {catalogue} control; write `{fixed}`").format(
                ref=ref, catalogue=_NAME, fixed=fixed
            )
        themes = list(self._themes)
        match = _STRICT.fullmatch(ref)
        if match is None:
            return _(
                "`{ref}` is not an {catalogue} control (controls are written as `A.8.24`)"
            ).format(ref=ref, catalogue=_NAME)
        parts = match.group(1)[1:].split(".")
        theme = f"A.{parts[0]}"
        not_2022 = _(
            "`{ref}` is not an {catalogue} control: 2022 has themes {first} to {last}"
        ).format(ref=ref, catalogue=_NAME, first=themes[0], last=themes[-1])
        if len(parts) > 2:
            return _(
                "{problem} with two-level controls such as A.5.1 (2013 numbering was replaced)"
            ).format(problem=not_2022)
        if theme not in self._themes:
            if 9 <= int(parts[0]) <= 18:
                return _("{problem} (2013 numbering such as A.9 to A.18 was replaced)").format(
                    problem=not_2022
                )
            return not_2022
        controls = self._themes[theme]
        if len(parts) == 1:
            return _(
                "`{ref}` is an {catalogue} theme ({theme} controls), not a "
                "control; cite one of {first} to {last}"
            ).format(
                ref=ref,
                catalogue=_NAME,
                theme=self._theme_names[theme],
                first=controls[0],
                last=controls[-1],
            )
        return _(
            "no control `{ref}` in {catalogue} (theme {theme} has controls {first} to {last})"
        ).format(ref=ref, catalogue=_NAME, theme=theme, first=controls[0], last=controls[-1])

    def themes(self) -> dict[str, str]:
        """Theme id (`A.5`) to its name (`organizational`)."""
        return dict(self._theme_names)


def load_iso27001() -> Iso27001Catalog:
    entries = [
        CatalogEntry(
            row["id"],
            row["title"],
            {"theme": row["theme"], "theme_id": row["id"].rsplit(".", 1)[0]},
        )
        for row in read_data("iso27001_2022_annex_a.tsv")
    ]
    return Iso27001Catalog(entries)
