"""A `Book` (reqdsl.interop.documents) as a Word document, through python-docx, so that
reviewers can comment in Word: headings are Word headings (Title, Heading 1-6: the
navigation pane and the table of contents use them), tables are Word tables whose header
row repeats on every page, the table of contents is a Word TOC field.

User text goes in as run text only (python-docx escapes it as XML character data), so it
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
_MAX_WIDTH_IN, _MAX_HEIGHT_IN = 6.3, 8.5
_FIXED_TIME = (2000, 1, 1)


def render_docx(book: Book) -> bytes:
    import datetime

    from docx import Document as new_document

    document = new_document()
    _Writer(document, book).write()
    properties = document.core_properties
    properties.title = book.title
    properties.author = "reqdsl"
    properties.last_modified_by = "reqdsl"
    properties.created = properties.modified = datetime.datetime(*_FIXED_TIME)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, document: Any, book: Book) -> None:
        self.document = document
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
        book = self.book
        self.document.add_heading(book.title, 0)
        if book.subtitle:
            self.document.add_paragraph(book.subtitle, style="Subtitle")
        if book.meta:
            self._pairs(book.meta)
        if book.documents is not None and book.documents.rows:
            self._grid(book.documents.columns, book.documents.rows)
        if book.approvals is not None:
            self._paragraph(label("approvals"), bold=True)
            self._approvals(book.approvals.columns, book.approvals.rows)
        if book.note:
            self._paragraph(book.note, bold=True)
        self._paragraph(book.colophon)

    def _contents(self) -> None:
        from docx.enum.text import WD_BREAK
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        self._paragraph(label("contents"), bold=True)
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run()
        for kind, text in (
            ("begin", None),
            (None, 'TOC \\o "1-2" \\h \\z \\u'),
            ("separate", None),
        ):
            if kind is None:
                instruction = OxmlElement("w:instrText")
                instruction.set(qn("xml:space"), "preserve")
                instruction.text = text
                run._r.append(instruction)
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
        paragraph.add_run(label("toc_hint"))
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        paragraph.add_run()._r.append(end)
        # Word offers to update fields (the contents) when it opens the file.
        settings = self.document.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    def _part(self, part: Part) -> None:
        self.document.add_page_break()
        self.document.add_heading(part.title, 1)
        self._pairs(part.meta)
        self.document.add_heading(label("approvals"), 2)
        self._approvals(part.approvals.columns, part.approvals.rows)
        for key in ("purpose", "scope"):
            text = getattr(part, key)
            if text:
                self.document.add_heading(label(key), 2)
                self._prose(text)
        if part.diagrams:
            self.document.add_heading(label("diagrams"), 2)
            for key in part.diagrams:
                self._diagram(self.book.diagrams[key])
        for item in part.items:
            self._item(item)

    def _item(self, item: Item) -> None:
        if item.kind == "heading":
            self.document.add_heading(item.title, item.level)
        elif item.kind == "text":
            self._prose(item.text)
        elif item.kind == "term":
            paragraph = self.document.add_paragraph()
            paragraph.add_run(item.title).bold = True
            paragraph.add_run(": " + item.text)
        else:
            self._element(item)

    def _element(self, item: Item) -> None:
        self.document.add_heading(item.title, item.level)
        table = self._pairs(item.fields)
        if item.incoming:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[1])
            merged.paragraphs[0].add_run(label("linked_from")).bold = True
            for row in item.incoming:
                _append_row(table, row)
        if item.code:
            self._paragraph(label("as_written"), bold=True)
            self._code(item.code)
        for key in item.diagrams:
            self._diagram(self.book.diagrams[key])

    def _annex(self, annex: Annex) -> None:
        if annex.wide:
            self._orientation(landscape=True)
        else:
            self.document.add_page_break()
        self.document.add_heading(annex.title, 1)
        for block in annex.blocks:
            self.document.add_heading(block.title, min(max(block.level, 2), 6))
            if block.text:
                self._prose(block.text)
            if block.table is not None:
                if block.table.rows:
                    self._grid(block.table.columns, block.table.rows)
                else:
                    self._paragraph(block.empty)
        for key in annex.diagrams:
            self._diagram(self.book.diagrams[key])
        if annex.wide:
            self._orientation(landscape=False)

    # -------------------------------------------------------------- building blocks

    def _paragraph(self, text: str, *, bold: bool = False) -> None:
        self.document.add_paragraph().add_run(text).bold = bold

    def _prose(self, text: str) -> None:
        for paragraph in text.split("\n\n"):
            self.document.add_paragraph(paragraph)  # `\n` becomes a line break

    def _code(self, text: str) -> None:
        from docx.shared import Pt

        run = self.document.add_paragraph().add_run(text)
        run.font.name = "Courier New"
        run.font.size = Pt(8)

    def _pairs(self, rows: list[list[str]]) -> Any:
        table = self.document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for row in rows:
            _append_row(table, row)
        return table

    def _approvals(self, columns: list[str], rows: list[list[str]]) -> None:
        if rows:
            self._grid(columns, rows)
        else:
            self._paragraph(label("no_approvals"))

    def _grid(self, columns: list[str], rows: list[list[str]]) -> None:
        """A table whose first row is a header Word repeats on every page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        header = table.rows[0]
        for cell, text in zip(header.cells, columns, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for row in rows:
            _append_row(table, row)

    def _orientation(self, *, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        wanted = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        if section.orientation != wanted:
            section.orientation = wanted
            section.page_width, section.page_height = section.page_height, section.page_width

    def _diagram(self, diagram: Diagram) -> None:
        from docx.shared import Inches

        self.figures += 1
        if diagram.svg is None:
            self._paragraph(diagram.note or diagram.caption, bold=True)
            self._code(diagram.source)
            return
        png = self.pictures[diagram.key]
        width, height = _png_size(png)  # drawn at most a page wide (pdf_export)
        scale = min(1.0, _MAX_WIDTH_IN / (width / _PNG_PPI), _MAX_HEIGHT_IN / (height / _PNG_PPI))
        paragraph = self.document.add_paragraph()
        shape = paragraph.add_run().add_picture(
            io.BytesIO(png), width=Inches(width / _PNG_PPI * scale)
        )
        self._attach_svg(shape, diagram.svg)
        caption = f"{label('figure')} {self.figures}: {diagram.caption}"
        self.document.add_paragraph(caption, style="Caption")

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


def _append_row(table: Any, texts: list[str]) -> None:
    """A row of plain-text cells, written as WordprocessingML directly: python-docx's
    `add_row().cells` looks the grid up by XPath for every cell (20 s for a 10,000-row
    matrix). Text is element text (lxml escapes it); a line break is a `w:br`."""
    from docx.oxml.ns import qn
    from lxml.etree import SubElement

    row = SubElement(table._tbl, qn("w:tr"))
    for text in texts:
        paragraph = SubElement(SubElement(row, qn("w:tc")), qn("w:p"))
        run = SubElement(paragraph, qn("w:r"))
        for index, line in enumerate(text.replace("\t", " ").split("\n")):
            if index:
                SubElement(run, qn("w:br"))
            piece = SubElement(run, qn("w:t"))
            piece.text = line
            piece.set(qn("xml:space"), "preserve")


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
