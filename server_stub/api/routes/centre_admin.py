"""What a centre's administrators set for its queues, teams and skills (contract 1.6).

- ``PUT /queues/{id}/settings``: a queue's wrap-up time, service-level target and
  announcement (admins: ``settings.manage``).
- ``PUT /teams/{id}/policy``: a team's callback and survey policy (admins, and that team's
  lead; another team's lead is refused).
- ``GET /skills``, ``PUT /skills/{skill}``: the skill catalogue (admins change it);
  ``GET /skills/agents``: who holds which skill at which level, for the PBX's skill-based
  routing (whoever may read the board: the ACD's account, leads, admins).

Every change is versioned (a stale version: 409 with the record as it is), audited with what
it was and what it became, goes into the change feed, and raises ``desk_settings.changed`` so
every signed-in desk fetches its settings again (queues and team policies travel with them:
``DeskSettings.queues``, ``DeskSettings.team_policies``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub import desk_settings as stored_settings
from server_stub.api.deps import Caller, CurrentCaller, DbSession, Now, deny, require
from server_stub.api.routes.common import IdPath, get_or_404
from server_stub.api.writes import check_version, write
from server_stub.feed import audit, raise_event, record_change
from server_stub.models import QueueRow, SkillRow, TeamRow, UserRow, UserSkillRow
from server_stub.serialize import queue_out, team_out
from sync.contract.events import DeskSettingsChangedData
from sync.contract.records import Role
from sync.contract.wire import (
    AgentSkillsOut,
    QueueOut,
    QueueSettingsIn,
    SkillCatalogueEntry,
    SkillCatalogueIn,
    SkillOut,
    TeamDetailOut,
    TeamPolicyIn,
)

router = APIRouter(tags=["centre administration"])

QUEUE_FIELDS = ("wrap_up_s", "service_level_s", "service_level_pct", "announcement")
POLICY_FIELDS = ("callback_after", "callback_delay_hours")
SkillPath = Annotated[str, Path(min_length=1, max_length=60)]


def _changes(row: Any, body: Any, fields: tuple[str, ...]) -> list[str]:
    """Copy ``fields`` from ``body`` onto ``row``; each change as "field: before -> after"."""
    changed = []
    for name in fields:
        before, after = getattr(row, name), getattr(body, name)
        if before != after:
            setattr(row, name, after)
            changed.append(f"{name}: {before!r} -> {after!r}")
    return changed


def _desks_refetch(session: Session, now: Any) -> None:
    """Every desk fetches its settings again (they carry the queues and the team policies)."""
    version = stored_settings.current(session).version
    raise_event(session, DeskSettingsChangedData(version=version), now=now)


@router.put("/queues/{queue_id}/settings", response_model=QueueOut)
def put_queue_settings(
    queue_id: IdPath,
    body: QueueSettingsIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("settings.manage"))],
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, QueueRow, queue_id, "queue")
    check_version(row, body.version, lambda: queue_out(row))

    def perform(now):  # type: ignore[no-untyped-def]
        changed = _changes(row, body, QUEUE_FIELDS)
        if changed:
            row.updated_at = now
            session.flush()
            audit(
                session,
                user_id=caller.user.id,
                action="queue.settings",
                target=f"queue {row.id} {row.name}"[:200],
                allowed=True,
                now=now,
                detail="; ".join(changed),
            )
            out = queue_out(row)
            record_change(session, "queue", out, team_id=row.team_id, now=now)
            raise_event(session, out, now=now, team_id=row.team_id)
            _desks_refetch(session, now)
        return 200, queue_out(row)

    return write(request, session, caller, clock, body, perform, current=lambda: queue_out(row))


@router.put("/teams/{team_id}/policy", response_model=TeamDetailOut)
def put_team_policy(
    team_id: IdPath,
    body: TeamPolicyIn,
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
) -> Response:
    """Admins set any team's policy; a lead, only their own team's."""
    team = get_or_404(session, TeamRow, team_id, "team")
    own_lead = caller.role is Role.SUPERVISOR and team.lead_id == caller.user.id
    if caller.role is not Role.ADMIN and not own_lead:
        raise deny(
            session,
            caller,
            "team.policy",
            f"{request.method} {request.url.path}",
            "Only an administrator or this team's lead may change its callback policy.",
            clock.now(),
        )
    check_version(team, body.version, lambda: team_out(team))

    def perform(now):  # type: ignore[no-untyped-def]
        changed = _changes(team, body, POLICY_FIELDS)
        if changed:
            team.updated_at = now
            session.flush()
            audit(
                session,
                user_id=caller.user.id,
                action="team.policy",
                target=f"team {team.id} {team.name}"[:200],
                allowed=True,
                now=now,
                detail="; ".join(changed),
            )
            record_change(session, "team", team_out(team), team_id=team.id, now=now)
            _desks_refetch(session, now)
        return 200, team_out(team)

    return write(request, session, caller, clock, body, perform, current=lambda: team_out(team))


def _catalogue(session: Session) -> list[SkillCatalogueEntry]:
    holders = dict(
        session.execute(
            select(UserSkillRow.skill, func.count())
            .join(UserRow, UserRow.id == UserSkillRow.user_id)
            .where(UserRow.active)
            .group_by(UserSkillRow.skill)
        ).all()
    )
    described = {r.skill: r.description for r in session.scalars(select(SkillRow))}
    names = sorted(set(holders) | set(described), key=str.casefold)
    return [
        SkillCatalogueEntry(skill=n, description=described.get(n, ""), holders=holders.get(n, 0))
        for n in names
    ]


@router.get("/skills", response_model=list[SkillCatalogueEntry])
def list_skills(_caller: CurrentCaller, session: DbSession) -> list[SkillCatalogueEntry]:
    """The catalogue: the skills admins listed and every skill someone holds."""
    return _catalogue(session)


@router.put("/skills/{skill}", response_model=SkillCatalogueEntry)
def put_skill(
    skill: SkillPath,
    body: SkillCatalogueIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("user.manage"))],
    session: DbSession,
    clock: Now,
) -> Response:
    name = skill.strip()

    def perform(now):  # type: ignore[no-untyped-def]
        row = session.get(SkillRow, name)
        before = None if row is None else row.description
        if row is None:
            row = SkillRow(skill=name, description=body.description, updated_at=now)
            session.add(row)
        else:
            row.description, row.updated_at = body.description, now
        session.flush()
        audit(
            session,
            user_id=caller.user.id,
            action="skill.catalogue",
            target=f"skill {name}",
            allowed=True,
            now=now,
            detail=f"description: {before!r} -> {body.description!r}",
        )
        entry = next(e for e in _catalogue(session) if e.skill == name)
        return 200, entry

    return write(request, session, caller, clock, body, perform)


@router.get("/skills/agents", response_model=list[AgentSkillsOut])
def agents_skills(
    caller: Annotated[Caller, Depends(require("wallboard.view"))], session: DbSession
) -> list[AgentSkillsOut]:
    """For the PBX: each active person's skills and levels (best first), with the extension
    their calls reach; a lead sees their teams only."""
    query = select(UserRow).where(UserRow.active).order_by(UserRow.id)
    if caller.team_ids is not None:
        query = query.where(UserRow.team_id.in_(caller.team_ids))
    return [
        AgentSkillsOut(
            user_id=u.id,
            username=u.username,
            extension=u.extension,
            team_id=u.team_id,
            skills=[
                SkillOut(skill=s.skill, level=s.level)
                for s in sorted(u.skills, key=lambda s: (-s.level, s.skill))
            ],
        )
        for u in session.scalars(query)
        if u.skills
    ]
