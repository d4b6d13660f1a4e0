"""Fitting the desk on the screens centres use.

1366×768 and 1920×1080 at 100–150 % scaling come down to as little as 910×512 logical pixels
(1366×768 at 150 %). Qt grows a top-level window to its layout's minimum, so one panel whose own
minimum is more than the room there is widens the whole window past the screen. Here the places
that hold whole panels (the centre, the docks) scroll inside themselves instead: the window's
minimum is the call bar's, the menus' and the status bar's, whatever the panels hold.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QScrollArea,
    QStyle,
    QTableView,
    QToolTip,
    QWidget,
)


class FitScroll(QScrollArea):
    """A panel's place: the panel fills it, and scrolls only where the room is less than the
    panel's own minimum (no frame: it is the panel's edge, not a box of its own). A dock's
    panel (``sideways=False``) scrolls up and down only: its dock is as wide as the panel needs
    (a dock gets its width from its minimum; a side panel scrolled sideways is unusable)."""

    def __init__(
        self,
        name: str,
        panel: QWidget | None = None,
        parent: QWidget | None = None,
        sideways: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel's fields take Tab, not this
        self._sideways = sideways
        if not sideways:
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if panel is not None:
            self.setWidget(panel)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The panel's layout changed (a longer text, a shown part): its dock asks again.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        panel = self.widget()
        if self._sideways or panel is None:
            return hint
        # The panel's own width, and room for the scroll bar that may come and go with height.
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = panel.minimumSizeHint().expandedTo(panel.minimumSize()).width() + bar
        return QSize(max(hint.width(), width), hint.height())


class HeaderTips(QObject):
    """A column title that gave up its middle is whole in its tooltip (any model: the title is
    the section's display text, asked when the pointer rests on it)."""

    def __init__(self, header: QHeaderView) -> None:
        super().__init__(header)
        self._header = header
        header.viewport().installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        header = self._header
        model = header.model()
        section = header.logicalIndexAt(event.pos())
        if model is None or section < 0:
            return False
        own = model.headerData(section, header.orientation(), Qt.ItemDataRole.ToolTipRole)
        if own:
            return False  # the model's own tooltip says more
        title = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        QToolTip.showText(event.globalPos(), str(title or ""), header)
        return True


def fit_headers(view: QTableView, whole: Iterable[int] = ()) -> None:
    """Column titles elide in the middle, not at the end, with the whole title as tooltip; the
    columns in ``whole`` (the ones that matter) are never narrower than their title."""
    header = view.horizontalHeader()
    header.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    HeaderTips(header)
    for column in whole:
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
            header.resizeSection(
                column, max(header.sectionSize(column), header.sectionSizeHint(column))
            )
