"""Users and teams as the centre's admins (and, for their own teams, its leads) change them:
create, disable, move, give a role, reset a password, sign out; a CSV import for a new centre.

Every change is audited with before → after and told to the desks (``access.changed``). A user
disabled, moved, given another role, reset or signed out loses their tokens at once on every
server process (``auth_cache.announce``), as ``auth.disable_user`` does.

Passwords: a temporary one is made here, returned once to the admin who asked, stored only as
its hash, never audited or logged; the user must change it at the next sign-in
(``must_change_password``; ``POST /auth/password``).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server_stub import roles
from server_stub.auth import hash_password
from server_stub.auth_cache import AuthCache, announce
from server_stub.feed import audit, raise_event, record_change, record_deletion
from server_stub.models import AccessTokenRow, RoleRow, TeamRow, UserRow
from server_stub.serialize import team_out, user_detail_out
from sync.contract.events import AccessChangedData
from sync.contract.records import Role
from sync.contract.wire import (
    AdminTeamIn,
    AdminTeamOut,
    AdminUserChange,
    AdminUserIn,
    AdminUserOut,
    ImportApplied,
    ImportPreview,
    ImportProblem,
    ImportRow,
    TeamOut,
    TemporaryPassword,
)

IMPORT_COLUMNS = ("username", "display_name", "role", "team")
_TEMPORARY_BYTES = 9  # 12 characters of URL-safe base64


class AdminRefusedError(Exception):
    def __init__(self, message: str, field: str | None, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


@dataclass(frozen=True, slots=True)
class Actor:
    """Who changes what: their id, and the teams they may act in (None: all, an admin)."""

    user_id: int
    teams: frozenset[int] | None


def user_out(user: UserRow) -> AdminUserOut:
    team = TeamOut(id=user.team.id, name=user.team.name) if user.team else None
    return AdminUserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role_name=roles.role_name_of(user),
        kind=Role(user.role),
        team=team,
        active=user.active,
        must_change_password=user.must_change_password,
    )


def _snapshot(user: UserRow) -> dict[str, object]:
    return {
        "display_name": user.display_name,
        "role": roles.role_name_of(user),
        "team_id": user.team_id,
        "active": user.active,
    }


def list_users(session: Session, teams: frozenset[int] | None) -> list[AdminUserOut]:
    query = select(UserRow).order_by(UserRow.username)
    if teams is not None:
        query = query.where(UserRow.team_id.in_(teams))
    return [user_out(u) for u in session.scalars(query)]


def list_teams(session: Session, teams: frozenset[int] | None) -> list[AdminTeamOut]:
    counted = select(UserRow.team_id, func.count()).group_by(UserRow.team_id)
    counts: dict[int | None, int] = {team: n for team, n in session.execute(counted)}
    query = select(TeamRow).order_by(TeamRow.name)
    if teams is not None:
        query = query.where(TeamRow.id.in_(teams))
    return [
        AdminTeamOut(id=t.id, name=t.name, lead_id=t.lead_id, members=counts.get(t.id, 0))
        for t in session.scalars(query)
    ]


def temporary_password() -> str:
    return secrets.token_urlsafe(_TEMPORARY_BYTES)


def _role(session: Session, name: str, field: str = "role_name") -> RoleRow:
    row = session.get(RoleRow, name)
    if row is None:
        raise AdminRefusedError(f"No role named {name!r}.", field)
    return row


def _team(session: Session, team_id: int | None, field: str = "team_id") -> TeamRow | None:
    if team_id is None:
        return None
    team = session.get(TeamRow, team_id)
    if team is None:
        raise AdminRefusedError(f"No team with id {team_id}.", field)
    return team


def _told(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target: str,
    before: object,
    after: object,
    event: AccessChangedData,
    now: datetime,
) -> None:
    audit(
        session,
        user_id=actor.user_id,
        action=action,
        target=target,
        allowed=True,
        now=now,
        detail=roles.change_detail(before, after),
    )
    raise_event(session, event, now=now)


def _feed_user(session: Session, user: UserRow, now: datetime, left: int | None = None) -> None:
    """The user record on the change feed (desks keep colleagues in their cache); moved out of
    team ``left``: a tombstone for that team's desks, which no longer see them."""
    session.flush()  # the version goes up here
    if left is not None and left != user.team_id:
        record_deletion(session, "user", user.id, user.version, team_id=left, now=now)
    record_change(session, "user", user_detail_out(user), team_id=user.team_id, now=now)


