"""The desk's headset buttons: what each button does to the calls, the LEDs the calls light,
and the whole path from a (fake) hidapi device through the reader thread to the phone on the
GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from agent_desktop.services import headset_buttons as hb
from agent_desktop.services.headset_buttons import HeadsetButtons, leds_for, press
from agent_desktop.tasks import TaskRunner
from softphone.events import CallDirection, CallInfo, CallState
from softphone.hid.descriptor import parse
from softphone.hid.device import HidUnavailableError
from softphone.hid.telephony import HeadsetButton, HeadsetLeds
from tests.fakes.hid import DATA, FakeBackend, FakePhone, Recording, load, recordings

IN, OUT = CallDirection.INBOUND, CallDirection.OUTBOUND


# -- what a button means ----------------------------------------------------------------------


def test_hook_off_answers_the_ringing_call_and_hook_on_hangs_up() -> None:
    phone = FakePhone()
    phone.ring(1)
    assert press(phone, HeadsetButton.HOOK_OFF) == "answered call 1"
    assert press(phone, HeadsetButton.HOOK_OFF) == ""  # already off hook: nothing
    assert press(phone, HeadsetButton.HOOK_ON) == "hung up call 1"
    assert press(phone, HeadsetButton.HOOK_ON) == ""
    assert phone.done == [("answer", 1), ("hangup", 1)]


def test_hook_on_ends_an_outgoing_call_and_drop_declines_a_ringing_one() -> None:
    phone = FakePhone()
    phone.put(1, CallState.RINGING, OUT)
    assert press(phone, HeadsetButton.HOOK_ON) == "hung up call 1"
    phone.ring(2)
    assert press(phone, HeadsetButton.HOOK_ON) == ""  # the hook alone never declines
    assert press(phone, HeadsetButton.DROP) == "declined call 2"


def test_the_reject_key_declines_a_ringing_call_and_never_hangs_up() -> None:
    phone = FakePhone()
    phone.put(1, CallState.CONNECTED)
    assert press(phone, HeadsetButton.REJECT) == ""  # the call in progress goes on
    phone.ring(2)
    assert press(phone, HeadsetButton.REJECT) == "declined call 2"
    assert phone.done == [("reject", 2)]


def test_mute_toggles_and_mute_states_set() -> None:
    phone = FakePhone()
    assert press(phone, HeadsetButton.MUTE) == ""  # no call: nothing
    phone.put(1, CallState.CONNECTED)
    assert press(phone, HeadsetButton.MUTE) == "muted call 1"
    assert press(phone, HeadsetButton.MUTE) == "unmuted call 1"
    assert press(phone, HeadsetButton.MUTE_OFF) == "unmuted call 1"
    assert press(phone, HeadsetButton.MUTE_ON) == "muted call 1"


def test_flash_holds_resumes_swaps_and_takes_a_waiting_call() -> None:
    phone = FakePhone()
    phone.put(1, CallState.CONNECTED)
    assert press(phone, HeadsetButton.FLASH) == "held call 1"
    assert press(phone, HeadsetButton.FLASH) == "resumed call 1"
    phone.ring(2)
    assert press(phone, HeadsetButton.FLASH) == "held call 1, answered call 2"
    assert press(phone, HeadsetButton.FLASH) == "swapped to call 1"
    assert phone.calls()[1].state == CallState.HELD
    assert phone.calls()[0].state == CallState.CONNECTED
    assert press(FakePhone(), HeadsetButton.FLASH) == ""


def test_leds_follow_the_calls() -> None:
    def call(state: CallState, direction: CallDirection = IN, muted: bool = False) -> CallInfo:
        return CallInfo(1, direction, state, "", "", muted=muted)

    assert leds_for([]) == HeadsetLeds()
    assert leds_for([call(CallState.INCOMING)]) == HeadsetLeds(ring=True)
    assert leds_for([call(CallState.RINGING, OUT)]) == HeadsetLeds(off_hook=True)
    assert leds_for([call(CallState.CONNECTED, muted=True)]) == HeadsetLeds(
        off_hook=True, mute=True
    )
    assert leds_for([call(CallState.HELD), call(CallState.INCOMING)]) == HeadsetLeds(
        off_hook=True, ring=True, hold=True
    )


# -- through the reader thread ----------------------------------------------------------------


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def _desk(tasks: TaskRunner, backend: FakeBackend) -> tuple[FakePhone, HeadsetButtons]:
    phone = FakePhone()
    buttons = HeadsetButtons(phone, tasks, backend_factory=lambda: backend)  # type: ignore[arg-type]
    return phone, buttons


def test_a_jabra_style_headset_answers_mutes_and_hangs_up_on_the_gui_thread(
    qtbot: object, tasks: TaskRunner
) -> None:
    rec = load(DATA / "jabra_style.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)  # type: ignore[attr-defined]
    (device,) = backend.opened
    phone.ring(7)
    qtbot.waitUntil(lambda: bytes.fromhex("02 14") in device.writes())  # type: ignore[attr-defined]
    device.press(bytes.fromhex("02 01"))  # lifted
    qtbot.waitUntil(lambda: ("answer", 7) in phone.done)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: device.writes()[-1] == bytes.fromhex("02 01"))  # type: ignore[attr-defined]
    device.press(bytes.fromhex("02 05"))  # mute pressed …
    device.press(bytes.fromhex("02 01"))  # … and released
    qtbot.waitUntil(lambda: ("mute", 7) in phone.done)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: device.writes()[-1] == bytes.fromhex("02 03"))  # type: ignore[attr-defined]
    device.press(bytes.fromhex("02 00"))  # put down
    qtbot.waitUntil(lambda: ("hangup", 7) in phone.done)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: device.writes()[-1] == bytes.fromhex("02 00"))  # type: ignore[attr-defined]
    assert phone.done == [("answer", 7), ("mute", 7), ("hangup", 7)]
    assert phone.threads == {threading.main_thread().name}
    buttons.close()
    assert device.closed


def test_answered_on_screen_the_headset_button_hangs_up(qtbot: object, tasks: TaskRunner) -> None:
    rec = load(DATA / "jabra_style.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    phone, buttons = _desk(tasks, backend)
    buttons.start("0b0e:0305")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)  # type: ignore[attr-defined]
    (device,) = backend.opened
    phone.ring(3)
    phone.answer(3)  # the agent clicked Answer: the off-hook LED goes on
    qtbot.waitUntil(lambda: device.writes()[-1:] == [bytes.fromhex("02 01")])  # type: ignore[attr-defined]
    device.press(bytes.fromhex("02 01"))  # the headset echoes its new state: nothing
    device.press(bytes.fromhex("02 00"))  # its button: hang up
    qtbot.waitUntil(lambda: ("hangup", 3) in phone.done)  # type: ignore[attr-defined]
    assert phone.done == [("answer", 3), ("hangup", 3)]
    buttons.close()


def test_no_hidapi_is_a_sentence_not_a_crash(tasks: TaskRunner) -> None:
    def missing() -> FakeBackend:
        raise HidUnavailableError("hidapi is not available (No module named 'hidraw')")

    phone = FakePhone()
    buttons = HeadsetButtons(phone, tasks, backend_factory=missing)  # type: ignore[arg-type]
    buttons.start("auto")
    assert "unavailable" in buttons.status
    assert "hidraw" in buttons.status
    phone.ring(1)  # calls go on
    buttons.close()


def test_no_headset_then_one_plugged_in_is_found(qtbot: object, tasks: TaskRunner) -> None:
    backend = FakeBackend()
    _phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "no USB telephony headset" in buttons.status)  # type: ignore[attr-defined]
    rec = load(DATA / "poly_style.hid")
    backend.devices[rec.info()] = rec.descriptor
    buttons._scan()  # what the rescan timer does every RESCAN_MS
    qtbot.waitUntil(lambda: "is ready" in buttons.status)  # type: ignore[attr-defined]
    buttons.close()


def test_unplugged_says_so_and_a_headset_that_cannot_be_opened_too(
    qtbot: object, tasks: TaskRunner
) -> None:
    rec = load(DATA / "epos_style.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    _phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)  # type: ignore[attr-defined]
    backend.opened[0].unplug()
    qtbot.waitUntil(lambda: "disconnected" in buttons.status)  # type: ignore[attr-defined]
    backend.refuse = "Permission denied: /dev/hidraw3"
    buttons._scan()
    qtbot.waitUntil(lambda: "Permission denied" in buttons.status)  # type: ignore[attr-defined]
    buttons.close()


def test_a_device_without_telephony_buttons_is_refused(qtbot: object, tasks: TaskRunner) -> None:
    mouse = bytes.fromhex("05 01 09 02 a1 01 09 30 15 81 25 7f 75 08 95 01 81 06 c0")
    rec = load(DATA / "poly_style.hid")
    backend = FakeBackend({rec.info(): mouse})
    _phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "no telephony buttons" in buttons.status)  # type: ignore[attr-defined]
    buttons.close()


def test_off_and_a_chosen_headset_that_is_missing(qtbot: object, tasks: TaskRunner) -> None:
    rec = load(DATA / "poly_style.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    _phone, buttons = _desk(tasks, backend)
    buttons.start("off")
    assert buttons.status == "Headset buttons are off."
    assert not backend.opened
    buttons.start("0b0e:0305")
    qtbot.waitUntil(lambda: "0b0e:0305) is not connected" in buttons.status)  # type: ignore[attr-defined]
    assert hb.RESCAN_MS > 0
    assert buttons._rescan.isActive()
    buttons.close()


_ACTIONS = {"hook_off": "answer", "mute": "mute", "hook_on": "hangup"}
_RECORDED = [r for r in recordings("recorded") if r.sequences]


@pytest.mark.parametrize("rec", _RECORDED, ids=lambda r: r.path.stem)
def test_a_recorded_headset_works_the_desk(
    qtbot: object, tasks: TaskRunner, rec: Recording
) -> None:
    """Each headset whose descriptor was recorded (tests/data/hid/rec_*.hid), through the reader
    thread and the desk: its first sequence (ring, answer from the headset, mute, hang up) is
    played as the device would send it, and the desk must answer, mute and hang up the call and
    write exactly the LED reports the file expects, in that device's report ids and bits."""
    backend = FakeBackend({rec.info(): rec.descriptor})
    phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)  # type: ignore[attr-defined]
    (device,) = backend.opened
    phone.ring(5)
    expected: list[tuple[str, int]] = []
    for step in rec.sequences[0].steps:
        if step.leds is not None:  # the desk drives these LEDs now: the last writes are these
            want = list(step.out)
            qtbot.waitUntil(lambda w=want: device.writes()[-len(w) :] == w)  # type: ignore[attr-defined]
            continue
        assert step.report is not None
        device.press(step.report)
        for event in step.events:
            expected.append((_ACTIONS[event], 5))
            qtbot.waitUntil(lambda e=expected[-1]: e in phone.done)  # type: ignore[attr-defined]
    assert phone.done == expected == [("answer", 5), ("mute", 5), ("hangup", 5)]
    buttons.close()


