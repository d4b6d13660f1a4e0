"""Headset buttons on the real ``Phone`` against SIPp: a customer calls, the (fake, replayed)
headset's hook switch answers (SIPp gets its 200 OK), its mute key mutes the call, and putting
it back on the hook sends the BYE SIPp waits for; the LEDs follow. The headsets' report
descriptors are recorded from real devices (tests/data/hid/README.md)."""

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


@pytest.mark.parametrize("name", ["rec_epos_impact_d", "rec_poly_blackwire_c5220"])
def test_hook_answers_mute_mutes_and_hook_on_sends_the_bye(
    qtbot: QtBot, phone: Phone, tmp_path: Path, name: str
) -> None:
    """The first sequence of a headset whose descriptor was recorded from the device (EPOS:
    volume keys in the telephony report; Poly: one output report per LED), played against a
    real call: each LED step must be what the desk wrote last, each press must move the call."""
    tasks = TaskRunner()
    rec = load(DATA / f"{name}.hid")
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
        for step in rec.sequences[0].steps:
            if step.leds is not None:
                want = list(step.out)
                qtbot.waitUntil(lambda w=want: device.writes()[-len(w) :] == w, timeout=WAIT_MS)  # type: ignore[misc]
                continue
            assert step.report is not None
            device.press(step.report)
            if "hook_off" in step.events:  # lifted: answer (SIPp gets its 200 OK)
                qtbot.waitUntil(
                    lambda: phone.calls()[0].state == CallState.CONNECTED, timeout=WAIT_MS
                )
            elif "mute" in step.events:
                qtbot.waitUntil(lambda: phone.calls()[0].muted, timeout=WAIT_MS)
            elif "hook_on" in step.events:  # put down: SIPp got our BYE and answered it
                finish(qtbot, caller)
                qtbot.waitUntil(lambda: not phone.calls(), timeout=WAIT_MS)
    finally:
        caller.stop()
        buttons.close()
        tasks.shutdown()
