"""Page generators: pure functions from a `SiteContext` to `{page path: Markdown}`."""

from __future__ import annotations

from collections.abc import Callable

from ..context import SiteContext
from .changes import changes_page
from .compliance import gdpr_page, soa_page
from .decisions import decisions_page
from .diagnostics import diagnostics_page
from .diagrams import diagrams_page
from .documents import document_pages
from .glossary import glossary_page
from .home import home_page
from .matrix import matrix_page
from .references import references_page
from .threats import threat_page
from .validation import validation_page

PageGenerator = Callable[[SiteContext], dict[str, str]]

GENERATORS: tuple[PageGenerator, ...] = (
    home_page,
    document_pages,
    matrix_page,
    gdpr_page,
    soa_page,
    references_page,
    threat_page,
    decisions_page,
    validation_page,
    diagrams_page,
    glossary_page,
    diagnostics_page,
    changes_page,
)


def generate_pages(ctx: SiteContext) -> dict[str, str]:
    pages: dict[str, str] = {}
    for generator in GENERATORS:
        pages.update(generator(ctx))
    return pages
