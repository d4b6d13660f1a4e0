"""The centre's desk settings: every signed-in user reads them; admins replace them whole."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from server_stub import desk_settings as stored
from server_stub.api.deps import Caller, CurrentCaller, DbSession, DeskContract, Now, require
from server_stub.api.errors import VersionConflictError
from server_stub.api.routes.common import bad_field
from server_stub.api.writes import write
from sync.contract import version as contract
from sync.contract.desk import settings_problems
from sync.contract.errors import ErrorCode
from sync.contract.wire import ConflictBody, DeskSettings, DeskSettingsIn

router = APIRouter(tags=["people, presence and queues"])


def _etag(version: int) -> str:
    return f'"{version}"'


@router.get("/desk-settings", response_model=DeskSettings)
def desk_settings(_caller: CurrentCaller, session: DbSession, desk: DeskContract) -> Response:
    settings = stored.current(session)
    headers = {"ETag": _etag(settings.version)}
    if desk == contract.LEGACY:
        # A desk of contract 1.0 reads answers strictly: a field it does not know (version;
        # 1.6's required_checks) would make it refuse the whole document and keep its old
        # codes. (Later desks read tolerantly and skip what they do not know.)
        legacy = settings.model_dump(mode="json", exclude={"version", "required_checks"})
        return JSONResponse(legacy, headers=headers)
    return JSONResponse(settings.model_dump(mode="json"), headers=headers)


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
            return _conflict(412, str(stored.StaleSettingsError(now_at)), now_at)

    written: list[DeskSettings] = []

    def perform(now):  # type: ignore[no-untyped-def]
        written.append(
            stored.replace(
                session, settings, base_version=body.version, user_id=caller.user.id, now=now
            )
        )
        return 200, written[-1]

    try:
        answer = write(
            request, session, caller, clock, body, perform, current=lambda: stored.current(session)
        )
    except stored.StaleSettingsError as exc:
        session.rollback()
        return _conflict(409, str(exc), exc.current)
    except VersionConflictError as exc:  # a writer committed between our read and our write
        return _conflict(409, str(exc), exc.current)
    if written:  # (not on an idempotent replay's stored answer)
        answer.headers["ETag"] = _etag(written[-1].version)
    return answer


def _conflict(status: int, message: str, current: BaseModel) -> JSONResponse:
    body = ConflictBody(
        code=ErrorCode.VERSION_CONFLICT,
        message=message,
        field="version",
        current=current.model_dump(mode="json"),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status)
