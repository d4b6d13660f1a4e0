"""ui/fit.py on its own: a place that scrolls instead of growing the window, and column titles
that give up their middle with the whole title as tooltip."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QHelpEvent, QStandardItemModel
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle, QTableView, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from agent_desktop.ui.fit import FitScroll, fit_headers


def test_a_dock_place_is_as_wide_as_its_panel_and_a_centre_place_is_not(qtbot: QtBot) -> None:
    panel = QWidget()
    panel.setMinimumSize(QSize(300, 900))
    dock = FitScroll("dockScroll", panel, sideways=False)
    qtbot.addWidget(dock)
    bar = dock.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    assert dock.minimumSizeHint().width() == 300 + bar  # never cut sideways
    assert dock.minimumSizeHint().height() < 900  # scrolls up and down instead
    centre = FitScroll("centreScroll", QWidget())
    qtbot.addWidget(centre)
    wide = centre.widget()
    assert wide is not None
    wide.setMinimumSize(QSize(2000, 2000))
    hint = centre.minimumSizeHint()
    assert hint.width() < 300
    assert hint.height() < 300
    # The panel's minimum grows later (a longer text): its place asks again.
    panel.setMinimumWidth(420)
    qtbot.waitUntil(lambda: dock.minimumSizeHint().width() == 420 + bar)


def test_titles_elide_in_the_middle_whole_in_the_tooltip_and_those_that_matter_are_whole(
    qtbot: QtBot,
) -> None:
    model = QStandardItemModel(1, 3)
    model.setHorizontalHeaderLabels(["Priority", "Service level (20 s)", "Customer"])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setColumnWidth(0, 12)
    view.setColumnWidth(1, 40)
    fit_headers(view, whole=[0])
    view.show()
    qtbot.waitExposed(view)
    assert header.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert header.sectionSize(0) >= header.sectionSizeHint(0)  # whole
    assert header.sectionSize(1) == 40  # gives up its middle
    where = QPoint(header.sectionViewportPosition(1) + 5, header.height() // 2)
    tip = QHelpEvent(QHelpEvent.Type.ToolTip, where, header.viewport().mapToGlobal(where))
    QApplication.sendEvent(header.viewport(), tip)
    assert QToolTip.text() == "Service level (20 s)"
    QToolTip.hideText()
