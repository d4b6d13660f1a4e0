"""What a report may read: the caller's teams (or only their own calls), the filter as WHERE
clauses on each table, and the range's instants.

An agent (``report.view_own`` only) is forced to their own calls and tickets whatever filter
they send; a lead sees the teams their role sees; admins and QA every team. The route decides
which (``server_stub.api.routes.reports``) and hands this module a ``ReportScope``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, Table, and_, case, select
from sqlalchemy.sql import Select

from server_stub.models import AssetRow, InteractionRow, QueueRow, TicketRow
from server_stub.reports.dialect import Dialect
from server_stub.reports.periods import Periods
from sync.contract.records import Channel
from sync.contract.reports import REPEAT_WINDOW_DAYS, ReportFilter
from sync.contract.wallboard import DEFAULT_ANSWER_WITHIN_S, day_bounds

# The interaction kinds of each channel (a ticket names its channel itself).
CHANNEL_KINDS: dict[Channel, tuple[str, ...]] = {
    Channel.PHONE: ("call_in", "call_out"),
    Channel.EMAIL: ("email",),
    Channel.WEB: ("web",),
    Channel.SMS: ("sms",),
    Channel.WECHAT: (),
    # The portal's requests are tickets (their channel), with no interaction of their own.
    Channel.PORTAL: (),
}

INTERACTIONS = cast(Table, InteractionRow.__table__)
TICKETS = cast(Table, TicketRow.__table__)
ASSETS = cast(Table, AssetRow.__table__)
I = INTERACTIONS.c  # noqa: E741 (the SQL alias, as in the statements)
T = TICKETS.c
A = ASSETS.c


@dataclass(frozen=True)
class ReportScope:
    filter: ReportFilter
    teams: frozenset[int] | None  # None: every team
    agent_id: int | None  # forced for an agent, or the filter's
    zone: ZoneInfo
    dialect: Dialect
    now: datetime
    # Each queue's service-level threshold (seconds), as the admins set it.
    thresholds: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> datetime:
        return day_bounds(self.filter.date_from, self.zone)[0]

    @property
    def end(self) -> datetime:
        return day_bounds(self.filter.date_to, self.zone)[1]

    @property
    def periods(self) -> Periods:
        return Periods(self.filter, self.zone)

    def interaction_clauses(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        columns: Any = I,
        teams: bool = True,
    ) -> list[ColumnElement[bool]]:
        """The filter on ``columns`` (the interactions table's, or a subquery's of it);
        ``teams`` False: without the team clauses (a statement that applied them inside)."""
        c = columns
        clauses: list[ColumnElement[bool]] = [
            c.started_at >= (start or self.start),
            c.started_at < (end or self.end),
        ]
        if teams and self.teams is not None:
            clauses.append(c.team_id.in_(sorted(self.teams)))
        if teams and self.filter.team_id is not None:
            clauses.append(c.team_id == self.filter.team_id)
        if self.agent_id is not None:
            clauses.append(c.agent_id == self.agent_id)
        if self.filter.queue:
            clauses.append(c.queue == self.filter.queue)
        if self.filter.channel is not None:
            clauses.append(c.kind.in_(CHANNEL_KINDS.get(self.filter.channel, ())))
        if self.filter.product_line:
            clauses.append(c.product_line == self.filter.product_line)
        return clauses

    def ticket_clauses(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[ColumnElement[bool]]:
        """Tickets opened in the range; an agent's: those they handle. The product line is
        the ticket's product's (a join with ``assets``: see ``tickets_from``)."""
        clauses: list[ColumnElement[bool]] = [
            T.opened_at >= (start or self.start),
            T.opened_at < (end or self.end),
        ]
        if self.teams is not None:
            clauses.append(T.team_id.in_(sorted(self.teams)))
        if self.filter.team_id is not None:
            clauses.append(T.team_id == self.filter.team_id)
        if self.agent_id is not None:
            clauses.append(T.handler_id == self.agent_id)
        if self.filter.channel is not None:
            clauses.append(T.channel == self.filter.channel.value)
        if self.filter.product_line:
            clauses.append(A.product_line == self.filter.product_line)
        return clauses

    def tickets_from(self, statement: Select[Any]) -> Select[Any]:
        """``statement`` over tickets joined with their product (a ticket may have none)."""
        joined = TICKETS.outerjoin(ASSETS, T.asset_id == A.id)
        return statement.select_from(joined)

    def threshold(self) -> ColumnElement[int] | int:
        """Each call's service-level threshold: the filter's, else its queue's, else 20 s."""
        if self.filter.answer_within_s is not None:
            return self.filter.answer_within_s
        if not self.thresholds:
            return DEFAULT_ANSWER_WITHIN_S
        return case(self.thresholds, value=I.queue, else_=DEFAULT_ANSWER_WITHIN_S)

    @property
    def answer_within_s(self) -> int | None:
        """The one threshold the report used, or None when queues differ."""
        if self.filter.answer_within_s is not None:
            return self.filter.answer_within_s
        values = set(self.thresholds.values())
        if not values:
            return DEFAULT_ANSWER_WITHIN_S
        if self.filter.queue:
            return self.thresholds.get(self.filter.queue, DEFAULT_ANSWER_WITHIN_S)
        return values.pop() if len(values) == 1 else None


def queue_thresholds(connection: Connection) -> dict[str, int]:
    """The queues whose admins set a service-level threshold."""
    rows = connection.execute(
        select(QueueRow.name, QueueRow.service_level_s).where(QueueRow.service_level_s.is_not(None))
    )
    return {name: int(seconds) for name, seconds in rows if seconds is not None}


def repeated_within(dialect: Dialect) -> ColumnElement[bool]:
    """The call was followed by another inbound call from the same customer in the window
    (``next_call_at``, kept at write time by ``server_stub.next_calls``)."""
    return and_(
        I.next_call_at.is_not(None),
        I.next_call_at <= dialect.plus_days(I.started_at, REPEAT_WINDOW_DAYS),
    )
