"""The batch's fast lane: the writes a desk sends most, written many at a time with Core.

``api.batch`` runs every operation through its route, which costs a few milliseconds of
framework and ORM per write. An operation with a lane (``LANES``) is instead checked in memory
and, with the operations of the same kind next to it, written with one executemany per table
by the function its route calls too (``server_stub.api.customer_writes``): the rules live in
one place, and the batch only skips the per-request machinery.

The lane takes only what will certainly succeed as its route would answer it: a body the
route's own request model accepts, a caller whose role and team scope allow it (the cached
``Caller``, as the route's dependencies build it), an Idempotency-Key of the right form that
has no stored answer and was not used earlier in this batch. Anything else (a refusal to
audit, a replay, a 422) goes to the route, which answers it as it would alone. A group that
fails while writing (a duplicate code, a team deleted meanwhile, a key another request
stored a moment ago) is rolled back to its one savepoint and its operations go to the route
one by one: checks before writing need no savepoint, the group's writes need one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, insert, select

from server_stub.api import idempotency, interaction_writes
from server_stub.api.customer_writes import contact_numbers, insert_customers
from server_stub.api.deps import Caller
from server_stub.api.errors import ApiProblem
from server_stub.models import AuditRow, IdempotencyRow, TeamRow
from sync.contract.records import Role
from sync.contract.wire import API_PREFIX, BatchOperation, CustomerIn, InteractionIn

_INSERT_KEYS = insert(IdempotencyRow)
_INSERT_AUDIT = insert(AuditRow)


@dataclass(frozen=True, slots=True)
class Ready:
    """An operation the lane will write: its request checked, its key's fingerprint."""

    index: int  # in the batch
    operation: BatchOperation
    item: Any  # what the lane's writer takes (a CustomerIn with its numbers, ...)
    fingerprint: str | None


@dataclass
class Batch:
    """What the lane knows of the batch under way (read once, in its transaction)."""

    connection: Connection
    caller: Caller
    stored_keys: frozenset[str]  # keys of this batch that already have an answer
    used_keys: set[str] = field(default_factory=set)  # keys of the operations seen so far
    _teams: frozenset[int] | None = None

    def teams(self) -> frozenset[int]:
        if self._teams is None:
            self._teams = frozenset(self.connection.scalars(select(TeamRow.id)))
        return self._teams


@dataclass(frozen=True, slots=True)
class Lane:
    permission: str
    # The checked item, or None: the route answers this one (a refusal, a replay, a 422).
    check: Callable[[Batch, dict[str, Any]], Any | None]
    # Writes the items; each one's record as JSON, in order.
    write: Callable[[Connection, list[Any], datetime, Caller], list[dict[str, Any]]]
    status: int


def _check_customer(batch: Batch, body: dict[str, Any]) -> Any | None:
    try:
        customer = CustomerIn.model_validate(body)
    except ValidationError:
        return None
    if not batch.caller.may_see_team(customer.team_id) or customer.team_id not in batch.teams():
        return None
    try:
        numbers = contact_numbers(customer.contacts)
    except ApiProblem:
        return None
    return customer, numbers


def _write_customers(
    connection: Connection, items: list[Any], now: datetime, _caller: Caller
) -> list[dict[str, Any]]:
    _, data = insert_customers(
        connection, [body for body, _ in items], [numbers for _, numbers in items], now
    )
    return data


def _check_interaction(batch: Batch, body: dict[str, Any]) -> Any | None:
    try:
        interaction = InteractionIn.model_validate(body)
    except ValidationError:
        return None
    connection = batch.connection
    try:
        team = interaction_writes.customer_team(
            connection, interaction.customer_id, batch.caller.user.team_id
        )
        if not batch.caller.may_see_team(team):
            return None
        interaction_writes.check_times(interaction)
        interaction_writes.check_tickets(connection, interaction.ticket_ids, team)
    except ApiProblem:
        return None
    return interaction, team


def _write_interactions(
    connection: Connection, items: list[Any], now: datetime, caller: Caller
) -> list[dict[str, Any]]:
    _, data = interaction_writes.insert_interactions(connection, items, caller.user.id, now)
    return data


LANES: dict[tuple[str, str], Lane] = {
    ("POST", "/customers"): Lane("customer.create", _check_customer, _write_customers, 201),
    # A call record for every call: the write a centre's desks send most.
    ("POST", "/interactions"): Lane(
        "interaction.create", _check_interaction, _write_interactions, 201
    ),
}


def stored_keys(connection: Connection, user_id: int, keys: list[str]) -> frozenset[str]:
    """Which of ``keys`` already have an answer for this user (one query per batch)."""
    if not keys:
        return frozenset()
    found = connection.scalars(
        select(IdempotencyRow.key).where(
            IdempotencyRow.user_id == user_id,
            IdempotencyRow.key.in_(keys),
            IdempotencyRow.status_code != idempotency.PENDING,
        )
    )
    return frozenset(found)


def ready(batch: Batch, index: int, operation: BatchOperation) -> tuple[Lane, Ready] | None:
    """The lane and the checked operation, if the lane takes it; else None (the route)."""
    lane = LANES.get((operation.method, operation.path))
    key = operation.key
    taken = key is not None and (key in batch.stored_keys or key in batch.used_keys)
    if key is not None:
        batch.used_keys.add(key)
    if lane is None or taken or operation.body is None:
        return None
    if lane.permission not in batch.caller.permissions:
        return None
    fingerprint = None
    if key is not None:
        try:
            idempotency.check_key(key)
        except idempotency.KeyFormatError:
            return None
        digest = idempotency.canonical_digest(operation.body)
        fingerprint = idempotency.fingerprint(
            batch.caller.user.id, operation.method, API_PREFIX + operation.path, "", digest
        )
    item = lane.check(batch, operation.body)
    if item is None:
        return None
    return lane, Ready(index, operation, item, fingerprint)


def write_group(
    batch: Batch, lane: Lane, group: list[Ready], now: datetime
) -> list[dict[str, Any]]:
    """Write ``group`` (operations of one lane, in batch order) in one savepoint; raises (with
    the savepoint rolled back) if the database refuses any of it. Each one's answer body."""
    connection, caller = batch.connection, batch.caller
    with connection.begin_nested():
        data = lane.write(connection, [r.item for r in group], now, caller)
        keyed = [
            {
                "user_id": caller.user.id,
                "key": r.operation.key,
                "request_hash": r.fingerprint,
                "status_code": lane.status,
                "body": d,
                "created_at": now,
            }
            for r, d in zip(group, data, strict=True)
            if r.operation.key is not None
        ]
        if keyed:
            connection.execute(_INSERT_KEYS, keyed)
        if caller.role in (Role.SUPERVISOR, Role.ADMIN):  # as ``api.writes.write`` audits
            connection.execute(
                _INSERT_AUDIT,
                [
                    {
                        "at": now,
                        "user_id": caller.user.id,
                        "action": f"{r.operation.method} {API_PREFIX}{r.operation.path}",
                        "target": str(d.get("id", ""))[:200],
                        "allowed": True,
                        "detail": "",
                    }
                    for r, d in zip(group, data, strict=True)
                ],
            )
    return data
