"""A generated year of contact-centre history, for the reports and the forecast (issue 21).

``python -m server_stub.history --db sqlite:////tmp/history.sqlite --teams 2 --days 365
--end 2026-11-30 --seed 1`` makes two lines (a 24x7 hotline and a daytime technical line),
their agents, queues, customers with one product each, and, day by day: inbound calls
(answered after a wait, or abandoned when the caller's patience ran out first), outbound
calls, talk / hold / wrap-up times, transfers, callers who ring again within 7 days, calls
that cross midnight; tickets (categories, models, regions, complaints, escalations, overdue),
dispatches (some need a second visit), and callbacks with a satisfaction score.

The volume has a weekday and an intraday shape, a trend (+15 % a year), the Chinese public
holidays and the weekend days worked instead (调休, from ``chinese_calendar``; Spring Festival
much lower, a surge on the first working days after a long holiday) and noise. Everything is
deterministic by seed, and each day's offered calls are drawn from their own seed, so
``offered_counts`` (a pure function, no database) gives exactly the inbound calls per
15-minute interval that the database holds: a forecast can be scored without loading a year.

History is not written to the change feed: desks never cache a year of other agents' calls.
Rows are bulk inserted with SQLAlchemy Core in batches (about 1 M interactions in minutes).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from server_stub.auth import hash_password
from server_stub.core.db import make_engine
from server_stub.core.schema import prepare
from server_stub.models import (
    AgentStateRow,
    ArticleRow,
    AssetRow,
    ContactRow,
    CustomerRow,
    DispatchRow,
    InteractionRow,
    QueueRow,
    TaskRow,
    TeamRow,
    TicketRow,
    UserRow,
)
from server_stub.next_calls import relink_all
from server_stub.reports.rollup import rebuild as rebuild_summaries
from sync.contract.rules import CENTRE_ZONE

if TYPE_CHECKING:
    import numpy as np

INTERVAL_S = 15 * 60
INTERVALS = 96
# The day the trend is measured from: a day's volume must not depend on where a run starts.
TREND_ANCHOR = date(2026, 1, 1)
TREND_PER_YEAR = 0.15
REPEAT_WITHIN = timedelta(days=7)
DEFAULT_PASSWORD = "demo1234"  # as the demo seed's users (server_stub.seed.DEMO_PASSWORD)

CATEGORIES = ("fault", "consultation", "installation", "consumables", "complaint", "return")
CATEGORY_WEIGHTS = (0.34, 0.30, 0.10, 0.12, 0.08, 0.06)
REGIONS = ("华东", "华北", "华南", "华中", "西南", "西北", "东北")
REGION_WEIGHTS = (0.30, 0.20, 0.18, 0.12, 0.09, 0.06, 0.05)


@dataclass(frozen=True)
class LineProfile:
    """One team's line: when it is open, how many calls a plain Wednesday brings at the trend
    anchor, and how they spread over the week and the day."""

    team: str
    queue: str
    daily_calls: float
    # Monday..Sunday, relative to a Wednesday.
    weekday: tuple[float, float, float, float, float, float, float]
    # (hour of day, spread in hours, weight) of the day's peaks, over a flat floor.
    peaks: tuple[tuple[float, float, float], ...]
    floor: float
    open_from: int  # first open interval (0..95)
    open_until: int  # first closed interval after the open ones (1..96)
    holiday: float  # a public holiday's volume, relative to a plain day
    spring_festival: float
    agents: int
    # The hours (centre time) the agents' 9-hour shifts begin, given out in turn by agent.
    shift_starts: tuple[int, ...]
    mean_talk_s: float
    products: tuple[tuple[str, str], ...]  # (product line, model)


LINES: tuple[LineProfile, ...] = (
    LineProfile(
        team="7x24 服务热线 Service Hotline",
        queue="7x24 服务热线",
        daily_calls=1900.0,
        weekday=(1.15, 1.05, 1.0, 1.0, 0.95, 0.62, 0.52),
        peaks=((10.0, 1.3, 1.0), (14.5, 1.5, 0.9), (20.0, 1.6, 0.35)),
        floor=0.035,
        open_from=0,
        open_until=96,
        holiday=0.55,
        spring_festival=0.25,
        agents=60,
        shift_starts=(7, 8, 9, 10, 12, 13, 15, 16, 23),
        mean_talk_s=230.0,
        products=(
            ("Printers", "LJ-2200"),
            ("Printers", "LJ-3300 MFP"),
            ("Printers", "IJ-150 Ink"),
            ("Consumer Electronics", "TV-55Q"),
            ("Consumer Electronics", "SB-10 Soundbar"),
        ),
    ),
    LineProfile(
        team="日间技术支持 Daytime Technical Line",
        queue="日间技术支持",
        daily_calls=1300.0,
        weekday=(1.2, 1.08, 1.0, 1.0, 0.92, 0.45, 0.35),
        peaks=((9.5, 1.0, 1.0), (14.5, 1.3, 0.85)),
        floor=0.15,
        open_from=32,  # 08:00
        open_until=80,  # 20:00
        holiday=0.40,
        spring_festival=0.15,
        agents=45,
        shift_starts=(8, 8, 9, 10, 11),
        mean_talk_s=330.0,
        products=(
            ("Patient Monitors", "PM-8000"),
            ("Patient Monitors", "PM-6000"),
            ("Infusion Pumps", "IP-300"),
            ("Analyzers", "BA-200 Chemistry Analyzer"),
            ("Ultrasound", "US-70 Portable"),
        ),
    ),
)


class HistoryError(ValueError):
    """A request the generator cannot honour (e.g. more teams than it has lines)."""


# --- the calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    """What the Chinese calendar says of a day. ``known`` False: ``chinese_calendar`` has no
    data for its year (it covers 2004-2026); the day is then an ordinary weekday or weekend."""

    day: date
    workday: bool
    holiday: str | None  # the public holiday's name ("Spring Festival"), None otherwise
    adjusted_workday: bool  # 调休: a Saturday or Sunday worked instead
    known: bool


@lru_cache(maxsize=4096)
def calendar_day(day: date) -> CalendarDay:
    import chinese_calendar  # noqa: PLC0415 (only the generator and reports need it)

    weekend = day.weekday() >= 5
    try:
        workday = bool(chinese_calendar.is_workday(day))
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return CalendarDay(day, not weekend, None, adjusted_workday=False, known=False)
    holiday = str(name) if is_holiday and name else None
    return CalendarDay(day, workday, holiday, adjusted_workday=workday and weekend, known=True)


def _surge(day: date) -> float:
    """The first working days after a break of three days or more that holds a public holiday
    bring the calls that waited: +40 % on the first, +15 % on the second."""
    probe = day - timedelta(days=1)
    workdays_between = 0
    while calendar_day(probe).workday:
        workdays_between += 1
        if workdays_between >= 2:
            return 1.0
        probe -= timedelta(days=1)
    run, holiday = 0, False
    while not calendar_day(probe).workday and run < 14:
        holiday = holiday or calendar_day(probe).holiday is not None
        run += 1
        probe -= timedelta(days=1)
    if not holiday or run < 3:
        return 1.0
    return (1.40, 1.15)[workdays_between]


def day_factor(line: LineProfile, day: date) -> float:
    """The day's volume relative to a plain Wednesday at the trend anchor (no noise)."""
    info = calendar_day(day)
    if info.holiday == "Spring Festival":
        factor = line.spring_festival
    elif info.holiday is not None:
        factor = line.holiday
    elif info.adjusted_workday:
        factor = line.weekday[0] * 0.95  # worked like a Monday after a short week
    else:
        factor = line.weekday[day.weekday()]
    if info.workday:
        factor *= _surge(day)
    trend = 1.0 + TREND_PER_YEAR * (day - TREND_ANCHOR).days / 365.0
    return factor * trend


