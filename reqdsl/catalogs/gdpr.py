"""The GDPR catalogue: every article, paragraph and point of Regulation (EU) 2016/679."""

from __future__ import annotations

import difflib
import re

from reqdsl.catalogs.base import Catalog, CatalogEntry, read_data, span
from reqdsl.i18n import N_, _

# `6`, `6(1)`, `6(1)(b)`, and `50(a)` (Art. 50 has points but no numbered paragraphs).
_REF = re.compile(r"([0-9]+)(?:\(([0-9]+)\))?(?:\(([a-z]+)\))?")
# A number with its leading zeros apart, split one way only (`0*([0-9]+)` splits a run of
# zeros every way, and backtracks through them all: cubic on a long reference).
_NUMBER = r"0*(0|[1-9][0-9]*+)"
_LOOSE = re.compile(rf"{_NUMBER}(?:\({_NUMBER}\))?(?:\(([A-Za-z]+)\))?")
_PREFIX = re.compile(r"^art(?:icle)?\.?", re.IGNORECASE)
_RANGE = re.compile(r"(\d+)\((\d+)\)-\((\d+)\)")
_FORM = N_("write article, paragraph and point as in `6(1)(b)`, with no `Art.` prefix")


class GdprCatalog(Catalog):
    """References `N`, `N(p)`, `N(p)(x)` exactly as in gdpr_structure.tsv."""

    def __init__(self, entries: list[CatalogEntry]) -> None:
        super().__init__("gdpr", "GDPR (Regulation (EU) 2016/679)", entries)
        self._paragraphs: dict[str, list[str]] = {}
        self._points: dict[tuple[str, str], list[str]] = {}
        for entry in entries:
            article, paragraph, point = (
                entry.details[k] for k in ("article", "paragraph", "point")
            )
            self._paragraphs.setdefault(article, [])
            if point:
                self._points.setdefault((article, paragraph), []).append(point)
            elif paragraph:
                self._paragraphs[article].append(paragraph)
        self._last_article = max(int(a) for a in self._paragraphs)

    def canonical(self, ref: str) -> str | None:
        match = _LOOSE.fullmatch(_PREFIX.sub("", ref.replace(" ", ""), count=1))
        if match is None:
            return None
        article, paragraph, point = match.groups()
        fixed = str(int(article))
        if paragraph:
            fixed += f"({int(paragraph)})"
        if point:
            fixed += f"({point.lower()})"
        return fixed if fixed in self else None

    def problem(self, ref: str) -> str | None:
        if ref in self:
            return None
        fixed = self.canonical(ref)
        if fixed is not None:
            return _("`{ref}` is not written as a GDPR reference; write `{fixed}`").format(
                ref=ref, fixed=fixed
            )
        match = _REF.fullmatch(ref)
        if match is None:
            return _("`{ref}` is not a GDPR reference: {form}").format(ref=ref, form=_(_FORM))
        article, paragraph, point = match.groups()
        if article not in self._paragraphs:
            return _("no article `{article}` in the GDPR (it has articles 1 to {last})").format(
                article=article, last=self._last_article
            )
        paragraphs = self._paragraphs[article]
        if paragraph is None:
            return self._point_problem(ref, article, "", point or "")
        if paragraph not in paragraphs:
            return _("no paragraph `{ref}` in the GDPR: {layout}").format(
                ref=ref, layout=self._layout(article)
            )
        return self._point_problem(ref, article, paragraph, point or "")

    def _layout(self, article: str) -> str:
        """'Art. 6 has paragraphs 1 to 4' and the like."""
        paragraphs = self._paragraphs[article]
        if paragraphs:
            return _("Art. {article} has {paragraphs}").format(
                article=article, paragraphs=span(paragraphs, "paragraph")
            )
        points = self._points.get((article, ""), [])
        if points:
            shown = span(points, "point", "({})")
            return _(
                "Art. {article} has no numbered paragraphs; it has {points}, cited as `{example}`"
            ).format(article=article, points=shown, example=f"{article}({points[0]})")
        return _("Art. {article} has no numbered paragraphs or points; cite `{article}`").format(
            article=article
        )

    def _point_problem(self, ref: str, article: str, paragraph: str, point: str) -> str:
        points = self._points.get((article, paragraph), [])
        where = _("Art. {number}").format(
            number=f"{article}({paragraph})" if paragraph else article
        )
        if points:
            shown = span(points, "point", "({})")
            return _("no point `{ref}` in the GDPR: {where} has {points}").format(
                ref=ref, where=where, points=shown
            )
        if paragraph:
            return _("no point `{ref}` in the GDPR: {where} has no points").format(
                ref=ref, where=where
            )
        with_points = [p for p in self._paragraphs[article] if (article, p) in self._points]
        if with_points:
            example = f"{article}({with_points[0]})({self._points[(article, with_points[0])][0]})"
            return _(
                "no point `{ref}` in the GDPR: {layout}; cite a point with its paragraph, "
                "as in `{example}`"
            ).format(ref=ref, layout=self._layout(article), example=example)
        return _("no point `{ref}` in the GDPR: {layout}, none with points").format(
            ref=ref, layout=self._layout(article)
        )

    def suggestions(self, ref: str, limit: int = 3) -> list[str]:
        """The closest references under the deepest valid part of `ref` (`6(1)(g)` ->
        points of 6(1)), then close spellings anywhere."""
        found = super().suggestions(ref, 1) if self.canonical(ref) else []
        parents = [p for p in self.cited(ref)[1:] if p in self]
        if parents:
            parent = parents[0]
            depth = len(self.cited(ref))
            children = [e.ref for e in self._entries if len(self.cited(e.ref)) == depth]
            children = [c for c in children if parent in self.cited(c)]
            found += difflib.get_close_matches(ref, children, limit, 0.0) or [parent]
        found += super().suggestions(ref, limit)
        return list(dict.fromkeys(r for r in found if r != ref))[:limit]

    def cited(self, ref: str) -> list[str]:
        match = _REF.fullmatch(ref)
        if match is None:
            return [ref]
        article, paragraph, point = match.groups()
        refs = [ref]
        if paragraph and point:
            refs.append(f"{article}({paragraph})")
        if paragraph or point:
            refs.append(article)
        return refs


