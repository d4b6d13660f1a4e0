"""Health: what a load balancer, the desktop's connection light, the demo launcher and a
service manager poll.

- ``/api/v1/health``: the desks' (and HAProxy's) check, as before.
- ``/health/live``: the process answers (its event loop turns); nothing else is looked at, so
  a database outage does not get every instance restarted.
- ``/health/ready``: this instance should be sent traffic: the database answers, its schema is
  at this code's revision (a rolling upgrade migrated it past us, or nobody migrated it yet:
  not ready), and the server is not shutting down. 503 with the reason otherwise.

No authentication (probes carry no token) and cheap: one indexed read of one row.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server_stub import __version__
from server_stub.core.schema import VERSION_TABLE, code_revision
from sync.contract.wire import HealthResponse

router = APIRouter(tags=["health"])
probes = APIRouter(include_in_schema=False)


class Probe(BaseModel):
    status: str  # "ok", or "unavailable"
    reason: str = ""
    revision: str = ""  # the database's schema revision, when it was read


@router.get("/health")
def health() -> HealthResponse:
    return HealthResponse(status="ok", service="agent-workstation-backend", version=__version__)


@probes.get("/health/live")
async def live() -> Probe:
    return Probe(status="ok")


@cache
def _wanted() -> str:
    return code_revision()


def _unavailable(reason: str, revision: str = "") -> JSONResponse:
    body = Probe(status="unavailable", reason=reason, revision=revision)
    return JSONResponse(body.model_dump(), status_code=503)


@probes.get("/health/ready", response_model=Probe)
def ready(request: Request) -> Probe | JSONResponse:
    if request.app.state.broker.closing:
        return _unavailable("shutting down")
    try:
        with request.app.state.database.engine.connect() as connection:
            found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    except SQLAlchemyError as exc:
        # The driver's first line (no URL, no password: SQLAlchemy's text carries neither).
        first = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return _unavailable(f"database unreachable or without a schema: {first}")
    wanted = _wanted()
    if found != wanted:
        return _unavailable(
            f"database schema at revision {found or 'none'}, this server needs {wanted}",
            found or "",
        )
    return Probe(status="ok", revision=found)
