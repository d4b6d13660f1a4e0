"""Users, teams and skills; agent presence; queues and the wallboard; preferences; audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field
from sqlalchemy import select, update

from server_stub.agent_states import note_state
from server_stub.api.deps import (
    Caller,
    CurrentCaller,
    DbSession,
    DeskContract,
    Now,
    check_team,
    require,
)
from server_stub.api.routes.common import PAGE_MAX, IdPath, bad_field, get_or_404
from server_stub.api.routes.monitor import end_grants
from server_stub.api.writes import write
from server_stub.clock import utc
from server_stub.feed import raise_event, record_change
from server_stub.models import (
    PRESENCE_TABLE,
    AuditRow,
    PreferencesRow,
    PresenceRow,
    QueueRow,
    TeamRow,
    UserRow,
    UserSkillRow,
)
from server_stub.serialize import presence_out, queue_out, team_out, user_detail_out
from sync.contract.records import AgentState
from sync.contract.version import HEARTBEAT_SINCE
from sync.contract.wire import (
    AuditOut,
    Preferences,
    PresenceIn,
    PresenceOut,
    QueueCounters,
    QueueOut,
    SkillIn,
    TeamDetailOut,
    UserDetailOut,
    WireModel,
)

router = APIRouter(tags=["people, presence and queues"])


class SkillsIn(WireModel):
    skills: list[SkillIn] = Field(max_length=50)


class Wallboard(WireModel):
    queues: list[QueueOut]
    presence: list[PresenceOut]
    counts: dict[str, int]


@router.get("/users", response_model=list[UserDetailOut])
def list_users(
    caller: Annotated[Caller, Depends(require("ticket.read"))], session: DbSession
) -> list[UserDetailOut]:
    query = select(UserRow).where(UserRow.active).order_by(UserRow.id)
    if caller.team_ids is not None:
        query = query.where(UserRow.team_id.in_(caller.team_ids))
    return [user_detail_out(u) for u in session.scalars(query)]


@router.get("/teams", response_model=list[TeamDetailOut])
def list_teams(
    caller: Annotated[Caller, Depends(require("ticket.read"))], session: DbSession
) -> list[TeamDetailOut]:
    query = select(TeamRow).order_by(TeamRow.id)
    if caller.team_ids is not None:
        query = query.where(TeamRow.id.in_(caller.team_ids))
    return [team_out(t) for t in session.scalars(query)]


@router.put("/users/{user_id}/skills", response_model=UserDetailOut)
def set_skills(
    user_id: IdPath,
    body: SkillsIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("user.manage"))],
    session: DbSession,
    clock: Now,
) -> Response:
    user = get_or_404(session, UserRow, user_id, "user")
    names = [s.skill for s in body.skills]
    if len(set(names)) != len(names):
        raise bad_field("skills", "a skill is listed twice")
    for index, skill in enumerate(body.skills):
        if not 1 <= skill.level <= 10 or not skill.skill.strip():
            raise bad_field(f"skills.{index}", "a skill needs a name and a level from 1 to 10")

    def perform(now):  # type: ignore[no-untyped-def]
        user.skills = [UserSkillRow(skill=s.skill.strip(), level=s.level) for s in body.skills]
        user.updated_at = now
        session.flush()
        out = user_detail_out(user)
        record_change(session, "user", out, team_id=user.team_id, now=now)
        return 200, out

    return write(request, session, caller, clock, body, perform)


@router.get("/presence/me", response_model=PresenceOut)
def my_presence(caller: CurrentCaller, session: DbSession, clock: Now) -> PresenceOut:
    row = session.get(PresenceRow, caller.user.id)
    if row is None:
        now = clock.now()
        return PresenceOut(
            user_id=caller.user.id,
            team_id=caller.user.team_id,
            state=AgentState.LOGGED_OUT,
            reason="",
            since=now,
            version=1,
            updated_at=now,
        )
    return presence_out(row)


@router.put("/presence/me", response_model=PresenceOut)
def set_presence(
    body: PresenceIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("presence.set"))],
    session: DbSession,
    clock: Now,
    desk: DeskContract,
) -> Response:
    if body.state is AgentState.NOT_READY and not body.reason.strip():
        raise bad_field("reason", "'not ready' needs a reason code")
    # A desk that sends heartbeats is heard from now; one before 1.4 sends none, and its
    # agent is never marked lost (server_stub.presence_alive).
    heard = desk >= HEARTBEAT_SINCE

    def perform(now):  # type: ignore[no-untyped-def]
        row = session.get(PresenceRow, caller.user.id)
        if row is None:
            row = PresenceRow(
                user_id=caller.user.id,
                team_id=caller.user.team_id,
                state=body.state.value,
                reason=body.reason,
                since=now,
                updated_at=now,
                sip_uri=body.sip_uri,
            )
            session.add(row)
        elif row.state != body.state.value or row.reason != body.reason:
            if row.state != body.state.value:
                row.since = now
            row.state, row.reason, row.updated_at = body.state.value, body.reason, now
        if body.sip_uri:
            row.sip_uri = body.sip_uri
        note_state(
            session,
            user_id=row.user_id,
            team_id=row.team_id,
            state=row.state,
            reason=row.reason,
            now=now,
        )
        if body.state is not AgentState.ON_CALL:
            end_grants(session, caller.user.id, "the call ended", now)  # grants end with it
        session.flush()
        # Beside the record, not in it: the version moves only when the presence does.
        table = PRESENCE_TABLE
        session.execute(
            update(table)
            .where(table.c.user_id == row.user_id)
            .values(last_seen=now if heard else None)
        )
        out = presence_out(row)
        record_change(session, "presence", out, team_id=row.team_id, now=now)
        raise_event(session, out, now=now, team_id=row.team_id)
        return 200, out

    # One account signed in on two desks: whichever state arrives last is the agent's state;
    # a version race between them is nobody's conflict to settle.
    return write(request, session, caller, clock, body, perform, last_writer_wins=True)


@router.get("/presence", response_model=list[PresenceOut])
def team_presence(
    caller: Annotated[Caller, Depends(require("presence.view"))], session: DbSession
) -> list[PresenceOut]:
    query = select(PresenceRow).order_by(PresenceRow.user_id)
    if caller.team_ids is not None:
        query = query.where(PresenceRow.team_id.in_(caller.team_ids))
    return [presence_out(p) for p in session.scalars(query)]


@router.get("/queues", response_model=list[QueueOut])
def list_queues(
    caller: Annotated[Caller, Depends(require("ticket.read"))], session: DbSession
) -> list[QueueOut]:
    query = select(QueueRow).order_by(QueueRow.id)
    if caller.team_ids is not None:
        query = query.where(QueueRow.team_id.in_(caller.team_ids))
    return [queue_out(q) for q in session.scalars(query)]


@router.put("/queues/{queue_id}/counters", response_model=QueueOut)
def set_queue_counters(
    queue_id: IdPath,
    body: QueueCounters,
    request: Request,
    caller: Annotated[Caller, Depends(require("wallboard.view"))],
    session: DbSession,
    clock: Now,
) -> Response:
    """Live counters from the ACD (or the demo caller): waiting calls, longest wait, totals."""
    row = get_or_404(session, QueueRow, queue_id, "queue")
    check_team(session, caller, row.team_id, "queue.update", request.url.path, clock.now())

    def perform(now):  # type: ignore[no-untyped-def]
        row.waiting, row.longest_wait_s = body.waiting, body.longest_wait_s
        if body.answered_today is not None:
            row.answered_today = body.answered_today
        if body.abandoned_today is not None:
            row.abandoned_today = body.abandoned_today
        row.updated_at = now
        session.flush()
        out = queue_out(row)
        record_change(session, "queue", out, team_id=row.team_id, now=now)
        raise_event(session, out, now=now, team_id=row.team_id)
        return 200, out

    return write(request, session, caller, clock, body, perform)


@router.get("/wallboard", response_model=Wallboard)
def wallboard(
    caller: Annotated[Caller, Depends(require("wallboard.view"))], session: DbSession
) -> Wallboard:
    queues = list_queues(caller, session)
    presence = team_presence(caller, session)
    counts = {state.value: 0 for state in AgentState}
    for row in presence:
        counts[row.state.value] += 1
    return Wallboard(queues=queues, presence=presence, counts=counts)


@router.get("/me/preferences", response_model=Preferences)
def get_preferences(caller: CurrentCaller, session: DbSession) -> Preferences:
    row = session.get(PreferencesRow, caller.user.id)
    return Preferences.model_validate(row.data) if row else Preferences()


@router.put("/me/preferences", response_model=Preferences)
def put_preferences(
    body: Preferences, request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> Response:
    def perform(now):  # type: ignore[no-untyped-def]
        row = session.get(PreferencesRow, caller.user.id)
        data = body.model_dump(mode="json")
        if row is None:
            session.add(PreferencesRow(user_id=caller.user.id, data=data, updated_at=now))
        else:
            row.data, row.updated_at = data, now
        return 200, body

    return write(request, session, caller, clock, body, perform)


@router.get("/audit", response_model=list[AuditOut])
def read_audit(
    caller: Annotated[Caller, Depends(require("audit.read"))],
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 100,
    allowed: bool | None = None,
) -> list[AuditOut]:
    query = select(AuditRow).order_by(AuditRow.id.desc())
    if caller.team_ids is not None:
        members = select(UserRow.id).where(UserRow.team_id.in_(caller.team_ids))
        query = query.where(AuditRow.user_id.in_(members))
    if allowed is not None:
        query = query.where(AuditRow.allowed == allowed)
    return [
        AuditOut(
            id=a.id,
            at=utc(a.at),
            user_id=a.user_id,
            action=a.action,
            target=a.target,
            allowed=a.allowed,
            detail=a.detail,
        )
        for a in session.scalars(query.limit(limit))
    ]
