"""Every error answers with ``sync.wire.ErrorBody``: a code, a message, and the field at fault."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from sync.wire import ConflictBody, ErrorBody


class ApiProblem(HTTPException):
    def __init__(self, status_code: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(status_code=status_code, detail=message)
        self.code = code
        self.field = field


def error_response(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message, field=field)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _problem(_request: Request, exc: ApiProblem) -> JSONResponse:
        return error_response(exc.status_code, exc.code, str(exc.detail), exc.field)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, f"http_{exc.status_code}", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid"}
        # loc is ("body", "field", ...): name the field, not the envelope.
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) or None
        message = f"{field}: {first.get('msg', 'invalid value')}" if field else str(first["msg"])
        return error_response(422, "invalid_request", message, field)

    install_conflict_handler(app)


class VersionConflictError(Exception):
    """409: the client edited an old version; carries the current record."""

    def __init__(self, current: BaseModel, message: str = "") -> None:
        super().__init__(message or "Someone else changed this record; here is the current one.")
        self.current = current


def install_conflict_handler(app: FastAPI) -> None:
    @app.exception_handler(VersionConflictError)
    async def _conflict(_request: Request, exc: VersionConflictError) -> JSONResponse:
        body = ConflictBody(
            code="version_conflict",
            message=str(exc),
            field="version",
            current=exc.current.model_dump(mode="json"),
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=409)
