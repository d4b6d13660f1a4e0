"""Administration: the centre's queues — each one's wrap-up time, service-level target
(answered within so many seconds, for at least so many per cent of the calls) and the
announcement the PBX plays to callers waiting in it.

A value left at "Centre default" is stored as none: the queue follows the centre's wrap-up
time and the board's default target. Saved at the version read; signed-in desks take a new
wrap-up time from their next wrap-up."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.centre_admin import CentreAdminService
from sync.centre_admin import CentreView
from sync.contract.wire import QueueOut, QueueSettingsIn

UNSET = -1  # a spin box at its minimum: the centre's default
COLUMNS = 5  # queue, wrap-up, answered within, target %, announcement


class QueuesPage(QWidget):
    def __init__(self, service: CentreAdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminQueuesPage")
        self._service = service
        self._queues: list[QueueOut] = []
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("queuesTable")
        self.table.setAccessibleName(self.tr("Queues"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Queue"),
                self.tr("Wrap-up"),
                self.tr("Answered within"),
                self.tr("Target"),
                self.tr("Announcement"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        default = self.tr("Centre default")
        self.wrap_up = self._spin("queueWrapUp", 3600, self.tr(" s"), default)
        self.within = self._spin("queueAnswerWithin", 3600, self.tr(" s"), default)
        self.target = self._spin("queueTarget", 100, self.tr(" %"), default)
        self.announcement = QLineEdit()
        self.announcement.setObjectName("queueAnnouncement")
        self.announcement.setMaxLength(400)
        self.announcement.setPlaceholderText(self.tr("Prompt id or text the PBX plays"))
        self.save_button = QPushButton(self.tr("&Save queue"))
        self.save_button.setObjectName("queueSave")
        self.status = QLabel()
        self.status.setObjectName("queuesStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Wrap-up time:"), self.wrap_up)
        form.addRow(self.tr("Service level: answered &within:"), self.within)
        form.addRow(self.tr("Service level &target:"), self.target)
        form.addRow(self.tr("&Announcement:"), self.announcement)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.save_button.clicked.connect(self.save)
        service.loaded.connect(self._loaded)
        service.saved.connect(self.status.setText)
        service.failed.connect(self.status.setText)
        self.setEnabled(False)
        if service.view is not None:
            self._loaded(service.view)

    def _spin(self, name: str, top: int, suffix: str, unset: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(UNSET, top)
        spin.setSuffix(suffix)
        spin.setSpecialValueText(unset)  # shown at the minimum
        return spin

    def _loaded(self, view: CentreView) -> None:
        chosen = self.selected()
        self._queues = view.queues
        self.table.setRowCount(0)
        for queue in view.queues:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                queue.name,
                self._seconds(queue.wrap_up_s),
                self._seconds(queue.service_level_s),
                "" if queue.service_level_pct is None else f"{queue.service_level_pct} %",
                queue.announcement,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.setEnabled(view.admin_routes)
        if not view.admin_routes:
            self.status.setText(
                self.tr("This server is too old to set queues from the desk (contract 1.6).")
            )
        if chosen is not None:
            self.select(chosen.name)

    def _seconds(self, value: int | None) -> str:
        return self.tr("default") if value is None else self.tr("%1 s").replace("%1", str(value))

    def select(self, name: str) -> None:
        for row, queue in enumerate(self._queues):
            if queue.name == name:
                self.table.selectRow(row)
                return

    def selected(self) -> QueueOut | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._queues):
            return None
        return self._queues[rows[0].row()]

    def _show_selected(self) -> None:
        queue = self.selected()
        self.save_button.setEnabled(queue is not None)
        if queue is None:
            return
        for spin, value in (
            (self.wrap_up, queue.wrap_up_s),
            (self.within, queue.service_level_s),
            (self.target, queue.service_level_pct),
        ):
            spin.setValue(UNSET if value is None else value)
        self.announcement.setText(queue.announcement)

    def save(self) -> None:
        queue = self.selected()
        if queue is None:
            return

        def value(spin: QSpinBox) -> int | None:
            return None if spin.value() == UNSET else spin.value()

        change = QueueSettingsIn(
            wrap_up_s=value(self.wrap_up),
            service_level_s=None if value(self.within) == 0 else value(self.within),
            service_level_pct=None if value(self.target) == 0 else value(self.target),
            announcement=self.announcement.text().strip(),
            version=queue.version,
        )
        self.status.setText(self.tr("Saving…"))
        self._service.save_queue(queue.id, change)