@lru_cache(maxsize=8)
def intraday_shape(line: LineProfile) -> tuple[float, ...]:
    """The share of a day's calls in each 15-minute interval (sums to 1)."""
    weights = []
    for interval in range(INTERVALS):
        if not line.open_from <= interval < line.open_until:
            weights.append(0.0)
            continue
        hour = (interval + 0.5) / 4
        value = line.floor + sum(
            w * math.exp(-0.5 * ((hour - at) / spread) ** 2) for at, spread, w in line.peaks
        )
        weights.append(value)
    total = sum(weights)
    return tuple(w / total for w in weights)


def expected_offered(line: LineProfile, day: date) -> tuple[float, ...]:
    """The mean offered calls per interval of a day (what a perfect forecast would say)."""
    volume = line.daily_calls * day_factor(line, day)
    return tuple(volume * share for share in intraday_shape(line))


def _rng(seed: int, line_index: int, day: date, stream: int) -> np.random.Generator:
    import numpy as np  # noqa: PLC0415 (the agent desk must not import numpy at start)

    return np.random.default_rng([seed, line_index, day.toordinal(), stream])


def offered_counts(line_index: int, day: date, *, seed: int) -> tuple[int, ...]:
    """The inbound calls offered to line ``line_index`` in each of the day's 96 intervals
    (centre time), exactly as ``generate`` writes them for the same seed."""
    line = LINES[line_index]
    rng = _rng(seed, line_index, day, 0)
    day_noise = float(rng.lognormal(0.0, 0.06))
    means = [m * day_noise for m in expected_offered(line, day)]
    # Gamma-mixed Poisson: intervals are noisier than Poisson alone (bursts, outages).
    mixed = [float(rng.gamma(40.0, m / 40.0)) if m > 0 else 0.0 for m in means]
    return tuple(int(n) for n in rng.poisson(mixed))


