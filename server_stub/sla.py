"""SLA clocks and escalation chains, run by the server so they fire when every desktop is closed.

A complaint's clock starts with the escalation chain of its category (``sync.contract.sla``,
the centre's policy; a copy kept on the ticket, so a policy changed later never rewrites a
running clock). Each level fires a fixed time after the clock started: the sweeper climbs a
ticket whose ``sla_due_at`` has passed, and the next level's due time follows from the
scheduled one (not from when the sweep ran), so every level fires on time. Two more triggers
climb a level at once: an unsatisfactory survey answer and a repeated complaint.

A climb is one conditional UPDATE (``WHERE escalation_level = seen AND version = seen``), so
when several server processes sweep at once exactly one wins, and each level fires once. Each
firing is recorded in the ticket's history (level, status, to whom, why), audited, raised as
the ``escalation`` event the desks show, and notifies the level's people (``notify_user_ids``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub import metrics
from server_stub import sla_policies as stored_policies
from server_stub.clock import Clock, utc
from server_stub.core.db import Database
from server_stub.feed import audit, raise_event, record_change
from server_stub.models import TeamRow, TicketHistoryRow, TicketRow, UserRow
from server_stub.periodic import Periodic
from server_stub.serialize import ticket_out
from sync.contract.events import EscalationData
from sync.contract.records import Role, TicketStatus
from sync.contract.rules import EscalationPolicy
from sync.contract.sla import (
    EscalationLevel,
    EscalationTarget,
    SlaPolicies,
    chain_for,
    level_gap,
)

log = logging.getLogger(__name__)

_CLOCK_STATES = [s.value for s in TicketStatus if EscalationPolicy.clock_runs(s, True)]
TIME, SURVEY, REPEAT = "time", "survey", "repeat"  # why a level fired


def chain_levels(row: TicketRow, policies: SlaPolicies) -> list[EscalationLevel]:
    """The ticket's chain: its own copy, or (a ticket from before chains) the policy's now."""
    if row.escalation_chain is not None:
        return [EscalationLevel.read(level) for level in row.escalation_chain]
    return list(chain_for(policies, row.category).levels)


def _chain_json(levels: list[EscalationLevel]) -> list[Any]:
    return [level.model_dump(mode="json") for level in levels]


def start_clock(row: TicketRow, policies: SlaPolicies, now: datetime) -> None:
    """After a create or a change: a complaint's clock runs (with its chain, copied once) while
    the customer waits for us; it stops while we wait on them and when the ticket closes. A
    clock restarted after a pause runs the gap to the ticket's next level again."""
    if not EscalationPolicy.clock_runs(TicketStatus(row.status), row.complaint):
        row.sla_since = None
        row.sla_due_at = None
        return
    if row.sla_due_at is not None:
        return
    if row.escalation_chain is None:
        row.escalation_chain = _chain_json(list(chain_for(policies, row.category).levels))
    gap = level_gap(chain_levels(row, policies), row.escalation_level or 0)
    row.sla_since = now
    row.sla_due_at = now + gap if gap is not None else None


def _targets(session: Session, ticket: TicketRow, level: EscalationLevel) -> list[int]:
    """Who a level notifies. The team's manager falls back to the administrators when the
    team has none (an escalation nobody hears of is worse than one that goes too high)."""
    team = session.get(TeamRow, ticket.team_id)
    if level.target is EscalationTarget.TEAM_LEAD:
        return [team.lead_id] if team and team.lead_id else []
    if level.target is EscalationTarget.TEAM_MANAGER and team and team.manager_id:
        return [team.manager_id]
    if level.target is EscalationTarget.USER and level.user_id is not None:
        user = session.get(UserRow, level.user_id)
        return [user.id] if user is not None and user.active else []
    role = level.role if level.target is EscalationTarget.ROLE else Role.ADMIN
    query = select(UserRow.id).where(UserRow.role == (role or Role.ADMIN).value, UserRow.active)
    if role not in (None, Role.ADMIN):  # a team's leads or agents; admins are centre-wide
        query = query.where(UserRow.team_id == ticket.team_id)
    return list(session.scalars(query.order_by(UserRow.id)))


def _history(
    session: Session, ticket_id: int, now: datetime, field: str, old: str | None, new: str | None
) -> None:
    session.add(
        TicketHistoryRow(ticket_id=ticket_id, at=now, user_id=None, field=field, old=old, new=new)
    )


