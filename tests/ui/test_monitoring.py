"""Call monitoring's desk service, both ends, with stand-ins for the softphone and the sync
service (the audio itself is tested with real pjsua2 parties in tests/sip/test_monitor_audio.py,
the grants with the real backend in tests/integration/test_api_monitor.py)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from pydantic import BaseModel
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from agent_desktop.services.monitoring import AsteriskChanSpy, LeadSession, MonitorService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from softphone import (
    MONITOR_HEADER,
    CallDirection,
    CallInfo,
    CallState,
    MonitorInfo,
    MonitorMode,
    Phone,
)
from sync.contract.wire import EventOut
from sync.entities import payload_of
from tests.fakes.gui_thread import OffThreadEmits

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TOKEN = "lead-token-1"


class FakePhone(QObject):
    monitor_changed = Signal(object)
    monitor_refused = Signal(str)
    lead_leg_changed = Signal(object)
    call_state_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.authorise: Any = None
        self.legs: list[MonitorInfo] = []
        self.modes: list[tuple[int, MonitorMode]] = []
        self.ended: list[tuple[int, str]] = []
        self.dialled: list[tuple[str, dict[str, str] | None]] = []
        self.muted: list[tuple[int, bool]] = []
        self.keys: list[tuple[int, str]] = []

    def calls(self) -> list[CallInfo]:
        return []

    def set_monitor_authoriser(self, check: Any) -> None:
        self.authorise = check

    def monitors(self) -> list[MonitorInfo]:
        return self.legs

    def set_monitor_mode(self, leg: int, mode: MonitorMode) -> None:
        self.modes.append((leg, mode))

    def end_monitor(self, leg: int, reason: str) -> None:
        self.ended.append((leg, reason))

    def dial(self, target: str, headers: dict[str, str] | None = None) -> CallInfo:
        self.dialled.append((target, headers))
        return CallInfo(7, CallDirection.OUTBOUND, CallState.DIALING, target, "agent")

    def set_mute(self, call_id: int, muted: bool) -> None:
        self.muted.append((call_id, muted))

    def hangup(self, call_id: int) -> None:
        self.lead_leg_changed.emit(
            CallInfo(call_id, CallDirection.OUTBOUND, CallState.ENDED, "", "", reason="hung up")
        )

    def send_dtmf(self, call_id: int, digits: str) -> None:
        self.keys.append((call_id, digits))


class Outbox:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int | None, dict[str, Any]]] = []

    def call(self, op: str, body: dict[str, Any], target_id: int | None = None) -> None:
        self.calls.append((op, target_id, body))


class FakeSync(QObject):
    event_received = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.cache = Outbox()
        self.client_factory: Any = None

    def call(self, op: str, request: BaseModel, target_id: int | None = None) -> None:
        # As SyncService.call: the typed body becomes the outbox's payload here.
        self.cache.call(op, payload_of(request), target_id)


def grant_event(mode: str = "listen", indicator: bool = True, expires: datetime | None = None,
                grant_id: int = 3) -> EventOut:  # fmt: skip
    return EventOut(
        id=1,
        kind="monitor.grant",
        at=NOW,
        data={
            "grant_id": grant_id,
            "token_sha256": hashlib.sha256(TOKEN.encode()).hexdigest(),
            "mode": mode,
            "lead_id": 2,
            "lead_name": "张伟",
            "expires_at": (expires or NOW + timedelta(seconds=60)).isoformat(),
            "indicator": indicator,
        },
    )


def service(qtbot: QtBot) -> tuple[MonitorService, FakePhone, FakeSync]:
    phone, sync = FakePhone(), FakeSync()
    monitor = MonitorService(
        cast(Phone, phone), cast(SyncService, sync), TaskRunner(), now=lambda: NOW
    )
    return monitor, phone, sync


def test_a_leg_joins_only_with_a_grant_told_of_unused_and_unexpired(qtbot: QtBot) -> None:
    monitor, phone, sync = service(qtbot)
    assert phone.authorise(TOKEN) is None  # nothing told yet: a forged or early leg
    sync.event_received.emit(grant_event(expires=NOW - timedelta(seconds=1)))
    assert phone.authorise(TOKEN) is None  # expired
    sync.event_received.emit(grant_event())
    assert phone.authorise("someone-else") is None
    assert phone.authorise(TOKEN) is MonitorMode.LISTEN
    assert phone.authorise(TOKEN) is None  # one time only
    monitor.close()


def test_the_agent_sees_who_listens_when_the_team_shows_it_and_ends_are_reported(
    qtbot: QtBot,
) -> None:
    monitor, phone, sync = service(qtbot)
    shown: list[str] = []
    monitor.indicator_changed.connect(shown.append)
    sync.event_received.emit(grant_event())
    phone.authorise(TOKEN)
    leg = MonitorInfo(9, 1, MonitorMode.LISTEN, TOKEN)
    phone.legs = [leg]
    phone.monitor_changed.emit(leg)
    assert shown == ["● Monitored by 张伟 (listening)"]
    sync.event_received.emit(EventOut(id=2, kind="monitor.mode", at=NOW,
                                      data={"grant_id": 3, "mode": "whisper"}))  # fmt: skip
    assert phone.modes == [(9, MonitorMode.WHISPER)]
    phone.monitor_changed.emit(
        MonitorInfo(9, 1, MonitorMode.WHISPER, TOKEN, True, "the call ended")
    )
    assert shown[-1] == ""
    assert sync.cache.calls == [("monitor.end", 3, {"reason": "the call ended"})]
    phone.monitor_refused.emit("no valid grant")
    assert sync.cache.calls[-1] == ("monitor.refused", None, {"reason": "no valid grant"})
    monitor.close()


def test_no_indicator_where_the_team_does_not_show_it(qtbot: QtBot) -> None:
    monitor, phone, sync = service(qtbot)
    shown: list[str] = []
    monitor.indicator_changed.connect(shown.append)
    sync.event_received.emit(grant_event(indicator=False))
    phone.authorise(TOKEN)
    phone.monitor_changed.emit(MonitorInfo(9, 1, MonitorMode.LISTEN, TOKEN))
    assert shown == []
    monitor.close()


def test_the_server_ending_a_grant_ends_the_leg_on_the_agents_desk(qtbot: QtBot) -> None:
    monitor, phone, sync = service(qtbot)
    sync.event_received.emit(grant_event())
    phone.authorise(TOKEN)
    phone.legs = [MonitorInfo(9, 1, MonitorMode.LISTEN, TOKEN)]
    sync.event_received.emit(EventOut(id=3, kind="monitor.end", at=NOW,
                                      data={"grant_id": 3, "reason": "the lead left"}))  # fmt: skip
    assert phone.ended == [(9, "the lead left")]
    monitor.close()


def test_the_lead_cannot_monitor_offline_and_chanspy_maps_modes_to_keys(qtbot: QtBot) -> None:
    monitor, phone, _sync = service(qtbot)
    failed: list[str] = []
    monitor.failed.connect(failed.append)
    monitor.start(1, "王芳")
    assert failed == ["Monitoring needs the server: you are offline."]
    assert phone.dialled == []
    chanspy = AsteriskChanSpy(cast(Phone, phone), lambda uri: uri.split(":")[1].split("@")[0])
    leg = chanspy.join("sip:1001@pbx", "", MonitorMode.LISTEN)
    assert phone.dialled[-1] == ("*2221001", None)
    chanspy.change(leg, MonitorMode.BARGE)
    assert phone.keys == [(7, "6")]
    assert MONITOR_HEADER == "X-AW-Monitor"
    monitor.close()


def test_a_leads_grant_reaches_the_agents_desk_through_the_real_server(
    qtbot: QtBot, tmp_path: Any, tasks: Any, messages: Any, gui_thread: OffThreadEmits
) -> None:
    """Two desks signed in to the real backend: the lead asks, the server grants, the
    agent's desk learns of it by the event stream and lets the lead's leg (with the token the
    lead's phone dialled with) join, once."""
    from sync.client import ApiClient
    from tests.fakes.servers import LiveBackend

    backend = LiveBackend(tmp_path / "server.sqlite")
    desks: list[tuple[SyncService, MonitorService, FakePhone]] = []
    try:
        for user in ("wangfang", "zhangwei"):
            with ApiClient(backend.url) as client:
                grant = client.login(user, "demo1234")
            sync = SyncService(tasks, messages, tmp_path / user, poll_interval_s=3600)
            phone = FakePhone()
            monitor = MonitorService(cast(Phone, phone), sync, tasks)
            gui_thread.watch(sync, monitor)
            sync.start(backend.url, grant)
            qtbot.waitUntil(lambda s=sync: s.status.state == "online", timeout=15_000)
            desks.append((sync, monitor, phone))
        (agent_sync, _agent_monitor, agent_phone), (_lead_sync, lead_monitor, lead_phone) = desks
        agent_sync.report_presence("on_call", "", "sip:wangfang@127.0.0.1:5062")
        agent_sync.sync_now()
        failed: list[str] = []
        lead_monitor.failed.connect(failed.append)

        def dialled() -> bool:
            # Asked again (once the last answer is back) until the agent's presence is there.
            if not lead_phone.dialled and not lead_monitor.session and not lead_monitor._joining:
                lead_monitor.start(1, "王芳")
            return bool(lead_phone.dialled)

        qtbot.waitUntil(dialled, timeout=15_000)
        target, headers = lead_phone.dialled[0]
        assert target == "sip:wangfang@127.0.0.1:5062"
        assert headers is not None
        token = headers["X-AW-Monitor"]
        qtbot.waitUntil(lambda: bool(_agent_monitor.grants), timeout=15_000)  # by the stream
        assert agent_phone.authorise(token) is MonitorMode.LISTEN
        assert agent_phone.authorise(token) is None  # one-time
        assert agent_phone.authorise("forged") is None
    finally:
        for sync, monitor, _phone in desks:
            monitor.close()
            sync.close_now()
        backend.stop()


def test_an_unused_grant_dies_with_the_call_it_was_for(qtbot: QtBot) -> None:
    monitor, phone, sync = service(qtbot)
    sync.event_received.emit(grant_event())
    phone.call_state_changed.emit(
        CallInfo(1, CallDirection.INBOUND, CallState.ENDED, "sip:c@x", "13800138000")
    )
    assert phone.authorise(TOKEN) is None  # the next call is not the one granted
    monitor.close()


def test_a_desk_with_a_wrong_clock_keeps_a_grant_for_the_time_the_server_gave(
    qtbot: QtBot,
) -> None:
    phone, sync = FakePhone(), FakeSync()
    fast = NOW + timedelta(minutes=5)  # this PC's clock is five minutes ahead of the server
    monitor = MonitorService(
        cast(Phone, phone), cast(SyncService, sync), TaskRunner(), now=lambda: fast
    )
    sync.event_received.emit(grant_event())  # issued at NOW, good for 60 s
    assert phone.authorise(TOKEN) is MonitorMode.LISTEN
    monitor.close()


def test_the_leads_session_ends_as_taken_over_when_the_customer_comes_in_the_legs_place(
    qtbot: QtBot,
) -> None:
    """On take over the customer's phone calls the lead's desk, which ends its leg: that end
    is the take over done (the lead goes on with an ordinary call), not "the call ended"."""
    monitor, phone, _sync = service(qtbot)
    monitor.session = LeadSession(3, 1, "王芳", MonitorMode.TAKEOVER, leg_id=7, state="connected")
    phone.hangup(7)  # the leg's end, as the lead's engine reports it
    assert monitor.session is not None
    assert (monitor.session.state, monitor.session.reason) == ("ended", "took the call over")
    monitor.close()
