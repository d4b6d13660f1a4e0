"""Monitor grants: a team lead joins an agent's live call (listen, whisper, barge, take over).

The server decides who may (role and team, the agent on a call), issues a one-time token to the
lead and tells the agent's desk the token's SHA-256 by the event stream; the lead's softphone
dials the agent's desk with the token in a SIP header, and the agent's desk joins the leg to
its conference bridge only when the header matches a grant it was told of. Every session (who,
whom, modes, times) and every refusal is in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.api.deps import (
    Caller,
    CurrentCaller,
    DbSession,
    Now,
    deny,
    require,
)
from server_stub.api.errors import ApiProblem
from server_stub.api.routes.common import PAGE_MAX, IdPath, get_or_404
from server_stub.api.writes import write
from server_stub.clock import utc
from server_stub.feed import audit, raise_event
from server_stub.models import MonitorGrantRow, PresenceRow, TeamRow, UserRow
from sync.contract.errors import ErrorCode
from sync.contract.events import MonitorEndData, MonitorGrantData, MonitorModeData
from sync.contract.records import AgentState, MonitorMode, Role
from sync.contract.rules import MONITOR_CONNECT_WINDOW, MONITOR_PERMISSIONS
from sync.contract.wire import (
    MonitorEnd,
    MonitorGrantOut,
    MonitorModeIn,
    MonitorRefusal,
    MonitorRequest,
)

router = APIRouter(tags=["monitoring"])


def grant_out(row: MonitorGrantRow, token: str = "", sip_uri: str = "") -> MonitorGrantOut:
    return MonitorGrantOut(
        id=row.id,
        lead_id=row.lead_id,
        agent_id=row.agent_id,
        mode=MonitorMode(row.mode),
        expires_at=utc(row.expires_at),
        ended_at=utc(row.ended_at) if row.ended_at else None,
        end_reason=row.end_reason,
        token=token,
        agent_sip_uri=sip_uri,
        modes=list(row.modes),
    )


def end_grants(session: Session, agent_id: int, reason: str, now: datetime) -> None:
    """The agent's call is over: every grant on it ends (a leg can no longer join)."""
    for row in session.scalars(
        select(MonitorGrantRow).where(
            MonitorGrantRow.agent_id == agent_id, MonitorGrantRow.ended_at.is_(None)
        )
    ):
        _end(session, row, reason, None, now)


def _end(
    session: Session, row: MonitorGrantRow, reason: str, by: int | None, now: datetime
) -> None:
    row.ended_at, row.end_reason = now, reason
    data = MonitorEndData(grant_id=row.id, reason=reason)
    for user in (row.lead_id, row.agent_id):
        if user != by:
            raise_event(session, data, now=now, user_id=user)
    audit(
        session,
        user_id=by,
        action="monitor.end",
        target=f"user {row.agent_id}",
        allowed=True,
        now=now,
        detail=f"grant {row.id} by lead {row.lead_id}: {reason}; modes "
        + ", ".join(f"{m['mode']} at {m['at']}" for m in row.modes),
    )


def _lead_of(
    session: Session, caller: Caller, agent: UserRow, action: str, target: str, now: datetime
) -> None:
    """Only the lead of the agent's own team (or an admin) monitors, and only agents: a
    member of a team is not its lead, and a user with no team is nobody's to listen to."""
    team = session.get(TeamRow, agent.team_id) if agent.team_id is not None else None
    is_lead = team is not None and team.lead_id == caller.user.id
    if agent.role != Role.AGENT.value or not (is_lead or caller.role is Role.ADMIN):
        raise deny(session, caller, action, target, "Only the agent's team lead may.", now)


def _mode_allowed(
    session: Session, caller: Caller, mode: MonitorMode, target: str, now: datetime
) -> None:
    permission = MONITOR_PERMISSIONS[mode]
    if permission not in caller.permissions:
        raise deny(session, caller, permission, target, "Only a team lead may monitor calls.", now)


