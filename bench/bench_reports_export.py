"""The Reports window's exports of a month for a 60-agent team (31 days of traffic and
handling, 20 categories, 60 agents, the heat map):

- the PDF (``write_pdf``: four charts drawn off screen, the layout, the file), which runs on
  the GUI thread (Qt's text layout and the charts' widgets belong to it), beside the bare
  ``QTextDocument.print_`` of the same tables without charts (the floor);
- the Excel workbook (``write_workbook``, on a worker), beside openpyxl writing the same
  cells with no formats (the floor).

    QT_QPA_PLATFORM=offscreen python -m bench.bench_reports_export --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from agent_desktop.services.report_book import (
    CellKind,
    Column,
    FilterLine,
    HeatMap,
    ReportBook,
    RowScope,
    Sheet,
    SheetKey,
)
from agent_desktop.services.report_workbook import write_workbook
from agent_desktop.ui.reports.charts import chart_image
from agent_desktop.ui.reports.pdf_report import chart_jobs, write_pdf
from bench.results import Figure, record

DAYS, AGENTS, CATEGORIES = 31, 60, 20


def month_book() -> ReportBook:
    first = date(2026, 11, 1)
    days = [first + timedelta(days=n) for n in range(DAYS)]
    count = CellKind.COUNT
    traffic = Sheet(
        SheetKey.TRAFFIC,
        "Traffic",
        (Column("period", "Day", CellKind.DATE), Column("offered", "Offered", count, True),
         Column("answered", "Answered", count, True), Column("abandoned", "Abandoned", count, True),
         Column("service_level", "Service level", CellKind.PERCENT)),
        tuple((d, 1900 + n, 1800 + n, 100, 0.81) for n, d in enumerate(days)),
        scopes=tuple(RowScope(datetime.combine(d, datetime.min.time(), UTC)) for d in days),
        totals=("Total", 60_000, 57_000, 3_000, 0.81),
    )  # fmt: skip
    handling = Sheet(
        SheetKey.HANDLING,
        "Handling",
        (Column("period", "Day", CellKind.DATE), Column("handled", "Handled", count, True),
         Column("avg_talk", "Average talk", CellKind.SECONDS),
         Column("avg_hold", "Average hold", CellKind.SECONDS),
         Column("avg_wrap", "Average wrap-up", CellKind.SECONDS),
         Column("fcr", "FCR", CellKind.PERCENT)),
        tuple((d, 1800, 240.0, 20.0, 35.0, 0.78) for d in days),
    )  # fmt: skip
    service = Sheet(
        SheetKey.SERVICE,
        "Tickets by category",
        (Column("key", "Category", CellKind.TEXT), Column("opened", "Opened", count, True),
         Column("resolved", "Resolved", count), Column("overdue", "Overdue", count, True)),
        tuple((f"类别 {n}", 300 - n, 280 - n, n) for n in range(CATEGORIES)),
    )  # fmt: skip
    people = Sheet(
        SheetKey.PEOPLE,
        "People",
        (Column("agent", "Agent", CellKind.TEXT), Column("handled", "Calls", count, True),
         Column("aht", "AHT", CellKind.SECONDS),
         Column("occupancy", "Occupancy", CellKind.PERCENT)),
        tuple((f"坐席 H1-{n:03d}", 900 - n, 290.0, 0.82) for n in range(AGENTS)),
    )  # fmt: skip
    heat = HeatMap("Heat", ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                   tuple(tuple(10 + h for h in range(24)) for _ in range(7)))  # fmt: skip
    return ReportBook(
        "Contact centre report",
        (FilterLine("Dates", "2026-11-01 – 2026-11-30"), FilterLine("Team", "7x24 服务热线")),
        datetime(2026, 12, 1, tzinfo=UTC),
        (traffic, handling, service, people),
        heat_map=heat,
    )


def bare_pdf(book: ReportBook, path: Path) -> None:
    rows = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
        for sheet in book.sheets
        for row in sheet.rows[:40]
    )
    document = QTextDocument()
    document.setHtml(f"<table>{rows}</table>")
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    document.print_(writer)


def bare_workbook(book: ReportBook, path: Path) -> None:
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook()
    for sheet in book.sheets:
        target = workbook.create_sheet(sheet.key.value)
        target.append([c.title for c in sheet.columns])
        for row in sheet.rows:
            target.append(list(row))
    workbook.save(path)


def longest_step(book: ReportBook, path: Path) -> float:
    """The stepped export (``PdfExport``): each chart, then the layout and file; the longest
    step is how long the window cannot repaint."""
    steps = []
    images = {}
    for name, what, size in chart_jobs(book):
        started = time.perf_counter()
        images[name] = chart_image(what, *size)
        steps.append(time.perf_counter() - started)
    steps.append(timed(write_pdf, book, path, images))
    return max(steps)


def timed(fn: object, *args: object) -> float:
    started = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert app is not None
    book = month_book()
    pdf_s, pdf_floor, xlsx_s, xlsx_floor, step_s = [], [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        timed(write_pdf, book, out / "warm.pdf")  # fonts and pyqtgraph loaded once
        for n in range(args.runs):  # interleaved: both see the same machine load
            pdf_floor.append(timed(bare_pdf, book, out / f"bare{n}.pdf"))
            pdf_s.append(timed(write_pdf, book, out / f"r{n}.pdf"))
            step_s.append(longest_step(book, out / f"s{n}.pdf"))
            xlsx_floor.append(timed(bare_workbook, book, out / f"bare{n}.xlsx"))
            xlsx_s.append(timed(write_workbook, book, out / f"r{n}.xlsx"))
        pdf_kb = (out / "r0.pdf").stat().st_size / 1000
    figures = [
        Figure(
            "PDF of a month's report, all steps (4 charts + heat map, GUI thread)",
            statistics.median(pdf_s) * 1000,
            "ms",
            floor=statistics.median(pdf_floor) * 1000,
            floor_what="bare QTextDocument.print_ of the tables",
            aim="one click, once",
            detail={"max_ms": max(pdf_s) * 1000, "size_kb": pdf_kb},
        ),
        Figure(
            "longest GUI-thread step of the stepped PDF export (PdfExport)",
            statistics.median(step_s) * 1000,
            "ms",
            floor=statistics.median(pdf_floor) * 1000,
            floor_what="bare QTextDocument.print_ of the tables",
            aim="the window repaints between steps",
            detail={"max_ms": max(step_s) * 1000},
        ),
        Figure(
            "Excel workbook of a month's report (worker thread)",
            statistics.median(xlsx_s) * 1000,
            "ms",
            floor=statistics.median(xlsx_floor) * 1000,
            floor_what="openpyxl, same cells, no formats",
            aim="off the GUI thread",
            detail={"max_ms": max(xlsx_s) * 1000},
        ),
    ]
    record(
        "reports_export",
        figures,
        {"runs": args.runs, "days": DAYS, "agents": AGENTS, "categories": CATEGORIES},
    )


if __name__ == "__main__":
    main()
