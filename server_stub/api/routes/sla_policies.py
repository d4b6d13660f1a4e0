"""SLA policies, escalation chains and team managers (contract 1.6): admins read and replace the
policy document (versioned: a stale write is 409 with what is stored now) and name each team's
manager. Every change is audited with what it was before and after; desks hear of a policy
change by the ``sla_policies.changed`` event."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from server_stub import sla_policies as stored
from server_stub.api.deps import Caller, DbSession, Now, require
from server_stub.api.errors import VersionConflictError, conflict_response
from server_stub.api.routes.common import IdPath, bad_field, get_or_404
from server_stub.api.writes import write
from server_stub.feed import audit
from server_stub.models import TeamRow, UserRow
from sync.contract.records import Role
from sync.contract.sla import (
    SLA_POLICIES_ROUTE,
    TEAM_MANAGER_ROUTE,
    SlaPolicies,
    TeamManagerIn,
    TeamManagerOut,
    policy_problems,
)
from sync.contract.wire import ConflictBody

router = APIRouter(tags=["administration"])
Admin = Annotated[Caller, Depends(require("sla.manage"))]
_AUDIT_DETAIL_MAX = 4000  # the before and after of a large policy are cut, the versions kept


def _defaults(request: Request) -> SlaPolicies:
    defaults: SlaPolicies = request.app.state.sla_defaults
    return defaults


def policies_of(request: Request, session: Session) -> SlaPolicies:
    """The centre's SLA policies in force (the server's defaults until an admin sets them)."""
    return stored.current(session, _defaults(request))


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _changed_parts(before: SlaPolicies, after: SlaPolicies) -> str:
    """``field: before -> after`` for each top-level part that changed."""
    old = before.model_dump(mode="json", exclude={"version"})
    new = after.model_dump(mode="json", exclude={"version"})
    parts = [
        f"{key}: {_compact(old.get(key))} -> {_compact(new.get(key))}"
        for key in sorted(new)
        if old.get(key) != new.get(key)
    ]
    text = f"version {before.version} -> {after.version}; " + "; ".join(parts)
    return text[:_AUDIT_DETAIL_MAX]


@router.get(SLA_POLICIES_ROUTE, response_model=SlaPolicies)
def sla_policies(_caller: Admin, request: Request, session: DbSession) -> SlaPolicies:
    return stored.current(session, _defaults(request))


@router.put(
    SLA_POLICIES_ROUTE,
    response_model=SlaPolicies,
    responses={409: {"model": ConflictBody}},
)
def put_sla_policies(
    body: SlaPolicies,
    request: Request,
    caller: Admin,
    session: DbSession,
    clock: Now,
) -> Response:
    """Replace the policies. ``version`` is the one the admin read: if someone changed them
    since, 409 with the current ones, and nothing is written. Tickets whose clock already runs
    keep their chain (``server_stub.sla``)."""
    problems = policy_problems(body)
    if problems:
        raise bad_field(*problems[0])
    defaults = _defaults(request)
    before = stored.current(session, defaults)

    def perform(now):  # type: ignore[no-untyped-def]
        after, _was = stored.replace(
            session,
            body,
            defaults=defaults,
            base_version=body.version,
            user_id=caller.user.id,
            now=now,
        )
        audit(
            session,
            user_id=caller.user.id,
            action="sla.policies.change",
            target="sla_policies",
            allowed=True,
            now=now,
            detail=_changed_parts(before, after),
        )
        return 200, after

    try:
        return write(
            request,
            session,
            caller,
            clock,
            body,
            perform,
            current=lambda: stored.current(session, defaults),
        )
    except stored.StalePoliciesError as exc:
        session.rollback()
        return conflict_response(VersionConflictError(exc.current, str(exc)))
    except VersionConflictError as exc:  # a writer committed between our read and our write
        return conflict_response(exc)


@router.put(TEAM_MANAGER_ROUTE, response_model=TeamManagerOut)
def put_team_manager(
    team_id: IdPath,
    body: TeamManagerIn,
    request: Request,
    caller: Admin,
    session: DbSession,
    clock: Now,
) -> Response:
    """Name the team's manager (whom a chain's "team manager" level goes to), or none."""
    team = get_or_404(session, TeamRow, team_id, "team")
    if body.manager_id is not None:
        manager = session.get(UserRow, body.manager_id)
        if manager is None or not manager.active:
            raise bad_field("manager_id", f"no active user with id {body.manager_id}")
        if Role(manager.role) not in (Role.SUPERVISOR, Role.ADMIN):
            raise bad_field("manager_id", "a manager is a team lead or an administrator")

    def perform(now):  # type: ignore[no-untyped-def]
        before = team.manager_id
        if before != body.manager_id:
            team.manager_id = body.manager_id
            team.updated_at = now
            session.flush()
            audit(
                session,
                user_id=caller.user.id,
                action="team.manager.change",
                target=f"team {team.id}",
                allowed=True,
                now=now,
                detail=f"manager {before} -> {body.manager_id}",
            )
        out = TeamManagerOut(team_id=team.id, manager_id=team.manager_id, version=team.version)
        return 200, out

    return write(request, session, caller, clock, body, perform)
