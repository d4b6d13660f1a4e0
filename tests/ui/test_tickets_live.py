"""The ticket form against the real backend: a complaint escalating on the server's clock and
the form showing to whom and when; a ticket registered while the server is down and sent when
it is back; a move made on a stale copy becoming a conflict, never an overwrite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import requests
from pytestqt.qtbot import QtBot

from agent_desktop.ui.dialogs.ticket_form import TicketForm
from server_stub.clock import ManualClock
from sync.clock import system_clock
from sync.contract.records import TicketStatus
from tests.ui.conftest import LiveDesk

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


def as_user(url: str, user: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(
        f"{url}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
    )
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def new_ticket(qtbot: QtBot, desk: LiveDesk, complaint: bool = False) -> TicketForm:
    rig, _phone, _agent = desk
    work_desk = rig.window.work_desk
    assert work_desk is not None
    cache = rig.sync.cache
    assert cache is not None
    customer = next(r for r in cache.all("customer") if r.data["code"] == "C-100001")
    form = work_desk.tickets.new_ticket(customer.id)
    qtbot.waitUntil(lambda: form.detail is not None, timeout=TIMEOUT_MS)
    form.summary_edit.setText("设备科投诉：工程师两次爽约" if complaint else "监护仪报警")
    branch = "complaint" if complaint else "fault"
    form.category_combo.setCurrentIndex(form.category_combo.findData(branch))
    form.complaint_check.setChecked(complaint)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT_MS):
        form.save_button.click()
    return form


def synced(qtbot: QtBot, desk: LiveDesk, condition: Callable[[], bool]) -> None:
    rig = desk[0]

    def check() -> bool:
        if condition():
            return True
        rig.sync.sync_now()
        return False

    qtbot.waitUntil(check, timeout=TIMEOUT_MS)


def test_a_complaint_escalates_on_the_server_clock_and_the_form_says_to_whom(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    # The server's clock starts where the desk's does (the run's, pinned or not), then moves.
    clock = ManualClock(system_clock().now())
    desk = make_live_desk(clock=clock, sla_interval_s=0.2, complaint_limit=timedelta(hours=1))
    form = new_ticket(qtbot, desk, complaint=True)
    synced(qtbot, desk, lambda: form.ticket_id is not None and form.ticket_id > 0)
    assert form.escalation_label.text() == "not escalated"
    assert "left" in form.response_label.text()
    clock.advance(timedelta(minutes=61))  # the complaint's hour runs out on the server
    synced(qtbot, desk, lambda: "escalated to 张伟" in form.escalation_label.text())
    assert "Escalated" in form.status_label.text()
    # The level and to whom (contract 1.6): the default chain's first level, the team lead.
    synced(qtbot, desk, lambda: "Level 1 · 张伟 (team lead)" in form.status_label.text())
    assert form.escalation_label.text().splitlines()[0] == "Level 1 · 张伟 (team lead)"
    history = [
        form.history_tree.topLevelItem(i).text(2)
        for i in range(form.history_tree.topLevelItemCount())
    ]
    assert "escalated_to" in history


def test_a_ticket_registered_offline_is_sent_when_the_server_is_back(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    desk = make_live_desk(proxy=True)
    rig = desk[0]
    rig.proxy.mode = "down"
    form = new_ticket(qtbot, desk)
    number = form.number
    qtbot.waitUntil(lambda: rig.sync.status.state == "offline", timeout=TIMEOUT_MS)
    qtbot.waitUntil(form.banner.isVisible, timeout=TIMEOUT_MS)
    assert "server gets it when online" in form.banner.text()
    work_desk = rig.window.work_desk
    assert work_desk is not None
    qtbot.waitUntil(lambda: number in work_desk.tickets.visible_numbers(), timeout=TIMEOUT_MS)
    rig.proxy.mode = "pass"
    synced(qtbot, desk, lambda: form.ticket_id is not None and form.ticket_id > 0)
    server = as_user(rig.backend.url, "wangfang")
    found = server.get(f"{rig.backend.url}/api/v1/tickets/{form.ticket_id}", timeout=10).json()
    assert found["number"] == number  # the number the caller was told
    qtbot.waitUntil(lambda: not form.banner.isVisible(), timeout=TIMEOUT_MS)


def test_a_move_on_a_stale_copy_becomes_a_conflict_not_an_overwrite(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    desk = make_live_desk(proxy=True)
    rig = desk[0]
    form = new_ticket(qtbot, desk)
    synced(qtbot, desk, lambda: form.ticket_id is not None and form.ticket_id > 0)
    ticket_id = form.ticket_id
    rig.proxy.mode = "down"  # this desk stops hearing the server
    alice = as_user(rig.backend.url, "alice")
    current: dict[str, Any] = alice.get(
        f"{rig.backend.url}/api/v1/tickets/{ticket_id}", timeout=10
    ).json()
    moved = alice.patch(
        f"{rig.backend.url}/api/v1/tickets/{ticket_id}",
        json={"version": current["version"], "status": "waiting_customer"},
        headers={"Idempotency-Key": "alice-waits"},
        timeout=10,
    )
    assert moved.status_code == 200, moved.text
    assert form.save(TicketStatus.RESOLVED)  # on the stale copy: still "new" here
    rig.proxy.mode = "pass"
    synced(qtbot, desk, rig.window.conflicts_button.isVisible)
    on_server = alice.get(f"{rig.backend.url}/api/v1/tickets/{ticket_id}", timeout=10).json()
    assert on_server["status"] == "waiting_customer"  # not overwritten
    qtbot.waitUntil(lambda: "conflict dialog" in form.banner.text(), timeout=TIMEOUT_MS)
