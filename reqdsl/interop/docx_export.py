"""A `Book` (reqdsl.interop.documents) as a Word document, through python-docx, so that
reviewers can comment in Word: headings are Word headings (Title, Heading 1-6: the
navigation pane and the table of contents use them), tables are Word tables whose header
row repeats on every page, the table of contents is a Word TOC field.

Paragraphs and tables are written as WordprocessingML elements (lxml, through the
document python-docx opened) and placed before the body's final section properties, found
once: python-docx's `add_paragraph` looks that up by XPath over the whole body and its
`style=` by name over every style, each time, which made a 10,000-requirement document
take minutes (quadratic). Pictures and section breaks, a few per document, go through
python-docx.

User text goes in as element text only (lxml escapes it as XML character data), so it
can never become a field, a style or markup. Diagrams are pictures: a PNG drawn from the
SVG by the same Typst compiler as the PDF, with the SVG itself attached as Word 2016+'s
vector picture (`asvg:svgBlip`), which Word shows where it can and the PNG elsewhere.
"""

from __future__ import annotations

import io
from typing import Any

from .document_labels import label
from .documents import Annex, Book, Diagram, Item, Part
from .pdf_export import svgs_to_png

_SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_PNG_PPI = 144
_MAX_WIDTH_IN, _MAX_HEIGHT_IN = 6.0, 8.5
_TEXT_WIDTH_TWIPS = 8640  # python-docx's default page (Letter, 1.25" margins)
_FIXED_TIME = (2000, 1, 1)
# The children of w:settings that come after w:updateFields (ECMA-376, CT_Settings).
_AFTER_UPDATE = frozenset(
    [
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ]
)
_STYLES = ("Title", "Subtitle", "Caption", "Table Grid", *(f"Heading {n}" for n in range(1, 7)))


