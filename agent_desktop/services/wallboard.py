"""Supervisor mode's live wallboard: the team's day, its agents and queues, escalations,
the lead's alerts and actions.

When a user whose grant has ``wallboard.view`` signs in, the board is fetched from the server
in the background (``GET /wallboard/today`` and the forecasts) and then kept live without
asking again: presence and queue events from the event stream, escalation and recurring-issue
events, and new calls as the change feed brings their interaction records into the cache
(read off the UI thread, counted by ``sync.contract.wallboard.DayStats`` as the server counts).
A re-fetch every few minutes is the safety net for anything missed while offline.

Per queue, waiting now and the longest wait are the ACD's live counters (``queue`` events;
the longest wait runs on from the event's stamp each second while anyone waits, and is 0 when
nobody does);
offered, answered, abandoned, service level and answer rate are counted from the call records,
the same source as the agents' figures, the header and the charts, so the board adds up: calls
whose queue has no counter row get a row of their own rather than counting in the header only.

Alerts (contract 1.6) are the server's: the team's thresholds live there (set by any lead of
the team), the server raises and clears alerts on its own clock and records them, and every
lead of the team hears of each step through the event stream (``alert``, ``alert.thresholds``)
and may acknowledge one (who and when is shown to all). The board fetches them at sign-in and
with each refresh; each one raised or cleared is kept in ``alert_log`` and announced through
``alert_fired`` (the panel shows a desktop notification).

A server before 1.6 answers 404: the desk then evaluates the alerts itself as before (on every
change and every second, on thresholds kept per user in the local settings and the roaming
profile), and ``server_alerts`` is False so the panel says so. Thresholds a lead kept on their
desk are moved to the server once: when the team's have never been set there (version 0),
else the team's stand; the local copy is dropped either way.

Lead actions on agents (force a state, log out, a team message) go to the server at once, not
through the outbox: an order to go Ready that arrived hours late would be wrong, so offline
they fail and say so. Ticket actions (reassign, comment) are ordinary edits through the cache.
"""

from __future__ import annotations

import logging
import time as wall
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError
from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from agent_desktop.messages import MessageBridge
from agent_desktop.services.api_errors import describe
from agent_desktop.services.sync_service import CacheError, SyncService
from agent_desktop.tasks import TaskRunner
from sync.cache import LocalCache
from sync.client import ApiClient, ServerError
from sync.clock import system_clock
from sync.contract.alerts import AlertOut, TeamThresholdsIn, TeamThresholdsOut
from sync.contract.desk import AUTOMATIC_REASONS, DEFAULT_DESK_SETTINGS
from sync.contract.errors import ErrorCode
from sync.contract.events import EscalationData, payload_of
from sync.contract.records import AgentState, SessionGrant
from sync.contract.wallboard import (
    INTERVALS_PER_DAY,
    AgentCommandIn,
    AgentLive,
    Alert,
    AlertThresholds,
    AlertTracker,
    CallFact,
    ComplaintDue,
    DayStats,
    ForecastOut,
    QueueLive,
    TeamMessageIn,
    WallboardToday,
    centre_zone,
    evaluate_alerts,
    interval_of,
    longest_wait_at,
)
from sync.contract.wire import (
    DeskCode,
    DeskSettings,
    PresenceOut,
    QueueOut,
    RecurringIssueOut,
    TicketOut,
    TicketPatch,
    WireModel,
)
from sync.entities import edit_of, refusal
from sync.shown import shown
from sync.work_views import TicketLine, WorkViews

log = logging.getLogger(__name__)
M = TypeVar("M", bound=WireModel)

PERMISSION = "wallboard.view"
REFRESH_S = 300.0  # the safety-net re-fetch
TICKET_READ_DELAY_MS = 500  # a burst of ticket changes is read once
_OPEN_STATUSES = frozenset({"new", "in_progress", "waiting_customer", "escalated"})
_BUSY = (AgentState.ON_CALL, AgentState.WRAP_UP)


class WallboardSource(Protocol):
    """Where the board comes from (the backend; a fake in tests). Called on worker threads."""

    def today(self, answer_within_s: int) -> WallboardToday: ...
    def forecast(self, day: date | None) -> ForecastOut: ...
    def command(self, user_id: int, state: AgentState, reason: str) -> None: ...
    def message(self, text: str) -> None: ...


class AlertSource(Protocol):
    """Where a team's alerts are kept (the backend, contract 1.6). Called on worker threads."""

    def thresholds(self, team_id: int) -> TeamThresholdsOut: ...
    def set_thresholds(self, team_id: int, body: TeamThresholdsIn) -> TeamThresholdsOut: ...
    def alerts(self) -> list[AlertOut]: ...
    def acknowledge(self, alert_id: int) -> AlertOut: ...


class ApiAlertSource:
    def __init__(self, client: Callable[[], ApiClient]) -> None:
        self._client = client

    def thresholds(self, team_id: int) -> TeamThresholdsOut:
        with self._client() as api:
            return api.team_thresholds(team_id)

    def set_thresholds(self, team_id: int, body: TeamThresholdsIn) -> TeamThresholdsOut:
        with self._client() as api:
            return api.set_team_thresholds(team_id, body)

    def alerts(self) -> list[AlertOut]:
        with self._client() as api:
            return api.alerts()

    def acknowledge(self, alert_id: int) -> AlertOut:
        with self._client() as api:
            return api.acknowledge_alert(alert_id)


