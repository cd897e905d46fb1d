"""HTML and Markdown building blocks that keep user text inert.

Site pages are Markdown files whose headings are Markdown (so MkDocs builds the table of
contents and the search sections from them) and whose bodies are raw HTML blocks built
here (tables, link lists, badges): Python-Markdown passes a raw HTML block through in one
step, which is what keeps a 10,000-requirement site fast to build, and HTML escaping is a
total function where Markdown escaping is not.

Every piece of text from a `.req` file reaches a page through `esc` (HTML) or `md_text`
(a Markdown heading); `.req` text blocks go through `reqdsl.site.textblock`. Control
characters are dropped on the way: Python-Markdown marks its stashed HTML with STX/ETX
characters, so a title holding them could otherwise splice raw HTML into a page.
Bidirectional controls, noncharacters and lone surrogates become U+FFFD
(`reqdsl.util.unicode.visible`): they would reorder what a reader sees, or make the
generated YAML (front matter, `mkdocs.yml`) unreadable.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote

from ..util.unicode import NOT_TEXT_CLASS, visible

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HTML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)
_PLAIN = re.compile(f"[^&<>\"'\\x00-\\x1f\\x7f-\\x9f{NOT_TEXT_CLASS}]*")
# The characters Python-Markdown unescapes with toc, attr_list and tables loaded
# (`Markdown.ESCAPED_CHARS`; `>` goes as an entity instead).
MD_ESCAPABLE = "\\`*_{}[]()#+-.!|"
_MD_HEADING = str.maketrans(
    {
        **{char: "\\" + char for char in MD_ESCAPABLE},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\n": " ",
        "\r": " ",
        "\t": " ",
    }
)
# What may stand in an HTML id or a URL fragment without surprises: element IDs as the
# grammar allows them (a letter, then letters, digits, `_`, `.`, `-`).
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
_SAFE_ANCHOR = re.compile(r"[^\W\d_][\w.\-]*")


def esc(text: object) -> str:
    """`text` as HTML text or attribute value: `& < > " '` as entities, control
    characters dropped, bidirectional controls and noncharacters as U+FFFD, tabs and
    newlines kept (a `<br>` is `esc_lines`' job)."""
    value = str(text)
    if _PLAIN.fullmatch(value):
        return value
    return _CONTROL.sub("", visible(value)).translate(_HTML_ESCAPES)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def esc_code_spans(text: str) -> str:
    """Escaped, with each `backticked` run shown as `<code>` (diagnostic messages quote
    IDs and values that way): the text inside is escaped like the rest, so a backtick
    never makes markup of what it encloses. One linear scan."""
    pieces = _CODE_SPAN.split(text)
    return "".join(
        f"<code>{esc(piece)}</code>" if index % 2 else esc(piece)
        for index, piece in enumerate(pieces)
    )


def esc_lines(text: str) -> str:
    """Escaped, with line breaks kept as `<br>` (a string with `\\n` escapes)."""
    return "<br>".join(esc(line) for line in text.split("\n"))


def md_text(text: str) -> str:
    """`text` as the inline Markdown of a one-line heading: every character Python-Markdown
    (with the site's extensions) treats as markup is backslash-escaped, `& < >` become
    entities, control characters are dropped, bidirectional controls and noncharacters
    become U+FFFD, and line breaks become spaces. Escaping only what Python-Markdown
    unescapes matters: `\\~` would be shown with its backslash."""
    return _CONTROL.sub("", visible(text)).translate(_MD_HEADING)


def is_safe_anchor(anchor: str) -> bool:
    return bool(_SAFE_ANCHOR.fullmatch(anchor))


def page_url(page: str) -> str:
    """The built file of a page: `documents/srs.md` -> `documents/srs.html` (the offline
    plugin turns directory URLs off, so every page is a plain `.html` file)."""
    return page[: -len(".md")] + ".html" if page.endswith(".md") else page


def relative_url(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative link from one page (or file) of the site to another, with a fragment."""
    path = _relative_path(from_page, to_page)
    if anchor:
        fragment = anchor if _URL_SAFE.fullmatch(anchor) else quote(anchor, safe="._-~")
        return f"{path}#{fragment}"
    return path or "#"


@lru_cache(maxsize=4096)
def _relative_path(from_page: str, to_page: str) -> str:
    target = page_url(to_page)
    if target == page_url(from_page):
        return ""
    path = posixpath.relpath(target, posixpath.dirname(page_url(from_page)) or ".")
    return quote(path, safe="/._-~")


def link(href: str, label_html: str, *, title: str | None = None, css: str | None = None) -> str:
    """An `<a>` with an already escaped label; `href` is built by `relative_url` (never
    from user text), and `title` is escaped here."""
    attributes = f' href="{esc(href)}"'
    if title:
        attributes += f' title="{esc(title)}"'
    if css:
        attributes += f' class="{css}"'
    return f"<a{attributes}>{label_html}</a>"


def badge(text: str, css: str) -> str:
    """A small coloured label (`css` is one of ours: ok, gap, error, warning, ...)."""
    return f'<span class="rq-badge rq-{css}">{esc(text)}</span>'


def table(
    headers: Iterable[str],
    rows: Iterable[Iterable[str]],
    *,
    css: str = "",
    row_classes: Iterable[str] | None = None,
    attributes: str = "",
    filters: Iterable[int] = (),
) -> str:
    """A table from escaped header labels and cells already in HTML. The columns at
    `filters` (0-based) get a drop-down filter in the browser (tables.js)."""
    marked = set(filters)
    head = "".join(
        f"<th data-rq-filter>{header}</th>" if index in marked else f"<th>{header}</th>"
        for index, header in enumerate(headers)
    )
    classes = list(row_classes) if row_classes is not None else None
    body = []
    for index, row in enumerate(rows):
        css_row = f' class="{classes[index]}"' if classes and classes[index] else ""
        body.append(f"<tr{css_row}>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    # Material styles only tables without a class: ours are marked with `data-rq`.
    marks = f' data-rq="{css}"' if css else ""
    return (
        f"<table{marks}{attributes}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def field_table(rows: Iterable[tuple[str, str]], css: str = "rq-fields") -> str:
    """A two-column field/value table (labels are ours, values already HTML)."""
    body = "".join(f"<tr><th>{esc(name)}</th><td>{value}</td></tr>" for name, value in rows)
    return f'<table class="{css}"><tbody>{body}</tbody></table>' if body else ""


def block(*parts: str, css: str = "", search: bool = True) -> str:
    """A raw HTML block for a Markdown page: one `div` starting a line and followed by a
    blank line, which Python-Markdown passes through untouched. `search=False` keeps the
    block out of the search index (Material's `data-search-exclude`)."""
    inner = "\n".join(part for part in parts if part)
    if not inner:
        return ""
    # A line `</div>` alone ends a block for reqdsl.site.fastpages: indent any other one.
    inner = inner.replace("\n</div>", "\n </div>")
    classes = f"rq-block {css}".strip()
    exclude = "" if search else " data-search-exclude"
    return f'<div class="{classes}"{exclude}>\n{inner}\n</div>'


def heading(level: int, text_md: str, anchor: str | None = None) -> str:
    """A Markdown heading (`text_md` already escaped with `md_text`), with an explicit id
    (the `attr_list` extension) so that links to elements never depend on slugs."""
    level = max(1, min(level, 6))
    suffix = f" {{#{anchor}}}" if anchor else ""
    return f"{'#' * level} {text_md}{suffix}"


def front_matter(
    title: str, *, search: bool = True, hide: Iterable[str] = (), fast: bool = True
) -> str:
    """YAML front matter with the page title, HTML-escaped: MkDocs and Material insert
    page titles into HTML unescaped (the nav, `<title>`), so the escaping is done here.
    `fast` marks the page for reqdsl.site.fastpages (headings and HTML blocks only);
    a page of plain Markdown goes through MkDocs' own renderer."""
    import json

    lines = ["---", f"title: {json.dumps(esc(title), ensure_ascii=False)}"]
    if fast:
        lines.append("reqdsl: true")
    if not search:
        lines += ["search:", "  exclude: true"]
    hidden = list(hide)
    if hidden:
        lines += ["hide:", *(f"  - {name}" for name in hidden)]
    lines.append("---")
    return "\n".join(lines)
