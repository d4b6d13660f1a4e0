"""The evaluations: for an agent "My evaluations", for a lead or QA their teams'. One chosen
shows its score (the server's), each item's answer, the summary and the comments pinned to
moments of the call (activating one seeks the player there). The agent acknowledges or
disputes a shared evaluation with a comment; a lead answers a dispute."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.quality import QualityService
from agent_desktop.ui.admin.table_model import RowsModel
from agent_desktop.ui.quality.player import CallPlayer, moment_text
from agent_desktop.ui.quality.scoring_form import result_text
from sync.contract.quality import Answer, EvaluationOut, EvaluationStatus


def status_text(status: EvaluationStatus) -> str:
    return {
        EvaluationStatus.DRAFT: QCoreApplication.translate("QualityTexts", "Draft"),
        EvaluationStatus.SHARED: QCoreApplication.translate(
            "QualityTexts", "Waiting for the agent"
        ),
        EvaluationStatus.ACKNOWLEDGED: QCoreApplication.translate("QualityTexts", "Acknowledged"),
        EvaluationStatus.DISPUTED: QCoreApplication.translate("QualityTexts", "Disputed"),
        EvaluationStatus.ANSWERED: QCoreApplication.translate("QualityTexts", "Dispute answered"),
    }[status]


def answer_text(answer: Answer | None) -> str:
    if answer is None:
        return "—"
    return {
        Answer.MET: QCoreApplication.translate("QualityTexts", "Met"),
        Answer.MISSED: QCoreApplication.translate("QualityTexts", "Missed"),
        Answer.NA: QCoreApplication.translate("QualityTexts", "N/A"),
    }[answer]


class EvaluationsView(QWidget):
    def __init__(
        self, service: QualityService, player: CallPlayer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qaEvaluations")
        self._service = service
        self.player = player
        self.current: EvaluationOut | None = None
        self.model: RowsModel[EvaluationOut] = RowsModel(
            [
                lambda: self.tr("Agent"),
                lambda: self.tr("Scored"),
                lambda: self.tr("Scorecard"),
                lambda: self.tr("Score"),
                lambda: self.tr("Result"),
                lambda: self.tr("Status"),
            ],
            lambda e: (
                e.agent_name,
                e.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                e.scorecard.name,
                f"{e.score_pct:g} %",
                self.tr("Fail") if e.failed else self.tr("Pass"),
                status_text(e.status),
            ),
            self,
        )
        self.everything: list[EvaluationOut] = []  # as the server listed them
        self.disputes_only = QCheckBox(self.tr("Only disputes waiting for an answer"))
        self.disputes_only.setObjectName("qaDisputesOnly")
        self.disputes_only.setVisible(service.scores)
        self.disputes_only.toggled.connect(lambda _on: self.set_evaluations(self.everything))
        self.figures_label = QLabel()
        self.figures_label.setObjectName("qaFigures")
        self.table = QTableView()
        self.table.setObjectName("qaEvaluationTable")
        self.table.setAccessibleName(self.tr("Evaluations"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)

        self.result_label = QLabel()
        self.result_label.setObjectName("qaEvaluationResult")
        self.result_label.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("qaEvaluationDetail")
        self.detail.setWordWrap(True)
        self.moments = QListWidget()
        self.moments.setObjectName("qaMoments")
        self.moments.setAccessibleName(self.tr("Pinned moments of the call"))
        self.moments.itemActivated.connect(lambda item: self.seek_moment(self.moments.row(item)))
        self.moments.itemClicked.connect(lambda item: self.seek_moment(self.moments.row(item)))
        self.reply_edit = QPlainTextEdit()
        self.reply_edit.setAccessibleName(self.tr("Your comment"))
        self.reply_edit.setPlaceholderText(self.tr("Your comment"))
        self.reply_edit.setMaximumHeight(70)
        self.acknowledge_button = QPushButton(self.tr("&Acknowledge"))
        self.acknowledge_button.setAccessibleName(self.tr("Acknowledge the evaluation"))
        self.acknowledge_button.clicked.connect(lambda: self._reply("acknowledge"))
        self.dispute_button = QPushButton(self.tr("&Dispute"))
        self.dispute_button.setAccessibleName(self.tr("Dispute the evaluation"))
        self.dispute_button.clicked.connect(lambda: self._reply("dispute"))
        self.answer_button = QPushButton(self.tr("A&nswer the dispute"))
        self.answer_button.setAccessibleName(self.tr("Answer the agent's dispute"))
        self.answer_button.clicked.connect(lambda: self._reply("answer"))

        self._lay_out()

        service.evaluations_loaded.connect(self.set_evaluations)
        service.evaluation_changed.connect(self._changed)
        self._show(None)

    def _lay_out(self) -> None:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.result_label)
        side_layout.addWidget(self.player.widget())
        side_layout.addWidget(self.detail)
        side_layout.addWidget(QLabel(self.tr("Pinned moments (click to listen):")))
        side_layout.addWidget(self.moments, 1)
        side_layout.addWidget(self.reply_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.acknowledge_button, self.dispute_button, self.answer_button):
            buttons.addWidget(button)
        side_layout.addLayout(buttons)
        listed = QWidget()
        listed_layout = QVBoxLayout(listed)
        listed_layout.setContentsMargins(0, 0, 0, 0)
        listed_layout.addWidget(self.figures_label)
        listed_layout.addWidget(self.disputes_only)
        listed_layout.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(listed)
        split.addWidget(side)
        split.setSizes([420, 680])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def set_evaluations(self, evaluations: list[EvaluationOut]) -> None:
        self.everything = list(evaluations)
        self.figures_label.setText(self.figures_text(evaluations))
        if self.disputes_only.isChecked():
            evaluations = [e for e in evaluations if e.status is EvaluationStatus.DISPUTED]
        chosen = self.current.id if self.current is not None else None
        self.model.set_rows(evaluations)
        row = next((i for i, e in enumerate(evaluations) if e.id == chosen), -1)
        if row >= 0:
            self.table.selectRow(row)
            self._show(evaluations[row])
        else:
            self._show(None)

    def figures_text(self, evaluations: list[EvaluationOut]) -> str:
        """ "6 evaluation(s) · average 85.2 % · 1 failed · 1 disputed": the agent's figures (or the
        teams', for a lead), from the evaluations shared."""
        scored = [e for e in evaluations if e.status is not EvaluationStatus.DRAFT]
        if not scored:
            return self.tr("No evaluations yet.")
        average = sum(e.score_pct for e in scored) / len(scored)
        return (
            self.tr("%n evaluation(s) · average %2 % · %3 failed · %4 disputed", "", len(scored))
            .replace("%2", f"{average:.1f}")
            .replace("%3", str(sum(1 for e in scored if e.failed)))
            .replace(
                "%4",
                str(sum(1 for e in scored if e.status in (EvaluationStatus.DISPUTED,
                                                         EvaluationStatus.ANSWERED))),
            )
        )  # fmt: skip

    def choose(self, evaluation_id: int) -> None:
        row = next((i for i, e in enumerate(self.model.rows()) if e.id == evaluation_id), -1)
        if row >= 0:
            self.table.selectRow(row)

    def seek_moment(self, row: int) -> None:
        if self.current is not None and 0 <= row < len(self.current.comments):
            self.player.seek(self.current.comments[row].at_ms)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.item(current.row()))

    def _changed(self, out: EvaluationOut) -> None:
        if self.current is not None and self.current.id == out.id:
            self._show(out)

    def _show(self, evaluation: EvaluationOut | None) -> None:
        opened = evaluation is not None and (
            self.current is None or self.current.id != evaluation.id
        )
        self.current = evaluation
        self.moments.clear()
        if evaluation is None:
            self.result_label.setText(self.tr("Choose an evaluation."))
            self.detail.clear()
            self._enable()
            return
        if opened:
            self.player.open_call(evaluation.interaction_id, evaluation.recording_id)
            self.reply_edit.clear()
        self.result_label.setText(
            f"<b>{escape(result_text(evaluation))}</b> · {status_text(evaluation.status)}"
        )
        lines = [
            self.tr("%1, scored by %2 on %3 (version %4)")
            .replace("%1", escape(evaluation.agent_name))
            .replace("%2", escape(evaluation.evaluator_name))
            .replace("%3", escape(evaluation.scorecard.name))
            .replace("%4", str(evaluation.scorecard.version))
        ]
        for section in evaluation.scorecard.sections:
            lines.append(f"<b>{escape(section.title)}</b>")
            lines += [
                f"{escape(item.label)}: {answer_text(evaluation.answer_of(item.key))}"
                for item in section.items
            ]
        if evaluation.summary:
            lines.append(self.tr("Summary: %1").replace("%1", escape(evaluation.summary)))
        if evaluation.agent_comment:
            lines.append(self.tr("Agent: %1").replace("%1", escape(evaluation.agent_comment)))
        if evaluation.answer_comment:
            lines.append(
                self.tr("Answer from %1: %2")
                .replace("%1", escape(evaluation.answered_by_name))
                .replace("%2", escape(evaluation.answer_comment))
            )
        self.detail.setText("<br>".join(lines))
        for comment in evaluation.comments:
            self.moments.addItem(f"{moment_text(comment.at_ms)}  {comment.text}")
        self._enable()

    def _enable(self) -> None:
        e = self.current
        own = e is not None and e.agent_id == self._service.user_id
        shared = e is not None and e.status is EvaluationStatus.SHARED
        disputed = e is not None and e.status is EvaluationStatus.DISPUTED
        self.acknowledge_button.setVisible(own and self._service.sees_own)
        self.dispute_button.setVisible(own and self._service.sees_own)
        self.acknowledge_button.setEnabled(shared)
        self.dispute_button.setEnabled(shared)
        self.answer_button.setVisible(self._service.scores)
        self.answer_button.setEnabled(disputed and not own)
        self.reply_edit.setEnabled((own and shared) or (disputed and self._service.scores))

    def _reply(self, step: str) -> None:
        if self.current is not None:
            self._service.reply(self.current.id, step, self.reply_edit.toPlainText().strip())