def offered_series(
    start: date, end: date, *, seed: int, lines: int = 2
) -> dict[str, dict[date, tuple[int, ...]]]:
    """``offered_counts`` for every day from ``start`` to ``end`` (inclusive), by queue name."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return {
        LINES[index].queue: {day: offered_counts(index, day, seed=seed) for day in days}
        for index in range(lines)
    }


# --- the generator --------------------------------------------------------------------------


@dataclass
class _Ids:
    """The next free id of each table (explicit ids let rows name each other in one pass)."""

    interaction: int
    ticket: int
    dispatch: int
    task: int


@dataclass
class _Team:
    index: int
    line: LineProfile
    team_id: int
    agents: list[int]
    customers: list[int]  # customer ids; a customer's asset has the same position
    assets: list[int]
    phones: list[str]
    recent: deque[tuple[datetime, int]] = field(default_factory=deque)
    # Each agent's calls of a shift (by the shift's first day): (answered, ended, wrap-up s).
    shifts: dict[tuple[int, date], list[tuple[datetime, datetime, int]]] = field(
        default_factory=dict
    )

    def shift_start(self, position: int) -> int:
        return self.line.shift_starts[position % len(self.line.shift_starts)]

    def on_shift(self, hour: int) -> list[int]:
        """Positions of the agents whose shift covers this hour of the day."""
        return [
            n for n in range(len(self.agents)) if (hour - self.shift_start(n)) % 24 < SHIFT_HOURS
        ]


SHIFT_HOURS = 9


@dataclass
class GeneratedCounts:
    interactions: int = 0
    tickets: int = 0
    dispatches: int = 0
    tasks: int = 0
    customers: int = 0
    agent_states: int = 0
    unknown_years: set[int] = field(default_factory=set)


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _fit(model: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep only the columns the table has (the generator runs before and after migrations
    that add report columns)."""
    names = set(_table(model).c.keys())
    if not rows or set(rows[0]) <= names:
        return rows
    return [{k: v for k, v in row.items() if k in names} for row in rows]


class _Writer:
    """Buffers rows per table and inserts them in batches, each batch its own transaction."""

    def __init__(self, engine: Engine, batch: int = 20_000) -> None:
        self.engine = engine
        self.batch = batch
        self.rows: dict[Any, list[dict[str, Any]]] = {}

    def add(self, model: Any, row: dict[str, Any]) -> None:
        bucket = self.rows.setdefault(model, [])
        bucket.append(row)
        if len(bucket) >= self.batch:
            self.flush()

    def flush(self) -> None:
        # Parents first: tickets before the dispatches and tasks that name them.
        order = (
            CustomerRow,
            ContactRow,
            AssetRow,
            TicketRow,
            InteractionRow,
            DispatchRow,
            TaskRow,
            AgentStateRow,
        )
        with self.engine.begin() as conn:
            for model in order:
                rows = self.rows.pop(model, [])
                if rows:
                    conn.execute(insert(_table(model)), _fit(model, rows))


