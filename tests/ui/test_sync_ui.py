"""The desktop's face of offline work: the connection label, Sync now, the conflict dialog, the
refused-changes dialog, and a damaged cache, against the real backend through a proxy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService, cache_path
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.main_window import MainWindow
from sync.engine import SyncStatus
from tests.fakes.proxy import FaultProxy
from tests.fakes.rig import Rig
from tests.fakes.servers import LiveBackend
from tests.sync.conftest import Desk, login

TIMEOUT_MS = 15_000


@pytest.fixture
def rig(
    qtbot: QtBot,
    tmp_path: Path,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
    layout_store: QSettings,
) -> Iterator[Rig]:
    backend = LiveBackend(tmp_path / "server.sqlite")
    proxy = FaultProxy(backend.url)
    sync = SyncService(tasks, messages, tmp_path / "profile", poll_interval_s=3600, page_size=20)
    window = MainWindow(session, messages, layout_store)
    window.attach_sync(sync)
    qtbot.addWidget(window)
    session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
    statuses: list[SyncStatus] = []
    sync.status_changed.connect(statuses.append)
    window.show()
    yield Rig(backend, proxy, window, sync, session, statuses)
    sync.close_now()
    proxy.stop()
    backend.stop()


def sign_in(qtbot: QtBot, rig: Rig) -> None:
    rig.session.sign_in(rig.proxy.url, "wangfang", "demo1234", remember=False)
    qtbot.waitUntil(
        lambda: rig.sync.status.state == "online" and rig.sync.status.last_synced is not None,
        timeout=TIMEOUT_MS,
    )


def test_first_sign_in_pulls_with_progress_then_offline_work_is_kept_and_sent(
    qtbot: QtBot, rig: Rig
) -> None:
    sign_in(qtbot, rig)
    assert rig.sync.cache is not None
    assert rig.sync.cache.count("customer") > 0
    progress = [s for s in rig.statuses if s.state == "syncing" and s.total]
    assert progress, "the first pull showed no progress"
    assert progress[-1].done == progress[-1].total
    assert rig.window.connection_label.text() == "● Online"

    customer = rig.sync.cache.all("customer")[0]
    rig.proxy.mode = "down"
    rig.sync.save("customer", customer.id, {"notes": "客户来电：离线时记录"}).result()
    qtbot.waitUntil(lambda: rig.sync.status.state == "offline", timeout=TIMEOUT_MS)
    label = rig.window.connection_label.text()
    assert label.startswith("● Offline since ")
    assert label.endswith("waiting to send: 1")
    assert rig.sync.cache.get("customer", customer.id).data["notes"] == "客户来电：离线时记录"  # type: ignore[union-attr]

    rig.proxy.mode = "pass"
    qtbot.mouseClick(rig.window.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rig.window.connection_label.text() == "● Online", timeout=TIMEOUT_MS)
    on_server = rig.api("GET", f"/customers/{customer.id}")
    assert on_server["notes"] == "客户来电：离线时记录"  # type: ignore[index]


def test_a_conflict_is_settled_field_by_field_in_the_dialog(
    qtbot: QtBot, rig: Rig, tmp_path: Path
) -> None:
    sign_in(qtbot, rig)
    other_proxy = FaultProxy(rig.backend.url)
    alice = Desk(
        "alice", tmp_path / "alice" / "cache.sqlite", other_proxy, login(rig.backend.url, "alice")
    )
    try:
        alice.sync()
        assert rig.sync.cache is not None
        ticket = next(
            r
            for r in rig.sync.cache.all("ticket")
            if r.data["status"] != "closed" and r.data["priority"] != "P1"
        )
        rig.proxy.mode = "down"
        rig.sync.save("ticket", ticket.id, {"summary": "王芳：输液泵 E-17 报警", "priority": "P1"})
        alice.cache.update("ticket", ticket.id, {"summary": "Alice: pump alarm E-17"}).result()
        alice.sync()
        rig.proxy.mode = "pass"
        rig.sync.sync_now()
        qtbot.waitUntil(rig.window.conflicts_button.isVisible, timeout=TIMEOUT_MS)
        assert rig.window.conflicts_button.text() == "Conflicts: 1"

        qtbot.mouseClick(rig.window.conflicts_button, Qt.MouseButton.LeftButton)
        dialog = rig.window.conflict_dialog
        assert dialog is not None
        assert dialog.isVisible()
        # Three-way: only Alice and this desk both changed the summary; the priority was this
        # desk's alone and goes through without asking.
        assert dialog.conflict.fields == ("summary",)
        dialog.choose("summary", "theirs")
        dialog.choose("summary", "theirs", "输液泵 E-17 报警 / pump alarm E-17")
        dialog.accept_button.click()
        qtbot.waitUntil(
            lambda: (
                not rig.window.conflicts_button.isVisible()
                and rig.sync.status.waiting == 0
                and rig.sync.status.state == "online"
            ),
            timeout=TIMEOUT_MS,
        )
        on_server = rig.api("GET", f"/tickets/{ticket.id}")
        assert on_server["summary"] == "输液泵 E-17 报警 / pump alarm E-17"  # type: ignore[index]
        assert on_server["priority"] == "P1"  # type: ignore[index]
        alice.sync()
        assert alice.records("ticket")[ticket.id] == on_server
        assert rig.sync.cache.get("ticket", ticket.id).data == on_server  # type: ignore[union-attr]
    finally:
        alice.close()
        other_proxy.stop()


def test_a_refused_change_is_corrected_and_resent_from_the_dialog(qtbot: QtBot, rig: Rig) -> None:
    sign_in(qtbot, rig)
    assert rig.sync.cache is not None
    taken = rig.sync.cache.all("customer")[0].data
    rig.sync.create(
        "customer", {"code": taken["code"], "name": "重复的客户", "team_id": taken["team_id"]}
    ).result()
    qtbot.waitUntil(rig.window.refused_button.isVisible, timeout=TIMEOUT_MS)
    assert rig.window.refused_button.text() == "Refused: 1"
    qtbot.mouseClick(rig.window.refused_button, Qt.MouseButton.LeftButton)
    dialog = rig.window.refused_dialog
    assert dialog is not None
    assert dialog.entries.count() == 1
    assert dialog.entries.item(0).text() == "New customer"
    assert dialog.entries.item(0).toolTip() == (
        "This Customer code is already used by another record; choose another."
    )
    code_editor = dialog.findChild(object, "field_code")
    assert code_editor is not None
    assert code_editor.property("tone") == "field_error"  # the palette's error border
    dialog.edit("code", "C-NEW-0001")
    dialog.resend_button.click()
    qtbot.waitUntil(lambda: not rig.window.refused_button.isVisible(), timeout=TIMEOUT_MS)
    found = rig.api("GET", "/customers", params={"q": "C-NEW-0001"})
    assert [c["name"] for c in found] == ["重复的客户"]  # type: ignore[union-attr]


def test_a_damaged_cache_is_rebuilt_with_a_message(
    qtbot: QtBot, rig: Rig, tmp_path: Path, messages: MessageBridge
) -> None:
    path = cache_path(tmp_path / "profile", rig.proxy.url, "wangfang")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 4096)
    sign_in(qtbot, rig)
    assert any("could not be used" in m.text for m in messages.history)
    assert rig.sync.cache is not None
    assert rig.sync.cache.count("customer") > 0
    assert list(path.parent.glob("*.damaged-*"))
