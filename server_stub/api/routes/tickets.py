"""Service requests: workflow, reassignment, complaint SLA clocks and the history of changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.api.deps import Caller, DbSession, Now, check_team, deny, require
from server_stub.api.routes.common import PAGE_MAX, IdPath, IdQuery, Offset, bad_field, get_or_404
from server_stub.api.routes.sla_policies import policies_of
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.clock import utc
from server_stub.feed import raise_event, record_change, record_deletion
from server_stub.models import (
    ArticleRow,
    AssetRow,
    ContactRow,
    CustomerRow,
    RecurringIssueRow,
    TaskRow,
    TeamRow,
    TicketHistoryRow,
    TicketRow,
    UserRow,
)
from server_stub.serialize import recurring_out, task_out, ticket_out
from server_stub.sla import repeat_complaint, start_clock
from server_stub.sms import ticket_notices
from sync.contract.events import ComplaintData
from sync.contract.records import Priority, Role, TaskKind, TaskStatus, TicketStatus
from sync.contract.rules import (
    RECURRING_THRESHOLD,
    RECURRING_WINDOW,
    callback_wanted,
    can_transition,
    centre_day,
    is_expert,
    is_open,
    ticket_problems,
)
from sync.contract.sla import SlaPolicies, resolution_due
from sync.contract.wire import RecurringIssueOut, TicketChangeOut, TicketIn, TicketOut, TicketPatch

router = APIRouter(tags=["tickets"])
Reader = Annotated[Caller, Depends(require("ticket.read"))]

_CLOSING = (TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED)


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


def _free_number(session: Session, number: str) -> str:
    """The desk's number, or, when it is taken (the same agent on two PCs offline, a rebuilt
    cache), the next free count of that agent's day: the ticket is never refused for it.
    Checked inside the write, so a retried create replays its first answer instead."""
    prefix, _dash, count = number.rpartition("-")
    candidate, n = number, int(count)
    while session.scalar(select(TicketRow.id).where(TicketRow.number == candidate)):
        n += 1
        candidate = f"{prefix}-{n:03d}"
    return candidate


def _user_name(session: Session, user_id: int | None) -> str | None:
    user = session.get(UserRow, user_id) if user_id is not None else None
    return user.display_name if user is not None else None


def _check_articles(session: Session, article_ids: list[int]) -> None:
    for index, article_id in enumerate(article_ids):
        if session.get(ArticleRow, article_id) is None:
            raise bad_field(f"article_ids.{index}", f"no article with id {article_id}")


def _check_parts(
    session: Session, customer_id: int, contact_id: int | None, asset_id: int | None
) -> None:
    """The contact and the product of a ticket are the customer's own."""
    if contact_id is not None:
        contact = session.get(ContactRow, contact_id)
        if contact is None or contact.customer_id != customer_id:
            raise bad_field("contact_id", f"the customer has no contact with id {contact_id}")
    if asset_id is not None:
        asset = session.get(AssetRow, asset_id)
        if asset is None or asset.customer_id != customer_id:
            raise bad_field("asset_id", f"the customer has no product with id {asset_id}")


def _check_rules(complaint: bool, handler_id: int | None) -> None:
    for field, why in ticket_problems(complaint, handler_id):
        raise bad_field(field, why)


_OPEN_STATES = [s.value for s in TicketStatus if is_open(s)]


def watch_recurring(session: Session, ticket: TicketRow, now: datetime) -> None:
    """Five or more open tickets of the last week on one category and product model: flag a
    likely product issue to the team lead, once per window."""
    if ticket.asset_id is None:
        return
    asset = session.get(AssetRow, ticket.asset_id)
    if asset is None:
        return
    since = now - RECURRING_WINDOW
    ids = list(
        session.scalars(
            select(TicketRow.id)
            .join(AssetRow, AssetRow.id == TicketRow.asset_id)
            .where(
                TicketRow.team_id == ticket.team_id,
                TicketRow.category == ticket.category,
                AssetRow.model == asset.model,
                TicketRow.status.in_(_OPEN_STATES),
                TicketRow.opened_at >= since,
            )
            .order_by(TicketRow.id)
        )
    )
    if len(ids) < RECURRING_THRESHOLD:
        return
    already = session.scalar(
        select(func.count())
        .select_from(RecurringIssueRow)
        .where(
            RecurringIssueRow.team_id == ticket.team_id,
            RecurringIssueRow.category == ticket.category,
            RecurringIssueRow.model == asset.model,
            RecurringIssueRow.flagged_at >= since,
        )
    )
    if already:
        return
    flag = RecurringIssueRow(
        team_id=ticket.team_id,
        category=ticket.category,
        model=asset.model,
        count=len(ids),
        ticket_ids=ids,
        flagged_at=now,
    )
    session.add(flag)
    session.flush()
    team = session.get(TeamRow, ticket.team_id)
    raise_event(
        session,
        recurring_out(flag),
        now=now,
        team_id=ticket.team_id,
        user_id=team.lead_id if team is not None else None,
    )


