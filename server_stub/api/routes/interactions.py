"""Interactions: calls, emails, web and SMS contacts with their wrap-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.routes.common import PAGE_MAX, IdPath, bad_field, get_or_404
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.clock import utc
from server_stub.feed import record_change
from server_stub.models import CustomerRow, InteractionRow, TicketRow
from server_stub.serialize import interaction_out
from sync.contract.wire import InteractionIn, InteractionOut, InteractionPatch

router = APIRouter(tags=["interactions"])
Writer = Annotated[Caller, Depends(require("interaction.create"))]


def _customer_team(session: DbSession, caller: Caller, customer_id: int | None) -> int:
    if customer_id is None:
        if caller.user.team_id is None:
            raise bad_field("customer_id", "needed for a user without a team")
        return caller.user.team_id
    customer = session.get(CustomerRow, customer_id)
    if customer is None:
        raise bad_field("customer_id", f"no customer with id {customer_id}")
    return customer.team_id


def _check_tickets(session: DbSession, ticket_ids: list[int], team_id: int) -> None:
    for index, ticket_id in enumerate(ticket_ids):
        ticket = session.get(TicketRow, ticket_id)
        if ticket is None or ticket.team_id != team_id:
            raise bad_field(f"ticket_ids.{index}", f"no ticket {ticket_id} in this team")


@router.get("/customers/{customer_id}/interactions", response_model=list[InteractionOut])
def customer_interactions(
    customer_id: IdPath,
    request: Request,
    caller: Annotated[Caller, Depends(require("customer.read"))],
    session: DbSession,
    clock: Now,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
) -> list[InteractionOut]:
    customer = get_or_404(session, CustomerRow, customer_id, "customer")
    check_team(session, caller, customer.team_id, "customer.read", request.url.path, clock.now())
    rows = session.scalars(
        select(InteractionRow)
        .where(InteractionRow.customer_id == customer_id)
        .order_by(InteractionRow.started_at.desc())
        .limit(limit)
    )
    return [interaction_out(r) for r in rows]


@router.post("/interactions", status_code=201, response_model=InteractionOut)
def create_interaction(
    body: InteractionIn, request: Request, caller: Writer, session: DbSession, clock: Now
) -> Response:
    team_id = _customer_team(session, caller, body.customer_id)
    check_team(session, caller, team_id, "interaction.create", request.url.path, clock.now())
    if body.ended_at is not None and body.ended_at < body.started_at:
        raise bad_field("ended_at", "an interaction cannot end before it starts")
    if body.answered_at is not None and body.answered_at < body.started_at:
        raise bad_field("answered_at", "a call cannot be answered before it starts")
    if (
        body.answered_at is not None
        and body.ended_at is not None
        and body.answered_at > body.ended_at
    ):
        raise bad_field("answered_at", "a call cannot be answered after it ends")
    _check_tickets(session, body.ticket_ids, team_id)

    def perform(now):  # type: ignore[no-untyped-def]
        row = InteractionRow(
            customer_id=body.customer_id,
            team_id=team_id,
            agent_id=caller.user.id,
            kind=body.kind.value,
            started_at=body.started_at,
            ended_at=body.ended_at,
            answered_at=body.answered_at,
            talk_s=body.talk_s,
            hold_s=body.hold_s,
            queue=body.queue,
            remote_number=body.remote_number,
            disposition=body.disposition,
            notes=body.notes,
            ticket_ids=list(body.ticket_ids),
            updated_at=now,
        )
        session.add(row)
        session.flush()
        out = interaction_out(row)
        record_change(session, "interaction", out, team_id=team_id, now=now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/interactions/{interaction_id}", response_model=InteractionOut)
def update_interaction(
    interaction_id: IdPath,
    body: InteractionPatch,
    request: Request,
    caller: Writer,
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, InteractionRow, interaction_id, "interaction")
    check_team(session, caller, row.team_id, "interaction.create", request.url.path, clock.now())

    def current() -> InteractionOut:
        session.expire_all()
        return interaction_out(get_or_404(session, InteractionRow, interaction_id, "interaction"))

    check_version(row, body.version, current)
    if body.customer_id is not None and _customer_team(session, caller, body.customer_id) != (
        row.team_id
    ):
        raise bad_field("customer_id", "the customer belongs to another team")
    if body.ended_at is not None and body.ended_at < utc(row.started_at):
        raise bad_field("ended_at", "an interaction cannot end before it starts")
    if body.ticket_ids is not None:
        _check_tickets(session, body.ticket_ids, row.team_id)

    def perform(now):  # type: ignore[no-untyped-def]
        if apply_patch(row, body):
            row.updated_at = now
            session.flush()
            out = interaction_out(row)
            record_change(session, "interaction", out, team_id=row.team_id, now=now)
            return 200, out
        return 200, interaction_out(row)

    return write(request, session, caller, clock, body, perform, current)
