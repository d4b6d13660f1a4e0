"""Field dispatch on the real cache (offline: writes wait in the outbox): a dispatch from a
ticket with the engineers filtered and ordered, bad input said next to each field with nothing
written, the visit report taken by phone and the re-dispatch linked to it, the day view, the
list model; and one dispatch that reaches the real backend."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.work import WorkService
from agent_desktop.ui.dialogs.dispatch_form import DispatchForm, to_qt
from agent_desktop.ui.models.dispatch_model import (
    STATUS_COL,
    SYNC_COL,
    DispatchFilterModel,
    DispatchTableModel,
)
from agent_desktop.ui.panels.dispatch_panel import DispatchPanel
from softphone import Phone
from sync.cache import LocalCache
from sync.contract.records import DispatchResult
from sync.work_views import DispatchLine, TicketLine
from tests.fakes.customers import NOW
from tests.fakes.rig import Rig

Json = dict[str, Any]
# Dispatch 31 (张工, planned) starts tomorrow 01:00 UTC: its day, in the desk's local time.
VISIT_31 = (NOW + timedelta(days=1)).replace(hour=1, minute=0)
VISIT_DAY = VISIT_31.astimezone().date()


def queued(cache: LocalCache) -> list[tuple[str, Json]]:
    return [(e.op, cache.body_for(e) or {}) for e in cache.outbox() if e.entity == "dispatch"]


def open_panel(qtbot: QtBot, work: WorkService, rows: int = 1) -> DispatchPanel:
    panel = DispatchPanel(work)
    qtbot.addWidget(panel)
    panel.resize(1280, 680)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() >= rows, timeout=5000)
    return panel


def ready(qtbot: QtBot, form: DispatchForm) -> DispatchForm:
    qtbot.waitUntil(
        lambda: form.save_button.isEnabled() or bool(form.errors["form"].text()), timeout=5000
    )
    qtbot.waitUntil(lambda: form.engineer_list.count() > 0, timeout=5000)
    return form


def refilter(qtbot: QtBot, form: DispatchForm, combo: QComboBox, value: str) -> None:
    with qtbot.waitSignal(form.engineers_loaded, timeout=5000):
        combo.setCurrentIndex(combo.findData(value))


def names(form: DispatchForm) -> list[str]:
    return [e.person.name for e in form.engineers()]


def on_visit_day(form: DispatchForm, qtbot: QtBot) -> None:
    start = datetime.combine(VISIT_DAY, time(14, 0), VISIT_31.astimezone().tzinfo)
    if form.visit_day == VISIT_DAY:
        form.start_edit.setDateTime(to_qt(start))
        return
    with qtbot.waitSignal(form.engineers_loaded, timeout=5000):
        form.start_edit.setDateTime(to_qt(start))


def below(label: QLabel, field: QWidget, form: QWidget) -> bool:
    """The message sits right under its field (the next row of the form)."""
    top = label.mapTo(form, label.rect().topLeft()).y()
    bottom = field.mapTo(form, field.rect().bottomLeft()).y()
    return label.isVisible() and 0 <= top - bottom <= 16


def test_a_dispatch_from_a_ticket_offers_engineers_by_skill_region_and_load(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    panel = open_panel(qtbot, work)
    assert not panel.new_button.isEnabled()  # no ticket yet
    form = ready(qtbot, panel.new_dispatch(21))
    assert panel.new_button.isEnabled()
    assert "SR-202611-00007" in form.heading.text()
    # The ticket's pump (输液泵 = Infusion Pumps) and the customer's address (北京市…).
    assert (form.skill, form.region) == ("Infusion Pumps", "北京")
    on_visit_day(form, qtbot)
    assert names(form) == ["张工"]
    assert form.engineer_list.item(0).text() == "张工 · level 4 · 北京 · 1 visit that day"
    assert form.address_edit.text() == "北京市东城区帅府园1号"
    assert form.contact_name_edit.text() == "王建国"
    assert form.contact_phone_edit.text() == "+8613800138000"
    # Widened to any region: still only 张工 has the skill. Monitors: both, lightest load first.
    refilter(qtbot, form, form.region_combo, "")
    assert names(form) == ["张工"]
    refilter(qtbot, form, form.skill_combo, "Patient Monitors")
    assert names(form) == ["周工", "张工"]
    assert [e.workload for e in form.engineers()] == [0, 1]
    refilter(qtbot, form, form.region_combo, "上海")
    assert names(form) == ["周工"]
    refilter(qtbot, form, form.region_combo, "北京")
    form.choose_engineer(11)
    form.method_combo.setCurrentIndex(form.method_combo.findData("on_site"))
    form.contact_phone_edit.setText("138 0013 8000")
    form.notes_edit.setPlainText("携带 E-17 压力传感器")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        form.save_button.click()

    [(op, body)] = queued(work_cache)
    assert op == "create"
    start = datetime.fromisoformat(body["window_start"])
    assert start.utcoffset() == timedelta(0)  # aware UTC on the wire
    assert start.astimezone().date() == VISIT_DAY
    assert datetime.fromisoformat(body["window_end"]) - start == timedelta(hours=2)
    assert {k: v for k, v in body.items() if not k.startswith("window")} == {
        "ticket_id": 21,
        "technician_id": 11,
        "technician": "张工",
        "method": "on_site",
        "address": "北京市东城区帅府园1号",
        "contact_name": "王建国",
        "contact_phone": "+8613800138000",
        "notes": "携带 E-17 压力传感器",
    }
    new_id = saved.args[0]
    qtbot.waitUntil(lambda: panel.model.row_of(new_id) is not None, timeout=5000)
    qtbot.waitUntil(lambda: panel.selected_id() == new_id, timeout=5000)
    line = panel.model.line(panel.model.row_of(new_id) or 0)
    assert (line.technician, line.state) == ("张工", "pending")
    row = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(new_id) or 0, 0)).row()
    assert panel.proxy.index(row, SYNC_COL).data() == "Waiting to sync"
    # The day view moved to the new visit: 张工 now has two that day.
    assert panel.day_view.engineer_id == 11
    assert {b.dispatch_id for b in panel.day_view.blocks()} == {31, new_id}


def test_bad_input_is_said_next_to_each_field_and_nothing_is_written(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    panel = open_panel(qtbot, work)
    form = ready(qtbot, panel.new_dispatch(21))
    form.end_edit.setDateTime(form.start_edit.dateTime().addSecs(-3600))
    form.choose_engineer(None)
    form.notes_edit.setPlainText("很" * 20_001)
    form.contact_phone_edit.setText("12345")
    form.contact_name_edit.setText("王" * 201)
    form.save_button.click()

    errors = form.errors
    assert errors["technician_id"].text() == "Choose the field engineer."
    assert errors["window_end"].text() == "The visit must end after it starts."
    assert errors["notes"].text() == "Too long: 20001 characters, at most 20000."
    assert errors["contact_name"].text() == "Too long: 201 characters, at most 200."
    assert errors["contact_phone"].text() == "“12345” is not a phone number we can dial."
    assert below(errors["window_end"], form.end_edit, form)
    assert below(errors["notes"], form.notes_edit, form)
    assert below(errors["contact_phone"], form.contact_phone_edit, form)
    assert below(errors["contact_name"], form.contact_name_edit, form)
    assert form.isVisible()
    assert queued(work_cache) == []
    # On-site with no address is refused too; a remote session needs none.
    form.address_edit.clear()
    form.save_button.click()
    assert errors["address"].text() == "An on-site visit needs the address."
    form.method_combo.setCurrentIndex(form.method_combo.findData("remote"))
    form.end_edit.setDateTime(form.start_edit.dateTime().addSecs(3600))
    form.notes_edit.setPlainText("远程查看报警日志")
    form.contact_phone_edit.setText("010-6529 5114 转 2301")
    form.contact_name_edit.setText("陈建国")
    form.choose_engineer(11)
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_button.click()
    assert not any(label.isVisible() for label in errors.values())
    [(_op, body)] = queued(work_cache)
    assert body["contact_phone"] == "+861065295114 ext. 2301"
    assert (body["method"], body["address"]) == ("remote", "")


def test_a_not_resolved_visit_is_reported_and_re_dispatched_linked_to_it(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    panel = open_panel(qtbot, work)
    panel.select_dispatch(31)
    assert panel.report_button.isEnabled()
    assert not panel.redispatch_button.isEnabled()  # still planned
    dialog = panel.report(31)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)
    assert "SR-202611-00007" in dialog.heading.text()
    dialog.save_button.click()  # no result chosen
    assert dialog.errors["result"].text() == "Choose how the visit ended."
    dialog.choose_result(DispatchResult.NOT_RESOLVED)
    dialog.save_button.click()  # no cause
    assert dialog.errors["cause"].text() == "Say what causes the fault, as far as it is known."
    assert dialog.errors["resolution"].isHidden()  # not needed when not resolved
    dialog.add_part("", 1)
    dialog.add_part("E-17 压力传感器", 0)
    dialog.save_button.click()
    assert "Part 1: enter the part's name." not in dialog.errors["parts_used"].text()
    assert "Part 2: the quantity must be a whole number" in dialog.errors["parts_used"].text()
    assert queued(work_cache) == []
    dialog.cause_edit.setPlainText("主板供电异常，需更换主板")
    dialog.resolution_edit.setPlainText("更换传感器后仍报警")
    item = dialog.parts.item(1, 1)
    assert item is not None
    item.setText("2")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    assert dialog.redispatch_button.isVisible()
    [(op, body)] = queued(work_cache)
    assert op == "update"
    assert {k: v for k, v in body.items() if k != "version"} == {
        "result": "not_resolved",
        "status": "failed",
        "cause": "主板供电异常，需更换主板",
        "resolution": "更换传感器后仍报警",
        "parts_used": [{"name": "E-17 压力传感器", "quantity": 2}],
    }

    dialog.redispatch_button.click()
    form = ready(qtbot, next(f for f in panel.findChildren(DispatchForm) if f.isVisible()))
    assert form.previous_dispatch_id == 31
    assert form.ticket_id == 21
    assert "not resolved" in form.previous_label.text()
    assert "主板供电异常" in form.previous_label.text()
    assert form.address_edit.text() == "北京市东城区帅府园1号"
    assert form.save_button.isEnabled()
    form.choose_engineer(11)
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_button.click()
    created = [b for op, b in queued(work_cache) if op == "create"]
    assert [(b["ticket_id"], b["previous_dispatch_id"]) for b in created] == [(21, 31)]
    # 31 left the open list (failed now); among all it says so, and may be re-dispatched.
    qtbot.waitUntil(
        lambda: panel.model.line(panel.model.row_of(31) or 0).status == "failed", timeout=5000
    )
    panel.set_group("all")
    panel.select_dispatch(31)
    row = panel.table.selectionModel().selectedRows()[0].row()
    assert panel.proxy.index(row, STATUS_COL).data() == "Failed · not resolved"
    assert panel.redispatch_button.isEnabled()


def test_an_open_visit_cannot_be_re_dispatched_nor_a_final_one_reported(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    form = DispatchForm(work, 21, previous_dispatch_id=31)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: bool(form.errors["form"].text()), timeout=5000)
    assert form.errors["form"].text() == "The earlier visit is still open: take its report first."
    assert not form.save_button.isEnabled()
    panel = open_panel(qtbot, work)
    dialog = panel.report(32)  # failed yesterday
    qtbot.waitUntil(lambda: bool(dialog.errors["form"].text()), timeout=5000)
    assert "already Failed" in dialog.errors["form"].text()
    assert not dialog.save_button.isEnabled()
    assert queued(work_cache) == []


def test_the_day_view_shows_the_engineers_planned_visit_and_the_list_filters(
    qtbot: QtBot, work: WorkService
) -> None:
    panel = open_panel(qtbot, work)
    # Open by default: the planned visit only; finished shows the failed one.
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.line(0).id == 31
    panel.set_group("finished")
    assert [panel.proxy.line(r).id for r in range(panel.proxy.rowCount())] == [32]
    panel.set_group("all")
    panel.search_edit.setText("周工")
    assert [panel.proxy.line(r).id for r in range(panel.proxy.rowCount())] == [32]
    panel.search_edit.clear()
    assert panel.proxy.rowCount() == 2
    # The day view starts at the next open visit: 张工's, that day.
    assert (panel.day_view.engineer_id, panel.day_view.day) == (11, VISIT_DAY)
    [block] = panel.day_view.blocks()
    assert block.dispatch_id == 31
    assert "SR-202611-00007" in block.title
    assert "北京协和医院 设备科" in block.title
    assert block.address == "北京市东城区帅府园1号"
    panel.day_view.show_day(12, VISIT_DAY)
    assert panel.day_view.blocks() == []
    assert panel.day_view.summary_label.text() == "No visits that day."
    with qtbot.waitSignal(panel.dial_requested, timeout=5000) as dialled:
        panel.select_dispatch(31)
        panel.call_button.click()
    assert dialled.args == ["+8613800138000"]
    with qtbot.waitSignal(panel.open_ticket_requested, timeout=1000) as opened:
        panel.ticket_button.click()
    assert opened.args == [21]


def test_the_dispatch_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, work: WorkService
) -> None:
    with qtbot.waitSignal(work.dispatches_loaded, timeout=5000) as loaded:
        work.load_dispatches()
    lines: list[DispatchLine] = loaded.args[0]
    model = DispatchTableModel()
    model.set_lines(lines)
    qtmodeltester.check(model)
    proxy = DispatchFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(3)
    qtmodeltester.check(proxy)
    proxy.set_group("all")
    proxy.set_text("SR-202611")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2


class RecordSignals(QObject):
    records_changed = Signal(object)


def test_a_dispatch_saved_to_the_cache_reaches_the_server(
    qtbot: QtBot, live_desk: tuple[Rig, Phone, AgentStateService]
) -> None:
    rig, _phone, _agent = live_desk
    work = WorkService(rig.sync, rig.sync.tasks)
    rig.sync.records_changed.connect(work.records_changed)
    try:
        with qtbot.waitSignal(work.tickets_loaded, timeout=5000) as tickets:
            work.load_tickets()
        lines: list[TicketLine] = tickets.args[0]
        ticket = next(t for t in lines if t.model == "PM-8000" and t.status != "closed")
        panel = open_panel(qtbot, work)
        form = ready(qtbot, panel.new_dispatch(ticket.id))
        assert (form.skill, form.region) == ("Patient Monitors", "北京")
        assert names(form)[0] == "张工"
        form.choose_engineer(form.engineers()[0].person.id)
        form.notes_edit.setPlainText("live: 备用主板")
        with qtbot.waitSignal(form.saved, timeout=5000):
            form.save_button.click()
        cache = rig.sync.cache
        assert cache is not None
        rig.sync.sync_now()
        qtbot.waitUntil(
            lambda: not [e for e in cache.outbox() if e.entity == "dispatch"], timeout=15_000
        )
        on_server = rig.api("GET", f"/dispatches?ticket_id={ticket.id}")
        assert isinstance(on_server, list)
        [sent] = [d for d in on_server if d["notes"] == "live: 备用主板"]
        assert (sent["technician"], sent["status"]) == ("张工", "planned")
        assert sent["contact_phone"].startswith("+86")
    finally:
        work.close()
