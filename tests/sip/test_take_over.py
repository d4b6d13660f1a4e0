"""Take over moves the customer to the lead: two desks' phones in one test process (each with
its engine process, as in test_two_desks) and a customer's phone (our pjsua2 peer that follows
a REFER). The lead's leg joins in listen, the agent's desk is told "take over", REFERs the
customer with Replaces naming the leg; the customer's phone calls the lead's, which swaps the
leg for it. Afterwards the agent's desk has no call and no leg, the lead has the customer as an
ordinary call, and the agent's engine can be stopped without dropping the customer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from softphone import (
    MONITOR_HEADER,
    CallInfo,
    CallState,
    MonitorInfo,
    MonitorMode,
    Phone,
)
from tests.fakes.peers import peer, read_lines
from tests.sip.conftest import two_desks

pytestmark = pytest.mark.slow

GRANT = "g-take-over"
WAIT_MS = 15_000


@pytest.fixture
def desks(qtbot: QtBot) -> Iterator[tuple[Phone, Phone]]:
    yield from two_desks("agent", "lead")


def test_take_over_moves_the_customer_to_the_lead_and_frees_the_agent_desk(
    qtbot: QtBot, desks: tuple[Phone, Phone]
) -> None:
    agent, lead = desks
    agent.set_monitor_authoriser(lambda token: MonitorMode.LISTEN if token == GRANT else None)
    offered: list[CallInfo] = []
    agent.incoming_call.connect(offered.append)
    monitors: list[MonitorInfo] = []
    agent.monitor_changed.connect(monitors.append)
    legs: list[CallInfo] = []
    lead.lead_leg_changed.connect(legs.append)
    lead_offered: list[CallInfo] = []
    lead.incoming_call.connect(lead_offered.append)
    customer = peer(
        f"sip:agent@{agent.local_address}", "--number", "13800138000", "--talk-s", "60",
        "--accept-transfer",
    )  # fmt: skip
    said, _pump = read_lines(customer)
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=WAIT_MS)
        agent.answer(offered[0].call_id)
        qtbot.waitUntil(lambda: "CONNECTED agent" in said, timeout=WAIT_MS)
        leg = lead.dial(f"sip:agent@{agent.local_address}", {MONITOR_HEADER: GRANT})
        qtbot.waitUntil(
            lambda: any(c.call_id == leg.call_id and c.state == CallState.CONNECTED for c in legs),
            timeout=WAIT_MS,
        )
        joined = next(m for m in monitors if not m.ended)
        lead.set_mute(leg.call_id, True)  # as the lead's desk does in listen

        agent.set_monitor_mode(joined.leg_id, MonitorMode.TAKEOVER)  # the server's event

        # The customer's phone is now connected to the lead's desk.
        qtbot.waitUntil(lambda: "CONNECTED lead" in said, timeout=WAIT_MS)
        qtbot.waitUntil(
            lambda: [c.state for c in lead.calls()] == [CallState.CONNECTED], timeout=WAIT_MS
        )
        taken = lead.calls()[0]
        assert taken.call_id != leg.call_id
        assert taken.remote_number == "13800138000"  # the customer, not the agent's desk
        assert not taken.muted  # the lead's listen-mode mute stayed on the leg
        assert lead_offered == []  # it never rang (no 360 popped for the leg or the swap)
        # The leg is gone on both sides; the agent's desk has no call and no leg.
        qtbot.waitUntil(lambda: bool(legs) and legs[-1].state == CallState.ENDED, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: agent.calls() == [] and agent.monitors() == [], timeout=WAIT_MS)
        ended = [m for m in monitors if m.ended]
        assert [m.reason for m in ended] == ["taken over"]

        agent.stop()  # the agent's PC can be closed: the customer stays with the lead
        assert customer.poll() is None
        assert [c.state for c in lead.calls()] == [CallState.CONNECTED]
        lead.hangup(taken.call_id)
        qtbot.waitUntil(lambda: lead.calls() == [], timeout=WAIT_MS)
        assert customer.wait(timeout=15) == 0  # the customer's call ended with the lead's BYE
        assert said.count("CONNECTED lead") == 1
        assert said.count("CONNECTED agent") == 1
    finally:
        customer.kill()
        customer.wait(timeout=10)
