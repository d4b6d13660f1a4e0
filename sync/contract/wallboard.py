"""The wallboard's arithmetic and wire schemas, shared by the backend (which computes a team's
day from its interactions) and the desk (which folds new calls in live and evaluates the lead's
alerts). No Qt: it unit-tests headless.

How the board counts (the same on both ends):

- A call belongs to the day and the 15-minute interval in which it *started* (was offered),
  in the contact centre's time zone (``CENTRE_ZONE`` unless the caller names another).
- Offered: inbound calls (``call_in``). Answered: offered calls with ``answered_at``.
  Abandoned: offered calls that ended unanswered. Wait: ``answered_at - started_at``.
- Service level: offered calls answered within T seconds (T = 20 unless the lead picks
  another) / offered calls. An abandoned call counts against it, however soon the caller hung up.
- Answer rate: answered / offered, against the 80 % standard.
- Handled, per agent: answered calls, inbound or outbound. Handle time: talk + hold (the
  record carries no after-call work time); AHT is its mean over handled calls.

Forecast of calls offered per interval for one day (``forecast_for``): interval by interval,
the mean of the same weekday in the ``weeks`` weeks before it (4 by default). A week with no
call at all on that weekday (a public holiday, a gap in the history) is left out instead of
being averaged in as zero; with no such week there is no forecast. Its error on past days
(``backtest``) forecasts each past day the same way from its own earlier weeks and compares:
MAPE (mean of |actual - forecast| / actual over the intervals that had calls) and WAPE
(sum |actual - forecast| / sum actual, steadier when intervals hold only a few calls).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StringConstraints

from sync.contract.records import AgentState
from sync.contract.rules import CENTRE_ZONE
from sync.contract.wire import Plain, PresenceOut, QueueOut, RecurringIssueOut, WireModel

INTERVAL_MIN = 15
INTERVALS_PER_DAY = 24 * 60 // INTERVAL_MIN
DEFAULT_ANSWER_WITHIN_S = 20
ANSWER_RATE_TARGET = 0.80
FORECAST_WEEKS = 4
CALL_KINDS = ("call_in", "call_out")
# The service-level alert waits for this many offered calls: a board opened at 08:01 would
# otherwise alarm on the day's first abandoned call.
SERVICE_LEVEL_MIN_CALLS = 10
# States a lead may put an agent in; on call and wrap-up are the phone's to decide.
COMMAND_STATES = frozenset({AgentState.READY, AgentState.NOT_READY, AgentState.LOGGED_OUT})
# The reason code a desk shows for a state its lead chose.
LEAD_REASON = "lead"


def centre_zone(name: str | None = None) -> ZoneInfo:
    """The zone a day is counted in; ``ValueError`` for a name that is not an IANA zone."""
    text = (name or CENTRE_ZONE).strip()
    if not text or len(text) > 64 or text.startswith(("/", ".")) or ".." in text:
        raise ValueError(f"{name!r} is not a time zone")
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{name!r} is not a time zone") from None


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The day's first instant and the next day's, in UTC-comparable aware datetimes."""
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return start, end


def interval_of(moment: datetime, zone: ZoneInfo) -> int:
    """0..95: the wall-clock quarter hour of the local day (a 25-hour day shares one hour)."""
    local = moment.astimezone(zone)
    return (local.hour * 60 + local.minute) // INTERVAL_MIN


