"""Supervisor mode: the wallboard service and panel on a controllable event feed, then live.

The feed is the SyncService's own signals, driven by the test (``event_received`` with
``EventOut`` as the stream delivers them, ``records_changed`` from a real cache); the board's
first fetch comes from a fake source, so every number is known. The live tests run the real
backend: a lead's Supervisor tab, and an agent's desk obeying the lead.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast

import pytest
import requests
from pydantic import BaseModel
from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, QTranslator, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.messages import MessageBridge
from agent_desktop.services.agent_state import AgentStateService, CallRecord
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.wallboard import AgentLine, AlertSource, Board, WallboardService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.appearance import colour
from agent_desktop.ui.main_window import SUPERVISOR_STATE, MainWindow
from agent_desktop.ui.models.wallboard_model import A_STATE, percent
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.panels.wallboard_panel import WallboardPanel
from softphone import CallDirection, Phone
from sync.cache import LocalCache
from sync.client import ServerError
from sync.clock import SystemClock
from sync.contract.alive import LOST_CONTACT
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.records import AgentState, Role, SessionGrant, Team, UserProfile
from sync.contract.rules import SUPERVISOR_PERMISSIONS
from sync.contract.wallboard import (
    INTERVALS_PER_DAY,
    AgentTodayOut,
    AlertThresholds,
    CallOut,
    ForecastOut,
    QueueTodayOut,
    WallboardToday,
    centre_zone,
    day_bounds,
)
from sync.contract.wire import ChangeOut, EventOut, PresenceOut, QueueOut
from sync.entities import edit_payload
from tests.fakes.clocks import centre_time, running_from
from tests.fakes.customers import NOW
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.rig import Rig
from tests.fakes.servers import LiveBackend

ZONE = centre_zone()
TODAY = NOW.astimezone(ZONE).date()
QUEUE = "医疗设备热线 Medical hotline"
WANGFANG, ALICE, LEAD = 1, 2, 3


class Inline(Executor):
    """Runs work at once on the calling thread: the service's reads become deterministic."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def lead_grant(username: str = "zhangwei") -> SessionGrant:
    user = UserProfile(LEAD, username, "张伟", Role.SUPERVISOR, Team(1, "Medical"))
    return SessionGrant("t" * 20, NOW + timedelta(hours=8), user, SUPERVISOR_PERMISSIONS)


class FeedSync(QObject):
    """What WallboardService needs of SyncService; the test drives its signals."""

    event_received = Signal(object)
    records_changed = Signal(object)

    def __init__(self, cache: LocalCache | None, grant: SessionGrant, tasks: TaskRunner) -> None:
        super().__init__()
        self.cache = cache
        self.grant: SessionGrant | None = grant
        self.desk_settings = DEFAULT_DESK_SETTINGS
        self.client_factory = None
        self.saved: list[tuple[str, int, dict[str, Any]]] = []
        self.synced = 0
        if cache is not None:
            cache.on_records_changed(partial(tasks.post, self.records_changed.emit))

    def sync_now(self) -> None:
        self.synced += 1

    def save(self, entity: str, record_id: int, changes: dict[str, Any]) -> Future[None]:
        self.saved.append((entity, record_id, changes))
        done: Future[None] = Future()
        done.set_result(None)
        return done

    def save_edit(self, record_id: int, edit: BaseModel) -> Future[None]:
        # As SyncService.save_edit: the typed edit becomes the outbox's payload here.
        entity, changes = edit_payload(edit)
        return self.save(entity, record_id, changes)


def call(n: int, minutes: int, wait_s: float | None, agent: int = WANGFANG) -> CallOut:
    started = day_bounds(TODAY, ZONE)[0] + timedelta(hours=9, minutes=minutes)
    answered = started + timedelta(seconds=wait_s) if wait_s is not None else None
    ended = (answered or started) + timedelta(seconds=200 if answered else 9)
    talk = 180 if answered else 0
    return CallOut(
        id=n,
        agent_id=agent,
        kind="call_in",
        queue=QUEUE,
        started_at=started,
        answered_at=answered,
        ended_at=ended,
        talk_s=talk,
        hold_s=0,
    )


def presence(user_id: int, state: AgentState, since: datetime, version: int = 2) -> PresenceOut:
    reason = "break" if state is AgentState.NOT_READY else ""
    return PresenceOut(
        user_id=user_id,
        team_id=1,
        state=state,
        reason=reason,
        since=since,
        version=version,
        updated_at=since,
    )


def queue(waiting: int, longest: int, version: int = 2, at: datetime = NOW) -> QueueOut:
    return QueueOut(
        id=1,
        name=QUEUE,
        team_id=1,
        waiting=waiting,
        longest_wait_s=longest,
        answered_today=0,
        abandoned_today=0,
        version=version,
        updated_at=at,  # when the ACD reported it: the longest wait runs on from here
    )


