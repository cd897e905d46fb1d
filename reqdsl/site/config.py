"""The generated `mkdocs.yml`: Material, offline, short navigation.

Written as JSON (which YAML reads), so that a project name can never break the file or
inject a YAML tag. MkDocs and Material insert `site_name` into HTML unescaped, so it is
HTML-escaped here. The offline plugin turns directory URLs off (every page is a file,
which is what `file://` needs) and inlines the search index; `extra.polyfills` names our
local iframe-worker shim so that the plugin adds no copy from unpkg.com. `theme.font:
false` keeps Google Fonts out. Every navigation entry carries its title (the page's own,
escaped like it): an incremental build renders only the changed pages, and MkDocs knows
the title of a page it does not read only from the navigation. Documents are listed in
the navigation while there are few of them (MkDocs renders the whole navigation into
every page: a long one costs build time and helps nobody); the Documents page always lists them all.
"""

from __future__ import annotations

import json
from typing import Any

from ..i18n import _
from .assets import LABELS, SCRIPT, SHIM, STYLES, VIEWER
from .html import esc
from .pages import (
    decisions,
    diagnostics,
    diagrams,
    glossary,
    home,
    matrix,
    references,
    threats,
    validation,
)
from .pages.compliance import GDPR_TITLE, SOA_TITLE

NAV_DOCUMENT_LIMIT = 20


def mkdocs_config(
    site_name: str,
    document_pages: list[tuple[str, str]],
    changes: tuple[str, str] | None = None,
    language: str = "en",
) -> str:
    """`document_pages` are (page path, title) in navigation order; `changes` is the
    (title, page) of the "Changes since REV" page when there is one. `language` is the
    project's: Material's own labels ("Search", "Table of contents") and the search
    index's stemming follow it; the navigation's labels are in the current language."""
    documents: list[Any] = [{_("Documents"): "documents/index.md"}]
    not_in_nav = ""
    if len(document_pages) <= NAV_DOCUMENT_LIMIT:
        documents += [{esc(title): page} for page, title in document_pages]
    else:
        not_in_nav = "/documents/*.md"
    config: dict[str, Any] = {
        "site_name": esc(site_name),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "strict": False,
        "theme": {
            "name": "material",
            "font": False,
            "language": language,
            "features": ["navigation.top", "search.highlight", "toc.follow"],
            "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
        },
        "plugins": [{"search": {"lang": [language]}}, "offline"],
        "markdown_extensions": [{"toc": {"permalink": True}}, "attr_list", "tables"],
        "extra": {"polyfills": [SHIM], "generator": False},
        "extra_css": [STYLES],
        "extra_javascript": [LABELS, SCRIPT, VIEWER],
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"anchors": "warn"}},
        "nav": [
            {_(home.TITLE): "index.md"},
            {_("Documents"): documents},
            {_(matrix.TITLE): "traceability.md"},
            {
                _("Compliance"): [
                    {_(GDPR_TITLE): "gdpr.md"},
                    {_(SOA_TITLE): "iso27001.md"},
                    {_(references.TITLE): references.PAGE},
                ]
            },
            {_(threats.TITLE): "threats.md"},
            {_(decisions.TITLE): "decisions.md"},
            {_(validation.TITLE): "validation.md"},
            {_(diagrams.TITLE): "diagrams.md"},
            {_(glossary.TITLE): "glossary.md"},
            {_(diagnostics.TITLE): "diagnostics.md"},
        ],
    }
    if changes is not None:
        title, page = changes
        config["nav"].insert(2, {esc(title): page})
    if not_in_nav:
        config["not_in_nav"] = not_in_nav
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"
