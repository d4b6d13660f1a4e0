"""The colleague directory: an agent's team with live presence, and the queues a call may be
transferred to (``sync.contract.directory``).

An agent sees the colleagues of their own team (a lead: of the teams they lead too; an admin:
everyone) — the same scope as the presence events their desk receives — never another team's
presence. Queues with a number are listed for every team (a caller is often sent to another
team's line), their waiting count only for the caller's own teams, as on the wallboard.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, require
from server_stub.clock import utc
from server_stub.models import PresenceRow, QueueRow, UserRow
from sync.contract.directory import (
    DIRECTORY_PERMISSION,
    DIRECTORY_ROUTE,
    PHONE_ROLES,
    ColleagueOut,
    DirectoryOut,
    TransferQueueOut,
)
from sync.contract.records import AgentState, Role
from sync.contract.wire import SkillOut

router = APIRouter(tags=["people, presence and queues"])


@router.get(DIRECTORY_ROUTE, response_model=DirectoryOut)
def directory(
    caller: Annotated[Caller, Depends(require(DIRECTORY_PERMISSION))], session: DbSession
) -> DirectoryOut:
    users = select(UserRow).where(
        UserRow.active,
        UserRow.id != caller.user.id,
        UserRow.role.in_([role.value for role in PHONE_ROLES]),
    )
    if caller.team_ids is not None:
        users = users.where(UserRow.team_id.in_(caller.team_ids))
    rows = list(session.scalars(users.order_by(UserRow.display_name, UserRow.id)))
    presence = {
        p.user_id: p
        for p in session.scalars(
            select(PresenceRow).where(PresenceRow.user_id.in_([u.id for u in rows]))
        )
    }
    colleagues = []
    for user in rows:
        found = presence.get(user.id)
        state = AgentState(found.state) if found is not None else AgentState.LOGGED_OUT
        colleagues.append(
            ColleagueOut(
                user_id=user.id,
                username=user.username,
                display_name=user.display_name,
                role=Role(user.role),
                team_id=user.team_id,
                extension=user.extension,
                # A signed-out desk's last address is stale: nobody answers there.
                sip_uri=found.sip_uri if found and state is not AgentState.LOGGED_OUT else "",
                skills=[SkillOut(skill=s.skill, level=s.level) for s in user.skills],
                state=state,
                reason=found.reason if found is not None else "",
                since=utc(found.since) if found is not None else None,
                presence_version=found.version if found is not None else 0,
            )
        )
    numbered = select(QueueRow).where(QueueRow.extension != "").order_by(QueueRow.id)
    queues = [
        TransferQueueOut(
            id=q.id,
            name=q.name,
            team_id=q.team_id,
            extension=q.extension,
            waiting=q.waiting if caller.may_see_team(q.team_id) else None,
        )
        for q in session.scalars(numbered)
    ]
    return DirectoryOut(colleagues=colleagues, queues=queues)