class FakeSource:
    """The server's answers, fixed; the lead's orders, recorded."""

    def __init__(self) -> None:
        self.calls = [call(101, 0, 5), call(102, 15, 8), call(103, 16, 40), call(104, 30, None)]
        self.fetched = 0
        self.commands: list[tuple[int, AgentState, str]] = []
        self.messages: list[str] = []

    def today(self, answer_within_s: int) -> WallboardToday:
        self.fetched += 1
        empty = QueueTodayOut(
            name="",
            offered=0,
            answered=0,
            answered_within=0,
            abandoned=0,
            service_level=None,
            answer_rate=None,
        )
        return WallboardToday(
            day=TODAY,
            zone=ZONE.key,
            answer_within_s=answer_within_s,
            generated_at=NOW,
            agents=[
                AgentTodayOut(
                    user_id=WANGFANG,
                    username="wangfang",
                    name="王芳",
                    team_id=1,
                    handled=0,
                    handle_s=0,
                    aht_s=None,
                ),
                AgentTodayOut(
                    user_id=ALICE,
                    username="alice",
                    name="Alice Chen",
                    team_id=1,
                    handled=0,
                    handle_s=0,
                    aht_s=None,
                ),
            ],
            queues=[],
            total=empty,
            queue_counters=[queue(2, 30, version=1)],
            presence=[
                presence(WANGFANG, AgentState.READY, NOW - timedelta(minutes=3), 1),
                presence(ALICE, AgentState.ON_CALL, NOW - timedelta(seconds=95), 1),
            ],
            offered_by_interval=[0] * INTERVALS_PER_DAY,
            service_level_by_interval=[None] * INTERVALS_PER_DAY,
            calls=self.calls,
            recurring=[],
        )

    def forecast(self, day: date | None) -> ForecastOut:
        values = [0.0] * INTERVALS_PER_DAY
        for index in range(32, 80):
            values[index] = 3.0
        return ForecastOut(
            day=day or TODAY + timedelta(days=1),
            zone=ZONE.key,
            weeks=4,
            method="mean",
            available=True,
            intervals=values,
            based_on=[TODAY - timedelta(weeks=1)],
            past=[],
            mape=0.42,
            wape=0.21,
        )

    def command(self, user_id: int, state: AgentState, reason: str) -> None:
        self.commands.append((user_id, state, reason))

    def message(self, text: str) -> None:
        self.messages.append(text)


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


Made = tuple[WallboardService, FeedSync, FakeSource, Clock]


@pytest.fixture
def make_board(
    qtbot: QtBot, tmp_path: Path, messages: MessageBridge
) -> Iterator[Callable[..., Made]]:
    runners: list[TaskRunner] = []

    def make(
        cache: LocalCache | None = None,
        username: str = "zhangwei",
        alert_source: AlertSource | None = None,
    ) -> Made:
        tasks = TaskRunner(Inline())
        runners.append(tasks)
        sync = FeedSync(cache, lead_grant(username), tasks)
        source, clock = FakeSource(), Clock()
        settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
        service = WallboardService(
            cast(SyncService, sync),
            tasks,
            messages,
            settings,
            source=source,
            now=clock,
            alert_source=alert_source,
        )
        with qtbot.waitSignal(service.board_changed, timeout=5000):
            service.start()
        return service, sync, source, clock

    yield make
    for runner in runners:
        runner.shutdown()


def event(kind: str, data: Any, n: int = 1) -> EventOut:
    payload = data.model_dump(mode="json") if hasattr(data, "model_dump") else data
    return EventOut(id=n, kind=kind, at=NOW, data=payload)


def board_of(service: WallboardService) -> Board:
    assert service.board is not None
    return service.board


# -- the board on a controllable feed -----------------------------------------------------------


