"""Audio devices: which headset to hear and speak through, a level meter to see the microphone
works, an echo test to hear oneself, and which USB headset's buttons (hook, mute, flash) work
the phone, with a line saying whether they do. The choice is remembered on this PC."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
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

from agent_desktop.ui.live_texts import LiveTexts
from softphone import RemoteHeadset
from softphone.audio import HeadsetBridge

if TYPE_CHECKING:
    from agent_desktop.services.headset_buttons import HeadsetButtons


class AudioDialog(QDialog):
    def __init__(
        self,
        headset: RemoteHeadset | HeadsetBridge,
        parent: QWidget | None = None,
        buttons: HeadsetButtons | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("audioDialog")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Audio devices"))
        self.headset = headset
        self.playback = self._combo("playbackCombo", headset.outputs(), headset.output)
        self.capture = self._combo("captureCombo", headset.inputs(), headset.input)
        self.meter = QProgressBar()
        self.meter.setObjectName("levelMeter")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.echo = QCheckBox()
        self._texts.bind(self.echo.setText, lambda: self.tr("Echo test: hear my own microphone"))
        self.echo.setObjectName("echoCheck")
        self.echo.toggled.connect(self._echo)
        form = QFormLayout()
        self._texts.row(form, lambda: self.tr("Headset / speaker:"), self.playback)
        self._texts.row(form, lambda: self.tr("Microphone:"), self.capture)
        self._texts.row(form, lambda: self.tr("Microphone level:"), self.meter)
        form.addRow(self.echo)
        self.buttons_combo = QComboBox()
        self.buttons_combo.setObjectName("headsetButtonsCombo")
        self.buttons_status = QLabel()
        self.buttons_status.setObjectName("headsetButtonsStatus")
        self.buttons_status.setWordWrap(True)
        self._buttons_choice = ""
        if buttons is not None:
            self._fill_buttons(buttons)
            self._texts.row(form, lambda: self.tr("Headset buttons:"), self.buttons_combo)
            form.addRow(self.buttons_status)
        hint = self._texts.label(
            lambda: self.tr("Speak: the bar should move. Calls switch to the new devices at once.")
        )
        hint.setWordWrap(True)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(box)
        headset.level_changed.connect(self._level)
        self.finished.connect(lambda _r: self._echo(False))

    def _combo(self, name: str, devices: list[str], current: object) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem("", "")
        self._texts.items(combo, [lambda: self.tr("System default")])
        for description in devices:
            combo.addItem(description, description)
        in_use = getattr(current, "description", lambda: "")()
        index = combo.findData(in_use)
        combo.setCurrentIndex(max(0, index))
        return combo

    def _fill_buttons(self, buttons: HeadsetButtons) -> None:
        from agent_desktop.services.headset_buttons import AUTO, OFF  # noqa: PLC0415

        combo = self.buttons_combo
        combo.addItem("", AUTO)
        combo.addItem("", OFF)
        self._texts.items(
            combo,
            [lambda: self.tr("Automatic (the first USB headset found)"), lambda: self.tr("Off")],
        )
        for info in buttons.headsets:
            combo.addItem(info.name, info.key)
        self._buttons_choice = buttons.choice
        if combo.findData(buttons.choice) < 0:  # chosen before, not plugged in now
            combo.addItem(buttons.choice, buttons.choice)
        combo.setCurrentIndex(max(0, combo.findData(buttons.choice)))
        self.buttons_status.setText(buttons.status)
        buttons.status_changed.connect(self.buttons_status.setText)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def buttons_choice(self) -> str:
        """The headset whose buttons work the phone: "auto", "off" or "vvvv:pppp"."""
        return str(self.buttons_combo.currentData() or self._buttons_choice or "auto")

    def _level(self, level: float) -> None:
        # Speech sits around -30 dBFS: scale so a normal voice fills most of the bar.
        self.meter.setValue(min(100, int(level * 400)))

    def _echo(self, on: bool) -> None:
        self.headset.echo = on

    def choice(self) -> tuple[str, str]:
        return str(self.playback.currentData() or ""), str(self.capture.currentData() or "")
