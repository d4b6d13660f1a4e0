"""Customers with their contacts; lookup by phone number as agents and trunks send it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server_stub import desk_settings
from server_stub.api.customer_writes import contact_numbers, insert_customers
from server_stub.api.deps import Caller, DbSession, DeskContract, Now, check_team, require
from server_stub.api.errors import ApiProblem
from server_stub.api.routes.common import PAGE_MAX, IdPath, Offset, bad_field, get_or_404
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.feed import record_change, record_deletion
from server_stub.models import (
    AssetRow,
    ContactRow,
    CustomerRow,
    InteractionRow,
    TaskRow,
    TeamRow,
    TicketRow,
)
from server_stub.serialize import customer_out
from sync.contract import version as contract
from sync.contract.desk import missing_checks
from sync.contract.errors import ErrorCode
from sync.contract.phone import lookup_key
from sync.contract.wire import (
    ADDRESS_CHANGE,
    ContactIn,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    RecordVersion,
)

router = APIRouter(tags=["customers"])
Reader = Annotated[Caller, Depends(require("customer.read"))]


def contact_rows(contacts: list[ContactIn]) -> list[ContactRow]:
    return [
        ContactRow(
            name=contact.name,
            phone_e164=number.e164,
            extension=number.extension,
            email=contact.email,
            kind=contact.kind,
            salutation=contact.salutation,
        )
        for contact, number in zip(contacts, contact_numbers(contacts), strict=True)
    ]


def _check_team_exists(session: DbSession, team_id: int) -> None:
    if session.get(TeamRow, team_id) is None:
        raise bad_field("team_id", f"no team with id {team_id}")


@router.get("/customers", response_model=list[CustomerOut])
def list_customers(
    caller: Reader,
    session: DbSession,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
    offset: Offset = 0,
) -> list[CustomerOut]:
    query = select(CustomerRow).order_by(CustomerRow.id)
    if caller.team_ids is not None:
        query = query.where(CustomerRow.team_id.in_(caller.team_ids))
    if q.strip():
        like = f"%{q.strip()}%"
        query = query.where(or_(CustomerRow.name.like(like), CustomerRow.code.like(like)))
    rows = session.scalars(query.limit(limit).offset(offset))
    return [customer_out(r) for r in rows]


@router.get("/customers/lookup", response_model=list[CustomerOut])
def lookup_by_phone(
    caller: Reader,
    session: DbSession,
    phone: Annotated[str, Query(min_length=1, max_length=60)],
) -> list[CustomerOut]:
    """Customers with a contact at ``phone`` (any common notation); [] for no usable number."""
    key = lookup_key(phone)
    if key is None:
        return []
    with_number = select(ContactRow.customer_id).where(ContactRow.phone_e164 == key)
    query = select(CustomerRow).where(CustomerRow.id.in_(with_number)).order_by(CustomerRow.id)
    if caller.team_ids is not None:
        query = query.where(CustomerRow.team_id.in_(caller.team_ids))
    return [customer_out(r) for r in session.scalars(query.limit(20))]


@router.get("/customers/{customer_id}", response_model=CustomerOut)
def get_customer(
    customer_id: IdPath, request: Request, caller: Reader, session: DbSession, clock: Now
) -> CustomerOut:
    row = get_or_404(session, CustomerRow, customer_id, "customer")
    check_team(session, caller, row.team_id, "customer.read", request.url.path, clock.now())
    return customer_out(row)


@router.post("/customers", status_code=201, response_model=CustomerOut)
def create_customer(
    body: CustomerIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("customer.create"))],
    session: DbSession,
    clock: Now,
) -> Response:
    check_team(session, caller, body.team_id, "customer.create", request.url.path, clock.now())
    _check_team_exists(session, body.team_id)

    numbers = contact_numbers(body.contacts)

    def perform(now):  # type: ignore[no-untyped-def]
        (out,), _ = insert_customers(session.connection(), [body], [numbers], now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/customers/{customer_id}", response_model=CustomerOut)
def update_customer(
    customer_id: IdPath,
    body: CustomerPatch,
    request: Request,
    caller: Annotated[Caller, Depends(require("customer.update"))],
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, CustomerRow, customer_id, "customer")
    check_team(session, caller, row.team_id, "customer.update", request.url.path, clock.now())
    if body.team_id is not None and body.team_id != row.team_id:
        check_team(session, caller, body.team_id, "customer.update", request.url.path, clock.now())
        _check_team_exists(session, body.team_id)

    def current() -> CustomerOut:
        session.expire_all()
        return customer_out(get_or_404(session, CustomerRow, customer_id, "customer"))

    check_version(row, body.version, current)
    if body.address is not None and body.address != row.address:
        _check_identity(session, ADDRESS_CHANGE, body.checks or [])

    def perform(now):  # type: ignore[no-untyped-def]
        old_team = row.team_id
        changed = apply_patch(
            row,
            body.model_copy(update={"contacts": None}),
            tuple(f for f in CustomerPatch.model_fields if f not in ("contacts", "checks")),
        )
        if body.contacts is not None:
            row.contacts = contact_rows(body.contacts)
            changed.append(("contacts", None, None))
        if changed:
            row.updated_at = now
            session.flush()
        out = customer_out(row)
        if changed:
            if row.team_id != old_team:  # the old team's desktops must drop it
                record_deletion(session, "customer", row.id, out.version, team_id=old_team, now=now)
            record_change(session, "customer", out, team_id=row.team_id, now=now)
        return 200, out

    return write(request, session, caller, clock, body, perform, current)


def _check_identity(session: Session, action: str, ticked: Iterable[str]) -> None:
    """Verify-on-file: the checks the centre requires for ``action`` were ticked on the call
    (the desk blocks the action too; a desk is not trusted alone). 422 naming the missing."""
    missing = missing_checks(desk_settings.current(session), action, ticked)
    if missing:
        raise ApiProblem(
            422,
            ErrorCode.CHECKS_REQUIRED,
            f"Verify the caller first: {', '.join(missing)} not checked on this call.",
            "checks",
        )


@router.delete("/customers/{customer_id}", status_code=204)
def delete_customer(
    customer_id: IdPath,
    request: Request,
    caller: Annotated[Caller, Depends(require("customer.delete"))],
    session: DbSession,
    clock: Now,
    desk: DeskContract,
    body: Annotated[RecordVersion | None, Body()] = None,
) -> Response:
    """Delete a customer without history; the body names the version deleted, as a patch does
    (``{"version": 3}``): a customer someone changed since is a 409 with the current record."""
    row = get_or_404(session, CustomerRow, customer_id, "customer")
    check_team(session, caller, row.team_id, "customer.delete", request.url.path, clock.now())
    # Desks of contract 1.0 deleted without a version; they are still served as they were.
    if body is None and desk != contract.LEGACY:
        raise bad_field("version", 'send the version you delete, as in {"version": 3}')

    def current() -> CustomerOut:
        session.expire_all()
        return customer_out(get_or_404(session, CustomerRow, customer_id, "customer"))

    if body is not None:
        check_version(row, body.version, current)
    # A customer with history is kept: their tickets and calls are the service record.
    for table, what in (
        (AssetRow, "products"),
        (TicketRow, "tickets"),
        (InteractionRow, "interactions"),
        (TaskRow, "callback or survey tasks"),
    ):
        if session.scalar(select(table.id).where(table.customer_id == customer_id).limit(1)):
            raise ApiProblem(
                409,
                ErrorCode.IN_USE,
                f"The customer still has {what}; a customer with history is kept.",
            )

    def perform(now):  # type: ignore[no-untyped-def]
        team_id, version = row.team_id, row.version
        session.delete(row)
        session.flush()
        record_deletion(session, "customer", customer_id, version + 1, team_id=team_id, now=now)
        return 204, None

    return write(request, session, caller, clock, body, perform, current)
