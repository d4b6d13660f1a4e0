"""The Reports exports read back: openpyxl opens the workbook (one sheet per report, headers as
titled, numbers as numbers, days as dates); ``pdftoppm`` renders the PDF's first page."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from agent_desktop.services.report_workbook import ExportError, sheet_name, write_workbook
from agent_desktop.ui.palette import LIGHT, ColourRole
from agent_desktop.ui.reports.charts import chart_image
from agent_desktop.ui.reports.pdf_report import write_pdf
from tests.fakes.report_books import sample_book


def test_the_workbook_reads_back_with_typed_cells(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_workbook(sample_book(), tmp_path / "report.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Report", "Traffic 话务", "People 人员", "Calls by weekday and hour"]
    cover = book["Report"]
    assert cover["A1"].value == "Team report 团队报表"
    assert [cover["A4"].value, cover["B4"].value] == ["Team", "医疗设备热线"]
    traffic = book["Traffic 话务"]
    assert [c.value for c in traffic[1]] == [
        "Day", "Offered", "Answered", "Abandoned", "Service level", "Abandoned after",
    ]  # fmt: skip
    first = [c.value for c in traffic[2]]
    assert first[0] == datetime(2026, 11, 30)  # a date, not text
    assert first[1:5] == [120, 110, 10, 0.8125]
    assert traffic["E2"].number_format == "0.0%"
    assert traffic["E3"].value is None  # no calls: no service level, not 0 %
    assert [c.value for c in traffic[5]][:2] == ["Total", 215]
    people = book["People 人员"]
    assert [c.value for c in people[2]] == ["王芳", 120, 305, 92.5]
    heat = book["Calls by weekday and hour"]
    assert heat["A2"].value == "Mon"
    assert heat.cell(row=2, column=11).value == 3  # Monday 09:00


def test_a_sheet_name_excel_refuses_is_made_acceptable() -> None:
    taken: set[str] = set()
    assert sheet_name("Traffic: day/week [all]", taken) == "Traffic  day week  all"
    assert sheet_name("x" * 40, taken) == "x" * 31
    assert sheet_name("x" * 40, taken) == "x" * 27 + " (2)"


def test_an_unwritable_place_is_said(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="could not be written"):
        write_workbook(sample_book(), tmp_path / "no-such-dir" / "report.xlsx")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_pdf_renders_its_first_page(tmp_path: Path, qapp: object) -> None:
    path = write_pdf(sample_book(), tmp_path / "report.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    (page,) = tmp_path.glob("page*.png")
    image = QImage(str(page))
    assert image.width() > 400
    assert image.height() > image.width()  # A4, upright
    step = 8
    colours = {image.pixel(x, y) for x in range(0, image.width(), step)
               for y in range(0, image.height(), step)}  # fmt: skip
    assert len(colours) > 8  # text and charts, not a blank page
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Team report 团队报表" in text
    assert "医疗设备热线" in text


def test_the_pdf_charts_are_light_on_a_dark_desk(qapp: QApplication) -> None:
    """Paper is light: a desk in the dark palette still prints its charts on white."""
    was = qapp.property("agentPalette")
    qapp.setProperty("agentPalette", "dark")
    try:
        image = chart_image(sample_book().sheets[0], 300, 120)
    finally:
        qapp.setProperty("agentPalette", was)
    corner = image.pixelColor(2, 2)
    assert corner.name() == QColor(LIGHT[ColourRole.BASE]).name()
