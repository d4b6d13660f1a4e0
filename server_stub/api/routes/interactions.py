"""Interactions: calls, emails, web and SMS contacts with their wrap-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.interaction_writes import (
    check_tickets,
    check_times,
    customer_team,
    insert_interactions,
)
from server_stub.api.routes.common import PAGE_MAX, IdPath, bad_field, get_or_404
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.clock import utc
from server_stub.feed import record_change
from server_stub.models import CustomerRow, InteractionRow
from server_stub.next_calls import relink
from server_stub.serialize import interaction_out
from sync.contract.wire import InteractionIn, InteractionOut, InteractionPatch

router = APIRouter(tags=["interactions"])
Writer = Annotated[Caller, Depends(require("interaction.create"))]


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
    connection = session.connection()
    team_id = customer_team(connection, body.customer_id, caller.user.team_id)
    check_team(session, caller, team_id, "interaction.create", request.url.path, clock.now())
    check_times(body)
    check_tickets(connection, body.ticket_ids, team_id)

    def perform(now):  # type: ignore[no-untyped-def]
        items = [(body, team_id)]
        (out,), _ = insert_interactions(session.connection(), items, caller.user.id, now)
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
    connection = session.connection()
    if body.customer_id is not None and (
        customer_team(connection, body.customer_id, caller.user.team_id) != row.team_id
    ):
        raise bad_field("customer_id", "the customer belongs to another team")
    if body.ended_at is not None and body.ended_at < utc(row.started_at):
        raise bad_field("ended_at", "an interaction cannot end before it starts")
    if body.ticket_ids is not None:
        check_tickets(connection, body.ticket_ids, row.team_id)

    def perform(now):  # type: ignore[no-untyped-def]
        before = row.customer_id
        if apply_patch(row, body):
            row.updated_at = now
            session.flush()
            if row.customer_id != before and row.kind == "call_in":
                relink(session.connection(), (before, row.customer_id))
            out = interaction_out(row)
            record_change(session, "interaction", out, team_id=row.team_id, now=now)
            return 200, out
        return 200, interaction_out(row)

    return write(request, session, caller, clock, body, perform, current)
