"""Field dispatch (work orders) and callback / survey / proactive-service tasks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.routes.common import PAGE_MAX, IdPath, IdQuery, bad_field, get_or_404
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.clock import utc
from server_stub.feed import record_change
from server_stub.models import CustomerRow, DispatchRow, TaskRow, TicketRow, UserRow
from server_stub.serialize import dispatch_out, task_out
from sync.records import DispatchStatus, TaskStatus
from sync.wire import DispatchIn, DispatchOut, DispatchPatch, TaskIn, TaskOut, TaskPatch

router = APIRouter(tags=["dispatch and tasks"])

_FINAL_DISPATCH = (DispatchStatus.DONE, DispatchStatus.FAILED, DispatchStatus.CANCELLED)


@router.get("/dispatches", response_model=list[DispatchOut])
def list_dispatches(
    caller: Annotated[Caller, Depends(require("ticket.read"))],
    session: DbSession,
    ticket_id: IdQuery = None,
    status: Annotated[list[DispatchStatus] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 100,
) -> list[DispatchOut]:
    query = select(DispatchRow).order_by(DispatchRow.id.desc())
    if caller.team_ids is not None:
        query = query.where(DispatchRow.team_id.in_(caller.team_ids))
    if ticket_id is not None:
        query = query.where(DispatchRow.ticket_id == ticket_id)
    if status:
        query = query.where(DispatchRow.status.in_([s.value for s in status]))
    return [dispatch_out(r) for r in session.scalars(query.limit(limit))]


@router.post("/dispatches", status_code=201, response_model=DispatchOut)
def create_dispatch(
    body: DispatchIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("dispatch.create"))],
    session: DbSession,
    clock: Now,
) -> Response:
    ticket = session.get(TicketRow, body.ticket_id)
    if ticket is None:
        raise bad_field("ticket_id", f"no ticket with id {body.ticket_id}")
    check_team(session, caller, ticket.team_id, "dispatch.create", request.url.path, clock.now())
    if body.window_end <= body.window_start:
        raise bad_field("window_end", "the time window must end after it starts")
    if body.previous_dispatch_id is not None:
        previous = session.get(DispatchRow, body.previous_dispatch_id)
        if previous is None or previous.ticket_id != ticket.id:
            raise bad_field("previous_dispatch_id", "no earlier dispatch of this ticket")
        if DispatchStatus(previous.status) not in _FINAL_DISPATCH:
            raise bad_field("previous_dispatch_id", "the earlier dispatch is still open")

    def perform(now):  # type: ignore[no-untyped-def]
        row = DispatchRow(
            ticket_id=ticket.id,
            team_id=ticket.team_id,
            technician=body.technician,
            window_start=body.window_start,
            window_end=body.window_end,
            method=body.method.value,
            status=DispatchStatus.PLANNED.value,
            notes=body.notes,
            previous_dispatch_id=body.previous_dispatch_id,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        out = dispatch_out(row)
        record_change(session, "dispatch", out, team_id=row.team_id, now=now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/dispatches/{dispatch_id}", response_model=DispatchOut)
def update_dispatch(
    dispatch_id: IdPath,
    body: DispatchPatch,
    request: Request,
    caller: Annotated[Caller, Depends(require("dispatch.update"))],
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, DispatchRow, dispatch_id, "dispatch")
    check_team(session, caller, row.team_id, "dispatch.update", request.url.path, clock.now())

    def current() -> DispatchOut:
        session.expire_all()
        return dispatch_out(get_or_404(session, DispatchRow, dispatch_id, "dispatch"))

    check_version(row, body.version, current)
    if DispatchStatus(row.status) in _FINAL_DISPATCH and body.status not in (None, row.status):
        raise bad_field("status", f"a {row.status} dispatch is final; create a re-dispatch")
    start = body.window_start or utc(row.window_start)
    end = body.window_end or utc(row.window_end)
    if end <= start:
        raise bad_field("window_end", "the time window must end after it starts")
    if body.status is DispatchStatus.DONE and not (body.resolution or row.resolution):
        raise bad_field("resolution", "a finished dispatch needs its resolution")

    def perform(now):  # type: ignore[no-untyped-def]
        if apply_patch(row, body):
            row.updated_at = now
            session.flush()
            out = dispatch_out(row)
            record_change(session, "dispatch", out, team_id=row.team_id, now=now)
            return 200, out
        return 200, dispatch_out(row)

    return write(request, session, caller, clock, body, perform, current)


@router.get("/tasks", response_model=list[TaskOut])
def list_tasks(
    caller: Annotated[Caller, Depends(require("ticket.read"))],
    session: DbSession,
    status: Annotated[list[TaskStatus] | None, Query()] = None,
    assignee_id: IdQuery = None,
    customer_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 100,
) -> list[TaskOut]:
    query = select(TaskRow).order_by(TaskRow.due_at)
    if caller.team_ids is not None:
        query = query.where(TaskRow.team_id.in_(caller.team_ids))
    if status:
        query = query.where(TaskRow.status.in_([s.value for s in status]))
    if assignee_id is not None:
        query = query.where(TaskRow.assignee_id == assignee_id)
    if customer_id is not None:
        query = query.where(TaskRow.customer_id == customer_id)
    return [task_out(r) for r in session.scalars(query.limit(limit))]


def _check_assignee(session: DbSession, assignee_id: int | None, team_id: int) -> None:
    if assignee_id is None:
        return
    user = session.get(UserRow, assignee_id)
    if user is None or user.team_id != team_id:
        raise bad_field("assignee_id", f"no user {assignee_id} in this team")


@router.post("/tasks", status_code=201, response_model=TaskOut)
def create_task(
    body: TaskIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("task.create"))],
    session: DbSession,
    clock: Now,
) -> Response:
    customer = session.get(CustomerRow, body.customer_id)
    if customer is None:
        raise bad_field("customer_id", f"no customer with id {body.customer_id}")
    check_team(session, caller, customer.team_id, "task.create", request.url.path, clock.now())
    if body.ticket_id is not None:
        ticket = session.get(TicketRow, body.ticket_id)
        if ticket is None or ticket.customer_id != customer.id:
            raise bad_field("ticket_id", "no ticket of this customer with that id")
    assignee = body.assignee_id if body.assignee_id is not None else caller.user.id
    _check_assignee(session, assignee, customer.team_id)

    def perform(now):  # type: ignore[no-untyped-def]
        row = TaskRow(
            kind=body.kind.value,
            customer_id=customer.id,
            ticket_id=body.ticket_id,
            team_id=customer.team_id,
            assignee_id=assignee,
            due_at=body.due_at,
            status=TaskStatus.OPEN.value,
            notes=body.notes,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        out = task_out(row)
        record_change(session, "task", out, team_id=row.team_id, now=now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/tasks/{task_id}", response_model=TaskOut)
def update_task(
    task_id: IdPath,
    body: TaskPatch,
    request: Request,
    caller: Annotated[Caller, Depends(require("task.update"))],
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, TaskRow, task_id, "task")
    check_team(session, caller, row.team_id, "task.update", request.url.path, clock.now())

    def current() -> TaskOut:
        session.expire_all()
        return task_out(get_or_404(session, TaskRow, task_id, "task"))

    check_version(row, body.version, current)
    if "assignee_id" in body.model_fields_set:
        _check_assignee(session, body.assignee_id, row.team_id)
    if body.satisfaction is not None and row.kind != "survey":
        raise bad_field("satisfaction", "only a survey has a satisfaction score")
    if body.status is TaskStatus.DONE and not (body.outcome or row.outcome):
        raise bad_field("outcome", "a finished task needs its outcome")

    def perform(now):  # type: ignore[no-untyped-def]
        if apply_patch(row, body):
            row.updated_at = now
            session.flush()
            out = task_out(row)
            record_change(session, "task", out, team_id=row.team_id, now=now)
            return 200, out
        return 200, task_out(row)

    return write(request, session, caller, clock, body, perform, current)
