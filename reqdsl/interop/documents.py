"""The printable specification as data: what `reqdsl export --format pdf|docx` prints.

A `Book` holds one or more `Part`s (one per ISO/IEC/IEEE 29148 document: StRS, SyRS,
SRS, ...; a file without a `document` head is a part too), the reports as annexes, and
the diagrams. Everything here is read from the views the other exports and the site use,
never recomputed:

- the documents' order and names: the site's `SiteIndex` (`[project] documents`);
- fields, links both ways, attributes and steps: `interop.model_view`;
- the traceability matrix: `interop.matrix` (its COLUMNS, its rows' cells);
- the GDPR record, the statement of applicability and the threat register: each report's
  `document()` (reqdsl.reports), exactly what `reqdsl report --format markdown` prints;
- the diagrams: `reqdsl.diagrams` (the bundled PlantUML), as SVG.

The renderers (`pdf_export`, `docx_export`) only lay this out. All text here is the
user's text as written, with the characters no document format can hold (C0 controls
but tab and newline) shown as their Unicode pictures: it is data, and each renderer puts
it into its format as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from .. import __version__
from ..i18n import gettext
from ..labels import field_label, word_label
from ..model.elements import ModelElement
from ..model.project import Project
from ..model.schema import inverse_label
from ..reports.base import Block, Document, ReportModel, Table
from .document_labels import label
from .junit import JunitResults
from .matrix import COLUMNS, WORD_COLUMNS, MatrixRow
from .model_view import LinkIndex, attributes_source, field_values, steps_source

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_NONCHARACTER = "\ufffd"
# Element-level diagrams, by kind: the folder `reqdsl.diagrams` writes them in.
_ELEMENT_DIAGRAMS = {"scenario": "sequence", "activity": "activity"}
# Project-wide diagrams go to the first document that holds the kind they draw.
_PROJECT_DIAGRAMS = {
    "use-cases.puml": "usecase",
    "data-model.puml": "data",
    "components.puml": "component",
    "data-flow.puml": "flow",
    "goals.puml": "goal",
}
REPORT_ORDER = ("gdpr", "soa", "threats")


def clean(text: str) -> str:
    """`text` with the characters no document can hold (XML 1.0 refuses C0 controls and
    U+FFFE/U+FFFF) made visible: a control as `\\xNN` (as `reqdsl report` prints it; no
    embedded font draws the control pictures), a non-character as U+FFFD; line breaks
    normalised to `\\n`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(_visible, text)


def _visible(found: re.Match[str]) -> str:
    char = found[0]
    return _NONCHARACTER if char in "\ufffe\uffff" else f"\\x{ord(char):02x}"


# A line that starts a list item or a table row keeps its line break; any other single
# line break is the writer's wrapping, read as a space (as Markdown reads it).
_KEPT_BREAK = re.compile(r"\n(?=[ \t]*(?:[-*+|]|\d+[.)])[ \t])")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def prose(text: str) -> str:
    """A text field as paragraphs (separated by a blank line) of unwrapped lines."""
    paragraphs = re.split(r"\n[ \t]*\n\s*", clean(text).strip())
    out = []
    for paragraph in paragraphs:
        lines = _KEPT_BREAK.sub("\x00", paragraph)
        out.append(_SOFT_BREAK.sub(" ", lines).replace("\x00", "\n"))
    return "\n\n".join(out)


class Item(ReportModel):
    """One piece of a part's body, in file order."""

    kind: Literal["heading", "text", "term", "element"]
    level: int = 0
    title: str = ""  # a heading's text, an element's `ID Title`, a term
    text: str = ""  # a text block, a term's definition
    # [field, value]: attributes and outgoing links; [inverse label, sources]: incoming
    fields: list[list[str]] = Field(default_factory=list)
    incoming: list[list[str]] = Field(default_factory=list)
    code: str = ""  # a data element's attributes or a scenario's steps, as written
    diagrams: list[str] = Field(default_factory=list)  # keys of Book.diagrams


