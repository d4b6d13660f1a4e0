"""A call's recording, played from the customer 360's history (issue 20).

The player (ui/widgets/recording_player.py) under a line saying which call it is: when, how
long, who took it, and how much of it is paused (PCI) or on hold. One dialog, reused: opening
another recording replaces the one playing. Not modal: the agent keeps working beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.durations import stopwatch
from agent_desktop.ui.fields import local_time
from agent_desktop.ui.widgets.recording_player import RecordingPlayer
from sync.contract.recordings import RecordingMeta


class RecordingDialog(QDialog):
    def __init__(self, tasks: TaskRunner | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingDialog")
        self.meta: RecordingMeta | None = None
        self.about_label = QLabel()
        self.about_label.setObjectName("recordingAbout")
        self.about_label.setWordWrap(True)
        self.player = RecordingPlayer(tasks, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.about_label)
        column.addWidget(self.player, 1)
        column.addWidget(buttons)
        self.resize(760, 300)
        self.retranslate()

    def show_recording(self, path: str, meta: RecordingMeta) -> None:
        self.meta = meta
        self.player.load(path, meta)
        self.retranslate()
        self.show()
        self.raise_()
        self.player.setFocus()  # space plays at once

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Call recording"))
        meta = self.meta
        if meta is None:
            self.about_label.clear()
            return
        paused_s = sum(p.end_ms - p.start_ms for p in meta.pauses) / 1000
        held_s = sum(h.end_ms - h.start_ms for h in meta.holds) / 1000
        self.about_label.setText(
            self.tr("%1 · %2 long · taken by %3 · paused %4 · on hold %5")
            .replace("%1", local_time(meta.started_at))
            .replace("%2", stopwatch(meta.duration_ms / 1000))
            .replace("%3", meta.agent)
            .replace("%4", stopwatch(paused_s))
            .replace("%5", stopwatch(held_s))
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reject(self) -> None:
        self.player.pause()  # closing stops the sound, not only the window
        super().reject()
