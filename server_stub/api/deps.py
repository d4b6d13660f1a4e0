"""Dependencies injected into routes: the DB session, settings, and the signed-in user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from server_stub.api.errors import ApiProblem
from server_stub.auth import resolve_token
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.models import UserRow


def get_db(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.database
    with database.session() as session:
        yield session


def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


DbSession = Annotated[Session, Depends(get_db)]
Settings = Annotated[ServerSettings, Depends(get_settings)]


@dataclass(frozen=True, slots=True)
class Caller:
    user: UserRow
    token: str
    expires_at: datetime


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "not_authenticated", "Sign-in required: no bearer token was sent.")
    return token.strip()


def current_caller(session: DbSession, token: Annotated[str, Depends(bearer_token)]) -> Caller:
    resolved = resolve_token(session, token)
    if resolved is None:
        raise ApiProblem(401, "token_invalid", "Your session has expired; please sign in again.")
    user, expires_at = resolved
    return Caller(user=user, token=token, expires_at=expires_at)


CurrentCaller = Annotated[Caller, Depends(current_caller)]