class Diagram(ReportModel):
    key: str  # the diagram's path (`sequence/SC-BOOK.puml`)
    caption: str
    svg: str | None = None
    source: str = ""  # the PlantUML text, printed when there is no SVG
    note: str | None = None  # why there is no SVG
    wide: bool = False  # much wider than high: printed on a landscape page


class Part(ReportModel):
    """One ISO/IEC/IEEE 29148 document (or one file of the project without a head)."""

    id: str | None
    path: str  # the .req file
    name: str  # a file-name-safe stem (`strs`), as the site's page
    title: str
    meta: list[list[str]]  # [label, value]: level, version, status, owner, file
    approvals: Table
    purpose: str = ""
    scope: str = ""
    items: list[Item] = Field(default_factory=list)
    # The document's own diagrams (its traceability, the project-wide ones it holds).
    diagrams: list[str] = Field(default_factory=list)


class Widths(ReportModel):
    """How a wide table shares the page: each column at least as wide as its longest word
    (the longest piece a line cannot break; words are never hyphenated, IDs must stay
    whole), the rest of the width in proportion to `weights`."""

    words: list[str]
    weights: list[int]


class Annex(ReportModel):
    title: str
    blocks: list[Block]
    wide: bool = False  # a table too wide for portrait pages
    widths: list[Widths | None] = Field(default_factory=list)  # per block
    diagrams: list[str] = Field(default_factory=list)  # Book.diagrams no document holds


class Book(ReportModel):
    """What one output file holds."""

    name: str  # file-name stem
    title: str
    subtitle: str = ""
    meta: list[list[str]] = Field(default_factory=list)  # title page: [label, value] rows
    approvals: Table | None = None  # the title page's approvals (a one-part book)
    documents: Table | None = None  # the title page's list of documents (combined)
    colophon: str = ""
    parts: list[Part] = Field(default_factory=list)
    annexes: list[Annex] = Field(default_factory=list)
    diagrams: dict[str, Diagram] = Field(default_factory=dict)
    note: str | None = None  # a warning the reader must see (diagrams not rendered)
    labels: dict[str, str] = Field(default_factory=dict)
    language: str = "en"  # the project's: hyphenation, quotes, the file's language tag


@dataclass
class Sources:
    """What the builder reads once: the views, and the diagrams."""

    project: Project
    links: LinkIndex
    rows: list[MatrixRow]
    reports: list[Document]
    diagrams: dict[str, Diagram] = field(default_factory=dict)
    diagram_note: str | None = None


def build_books(sources: Sources, *, combined: bool) -> list[Book]:
    """One book per document (with the matrix rows of its requirements) and one for the
    reports, or a single combined book (with the whole matrix)."""
    project = sources.project
    parts = _parts(sources)
    reports = [_report_annex(document) for document in sources.reports]
    placed = {key for part in parts for key in part.diagrams}
    placed |= {key for part in parts for item in part.items for key in item.diagrams}
    loose = [key for key in sources.diagrams if key not in placed]
    name = _project_name(project)
    if combined:
        annexes = [_matrix_annex(sources.rows), *reports, *_diagram_annex(sources, loose)]
        book = Book(
            name="specification",
            title=clean(name),
            subtitle=label("documents"),
            meta=_project_meta(project),
            documents=_documents_table(parts),
            parts=parts,
            annexes=_lettered(annexes),
            diagrams=sources.diagrams,
        )
        return [_finish(book, sources)]
    books = []
    for part in parts:
        mine = {e.id for e in project.of_kind("requirement") if e.path == part.path}
        own = _matrix_annex([row for row in sources.rows if row.id in mine])
        used = set(part.diagrams) | {key for item in part.items for key in item.diagrams}
        book = Book(
            name=part.name,
            title=part.title,
            subtitle=clean(name),
            meta=part.meta,
            approvals=part.approvals,
            parts=[part],
            annexes=_lettered([own] if mine else []),
            diagrams={key: sources.diagrams[key] for key in sources.diagrams if key in used},
        )
        books.append(_finish(book, sources))
    taken, reports_name, number = {part.name for part in parts}, "reports", 2
    while reports_name in taken:  # a document whose ID is `reports`
        reports_name, number = f"reports-{number}", number + 1
    book = Book(
        name=reports_name,
        title=clean(name),
        subtitle=label("reports"),
        meta=_project_meta(project),
        # No whole matrix here: each document has its own rows (and the whole matrix of
        # 10,000 requirements would be one 1,000-page table, gigabytes to lay out).
        annexes=_lettered([*reports, *_diagram_annex(sources, loose)]),
        diagrams={key: sources.diagrams[key] for key in loose},
    )
    books.append(_finish(book, sources))
    return books


