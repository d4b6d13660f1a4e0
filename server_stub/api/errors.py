"""Every error answers with ``sync.contract.wire.ErrorBody``: a code, a message, the field at fault.

That includes what the framework answers by itself (an unknown path, a wrong method, a body
that is not JSON, a bad query parameter or header) and, as a last resort, a bug (500): a
client never has to parse a second shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi import HTTPException as FastApiHTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException

from server_stub.api import idempotency
from sync.contract.errors import FOR_STATUS, ErrorCode
from sync.contract.wire import ConflictBody, ErrorBody

log = logging.getLogger(__name__)

# Where a parameter came from, which is not part of the field's name.
_PLACES = ("body", "query", "path", "header", "cookie")
# Refusals that another request with the same Idempotency-Key may explain (it committed the
# change this one was checked against).
_RACE_STATUSES = (404, 409, 422)


class ApiProblem(FastApiHTTPException):
    def __init__(
        self, status_code: int, code: ErrorCode, message: str, field: str | None = None
    ) -> None:
        super().__init__(status_code=status_code, detail=message)
        self.code = code
        self.field = field


def error_response(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message, field=field)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _is_json(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def validation_answer(request: Request, errors: list[dict[str, Any]]) -> JSONResponse:
    """422 naming the first field at fault (415 for a body that is not JSON at all)."""
    first = errors[0] if errors else {"loc": ("body",), "msg": "invalid", "type": ""}
    loc = tuple(first.get("loc", ()))
    kind = str(first.get("type", ""))
    if kind == "json_invalid":
        # loc is ("body", <character position>): the position is not a field.
        where = loc[1] if len(loc) > 1 else "?"
        context = first.get("ctx")
        detail = (context.get("error") if isinstance(context, dict) else "") or first.get("msg")
        return error_response(
            422,
            ErrorCode.MALFORMED_JSON,
            f"body: not valid JSON (at character {where}: {detail})",
            "body",
        )
    if loc == ("body",) and request.headers.get("content-type") and not _is_json(request):
        return error_response(
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Content-Type: send the body as application/json",
            "Content-Type",
        )
    # loc is ("body", "field", ...): name the field, not the envelope.
    names = [str(p) for p in loc[1:]] if loc and loc[0] in _PLACES else [str(p) for p in loc]
    field = ".".join(names) or ("body" if loc[:1] == ("body",) else None)
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "missing" and field == "body":
        message = "a JSON body is required"
    return error_response(
        422, ErrorCode.INVALID_REQUEST, f"{field}: {message}" if field else message, field
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> Response:
        if may_have_raced(exc):
            raced = await idempotency.answer_after_race(request)
            if raced is not None:
                return raced
        return problem_response(exc)

    # Starlette's own (an unknown path, a wrong method) and FastAPI's (a body it cannot read).
    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return http_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_answer(request, list(exc.errors()))

    @app.exception_handler(idempotency.ReplayError)
    async def _replay(_request: Request, exc: idempotency.ReplayError) -> Response:
        return idempotency.replay_response(exc.status_code, exc.body)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        # The wire schemas should have refused the value; if one slipped through, the database
        # did, and that is still the client's bad input, not a server fault.
        return data_error_response(request, exc)

    @app.exception_handler(PoolTimeoutError)
    async def _busy(request: Request, exc: PoolTimeoutError) -> JSONResponse:
        # Every connection of this process's pool stayed busy for the pool's timeout: a
        # burst (desks flushing their outboxes after an outage), not a bug. 503 tells desks
        # and load balancers to come back shortly; the write is kept and sent again.
        log.warning("%s %s: no database connection free: %s", request.method, request.url.path, exc)
        answer = error_response(
            503, ErrorCode.SERVER_BUSY, "The server is busy; the request will be sent again."
        )
        answer.headers["Retry-After"] = "1"
        return answer

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(500, ErrorCode.INTERNAL_ERROR, "The server failed; this is a bug.")

    install_conflict_handler(app)


class VersionConflictError(Exception):
    """409: the client edited an old version; carries the current record."""

    def __init__(self, current: BaseModel, message: str = "") -> None:
        super().__init__(message or "Someone else changed this record; here is the current one.")
        self.current = current


def install_conflict_handler(app: FastAPI) -> None:
    @app.exception_handler(VersionConflictError)
    async def _conflict(request: Request, exc: VersionConflictError) -> Response:
        raced = await idempotency.answer_after_race(request)
        if raced is not None:
            return raced
        return conflict_response(exc)


# The answers to our exceptions, shared by the handlers above and the batch route (which
# answers each operation in its worker thread, without the app's async handlers).


def may_have_raced(exc: ApiProblem) -> bool:
    return exc.status_code in _RACE_STATUSES and exc.code != ErrorCode.IDEMPOTENCY_KEY_REUSED


def problem_response(exc: ApiProblem) -> JSONResponse:
    return error_response(exc.status_code, exc.code, str(exc.detail), exc.field)


def http_response(exc: HTTPException) -> JSONResponse:
    code = FOR_STATUS.get(exc.status_code, f"http_{exc.status_code}")
    answer = error_response(exc.status_code, code, str(exc.detail))
    for name, value in (exc.headers or {}).items():
        answer.headers[name] = value  # e.g. Allow on a 405
    return answer


def data_error_response(request: Request, exc: DataError) -> JSONResponse:
    log.warning(
        "%s %s: the database refused a value: %s", request.method, request.url.path, exc.orig
    )
    return error_response(
        422, ErrorCode.INVALID_REQUEST, "A value is out of range or not storable."
    )


def conflict_response(exc: VersionConflictError, status: int = 409) -> JSONResponse:
    """The record as it is now, for a writer who sent an old version (409), or an
    ``If-Match`` that no longer holds (412)."""
    body = ConflictBody(
        code=ErrorCode.VERSION_CONFLICT,
        message=str(exc),
        field="version",
        current=exc.current.model_dump(mode="json"),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status)
