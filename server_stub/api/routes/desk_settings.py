"""The centre's desk settings: every signed-in user reads them; admins replace them whole."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub import desk_settings as stored
from server_stub.api.deps import Caller, CurrentCaller, DbSession, DeskContract, Now, require
from server_stub.api.errors import VersionConflictError, conflict_response
from server_stub.api.routes.common import bad_field
from server_stub.api.writes import write
from server_stub.models import QueueRow, TeamRow
from sync.contract import version as contract
from sync.contract.desk import settings_problems
from sync.contract.wire import (
    ConflictBody,
    DeskSettings,
    DeskSettingsIn,
    QueueSettings,
    TeamPolicy,
)

router = APIRouter(tags=["people, presence and queues"])


def _etag(version: int) -> str:
    return f'"{version}"'


@router.get("/desk-settings", response_model=DeskSettings)
def desk_settings(caller: CurrentCaller, session: DbSession, desk: DeskContract) -> Response:
    settings = _with_rows(stored.current(session), session, caller)
    headers = {"ETag": _etag(settings.version)}
    if desk == contract.LEGACY:
        # A desk of contract 1.0 reads answers strictly: a field it does not know (version)
        # would make it refuse the whole document and keep its old codes.
        return JSONResponse(
            settings.model_dump(mode="json", exclude={"version", *contract.DESK_SETTINGS_1_6}),
            headers=headers,
        )
    return JSONResponse(settings.model_dump(mode="json"), headers=headers)


def _with_rows(settings: DeskSettings, session: Session, caller: Caller) -> DeskSettings:
    """The document with what lives in rows (1.6): each queue's own settings (every queue: a
    call may come from another team's queue) and the caller's teams' callback policies."""
    queues = {
        q.name: QueueSettings(
            wrap_up_s=q.wrap_up_s,
            service_level_s=q.service_level_s,
            service_level_pct=q.service_level_pct,
            announcement=q.announcement or "",
        )
        for q in session.scalars(select(QueueRow).order_by(QueueRow.id))
    }
    teams = select(TeamRow).order_by(TeamRow.id)
    if caller.team_ids is not None:
        teams = teams.where(TeamRow.id.in_(caller.team_ids))
    policies = {
        t.id: TeamPolicy.model_validate(
            {"callback_after": t.callback_after, "callback_delay_hours": t.callback_delay_hours}
        )
        for t in session.scalars(teams)
    }
    return settings.model_copy(update={"queues": queues, "team_policies": policies})


@router.put(
    "/desk-settings",
    response_model=DeskSettings,
    responses={409: {"model": ConflictBody}, 412: {"model": ConflictBody}},
)
def put_desk_settings(
    body: DeskSettingsIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("settings.manage"))],
    session: DbSession,
    clock: Now,
    if_match: Annotated[str | None, Header(max_length=100)] = None,
) -> Response:
    """Replace the centre's settings. ``version`` is the one the admin read (an ``If-Match``
    with its ETag may say it too): if someone changed them since, 409 (412 for If-Match) with
    the current ones, and nothing is written."""
    settings = body.settings(version=body.version)
    problems = settings_problems(settings)
    if problems:
        raise bad_field(problems[0].field, problems[0].message)
    if if_match is not None and if_match.strip() != "*":
        now_at = stored.current(session)
        if if_match.strip().removeprefix("W/") != _etag(now_at.version):
            return conflict_response(
                VersionConflictError(now_at, str(stored.StaleSettingsError(now_at))), 412
            )

    written: list[DeskSettings] = []

    def perform(now):  # type: ignore[no-untyped-def]
        replaced = stored.replace(
            session, settings, base_version=body.version, user_id=caller.user.id, now=now
        )
        written.append(_with_rows(replaced, session, caller))
        return 200, written[-1]

    try:
        answer = write(
            request, session, caller, clock, body, perform, current=lambda: stored.current(session)
        )
    except stored.StaleSettingsError as exc:
        session.rollback()
        return conflict_response(VersionConflictError(exc.current, str(exc)))
    except VersionConflictError as exc:  # a writer committed between our read and our write
        return conflict_response(exc)
    if written:  # (not on an idempotent replay's stored answer)
        answer.headers["ETag"] = _etag(written[-1].version)
    return answer
