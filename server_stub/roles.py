"""Roles as the centre stores them (issue 27): what each permits and which teams' records it
sees, read at every token lookup (``api.deps``), changed by admins through
``api.routes.admin``.

A change to a role must be refused on the NEXT request of a signed-in user holding it, on
every server process: the auth cache keeps what a token resolved to (permissions included), so
a role change forgets every cached token here and announces ``roles`` to the other processes
(``auth_cache.announce``; any announcement that is not a token or a user clears everything).
Role changes are rare; a centre's desks then pay one lookup each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from server_stub.auth_cache import AuthCache, Principal, announce
from server_stub.feed import audit, raise_event
from server_stub.models import RoleRow, TeamRow, UserRow
from sync.contract.events import AccessChangedData
from sync.contract.records import Role
from sync.contract.rules import KNOWN_PERMISSIONS, RecordScope, permissions_for
from sync.contract.wire import RoleIn, RoleOut

MANAGE_USERS = "user.manage"
ROLES_ANNOUNCEMENT = "roles"  # auth_cache.forget: not a token or user, so everything


def change_detail(before: object, after: object) -> str:
    """An audit row's before → after, as JSON (null: created / deleted)."""
    return f"{json.dumps(before, ensure_ascii=False)} -> {json.dumps(after, ensure_ascii=False)}"


@dataclass(frozen=True, slots=True)
class Access:
    """What a user's stored role grants: its permissions and record scope."""

    role_name: str
    permissions: frozenset[str]
    scope: RecordScope
    teams: frozenset[int]


