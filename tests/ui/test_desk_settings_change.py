"""An admin's change of the desk settings reaching a desk mid wrap-up (the settings signal, as
SyncService emits it after ``desk_settings.changed``): the running wrap-up keeps its time and
the disposition the agent chose, even one the change removed; the next wrap-up takes the new
time and the panel lists the new codes."""

from __future__ import annotations

from typing import cast

from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from softphone import CallState, Phone
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.records import AgentState
from sync.contract.wire import DeskCode
from tests.fakes.customers import NOW
from tests.unit.test_agent_state import FakePhone, FakeSync


def offered_codes(panel: CustomerPanel) -> list[str]:
    combo = panel.disposition_combo
    return [str(combo.itemData(i)) for i in range(1, combo.count())]


def test_a_change_mid_wrap_up_applies_from_the_next_one(qtbot: QtBot) -> None:
    phone, sync = FakePhone(), FakeSync()
    agent = AgentStateService(cast(Phone, phone), cast(SyncService, sync))
    panel = CustomerPanel(lambda: NOW)
    qtbot.addWidget(panel)
    panel.set_dispositions(agent.settings.dispositions)
    sync.desk_settings_changed.connect(lambda s: panel.set_dispositions(s.dispositions))
    panel.wrap_up_done.connect(agent.finish_wrap_up)
    panel.wrap_up_draft.connect(agent.keep_wrap_up_draft)
    agent.wrap_up_started.connect(panel.start_wrap_up)
    agent.changed.connect(panel.show_status)
    panel.show()
    agent.sign_in()
    agent.request(AgentState.READY)

    for state in (CallState.INCOMING, CallState.CONNECTED, CallState.ENDED):
        phone.say(1, state)
    assert agent.status.state is AgentState.WRAP_UP
    assert agent.status.wrap_up_left_s == 30
    panel.disposition_combo.setCurrentIndex(panel.disposition_combo.findData("info"))

    changed = DEFAULT_DESK_SETTINGS.model_copy(
        update={
            "default_wrap_up_s": 12,
            "dispositions": [
                *(d for d in DEFAULT_DESK_SETTINGS.dispositions if d.code != "info"),
                DeskCode(code="upsell", en="Upsell offered", zh="已推荐升级"),
            ],
            "version": 2,
        }
    )
    sync.desk_settings = changed
    sync.desk_settings_changed.emit(changed)

    assert agent.status.wrap_up_left_s == 30  # the running wrap-up keeps its count
    assert panel.disposition_combo.currentData() == "info"  # chosen before: kept, with its label
    assert panel.disposition_combo.currentText() == "Information only"
    assert "upsell" in offered_codes(panel)
    panel.done_button.click()
    assert sync.created[-1][1]["disposition"] == "info"

    for state in (CallState.INCOMING, CallState.CONNECTED, CallState.ENDED):
        phone.say(2, state)
    assert agent.status.wrap_up_left_s == 12  # the next one takes the new time
    assert "info" not in offered_codes(panel)  # a new wrap-up offers only the current codes
    assert panel.disposition_combo.currentIndex() == 0
