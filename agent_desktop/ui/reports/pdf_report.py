"""A report book as a printable management report (PDF, A4): the title and the filter in its
header, then per report its chart (an image drawn by ``charts.chart_image``) and its table,
in the user's language. Qt lays it out (``QTextDocument``) and writes it (``QPdfWriter``); the
text is set in Noto Sans CJK, which carries both Chinese and Latin, so a zh_CN report prints
its characters rather than boxes. Qt numbers the pages.

A long table (96 intervals a day for a month) would make a report nobody prints: the PDF shows
its first ``MAX_PDF_ROWS`` rows and says how many more the Excel export holds.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QUrl
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from agent_desktop.services.report_book import ReportBook, Sheet
from agent_desktop.services.report_workbook import ExportError
from agent_desktop.ui.reports.cells import cell_text
from agent_desktop.ui.reports.charts import chart_image

MAX_PDF_ROWS = 40
# The text's width on A4 within 15 mm margins, in the document's units (Qt lays a printed
# document out at 72 units per inch here: 180 mm): images wider than this are cut off.
IMAGE_WIDTH = 500
FONT = "Noto Sans CJK SC"
_STYLE = f"""
body {{ font-family: '{FONT}', sans-serif; font-size: 9pt; color: #202020; }}
h1 {{ font-size: 16pt; margin-bottom: 2pt; }}
h2 {{ font-size: 12pt; margin-top: 14pt; color: #1d4f91; }}
table.data {{ border-collapse: collapse; }}
table.data {{ font-size: 7pt; }}
table.data th {{ background-color: #e6ecf5; padding: 2pt 3pt; text-align: left; }}
table.data td {{ padding: 2pt 3pt; border-bottom: 1px solid #d0d0d0; white-space: nowrap; }}
td.n {{ text-align: right; }}
p.note {{ color: #555555; font-size: 8pt; }}
"""


def _table(sheet: Sheet) -> str:
    head = "".join(f"<th>{escape(c.title)}</th>" for c in sheet.columns)
    lines = [f"<tr>{head}</tr>"]
    rows = list(sheet.rows[:MAX_PDF_ROWS])
    if sheet.totals is not None and sheet.rows:
        rows.append(sheet.totals)
    for n, row in enumerate(rows):
        total = sheet.totals is not None and n == len(rows) - 1 and bool(sheet.rows)
        cells = []
        for value, column in zip(row, sheet.columns, strict=True):
            text = escape(cell_text(value, column.kind))
            text = f"<b>{text}</b>" if total else text
            numeric = column.kind.value not in ("text", "date", "datetime")
            cells.append(f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    table = f'<table class="data" width="100%" cellspacing="0">{"".join(lines)}</table>'
    more = len(sheet.rows) - MAX_PDF_ROWS
    if more > 0:
        said = QCoreApplication.translate(
            "ReportPdf", "%1 more rows are in the Excel export."
        ).replace("%1", str(more))
        table += f'<p class="note">{escape(said)}</p>'
    return table


def report_document(book: ReportBook) -> QTextDocument:
    """The report laid out for A4, with its chart images as the document's resources."""
    document = QTextDocument()
    document.setDefaultFont(QFont(FONT, 9))
    document.setDefaultStyleSheet(_STYLE)
    parts = [f"<h1>{escape(book.title)}</h1>"]
    made = QCoreApplication.translate("ReportPdf", "Made at %1").replace(
        "%1", book.generated_at.strftime("%Y-%m-%d %H:%M")
    )
    header = [f"<tr><td><b>{escape(line.label)}</b></td><td>{escape(line.value)}</td></tr>"
              for line in book.filter_lines]  # fmt: skip
    parts.append(f'<table cellspacing="0" cellpadding="2">{"".join(header)}</table>')
    parts.append(f'<p class="note">{escape(made)}</p>')
    parts.extend(f'<p class="note">{escape(note)}</p>' for note in book.notes)
    if book.empty:
        nothing = QCoreApplication.translate("ReportPdf", "No calls or tickets match this filter.")
        parts.append(f"<p>{escape(nothing)}</p>")
    for sheet in book.sheets:
        parts.append(f"<h2>{escape(sheet.title)}</h2>")
        if not sheet.rows:
            none = QCoreApplication.translate("ReportPdf", "Nothing to report for this filter.")
            parts.append(f"<p>{escape(none)}</p>")
            continue
        name = f"chart:{sheet.key.value}"
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(name), chart_image(sheet)
        )
        parts.append(f'<p><img src="{name}" width="{IMAGE_WIDTH}"></p>')
        if sheet.key.value == "traffic" and book.heat_map is not None and book.heat_map.peak:
            document.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl("chart:heat"),
                chart_image(book.heat_map, 900, 300),
            )
            parts.append(f'<p><img src="chart:heat" width="{IMAGE_WIDTH}"></p>')
        parts.append(_table(sheet))
    document.setHtml(f"<html><body>{''.join(parts)}</body></html>")
    return document


def write_pdf(book: ReportBook, path: Path) -> Path:
    """Write ``book`` to ``path`` as an A4 PDF; ``ExportError`` when it cannot be written."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(200)
    writer.setTitle(book.title)
    writer.setCreator("Agent Workstation")
    document = report_document(book)
    document.print_(writer)
    del writer  # the file is finished when the writer goes
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError(
            QCoreApplication.translate("ReportWorkbook", "%1 could not be written: %2")
            .replace("%1", str(path))
            .replace(
                "%2", QCoreApplication.translate("ReportPdf", "the PDF writer produced nothing")
            )
        )
    return path