def load_gdpr() -> GdprCatalog:
    meanings = {m["ref"]: m for m in gdpr_meanings_by_ref()}
    entries: list[CatalogEntry] = []
    for row in read_data("gdpr_structure.tsv"):
        kind = "point" if row["point"] else "paragraph" if row["paragraph"] else "article"
        details = {
            "kind": kind,
            "article": row["article"],
            "paragraph": row["paragraph"],
            "point": row["point"],
            "chapter": row["chapter"],
        }
        meaning = meanings.get(row["ref"])
        if meaning is not None:
            details["topic"] = meaning["title"]
            details["meaning"] = meaning["meaning"]
        entries.append(CatalogEntry(row["ref"], row["title"], details))
    return GdprCatalog(entries)


def gdpr_article_meanings() -> list[dict[str, str]]:
    """gdpr_articles.tsv: `ref` (without `Art. `, may be a range such as `30(3)-(5)`),
    `title` and `meaning` (a one-line paraphrase, not legal text), in file order."""
    return [
        {
            "ref": row["ref"].removeprefix("Art. "),
            "title": row["title"],
            "meaning": row["one-line meaning"],
        }
        for row in read_data("gdpr_articles.tsv")
    ]


def gdpr_meanings_by_ref() -> list[dict[str, str]]:
    """As `gdpr_article_meanings()`, with ranges such as `30(3)-(5)` expanded."""
    rows: list[dict[str, str]] = []
    for row in gdpr_article_meanings():
        match = _RANGE.fullmatch(row["ref"])
        if match is None:
            rows.append(row)
            continue
        article, first, last = match.groups()
        rows.extend({**row, "ref": f"{article}({n})"} for n in range(int(first), int(last) + 1))
    return rows


def gdpr_article_titles() -> dict[str, str]:
    """Article number (`"17"`) to its title, for the 99 articles."""
    return {
        row["ref"]: row["title"]
        for row in read_data("gdpr_structure.tsv")
        if not row["paragraph"] and not row["point"]
    }
