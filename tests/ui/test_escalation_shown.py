"""The escalation level and to whom (issue 27): "Level 2 · 刘洋 (service manager)" in English and
Chinese, and on the lead's board against the real backend as the chain climbs on the server's
clock. (The ticket form's live test is in ``test_tickets_live.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QCoreApplication, QSettings, QTranslator
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.wallboard import WallboardService, WorkItem
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.escalation_text import escalation_text
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.models.wallboard_model import W_KIND, WorkItemsModel
from server_stub.clock import ManualClock
from sync.clock import system_clock
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.servers import LiveBackend


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QCoreApplication) -> Iterator[str]:
    translator = QTranslator()
    if request.param != "en":
        qm = TRANSLATIONS_DIR / f"agent_desktop_{request.param}.qm"
        assert translator.load(str(qm)), f"{qm} is missing: run make translations"
        QCoreApplication.installTranslator(translator)
    yield request.param
    QCoreApplication.removeTranslator(translator)


CASES = [  # level, to whom, target, labels; English, Chinese
    (2, "王经理", "team_manager", ("service manager", "服务经理"),
     "Level 2 · 王经理 (service manager)", "第 2 级 · 王经理（服务经理）"),
    (1, "张伟", "team_lead", ("", ""), "Level 1 · 张伟 (team lead)", "第 1 级 · 张伟（组长）"),
    (3, "系统管理员", "user", ("director", ""), "Level 3 · 系统管理员 (director)",
     "第 3 级 · 系统管理员（director）"),
    (1, None, None, ("", ""), "Level 1", "第 1 级"),  # a server before contract 1.6
]  # fmt: skip


@pytest.mark.parametrize(("level", "to", "target", "labels", "en", "zh"), CASES)
def test_the_level_and_to_whom_in_both_languages(
    language: str,
    level: int,
    to: str | None,
    target: str | None,
    labels: tuple[str, str],
    en: str,
    zh: str,
) -> None:
    chinese = language != "en"
    assert escalation_text(level, to, target, *labels, chinese=chinese) == (zh if chinese else en)


def test_the_boards_row_says_the_level_and_to_whom(language: str, qapp: QCoreApplication) -> None:
    chinese = language != "en"
    model = WorkItemsModel(system_clock().now, chinese=chinese)
    model.set_lines(
        [
            WorkItem(
                key="ticket:1",
                kind="escalation",
                ticket_ids=(1,),
                title="SR-1",
                detail="投诉",
                level=2,
                escalated_to="王经理",
                escalation_target="team_manager",
                escalation_label_en="service manager",
                escalation_label_zh="服务经理",
            )
        ]
    )
    shown = model.index(0, W_KIND).data()
    assert shown == (
        "已升级：第 2 级 · 王经理（服务经理）"
        if chinese
        else "Escalated: Level 2 · 王经理 (service manager)"
    )


def _session(url: str, user: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(
        f"{url}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
    )
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def _ok(answer: requests.Response) -> Any:
    assert answer.status_code < 300, answer.text
    return answer.json()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(system_clock().now())


@pytest.fixture
def lead_board(
    qtbot: QtBot,
    tmp_path: Path,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
    layout_store: QSettings,
    gui_thread: OffThreadEmits,
    clock: ManualClock,
) -> Iterator[tuple[LiveBackend, WallboardService, MainWindow]]:
    # The test moves the server's clock by two days: the lead's session outlives them.
    backend = LiveBackend(
        tmp_path / "server.sqlite",
        clock=clock,
        sla_interval_s=0.2,
        token_lifetime=timedelta(days=7),
    )
    sync = SyncService(tasks, messages, tmp_path / "profile", poll_interval_s=3600)
    window = MainWindow(session, messages, layout_store)
    window.attach_sync(sync)
    service = WallboardService(sync, tasks, messages, layout_store, now=clock.now)
    window.attach_wallboard(service)
    gui_thread.watch(sync, service)
    qtbot.addWidget(window)
    session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
    sync.ready.connect(service.start)
    window.show()
    session.sign_in(backend.url, "zhangwei", "demo1234", remember=False)
    qtbot.waitUntil(lambda: service.loaded and sync.stream is not None, timeout=15_000)
    yield backend, service, window
    service.stop()
    sync.close_now()
    backend.stop()


@pytest.mark.slow
def test_the_leads_board_follows_the_chain_with_the_level_and_to_whom(
    qtbot: QtBot,
    lead_board: tuple[LiveBackend, WallboardService, MainWindow],
    clock: ManualClock,
) -> None:
    backend, service, window = lead_board
    url = f"{backend.url}/api/v1"
    admin = _session(backend.url, "admin")
    users = {u["username"]: u for u in _ok(admin.get(f"{url}/users", timeout=10))}
    agent = _session(backend.url, "wangfang")
    team = _ok(agent.get(f"{url}/me", timeout=10))["user"]["team"]["id"]
    manager = {"manager_id": users["liuyang"]["id"]}
    _ok(admin.put(f"{url}/teams/{team}/manager", json=manager, timeout=10))
    policies = _ok(admin.get(f"{url}/sla-policies", timeout=10))
    policies["chains"] = [
        {
            "category": "",
            "levels": [
                {"after_hours": 24, "target": "team_lead"},
                {
                    "after_hours": 48,
                    "target": "team_manager",
                    "label_en": "service manager",
                    "label_zh": "服务经理",
                },
            ],
        }
    ]
    _ok(admin.put(f"{url}/sla-policies", json=policies, timeout=10))
    customer = _ok(agent.get(f"{url}/customers", timeout=10))[0]
    ticket = _ok(
        agent.post(
            f"{url}/tickets",
            json={
                "customer_id": customer["id"],
                "category": "complaint",
                "summary": "设备科投诉",
                "complaint": True,
            },
            timeout=10,
        )
    )
    panel = window.wallboard_panel
    assert panel is not None

    def row_of_ticket() -> str:
        for line in panel.work.lines():
            if line.key == f"ticket:{ticket['id']}":
                return panel.work.kind_text(line)
        return ""

    clock.advance(timedelta(hours=24, seconds=1))
    qtbot.waitUntil(
        lambda: row_of_ticket() == "Escalated: Level 1 · 张伟 (team lead)", timeout=15_000
    )
    clock.advance(timedelta(hours=24))
    name = users["liuyang"]["display_name"]
    qtbot.waitUntil(
        lambda: row_of_ticket() == f"Escalated: Level 2 · {name} (service manager)",
        timeout=15_000,
    )
    assert service.loaded
