"""Built-in catalogues (GDPR, ISO/IEC 27001:2022 Annex A, WCAG 2.2, MITRE ATT&CK
Enterprise) and custom TSV catalogues, read only from the package's own data files
(`reqdsl/catalogs/data/`, see ATTRIBUTION.md there)."""

from __future__ import annotations

from functools import cache

from reqdsl.catalogs.attack import ATTACK_VERSION, AttackCatalog, attack_tactics, load_attack
from reqdsl.catalogs.base import Catalog, CatalogEntry, CatalogError
from reqdsl.catalogs.custom import TsvCatalog, load_tsv_catalog
from reqdsl.catalogs.gdpr import (
    GdprCatalog,
    gdpr_article_meanings,
    gdpr_article_titles,
    load_gdpr,
)
from reqdsl.catalogs.iso27001 import Iso27001Catalog, load_iso27001
from reqdsl.catalogs.tables import iso25010_model, stride_linddun_table
from reqdsl.catalogs.wcag import WcagCatalog, load_wcag

__all__ = [
    "ATTACK_VERSION",
    "AttackCatalog",
    "Catalog",
    "CatalogEntry",
    "CatalogError",
    "GdprCatalog",
    "Iso27001Catalog",
    "TsvCatalog",
    "WcagCatalog",
    "attack_catalog",
    "attack_tactics",
    "builtin_catalogs",
    "gdpr_article_meanings",
    "gdpr_article_titles",
    "iso25010_model",
    "load_tsv_catalog",
    "stride_linddun_table",
]


@cache
def builtin_catalogs() -> dict[str, Catalog]:
    """The built-in schemes `gdpr`, `iso27001`, `wcag` and `attack`, read once on first use.

    The dict is shared between callers: do not modify it (copy it to add custom schemes).
    """
    return {
        "gdpr": load_gdpr(),
        "iso27001": load_iso27001(),
        "wcag": load_wcag(),
        "attack": load_attack(),
    }


def attack_catalog() -> AttackCatalog:
    """The MITRE ATT&CK Enterprise catalogue (`builtin_catalogs()["attack"]`)."""
    catalog = builtin_catalogs()["attack"]
    assert isinstance(catalog, AttackCatalog)
    return catalog