class ApiWallboardSource:
    def __init__(self, client: Callable[[], ApiClient]) -> None:
        self._client = client

    def today(self, answer_within_s: int) -> WallboardToday:
        with self._client() as api:
            return api.wallboard_today(answer_within_s)

    def forecast(self, day: date | None) -> ForecastOut:
        with self._client() as api:
            return api.wallboard_forecast(day)

    def command(self, user_id: int, state: AgentState, reason: str) -> None:
        with self._client() as api:
            api.command_agent(user_id, AgentCommandIn(state=state, reason=reason))

    def message(self, text: str) -> None:
        with self._client() as api:
            api.message_team(TeamMessageIn(text=text))


# -- what the board shows ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgentLine:
    user_id: int
    name: str
    state: AgentState
    reason: str
    since: datetime | None  # in this state since (on a call: its start); None: never signed in
    handled: int
    aht_s: float | None
    alert: bool = False


@dataclass(frozen=True, slots=True)
class QueueLine:
    id: int
    name: str
    waiting: int
    longest_wait_s: int
    offered: int  # today, from the call records (as are the next four)
    answered: int
    abandoned: int
    service_level: float | None
    answer_rate: float | None
    alert: bool = False


@dataclass(frozen=True, slots=True)
class WorkItem:
    """An escalation, a complaint near its deadline, or a recurring-issue flag to act on."""

    key: str
    kind: str  # escalation | complaint | recurring
    ticket_ids: tuple[int, ...]
    title: str  # the ticket number, or category and model
    detail: str  # summary, customer, handler
    level: int = 0
    due_at: datetime | None = None
    handler_id: int | None = None
    alert: bool = False
    # To whom the level went and what the centre calls it (contract 1.6; empty before).
    escalated_to: str = ""
    escalation_target: str = ""
    escalation_label_en: str = ""
    escalation_label_zh: str = ""


@dataclass(frozen=True, slots=True)
class AlertEntry:
    """One alert's life on the board: when it fired and (once it did) when it cleared; for
    the server's alerts its id and who acknowledged it, when."""

    alert: Alert
    fired_at: datetime
    cleared_at: datetime | None = None
    id: int | None = None  # None: evaluated on this desk (a server before 1.6)
    acked_at: datetime | None = None
    acked_by: str = ""

    @classmethod
    def of(cls, out: AlertOut) -> AlertEntry:
        alert = Alert(out.kind, out.subject_id, out.subject, out.value, out.limit)
        return cls(alert, out.raised_at, out.cleared_at, out.id, out.acked_at, out.acked_by_name)


@dataclass(frozen=True, slots=True)
class Board:
    day: date
    zone: str  # the centre's time zone: the day and its intervals are counted in it
    answer_within_s: int
    agents: tuple[AgentLine, ...]
    queues: tuple[QueueLine, ...]
    offered_by_interval: tuple[int, ...]
    service_level_by_interval: tuple[float | None, ...]
    state_counts: tuple[tuple[AgentState, int], ...]
    work: tuple[WorkItem, ...]
    offered: int
    service_level: float | None
    answer_rate: float | None
    now_interval: int
    updated_at: datetime


@dataclass(slots=True)
class _Tickets:
    escalations: list[TicketLine] = field(default_factory=list)
    complaints: list[TicketLine] = field(default_factory=list)
    known: set[int] = field(default_factory=set)


def _read_tickets(cache: LocalCache) -> _Tickets:
    """On a worker: the team's open escalations and complaints with a running clock."""
    views = WorkViews(cache.path)
    try:
        lines = views.tickets()
    finally:
        views.close()
    found = _Tickets(known={line.id for line in lines})
    for line in lines:
        if line.status not in _OPEN_STATUSES:
            continue
        if line.escalation_level > 0 or line.status == "escalated":
            found.escalations.append(line)
        if line.complaint and line.sla_due_at is not None:
            found.complaints.append(line)
    return found


def _read_calls(cache: LocalCache, ids: list[int]) -> list[CallFact]:
    """On a worker: the changed interactions that are calls the server has (a desk's own
    pending record has a local id the server will replace: counted once it is synced)."""
    facts = []
    for record_id in ids:
        record = cache.get("interaction", record_id)
        if record is None or record.pending:
            continue
        fact = CallFact.from_record(record.data | {"id": record.id})
        if fact is not None:
            facts.append(fact)
    return facts


def longest_wait_now(queue: QueueOut, now: datetime) -> int:
    """The ACD's longest wait now (``sync.contract.wallboard.longest_wait_at``: the server's
    alerts read the same rule)."""
    return longest_wait_at(queue.waiting, queue.longest_wait_s, queue.updated_at, now)


