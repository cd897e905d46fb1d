"""The site as files: `{relative path: text}` for `mkdocs.yml` and everything under
`docs/` (pages, assets, diagram SVGs). Pure and deterministic: the same project,
diagnostics, diagrams and test results give the same bytes (sorted, no timestamps)."""

from __future__ import annotations

from ..i18n import _, language
from .assets import LABELS, site_assets
from .config import mkdocs_config
from .context import SiteContext
from .pages import generate_pages
from .pages.changes import PAGE as CHANGES_PAGE
from .pages.changes import changes_title
from .pages.documents import document_label
from .script_labels import labels_script

DOCS = "docs"


def generate_site(ctx: SiteContext) -> dict[str, str]:
    # A site is in its project's language, whatever the locale of the machine building it.
    with language(ctx.project.config.language):
        return _generate_site(ctx)


def _generate_site(ctx: SiteContext) -> dict[str, str]:
    files: dict[str, str] = {}
    for path, text in generate_pages(ctx).items():
        files[f"{DOCS}/{path}"] = text
    for path, text in site_assets().items():
        files[f"{DOCS}/{path}"] = text
    files[f"{DOCS}/{LABELS}"] = labels_script()
    for path, text in ctx.diagrams.files().items():
        files[f"{DOCS}/{path}"] = text
    project = ctx.project
    name = project.config.name or project.root.resolve().name or _("Specification")
    documents = [(page, document_label(head, page)) for page, head in ctx.index.documents]
    changes = None
    if ctx.baseline is not None:
        changes = (changes_title(ctx.baseline[0]), CHANGES_PAGE)
    files["mkdocs.yml"] = mkdocs_config(name, documents, changes, project.config.language)
    return dict(sorted(files.items()))
