"""Screen pop on the real panel and the real local cache (a SQLite file filled through the same
path a pull takes), driven by a stand-in phone that emits ``incoming_call`` like the softphone.
The lookup runs on the service's own thread; the tests wait for the panel to paint."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.screen_pop import ScreenPopService
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from softphone import CallDirection, CallInfo, CallState
from tests.fakes.customers import FakePhone, popped


@pytest.mark.parametrize(
    "number",
    [
        "13800138000",  # as a Chinese mobile trunk sends it
        "+8613800138000",
        "008613800138000",
        "8613800138000",  # country code without + or 00
        "013800138000",  # trunk prefix 0 in front of a mobile
        "138 0013 8000",
        "tel:+86-138-0013-8000",
    ],
)
def test_a_known_caller_pops_with_greeting_flags_and_open_work(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService], number: str
) -> None:
    phone, panel, service = desk
    pop = popped(qtbot, service, number, phone)
    assert pop.view is not None
    assert panel.greeting_label.text() == "您好，王先生"
    flags = panel.flags_label.text()
    assert "VIP" in flags
    assert "SR-202611-00007" in flags  # the open complaint, and its SLA due in 2 h
    assert "Warranty expired" in flags
    assert "Called 1 time(s) in 7 days" in flags or "Called 1 time in 7 days" in flags
    # A repeat caller with open work: the open work is what the panel shows first.
    assert panel.tabs.currentWidget() is panel.work_list
    work = [panel.work_list.item(i).text() for i in range(panel.work_list.count())]
    assert any("SR-202611-00007" in line for line in work)
    assert any("张工" in line for line in work)
    assert panel.assets_table.item(0, 1).text() == "SN-IP300-0001"
    actions = [panel.actions_list.item(i).text() for i in range(panel.actions_list.count())]
    assert any("输液管路" in a for a in actions), actions  # the consumable is due: offer it
    assert any("survey" in a for a in actions), actions


def test_an_extension_and_a_landline_with_its_area_code(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService]
) -> None:
    phone, panel, service = desk
    pop = popped(qtbot, service, "010-6552 1234 转 8021", phone)
    assert pop.lookup is not None
    assert pop.lookup.key == "+861065521234"
    assert len(pop.candidates) == 2  # a family and its clinic share the line: pick
    assert panel.pages.currentWidget() is panel.pick_list
    assert panel.pick_list.count() == 2
    with qtbot.waitSignal(service.popped, timeout=5000):
        panel.pick_list.itemClicked.emit(panel.pick_list.item(1))
    assert panel.view is not None
    assert panel.view.customer.name == "李家诊所"


def test_an_unknown_caller_offers_a_new_customer_and_search(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService]
) -> None:
    phone, panel, service = desk
    asked: list[str] = []
    panel.new_customer_requested.connect(asked.append)
    pop = popped(qtbot, service, "+8613911112222", phone)
    assert pop.view is None
    assert pop.offline  # no server to ask: said, not hidden
    assert panel.pages.currentWidget() is panel.unknown_page
    assert "Unknown caller" in panel.greeting_label.text()
    panel.new_customer_button.click()
    assert asked == ["+8613911112222"]  # the form comes prefilled with the number
    # Search by serial number, customer code and ticket number finds the customer.
    for text in ("SN-IP300-0001", "C-1", "SR-202611-00007", "协和"):
        panel.search_edit.setText(text)
        with qtbot.waitSignal(service.searched, timeout=5000):
            panel.search_edit.returnPressed.emit()
        rows = [panel.results.item(i).text() for i in range(panel.results.count())]
        assert any("北京协和医院" in r for r in rows), (text, rows)


@pytest.mark.parametrize("number", ["anonymous", "", "Restricted"])
def test_a_withheld_number_asks_for_the_name(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService], number: str
) -> None:
    phone, panel, service = desk
    pop = popped(qtbot, service, number, phone)
    assert pop.lookup is not None
    assert pop.lookup.withheld
    assert panel.greeting_label.text() == "Number withheld"


def test_garbage_in_the_caller_id_is_said_not_crashed(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService]
) -> None:
    phone, panel, service = desk
    pop = popped(qtbot, service, "8021", phone)  # an internal extension
    assert pop.view is None
    assert "not a phone number" in panel.name_label.text()


def test_an_english_customer_is_greeted_in_english_and_offline_is_said(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService]
) -> None:
    phone, panel, service = desk
    panel.set_stale("Offline: this is the copy on this PC, last synced at 09:58.")
    popped(qtbot, service, "+852 2834 5678", phone)
    assert panel.greeting_label.text() == "Hello, Ms. Johnson"
    assert panel.stale_label.isVisible()
    assert "09:58" in panel.stale_label.text()


def test_a_click_on_a_contact_number_dials_it(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService]
) -> None:
    phone, panel, service = desk
    popped(qtbot, service, "13800138000", phone)
    dialled: list[str] = []
    panel.dial_requested.connect(dialled.append)
    panel.contacts_table.cellDoubleClicked.emit(0, 2)
    assert dialled == ["+8613800138000"]


def test_a_call_in_the_history_shows_its_number_and_a_double_click_dials_it(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService]
) -> None:
    phone, panel, service = desk
    popped(qtbot, service, "13800138000", phone)
    timeline = panel.timeline
    calls = [
        timeline.topLevelItem(i)
        for i in range(timeline.topLevelItemCount())
        if "+8613800138000" in timeline.topLevelItem(i).text(2)  # type: ignore[union-attr]
    ]
    assert len(calls) == 1
    assert calls[0] is not None
    assert calls[0].text(2).startswith("☎ +8613800138000")
    dialled: list[str] = []
    panel.dial_requested.connect(dialled.append)
    timeline.itemDoubleClicked.emit(calls[0], 2)
    assert dialled == ["+8613800138000"]


def test_a_withheld_caller_found_by_the_asserted_number_is_never_shown_it(
    qtbot: QtBot, desk: tuple[FakePhone, CustomerPanel, ScreenPopService]
) -> None:
    phone, panel, service = desk
    call = CallInfo(9, CallDirection.INBOUND, CallState.INCOMING, "", "+8613900000000",
                    caller_withheld=True)  # fmt: skip
    with qtbot.waitSignal(service.popped, timeout=5000):
        phone.incoming_call.emit(call)
    assert panel.greeting_label.text() == "Number withheld"
    assert "13900000000" not in panel.name_label.text()
