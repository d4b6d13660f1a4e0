"""The centre's administration (issue 27, contract 1.6): roles, users, teams, the import.

Who may: ``user.manage`` (admins) everything about users and roles; ``team.manage`` teams and
the import (with ``user.manage``); ``user.manage.team`` (leads) the agents of the teams they
lead: list, disable / enable, move among those teams, reset a password, sign out; not create,
not give roles (``user_admin.check_delegated``). Every refusal is audited (``deps.deny``),
every change audited with before → after and told to desks (``access.changed``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from server_stub import roles, user_admin
from server_stub.api.deps import Caller, CurrentCaller, DbSession, Now, deny, require
from server_stub.api.errors import ApiProblem
from server_stub.auth_cache import AuthCache
from server_stub.user_admin import Actor, AdminRefusedError
from sync.contract.errors import ErrorCode
from sync.contract.rules import TEAM_USERS_PERMISSION
from sync.contract.wire import (
    AdminTeamIn,
    AdminTeamOut,
    AdminUserChange,
    AdminUserIn,
    AdminUserOut,
    ImportApplied,
    ImportIn,
    ImportPreview,
    RoleIn,
    RoleOut,
    TemporaryPassword,
)

router = APIRouter(prefix="/admin", tags=["administration"])
UserAdmin = Annotated[Caller, Depends(require(roles.MANAGE_USERS))]
TeamAdmin = Annotated[Caller, Depends(require("team.manage"))]


def _cache(request: Request) -> AuthCache:
    cache: AuthCache = request.app.state.revocations.cache
    return cache


def _problem(exc: AdminRefusedError | roles.RoleRefusedError) -> ApiProblem:
    code = {
        403: ErrorCode.FORBIDDEN,
        404: ErrorCode.NOT_FOUND,
        409: ErrorCode.IN_USE,
    }.get(exc.status, ErrorCode.INVALID_REQUEST)
    return ApiProblem(exc.status, code, str(exc), exc.field)


def _people_actor(request: Request, caller: Caller, session: DbSession, clock: Now) -> Actor:
    """An admin (every user) or a lead with the delegated part (their scope's agents)."""
    if roles.MANAGE_USERS in caller.permissions:
        return Actor(caller.user.id, None)
    if TEAM_USERS_PERMISSION in caller.permissions:
        return Actor(caller.user.id, caller.team_ids or frozenset())
    raise deny(
        session,
        caller,
        roles.MANAGE_USERS,
        f"{request.method} {request.url.path}",
        f"Your role ({caller.user.role_name or caller.user.role}) may not manage users.",
        clock.now(),
    )


def _refused(
    session: DbSession, caller: Caller, request: Request, clock: Now, exc: AdminRefusedError
) -> ApiProblem:
    if exc.status == 403:  # outside a lead's part: audited as every refusal
        session.rollback()
        return deny(
            session,
            caller,
            roles.MANAGE_USERS,
            f"{request.method} {request.url.path}",
            str(exc),
            clock.now(),
        )
    session.rollback()
    return _problem(exc)


# -- roles -------------------------------------------------------------------------------------


@router.get("/roles")
def list_roles(_caller: UserAdmin, session: DbSession) -> list[RoleOut]:
    return roles.all_roles(session)


@router.post("/roles", status_code=201)
def create_role(
    body: RoleIn, request: Request, caller: UserAdmin, session: DbSession, clock: Now
) -> RoleOut:
    try:
        return roles.create(
            session, body, user_id=caller.user.id, now=clock.now(), cache=_cache(request)
        )
    except roles.RoleRefusedError as exc:
        session.rollback()
        raise _problem(exc) from None


@router.put("/roles/{name}")
def update_role(
    name: str, body: RoleIn, request: Request, caller: UserAdmin, session: DbSession, clock: Now
) -> RoleOut:
    try:
        return roles.update(
            session, name, body, user_id=caller.user.id, now=clock.now(), cache=_cache(request)
        )
    except roles.RoleRefusedError as exc:
        session.rollback()
        raise _problem(exc) from None


@router.delete("/roles/{name}", status_code=204)
def delete_role(
    name: str, request: Request, caller: UserAdmin, session: DbSession, clock: Now
) -> None:
    try:
        roles.delete(session, name, user_id=caller.user.id, now=clock.now(), cache=_cache(request))
    except roles.RoleRefusedError as exc:
        session.rollback()
        raise _problem(exc) from None


# -- users -------------------------------------------------------------------------------------


@router.get("/users")
def list_users(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> list[AdminUserOut]:
    actor = _people_actor(request, caller, session, clock)
    return user_admin.list_users(session, actor.teams)


@router.post("/users", status_code=201)
def create_user(
    body: AdminUserIn, request: Request, caller: UserAdmin, session: DbSession, clock: Now
) -> TemporaryPassword:
    try:
        return user_admin.create_user(
            session, body, actor=Actor(caller.user.id, None), now=clock.now()
        )
    except AdminRefusedError as exc:
        raise _refused(session, caller, request, clock, exc) from None


@router.patch("/users/{user_id}")
def change_user(
    user_id: int,
    body: AdminUserChange,
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
) -> AdminUserOut:
    actor = _people_actor(request, caller, session, clock)
    try:
        return user_admin.change_user(
            session, user_id, body, actor=actor, now=clock.now(), cache=_cache(request)
        )
    except AdminRefusedError as exc:
        raise _refused(session, caller, request, clock, exc) from None


@router.post("/users/{user_id}/password")
def reset_password(
    user_id: int, request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> JSONResponse:
    actor = _people_actor(request, caller, session, clock)
    try:
        answer = user_admin.reset_password(
            session, user_id, actor=actor, now=clock.now(), cache=_cache(request)
        )
    except AdminRefusedError as exc:
        raise _refused(session, caller, request, clock, exc) from None
    # Not kept by any cache on the way: the temporary password is for this admin's eyes once.
    return JSONResponse(answer.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


@router.post("/users/{user_id}/sign-out")
def sign_out(
    user_id: int, request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> dict[str, int]:
    actor = _people_actor(request, caller, session, clock)
    try:
        revoked = user_admin.sign_out(
            session, user_id, actor=actor, now=clock.now(), cache=_cache(request)
        )
    except AdminRefusedError as exc:
        raise _refused(session, caller, request, clock, exc) from None
    return {"revoked": revoked}


# -- teams and the import ----------------------------------------------------------------------


@router.get("/teams")
def list_teams(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> list[AdminTeamOut]:
    if "team.manage" in caller.permissions:
        return user_admin.list_teams(session, None)
    actor = _people_actor(request, caller, session, clock)
    return user_admin.list_teams(session, actor.teams)


@router.post("/teams", status_code=201)
def create_team(
    body: AdminTeamIn, request: Request, caller: TeamAdmin, session: DbSession, clock: Now
) -> AdminTeamOut:
    try:
        return user_admin.create_team(
            session, body, actor=Actor(caller.user.id, None), now=clock.now()
        )
    except AdminRefusedError as exc:
        raise _refused(session, caller, request, clock, exc) from None


@router.post("/import/preview")
def preview_import(
    body: ImportIn, _caller: UserAdmin, _teams: TeamAdmin, session: DbSession
) -> ImportPreview:
    return user_admin.preview_import(session, body.content)


@router.post(
    "/import/apply",
    status_code=201,
    response_model=ImportApplied,
    responses={409: {"model": ImportPreview}},
)
def apply_import(
    body: ImportIn, caller: UserAdmin, _teams: TeamAdmin, session: DbSession, clock: Now
) -> JSONResponse:
    """All or nothing: 201 with what was made, or 409 with the preview (its problems: a row
    that does not fit what is stored now) and nothing written. (422 is a request the route
    cannot read, as everywhere.)"""
    applied = user_admin.apply_import(
        session, body.content, actor=Actor(caller.user.id, None), now=clock.now()
    )
    status = 201 if isinstance(applied, ImportApplied) else 409
    return JSONResponse(
        applied.model_dump(mode="json"), status_code=status, headers={"Cache-Control": "no-store"}
    )