def test_a_recorded_gaming_headset_is_refused(qtbot: object, tasks: TaskRunner) -> None:
    rec = load(DATA / "rec_logitech_g535.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    _phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "no telephony buttons" in buttons.status)  # type: ignore[attr-defined]
    buttons.close()


def test_a_recorded_jabra_declines_with_its_reject_key(qtbot: object, tasks: TaskRunner) -> None:
    """BIZ 2400 II: the reject key is Button 7 at bit 11 of report 2 (byte 2, 0x08)."""
    rec = load(DATA / "rec_jabra_biz_2400_ii.hid")
    backend = FakeBackend({rec.info(): rec.descriptor})
    phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)  # type: ignore[attr-defined]
    (device,) = backend.opened
    phone.ring(4)
    qtbot.waitUntil(lambda: device.writes()[-1:] == [bytes.fromhex("02 24 00")])  # type: ignore[attr-defined]
    device.press(bytes.fromhex("02 00 08"))
    device.press(bytes.fromhex("02 00 00"))
    qtbot.waitUntil(lambda: ("reject", 4) in phone.done)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: device.writes()[-1:] == [bytes.fromhex("02 00 00")])  # type: ignore[attr-defined]
    assert phone.done == [("reject", 4)]
    buttons.close()


def test_a_dongle_enumerated_once_per_collection_is_found_by_its_telephony_one(
    qtbot: object, tasks: TaskRunner
) -> None:
    """hidapi's hidraw backend lists a device once per top-level collection (same path). The
    Poly BT700's telephony collection is the last of five in its recorded descriptor: the desk
    must find it there, open the device once and drive its LEDs."""
    rec = load(DATA / "rec_poly_bt700.hid")
    applications = parse(rec.descriptor).applications
    assert len(applications) == 5
    assert applications[-1] == 0x0B0005
    listed = {
        replace(rec.info(), usage_page=app >> 16, usage=app & 0xFFFF): rec.descriptor
        for app in applications
    }
    backend = FakeBackend(listed)
    phone, buttons = _desk(tasks, backend)
    buttons.start("auto")
    qtbot.waitUntil(lambda: "is ready" in buttons.status)  # type: ignore[attr-defined]
    (device,) = backend.opened
    phone.ring(6)
    ring = [bytes.fromhex(r) for r in ("21 01", "23 00", "24 00", "25 00")]
    qtbot.waitUntil(lambda: device.writes()[-4:] == ring)  # type: ignore[attr-defined]
    device.press(bytes.fromhex("20 01"))
    qtbot.waitUntil(lambda: ("answer", 6) in phone.done)  # type: ignore[attr-defined]
    assert len(backend.opened) == 1
    buttons.close()
