"""Reports (contract 1.8, issue 21): what the server aggregates over a period and the shapes
both ends speak under ``/api/v1/reports/...``.

How the reports count (the wallboard's rules, ``sync.contract.wallboard``, over any period):

- A call belongs to the centre day, week (Monday first), month and 15-minute interval in
  which it *started*, in the centre's zone (``CENTRE_ZONE``): a call from 23:58 to 00:06
  is the earlier day's. Periods with no call are listed with zeros, so a chart has no gaps.
- Traffic: offered = inbound calls (``call_in``); answered = offered calls with an answer
  time; abandoned = the others, bucketed by how long the caller waited
  (``ABANDON_BOUNDS_S``). Service level = offered calls answered within the threshold /
  offered calls (an abandoned call counts against it); the threshold is each call's queue's
  (``QueueOut.service_level_s``, else the wallboard's ``DEFAULT_ANSWER_WITHIN_S``) unless the
  filter names one. Answer rate = answered / offered. The heat map counts offered calls by
  weekday × hour.
- Handling, over answered calls in and out: average talk, hold and wrap-up (after-call work;
  a desk before 1.8 sends none, so its calls count 0) and handle time = talk + hold + wrap-up;
  transfers. First-contact resolution: an answered inbound call from a known customer that is
  not followed by another inbound call from the same customer within ``REPEAT_WINDOW_DAYS``
  (whichever agent or day took it, also after the report's period); repeat callers: the
  customers whose call was followed so.
- Service, over tickets opened in the period: by category, model (the ticket's product) and
  region; resolved (closed or resolved by now); overdue (closed after, or still open past,
  their resolution deadline); SLA compliance = share of resolved tickets closed by their
  deadline; complaints and escalations; dispatches (first visits, and the share that fixed it:
  the first-visit fix rate); callbacks (reached, and the mean satisfaction 1..5); knowledge
  coverage = share of consultation tickets answered from the knowledge base (an article
  linked).
- People, per agent: handled calls and handle times; occupancy = time on call and in wrap-up /
  time signed in and not on a break (from the server's agent-state history; None where there
  is none); adherence (filled by workforce planning, None until it is); the mean QA score of
  the agent's evaluations in the period (None: none); the mean satisfaction of their callbacks.
- Drill-down: the interactions or tickets behind one number, paged.

Who sees what: ``VIEW`` (leads, admins, QA) sees the teams their role sees; ``VIEW_OWN``
(agents) sees only their own calls and tickets, whatever filter they send.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from sync.contract.records import Channel
from sync.contract.wire import Day, Id, Instant, ShortText, WireModel

# Routes, under API_PREFIX; GET with the filter as query parameters (``ReportFilter.query``).
DIMENSIONS_ROUTE = "/reports/dimensions"
TRAFFIC_ROUTE = "/reports/traffic"
HANDLING_ROUTE = "/reports/handling"
SERVICE_ROUTE = "/reports/service"
PEOPLE_ROUTE = "/reports/people"
DRILL_ROUTE = "/reports/drill"

# Permissions (granted by migration 0018_reports).
VIEW = "report.view"  # the figures of the teams one's role sees
VIEW_OWN = "report.view_own"  # one's own figures only
REPORT_PERMISSIONS = frozenset({VIEW, VIEW_OWN})

MAX_DAYS = 400  # a year and a month: last year against this one is two requests
MAX_INTERVAL_DAYS = 31  # 15-minute periods: at most a month (2,976 periods)
ABANDON_BOUNDS_S = (10, 30, 60, 120)  # abandoned within 10 s, 10-30 s, … , 120 s or more
REPEAT_WINDOW_DAYS = 7
MAX_PAGE = 500
KB_CATEGORY = "consultation"  # the tickets whose answer may come from the knowledge base


class Granularity(StrEnum):
    INTERVAL = "interval"  # 15 minutes
    DAY = "day"
    WEEK = "week"  # Monday to Sunday
    MONTH = "month"


class ReportFilter(WireModel):
    """What a report covers. Dates are centre days, both included. Empty: no restriction
    (within what the caller may see)."""

    date_from: Day
    date_to: Day
    team_id: Id | None = None
    queue: ShortText | None = None
    agent_id: Id | None = None
    channel: Channel | None = None  # phone: calls; tickets by the channel they came in by
    product_line: ShortText | None = None
    granularity: Granularity = Granularity.DAY
    # Overrides each queue's service-level threshold (seconds).
    answer_within_s: Annotated[int, Field(ge=1, le=3600)] | None = None

    @model_validator(mode="after")
    def _sane_range(self) -> Self:
        if self.date_to < self.date_from:
            raise ValueError(f"date_to {self.date_to} is before date_from {self.date_from}")
        days = (self.date_to - self.date_from).days + 1
        if days > MAX_DAYS:
            raise ValueError(f"a report covers at most {MAX_DAYS} days, not {days}")
        if self.granularity is Granularity.INTERVAL and days > MAX_INTERVAL_DAYS:
            raise ValueError(
                f"15-minute periods cover at most {MAX_INTERVAL_DAYS} days, not {days}"
            )
        return self

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def query(self) -> dict[str, str]:
        """The filter as query parameters (what the desk sends)."""
        pairs: dict[str, str] = {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "granularity": self.granularity.value,
        }
        for name in ("team_id", "agent_id", "answer_within_s"):
            value = getattr(self, name)
            if value is not None:
                pairs[name] = str(value)
        for name in ("queue", "product_line"):
            value = getattr(self, name)
            if value:
                pairs[name] = value
        if self.channel is not None:
            pairs["channel"] = self.channel.value
        return pairs


def period_starts(start: date, end: date, granularity: Granularity) -> list[date]:
    """The first day of each day / week / month period from ``start`` to ``end`` (weeks
    start on Monday, months on the 1st; the first period may begin before ``start``)."""
    if granularity is Granularity.WEEK:
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(days=7 * n) for n in range((end - first).days // 7 + 1)]
    if granularity is Granularity.MONTH:
        months = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            months.append(date(year, month, 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def period_of(day: date, granularity: Granularity) -> date:
    """The first day of the period ``day`` is in (day / week / month)."""
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def ratio(part: float, whole: float) -> float | None:
    """part / whole, or None when there is nothing to divide (not 0: "no calls" is not "0 %")."""
    return None if whole <= 0 else part / whole


# -- dimensions --------------------------------------------------------------------------------


class NamedId(WireModel):
    id: int
    name: str


class AgentRef(WireModel):
    id: int
    name: str
    team_id: int | None


class ReportDimensions(WireModel):
    """What the caller may filter by: their teams, queues, agents, product lines, and the
    range of days that hold data (None: no data)."""

    teams: list[NamedId]
    queues: list[str]
    agents: list[AgentRef]
    product_lines: list[str]
    channels: list[Channel]
    own_only: bool  # an agent: the filters for team and agent are fixed to themselves
    first_day: date | None = None
    last_day: date | None = None


# -- traffic -----------------------------------------------------------------------------------


class TrafficPeriod(WireModel):
    """One period's calls. ``start``: its first instant in the centre's zone."""

    start: datetime
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    # Abandoned calls by how long the caller waited: one count per bucket of ABANDON_BOUNDS_S
    # (below the first bound, …, at or above the last): len(ABANDON_BOUNDS_S) + 1 counts.
    abandoned_after: list[int] = Field(default_factory=lambda: [0] * (len(ABANDON_BOUNDS_S) + 1))
    answered_within: int = 0  # answered within the threshold (the service level's numerator)
    outbound: int = 0
    total_wait_s: float = 0.0  # over answered calls: ASA = total_wait_s / answered

    @property
    def service_level(self) -> float | None:
        return ratio(self.answered_within, self.offered)

    @property
    def answer_rate(self) -> float | None:
        return ratio(self.answered, self.offered)

    @property
    def average_answer_s(self) -> float | None:
        return ratio(self.total_wait_s, self.answered)


class HeatCell(WireModel):
    weekday: Annotated[int, Field(ge=0, le=6)]  # Monday 0
    hour: Annotated[int, Field(ge=0, le=23)]
    offered: int
    answered: int


class TrafficReport(WireModel):
    filter: ReportFilter
    zone: str
    # The threshold the service level was counted with; None: each queue's own (mixed).
    answer_within_s: int | None
    abandon_bounds_s: list[int] = Field(default_factory=lambda: list(ABANDON_BOUNDS_S))
    totals: TrafficPeriod
    periods: list[TrafficPeriod]
    heatmap: list[HeatCell]  # all 168 cells, Monday 00:00 first


# -- handling ----------------------------------------------------------------------------------


class HandlingPeriod(WireModel):
    start: datetime
    handled: int = 0  # answered calls, in and out
    talk_s: int = 0  # totals over handled calls (averages below)
    hold_s: int = 0
    wrap_up_s: int = 0
    transferred: int = 0  # handled calls transferred at least once
    transfers: int = 0  # transfers in all
    contacts: int = 0  # answered inbound calls from a known customer (FCR's denominator)
    first_contact_resolved: int = 0
    repeat_callers: int = 0  # distinct customers who called again within the window

    @property
    def average_talk_s(self) -> float | None:
        return ratio(self.talk_s, self.handled)

    @property
    def average_hold_s(self) -> float | None:
        return ratio(self.hold_s, self.handled)

    @property
    def average_wrap_up_s(self) -> float | None:
        return ratio(self.wrap_up_s, self.handled)

    @property
    def average_handle_s(self) -> float | None:
        return ratio(self.talk_s + self.hold_s + self.wrap_up_s, self.handled)

    @property
    def fcr_rate(self) -> float | None:
        return ratio(self.first_contact_resolved, self.contacts)

    @property
    def transfer_rate(self) -> float | None:
        return ratio(self.transferred, self.handled)


class HandlingReport(WireModel):
    filter: ReportFilter
    zone: str
    repeat_window_days: int = REPEAT_WINDOW_DAYS
    totals: HandlingPeriod
    periods: list[HandlingPeriod]


# -- service -----------------------------------------------------------------------------------


class TicketCounts(WireModel):
    """Tickets of one kind (a category, a model, a region, or all)."""

    key: str  # the category, model or region ("" for all / unknown)
    opened: int = 0
    resolved: int = 0
    overdue: int = 0
    resolved_in_time: int = 0  # resolved by the resolution deadline
    complaints: int = 0
    escalated: int = 0

    @property
    def sla_compliance(self) -> float | None:
        return ratio(self.resolved_in_time, self.resolved)


class ServicePeriod(WireModel):
    start: datetime
    opened: int = 0
    resolved: int = 0
    overdue: int = 0
    complaints: int = 0
    escalated: int = 0


class ServiceReport(WireModel):
    filter: ReportFilter
    zone: str
    totals: TicketCounts
    periods: list[ServicePeriod]
    by_category: list[TicketCounts]
    by_model: list[TicketCounts]
    by_region: list[TicketCounts]
    dispatches: int = 0  # all visits of tickets opened in the period
    first_visits: int = 0  # first visits with a result
    first_visit_fixed: int = 0
    callbacks: int = 0  # callback tasks of those tickets, done or given up
    callbacks_reached: int = 0
    satisfaction_count: int = 0
    satisfaction_sum: int = 0
    kb_questions: int = 0  # consultation tickets
    kb_answered: int = 0  # … answered from the knowledge base (an article linked)

    @property
    def first_visit_fix_rate(self) -> float | None:
        return ratio(self.first_visit_fixed, self.first_visits)

    @property
    def callback_reach_rate(self) -> float | None:
        return ratio(self.callbacks_reached, self.callbacks)

    @property
    def average_satisfaction(self) -> float | None:
        return ratio(self.satisfaction_sum, self.satisfaction_count)

    @property
    def kb_coverage(self) -> float | None:
        return ratio(self.kb_answered, self.kb_questions)


# -- people ------------------------------------------------------------------------------------


class AgentFigures(WireModel):
    agent_id: int
    name: str
    team_id: int | None
    handled: int = 0
    inbound: int = 0
    outbound: int = 0
    talk_s: int = 0
    hold_s: int = 0
    wrap_up_s: int = 0
    # Occupancy: (on call + wrap-up) / (signed in, not on a break), from agent-state history;
    # None where the server has none for the period.
    occupancy: float | None = None
    # Adherence to the roster (workforce planning fills it); None: no roster.
    adherence: float | None = None
    qa_evaluations: int = 0
    qa_average_pct: float | None = None
    satisfaction_count: int = 0
    satisfaction_sum: int = 0

    @property
    def average_handle_s(self) -> float | None:
        return ratio(self.talk_s + self.hold_s + self.wrap_up_s, self.handled)

    @property
    def average_satisfaction(self) -> float | None:
        return ratio(self.satisfaction_sum, self.satisfaction_count)


class PeopleReport(WireModel):
    filter: ReportFilter
    zone: str
    agents: list[AgentFigures]


# -- drill-down --------------------------------------------------------------------------------


class DrillMeasure(StrEnum):
    """Which number's records: calls (traffic and handling) or tickets (service)."""

    OFFERED = "offered"
    ANSWERED = "answered"
    ABANDONED = "abandoned"
    HANDLED = "handled"
    TRANSFERRED = "transferred"
    REPEAT = "repeat"  # answered inbound calls followed by another within the window
    TICKETS_OPENED = "tickets_opened"
    TICKETS_OVERDUE = "tickets_overdue"
    COMPLAINTS = "complaints"
    ESCALATED = "escalated"


