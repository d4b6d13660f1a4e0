"""End to end: the queue on the call. SIPp (the PBX) offers the real desk two calls on two
dialled numbers — the VIP hotline (named by the site's dial plan from the Request-URI) and the
complaints line (named by the PBX's ``X-Queue`` header). Each call's wrap-up gets its queue's
time from the centre's desk settings (60 s and 90 s, not the default 30 s), each interaction
reaches the server with its queue, and the lead's board counts each queue's calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from softphone import CallState, Phone
from softphone.dial_plan import DialPlan
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.records import AgentState
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp
from tests.sip.conftest import finish
from tests.ui.conftest import LiveDesk

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000
VIP, COMPLAINTS = "VIP hotline", "Complaints"
SITE = DialPlan(queue_numbers=("400-800-1234=VIP hotline",))


def take_a_call(
    qtbot: QtBot, phone: Phone, agent: AgentStateService, tmp_path: Path, dialled: str, h1: str
) -> None:
    """SIPp calls ``dialled``; the agent answers; the customer hangs up: wrap-up starts."""
    caller = Sipp(
        "uac_queue",
        tmp_path,
        remote=phone.local_address,
        service=dialled,
        fields=["客户", "13800138000"],
        extra=["-key", "h1", h1],
    )
    try:
        qtbot.waitUntil(lambda: bool(phone.calls()), timeout=TIMEOUT_MS)
        ringing = phone.calls()[0]
        assert ringing.state == CallState.INCOMING
        assert ringing.dialled_number == dialled
        phone.answer(ringing.call_id)
        finish(qtbot, caller)  # talked, then hung up
    finally:
        caller.stop()
    qtbot.waitUntil(lambda: agent.wrapping is not None, timeout=TIMEOUT_MS)


def board_queues(rig: Rig) -> dict[str, dict[str, object]]:
    day = rig.api("GET", "/wallboard/today", "zhangwei")  # wangfang's team lead
    assert isinstance(day, dict)
    return {q["name"]: q for q in day["queues"]}


def test_two_dialled_numbers_give_their_queues_wrap_up_and_board_figures(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk], tmp_path: Path
) -> None:
    assert DEFAULT_DESK_SETTINGS.wrap_up_s == {VIP: 60, COMPLAINTS: 90}  # what the server sends
    rig, phone, agent = make_live_desk(dial_plan=SITE)
    before = board_queues(rig)
    assert VIP not in before
    assert COMPLAINTS not in before
    agent.request(AgentState.READY)

    take_a_call(qtbot, phone, agent, tmp_path, "4008001234", "X-Filler: -")
    assert agent.wrapping is not None
    assert agent.wrapping.queue == VIP
    assert agent.status.wrap_up_left_s == 60
    agent.finish_wrap_up("resolved", "VIP 客户")

    take_a_call(qtbot, phone, agent, tmp_path, "4008009999", f"X-Queue: {COMPLAINTS}")
    assert agent.wrapping is not None
    assert agent.wrapping.queue == COMPLAINTS
    assert agent.status.wrap_up_left_s == 90
    agent.finish_wrap_up("complaint", "投诉")

    qtbot.waitUntil(
        lambda: VIP in board_queues(rig) and COMPLAINTS in board_queues(rig), timeout=TIMEOUT_MS
    )
    after = board_queues(rig)
    for name in (VIP, COMPLAINTS):
        assert after[name]["offered"] == 1
        assert after[name]["answered"] == 1
        assert after[name]["abandoned"] == 0
    found = rig.api("GET", "/customers/lookup?phone=13800138000")
    assert isinstance(found, list)
    history = rig.api("GET", f"/customers/{found[0]['id']}/interactions")
    assert isinstance(history, list)
    queues = {i["queue"]: i["disposition"] for i in history if i["queue"] in (VIP, COMPLAINTS)}
    assert queues == {VIP: "resolved", COMPLAINTS: "complaint"}