def test_a_desk_that_lost_contact_shows_apart_from_a_sign_out(
    qtbot: QtBot, make_board: Callable[..., Made]
) -> None:
    """The server logs out an agent whose desk went silent (reason lost_contact): the lead's
    board says so at once, in the lead's language, in its own colour."""
    service, sync, _source, clock = make_board()
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    clock.at += timedelta(seconds=30)
    lost = presence(WANGFANG, AgentState.LOGGED_OUT, clock.at, version=5).model_copy(
        update={"reason": LOST_CONTACT}
    )
    with qtbot.waitSignal(service.board_changed, timeout=2000):
        sync.event_received.emit(event("presence", lost))
    row = next(r for r in range(2) if panel.agents.line(r).user_id == WANGFANG)
    index = panel.agents.index(row, A_STATE)
    assert index.data() == "Lost contact"
    assert index.data(Qt.ItemDataRole.ForegroundRole).color() == colour(ColourRole.LOST_CONTACT)
    assert "logged out" in index.data(Qt.ItemDataRole.ToolTipRole)
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS_DIR / "agent_desktop_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        assert index.data() == "失去联系"
    finally:
        QCoreApplication.removeTranslator(translator)
    # Signed out by the agent: plain Logged out.
    with qtbot.waitSignal(service.board_changed, timeout=2000):
        sync.event_received.emit(
            event("presence", presence(WANGFANG, AgentState.LOGGED_OUT, clock.at, version=6))
        )
    assert panel.agents.index(row, A_STATE).data() == "Logged out"


def test_the_first_fetch_fills_the_board(make_board: Callable[..., Made]) -> None:
    service, _sync, source, _clock = make_board()
    board = board_of(service)
    assert source.fetched == 1
    (line,) = board.queues
    assert (line.offered, line.answered, line.abandoned) == (4, 3, 1)
    assert line.service_level == 0.5
    assert line.answer_rate == 0.75
    assert board.offered_by_interval[36] == 1
    assert board.offered_by_interval[37] == 2
    agents = {a.user_id: a for a in board.agents}
    assert agents[WANGFANG].handled == 3
    assert agents[WANGFANG].aht_s == 180
    assert dict(board.state_counts)[AgentState.ON_CALL] == 1
    assert service.forecast_tomorrow is not None
    assert service.forecast_tomorrow.mape == 0.42


def test_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, make_board: Callable[..., Made], work_cache: LocalCache
) -> None:
    service, sync, _source, clock = make_board(work_cache)
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    # The seeded complaint is due in 2 h: a minute on, within the default warning, it is on
    # the board (the service's clock notices, with no event).
    clock.at += timedelta(minutes=1)
    qtbot.waitUntil(lambda: panel.work.rowCount() == 1, timeout=5000)
    sync.event_received.emit(event("queue", queue(9, 120)))
    for model in (panel.agents, panel.queues, panel.alerts, panel.work):
        qtmodeltester.check(model)
    assert panel.alerts.rowCount() == 3  # waiting, longest wait, complaint
    clock.at += timedelta(seconds=5)
    panel.agents.tick()
    qtmodeltester.check(panel.agents)


def test_the_board_follows_the_event_feed_without_asking_again(
    qtbot: QtBot, make_board: Callable[..., Made]
) -> None:
    service, sync, source, clock = make_board()
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    resets: list[int] = []
    panel.agents.modelReset.connect(lambda: resets.append(1))
    clock.at += timedelta(seconds=30)
    with qtbot.waitSignal(service.board_changed, timeout=2000):
        sync.event_received.emit(
            event("presence", presence(WANGFANG, AgentState.ON_CALL, clock.at))
        )
    lines = {line.user_id: line for line in panel.agents.lines()}
    assert lines[WANGFANG].state is AgentState.ON_CALL
    row = next(r for r in range(2) if panel.agents.line(r).user_id == WANGFANG)
    assert panel.agents.index(row, A_STATE).data() == "On call"
    # An older presence arriving late (a reconnect replays it) does not undo the newer one.
    sync.event_received.emit(
        event("presence", presence(WANGFANG, AgentState.READY, NOW, version=1))
    )
    assert {a.user_id: a.state for a in board_of(service).agents}[WANGFANG] is AgentState.ON_CALL
    # Leaving wrap-up means the desk wrote the call: the lead's cache fetches it now.
    sync.event_received.emit(event("presence", presence(ALICE, AgentState.READY, clock.at, 3)))
    assert sync.synced == 1
    sync.event_received.emit(event("queue", queue(3, 44)))
    assert board_of(service).queues[0].waiting == 3
    sync.event_received.emit(
        event("escalation", {"ticket_id": 77, "number": "SR-9", "level": 1, "summary": "投诉"})
    )
    recurring = {
        "id": 5,
        "team_id": 1,
        "category": "fault.alarm",
        "model": "IP-300",
        "count": 6,
        "ticket_ids": [21, 22],
        "flagged_at": NOW.isoformat(),
    }
    sync.event_received.emit(event("ticket.recurring", recurring))
    kinds = [(w.kind, w.title) for w in board_of(service).work]
    assert kinds == [("escalation", "SR-9"), ("recurring", "fault.alarm · IP-300")]
    sync.event_received.emit(event("queue", {"not": "a queue"}))  # logged, ignored
    assert source.fetched == 1  # all of it live, no second fetch
    assert resets == []  # rows updated in place: selection and scroll survive


