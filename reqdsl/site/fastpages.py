"""Fast rendering of reqdsl's own pages inside `mkdocs build`: an in-process MkDocs plugin.

A generated page is Markdown of a fixed shape: front matter, then only headings (one
line, `{#id}` at the end or none) and raw HTML blocks (`<div class="rq-block...">` to a
line `</div>`), separated by blank lines. Plain MkDocs renders it correctly, but spends
most of a 10,000-requirement build parsing the raw HTML three times (Python-Markdown's
raw-HTML stash, MkDocs' anchor collector, Material's search indexer).

This plugin renders such a page itself, with the same result as Python-Markdown with the
`toc` (permalinks), `attr_list` and `tables` extensions (a test compares the two):
headings become `<hN id>` with a permalink, blocks are copied, the table of contents is
built from the headings with the `toc` extension's own slug and nesting functions. The
search plugin is handed a light version of the page (the headings, and each block's text
without its tags; blocks marked `data-search-exclude` left out), and the full HTML is put
back in the rendered page. A page of any other shape goes through MkDocs unchanged.

Incremental builds: given the set of files that changed since the published site was
built (`changed`, paths under docs/), the plugin tells MkDocs' dirty build which files
are modified (by content, not by modification time), and merges the search index: the
previous index's entries of the pages not rebuilt, in their place, with the new entries
of the rebuilt ones (MkDocs' dirty mode would otherwise publish an index of the rebuilt
pages only). reqdsl.site.builder decides when an incremental build is safe.
"""

from __future__ import annotations

import html
import json
import operator
import re
from functools import partial
from pathlib import Path
from typing import Any

from markdown.extensions.toc import nest_toc_tokens, slugify, unique
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.toc import get_toc

from .html import MD_ESCAPABLE

MARKER_KEY = "reqdsl"  # front matter key of the pages this plugin renders
BLOCK_START = '<div class="rq-block'
BLOCK_END = "</div>"
_HEADING = re.compile(r"(#{1,6}) (.*?)(?: \{#([^\s}]+)\})?")
_MD_ESCAPE = re.compile("\\\\([" + re.escape(MD_ESCAPABLE) + "])")
LIGHT_END = "<!-- reqdsl: end of content -->"
_TAGS = re.compile(r"<[^>]*>")
_LABELS = re.compile(r"<th>[^<]*</th>")  # field names: words every element has
_SPACES = re.compile(r"\s+")


class Rendered:
    def __init__(self, full: str, light: str, toc: list[dict[str, Any]]) -> None:
        self.full, self.light, self.toc = full, light, toc


def render_page(markdown_text: str) -> Rendered | None:
    """Our Markdown as HTML (full and light) and TOC tokens; None for another shape."""
    lines = markdown_text.split("\n")
    headings: list[tuple[int, str, str | None]] = []  # (level, inner HTML, id)
    pieces: list[tuple[str, Any]] = []
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if line.startswith(BLOCK_START):
            end = index + 1
            while end < count and lines[end] != BLOCK_END:
                end += 1
            if end == count:
                return None
            pieces.append(("block", "\n".join(lines[index : end + 1])))
            index = end + 1
            continue
        match = _HEADING.fullmatch(line)
        if match is None:
            return None
        inner = _MD_ESCAPE.sub(r"\1", match.group(2)).strip()
        headings.append((len(match.group(1)), inner, match.group(3)))
        pieces.append(("heading", len(headings) - 1))
        index += 1
    used = {anchor for _, _, anchor in headings if anchor}
    counters: dict[str, int] = {}
    tokens, full, light = [], [], []
    ids: list[str] = []
    for level, inner, anchor in headings:
        if anchor is None:
            anchor = unique(slugify(html.unescape(inner), "-"), used, counters)
        ids.append(anchor)
        name = " ".join(inner.split())
        tokens.append(
            {"level": level, "id": anchor, "name": name, "html": inner, "data-toc-label": ""}
        )
    for kind, value in pieces:
        if kind == "heading":
            level, inner, _ = headings[value]
            anchor = html.escape(ids[value])
            text = (
                f'<h{level} id="{anchor}">{inner}<a class="headerlink" href="#{anchor}" '
                f'title="Permanent link">&para;</a></h{level}>'
            )
            full.append(text)
            light.append(text)
        else:
            full.append(value)
            first_line = value.split("\n", 1)[0]
            if "data-search-exclude" not in first_line:
                words = _SPACES.sub(" ", _TAGS.sub(" ", _LABELS.sub(" ", value))).strip()
                if words:
                    light.append(f"<p>{words}</p>")
    light.append(LIGHT_END)  # makes the light content unique in the rendered page
    return Rendered("\n".join(full), "\n".join(light), nest_toc_tokens(tokens))


