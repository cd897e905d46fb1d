"""The traceability matrix as CSV (RFC 4180, UTF-8 with a BOM so that spreadsheets
read accents right), every cell neutralised against formula injection."""

from __future__ import annotations

import csv
import io

from .matrix import COLUMNS, MatrixRow, neutralise_cell


def matrix_csv(rows: list[MatrixRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row.cells()])
    return "\ufeff" + buffer.getvalue()
