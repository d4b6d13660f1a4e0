"""Administration ▸ SLA policies and escalation (issue 27), standalone against the real backend:
the admin reads the policies, builds a three-level chain with the centre's level names and turns
on the survey trigger, saves (the server has it); a save on a stale version shows the other
admin's policies and overwrites nothing; an agent's desk is refused by the server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox, QTableWidgetItem
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.services.sla_admin import SlaAdminService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.admin.escalation_page import (
    C_AFTER,
    C_LABEL_EN,
    C_LABEL_ZH,
    C_TARGET,
    C_USER,
    EscalationPage,
)
from agent_desktop.ui.admin.pages import ADMIN_PAGES
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.proxy import FaultProxy
from tests.fakes.servers import LiveBackend

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite")
    yield server
    server.stop()


@pytest.fixture
def signed_in(
    qtbot: QtBot,
    tmp_path: Path,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
    backend: LiveBackend,
) -> Iterator[Callable[..., SyncService]]:
    syncs: list[SyncService] = []

    def sign_in(user: str, via: str | None = None) -> SyncService:
        sync = SyncService(tasks, messages, tmp_path / f"profile-{user}", poll_interval_s=3600)
        gui_thread.watch(sync, session)
        session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
        session.sign_in(via or backend.url, user, "demo1234", remember=False)
        qtbot.waitUntil(lambda: sync.client_factory is not None, timeout=TIMEOUT_MS)
        syncs.append(sync)
        return sync

    yield sign_in
    for sync in syncs:
        sync.close_now()


def _page(
    qtbot: QtBot, sync: SyncService, tasks: TaskRunner, gui: OffThreadEmits
) -> EscalationPage:
    service = SlaAdminService(sync, tasks)
    gui.watch(service)
    page = EscalationPage(service)
    qtbot.addWidget(page)
    page.show()
    return page


def _admin_http(url: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(
        f"{url}/api/v1/auth/login", json={"username": "admin", "password": "demo1234"}, timeout=10
    )
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def _set_level(
    page: EscalationPage, row: int, after: float, target: str, labels: tuple[str, str], user: int
) -> None:
    table = page.chain_table
    hours = table.cellWidget(row, C_AFTER)
    goes_to = table.cellWidget(row, C_TARGET)
    user_box = table.cellWidget(row, C_USER)
    assert isinstance(hours, QDoubleSpinBox)
    assert isinstance(goes_to, QComboBox)
    assert isinstance(user_box, QSpinBox)
    hours.setValue(after)
    goes_to.setCurrentIndex(goes_to.findData(target))
    user_box.setValue(user)
    table.setItem(row, C_LABEL_EN, QTableWidgetItem(labels[0]))
    table.setItem(row, C_LABEL_ZH, QTableWidgetItem(labels[1]))


def test_the_page_is_registered_for_the_sla_permission() -> None:
    assert [(p.permission, p.title()) for p in ADMIN_PAGES] == [
        ("sla.manage", "SLA policies and escalation")
    ]


def test_an_admin_builds_a_three_level_chain_and_saves_it(
    qtbot: QtBot,
    signed_in: Callable[..., SyncService],
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
    backend: LiveBackend,
) -> None:
    page = _page(qtbot, signed_in("admin"), tasks, gui_thread)
    qtbot.waitUntil(page.save_button.isEnabled, timeout=TIMEOUT_MS)
    assert "Version 1" in page.status_label.text()
    assert page.chain_table.rowCount() == 2  # the server's default chain: lead, then admins
    http = _admin_http(backend.url)
    users = {u["username"]: u for u in http.get(f"{backend.url}/api/v1/users", timeout=10).json()}
    page.add_level()
    _set_level(page, 1, 48, "team_manager", ("service manager", "服务经理"), 0)
    _set_level(page, 2, 72, "user", ("director", "总监"), users["admin"]["id"])
    page.survey_spin.setValue(2)
    page.save_button.click()
    qtbot.waitUntil(lambda: "Saved: version 2" in page.status_label.text(), timeout=TIMEOUT_MS)
    stored: dict[str, Any] = http.get(f"{backend.url}/api/v1/sla-policies", timeout=10).json()
    levels = stored["chains"][0]["levels"]
    assert [(lv["after_hours"], lv["target"]) for lv in levels] == [
        (24, "team_lead"),
        (48, "team_manager"),
        (72, "user"),
    ]
    assert (levels[1]["label_en"], levels[1]["label_zh"]) == ("service manager", "服务经理")
    assert levels[2]["user_id"] == users["admin"]["id"]
    assert stored["survey_escalates_at"] == 2
    audit = http.get(f"{backend.url}/api/v1/audit", timeout=10).json()
    assert any(a["action"] == "sla.policies.change" for a in audit)


def test_a_save_on_a_stale_version_shows_the_other_admins_and_overwrites_nothing(
    qtbot: QtBot,
    signed_in: Callable[..., SyncService],
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
    backend: LiveBackend,
) -> None:
    page = _page(qtbot, signed_in("admin"), tasks, gui_thread)
    qtbot.waitUntil(page.save_button.isEnabled, timeout=TIMEOUT_MS)
    http = _admin_http(backend.url)  # the other admin, from another desk
    url = f"{backend.url}/api/v1/sla-policies"
    theirs = http.get(url, timeout=10).json()
    theirs["repeat_complaint_days"] = 14
    assert http.put(url, json=theirs, timeout=10).status_code == 200
    page.survey_spin.setValue(1)
    page.save_button.click()
    qtbot.waitUntil(
        lambda: "saved the policies first" in page.status_label.text(), timeout=TIMEOUT_MS
    )
    assert page.repeat_spin.value() == 14  # theirs, shown
    assert page.survey_spin.value() == 0  # mine, not saved
    stored = http.get(url, timeout=10).json()
    assert (stored["version"], stored["survey_escalates_at"]) == (2, None)


def test_an_agents_desk_is_refused_by_the_server(
    qtbot: QtBot,
    signed_in: Callable[..., SyncService],
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
) -> None:
    page = _page(qtbot, signed_in("wangfang"), tasks, gui_thread)
    qtbot.waitUntil(lambda: "Not done" in page.status_label.text(), timeout=TIMEOUT_MS)
    assert not page.save_button.isEnabled()


def test_a_server_before_contract_1_6_says_its_policy_is_fixed(
    qtbot: QtBot,
    signed_in: Callable[..., SyncService],
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
    backend: LiveBackend,
) -> None:
    # The real server behind a proxy that sends the 1.6 route to a path the server does not
    # serve: its own 404, as from a server before that route.
    proxy = FaultProxy(backend.url)
    proxy.break_route("GET", "/api/v1/sla-policies", "missing")
    try:
        page = _page(qtbot, signed_in("admin", proxy.url), tasks, gui_thread)
        qtbot.waitUntil(
            lambda: "before contract 1.6" in page.status_label.text(), timeout=TIMEOUT_MS
        )
        assert not page.save_button.isEnabled()
        assert page.reload_button.isEnabled()
    finally:
        proxy.stop()


def test_the_open_page_hears_of_another_admins_save(
    qtbot: QtBot,
    signed_in: Callable[..., SyncService],
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
    backend: LiveBackend,
) -> None:
    sync = signed_in("admin")
    page = _page(qtbot, sync, tasks, gui_thread)
    qtbot.waitUntil(page.save_button.isEnabled, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: sync.stream is not None, timeout=TIMEOUT_MS)
    http = _admin_http(backend.url)
    url = f"{backend.url}/api/v1/sla-policies"
    # A fresh stream starts at "now" when it connects: save until the page hears of one.
    for attempt in range(20):
        theirs = http.get(url, timeout=10).json()
        theirs["repeat_complaint_days"] = 10 + attempt
        assert http.put(url, json=theirs, timeout=10).status_code == 200
        try:
            qtbot.waitUntil(lambda: "Reload to see it" in page.status_label.text(), timeout=500)
        except qtbot.TimeoutError:
            continue
        break
    assert "Reload to see it" in page.status_label.text()
    page.reload_button.click()
    qtbot.waitUntil(
        lambda: "as stored on the server" in page.status_label.text(), timeout=TIMEOUT_MS
    )
    assert page.repeat_spin.value() == http.get(url, timeout=10).json()["repeat_complaint_days"]


def test_an_admin_names_a_teams_manager(
    qtbot: QtBot,
    signed_in: Callable[..., SyncService],
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
    backend: LiveBackend,
) -> None:
    page = _page(qtbot, signed_in("admin"), tasks, gui_thread)
    qtbot.waitUntil(lambda: page.manager_table.rowCount() > 0, timeout=TIMEOUT_MS)
    http = _admin_http(backend.url)
    api = f"{backend.url}/api/v1"
    users = {u["username"]: u for u in http.get(f"{api}/users", timeout=10).json()}
    team = users["wangfang"]["team_id"]
    box = page.findChild(QComboBox, f"manager_{team}")
    assert box is not None
    assert box.currentData() == 0  # none yet
    assert users["alice"]["display_name"] not in [box.itemText(i) for i in range(box.count())]
    box.setCurrentIndex(box.findData(users["liuyang"]["id"]))
    box.activated.emit(box.currentIndex())  # as a pick with the mouse or keys does
    qtbot.waitUntil(lambda: "is set" in page.status_label.text(), timeout=TIMEOUT_MS)
    teams = {t["id"]: t for t in http.get(f"{api}/teams", timeout=10).json()}
    assert teams[team]["manager_id"] == users["liuyang"]["id"]