def _insert_id(conn: Connection, statement: Any) -> int:
    key = conn.execute(statement).inserted_primary_key
    if key is None:  # every table here has an integer key
        raise HistoryError("the database returned no id for a new row")
    return int(key[0])


def _next_id(engine: Engine, model: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.max(_table(model).c.id))) or 0) + 1


def _setup_teams(engine: Engine, teams: int, customers_per_team: int, now: datetime) -> list[_Team]:
    password = hash_password(DEFAULT_PASSWORD)
    made: list[_Team] = []
    first_customer = _next_id(engine, CustomerRow)
    first_asset = _next_id(engine, AssetRow)
    with engine.begin() as conn:
        for index in range(teams):
            line = LINES[index]
            team_id = _insert_id(
                conn, insert(_table(TeamRow)).values(name=line.team, version=1, updated_at=now)
            )
            code = f"h{index + 1}"

            def user(name: str, display: str, role: str, *, tid: int = team_id) -> int:
                return _insert_id(
                    conn,
                    insert(_table(UserRow)).values(
                        username=name,
                        display_name=display,
                        password_hash=password,
                        role=role,
                        team_id=tid,
                        active=True,
                        must_change_password=False,
                        region="",
                        extension="",
                        version=1,
                        updated_at=now,
                    ),
                )

            lead = user(f"{code}lead", f"组长 {line.queue}", "supervisor")
            conn.execute(
                _table(TeamRow).update().where(_table(TeamRow).c.id == team_id).values(lead_id=lead)
            )
            agents = [
                user(f"{code}a{n + 1:03d}", f"坐席 {code.upper()}-{n + 1:03d}", "agent")
                for n in range(line.agents)
            ]
            conn.execute(
                insert(_table(QueueRow)).values(
                    name=line.queue,
                    team_id=team_id,
                    waiting=0,
                    longest_wait_s=0,
                    answered_today=0,
                    abandoned_today=0,
                    extension=f"8{index + 1}00",
                    service_level_s=20,
                    service_level_pct=80,
                    announcement="",
                    version=1,
                    updated_at=now,
                )
            )
            start = first_customer + index * customers_per_team
            asset_start = first_asset + index * customers_per_team
            made.append(
                _Team(
                    index=index,
                    line=line,
                    team_id=int(team_id),
                    agents=agents,
                    customers=list(range(start, start + customers_per_team)),
                    assets=list(range(asset_start, asset_start + customers_per_team)),
                    phones=[
                        f"+86{13_900_000_000 + index * 10_000_000 + n}"
                        for n in range(customers_per_team)
                    ],
                )
            )
    return made


def _write_customers(writer: _Writer, team: _Team, now: datetime) -> None:
    import numpy as np  # noqa: PLC0415

    products = team.line.products
    picks = _product_picks(team.index, len(team.customers), len(products))
    ages = np.random.default_rng([8, team.index]).integers(30, 2000, len(team.customers))
    for n, customer_id in enumerate(team.customers):
        name = f"客户 {team.index + 1}-{n + 1:06d}"
        writer.add(
            CustomerRow,
            {
                "id": customer_id,
                "code": f"H{team.index + 1}-{n + 1:07d}",
                "name": name,
                "team_id": team.team_id,
                "segment": "standard",
                "vip": n % 97 == 0,
                "language": "zh",
                "preferred_channel": "phone",
                "do_not_contact_by": [],
                "address": "",
                "notes": "",
                "version": 1,
                "updated_at": now,
            },
        )
        writer.add(
            ContactRow,
            {
                "customer_id": customer_id,
                "name": name,
                "phone_e164": team.phones[n],
                "extension": "",
                "email": "",
                "kind": "mobile",
                "salutation": "",
            },
        )
        line, model = products[int(picks[n])]
        bought = (now - timedelta(days=int(ages[n]))).date()
        writer.add(
            AssetRow,
            {
                "id": team.assets[n],
                "customer_id": customer_id,
                "team_id": team.team_id,
                "product_line": line,
                "model": model,
                "serial_number": f"H{team.index + 1}-SN-{n + 1:08d}",
                "purchase_date": bought,
                "warranty_end": bought + timedelta(days=730),
                "consumables": [],
                "version": 1,
                "updated_at": now,
            },
        )


