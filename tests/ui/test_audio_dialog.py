"""The audio devices dialog: the devices the OS offers, a live level meter, the echo test,
and the choice handed back to be remembered."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.headset_buttons import HeadsetButtons
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.audio_dialog import AudioDialog
from softphone.audio import HeadsetBridge
from softphone.hid.device import HidUnavailableError
from tests.fakes.hid import DATA, FakeBackend, FakePhone, load


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


def test_headset_buttons_row_lists_headsets_and_shows_why_they_do_not_work(
    qtbot: QtBot, headset: HeadsetBridge
) -> None:

    tasks = TaskRunner()
    rec = load(DATA / "jabra_style.hid")
    buttons = HeadsetButtons(
        FakePhone(), tasks, backend_factory=lambda: FakeBackend({rec.info(): rec.descriptor})
    )  # type: ignore[arg-type]
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)
    dialog = AudioDialog(headset, buttons=buttons)
    qtbot.addWidget(dialog)
    items = [dialog.buttons_combo.itemData(i) for i in range(dialog.buttons_combo.count())]
    assert items == ["auto", "off", "0b0e:0305"]
    assert (
        dialog.buttons_status.text() == "Headset buttons: Jabra-style headset (0b0e:0305) is ready."
    )
    assert dialog.buttons_choice() == "auto"
    dialog.buttons_combo.setCurrentIndex(2)
    assert dialog.buttons_choice() == "0b0e:0305"
    buttons.close()

    def missing() -> FakeBackend:
        raise HidUnavailableError("hidapi is not available (No module named 'hidraw')")

    lacking = HeadsetButtons(FakePhone(), tasks, backend_factory=missing)  # type: ignore[arg-type]
    lacking.start("auto")
    dialog = AudioDialog(headset, buttons=lacking)
    qtbot.addWidget(dialog)
    assert "unavailable" in dialog.buttons_status.text()
    tasks.shutdown()
