"""The Quality window's player over the call's recording (issue 20): the call's recording
looked up and fetched by the 360's ``RecordingPlayback`` (off the GUI thread, kept in the
desk's recording cache), played in the ``RecordingPlayer`` with both channels' levels and its
pause and hold markers; comments pin to its position and pinned moments seek it. A call with
no recording (or a server without recordings) falls back to the typed moment
(``MomentField``), so scoring still works. Made by ``MainWindow.attach_recording_playback``."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from agent_desktop.services.recording_playback import RecordingPlayback
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.quality.player import MomentField
from agent_desktop.ui.widgets.recording_player import RecordingPlayer
from sync.contract.recordings import RecordingMeta


class RecordedCallPlayer(QWidget):
    def __init__(
        self, playback: RecordingPlayback, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qaRecordedPlayer")
        self._playback = playback
        self.player = RecordingPlayer(tasks)
        self.moment = MomentField()
        self.status_label = QLabel()
        self.status_label.setObjectName("qaRecordingStatus")
        self.status_label.setWordWrap(True)
        self.interaction_id: int | None = None
        self.recording_id: str | None = None
        self.meta: RecordingMeta | None = None  # the recording loaded, if the call has one
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_label)
        layout.addWidget(self.player)
        layout.addWidget(self.moment)
        # The 360's look-ups and fetches come through the same signals: each answer is taken
        # only for the call open here.
        playback.found.connect(self._found)
        playback.ready.connect(self._ready)
        self._show(None)

    def widget(self) -> QWidget:
        return self

    def open_call(self, interaction_id: int | None, recording_id: str | None) -> None:
        self.interaction_id, self.recording_id = interaction_id, recording_id
        self._show(None)
        self.moment.seek(0)
        if interaction_id is None or not self._playback.available:
            self.status_label.setText(self.tr("No recording of this call: type the moment."))
            return
        self.status_label.setText(self.tr("Looking for this call's recording…"))
        self._playback.look_up([interaction_id])

    def position_ms(self) -> int:
        return self.player.position_ms() if self.meta is not None else self.moment.position_ms()

    def seek(self, ms: int) -> None:
        if self.meta is not None:
            self.player.seek(ms)
        else:
            self.moment.seek(ms)

    def _found(self, found: dict[int, RecordingMeta]) -> None:
        if self.interaction_id is None or self.meta is not None:
            return
        meta = found.get(self.interaction_id)
        if meta is None:
            self.status_label.setText(self.tr("No recording of this call: type the moment."))
            return
        self.status_label.setText(self.tr("Fetching the recording…"))
        self._playback.fetch(meta)

    def _ready(self, path: str, meta: RecordingMeta) -> None:
        ours = meta.recording_id == self.recording_id or (
            meta.interaction_id is not None and meta.interaction_id == self.interaction_id
        )
        if not ours:
            return
        self.player.load(path, meta)
        self._show(meta)

    def _show(self, meta: RecordingMeta | None) -> None:
        self.meta = meta
        self.player.setVisible(meta is not None)
        self.moment.setVisible(meta is None)
        if meta is not None:
            self.status_label.clear()
