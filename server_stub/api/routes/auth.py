"""Sign in, who am I, sign out."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server_stub import roles
from server_stub.api.deps import CurrentCaller, DbSession, DeskContract, Now, Settings
from server_stub.api.errors import ApiProblem
from server_stub.auth import (
    authenticate,
    hash_password,
    issue_token,
    revoke_token,
    verify_password,
)
from server_stub.feed import audit
from server_stub.models import UserRow
from sync.contract import version as contract
from sync.contract.errors import ErrorCode
from sync.contract.records import Role
from sync.contract.wire import (
    LoginRequest,
    LoginResponse,
    MeResponse,
    PasswordChange,
    TeamOut,
    UserOut,
)

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


def _for_desk(answer: LoginResponse | MeResponse, desk: contract.ContractVersion) -> JSONResponse:
    """A desk before contract 1.6 gets no ``must_change_password``: the releases before 1.1
    read answers strictly and refuse a field they do not know (none of them can set a new
    password anyway)."""
    exclude = {"must_change_password"} if desk < contract.ADMIN_SINCE else set()
    return JSONResponse(answer.model_dump(mode="json", exclude=exclude))


@router.post("/auth/login", response_model=LoginResponse)
def login(
    body: LoginRequest, session: DbSession, settings: Settings, clock: Now, desk: DeskContract
) -> JSONResponse:
    user = authenticate(session, body.username, body.password)
    if user is None:
        log.info("sign-in refused for %r", body.username)
        raise ApiProblem(401, ErrorCode.BAD_CREDENTIALS, "Wrong user name or password.")
    token, expires_at = issue_token(session, user, settings.token_lifetime, clock.now())
    log.info("signed in: %s (%s)", user.username, user.role)
    answer = LoginResponse(
        token=token,
        expires_at=expires_at,
        user=user_out(user),
        permissions=sorted(stored_permissions(session, user)),
        must_change_password=user.must_change_password,
    )
    return _for_desk(answer, desk)


@router.get("/me", response_model=MeResponse)
def me(caller: CurrentCaller, session: DbSession, desk: DeskContract) -> JSONResponse:
    user = session.get(UserRow, caller.user.id)
    if user is None:  # deleted since the token was resolved
        raise ApiProblem(
            401, ErrorCode.TOKEN_INVALID, "Your session has expired; please sign in again."
        )
    answer = MeResponse(
        user=user_out(user),
        permissions=sorted(caller.permissions),
        expires_at=caller.expires_at,
        must_change_password=user.must_change_password,
    )
    return _for_desk(answer, desk)


def stored_permissions(session: Session, user: UserRow) -> frozenset[str]:
    return roles.access_of(session, roles.role_name_of(user), user.role).permissions


@router.post("/auth/password", status_code=204)
def change_password(
    body: PasswordChange, caller: CurrentCaller, session: DbSession, clock: Now
) -> None:
    """The user's own new password (contract 1.6): after a temporary one an admin set, or at
    will. Neither password is logged."""
    user = session.get(UserRow, caller.user.id)
    if user is None or not verify_password(user.password_hash, body.current):
        raise ApiProblem(
            403, ErrorCode.BAD_CREDENTIALS, "The current password is wrong.", "current"
        )
    if body.new == body.current:
        raise ApiProblem(
            422, ErrorCode.INVALID_REQUEST, "The new password must differ from the old.", "new"
        )
    user.password_hash = hash_password(body.new)
    user.must_change_password = False
    user.updated_at = clock.now()
    audit(
        session,
        user_id=user.id,
        action="user.password",
        target=f"user:{user.username}",
        allowed=True,
        now=clock.now(),
        detail="changed their own password",
    )
    session.commit()


@router.post("/auth/logout", status_code=204)
def logout(caller: CurrentCaller, session: DbSession, request: Request) -> None:
    revoke_token(session, caller.token, request.app.state.revocations.cache)
