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

from PySide6.QtCore import QCoreApplication, QMarginsF, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from agent_desktop.services.report_book import HeatMap, ReportBook, Sheet
from agent_desktop.services.report_workbook import ExportError
from agent_desktop.ui.reports.cells import cell_text
from agent_desktop.ui.reports.charts import chart_image

MAX_PDF_ROWS = 40
# The text's width on A4 within 15 mm margins, in the document's units (Qt lays a printed
# document out at 72 units per inch here: 180 mm): images wider than this are cut off.
IMAGE_WIDTH = 500
WIDE_COLUMNS = 9
FONT = "Noto Sans CJK SC"
_STYLE = f"""
body {{ font-family: '{FONT}', sans-serif; font-size: 9pt; color: #202020; }}
h1 {{ font-size: 16pt; margin-bottom: 2pt; }}
h2 {{ font-size: 12pt; margin-top: 14pt; color: #1d4f91; }}
table.data, table.wide {{ border-collapse: collapse; font-size: 7pt; }}
table.wide th, table.wide td {{ font-size: 6pt; }}
table.data th, table.wide th {{ background-color: #e6ecf5; padding: 2pt 3pt; text-align: left; }}
table.data td, table.wide td {{ padding: 2pt 3pt; border-bottom: 1px solid #d0d0d0;
    white-space: nowrap; }}
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
    # A table of many columns (traffic's abandoned calls by wait) in a smaller type: one line a row.
    kind = "wide" if len(sheet.columns) > WIDE_COLUMNS else "data"
    table = (
        f'<table class="{kind}" width="100%" cellspacing="0" cellpadding="3">'
        f"{''.join(lines)}</table>"
    )
    more = len(sheet.rows) - MAX_PDF_ROWS
    if more > 0:
        said = QCoreApplication.translate(
            "ReportPdf", "%1 more rows are in the Excel export."
        ).replace("%1", str(more))
        table += f'<p class="note">{escape(said)}</p>'
    return table


def chart_jobs(book: ReportBook) -> list[tuple[str, Sheet | HeatMap, tuple[int, int]]]:
    """The charts the PDF shows: (resource name, what, size in pixels)."""
    jobs: list[tuple[str, Sheet | HeatMap, tuple[int, int]]] = []
    for sheet in book.sheets:
        if not sheet.rows:
            continue
        jobs.append((f"chart:{sheet.key.value}", sheet, (900, 330)))
        if sheet.key.value == "traffic" and book.heat_map is not None and book.heat_map.peak:
            jobs.append(("chart:heat", book.heat_map, (900, 300)))
    return jobs


def draw_charts(book: ReportBook) -> dict[str, QImage]:
    """Every chart of the PDF at once (``PdfExport`` draws them one per event-loop turn)."""
    return {name: chart_image(what, *size) for name, what, size in chart_jobs(book)}


def report_document(book: ReportBook, charts: dict[str, QImage] | None = None) -> QTextDocument:
    """The report laid out for A4, with its chart images (drawn here unless given) as the
    document's resources."""
    images = draw_charts(book) if charts is None else charts
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
        for name in (f"chart:{sheet.key.value}", "chart:heat"):
            if name == "chart:heat" and sheet.key.value != "traffic":
                continue
            image = images.get(name)
            if image is not None:
                document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
                parts.append(f'<p><img src="{name}" width="{IMAGE_WIDTH}"></p>')
        parts.append(_table(sheet))
    document.setHtml(f"<html><body>{''.join(parts)}</body></html>")
    return document


def write_pdf(book: ReportBook, path: Path, charts: dict[str, QImage] | None = None) -> Path:
    """Write ``book`` to ``path`` as an A4 PDF; ``ExportError`` when it cannot be written."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(200)
    writer.setTitle(book.title)
    writer.setCreator("Agent Workstation")
    document = report_document(book, charts)
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


class PdfExport(QObject):
    """The PDF written in steps on the GUI thread (the charts are widgets, the layout Qt's):
    one chart per event-loop turn, then the layout and the file, so the window repaints and
    answers between them instead of freezing for the whole export."""

    done = Signal(str)  # the path written
    failed = Signal(str)

    def __init__(self, book: ReportBook, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._book = book
        self._path = path
        self._jobs = chart_jobs(book)
        self._images: dict[str, QImage] = {}

    def start(self) -> None:
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        if self._jobs:
            name, what, size = self._jobs.pop(0)
            self._images[name] = chart_image(what, *size)
            QTimer.singleShot(0, self._step)
            return
        try:
            write_pdf(self._book, self._path, self._images)
        except (ExportError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        self.done.emit(str(self._path))
