"""Field dispatch (work orders) and callback / survey / proactive-service tasks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, Now, check_team, deny, require
from server_stub.api.routes.common import PAGE_MAX, IdPath, IdQuery, bad_field, get_or_404
from server_stub.api.routes.sla_policies import policies_of
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.clock import utc
from server_stub.feed import record_change
from server_stub.models import (
    CampaignRow,
    CustomerRow,
    DispatchRow,
    TaskRow,
    TicketRow,
    UserRow,
)
from server_stub.serialize import campaign_out, dispatch_out, task_out
from server_stub.sla import SURVEY, climb_now
from server_stub.sms import ticket_notices
from sync.contract.records import DispatchResult, DispatchStatus, Role, TaskKind, TaskStatus
from sync.contract.rules import after_call, dispatch_status_after
from sync.contract.sla import SlaPolicies
from sync.contract.wire import (
    CampaignOut,
    DispatchFeedback,
    DispatchIn,
    DispatchOut,
    DispatchPatch,
    TaskIn,
    TaskOut,
    TaskPatch,
)

router = APIRouter(tags=["dispatch and tasks"])

_FINAL_DISPATCH = (DispatchStatus.DONE, DispatchStatus.FAILED, DispatchStatus.CANCELLED)


def technician_named(session: DbSession, technician_id: int, team_id: int) -> UserRow:
    """The engineer a dispatch goes to: an active technician of the ticket's team."""
    user = session.get(UserRow, technician_id)
    if (
        user is None
        or not user.active
        or user.role != Role.TECHNICIAN.value
        or user.team_id != team_id
    ):
        raise bad_field("technician_id", f"no field engineer {technician_id} in this team")
    return user


@router.get("/dispatches/mine", response_model=list[DispatchOut])
def my_dispatches(
    caller: Annotated[Caller, Depends(require("dispatch.own"))],
    session: DbSession,
    status: Annotated[list[DispatchStatus] | None, Query()] = None,
) -> list[DispatchOut]:
    """A field engineer's own work orders (what their app shows), earliest first."""
    query = (
        select(DispatchRow)
        .where(DispatchRow.technician_id == caller.user.id)
        .order_by(DispatchRow.window_start)
    )
    if status:
        query = query.where(DispatchRow.status.in_([s.value for s in status]))
    return [dispatch_out(r) for r in session.scalars(query.limit(PAGE_MAX))]


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
    name = body.technician
    if body.technician_id is not None:
        name = technician_named(session, body.technician_id, ticket.team_id).display_name
    if not name:
        raise bad_field("technician_id", "a dispatch needs its field engineer")
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
            technician=name,
            technician_id=body.technician_id,
            window_start=body.window_start,
            window_end=body.window_end,
            method=body.method.value,
            status=DispatchStatus.PLANNED.value,
            address=body.address,
            contact_name=body.contact_name,
            contact_phone=body.contact_phone,
            notes=body.notes,
            previous_dispatch_id=body.previous_dispatch_id,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        out = dispatch_out(row)
        record_change(session, "dispatch", out, team_id=row.team_id, now=now)
        # The customer hears of the visit by SMS (issue 22), sent after the commit.
        ticket_notices.visit_planned(session, ticket, row, now)
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
    if body.result is not None:
        _check_feedback(
            row,
            body.result,
            body.cause if body.cause is not None else row.cause,
            body.resolution if body.resolution is not None else row.resolution,
        )
        status = dispatch_status_after(body.result)
        if body.status not in (None, status):
            raise bad_field("status", f"a {body.result.value} visit ends {status.value}")
        body = body.model_copy(update={"status": status})
        body.model_fields_set.add("status")
    start = body.window_start or utc(row.window_start)
    end = body.window_end or utc(row.window_end)
    if end <= start:
        raise bad_field("window_end", "the time window must end after it starts")
    if body.status is DispatchStatus.DONE and not (body.resolution or row.resolution):
        raise bad_field("resolution", "a finished dispatch needs its resolution")
    if "technician_id" in body.model_fields_set and body.technician_id is not None:
        engineer = technician_named(session, body.technician_id, row.team_id)
        body = body.model_copy(update={"technician": engineer.display_name})
        body.model_fields_set.add("technician")

    def perform(now):  # type: ignore[no-untyped-def]
        if apply_patch(row, body):
            row.updated_at = now
            session.flush()
            out = dispatch_out(row)
            record_change(session, "dispatch", out, team_id=row.team_id, now=now)
            return 200, out
        return 200, dispatch_out(row)

    return write(request, session, caller, clock, body, perform, current)


def _check_feedback(row: DispatchRow, result: DispatchResult, cause: str, resolution: str) -> None:
    if DispatchStatus(row.status) in _FINAL_DISPATCH:
        raise bad_field("result", f"this dispatch is already {row.status}; create a re-dispatch")
    if result is not DispatchResult.NOT_RESOLVED and not resolution.strip():
        raise bad_field("resolution", "say how the fault was resolved")
    if result is not DispatchResult.RESOLVED and not cause.strip():
        raise bad_field("cause", "say what causes the fault, as far as it is known")


