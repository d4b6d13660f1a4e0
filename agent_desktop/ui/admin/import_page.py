"""Import users and teams for a new centre from a CSV file (columns: username, display_name,
role, team): a preview first (what would be created, each problem with its row and field),
then all or nothing. The temporary passwords are shown once, to hand out.

XLSX is not read (openpyxl is not among the locked dependencies): save the sheet as CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.administration import Administration, preview_summary
from agent_desktop.ui.admin.table_model import RowsModel
from sync.contract.wire import ImportApplied, ImportPreview, ImportProblem, TemporaryPassword


class ImportPage(QWidget):
    def __init__(self, administration: Administration, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = administration
        self._previewed = ""  # the content the last clean preview was of
        self.content_edit = QPlainTextEdit()
        self.content_edit.setAccessibleName(self.tr("CSV to import"))
        self.content_edit.setPlaceholderText("username,display_name,role,team")
        self.content_edit.textChanged.connect(self._changed)
        self.open_button = QPushButton(self.tr("Open CSV file…"))
        self.open_button.clicked.connect(lambda _c=False: self.open_file())
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.clicked.connect(lambda _c=False: self.preview())
        self.apply_button = QPushButton(self.tr("Import"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(lambda _c=False: self.apply())
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.problems: RowsModel[ImportProblem] = RowsModel(
            (lambda: self.tr("Row"), lambda: self.tr("Field"), lambda: self.tr("Problem")),
            lambda p: (str(p.row), p.field, p.message),
            self,
        )
        self.problem_table = QTableView()
        self.problem_table.setModel(self.problems)
        self.problem_table.setAccessibleName(self.tr("Problems"))
        self.passwords: RowsModel[TemporaryPassword] = RowsModel(
            (lambda: self.tr("User name"), lambda: self.tr("Temporary password")),
            lambda t: (t.user.username, t.password),
            self,
        )
        self.password_table = QTableView()
        self.password_table.setModel(self.passwords)
        self.password_table.setAccessibleName(self.tr("Temporary passwords"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.content_edit, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problem_table, 1)
        layout.addWidget(self.password_table, 1)
        administration.import_file_read.connect(self.content_edit.setPlainText)
        administration.import_previewed.connect(self.show_preview)
        administration.import_applied.connect(self.show_applied)

    def open_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a list of users"),
            "",
            self.tr("Users (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)"),
        )
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> None:
        """Read ``path`` (CSV, or an Excel workbook's first sheet) into the box, off the GUI
        thread; the preview is the admin's next step, as for text pasted in."""
        self.admin.read_import_file(path)

    def preview(self) -> None:
        self.passwords.set_rows([])
        self.admin.preview_import(self.content_edit.toPlainText())

    def show_preview(self, preview: ImportPreview) -> None:
        self.problems.set_rows(preview.problems)
        self.summary_label.setText(preview_summary(preview))
        clean = not preview.problems and bool(preview.rows)
        self._previewed = self.content_edit.toPlainText() if clean else ""
        self.apply_button.setEnabled(clean)

    def apply(self) -> None:
        if self._previewed and self._previewed == self.content_edit.toPlainText():
            self.admin.apply_import(self._previewed)
            self.apply_button.setEnabled(False)

    def show_applied(self, applied: ImportApplied) -> None:
        self.passwords.set_rows(applied.users)
        self.summary_label.setText(
            self.tr(
                "Imported %1 user(s) and %2 team(s). Hand out the passwords below now: "
                "they are not shown again."
            )
            .replace("%1", str(len(applied.users)))
            .replace("%2", str(len(applied.new_teams)))
        )
        self._previewed = ""

    def _changed(self) -> None:
        if self.content_edit.toPlainText() != self._previewed:
            self.apply_button.setEnabled(False)
