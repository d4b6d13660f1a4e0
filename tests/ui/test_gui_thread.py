"""The threads rule on a live desk: whatever thread produced a value (the cache's writer, the
sync engine, the event stream, a service's own worker, the task runner's pool), every public
signal of the services is emitted on the GUI thread. A probe with a direct connection on each
signal (``gui_thread``) fails the test for any emission elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.kb import KbQuery
from agent_desktop.services.monitoring import MonitorService
from agent_desktop.services.wallboard import WallboardService
from agent_desktop.tasks import TaskRunner
from tests.fakes.gui_thread import OffThreadEmits
from tests.ui.conftest import LiveDesk

TIMEOUT = 10_000


def put_presence(url: str, username: str, state: str) -> None:
    token = requests.post(
        f"{url}/api/v1/auth/login", json={"username": username, "password": "demo1234"}, timeout=5
    ).json()["token"]
    answer = requests.put(
        f"{url}/api/v1/presence/me",
        json={"state": state, "reason": ""},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


def test_every_service_signal_reaches_the_gui_thread_on_a_live_desk(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    tasks: TaskRunner,
    messages: MessageBridge,
    layout_store: QSettings,
    gui_thread: OffThreadEmits,
) -> None:
    rig, phone, _agent = make_live_desk(user="zhangwei", with_kb=True)  # a lead: the wallboard
    sync, window = rig.sync, rig.window
    desk = window.work_desk
    assert desk is not None
    work, kb, pop = desk.work, desk.kb, window._pop
    assert kb is not None
    assert pop is not None
    wallboard = WallboardService(sync, tasks, messages, layout_store)
    monitor = MonitorService(phone, sync, tasks)
    gui_thread.watch(wallboard, monitor)
    assert "SyncService.records_changed" in gui_thread.watched
    assert "KbService.searched" in gui_thread.watched
    try:
        # A service's own worker (the screen pop's lookup, the work reads, the KB reader).
        with qtbot.waitSignal(pop.popped, timeout=TIMEOUT) as popped:
            pop.pop_number("13800138000")
        shown = popped.args[0].view if popped.args else None
        assert shown is not None, "the seeded caller is known"
        with qtbot.waitSignal(work.tickets_loaded, timeout=TIMEOUT):
            work.load_tickets()
        with qtbot.waitSignal(kb.searched, timeout=TIMEOUT):
            kb.search(KbQuery("报警"))
        # The task runner's pool (the wallboard's reads).
        with qtbot.waitSignal(wallboard.board_changed, timeout=TIMEOUT):
            wallboard.start()
        # The cache's writer thread (a commit), then the engine's (the push).
        customer_id = shown.customer.id
        with qtbot.waitSignal(sync.records_changed, timeout=TIMEOUT):
            sync.save("customer", customer_id, {"address": "北京市东城区帅府园1号 3层"})
        qtbot.waitUntil(lambda: sync.status.waiting == 0, timeout=TIMEOUT)
        # The event stream's thread.
        seen: list[Any] = []
        sync.event_received.connect(seen.append)
        for _attempt in range(40):
            put_presence(rig.backend.url, "alice", "ready")
            try:
                qtbot.waitUntil(lambda: bool(seen), timeout=250)
                break
            except qtbot.TimeoutError:
                continue
        assert seen, "the event stream never delivered"
        # The monitoring worker: the server answers (a grant, or a refusal in words).
        answered: list[object] = []
        monitor.failed.connect(answered.append)
        monitor.session_changed.connect(answered.append)
        monitor.start(999_999, "nobody")
        qtbot.waitUntil(lambda: bool(answered), timeout=TIMEOUT)
    finally:
        monitor.leave()
        monitor.close()
        wallboard.stop()
    gui_thread.check()