TICKET_MEASURES = frozenset(
    {
        DrillMeasure.TICKETS_OPENED,
        DrillMeasure.TICKETS_OVERDUE,
        DrillMeasure.COMPLAINTS,
        DrillMeasure.ESCALATED,
    }
)


class DrillInteraction(WireModel):
    id: int
    team_id: int
    agent_id: int
    agent_name: str
    customer_id: int | None
    kind: str
    queue: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wait_s: int | None
    talk_s: int
    hold_s: int
    wrap_up_s: int
    transfers: int
    disposition: str
    ticket_ids: list[int]


class DrillTicket(WireModel):
    id: int
    number: str
    team_id: int
    handler_id: int | None
    category: str
    status: str
    complaint: bool
    escalation_level: int
    opened_at: datetime
    closed_at: datetime | None
    resolve_due_at: datetime | None
    model: str
    region: str


class DrillPage(WireModel):
    """One page of the records behind a number (``offset``/``limit`` as asked); ``total``:
    all of them."""

    measure: DrillMeasure
    total: int
    offset: int
    interactions: list[DrillInteraction] = Field(default_factory=list)
    tickets: list[DrillTicket] = Field(default_factory=list)


class DrillQuery(WireModel):
    """Besides the filter: which number, optionally only one period (its first day, or its
    first instant for 15-minute periods) or one category / model / region, and the page."""

    measure: DrillMeasure
    period: Instant | None = None  # aware: the start as the report gave it
    key: ShortText | None = None  # tickets: the category, model or region asked
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 100

    def query(self) -> dict[str, str]:
        pairs = {"measure": self.measure.value, "offset": str(self.offset)}
        pairs["limit"] = str(self.limit)
        if self.period is not None:
            pairs["period"] = self.period.isoformat()
        if self.key:
            pairs["key"] = self.key
        return pairs