class RoleRefusedError(Exception):
    """A role change that breaks a rule; ``field`` names the part at fault; ``status`` the
    HTTP answer (409: the change conflicts with what is stored, 422: the request is wrong)."""

    def __init__(self, message: str, field: str, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


def role_name_of(user: UserRow | Principal) -> str:
    return user.role_name or user.role


def access_of(session: Session, role_name: str, kind: str) -> Access:
    """The stored role's grants; a role missing (deleted under a signed-in user, whom the
    admin could not then have left holding it, or a database before migration 0007): the
    shipped permissions of the user's kind."""
    row = session.get(RoleRow, role_name)
    if row is None:
        role = Role(kind)
        scope = RecordScope.ALL if role is Role.ADMIN else RecordScope.OWN
        return Access(role_name, permissions_for(role), scope, frozenset())
    return Access(
        row.name, frozenset(row.permissions), RecordScope(row.scope), frozenset(row.teams)
    )


def team_scope(session: Session, user: Principal, access: Access) -> frozenset[int] | None:
    """The teams whose records ``user`` sees (None: all): their own, the teams they lead (as
    before roles were stored) and, for a listed scope, the role's teams."""
    if access.scope is RecordScope.ALL:
        return None
    teams = {user.team_id} if user.team_id is not None else set()
    if Role(user.role) is Role.SUPERVISOR:
        teams |= set(session.scalars(select(TeamRow.id).where(TeamRow.lead_id == user.id)))
    if access.scope is RecordScope.LISTED:
        teams |= access.teams
    return frozenset(teams)


def role_out(session: Session, row: RoleRow) -> RoleOut:
    return RoleOut(
        name=row.name,
        kind=Role(row.kind),
        permissions=sorted(row.permissions),
        scope=RecordScope(row.scope),
        teams=sorted(row.teams),
        version=row.version,
        users=holders(session, row.name),
    )


def _holder_filter(name: str):  # type: ignore[no-untyped-def]
    # role_name NULL: the shipped role named like the user's kind (users of the seeds).
    return or_(UserRow.role_name == name, (UserRow.role_name.is_(None)) & (UserRow.role == name))


def holders(session: Session, name: str, *, active_only: bool = False) -> int:
    query = select(func.count()).select_from(UserRow).where(_holder_filter(name))
    if active_only:
        query = query.where(UserRow.active)
    return int(session.scalar(query) or 0)


def all_roles(session: Session) -> list[RoleOut]:
    return [
        role_out(session, row) for row in session.scalars(select(RoleRow).order_by(RoleRow.name))
    ]


def _check(session: Session, body: RoleIn) -> None:
    unknown = sorted(set(body.permissions) - KNOWN_PERMISSIONS)
    if unknown:
        raise RoleRefusedError(f"Unknown permission: {', '.join(unknown)}.", "permissions")
    if body.scope is RecordScope.LISTED:
        if not body.teams:
            raise RoleRefusedError("A role that sees listed teams must list at least one.", "teams")
        found = set(session.scalars(select(TeamRow.id).where(TeamRow.id.in_(body.teams))))
        missing = sorted(set(body.teams) - found)
        if missing:
            raise RoleRefusedError(f"No team with id {missing[0]}.", "teams")


def user_managers_left(
    session: Session, without: str | None = None, granting: RoleIn | None = None
) -> int:
    """Active users who could still manage users if role ``without`` lost ``user.manage``
    (``granting``: the role as it would be after the change)."""
    total = 0
    for row in session.scalars(select(RoleRow)):
        permissions = set(row.permissions)
        if granting is not None and row.name == granting.name:
            permissions = set(granting.permissions)
        if row.name == without and granting is None:
            continue
        if MANAGE_USERS in permissions:
            total += holders(session, row.name, active_only=True)
    return total


def _changed(
    session: Session,
    cache: AuthCache | None,
    *,
    user_id: int,
    action: str,
    name: str,
    before: object,
    after: object,
    now: datetime,
) -> None:
    audit(
        session,
        user_id=user_id,
        action=action,
        target=f"role:{name}",
        allowed=True,
        now=now,
        detail=change_detail(before, after),
    )
    raise_event(session, AccessChangedData(subject="role", name=name), now=now)
    announce(session, ROLES_ANNOUNCEMENT)
    session.commit()
    if cache is not None:  # this process: at once (the others on the announcement)
        cache.clear()


def _snapshot(row: RoleRow) -> dict[str, object]:
    return {
        "kind": row.kind,
        "permissions": sorted(row.permissions),
        "scope": row.scope,
        "teams": sorted(row.teams),
        "version": row.version,
    }


def create(
    session: Session, body: RoleIn, *, user_id: int, now: datetime, cache: AuthCache | None
) -> RoleOut:
    _check(session, body)
    if session.get(RoleRow, body.name) is not None:
        raise RoleRefusedError(f"A role named {body.name!r} exists already.", "name", 409)
    row = RoleRow(
        name=body.name,
        kind=body.kind.value,
        permissions=sorted(set(body.permissions)),
        scope=body.scope.value,
        teams=sorted(set(body.teams)),
        version=1,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    _changed(
        session,
        cache,
        user_id=user_id,
        action="role.create",
        name=row.name,
        before=None,
        after=_snapshot(row),
        now=now,
    )
    return role_out(session, row)


def update(
    session: Session,
    name: str,
    body: RoleIn,
    *,
    user_id: int,
    now: datetime,
    cache: AuthCache | None,
) -> RoleOut:
    row = session.get(RoleRow, name, with_for_update=True)
    if row is None:
        raise RoleRefusedError(f"No role named {name!r}.", "name", 404)
    if body.name != name:
        raise RoleRefusedError("A role cannot be renamed; create a new one.", "name")
    if body.version is not None and body.version != row.version:
        raise RoleRefusedError(
            f"The role {name!r} was changed by someone else (now version {row.version}); "
            "reload it and make your change again.",
            "version",
            409,
        )
    _check(session, body)
    if body.kind.value != row.kind and row.name in {kind.value for kind in Role}:
        # Users made before stored roles hold these by their kind's name (role_name NULL).
        raise RoleRefusedError(f"The kind of the shipped role {name!r} is fixed.", "kind")
    if MANAGE_USERS in row.permissions and user_managers_left(session, granting=body) == 0:
        raise RoleRefusedError(
            f"Removing '{MANAGE_USERS}' from {name!r} would leave no active user who may "
            "manage users.",
            "permissions",
            409,
        )
    before = _snapshot(row)
    row.kind = body.kind.value
    row.permissions = sorted(set(body.permissions))
    row.scope = body.scope.value
    row.teams = sorted(set(body.teams))
    row.updated_at = now
    session.flush()  # the version goes up here
    # Users of the role whose kind followed: the rest of the server reads users.role.
    for user in session.scalars(select(UserRow).where(UserRow.role_name == name)):
        user.role = row.kind
    _changed(
        session,
        cache,
        user_id=user_id,
        action="role.update",
        name=name,
        before=before,
        after=_snapshot(row),
        now=now,
    )
    return role_out(session, row)


def delete(
    session: Session, name: str, *, user_id: int, now: datetime, cache: AuthCache | None
) -> None:
    row = session.get(RoleRow, name, with_for_update=True)
    if row is None:
        raise RoleRefusedError(f"No role named {name!r}.", "name", 404)
    held = holders(session, name)
    if held:
        raise RoleRefusedError(
            f"The role {name!r} is held by {held} user(s); give them another role first.",
            "name",
            409,
        )
    before = _snapshot(row)
    session.delete(row)
    session.flush()
    _changed(
        session,
        cache,
        user_id=user_id,
        action="role.delete",
        name=name,
        before=before,
        after=None,
        now=now,
    )
