"""The traceability matrix as an Excel workbook (openpyxl): the full title in the first
row (a sheet name holds 31 characters at most, so it may be cut), then a header row,
frozen, with filters; every cell written as text and neutralised (openpyxl would store a string
starting with `=` as a formula). The workbook's dates are fixed, so that the same
project gives the same bytes. A control character, which a worksheet cannot hold
(openpyxl refuses it), is written as its visible picture, as on the terminal."""

from __future__ import annotations

import datetime
import io

from .matrix import COLUMNS, MatrixRow, neutralise_cell

_FIXED_TIME = datetime.datetime(2000, 1, 1)
_WIDTHS = {"ID": 16, "Title": 36, "Statement": 60, "Section": 24}
HEADER_ROW = 2  # row 1 holds the full title


def matrix_xlsx(rows: list[MatrixRow], title: str = "Traceability") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(title)
    sheet.append([_cell_text(title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].data_type = "s"
    sheet.append(list(COLUMNS))
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell_text(cell) for cell in row.cells()])
    for line in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in line:
            cell.data_type = "s"  # text, never a formula or a number
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, name in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 18)
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    last = f"{get_column_letter(len(COLUMNS))}{sheet.max_row}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}"
    workbook.properties.creator = "reqdsl"
    workbook.properties.title = _visible(title)
    workbook.properties.created = _FIXED_TIME
    workbook.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(text: str) -> str:
    return neutralise_cell(_visible(text))


def _visible(text: str) -> str:
    """`text` without the characters a worksheet cannot hold: each becomes its picture."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from ..render.text import printable

    return ILLEGAL_CHARACTERS_RE.sub(lambda found: printable(found[0]), text)


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in _visible(title)).strip()
    return (cleaned or "Traceability")[:31]