@router.post("/monitor", status_code=201, response_model=MonitorGrantOut)
def start_monitor(
    body: MonitorRequest, request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> Response:
    now = clock.now()
    target = f"monitor user {body.agent_id}"
    _mode_allowed(session, caller, body.mode, target, now)
    agent = session.get(UserRow, body.agent_id)
    if agent is None or agent.id == caller.user.id:
        raise ApiProblem(404, ErrorCode.NOT_FOUND, f"No agent with id {body.agent_id}.", "agent_id")
    _lead_of(session, caller, agent, MONITOR_PERMISSIONS[body.mode], target, now)
    presence = session.get(PresenceRow, agent.id)
    if presence is None or presence.state != AgentState.ON_CALL.value:
        raise ApiProblem(
            409, ErrorCode.NOT_ON_CALL, f"{agent.display_name} is not on a call now.", "agent_id"
        )
    if not presence.sip_uri:
        raise ApiProblem(
            409,
            ErrorCode.NO_PHONE,
            f"{agent.display_name}'s desk has no phone to join.",
            "agent_id",
        )
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(token.encode()).hexdigest()
    team = session.get(TeamRow, agent.team_id) if agent.team_id else None

    def perform(at):  # type: ignore[no-untyped-def]
        row = MonitorGrantRow(
            token_sha256=digest,
            lead_id=caller.user.id,
            agent_id=agent.id,
            team_id=agent.team_id,
            mode=body.mode.value,
            modes=[{"mode": body.mode.value, "at": at.isoformat()}],
            created_at=at,
            expires_at=at + MONITOR_CONNECT_WINDOW,
        )
        session.add(row)
        session.flush()
        raise_event(
            session,
            MonitorGrantData(
                grant_id=row.id,
                token_sha256=digest,
                mode=body.mode,
                lead_id=caller.user.id,
                lead_name=caller.user.display_name,
                expires_at=utc(row.expires_at),
                indicator=bool(team.monitor_indicator) if team else True,
            ),
            now=at,
            user_id=agent.id,
        )
        audit(
            session,
            user_id=caller.user.id,
            action="monitor.start",
            target=f"user {agent.id}",
            allowed=True,
            now=at,
            detail=f"grant {row.id}: {body.mode.value}",
        )
        return 201, grant_out(row, token, presence.sip_uri)

    return write(request, session, caller, clock, body, perform)


def _lead_grant(session: Session, caller: Caller, grant_id: int, now: datetime) -> MonitorGrantRow:
    row = get_or_404(session, MonitorGrantRow, grant_id, "monitor grant")
    if row.lead_id != caller.user.id:
        raise deny(
            session, caller, "monitor", f"grant {grant_id}", "This is another lead's session.", now
        )
    if row.ended_at is not None:
        raise ApiProblem(409, ErrorCode.ENDED, "This monitor session has ended.", "grant_id")
    return row


@router.post("/monitor/{grant_id}/mode", response_model=MonitorGrantOut)
def change_mode(
    grant_id: IdPath,
    body: MonitorModeIn,
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
) -> Response:
    now = clock.now()
    row = _lead_grant(session, caller, grant_id, now)
    _mode_allowed(session, caller, body.mode, f"grant {grant_id}", now)

    def perform(at):  # type: ignore[no-untyped-def]
        if row.mode != body.mode.value:
            row.mode = body.mode.value
            row.modes = [*row.modes, {"mode": body.mode.value, "at": at.isoformat()}]
            raise_event(
                session,
                MonitorModeData(grant_id=row.id, mode=body.mode),
                now=at,
                user_id=row.agent_id,
            )
            audit(
                session,
                user_id=caller.user.id,
                action="monitor.mode",
                target=f"user {row.agent_id}",
                allowed=True,
                now=at,
                detail=f"grant {row.id}: {body.mode.value}",
            )
        session.flush()
        return 200, grant_out(row)

    return write(request, session, caller, clock, body, perform)


@router.post("/monitor/{grant_id}/end", response_model=MonitorGrantOut)
def end_monitor(
    grant_id: IdPath,
    body: MonitorEnd,
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, MonitorGrantRow, grant_id, "monitor grant")
    if caller.user.id not in (row.lead_id, row.agent_id):
        raise deny(
            session,
            caller,
            "monitor",
            f"grant {grant_id}",
            "Not your monitor session.",
            clock.now(),
        )

    def perform(at):  # type: ignore[no-untyped-def]
        if row.ended_at is None:
            _end(session, row, body.reason or "left", caller.user.id, at)
        session.flush()
        return 200, grant_out(row)

    return write(request, session, caller, clock, body, perform)


@router.post("/monitor/refused", status_code=204)
def refused(
    body: MonitorRefusal,
    request: Request,
    caller: Annotated[Caller, Depends(require("presence.set"))],  # desks, not engineers
    session: DbSession,
    clock: Now,
) -> Response:
    """An agent's desk turned a monitor leg away: kept in the audit log."""

    def perform(at):  # type: ignore[no-untyped-def]
        audit(
            session,
            user_id=caller.user.id,
            action="monitor.refused",
            target=f"user {caller.user.id}",
            allowed=False,
            now=at,
            detail=body.reason,
        )
        return 204, None

    return write(request, session, caller, clock, body, perform)


@router.get("/monitor/sessions", response_model=list[MonitorGrantOut])
def sessions(
    caller: Annotated[Caller, Depends(require("audit.read"))], session: DbSession
) -> list[MonitorGrantOut]:
    """Who monitored whom, in which modes, when: the lead's and the auditors' record."""
    query = select(MonitorGrantRow).order_by(MonitorGrantRow.id.desc()).limit(PAGE_MAX)
    if caller.team_ids is not None:
        query = query.where(MonitorGrantRow.team_id.in_(caller.team_ids))
    return [grant_out(row) for row in session.scalars(query)]
