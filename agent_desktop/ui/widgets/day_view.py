"""A simple day view of one field engineer's visits: pick the engineer and the day, see the
visits as time-ordered blocks from 06:00 to 22:00 (ticket number, customer, address).

It is fed the dispatch list the panel already has (``set_lines``); the blocks are worked out
when the lines, the engineer or the day change, so painting only draws rectangles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.appearance import colour, set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.models.dispatch_model import is_open, method_label, status_label
from agent_desktop.ui.palette import ColourRole
from sync.clock import system_clock
from sync.work_views import DispatchLine

FIRST_HOUR = 6  # the day shown, unless a visit starts earlier or ends later
LAST_HOUR = 22
HOUR_HEIGHT = 44
_GUTTER = 46  # the hour labels' column


@dataclass(frozen=True, slots=True)
class DayBlock:
    """One visit as the day view draws it (local times, clamped to the visible hours)."""

    dispatch_id: int
    start: datetime
    end: datetime
    lane: int  # visits that overlap sit side by side
    lanes: int
    title: str  # "09:00–12:00 SR-… · customer"
    address: str
    open: bool
    failed: bool


class DayTimeline(QWidget):
    """The hours and the blocks; clicking a block activates its dispatch."""

    block_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayTimeline")
        self._blocks: list[DayBlock] = []
        self._day = system_clock().now().astimezone().date()
        self._hours = (FIRST_HOUR, LAST_HOUR)
        self.setMinimumHeight((LAST_HOUR - FIRST_HOUR) * HOUR_HEIGHT + 12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(320, self.minimumHeight())

    def set_blocks(self, day: date, blocks: list[DayBlock], hours: tuple[int, int]) -> None:
        self._day = day
        self._blocks = blocks
        self._hours = hours
        self.setMinimumHeight((hours[1] - hours[0]) * HOUR_HEIGHT + 12)
        self.update()

    def _y(self, moment: datetime) -> int:
        midnight = datetime.combine(self._day, time(0), moment.tzinfo)
        start = midnight + timedelta(hours=self._hours[0])
        hours = (moment - start).total_seconds() / 3600
        return 6 + round(hours * HOUR_HEIGHT)

    def block_rect(self, block: DayBlock) -> QRect:
        width = max(40, self.width() - _GUTTER - 8)
        lane_width = width // max(1, block.lanes)
        top = self._y(block.start)
        height = max(22, self._y(block.end) - top)
        return QRect(_GUTTER + block.lane * lane_width, top, lane_width - 3, height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        grid = QPen(palette.color(QPalette.ColorRole.Mid))
        grid.setStyle(Qt.PenStyle.DotLine)
        metrics = painter.fontMetrics()
        first, last = self._hours
        for hour in range(first, last + 1):
            y = 6 + (hour - first) * HOUR_HEIGHT
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRect(0, y - metrics.height() // 2, _GUTTER - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{hour % 24:02d}:00",
            )
            painter.setPen(grid)
            painter.drawLine(_GUTTER, y, self.width() - 4, y)
        for block in self._blocks:
            rect = self.block_rect(block)
            edge = colour(
                ColourRole.ERROR
                if block.failed
                else ColourRole.VISIT_OPEN_EDGE
                if block.open
                else ColourRole.VISIT_DONE_EDGE
            )
            fill = ColourRole.VISIT_OPEN_FILL if block.open else ColourRole.VISIT_DONE_FILL
            painter.fillRect(rect, colour(fill))
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), edge)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            inner = rect.adjusted(8, 2, -4, -2)
            painter.save()
            painter.setClipRect(inner)
            if inner.height() < 2 * metrics.height():  # a short visit: one elided line
                title = metrics.elidedText(block.title, Qt.TextElideMode.ElideRight, inner.width())
                painter.drawText(
                    inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title
                )
            else:
                flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                wrap = int(flags) | int(Qt.TextFlag.TextWordWrap)
                used = painter.boundingRect(inner, wrap, block.title)
                painter.drawText(inner, wrap, block.title)
                if block.address:
                    painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                    painter.drawText(inner.adjusted(0, used.height(), 0, 0), wrap, block.address)
            painter.restore()
        painter.end()

    def block_at(self, point: QPoint) -> DayBlock | None:
        for block in self._blocks:
            if self.block_rect(block).contains(point):
                return block
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position().toPoint())
        self.setCursor(Qt.CursorShape.PointingHandCursor if block else Qt.CursorShape.ArrowCursor)
        self.setToolTip(f"{block.title}\n{block.address}" if block else "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position().toPoint())
        if block is not None and event.button() == Qt.MouseButton.LeftButton:
            self.block_activated.emit(block.dispatch_id)


class DayView(QWidget):
    """Engineer and day pickers over the timeline of that engineer's visits."""

    dispatch_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayView")
        self._lines: list[DispatchLine] = []
        self._engineers: dict[int, str] = {}
        self._blocks: list[DayBlock] = []
        self.engineer_combo = QComboBox()
        self.engineer_combo.setObjectName("dayEngineer")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.engineer_combo.setAccessibleName, lambda: self.tr("Engineer"))
        self.engineer_combo.setMinimumContentsLength(8)
        self.engineer_combo.currentIndexChanged.connect(self._refresh)
        self.date_edit = QDateEdit(_qdate(system_clock().now().astimezone().date()))
        self.date_edit.setObjectName("dayDate")
        self._texts.bind(self.date_edit.setAccessibleName, lambda: self.tr("Day shown"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd ddd")
        self.date_edit.dateChanged.connect(self._refresh)
        self.previous_button = QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.clicked.connect(lambda: self._step(1))
        for button, text in (
            (self.previous_button, lambda: self.tr("Previous day")),
            (self.next_button, lambda: self.tr("Next day")),
        ):
            self._texts.bind(button.setToolTip, text)
            # An arrow: nothing for a screen reader to read.
            self._texts.bind(button.setAccessibleName, text)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("daySummary")
        set_tone(self.summary_label, ColourRole.MUTED)
        self.timeline = DayTimeline()
        self.timeline.block_activated.connect(self.dispatch_activated.emit)
        scroll = QScrollArea()
        scroll.setWidget(self.timeline)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        pickers = QHBoxLayout()
        pickers.addWidget(self.engineer_combo, 1)
        pickers.addWidget(self.previous_button)
        pickers.addWidget(self.date_edit)
        pickers.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = self._texts.label(lambda: self.tr("Engineer's day"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addLayout(pickers)
        layout.addWidget(self.summary_label)
        layout.addWidget(scroll, 1)
        self._scroll = scroll

    # -- feeding ------------------------------------------------------------------------------

    def set_engineers(self, engineers: dict[int, str]) -> None:
        """The field engineers to choose from (id → name), besides those the lines name."""
        self._engineers.update(engineers)
        self._fill_engineers()

    def set_lines(self, lines: list[DispatchLine]) -> None:
        self._lines = list(lines)
        for line in lines:
            if line.technician_id is not None and line.technician_id not in self._engineers:
                self._engineers[line.technician_id] = line.technician
        self._fill_engineers()
        self._refresh()

    def show_day(self, engineer_id: int, day: date) -> None:
        """Show ``engineer_id``'s visits on ``day`` (local)."""
        index = self.engineer_combo.findData(engineer_id)
        if index >= 0:
            self.engineer_combo.setCurrentIndex(index)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self._refresh()

    def blocks(self) -> list[DayBlock]:
        return list(self._blocks)

    @property
    def engineer_id(self) -> int | None:
        value = self.engineer_combo.currentData()
        return int(value) if value is not None else None

    @property
    def day(self) -> date:
        picked = self.date_edit.date()
        return date(picked.year(), picked.month(), picked.day())

    # -- working out the blocks ---------------------------------------------------------------

    def _fill_engineers(self) -> None:
        current = self.engineer_id
        self.engineer_combo.blockSignals(True)
        self.engineer_combo.clear()
        for engineer_id, name in sorted(self._engineers.items(), key=lambda e: e[1]):
            self.engineer_combo.addItem(name, engineer_id)
        index = self.engineer_combo.findData(current) if current is not None else 0
        self.engineer_combo.setCurrentIndex(max(0, index))
        self.engineer_combo.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._refresh()  # the visits' titles (method, status) and the summary, in words
        super().changeEvent(event)

    def _step(self, days: int) -> None:
        self.date_edit.setDate(self.date_edit.date().addDays(days))

    def _refresh(self) -> None:
        engineer_id, day = self.engineer_id, self.day
        zone = system_clock().now().astimezone().tzinfo
        midnight = datetime.combine(day, time(0), zone)
        visits = sorted(
            (
                line
                for line in self._lines
                if line.technician_id == engineer_id
                and line.window_start is not None
                and line.status != "cancelled"
                and line.window_start.astimezone().date() == day
            ),
            key=lambda line: (line.window_start, line.id),
        )
        hours = self._hours_for(visits, midnight)
        first = midnight + timedelta(hours=hours[0])
        last = midnight + timedelta(hours=hours[1])
        placed: list[tuple[DispatchLine, datetime, datetime, int]] = []
        lane_ends: list[datetime] = []
        for line in visits:
            assert line.window_start is not None
            start = line.window_start.astimezone()
            end = (line.window_end or start + timedelta(hours=1)).astimezone()
            shown_start = min(max(start, first), last - timedelta(minutes=30))
            shown_end = max(min(end, last), shown_start + timedelta(minutes=30))
            lane = next((n for n, e in enumerate(lane_ends) if e <= shown_start), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(shown_end)
            else:
                lane_ends[lane] = shown_end
            placed.append((line, shown_start, shown_end, lane))
        lanes = max(1, len(lane_ends))
        self._blocks = [
            DayBlock(
                dispatch_id=line.id,
                start=shown_start,
                end=shown_end,
                lane=lane,
                lanes=lanes,
                title=self._title(line),
                address=line.address,
                open=is_open(line),
                failed=line.status == "failed",
            )
            for line, shown_start, shown_end, lane in placed
        ]
        self.timeline.set_blocks(day, self._blocks, hours)
        if engineer_id is None:
            self.summary_label.setText(self.tr("No field engineer to show."))
        elif not self._blocks:
            self.summary_label.setText(self.tr("No visits that day."))
        elif len(self._blocks) == 1:
            self.summary_label.setText(self.tr("1 visit that day."))
        else:
            self.summary_label.setText(
                self.tr("%1 visits that day.").replace("%1", str(len(self._blocks)))
            )
        if self._blocks:
            self._scroll.ensureVisible(0, self.timeline.block_rect(self._blocks[0]).top(), 0, 30)

    def _hours_for(self, visits: list[DispatchLine], midnight: datetime) -> tuple[int, int]:
        """06:00–22:00, stretched to whole hours around a visit outside it (never past the
        day: a visit running overnight is cut at midnight)."""
        first, last = FIRST_HOUR, LAST_HOUR
        for line in visits:
            assert line.window_start is not None
            start = (line.window_start.astimezone() - midnight).total_seconds() / 3600
            end_at = line.window_end or line.window_start + timedelta(hours=1)
            end = (end_at.astimezone() - midnight).total_seconds() / 3600
            first = min(first, max(0, int(start)))
            last = max(last, min(24, math.ceil(end)))
        return first, last

    def _title(self, line: DispatchLine) -> str:
        assert line.window_start is not None
        start = line.window_start.astimezone()
        when = f"{start:%H:%M}"
        if line.window_end is not None:
            when += f"–{line.window_end.astimezone():%H:%M}"
        parts = [when, line.ticket_number or f"#{line.ticket_id}", line.customer]
        if not is_open(line):
            parts.append(status_label(line.status, line.result))
        elif line.method != "on_site":
            parts.append(method_label(line.method))
        return " · ".join(p for p in parts if p)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
