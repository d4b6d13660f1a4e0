"""Inline edit of the profile in the customer 360: on the real panel and the real local cache
(offline: the edit waits in the outbox), and end to end to the real backend."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.screen_pop import ScreenPopService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from agent_desktop.ui.panels.profile_editor import EMAIL_COL, NAME_COL, PHONE_COL
from softphone import Phone
from sync.cache import LocalCache
from sync.contract.wire import ChangeOut
from sync.entities import edit_payload
from tests.fakes.customers import FakePhone, customer, popped
from tests.fakes.rig import Rig

Desk = tuple[FakePhone, CustomerPanel, ScreenPopService]


class CacheSignals(QObject):
    """What SyncService does for the app: the cache's commits, as a signal on the GUI thread."""

    records_changed = Signal(object)


def watch(cache: LocalCache, service: ScreenPopService, tasks: TaskRunner) -> CacheSignals:
    signals = CacheSignals()
    signals.records_changed.connect(service.records_changed)
    cache.on_records_changed(partial(tasks.post, signals.records_changed.emit))
    return signals


def set_cell(panel: CustomerPanel, row: int, column: int, text: str) -> None:
    item = panel.profile_editor.contacts.item(row, column)
    assert item is not None
    item.setText(text)


def queued(cache: LocalCache) -> list[dict[str, Any]]:
    return [cache.body_for(e) or {} for e in cache.outbox() if e.entity == "customer"]


def test_the_agent_corrects_the_profile_on_the_call_and_it_waits_to_sync(
    qtbot: QtBot, desk: Desk, cache: LocalCache, tasks: TaskRunner
) -> None:
    phone, panel, service = desk
    signals = watch(cache, service, tasks)
    connect_save(panel, cache)
    popped(qtbot, service, "13800138000", phone)
    panel.contacts_table.item(0, 0).setCheckState(Qt.CheckState.Checked)  # name confirmed
    panel.edit_button.click()
    editor = panel.profile_editor
    assert panel.editing
    assert editor.name_edit.text() == "北京协和医院 设备科"
    assert editor.contacts.item(0, PHONE_COL).text() == "+8613800138000"
    editor.address_edit.setText("北京市东城区帅府园1号 新门诊楼3层")
    editor.add_contact_button.click()  # the caller gives a colleague's mobile
    set_cell(panel, 1, NAME_COL, "陈护士长")
    set_cell(panel, 1, PHONE_COL, "139 1111 2222")
    salutation = editor.contacts.cellWidget(1, 1)
    assert isinstance(salutation, QComboBox)
    salutation.setCurrentIndex(salutation.findData("ms"))
    with qtbot.waitSignal(service.popped, timeout=5000) as refreshed:
        editor.save_button.click()
    assert refreshed.args[0].refreshed

    assert not panel.editing
    assert "新门诊楼3层" in panel.address_label.text()
    assert "changes waiting to sync" in panel.name_label.text()
    assert panel.contacts_table.rowCount() == 2
    assert "+8613911112222" in panel.contacts_table.item(1, 2).text()
    # The tick the agent made before editing is still there: the refresh kept it.
    assert panel.verified()["王建国"] is True
    [body] = queued(cache)
    # Only what changed, and with an address change the identity checks ticked.
    assert set(body) == {"version", "address", "contacts", "checks"}
    assert body["checks"] == ["name"]  # the contact 王建国 was ticked
    assert body["contacts"][1] == {
        "name": "陈护士长",
        "phone": "+8613911112222",
        "email": "",
        "kind": "mobile",
        "salutation": "ms",
    }
    # The new number pops the customer at once, offline, from the pending record.
    pop = popped(qtbot, service, "13911112222", phone)
    assert pop.view is not None
    assert pop.view.customer.name == "北京协和医院 设备科"
    assert panel.greeting_label.text() == "您好，陈女士"
    del signals


def connect_save(panel: CustomerPanel, cache: LocalCache) -> None:
    """What MainWindow._save_profile does, for the panel alone."""
    panel.profile_edited.connect(
        lambda cid, changes: (
            cache.update("customer", cid, edit_payload(changes)[1]),
            panel.end_edit(),
        )
    )


def test_bad_input_is_said_next_to_each_field_and_nothing_is_saved(
    qtbot: QtBot, desk: Desk, cache: LocalCache
) -> None:
    phone, panel, service = desk
    connect_save(panel, cache)
    popped(qtbot, service, "13800138000", phone)
    panel.edit_button.click()
    editor = panel.profile_editor
    editor.name_edit.setText("   ")
    editor.address_edit.setText("路" * 501)
    set_cell(panel, 0, PHONE_COL, "12345")
    set_cell(panel, 0, EMAIL_COL, "wang at pumc")
    editor.add_contact_button.click()
    set_cell(panel, 1, PHONE_COL, "13911112222")  # a number with no name
    editor.save_button.click()

    assert panel.editing  # still open, with every problem said
    assert editor.errors["name"].text() == "Enter the customer's name."
    assert "500" in editor.errors["address"].text()
    contacts_error = editor.errors["contacts"].text()
    assert "Contact 1: “12345” is not a phone number we can dial." in contacts_error
    assert "Contact 1: “wang at pumc” is not an email address." in contacts_error
    assert "Contact 2: enter the contact's name." in contacts_error
    assert editor.contacts.item(0, PHONE_COL).background().color().name() == "#fde7e9"
    assert queued(cache) == []
    # Corrected, it saves; the highlights and messages go.
    editor.name_edit.setText("北京协和医院 设备科")
    editor.address_edit.setText("北京市东城区帅府园1号")
    set_cell(panel, 0, PHONE_COL, "+86 138 0013 8000")
    set_cell(panel, 0, EMAIL_COL, "wang@pumc.example.cn")
    set_cell(panel, 1, NAME_COL, "陈护士长")
    editor.save_button.click()
    assert not panel.editing
    qtbot.waitUntil(lambda: len(queued(cache)) == 1, timeout=5000)
    [body] = queued(cache)
    assert set(body) == {"version", "contacts"}
    assert body["contacts"][0]["email"] == "wang@pumc.example.cn"


