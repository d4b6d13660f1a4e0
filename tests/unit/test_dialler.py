"""The Dialler: click-to-dial through the dial plan, the extension sent as DTMF only once the
far end has answered, and never on a call that ended first."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from agent_desktop.services.dialler import Dialler
from softphone import CallDirection, CallInfo, CallState, Phone
from softphone.dial_plan import DialPlan


class FakePhone(QObject):
    call_state_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.dialled: list[str] = []
        self.keys: list[tuple[int, str]] = []
        self.live: dict[int, CallInfo] = {}

    def dial(self, target: str, headers: dict[str, str] | None = None) -> CallInfo:
        self.dialled.append(target)
        info = CallInfo(len(self.dialled), CallDirection.OUTBOUND, CallState.DIALING, "", target)
        self.live[info.call_id] = info
        return info

    def call(self, call_id: int) -> CallInfo | None:
        return self.live.get(call_id)

    def send_dtmf(self, call_id: int, digits: str) -> None:
        self.keys.append((call_id, digits))

    def move(self, call_id: int, state: CallState) -> None:
        info = replace(self.live[call_id], state=state)
        self.live[call_id] = info
        self.call_state_changed.emit(info)


def test_the_number_is_dialled_and_the_extension_keyed_after_the_answer(qtbot: QtBot) -> None:
    phone = FakePhone()
    dialler = Dialler(cast(Phone, phone), DialPlan(area_code="10", outside_line="9"),
                      dtmf_delay_ms=10)  # fmt: skip
    call = dialler.dial("+86 10 6529 5114 转 2301")
    assert phone.dialled == ["965295114"]
    assert dialler.pending_extension(call.call_id) == "2301"
    phone.move(call.call_id, CallState.RINGING)
    assert phone.keys == []  # nobody has answered: keys would be lost
    phone.move(call.call_id, CallState.CONNECTED)
    qtbot.waitUntil(lambda: phone.keys == [(call.call_id, "2301")], timeout=2000)
    assert dialler.pending_extension(call.call_id) == ""


def test_no_keys_on_a_call_that_ended_before_the_answer(qtbot: QtBot) -> None:
    phone = FakePhone()
    dialler = Dialler(cast(Phone, phone), DialPlan(), dtmf_delay_ms=10)
    call = dialler.dial("01065295114 ext. 2301")
    phone.move(call.call_id, CallState.ENDED)
    assert dialler.pending_extension(call.call_id) == ""
    plain = dialler.dial("sip:5000@127.0.0.1")
    assert phone.dialled[-1] == "sip:5000@127.0.0.1"
    assert dialler.pending_extension(plain.call_id) == ""