def test_calls_reaching_the_cache_count_at_once(
    qtbot: QtBot, make_board: Callable[..., Made], work_cache: LocalCache
) -> None:
    service, _sync, _source, _clock = make_board(work_cache)
    before = board_of(service).offered
    started = day_bounds(TODAY, ZONE)[0] + timedelta(hours=10)
    record = {
        "customer_id": None,
        "team_id": 1,
        "agent_id": ALICE,
        "kind": "call_in",
        "started_at": started.isoformat(),
        "answered_at": (started + timedelta(seconds=4)).isoformat(),
        "ended_at": (started + timedelta(seconds=300)).isoformat(),
        "talk_s": 290,
        "hold_s": 6,
        "queue": QUEUE,
        "remote_number": "",
        "disposition": "resolved",
        "notes": "",
        "ticket_ids": [],
        "version": 1,
        "updated_at": NOW.isoformat(),
    }
    change = ChangeOut(seq=900, entity="interaction", id=900, op="upsert", version=1, data=record)
    reads: list[int] = []  # each time the service has read changed calls from the cache
    add_calls = service._add_calls

    def counted(generation: int, facts: list[Any]) -> None:
        add_calls(generation, facts)
        reads.append(len(facts))

    service._add_calls = counted  # type: ignore[method-assign]
    with qtbot.waitSignal(service.board_changed, timeout=5000):
        work_cache.apply_changes([change], 900).result(timeout=5)
    board = board_of(service)
    assert board.offered == before + 1
    assert board.offered_by_interval[40] == 1
    assert {a.user_id: a.handled for a in board.agents}[ALICE] == 1
    assert {a.user_id: a.aht_s for a in board.agents}[ALICE] == 296
    # The same record again (the feed replays it): still counted once.
    work_cache.apply_changes([change], 901).result(timeout=5)
    qtbot.waitUntil(lambda: reads == [1, 1], timeout=5000)  # the service has read it again
    assert board_of(service).offered == before + 1


def test_an_alert_fires_is_highlighted_notified_recorded_and_clears(
    qtbot: QtBot, make_board: Callable[..., Made], caplog: pytest.LogCaptureFixture
) -> None:
    service, sync, _source, clock = make_board()
    said: list[str] = []
    panel = WallboardPanel(service, say=said.append)
    qtbot.addWidget(panel)
    caplog.set_level(logging.INFO, logger="agent_desktop.services.wallboard")
    with qtbot.waitSignal(panel.notified, timeout=2000) as notified:
        sync.event_received.emit(event("queue", queue(7, 20)))
    assert notified.args == [f"{QUEUE}: 7 calls waiting (limit 5)"]
    assert said == [f"Wallboard alert: {QUEUE}: 7 calls waiting (limit 5)"]  # no tray here
    assert board_of(service).queues[0].alert
    background = panel.queues.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush)
    assert background.color() == colour(ColourRole.ALERT_BACKGROUND)
    assert panel.alerts.index(0, 2).data() == "active"
    assert "wallboard alert fired: queue_waiting" in caplog.text
    clock.at += timedelta(minutes=2)
    with qtbot.waitSignal(service.alert_cleared, timeout=2000):
        sync.event_received.emit(event("queue", queue(1, 20, version=3, at=clock.at)))
    (entry,) = service.alert_log
    assert entry.fired_at == NOW
    assert entry.cleared_at == NOW + timedelta(minutes=2)
    assert not board_of(service).queues[0].alert
    assert panel.alerts.index(0, 2).data() != "active"
    assert "wallboard alert cleared: queue_waiting" in caplog.text


class OlderServer:
    """A server before contract 1.6: no alert routes (404)."""

    def _gone(self, *_args: object) -> Any:
        raise ServerError("Not Found", 404, "not_found")

    thresholds = set_thresholds = alerts = acknowledge = _gone


def test_against_a_server_before_1_6_the_desk_evaluates_alerts_itself_and_says_so(
    qtbot: QtBot, make_board: Callable[..., Made]
) -> None:
    service, sync, _source, _clock = make_board(alert_source=cast(AlertSource, OlderServer()))
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    assert service.server_alerts is False
    assert "older: alerts are evaluated on this desk" in panel.alert_place_label.text()
    with qtbot.waitSignal(service.alert_fired, timeout=2000) as fired:
        sync.event_received.emit(event("queue", queue(7, 20)))
    entry = fired.args[0]
    assert entry.id is None  # this desk's: nothing to acknowledge
    panel.alerts_view.selectRow(0)
    assert not panel.ack_button.isEnabled()