class WallboardService(QObject):
    active_changed = Signal(bool)  # supervisor mode is on (a lead signed in) or off
    board_changed = Signal(object)  # Board
    forecast_changed = Signal(object, object)  # today's ForecastOut, tomorrow's (or None)
    alert_fired = Signal(object)  # AlertEntry
    alert_cleared = Signal(object)  # AlertEntry
    action_done = Signal(str)  # what the lead's action did, for the status bar
    action_failed = Signal(str)
    dial_requested = Signal(str)  # "call the customer": the phone dials it
    thresholds_changed = Signal()  # the lead changed them here (the roaming profile keeps them)
    thresholds_loaded = Signal()  # the thresholds in force changed (the server's, another lead's)
    alert_acknowledged = Signal(object)  # AlertEntry: a lead of the team acknowledged it
    alerts_kept_changed = Signal(object)  # server_alerts: True, False (this desk), None (unknown)

    def __init__(
        self,
        sync: SyncService,
        tasks: TaskRunner,
        messages: MessageBridge,
        settings: QSettings,
        source: WallboardSource | None = None,
        now: Callable[[], datetime] | None = None,
        refresh_s: float = REFRESH_S,
        parent: QObject | None = None,
        alert_source: AlertSource | None = None,
    ) -> None:
        super().__init__(parent)
        self._alert_source = alert_source
        # Where alerts are evaluated: True the server (1.6), False this desk (an older
        # server), None not known yet (nothing is evaluated meanwhile).
        self.server_alerts: bool | None = None
        self._team_id: int | None = None
        self._thresholds_version = 0
        self._server_entries: dict[int, AlertEntry] = {}
        self._sync = sync
        self._tasks = tasks
        self._messages = messages
        self._settings = settings
        self._source = source
        self.now = now or system_clock().now
        self.active = False
        self.loaded = False  # the first fetch has answered
        self._generation = 0  # a sign-out makes answers still on their way stale
        self.thresholds = AlertThresholds()
        self._zone = centre_zone()
        self._stats: DayStats | None = None
        self._agents: dict[int, tuple[str, str]] = {}  # id: (username, name)
        self._presence: dict[int, PresenceOut] = {}
        self._queues: dict[int, QueueOut] = {}
        self._recurring: dict[int, RecurringIssueOut] = {}
        self._tickets = _Tickets()
        self._escalation_events: dict[int, WorkItem] = {}
        self._tracker = AlertTracker()
        self.alert_log: list[AlertEntry] = []
        self.board: Board | None = None
        self.forecast_today: ForecastOut | None = None
        self.forecast_tomorrow: ForecastOut | None = None
        self._refresh = QTimer(self)
        self._refresh.setInterval(int(refresh_s * 1000))
        self._refresh.timeout.connect(self.refresh)
        self._tick = QTimer(self)  # time-based alerts (Not Ready too long, a deadline nearing)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._second)
        self._day_asked: date | None = None  # the new day the board last asked the server for
        self._ticket_read = QTimer(self)
        self._ticket_read.setSingleShot(True)
        self._ticket_read.setInterval(TICKET_READ_DELAY_MS)
        self._ticket_read.timeout.connect(self._load_tickets)
        sync.event_received.connect(self.event_received)
        sync.records_changed.connect(self.records_changed)

    # -- life -------------------------------------------------------------------------------

    @staticmethod
    def allowed(grant: SessionGrant | None) -> bool:
        return grant is not None and PERMISSION in grant.permissions

    def start(self) -> None:
        """Signed in (the cache is open): supervisor mode for a lead, nothing for an agent."""
        grant = self._sync.grant
        if not self.allowed(grant) or grant is None:
            return
        self._generation += 1
        self.active = True
        self.thresholds = AlertThresholds.from_json(
            str(self._settings.value(self._key(grant), "") or "")
        )
        self._team_id = grant.user.team.id if grant.user.team is not None else None
        self.active_changed.emit(True)
        self.refresh()
        self._load_tickets()
        self._refresh.start()
        self._tick.start()

    def stop(self) -> None:
        """Signed out: nothing of the last lead's board stays."""
        self._generation += 1
        was = self.active
        self.active = self.loaded = False
        self._refresh.stop()
        self._tick.stop()
        self._ticket_read.stop()
        self._stats = None
        self._agents, self._presence, self._queues, self._recurring = {}, {}, {}, {}
        self._tickets = _Tickets()
        self._escalation_events = {}
        self._tracker = AlertTracker()
        self.alert_log = []
        self.server_alerts, self._team_id, self._thresholds_version = None, None, 0
        self._server_entries = {}
        self.board = self.forecast_today = self.forecast_tomorrow = None
        if was:
            self.active_changed.emit(False)

    def _key(self, grant: SessionGrant) -> str:
        return f"wallboard/{grant.user.username}/thresholds"

    def _alerts_now(self) -> AlertSource | None:
        if self._alert_source is not None:
            return self._alert_source
        factory = self._sync.client_factory
        return ApiAlertSource(factory) if factory is not None else None

    def _source_now(self) -> WallboardSource | None:
        if self._source is not None:
            return self._source
        factory = self._sync.client_factory
        return ApiWallboardSource(factory) if factory is not None else None

    # -- fetching -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the server for the whole board and the forecasts (in the background)."""
        source = self._source_now()
        if not self.active or source is None:
            return
        generation = self._generation
        within = self.thresholds.answer_within_s

        def fetch() -> tuple[WallboardToday, ForecastOut | None, ForecastOut | None]:
            today = source.today(within)
            try:
                return today, source.forecast(today.day), source.forecast(None)
            except Exception:  # the board without its forecast is still the board
                log.warning("wallboard: forecast not available", exc_info=True)
                return today, None, None

        self._tasks.run_blocking(
            fetch,
            lambda found: self._fetched(generation, *found),
            lambda error: self._fetch_failed(generation, error),
        )
        self._load_alerts()

    # -- the server's alerts (contract 1.6) ---------------------------------------------------

    def _load_alerts(self) -> None:
        """The team's thresholds and alerts from the server, in the background."""
        source = self._alerts_now()
        team_id = self._team_id
        if not self.active or self.server_alerts is False:
            return
        if source is None:  # no server to keep them (a board on a fake source): this desk
            self.server_alerts = False
            self.alerts_kept_changed.emit(False)
            return
        generation = self._generation

        def fetch() -> tuple[TeamThresholdsOut | None, list[AlertOut]]:
            thresholds = source.thresholds(team_id) if team_id is not None else None
            return thresholds, source.alerts()

        self._tasks.run_blocking(
            fetch,
            lambda found: self._alerts_loaded(generation, *found),
            lambda error: self._alerts_failed(generation, error),
        )

    def _alerts_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(error, ServerError) and error.status == 404:
            # A server before 1.6: the alerts are this desk's, as they were.
            log.info("wallboard: the server keeps no alerts (before contract 1.6)")
            self.server_alerts = False
            self.alerts_kept_changed.emit(False)
            self._changed()
            return
        log.warning("wallboard: alerts not fetched: %s", error)

    def _alerts_loaded(
        self, generation: int, thresholds: TeamThresholdsOut | None, alerts: list[AlertOut]
    ) -> None:
        if generation != self._generation:
            return
        first = self.server_alerts is not True
        self.server_alerts = True
        self._tracker = AlertTracker()  # nothing is evaluated here any more
        if first:
            self.alert_log = []
        self._server_entries = {}
        for out in sorted(alerts, key=lambda a: (a.raised_at, a.id)):
            self._server_entries[out.id] = AlertEntry.of(out)
        self._log_server_entries()
        if thresholds is not None:
            self._use_thresholds(thresholds)
            self._move_local_thresholds(thresholds)
        if first:
            self.alerts_kept_changed.emit(True)
        self._changed()

    def _log_server_entries(self) -> None:
        self.alert_log = sorted(
            self._server_entries.values(), key=lambda e: (e.fired_at, e.id or 0)
        )

    def _use_thresholds(self, stored: TeamThresholdsOut) -> None:
        if stored.version < self._thresholds_version:
            return  # an older answer than what the stream already brought
        self._thresholds_version = stored.version
        self._apply_thresholds(stored.thresholds())
        self.thresholds_loaded.emit()

    def _move_local_thresholds(self, stored: TeamThresholdsOut) -> None:
        """Thresholds this lead kept on the desk (before 1.6) go to the server once: when the
        team's were never set there. Then the desk keeps none."""
        grant = self._sync.grant
        if grant is None:
            return
        key = self._key(grant)
        text = str(self._settings.value(key, "") or "")
        if not text:
            return
        self._settings.remove(key)
        local = AlertThresholds.from_json(text)
        if stored.version != 0 or local == stored.thresholds():
            return  # the team's thresholds stand
        log.info("wallboard: this desk's alert thresholds moved to the server for the team")
        self._send_thresholds(local, 0)

    def _send_thresholds(self, thresholds: AlertThresholds, version: int) -> None:
        source = self._alerts_now()
        team_id = self._team_id
        if source is None or team_id is None:
            self.action_failed.emit(self.tr("Not connected: the thresholds were not changed."))
            return
        body = TeamThresholdsIn.of(thresholds, version)
        generation = self._generation

        def done(stored: TeamThresholdsOut) -> None:
            if generation == self._generation:
                self._use_thresholds(stored)
                self.action_done.emit(self.tr("Alert thresholds saved for the team."))

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            if isinstance(error, ServerError) and error.reason == ErrorCode.VERSION_CONFLICT:
                message = self.tr(
                    "Another lead changed the team's thresholds meanwhile; theirs are shown."
                )
                self._load_alerts()
            else:
                message = self.tr("The thresholds were not saved: %1").replace(
                    "%1", describe(error)
                )
            self.action_failed.emit(message)

        self._tasks.run_blocking(lambda: source.set_thresholds(team_id, body), done, failed)

    def _alert_event(self, out: AlertOut) -> None:
        if self.server_alerts is not True:
            return
        before = self._server_entries.get(out.id)
        entry = AlertEntry.of(out)
        self._server_entries[out.id] = entry
        self._log_server_entries()
        if before is None and entry.cleared_at is None:
            log.info(
                "wallboard alert raised: %s (%s, limit %s)",
                entry.alert.key,
                entry.alert.value,
                entry.alert.limit,
            )
            self.alert_fired.emit(entry)
        elif before is not None and before.cleared_at is None and entry.cleared_at is not None:
            self.alert_cleared.emit(entry)
        elif entry.acked_at is not None and (before is None or before.acked_at is None):
            self.alert_acknowledged.emit(entry)
        self._publish(self.now())

    def acknowledge(self, alert_id: int) -> None:
        """The lead has seen this alert: the server records who and when and tells every lead
        of the team."""
        source = self._alerts_now()
        if source is None:
            self.action_failed.emit(self.tr("Not connected: the alert was not acknowledged."))
            return
        generation = self._generation

        def done(out: AlertOut) -> None:
            if generation == self._generation:
                self._alert_event(out)
                self.action_done.emit(self.tr("Alert acknowledged."))

        self._tasks.run_blocking(
            lambda: source.acknowledge(alert_id),
            done,
            lambda error: self.action_failed.emit(describe(error)),
        )

    def _fetched(
        self,
        generation: int,
        today: WallboardToday,
        forecast_today: ForecastOut | None,
        forecast_tomorrow: ForecastOut | None,
    ) -> None:
        if generation != self._generation:
            return
        self._zone = centre_zone(today.zone)
        stats = DayStats(today.day, self._zone, today.answer_within_s, self.queue_within())
        for call in today.calls:
            stats.upsert(call.to_fact())
        if self._stats is not None and self._stats.day == today.day:
            # Calls that reached the cache while the answer was on its way.
            for fact in self._stats.calls.values():
                if fact.id not in stats.calls:
                    stats.upsert(fact)
        self._stats = stats
        self._agents = {a.user_id: (a.username, a.name) for a in today.agents}
        for presence in today.presence:
            self._keep_presence(presence)
        for queue in today.queue_counters:
            self._keep_queue(queue)
        self._recurring = {r.id: r for r in today.recurring}
        self.forecast_today, self.forecast_tomorrow = forecast_today, forecast_tomorrow
        self.loaded = True
        self.forecast_changed.emit(forecast_today, forecast_tomorrow)
        self._changed()

    def _fetch_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        log.warning("wallboard: the board could not be fetched: %s", error)
        self.action_failed.emit(
            self.tr("The wallboard could not be loaded: %1").replace("%1", describe(error))
        )

    def _keep_presence(self, presence: PresenceOut) -> None:
        known = self._presence.get(presence.user_id)
        if known is None or presence.version >= known.version:
            self._presence[presence.user_id] = presence

    def _keep_queue(self, queue: QueueOut) -> None:
        known = self._queues.get(queue.id)
        if known is None or queue.version >= known.version:
            self._queues[queue.id] = queue

    def _load_tickets(self) -> None:
        cache = self._sync.cache
        if not self.active or cache is None:
            return
        generation = self._generation

        def done(found: _Tickets) -> None:
            if generation == self._generation:
                self._tickets = found
                for ticket_id in [t for t in self._escalation_events if t in found.known]:
                    del self._escalation_events[ticket_id]  # the cache has the record now
                self._changed()

        self._tasks.run_blocking(
            lambda: _read_tickets(cache),
            done,
            lambda error: log.warning("wallboard: tickets not read: %s", error),
        )

    # -- live -------------------------------------------------------------------------------

    def event_received(self, event: Any) -> None:
        if not self.active:
            return
        try:
            payload = payload_of(event)
        except ValueError:
            log.warning("wallboard: unreadable %s event: %r", event.kind, event.data)
            return
        match payload:
            case PresenceOut():
                self._presence_event(payload)
            case QueueOut():
                self._keep_queue(payload)
            case RecurringIssueOut():
                self._recurring[payload.id] = payload
            case AlertOut():
                self._alert_event(payload)
                return
            case TeamThresholdsOut():
                if self.server_alerts is True and payload.team_id == self._team_id:
                    self._use_thresholds(payload)
            case EscalationData():
                self._escalation_events[payload.ticket_id] = WorkItem(
                    key=f"ticket:{payload.ticket_id}",
                    kind="escalation",
                    ticket_ids=(payload.ticket_id,),
                    title=payload.number,
                    detail=payload.summary,
                    level=payload.level,
                    escalated_to=payload.escalated_to,
                )
                self._ticket_read.start()
            case _:
                return
        self._changed()

    def _presence_event(self, presence: PresenceOut) -> None:
        before = self._presence.get(presence.user_id)
        self._keep_presence(presence)
        if (
            self._presence[presence.user_id] is presence  # newer than what the board had
            and before is not None
            and before.state in _BUSY
            and presence.state not in _BUSY
            and presence.user_id in self._agents
        ):
            # The agent's desk wrote the call's record before reporting the new state: fetch
            # it now rather than at the next poll, so the counts move with the board.
            self._sync.sync_now()

    def records_changed(self, touched: list[tuple[str, int]]) -> None:
        cache = self._sync.cache
        if not self.active or cache is None:
            return
        calls = [record_id for entity, record_id in touched if entity == "interaction"]
        if any(entity == "ticket" for entity, _ in touched):
            self._ticket_read.start()
        if not calls:
            return
        generation = self._generation
        self._tasks.run_blocking(
            lambda: _read_calls(cache, calls),
            lambda facts: self._add_calls(generation, facts),
            lambda error: log.warning("wallboard: calls not read: %s", error),
        )

    def _add_calls(self, generation: int, facts: list[CallFact]) -> None:
        if generation != self._generation or self._stats is None:
            return
        if any([self._stats.upsert(fact) for fact in facts]):
            self._changed()

    # -- thresholds and alerts --------------------------------------------------------------

    def queue_within(self) -> dict[str, int]:
        """Each queue's own service-level T (contract 1.6), as the server counts it."""
        settings = self._sync.desk_settings
        queues = settings.queues if settings is not None else {}
        return {n: q.service_level_s for n, q in queues.items() if q.service_level_s}

    def queue_targets(self) -> dict[str, float]:
        """Each queue's own service-level target (a share), where its admins set one."""
        settings = self._sync.desk_settings
        queues = settings.queues if settings is not None else {}
        return {n: q.service_level_pct / 100 for n, q in queues.items() if q.service_level_pct}

    def thresholds_text(self, username: str) -> str:
        """The thresholds kept on this desk for ``username`` ("" = the built-in ones)."""
        return str(self._settings.value(f"wallboard/{username}/thresholds", "") or "")

    def adopt_thresholds(self, username: str, text: str) -> None:
        """The thresholds from the lead's roaming profile (a desk before 1.6 wrote them): kept
        here, in force at once against an older server; moved to the server once otherwise."""
        if not text or self.server_alerts is True:
            return
        self._settings.setValue(f"wallboard/{username}/thresholds", text)
        grant = self._sync.grant
        if self.active and grant is not None and grant.user.username == username:
            self.set_thresholds(AlertThresholds.from_json(text), noted=False)

    def set_thresholds(self, thresholds: AlertThresholds, *, noted: bool = True) -> None:
        """The lead's change: the team's on the server (every lead of the team sees it), or
        this lead's on this desk against a server before 1.6."""
        if self.server_alerts is True:
            self._send_thresholds(thresholds, self._thresholds_version)
            return
        grant = self._sync.grant
        if grant is not None:
            self._settings.setValue(self._key(grant), thresholds.to_json())
        self._apply_thresholds(thresholds)
        if noted:
            self.thresholds_changed.emit()

    def _apply_thresholds(self, thresholds: AlertThresholds) -> None:
        recount = thresholds.answer_within_s != self.thresholds.answer_within_s
        self.thresholds = thresholds
        if recount and self._stats is not None:
            old = self._stats
            self._stats = DayStats(
                old.day, old.zone, thresholds.answer_within_s, self.queue_within()
            )
            for fact in old.calls.values():
                self._stats.upsert(fact)
        self._changed()

    def _live(self) -> tuple[list[QueueLive], list[AgentLive], list[ComplaintDue]]:
        stats = self._stats
        now = self.now()
        queues = []
        for queue in self._queues.values():
            tally = stats.queues.get(queue.name) if stats else None
            queues.append(
                QueueLive(
                    queue.name,
                    queue.waiting,
                    longest_wait_now(queue, now),
                    tally.offered if tally else 0,
                    tally.service_level if tally else None,
                )
            )
        agents = [
            AgentLive(p.user_id, self._agents[p.user_id][1], p.state, p.reason, p.since)
            for p in self._presence.values()
            if p.user_id in self._agents
        ]
        complaints = [
            ComplaintDue(t.id, t.number, t.sla_due_at)
            for t in self._tickets.complaints
            if t.sla_due_at is not None
        ]
        return queues, agents, complaints

    def _second(self) -> None:
        self._start_new_day()
        if not self._evaluate() and self.loaded and any(q.waiting for q in self._queues.values()):
            self._publish(self.now())  # the longest wait ticks while someone waits

    def _start_new_day(self) -> None:
        """At the centre's midnight the board asks for the new day at once, not at the next
        refresh: yesterday's figures never pose as today's. Asked once per day, so a desk whose
        clock runs ahead of the server's does not ask again every second."""
        stats = self._stats
        if stats is None or not self.active:
            return
        today = self.now().astimezone(stats.zone).date()
        if today > stats.day and self._day_asked != today:
            self._day_asked = today
            self.refresh()

    def _evaluate(self) -> bool:
        """Alerts now, on this desk (a server before 1.6 only); returns whether any fired or
        cleared (the board is rebuilt then)."""
        if not self.active or not self.loaded or self.server_alerts is not False:
            return False
        now = self.now()
        current = evaluate_alerts(*self._live(), self.thresholds, now, self.queue_targets())
        fired, cleared = self._tracker.update(current)
        for alert in fired:
            entry = AlertEntry(alert, now)
            self.alert_log.append(entry)
            log.info(
                "wallboard alert fired: %s (%s, limit %s)", alert.key, alert.value, alert.limit
            )
            self.alert_fired.emit(entry)
        for alert in cleared:
            for index in range(len(self.alert_log) - 1, -1, -1):
                entry = self.alert_log[index]
                if entry.alert.key == alert.key and entry.cleared_at is None:
                    self.alert_log[index] = AlertEntry(entry.alert, entry.fired_at, now)
                    log.info("wallboard alert cleared: %s", alert.key)
                    self.alert_cleared.emit(self.alert_log[index])
                    break
        changed = bool(fired or cleared)
        if changed:
            self._publish(now)
        return changed

    @property
    def active_alerts(self) -> dict[str, Alert]:
        if self.server_alerts is True:
            return {
                entry.alert.key: entry.alert
                for entry in self._server_entries.values()
                if entry.cleared_at is None
            }
        return dict(self._tracker.active)

    # -- the board --------------------------------------------------------------------------

    def _changed(self) -> None:
        if not self.loaded:
            return
        if not self._evaluate():
            self._publish(self.now())

    def _publish(self, now: datetime) -> None:
        stats = self._stats
        if stats is None:
            return
        alerts = self.active_alerts
        agents = []
        for user_id, (_username, name) in self._agents.items():
            presence = self._presence.get(user_id)
            tally = stats.agents.get(user_id)
            agents.append(
                AgentLine(
                    user_id=user_id,
                    name=name,
                    state=presence.state if presence else AgentState.LOGGED_OUT,
                    reason=presence.reason if presence else "",
                    since=presence.since if presence else None,
                    handled=tally.handled if tally else 0,
                    aht_s=tally.aht_s if tally else None,
                    alert=f"not_ready:{user_id}" in alerts,
                )
            )
        queues = []
        for queue in sorted(self._queues.values(), key=lambda q: q.id):
            counted = stats.queues.get(queue.name)
            queues.append(
                QueueLine(
                    id=queue.id,
                    name=queue.name,
                    waiting=queue.waiting,
                    longest_wait_s=longest_wait_now(queue, now),
                    offered=counted.offered if counted else 0,
                    answered=counted.answered if counted else 0,
                    abandoned=counted.abandoned if counted else 0,
                    service_level=counted.service_level if counted else None,
                    answer_rate=counted.answer_rate if counted else None,
                    alert=any(key.endswith(f":{queue.name}") for key in alerts),
                )
            )
        # Calls whose record names no queue of the team's counters (a direct call, a queue
        # since renamed, a PBX that sent no X-Queue) still count in the header's totals: they
        # get rows of their own, so the rows add up to the header (issue 19: "5 offered, 40 %"
        # over a queue row "answered 0, SL —").
        named = {queue.name for queue in self._queues.values()}
        for index, (name, counted) in enumerate(sorted(stats.queues.items())):
            if name in named or counted.offered == 0:
                continue
            queues.append(
                QueueLine(
                    id=-1 - index,  # no counter row on the server
                    name=name,
                    waiting=0,
                    longest_wait_s=0,
                    offered=counted.offered,
                    answered=counted.answered,
                    abandoned=counted.abandoned,
                    service_level=counted.service_level,
                    answer_rate=counted.answer_rate,
                )
            )
        counts = {state: 0 for state in AgentState}
        for line in agents:
            counts[line.state] += 1
        today = now.astimezone(stats.zone).date()
        if today == stats.day:
            upto = interval_of(now, stats.zone)
        else:
            upto = INTERVALS_PER_DAY - 1 if today > stats.day else -1
        self.board = Board(
            day=stats.day,
            zone=stats.zone.key,
            answer_within_s=stats.answer_within_s,
            agents=tuple(agents),
            queues=tuple(queues),
            offered_by_interval=tuple(stats.offered_by_interval),
            service_level_by_interval=tuple(stats.service_level_series(upto)),
            state_counts=tuple(counts.items()),
            work=tuple(self._work_items(alerts)),
            offered=stats.total.offered,
            service_level=stats.total.service_level,
            answer_rate=stats.total.answer_rate,
            now_interval=upto,
            updated_at=now,
        )
        self.board_changed.emit(self.board)

    def _work_items(self, alerts: dict[str, Alert]) -> Iterable[WorkItem]:
        seen: set[int] = set()
        for line in sorted(self._tickets.escalations, key=lambda t: -t.escalation_level):
            seen.add(line.id)
            yield WorkItem(
                key=f"ticket:{line.id}",
                kind="escalation",
                ticket_ids=(line.id,),
                title=line.number,
                detail=" · ".join(p for p in (line.summary, line.customer, line.handler) if p),
                level=line.escalation_level,
                due_at=line.sla_due_at,
                handler_id=line.handler_id,
                alert=f"complaint_breach:{line.id}" in alerts,
                escalated_to=line.escalated_to,
                escalation_target=line.escalation_target,
                escalation_label_en=line.escalation_label_en,
                escalation_label_zh=line.escalation_label_zh,
            )
        for ticket_id, item in self._escalation_events.items():
            if ticket_id not in seen:
                seen.add(ticket_id)
                yield item
        for line in sorted(
            self._tickets.complaints,
            key=lambda t: (t.sla_due_at is None, t.sla_due_at or self.now()),
        ):
            if line.id in seen or f"complaint_breach:{line.id}" not in alerts:
                continue  # a complaint joins the list when its deadline nears
            yield WorkItem(
                key=f"ticket:{line.id}",
                kind="complaint",
                ticket_ids=(line.id,),
                title=line.number,
                detail=" · ".join(p for p in (line.summary, line.customer, line.handler) if p),
                due_at=line.sla_due_at,
                handler_id=line.handler_id,
                alert=True,
            )
        for flag in self._recurring.values():
            yield WorkItem(
                key=f"recurring:{flag.id}",
                kind="recurring",
                ticket_ids=tuple(flag.ticket_ids),
                title=f"{flag.category} · {flag.model}",
                detail=str(flag.count),
                due_at=None,
            )

    def desk_settings(self) -> DeskSettings | None:
        return self._sync.desk_settings

    def not_ready_reasons(self) -> list[DeskCode]:
        """The reasons a lead may choose (not the ones the desk sets by itself)."""
        settings = self._sync.desk_settings or DEFAULT_DESK_SETTINGS
        return [c for c in settings.not_ready_reasons if c.code not in AUTOMATIC_REASONS]

    def agents(self) -> list[tuple[int, str]]:
        """The team's agents (id, name), for reassigning."""
        return [(user_id, name) for user_id, (_u, name) in self._agents.items()]

    # -- the lead's actions -----------------------------------------------------------------

    def _act(self, op: Callable[[WallboardSource], None], done: str) -> None:
        source = self._source_now()
        if source is None:
            self.action_failed.emit(self.tr("Not connected: the action was not sent."))
            return
        self._tasks.run_blocking(
            lambda: op(source),
            lambda _none: self.action_done.emit(done),
            lambda error: self.action_failed.emit(describe(error)),
        )

    def _name(self, user_id: int) -> str:
        return self._agents.get(user_id, ("", str(user_id)))[1]

    def force_state(self, user_id: int, state: AgentState, reason: str = "") -> None:
        """The agent's desk applies it now, or after the current call and its wrap-up."""
        self._act(
            lambda source: source.command(user_id, state, reason),
            self.tr("Sent to %1: applied now, or after the current call.").replace(
                "%1", self._name(user_id)
            ),
        )

    def log_out(self, user_id: int) -> None:
        """Not after the call: the agent's desk signs out at once (the call ended and written)."""
        self._act(
            lambda source: source.command(user_id, AgentState.LOGGED_OUT, ""),
            self.tr("Sent to %1: their desk signs out now.").replace("%1", self._name(user_id)),
        )

    def broadcast(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self._act(lambda source: source.message(text), self.tr("Message sent to the team."))

    def reassign(self, ticket_ids: Iterable[int], handler_id: int) -> None:
        for ticket_id in ticket_ids:
            self._save_ticket(ticket_id, {"handler_id": handler_id})
        self.action_done.emit(
            self.tr("Reassigned to %1; it syncs when online.").replace("%1", self._name(handler_id))
        )

    def comment(self, ticket_ids: Iterable[int], text: str) -> None:
        """A lead's comment, added to the ticket's description (which its history keeps)."""
        text = text.strip()
        cache = self._sync.cache
        grant = self._sync.grant
        if not text or cache is None or grant is None:
            return
        stamp = datetime.fromtimestamp(wall.time()).strftime("%Y-%m-%d %H:%M")
        line = f"[{grant.user.display_name} {stamp}] {text}"
        ids = list(ticket_ids)

        def read() -> dict[int, str]:
            found = {}
            for ticket_id in ids:
                record = cache.get("ticket", ticket_id)
                if record is not None:
                    found[ticket_id] = shown(TicketOut, record.data).content
            return found

        def write(contents: dict[int, str]) -> None:
            for ticket_id, content in contents.items():
                joined = f"{content.rstrip()}\n\n{line}" if content.strip() else line
                self._save_ticket(ticket_id, {"content": joined})
            self.action_done.emit(self.tr("Comment added; it syncs when online."))

        self._tasks.run_blocking(read, write, lambda e: self.action_failed.emit(describe(e)))

    def _save_ticket(self, ticket_id: int, changes: dict[str, object]) -> None:
        try:
            future = self._sync.save_edit(ticket_id, edit_of(TicketPatch, changes))
        except ValidationError as exc:
            self.action_failed.emit(refusal(exc)[1])
            return
        except CacheError as exc:
            self.action_failed.emit(str(exc))
            return
        self._tasks.when_done(
            future,
            lambda _none: None,
            lambda error: log.warning("wallboard: ticket %d not saved: %s", ticket_id, error),
        )

    def call_customer(self, ticket_id: int) -> None:
        """Dial the ticket's contact (or the customer's first number)."""
        cache = self._sync.cache
        if cache is None:
            return

        def read() -> str:
            views = WorkViews(cache.path)
            try:
                detail = views.ticket(ticket_id)
            finally:
                views.close()
            if detail is None or detail.customer is None:
                return ""
            contacts = detail.customer.contacts
            chosen = detail.ticket.contact_id if detail.ticket else None
            for contact in sorted(contacts, key=lambda c: c.id != chosen):
                if contact.phone_e164:
                    return contact.phone_e164
            return ""

        def dial(number: str) -> None:
            if number:
                self.dial_requested.emit(number)
            else:
                self.action_failed.emit(self.tr("This customer has no phone number on file."))

        self._tasks.run_blocking(read, dial, lambda e: self.action_failed.emit(describe(e)))
