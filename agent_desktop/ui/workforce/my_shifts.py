"""My shifts (Tools ▸ My shifts, Ctrl+Shift+I; everyone with ``wfm.view_own``): this week's
and next week's published shifts, each with its hours, breaks and lunch. Read again when a
roster of the agent's team is published (``WorkforceService.published``), and says so.

No pyqtgraph here: an agent's desk opens it without loading the lead's charts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from agent_desktop.services.workforce import WorkforceService, monday_of
from sync.contract.wallboard import centre_zone
from sync.contract.wfm import MyShift, RosterPublishedData, ShiftKind


def _clock(stamp: datetime) -> str:
    """The centre's wall clock: shift patterns are written in it, whatever the PC's zone."""
    return stamp.astimezone(centre_zone()).strftime("%H:%M")


def _span(pair: tuple[datetime, datetime]) -> str:
    return f"{_clock(pair[0])}–{_clock(pair[1])}"


class MyShiftsWindow(QWidget):
    def __init__(
        self,
        service: WorkforceService,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("myShiftsWindow")
        self.setWindowTitle(self.tr("My shifts"))
        self.resize(760, 480)
        self.service = service
        self._today = today
        self.tree = QTreeWidget()
        self.tree.setObjectName("myShifts")
        self.tree.setAccessibleName(self.tr("My shifts this week and next"))
        self.tree.setHeaderLabels(
            [
                self.tr("Day"),
                self.tr("Shift"),
                self.tr("Hours"),
                self.tr("Breaks"),
                self.tr("Lunch"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.note_label = QLabel()
        self.note_label.setObjectName("myShiftsNote")
        self.note_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.note_label)
        service.my_shifts_loaded.connect(self.show_shifts)
        service.published.connect(self._published)
        service.unavailable.connect(self._unavailable)
        service.failed.connect(self.note_label.setText)
        if service.is_unavailable:
            self._unavailable(service.unavailable_text())
        else:
            self.reload()

    def reload(self) -> None:
        self.service.load_my_shifts(self._today())

    def weekday(self, day: date) -> str:
        return (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        )[day.weekday()]

    def kind_text(self, kind: ShiftKind) -> str:
        return {
            ShiftKind.DAY: self.tr("Day", "shift kind"),
            ShiftKind.EVENING: self.tr("Evening"),
            ShiftKind.NIGHT: self.tr("Night"),
            ShiftKind.HOLIDAY: self.tr("Holiday"),
        }[kind]

    def show_shifts(self, shifts: list[MyShift]) -> None:
        self.tree.clear()
        today = self._today()
        monday = monday_of(today)
        weeks = (
            (monday, self.tr("This week (from %1)")),
            (monday + timedelta(days=7), self.tr("Next week (from %1)")),
        )
        for start, title in weeks:
            head = QTreeWidgetItem([title.replace("%1", start.isoformat())])
            head.setFirstColumnSpanned(True)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            self.tree.addTopLevelItem(head)
            mine = [s for s in shifts if start <= s.day < start + timedelta(days=7)]
            if not mine:
                empty = QTreeWidgetItem([self.tr("No published shift this week.")])
                empty.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(empty)
            for shift in mine:
                item = QTreeWidgetItem(self.row(shift))
                if shift.day == today:  # today's shift stands out
                    item.setText(0, self.tr("%1 (today)").replace("%1", item.text(0)))
                    bold = item.font(0)
                    bold.setBold(True)
                    for column in range(self.tree.columnCount()):
                        item.setFont(column, bold)
                self.tree.addTopLevelItem(item)
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        said = self.tr("%1 shifts published for you over these two weeks.").replace(
            "%1", str(len(shifts))
        )
        self.note_label.setText(f"{said} {self._notice}".strip())

    def row(self, shift: MyShift) -> list[str]:
        return [
            f"{self.weekday(shift.day)} {shift.day.isoformat()}",
            f"{shift.pattern_name} ({self.kind_text(shift.kind)})",
            f"{_clock(shift.start)}–{_clock(shift.end)}",
            ", ".join(_span(b) for b in shift.breaks) or "—",
            _span(shift.lunch) if shift.lunch is not None else "—",
        ]

    _notice = ""  # the last publication heard of, said beside the count

    def _published(self, notice: RosterPublishedData) -> None:
        self._notice = self.tr(
            "Your team's roster for the week of %1 was published; shown again."
        ).replace("%1", notice.week.isoformat())
        self.note_label.setText(self._notice)

    def _unavailable(self, text: str) -> None:
        self.tree.clear()
        self.note_label.setText(text)
