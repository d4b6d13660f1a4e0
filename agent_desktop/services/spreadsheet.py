"""A centre's list of users as an Excel workbook (.xlsx), read into the CSV the import route
takes: its first sheet, row by row, as the admin sees it (formulas as their last values).
openpyxl (MIT) reads it; it never runs macros and loads no external links."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

MAX_ROWS = 20_000  # a centre is a few thousand people: more is not a user list


class SheetError(ValueError):
    """The file is not a workbook we can read (named in the message)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an employee number typed as a number: 1001, not 1001.0
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def sheet_as_csv(path: Path) -> str:
    """The first sheet of the workbook at ``path`` as CSV text (empty rows dropped)."""
    from openpyxl import load_workbook  # noqa: PLC0415 - an admin's rare action: loaded then

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise SheetError(f"{path.name} cannot be opened: {exc.strerror or exc}") from None
    # A file from outside: whatever its parser says (a bad zip, bad XML, a missing part), the
    # admin is told which file is not a workbook, not a library's words alone.
    except Exception as exc:
        raise SheetError(f"{path.name} is not an Excel workbook (.xlsx): {exc}") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise SheetError(f"{path.name} has no sheet")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for count, row in enumerate(sheet.iter_rows(values_only=True)):
            if count >= MAX_ROWS:
                raise SheetError(f"{path.name} has more than {MAX_ROWS} rows")
            cells = [_cell(value) for value in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                writer.writerow(cells)
        return out.getvalue()
    finally:
        book.close()
