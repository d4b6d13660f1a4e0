"""A report book as an Excel workbook (.xlsx, openpyxl): a cover sheet with the filter, then
one sheet per report, headers in the user's language (the book's titles are translated
already), numbers as numbers, shares as percentages, durations as seconds, days as dates —
so a manager can sort, sum and chart them in Excel without re-typing anything.

openpyxl is loaded here only, when a user exports (``tests/unit/test_lazy_imports.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from agent_desktop.services.report_book import Cell, CellKind, ReportBook, Sheet

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Excel's own rules for a sheet's name: 31 characters, none of []:*?/\
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_FORMATS = {
    CellKind.COUNT: "0",
    CellKind.PERCENT: "0.0%",
    CellKind.SECONDS: "0",
    CellKind.NUMBER: "0.0",
    CellKind.DATE: "yyyy-mm-dd",
    CellKind.DATETIME: "yyyy-mm-dd hh:mm",
}


class ExportError(OSError):
    """The file could not be written (named in the message, in the user's language)."""


def sheet_name(title: str, taken: set[str]) -> str:
    """A name Excel accepts, unique in the workbook."""
    base = _SHEET_NAME_BAD.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _value(value: Cell, kind: CellKind) -> Cell:
    """The cell as Excel should hold it: a datetime without its zone (Excel has none: the
    report's times are the centre's local times already)."""
    if isinstance(value, datetime):
        plain = value.replace(tzinfo=None)
        return plain.date() if kind == CellKind.DATE else plain
    if isinstance(value, date) or value is None:
        return value
    if kind in (CellKind.COUNT, CellKind.PERCENT, CellKind.SECONDS, CellKind.NUMBER):
        return value if isinstance(value, int | float) else None
    return str(value)


def _write_sheet(target: Worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415 - loaded with the export
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    bold = Font(bold=True)
    target.append([c.title for c in sheet.columns])
    for cell in target[1]:
        cell.font = bold
    rows = list(sheet.rows)
    if sheet.totals is not None and rows:
        rows.append(sheet.totals)
    for row in rows:
        target.append([_value(v, c.kind) for v, c in zip(row, sheet.columns, strict=True)])
    for index, column in enumerate(sheet.columns, 1):
        number_format = _FORMATS.get(column.kind)
        letter = get_column_letter(index)
        widest = max(len(column.title) * 2, 12 if column.kind.value.startswith("date") else 8)
        target.column_dimensions[letter].width = min(40, widest)
        if number_format is None:
            continue
        for (cell,) in target.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format
    if sheet.totals is not None and rows:
        for cell in target[target.max_row]:
            cell.font = bold
    target.freeze_panes = "A2"


def write_workbook(book: ReportBook, path: Path) -> Path:
    """Write ``book`` to ``path`` (.xlsx); ``ExportError`` when it cannot be written."""
    from openpyxl import Workbook  # noqa: PLC0415 - loaded with the export, not with the desk
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook()
    cover = workbook.active
    assert cover is not None  # a new workbook has one sheet
    taken: set[str] = set()
    cover.title = sheet_name(QCoreApplication.translate("ReportWorkbook", "Report"), taken)
    cover.append([book.title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([QCoreApplication.translate("ReportWorkbook", "Made at"),
                  book.generated_at.replace(tzinfo=None)])  # fmt: skip
    cover["B2"].number_format = "yyyy-mm-dd hh:mm"
    for line in book.filter_lines:
        cover.append([line.label, line.value])
    for note in book.notes:
        cover.append([note])
    cover.column_dimensions["A"].width = 24
    cover.column_dimensions["B"].width = 48
    for sheet in book.sheets:
        _write_sheet(workbook.create_sheet(sheet_name(sheet.title, taken)), sheet)
    if book.heat_map is not None:
        heat = workbook.create_sheet(sheet_name(book.heat_map.title, taken))
        heat.append(["", *range(24)])
        for name, counts in zip(book.heat_map.weekdays, book.heat_map.counts, strict=True):
            heat.append([name, *counts])
    try:
        workbook.save(path)
    except OSError as exc:
        raise ExportError(
            QCoreApplication.translate("ReportWorkbook", "%1 could not be written: %2")
            .replace("%1", str(path))
            .replace("%2", exc.strerror or str(exc))
        ) from None
    return path