def plan_callback(session: Session, ticket: TicketRow, now: datetime) -> None:
    """A resolved ticket gets its callback (回访) under the team's policy, once."""
    team = session.get(TeamRow, ticket.team_id)
    if team is None or not callback_wanted(team.callback_after, ticket.complaint):
        return
    exists = session.scalar(
        select(func.count())
        .select_from(TaskRow)
        .where(
            TaskRow.ticket_id == ticket.id,
            TaskRow.kind.in_([TaskKind.CALLBACK.value, TaskKind.SURVEY.value]),
            TaskRow.status == TaskStatus.OPEN.value,
        )
    )
    if exists:
        return
    task = TaskRow(
        kind=TaskKind.SURVEY.value,
        customer_id=ticket.customer_id,
        ticket_id=ticket.id,
        team_id=ticket.team_id,
        assignee_id=ticket.handler_id,
        due_at=now + timedelta(hours=team.callback_delay_hours),
        status=TaskStatus.OPEN.value,
        notes=f"{ticket.number}: {ticket.summary}",
        updated_at=now,
    )
    session.add(task)
    session.flush()
    record_change(session, "task", task_out(task), team_id=task.team_id, now=now)


@router.get("/tickets/recurring", response_model=list[RecurringIssueOut])
def recurring_issues(
    caller: Annotated[Caller, Depends(require("wallboard.view"))], session: DbSession
) -> list[RecurringIssueOut]:
    """Likely product issues flagged for the caller's teams, newest first."""
    query = select(RecurringIssueRow).order_by(RecurringIssueRow.id.desc()).limit(PAGE_MAX)
    if caller.team_ids is not None:
        query = query.where(RecurringIssueRow.team_id.in_(caller.team_ids))
    return [recurring_out(r) for r in session.scalars(query)]


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
    _check_parts(session, customer.id, body.contact_id, body.asset_id)
    _check_rules(body.complaint, handler_id)
    if body.number is not None and body.number.split("-")[2] != str(caller.user.id):
        raise bad_field("number", "a desk numbers its own tickets: the agent part is not yours")
    policies = policies_of(request, session)

    def perform(now):  # type: ignore[no-untyped-def]
        row = TicketRow(
            number=_free_number(session, body.number)
            if body.number
            else f"pending-{now.timestamp()}-{caller.user.id}",
            contact_id=body.contact_id,
            asset_id=body.asset_id,
            attachments=[a.model_dump(mode="json") for a in body.attachments],
            resolve_due_at=resolution_due(policies, body.priority, body.category, now),
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
        start_clock(row, policies, now)
        session.add(row)
        session.flush()
        if body.number is None:
            row.number = f"SR-{centre_day(now):%Y%m%d}-{row.id:06d}"
            session.flush()
        history(session, row.id, caller.user.id, now, [("created", None, row.number)])
        if repeat_complaint(session, row, policies, now):
            session.refresh(row)
        watch_recurring(session, row, now)
        out = ticket_out(row)
        record_change(session, "ticket", out, team_id=row.team_id, now=now)
        if body.complaint:
            raise_event(
                session,
                ComplaintData(ticket_id=row.id, number=row.number),
                now=now,
                team_id=row.team_id,
            )
        return 201, out

    return write(request, session, caller, clock, body, perform)


def _check_handover(session: Session, body: TicketPatch, rehandled: bool) -> bool:
    """Whether the patch is a handover to an expert (refused when it is not a valid one)."""
    if body.handover_note is None:
        return False
    if not rehandled or body.handler_id is None:
        raise bad_field("handover_note", "a handover names the expert it goes to")
    expert = session.get(UserRow, body.handler_id)
    if expert is None or not is_expert({s.skill for s in expert.skills}):
        raise bad_field("handler_id", "hand over only to a second-line expert or on duty")
    return True


def _check_new_team(session: Session, row: TicketRow, team_id: int) -> None:
    if session.get(TeamRow, team_id) is None:
        raise bad_field("team_id", f"no team with id {team_id}")
    # A team sees its own customers only: a ticket moved to another team would be work its
    # people cannot read the customer of (nor call back). The customer moves first.
    customer = session.get(CustomerRow, row.customer_id)
    if customer is not None and customer.team_id != team_id:
        raise bad_field(
            "team_id",
            f"team {team_id} cannot see this ticket's customer (of team {customer.team_id});"
            " move the customer to that team first",
        )


def _check_status(
    session: Session, caller: Caller, row: TicketRow, body: TicketPatch, path: str, now: datetime
) -> None:
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
            now,
        )
    if body.status is not None and not can_transition(TicketStatus(row.status), body.status):
        raise bad_field("status", f"a ticket cannot go from {row.status} to {body.status.value}")


