"""A team's alert thresholds and alerts (contract 1.6; ``server_stub.alerts`` raises them).

Every route is for the team's leads (``server_stub.alerts.team_leads``: its lead and its
supervisors) and administrators; anyone else is refused 403, audited. A change of thresholds
is audited with its before and after; an acknowledgement with who and when.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub import alerts as kept
from server_stub.api.deps import Caller, DbSession, Now, deny, require
from server_stub.api.errors import VersionConflictError, conflict_response
from server_stub.api.routes.common import IdPath, IdQuery, get_or_404
from server_stub.api.writes import write
from server_stub.feed import audit
from server_stub.models import AlertRow, TeamRow
from sync.contract.alerts import AlertOut, TeamThresholdsIn, TeamThresholdsOut
from sync.contract.records import Role
from sync.contract.wire import ConflictBody

router = APIRouter(tags=["wallboard"])
Lead = Annotated[Caller, Depends(require("wallboard.view"))]
RECENT = timedelta(hours=24)  # cleared alerts a board still lists


def _check_leads(
    session: Session, caller: Caller, team_id: int, action: str, now: datetime
) -> None:
    """The caller leads ``team_id`` or is an administrator; else 403, audited."""
    if caller.role is Role.ADMIN:
        return
    if caller.user.id not in kept.team_leads(session, team_id):
        raise deny(
            session, caller, action, f"team {team_id}", "Only the team's leads may do this.", now
        )


def _led_teams(session: Session, caller: Caller, team_id: int | None, now: datetime) -> list[int]:
    if team_id is not None:
        _check_leads(session, caller, team_id, "alert.read", now)
        return [team_id]
    if caller.team_ids is None:  # an administrator: every team
        return list(session.scalars(select(TeamRow.id).order_by(TeamRow.id)))
    return [t for t in sorted(caller.team_ids) if caller.user.id in kept.team_leads(session, t)]


@router.get("/teams/{team_id}/alert-thresholds", response_model=TeamThresholdsOut)
def get_thresholds(
    team_id: IdPath, caller: Lead, session: DbSession, clock: Now
) -> TeamThresholdsOut:
    """The team's alert thresholds (version 0: never set, the shipped defaults)."""
    get_or_404(session, TeamRow, team_id, "team")
    _check_leads(session, caller, team_id, "alert.thresholds.read", clock.now())
    return kept.thresholds_of(session, team_id)


@router.put(
    "/teams/{team_id}/alert-thresholds",
    response_model=TeamThresholdsOut,
    responses={409: {"model": ConflictBody}},
)
def put_thresholds(
    team_id: IdPath,
    body: TeamThresholdsIn,
    request: Request,
    caller: Lead,
    session: DbSession,
    clock: Now,
) -> Response:
    """Replace the team's thresholds. ``version`` is the one the lead read: if another lead
    changed them since, 409 with the current ones. Every lead of the team hears of it."""
    get_or_404(session, TeamRow, team_id, "team")
    _check_leads(session, caller, team_id, "alert.thresholds", clock.now())

    def perform(now):  # type: ignore[no-untyped-def]
        before, after = kept.replace_thresholds(
            session,
            team_id,
            body.thresholds(),
            base_version=body.version,
            user_id=caller.user.id,
            now=now,
        )
        audit(
            session,
            user_id=caller.user.id,
            action="alert.thresholds",
            target=f"team {team_id}",
            allowed=True,
            now=now,
            detail=f"{before.thresholds().to_json()} -> {after.thresholds().to_json()}",
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
            current=lambda: kept.thresholds_of(session, team_id),
        )
    except kept.StaleThresholdsError as exc:
        session.rollback()
        return conflict_response(VersionConflictError(exc.current, str(exc)))


@router.get("/alerts", response_model=list[AlertOut])
def list_alerts(
    caller: Lead, session: DbSession, clock: Now, team_id: IdQuery = None
) -> list[AlertOut]:
    """The alerts of the teams the caller leads (or ``team_id``): every one still holding and
    those raised in the last 24 hours, newest first (at most 200)."""
    now = clock.now()
    teams = _led_teams(session, caller, team_id, now)
    return [
        kept.alert_out(session, row) for row in kept.recent_alerts(session, teams, now - RECENT)
    ]


@router.post("/alerts/{alert_id}/ack", response_model=AlertOut)
def acknowledge(
    alert_id: IdPath, request: Request, caller: Lead, session: DbSession, clock: Now
) -> Response:
    """A lead of the alert's team has seen it: recorded with who and when, and every lead of
    the team is told. The first acknowledgement stands; a second answers the alert as it is."""
    row = get_or_404(session, AlertRow, alert_id, "alert")
    _check_leads(session, caller, row.team_id, "alert.ack", clock.now())

    def perform(now):  # type: ignore[no-untyped-def]
        out = kept.acknowledge(session, row, caller.user.id, now)
        audit(
            session,
            user_id=caller.user.id,
            action="alert.ack",
            target=f"alert {alert_id}",
            allowed=True,
            now=now,
            detail=f"{out.key} acknowledged by {out.acked_by_name} at {out.acked_at}",
        )
        return 200, out

    return write(request, session, caller, clock, None, perform)