def _finish(book: Book, sources: Sources) -> Book:
    from .document_labels import labels

    name = _project_name(sources.project)
    colophon = label("generated", version=__version__, project=clean(name))
    update = {
        "note": sources.diagram_note,
        "labels": labels(),
        "colophon": colophon,
        "language": sources.project.config.language,
    }
    return book.model_copy(update=update)


def _project_name(project: Project) -> str:
    return project.config.name or project.root.resolve().name or "project"


def _lettered(annexes: list[Annex]) -> list[Annex]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [
        annex.model_copy(
            update={"title": label("annex", letter=letters[i % 26], title=annex.title)}
        )
        for i, annex in enumerate(annexes)
    ]


def _project_meta(project: Project) -> list[list[str]]:
    if not project.config.version:
        return []
    return [[label("project_version"), clean(project.config.version)]]


def _documents_table(parts: list[Part]) -> Table:
    """The combined book's title page: each document with its version, status, owner."""
    keys = ("version", "status", "owner")
    rows = []
    for part in parts:
        found = dict((name, value) for name, value in part.meta)
        rows.append([part.title, *(found.get(label(key), "") for key in keys)])
    return Table(columns=[label("document"), *(label(key) for key in keys)], rows=rows)


def _report_annex(document: Document) -> Annex:
    blocks = [_clean_block(block) for block in document.blocks]
    return _annex(clean(document.title), blocks)


def _clean_block(block: Block) -> Block:
    table = block.table
    if table is not None:
        table = Table(
            columns=[clean(column) for column in table.columns],
            rows=[[clean(cell) for cell in row] for row in table.rows],
        )
    return Block(
        title=clean(block.title),
        level=block.level,
        text=clean(block.text) if block.text else None,
        table=table,
        empty=clean(gettext(block.empty)),
    )


def _matrix_annex(rows: list[MatrixRow]) -> Annex:
    words = [name in WORD_COLUMNS for name in COLUMNS]
    cells = [
        [
            clean(word_label(cell) if word else cell)
            for cell, word in zip(row.cells(), words, strict=True)
        ]
        for row in rows
    ]
    table = Table(columns=[gettext(name) for name in COLUMNS], rows=cells)
    block = Block(title=label("matrix"), level=2, table=table, empty=label("none"))
    return _annex(label("matrix"), [block])


def _annex(title: str, blocks: list[Block]) -> Annex:
    widths = [column_widths(b.table) if b.table is not None else None for b in blocks]
    wide = any(b.table is not None and len(b.table.columns) > 6 for b in blocks)
    return Annex(title=title, blocks=blocks, wide=wide, widths=widths)


# What a line cannot break: a run without spaces, up to and including a hyphen (Typst
# breaks after the hyphen of `SYS-BOOK`, as Unicode's line breaking allows).
_WORD = re.compile(r"[^\s-]*-|[^\s-]+")


def column_widths(table: Table) -> Widths:
    """Each column's longest word, and its weight: its longest cell, 24 characters at most."""
    words, weights = [], []
    for index, column in enumerate(table.columns):
        cells = [column, *(row[index] for row in table.rows)]
        word = max((w for cell in cells for w in _WORD.findall(cell)), key=len, default="")
        words.append(word)
        weights.append(max(len(word), min(max(len(cell) for cell in cells), 24)))
    return Widths(words=words, weights=weights)