def test_not_ready_too_long_fires_as_time_passes(
    qtbot: QtBot, make_board: Callable[..., Made]
) -> None:
    service, sync, _source, clock = make_board()
    service.set_thresholds(AlertThresholds(not_ready_s=600))
    sync.event_received.emit(
        event("presence", presence(WANGFANG, AgentState.NOT_READY, NOW - timedelta(seconds=590)))
    )
    assert service.active_alerts == {}
    clock.at += timedelta(seconds=15)  # no event at all: the service's own clock notices
    with qtbot.waitSignal(service.alert_fired, timeout=3000) as fired:
        pass
    assert fired.args[0].alert.key == f"not_ready:{WANGFANG}"
    agent = next(a for a in board_of(service).agents if a.user_id == WANGFANG)
    assert agent.alert


def test_thresholds_are_kept_per_user_and_recount_the_service_level(
    make_board: Callable[..., Made],
) -> None:
    service, _sync, source, _clock = make_board()
    service.set_thresholds(AlertThresholds(queue_waiting=1, answer_within_s=40))
    assert board_of(service).queues[0].service_level == 0.75  # 103 answered in 40 s counts
    assert source.fetched == 1  # recounted from the calls it holds
    again, *_ = make_board()
    assert again.thresholds.answer_within_s == 40
    assert again.thresholds.queue_waiting == 1
    other, *_ = make_board(username="liuyang")
    assert other.thresholds == AlertThresholds()


def test_the_charts_update_in_place(
    qtbot: QtBot, make_board: Callable[..., Made], tmp_path: Path
) -> None:
    service, sync, _source, _clock = make_board()
    panel = WallboardPanel(service, language="zh")
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    bars, curve = panel.calls_bars, panel.level_curve
    sync.event_received.emit(event("presence", presence(ALICE, AgentState.NOT_READY, NOW, 5)))
    assert panel.calls_bars is bars
    assert panel.level_curve is curve
    assert list(bars.opts["height"])[36:38] == [1, 2]
    hours, levels = curve.getData()
    level_at = dict(zip(hours, levels, strict=True))  # only the day so far has points
    assert level_at[36 / 4] == 100.0
    assert level_at[37 / 4] == pytest.approx(200 / 3)
    assert min(hours) == 36 / 4  # nothing before the day's first call
    _x, forecast = panel.forecast_curve.getData()
    assert forecast[40] == 3.0
    heights = list(panel.states_bars.opts["height"])
    assert heights == [1, 0, 0, 1, 0]  # ready, on call, wrap-up, not ready, logged out
    assert "42%" in panel.forecast_label.text()
    assert panel.grab().save(str(tmp_path / "wallboard.png"))


def test_the_leads_actions(
    qtbot: QtBot, make_board: Callable[..., Made], work_cache: LocalCache
) -> None:
    service, sync, source, clock = make_board(work_cache)
    clock.at += timedelta(minutes=1)  # the seeded complaint: now due within 2 h
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    done: list[str] = []
    service.action_done.connect(done.append)
    panel.select_agent(ALICE)
    selected = panel.selected_agent()
    assert isinstance(selected, AgentLine)
    assert selected.name == "Alice Chen"
    meeting = next(
        a for a in panel.state_menu.actions()[1].menu().actions() if a.text() == "Meeting"
    )
    meeting.trigger()
    panel.log_out_button.click()
    assert source.commands == [
        (ALICE, AgentState.NOT_READY, "meeting"),
        (ALICE, AgentState.LOGGED_OUT, ""),
    ]
    assert done[0] == "Sent to Alice Chen: applied now, or after the current call."
    assert done[1] == "Sent to Alice Chen: their desk signs out now."  # not after the call
    dialog = panel.open_message_dialog()
    dialog.setTextValue("  10 点开会 ")
    dialog.accept()
    assert source.messages == ["10 点开会"]

    qtbot.waitUntil(lambda: panel.work.rowCount() == 1, timeout=5000)
    panel.select_item("ticket:21")
    reassign = panel.open_reassign()
    assert isinstance(reassign, QInputDialog)
    reassign.setTextValue("王芳")
    reassign.accept()
    assert sync.saved == [("ticket", 21, {"handler_id": WANGFANG})]
    comment = panel.open_comment()
    assert comment is not None
    comment.setTextValue("请今天回电")
    comment.accept()
    entity, ticket_id, changes = sync.saved[-1]
    assert (entity, ticket_id) == ("ticket", 21)
    assert changes["content"].startswith("[张伟 ")
    assert changes["content"].endswith("] 请今天回电")
    with qtbot.waitSignal(service.dial_requested, timeout=3000) as dialled:
        panel.call_button.click()
    assert str(dialled.args[0]).startswith("+86")


