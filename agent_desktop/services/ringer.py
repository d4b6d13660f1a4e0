"""The ring: an incoming call is heard, not only seen, on the device the agent chose for
ringing (often the PC's speaker, so a call is heard with the headset off).

``resources/sounds/ring.wav``: 400+450 Hz, two 0.4 s bursts then 2 s of silence (the British
cadence many Chinese PBXs also use), 16 kHz mono, generated for this project.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from agent_desktop import RESOURCES_DIR
from softphone import CallInfo, CallState, Phone

log = logging.getLogger(__name__)

RING = RESOURCES_DIR / "sounds" / "ring.wav"


class Ringer(QObject):
    def __init__(self, phone: Phone, device: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.phone = phone
        self._effect: QSoundEffect | None = None
        self.set_device(device)
        self.ringing = False
        phone.incoming_call.connect(self._update)
        phone.call_state_changed.connect(self._update)

    def set_device(self, description: str) -> None:
        """Ring on this output (its description; "" for the system default)."""
        chosen = next(
            (d for d in QMediaDevices.audioOutputs() if d.description() == description),
            QMediaDevices.defaultAudioOutput(),
        )
        if chosen.isNull():  # no output at all (a server, a test box): the ring is only shown
            self._effect = None
            return
        if self._effect is None:
            self._effect = QSoundEffect(self)
            self._effect.setAudioDevice(chosen)
            self._effect.setSource(QUrl.fromLocalFile(str(RING)))
            self._effect.setLoopCount(QSoundEffect.Loop.Infinite.value)
            self._effect.setVolume(0.8)
        else:
            self._effect.setAudioDevice(chosen)

    def _update(self, _info: CallInfo | None = None) -> None:
        offered = any(c.state == CallState.INCOMING for c in self.phone.calls())
        # On a call, a second caller waits quietly in the list (call waiting): no ring in the
        # ear of an agent who is talking.
        should = offered and self.phone.active_call() is None
        if should and not self.ringing:
            self.ringing = True
            if self._effect is not None:
                self._effect.play()
        elif not should and self.ringing:
            self.ringing = False
            if self._effect is not None:
                self._effect.stop()
