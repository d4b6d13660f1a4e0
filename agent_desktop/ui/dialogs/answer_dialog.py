"""An expert answers a question an agent could not answer from the knowledge base; the answer
can be published at once as a new article (found by every desk after its next pull), or point
at an article that exists (the question is kept with it, so the next agent who asks in these
words finds it), and the agent who asked is told."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.fields import error_label
from agent_desktop.ui.live_texts import LiveTexts

ANSWER_MAX = 20_000
KEPT_MAX = 500  # what the server keeps of a question
TITLE_MAX = 200


def bold_label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName(name)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class AnswerDialog(QDialog):
    def __init__(self, question: str, product_line: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Answer the question"))
        asked = bold_label(question, "answerQuestion")
        self.answer_edit = QPlainTextEdit()
        self.answer_edit.setTabChangesFocus(True)  # Tab goes to the next field
        self.answer_edit.setObjectName("answerText")
        self._texts.bind(
            self.answer_edit.setPlaceholderText,
            lambda: self.tr("The answer, step by step, as agents will read it"),
        )
        self.publish_check = QCheckBox()
        self._texts.bind(
            self.publish_check.setText, lambda: self.tr("Publish it as a knowledge article")
        )
        self.publish_check.setObjectName("answerPublish")
        self.publish_check.setChecked(True)
        self.title_edit = QLineEdit(question[:TITLE_MAX])
        self.title_edit.setObjectName("answerTitle")
        self.language_combo = QComboBox()
        self.language_combo.addItem("", "zh")
        self.language_combo.addItem("", "en")
        self._texts.items(
            self.language_combo, [lambda: self.tr("Chinese"), lambda: self.tr("English")]
        )
        if question and question.isascii():
            self.language_combo.setCurrentIndex(1)
        self.publish_check.toggled.connect(self.title_edit.setEnabled)
        self.publish_check.toggled.connect(self.language_combo.setEnabled)
        # Articles that may already answer it (filled by the panel's search): choosing one
        # answers with it instead of publishing a new one.
        self.existing_combo = self._existing_articles()
        # What stays with the article for the search: every team's desks receive it, so the
        # expert takes out names and addresses (numbers are dropped by the server anyway).
        self.kept_edit = self._kept(question)
        self.answer_error = error_label("answerError")
        self.title_error = error_label("titleError")
        form = QFormLayout()
        self._texts.row(form, lambda: self.tr("Question:"), asked)
        if product_line:
            self._texts.row(form, lambda: self.tr("Product line:"), QLabel(product_line))
        self._texts.row(form, lambda: self.tr("&Existing article:"), self.existing_combo)
        self._texts.row(form, lambda: self.tr("&Kept for the search:"), self.kept_edit)
        self._texts.row(form, lambda: self.tr("&Answer:"), self.answer_edit)
        form.addRow("", self.answer_error)
        form.addRow("", self.publish_check)
        self._texts.row(form, lambda: self.tr("&Title:"), self.title_edit)
        form.addRow("", self.title_error)
        self._texts.row(form, lambda: self.tr("&Language:"), self.language_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # A button of our own, not the box's Ok renamed: the box names its standard buttons
        # again at a language change, after this dialog's own texts.
        ok = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self._texts.bind(ok.setText, lambda: self.tr("Send the answer"))
        ok.setObjectName("answerSend")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def _kept(self, question: str) -> QLineEdit:
        edit = QLineEdit(question[:KEPT_MAX])
        edit.setObjectName("answerKept")
        edit.setMaxLength(KEPT_MAX)
        self._texts.bind(
            edit.setToolTip,
            lambda: self.tr(
                "The next agent who asks in these words finds the article. Every team sees "
                "them: take out names, addresses and anything else about the customer."
            ),
        )
        return edit

    def _existing_articles(self) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("answerExisting")
        self._texts.bind(
            combo.setAccessibleName, lambda: self.tr("Answer with an article that exists")
        )
        combo.addItem("", None)
        self._texts.items(combo, [lambda: self.tr("— none: write the answer —")])
        combo.setEnabled(False)
        combo.currentIndexChanged.connect(self._existing_chosen)
        return combo

    def set_candidates(self, articles: list[tuple[int, str]]) -> None:
        """Articles the search found for the question (id, title), best first."""
        for article_id, title in articles:
            self.existing_combo.addItem(title, article_id)
        self.existing_combo.setEnabled(self.existing_combo.count() > 1)

    def existing_article(self) -> int | None:
        chosen = self.existing_combo.currentData()
        return int(chosen) if chosen is not None else None

    def _existing_chosen(self) -> None:
        existing = self.existing_article() is not None
        self.publish_check.setChecked(not existing)
        self.publish_check.setEnabled(not existing)
        if existing and not self.answer():
            self.answer_edit.setPlainText(
                self.tr("See the article “%1”.").replace("%1", self.existing_combo.currentText())
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def answer(self) -> str:
        return self.answer_edit.toPlainText().strip()

    def kept_text(self) -> str:
        """The question's words to keep with the article, as the expert left them."""
        return self.kept_edit.text().strip()

    def title(self) -> str:
        return self.title_edit.text().strip() if self.publish_check.isChecked() else ""

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def publish(self) -> bool:
        return self.publish_check.isChecked()

    def _accept(self) -> None:
        self.answer_error.clear()
        self.title_error.clear()
        ok = True
        text = self.answer()
        if not text:
            self.answer_error.setText(self.tr("Write the answer first."))
            ok = False
        elif len(text) > ANSWER_MAX:
            self.answer_error.setText(
                self.tr("The answer is too long (at most %1 characters).").replace(
                    "%1", str(ANSWER_MAX)
                )
            )
            ok = False
        if self.publish() and not self.title():
            self.title_error.setText(self.tr("A published article needs a title."))
            ok = False
        elif len(self.title()) > TITLE_MAX:
            self.title_error.setText(
                self.tr("At most %1 characters.").replace("%1", str(TITLE_MAX))
            )
            ok = False
        self.answer_error.setVisible(bool(self.answer_error.text()))
        self.title_error.setVisible(bool(self.title_error.text()))
        if ok:
            self.accept()
