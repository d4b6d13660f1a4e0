"""Leaving the desk during a ring, a call or a wrap-up (issue 26): ``AgentStateService.
close_out`` ends the calls, writes each call's interaction once (with the wrap-up's notes so
far) and reports Logged out; on the real service with the stand-ins of ``test_agent_state``."""

from __future__ import annotations

from typing import Any, cast

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.sync_service import SyncService
from softphone import CallDirection, CallState, Phone
from sync.clock import system_clock
from sync.contract.desk import AUTOMATIC_DISPOSITIONS, DEFAULT_DESK_SETTINGS, ENDED_BY_SIGN_OUT
from sync.contract.records import AgentState
from sync.contract.wallboard import AgentCommandOut
from sync.contract.wire import EventOut
from tests.unit.test_agent_state import FakePhone, FakeSync


class HangingUpPhone(FakePhone):
    def __init__(self) -> None:
        super().__init__()
        self.hung_up: list[int] = []

    def hangup(self, call_id: int) -> None:
        # The engine answers later (at quit: maybe never); the call is still listed now.
        self.hung_up.append(call_id)

    def reject(self, call_id: int, busy: bool = False) -> None:
        self.rejected.append(call_id)  # as hangup: the ENDED comes later


Rig = tuple[HangingUpPhone, FakeSync, AgentStateService]


@pytest.fixture
def rig(qtbot: QtBot) -> Rig:
    phone, sync = HangingUpPhone(), FakeSync()
    agent = AgentStateService(cast(Phone, phone), cast(SyncService, sync))
    agent.sign_in()
    agent.request(AgentState.READY)
    return phone, sync, agent


def interactions(sync: FakeSync) -> list[dict[str, Any]]:
    return [data for entity, data in sync.created if entity == "interaction"]


def test_a_ringing_call_is_declined_and_written_and_the_agent_logged_out(rig: Rig) -> None:
    phone, sync, agent = rig
    phone.say(1, CallState.INCOMING)
    agent.close_out()
    assert phone.rejected == [1]  # the queue routes it on
    assert agent.status.state == AgentState.LOGGED_OUT
    assert sync.presence[-1] == ("logged_out", "")
    [written] = interactions(sync)
    assert written["disposition"] == ENDED_BY_SIGN_OUT
    assert written["answered_at"] is None
    assert written["ended_at"] is not None
    phone.say(1, CallState.ENDED)  # the engine's answer, later: nothing written twice
    assert len(interactions(sync)) == 1
    assert sync.presence[-1] == ("logged_out", "")


def test_a_live_call_is_hung_up_and_written_with_its_talk_and_hold(rig: Rig) -> None:
    phone, sync, agent = rig
    phone.say(2, CallState.INCOMING)
    phone.say(2, CallState.CONNECTED)
    agent.link_ticket(2, 77)
    agent.set_customer(2, 5)
    phone.say(2, CallState.HELD)
    agent.close_out()
    assert phone.hung_up == [2]
    [written] = interactions(sync)
    assert written["disposition"] == ENDED_BY_SIGN_OUT
    assert written["answered_at"] is not None
    assert (written["customer_id"], written["ticket_ids"]) == (5, [77])
    assert agent.wrapping is None  # no wrap-up opens for a desk that is going
    phone.say(2, CallState.ENDED)
    assert len(interactions(sync)) == 1
    assert agent.status.state == AgentState.LOGGED_OUT


def test_the_wrap_up_is_written_with_the_notes_so_far_and_the_queued_ones_too(rig: Rig) -> None:
    phone, sync, agent = rig
    for call_id in (3, 4):  # two calls, one held while the other talked: two wrap-ups due
        phone.say(call_id, CallState.INCOMING)
        phone.say(call_id, CallState.CONNECTED)
    phone.say(3, CallState.ENDED)
    phone.say(4, CallState.ENDED)
    assert agent.wrapping is not None
    assert agent.wrapping.call_id == 3
    agent.keep_wrap_up_draft("", "客户说明天再来电")  # typed, no disposition chosen yet
    ended: list[object] = []
    agent.wrap_up_ended.connect(ended.append)
    agent.close_out()
    by_call = {d["notes"]: d["disposition"] for d in interactions(sync)}
    assert by_call == {"客户说明天再来电": ENDED_BY_SIGN_OUT, "": ENDED_BY_SIGN_OUT}
    assert len(ended) == 1  # the panel closes its wrap-up form
    assert agent.wrapping is None
    assert agent.status.state == AgentState.LOGGED_OUT


def test_a_chosen_disposition_is_kept(rig: Rig) -> None:
    phone, sync, agent = rig
    phone.say(5, CallState.DIALING, CallDirection.OUTBOUND)
    phone.say(5, CallState.CONNECTED, CallDirection.OUTBOUND)
    phone.say(5, CallState.ENDED, CallDirection.OUTBOUND)
    agent.keep_wrap_up_draft("resolved", "已解决")
    agent.close_out()
    [written] = interactions(sync)
    assert (written["disposition"], written["notes"]) == ("resolved", "已解决")


def test_twice_writes_nothing_again(rig: Rig) -> None:
    phone, sync, agent = rig
    phone.say(6, CallState.INCOMING)
    phone.say(6, CallState.CONNECTED)
    agent.close_out()
    presence = len(sync.presence)
    agent.close_out()  # quit after a sign-out
    agent.sign_out()
    assert len(interactions(sync)) == 1
    assert len(sync.presence) == presence


def test_the_leads_log_out_signs_the_desk_out_now_even_on_a_call(rig: Rig) -> None:
    phone, sync, agent = rig
    sync.grant = type("Grant", (), {"user": type("User", (), {"id": 7})()})()  # type: ignore[attr-defined]
    phone.say(8, CallState.INCOMING)
    phone.say(8, CallState.CONNECTED)
    told: list[AgentCommandOut] = []
    agent.logged_out_by_lead.connect(told.append)
    at = system_clock().now()
    command = AgentCommandOut(
        user_id=7, team_id=1, state=AgentState.LOGGED_OUT, reason="", by_user_id=2,
        by_name="张伟", at=at,
    )  # fmt: skip
    data = command.model_dump(mode="json")
    sync.event_received.emit(EventOut(id=1, kind="presence.command", at=at, data=data))
    assert told == [command]  # the Workstation signs out (and so close_out) at once
    assert agent.status.pending != (AgentState.LOGGED_OUT, "")  # not left to after the call


def test_the_automatic_dispositions_have_labels_and_are_never_offered() -> None:
    offered = {code.code for code in DEFAULT_DESK_SETTINGS.dispositions}
    for code in AUTOMATIC_DISPOSITIONS:
        assert code.code not in offered
        assert code.en
        assert code.zh