def _sign_out_everywhere(session: Session, user: UserRow, cache: AuthCache | None) -> None:
    """Revoke every token of ``user`` (at the commit, on every process)."""
    session.execute(
        update(AccessTokenRow)
        .where(AccessTokenRow.user_id == user.id, AccessTokenRow.revoked.is_(False))
        .values(revoked=True)
    )
    announce(session, f"user:{user.id}")
    if cache is not None:
        cache.forget_user(user.id)


def _add_user(
    session: Session, body: AdminUserIn, team_id: int | None, now: datetime
) -> tuple[UserRow, str]:
    role = _role(session, body.role_name)
    if session.scalar(select(UserRow.id).where(UserRow.username == body.username)) is not None:
        raise AdminRefusedError(f"The user name {body.username!r} is taken.", "username", 409)
    password = temporary_password()
    user = UserRow(
        username=body.username,
        display_name=body.display_name,
        password_hash=hash_password(password),
        role=role.kind,
        role_name=role.name,
        team_id=team_id,
        active=True,
        must_change_password=True,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    return user, password


def create_user(
    session: Session, body: AdminUserIn, *, actor: Actor, now: datetime
) -> TemporaryPassword:
    _team(session, body.team_id)
    user, password = _add_user(session, body, body.team_id, now)
    _feed_user(session, user, now)
    _told(
        session,
        actor=actor,
        action="user.create",
        target=f"user:{user.username}",
        before=None,
        after=_snapshot(user),
        event=AccessChangedData(subject="user", name=user.username, user_id=user.id),
        now=now,
    )
    session.commit()
    session.refresh(user)
    return TemporaryPassword(user=user_out(user), password=password)


def check_delegated(actor: Actor, user: UserRow, change: AdminUserChange | None) -> None:
    """A lead (``actor.teams`` set) acts only on the agents of the teams they lead, moves
    them only among those teams, and gives no roles (a lead must not grant what they lack)."""
    if actor.teams is None:
        return
    if user.team_id not in actor.teams or Role(user.role) is not Role.AGENT:
        raise AdminRefusedError("This user is outside the teams you manage.", None, 403)
    if change is not None:
        if change.role_name is not None and change.role_name != roles.role_name_of(user):
            raise AdminRefusedError("Only an administrator gives roles.", "role_name", 403)
        if change.move_to_no_team or (
            change.team_id is not None and change.team_id not in actor.teams
        ):
            raise AdminRefusedError("You may move agents only among your teams.", "team_id", 403)


def change_user(
    session: Session,
    user_id: int,
    change: AdminUserChange,
    *,
    actor: Actor,
    now: datetime,
    cache: AuthCache | None,
) -> AdminUserOut:
    user = session.get(UserRow, user_id)
    if user is None:
        raise AdminRefusedError(f"No user with id {user_id}.", None, 404)
    check_delegated(actor, user, change)
    if user_id == actor.user_id and (change.active is False or change.role_name is not None):
        raise AdminRefusedError("You cannot disable yourself or change your own role.", None, 409)
    before, old_team = _snapshot(user), user.team_id
    if change.display_name is not None:
        user.display_name = change.display_name
    if change.role_name is not None and change.role_name != roles.role_name_of(user):
        _give_role(session, user, change.role_name)
    if change.move_to_no_team:
        user.team_id = None
    elif change.team_id is not None:
        _team(session, change.team_id)
        user.team_id = change.team_id
    if change.active is not None:
        user.active = change.active
        session.flush()
        if not change.active and _managers(session) == 0:
            raise AdminRefusedError(
                "This would leave no active user who may manage users.", "active", 409
            )
    after = _snapshot(user)
    if after == before:
        return user_out(user)
    user.updated_at = now
    _feed_user(session, user, now, left=old_team)
    # Who they are, what they may do or which team they see changed: tokens read again (a
    # disabled user's refused).
    if not user.active:
        _sign_out_everywhere(session, user, cache)
    else:
        announce(session, f"user:{user.id}")
        if cache is not None:
            cache.forget_user(user.id)
    _told(
        session,
        actor=actor,
        action="user.update",
        target=f"user:{user.username}",
        before=before,
        after=after,
        event=AccessChangedData(subject="user", name=user.username, user_id=user.id),
        now=now,
    )
    session.commit()
    session.refresh(user)
    return user_out(user)


def _give_role(session: Session, user: UserRow, role_name: str) -> None:
    role = _role(session, role_name)
    held = roles.access_of(session, roles.role_name_of(user), user.role)
    user.role, user.role_name = role.kind, role.name
    session.flush()
    if roles.MANAGE_USERS in held.permissions and _managers(session) == 0:
        raise AdminRefusedError(
            "This would leave no active user who may manage users.", "role_name", 409
        )


def _managers(session: Session) -> int:
    return sum(
        roles.holders(session, row.name, active_only=True)
        for row in session.scalars(select(RoleRow))
        if roles.MANAGE_USERS in row.permissions
    )


def reset_password(
    session: Session, user_id: int, *, actor: Actor, now: datetime, cache: AuthCache | None
) -> TemporaryPassword:
    """A temporary password (shown once); the user's sessions end: whoever had the old one
    is out."""
    user = session.get(UserRow, user_id)
    if user is None:
        raise AdminRefusedError(f"No user with id {user_id}.", None, 404)
    check_delegated(actor, user, None)
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.updated_at = now
    _sign_out_everywhere(session, user, cache)
    _told(
        session,
        actor=actor,
        action="user.password_reset",
        target=f"user:{user.username}",
        before={"must_change_password": False},
        after={"must_change_password": True},  # never the password itself
        event=AccessChangedData(subject="user", name=user.username, user_id=user.id),
        now=now,
    )
    session.commit()
    session.refresh(user)
    return TemporaryPassword(user=user_out(user), password=password)


def sign_out(
    session: Session, user_id: int, *, actor: Actor, now: datetime, cache: AuthCache | None
) -> int:
    """Revoke every token of the user; how many were live."""
    user = session.get(UserRow, user_id)
    if user is None:
        raise AdminRefusedError(f"No user with id {user_id}.", None, 404)
    check_delegated(actor, user, None)
    live = int(
        session.scalar(
            select(func.count())
            .select_from(AccessTokenRow)
            .where(AccessTokenRow.user_id == user.id, AccessTokenRow.revoked.is_(False))
        )
        or 0
    )
    _sign_out_everywhere(session, user, cache)
    _told(
        session,
        actor=actor,
        action="user.sign_out",
        target=f"user:{user.username}",
        before={"sessions": live},
        after={"sessions": 0},
        event=AccessChangedData(subject="user", name=user.username, user_id=user.id),
        now=now,
    )
    session.commit()
    return live


def create_team(
    session: Session, body: AdminTeamIn, *, actor: Actor, now: datetime
) -> AdminTeamOut:
    if session.scalar(select(TeamRow.id).where(TeamRow.name == body.name)) is not None:
        raise AdminRefusedError(f"A team named {body.name!r} exists already.", "name", 409)
    if body.lead_id is not None and session.get(UserRow, body.lead_id) is None:
        raise AdminRefusedError(f"No user with id {body.lead_id}.", "lead_id")
    team = TeamRow(name=body.name, lead_id=body.lead_id, updated_at=now)
    session.add(team)
    session.flush()
    record_change(session, "team", team_out(team), team_id=team.id, now=now)
    _told(
        session,
        actor=actor,
        action="team.create",
        target=f"team:{team.name}",
        before=None,
        after={"name": team.name, "lead_id": team.lead_id},
        event=AccessChangedData(subject="team", name=team.name),
        now=now,
    )
    session.commit()
    return AdminTeamOut(id=team.id, name=team.name, lead_id=team.lead_id, members=0)


# -- import ------------------------------------------------------------------------------------


def preview_import(session: Session, content: str) -> ImportPreview:
    """What a CSV would create, and each problem with its row (1: the header) and field."""
    problems: list[ImportProblem] = []
    rows: list[ImportRow] = []
    new_teams: list[str] = []
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))  # Excel writes a BOM
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        problems.append(ImportProblem(row=1, field=missing[0], message="column missing"))
        return ImportPreview(rows=[], new_teams=[], problems=problems)
    known_roles = set(session.scalars(select(RoleRow.name)))
    taken = set(session.scalars(select(UserRow.username)))
    teams = set(session.scalars(select(TeamRow.name)))
    for number, raw in enumerate(reader, start=2):
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
        found = _import_row(number, values, known_roles, taken)
        if isinstance(found, ImportRow):
            rows.append(found)
            taken.add(found.username)
            if found.team and found.team not in teams and found.team not in new_teams:
                new_teams.append(found.team)
        else:
            problems.extend(found)
    return ImportPreview(rows=rows, new_teams=new_teams, problems=problems)


