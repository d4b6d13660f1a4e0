"""Creating interactions (call records): the rules and the insert, shared by the route and the
batch's fast lane (``server_stub.api.fast_lane``), so they live in one place."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, insert, select

from server_stub.api.routes.common import bad_field
from server_stub.feed import change_values
from server_stub.models import ChangeRow, CustomerRow, InteractionRow, TicketRow
from server_stub.next_calls import relink
from sync.clock import utc
from sync.contract.wire import InteractionIn, InteractionOut

_INSERT = insert(InteractionRow).returning(InteractionRow.id, sort_by_parameter_order=True)
_INSERT_CHANGES = insert(ChangeRow)
_COLUMNS = frozenset(InteractionRow.__table__.columns.keys())
# What the request says that is stored as it is (every field of the request the table has).
_STORED = tuple(name for name in InteractionIn.model_fields if name in _COLUMNS)


def check_times(body: InteractionIn) -> None:
    """A 422 naming the field when the times are out of order."""
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


def customer_team(connection: Connection, customer_id: int | None, own_team: int | None) -> int:
    """The team an interaction belongs to: its customer's, else the caller's own (a 422 when
    there is neither)."""
    if customer_id is None:
        if own_team is None:
            raise bad_field("customer_id", "needed for a user without a team")
        return own_team
    team = connection.scalar(select(CustomerRow.team_id).where(CustomerRow.id == customer_id))
    if team is None:
        raise bad_field("customer_id", f"no customer with id {customer_id}")
    return int(team)


def check_tickets(connection: Connection, ticket_ids: list[int], team_id: int) -> None:
    """A 422 naming the first ticket that is not this team's (or does not exist)."""
    if not ticket_ids:
        return
    found = connection.execute(
        select(TicketRow.id, TicketRow.team_id).where(TicketRow.id.in_(ticket_ids))
    )
    teams = {ticket_id: team for ticket_id, team in found}
    for index, ticket_id in enumerate(ticket_ids):
        if teams.get(ticket_id) != team_id:
            raise bad_field(f"ticket_ids.{index}", f"no ticket {ticket_id} in this team")


def _values(body: InteractionIn, team_id: int, agent_id: int, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _STORED:
        value = getattr(body, name)
        values[name] = value.value if isinstance(value, Enum) else value
    values["ticket_ids"] = list(body.ticket_ids)
    values.update(team_id=team_id, agent_id=agent_id, version=1, updated_at=now)
    return values


def insert_interactions(
    connection: Connection,
    items: list[tuple[InteractionIn, int]],
    agent_id: int,
    now: datetime,
) -> tuple[list[InteractionOut], list[dict[str, Any]]]:
    """Create one interaction per (checked body, its team) with its change-feed row; the
    records, in order, and each as JSON (what the feed row holds and the answer says)."""
    values = [_values(body, team_id, agent_id, now) for body, team_id in items]
    ids = list(connection.execute(_INSERT, values).scalars())
    records = [
        InteractionOut(
            **{
                **row,
                "started_at": utc(row["started_at"]),
                "ended_at": None if row["ended_at"] is None else utc(row["ended_at"]),
                "answered_at": None if row["answered_at"] is None else utc(row["answered_at"]),
                "updated_at": utc(now),
            },
            id=record_id,
        )
        for record_id, row in zip(ids, values, strict=True)
    ]
    relink(connection, (body.customer_id for body, _team in items if body.kind == "call_in"))
    data = [record.model_dump(mode="json") for record in records]
    connection.execute(
        _INSERT_CHANGES,
        [change_values("interaction", d, team_id=d["team_id"], now=now) for d in data],
    )
    return records, data
