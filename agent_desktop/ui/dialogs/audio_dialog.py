"""Audio devices: which headset to hear and speak through, a level meter to see the microphone
works, and an echo test to hear oneself. The choice is remembered on this PC."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from softphone import RemoteHeadset
from softphone.audio import HeadsetBridge


class AudioDialog(QDialog):
    def __init__(
        self, headset: RemoteHeadset | HeadsetBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("audioDialog")
        self.setWindowTitle(self.tr("Audio devices"))
        self.headset = headset
        self.playback = self._combo("playbackCombo", headset.outputs(), headset.output)
        self.capture = self._combo("captureCombo", headset.inputs(), headset.input)
        self.meter = QProgressBar()
        self.meter.setObjectName("levelMeter")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.echo = QCheckBox(self.tr("Echo test: hear my own microphone"))
        self.echo.setObjectName("echoCheck")
        self.echo.toggled.connect(self._echo)
        form = QFormLayout()
        form.addRow(self.tr("Headset / speaker:"), self.playback)
        form.addRow(self.tr("Microphone:"), self.capture)
        form.addRow(self.tr("Microphone level:"), self.meter)
        form.addRow(self.echo)
        hint = QLabel(
            self.tr("Speak: the bar should move. Calls switch to the new devices at once.")
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        headset.level_changed.connect(self._level)
        self.finished.connect(lambda _r: self._echo(False))

    def _combo(self, name: str, devices: list[str], current: object) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(self.tr("System default"), "")
        for description in devices:
            combo.addItem(description, description)
        in_use = getattr(current, "description", lambda: "")()
        index = combo.findData(in_use)
        combo.setCurrentIndex(max(0, index))
        return combo

    def _level(self, level: float) -> None:
        # Speech sits around -30 dBFS: scale so a normal voice fills most of the bar.
        self.meter.setValue(min(100, int(level * 400)))

    def _echo(self, on: bool) -> None:
        self.headset.echo = on

    def choice(self) -> tuple[str, str]:
        return str(self.playback.currentData() or ""), str(self.capture.currentData() or "")
