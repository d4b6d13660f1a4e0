"""Headset buttons on the real ``Phone`` against SIPp: a customer calls, the (fake, replayed)
Jabra-style headset's hook switch answers (SIPp gets its 200 OK), its mute key mutes the call,
and putting it back on the hook sends the BYE SIPp waits for; the LEDs follow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.headset_buttons import HeadsetButtons
from agent_desktop.tasks import TaskRunner
from softphone import CallState, Phone, PhoneConfig
from tests.fakes.hid import DATA, FakeBackend, load
from tests.fakes.sipp import Sipp
from tests.sip.conftest import finish

pytestmark = pytest.mark.slow
WAIT_MS = 10_000


@pytest.fixture
def phone() -> Iterator[Phone]:
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    phone.wait_ready()  # the engine's process is up
    yield phone
    phone.stop()


def test_hook_answers_mute_mutes_and_hook_on_sends_the_bye(
    qtbot: QtBot, phone: Phone, tmp_path: Path
) -> None:
    tasks = TaskRunner()
    rec = load(DATA / "jabra_style.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    buttons = HeadsetButtons(phone, tasks, backend_factory=lambda: backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status, timeout=WAIT_MS)
    (device,) = backend.opened
    caller = Sipp(
        "uac_headset", tmp_path, remote=phone.local_address, fields=["王先生", "13800138000"]
    )
    try:
        qtbot.waitUntil(lambda: bool(phone.calls()), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: bytes.fromhex("02 14") in device.writes(), timeout=WAIT_MS)
        device.press(bytes.fromhex("02 01"))  # lifted: answer
        qtbot.waitUntil(lambda: phone.calls()[0].state == CallState.CONNECTED, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: device.writes()[-1] == bytes.fromhex("02 01"), timeout=WAIT_MS)
        device.press(bytes.fromhex("02 05"))  # mute …
        device.press(bytes.fromhex("02 01"))
        qtbot.waitUntil(lambda: phone.calls()[0].muted, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: device.writes()[-1] == bytes.fromhex("02 03"), timeout=WAIT_MS)
        device.press(bytes.fromhex("02 00"))  # put down: hang up
        finish(qtbot, caller)  # SIPp got our BYE and answered it
        qtbot.waitUntil(lambda: not phone.calls(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: device.writes()[-1] == bytes.fromhex("02 00"), timeout=WAIT_MS)
    finally:
        caller.stop()
        buttons.close()
        tasks.shutdown()
