"""The figures a team's board shows, read from the database: the one source of the wallboard
route (``api/routes/wallboard.py``) and the server's alerts (``server_stub.alerts``), so an
alert fires on the numbers the lead sees.

The arithmetic is ``sync.contract.wallboard`` (``DayStats``, ``longest_wait_at``,
``evaluate_alerts``), the same the desk folds live calls into.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.clock import utc
from server_stub.models import InteractionRow, PresenceRow, QueueRow, TicketRow, UserRow
from sync.contract.records import AgentState, Role
from sync.contract.wallboard import (
    CALL_KINDS,
    AgentLive,
    CallFact,
    ComplaintDue,
    DayStats,
    QueueLive,
    centre_zone,
    longest_wait_at,
)

MAX_CALLS_A_DAY = 50_000  # a day's calls sent whole to the desk; far above a team's volume
# The tickets the board lists as open (the desk's ``_OPEN_STATUSES``): a complaint in one of
# these with a deadline is watched for its breach.
OPEN_STATUSES = ("new", "in_progress", "waiting_customer", "escalated")


def day_calls(
    session: Session,
    teams: list[int],
    start: datetime,
    end: datetime,
    limit: int,
    *,
    changed_since: datetime | None = None,
) -> list[CallFact]:
    """The teams' calls that started in [start, end), oldest first; with ``changed_since``
    only those written or changed since then."""
    changed = () if changed_since is None else (InteractionRow.updated_at >= changed_since,)
    rows = session.execute(
        select(
            InteractionRow.id,
            InteractionRow.agent_id,
            InteractionRow.kind,
            InteractionRow.queue,
            InteractionRow.started_at,
            InteractionRow.answered_at,
            InteractionRow.ended_at,
            InteractionRow.talk_s,
            InteractionRow.hold_s,
        )
        .where(
            InteractionRow.team_id.in_(teams),
            InteractionRow.kind.in_(CALL_KINDS),
            InteractionRow.started_at >= start,
            InteractionRow.started_at < end,
            *changed,
        )
        .order_by(InteractionRow.started_at)
        .limit(limit)
    )
    return [
        CallFact(
            id=r.id,
            agent_id=r.agent_id,
            kind=r.kind,
            queue=r.queue,
            started_at=utc(r.started_at),
            answered_at=utc(r.answered_at) if r.answered_at else None,
            ended_at=utc(r.ended_at) if r.ended_at else None,
            talk_s=r.talk_s,
            hold_s=r.hold_s,
        )
        for r in rows
    ]


class TeamDay:
    """One team's ``DayStats`` kept between rounds (by the alert sweeper): the first round of
    a day counts all its calls, each later one only the calls written or changed since the
    last (``DayStats.upsert`` replaces a call seen again). Why: counting a centre's whole day
    every 5 s was most of a sweep's cost (``bench/bench_alerts.py``)."""

    # A write's stamp is its transaction's start: one that commits after a round read must
    # still be read by the next, so each round looks this far behind the last.
    OVERLAP = timedelta(seconds=60)

    def __init__(self, team_id: int) -> None:
        self.team_id = team_id
        self.stats: DayStats | None = None
        self._read_at: datetime | None = None

    def update(self, session: Session, now: datetime, answer_within_s: int) -> DayStats:
        zone = centre_zone()
        day = now.astimezone(zone).date()
        stats = self.stats
        since = None if self._read_at is None else self._read_at - self.OVERLAP
        if stats is None or stats.day != day or stats.answer_within_s != answer_within_s:
            stats, since = DayStats(day, zone, answer_within_s), None
        facts = day_calls(
            session, [self.team_id], stats.start, stats.end, MAX_CALLS_A_DAY, changed_since=since
        )
        for fact in facts:
            stats.upsert(fact)
        self.stats, self._read_at = stats, now
        return stats


def team_live(
    session: Session,
    team_id: int,
    now: datetime,
    answer_within_s: int,
    *,
    with_day: bool = True,
    day: TeamDay | None = None,
) -> tuple[list[QueueLive], list[AgentLive], list[ComplaintDue]]:
    """What the alerts are evaluated on, as the lead's board has it: per queue the ACD's
    counters (the longest wait run on to ``now``) and today's offered calls and service level
    (in the centre's zone); the team's agents' states; its open complaints' deadlines.
    ``with_day=False`` skips counting today's calls (no service-level alert is on); ``day``
    keeps the count from the last round and reads only what changed since."""
    zone = centre_zone()
    stats = DayStats(now.astimezone(zone).date(), zone, answer_within_s)
    if with_day and day is not None:
        stats = day.update(session, now, answer_within_s)
    elif with_day:
        for fact in day_calls(session, [team_id], stats.start, stats.end, MAX_CALLS_A_DAY):
            stats.upsert(fact)
    queues = []
    for queue in session.scalars(select(QueueRow).where(QueueRow.team_id == team_id)):
        tally = stats.queues.get(queue.name)
        queues.append(
            QueueLive(
                queue.name,
                queue.waiting,
                longest_wait_at(queue.waiting, queue.longest_wait_s, utc(queue.updated_at), now),
                tally.offered if tally else 0,
                tally.service_level if tally else None,
            )
        )
    agents = [
        AgentLive(
            user.id,
            user.display_name,
            AgentState(presence.state),
            presence.reason,
            utc(presence.since),
        )
        for presence, user in session.execute(
            select(PresenceRow, UserRow)
            .join(UserRow, UserRow.id == PresenceRow.user_id)
            .where(
                UserRow.team_id == team_id,
                UserRow.role == Role.AGENT.value,
                UserRow.active,
            )
        ).all()
    ]
    complaints = [
        ComplaintDue(ticket.id, ticket.number, utc(ticket.sla_due_at))
        for ticket in session.scalars(
            select(TicketRow).where(
                TicketRow.team_id == team_id,
                TicketRow.complaint,
                TicketRow.sla_due_at.is_not(None),
                TicketRow.status.in_(OPEN_STATUSES),
            )
        )
        if ticket.sla_due_at is not None
    ]
    return queues, agents, complaints