# -- live: the real backend ---------------------------------------------------------------------


# The centre's hours that bite a 24x7 board: mid-morning, just after midnight, the night
# shift, just before the morning shift, the last second of a month and of a year.
CENTRE_HOURS = [
    "2026-11-25 10:30:00",
    "2026-12-01 00:05:00",
    "2026-12-02 03:00:00",
    "2026-12-03 08:11:00",
    "2026-11-30 23:59:59",
    "2026-12-31 23:59:59",
]


@pytest.fixture(params=CENTRE_HOURS[:1])
def centre_clock(request: pytest.FixtureRequest) -> SystemClock:
    """Server and desk agree on a pinned hour of the centre's day (running on from there)."""
    return running_from(centre_time(str(request.param)))


@pytest.fixture
def lead_window(
    qtbot: QtBot,
    tmp_path: Path,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
    layout_store: QSettings,
    centre_clock: SystemClock,
    gui_thread: OffThreadEmits,
) -> Iterator[tuple[LiveBackend, MainWindow, WallboardService]]:
    backend = LiveBackend(tmp_path / "server.sqlite", clock=centre_clock)
    sync = SyncService(tasks, messages, tmp_path / "profile", poll_interval_s=3600)
    window = MainWindow(session, messages, layout_store)
    window.attach_sync(sync)
    service = WallboardService(sync, tasks, messages, layout_store, now=centre_clock.now)
    window.attach_wallboard(service)
    gui_thread.watch(sync, service)
    qtbot.addWidget(window)
    session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
    sync.ready.connect(service.start)
    window.show()
    session.sign_in(backend.url, "zhangwei", "demo1234", remember=False)
    qtbot.waitUntil(lambda: service.loaded and sync.stream is not None, timeout=15_000)
    yield backend, window, service
    service.stop()
    sync.close_now()
    backend.stop()