def _diagram_annex(sources: Sources, keys: list[str]) -> list[Annex]:
    if not keys:
        return []
    return [Annex(title=label("diagrams"), blocks=[], diagrams=keys)]


# ---------------------------------------------------------------- the documents


def _parts(sources: Sources) -> list[Part]:
    from ..site.index import SiteIndex  # the site's order and page names of documents

    project = sources.project
    index = SiteIndex.build(project)
    by_file: dict[str, list[ModelElement]] = {}
    for element in project.elements:
        by_file.setdefault(element.path, []).append(element)
    first_of_kind = _first_files(project)
    parts = []
    for path, page in index.document_pages.items():
        head = next((e for e in by_file.get(path, []) if e.kind == "document"), None)
        part = _part(sources, path, page, head, by_file.get(path, []))
        extra = [key for key, kind in _PROJECT_DIAGRAMS.items() if first_of_kind.get(kind) == path]
        part.diagrams.extend(key for key in extra if key in sources.diagrams)
        parts.append(part)
    order = {page: rank for rank, (page, _) in enumerate(index.documents)}
    pages = dict(zip(index.document_pages.values(), parts, strict=True))
    return [pages[page] for page in sorted(pages, key=order.__getitem__)]


def _first_files(project: Project) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in project.elements:
        found.setdefault(element.kind, element.path)
    return found


def _part(
    sources: Sources, path: str, page: str, head: ModelElement | None, elements: list[ModelElement]
) -> Part:
    name = page.rsplit("/", 1)[-1].removesuffix(".md")
    values = field_values(head) if head is not None else {}
    title = clean(head.title or head.id or path) if head is not None else clean(path)
    meta = [[label("file"), clean(path)]]
    if head is not None and head.id:
        meta.insert(0, [label("id"), clean(head.id)])
    for key in ("level", "version", "status", "owner"):
        value = values.get(key)
        if isinstance(value, str):
            meta.append([label(key), clean(value)])
    for key, value in values.items():  # the head's other fields (tags, description, custom)
        if key not in ("level", "version", "status", "owner", "purpose", "scope"):
            meta.append([clean(key), prose(_text(value))])
    if head is not None:
        meta += _incoming(sources, head)  # `reviewed in RV-1`, and any other link to it
    part = Part(
        id=head.id if head is not None else None,
        path=path,
        name=name,
        title=title,
        meta=meta,
        approvals=_approvals(sources, head),
        purpose=prose(_text(values.get("purpose"))),
        scope=prose(_text(values.get("scope"))),
    )
    if head is not None and head.id:
        key = f"traceability/{head.id}.puml"
        if key in sources.diagrams:
            part.diagrams.append(key)
    part.items.extend(_items(sources, head, elements))
    return part


