"""The roster and the feedback results as CSV (UTF-8 with a byte-order mark, so spreadsheets read ø and õ) and XLSX."""

import csv
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

Table = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
"""A sheet: its name, its header row and its rows."""


def as_csv(table: Table) -> bytes:
    """One table as CSV."""
    _, header, rows = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(tables: Sequence[Table]) -> bytes:
    """Tables as sheets of one workbook, the header row bold and frozen."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for name, header, rows in tables:
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, list(header), bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, list(row))
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, max(0, len(header) - 1), 18)
    workbook.close()
    return out.getvalue()
