"""The specification site: pages generated from the checked model, built by MkDocs
Material, published atomically. See docs/site.md.

    from reqdsl.site.builder import BuildOptions, build_site
    result = build_site(BuildOptions(project=Path("."), output=Path("site")))

Stages (each module has one job):
    index, context      where elements live; what pages read (diagnostics placed, reports)
    elements, ...views  ready, escaped HTML fragments for an element, a decision matrix
    pages/              one generator per page: SiteContext -> {path: Markdown}
    config, assets      mkdocs.yml and the static files; generate: all files together
    writer              hash-skipping, atomic writes of the MkDocs project
    fastpages           an in-process MkDocs plugin rendering our pages without re-parsing
    publish, builder    staging, lock, `mkdocs build`, atomic swap, marker files
"""
