"""The audio devices dialog: the devices the OS offers, a live level meter, the echo test,
and the choice handed back to be remembered."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.ui.dialogs.audio_dialog import AudioDialog
from softphone.audio import HeadsetBridge


@pytest.fixture
def headset(monkeypatch: pytest.MonkeyPatch) -> HeadsetBridge:
    # The machine's real device list is whatever the test box has; these are what a desk has.
    monkeypatch.setattr(
        HeadsetBridge, "outputs", staticmethod(lambda: ["Jabra Evolve2 65", "Speakers"])
    )
    monkeypatch.setattr(HeadsetBridge, "inputs", staticmethod(lambda: ["Jabra Evolve2 65"]))
    return HeadsetBridge()


def test_lists_devices_meters_the_microphone_and_echoes(
    qtbot: QtBot, headset: HeadsetBridge
) -> None:
    dialog = AudioDialog(headset)
    qtbot.addWidget(dialog)
    dialog.show()
    playback = [dialog.playback.itemText(i) for i in range(dialog.playback.count())]
    assert playback == ["System default", "Jabra Evolve2 65", "Speakers"]
    assert dialog.choice() == ("", "")
    dialog.playback.setCurrentIndex(1)
    dialog.capture.setCurrentIndex(1)
    assert dialog.choice() == ("Jabra Evolve2 65", "Jabra Evolve2 65")
    headset.level_changed.emit(0.1)
    assert dialog.meter.value() == 40
    dialog.echo.setChecked(True)
    assert headset.echo
    dialog.reject()
    assert not headset.echo  # closing the dialog ends the echo test


def test_echo_test_plays_the_microphone_back(headset: HeadsetBridge) -> None:
    class Source:
        def __init__(self) -> None:
            self.data = b"\x01\x02" * 160

        def readAll(self) -> object:
            class Chunk:
                def __init__(self, data: bytes) -> None:
                    self._data = data

                def data(self) -> bytes:
                    return self._data

            chunk, self.data = Chunk(self.data), b""
            return chunk

    headset._source_io = Source()  # type: ignore[assignment]
    headset.echo = True
    headset._tick()
    assert len(headset.to_speaker) == 320  # what was said comes back to the ear
    assert len(headset.from_mic) == 320  # and still goes to the call
