"""Service requests: workflow, reassignment, complaint SLA clocks and the history of changes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.api.deps import Caller, DbSession, Now, check_team, deny, require
from server_stub.api.routes.common import PAGE_MAX, IdPath, IdQuery, Offset, bad_field, get_or_404
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.clock import utc
from server_stub.feed import raise_event, record_change, record_deletion
from server_stub.models import (
    ArticleRow,
    CustomerRow,
    TeamRow,
    TicketHistoryRow,
    TicketRow,
    UserRow,
)
from server_stub.serialize import ticket_out
from sync.records import Role, TicketStatus
from sync.rules import EscalationPolicy, can_transition
from sync.wire import TicketChangeOut, TicketIn, TicketOut, TicketPatch

router = APIRouter(tags=["tickets"])
Reader = Annotated[Caller, Depends(require("ticket.read"))]

_CLOSING = (TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED)


def policy_of(request: Request) -> EscalationPolicy:
    policy: EscalationPolicy = request.app.state.escalation_policy
    return policy


def restart_sla(row: TicketRow, policy: EscalationPolicy, now: datetime) -> None:
    if policy.clock_runs(TicketStatus(row.status), row.complaint):
        if row.sla_due_at is None:
            row.sla_since = now
            row.sla_due_at = policy.deadline(row.category, now)
    else:
        row.sla_since = None
        row.sla_due_at = None


def history(
    session: Session,
    ticket_id: IdPath,
    user_id: int | None,
    now: datetime,
    changes: list[tuple[str, Any, Any]],
) -> None:
    for field, old, new in changes:
        session.add(
            TicketHistoryRow(
                ticket_id=ticket_id,
                at=now,
                user_id=user_id,
                field=field,
                old=None if old is None else str(old),
                new=None if new is None else str(new),
            )
        )


def _check_handler(session: Session, handler_id: int | None, team_id: int) -> None:
    if handler_id is None:
        return
    handler = session.get(UserRow, handler_id)
    if handler is None or not handler.active:
        raise bad_field("handler_id", f"no active user with id {handler_id}")
    if handler.team_id != team_id and Role(handler.role) is not Role.ADMIN:
        raise bad_field("handler_id", "the handler is not in the ticket's team")


def _check_articles(session: Session, article_ids: list[int]) -> None:
    for index, article_id in enumerate(article_ids):
        if session.get(ArticleRow, article_id) is None:
            raise bad_field(f"article_ids.{index}", f"no article with id {article_id}")


@router.get("/tickets", response_model=list[TicketOut])
def list_tickets(
    caller: Reader,
    session: DbSession,
    status: Annotated[list[TicketStatus] | None, Query()] = None,
    customer_id: IdQuery = None,
    handler_id: IdQuery = None,
    complaint: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 100,
    offset: Offset = 0,
) -> list[TicketOut]:
    query = select(TicketRow).order_by(TicketRow.id.desc())
    if caller.team_ids is not None:
        query = query.where(TicketRow.team_id.in_(caller.team_ids))
    if status:
        query = query.where(TicketRow.status.in_([s.value for s in status]))
    if customer_id is not None:
        query = query.where(TicketRow.customer_id == customer_id)
    if handler_id is not None:
        query = query.where(TicketRow.handler_id == handler_id)
    if complaint is not None:
        query = query.where(TicketRow.complaint == complaint)
    return [ticket_out(r) for r in session.scalars(query.limit(limit).offset(offset))]


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
def get_ticket(
    ticket_id: IdPath, request: Request, caller: Reader, session: DbSession, clock: Now
) -> TicketOut:
    row = get_or_404(session, TicketRow, ticket_id, "ticket")
    check_team(session, caller, row.team_id, "ticket.read", request.url.path, clock.now())
    return ticket_out(row)


@router.get("/tickets/{ticket_id}/history", response_model=list[TicketChangeOut])
def ticket_history(
    ticket_id: IdPath, request: Request, caller: Reader, session: DbSession, clock: Now
) -> list[TicketChangeOut]:
    row = get_or_404(session, TicketRow, ticket_id, "ticket")
    check_team(session, caller, row.team_id, "ticket.read", request.url.path, clock.now())
    rows = session.scalars(
        select(TicketHistoryRow)
        .where(TicketHistoryRow.ticket_id == ticket_id)
        .order_by(TicketHistoryRow.id)
    )
    return [
        TicketChangeOut(at=utc(h.at), user_id=h.user_id, field=h.field, old=h.old, new=h.new)
        for h in rows
    ]


@router.post("/tickets", status_code=201, response_model=TicketOut)
def create_ticket(
    body: TicketIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("ticket.create"))],
    session: DbSession,
    clock: Now,
) -> Response:
    customer = session.get(CustomerRow, body.customer_id)
    if customer is None:
        raise bad_field("customer_id", f"no customer with id {body.customer_id}")
    check_team(session, caller, customer.team_id, "ticket.create", request.url.path, clock.now())
    handler_id = body.handler_id if body.handler_id is not None else caller.user.id
    _check_handler(session, handler_id, customer.team_id)
    _check_articles(session, body.article_ids)
    policy = policy_of(request)

    def perform(now):  # type: ignore[no-untyped-def]
        row = TicketRow(
            number=f"pending-{now.timestamp()}-{caller.user.id}",
            customer_id=customer.id,
            team_id=customer.team_id,
            handler_id=handler_id,
            channel=body.channel.value,
            urgency=body.urgency.value,
            priority=body.priority.value,
            category=body.category,
            source=body.source,
            status=TicketStatus.NEW.value,
            complaint=body.complaint,
            summary=body.summary,
            content=body.content,
            article_ids=list(body.article_ids),
            opened_at=now,
            updated_at=now,
        )
        restart_sla(row, policy, now)
        session.add(row)
        session.flush()
        row.number = f"SR-{now:%Y%m%d}-{row.id:06d}"
        session.flush()
        history(session, row.id, caller.user.id, now, [("created", None, row.number)])
        out = ticket_out(row)
        record_change(session, "ticket", out, team_id=row.team_id, now=now)
        if body.complaint:
            raise_event(
                session,
                "ticket.complaint",
                {"ticket_id": row.id, "number": row.number},
                now=now,
                team_id=row.team_id,
            )
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/tickets/{ticket_id}", response_model=TicketOut)
def update_ticket(
    ticket_id: IdPath,
    body: TicketPatch,
    request: Request,
    caller: Annotated[Caller, Depends(require("ticket.update"))],
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, TicketRow, ticket_id, "ticket")
    path = request.url.path
    check_team(session, caller, row.team_id, "ticket.update", path, clock.now())

    def current() -> TicketOut:
        session.expire_all()
        return ticket_out(get_or_404(session, TicketRow, ticket_id, "ticket"))

    check_version(row, body.version, current)
    moving = body.team_id is not None and body.team_id != row.team_id
    rehandled = "handler_id" in body.model_fields_set and body.handler_id != row.handler_id
    taking = rehandled and body.handler_id == caller.user.id and not moving
    if (moving or (rehandled and not taking)) and "ticket.reassign" not in caller.permissions:
        raise deny(
            session,
            caller,
            "ticket.reassign",
            path,
            "Only a team lead may reassign a ticket to someone else.",
            clock.now(),
        )
    if (
        body.status is TicketStatus.ESCALATED
        and row.status != TicketStatus.ESCALATED.value
        and ("ticket.escalate" not in caller.permissions)
    ):
        raise deny(
            session,
            caller,
            "ticket.escalate",
            path,
            "Only a team lead may escalate by hand; complaints escalate on their SLA.",
            clock.now(),
        )
    if body.status is not None and not can_transition(TicketStatus(row.status), body.status):
        raise bad_field("status", f"a ticket cannot go from {row.status} to {body.status.value}")
    team_id = body.team_id if body.team_id is not None else row.team_id
    if moving and session.get(TeamRow, team_id) is None:
        raise bad_field("team_id", f"no team with id {team_id}")
    handler_id = body.handler_id if "handler_id" in body.model_fields_set else row.handler_id
    if moving and "handler_id" not in body.model_fields_set:
        handler_id = None  # the new team's lead assigns it
    _check_handler(session, handler_id, team_id)
    if body.article_ids is not None:
        _check_articles(session, body.article_ids)
    policy = policy_of(request)

    def perform(now):  # type: ignore[no-untyped-def]
        old_team = row.team_id
        changes = apply_patch(row, body)
        if moving and "handler_id" not in body.model_fields_set and row.handler_id is not None:
            changes.append(("handler_id", row.handler_id, None))
            row.handler_id = None
        if any(f in ("status", "complaint", "category") for f, _o, _n in changes):
            status = TicketStatus(row.status)
            if status in _CLOSING and row.closed_at is None:
                row.closed_at = now
            elif status not in _CLOSING:
                row.closed_at = None
            restart_sla(row, policy, now)
        if changes:
            row.updated_at = now
            session.flush()
            history(session, row.id, caller.user.id, now, changes)
        out = ticket_out(row)
        if changes:
            if row.team_id != old_team:
                record_deletion(session, "ticket", row.id, out.version, team_id=old_team, now=now)
            record_change(session, "ticket", out, team_id=row.team_id, now=now)
        return 200, out

    return write(request, session, caller, clock, body, perform, current)