def _text(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else ", ".join(value)


def _approvals(sources: Sources, head: ModelElement | None) -> Table:
    """The reviews covering the document, as written (the Validation page's data)."""
    columns = [label(key) for key in ("review", "version", "date", "reviewers", "outcome")]
    rows: list[list[str]] = []
    if head is not None and head.id:
        for link in sources.links.incoming(head.id):
            review = sources.project.index.get(link.source)
            if link.field != "covers" or review is None:
                continue
            values = field_values(review)
            title = f"{review.id} ({review.title})" if review.title else review.id or ""
            cells = [title] + [
                _text(values.get(key)) for key in ("version", "date", "reviewers", "outcome")
            ]
            rows.append([clean(cell) for cell in cells])
    return Table(columns=columns, rows=rows)


def _items(
    sources: Sources, head: ModelElement | None, elements: Iterable[ModelElement]
) -> Iterable[Item]:
    for element in elements:
        if element is head:
            continue
        level = min(2 + len(element.section), 6)  # the site's heading levels
        if element.kind == "section":
            text = element.title or ""
            text = f"{element.id} {text}".strip() if element.id else text
            yield Item(kind="heading", level=level, title=clean(text or label("untitled")))
        elif element.kind == "text":
            yield Item(kind="text", text=prose(element.body or ""))
        elif element.kind == "term" and not element.id:
            definition = _text(field_values(element).get("definition"))
            yield Item(kind="term", title=clean(element.title or ""), text=prose(definition))
        else:
            yield _element(sources, element, level)


def _incoming(sources: Sources, element: ModelElement) -> list[list[str]]:
    """[inverse label, sources] per field linking to the element (its first definition
    only: references resolve to it), as the site's back-links read."""
    grouped: dict[str, list[str]] = {}
    if element.id is not None and sources.project.index.get(element.id) is element:
        for link in sources.links.incoming(element.id):
            grouped.setdefault(inverse_label(link.field), []).append(link.source)
    return [[name, clean(", ".join(ids))] for name, ids in grouped.items()]


def _element(sources: Sources, element: ModelElement, level: int) -> Item:
    title = element.title or ""
    heading = f"{element.id} {title}".strip() if element.id else title or element.kind
    fields = [[label("kind"), word_label(element.kind)]]
    fields += [
        [clean(field_label(name)), prose(_text(value))]
        for name, value in field_values(element).items()
    ]
    code = "\n".join(attributes_source(sources.project, element)) if element.attributes else ""
    code = code or steps_source(sources.project, element) or ""
    diagrams = []
    folder = _ELEMENT_DIAGRAMS.get(element.kind)
    if folder and element.id and f"{folder}/{element.id}.puml" in sources.diagrams:
        diagrams.append(f"{folder}/{element.id}.puml")
    return Item(
        kind="element",
        level=level,
        title=clean(heading),
        fields=fields,
        incoming=_incoming(sources, element),
        code=clean(code),
        diagrams=diagrams,
    )


# ---------------------------------------------------------------- reading the views


def gather(
    project: Project,
    results: JunitResults | None = None,
    *,
    diagrams: bool = True,
    use_cache: bool = True,
) -> Sources:
    """Read every view the documents print, once."""
    from ..reports import build_report
    from .matrix import matrix_rows

    reports = [build_report(name, project).document() for name in REPORT_ORDER]
    sources = Sources(project, LinkIndex(project), matrix_rows(project, results), reports)
    if diagrams:
        _add_diagrams(sources, use_cache)
    else:
        sources.diagram_note = label("diagrams_off")
    return sources


# The size PlantUML gives its SVG root (`width="3882px" height="1244px"`).
_SIZE = re.compile(
    r'<svg\b[^>]*?\swidth="(\d+)px"[^>]*?\sheight="(\d+)px"|'
    r'<svg\b[^>]*?\sheight="(\d+)px"[^>]*?\swidth="(\d+)px"'
)


def _wide(svg: str) -> bool:
    """More than a portrait page's width and at least 1.6 times wider than high: a
    landscape page shows it half as large again."""
    found = _SIZE.search(svg, 0, 4096)
    if found is None:
        return False
    width = int(found[1] or found[4])
    height = int(found[2] or found[3])
    return width > 900 and width >= 1.6 * height


def _add_diagrams(sources: Sources, use_cache: bool) -> None:
    """Every diagram of the project, as SVG where the bundled PlantUML drew it; else its
    source and why (a missing renderer is said in the document and on stderr)."""
    from ..diagrams import build_diagrams

    build = build_diagrams(sources.project, use_cache=use_cache)
    sources.diagram_note = build.unavailable
    for key, text in build.sources.items():
        svg = build.result.svgs.get(key)
        why = build.unavailable or build.result.failed.get(key) or "not drawn"
        caption = key.removesuffix(".puml")
        sources.diagrams[key] = Diagram(
            key=key,
            caption=clean(caption),
            svg=svg,
            wide=svg is not None and _wide(svg),
            source="" if svg is not None else clean(text),
            note=None
            if svg is not None
            else clean(label("diagram_source", name=caption, reason=why)),
        )
    failed = len(build.result.failed)
    if build.unavailable is None and failed:
        sources.diagram_note = f"{failed} diagram(s) could not be rendered"