def climb(
    session: Session,
    ticket_id: int,
    policies: SlaPolicies,
    now: datetime,
    reason: str = TIME,
) -> bool:
    """Climb the ticket one level of its chain, if it has one left: one conditional UPDATE on
    the level and version just read (False: another process or writer got there first, or
    the chain is at its end). Flushed, not committed."""
    ticket = session.get(TicketRow, ticket_id, populate_existing=True)
    if ticket is None:
        return False
    levels = chain_levels(ticket, policies)
    level, version = ticket.escalation_level, ticket.version
    if level >= len(levels):
        return False
    new_level = level + 1
    target = levels[level]
    targets = _targets(session, ticket, target)
    names = ", ".join(u.display_name for u in (session.get(UserRow, t) for t in targets) if u)
    gap = level_gap(levels, new_level)
    # On time: the next level counts from when this one was due, not from when a sweep ran.
    scheduled = utc(ticket.sla_due_at) if reason == TIME and ticket.sla_due_at else now
    old_status = ticket.status
    claimed = session.execute(
        update(TicketRow)
        .where(
            TicketRow.id == ticket_id,
            TicketRow.escalation_level == level,
            TicketRow.version == version,
        )
        .values(
            escalation_level=new_level,
            status=TicketStatus.ESCALATED.value,
            closed_at=None,  # a survey's answer reopens a resolved ticket
            sla_since=ticket.sla_since or now,
            # Only a complaint's clock runs on (the sweeper climbs complaints); another
            # ticket climbed by its survey stays at that level.
            sla_due_at=scheduled + gap if gap is not None and ticket.complaint else None,
            escalation_chain=_chain_json(levels),
            escalated_to=names or None,
            version=version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(ticket)
    _history(session, ticket_id, now, "escalation_level", str(level), str(new_level))
    if old_status != ticket.status:
        _history(session, ticket_id, now, "status", old_status, ticket.status)
    # Who it went to, by name: the ticket shows "escalated to 张伟 at 10:02".
    _history(session, ticket_id, now, "escalated_to", None, names or None)
    if reason != TIME:
        _history(session, ticket_id, now, "escalation_reason", None, reason)
    record_change(session, "ticket", ticket_out(ticket), team_id=ticket.team_id, now=now)
    event = EscalationData(
        ticket_id=ticket_id,
        number=ticket.number,
        level=new_level,
        notify_user_ids=targets,
        summary=ticket.summary,
        escalated_to=names,
        reason=reason,
    )
    raise_event(session, event, now=now, team_id=ticket.team_id)
    for user_id in targets:
        # The team's event reaches the team and the admins; a target outside the team (a
        # manager or named user of another team) is told on their own.
        user = session.get(UserRow, user_id)
        if user is not None and user.team_id != ticket.team_id and user.role != Role.ADMIN:
            own = event.model_copy(update={"notify_user_ids": [user_id]})
            raise_event(session, own, now=now, user_id=user_id)
    audit(
        session,
        user_id=None,
        action="sla.escalate",
        target=ticket.number,
        allowed=True,
        now=now,
        detail=f"level {level} -> {new_level} ({reason}), notify {targets}",
    )
    session.flush()
    log.info("escalated %s to level %d (%s)", ticket.number, new_level, reason)
    return True


def climb_now(
    session: Session, ticket_id: int, policies: SlaPolicies, now: datetime, reason: str
) -> bool:
    """A trigger other than time, inside a request's write: climb once, trying again (a few
    times) if a sweeper moved the ticket between the read and the UPDATE."""
    return any(climb(session, ticket_id, policies, now, reason) for _ in range(3))


def escalate_due(session: Session, policies: SlaPolicies, now: datetime) -> list[int]:
    """Climb every complaint whose level is due; returns the ticket ids escalated."""
    due = session.scalars(
        select(TicketRow.id)
        .where(
            TicketRow.complaint,
            TicketRow.sla_due_at <= now,
            TicketRow.status.in_(_CLOCK_STATES),
        )
        .order_by(TicketRow.sla_due_at)
    ).all()
    escalated = []
    for ticket_id in due:
        if climb(session, ticket_id, policies, now):
            session.commit()
            escalated.append(ticket_id)
        else:
            session.rollback()  # another process escalated (or someone edited) it first
    return escalated


def repeat_complaint(
    session: Session, row: TicketRow, policies: SlaPolicies, now: datetime
) -> bool:
    """A new complaint from a customer who complained within the policy's days climbs at
    once (a repeat is already late). Returns whether it did."""
    days = policies.repeat_complaint_days
    if not row.complaint or days is None:
        return False
    before = session.scalar(
        select(TicketRow.id)
        .where(
            TicketRow.customer_id == row.customer_id,
            TicketRow.complaint,
            TicketRow.id != row.id,
            TicketRow.opened_at >= now - timedelta(days=days),
        )
        .limit(1)
    )
    return before is not None and climb_now(session, row.id, policies, now, REPEAT)


class SlaSweeper:
    """Runs ``escalate_due`` every ``interval_s`` in the background of each server process,
    with the centre's stored policy (read each round: an admin's change needs no restart)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        defaults: Callable[[], SlaPolicies],
        interval_s: float,
    ) -> None:
        self._database = database
        self._clock = clock
        self._defaults = defaults
        self._rounds = Periodic(
            "sla-sweeper",
            interval_s,
            lambda: run_in_threadpool(self.sweep),
            failed="SLA sweep failed",
        )

    def sweep(self) -> list[int]:
        with self._database.session() as session:
            policies = stored_policies.current(session, self._defaults())
            escalated = escalate_due(session, policies, self._clock.now())
        metrics.SLA_SWEEPS.inc()
        metrics.SLA_ESCALATED.inc(len(escalated))
        return escalated

    async def start(self) -> None:
        self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
