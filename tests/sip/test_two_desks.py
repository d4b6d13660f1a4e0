"""Two desks' phones in one test process, each with its engine process (pjsua2 allows one
endpoint per process, so this was impossible before): an agent's desk talking to a customer,
and a lead's desk whose monitor leg joins that call with a grant the agent's desk checks
across its engine's channel, then leaves. No phantom call is left on either side."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import (
    MONITOR_HEADER,
    CallInfo,
    CallState,
    MonitorInfo,
    MonitorMode,
    Phone,
    PhoneConfig,
)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
GRANT = "g-two-desks"
WAIT_MS = 15_000


@pytest.fixture
def desks(qtbot: QtBot) -> Iterator[tuple[Phone, Phone]]:
    agent, lead = Phone(), Phone()
    for phone in (agent, lead):
        phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    agent.wait_ready()
    lead.wait_ready()
    yield agent, lead
    lead.stop()
    agent.stop()


def test_a_lead_desk_monitors_an_agent_desk_in_the_same_process(
    qtbot: QtBot, desks: tuple[Phone, Phone]
) -> None:
    agent, lead = desks
    assert agent.engine_pid != lead.engine_pid
    asked: list[str] = []

    def authorise(token: str) -> MonitorMode | None:
        asked.append(token)
        return MonitorMode.LISTEN if token == GRANT else None

    agent.set_monitor_authoriser(authorise)
    offered: list[CallInfo] = []
    agent.incoming_call.connect(offered.append)
    monitors: list[MonitorInfo] = []
    agent.monitor_changed.connect(monitors.append)
    legs: list[CallInfo] = []
    lead.lead_leg_changed.connect(legs.append)
    lead_calls: list[CallInfo] = []
    lead.call_state_changed.connect(lead_calls.append)
    customer = subprocess.Popen(
        [sys.executable, "-m", "softphone.caller", f"sip:agent@{agent.local_address}",
         "--number", "13800138000", "--talk-s", "8"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=WAIT_MS)
        agent.answer(offered[0].call_id)
        qtbot.waitUntil(lambda: agent.active_call() is not None, timeout=WAIT_MS)
        leg = lead.dial(f"sip:agent@{agent.local_address}", {MONITOR_HEADER: GRANT})
        qtbot.waitUntil(
            lambda: (
                any(m.leg_id and not m.ended for m in monitors)
                and any(c.call_id == leg.call_id and c.state == CallState.CONNECTED for c in legs)
            ),
            timeout=WAIT_MS,
        )
        assert asked[0] == GRANT  # the agent's engine asked its desk across the channel
        joined = next(m for m in monitors if not m.ended)
        assert (joined.call_id, joined.mode) == (offered[0].call_id, MonitorMode.LISTEN)
        assert [c.call_id for c in agent.calls()] == [offered[0].call_id]  # the leg is no call
        assert lead.calls() == []  # nor one of the lead's
        assert lead_calls == []
        lead.hangup(leg.call_id)  # the lead leaves
        qtbot.waitUntil(lambda: any(m.ended for m in monitors), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: legs[-1].state == CallState.ENDED, timeout=WAIT_MS)
        assert agent.monitors() == []
        assert agent.active_call() is not None  # the customer is still with the agent
        agent.hangup(offered[0].call_id)
        qtbot.waitUntil(lambda: agent.calls() == [], timeout=WAIT_MS)
    finally:
        customer.kill()
        customer.wait(timeout=10)


@pytest.mark.parametrize("who_ends", ["customer", "agent"])
def test_the_leads_leg_ends_with_the_monitored_call_and_leaves_no_phantom(
    qtbot: QtBot, desks: tuple[Phone, Phone], who_ends: str
) -> None:
    """Issue 19: after a monitored call ended, the lead's phone kept a muted call for minutes
    and the leg popped an "unknown caller" 360. On two real desks: whoever ends the monitored
    call (the customer hanging up, or the agent), the lead's leg ends at once, and the lead's
    phone never had a call of its own (the screen pop listens to calls, never to legs)."""
    agent, lead = desks
    agent.set_monitor_authoriser(lambda token: MonitorMode.LISTEN if token == GRANT else None)
    offered: list[CallInfo] = []
    agent.incoming_call.connect(offered.append)
    legs: list[CallInfo] = []
    lead.lead_leg_changed.connect(legs.append)
    lead_calls: list[CallInfo] = []
    lead.call_state_changed.connect(lead_calls.append)
    lead_rings: list[CallInfo] = []
    lead.incoming_call.connect(lead_rings.append)
    talk_s = "6" if who_ends == "customer" else "60"
    customer = subprocess.Popen(
        [sys.executable, "-m", "softphone.caller", f"sip:agent@{agent.local_address}",
         "--number", "13800138000", "--talk-s", talk_s],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=WAIT_MS)
        agent.answer(offered[0].call_id)
        qtbot.waitUntil(lambda: agent.active_call() is not None, timeout=WAIT_MS)
        leg = lead.dial(f"sip:agent@{agent.local_address}", {MONITOR_HEADER: GRANT})
        qtbot.waitUntil(
            lambda: any(c.call_id == leg.call_id and c.state == CallState.CONNECTED for c in legs),
            timeout=WAIT_MS,
        )
        if who_ends == "agent":
            agent.hangup(offered[0].call_id)
        # The customer's caller hangs up by itself after its talk time.
        qtbot.waitUntil(lambda: agent.calls() == [], timeout=WAIT_MS)
        qtbot.waitUntil(lambda: legs[-1].state == CallState.ENDED, timeout=WAIT_MS)
        assert agent.monitors() == []
        assert lead.calls() == []  # no muted call left on the lead's phone
        assert lead_calls == []  # never a call: nothing for the screen pop
        assert lead_rings == []
    finally:
        customer.kill()
        customer.wait(timeout=10)
