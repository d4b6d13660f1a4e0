"""End to end: a real SIP call from SIPp (caller id in the From header) rings the real softphone;
the customer 360 shows the right customer before the agent answers; the agent answers, the
customer hangs up, the agent completes wrap-up, and the interaction is on the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from softphone import CallState, Phone
from sync.contract.records import AgentState
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


def test_a_real_call_pops_the_customer_before_answer_and_wrap_up_reaches_the_server(
    qtbot: QtBot, live_desk: tuple[Rig, Phone, AgentStateService], tmp_path: Path
) -> None:
    rig, phone, agent = live_desk
    panel = rig.window.customer_panel
    agent.request(AgentState.READY)
    caller = Sipp("uac_caller_id", tmp_path, remote=phone.local_address,
                  fields=["赵敏", "13800138000"])  # fmt: skip
    try:
        qtbot.waitUntil(lambda: panel.greeting_label.text() == "您好，赵女士", timeout=TIMEOUT_MS)
        # Shown while it still rings: the agent greets by name on answering.
        ringing = phone.calls()
        assert [c.state for c in ringing] == [CallState.INCOMING]
        assert "北京协和医院" in panel.name_label.text()
        phone.answer(ringing[0].call_id)
        qtbot.waitUntil(lambda: agent.status.state == AgentState.ON_CALL, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: caller.finished, timeout=TIMEOUT_MS)  # the customer hangs up
        assert caller.process.returncode == 0, caller.report()
    finally:
        caller.stop()
    qtbot.waitUntil(panel.wrap_up.isVisible, timeout=TIMEOUT_MS)
    assert agent.status.state == AgentState.WRAP_UP
    panel.done_button.click()  # no disposition: refused, said next to it
    assert panel.wrap_error.isVisible()
    assert panel.wrap_up.isVisible()
    panel.disposition_combo.setCurrentIndex(panel.disposition_combo.findData("resolved"))
    panel.wrap_notes.setPlainText("客户询问输液泵报警，已指导处理。")
    panel.done_button.click()
    assert not panel.wrap_up.isVisible()
    assert agent.status.state == AgentState.READY  # back to where the agent was before

    customer_id = panel.view.customer.id if panel.view else 0

    def on_server() -> list[dict[str, object]]:
        found = rig.api("GET", f"/customers/{customer_id}/interactions")
        assert isinstance(found, list)
        return [i for i in found if i.get("disposition") == "resolved"
                and i.get("remote_number") == "13800138000"]  # fmt: skip

    qtbot.waitUntil(lambda: bool(on_server()), timeout=TIMEOUT_MS)
    record = on_server()[0]
    assert record["kind"] == "call_in"
    assert record["answered_at"] is not None
    assert record["notes"] == "客户询问输液泵报警，已指导处理。"
    assert int(record["talk_s"]) >= 0  # type: ignore[call-overload]
    presence = rig.api("GET", "/presence/me")
    assert isinstance(presence, dict)
    qtbot.waitUntil(
        lambda: rig.api("GET", "/presence/me")["state"] == "ready",  # type: ignore[index]
        timeout=TIMEOUT_MS,
    )
