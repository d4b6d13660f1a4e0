"""Sign in, who am I, sign out."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request

from server_stub.api.deps import CurrentCaller, DbSession, Now, Settings
from server_stub.api.errors import ApiProblem
from server_stub.auth import authenticate, issue_token, revoke_token
from server_stub.models import UserRow
from sync.contract.errors import ErrorCode
from sync.contract.records import Role
from sync.contract.rules import permissions_for
from sync.contract.wire import LoginRequest, LoginResponse, MeResponse, TeamOut, UserOut

router = APIRouter(tags=["auth"])
log = logging.getLogger(__name__)


def user_out(user: UserRow) -> UserOut:
    team = TeamOut(id=user.team.id, name=user.team.name) if user.team else None
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        team=team,
    )


@router.post("/auth/login")
def login(body: LoginRequest, session: DbSession, settings: Settings, clock: Now) -> LoginResponse:
    user = authenticate(session, body.username, body.password)
    if user is None:
        log.info("sign-in refused for %r", body.username)
        raise ApiProblem(401, ErrorCode.BAD_CREDENTIALS, "Wrong user name or password.")
    token, expires_at = issue_token(session, user, settings.token_lifetime, clock.now())
    log.info("signed in: %s (%s)", user.username, user.role)
    return LoginResponse(
        token=token,
        expires_at=expires_at,
        user=user_out(user),
        permissions=sorted(permissions_for(Role(user.role))),
    )


@router.get("/me")
def me(caller: CurrentCaller, session: DbSession) -> MeResponse:
    user = session.get(UserRow, caller.user.id)
    if user is None:  # deleted since the token was resolved
        raise ApiProblem(
            401, ErrorCode.TOKEN_INVALID, "Your session has expired; please sign in again."
        )
    return MeResponse(
        user=user_out(user),
        permissions=sorted(permissions_for(Role(caller.user.role))),
        expires_at=caller.expires_at,
    )


@router.post("/auth/logout", status_code=204)
def logout(caller: CurrentCaller, session: DbSession, request: Request) -> None:
    revoke_token(session, caller.token, request.app.state.revocations.cache)
