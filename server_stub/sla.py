"""SLA clocks and escalation, run by the server so they fire when every desktop is closed.

A complaint whose clock runs out climbs one level: level 1 notifies the ticket's team lead,
level 2 the administrators. The climb is one conditional UPDATE (``WHERE escalation_level =
seen AND version = seen``), so when several server processes sweep at once exactly one wins.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub import metrics
from server_stub.clock import Clock
from server_stub.core.db import Database
from server_stub.feed import audit, raise_event, record_change
from server_stub.models import TeamRow, TicketHistoryRow, TicketRow, UserRow
from server_stub.periodic import Periodic
from server_stub.serialize import ticket_out
from sync.contract.events import EscalationData
from sync.contract.records import Role, TicketStatus
from sync.contract.rules import EscalationPolicy

log = logging.getLogger(__name__)

_CLOCK_STATES = [s.value for s in TicketStatus if EscalationPolicy.clock_runs(s, True)]


def _targets(session: Session, ticket: TicketRow, level: int) -> list[int]:
    if level == 1:
        team = session.get(TeamRow, ticket.team_id)
        return [team.lead_id] if team and team.lead_id else []
    return list(session.scalars(select(UserRow.id).where(UserRow.role == Role.ADMIN.value)))


def escalate_due(session: Session, policy: EscalationPolicy, now: datetime) -> list[int]:
    """Escalate every complaint whose clock has run out; returns the ticket ids escalated."""
    due = session.execute(
        select(TicketRow.id, TicketRow.escalation_level, TicketRow.version)
        .where(
            TicketRow.complaint,
            TicketRow.sla_due_at <= now,
            TicketRow.status.in_(_CLOCK_STATES),
            TicketRow.escalation_level < policy.max_level,
        )
        .order_by(TicketRow.sla_due_at)
    ).all()
    escalated = []
    for ticket_id, level, version in due:
        new_level = level + 1
        ticket = session.get(TicketRow, ticket_id)
        assert ticket is not None
        more = policy.next_level(new_level) is not None
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
                sla_since=now,
                sla_due_at=policy.deadline(ticket.category, now) if more else None,
                version=version + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()  # another process escalated (or someone edited) it first
            continue
        old_status = ticket.status
        session.refresh(ticket)
        session.add(
            TicketHistoryRow(
                ticket_id=ticket_id,
                at=now,
                user_id=None,
                field="escalation_level",
                old=str(level),
                new=str(new_level),
            )
        )
        if old_status != ticket.status:
            session.add(
                TicketHistoryRow(
                    ticket_id=ticket_id,
                    at=now,
                    user_id=None,
                    field="status",
                    old=old_status,
                    new=ticket.status,
                )
            )
        targets = _targets(session, ticket, new_level)
        # Who it went to, by name: the ticket shows "escalated to 张伟 at 10:02".
        names = [u.display_name for u in (session.get(UserRow, t) for t in targets) if u]
        session.add(
            TicketHistoryRow(
                ticket_id=ticket_id,
                at=now,
                user_id=None,
                field="escalated_to",
                old=None,
                new=", ".join(names) or None,
            )
        )
        out = ticket_out(ticket)
        record_change(session, "ticket", out, team_id=ticket.team_id, now=now)
        raise_event(
            session,
            EscalationData(
                ticket_id=ticket_id,
                number=ticket.number,
                level=new_level,
                notify_user_ids=targets,
                summary=ticket.summary,
            ),
            now=now,
            team_id=ticket.team_id,
        )
        audit(
            session,
            user_id=None,
            action="sla.escalate",
            target=ticket.number,
            allowed=True,
            now=now,
            detail=f"level {level} -> {new_level}, notify {targets}",
        )
        session.commit()
        escalated.append(ticket_id)
        log.info("escalated %s to level %d", ticket.number, new_level)
    return escalated


class SlaSweeper:
    """Runs ``escalate_due`` every ``interval_s`` in the background of each server process."""

    def __init__(
        self, database: Database, clock: Clock, policy: EscalationPolicy, interval_s: float
    ) -> None:
        self._database = database
        self._clock = clock
        self._policy = policy
        self._rounds = Periodic(
            "sla-sweeper",
            interval_s,
            lambda: run_in_threadpool(self.sweep),
            failed="SLA sweep failed",
        )

    def sweep(self) -> list[int]:
        with self._database.session() as session:
            escalated = escalate_due(session, self._policy, self._clock.now())
        metrics.SLA_SWEEPS.inc()
        metrics.SLA_ESCALATED.inc(len(escalated))
        return escalated

    async def start(self) -> None:
        self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