def _clocks(
    row: TicketRow, changes: list[tuple[str, Any, Any]], policies: SlaPolicies, now: datetime
) -> None:
    """Closing time, the complaint clock and the resolution target after a change."""
    fields = {f for f, _o, _n in changes}
    if "priority" in fields:
        row.resolve_due_at = resolution_due(
            policies, Priority(row.priority), row.category, utc(row.opened_at)
        )
    if fields & {"status", "complaint", "category"}:
        status = TicketStatus(row.status)
        if status in _CLOSING and row.closed_at is None:
            row.closed_at = now
        elif status not in _CLOSING:
            row.closed_at = None
        start_clock(row, policies, now)


def _portal_url(request: Request) -> str:
    """Where customers reach the portal: the configured public address, else this server."""
    configured: str = request.app.state.settings.portal_url
    return configured or str(request.base_url)


def _follow_up(
    session: Session,
    row: TicketRow,
    was: TicketStatus,
    changes: list[tuple[str, Any, Any]],
    now: datetime,
    portal_url: str,
) -> None:
    """Work a change sets off: the callback of a resolved ticket and the survey link by SMS
    (issue 22, sent after the commit), the recurring-issue watch."""
    if row.status == TicketStatus.RESOLVED.value and was is not TicketStatus.RESOLVED:
        plan_callback(session, row, now)
        ticket_notices.resolved(session, row, portal_url, now)
    if any(f in ("category", "asset_id") for f, _o, _n in changes):
        watch_recurring(session, row, now)


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
    handover = _check_handover(session, body, rehandled)
    taking = taking or handover  # an agent may hand a ticket to an expert without the lead
    if (moving or (rehandled and not taking)) and "ticket.reassign" not in caller.permissions:
        raise deny(
            session,
            caller,
            "ticket.reassign",
            path,
            "Only a team lead may reassign a ticket to someone else.",
            clock.now(),
        )
    _check_status(session, caller, row, body, path, clock.now())
    team_id = body.team_id if body.team_id is not None else row.team_id
    if moving:
        _check_new_team(session, row, team_id)
    handler_id = body.handler_id if "handler_id" in body.model_fields_set else row.handler_id
    if moving and "handler_id" not in body.model_fields_set:
        handler_id = None  # the new team's lead assigns it
    _check_handler(session, handler_id, team_id)
    if body.article_ids is not None:
        _check_articles(session, body.article_ids)
    _check_parts(
        session,
        row.customer_id,
        body.contact_id if "contact_id" in body.model_fields_set else None,
        body.asset_id if "asset_id" in body.model_fields_set else None,
    )
    complaint = body.complaint if body.complaint is not None else row.complaint
    _check_rules(complaint, handler_id)
    handover_from = row.handler_id
    policies = policies_of(request, session)
    columns = tuple(f for f in TicketPatch.model_fields if f != "handover_note")

    def perform(now):  # type: ignore[no-untyped-def]
        old_team = row.team_id
        was = TicketStatus(row.status)
        changes = apply_patch(row, body, columns)
        if handover:
            changes = [c for c in changes if c[0] != "handler_id"]
            changes += [
                ("handover", _user_name(session, handover_from), _user_name(session, handler_id)),
                ("handover_note", None, body.handover_note),
            ]
        if moving and "handler_id" not in body.model_fields_set and row.handler_id is not None:
            changes.append(("handler_id", row.handler_id, None))
            row.handler_id = None
        _clocks(row, changes, policies, now)
        if changes:
            row.updated_at = now
            session.flush()
            history(session, row.id, caller.user.id, now, changes)
            _follow_up(session, row, was, changes, now, _portal_url(request))
        out = ticket_out(row)
        if changes:
            if row.team_id != old_team:
                record_deletion(session, "ticket", row.id, out.version, team_id=old_team, now=now)
            record_change(session, "ticket", out, team_id=row.team_id, now=now)
        return 200, out

    return write(request, session, caller, clock, body, perform, current)
