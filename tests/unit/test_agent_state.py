"""The agent-state rules agents most distrust in other desktops, on the real service with a
stand-in phone and a recording stand-in for the sync service."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import pytest
from pydantic import BaseModel
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.sync_service import SyncService
from softphone import CallDirection, CallInfo, CallState, Phone
from softphone.dial_plan import DialPlan
from sync.clock import system_clock
from sync.contract.desk import MISSED_CALL
from sync.contract.records import AgentState
from sync.contract.wire import DeskSettings
from sync.entities import create_payload


class FakePhone(QObject):
    incoming_call = Signal(object)
    call_state_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.wall_clock = system_clock().timestamp  # what a Phone stamps its calls with
        self.live: dict[int, CallInfo] = {}
        self.rejected: list[int] = []
        self.contact_uri = "sip:agent@127.0.0.1:5062"

    def calls(self) -> list[CallInfo]:
        return list(self.live.values())

    def call(self, call_id: int) -> CallInfo | None:
        return self.live.get(call_id)

    def reject(self, call_id: int, busy: bool = False) -> None:
        self.rejected.append(call_id)
        self.say(call_id, CallState.ENDED)

    def say(self, call_id: int, state: CallState, direction: CallDirection = CallDirection.INBOUND,
            reason: str = "") -> None:  # fmt: skip
        # Answered now (the call record is checked as the server checks it: a real talk time).
        connected = self.wall_clock() if state == CallState.CONNECTED else None
        info = CallInfo(call_id, direction, state, "sip:13800138000@pbx", "13800138000",
                        reason=reason, connected_at=connected)  # fmt: skip
        if state == CallState.ENDED:
            self.live.pop(call_id, None)
        else:
            self.live[call_id] = info
        if state == CallState.INCOMING:
            self.incoming_call.emit(info)
        self.call_state_changed.emit(info)


class FakeSync(QObject):
    desk_settings_changed = Signal(object)
    event_received = Signal(object)  # the lead's orders arrive as events

    def __init__(self) -> None:
        super().__init__()
        self.desk_settings: DeskSettings | None = None
        self.cache = object()
        self.presence: list[tuple[str, str]] = []
        self.created: list[tuple[str, dict[str, Any]]] = []

    def report_presence(self, state: str, reason: str = "", sip_uri: str = "") -> None:
        self.presence.append((state, reason))
        self.sip_uri = sip_uri

    def create(self, entity: str, data: dict[str, Any]) -> None:
        self.created.append((entity, data))

    def create_record(self, request: BaseModel) -> None:
        # As SyncService.create_record: the typed record becomes the outbox's payload here.
        self.create(*create_payload(request))


@pytest.fixture
def rig(qtbot: QtBot) -> tuple[FakePhone, FakeSync, AgentStateService]:
    phone, sync = FakePhone(), FakeSync()
    agent = AgentStateService(cast(Phone, phone), cast(SyncService, sync))
    agent.sign_in()
    return phone, sync, agent


def test_a_state_chosen_on_a_call_waits_until_the_call_and_wrap_up_end(
    rig: tuple[FakePhone, FakeSync, AgentStateService],
) -> None:
    phone, sync, agent = rig
    agent.request(AgentState.READY)
    phone.say(1, CallState.INCOMING)
    phone.say(1, CallState.CONNECTED)
    assert agent.status.state == AgentState.ON_CALL
    agent.request(AgentState.NOT_READY, "lunch")
    assert agent.status.state == AgentState.ON_CALL
    assert agent.status.pending == (AgentState.NOT_READY, "lunch")
    phone.say(1, CallState.ENDED)
    assert agent.status.state == AgentState.WRAP_UP
    assert agent.status.pending == (AgentState.NOT_READY, "lunch")
    agent.finish_wrap_up("resolved", "ok")
    assert (agent.status.state, agent.status.reason) == (AgentState.NOT_READY, "lunch")
    assert sync.presence[-1] == ("not_ready", "lunch")
    entity, data = sync.created[-1]
    assert entity == "interaction"
    assert data["disposition"] == "resolved"
    assert data["kind"] == "call_in"
    assert data["answered_at"] is not None


def test_after_a_call_the_desk_does_not_fall_back_to_just_signed_in(
    rig: tuple[FakePhone, FakeSync, AgentStateService],
) -> None:
    """Issue 19: "Not ready (Just signed in)" after calls, which the lead then saw. The desk's
    own guess is not restored; a reason the agent chose is."""
    phone, sync, agent = rig
    assert (agent.status.state, agent.status.reason) == (AgentState.NOT_READY, "signed_in")
    phone.say(1, CallState.INCOMING)
    phone.say(1, CallState.CONNECTED)
    phone.say(1, CallState.ENDED)
    agent.finish_wrap_up("resolved")
    assert (agent.status.state, agent.status.reason) == (AgentState.READY, "")
    assert sync.presence[-1] == ("ready", "")
    agent.request(AgentState.NOT_READY, "callback_work")
    phone.say(2, CallState.DIALING, CallDirection.OUTBOUND)
    phone.say(2, CallState.ENDED, CallDirection.OUTBOUND, reason="486 Busy Here")
    agent.finish_wrap_up("no_answer")
    assert (agent.status.state, agent.status.reason) == (AgentState.NOT_READY, "callback_work")


def test_a_call_left_ringing_is_declined_and_the_agent_goes_not_ready(
    qtbot: QtBot, rig: tuple[FakePhone, FakeSync, AgentStateService]
) -> None:
    phone, sync, agent = rig
    agent.settings = agent.settings.model_copy(update={"ring_no_answer_s": 1})
    agent.request(AgentState.READY)
    phone.say(7, CallState.INCOMING)
    qtbot.waitUntil(lambda: phone.rejected == [7], timeout=5000)
    assert (agent.status.state, agent.status.reason) == (AgentState.NOT_READY, MISSED_CALL)
    assert sync.created[-1][1]["disposition"] == "missed"
    assert agent.wrapping is None  # nothing to wrap up: the agent never spoke


def test_a_caller_who_hangs_up_while_ringing_is_written_without_a_wrap_up(
    rig: tuple[FakePhone, FakeSync, AgentStateService],
) -> None:
    phone, sync, agent = rig
    agent.request(AgentState.READY)
    phone.say(3, CallState.INCOMING)
    phone.say(3, CallState.ENDED, reason="487 Request Terminated")
    assert agent.status.state == AgentState.READY
    assert sync.created[-1][1]["disposition"] == "abandoned"
    assert sync.created[-1][1]["answered_at"] is None


def test_a_failed_outbound_call_gets_a_wrap_up_too(
    rig: tuple[FakePhone, FakeSync, AgentStateService],
) -> None:
    phone, sync, agent = rig
    agent.request(AgentState.READY)
    phone.say(4, CallState.DIALING, CallDirection.OUTBOUND)
    assert agent.status.state == AgentState.ON_CALL
    phone.say(4, CallState.ENDED, CallDirection.OUTBOUND, reason="486 Busy Here")
    assert agent.status.state == AgentState.WRAP_UP
    agent.finish_wrap_up("no_answer")
    assert agent.status.state == AgentState.READY
    assert sync.created[-1][1]["kind"] == "call_out"
    assert sync.created[-1][1]["talk_s"] == 0


def test_wrap_up_ends_by_itself_when_its_time_is_up(
    qtbot: QtBot, rig: tuple[FakePhone, FakeSync, AgentStateService]
) -> None:
    phone, sync, agent = rig
    agent.settings = agent.settings.model_copy(update={"default_wrap_up_s": 2})
    agent.request(AgentState.READY)
    phone.say(5, CallState.INCOMING)
    phone.say(5, CallState.CONNECTED)
    phone.say(5, CallState.ENDED)
    assert agent.status.wrap_up_left_s == 2
    qtbot.waitUntil(lambda: agent.status.state == AgentState.READY, timeout=5000)
    assert sync.created[-1][0] == "interaction"


def offered(call_id: int, **fields: Any) -> CallInfo:
    base = CallInfo(call_id, CallDirection.INBOUND, CallState.INCOMING, "sip:1@pbx", "13800138000")
    return replace(base, **fields)


def test_the_queue_of_a_call_drives_its_wrap_up_and_is_written_down(
    rig: tuple[FakePhone, FakeSync, AgentStateService],
) -> None:
    phone, sync, agent = rig
    agent.dial_plan = DialPlan(queue_numbers=("4008001234=VIP hotline",))
    by_header = offered(1, queue="Complaints", dialled_number="4008009999")
    by_plan = offered(2, dialled_number="400-800-1234")
    unknown = offered(3, dialled_number="4008000000")
    assert agent.queue_of(by_header) == "Complaints"  # the PBX's header wins
    assert agent.queue_of(by_plan) == "VIP hotline"
    assert agent.queue_of(unknown) == "4008000000"  # its own line on the board
    assert agent.queue_of(replace(by_header, direction=CallDirection.OUTBOUND)) == ""

    phone.incoming_call.emit(by_header)
    answered = replace(by_header, state=CallState.CONNECTED, connected_at=phone.wall_clock())
    phone.call_state_changed.emit(answered)
    phone.call_state_changed.emit(replace(by_header, state=CallState.ENDED))
    assert agent.status.state == AgentState.WRAP_UP
    assert agent.status.wrap_up_left_s == 90  # the centre's time for Complaints
    agent.finish_wrap_up("complaint")
    assert sync.created[-1][1]["queue"] == "Complaints"


def test_a_withheld_caller_is_written_down_as_withheld(
    rig: tuple[FakePhone, FakeSync, AgentStateService],
) -> None:
    phone, sync, _agent = rig
    call = offered(4, caller_withheld=True, remote_number="+8613800138000")
    phone.incoming_call.emit(call)
    phone.call_state_changed.emit(replace(call, state=CallState.ENDED))
    assert sync.created[-1][1]["remote_number"] == "withheld"
    assert sync.created[-1][1]["disposition"] == "abandoned"
