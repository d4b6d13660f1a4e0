"""The Tickets tab and the ticket form on the real local cache (offline: writes wait in the
outbox): the list views and search, SLA countdowns, creating a ticket with a desk number, every
allowed and refused workflow move, the complaint and handover rules, bad input."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.work import WorkService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from agent_desktop.ui.models.tickets_model import COLUMNS, Column, TicketTableModel, View
from agent_desktop.ui.panels.tickets_panel import TicketsPanel
from sync.cache import LocalCache
from sync.contract.records import Role
from tests.fakes.customers import NOW
from tests.fakes.work import EXPERT_ID, DeskSync, agent_grant

TIMEOUT = 10_000


@pytest.fixture
def panel(qtbot: QtBot, work: WorkService) -> TicketsPanel:
    panel = TicketsPanel(work)
    qtbot.addWidget(panel)
    panel.resize(1200, 500)
    panel.show()
    with qtbot.waitSignal(work.tickets_loaded, timeout=TIMEOUT):
        panel.start()
    return panel


def queued(cache: LocalCache, entity: str = "ticket") -> list[dict[str, Any]]:
    return [
        {"op": e.op, "path": e.operation.route().path, **(cache.body_for(e) or {})}
        for e in cache.outbox()
        if e.entity == entity
    ]


def open_form(qtbot: QtBot, panel: TicketsPanel, ticket_id: int) -> TicketForm:
    form = panel.open_ticket(ticket_id)
    qtbot.addWidget(form)
    qtbot.waitUntil(lambda: form.detail is not None, timeout=TIMEOUT)
    return form


def test_the_views_and_the_search(qtbot: QtBot, panel: TicketsPanel, qtmodeltester: Any) -> None:
    qtmodeltester.check(panel.model)
    assert sorted(panel.visible_numbers()) == ["SR-202611-00007", "SR-202611-00008"]  # mine
    for view, numbers in (
        (View.TEAM, ["SR-202611-00007", "SR-202611-00008", "SR-202611-00010"]),
        (View.OVERDUE, ["SR-202611-00008"]),
        (View.COMPLAINTS, ["SR-202611-00007"]),
        (View.ALL, ["SR-202611-00007", "SR-202611-00008", "SR-202611-00009", "SR-202611-00010"]),
    ):
        panel.set_view(view)
        assert sorted(panel.visible_numbers()) == numbers, view
    panel.search_edit.setText("SN-IP300")  # the serial of the pump: its tickets
    assert sorted(panel.visible_numbers()) == [
        "SR-202611-00007",
        "SR-202611-00008",
        "SR-202611-00009",
    ]
    panel.search_edit.setText("harbour")  # a customer, any case
    assert panel.visible_numbers() == ["SR-202611-00010"]
    panel.search_edit.setText("00009")
    assert panel.visible_numbers() == ["SR-202611-00009"]
    assert panel.count_label.text() == "1 of 4 tickets"


def test_sla_clocks_count_down_and_show_overdue_in_red(panel: TicketsPanel) -> None:
    model: TicketTableModel = panel.model
    rows = {model.line(r).number: r for r in range(model.rowCount())}
    response = model.index(rows["SR-202611-00007"], COLUMNS.index(Column.RESPONSE))
    assert model.data(response) == "2 h left"
    overdue = model.index(rows["SR-202611-00008"], COLUMNS.index(Column.RESOLVE))
    assert model.data(overdue) == "overdue 1 h"
    assert model.data(overdue, 9).name() == "#b00020"  # ForegroundRole
    resolved = model.index(rows["SR-202611-00009"], COLUMNS.index(Column.RESOLVE))
    assert model.data(resolved) == ""  # a resolved ticket's clocks are stopped


def test_a_new_ticket_gets_its_number_at_once_and_waits_to_sync(
    qtbot: QtBot, panel: TicketsPanel, work: WorkService, work_cache: LocalCache, tmp_path: Path
) -> None:
    panel.set_customer(1, contact_id=10, on_call=True)
    assert panel.new_button.isEnabled()
    panel.new_button.click()
    form = next(w for w in panel.window().findChildren(TicketForm) if w.ticket_id is None)
    qtbot.addWidget(form)
    qtbot.waitUntil(lambda: form.detail is not None, timeout=TIMEOUT)
    assert form.contact_combo.currentData() == 10  # the caller
    assert form.asset_combo.currentData() == 11  # the customer's only product
    assert form.handler_combo.currentData() == 1  # the agent
    assert "This call" in form.calls_list.item(0).text()
    form.save_button.click()  # nothing filled in
    assert form.errors["summary"].text() == "Say in one line what is wrong."
    assert form.errors["category"].text() == "Choose a category."
    form.summary_edit.setText("x" * 201)
    form.save_button.click()
    assert "At most 200 characters (now 201)." in form.errors["summary"].text()
    assert queued(work_cache) == []  # nothing saved half

    form.summary_edit.setText("输液泵 E-17 报警，管路已检查")
    form.category_combo.setCurrentIndex(form.category_combo.findData("fault"))
    form.subcategory_combo.setCurrentIndex(form.subcategory_combo.findData("fault.alarm"))
    form.priority_combo.setCurrentIndex(form.priority_combo.findData("P2"))
    form.content_edit.setPlainText("客户称夜间报警三次。")
    photo = tmp_path / "报警截图.png"
    photo.write_bytes(b"\x89PNG" + b"\0" * 2000)
    form.attach(str(photo))
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT) as saved:
        form.save_button.click()
        assert not form.save()  # a second click before the first is back: no second ticket
    assert saved.args[0] < 0  # a local id until the server has it
    number = f"SR-20261123-1-{work.device_id()}-001"  # day, agent, this PC, count
    assert work_cache.meta_value("device_id") == work.device_id()  # kept: made once
    assert form.number_label.text() == number  # read it to the caller now
    [sent] = queued(work_cache)
    assert sent["op"] == "create"
    assert sent["number"] == number
    assert (sent["contact_id"], sent["asset_id"], sent["category"]) == (10, 11, "fault.alarm")
    assert sent["attachments"] == [{"name": "报警截图.png", "size": 2004}]
    qtbot.waitUntil(lambda: number in panel.visible_numbers(), timeout=TIMEOUT)
    qtbot.waitUntil(form.banner.isVisible, timeout=TIMEOUT)
    assert "server gets it when online" in form.banner.text()
    assert form.moves_offered() == ["in_progress", "waiting_customer", "resolved", "cancelled"]
    # The next ticket of the day gets the next number.
    assert work_cache.numbers_like("ticket", "SR-20261123-1-") == [number]


def test_only_allowed_moves_are_offered_and_each_saves(
    qtbot: QtBot, panel: TicketsPanel, work_cache: LocalCache
) -> None:
    form = open_form(qtbot, panel, 22)  # new
    assert form.moves_offered() == ["in_progress", "waiting_customer", "resolved", "cancelled"]
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        form.findChild(type(form.save_button), "move_in_progress").click()
    qtbot.waitUntil(lambda: bool(queued(work_cache)), timeout=TIMEOUT)  # the writer's turn
    assert queued(work_cache)[-1]["status"] == "in_progress"
    qtbot.waitUntil(lambda: form.moves_offered()[:1] == ["waiting_customer"], timeout=TIMEOUT)
    assert form.moves_offered() == ["waiting_customer", "resolved", "cancelled"]
    assert "In progress" in form.status_label.text()
    resolved = open_form(qtbot, panel, 23)
    assert resolved.moves_offered() == ["in_progress", "closed"]  # reopen or close
    assert resolved.findChild(type(form.save_button), "move_in_progress").text() == "Reopen"


def test_a_lead_may_escalate_and_reassign_but_a_complaint_keeps_a_handler(
    qtbot: QtBot, work_cache: LocalCache, tasks: TaskRunner
) -> None:
    from typing import cast

    from agent_desktop.services.sync_service import SyncService

    lead = WorkService(
        cast(SyncService, DeskSync(work_cache, grant=agent_grant(Role.SUPERVISOR))),
        tasks,
        now=lambda: NOW,
    )
    try:
        panel = TicketsPanel(lead)
        qtbot.addWidget(panel)
        form = open_form(qtbot, panel, 22)
        assert "escalated" in form.moves_offered()
        assert form.handler_combo.isEnabled()
        complaint = open_form(qtbot, panel, 21)
        complaint.handler_combo.setCurrentIndex(complaint.handler_combo.findData(None))
        complaint.save_button.click()
        assert complaint.errors["handler_id"].text() == "A complaint must have a handler."
        assert queued(work_cache) == []
    finally:
        lead.close()


def test_an_agent_hands_over_to_an_expert_with_a_note(
    qtbot: QtBot, panel: TicketsPanel, work_cache: LocalCache
) -> None:
    form = open_form(qtbot, panel, 21)
    assert not form.handler_combo.isEnabled()  # reassigning is the lead's
    transfers: list[str] = []
    form.transfer_requested.connect(transfers.append)
    form.hand_over()
    qtbot.waitUntil(lambda: form.handover_dialog is not None, timeout=TIMEOUT)
    dialog = form.handover_dialog
    assert dialog is not None
    assert dialog.expert_combo.currentData() == EXPERT_ID  # the on-duty expert first
    assert "(on duty)" in dialog.expert_combo.currentText()
    assert not dialog.transfer_check.isEnabled()  # no call to transfer
    dialog.findChild(type(form.save_button), "handoverOk").click()
    assert dialog.note_error.text() == "Write the handover note: the expert reads it first."
    assert dialog.isVisible()
    dialog.note_edit.setPlainText("管路已换，仍报 E-17；请二线判断是否返厂。")
    dialog.findChild(type(form.save_button), "handoverOk").click()
    qtbot.waitUntil(lambda: bool(queued(work_cache)), timeout=TIMEOUT)
    [sent] = queued(work_cache)
    assert (sent["handler_id"], sent["handover_note"]) == (
        EXPERT_ID,
        "管路已换，仍报 E-17；请二线判断是否返厂。",
    )
    assert transfers == []


def test_the_handover_on_a_call_offers_the_consult_transfer(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    panel = TicketsPanel(work)
    qtbot.addWidget(panel)
    panel.set_customer(1, 10, on_call=True)
    form = open_form(qtbot, panel, 21)
    transfers: list[str] = []
    form.transfer_requested.connect(transfers.append)
    form.hand_over()
    qtbot.waitUntil(lambda: form.handover_dialog is not None, timeout=TIMEOUT)
    dialog = form.handover_dialog
    assert dialog is not None
    assert dialog.transfer_check.isEnabled()
    dialog.transfer_check.setChecked(True)
    dialog.note_edit.setPlainText("请接听：客户在线，E-17 持续报警")
    dialog.findChild(type(form.save_button), "handoverOk").click()
    assert transfers == ["8101"]  # the expert's extension: the window consults, then transfers


def test_the_form_counts_down_and_shows_the_clock_running_out(
    qtbot: QtBot, work_cache: LocalCache, tasks: TaskRunner
) -> None:
    from typing import cast

    from agent_desktop.services.sync_service import SyncService

    clock = [NOW]
    work = WorkService(cast(SyncService, DeskSync(work_cache)), tasks, now=lambda: clock[0])
    try:
        panel = TicketsPanel(work)
        qtbot.addWidget(panel)
        form = open_form(qtbot, panel, 21)
        assert form.response_label.text().startswith("2 h left")
        assert form.escalation_label.text() == "not escalated"
        assert "shown when online" in form.history_note.text()  # offline: said, not hidden
        clock[0] = NOW + timedelta(hours=3)
        form._show_clocks()  # the form's minute timer, now
        assert form.response_label.text().startswith("overdue 1 h")
        assert form.response_label.property("tone") == "sla_breached_strong"
    finally:
        work.close()


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        ("new", ["in_progress", "waiting_customer", "resolved", "cancelled"]),
        ("in_progress", ["waiting_customer", "resolved", "cancelled"]),
        ("waiting_customer", ["in_progress", "resolved", "cancelled"]),
        ("escalated", ["in_progress", "resolved", "cancelled"]),
        ("resolved", ["in_progress", "closed"]),
        ("closed", []),
        ("cancelled", []),
    ],
)
def test_each_status_offers_exactly_its_moves(
    qtbot: QtBot, panel: TicketsPanel, work_cache: LocalCache, status: str, offered: list[str]
) -> None:
    from sync.contract.wire import ChangeOut

    record = work_cache.get("ticket", 22)
    assert record is not None
    data = {**record.data, "status": status, "version": 2}
    work_cache.apply_changes(
        [ChangeOut(seq=500, entity="ticket", id=22, op="upsert", version=2, data=data)], 500
    ).result(timeout=5)
    form = open_form(qtbot, panel, 22)
    assert form.moves_offered() == offered  # an agent never escalates by hand


def test_the_form_calls_the_chosen_contact(qtbot: QtBot, panel: TicketsPanel) -> None:
    form = open_form(qtbot, panel, 21)
    assert form.contact_combo.currentData() == 10  # the ticket's contact
    assert form.call_contact_button.isEnabled()
    with qtbot.waitSignal(form.dial_requested, timeout=TIMEOUT) as dialled:
        form.call_contact_button.click()
    assert dialled.args == ["+8613800138000"]
    form.contact_combo.setCurrentIndex(0)  # "—": nobody to call
    assert not form.call_contact_button.isEnabled()