class FastPagesConfig(Config):  # type: ignore[no-untyped-call]
    """The plugin takes no options."""


class FastPages(BasePlugin[FastPagesConfig]):  # type: ignore[no-untyped-call]
    """Registered by reqdsl's builder on the loaded config (never from mkdocs.yml)."""

    def __init__(self, changed: set[str] | None = None, template_cache: bool = False) -> None:
        super().__init__()
        self._pages: dict[str, Rendered] = {}
        self.changed = changed  # None: a full build
        self.template_cache = template_cache
        self._rebuilt: set[str] = set()  # URLs of the pages rendered in this build

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        if self.template_cache:
            from .template_cache import SealedBytecodeCache, template_cache_dir

            env.bytecode_cache = SealedBytecodeCache(template_cache_dir())
        return env

    def on_template_context(self, context: Any, *, template_name: str, config: Any) -> Any:
        """404.html with relative links, like every other page: MkDocs gives error pages
        root-absolute ones (`/assets/...`) when no site_url is set, which break as soon
        as the site is served under a sub-path (`https://host/specs/`) or opened from
        file://. The 404 page sits at the site's root, so `.` is its base."""
        from mkdocs.utils import is_error_template, normalize_url

        if not is_error_template(template_name):
            return context
        context["base_url"] = "."
        context["extra_css"] = [normalize_url(str(path), None, ".") for path in config.extra_css]
        context["extra_javascript"] = [
            normalize_url(str(script), None, ".") for script in config.extra_javascript
        ]
        return context

    def on_files(self, files: Any, *, config: Any) -> Any:
        if self.changed is None:
            return files
        for file in files:
            if file.abs_src_path and Path(file.abs_src_path).is_relative_to(config.docs_dir):
                # By content hash, not MkDocs' modification times.
                file.is_modified = partial(operator.contains, self.changed, file.src_uri)
        return files

    @event_priority(100)  # before the search plugin writes the index
    def on_post_build(self, *, config: Any) -> None:
        if self.changed is None:
            return
        search = config.plugins.get("material/search")
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if search is None or not index_file.is_file():
            return
        previous = json.loads(index_file.read_text(encoding="utf-8")).get("docs", [])
        search.search_index.entries = merge_search_entries(
            previous, search.search_index.entries, self._rebuilt
        )

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        self._rebuilt.add(page.url)
        if not page.meta.get(MARKER_KEY):
            return markdown
        rendered = render_page(markdown)
        if rendered is None:
            return markdown
        self._pages[page.file.src_uri] = rendered
        return ""

    def on_page_content(self, html_text: str, *, page: Any, config: Any, files: Any) -> str:
        rendered = self._pages.get(page.file.src_uri)
        if rendered is None:
            return html_text
        page.toc = get_toc(rendered.toc)  # type: ignore[arg-type]  # the toc extension's shape
        return rendered.light

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        rendered = self._pages.pop(page.file.src_uri, None)
        if rendered is None:
            return output
        position = output.find(rendered.light)
        if position < 0:  # a theme that does not print page.content as is
            return output
        return output[:position] + rendered.full + output[position + len(rendered.light) :]


def merge_search_entries(
    previous: list[dict[str, Any]], new: list[dict[str, Any]], rebuilt: set[str]
) -> list[dict[str, Any]]:
    """The full index after rebuilding some pages: the previous entries, with each
    rebuilt page's entries replaced, in place, by its new ones (a full build's order)."""

    def page_of(entry: dict[str, Any]) -> str:
        return str(entry.get("location", "")).split("#", 1)[0]

    fresh: dict[str, list[dict[str, Any]]] = {}
    for entry in new:
        fresh.setdefault(page_of(entry), []).append(entry)
    merged: list[dict[str, Any]] = []
    for entry in previous:
        page = page_of(entry)
        if page not in rebuilt:
            merged.append(entry)
        elif page in fresh:
            merged.extend(fresh.pop(page))
    for entries in fresh.values():  # a rebuilt page that had no entry before
        merged.extend(entries)
    return merged
