"""Scoring one call beside its player: an answer per scorecard item (met, missed, N/A where the
item allows it; critical items marked), comments pinned to the player's position, a summary,
then save as a draft or share with the agent. The score shown is the one the server computed
(``QualityService.evaluation_saved``): the desk never scores."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.quality import QualityService
from agent_desktop.ui.quality.player import CallPlayer, moment_text
from sync.contract.quality import (
    Answer,
    EvaluationIn,
    EvaluationOut,
    ItemAnswer,
    PinnedComment,
    QaCallOut,
    ScorecardOut,
)


class ScoringForm(QWidget):
    def __init__(
        self, service: QualityService, player: CallPlayer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qaScoringForm")
        self._service = service
        self.player = player
        self.call: QaCallOut | None = None
        self.scorecard: ScorecardOut | None = None
        self.evaluation_id: int | None = None  # the draft being changed
        self.comments: list[PinnedComment] = []
        self.answer_boxes: dict[str, QComboBox] = {}

        self.call_label = QLabel(self.tr("Pick a call to score."))
        self.call_label.setObjectName("qaCallLabel")
        self.call_label.setWordWrap(True)
        self.scorecard_box = QComboBox()
        self.scorecard_box.setAccessibleName(self.tr("Scorecard"))
        self.scorecard_box.currentIndexChanged.connect(self._scorecard_chosen)
        self.card_label = QLabel(self.tr("&Scorecard:"))
        self.card_label.setBuddy(self.scorecard_box)
        self.items_box = QGroupBox(self.tr("Items"))
        self.items_layout = QFormLayout(self.items_box)
        # A long item's answer goes under it rather than squeezing its label (Qt's word-wrapped
        # labels in a form are laid out shorter than they draw).
        self.items_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # A long scorecard scrolls in place; the form keeps its size.
        self.items_scroll = QScrollArea()
        self.items_scroll.setWidgetResizable(True)
        self.items_scroll.setWidget(self.items_box)

        self.comment_edit = QLineEdit()
        self.comment_edit.setAccessibleName(self.tr("Comment to pin"))
        self.comment_edit.setPlaceholderText(self.tr("A comment on this moment of the call"))
        self.pin_button = QPushButton(self.tr("&Pin at this moment"))
        self.pin_button.setAccessibleName(self.tr("Pin the comment at the player's moment"))
        self.pin_button.clicked.connect(self.pin_comment)
        self.pinned_list = QListWidget()
        self.pinned_list.setAccessibleName(self.tr("Pinned comments"))
        self.pinned_list.setMaximumHeight(110)
        self.pinned_list.itemActivated.connect(
            lambda item: self.player.seek(self.comments[self.pinned_list.row(item)].at_ms)
        )
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setAccessibleName(self.tr("Summary for the agent"))
        self.summary_edit.setPlaceholderText(self.tr("Summary for the agent"))
        self.summary_edit.setMaximumHeight(80)
        self.save_button = QPushButton(self.tr("Save &draft"))
        self.save_button.setAccessibleName(self.tr("Save the evaluation as a draft"))
        self.save_button.clicked.connect(lambda: self.submit(share=False))
        self.share_button = QPushButton(self.tr("S&hare with the agent"))
        self.share_button.setAccessibleName(self.tr("Share the evaluation with the agent"))
        self.share_button.clicked.connect(lambda: self.submit(share=True))
        self.result_label = QLabel()
        self.result_label.setObjectName("qaResult")
        self.result_label.setWordWrap(True)

        self._lay_out()

        service.scorecards_loaded.connect(self.set_scorecards)
        service.evaluation_saved.connect(self._saved)
        self._enable()

    # -- what is scored --------------------------------------------------------------------------

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.call_label)
        layout.addWidget(self.player.widget())
        card_row = QHBoxLayout()
        card_row.addWidget(self.card_label)
        card_row.addWidget(self.scorecard_box, 1)
        layout.addLayout(card_row)
        layout.addWidget(self.items_scroll, 3)
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.comment_edit, 1)
        pin_row.addWidget(self.pin_button)
        layout.addLayout(pin_row)
        layout.addWidget(self.pinned_list)
        layout.addWidget(self.summary_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.share_button)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)

    def set_call(self, call: QaCallOut) -> None:
        self.call, self.evaluation_id = call, None
        self.comments.clear()
        self.pinned_list.clear()
        self.summary_edit.clear()
        self.result_label.clear()
        self.call_label.setText(
            self.tr("Call %1 · %2 · %3 · %4 s")
            .replace("%1", str(call.interaction_id))
            .replace("%2", call.agent_name)
            .replace("%3", call.started_at.astimezone().strftime("%Y-%m-%d %H:%M"))
            .replace("%4", str(call.talk_s))
        )
        self.player.open_call(call.interaction_id, call.recording_id)
        self._enable()

    def set_scorecards(self, scorecards: list[ScorecardOut]) -> None:
        chosen = self.scorecard.id if self.scorecard is not None else None
        self.scorecard_box.blockSignals(True)
        self.scorecard_box.clear()
        for card in scorecards:
            self.scorecard_box.addItem(
                self.tr("%1 (version %2)")
                .replace("%1", card.name)
                .replace("%2", str(card.version)),
                card,
            )
        self.scorecard_box.blockSignals(False)
        index = next((i for i, c in enumerate(scorecards) if c.id == chosen), 0)
        self.scorecard_box.setCurrentIndex(index if scorecards else -1)
        self._scorecard_chosen(self.scorecard_box.currentIndex())

    def _scorecard_chosen(self, index: int) -> None:
        card = self.scorecard_box.itemData(index) if index >= 0 else None
        self.scorecard = card if isinstance(card, ScorecardOut) else None
        while self.items_layout.rowCount():
            self.items_layout.removeRow(0)
        self.answer_boxes.clear()
        if self.scorecard is None:
            self._enable()
            return
        for section in self.scorecard.sections:
            title = QLabel(f"<b>{escape(section.title)}</b>")
            self.items_layout.addRow(title)
            for item in section.items:
                box = QComboBox()
                box.setObjectName(f"qaAnswer_{item.key}")
                box.addItem(self.tr("Met"), Answer.MET)
                box.addItem(self.tr("Missed"), Answer.MISSED)
                if item.allow_na:
                    box.addItem(self.tr("N/A"), Answer.NA)
                text = (
                    self.tr("%1 (critical: missed fails the call)").replace("%1", item.label)
                    if item.critical
                    else item.label
                )
                text = self.tr("%1 · weight %2").replace("%1", text).replace("%2", str(item.weight))
                box.setAccessibleName(text)
                label = QLabel(text)
                label.setBuddy(box)
                self.items_layout.addRow(label, box)
                self.answer_boxes[item.key] = box
        self._enable()

    def set_answer(self, key: str, answer: Answer) -> None:
        box = self.answer_boxes[key]
        box.setCurrentIndex(box.findData(answer))

    # -- comments and saving ---------------------------------------------------------------------

    def pin_comment(self) -> None:
        text = self.comment_edit.text().strip()
        if not text:
            return
        comment = PinnedComment(at_ms=max(0, self.player.position_ms()), text=text)
        self.comments.append(comment)
        self.comments.sort(key=lambda c: c.at_ms)
        self.pinned_list.clear()
        for kept in self.comments:
            self.pinned_list.addItem(f"{moment_text(kept.at_ms)}  {kept.text}")
        self.comment_edit.clear()

    def evaluation(self, share: bool) -> EvaluationIn | None:
        if self.call is None or self.scorecard is None:
            return None
        return EvaluationIn(
            recording_id=self.call.recording_id,
            interaction_id=self.call.interaction_id,
            agent_id=self.call.agent_id,
            scorecard_id=self.scorecard.id,
            scorecard_version=self.scorecard.version,
            answers=[
                ItemAnswer(key=key, answer=Answer(box.currentData()))
                for key, box in self.answer_boxes.items()
            ],
            comments=list(self.comments),
            summary=self.summary_edit.toPlainText().strip()[:2_000],
            share=share,
        )

    def submit(self, share: bool) -> None:
        evaluation = self.evaluation(share)
        if evaluation is not None:
            self._service.save_evaluation(evaluation, self.evaluation_id)

    def _saved(self, out: EvaluationOut) -> None:
        if self.call is None or out.interaction_id != self.call.interaction_id:
            return
        self.evaluation_id = out.id if out.status.value == "draft" else None
        self.result_label.setText(result_text(out))
        if out.status.value != "draft":
            self.call = None
            self._enable()

    def _enable(self) -> None:
        ready = self.call is not None and self.scorecard is not None
        for widget in (self.save_button, self.share_button, self.pin_button):
            widget.setEnabled(ready)


def result_text(out: EvaluationOut) -> str:
    """ "Score 90 % · Fail — critical item missed: Verifies identity", as the server scored."""
    labels = {item.key: item.label for item in out.scorecard.items()}
    verdict = (
        QCoreApplication.translate("QualityTexts", "Fail")
        if out.failed
        else QCoreApplication.translate("QualityTexts", "Pass")
    )
    text = (
        QCoreApplication.translate("QualityTexts", "Score %1 % · %2")
        .replace("%1", f"{out.score_pct:g}")
        .replace("%2", verdict)
    )
    if out.critical_missed:
        missed = ", ".join(labels.get(k, k) for k in out.critical_missed)
        text += QCoreApplication.translate("QualityTexts", " — critical item missed: %1").replace(
            "%1", missed
        )
    return text
