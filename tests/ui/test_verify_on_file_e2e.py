"""Verify-on-file (issue 27) on a desk signed in to the real backend: the identity checks the
agent ticks in the 360 during a call are saved with the call's interaction (on the server), the
360's history line of that call says what was verified, and the centre's rule (desk settings,
changed by an admin while the desk runs) blocks an address change until the required check is
ticked; then the change reaches the server with its ticks."""

from __future__ import annotations

from typing import Any

import requests
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService, CallRecord
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from agent_desktop.ui.panels.profile_editor import ProfileEditor
from softphone import CallDirection, CallInfo, CallState, Phone
from sync.clock import system_clock
from sync.contract import version as contract
from tests.fakes.rig import Rig
from tests.sync.conftest import login
from tests.ui.test_wallboard_ui import stream_is_live

CALL = 9_000_001  # a call id the engine never hands out in this test
NUMBER = "13800138000"  # 王建国 of 北京协和医院 设备科 (C-100001)


def history_lines(panel: CustomerPanel) -> list[str]:
    return [
        panel.timeline.topLevelItem(i).text(2) for i in range(panel.timeline.topLevelItemCount())
    ]


def require_address(url: str) -> None:
    """An admin's change of the centre's settings, as this release's desks send it."""
    token = login(url, "admin")
    headers = {"Authorization": f"Bearer {token}", contract.HEADER: str(contract.CONTRACT)}
    settings = requests.get(f"{url}/api/v1/desk-settings", headers=headers, timeout=10).json()
    changed = settings | {"required_checks": {"address_change": ["address"]}}
    answer = requests.put(f"{url}/api/v1/desk-settings", json=changed, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text


def tick_contact(panel: CustomerPanel, row: int) -> None:
    item = panel.contacts_table.item(row, 0)
    assert item is not None
    item.setCheckState(Qt.CheckState.Checked)


def test_ticks_saved_with_the_interaction_shown_in_the_history_and_required_for_an_address_change(
    qtbot: QtBot, live_desk: tuple[Rig, Phone, AgentStateService]
) -> None:
    rig, _phone, agent = live_desk
    panel = rig.window.customer_panel
    # The call as the screen pop has it: the caller's customer on screen for call CALL.
    started = system_clock().timestamp() - 120
    call = CallInfo(CALL, CallDirection.INBOUND, CallState.CONNECTED, f"sip:{NUMBER}@pbx",
                    NUMBER, started_at=started, connected_at=started + 5)  # fmt: skip
    found = rig.api("GET", f"/customers/lookup?phone={NUMBER}")
    assert isinstance(found, list)
    customer_id = int(found[0]["id"])
    rig.window._pop.open_customer(customer_id, call)
    qtbot.waitUntil(lambda: panel.view is not None and panel.pop is not None, timeout=10_000)
    assert panel.view is not None
    assert panel.checks() == []

    # The agent verifies who is calling (the contact's tick) and the device's serial number.
    tick_contact(panel, 0)
    panel.serial_check.setChecked(True)
    assert panel.checks() == ["name", "serial"]
    ended = system_clock().timestamp()
    record = CallRecord(CALL, CallDirection.INBOUND, NUMBER, started, started + 5, ended,
                        customer_id=customer_id)  # fmt: skip
    agent.wrapping = record
    panel.serial_check.setChecked(False)
    panel.serial_check.setChecked(True)  # a tick in the wrap-up counts too
    assert record.checks == ["name", "serial"]
    agent.finish_wrap_up("resolved", "核对了序列号")
    rig.sync.sync_now()

    def on_server() -> list[dict[str, Any]]:
        rows = rig.api("GET", f"/customers/{customer_id}/interactions")
        assert isinstance(rows, list)
        return [r for r in rows if r["notes"] == "核对了序列号"]

    qtbot.waitUntil(lambda: bool(on_server()), timeout=15_000)
    assert on_server()[0]["checks"] == ["name", "serial"]
    # The 360's history line of that call says what was verified.
    qtbot.waitUntil(
        lambda: any("Verified: name, serial number" in line for line in history_lines(panel)),
        timeout=10_000,
    )

    # The centre now requires the address to be verified before an address change: the
    # desk hears of it on its event stream and follows at once.
    stream_is_live(qtbot, rig.sync, rig.backend.url)
    require_address(rig.backend.url)
    qtbot.waitUntil(
        lambda: (
            rig.sync.desk_settings is not None
            and rig.sync.desk_settings.required_checks == {"address_change": ["address"]}
        ),
        timeout=15_000,
    )
    panel.edit_button.click()
    editor: ProfileEditor = panel.profile_editor
    editor.address_edit.setText("北京市东城区帅府园1号 新门诊楼")
    editor.save_button.click()
    assert panel.editing  # blocked, saying which check is missing
    assert (
        editor.errors["address"].text() == "Verify the caller first: tick address on the profile."
    )
    panel.end_edit()
    panel.address_check.setChecked(True)
    panel.edit_button.click()
    editor.address_edit.setText("北京市东城区帅府园1号 新门诊楼")
    editor.save_button.click()
    assert not panel.editing
    rig.sync.sync_now()

    def address() -> str:
        found = rig.api("GET", f"/customers/{customer_id}")
        assert isinstance(found, dict)
        return str(found["address"])

    qtbot.waitUntil(lambda: address() == "北京市东城区帅府园1号 新门诊楼", timeout=15_000)