def test_cancel_and_an_unchanged_save_send_nothing(
    qtbot: QtBot, desk: Desk, cache: LocalCache
) -> None:
    phone, panel, service = desk
    connect_save(panel, cache)
    popped(qtbot, service, "13800138000", phone)
    panel.edit_button.click()
    panel.profile_editor.address_edit.setText("somewhere else")
    panel.profile_editor.cancel_button.click()
    assert not panel.editing
    assert "帅府园1号" in panel.address_label.text()
    panel.edit_button.click()
    assert panel.profile_editor.address_edit.text() == "北京市东城区帅府园1号"  # not the draft
    panel.profile_editor.save_button.click()
    assert not panel.editing
    assert queued(cache) == []


def test_a_pull_refreshes_the_customer_on_screen_without_losing_the_agents_place(
    qtbot: QtBot, desk: Desk, cache: LocalCache, tasks: TaskRunner
) -> None:
    phone, panel, service = desk
    signals = watch(cache, service, tasks)
    popped(qtbot, service, "13800138000", phone)
    panel.address_check.setChecked(True)
    panel.tabs.setCurrentIndex(1)  # the agent is reading the products
    changed = customer(1, "北京协和医院 设备科", [("王建国", "+8613800138000", "mr")],
                       vip=True, notes="请走东门", version=2)  # fmt: skip
    with qtbot.waitSignal(service.popped, timeout=5000):
        cache.apply_changes(
            [ChangeOut(seq=100, entity="customer", id=1, op="upsert", version=2, data=changed)],
            100,
        ).result(timeout=5)
    assert "请走东门" in panel.notes_label.text()
    assert panel.tabs.currentIndex() == 1
    assert panel.address_check.isChecked()
    # While the agent edits, a refresh does not throw the draft away.
    panel.edit_button.click()
    panel.profile_editor.address_edit.setText("草稿地址")
    again = {**changed, "notes": "请走西门", "version": 3}
    with qtbot.waitSignal(service.popped, timeout=5000):
        cache.apply_changes(
            [ChangeOut(seq=101, entity="customer", id=1, op="upsert", version=3, data=again)],
            101,
        ).result(timeout=5)
    assert panel.editing
    assert panel.profile_editor.address_edit.text() == "草稿地址"
    del signals


def test_an_edit_reaches_the_server_and_the_new_number_pops_there_too(
    qtbot: QtBot, live_desk: tuple[Rig, Phone, AgentStateService], tmp_path: Path
) -> None:
    rig, _phone, _agent = live_desk
    panel = rig.window.customer_panel
    panel.search_edit.setText("C-100001")
    panel.search_edit.returnPressed.emit()
    qtbot.waitUntil(lambda: panel.results.count() > 0, timeout=10_000)
    panel.results.itemClicked.emit(panel.results.item(0))
    qtbot.waitUntil(lambda: panel.view is not None, timeout=10_000)
    assert panel.view is not None
    customer_id = panel.view.customer.id
    panel.edit_button.click()
    editor = panel.profile_editor
    editor.add_contact_button.click()
    row = editor.contacts.rowCount() - 1
    set_cell(panel, row, NAME_COL, "值班工程师")
    set_cell(panel, row, PHONE_COL, "010-6529 9999 转 12")
    editor.notes_edit.setPlainText("夜间请拨值班工程师")
    editor.save_button.click()
    assert not panel.editing
    rig.sync.sync_now()

    def on_server() -> dict[str, Any]:
        found = rig.api("GET", f"/customers/{customer_id}")
        assert isinstance(found, dict)
        return found

    qtbot.waitUntil(lambda: on_server()["notes"] == "夜间请拨值班工程师", timeout=15_000)
    contacts = on_server()["contacts"]
    assert {"name": "值班工程师", "phone_e164": "+861065299999", "extension": "12"}.items() <= (
        contacts[-1].items()
    )
    found = rig.api("GET", "/customers/lookup?phone=01065299999")
    assert isinstance(found, list)
    assert [c["id"] for c in found] == [customer_id]
    qtbot.waitUntil(lambda: "changes waiting to sync" not in panel.name_label.text(),
                    timeout=15_000)  # fmt: skip