def render_docx(book: Book) -> bytes:
    import datetime

    from docx import Document as new_document

    document = new_document()
    _Writer(document, book).write()
    properties = document.core_properties
    properties.title = book.title
    properties.language = book.language
    properties.author = "reqdsl"
    properties.last_modified_by = "reqdsl"
    properties.created = properties.modified = datetime.datetime(*_FIXED_TIME)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Body:
    """Appends WordprocessingML to a document's body, before its final `w:sectPr`."""

    def __init__(self, document: Any) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from lxml.etree import SubElement

        self.qn, self.make, self.sub = qn, OxmlElement, SubElement
        self.document = document
        self.end = document.element.body.sectPr
        self.style_ids = {name: document.styles[name].style_id for name in _STYLES}

    def element(self, tag: str, parent: Any = None, **attributes: str) -> Any:
        qn = self.qn
        if parent is None:
            made = self.make(tag)
            self.end.addprevious(made)
        else:
            made = self.sub(parent, qn(tag))
        for name, value in attributes.items():
            made.set(qn(name.replace("_", ":", 1)), value)
        return made

    def paragraph(
        self, text: str = "", *, style: str | None = None, bold: bool = False, parent: Any = None
    ) -> Any:
        paragraph = self.element("w:p", parent)
        if style is not None:
            properties = self.element("w:pPr", paragraph)
            self.element("w:pStyle", properties, w_val=self.style_ids[style])
        if text:
            self.run(paragraph, text, bold=bold)
        return paragraph

    def run(self, paragraph: Any, text: str, *, bold: bool = False, mono: bool = False) -> Any:
        run = self.element("w:r", paragraph)
        if bold or mono:  # in the schema's order: rFonts, b, sz
            properties = self.element("w:rPr", run)
            if mono:
                self.element("w:rFonts", properties, w_ascii="Courier New", w_hAnsi="Courier New")
            if bold:
                self.element("w:b", properties)
            if mono:
                self.element("w:sz", properties, w_val="16")
        for index, line in enumerate(text.replace("\t", " ").split("\n")):
            if index:
                self.element("w:br", run)
            piece = self.element("w:t", run)
            piece.text = line
            piece.set(self.qn("xml:space"), "preserve")
        return run

    def table(self, columns: int, rows: list[list[str]], *, header: list[str] | None = None) -> Any:
        """A Word table (style Table Grid, full width); `header` becomes a bold first row
        that Word repeats on every page."""
        table = self.element("w:tbl")
        properties = self.element("w:tblPr", table)
        self.element("w:tblStyle", properties, w_val=self.style_ids["Table Grid"])
        self.element("w:tblW", properties, w_type="pct", w_w="5000")
        grid = self.element("w:tblGrid", table)
        for _ in range(columns):
            self.element("w:gridCol", grid, w_w=str(_TEXT_WIDTH_TWIPS // columns))
        if header is not None:
            row = self.row(table, header, bold=True)
            self.element("w:tblHeader", self.element("w:trPr", row), w_val="true")
            row.insert(0, row[-1])  # trPr comes first in a row
        for cells in rows:
            self.row(table, cells)
        return table

    def row(self, table: Any, cells: list[str], *, bold: bool = False, span: int = 1) -> Any:
        row = self.element("w:tr", table)
        for text in cells:
            cell = self.element("w:tc", row)
            if span > 1:
                self.element("w:gridSpan", self.element("w:tcPr", cell), w_val=str(span))
            self.paragraph(text, bold=bold, parent=cell)
        return row


class _Writer:
    def __init__(self, document: Any, book: Book) -> None:
        self.document = document
        self.body = _Body(document)
        self.book = book
        self.figures = 0
        self.media = 0
        drawn = [key for key, diagram in book.diagrams.items() if diagram.svg is not None]
        pictures = svgs_to_png([book.diagrams[key].svg or "" for key in drawn], _PNG_PPI)
        self.pictures = dict(zip(drawn, pictures, strict=True))

    def write(self) -> None:
        self._title_page()
        self._contents()
        for part in self.book.parts:
            self._part(part)
        for annex in self.book.annexes:
            self._annex(annex)

    # -------------------------------------------------------------- pieces

    def _title_page(self) -> None:
        book, body = self.book, self.body
        body.paragraph(book.title, style="Title")
        if book.subtitle:
            body.paragraph(book.subtitle, style="Subtitle")
        if book.meta:
            body.table(2, book.meta)
        if book.documents is not None and book.documents.rows:
            body.table(
                len(book.documents.columns), book.documents.rows, header=book.documents.columns
            )
        if book.approvals is not None:
            body.paragraph(label("approvals"), bold=True)
            self._approvals(book.approvals.columns, book.approvals.rows)
        if book.note:
            body.paragraph(book.note, bold=True)
        body.paragraph(book.colophon)

    def _contents(self) -> None:
        body = self.body
        self._page_break()
        body.paragraph(label("contents"), bold=True)
        paragraph = body.paragraph()
        body.element("w:fldChar", body.element("w:r", paragraph), w_fldCharType="begin")
        instruction = body.element("w:instrText", body.element("w:r", paragraph))
        instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
        instruction.set(body.qn("xml:space"), "preserve")
        body.element("w:fldChar", body.element("w:r", paragraph), w_fldCharType="separate")
        body.run(paragraph, label("toc_hint"))
        body.element("w:fldChar", body.element("w:r", paragraph), w_fldCharType="end")
        # Word offers to update fields (the contents) when it opens the file. The element
        # goes where the schema's sequence wants it: before the compatibility settings.
        settings = self.document.settings.element
        update = body.make("w:updateFields")
        update.set(body.qn("w:val"), "true")
        later = [child for child in settings if child.tag.rsplit("}", 1)[-1] in _AFTER_UPDATE]
        if later:
            later[0].addprevious(update)
        else:
            settings.append(update)

    def _page_break(self) -> None:
        run = self.body.element("w:r", self.body.paragraph())
        self.body.element("w:br", run, w_type="page")

    def _heading(self, text: str, level: int) -> None:
        self.body.paragraph(text, style=f"Heading {min(max(level, 1), 6)}")

    def _part(self, part: Part) -> None:
        self._page_break()
        self._heading(part.title, 1)
        self.body.table(2, part.meta)
        self._heading(label("approvals"), 2)
        self._approvals(part.approvals.columns, part.approvals.rows)
        for key in ("purpose", "scope"):
            text = getattr(part, key)
            if text:
                self._heading(label(key), 2)
                self._prose(text)
        if part.diagrams:
            self._heading(label("diagrams"), 2)
            for key in part.diagrams:
                self._diagram(self.book.diagrams[key])
        for item in part.items:
            self._item(item)

    def _item(self, item: Item) -> None:
        if item.kind == "heading":
            self._heading(item.title, item.level)
        elif item.kind == "text":
            self._prose(item.text)
        elif item.kind == "term":
            paragraph = self.body.paragraph(item.title, bold=True)
            self.body.run(paragraph, ": " + item.text)
        else:
            self._element(item)

    def _element(self, item: Item) -> None:
        body = self.body
        self._heading(item.title, item.level)
        table = body.table(2, item.fields)
        if item.incoming:
            body.row(table, [label("linked_from")], bold=True, span=2)
            for row in item.incoming:
                body.row(table, row)
        if item.code:
            body.paragraph(label("as_written"), bold=True)
            body.run(body.paragraph(), item.code, mono=True)
        for key in item.diagrams:
            self._diagram(self.book.diagrams[key])

    def _annex(self, annex: Annex) -> None:
        if annex.wide:
            self._orientation(landscape=True)
        else:
            self._page_break()
        self._heading(annex.title, 1)
        for block in annex.blocks:
            self._heading(block.title, max(block.level, 2))
            if block.text:
                self._prose(block.text)
            if block.table is not None:
                if block.table.rows:
                    columns = block.table.columns
                    self.body.table(len(columns), block.table.rows, header=columns)
                else:
                    self.body.paragraph(block.empty)
        for key in annex.diagrams:
            self._diagram(self.book.diagrams[key])
        if annex.wide:
            self._orientation(landscape=False)

    # -------------------------------------------------------------- building blocks

    def _prose(self, text: str) -> None:
        for paragraph in text.split("\n\n"):
            self.body.paragraph(paragraph)  # `\n` becomes a line break

    def _approvals(self, columns: list[str], rows: list[list[str]]) -> None:
        if rows:
            self.body.table(len(columns), rows, header=columns)
        else:
            self.body.paragraph(label("no_approvals"))

    def _orientation(self, *, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        wanted = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        if section.orientation != wanted:
            section.orientation = wanted
            section.page_width, section.page_height = section.page_height, section.page_width

    def _diagram(self, diagram: Diagram) -> None:
        from docx.shared import Inches
        from docx.text.paragraph import Paragraph

        self.figures += 1
        if diagram.svg is None:
            self.body.paragraph(diagram.note or diagram.caption, bold=True)
            self.body.run(self.body.paragraph(), diagram.source, mono=True)
            return
        png = self.pictures[diagram.key]
        width, height = _png_size(png)  # drawn at most a page wide (pdf_export)
        scale = min(1.0, _MAX_WIDTH_IN / (width / _PNG_PPI), _MAX_HEIGHT_IN / (height / _PNG_PPI))
        paragraph = Paragraph(self.body.paragraph(), self.document._body)
        shape = paragraph.add_run().add_picture(
            io.BytesIO(png), width=Inches(width / _PNG_PPI * scale)
        )
        self._attach_svg(shape, diagram.svg)
        caption = f"{label('figure')} {self.figures}: {diagram.caption}"
        self.body.paragraph(caption, style="Caption")

    def _attach_svg(self, shape: Any, svg: str) -> None:
        """The SVG as the picture's vector form (Office 2016's svgBlip extension)."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part as PackagePart
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self.media += 1
        part = self.document.part
        uri = PackURI(f"/word/media/reqdsl-diagram-{self.media}.svg")
        svg_part = PackagePart(uri, "image/svg+xml", svg.encode("utf-8"), part.package)
        relation = part.relate_to(svg_part, RELATIONSHIP_TYPE.IMAGE)
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        extensions = parse_xml(
            f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{_SVG_EXTENSION}">'
            f'<asvg:svgBlip xmlns:asvg="{_SVG_NAMESPACE}" r:embed="{relation}"/>'
            "</a:ext></a:extLst>"
        )
        blip.append(extensions)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
