"""A `Book` (reqdsl.interop.documents) as PDF, through Typst (the `typst` wheel bundles
the compiler: no system package).

Escaping by construction: the template (`document.typ`, shipped with reqdsl) is fixed
text; the book goes in as one JSON string (`sys.inputs.data`) that the template parses
with `json()` and places value by value, as strings, which Typst shows as text. No user
text is ever part of Typst source, so `#read("/etc/passwd")` in a title prints as those
characters. The template is compiled inside a fresh folder holding only it (Typst's
root), so even a template bug could read no file of the machine; fonts are the DejaVu
faces reqdsl ships for PlantUML (system fonts ignored: the same bytes on every machine,
every font embedded).
Diagrams go in as SVG, so they stay vectors (and their text stays text) in the PDF.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Literal

from .documents import Book

TEMPLATE = Path(__file__).resolve().parent / "document.typ"


class DocumentError(Exception):
    """The PDF could not be made (a compiler error): a one-line reason."""


def render_pdf(book: Book) -> bytes:
    """The book as PDF bytes."""
    pdf = _compile(TEMPLATE.read_bytes(), {"data": book.model_dump_json()}, "pdf")
    assert isinstance(pdf, bytes)
    return pdf


def svgs_to_png(svgs: list[str], ppi: int = 144) -> list[bytes]:
    """Rendered diagrams as PNG (Word's fallback pictures beside the SVG), drawn by the
    same compiler in one run, a page each; the SVGs go in as data, never as source."""
    if not svgs:
        return []
    source = (
        b"#set page(width: auto, height: auto, margin: 2pt)\n"
        b"#for (i, svg) in json(bytes(sys.inputs.svgs)).enumerate() {\n"
        b"  if i > 0 { pagebreak() }\n"
        # At most a page's width (16 cm): a 4000-pixel diagram is not drawn at 7 MB.
        b"  context {\n"
        b'    let natural = measure(image(bytes(svg), format: "svg")).width\n'
        b'    image(bytes(svg), format: "svg", width: calc.min(natural, 16cm))\n'
        b"  }\n"
        b"}\n"
    )
    pages = _compile(source, {"svgs": json.dumps(svgs)}, "png", ppi=ppi)
    return pages if isinstance(pages, list) else [pages]


def _compile(
    source: bytes,
    inputs: dict[str, str],
    output_format: Literal["pdf", "png"],
    ppi: float | None = None,
) -> bytes | list[bytes]:
    import typst

    from ..diagrams.fonts import FONT_DIR

    with tempfile.TemporaryDirectory(prefix="reqdsl-typst-") as root:
        main = Path(root, "main.typ")
        main.write_bytes(source)
        try:
            result = typst.compile(
                str(main),
                root=root,
                font_paths=[str(FONT_DIR)],
                ignore_system_fonts=True,
                sys_inputs=inputs,
                format=output_format,
                ppi=ppi,
            )
        except typst.TypstError as error:  # a compiler error names the template, not data
            message = str(error).strip().splitlines()
            raise DocumentError(message[0] if message else "Typst failed") from error
    return result  # PNG: a list of pages (or bytes for one)
