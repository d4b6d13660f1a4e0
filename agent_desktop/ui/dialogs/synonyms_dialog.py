"""The knowledge base's synonym table, kept by the experts: a spoken form agents type (夹纸)
and the words the articles use for it (卡纸). Searches on every desk use it as soon as the
change reaches them; the desk's own seed table (common spoken forms) stays under it. Entries
go through the outbox, so an expert can add them offline."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.kb import KbService
from agent_desktop.ui.fields import error_label
from agent_desktop.ui.live_texts import LiveTexts
from sync.kb.store import Synonym

WORD_SEPARATORS = (",", "，", "、", ";", "；")


def split_words(text: str) -> list[str]:
    """The article words as typed: comma (either width), 、 or semicolon between them."""
    for separator in WORD_SEPARATORS[1:]:
        text = text.replace(separator, ",")
    return [word.strip() for word in text.split(",") if word.strip()]


def right_aligned(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


class SynonymsDialog(QDialog):
    def __init__(self, kb: KbService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("synonymsDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Knowledge base synonyms"))
        self._kb = kb
        self._shown: list[Synonym] = []
        intro = self._texts.label(
            lambda: self.tr(
                "When an agent types a spoken form, the search also looks for the words the "
                "articles use. Common spoken forms are built in; the centre's own are listed "
                "here and reach every desk."
            )
        )
        intro.setWordWrap(True)
        self.table = self._make_table()
        self.spoken_edit = QLineEdit()
        self.spoken_edit.setObjectName("synonymSpoken")
        self.spoken_edit.setMaxLength(40)
        self._texts.bind(self.spoken_edit.setPlaceholderText, lambda: self.tr("e.g. 夹纸"))
        self.words_edit = QLineEdit()
        self.words_edit.setObjectName("synonymWords")
        self._texts.bind(self.words_edit.setPlaceholderText, lambda: self.tr("e.g. 卡纸, 进纸"))
        self.error_label = error_label("synonymError")
        form = QFormLayout()
        self._texts.row(form, lambda: self.tr("Agents &type:"), self.spoken_edit)
        self._texts.row(form, lambda: self.tr("&Articles say:"), self.words_edit)
        self.save_button = QPushButton()  # its text: _selected (Add, or Save for a chosen one)
        self.save_button.setObjectName("synonymSave")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton()
        self._texts.bind(self.new_button.setText, lambda: self.tr("&New"))
        self.new_button.clicked.connect(self.clear_form)
        self.remove_button = QPushButton()
        self._texts.bind(self.remove_button.setText, lambda: self.tr("&Remove"))
        self.remove_button.setObjectName("synonymRemove")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove)
        row = right_aligned(self.new_button, self.remove_button, self.save_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(520, 460)
        kb.synonyms_loaded.connect(self.show_synonyms)
        kb.synonym_refused.connect(self._refused)
        self._selected()
        self.show_synonyms(kb.synonyms)
        kb.load_synonyms()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._selected_texts()
        super().changeEvent(event)

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, 2)
        table.setObjectName("synonymsTable")
        self._texts.bind(table.setAccessibleName, lambda: self.tr("The centre's synonyms"))
        self._texts.bind(
            lambda _t: table.setHorizontalHeaderLabels(
                [self.tr("Agents type"), self.tr("Articles say")]
            ),
            lambda: "",
        )
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.itemSelectionChanged.connect(self._selected)
        return table

    def show_synonyms(self, synonyms: list[Synonym]) -> None:
        chosen = self.editing()
        self._shown = sorted(synonyms, key=lambda s: s.spoken)
        self.table.setRowCount(len(self._shown))
        for index, synonym in enumerate(self._shown):
            self.table.setItem(index, 0, QTableWidgetItem(synonym.spoken))
            self.table.setItem(index, 1, QTableWidgetItem(", ".join(synonym.words)))
        if chosen is not None:
            again = next((i for i, s in enumerate(self._shown) if s.id == chosen.id), None)
            if again is not None:
                self.table.selectRow(again)

    def editing(self) -> Synonym | None:
        rows = self.table.selectionModel().selectedRows()
        return self._shown[rows[0].row()] if rows and rows[0].row() < len(self._shown) else None

    def _selected_texts(self) -> None:
        self.save_button.setText(self.tr("&Save") if self.editing() else self.tr("&Add"))

    def _selected(self) -> None:
        synonym = self.editing()
        self.remove_button.setEnabled(synonym is not None)
        self._selected_texts()
        if synonym is not None:
            self.spoken_edit.setText(synonym.spoken)
            self.words_edit.setText(", ".join(synonym.words))

    def clear_form(self) -> None:
        self.table.clearSelection()
        self.spoken_edit.clear()
        self.words_edit.clear()
        self.error_label.hide()
        self.spoken_edit.setFocus()

    def save(self) -> None:
        spoken = self.spoken_edit.text().strip()
        words = split_words(self.words_edit.text())
        if not spoken:
            self._refused(self.tr("Type the spoken form agents use."))
            return
        if not words:
            self._refused(self.tr("Name at least one word the articles use."))
            return
        editing = self.editing()
        duplicate = next(
            (s for s in self._shown if s.spoken == spoken.lower() and s != editing), None
        )
        if duplicate is not None:
            self._refused(
                self.tr("“%1” is in the table already: select it to change it.").replace(
                    "%1", spoken
                )
            )
            return
        self.error_label.hide()
        self._kb.save_synonym(spoken, words, editing)
        self.clear_form()

    def remove(self) -> None:
        synonym = self.editing()
        if synonym is not None:
            self._kb.delete_synonym(synonym)
            self.clear_form()

    def _refused(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
