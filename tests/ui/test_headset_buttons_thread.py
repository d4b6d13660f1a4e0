"""The threads rule for the headset buttons: the headset is read on its own thread, and yet
every public signal of the service (and of the phone it drives) is emitted on the GUI thread,
through a ring, an answer, a mute, a hang-up and an unplug."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from agent_desktop.services.headset_buttons import HeadsetButtons
from agent_desktop.tasks import TaskRunner
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.hid import DATA, FakeBackend, FakePhone, load


def test_headset_events_reach_the_gui_thread_only(
    qtbot: QtBot, tasks: TaskRunner, gui_thread: OffThreadEmits
) -> None:
    rec = load(DATA / "jabra_style.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    phone = FakePhone()
    buttons = HeadsetButtons(phone, tasks, backend_factory=lambda: backend)  # type: ignore[arg-type]
    gui_thread.watch(buttons, phone)
    assert "HeadsetButtons.status_changed" in gui_thread.watched
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)
    (device,) = backend.opened
    phone.ring(1)
    for report in ("02 01", "02 05", "02 01", "02 00"):
        device.press(bytes.fromhex(report))
    qtbot.waitUntil(lambda: ("hangup", 1) in phone.done)
    device.unplug()
    qtbot.waitUntil(lambda: "disconnected" in buttons.status)
    assert phone.done == [("answer", 1), ("mute", 1), ("hangup", 1)]
    buttons.close()
