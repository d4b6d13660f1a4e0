"""Administration: the centre's Not Ready reasons, wrap-up dispositions and ticket category
tree (a category's code names its parent: "fault.alarm" under "fault").

Edited as a table (code, English, Chinese) and saved whole at the version read (the desk
settings route); the rules are the contract's (``settings_problems``), checked here before
sending so the admin sees the problem by its row. Signed-in desks take a saved change at once
(their Not Ready menu and wrap-up list follow, no restart)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.centre_admin import CentreAdminService
from agent_desktop.ui.fields import error_label
from sync.centre_admin import CentreView
from sync.contract.desk import settings_problems
from sync.contract.wire import DeskCode, DeskSettings

REASONS, DISPOSITIONS, CATEGORIES = "not_ready_reasons", "dispositions", "ticket_categories"
COLUMNS = 3  # code, English, Chinese


class CodesPage(QWidget):
    def __init__(self, service: CentreAdminService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminCodesPage")
        self._service = service
        self._settings: DeskSettings | None = None
        self.list_combo = QComboBox()
        self.list_combo.setObjectName("codesList")
        self.list_combo.setAccessibleName(self.tr("Which codes"))
        self.list_combo.addItem(self.tr("Not ready reasons"), REASONS)
        self.list_combo.addItem(self.tr("Wrap-up dispositions"), DISPOSITIONS)
        # The tree by its codes: "fault" is a branch, "fault.alarm" a leaf under it.
        self.list_combo.addItem(self.tr("Ticket categories"), CATEGORIES)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("codesTable")
        self.table.setAccessibleName(self.tr("Codes"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("English"), self.tr("Chinese")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (house rule)
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.setObjectName("codesAdd")
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.setObjectName("codesRemove")
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setObjectName("codesSave")
        self.problem = error_label("codesProblem")
        self.status = QLabel()
        self.status.setObjectName("codesStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list_combo)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.list_combo.currentIndexChanged.connect(self._fill)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self._remove_row)
        self.save_button.clicked.connect(self.save)
        service.loaded.connect(self._loaded)
        service.saved.connect(self.status.setText)
        service.failed.connect(self._failed)
        self.setEnabled(False)  # until the centre is read
        if service.view is not None:
            self._loaded(service.view)

    @property
    def which(self) -> str:
        return str(self.list_combo.currentData())

    def _loaded(self, view: CentreView) -> None:
        self._settings = view.settings
        self.setEnabled(True)
        self._fill()

    def _fill(self) -> None:
        if self._settings is None:
            return
        codes: list[DeskCode] = getattr(self._settings, self.which)
        self.table.setRowCount(0)
        for code in codes:
            self._append(code.code, code.en, code.zh)
        self.problem.hide()

    def _append(self, *texts: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(texts):
            self.table.setItem(row, column, QTableWidgetItem(text))
        return row

    def add_row(self, code: str = "", en: str = "", zh: str = "") -> None:
        """A new row (filled, from a test or an import; empty from the button) to type in."""
        row = self._append(code, en, zh)
        self.table.setCurrentCell(row, 0)
        first = self.table.item(row, 0)
        if not code and first is not None:
            self.table.editItem(first)

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def codes(self) -> list[DeskCode]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text().strip() if item is not None else ""

        return [
            DeskCode(code=text(r, 0), en=text(r, 1), zh=text(r, 2))
            for r in range(self.table.rowCount())
            if any(text(r, c) for c in range(COLUMNS))
        ]

    def save(self) -> None:
        if self._settings is None:
            return
        codes = self.codes()
        proposed = self._settings.model_copy(update={self.which: codes})
        problems = settings_problems(proposed)
        if problems:
            # The contract's rule book words its problems in English (the server's too).
            self.problem.setText(
                self.tr("Not saved, %1: %2")
                .replace("%1", problems[0].field)
                .replace("%2", problems[0].message)
            )
            self.problem.show()
            return
        self.problem.hide()
        self.status.setText(self.tr("Saving…"))
        self._service.save_codes(self._settings, **{self.which: codes})

    def _failed(self, message: str) -> None:
        self.status.setText(message)