def _import_row(
    number: int, values: dict[str, str], known_roles: set[str], taken: set[str]
) -> ImportRow | list[ImportProblem]:
    try:
        row = ImportRow(
            row=number,
            username=values["username"].lower(),
            display_name=values["display_name"],
            role=values["role"],
            team=values["team"],
        )
    except ValidationError as exc:
        return [
            ImportProblem(row=number, field=str(e["loc"][0]), message=str(e["msg"]))
            for e in exc.errors()
        ]
    problems = []
    if row.role not in known_roles:
        problems.append(ImportProblem(row=number, field="role", message=f"no role {row.role!r}"))
    if row.username in taken:
        problems.append(
            ImportProblem(row=number, field="username", message=f"{row.username!r} is taken")
        )
    return problems or row


def apply_import(
    session: Session, content: str, *, actor: Actor, now: datetime
) -> ImportApplied | ImportPreview:
    """All or nothing: the preview's problems (nothing written), or every team and user
    created in one transaction, each user with a temporary password (shown once)."""
    preview = preview_import(session, content)
    if preview.problems or not preview.rows:
        return preview
    created: dict[str, TeamRow] = {}
    for name in preview.new_teams:
        team = created[name] = TeamRow(name=name, updated_at=now)
        session.add(team)
    session.flush()
    for team in created.values():
        record_change(session, "team", team_out(team), team_id=team.id, now=now)
    team_ids = {t.name: t.id for t in session.scalars(select(TeamRow))}
    users: list[TemporaryPassword] = []
    for row in preview.rows:
        body = AdminUserIn(username=row.username, display_name=row.display_name, role_name=row.role)
        user, password = _add_user(session, body, team_ids.get(row.team), now)
        _feed_user(session, user, now)
        users.append(TemporaryPassword(user=user_out(user), password=password))
    audit(
        session,
        user_id=actor.user_id,
        action="users.import",
        target=f"{len(users)} users, {len(created)} teams",
        allowed=True,
        now=now,
        detail=json.dumps(
            {"teams": list(created), "users": [r.username for r in preview.rows]},
            ensure_ascii=False,
        ),
    )
    raise_event(session, AccessChangedData(subject="user", name=""), now=now)
    session.commit()
    return ImportApplied(
        users=users,
        new_teams=[
            AdminTeamOut(id=t.id, name=t.name, lead_id=None, members=0) for t in created.values()
        ],
    )