def interval_label(index: int) -> str:
    minutes = index * INTERVAL_MIN
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _stamp(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


# -- calls ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallFact:
    """What the board needs of one interaction record."""

    id: int
    agent_id: int
    kind: str
    queue: str
    started_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    talk_s: int = 0
    hold_s: int = 0

    @property
    def inbound(self) -> bool:
        return self.kind == "call_in"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def abandoned(self) -> bool:
        return self.inbound and self.answered_at is None and self.ended_at is not None

    @property
    def wait_s(self) -> float | None:
        if self.answered_at is None:
            return None
        return max(0.0, (self.answered_at - self.started_at).total_seconds())

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> CallFact | None:
        """From an interaction as the wire or the cache holds it; None for a non-call or a
        record that cannot be read (an e-mail, a half-written offline draft)."""
        if data.get("kind") not in CALL_KINDS:
            return None
        try:
            started = _stamp(data.get("started_at"))
            if started is None:
                return None
            return cls(
                id=int(data["id"]),
                agent_id=int(data.get("agent_id") or 0),
                kind=str(data["kind"]),
                queue=str(data.get("queue") or ""),
                started_at=started,
                answered_at=_stamp(data.get("answered_at")),
                ended_at=_stamp(data.get("ended_at")),
                talk_s=int(data.get("talk_s") or 0),
                hold_s=int(data.get("hold_s") or 0),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(slots=True)
class AgentTally:
    handled: int = 0
    handle_s: int = 0

    @property
    def aht_s(self) -> float | None:
        return self.handle_s / self.handled if self.handled else None


@dataclass(slots=True)
class QueueTally:
    offered: int = 0
    answered: int = 0
    answered_within: int = 0
    abandoned: int = 0

    @property
    def service_level(self) -> float | None:
        return self.answered_within / self.offered if self.offered else None

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.offered if self.offered else None


class DayStats:
    """One day's counters, kept up to date call by call (O(1) per call): a record seen again
    (patched later) replaces its earlier self instead of counting twice."""

    def __init__(
        self,
        day: date,
        zone: ZoneInfo,
        answer_within_s: int = DEFAULT_ANSWER_WITHIN_S,
        queue_within: Mapping[str, int] | None = None,
    ) -> None:
        self.day = day
        self.zone = zone
        self.answer_within_s = answer_within_s
        # A queue's own service-level T, set by the centre's admins (contract 1.6): its calls
        # count as answered in time against it (in the day's totals too, so rows add up).
        self.queue_within: Mapping[str, int] = dict(queue_within or {})
        self.start, self.end = day_bounds(day, zone)
        self.calls: dict[int, CallFact] = {}
        self.agents: dict[int, AgentTally] = {}
        self.queues: dict[str, QueueTally] = {}
        self.total = QueueTally()
        self.offered_by_interval = [0] * INTERVALS_PER_DAY
        self.within_by_interval = [0] * INTERVALS_PER_DAY

    def covers(self, fact: CallFact) -> bool:
        return self.start <= fact.started_at < self.end

    def upsert(self, fact: CallFact) -> bool:
        """Count a call (or its newer version); returns whether anything changed."""
        old = self.calls.get(fact.id)
        if old == fact:
            return False
        if old is not None:
            self._apply(old, -1)
            del self.calls[fact.id]
        if self.covers(fact):
            self._apply(fact, +1)
            self.calls[fact.id] = fact
        return old is not None or fact.id in self.calls

    def _apply(self, fact: CallFact, sign: int) -> None:
        if fact.answered:
            agent = self.agents.setdefault(fact.agent_id, AgentTally())
            agent.handled += sign
            agent.handle_s += sign * (fact.talk_s + fact.hold_s)
        if not fact.inbound:
            return
        wait = fact.wait_s
        limit = self.queue_within.get(fact.queue, self.answer_within_s)
        within = wait is not None and wait <= limit
        interval = interval_of(fact.started_at, self.zone)
        self.offered_by_interval[interval] += sign
        self.within_by_interval[interval] += sign * within
        for tally in (self.total, self.queues.setdefault(fact.queue, QueueTally())):
            tally.offered += sign
            tally.answered += sign * fact.answered
            tally.answered_within += sign * within
            tally.abandoned += sign * fact.abandoned

    def service_level_series(self, upto: int = INTERVALS_PER_DAY - 1) -> list[float | None]:
        """The day's service level so far at the end of each interval (None before the first
        offered call and after ``upto``, the interval now running)."""
        series: list[float | None] = []
        offered = within = 0
        for index in range(INTERVALS_PER_DAY):
            offered += self.offered_by_interval[index]
            within += self.within_by_interval[index]
            series.append(within / offered if offered and index <= upto else None)
        return series


# -- forecast -----------------------------------------------------------------------------------


def daily_counts(facts: Iterable[CallFact], zone: ZoneInfo) -> dict[date, list[int]]:
    """Calls offered per interval, per local day."""
    days: dict[date, list[int]] = {}
    for fact in facts:
        if not fact.inbound:
            continue
        local = fact.started_at.astimezone(zone)
        days.setdefault(local.date(), [0] * INTERVALS_PER_DAY)[interval_of(local, zone)] += 1
    return days


@dataclass(frozen=True, slots=True)
class Forecast:
    day: date
    values: tuple[float, ...]
    based_on: tuple[date, ...]  # the past days averaged

    @property
    def total(self) -> float:
        return sum(self.values)


def forecast_for(
    day: date, history: Mapping[date, Sequence[int]], weeks: int = FORECAST_WEEKS
) -> Forecast | None:
    based_on = tuple(
        past
        for past in (day - timedelta(weeks=k) for k in range(1, weeks + 1))
        if sum(history.get(past, ())) > 0
    )
    if not based_on:
        return None
    values = tuple(
        sum(history[past][i] for past in based_on) / len(based_on) for i in range(INTERVALS_PER_DAY)
    )
    return Forecast(day, values, based_on)


@dataclass(frozen=True, slots=True)
class ForecastError:
    mape: float | None  # None: no interval had calls
    wape: float | None


def forecast_error(actual: Sequence[int], forecast: Sequence[float]) -> ForecastError:
    pairs = list(zip(actual, forecast, strict=True))
    with_calls = [(a, f) for a, f in pairs if a > 0]
    total = sum(a for a, _ in pairs)
    mape = sum(abs(a - f) / a for a, f in with_calls) / len(with_calls) if with_calls else None
    wape = sum(abs(a - f) for a, f in pairs) / total if total else None
    return ForecastError(mape, wape)


@dataclass(frozen=True, slots=True)
class PastDayError:
    day: date
    mape: float | None
    wape: float | None
    actual_total: int
    forecast_total: float


def backtest(
    history: Mapping[date, Sequence[int]], days: Iterable[date], weeks: int = FORECAST_WEEKS
) -> list[PastDayError]:
    """The method's error on past days that had calls and enough history to be forecast."""
    found = []
    for day in days:
        actual = history.get(day)
        if not actual or not sum(actual):
            continue
        forecast = forecast_for(day, history, weeks)
        if forecast is None:
            continue
        error = forecast_error(actual, forecast.values)
        found.append(PastDayError(day, error.mape, error.wape, sum(actual), forecast.total))
    return found


# -- alerts -------------------------------------------------------------------------------------


class AlertKind(StrEnum):
    QUEUE_WAITING = "queue_waiting"
    LONGEST_WAIT = "longest_wait"
    SERVICE_LEVEL = "service_level"
    NOT_READY = "not_ready"
    COMPLAINT_BREACH = "complaint_breach"


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    """The lead's limits; None switches an alert off."""

    queue_waiting: int | None = 5  # more than this many calls waiting in a queue
    longest_wait_s: int | None = 60  # the longest waiting call beyond this
    service_level: float | None = 0.80  # the day's service level below this
    not_ready_s: int | None = 15 * 60  # an agent Not Ready for longer than this
    complaint_breach_s: int | None = 2 * 3600  # a complaint's deadline closer than this
    answer_within_s: int = DEFAULT_ANSWER_WITHIN_S  # the service level's T

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AlertThresholds:
        """Tolerant: a value that is missing or not a number keeps its default."""
        try:
            raw = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(raw, dict):
            return cls()
        values: dict[str, Any] = asdict(cls())
        for spec in fields(cls):
            value = raw.get(spec.name, values[spec.name])
            if value is None and spec.name != "answer_within_s":
                values[spec.name] = None
            elif (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and value >= 0
            ):
                values[spec.name] = float(value) if spec.name == "service_level" else int(value)
        if values["answer_within_s"] < 1:
            values["answer_within_s"] = DEFAULT_ANSWER_WITHIN_S
        return cls(**values)


def longest_wait_at(waiting: int, longest_wait_s: int, reported_at: datetime, now: datetime) -> int:
    """The ACD's longest wait, run on from when it was reported: a caller still waiting
    waits longer every second, and an empty queue has no longest wait (issue 19: "Waiting 1,
    longest 0:35" stood still for 15 minutes). The board and the server's alerts read it."""
    if waiting <= 0:
        return 0
    since = max(0.0, (now - reported_at).total_seconds())
    return longest_wait_s + int(since)


@dataclass(frozen=True, slots=True)
class QueueLive:
    name: str
    waiting: int
    longest_wait_s: int
    offered: int  # today, for the service-level alert's minimum
    service_level: float | None


@dataclass(frozen=True, slots=True)
class AgentLive:
    user_id: int
    name: str
    state: AgentState
    reason: str
    since: datetime


@dataclass(frozen=True, slots=True)
class ComplaintDue:
    ticket_id: int
    number: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    subject_id: str  # the queue's name, the agent's or ticket's id
    subject: str  # what the board calls it
    value: float  # what was seen: calls, seconds, a fraction
    limit: float

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.subject_id}"


def evaluate_alerts(
    queues: Iterable[QueueLive],
    agents: Iterable[AgentLive],
    complaints: Iterable[ComplaintDue],
    thresholds: AlertThresholds,
    now: datetime,
    queue_targets: Mapping[str, float] | None = None,
) -> dict[str, Alert]:
    """Every alert that holds right now, by key. ``queue_targets``: a queue's own
    service-level target (contract 1.6) in place of the lead's threshold, where set; a lead
    who turned the service-level alert off gets none."""
    found: list[Alert] = []
    t = thresholds
    for queue in queues:
        target = None
        if t.service_level is not None:
            target = (queue_targets or {}).get(queue.name, t.service_level)
        if t.queue_waiting is not None and queue.waiting > t.queue_waiting:
            found.append(
                Alert(
                    AlertKind.QUEUE_WAITING, queue.name, queue.name, queue.waiting, t.queue_waiting
                )
            )
        if t.longest_wait_s is not None and queue.longest_wait_s > t.longest_wait_s:
            found.append(
                Alert(
                    AlertKind.LONGEST_WAIT,
                    queue.name,
                    queue.name,
                    queue.longest_wait_s,
                    t.longest_wait_s,
                )
            )
        if (
            target is not None
            and queue.service_level is not None
            and queue.offered >= SERVICE_LEVEL_MIN_CALLS
            and queue.service_level < target
        ):
            found.append(
                Alert(
                    AlertKind.SERVICE_LEVEL,
                    queue.name,
                    queue.name,
                    queue.service_level,
                    target,
                )
            )
    if t.not_ready_s is not None:
        for agent in agents:
            seconds = (now - agent.since).total_seconds()
            if agent.state is AgentState.NOT_READY and seconds > t.not_ready_s:
                found.append(
                    Alert(
                        AlertKind.NOT_READY, str(agent.user_id), agent.name, seconds, t.not_ready_s
                    )
                )
    if t.complaint_breach_s is not None:
        for complaint in complaints:
            left = (complaint.due_at - now).total_seconds()
            if left < t.complaint_breach_s:
                found.append(
                    Alert(
                        AlertKind.COMPLAINT_BREACH,
                        str(complaint.ticket_id),
                        complaint.number,
                        left,
                        t.complaint_breach_s,
                    )
                )
    return {alert.key: alert for alert in found}


@dataclass(slots=True)
class AlertTracker:
    """Which alerts hold; ``update`` says which fired and which cleared since the last one.
    An alert whose value moves while it holds (the wait grows) neither fires nor clears."""

    active: dict[str, Alert] = field(default_factory=dict)

    def update(self, current: Mapping[str, Alert]) -> tuple[list[Alert], list[Alert]]:
        fired = [alert for key, alert in current.items() if key not in self.active]
        cleared = [alert for key, alert in self.active.items() if key not in current]
        self.active = dict(current)
        return fired, cleared


# -- wire ---------------------------------------------------------------------------------------


class CallOut(WireModel):
    id: int
    agent_id: int
    kind: str
    queue: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    talk_s: int
    hold_s: int

    def to_fact(self) -> CallFact:
        return CallFact(
            self.id,
            self.agent_id,
            self.kind,
            self.queue,
            self.started_at,
            self.answered_at,
            self.ended_at,
            self.talk_s,
            self.hold_s,
        )


class AgentTodayOut(WireModel):
    user_id: int
    username: str
    name: str
    team_id: int | None
    handled: int
    handle_s: int
    aht_s: float | None


class QueueTodayOut(WireModel):
    name: str
    offered: int
    answered: int
    answered_within: int
    abandoned: int
    service_level: float | None
    answer_rate: float | None


class WallboardToday(WireModel):
    """The board at one moment: today's counts, who is in which state, the queues' live
    counters, and the recurring-issue flags of the last week. ``calls`` lets a desk fold
    later calls in without counting one twice."""

    day: date
    zone: str
    answer_within_s: int
    generated_at: datetime
    agents: list[AgentTodayOut]
    queues: list[QueueTodayOut]
    total: QueueTodayOut
    queue_counters: list[QueueOut]
    presence: list[PresenceOut]
    offered_by_interval: list[int]
    service_level_by_interval: list[float | None]
    calls: list[CallOut]
    recurring: list[RecurringIssueOut]


class PastDayErrorOut(WireModel):
    day: date
    mape: float | None
    wape: float | None
    actual_total: int
    forecast_total: float


class ForecastOut(WireModel):
    day: date
    zone: str
    weeks: int
    method: str
    available: bool  # False: no same-weekday history to average
    intervals: list[float]  # calls offered per 15-minute interval (empty when not available)
    based_on: list[date]
    past: list[PastDayErrorOut]  # the method's error on the days before ``day``
    mape: float | None  # the mean of the past days' MAPE
    wape: float | None


ReasonText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Plain]


class AgentCommandIn(WireModel):
    state: AgentState
    reason: ReasonText = ""


class AgentCommandOut(WireModel):
    """A lead's order to an agent's desk (the event ``presence.command``): the desk applies
    it at once, or after the current call and its wrap-up."""

    user_id: int
    team_id: int | None
    state: AgentState
    reason: str
    by_user_id: int
    by_name: str
    at: datetime


class TeamMessageIn(WireModel):
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), Plain
    ]
    team_id: Annotated[int, Field(ge=1, le=2_147_483_647)] | None = None


class TeamMessageOut(WireModel):
    """A lead's short message to the team's desks (the event ``team.message``)."""

    team_id: int
    text: str
    by_user_id: int
    by_name: str
    at: datetime
