"""Dependencies injected into routes: the DB session, settings, clock, and the caller with
their permissions and team scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from server_stub import roles
from server_stub.api import idempotency
from server_stub.api.errors import ApiProblem
from server_stub.auth import resolve_token, token_digest
from server_stub.auth_cache import AuthCache, Principal, Resolved
from server_stub.clock import Clock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.feed import audit
from server_stub.models import UserRow
from sync.contract import version as contract
from sync.contract.errors import ErrorCode
from sync.contract.records import Role
from sync.contract.rules import permissions_for


def get_db(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.database
    with database.session() as session:
        yield session


# Async, though they do no I/O: FastAPI runs a sync dependency on the thread pool, a hop (and
# a wait for a free worker under load) for a dictionary lookup.
async def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_desk_contract(request: Request) -> contract.ContractVersion:
    """The contract the calling desk speaks: its header as the middleware read and admitted it
    (``server_stub.main``), so every route sees the same version and none parses it again."""
    desk: contract.ContractVersion = request.state.desk_contract
    return desk


DbSession = Annotated[Session, Depends(get_db)]
Settings = Annotated[ServerSettings, Depends(get_settings)]
Now = Annotated[Clock, Depends(get_clock)]
DeskContract = Annotated[contract.ContractVersion, Depends(get_desk_contract)]


@dataclass(frozen=True, slots=True)
class Caller:
    user: Principal  # not a row: the same object serves the requests of the cache's time
    token: str
    expires_at: datetime
    permissions: frozenset[str]
    # The teams whose records this caller may see and change; None means every team (admin).
    team_ids: frozenset[int] | None

    @property
    def role(self) -> Role:
        return Role(self.user.role)

    def may_see_team(self, team_id: int | None) -> bool:
        return team_id is None or self.team_ids is None or team_id in self.team_ids


async def bearer_token(request: Request) -> str:
    # async: a dependency this small should not cost a thread-pool hop.
    return token_of(request)


def token_of(request: Request) -> str:
    """The bearer token the request carries (401 without one)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(
            401, ErrorCode.NOT_AUTHENTICATED, "Sign-in required: no bearer token was sent."
        )
    return token.strip()


def team_scope(session: Session, user: Principal) -> frozenset[int] | None:
    """The teams ``user``'s stored role lets them see (None: all)."""
    return roles.team_scope(
        session, user, roles.access_of(session, roles.role_name_of(user), user.role)
    )


def principal_of(user: UserRow) -> Principal:
    return Principal(
        user.id, user.username, user.display_name, user.role, user.team_id, user.role_name
    )


def authenticated(request: Request, session: Session, token: str, now: datetime) -> Resolved:
    """Who ``token`` speaks for: from the process's cache (``server_stub.auth_cache``) or the
    database; 401 for a token unknown, revoked, expired or of a disabled user."""
    cache: AuthCache = request.app.state.revocations.cache
    digest = token_digest(token)
    found = cache.get(digest)
    if found is None:
        resolved = resolve_token(session, token, now)
        if resolved is not None:
            user, expires_at = resolved
            principal = principal_of(user)
            access = roles.access_of(session, roles.role_name_of(principal), principal.role)
            scope = roles.team_scope(session, principal, access)
            found = cache.put(digest, principal, expires_at, scope, access.permissions)
    if found is None or found.expires_at <= now:
        raise ApiProblem(
            401, ErrorCode.TOKEN_INVALID, "Your session has expired; please sign in again."
        )
    return found


async def keyed_body(request: Request) -> tuple[str, str] | None:
    """(Idempotency-Key, SHA-256 of the canonical body) of a keyed write, else None.

    Async only to read the body (FastAPI has it cached by now); the database work is in
    ``current_caller``, on a worker thread, because it may wait for another transaction."""
    key = idempotency.requested_key(request)
    if key is None:
        return None
    return key, idempotency.body_digest(await request.body())


def current_caller(
    request: Request,
    session: DbSession,
    token: Annotated[str, Depends(bearer_token)],
    clock: Now,
    keyed: Annotated[tuple[str, str] | None, Depends(keyed_body)],
) -> Caller:
    found = authenticated(request, session, token, clock.now())
    if keyed is not None:
        _replay_if_answered(request, session, found.user.id, *keyed)
    return caller_of(found, token)


def caller_of(found: Resolved, token: str) -> Caller:
    """The caller a resolved token speaks for (a route's, or a whole batch's)."""
    return Caller(
        user=found.user,
        token=token,
        expires_at=found.expires_at,
        permissions=permissions_of(found),
        team_ids=found.team_ids,
    )


def permissions_of(found: Resolved) -> frozenset[str]:
    """What the token's user may do: their stored role's set, as read with the token."""
    if found.permissions is not None:
        return found.permissions
    return permissions_for(Role(found.user.role))


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def _replay_if_answered(
    request: Request, session: Session, user_id: int, key: str, digest: str
) -> None:
    """A write whose key already has an answer gets that answer now, before the route looks
    at versions or existence (a committed delete retried is not a 404)."""
    try:
        idempotency.check_key(key)
    except idempotency.KeyFormatError as exc:
        raise ApiProblem(422, ErrorCode.INVALID_REQUEST, str(exc), idempotency.HEADER) from None
    claim = idempotency.claim_for(request, user_id, key, digest)
    request.state.idempotency = claim  # for write(), which claims the key in its transaction
    row = idempotency.stored(session, user_id, key)
    if row is None:
        return
    if row.request_hash != claim.fingerprint:
        raise ApiProblem(
            422,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This Idempotency-Key was used for a different request.",
            idempotency.HEADER,
        )
    raise idempotency.ReplayError(row.status_code, row.body)


def deny(
    session: Session, caller: Caller, action: str, target: str, message: str, now: datetime
) -> ApiProblem:
    """Write the refusal to the audit log (committed even though the request fails)."""
    session.rollback()
    audit(
        session,
        user_id=caller.user.id,
        action=action,
        target=target,
        allowed=False,
        now=now,
        detail=message,
    )
    session.commit()
    return ApiProblem(403, ErrorCode.FORBIDDEN, message)


def require(permission: str) -> Callable[..., Caller]:
    """A dependency: the caller, if their role grants ``permission``; else 403, audited."""

    def check(request: Request, caller: CurrentCaller, session: DbSession, clock: Now) -> Caller:
        if permission not in caller.permissions:
            raise deny(
                session,
                caller,
                permission,
                f"{request.method} {request.url.path}",
                f"Your role ({caller.user.role}) may not do '{permission}'.",
                clock.now(),
            )
        return caller

    return check


def check_team(
    session: Session,
    caller: Caller,
    team_id: int | None,
    action: str,
    target: str,
    now: datetime,
) -> None:
    if not caller.may_see_team(team_id):
        raise deny(session, caller, action, target, "This record belongs to another team.", now)