def _local(day: date, seconds: float, zone: Any) -> datetime:
    return (datetime.combine(day, time(0), zone) + timedelta(seconds=seconds)).astimezone(UTC)


def _generate_day(  # noqa: PLR0912, PLR0915 (one day of one line, written out step by step)
    writer: _Writer,
    team: _Team,
    day: date,
    *,
    seed: int,
    ids: _Ids,
    now: datetime,
    articles: Sequence[int],
    counts: GeneratedCounts,
    states: bool = True,
) -> None:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    zone = ZoneInfo(CENTRE_ZONE)
    line = team.line
    offered = offered_counts(team.index, day, seed=seed)
    rng = _rng(seed, team.index, day, 1)
    # The staffing was planned for a plain day of this weekday.
    planned_day = line.daily_calls * line.weekday[day.weekday()]
    calls: list[tuple[float, bool, float]] = []  # (second of the day, inbound, mean wait)
    for interval, n in enumerate(offered):
        if not n:
            continue
        # Waits grow when more calls come than the staffing plan expected.
        staffed = max(planned_day * intraday_shape(line)[interval], 1.0)
        load = n / staffed
        mean_wait = min(max(7.0 * math.exp(2.2 * (load - 1.0)), 2.0), 900.0)
        for offset in rng.uniform(0, INTERVAL_S, n):
            calls.append((interval * INTERVAL_S + float(offset), True, mean_wait))
    # Outbound: callbacks and follow-ups, about a tenth of the inbound, 09:00-18:00.
    outbound = int(rng.poisson(0.1 * sum(offered)))
    for offset in rng.uniform(9 * 3600, 18 * 3600, outbound):
        calls.append((float(offset), False, 0.0))
    calls.sort()
    horizon = datetime.combine(day, time(0), zone).astimezone(UTC)
    recent = team.recent
    while recent and recent[0][0] < horizon - REPEAT_WITHIN:
        recent.popleft()
    size = len(calls)
    u = rng.random((size, 12))
    talk = rng.lognormal(math.log(line.mean_talk_s) - 0.18, 0.6, size)
    hold = rng.exponential(50.0, size)
    wrap = rng.lognormal(math.log(32.0), 0.5, size)
    patience = rng.exponential(95.0, size)
    n_cust = len(team.customers)
    on_shift = [team.on_shift(hour) for hour in range(24)]
    for k, (seconds, inbound, mean_wait) in enumerate(calls):
        started = _local(day, seconds, zone)
        row = u[k]
        if recent and row[0] < 0.16:  # a caller who rang in the last 7 days
            customer_pos = recent[int(row[1] * len(recent))][1]
        else:
            customer_pos = int(row[1] * n_cust)
        if inbound:
            wait = -mean_wait * math.log(max(float(row[2]), 1e-12))
            answered = patience[k] > wait
            waited = wait if answered else float(patience[k])
        else:
            answered = row[2] < 0.72  # the customer picked up
            waited = 15.0 + 20.0 * float(row[2])
        interaction_id = ids.interaction
        ids.interaction += 1
        # An agent on shift at that hour takes it (the line rang their desk).
        hour = int(seconds // 3600) % 24
        working = on_shift[hour] or list(range(len(team.agents)))
        position = working[int(row[3] * len(working))]
        agent = team.agents[position]
        talk_s = int(talk[k]) if answered else 0
        hold_s = int(hold[k]) if answered and row[4] < 0.25 else 0
        wrap_s = int(wrap[k]) if answered else 0
        transfers = (1 if row[5] < 0.05 else 0) + (1 if row[5] < 0.01 else 0) if answered else 0
        answered_at = started + timedelta(seconds=waited) if answered else None
        ended_at = started + timedelta(seconds=waited + talk_s + hold_s)
        product_line = ""
        ticket_ids: list[int] = []
        disposition = "abandoned" if inbound and not answered else "no_answer"
        if answered and answered_at is not None and states:
            start_hour = team.shift_start(position)
            shift_day = day if hour >= start_hour else day - timedelta(days=1)
            team.shifts.setdefault((position, shift_day), []).append(
                (answered_at, ended_at, wrap_s)
            )
        if answered:
            recent.append((started, customer_pos))
            disposition = "resolved"
            product_line = _asset_product(team, customer_pos)[0]
            if inbound and row[6] < 0.24:
                ticket_id = _write_ticket(
                    writer, team, customer_pos, agent, ended_at, row, ids, now, articles, counts
                )
                ticket_ids = [ticket_id]
                disposition = "ticket"
        writer.add(
            InteractionRow,
            {
                "id": interaction_id,
                "customer_id": team.customers[customer_pos],
                "team_id": team.team_id,
                "agent_id": agent,
                "kind": "call_in" if inbound else "call_out",
                "started_at": started,
                "ended_at": ended_at,
                "answered_at": answered_at,
                "talk_s": talk_s,
                "hold_s": hold_s,
                "wrap_up_s": wrap_s,
                "transfers": transfers,
                "product_line": product_line,
                "queue": line.queue if inbound else "",
                "remote_number": team.phones[customer_pos],
                "disposition": disposition,
                "notes": "",
                "ticket_ids": ticket_ids,
                "checks": [],
                "version": 1,
                "updated_at": now,
            },
        )
    counts.interactions += size
    if states:
        _write_states(writer, team, day, zone, counts, final=False)


def _write_states(
    writer: _Writer, team: _Team, day: date, zone: Any, counts: GeneratedCounts, *, final: bool
) -> None:
    """The agent-state spans of every shift that ended by the end of ``day`` (all, at the
    end): ready from the shift's start, on call from each answer to its end, wrap-up, ready
    again, logged out at the shift's end. Calls a busy agent was given anyway (two at once)
    start their span when the previous one ends, so spans never overlap."""
    day_end = datetime.combine(day + timedelta(days=1), time(0), zone)
    for (position, shift_day), calls in list(team.shifts.items()):
        begins = datetime.combine(shift_day, time(team.shift_start(position)), zone)
        ends = begins + timedelta(hours=SHIFT_HOURS)
        if ends > day_end and not final:
            continue
        del team.shifts[position, shift_day]
        agent = team.agents[position]
        cursor = begins.astimezone(UTC)
        spans: list[tuple[str, datetime, datetime]] = []
        for answered, ended, wrap in sorted(calls):
            start = max(answered, cursor)
            if start > cursor:
                spans.append(("ready", cursor, start))
            finish = max(ended, start)
            spans.append(("on_call", start, finish))
            cursor = finish + timedelta(seconds=wrap)
            spans.append(("wrap_up", finish, cursor))
        shift_end = max(ends.astimezone(UTC), cursor)
        if shift_end > cursor:
            spans.append(("ready", cursor, shift_end))
        next_shift = (begins + timedelta(days=1)).astimezone(UTC)
        if next_shift > shift_end:  # signed out until the next day's shift
            spans.append(("logged_out", shift_end, next_shift))
        for state, start, end in spans:
            writer.add(
                AgentStateRow,
                {
                    "user_id": agent,
                    "team_id": team.team_id,
                    "state": state,
                    "reason": "",
                    "started_at": start,
                    "ended_at": end,
                },
            )
        counts.agent_states += len(spans)


def _asset_product(team: _Team, customer_pos: int) -> tuple[str, str]:
    # The same pick as _write_customers, without holding a year's worth of rows.
    picks = _product_picks(team.index, len(team.customers), len(team.line.products))
    return team.line.products[int(picks[customer_pos])]


@lru_cache(maxsize=4)
def _product_picks(team_index: int, customers: int, products: int) -> Any:
    import numpy as np  # noqa: PLC0415

    return np.random.default_rng([7, team_index]).integers(0, products, customers)


def _write_ticket(
    writer: _Writer,
    team: _Team,
    customer_pos: int,
    agent: int,
    opened: datetime,
    row: Any,
    ids: _Ids,
    now: datetime,
    articles: Sequence[int],
    counts: GeneratedCounts,
) -> int:
    ticket_id = ids.ticket
    ids.ticket += 1
    counts.tickets += 1
    pick = float(row[7])
    category = CATEGORIES[-1]
    acc = 0.0
    for name, weight in zip(CATEGORIES, CATEGORY_WEIGHTS, strict=True):
        acc += weight
        if pick < acc:
            category = name
            break
    region_pick = float(row[8])
    region = REGIONS[-1]
    acc = 0.0
    for name, weight in zip(REGIONS, REGION_WEIGHTS, strict=True):
        acc += weight
        if region_pick < acc:
            region = name
            break
    complaint = category == "complaint"
    limit = timedelta(hours=24 if complaint else 48)
    # Most close within their limit; about one in eight runs over; recent ones may still be open.
    spent = timedelta(hours=float(row[9]) * (60 if row[10] < 0.12 else 40))
    if complaint:
        spent /= 2
    closed = opened + spent
    is_open = closed > now
    escalated = 1 if (complaint and row[10] < 0.3) or spent > limit else 0
    writer.add(
        TicketRow,
        {
            "id": ticket_id,
            "number": f"H{team.index + 1}-{ticket_id:08d}",
            "customer_id": team.customers[customer_pos],
            "team_id": team.team_id,
            "handler_id": agent,
            "channel": "phone",
            "urgency": "high" if complaint else "medium",
            "priority": "P2" if complaint else "P3",
            "category": category,
            "source": "hotline",
            "status": "in_progress" if is_open else "closed",
            "complaint": complaint,
            "summary": f"{category} {team.line.queue}",
            "content": "",
            "article_ids": (
                [articles[int(row[11] * len(articles))]]
                if articles and category == "consultation" and row[11] < 0.8
                else []
            ),
            "opened_at": opened,
            "closed_at": None if is_open else closed,
            "escalation_level": escalated,
            "sla_since": opened,
            "sla_due_at": opened + limit,
            "resolve_due_at": opened + limit,
            "asset_id": team.assets[customer_pos],
            "attachments": [],
            "region": region,
            "version": 1,
            "updated_at": now,
        },
    )
    if category in ("fault", "installation") and row[11] < 0.45:
        _write_dispatches(writer, team, ticket_id, opened, row, ids, counts)
    if not is_open and row[4] < 0.5:
        task_id = ids.task
        ids.task += 1
        counts.tasks += 1
        reached = row[5] > 0.18
        # Satisfaction 1..5, mostly content, as hotline callbacks go.
        score = (1, 2, 3, 4, 4, 5, 5, 5)[int(float(row[1]) * 8)] if reached else None
        writer.add(
            TaskRow,
            {
                "id": task_id,
                "kind": "callback",
                "customer_id": team.customers[customer_pos],
                "ticket_id": ticket_id,
                "team_id": team.team_id,
                "assignee_id": agent,
                "due_at": closed + timedelta(hours=24),
                "status": "done" if reached else "unreachable",
                "outcome": "",
                "satisfaction": score,
                "notes": "",
                "outcome_code": "reached" if reached else "no_answer",
                "attempts": 1 if reached else 3,
                "campaign_outcome": "",
                "version": 1,
                "updated_at": now,
            },
        )
    return ticket_id


def _write_dispatches(
    writer: _Writer,
    team: _Team,
    ticket_id: int,
    opened: datetime,
    row: Any,
    ids: _Ids,
    counts: GeneratedCounts,
) -> None:
    visits = 1 if row[2] < 0.78 else 2  # about 78 % fixed at the first visit
    previous: int | None = None
    for visit in range(visits):
        dispatch_id = ids.dispatch
        ids.dispatch += 1
        counts.dispatches += 1
        start = opened + timedelta(days=1 + 2 * visit, hours=1)
        writer.add(
            DispatchRow,
            {
                "id": dispatch_id,
                "ticket_id": ticket_id,
                "team_id": team.team_id,
                "technician": f"工程师 {1 + (ticket_id % 20):02d}",
                "address": "",
                "contact_name": "",
                "contact_phone": "",
                "result": "resolved" if visit == visits - 1 else "not_resolved",
                "parts_used": [],
                "window_start": start,
                "window_end": start + timedelta(hours=2),
                "method": "onsite",
                "status": "done",
                "cause": "",
                "resolution": "",
                "notes": "",
                "previous_dispatch_id": previous,
                "version": 1,
                "updated_at": opened,
            },
        )
        previous = dispatch_id


def _write_articles(engine: Engine, now: datetime) -> list[int]:
    titles = ("卡纸处理", "更换硒鼓", "无线连接", "固件升级", "开机无显示", "血氧探头更换")
    with engine.begin() as conn:
        return [
            _insert_id(
                conn,
                insert(_table(ArticleRow)).values(
                    title=title,
                    body=title,
                    language="zh",
                    tags=[],
                    product_lines=[],
                    status="published",
                    helpful=0,
                    not_helpful=0,
                    views=0,
                    asked=[],
                    version=1,
                    updated_at=now,
                ),
            )
            for title in titles
        ]


def _fix_sequences(engine: Engine) -> None:
    """Rows were written with explicit ids: move PostgreSQL's sequences past them."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for model in (CustomerRow, AssetRow, TicketRow, InteractionRow, DispatchRow, TaskRow):
            name = _table(model).name
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
            )


def generate(
    engine: Engine,
    *,
    teams: int = 2,
    days: int = 365,
    end: date,
    seed: int = 1,
    customers_per_team: int = 100_000,
    agent_states: bool = True,
    progress: Any = None,
) -> GeneratedCounts:
    """Write ``days`` days of history ending on ``end`` (centre days) for ``teams`` lines."""
    if not 1 <= teams <= len(LINES):
        raise HistoryError(f"teams must be 1..{len(LINES)}, not {teams}")
    if not 1 <= days <= 3660:
        raise HistoryError(f"days must be 1..3660, not {days}")
    prepare(engine)
    now = datetime.combine(end + timedelta(days=1), time(0), UTC)
    made = _setup_teams(engine, teams, customers_per_team, now)
    articles = _write_articles(engine, now)
    writer = _Writer(engine)
    counts = GeneratedCounts()
    for team in made:
        _write_customers(writer, team, now)
        counts.customers += len(team.customers)
    writer.flush()
    ids = _Ids(
        interaction=_next_id(engine, InteractionRow),
        ticket=_next_id(engine, TicketRow),
        dispatch=_next_id(engine, DispatchRow),
        task=_next_id(engine, TaskRow),
    )
    for day in _days(end, days):
        if not calendar_day(day).known:
            counts.unknown_years.add(day.year)
        for team in made:
            _generate_day(
                writer,
                team,
                day,
                seed=seed,
                ids=ids,
                now=now,
                articles=articles,
                counts=counts,
                states=agent_states,
            )
        if progress is not None:
            progress(day, counts)
    if agent_states:
        from zoneinfo import ZoneInfo  # noqa: PLC0415

        for team in made:
            _write_states(writer, team, end, ZoneInfo(CENTRE_ZONE), counts, final=True)
    writer.flush()
    with engine.begin() as conn:
        relink_all(conn)
    # The reports' summaries, in one pass (the triggers marked every quarter hour written).
    rebuild_summaries(engine)
    _fix_sequences(engine)
    with engine.begin() as conn:  # the planner's statistics, for a year loaded at once
        conn.exec_driver_sql("ANALYZE")
    return counts


def _days(end: date, days: int) -> Iterator[date]:
    first = end - timedelta(days=days - 1)
    for n in range(days):
        yield first + timedelta(days=n)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server_stub.history", description=__doc__)
    parser.add_argument("--db", required=True, help="database URL (sqlite:///… or postgresql…)")
    parser.add_argument("--teams", type=int, default=2)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--customers", type=int, default=100_000, help="per team")
    parser.add_argument(
        "--no-agent-states",
        action="store_true",
        help="no agent-state history (about 3 rows per answered call; loads faster)",
    )
    args = parser.parse_args(argv)
    engine = make_engine(args.db)

    def progress(day: date, counts: GeneratedCounts) -> None:
        if day.day == 1:
            sys.stderr.write(f"{day}: {counts.interactions:,} interactions\n")

    try:
        counts = generate(
            engine,
            teams=args.teams,
            days=args.days,
            end=args.end,
            seed=args.seed,
            customers_per_team=args.customers,
            agent_states=not args.no_agent_states,
            progress=progress,
        )
    except HistoryError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    finally:
        engine.dispose()
    for year in sorted(counts.unknown_years):
        sys.stderr.write(
            f"chinese_calendar has no holidays for {year}: its days were generated as "
            "ordinary weekdays and weekends\n"
        )
    sys.stdout.write(
        f"{counts.interactions:,} interactions, {counts.tickets:,} tickets, "
        f"{counts.dispatches:,} dispatches, {counts.tasks:,} callbacks, "
        f"{counts.customers:,} customers, {counts.agent_states:,} agent-state spans\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
