"""When the wrap-up countdown runs out, what the agent chose and typed in the real wrap-up panel
is saved: nothing the agent did is thrown away."""

from __future__ import annotations

from typing import cast

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from softphone import CallState, Phone
from sync.contract.desk import DEFAULT_DESK_SETTINGS, WRAP_UP_TIMED_OUT
from sync.contract.records import AgentState
from tests.fakes.customers import NOW
from tests.unit.test_agent_state import FakePhone, FakeSync

Rig = tuple[FakePhone, FakeSync, AgentStateService, CustomerPanel]


@pytest.fixture
def rig(qtbot: QtBot) -> Rig:
    phone, sync = FakePhone(), FakeSync()
    agent = AgentStateService(cast(Phone, phone), cast(SyncService, sync))
    agent.settings = DEFAULT_DESK_SETTINGS.model_copy(update={"default_wrap_up_s": 2})
    panel = CustomerPanel(lambda: NOW)
    qtbot.addWidget(panel)
    panel.set_dispositions(agent.settings.dispositions)
    # Wired as MainWindow.attach_desk wires them.
    panel.wrap_up_done.connect(agent.finish_wrap_up)
    panel.wrap_up_draft.connect(agent.keep_wrap_up_draft)
    agent.wrap_up_started.connect(panel.start_wrap_up)
    agent.changed.connect(panel.show_status)
    panel.show()
    agent.sign_in()
    agent.request(AgentState.READY)
    return phone, sync, agent, panel


def talk_and_hang_up(phone: FakePhone, call_id: int) -> None:
    phone.say(call_id, CallState.INCOMING)
    phone.say(call_id, CallState.CONNECTED)
    phone.say(call_id, CallState.ENDED)


def test_a_timed_out_wrap_up_saves_the_chosen_disposition_and_the_notes(
    qtbot: QtBot, rig: Rig
) -> None:
    phone, sync, agent, panel = rig
    talk_and_hang_up(phone, 1)
    assert panel.wrap_up.isVisible()
    panel.disposition_combo.setCurrentIndex(panel.disposition_combo.findData("callback"))
    panel.wrap_notes.setPlainText("客户明早九点回电，确认更换电池。")
    with qtbot.waitSignal(agent.wrap_up_ended, timeout=10_000):
        pass  # the countdown runs out; the agent never clicks Done
    entity, data = sync.created[-1]
    assert entity == "interaction"
    assert (data["disposition"], data["notes"]) == ("callback", "客户明早九点回电，确认更换电池。")
    assert agent.status.state == AgentState.READY
    qtbot.waitUntil(lambda: not panel.wrap_up.isVisible(), timeout=5000)


def test_a_timed_out_wrap_up_without_a_disposition_keeps_the_notes_marked_timed_out(
    qtbot: QtBot, rig: Rig
) -> None:
    phone, sync, agent, panel = rig
    talk_and_hang_up(phone, 2)
    panel.wrap_notes.setPlainText("型号 IP-300，序列号待客户补充")
    with qtbot.waitSignal(agent.wrap_up_ended, timeout=10_000):
        pass
    data = sync.created[-1][1]
    assert (data["disposition"], data["notes"]) == (
        WRAP_UP_TIMED_OUT,
        "型号 IP-300，序列号待客户补充",
    )
    # The next call's wrap-up starts empty: the last one's draft is not carried over.
    talk_and_hang_up(phone, 3)
    with qtbot.waitSignal(agent.wrap_up_ended, timeout=10_000):
        pass
    assert (sync.created[-1][1]["disposition"], sync.created[-1][1]["notes"]) == (
        WRAP_UP_TIMED_OUT,
        "",
    )