@router.put("/dispatches/{dispatch_id}/feedback", response_model=DispatchOut)
def dispatch_feedback(
    dispatch_id: IdPath,
    body: DispatchFeedback,
    request: Request,
    caller: Annotated[Caller, Depends(require("dispatch.feedback"))],
    session: DbSession,
    clock: Now,
) -> Response:
    """The visit's report: result, cause, resolution and parts. The engineer it was assigned
    to sends it from the field; an agent may record it when the engineer phones it in."""
    row = get_or_404(session, DispatchRow, dispatch_id, "dispatch")
    path = request.url.path
    if caller.role is Role.TECHNICIAN:
        if row.technician_id != caller.user.id:
            raise deny(
                session,
                caller,
                "dispatch.feedback",
                path,
                "This work order is assigned to another engineer.",
                clock.now(),
            )
    else:
        check_team(session, caller, row.team_id, "dispatch.feedback", path, clock.now())

    def current() -> DispatchOut:
        session.expire_all()
        return dispatch_out(get_or_404(session, DispatchRow, dispatch_id, "dispatch"))

    check_version(row, body.version, current)
    _check_feedback(row, body.result, body.cause, body.resolution)

    def perform(now):  # type: ignore[no-untyped-def]
        row.result = body.result.value
        row.cause = body.cause
        row.resolution = body.resolution
        row.parts_used = [p.model_dump(mode="json") for p in body.parts_used]
        row.status = dispatch_status_after(body.result).value
        row.updated_at = now
        session.flush()
        out = dispatch_out(row)
        record_change(session, "dispatch", out, team_id=row.team_id, now=now)
        return 200, out

    return write(request, session, caller, clock, body, perform, current)


@router.get("/campaigns", response_model=list[CampaignOut])
def list_campaigns(
    caller: Annotated[Caller, Depends(require("ticket.read"))], session: DbSession
) -> list[CampaignOut]:
    query = select(CampaignRow).order_by(CampaignRow.id)
    if caller.team_ids is not None:
        query = query.where(CampaignRow.team_id.in_(caller.team_ids))
    return [campaign_out(r) for r in session.scalars(query.limit(PAGE_MAX))]


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
    if body.campaign_id is not None:
        campaign = session.get(CampaignRow, body.campaign_id)
        if campaign is None or campaign.team_id != customer.team_id or not campaign.active:
            raise bad_field("campaign_id", f"no active campaign {body.campaign_id} in this team")

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
            campaign_id=body.campaign_id,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        out = task_out(row)
        record_change(session, "task", out, team_id=row.team_id, now=now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


# A call's outcome sets status and due time by the rule (checked below), not as sent.
_TASK_COLUMNS = tuple(f for f in TaskPatch.model_fields if f not in ("status", "due_at"))


def _check_call(session: DbSession, row: TaskRow, body: TaskPatch, now: datetime) -> None:
    """A call's outcome: the status the desk shows must be the one the rule gives, so both
    ends agree offline; a campaign outcome must be one of the campaign's codes."""
    if body.outcome_code is None:
        if body.campaign_outcome:
            raise bad_field("outcome_code", "a campaign outcome comes with the call's outcome")
        return
    if TaskStatus(row.status) is not TaskStatus.OPEN:
        raise bad_field("outcome_code", f"this task is already {row.status}")
    result = after_call(body.outcome_code, row.attempts, utc(row.due_at), now, body.due_at)
    if body.status is not None and body.status is not result.status:
        raise bad_field(
            "status", f"after a {body.outcome_code.value} call the task is {result.status.value}"
        )
    if body.outcome_code.value == "call_back_later" and body.due_at is None:
        raise bad_field("due_at", "say when to call back")
    # A time already past is fine (recorded offline, sent later: the task is simply due);
    # one beyond a year would hide the task for good.
    if body.due_at is not None and body.due_at > now + timedelta(days=366):
        raise bad_field("due_at", "call back within a year")
    if body.campaign_outcome:
        campaign = session.get(CampaignRow, row.campaign_id) if row.campaign_id else None
        codes = {c.get("code") for c in campaign.outcome_codes} if campaign else set()
        if body.campaign_outcome not in codes:
            raise bad_field(
                "campaign_outcome", f"not an outcome of this campaign: {body.campaign_outcome}"
            )


def _unsatisfied(row: TaskRow, before: int | None, policies: SlaPolicies) -> bool:
    """A survey just answered at or below the policy's score climbs its ticket (once: not
    again when an already unsatisfied answer is edited)."""
    at = policies.survey_escalates_at
    if at is None or row.kind != TaskKind.SURVEY.value or row.ticket_id is None:
        return False
    now_low = row.satisfaction is not None and row.satisfaction <= at
    return now_low and not (before is not None and before <= at)


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
    if body.satisfaction is not None and row.kind == TaskKind.PROACTIVE.value:
        raise bad_field("satisfaction", "a campaign call has outcome codes, not a score")
    _check_call(session, row, body, clock.now())
    if body.status is TaskStatus.DONE and not (body.outcome or row.outcome or body.outcome_code):
        raise bad_field("outcome", "a finished task needs its outcome")

    policies = policies_of(request, session)
    was_satisfaction = row.satisfaction

    def perform(now):  # type: ignore[no-untyped-def]
        if body.outcome_code is not None:
            result = after_call(body.outcome_code, row.attempts, utc(row.due_at), now, body.due_at)
            row.attempts = result.attempts
            row.status = result.status.value
            row.due_at = result.due_at
        columns = _TASK_COLUMNS if body.outcome_code is not None else None
        if apply_patch(row, body, columns) or body.outcome_code is not None:
            row.updated_at = now
            session.flush()
            out = task_out(row)
            record_change(session, "task", out, team_id=row.team_id, now=now)
            if _unsatisfied(row, was_satisfaction, policies):
                assert row.ticket_id is not None
                climb_now(session, row.ticket_id, policies, now, SURVEY)
            return 200, out
        return 200, task_out(row)

    return write(request, session, caller, clock, body, perform, current)
