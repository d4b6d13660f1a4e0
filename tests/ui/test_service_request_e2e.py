"""End to end, the service request's whole life: a real SIP call from SIPp rings the real
softphone, the 360 pops the caller, the agent registers a ticket on the call (wrap-up links the
call), dispatches an engineer, the engineer reports the visit through the API as the
technician, the agent resolves the ticket, the server plans the satisfaction callback, the
agent calls back with a score and closes the ticket. The server's record and history are
checked at each step. Everything the agent does goes through the real windows, cache, outbox
and sync."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.ui.dialogs.dispatch_form import DispatchForm
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from softphone import CallState, Phone
from sync.contract.records import AgentState
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


class Server:
    """The backend as one user sees it (one sign-in, reused)."""

    def __init__(self, url: str, user: str) -> None:
        self.url = url
        self.http = requests.Session()
        answer = self.http.post(
            f"{url}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
        )
        answer.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {answer.json()['token']}"

    def get(self, path: str) -> Any:
        answer = self.http.get(f"{self.url}/api/v1{path}", timeout=10)
        answer.raise_for_status()
        return answer.json()

    def put(self, path: str, body: dict[str, Any]) -> Any:
        answer = self.http.put(
            f"{self.url}/api/v1{path}",
            json=body,
            timeout=10,
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert answer.status_code < 300, answer.text
        return answer.json()


def synced(qtbot: QtBot, rig: Rig, condition: Any) -> None:
    """Push and pull until ``condition()`` holds (the desk polls only hourly in tests)."""

    def check() -> bool:
        if condition():
            return True
        rig.sync.sync_now()
        return False

    qtbot.waitUntil(check, timeout=TIMEOUT_MS)


def test_call_ticket_dispatch_report_callback_closed(  # noqa: PLR0915 (one story, in order)
    qtbot: QtBot, live_desk: tuple[Rig, Phone, AgentStateService], tmp_path: Path
) -> None:
    rig, phone, agent = live_desk
    window = rig.window
    desk = window.work_desk
    assert desk is not None
    agent_view = Server(rig.backend.url, "wangfang")
    engineer = Server(rig.backend.url, "zhanggong")
    customer = window.customer_panel
    agent.request(AgentState.READY)

    # 1. The call: the caller is known before hello.
    caller = Sipp("uac_caller_id", tmp_path, remote=phone.local_address,
                  fields=["赵敏", "13800138000"])  # fmt: skip
    try:
        qtbot.waitUntil(
            lambda: customer.greeting_label.text() == "您好，赵女士", timeout=TIMEOUT_MS
        )
        [ringing] = phone.calls()
        assert ringing.state == CallState.INCOMING
        phone.answer(ringing.call_id)
        qtbot.waitUntil(lambda: agent.status.state == AgentState.ON_CALL, timeout=TIMEOUT_MS)
        # 2. The ticket, born on the call (the caller hangs up meanwhile: wrap-up links it).
        customer.new_ticket_button.click()
        form = next(f for f in window.findChildren(TicketForm) if f.ticket_id is None)
        qtbot.waitUntil(lambda: form.detail is not None, timeout=TIMEOUT_MS)
        form.asset_combo.setCurrentIndex(
            form.asset_combo.findText("PM-8000", Qt.MatchFlag.MatchContains)
        )
        form.summary_edit.setText("监护仪 PM-8000 血氧读数丢失，已换探头")
        form.category_combo.setCurrentIndex(form.category_combo.findData("fault"))
        form.subcategory_combo.setCurrentIndex(form.subcategory_combo.findData("fault.reading"))
        form.priority_combo.setCurrentIndex(form.priority_combo.findData("P2"))
        with qtbot.waitSignal(form.saved, timeout=TIMEOUT_MS):
            form.save_button.click()
        number = form.number
        assert number.startswith("SR-")  # read to the caller at once
        qtbot.waitUntil(lambda: caller.finished, timeout=TIMEOUT_MS)
        assert caller.process.returncode == 0, caller.report()
    finally:
        caller.stop()
    qtbot.waitUntil(customer.wrap_up.isVisible, timeout=TIMEOUT_MS)
    customer.disposition_combo.setCurrentIndex(customer.disposition_combo.findData("ticket"))
    customer.wrap_notes.setPlainText("建单并安排上门")
    customer.done_button.click()

    assert form.detail is not None
    customer_id = form.detail.customer_id

    def server_ticket() -> dict[str, Any] | None:
        found = agent_view.get(f"/tickets?customer_id={customer_id}")
        return next((t for t in found if t["number"] == number), None)

    def linked_calls() -> list[dict[str, Any]]:
        found = server_ticket()
        calls = agent_view.get(f"/customers/{customer_id}/interactions")
        return [c for c in calls if found and found["id"] in c["ticket_ids"]]

    synced(qtbot, rig, lambda: bool(linked_calls()))
    ticket = server_ticket()
    assert ticket is not None
    assert (ticket["category"], ticket["priority"], ticket["status"]) == (
        "fault.reading",
        "P2",
        "new",
    )
    [call] = linked_calls()
    assert (call["disposition"], call["remote_number"]) == ("ticket", "13800138000")
    qtbot.waitUntil(lambda: form.ticket_id == ticket["id"], timeout=TIMEOUT_MS)  # renumbered

    # 3. Dispatch from the ticket.
    form.dispatch_button.click()
    qtbot.waitUntil(lambda: bool(window.findChildren(DispatchForm)), timeout=TIMEOUT_MS)
    dispatch_form = window.findChildren(DispatchForm)[-1]
    qtbot.waitUntil(lambda: dispatch_form.engineer_list.count() > 0, timeout=TIMEOUT_MS)
    assert dispatch_form.engineers()[0].person.name == "张工"  # monitors, 北京, free
    dispatch_form.choose_engineer(dispatch_form.engineers()[0].person.id)
    dispatch_form.notes_edit.setPlainText("带备用探头和主板")
    with qtbot.waitSignal(dispatch_form.saved, timeout=TIMEOUT_MS):
        dispatch_form.save_button.click()

    def server_dispatch() -> dict[str, Any] | None:
        found = agent_view.get(f"/dispatches?ticket_id={ticket['id']}")
        return next((d for d in found if d["notes"] == "带备用探头和主板"), None)

    synced(qtbot, rig, lambda: server_dispatch() is not None)
    visit = server_dispatch()
    assert visit is not None
    assert (visit["technician"], visit["status"]) == ("张工", "planned")

    # 4. The engineer reports the visit from the field (the API, as the technician).
    mine = engineer.get("/dispatches/mine")
    assert visit["id"] in [d["id"] for d in mine]
    engineer.put(
        f"/dispatches/{visit['id']}/feedback",
        {
            "version": visit["version"],
            "result": "resolved",
            "cause": "SpO2 模块接触不良",
            "resolution": "更换 SpO2 模块，观察 2 小时读数稳定",
            "parts_used": [{"name": "SpO2 模块", "quantity": 1}],
        },
    )

    # 5. The agent resolves the ticket; the server plans the satisfaction callback.
    cache = rig.sync.cache
    assert cache is not None

    def reported_here() -> bool:
        record = cache.get("dispatch", visit["id"])
        return record is not None and record.data["status"] == "done"

    synced(qtbot, rig, reported_here)
    qtbot.waitUntil(lambda: "resolved" in form.moves_offered(), timeout=TIMEOUT_MS)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT_MS):
        form.findChild(type(form.save_button), "move_resolved").click()

    def survey() -> dict[str, Any] | None:
        tasks = agent_view.get("/tasks")
        return next((t for t in tasks if t["ticket_id"] == ticket["id"]), None)

    synced(qtbot, rig, lambda: survey() is not None)
    task = survey()
    assert task is not None
    assert (task["kind"], task["status"]) == ("survey", "open")

    # 6. The callback: reached, score 5, the ticket closed.
    callbacks = desk.callbacks
    synced(qtbot, rig, lambda: callbacks.model.row_of(task["id"]) >= 0)
    window.work_area.setCurrentWidget(callbacks)
    callbacks.select_task(task["id"])
    qtbot.waitUntil(lambda: callbacks.current_task is not None, timeout=TIMEOUT_MS)
    callbacks.findChild(QAbstractButton, "outcome_reached").click()
    callbacks.findChild(QAbstractButton, "score_5").click()
    callbacks.comments_edit.setPlainText("客户满意，读数稳定")
    qtbot.waitUntil(callbacks.close_ticket_check.isVisible, timeout=TIMEOUT_MS)
    assert callbacks.close_ticket_check.isChecked()
    with qtbot.waitSignal(callbacks.saved, timeout=TIMEOUT_MS):
        callbacks.save_button.click()

    def closed() -> bool:
        found = agent_view.get(f"/tickets/{ticket['id']}")
        return bool(found["status"] == "closed")

    synced(qtbot, rig, closed)
    done = survey()
    assert done is not None
    assert (done["status"], done["satisfaction"], done["outcome_code"]) == ("done", 5, "reached")
    history = agent_view.get(f"/tickets/{ticket['id']}/history")
    steps = [(h["field"], h["new"]) for h in history]
    assert steps[0] == ("created", number)
    assert ("status", "resolved") in steps
    assert steps[-1] == ("status", "closed")
    reported = agent_view.get(f"/dispatches?ticket_id={ticket['id']}")
    assert [(d["status"], d["result"]) for d in reported] == [("done", "resolved")]