def put_presence(url: str, username: str, state: str, reason: str = "") -> None:
    token = requests.post(
        f"{url}/api/v1/auth/login", json={"username": username, "password": "demo1234"}, timeout=5
    ).json()["token"]
    answer = requests.put(
        f"{url}/api/v1/presence/me",
        json={"state": state, "reason": reason},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


def stream_is_live(qtbot: QtBot, sync: SyncService, url: str) -> None:
    """A fresh desk's stream starts at "now" when it connects: until then events pass it by.
    Poke it (another agent's presence) until one arrives."""
    seen: list[EventOut] = []
    sync.event_received.connect(seen.append)
    for _attempt in range(40):
        put_presence(url, "alice", "ready")
        try:
            qtbot.waitUntil(lambda: bool(seen), timeout=250)
        except qtbot.TimeoutError:
            continue
        sync.event_received.disconnect(seen.append)
        return
    raise AssertionError("the event stream never connected")


@pytest.mark.parametrize("centre_clock", CENTRE_HOURS, indirect=True)
def test_a_lead_gets_the_supervisor_tab_and_a_live_board(
    qtbot: QtBot,
    lead_window: tuple[LiveBackend, MainWindow, WallboardService],
    centre_clock: SystemClock,
) -> None:
    backend, window, service = lead_window
    tabs = [window.work_area.tabText(i).replace("&", "") for i in range(window.work_area.count())]
    assert tabs[-1] == "Supervisor"
    panel = window.wallboard_panel
    assert panel is not None
    # The supervisor layout: the lead starts on the board, the 360 closed, the phone narrow.
    assert window.work_area.currentWidget() is panel
    assert not window.customer_dock.isVisible()
    assert window.phone_dock.isVisible()
    assert window.phone_dock.width() < window.work_area.width() / 2
    names = {line.name for line in panel.agents.lines()}
    assert {"王芳", "Alice Chen"} <= names
    # The centre's day, not UTC's or the PC's; past midnight the board starts the new day.
    qtbot.waitUntil(
        lambda: board_of(service).day == centre_clock.now().astimezone(ZONE).date(),
        timeout=15_000,
    )
    board = board_of(service)
    if centre_clock.now().astimezone(ZONE).hour >= 1:  # 24x7: a trickle at night, more by day
        assert board.offered > 0
    # Just after midnight the new day has (almost) nothing yet, and says only that.
    assert board.offered == sum(board.offered_by_interval[: board.now_interval + 1])
    assert service.forecast_tomorrow is not None
    assert service.forecast_tomorrow.available
    stream_is_live(qtbot, service._sync, backend.url)
    put_presence(backend.url, "wangfang", "not_ready", "lunch")  # through the real stream
    qtbot.waitUntil(
        lambda: any(
            line.name == "王芳" and line.state is AgentState.NOT_READY
            for line in panel.agents.lines()
        ),
        timeout=10_000,
    )


def post_as_lead(url: str, path: str, body: dict[str, Any]) -> None:
    token = requests.post(
        f"{url}/api/v1/auth/login", json={"username": "zhangwei", "password": "demo1234"}, timeout=5
    ).json()["token"]
    answer = requests.post(
        f"{url}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert answer.status_code == 202, answer.text


def test_an_agents_desk_obeys_the_lead_after_the_call(
    qtbot: QtBot,
    live_desk: tuple[Rig, Phone, AgentStateService],
    tasks: TaskRunner,
    messages: MessageBridge,
    layout_store: QSettings,
) -> None:
    rig, _phone, agent = live_desk
    window, sync = rig.window, rig.sync
    wallboard = WallboardService(sync, tasks, messages, layout_store)
    window.attach_wallboard(wallboard)
    wallboard.start()
    assert not wallboard.active
    assert window.wallboard_panel is None
    url = rig.backend.url
    qtbot.waitUntil(lambda: agent.status.state is AgentState.NOT_READY, timeout=5000)
    stream_is_live(qtbot, sync, url)
    me = sync.grant.user.id if sync.grant else 0
    with qtbot.waitSignal(agent.commanded, timeout=10_000):
        post_as_lead(url, f"/presence/{me}/command", {"state": "ready"})
    assert agent.status.state is AgentState.READY
    assert "Your team lead 张伟 set you to Ready" in window.statusBar().currentMessage()
    # On a call (here: its wrap-up) the order waits, like the agent's own choice.
    agent.wrapping = CallRecord(9, CallDirection.INBOUND, "13800138000", NOW.timestamp())
    with qtbot.waitSignal(agent.commanded, timeout=10_000):
        post_as_lead(url, f"/presence/{me}/command", {"state": "not_ready", "reason": "meeting"})
    assert agent.status.state is AgentState.READY
    assert agent.status.pending == (AgentState.NOT_READY, "meeting")
    assert window.statusBar().currentMessage().endswith("(after this call)")
    agent.finish_wrap_up("resolved")
    assert agent.status.state is AgentState.NOT_READY
    assert agent.status.reason == "meeting"
    with qtbot.waitSignal(sync.event_received, timeout=10_000):
        post_as_lead(url, "/team-messages", {"text": "10 点开会 / meeting at 10"})
    qtbot.waitUntil(lambda: window.team_message is not None, timeout=5000)
    assert window.statusBar().currentMessage() == "Message from 张伟: 10 点开会 / meeting at 10"


# -- the board's numbers agree (issue 19) -------------------------------------------------------


def test_the_longest_wait_ticks_on_the_injected_clock_and_clears_when_nobody_waits(
    qtbot: QtBot, make_board: Callable[..., Made]
) -> None:
    """The ACD reports "2 waiting, longest 30 s" once; the board runs it on each second from
    the report's stamp (not frozen at 0:30), and shows no longest wait once the queue empties."""
    service, sync, _source, clock = make_board()
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    assert board_of(service).queues[0].longest_wait_s == 30
    clock.at = NOW + timedelta(seconds=15)
    qtbot.waitUntil(lambda: board_of(service).queues[0].longest_wait_s == 45, timeout=5000)
    qtbot.waitUntil(lambda: panel.queues.index(0, 2).data() == "0:45", timeout=5000)
    clock.at = NOW + timedelta(minutes=15)
    qtbot.waitUntil(lambda: board_of(service).queues[0].longest_wait_s == 930, timeout=5000)
    sync.event_received.emit(event("queue", queue(0, 0, version=3, at=clock.at)))
    line = board_of(service).queues[0]
    assert (line.waiting, line.longest_wait_s) == (0, 0)
    assert panel.queues.index(0, 2).data() == "—"


def test_calls_without_a_counter_row_get_their_own_row_so_rows_add_up_to_the_header(
    qtbot: QtBot, make_board: Callable[..., Made]
) -> None:
    """A call recorded with no queue (or a queue with no ACD counter) counts in the header: the
    queue rows carry it too, and the rows' offered sum to the header's."""
    service, _sync, source, _clock = make_board()
    direct = call(105, 45, 4).model_copy(update={"queue": ""})
    source.calls = [*source.calls, direct]
    with qtbot.waitSignal(service.board_changed, timeout=5000):
        service.refresh()
    panel = WallboardPanel(service)
    qtbot.addWidget(panel)
    board = board_of(service)
    assert board.offered == 5
    assert sum(q.offered for q in board.queues) == board.offered
    assert sum(q.answered for q in board.queues) == 4
    (other,) = [q for q in board.queues if q.name == ""]
    assert (other.offered, other.answered, other.service_level) == (1, 1, 1.0)
    assert panel.queues.index(1, 0).data() == "(no queue)"
    # The chart's last point is the header's service level: the same count.
    series = [v for v in board.service_level_by_interval if v is not None]
    assert series[-1] == board.service_level


def test_the_supervisor_layout_is_kept_apart_from_the_work_layout(
    qtbot: QtBot,
    lead_window: tuple[LiveBackend, MainWindow, WallboardService],
    layout_store: QSettings,
) -> None:
    """The lead's changes to their layout come back on their next sign-in; signing out
    leaves this seat's work layout (both docks) for the next agent."""
    _backend, window, service = lead_window
    window.customer_dock.show()  # the lead opens the 360 beside the board
    window.save_layout()
    assert layout_store.value(SUPERVISOR_STATE) is not None
    service.stop()  # signed out
    assert window.wallboard_panel is None
    assert window.customer_dock.isVisible()
    assert window.phone_dock.isVisible()
    window.customer_dock.hide()
    with qtbot.waitSignal(service.board_changed, timeout=15_000):
        service.start()  # the lead again
    assert window.work_area.currentWidget() is window.wallboard_panel
    assert window.customer_dock.isVisible()  # as the lead left it
    window.reset_layout()  # View > Reset layout: the supervisor layout's defaults
    assert not window.customer_dock.isVisible()
    assert window.work_area.currentWidget() is window.wallboard_panel


def post_call(url: str, username: str, body: dict[str, Any]) -> None:
    token = requests.post(
        f"{url}/api/v1/auth/login", json={"username": username, "password": "demo1234"}, timeout=5
    ).json()["token"]
    answer = requests.post(
        f"{url}/api/v1/interactions",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
        timeout=5,
    )
    assert answer.status_code == 201, answer.text


def test_header_queue_rows_and_chart_agree_on_scripted_calls_through_the_real_backend(
    qtbot: QtBot,
    lead_window: tuple[LiveBackend, MainWindow, WallboardService],
    centre_clock: SystemClock,
) -> None:
    """Issue 19's board said "5 offered, 40 %" over a queue row "answered 0, SL —" and an
    empty chart. Scripted calls as the agents' desks write them (answered in time, late,
    abandoned, one with no queue, one outbound) through the real backend: the header, the
    rows and the chart tell the same day, and the server's own totals agree."""
    backend, window, service = lead_window
    panel = window.wallboard_panel
    assert panel is not None
    before = board_of(service).offered
    now = centre_clock.now()
    script = [  # (queue, wait before answer or None: abandoned, kind)
        (QUEUE, 5.0, "call_in"),
        (QUEUE, 45.0, "call_in"),
        (QUEUE, None, "call_in"),
        ("", 3.0, "call_in"),  # a direct call: no X-Queue
        ("", 2.0, "call_out"),  # not offered to a queue
    ]
    for n, (queue_name, wait, kind) in enumerate(script):
        started = now - timedelta(minutes=10 - n)
        answered = started + timedelta(seconds=wait) if wait is not None else None
        post_call(
            backend.url,
            "wangfang",
            {
                "kind": kind,
                "started_at": started.isoformat(),
                "answered_at": answered.isoformat() if answered else None,
                "ended_at": ((answered or started) + timedelta(seconds=60)).isoformat(),
                "talk_s": 60 if answered else 0,
                "queue": queue_name,
            },
        )
    service.refresh()
    qtbot.waitUntil(lambda: board_of(service).offered == before + 4, timeout=15_000)  # inbound
    board = board_of(service)
    rows = panel.queues.lines()
    assert sum(line.offered for line in rows) == board.offered
    picked_up = sum(line.answered for line in rows)
    assert board.answer_rate == pytest.approx(picked_up / board.offered)
    (direct,) = [line for line in rows if line.name == ""]
    assert (direct.offered, direct.answered, direct.service_level) == (1, 1, 1.0)
    # The chart's point for now is the header's service level.
    _hours, levels = panel.level_curve.getData()
    assert levels[-1] == pytest.approx(100 * (board.service_level or 0))
    assert percent(board.service_level) in panel.summary_label.text()
    # One source: the server's totals, counted by the same DayStats, say the same.
    token = requests.post(
        f"{backend.url}/api/v1/auth/login",
        json={"username": "zhangwei", "password": "demo1234"},
        timeout=5,
    ).json()["token"]
    day = requests.get(
        f"{backend.url}/api/v1/wallboard/today",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    ).json()
    assert day["total"]["offered"] == board.offered
    assert day["total"]["service_level"] == pytest.approx(board.service_level)
    assert sum(q["offered"] for q in day["queues"]) == board.offered
