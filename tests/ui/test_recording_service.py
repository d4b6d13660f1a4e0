"""The desk's recording service (issue 20) over a phone that reports as the engine does, and
the lead's list of paused calls with the real server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from agent_desktop.config import Settings
from agent_desktop.messages import MessageBridge
from agent_desktop.services.paused_calls import PausedCalls
from agent_desktop.services.recording import KEPT_IDS, RecordingService, recording_settings
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.panels.paused_calls import PausedCallsView
from softphone import CallDirection, CallInfo, CallState, Phone
from softphone.events import (
    RecordingInfo,
    RecordingLabels,
    RecordingMode,
    RecordingSettings,
    RecordingState,
)
from sync.contract.recordings import RecordingEventIn
from sync.entities import payload_of
from tests.fakes.gui_thread import OffThreadEmits

NOW = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
REC = "0123456789abcdef0123456789abcdef"


class FakePhone(QObject):
    recording_changed = Signal(object)
    call_state_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.settings: list[RecordingSettings] = []
        self.labels: list[tuple[int, RecordingLabels]] = []
        self.paused: list[tuple[int, str, str]] = []
        self.resumed: list[int] = []

    def configure_recording(self, settings: RecordingSettings) -> None:
        self.settings.append(settings)

    def label_recording(self, call_id: int, labels: RecordingLabels) -> None:
        self.labels.append((call_id, labels))

    def pause_recording(self, call_id: int, reason: str, by: str = "") -> None:
        self.paused.append((call_id, reason, by))
        self.recording_changed.emit(
            RecordingInfo(call_id, RecordingState.PAUSED, REC, pause_reason=reason, sip_call_id="c")
        )

    def resume_recording(self, call_id: int) -> None:
        self.resumed.append(call_id)
        self.recording_changed.emit(RecordingInfo(call_id, RecordingState.RECORDING, REC))


class FakeSync(QObject):
    event_received = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.cache: Any = object()
        self.grant: Any = type("G", (), {"user": type("U", (), {"username": "wangfang"})()})()
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def call(self, op: str, request: BaseModel, target_id: int | None = None) -> None:
        self.sent.append((op, cast(dict[str, Any], payload_of(request))))


def test_pause_and_resume_reach_the_outbox_and_labels_reach_the_phone(
    qtbot: QtBot, gui_thread: OffThreadEmits
) -> None:
    phone, sync = FakePhone(), FakeSync()
    service = RecordingService(
        cast(Phone, phone), cast(SyncService, sync), TaskRunner(), now=lambda: NOW
    )
    gui_thread.watch(service)
    seen: list[RecordingInfo] = []
    service.changed.connect(seen.append)
    phone.call_state_changed.emit(
        CallInfo(5, CallDirection.INBOUND, CallState.CONNECTED, "sip:c@x", "c", queue="billing")
    )
    assert phone.labels == [(5, RecordingLabels(agent="wangfang", queue="billing"))]
    service.label(5, customer_id=42)
    assert phone.labels[-1][1].customer_id == 42
    assert phone.labels[-1][1].queue == "billing"

    service.pause(5)  # not recording yet: nothing
    assert phone.paused == []
    phone.recording_changed.emit(RecordingInfo(5, RecordingState.RECORDING, REC))
    service.pause(5)
    assert phone.paused == [(5, "agent", "wangfang")]
    assert service.state(5) is not None
    assert service.state(5).state is RecordingState.PAUSED
    service.resume(5)
    assert [s.state for s in seen] == [
        RecordingState.RECORDING,
        RecordingState.PAUSED,
        RecordingState.RECORDING,
    ]
    events = [RecordingEventIn.model_validate(body) for op, body in sync.sent]
    assert [op for op, _ in sync.sent] == ["recording.event", "recording.event"]
    assert [(e.event.value, e.auto, e.at) for e in events] == [
        ("paused", False, NOW),
        ("resumed", False, NOW),
    ]
    # The countdown resumes it: told as an automatic resume.
    service.pause(5)
    phone.recording_changed.emit(RecordingInfo(5, RecordingState.RECORDING, REC))
    assert RecordingEventIn.model_validate(sync.sent[-1][1]).auto
    phone.recording_changed.emit(RecordingInfo(5, RecordingState.FINISHED, REC))
    assert service.state(5) is None
    # Its id is kept past the call's end: the interaction, written after wrap-up, names it.
    phone.call_state_changed.emit(
        CallInfo(5, CallDirection.INBOUND, CallState.ENDED, "sip:c@x", "c", queue="billing")
    )
    assert service.recording_id(5) == REC
    phone.recording_changed.emit(RecordingInfo(6, RecordingState.FAILED, REC[::-1]))
    assert service.recording_id(6) is None  # no file: nothing to name
    for call_id in range(100, 100 + KEPT_IDS):
        phone.recording_changed.emit(RecordingInfo(call_id, RecordingState.RECORDING, REC))
    assert service.recording_id(5) is None  # the oldest go
    assert service.recording_id(100 + KEPT_IDS - 1) == REC


def test_the_desks_settings_become_the_phones(tmp_path: Path) -> None:
    settings = Settings(
        recording_mode="desk", recording_auto_resume_s=45, recording_announce_queues=("vip",)
    )
    phone = recording_settings(settings, tmp_path)
    assert phone.mode is RecordingMode.DESK
    assert phone.spool_dir == str(tmp_path / "recordings")
    assert phone.auto_resume_s == 45
    assert phone.announce_queues == ("vip",)
    assert Path(phone.announcement_path).is_file()


def test_the_lead_sees_the_paused_calls_of_the_team(
    qtbot: QtBot,
    tmp_path: Any,
    tasks: TaskRunner,
    messages: MessageBridge,
    gui_thread: OffThreadEmits,
) -> None:
    """A pause before the lead signed in is read from the server; a resume by the event."""
    from sync.client import ApiClient
    from tests.fakes.servers import LiveBackend

    backend = LiveBackend(tmp_path / "server.sqlite")
    sync = SyncService(tasks, messages, tmp_path / "lead", poll_interval_s=3600)
    try:
        with ApiClient(backend.url) as agent:
            agent.login("wangfang", "demo1234")
            body = {"recording_id": REC, "event": "paused", "reason": "sensitive_field",
                    "at": "2026-12-06T09:30:00+00:00"}  # fmt: skip
            agent._request("POST", "/recordings/events", body)
            with ApiClient(backend.url) as client:
                grant = client.login("zhangwei", "demo1234")
            paused = PausedCalls(sync, tasks)
            gui_thread.watch(paused)
            view = PausedCallsView(paused)
            qtbot.addWidget(view)
            sync.start(backend.url, grant)
            qtbot.waitUntil(lambda: sync.status.state == "online", timeout=15_000)
            paused.start()
            qtbot.waitUntil(lambda: bool(paused.calls), timeout=15_000)
            assert paused.supported is True
            assert "王芳" in view.list.item(0).text()
            body = {**body, "event": "resumed", "reason": None}
            agent._request("POST", "/recordings/events", body)
            qtbot.waitUntil(lambda: not paused.calls, timeout=15_000)  # the event stream
            assert view.list.count() == 1  # "No call is paused."
    finally:
        sync.close_now()
        backend.stop()


def test_a_call_ended_while_paused_by_a_dying_engine_is_told_resumed(qtbot: QtBot) -> None:
    phone, sync = FakePhone(), FakeSync()
    service = RecordingService(
        cast(Phone, phone), cast(SyncService, sync), TaskRunner(), now=lambda: NOW
    )
    phone.recording_changed.emit(RecordingInfo(5, RecordingState.RECORDING, REC))
    service.pause(5)
    # The engine is gone: the proxy ends its calls; no recording event comes any more.
    phone.call_state_changed.emit(CallInfo(5, CallDirection.INBOUND, CallState.ENDED, "", ""))
    events = [RecordingEventIn.model_validate(body) for _op, body in sync.sent]
    assert [(e.event.value, e.auto) for e in events] == [("paused", False), ("resumed", True)]
    assert service.state(5) is None
